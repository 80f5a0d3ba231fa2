//! The hash chain: blake3 with domain separation over the envelope fields and
//! the canonical event bytes (the exact rule is in `schema/events.md`).

use std::fmt;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::date::Timestamp;

/// The blake3 key-derivation context of event hashes. Never changes for v1.
pub const EVENT_CONTEXT: &str = "scoreledger 2026-11 event v1";

/// The first byte of every stored envelope and an input of every hash.
pub const FORMAT_VERSION: u8 = 1;

/// A 32-byte blake3 hash.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The `prev` of event 1.
    pub const GENESIS: Hash = Hash([0; 32]);

    /// All 64 hex characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The 32 bytes of `bytes` from `at`, if there are that many.
    pub fn read_at(bytes: &[u8], at: usize) -> Option<Hash> {
        let b = bytes.get(at..at.checked_add(32)?)?;
        Some(Hash(b.try_into().expect("a slice of 32 bytes")))
    }

    /// Parses 64 hex characters (surrounding whitespace aside).
    pub fn from_hex(s: &str) -> Result<Hash, String> {
        let mut out = [0u8; 32];
        hex::decode_to_slice(s.trim(), &mut out).map_err(|e| format!("invalid hash '{s}': {e}"))?;
        Ok(Hash(out))
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({})", self.to_hex())
    }
}

impl Serialize for Hash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.to_hex())
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            Hash::from_hex(&s).map_err(serde::de::Error::custom)
        } else {
            <[u8; 32]>::deserialize(d).map(Hash)
        }
    }
}

/// The hash of event `seq`:
/// `blake3::derive_key(EVENT_CONTEXT)` over
/// `version (1) | seq u64 BE | recorded_at i64 BE | prev (32) | len u64 BE | event bytes`.
pub fn event_hash(seq: u64, recorded_at: Timestamp, prev: &Hash, event_bytes: &[u8]) -> Hash {
    event_hash_with(
        &mut blake3::Hasher::new_derive_key(EVENT_CONTEXT),
        seq,
        recorded_at,
        prev,
        event_bytes,
    )
}

/// [`event_hash`] with a hasher made once by
/// `blake3::Hasher::new_derive_key(EVENT_CONTEXT)` and reused (it is reset
/// here), which saves deriving the context key for every event.
pub fn event_hash_with(
    h: &mut blake3::Hasher,
    seq: u64,
    recorded_at: Timestamp,
    prev: &Hash,
    event_bytes: &[u8],
) -> Hash {
    h.reset();
    h.update(&[FORMAT_VERSION]);
    h.update(&seq.to_be_bytes());
    h.update(&recorded_at.as_micros().to_be_bytes());
    h.update(&prev.0);
    h.update(&(event_bytes.len() as u64).to_be_bytes());
    h.update(event_bytes);
    Hash(*h.finalize().as_bytes())
}

/// The latest event: how many there are and the hash of the last one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Head {
    /// The last event's seq: the number of events (0 for an empty log).
    pub seq: u64,
    /// The last event's hash ([`Hash::GENESIS`] for an empty log).
    pub hash: Hash,
    /// When the last event was recorded.
    pub recorded_at: Timestamp,
}

impl Head {
    /// The head of an empty log.
    pub const EMPTY: Head = Head {
        seq: 0,
        hash: Hash::GENESIS,
        recorded_at: Timestamp::MIN,
    };

    /// The log's head record (`schema/events.md`): seq (8 bytes, big-endian),
    /// hash (32), recorded_at (8, microseconds, big-endian).
    pub fn record_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(HEAD_RECORD_LEN);
        v.extend_from_slice(&self.seq.to_be_bytes());
        v.extend_from_slice(&self.hash.0);
        v.extend_from_slice(&self.recorded_at.as_micros().to_be_bytes());
        v
    }

    /// A head record read back; `None` when it is not `HEAD_RECORD_LEN` bytes.
    pub fn from_record(v: &[u8]) -> Option<Head> {
        if v.len() != HEAD_RECORD_LEN {
            return None;
        }
        Some(Head {
            seq: u64::from_be_bytes(v[..8].try_into().ok()?),
            hash: Hash::read_at(v, 8)?,
            recorded_at: Timestamp::from_micros(i64::from_be_bytes(v[40..48].try_into().ok()?)),
        })
    }
}

/// The length of the log's head record.
pub const HEAD_RECORD_LEN: usize = 48;

/// A hash in the base64 of checkpoints, indexes and proofs.
pub(crate) fn b64(h: &Hash) -> String {
    B64.encode(h.0)
}

/// A hash from the base64 of checkpoints, indexes and proofs.
pub(crate) fn unb64(s: &str) -> Result<Hash, String> {
    let v = B64
        .decode(s)
        .map_err(|e| format!("invalid base64 hash '{s}': {e}"))?;
    v.try_into()
        .map(Hash)
        .map_err(|v: Vec<u8>| format!("a hash is 32 bytes, '{s}' is {}", v.len()))
}
