//! The archive: appends events to the chain and keeps the derived trees in step.

use std::path::Path;

use serde::Serialize;

use crate::chain::{event_hash, Hash, Head};
use crate::date::Timestamp;
use crate::derive::Deriver;
use crate::encoding::{self, FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::keys;
use crate::store::{Store, TreeId, Writes, DERIVED_TREES};

/// The layout of the derived trees. A store whose derived trees were written
/// with another layout is rebuilt from its events when opened.
pub const DERIVED_VERSION: u8 = 3;

/// An event with its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Envelope {
    pub seq: u64,
    pub recorded_at: Timestamp,
    pub prev: Hash,
    pub hash: Hash,
    pub event: Event,
}

/// One event that an append added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    /// Position of the event in the batch that was passed in.
    pub index: usize,
    pub seq: u64,
    pub hash: Hash,
    pub kind: &'static str,
}

/// What an append did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppendReport {
    pub appended: Vec<Appended>,
    /// Positions (in the batch) of events the archive already held.
    pub already_present: Vec<usize>,
    pub head: Option<Head>,
}

impl AppendReport {
    /// Counts of appended events by kind, in a stable order.
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        let mut out: Vec<(&'static str, usize)> = Vec::new();
        for a in &self.appended {
            match out.iter_mut().find(|(k, _)| *k == a.kind) {
                Some((_, n)) => *n += 1,
                None => out.push((a.kind, 1)),
            }
        }
        out
    }
}

/// An open archive.
pub struct Archive {
    pub(crate) store: Store,
}

