//! Verification: every event re-hashed and re-chained from the first.

use crate::archive::Archive;
use crate::chain::{event_hash, Hash};
use crate::date::Timestamp;
use crate::encoding;
use crate::error::{Error, Result};
use crate::keys;
use crate::store::TreeId;

/// A passed verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: u64,
    pub head: Hash,
}

impl Archive {
    /// Checks the whole chain: dense seqs from 1, each envelope well formed,
    /// each hash recomputed over the stored bytes, each `prev` equal to the
    /// previous hash, each event in canonical form, `recorded_at` never
    /// decreasing, and the head record equal to the last event.
    ///
    /// Fails with [`Error::Corrupt`] naming the first bad seq.
    pub fn verify(&self) -> Result<VerifyReport> {
        let mut expected = 1u64;
        let mut prev = Hash::GENESIS;
        let mut last_time = Timestamp::MIN;
        for entry in self.store.iter(TreeId::Events) {
            let (k, v) = entry?;
            let corrupt = |msg: String| Error::Corrupt { seq: expected, msg };
            if k.as_slice() != keys::seq(expected) {
                return Err(corrupt(format!(
                    "expected key {}, found key {}",
                    hex::encode(keys::seq(expected)),
                    hex::encode(&k)
                )));
            }
            let raw = encoding::split_envelope(&v).map_err(corrupt)?;
            if raw.seq != expected {
                return Err(corrupt(format!("envelope says seq {}", raw.seq)));
            }
            if raw.prev != prev {
                return Err(corrupt(format!(
                    "prev hash {} does not match the hash of seq {} ({prev})",
                    raw.prev,
                    expected - 1
                )));
            }
            let hash = event_hash(raw.seq, raw.recorded_at, &raw.prev, raw.event_bytes);
            if hash != raw.hash {
                return Err(corrupt(format!(
                    "stored hash {} does not match the recomputed hash {hash}",
                    raw.hash
                )));
            }
            encoding::decode_event(raw.event_bytes)
                .map_err(|e| corrupt(format!("event does not decode: {e}")))?;
            if raw.recorded_at < last_time {
                return Err(corrupt(format!(
                    "recorded_at {} is earlier than the previous event's {last_time}",
                    raw.recorded_at
                )));
            }
            last_time = raw.recorded_at;
            prev = hash;
            expected += 1;
        }
        let count = expected - 1;
        let head = self.head()?;
        if head.seq != count || head.hash != prev {
            return Err(Error::Corrupt {
                seq: head.seq,
                msg: format!("head record says seq {} hash {}, but the chain ends at seq {count} hash {prev}", head.seq, head.hash),
            });
        }
        Ok(VerifyReport {
            events: count,
            head: prev,
        })
    }
}
