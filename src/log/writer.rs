//! The log's chunks being appended, and the Merkle tree over them: nodes
//! inside a chunk are recomputed from its events' hashes; nodes of whole chunks
//! and above are stored, `GROUP` to a value.

use std::cell::RefCell;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use crate::error::{Error, Result};
use crate::format::chain::{Hash, Head};
use crate::format::encoding::RawEnvelope;
use crate::format::keys;
use crate::format::packed::{self, CHUNK, CHUNK_LEVEL, GROUP};
use crate::log::merkle;
use crate::store::{Commit, Space, Store};

/// One chunk being filled: what the store held when the writer began (the
/// commit's precondition) and its content now.
struct Pending {
    chunk: u64,
    stored: Option<Vec<u8>>,
    bytes: Vec<u8>,
}

/// Appends events to the log's chunks. A chunk only grows: the commit
/// applies only if each chunk still holds what it held when read.
pub(crate) struct LogWriter {
    next: u64,
    chunks: Vec<Pending>,
}

impl LogWriter {
    /// A writer of the events after `head`.
    pub(crate) fn resume(store: &Store, head: &Head) -> Result<LogWriter> {
        let next = head.seq + 1;
        let chunk = packed::chunk_of(next);
        let stored = store.get(Space::Log, &keys::chunk(chunk))?;
        let mut held = 0;
        if let Some(bytes) = &stored {
            for e in packed::events(chunk, bytes) {
                e.map_err(|(seq, msg)| Error::Corrupt { seq, msg })?;
                held += 1;
            }
        }
        if held != next - packed::chunk_first(chunk) {
            return Err(Error::Corrupt {
                seq: next,
                msg: format!(
                    "chunk {chunk} holds {held} events, but the head is seq {}; nothing was appended (run `scoreledger verify`)",
                    head.seq
                ),
            });
        }
        Ok(LogWriter {
            next,
            chunks: vec![Pending {
                chunk,
                bytes: stored
                    .clone()
                    .unwrap_or_else(|| packed::new_chunk(&head.hash)),
                stored,
            }],
        })
    }

    /// Appends event `seq`, the next seq, which follows the event hashed `prev`.
    pub(crate) fn push(&mut self, seq: u64, prev: &Hash, entry: &packed::Entry) -> Result<()> {
        if seq != self.next {
            return Err(Error::Invalid(format!(
                "seq {seq} appended where seq {} was next",
                self.next
            )));
        }
        let chunk = packed::chunk_of(seq);
        if self.chunks.last().is_none_or(|p| p.chunk != chunk) {
            self.chunks.push(Pending {
                chunk,
                stored: None,
                bytes: packed::new_chunk(prev),
            });
        }
        let last = self.chunks.last_mut().expect("just pushed");
        packed::push_entry(&mut last.bytes, entry);
        self.next += 1;
        Ok(())
    }

    /// Event `seq` if this writer holds its chunk.
    pub(crate) fn event(&self, seq: u64) -> Option<RawEnvelope<'_>> {
        if seq == 0 || seq >= self.next {
            return None;
        }
        let chunk = packed::chunk_of(seq);
        let p = self.chunks.iter().find(|p| p.chunk == chunk)?;
        let i = (seq - packed::chunk_first(chunk)) as usize;
        packed::events(chunk, &p.bytes).nth(i)?.ok()
    }

    pub(crate) fn commit_into(self, c: &mut Commit) {
        for p in self.chunks {
            if p.stored.as_deref() == Some(p.bytes.as_slice()) {
                continue;
            }
            let key = keys::chunk(p.chunk).to_vec();
            c.expect(Space::Log, key.clone(), p.stored);
            c.put(Space::Log, key, p.bytes);
        }
    }
}

/// The Merkle nodes an append or a rebuild adds.
pub(crate) struct Nodes {
    /// Nodes below a whole chunk, of the chunk being filled.
    low: HashMap<(u8, u64), Hash>,
    /// Groups of stored nodes read or written: (level, group) -> (value, changed).
    groups: BTreeMap<(u8, u64), (Vec<u8>, bool)>,
}

impl Nodes {
    pub(crate) fn fresh() -> Nodes {
        Nodes {
            low: HashMap::default(),
            groups: BTreeMap::new(),
        }
    }

    /// The nodes after `head`: the leaves of a partly filled last chunk are
    /// read back from the log.
    pub(crate) fn resume(store: &Store, head: u64) -> Result<Nodes> {
        let mut n = Nodes::fresh();
        if head.is_multiple_of(CHUNK) {
            return Ok(n);
        }
        let chunk = packed::chunk_of(head);
        let bytes = store
            .get(Space::Log, &keys::chunk(chunk))?
            .unwrap_or_default();
        for e in packed::events(chunk, &bytes) {
            let raw = e.map_err(|(seq, msg)| Error::Corrupt { seq, msg })?;
            n.add_leaf(store, true, raw.seq, &raw.hash)?;
        }
        Ok(n)
    }