impl Archive {
    /// Opens the archive at `path`, creating an empty one if there is none.
    pub fn open(path: &Path) -> Result<Archive> {
        let store = Store::open(path)?;
        match store.get(TreeId::Meta, keys::META_FORMAT)? {
            Some(v) if v.as_slice() == [FORMAT_VERSION] => {}
            Some(v) => {
                let found = v.first().copied().unwrap_or(0);
                return Err(Error::Store {
                    path: path.into(),
                    msg: if found > FORMAT_VERSION {
                        format!("was written by a newer scoreledger (format {found}; this build knows format {FORMAT_VERSION}); upgrade scoreledger")
                    } else {
                        format!("has unknown format {found}")
                    },
                });
            }
            None => {
                let mut w = store.writes();
                w.put(TreeId::Meta, keys::META_FORMAT, vec![FORMAT_VERSION]);
                w.put(TreeId::Meta, keys::META_DERIVED, vec![DERIVED_VERSION]);
                w.commit()?;
            }
        }
        let mut archive = Archive { store };
        if archive
            .store
            .get(TreeId::Meta, keys::META_DERIVED)?
            .as_deref()
            != Some(&[DERIVED_VERSION][..])
        {
            archive.rebuild()?;
        }
        Ok(archive)
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The latest event (seq 0 and a zero hash when the archive is empty),
    /// read from the last entry of the chain itself.
    pub fn head(&self) -> Result<Head> {
        match self.store.last(TreeId::Events)? {
            None => Ok(Head::EMPTY),
            Some((k, v)) => {
                let seq = k.as_slice().try_into().map(u64::from_be_bytes).unwrap_or(0);
                let raw =
                    encoding::split_envelope(&v).map_err(|msg| Error::Corrupt { seq, msg })?;
                Ok(Head {
                    seq: raw.seq,
                    hash: raw.hash,
                    recorded_at: raw.recorded_at,
                })
            }
        }
    }

    /// Where the head record (`meta/head`, a cache of the chain's last
    /// entry) disagrees with the chain, if it does.
    pub fn head_record_problem(&self) -> Result<Option<String>> {
        let chain = self.head()?;
        let record = self.store.get(TreeId::Meta, keys::META_HEAD)?;
        let problem = match record {
            None if chain.seq == 0 => return Ok(None),
            None => "is missing".to_string(),
            Some(v) if v.as_slice() == head_bytes(&chain).as_slice() => return Ok(None),
            Some(v) if v.len() != 48 => format!("is {} bytes, expected 48", v.len()),
            Some(v) => {
                let r = Head {
                    seq: u64::from_be_bytes(v[..8].try_into().expect("8 bytes")),
                    hash: Hash(v[8..40].try_into().expect("32 bytes")),
                    recorded_at: Timestamp::from_micros(i64::from_be_bytes(
                        v[40..48].try_into().expect("8 bytes"),
                    )),
                };
                format!(
                    "says seq {} hash {} recorded at {}",
                    r.seq, r.hash, r.recorded_at
                )
            }
        };
        Ok(Some(format!(
            "the head record {problem}, but the chain ends at seq {} hash {} recorded at {}",
            chain.seq, chain.hash, chain.recorded_at
        )))
    }

    /// The head to append after: the chain's last entry, refused when the
    /// head record disagrees with it or the entry's own hash does not
    /// recompute (appending after damage would bury it).
    fn head_for_append(&self) -> Result<Head> {
        if let Some(problem) = self.head_record_problem()? {
            return Err(Error::Corrupt {
                seq: self.head()?.seq,
                msg: format!("{problem}; nothing was appended. Run `scoreledger verify` to check the chain, then `scoreledger rebuild` to rewrite the head record from it"),
            });
        }
        let head = self.head()?;
        if head.seq > 0 {
            let v = self
                .store
                .get(TreeId::Events, &keys::seq(head.seq))?
                .unwrap_or_default();
            let raw = encoding::split_envelope(&v)
                .map_err(|msg| Error::Corrupt { seq: head.seq, msg })?;
            if event_hash(raw.seq, raw.recorded_at, &raw.prev, raw.event_bytes) != raw.hash {
                return Err(Error::Corrupt {
                    seq: head.seq,
                    msg: "the last event's stored hash does not recompute; nothing was appended (run `scoreledger verify`)".into(),
                });
            }
        }
        Ok(head)
    }

    /// Appends a batch of events, all or nothing, and flushes before returning.
    ///
    /// Names are spelled as the archive already spells them (matching is
    /// case- and accent-insensitive). Facts already recorded are skipped and
    /// reported; a result that contradicts a recorded one refuses the whole
    /// batch with [`Error::Rejected`] naming the event's position.
    ///
    /// `recorded_at` is the caller's clock; it is raised to the head's time
    /// if it is earlier, so that `recorded_at` never decreases along the chain.
    pub fn append(&mut self, events: Vec<Event>, recorded_at: Timestamp) -> Result<AppendReport> {
        let head = self.head_for_append()?;
        let recorded_at = recorded_at.max(head.recorded_at);
        let mut w = self.store.writes();
        let mut d = Deriver::new(&mut w);
        let mut report = AppendReport::default();
        let (mut seq, mut prev) = (head.seq, head.hash);
        for (index, event) in events.into_iter().enumerate() {
            let reject = |e: Error| Error::Rejected {
                index,
                source: Box::new(e),
            };
            let event = d.canonicalize(event).map_err(reject)?;
            if d.already_present(&event).map_err(reject)? {
                report.already_present.push(index);
                continue;
            }
            seq += 1;
            let bytes = encoding::encode_event(&event);
            let hash = event_hash(seq, recorded_at, &prev, &bytes);
            d.apply(seq, &event).map_err(reject)?;
            d.add_leaf(seq, &hash)?;
            let envelope = encoding::encode_envelope(seq, recorded_at, &prev, &hash, &bytes);
            d.writes_mut()
                .put_new(TreeId::Events, &keys::seq(seq), envelope);
            report.appended.push(Appended {
                index,
                seq,
                hash,
                kind: event.kind(),
            });
            prev = hash;
        }
        if report.appended.is_empty() {
            report.head = Some(head);
            return Ok(report);
        }
        d.reproject()?;
        let new_head = Head {
            seq,
            hash: prev,
            recorded_at,
        };
        d.writes_mut()
            .put(TreeId::Meta, keys::META_HEAD, head_bytes(&new_head));
        w.commit()?;
        report.head = Some(new_head);
        Ok(report)
    }

    /// Recomputes every derived tree from the events alone, in one atomic write.
    pub fn rebuild(&mut self) -> Result<u64> {
        let (mut w, n) = self.derive_all()?;
        w.put(TreeId::Meta, keys::META_DERIVED, vec![DERIVED_VERSION]);
        let head = self.head()?;
        match head.seq {
            0 => w.del(TreeId::Meta, keys::META_HEAD),
            _ => w.put(TreeId::Meta, keys::META_HEAD, head_bytes(&head)),
        }
        w.commit()?;
        Ok(n)
    }

    /// Every derived tree recomputed from the events, as pending writes over
    /// emptied trees (nothing is written until the caller commits).
    pub(crate) fn derive_all(&self) -> Result<(Writes<'_>, u64)> {
        let mut w = self.store.writes();
        for t in DERIVED_TREES {
            w.clear(t);
        }
        let mut n = 0;
        {
            let mut d = Deriver::new(&mut w);
            for env in self.events() {
                let env = env?;
                d.apply(env.seq, &env.event)?;
                d.add_leaf(env.seq, &env.hash)?;
                n += 1;
            }
            d.reproject()?;
        }
        Ok((w, n))
    }

    /// Every event in order, decoded (hashes are not checked here; see `verify`).
    pub fn events(&self) -> impl Iterator<Item = Result<Envelope>> + '_ {
        self.store.iter(TreeId::Events).map(|e| {
            let (k, v) = e?;
            decode_envelope(&k, &v)
        })
    }

    /// One event by seq.
    pub fn event(&self, seq: u64) -> Result<Option<Envelope>> {
        let k = keys::seq(seq);
        self.store
            .get(TreeId::Events, &k)?
            .map(|v| decode_envelope(&k, &v))
            .transpose()
    }

    /// The raw store, for tests that simulate damage.
    #[doc(hidden)]
    pub fn store(&self) -> &Store {
        &self.store
    }
}

fn head_bytes(h: &Head) -> Vec<u8> {
    let mut v = Vec::with_capacity(48);
    v.extend_from_slice(&h.seq.to_be_bytes());
    v.extend_from_slice(&h.hash.0);
    v.extend_from_slice(&h.recorded_at.as_micros().to_be_bytes());
    v
}

pub(crate) fn decode_envelope(key: &[u8], value: &[u8]) -> Result<Envelope> {
    let seq = key.try_into().map(u64::from_be_bytes).unwrap_or(0);
    let corrupt = |msg: String| Error::Corrupt { seq, msg };
    let raw = encoding::split_envelope(value).map_err(corrupt)?;
    let event = encoding::decode_event(raw.event_bytes).map_err(corrupt)?;
    Ok(Envelope {
        seq: raw.seq,
        recorded_at: raw.recorded_at,
        prev: raw.prev,
        hash: raw.hash,
        event,
    })
}
