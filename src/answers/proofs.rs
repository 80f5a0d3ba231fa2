//! Checkpoints and consistency proofs as text, as the commands print them
//! and the server serves them.

use scoreledger::integrity::checkpoint::ConsistencyProof;
use scoreledger::Error;

/// The origin line of a checkpoint unless one is given.
pub(crate) const DEFAULT_ORIGIN: &str = "scoreledger.local/archive";

/// The checkpoint of `origin`, signed by `key` when given: what `checkpoint`
/// prints and the server serves.
pub(crate) fn signed_text(
    archive: &scoreledger::Archive,
    origin: &str,
    key: Option<&scoreledger::integrity::note::SignerKey>,
) -> Result<String, Error> {
    let text = archive.checkpoint(origin)?.to_text();
    let Some(key) = key else { return Ok(text) };
    let mut note = scoreledger::integrity::note::Note {
        text,
        signatures: Vec::new(),
    };
    note.sign(key).map_err(Error::Invalid)?;
    Ok(note.to_text())
}

/// The proof as text: what `consistency` prints and the server serves.
pub(crate) fn text(
    archive: &scoreledger::Archive,
    old: u64,
    new: Option<u64>,
) -> Result<String, Error> {
    let new = match new {
        Some(n) => n,
        None => archive.head()?.seq,
    };
    let head = archive.head()?.seq;
    if old > new || new > head {
        return Err(Error::Invalid(format!(
            "sizes must be 0 <= old <= new <= {head} (the archive's size); got {old} and {new}"
        )));
    }
    let path = archive.consistency_proof(old, new)?;
    Ok(ConsistencyProof { old, new, path }.to_text())
}
