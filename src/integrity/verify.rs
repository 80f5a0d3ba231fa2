//! Verification: every event re-hashed and re-chained from the first.

use crate::derived::envelope::Envelope;
use crate::derived::index::{Index, IndexProof};
use crate::derived::ledger::Ledger;
use crate::derived::retire::{digest, Retired, Retirement};
use crate::derived::{Deriver, StageInfo};
use crate::error::{Error, Result};
use crate::format::chain::{event_hash_with, Hash};
use crate::format::encoding::{self, RawEnvelope};
use crate::format::keys::{self, Fixture, Keyer, Kind, MatchId};
use crate::format::packed;
use crate::log::missing;
use crate::log::writer::StoredNodes;
use crate::model::date::Timestamp;
use crate::model::event::Event;
use crate::store::{Commit, Generation, Space};

/// A passed verification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events checked: the head's seq.
    pub events: u64,
    /// The head's hash, the last event's.
    pub head: Hash,
}

impl Ledger {
    /// Checks the whole chain: chunks in order with dense seqs from 1, each
    /// event's hash recomputed over the stored bytes and chained to the one
    /// before, each event in canonical form, `recorded_at` never
    /// decreasing, and the head record equal to the last event.
    ///
    /// Fails with [`Error::Corrupt`] naming the first bad seq.
    pub fn verify(&self) -> Result<VerifyReport> {
        self.read_log(true, &mut |_| Ok(true))
    }

    /// [`Ledger::verify`] and [`Ledger::verify_derived`] in one pass: the
    /// chain is checked on a second thread while the events it hands over
    /// are derived on this one. A broken chain is reported first.
    pub fn verify_all(&self) -> Result<VerifyReport> {
        self.verify_all_with(&mut |_, _| {})
    }

    /// [`Ledger::verify_all`], calling `progress(done, total)` as events
    /// are checked and derived (every few hundred events).
    pub fn verify_all_with(&self, progress: &mut dyn FnMut(u64, u64)) -> Result<VerifyReport> {
        self.derive_and_compare(true, progress)
    }

