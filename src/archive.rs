//! The archive: appends events to the chain and keeps the derived trees in step.

use std::path::Path;
use std::sync::Arc;

use crate::derived::envelope::decode_raw;
use crate::derived::ledger::Ledger;
use crate::derived::Deriver;
use crate::error::{Error, ErrorKind, Loss, Result};
use crate::format::chain::{event_hash, Hash, Head};
use crate::format::encoding::{self, FORMAT_VERSION};
use crate::format::head_file::ReportedHead;
use crate::format::keys;
use crate::format::packed;
use crate::log::writer::{Parcel, Sealer};
use crate::log::{missing, ChunkReader};
use crate::model::date::Timestamp;
use crate::model::event::Event;
use crate::reported_head::{self, Reported};
use crate::store::{Commit, Space, Store};

/// The store layout this build writes: 1 was one sled tree per index
/// (migrated on open), 2 the packed log and derived trees of
/// `schema/keys.md` before the stage index (given its index when opened),
/// 3 the same with the stage index (`I` entries), 4 with each stage's
/// index header also apart (`J` entries).
pub const LAYOUT: u8 = 4;

/// The layouts whose log is this one's and whose derived entries are
/// derived again when opened: 2 (no `I` entries) and 3 (no `J` entries).
const LAYOUTS_REBUILT: [u8; 2] = [2, 3];

/// One event that an append added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    /// Position of the event in the batch that was passed in.
    pub index: usize,
    /// The seq the event was given.
    pub seq: u64,
    /// The event's hash.
    pub hash: Hash,
    /// The event's kind ([`Event::kind`](crate::model::event::Event::kind)).
    pub kind: &'static str,
}

/// What an append did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppendReport {
    /// The events appended, in batch order.
    pub appended: Vec<Appended>,
    /// Positions (in the batch) of events the archive already held.
    pub already_present: Vec<usize>,
    /// Of those, positions of results whose match was changed since (its
    /// result now differs: corrected, awarded or annulled).
    pub changed_since: Vec<usize>,
    /// The archive's head after the append (the same head when nothing was appended).
    pub head: Option<Head>,
    /// Positions (in the batch) of events refused and left out, with why
    /// ([`Archive::append_skipping_refused`] only).
    pub refused: Vec<(usize, String)>,
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
    ledger: Ledger,
    /// The head the last commit reported (`scoreledger.head`): an append
    /// records its new head there only when it reaches this one, so a
    /// restore that is still short never hides what is missing.
    reported: Option<ReportedHead>,
    /// Refuse (rather than raise to the head's time) a clock before the
    /// head's time, when something would be appended.
    strict_clock: bool,
    /// The last batch of [`Archive::append_overlapped`], being synced.
    syncing: Option<Syncing>,
    /// Why a sync failed: nothing is appended after it, since a later sync
    /// could make the batch reported as failed durable after all.
    sync_failed: Option<String>,
    /// Tests: the syncs of overlapped appends fail without syncing.
    #[cfg(feature = "testing")]
    failing_syncs: bool,
}

/// A batch applied to the store whose sync runs on another thread: it is
/// reported only once [`Archive::wait_durable`] has seen the sync succeed.
struct Syncing {
    job: std::thread::JoinHandle<Synced>,
    head: Head,
    first: u64,
    /// The head the thread records beside the store once the store is
    /// synced; `None` when a head further on was reported before, or when
    /// the check of the reported head found a loss.
    record: Option<ReportedHead>,
    /// The check of the head reported before, made when the batch was
    /// applied (a [`Error::Lost`], or the store failing to read it).
    checked: Result<()>,
}

/// What the thread syncing an overlapped append did.
struct Synced {
    /// The store's sync.
    sync: Result<()>,
    /// The new head's record beside the store (`scoreledger.head`),
    /// written only after the sync succeeded.
    record: Result<()>,
}

impl Drop for Archive {
    /// Waits for an fsync still running, so the store closes after it.
    fn drop(&mut self) {
        if let Some(s) = self.syncing.take() {
            let _ = s.job.join();
        }
    }
}