    /// A group of stored nodes, read from the store the first time.
    fn group(
        &mut self,
        store: &Store,
        stored: bool,
        level: u8,
        group: u64,
    ) -> Result<&mut (Vec<u8>, bool)> {
        match self.groups.entry((level, group)) {
            std::collections::btree_map::Entry::Occupied(e) => Ok(e.into_mut()),
            std::collections::btree_map::Entry::Vacant(e) => {
                let v = match stored {
                    true => store
                        .get(Space::Derived, &keys::merkle_group(level, group))?
                        .unwrap_or_default(),
                    false => Vec::new(),
                };
                Ok(e.insert((v, false)))
            }
        }
    }

    /// Adds the leaf of event `seq` and every node it completes.
    pub(crate) fn add_leaf(
        &mut self,
        store: &Store,
        stored: bool,
        seq: u64,
        event_hash: &Hash,
    ) -> Result<()> {
        let mut puts: Vec<(u8, u64, Hash)> = Vec::new();
        merkle::append_leaf(
            seq - 1,
            merkle::leaf_hash(event_hash),
            |level, index| {
                if level < CHUNK_LEVEL {
                    return self
                        .low
                        .get(&(level, index))
                        .copied()
                        .ok_or_else(|| format!("missing Merkle node {level}/{index}"));
                }
                let (g, _) = self
                    .group(store, stored, level, index / GROUP)
                    .map_err(|e| e.to_string())?;
                packed::group_node(g, index)
                    .ok_or_else(|| format!("missing Merkle node {level}/{index}"))
            },
            |level, index, h| puts.push((level, index, h)),
        )
        .map_err(|msg| Error::Store {
            path: store.path().to_path_buf(),
            msg,
        })?;
        for (level, index, h) in puts {
            if level < CHUNK_LEVEL {
                self.low.insert((level, index), h);
                continue;
            }
            let g = index / GROUP;
            let (v, changed) = self.group(store, stored, level, g)?;
            if v.len() as u64 != (index % GROUP) * 32 {
                return Err(super::damaged(
                    &keys::merkle_group(level, g),
                    format!("holds {} bytes where node {index} comes next", v.len()),
                ));
            }
            v.extend_from_slice(&h.0);
            *changed = true;
        }
        if seq.is_multiple_of(CHUNK) {
            self.low.clear();
        }
        Ok(())
    }

    /// Moves every full group into `c` (a pass over the whole log): a full
    /// group's nodes are all computed, and so are their parents, so nothing
    /// reads it again.
    pub(crate) fn take_full(&mut self, c: &mut Commit) {
        let full = (GROUP * 32) as usize;
        self.groups.retain(|&(level, g), (v, changed)| {
            if v.len() < full {
                return true;
            }
            if *changed {
                c.put(
                    Space::Derived,
                    keys::merkle_group(level, g).to_vec(),
                    std::mem::take(v),
                );
            }
            false
        });
    }

    pub(crate) fn commit_into(self, c: &mut Commit) {
        for ((level, g), (v, changed)) in self.groups {
            if changed {
                c.put(Space::Derived, keys::merkle_group(level, g).to_vec(), v);
            }
        }
    }
}

/// The Merkle nodes of a store: whole chunks and above from the stored
/// groups, nodes inside a chunk recomputed from its events' hashes.
pub(crate) struct StoredNodes<'a> {
    store: &'a Store,
    /// The leaf hashes of the last chunk read.
    leaves: RefCell<Option<(u64, Vec<Hash>)>>,
}

impl<'a> StoredNodes<'a> {
    pub(crate) fn new(store: &'a Store) -> Self {
        StoredNodes {
            store,
            leaves: RefCell::new(None),
        }
    }

    fn chunk_leaves(&self, chunk: u64) -> std::result::Result<Vec<Hash>, String> {
        if let Some((c, l)) = &*self.leaves.borrow() {
            if *c == chunk {
                return Ok(l.clone());
            }
        }
        let bytes = self
            .store
            .get(Space::Log, &keys::chunk(chunk))
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("chunk {chunk} of the log is missing"))?;
        let mut leaves = Vec::with_capacity(CHUNK as usize);
        for e in packed::events(chunk, &bytes) {
            let raw = e.map_err(|(seq, msg)| format!("seq {seq}: {msg}"))?;
            leaves.push(merkle::leaf_hash(&raw.hash));
        }
        *self.leaves.borrow_mut() = Some((chunk, leaves.clone()));
        Ok(leaves)
    }
}

