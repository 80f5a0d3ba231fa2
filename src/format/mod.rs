//! The frozen byte format. Everything here decides bytes that are hashed or
//! stored: the canonical event encoding (the only bincode caller), the hash
//! chain, key derivations, the packed layouts. Changing any of it changes
//! hashes or the store's layout: `schema/` documents it and
//! `tests/it/golden.rs` pins it with vectors that must never change.

pub mod chain;
pub mod encoding;
pub(crate) mod head_file;
pub mod keys;
pub mod packed;
pub(crate) mod wire;