/// The read side: every question an archive answers is asked of its
/// [`Ledger`] (or of a view of it at a point in transaction time).
impl std::ops::Deref for Archive {
    type Target = Ledger;
    fn deref(&self) -> &Ledger {
        &self.ledger
    }
}

/// An event as it would be stored (cleaned, validated, names spelled as
/// the archive spells them), or `None` when the archive already holds it.
/// Nothing of the derivation changes before this succeeds, so a refused
/// event can be left out and the next one checked.
fn admit(d: &mut Deriver, event: Event) -> Result<Option<Event>> {
    let event = d.canonicalize(event)?;
    Ok((!d.already_present(&event)?).then_some(event))
}

/// Admits `events` (appended after seq `head`) one by one, applies each
/// to `d`, and hands them, encoded, in parcels in seq order to `seal`. The
/// report's hashes are left for the sealer to give.
fn admit_all(
    d: &mut Deriver,
    events: Vec<Event>,
    head: u64,
    skip_refused: bool,
    seal: &mut dyn FnMut(Arc<Parcel>) -> Result<()>,
) -> Result<AppendReport> {
    let mut report = AppendReport::default();
    let mut seq = head;
    let mut bytes = Vec::with_capacity(256);
    for (index, event) in events.into_iter().enumerate() {
        let reject = |e: Error| Error::Rejected {
            index,
            source: Box::new(e),
        };
        let event = match admit(d, event) {
            Ok(Some(event)) => event,
            Ok(None) => {
                report.already_present.push(index);
                if d.present_but_changed() {
                    report.changed_since.push(index);
                }
                continue;
            }
            Err(e) if skip_refused && e.kind() == ErrorKind::Input => {
                report.refused.push((index, e.to_string()));
                continue;
            }
            Err(e) => return Err(reject(e)),
        };
        seq += 1;
        encoding::encode_event_into(&event, &mut bytes);
        let full = d.hold(seq, &bytes);
        d.apply(seq, &event).map_err(reject)?;
        if let Some(parcel) = full {
            seal(parcel)?;
        }
        report.appended.push(Appended {
            index,
            seq,
            hash: Hash::GENESIS,
            kind: event.kind(),
        });
    }
    if let Some(parcel) = d.hand_out() {
        seal(parcel)?;
    }
    Ok(report)
}

/// Runs `admit` with a way to seal the parcels it hands out: on a thread
/// of its own when `apart` (and a thread can be started), so that sealing
/// (hashing, Merkle nodes, chunks) overlaps the checking of the events
/// after; here otherwise. The sealer's error comes first: once the sealing
/// has stopped, the admitting stops at the next parcel it hands out.
fn sealing<'s, T>(
    sealer: Sealer<'s>,
    apart: bool,
    admit: impl FnOnce(&mut dyn FnMut(Arc<Parcel>) -> Result<()>) -> Result<T>,
) -> Result<(T, Sealer<'s>)> {
    if !apart {
        return seal_here(sealer, admit);
    }
    std::thread::scope(|scope| {
        let (give, take) = std::sync::mpsc::sync_channel::<Sealer<'s>>(1);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Arc<Parcel>>(4);
        let worker = std::thread::Builder::new()
            .name("scoreledger-seal".into())
            .spawn_scoped(scope, move || -> Result<Sealer<'s>> {
                let mut sealer = take.recv().map_err(|_| sealing_stopped())?;
                for parcel in rx {
                    sealer.seal(&parcel)?;
                }
                Ok(sealer)
            });
        let Ok(worker) = worker else {
            return seal_here(sealer, admit);
        };
        give.send(sealer).map_err(|_| sealing_stopped())?;
        let out = admit(&mut |p| tx.send(p).map_err(|_| sealing_stopped()));
        drop(tx);
        let sealer = worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
        Ok((out?, sealer))
    })
}