    /// Derives everything from the events (checking the chain when
    /// `check`) and compares it with the stored derived tree. Stages the
    /// stored index says are finished are compared as digests and dropped
    /// as the pass goes (`derived::retire`); if that hint proves wrong, the
    /// pass is redone holding every stage.
    fn derive_and_compare(
        &self,
        check: bool,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<VerifyReport> {
        let mut retired = Retired::default();
        let retirement = Retirement::from_stored_index(&self.store)?;
        let mut keep = |mut c: Commit| {
            retired.add(c.take_puts(Space::Derived));
            Ok(())
        };
        if let Some(((c, _), report)) =
            self.derive_pipelined(check, Some(retirement), &mut keep, progress)?
        {
            self.compare_derived(&c, &retired)?;
            return Ok(report);
        }
        let ((c, _), report) = self.derive_holding_all(check, progress)?;
        self.compare_derived(&c, &Retired::default())?;
        Ok(report)
    }

    /// Every derived entry recomputed from the events into a new
    /// generation of the derived tree (not yet in use), and the number of
    /// events. Stages the stored index says are finished are written as the
    /// pass goes (`derived::retire`); if that hint proves wrong (a damaged
    /// tree is what a rebuild is for), the pass is redone holding every
    /// stage.
    pub(crate) fn rebuild_generation(
        &self,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<(Generation, u64)> {
        let retirement = Retirement::from_stored_index(&self.store).unwrap_or_default();
        let generation = self.store.new_generation()?;
        let mut write = |mut c: Commit| {
            let puts = c.take_puts(Space::Derived);
            self.store.fill_generation(&generation, puts)
        };
        let pass = self.derive_pipelined(false, Some(retirement), &mut write, progress)?;
        let ((mut c, n), generation) = match pass {
            Some((done, _)) => (done, generation),
            None => {
                drop(generation);
                let generation = self.store.new_generation()?;
                (self.derive_holding_all(false, progress)?.0, generation)
            }
        };
        self.store
            .fill_generation(&generation, c.take_puts(Space::Derived))?;
        Ok((generation, n))
    }

    /// [`Ledger::derive_pipelined`] holding every stage to the end.
    pub(crate) fn derive_holding_all(
        &self,
        check: bool,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<((Commit, u64), VerifyReport)> {
        let pass = self.derive_pipelined(check, None, &mut |_| Ok(()), progress)?;
        Ok(pass.expect("a pass that retires nothing cannot break"))
    }

    /// Reads every event of the log in order, checking the chain when
    /// `check`, and hands each chunk's events to `sink` (which returns false
    /// to stop).
    pub(crate) fn read_log(
        &self,
        check: bool,
        sink: &mut dyn FnMut(Vec<Envelope>) -> Result<bool>,
    ) -> Result<VerifyReport> {
        let mut chain = ChainCheck::default();
        let mut scratch = Vec::with_capacity(512);
        let mut hasher = blake3::Hasher::new_derive_key(crate::format::chain::EVENT_CONTEXT);
        self.store
            .for_each(Space::Log, &[Kind::Chunk as u8], |k, v| {
                let expected = chain.count + 1;
                let chunk = keys::chunk_number(k);
                if chunk != Some(packed::chunk_of(expected)) {
                    return Err(Error::Corrupt {
                        seq: expected,
                        msg: format!(
                            "expected chunk {} of the log, found key {}",
                            packed::chunk_of(expected),
                            hex::encode(k)
                        ),
                    });
                }
                let mut out = Vec::with_capacity(packed::CHUNK as usize);
                for e in packed::events(chunk.unwrap_or(0), v) {
                    let seq = chain.count + 1;
                    if out.len() as u64 == packed::CHUNK {
                        return Err(Error::Corrupt {
                            seq,
                            msg: format!(
                                "chunk {} holds more than {} events",
                                packed::chunk_of(seq - 1),
                                packed::CHUNK
                            ),
                        });
                    }
                    let raw = e.map_err(|(seq, msg)| Error::Corrupt { seq, msg })?;
                    let event = if check {
                        chain.next(&raw, &mut hasher, &mut scratch)?
                    } else {
                        chain.count = seq;
                        encoding::decode_event_unchecked(raw.event_bytes)
                            .map_err(|msg| Error::Corrupt { seq, msg })?
                    };
                    out.push(Envelope {
                        seq: raw.seq,
                        recorded_at: raw.recorded_at,
                        prev: raw.prev,
                        hash: raw.hash,
                        event,
                    });
                }
                if (out.len() as u64) < packed::CHUNK {
                    chain.partial = Some(chain.count);
                }
                sink(out)
            })?;
        let count = chain.count;
        if check {
            if let Some(problem) = self.head_record_problem()? {
                return Err(Error::Corrupt {
                    seq: count,
                    msg: format!("{problem} (run `scoreledger rebuild` to rewrite the head record from the chain)"),
                });
            }
        }
        Ok(VerifyReport {
            events: count,
            head: chain.prev,
        })
    }

    /// Every derived entry recomputed from the events: the log is read (and
    /// its chain checked, when `check`) on a second thread while this one
    /// derives. A broken log is reported before a derivation error. With a
    /// `retirement`, finished stages are handed to `retired` as commits
    /// along the way, and `None` means a retired stage was needed again
    /// (redo the pass without one).
    pub(crate) fn derive_pipelined(
        &self,
        check: bool,
        retirement: Option<Retirement>,
        retired: &mut dyn FnMut(Commit) -> Result<()>,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Option<((Commit, u64), VerifyReport)>> {
        let total = self.head()?.seq;
        std::thread::scope(|scope| {
            // Room for a few thousand events: the deriving thread writes
            // finished stages in bursts, and a reader that waits for it then
            // is time lost (a channel of 4 batches kept the reader waiting
            // for 0.7 of a 2.4 s rebuild at 2M events).
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(32);
            // Batches come back to be dropped where they were made: a free
            // on another thread cost the deriving thread 8% of its time.
            let (back_tx, back) = std::sync::mpsc::channel::<Batch>();
            let reader = scope.spawn(move || {
                let mut keyer = (!check).then(Keyer::default);
                let mut out = Batch::default();
                let report = self.read_log(check, &mut |events| {
                    out.add(events, keyer.as_mut());
                    // Hand over a few hundred events at a time: fewer wake-ups.
                    if out.events.len() >= 512 {
                        back.try_iter().for_each(drop);
                        return Ok(tx.send(std::mem::take(&mut out)).is_ok());
                    }
                    Ok(true)
                })?;
                if !out.events.is_empty() {
                    let _ = tx.send(out);
                }
                Ok::<_, Error>(report)
            });
            let mut d = Deriver::rebuilding(&self.store);
            if let Some(r) = retirement {
                d = d.retiring(r);
            }
            let (mut n, mut failed) = (0u64, None);
            let mut out = Commit::default();
            for batch in &rx {
                if failed.is_some() {
                    continue;
                }
                if let Err(e) = batch.apply(&mut d, &mut n, &mut out) {
                    failed = Some(e);
                }
                let _ = back_tx.send(batch);
                if d.retirement_broken() {
                    // The pass is redone, reading the log again: stop this
                    // one (the reader stops when its next batch has no taker).
                    break;
                }
                if failed.is_none() && out.len() >= 1024 {
                    failed = retired(std::mem::take(&mut out)).err();
                }
                progress(n, total);
            }
            drop(rx);
            let report = reader.join().map_err(|_| Error::Store {
                path: self.store.path().into(),
                msg: "the thread reading the log stopped".into(),
            });
            if d.retirement_broken() {
                // What the reader found is found again by the second pass.
                return Ok(None);
            }
            let report = report??;
            if let Some(e) = failed {
                return Err(e);
            }
            if !out.is_empty() {
                retired(out)?;
            }
            let mut c = Commit::default();
            d.commit_into(&mut c)?;
            Ok(Some(((c, n), report)))
        })
    }
}

/// Events read from the log, with the match id of each result when the
/// thread reading the log computes them: in a rebuild, where it has time to
/// spare. Measured at 2M events: of a rebuild's samples the deriving thread
/// had 59% and the reader 36%, and moving the ids over took its pass from
/// 1.88 to 1.75 s; a verify's reader also recomputes the chain's hashes
/// (56% to 44%), and the ids would make it the busier one. The Merkle nodes
/// stay with the deriving thread: moved over too, they made the reader the
/// busier one in a rebuild as well.
#[derive(Default)]
struct Batch {
    events: Vec<Envelope>,
    /// The match id of each event, None for the other kinds; empty when the
    /// deriving thread computes them.
    ids: Vec<Option<MatchId>>,
}

impl Batch {
    /// Adds `events` (the next ones of the log), with their ids when
    /// `keyer` is given.
    fn add(&mut self, events: Vec<Envelope>, keyer: Option<&mut Keyer>) {
        if let Some(k) = keyer {
            self.ids.extend(events.iter().map(|env| match &env.event {
                Event::MatchResult(m) => Some(k.match_id(&Fixture::of(m))),
                _ => None,
            }));
        }
        self.events.extend(events);
    }

    /// Derives the batch's events, counting them in `n`, handing finished
    /// stages to `out`.
    fn apply(&self, d: &mut Deriver, n: &mut u64, out: &mut Commit) -> Result<()> {
        for (i, env) in self.events.iter().enumerate() {
            match self.ids.get(i).copied().flatten() {
                Some(id) => d.apply_with_id(env.seq, &env.event, id)?,
                None => d.apply(env.seq, &env.event)?,
            }
            d.add_leaf(env.seq, &env.hash)?;
            *n += 1;
            d.retire_through(*n, out);
        }
        Ok(())
    }
}

/// A derived value a pass expects: in full, or as the digest kept of a
/// retired stage's value.
enum Value<'a> {
    Full(&'a [u8]),
    Digest(&'a [u8; 16]),
}

impl Value<'_> {
    fn is(&self, stored: &[u8]) -> bool {
        match self {
            Value::Full(v) => *v == stored,
            Value::Digest(d) => **d == digest(stored),
        }
    }
}

/// The entries a pass expects, in key order: the final commit's and the
/// retired ones' (no key is in both).
struct Expected<'a> {
    full: Entries<'a, [u8]>,
    retired: Entries<'a, [u8; 16]>,
}

/// Keys in order with a value or a digest.
type Entries<'a, V> = std::iter::Peekable<Box<dyn Iterator<Item = (&'a [u8], &'a V)> + 'a>>;

impl<'a> Expected<'a> {
    fn new(c: &'a Commit, retired: &'a Retired) -> Expected<'a> {
        let full: Box<dyn Iterator<Item = _>> = Box::new(c.puts(Space::Derived));
        let retired: Box<dyn Iterator<Item = _>> = Box::new(retired.iter());
        Expected {
            full: full.peekable(),
            retired: retired.peekable(),
        }
    }
}

impl<'a> Iterator for Expected<'a> {
    type Item = (&'a [u8], Value<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let full_first = match (self.full.peek(), self.retired.peek()) {
            (Some((a, _)), Some((b, _))) => a < b,
            (a, _) => a.is_some(),
        };
        match full_first {
            true => self.full.next().map(|(k, v)| (k, Value::Full(v))),
            false => self.retired.next().map(|(k, d)| (k, Value::Digest(d))),
        }
    }
}

/// The running state of a chain check.
struct ChainCheck {
    count: u64,
    prev: Hash,
    last_time: Timestamp,
    /// A chunk that ended before it was full (only the last may).
    partial: Option<u64>,
}

impl Default for ChainCheck {
    fn default() -> Self {
        ChainCheck {
            count: 0,
            prev: Hash::GENESIS,
            last_time: Timestamp::MIN,
            partial: None,
        }
    }
}

impl ChainCheck {
    /// Checks the next envelope of the chain.
    fn next(
        &mut self,
        raw: &RawEnvelope,
        hasher: &mut blake3::Hasher,
        scratch: &mut Vec<u8>,
    ) -> Result<crate::model::event::Event> {
        let expected = self.count + 1;
        let corrupt = |msg: String| Error::Corrupt { seq: expected, msg };
        if let Some(p) = self.partial {
            return Err(corrupt(format!(
                "chunk {} ends after seq {p}, but later events follow",
                packed::chunk_of(p)
            )));
        }
        if raw.seq != expected {
            return Err(corrupt(format!("the log holds seq {} here", raw.seq)));
        }
        if raw.prev != self.prev {
            return Err(corrupt(format!(
                "prev hash {} does not match the hash of seq {} ({})",
                raw.prev,
                expected - 1,
                self.prev
            )));
        }
        let hash = event_hash_with(hasher, raw.seq, raw.recorded_at, &raw.prev, raw.event_bytes);
        if hash != raw.hash {
            return Err(corrupt(format!(
                "stored hash {} does not match the recomputed hash {hash}",
                raw.hash
            )));
        }
        let event = encoding::decode_event_with(raw.event_bytes, scratch)
            .map_err(|e| corrupt(format!("event does not decode: {e}")))?;
        if raw.recorded_at < self.last_time {
            return Err(corrupt(format!(
                "recorded_at {} is earlier than the previous event's {}",
                raw.recorded_at, self.last_time
            )));
        }
        self.last_time = raw.recorded_at;
        self.prev = hash;
        self.count = expected;
        Ok(event)
    }
}

fn merkle_err(msg: String) -> Error {
    Error::Mismatch {
        tree: "merkle",
        key: String::new(),
        msg,
    }
}

/// True when the checkpoint's frontier (complete subtrees, left to right)
/// covers its size and hashes to its root.
fn frontier_makes_root(cp: &crate::integrity::checkpoint::Checkpoint) -> bool {
    let covered: u64 = cp.frontier.iter().map(|(_, n, _)| n).sum();
    let mut hashes = cp.frontier.iter().rev().map(|(_, _, h)| *h);
    let Some(mut acc) = hashes.next() else {
        return false;
    };
    for left in hashes {
        acc = crate::log::merkle::node_hash(&left, &acc);
    }
    covered == cp.size && acc == cp.root
}

/// Where a changed archive first departs from a checkpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Divergence {
    /// The first seq of the first complete subtree that differs.
    pub first_seq: u64,
    /// Its last seq; equal to `first_seq` when the position is exact.
    pub last_seq: u64,
}

