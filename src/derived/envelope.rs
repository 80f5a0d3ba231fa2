//! Events as the football side reads them: the log's envelopes with their
//! event decoded (the log itself keeps only canonical bytes).

use serde::Serialize;

use crate::error::{Error, Result};
use crate::format::chain::Hash;
use crate::format::encoding::{self, RawEnvelope};
use crate::format::keys::{self, Kind};
use crate::format::packed;
use crate::log::{missing, ChunkReader};
use crate::model::date::Timestamp;
use crate::model::event::Event;
use crate::store::{Space, Store};

/// An event with its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Envelope {
    /// The event's seq: its place in the log, dense from 1.
    pub seq: u64,
    /// When it was recorded (the caller's clock, never decreasing along the log).
    pub recorded_at: Timestamp,
    /// The hash of the event before (zeros for seq 1).
    pub prev: Hash,
    /// This event's hash, over the envelope's fields and the event's bytes
    /// (`schema/events.md`).
    pub hash: Hash,
    /// The fact itself, decoded from the canonical bytes.
    pub event: Event,
}

/// Decodes a stored event; damage is named by its seq.
pub(crate) fn decode_raw(raw: &RawEnvelope) -> Result<Envelope> {
    let event = encoding::decode_event(raw.event_bytes)
        .map_err(|msg| Error::Corrupt { seq: raw.seq, msg })?;
    Ok(Envelope {
        seq: raw.seq,
        recorded_at: raw.recorded_at,
        prev: raw.prev,
        hash: raw.hash,
        event,
    })
}

/// Every event in order, decoded (hashes are not checked here; see `verify`).
pub(crate) fn events(store: &Store) -> impl Iterator<Item = Result<Envelope>> + '_ {
    store
        .scan_prefix(Space::Log, &[Kind::Chunk as u8])
        .flat_map(|e| -> Vec<Result<Envelope>> {
            let (k, v) = match e {
                Ok(kv) => kv,
                Err(e) => return vec![Err(e)],
            };
            let chunk = keys::chunk_number(&k).unwrap_or(u64::MAX / packed::CHUNK);
            packed::events(chunk, &v)
                .map(|e| match e {
                    Ok(raw) => decode_raw(&raw),
                    Err((seq, msg)) => Err(Error::Corrupt { seq, msg }),
                })
                .collect()
        })
}

/// One event by seq.
pub(crate) fn event(store: &Store, seq: u64) -> Result<Option<Envelope>> {
    match ChunkReader::new(store).raw(seq)? {
        Some(raw) => decode_raw(&raw).map(Some),
        None => Ok(None),
    }
}

/// The event at `seq`, decoded, through a reader that keeps its chunk; a
/// missing one is an error.
pub(crate) fn read(reader: &mut ChunkReader, seq: u64) -> Result<Envelope> {
    match reader.raw(seq)? {
        Some(raw) => decode_raw(&raw),
        None => Err(missing(seq)),
    }
}