/// [`sealing`] on this thread: each parcel is sealed as it is handed out.
fn seal_here<'s, T>(
    mut sealer: Sealer<'s>,
    admit: impl FnOnce(&mut dyn FnMut(Arc<Parcel>) -> Result<()>) -> Result<T>,
) -> Result<(T, Sealer<'s>)> {
    let out = admit(&mut |p| sealer.seal(&p))?;
    Ok((out, sealer))
}

/// What the admitting gets when the thread sealing its events has stopped
/// (its own error is the one reported).
fn sealing_stopped() -> Error {
    Error::Invalid("the thread sealing the events stopped".into())
}

/// Events per commit when migrating a store of the first layout.
const MIGRATE_BATCH: usize = 20_000;

impl Archive {
    /// Opens the archive at `path`, creating an empty one if there is none.
    /// A store of the first layout (one sled tree per index) is migrated:
    /// its envelopes are copied byte for byte and everything else derived
    /// again, then its trees are dropped.
    pub fn open(path: &Path) -> Result<Archive> {
        Archive::start(Store::open(path)?)
    }

    /// Whether `path` holds a store (without opening it).
    pub fn exists(path: &Path) -> bool {
        Store::exists(path)
    }

    /// Opens the archive at `path`; a path that holds no store is refused
    /// ([`Error::NotFound`]) and nothing is created.
    pub fn open_existing(path: &Path) -> Result<Archive> {
        Archive::start(Store::open_existing(path)?)
    }

    /// [`Archive::open`] (or, without `create`, [`Archive::open_existing`])
    /// for a server, which opens once and answers many questions: sled
    /// keeps more of the store in memory.
    pub fn open_serving(path: &Path, create: bool) -> Result<Archive> {
        Archive::start(Store::open_serving(path, create)?)
    }

    /// Opens an existing archive whose log may have lost events that
    /// commits reported as written, to restore them or to accept the loss:
    /// the [`Loss`], if any, comes with it. Every other open refuses such an
    /// archive with [`Error::Lost`].
    pub fn open_for_restore(path: &Path) -> Result<(Archive, Option<Loss>)> {
        let mut archive = Archive::prepare(Store::open_existing(path)?)?;
        let loss = archive.reconcile_head()?;
        Ok((archive, loss))
    }

    fn start(store: Store) -> Result<Archive> {
        let mut archive = Archive::prepare(store)?;
        match archive.reconcile_head()? {
            None => Ok(archive),
            Some(loss) => Err(Error::Lost {
                path: archive.path().into(),
                loss: Box::new(loss),
            }),
        }
    }

    fn prepare(store: Store) -> Result<Archive> {
        let path = store.path().to_path_buf();
        let path = path.as_path();
        let mut archive = Archive {
            ledger: Ledger::new(store),
            reported: None,
            strict_clock: false,
            syncing: None,
            sync_failed: None,
            #[cfg(feature = "testing")]
            failing_syncs: false,
        };
        let format = archive.ledger.store.get(Space::Log, keys::META_FORMAT)?;
        let layout = archive.ledger.store.get(Space::Log, keys::META_LAYOUT)?;
        match (format, layout) {
            (Some(f), Some(l)) if l.len() == 1 && LAYOUTS_REBUILT.contains(&l[0]) => {
                check_version(path, &f, &[LAYOUT])?;
                archive.derive_to_this_layout()?;
            }
            (Some(f), Some(l)) => check_version(path, &f, &l)?,
            _ if archive.ledger.store.has_legacy() => archive.migrate()?,
            _ => archive.mark_new()?,
        }
        if archive.ledger.store.has_legacy() {
            archive.ledger.store.drop_legacy()?;
        }
        Ok(archive)
    }