impl Ledger {
    /// The Merkle root of the first `size` events.
    pub fn merkle_root(&self, size: u64) -> Result<Hash> {
        crate::log::merkle::root(&StoredNodes::new(&self.store), size).map_err(merkle_err)
    }

    /// The consistency proof from the tree of the first `old` events to the
    /// tree of the first `new` events (RFC 6962 PROOF).
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>> {
        crate::log::merkle::consistency_proof(&StoredNodes::new(&self.store), old, new)
            .map_err(merkle_err)
    }

    /// A checkpoint of the archive as it is now.
    pub fn checkpoint(&self, origin: &str) -> Result<crate::integrity::checkpoint::Checkpoint> {
        let size = self.head()?.seq;
        let nodes = StoredNodes::new(&self.store);
        let mut frontier = Vec::new();
        for (lo, n) in crate::log::merkle::frontier(size) {
            frontier.push((
                lo,
                n,
                crate::log::merkle::root_of(&nodes, lo, n).map_err(merkle_err)?,
            ));
        }
        Ok(crate::integrity::checkpoint::Checkpoint {
            origin: origin.to_string(),
            size,
            root: self.merkle_root(size)?,
            index: Some(self.index_root(size)?),
            frontier,
        })
    }

    /// The stage index of the first `size` events (`schema/index.md`),
    /// from the stored lists.
    pub fn stage_index(&self, size: u64) -> Result<Index> {
        let head = self.head()?.seq;
        if size > head {
            return Err(Error::Invalid(format!(
                "the archive has {head} events, not {size}"
            )));
        }
        crate::derived::stage_index(&self.store, size)
    }

