//! Integrity and trust: the Merkle tree, checkpoints and proofs, `verify`,
//! signed notes and cosignatures, a witness's decisions, table receipts.

pub mod checkpoint;
pub mod note;
pub mod receipt;
pub mod verify;
pub mod witness;
