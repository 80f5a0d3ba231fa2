//! The transparency log, which knows nothing of football: events are
//! envelopes (seq, time, previous hash, hash, the event's canonical bytes)
//! kept in packed chunks, with the Merkle tree's stored nodes beside them.
//! [`writer::LogWriter`] appends, [`ChunkReader`] reads, [`merkle`] proves.
//! The football derivation (`derived/`) and the trust layer (`integrity/`)
//! build on it; nothing here names a stage, a row or a correction.

pub mod merkle;
pub mod writer;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::format::chain::Hash;
use crate::format::encoding::{self, RawEnvelope};
use crate::format::keys::{self, Kind};
use crate::format::packed;
use crate::model::date::Timestamp;
use crate::model::event::Event;
use crate::store::{Space, Store};

/// An event with its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Envelope {
    pub seq: u64,
    pub recorded_at: Timestamp,
    pub prev: Hash,
    pub hash: Hash,
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

/// Names a damaged derived entry by kind and key.
pub fn damaged(key: &[u8], e: impl std::fmt::Display) -> Error {
    Error::Damaged {
        kind: keys::Kind::of(key).map(Kind::name).unwrap_or("unknown"),
        key: hex::encode(key),
        msg: e.to_string(),
    }
}

/// Reads events from the log's chunks, keeping the last chunk read.
pub struct ChunkReader<'s> {
    store: &'s Store,
    chunk: Option<(u64, Vec<u8>)>,
}

impl<'s> ChunkReader<'s> {
    pub fn new(store: &'s Store) -> Self {
        ChunkReader { store, chunk: None }
    }

    /// Event `seq` as stored, if the log has it.
    pub fn raw(&mut self, seq: u64) -> Result<Option<RawEnvelope<'_>>> {
        if seq == 0 {
            return Ok(None);
        }
        let c = packed::chunk_of(seq);
        if self.chunk.as_ref().is_none_or(|(n, _)| *n != c) {
            let Some(v) = self.store.get(Space::Log, &keys::chunk(c))? else {
                return Ok(None);
            };
            self.chunk = Some((c, v));
        }
        let (_, bytes) = self.chunk.as_ref().expect("just read");
        let i = (seq - packed::chunk_first(c)) as usize;
        match packed::events(c, bytes).nth(i) {
            None => Ok(None),
            Some(Ok(raw)) => Ok(Some(raw)),
            Some(Err((seq, msg))) => Err(Error::Corrupt { seq, msg }),
        }
    }

    /// The envelope bytes of `seq` (as `schema/events.md` lays them out).
    pub fn envelope(&mut self, seq: u64) -> Result<Option<Vec<u8>>> {
        Ok(self.raw(seq)?.map(|r| {
            encoding::encode_envelope(r.seq, r.recorded_at, &r.prev, &r.hash, r.event_bytes)
        }))
    }

    /// The event at `seq`, decoded; a missing one is an error.
    pub fn event(&mut self, seq: u64) -> Result<Envelope> {
        match self.raw(seq)? {
            Some(raw) => decode_raw(&raw),
            None => Err(missing(seq)),
        }
    }
}

/// The error for an event the log should hold and does not.
pub fn missing(seq: u64) -> Error {
    Error::Corrupt {
        seq,
        msg: "event is missing".into(),
    }
}