    /// The root of the stage index of the first `size` events.
    pub fn index_root(&self, size: u64) -> Result<Hash> {
        let head = self.head()?.seq;
        if size > head {
            return Err(Error::Invalid(format!(
                "the archive has {head} events, not {size}"
            )));
        }
        crate::derived::stage_index_root(&self.store, size)
    }

    /// A stage's list in the index of the first `size` events, with its
    /// proof against the index root.
    pub fn index_proof(&self, info: &StageInfo, size: u64) -> Result<IndexProof> {
        self.index_proof_and_root(info, size)
            .map(|(proof, _)| proof)
    }

    /// [`Ledger::index_proof`] and the index root, from one reading of the
    /// index's leaves.
    pub fn index_proof_and_root(&self, info: &StageInfo, size: u64) -> Result<(IndexProof, Hash)> {
        let key = Hash(keys::stage_index_key(
            &info.competition,
            &info.season,
            &info.stage,
        ));
        let head = self.head()?.seq;
        if size > head {
            return Err(Error::Invalid(format!(
                "the archive has {head} events, not {size}"
            )));
        }
        let (proof, root) = crate::derived::stage_index_proof(&self.store, size, &key)?;
        let proof = proof.ok_or_else(|| {
            Error::NotFound(format!(
                "{} {} {} is not in the stage index at size {size}",
                info.competition, info.season, info.stage
            ))
        })?;
        Ok((proof, root))
    }

