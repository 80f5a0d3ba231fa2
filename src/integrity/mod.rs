//! Integrity and trust, over the log (`log/`, whose Merkle tree they use):
//! checkpoints and proofs as text, `verify`, signed notes and cosignatures,
//! a witness's decisions, table receipts.

pub mod checkpoint;
pub mod note;
pub mod receipt;
pub mod verify;
pub mod witness;
