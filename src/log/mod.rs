//! The transparency log, which knows nothing of football: events are
//! envelopes (seq, time, previous hash, hash, the event's canonical bytes)
//! kept in packed chunks, with the Merkle tree's stored nodes beside them.
//! `writer::LogWriter` appends, `ChunkReader` reads, [`merkle`] proves.
//! The football derivation (`derived/`) and the trust layer (`integrity/`)
//! build on it; nothing here names a stage, a row or a correction.

pub mod merkle;
pub(crate) mod writer;

use crate::error::{Error, Result};
use crate::format::chain::{Hash, Head, HEAD_RECORD_LEN};
use crate::format::encoding::{self, RawEnvelope};
use crate::format::keys::{self, Kind};
use crate::format::packed;
use crate::store::{Space, Store};

/// Names a damaged derived entry by kind and key.
pub(crate) fn damaged(key: &[u8], e: impl std::fmt::Display) -> Error {
    Error::Damaged {
        kind: keys::Kind::of(key).map(Kind::name).unwrap_or("unknown"),
        key: hex::encode(key),
        msg: e.to_string(),
    }
}

/// Reads events from the log's chunks, keeping the last chunk read.
pub(crate) struct ChunkReader<'s> {
    store: &'s Store,
    chunk: Option<(u64, Vec<u8>)>,
}

impl<'s> ChunkReader<'s> {
    /// A reader of the log in `store`, with no chunk read yet.
    pub(crate) fn new(store: &'s Store) -> Self {
        ChunkReader { store, chunk: None }
    }

    /// Event `seq` as stored, if the log has it.
    pub(crate) fn raw(&mut self, seq: u64) -> Result<Option<RawEnvelope<'_>>> {
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
    pub(crate) fn envelope(&mut self, seq: u64) -> Result<Option<Vec<u8>>> {
        Ok(self.raw(seq)?.map(|r| {
            encoding::encode_envelope(r.seq, r.recorded_at, &r.prev, &r.hash, r.event_bytes)
        }))
    }
}

/// The error for an event the log should hold and does not.
pub(crate) fn missing(seq: u64) -> Error {
    Error::Corrupt {
        seq,
        msg: "event is missing".into(),
    }
}

/// The latest event (seq 0 and a zero hash when the log is empty), read
/// from the last chunk of the log itself.
pub fn head(store: &Store) -> Result<Head> {
    let Some((k, v)) = store.last_with_prefix(Space::Log, &[Kind::Chunk as u8])? else {
        return Ok(Head::EMPTY);
    };
    let chunk = keys::chunk_number(&k).unwrap_or(0);
    let mut last = None;
    for e in packed::events(chunk, &v) {
        last = Some(e.map_err(|(seq, msg)| Error::Corrupt { seq, msg })?);
    }
    let Some(raw) = last else {
        return Err(Error::Corrupt {
            seq: packed::chunk_first(chunk),
            msg: format!("chunk {chunk} of the log is empty"),
        });
    };
    Ok(Head {
        seq: raw.seq,
        hash: raw.hash,
        recorded_at: raw.recorded_at,
    })
}

/// Where the head record (`M head`, a cache of the log's last entry)
/// disagrees with the log, if it does.
pub fn head_record_problem(store: &Store) -> Result<Option<String>> {
    let chain = head(store)?;
    let problem = match store.get(Space::Log, keys::META_HEAD)? {
        None if chain.seq == 0 => return Ok(None),
        None => "is missing".to_string(),
        Some(v) if v == chain.record_bytes() => return Ok(None),
        Some(v) => match Head::from_record(&v) {
            None => format!("is {} bytes, expected {HEAD_RECORD_LEN}", v.len()),
            Some(r) => format!(
                "says seq {} hash {} recorded at {}",
                r.seq, r.hash, r.recorded_at
            ),
        },
    };
    Ok(Some(format!(
        "the head record {problem}, but the chain ends at seq {} hash {} recorded at {}",
        chain.seq, chain.hash, chain.recorded_at
    )))
}

/// The hash of event `seq` (the zero hash for seq 0).
pub fn hash_at(store: &Store, seq: u64) -> Result<Hash> {
    if seq == 0 {
        return Ok(Hash::GENESIS);
    }
    let mut r = ChunkReader::new(store);
    let raw = r.raw(seq)?.ok_or_else(|| missing(seq))?;
    Ok(raw.hash)
}