    /// The root of the stage index after `events` (the next ones, in
    /// order) were appended, without appending them: what a mirror checks
    /// a source's signed checkpoint against before it keeps anything.
    pub fn index_root_after<'e>(
        &self,
        events: impl IntoIterator<Item = &'e Envelope>,
    ) -> Result<Hash> {
        let head = self.head()?;
        let mut d = Deriver::checking(&self.store, &head)?;
        let mut size = head.seq;
        for e in events {
            size += 1;
            if e.seq != size {
                return Err(Error::Invalid(format!(
                    "seq {} does not follow seq {}",
                    e.seq,
                    size - 1
                )));
            }
            d.apply(e.seq, &e.event)?;
        }
        let mut c = Commit::default();
        d.commit_into(&mut c)?;
        let overlay = crate::derived::Overlay::new(&self.store, &c);
        crate::derived::stage_index_root(&overlay, size)
    }

    /// An inclusion proof of event `seq` in the tree of the first `size` events.
    pub fn prove(
        &self,
        seq: u64,
        size: u64,
    ) -> Result<crate::integrity::checkpoint::InclusionProof> {
        let head = self.head()?.seq;
        if size > head {
            return Err(Error::Invalid(format!(
                "the checkpoint is for {size} events; the archive has {head}"
            )));
        }
        if seq == 0 || seq > size {
            return Err(Error::Invalid(format!(
                "seq {seq} is not among the first {size} events"
            )));
        }
        let envelope = self.envelope_bytes(seq)?.ok_or_else(|| missing(seq))?;
        let raw = encoding::split_envelope(&envelope).map_err(|msg| Error::Corrupt { seq, msg })?;
        let path =
            crate::log::merkle::inclusion_proof(&StoredNodes::new(&self.store), seq - 1, size)
                .map_err(merkle_err)?;
        Ok(crate::integrity::checkpoint::InclusionProof::new(
            size, seq, raw.hash, &envelope, &path,
        ))
    }

    /// Recomputes every derived tree (indexes, snapshots, Merkle nodes) from
    /// the events and compares it with what is stored; the first difference
    /// is named by tree and key.
    pub fn verify_derived(&self) -> Result<()> {
        self.derive_and_compare(false, &mut |_, _| {}).map(|_| ())
    }

    /// Compares the stored derived entries with `c`'s puts, naming the first
    /// difference by kind and key.
    fn compare_derived(&self, c: &Commit, retired: &Retired) -> Result<()> {
        let mut expected = Expected::new(c, retired);
        let mut stored = self.store.iter(Space::Derived);
        loop {
            let (e, s) = (expected.next(), stored.next().transpose()?);
            let (key, msg) = match (e, s) {
                (None, None) => return Ok(()),
                (Some((ek, ev)), Some((sk, sv))) if ek == sk.as_slice() => {
                    if ev.is(&sv) {
                        continue;
                    }
                    (
                        sk,
                        "the stored value differs from the one recomputed from the events",
                    )
                }
                (Some((ek, _)), Some((sk, _))) if ek < sk.as_slice() => {
                    (ek.to_vec(), "missing: the events say it should exist")
                }
                (Some(_), Some((sk, _))) | (None, Some((sk, _))) => {
                    (sk, "unexpected: no event accounts for it")
                }
                (Some((ek, _)), None) => (ek.to_vec(), "missing: the events say it should exist"),
            };
            return Err(Error::Mismatch {
                tree: Kind::of(&key).map(Kind::name).unwrap_or("derived"),
                key: hex::encode(key),
                msg: msg.into(),
            });
        }
    }

    /// Checks that the archive is an append-only extension of a checkpoint:
    /// the root of its first `size` events equals the checkpoint's, and a
    /// consistency proof from that size to the head verifies. On failure,
    /// names where the archive first departs from it, as closely as the
    /// checkpoint's frontier allows.
    pub fn verify_checkpoint(&self, cp: &crate::integrity::checkpoint::Checkpoint) -> Result<()> {
        self.verify_checkpoint_with(cp, &mut || self.index_root(cp.size))
    }

    /// [`Ledger::verify_checkpoint`], with the archive's index root at the
    /// checkpoint's size given by `index_root` (called only when the
    /// checkpoint has an index line, once its tree has been checked).
    pub(crate) fn verify_checkpoint_with(
        &self,
        cp: &crate::integrity::checkpoint::Checkpoint,
        index_root: &mut dyn FnMut() -> Result<Hash>,
    ) -> Result<()> {
        let head = self.head()?.seq;
        if cp.size > head {
            return Err(Error::Corrupt {
                seq: head + 1,
                msg: format!("the checkpoint '{}' covers {} events but the archive has only {head}: events were removed", cp.origin, cp.size),
            });
        }
        let old_root = self.merkle_root(cp.size)?;
        if old_root != cp.root {
            if !frontier_makes_root(cp) {
                return Err(Error::Corrupt {
                    seq: 1,
                    msg: format!(
                        "not an append-only extension of checkpoint '{}' (size {}): its root differs from the archive's, and its frontier lines do not make its root, so where they part cannot be told (was the checkpoint file edited?)",
                        cp.origin, cp.size
                    ),
                });
            }
            let d = self.divergence(cp)?;
            let where_ = if d.first_seq == d.last_seq {
                format!("seq {} differs from the checkpoint", d.first_seq)
            } else {
                format!("the first difference is within seqs {}..{} (events before {} match the checkpoint)", d.first_seq, d.last_seq, d.first_seq)
            };
            return Err(Error::Corrupt {
                seq: d.first_seq,
                msg: format!(
                    "not an append-only extension of checkpoint '{}' (size {}): {where_}",
                    cp.origin, cp.size
                ),
            });
        }
        check_index_line(cp, index_root)?;
        if cp.size == 0 {
            return Ok(());
        }
        let proof = self.consistency_proof(cp.size, head)?;
        let new_root = self.merkle_root(head)?;
        crate::log::merkle::verify_consistency(cp.size, head, &cp.root, &new_root, &proof).map_err(
            |msg| Error::Corrupt {
                seq: cp.size,
                msg: format!("consistency proof failed: {msg}"),
            },
        )
    }

    /// The first complete subtree of the checkpoint's frontier that the
    /// archive does not match (the whole range when there is no frontier).
    pub fn divergence(&self, cp: &crate::integrity::checkpoint::Checkpoint) -> Result<Divergence> {
        let nodes = StoredNodes::new(&self.store);
        for (lo, n, h) in &cp.frontier {
            if lo + n > cp.size {
                break;
            }
            if crate::log::merkle::root_of(&nodes, *lo, *n).map_err(merkle_err)? != *h {
                return Ok(Divergence {
                    first_seq: lo + 1,
                    last_seq: lo + n,
                });
            }
        }
        Ok(Divergence {
            first_seq: 1,
            last_seq: cp.size,
        })
    }
}