    /// Compares the log's head with the head the last commit reported.
    /// A log that went on past it (a commit whose report was cut short)
    /// is recorded; one that ends before it or differs from it is a
    /// [`Loss`]. A store with no record yet gets one.
    fn reconcile_head(&mut self) -> Result<Option<Loss>> {
        let head = self.head()?;
        let found = ReportedHead::of(&head);
        let reported = match reported_head::read(self.path())? {
            Reported::At(r) => r,
            Reported::Absent if head.seq == 0 => return Ok(None),
            Reported::Absent => return self.record_head(found).map(|_| None),
            Reported::Damaged(why) => {
                return Ok(Some(Loss {
                    reported: None,
                    found,
                    damaged: Some(why),
                }))
            }
        };
        self.reported = Some(reported);
        if found == reported {
            return Ok(None);
        }
        if found.seq > reported.seq && self.hash_at(reported.seq)? == reported.hash {
            return self.record_head(found).map(|_| None);
        }
        Ok(Some(Loss {
            reported: Some(reported),
            found,
            damaged: None,
        }))
    }

    /// Writes `head` to the file beside the store, unless a head further
    /// on was reported before (a restore that has not reached it yet).
    fn record_head(&mut self, head: ReportedHead) -> Result<()> {
        let Some(head) = self.to_record(head) else {
            return Ok(());
        };
        reported_head::write(self.ledger.store.path(), &head)?;
        self.reported = Some(head);
        Ok(())
    }

    /// `head`, unless a head further on was reported before (a restore
    /// that has not reached it yet): what [`Archive::record_head`] writes.
    fn to_record(&self, head: ReportedHead) -> Option<ReportedHead> {
        self.reported
            .is_none_or(|r| r.seq <= head.seq)
            .then_some(head)
    }

    /// Settles a loss by keeping what survives: the log's head becomes the
    /// reported head. Returns the seqs given up.
    pub fn accept_loss(&mut self) -> Result<std::ops::RangeInclusive<u64>> {
        self.wait_durable()?;
        let found = ReportedHead::of(&self.head()?);
        let lost = (found.seq + 1)..=self.reported.map_or(0, |r| r.seq);
        self.reported = None;
        self.record_head(found)?;
        Ok(lost)
    }

    /// With `true`, an append stamped before the head's time that would
    /// append anything is refused ([`Error::ClockBehind`]) instead of being
    /// stamped with the head's time: for a clock the user set by hand.
    pub fn strict_clock(&mut self, strict: bool) {
        self.strict_clock = strict;
    }

    /// Closes the archive, then opens and closes it once more. sled 0.34
    /// replays what was written since its last snapshot, and writes a new
    /// one, when a store is opened; after a large append this moves that
    /// cost out of the next command. Best effort: a failure here loses
    /// nothing, and the next open does the same work.
    pub fn settle(self) {
        let path = self.ledger.store.path().to_path_buf();
        drop(self);
        let _ = Archive::open(&path);
    }

    /// Gives a store of an earlier layout of this log (`LAYOUTS_REBUILT`)
    /// the derived entries of this one: every derived entry is derived
    /// again (`rebuild`), then the layout mark says so. A stop in between
    /// does it again at the next open.
    fn derive_to_this_layout(&mut self) -> Result<()> {
        self.rebuild()?;
        let mut c = Commit::default();
        c.put(Space::Log, keys::META_LAYOUT.to_vec(), vec![LAYOUT]);
        self.ledger.store.commit(c)
    }

    fn mark_new(&mut self) -> Result<()> {
        let mut c = Commit::default();
        c.put(Space::Log, keys::META_FORMAT.to_vec(), vec![FORMAT_VERSION]);
        c.put(Space::Log, keys::META_LAYOUT.to_vec(), vec![LAYOUT]);
        self.ledger.store.commit(c)
    }