impl merkle::Nodes for StoredNodes<'_> {
    fn node(&self, level: u8, index: u64) -> std::result::Result<Hash, String> {
        if level >= CHUNK_LEVEL {
            let key = keys::merkle_group(level, index / GROUP);
            let g = self
                .store
                .get(Space::Derived, &key)
                .map_err(|e| e.to_string())?
                .unwrap_or_default();
            return packed::group_node(&g, index).ok_or_else(|| {
                format!(
                    "the Merkle node {level}/{index} is missing or damaged (run `scoreledger rebuild`)"
                )
            });
        }
        let first = index << level;
        let chunk = first / CHUNK;
        let leaves = self.chunk_leaves(chunk)?;
        let lo = (first % CHUNK) as usize;
        let n = 1usize << level;
        let mut layer = leaves
            .get(lo..lo + n)
            .ok_or_else(|| format!("the Merkle node {level}/{index} is beyond the log"))?
            .to_vec();
        while layer.len() > 1 {
            layer = layer
                .chunks_exact(2)
                .map(|p| merkle::node_hash(&p[0], &p[1]))
                .collect();
        }
        Ok(layer[0])
    }
}

/// Events of one append, encoded and in seq order, not yet sealed: the
/// bytes of each one after the other, and where each one's are.
#[derive(Default)]
pub(crate) struct Parcel {
    bytes: Vec<u8>,
    /// (seq, end of its bytes); an event's bytes start where the one
    /// before ends.
    ends: Vec<(u64, usize)>,
}

impl Parcel {
    /// Events a parcel holds before it is sealed.
    pub(crate) const EVENTS: usize = 256;

    /// Adds event `seq` (the next seq), encoded as `bytes`.
    pub(crate) fn push(&mut self, seq: u64, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
        self.ends.push((seq, self.bytes.len()));
    }

    /// The number of events held.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The seq of the last event held (0 when none is).
    pub(crate) fn last_seq(&self) -> u64 {
        self.ends.last().map_or(0, |&(seq, _)| seq)
    }

    /// The events held, with their seqs.
    pub(crate) fn events(&self) -> impl Iterator<Item = (u64, &[u8])> {
        let starts = std::iter::once(0).chain(self.ends.iter().map(|&(_, end)| end));
        starts
            .zip(&self.ends)
            .map(|(start, &(seq, end))| (seq, &self.bytes[start..end]))
    }

    /// The bytes of event `seq`, if this parcel holds it.
    pub(crate) fn event(&self, seq: u64) -> Option<&[u8]> {
        let i = self.ends.binary_search_by_key(&seq, |&(s, _)| s).ok()?;
        let start = match i {
            0 => 0,
            _ => self.ends[i - 1].1,
        };
        Some(&self.bytes[start..self.ends[i].1])
    }
}

/// Seals an append's events in seq order: hashes each one onto the chain,
/// adds its Merkle leaf and the nodes it completes, and writes it into its
/// chunk. It needs nothing of the deriving, so an append may seal on a
/// thread of its own while the next events are checked.
pub(crate) struct Sealer<'s> {
    store: &'s Store,
    /// Whether the Merkle nodes of whole chunks may be read from the store
    /// (as `Deriver`'s `stored`).
    stored: bool,
    nodes: Nodes,
    log: LogWriter,
    hasher: blake3::Hasher,
    recorded_at: crate::model::date::Timestamp,
    prev: Hash,
    /// The hash of each event sealed, in seq order.
    hashes: Vec<Hash>,
}

impl<'s> Sealer<'s> {
    /// A sealer of the events after `head`, all recorded at `recorded_at`,
    /// writing into `log` and `nodes` (which resume at `head`), reading
    /// stored Merkle nodes from `store` when `stored`.
    pub(crate) fn new(
        store: &'s Store,
        stored: bool,
        nodes: Nodes,
        log: LogWriter,
        head: &Head,
        recorded_at: crate::model::date::Timestamp,
    ) -> Self {
        Sealer {
            store,
            stored,
            nodes,
            log,
            hasher: blake3::Hasher::new_derive_key(crate::format::chain::EVENT_CONTEXT),
            recorded_at,
            prev: head.hash,
            hashes: Vec::new(),
        }
    }

    /// Seals every event of `parcel`.
    pub(crate) fn seal(&mut self, parcel: &Parcel) -> Result<()> {
        for (seq, bytes) in parcel.events() {
            let hash = crate::format::chain::event_hash_with(
                &mut self.hasher,
                seq,
                self.recorded_at,
                &self.prev,
                bytes,
            );
            self.nodes.add_leaf(self.store, self.stored, seq, &hash)?;
            let entry = packed::Entry {
                recorded_at: self.recorded_at,
                hash,
                event: bytes,
            };
            self.log.push(seq, &self.prev, &entry)?;
            self.hashes.push(hash);
            self.prev = hash;
        }
        Ok(())
    }

    /// The hashes of the events sealed, in seq order, and the nodes and
    /// chunks they wrote.
    pub(crate) fn finish(self) -> (Vec<Hash>, Nodes, LogWriter) {
        (self.hashes, self.nodes, self.log)
    }
}