/// A checkpoint's index line, if it has one, must be the root of the
/// stage index recomputed from the archive's first `size` events (given by
/// `ours`): its construction is checked, never trusted.
fn check_index_line(
    cp: &crate::integrity::checkpoint::Checkpoint,
    ours: &mut dyn FnMut() -> Result<Hash>,
) -> Result<()> {
    let Some(claimed) = cp.index else {
        return Ok(());
    };
    let ours = ours()?;
    if claimed != ours {
        return Err(Error::Failed(format!(
            "checkpoint '{}' (size {}): its index line {} is not the stage index of those events ({}): the checkpoint is false; refused",
            cp.origin,
            cp.size,
            crate::format::chain::b64(&claimed),
            crate::format::chain::b64(&ours)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::archive::Archive;
    use crate::derived::retire::Retirement;
    use crate::format::keys::Kind;
    use crate::model::date::{Date, Timestamp};
    use crate::model::event::{Event, Fixture, MatchResult};
    use crate::store::{Commit, Space};

    fn result(season: &str, stage: &str, n: u8) -> Event {
        let teams = ["A", "B", "C", "D"];
        Event::MatchResult(MatchResult::new(
            Fixture {
                competition: "League",
                season,
                stage,
                round: Some(1),
                date: Date::from_ymd(2001, 1, 1 + n).unwrap(),
                home: teams[usize::from(n) % 4],
                away: teams[(usize::from(n) + 1) % 4],
            },
            n.into(),
            0,
        ))
    }

    /// Stage entries (`S`) among a commit's puts.
    fn stages_in(c: &Commit) -> usize {
        c.puts(Space::Derived)
            .filter(|(k, _)| k[0] == Kind::Stage as u8)
            .count()
    }

    #[test]
    fn a_pass_hands_out_each_stage_when_the_stored_index_says_it_ended() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = Archive::open(&dir.path().join("db")).unwrap();
        let at = Timestamp::parse_rfc3339("2026-12-06T12:00:00Z").unwrap();
        for season in ["2001", "2002", "2003"] {
            let events = (0..6)
                .map(|n| result(season, ["North", "South"][usize::from(n) % 2], n))
                .collect();
            a.append(events, at).unwrap();
        }
        // Facts naming a winner read a season's team list after its last
        // result: the hint must keep the list until then.
        let facts = Event::SeasonFacts(crate::model::event::SeasonFacts {
            competition: "League".into(),
            season: "2001".into(),
            winners: Some("A".into()),
            top_scorers: Vec::new(),
            top_scorer_goals: None,
            previous_season: None,
            next_season: None,
            other: Vec::new(),
        });
        a.append(vec![facts], at).unwrap();
        let mut handed_out = 0;
        let mut sink = |c: Commit| {
            handed_out += stages_in(&c);
            Ok(())
        };
        let retirement = Retirement::from_stored_index(a.store()).unwrap();
        let pass = a.derive_pipelined(true, Some(retirement), &mut sink, &mut |_, _| {});
        let ((last, n), _) = pass.unwrap().expect("the hints are right");
        assert_eq!(n, 19);
        // Every stage was handed out as its last event was applied: the
        // final commit holds none.
        assert_eq!((handed_out, stages_in(&last)), (6, 0));
    }
}
