//! What a witness decides about a checkpoint (pure): cosign it only when it
//! extends, by a valid consistency proof, the last one it cosigned for the
//! same origin; refuse a rollback or a fork. The first checkpoint of an
//! origin is trusted on first use.

use crate::checkpoint::{Checkpoint, ConsistencyProof};
use crate::merkle::verify_consistency;

/// Why a witness may cosign.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cosign {
    /// No earlier checkpoint of this origin: trusted on first use.
    FirstSeen,
    /// The same tree as the last one cosigned.
    Same,
    /// A proven extension of the last one cosigned, from that size.
    Extends(u64),
}

/// Decides whether `new` may be cosigned after `last` (the last checkpoint
/// cosigned for its origin), with a consistency proof from `last`'s size.
pub fn decide(
    last: Option<&Checkpoint>,
    new: &Checkpoint,
    proof: Option<&ConsistencyProof>,
) -> Result<Cosign, String> {
    let Some(last) = last else {
        return Ok(Cosign::FirstSeen);
    };
    if last.origin != new.origin {
        return Err(format!(
            "the checkpoint is of '{}', the state of '{}'",
            new.origin, last.origin
        ));
    }
    if new.size < last.size {
        return Err(format!(
            "rollback: the log showed {} events before and now shows {}; refused",
            last.size, new.size
        ));
    }
    if new.size == last.size {
        return match new.root == last.root {
            true => Ok(Cosign::Same),
            false => Err(format!(
                "fork: two different trees of {} events; refused",
                new.size
            )),
        };
    }
    let proof = proof.ok_or(format!(
        "a consistency proof from size {} to {} is needed",
        last.size, new.size
    ))?;
    if (proof.old, proof.new) != (last.size, new.size) {
        return Err(format!(
            "the proof is from size {} to {}, not from {} to {}",
            proof.old, proof.new, last.size, new.size
        ));
    }
    verify_consistency(last.size, new.size, &last.root, &new.root, &proof.path).map_err(|e| {
        format!(
            "fork: the checkpoint of {} events does not extend the one of {} cosigned before ({e}); refused",
            new.size, last.size
        )
    })?;
    Ok(Cosign::Extends(last.size))
}
