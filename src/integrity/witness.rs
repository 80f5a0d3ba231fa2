//! What a witness decides about a checkpoint (pure): cosign it only when it
//! extends, by a valid consistency proof, the last one it cosigned for the
//! same origin; refuse a rollback or a fork. The first checkpoint of an
//! origin is trusted on first use.

use crate::integrity::checkpoint::{Checkpoint, ConsistencyProof};
use crate::log::merkle::verify_consistency;

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
            true => same_index(last, new).map(|_| Cosign::Same),
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

/// Whether `new`, once cosigned, replaces `last` as the witness's state:
/// not when it is the same tree without the index line `last` carries.
/// Kept, that line is what the same tree shown with another one is refused
/// against; replaced by a note without it, any other line was cosigned.
pub fn replaces_state(last: Option<&Checkpoint>, new: &Checkpoint) -> bool {
    !matches!(last, Some(l)
        if (l.size, l.root) == (new.size, new.root) && l.index.is_some() && new.index.is_none())
}

/// One tree has one stage index: the same tree shown with two index lines
/// is a split view of the index. (A witness cannot recompute the index, it
/// holds no events; a mirror or `verify` does.)
fn same_index(last: &Checkpoint, new: &Checkpoint) -> Result<(), String> {
    match (last.index, new.index) {
        (Some(a), Some(b)) if a != b => Err(format!(
            "fork: the same tree of {} events with two different index lines; refused",
            new.size
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::chain::Hash;

    #[test]
    fn the_same_tree_with_another_index_line_is_a_fork() {
        let cp = |index: Option<u8>| Checkpoint {
            origin: "o".into(),
            size: 3,
            root: Hash([1; 32]),
            index: index.map(|i| Hash([i; 32])),
            frontier: vec![],
        };
        assert_eq!(
            decide(Some(&cp(Some(1))), &cp(Some(1)), None),
            Ok(Cosign::Same)
        );
        assert_eq!(
            decide(Some(&cp(None)), &cp(Some(1)), None),
            Ok(Cosign::Same)
        );
        assert!(decide(Some(&cp(Some(1))), &cp(Some(2)), None)
            .unwrap_err()
            .contains("index"));
    }

    #[test]
    fn the_state_keeps_the_index_line_of_its_tree() {
        let cp = |size: u64, index: Option<u8>| Checkpoint {
            origin: "o".into(),
            size,
            root: Hash([size as u8; 32]),
            index: index.map(|i| Hash([i; 32])),
            frontier: vec![],
        };
        for (last, new, replaces) in [
            (None, cp(3, None), true),
            (Some(cp(3, Some(1))), cp(3, None), false),
            (Some(cp(3, Some(1))), cp(3, Some(1)), true),
            (Some(cp(3, None)), cp(3, Some(1)), true),
            (Some(cp(3, None)), cp(3, None), true),
            (Some(cp(3, Some(1))), cp(4, None), true),
        ] {
            assert_eq!(
                replaces_state(last.as_ref(), &new),
                replaces,
                "{last:?} {new:?}"
            );
        }
    }
}