    /// Copies the events of a first-layout store into the log and derives
    /// the rest. The layout mark is written last, so a migration that is
    /// stopped starts again from nothing the next time.
    fn migrate(&mut self) -> Result<()> {
        let path = self.ledger.store.path().to_path_buf();
        let legacy_meta = self.ledger.store.legacy("meta")?;
        let format = legacy_meta
            .iter()
            .find(|(k, _)| k.as_slice() == b"format")
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| vec![FORMAT_VERSION]);
        check_version(&path, &format, &[LAYOUT])?;
        self.clear_partial_migration()?;
        let events = self.ledger.store.legacy("events")?;
        let mut head = Head::EMPTY;
        for batch in events.chunks(MIGRATE_BATCH) {
            let mut d = Deriver::appending(&self.ledger.store, &head)?;
            for (k, v) in batch {
                let seq = head.seq + 1;
                let refuse = |what: String| {
                    Error::Store {
                    path: path.clone(),
                    msg: format!("cannot migrate: {what}; check it with `scoreledger verify` of the version that wrote it"),
                }
                };
                if k.as_slice() != keys::seq_bytes(seq) {
                    return Err(refuse(format!(
                        "the events tree skips seq {seq} (found key {})",
                        hex::encode(k)
                    )));
                }
                let raw = encoding::split_envelope(v).map_err(|msg| Error::Corrupt { seq, msg })?;
                if raw.seq != seq || raw.prev != head.hash {
                    return Err(refuse(format!(
                        "seq {seq} does not chain to the event before it"
                    )));
                }
                let env = decode_raw(&raw)?;
                d.apply(seq, &env.event)?;
                d.add_leaf(seq, &env.hash)?;
                let entry = packed::Entry {
                    recorded_at: raw.recorded_at,
                    hash: raw.hash,
                    event: raw.event_bytes,
                };
                d.push_event(seq, &head.hash, &entry)?;
                head = Head {
                    seq,
                    hash: env.hash,
                    recorded_at: env.recorded_at,
                };
            }
            let mut c = Commit::default();
            d.commit_into(&mut c)?;
            self.ledger.store.commit(c)?;
        }
        let mut c = Commit::default();
        if head.seq > 0 {
            c.put(Space::Log, keys::META_HEAD.to_vec(), head.record_bytes());
        }
        c.put(Space::Log, keys::META_FORMAT.to_vec(), vec![FORMAT_VERSION]);
        c.put(Space::Log, keys::META_LAYOUT.to_vec(), vec![LAYOUT]);
        self.ledger.store.commit(c)
    }

    /// Removes what a stopped migration wrote (it has no layout mark).
    fn clear_partial_migration(&mut self) -> Result<()> {
        let mut c = Commit::default();
        for space in [Space::Log, Space::Derived] {
            for e in self.ledger.store.iter(space) {
                c.del(space, e?.0);
            }
        }
        self.ledger.store.commit(c)
    }

    /// The head to append after: the log's last entry, refused when the
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
            let mut r = ChunkReader::new(&self.ledger.store);
            let raw = r.raw(head.seq)?.ok_or_else(|| missing(head.seq))?;
            if event_hash(raw.seq, raw.recorded_at, &raw.prev, raw.event_bytes) != raw.hash {
                return Err(Error::Corrupt {
                    seq: head.seq,
                    msg: "the last event's stored hash does not recompute; nothing was appended (run `scoreledger verify`)".into(),
                });
            }
        }
        Ok(head)
    }

    /// Appends a batch of events, all or nothing, and makes it durable
    /// before returning.
    ///
    /// Names are spelled as the archive already spells them (matching is
    /// case- and accent-insensitive). Facts already recorded are skipped and
    /// reported; a result that contradicts a recorded one refuses the whole
    /// batch with [`Error::Rejected`] naming the event's position.
    ///
    /// `recorded_at` is the caller's clock; it is raised to the head's time
    /// if it is earlier, so that `recorded_at` never decreases along the chain.
    pub fn append(&mut self, events: Vec<Event>, recorded_at: Timestamp) -> Result<AppendReport> {
        self.append_events(events, recorded_at, false, false)
    }

    /// [`Archive::append`] (or, with `skip_refused`,
    /// [`Archive::append_skipping_refused`]) for one batch of many, where
    /// making the batch durable overlaps with deriving the next one: the
    /// batch is applied (later reads in this process see it) and written
    /// out, then `fsync`ed on another thread, and the next append, or
    /// [`Archive::wait_durable`], waits for that before it goes on. So an Ok here does not yet
    /// mean durable: a caller reports a batch only after the next call
    /// returned Ok, or after `wait_durable` did. For one writer with no
    /// other reader (an import from the command line); measured on a
    /// 2,001,657-result import, the syncs were 15% of its time.
    pub fn append_overlapped(
        &mut self,
        events: Vec<Event>,
        recorded_at: Timestamp,
        skip_refused: bool,
    ) -> Result<AppendReport> {
        self.append_events(events, recorded_at, skip_refused, true)
    }

    /// Waits until the last batch of [`Archive::append_overlapped`] is
    /// durable, and records its head beside the store. An error means it
    /// may not be: it was not reported, and nothing more is appended.
    pub fn wait_durable(&mut self) -> Result<()> {
        self.no_failed_sync()?;
        let Some(s) = self.syncing.take() else {
            return Ok(());
        };
        let synced = s.job.join().unwrap_or_else(|_| Synced {
            sync: Err(Error::Store {
                path: self.path().into(),
                msg: "the thread syncing the store stopped".into(),
            }),
            record: Ok(()),
        });
        if let Err(e) = synced.sync {
            self.sync_failed = Some(e.to_string());
            return Err(e);
        }
        s.checked?;
        synced
            .record
            .map_err(|e| self.head_not_recorded(s.first, s.head.seq, e))?;
        if s.record.is_some() {
            self.reported = s.record;
        }
        Ok(())
    }

    /// [`Archive::append`], except that an event the archive refuses as
    /// it is checked (a name it cannot store, a result that contradicts a
    /// recorded one, an adjustment of an unknown team ...) is left out and
    /// reported with why in [`AppendReport::refused`], and the rest of the
    /// batch is appended.
    pub fn append_skipping_refused(
        &mut self,
        events: Vec<Event>,
        recorded_at: Timestamp,
    ) -> Result<AppendReport> {
        self.append_events(events, recorded_at, true, false)
    }

    fn append_events(
        &mut self,
        events: Vec<Event>,
        recorded_at: Timestamp,
        skip_refused: bool,
        overlapped: bool,
    ) -> Result<AppendReport> {
        self.no_failed_sync()?;
        self.ledger.catalog = Default::default();
        let head = self.head_for_append()?;
        let given = recorded_at;
        let recorded_at = recorded_at.max(head.recorded_at);
        let mut d = Deriver::appending(&self.ledger.store, &head)?;
        let sealer = d.sealer(&head, recorded_at)?;
        let apart = events.len() > Parcel::EVENTS;
        let (mut report, sealer) = sealing(sealer, apart, |seal| {
            admit_all(&mut d, events, head.seq, skip_refused, seal)
        })?;
        let (hashes, nodes, log) = sealer.finish();
        d.sealed(nodes, log);
        debug_assert_eq!(hashes.len(), report.appended.len());
        for (a, hash) in report.appended.iter_mut().zip(hashes) {
            a.hash = hash;
        }
        let last = report.appended.last();
        let (seq, prev) = last.map_or((head.seq, head.hash), |a| (a.seq, a.hash));
        if report.appended.is_empty() {
            // Nothing to apply, but an Ok still says the batch before is durable.
            self.wait_durable()?;
            report.head = Some(head);
            return Ok(report);
        }
        if self.strict_clock && given < head.recorded_at {
            return Err(Error::ClockBehind {
                given,
                seq: head.seq,
                head: head.recorded_at,
            });
        }
        let new_head = Head {
            seq,
            hash: prev,
            recorded_at,
        };
        let mut c = Commit::default();
        d.commit_into(&mut c)?;
        c.put(
            Space::Log,
            keys::META_HEAD.to_vec(),
            new_head.record_bytes(),
        );
        let first = report.appended.first().map_or(0, |a| a.seq);
        // The batch before, if it is still being synced, is made durable
        // (or found not to be) before this one is applied.
        self.wait_durable()?;
        if overlapped {
            self.ledger.store.apply(c)?;
            // sled is flushed here, on the thread that writes to it: a
            // flush on another thread while this one read (and so, in
            // sled, sometimes wrote) hung for good once the disk was full
            // (sled's flush waited on a buffer nobody wrote). Only the
            // fsyncs, which hold no sled handle, overlap.
            self.ledger.store.write_out()?;
            // The head is recorded on the syncing thread too, right after
            // the sync: its `fdatasync` was 6% of an import's time on the
            // thread that checks the next batch.
            let new = ReportedHead::of(&new_head);
            let checked = self.reported_still_held(new);
            let record = checked.is_ok().then(|| self.to_record(new)).flatten();
            let sync = self.sync_job(record);
            self.syncing = Some(Syncing {
                job: std::thread::spawn(sync),
                head: new_head,
                first,
                record,
                checked,
            });
        } else {
            self.ledger.store.commit(c)?;
            self.record_appended(&new_head, first)?;
        }
        report.head = Some(new_head);
        Ok(report)
    }

    /// Refuses to go on once a sync has failed ([`Archive::wait_durable`]).
    fn no_failed_sync(&self) -> Result<()> {
        match &self.sync_failed {
            None => Ok(()),
            Some(why) => Err(Error::Store {
                path: self.path().into(),
                msg: format!("an earlier commit could not be made durable ({why}); nothing more is appended until the store is opened again"),
            }),
        }
    }

    /// What syncs an overlapped append, on its own thread, and then
    /// records `record` beside the store (never before the sync succeeded).
    fn sync_job(&self, record: Option<ReportedHead>) -> impl FnOnce() -> Synced + Send + 'static {
        let path = self.path().to_path_buf();
        #[cfg(feature = "testing")]
        let fail = self.failing_syncs;
        move || {
            #[cfg(feature = "testing")]
            if fail {
                return Synced {
                    sync: Err(Error::Store {
                        path,
                        msg: "cannot be synced (a failure made by a test)".into(),
                    }),
                    record: Ok(()),
                };
            }
            let sync = crate::store::sync_files(&path);
            let record = match (&sync, record) {
                (Ok(()), Some(head)) => reported_head::write(&path, &head),
                _ => Ok(()),
            };
            Synced { sync, record }
        }
    }

    /// From now on the sync of every [`Archive::append_overlapped`] fails,
    /// without syncing anything: for tests of what is reported then.
    #[cfg(feature = "testing")]
    pub fn fail_syncs(&mut self) {
        self.failing_syncs = true;
    }

    /// Records the head of a durable commit beside the store. A restore
    /// that reaches the reported seq must reach its very event.
    fn record_appended(&mut self, head: &Head, first: u64) -> Result<()> {
        let new = ReportedHead::of(head);
        self.reported_still_held(new)?;
        self.record_head(new)
            .map_err(|e| self.head_not_recorded(first, new.seq, e))
    }

    /// Checks that the log still holds the head reported before, at its
    /// seq, now that it reaches `new`: a [`Error::Lost`] otherwise.
    fn reported_still_held(&self, new: ReportedHead) -> Result<()> {
        let Some(r) = self.reported.filter(|r| r.seq <= new.seq && r.seq > 0) else {
            return Ok(());
        };
        if self.hash_at(r.seq)? == r.hash {
            return Ok(());
        }
        Err(Error::Lost {
            path: self.path().into(),
            loss: Box::new(Loss {
                reported: Some(r),
                found: new,
                damaged: None,
            }),
        })
    }

    /// What appended events `first` to `last` say when their head could
    /// not be written beside the store.
    fn head_not_recorded(&self, first: u64, last: u64, e: Error) -> Error {
        Error::Store {
            path: self.path().into(),
            msg: format!(
                "seq {first} to {last} were appended and are kept, but the head could not be recorded beside the store ({e}); the next open records it"
            ),
        }
    }

    /// What [`Archive::append`] would do with `events`, one after another,
    /// without writing anything: each event as it would be stored (names
    /// spelled as the archive spells them), or `None` where the archive (or
    /// an earlier event of the list) already holds it. A refused event is
    /// [`Error::Rejected`] with its position, as in `append`.
    pub fn dry_run<'e>(
        &self,
        events: impl IntoIterator<Item = &'e Event>,
    ) -> Result<Vec<Option<Event>>> {
        let head = self.head()?;
        let mut d = Deriver::checking(&self.ledger.store, &head)?;
        let mut seq = head.seq;
        let mut out = Vec::new();
        for (index, event) in events.into_iter().enumerate() {
            let reject = |e: Error| Error::Rejected {
                index,
                source: Box::new(e),
            };
            let Some(event) = admit(&mut d, event.clone()).map_err(reject)? else {
                out.push(None);
                continue;
            };
            seq += 1;
            d.apply(seq, &event).map_err(reject)?;
            out.push(Some(event));
        }
        Ok(out)
    }

    /// Recomputes every derived entry from the events alone, without reading
    /// any stored derived value, into a fresh derived tree that replaces the
    /// old one in one commit. Also rewrites the head record from the log.
    pub fn rebuild(&mut self) -> Result<u64> {
        self.rebuild_with(&mut |_, _| {})
    }

    /// [`Archive::rebuild`], calling `progress(done, total)` as events are
    /// derived (every few hundred events).
    pub fn rebuild_with(&mut self, progress: &mut dyn FnMut(u64, u64)) -> Result<u64> {
        self.wait_durable()?;
        self.ledger.catalog = Default::default();
        let (generation, n) = self.ledger.rebuild_generation(progress)?;
        let head = self.head()?;
        let mut log = Vec::new();
        if head.seq > 0 {
            log.push((keys::META_HEAD.to_vec(), head.record_bytes()));
        }
        self.ledger.store.switch_generation(generation, log)?;
        if head.seq == 0 {
            let mut c = Commit::default();
            c.del(Space::Log, keys::META_HEAD.to_vec());
            self.ledger.store.commit(c)?;
        }
        Ok(n)
    }

    /// Replaces what the log stores of event `seq` (its recorded_at, hash
    /// and event bytes, taken from `envelope`) outside any commit. Only for
    /// tests that simulate tampering with the files.
    #[cfg(feature = "testing")]
    pub fn tamper_envelope(&self, seq: u64, envelope: &[u8]) -> Result<()> {
        let c = packed::chunk_of(seq);
        let key = keys::chunk(c);
        let old = self
            .ledger
            .store
            .get(Space::Log, &key)?
            .ok_or_else(|| missing(seq))?;
        let given = encoding::split_envelope(envelope).map_err(Error::Invalid)?;
        let mut new = old[..32].to_vec();
        for e in packed::events(c, &old) {
            let raw = e.map_err(|(seq, msg)| Error::Corrupt { seq, msg })?;
            let r = if raw.seq == seq { &given } else { &raw };
            let entry = packed::Entry {
                recorded_at: r.recorded_at,
                hash: r.hash,
                event: r.event_bytes,
            };
            packed::push_entry(&mut new, &entry);
        }
        self.ledger.store.tamper(Space::Log, &key, &new)
    }
}

/// Refuses a store written by a newer scoreledger.
fn check_version(path: &Path, format: &[u8], layout: &[u8]) -> Result<()> {
    let f = format.first().copied().unwrap_or(0);
    let l = layout.first().copied().unwrap_or(0);
    if f == FORMAT_VERSION && format.len() == 1 && l == LAYOUT && layout.len() == 1 {
        return Ok(());
    }
    let msg = if f > FORMAT_VERSION || l > LAYOUT {
        format!("was written by a newer scoreledger (format {f}, layout {l}; this build knows format {FORMAT_VERSION}, layout {LAYOUT}); upgrade scoreledger")
    } else {
        format!("has unknown format {f}, layout {l}")
    };
    Err(Error::Store {
        path: path.into(),
        msg,
    })
}
