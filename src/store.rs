//! The only module that touches sled: two trees, reads, and atomic, durable
//! commits.
//!
//! - `log` holds what is not derived: the store's meta records and the
//!   chunks of event envelopes (the source of truth).
//! - `derived.N` holds everything recomputed from the events (the index by
//!   stage, date and round, names, Merkle nodes, ...). `N` is the generation
//!   named by the log's `M derived` record: `rebuild` writes a fresh
//!   generation without reading the old one, switches to it in one commit,
//!   and then drops the old one (best effort), so even a derived value that
//!   sled can no longer read never stops a rebuild.
//!
//! A [`Commit`] is applied in one sled transaction over both trees, checking
//! its preconditions (a key absent, or holding exactly the bytes read
//! before) inside the transaction, then flushed and `fsync`ed.

use std::collections::BTreeMap;
use std::mem::ManuallyDrop;
use std::path::{Path, PathBuf};

use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use crate::error::{Error, Result};

/// Which tree of the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Space {
    /// Meta records and event chunks: never recomputed.
    Log,
    /// Everything `rebuild` recomputes from the events.
    Derived,
}

impl Space {
    /// The space's name in messages: `log` or `derived`.
    pub fn name(self) -> &'static str {
        match self {
            Space::Log => "log",
            Space::Derived => "derived",
        }
    }
}

pub(crate) type Entry = (Vec<u8>, Vec<u8>);

/// sled's page cache (its default is 1 GiB). The store's values are few and
/// large, so a small cache holds what a question reads.
const CACHE_BYTES: u64 = 32 << 20;

/// sled's page cache for a server, which opens once and answers many
/// questions: the stages asked for stay in memory. Measured at 10M events
/// (2,000 random division-seasons, 16 clients): 9,100 standings a second
/// with 32 MiB, 11,100 with 128 MiB, 13,400 with 256 MiB, whose process
/// peaked at 143 MiB.
const SERVE_CACHE_BYTES: u64 = 256 << 20;

/// The lock file beside sled's own files.
pub(crate) const LOCK_FILE: &str = "scoreledger.lock";

const LOG_TREE: &str = "log";
/// The log record naming the current derived generation (`u64` BE).
const GENERATION_KEY: &[u8] = b"Mderived-tree";

/// Trees of the first layout (format 1, one tree per index), read only to
/// migrate them.
pub(crate) const LEGACY_TREES: [&str; 13] = [
    "events",
    "matches",
    "by_date",
    "snapshots",
    "stages",
    "rules",
    "teams",
    "facts",
    "names",
    "meta",
    "adjustments",
    "renames",
    "merkle",
];

/// An open store.
pub struct Store {
    // Dropped by hand, before the lock, in `Drop for Store`.
    db: ManuallyDrop<sled::Db>,
    log: ManuallyDrop<sled::Tree>,
    derived: ManuallyDrop<sled::Tree>,
    generation: u64,
    path: PathBuf,
    /// Held (an exclusive `flock`) for as long as the store is open, so that
    /// the clean-up before sled opens never races another process's open.
    _lock: std::fs::File,
}

impl Store {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, true, CACHE_BYTES)
    }

    /// [`Store::open`] (or, without `create`, [`Store::open_existing`])
    /// for a server: a larger page cache.
    pub fn open_serving(path: &Path, create: bool) -> Result<Store> {
        Store::open_with(path, create, SERVE_CACHE_BYTES)
    }

    /// True when `path` holds sled's files (a store, or one being made).
    pub fn exists(path: &Path) -> bool {
        path.join("db").is_file() && path.join("conf").is_file()
    }

    /// Opens the store at `path`, refusing (and creating nothing) when the
    /// path holds no store.
    pub fn open_existing(path: &Path) -> Result<Store> {
        Store::open_with(path, false, CACHE_BYTES)
    }

    fn open_with(path: &Path, create: bool, cache_bytes: u64) -> Result<Store> {
        if path.is_file() {
            return Err(Error::Invalid(format!(
                "store {} is a file, not a scoreledger store (a directory)",
                path.display()
            )));
        }
        let io_err = |e: std::io::Error| io_error(path, "cannot be opened", e);
        if create {
            std::fs::create_dir_all(path).map_err(io_err)?;
        } else if !Store::exists(path) {
            return Err(no_store(path));
        }
        let lock = lock(path)?;
        remove_unfinished_snapshots(path).map_err(io_err)?;
        let db = open_sled(path, cache_bytes)?;
        let err = |e| sled_error(path, e);
        let names = db.tree_names();
        let known = |n: &str| names.iter().any(|t| t.as_ref() == n.as_bytes());
        if !create && !known(LOG_TREE) && !known("events") {
            return Err(no_store(path));
        }
        let log = db.open_tree(LOG_TREE).map_err(err)?;
        let generation = match log.get(GENERATION_KEY).map_err(err)? {
            Some(v) if v.len() == 8 => u64::from_be_bytes(v.as_ref().try_into().expect("8")),
            _ => 1,
        };
        let derived = db.open_tree(format!("derived.{generation}")).map_err(err)?;
        Ok(Store {
            db: ManuallyDrop::new(db),
            log: ManuallyDrop::new(log),
            derived: ManuallyDrop::new(derived),
            generation,
            path: path.into(),
            _lock: lock,
        })
    }

    /// The store's folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn tree(&self, s: Space) -> &sled::Tree {
        match s {
            Space::Log => &self.log,
            Space::Derived => &self.derived,
        }
    }

    fn err(&self, e: sled::Error) -> Error {
        sled_error(&self.path, e)
    }

    /// The value of `key` in space `s`, if any.
    pub fn get(&self, s: Space, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.tree(s)
            .get(key)
            .map(|v| v.map(|v| v.to_vec()))
            .map_err(|e| self.err(e))
    }

    /// Entries whose keys start with `prefix`, in key order.
    pub fn scan_prefix(
        &self,
        s: Space,
        prefix: &[u8],
    ) -> impl DoubleEndedIterator<Item = Result<Entry>> + '_ {
        self.tree(s).scan_prefix(prefix).map(move |r| {
            r.map(|(k, v)| (k.to_vec(), v.to_vec()))
                .map_err(|e| self.err(e))
        })
    }

    /// The last entry whose key starts with `prefix`.
    pub fn last_with_prefix(&self, s: Space, prefix: &[u8]) -> Result<Option<Entry>> {
        self.scan_prefix(s, prefix).next_back().transpose()
    }

    /// Every entry of a tree, in key order.
    pub fn iter(&self, s: Space) -> impl DoubleEndedIterator<Item = Result<Entry>> + '_ {
        self.tree(s).iter().map(move |r| {
            r.map(|(k, v)| (k.to_vec(), v.to_vec()))
                .map_err(|e| self.err(e))
        })
    }

    /// Calls `f` on every entry under `prefix` in key order, without copying
    /// them out of sled; stops early when `f` returns `Ok(false)`.
    pub fn for_each(
        &self,
        s: Space,
        prefix: &[u8],
        mut f: impl FnMut(&[u8], &[u8]) -> Result<bool>,
    ) -> Result<()> {
        for r in self.tree(s).scan_prefix(prefix) {
            let (k, v) = r.map_err(|e| self.err(e))?;
            if !f(&k, &v)? {
                break;
            }
        }
        Ok(())
    }

    /// Applies a commit in one transaction over both trees, then makes it
    /// durable. Nothing is written when a precondition fails.
    pub fn commit(&self, c: Commit) -> Result<()> {
        if c.is_empty() {
            return Ok(());
        }
        self.apply(c)?;
        self.sync()
    }

    /// [`Store::commit`] without the sync: the commit is applied (every
    /// later read sees it) but not yet durable ([`Store::write_out`], then
    /// [`sync_files`]).
    pub fn apply(&self, c: Commit) -> Result<()> {
        if c.is_empty() {
            return Ok(());
        }
        let batches = [c.batch(Space::Log), c.batch(Space::Derived)];
        let expect = &c.expect;
        (&*self.log, &*self.derived)
            .transaction(|(log, derived)| {
                for (s, key, want) in expect {
                    let tree = if *s == Space::Log { log } else { derived };
                    let found = tree.get(key)?;
                    if found.as_deref() != want.as_deref() {
                        return Err(ConflictableTransactionError::Abort((*s, key.clone())));
                    }
                }
                log.apply_batch(&batches[0])?;
                derived.apply_batch(&batches[1])?;
                Ok(())
            })
            .map_err(|e: TransactionError<(Space, Vec<u8>)>| match e {
                TransactionError::Storage(e) => self.err(e),
                TransactionError::Abort((s, key)) => Error::Store {
                    path: self.path.clone(),
                    msg: format!(
                        "refused to overwrite entry {} of the {} tree, which changed since it was read; nothing was written",
                        hex::encode(&key),
                        s.name()
                    ),
                },
            })
    }

    /// sled's `flush` (`sync_file_range`), then `fsync` of sled's files and
    /// of the store's folder, so that a returned commit survives a power loss.
    pub fn sync(&self) -> Result<()> {
        self.write_out()?;
        sync_files(&self.path)
    }

    /// sled's `flush`: everything applied is written to sled's file (and
    /// `sync_file_range`d), not yet `fsync`ed; [`sync_files`] does that.
    pub fn write_out(&self) -> Result<()> {
        self.db.flush().map_err(|e| self.err(e)).map(|_| ())
    }

    /// A fresh, empty derived tree (the next generation) for a rebuild. It
    /// is not read by anything until [`Store::switch_generation`].
    pub fn new_generation(&self) -> Result<Generation> {
        let n = self.generation + 1;
        let name = format!("derived.{n}");
        // A rebuild killed before its switch leaves this generation half written.
        let _ = self.db.drop_tree(&name);
        let tree = self.db.open_tree(&name).map_err(|e| self.err(e))?;
        Ok(Generation { n, tree })
    }

    /// Writes entries into a generation being built (not yet durable).
    pub fn fill_generation(&self, g: &Generation, entries: Vec<Entry>) -> Result<()> {
        // One insert at a time: nothing reads the generation until the
        // switch, which is the durable commit, so no batch is needed; and a
        // batch takes sled's global lock in write mode (every read waits)
        // and keeps each page version it replaces until it ends.
        for (k, v) in entries {
            g.tree.insert(k, v).map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    /// Makes `g` the derived tree, together with `log_puts`, in one durable
    /// commit; then drops the previous generation, ignoring failures (a
    /// damaged old tree only leaves its space behind).
    pub fn switch_generation(&mut self, g: Generation, log_puts: Vec<Entry>) -> Result<()> {
        self.sync()?;
        let mut batch = sled::Batch::default();
        batch.insert(GENERATION_KEY, &g.n.to_be_bytes());
        for (k, v) in log_puts {
            batch.insert(k, v);
        }
        self.log.apply_batch(batch).map_err(|e| self.err(e))?;
        self.sync()?;
        let old = format!("derived.{}", self.generation);
        *self.derived = g.tree;
        self.generation = g.n;
        let _ = self.db.drop_tree(old);
        Ok(())
    }

    /// True when the store holds trees of the first layout.
    pub fn has_legacy(&self) -> bool {
        let names = self.db.tree_names();
        names.iter().any(|n| n.as_ref() == b"events")
    }

    /// The entries of a legacy tree, in key order.
    pub fn legacy(&self, name: &str) -> Result<Vec<Entry>> {
        let tree = self.db.open_tree(name).map_err(|e| self.err(e))?;
        tree.iter()
            .map(|r| {
                r.map(|(k, v)| (k.to_vec(), v.to_vec()))
                    .map_err(|e| self.err(e))
            })
            .collect()
    }

    /// Drops the legacy trees (best effort), once their events are migrated.
    pub fn drop_legacy(&self) -> Result<()> {
        for name in LEGACY_TREES {
            let _ = self.db.drop_tree(name);
        }
        self.sync()
    }

    /// Overwrites one stored value outside any transaction. Only for tests
    /// that simulate tampering with the files.
    #[doc(hidden)]
    pub fn tamper(&self, s: Space, key: &[u8], value: &[u8]) -> Result<()> {
        self.tree(s).insert(key, value).map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Removes one stored entry outside any transaction. Only for tests
    /// that simulate damage.
    #[doc(hidden)]
    pub fn tamper_remove(&self, s: Space, key: &[u8]) -> Result<()> {
        self.tree(s).remove(key).map_err(|e| self.err(e))?;
        Ok(())
    }
}

/// What makes a store's written log durable, the second half of
/// [`Store::sync`] after [`Store::write_out`]: an `fsync` of sled's `db`
/// file and of the store's folder. It needs no sled handle, so it may run on
/// another thread (sled itself is only ever flushed on the thread that
/// writes).
pub(crate) fn sync_files(path: &Path) -> Result<()> {
    let io = |e| io_error(path, "cannot be synced", e);
    std::fs::File::open(path.join("db"))
        .and_then(|f| f.sync_all())
        .map_err(io)?;
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(io)
}

impl Drop for Store {
    /// Closes sled, then waits (up to a second) until sled has let go of its
    /// files: its threads drop their last references a moment later, and a
    /// store closed here must be free for the next process (or `open`).
    fn drop(&mut self) {
        // SAFETY: each field is dropped once, here, and never used again.
        unsafe {
            ManuallyDrop::drop(&mut self.log);
            ManuallyDrop::drop(&mut self.derived);
            ManuallyDrop::drop(&mut self.db);
        }
        let Ok(file) = std::fs::File::open(self.path.join("db")) else {
            return;
        };
        let _ = while_busy(SLED_LOCK_GRACE, || match file.try_lock() {
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy {
                path: self.path.clone(),
            }),
            _ => Ok(()),
        });
    }
}

/// A derived tree being built by a rebuild.
pub struct Generation {
    n: u64,
    tree: sled::Tree,
}

/// Writes to apply together, with their preconditions.
#[derive(Default, Debug)]
pub struct Commit {
    log: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    derived: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    expect: Vec<(Space, Vec<u8>, Option<Vec<u8>>)>,
}

impl Commit {
    fn map(&mut self, s: Space) -> &mut BTreeMap<Vec<u8>, Option<Vec<u8>>> {
        match s {
            Space::Log => &mut self.log,
            Space::Derived => &mut self.derived,
        }
    }

    /// Writes `value` at `key` in space `s` (the last write of a key wins).
    pub fn put(&mut self, s: Space, key: Vec<u8>, value: Vec<u8>) {
        self.map(s).insert(key, Some(value));
    }

    /// Deletes `key` in space `s`.
    pub fn del(&mut self, s: Space, key: Vec<u8>) {
        self.map(s).insert(key, None);
    }

    /// The commit applies only if `key` holds exactly `value` (`None`:
    /// absent) when it runs.
    pub fn expect(&mut self, s: Space, key: Vec<u8>, value: Option<Vec<u8>>) {
        self.expect.push((s, key, value));
    }

    /// True when the commit writes nothing (preconditions aside).
    pub fn is_empty(&self) -> bool {
        self.log.is_empty() && self.derived.is_empty()
    }

    /// Number of puts and deletes.
    pub fn len(&self) -> usize {
        self.log.len() + self.derived.len()
    }

    /// The pending puts of a tree, in key order.
    pub fn puts(&self, s: Space) -> impl Iterator<Item = (&[u8], &[u8])> {
        match s {
            Space::Log => &self.log,
            Space::Derived => &self.derived,
        }
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k.as_slice(), v.as_slice())))
    }

    /// The pending writes of a tree, in key order: a value, or `None` for
    /// a delete.
    pub fn writes(&self, s: Space) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
        match s {
            Space::Log => &self.log,
            Space::Derived => &self.derived,
        }
        .iter()
        .map(|(k, v)| (k.as_slice(), v.as_deref()))
    }

    /// Takes the puts of a tree out of the commit (for a rebuild's generation).
    pub fn take_puts(&mut self, s: Space) -> Vec<Entry> {
        std::mem::take(self.map(s))
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect()
    }

    fn batch(&self, s: Space) -> sled::Batch {
        let mut b = sled::Batch::default();
        let map = match s {
            Space::Log => &self.log,
            Space::Derived => &self.derived,
        };
        for (k, v) in map {
            match v {
                Some(v) => b.insert(k.as_slice(), v.as_slice()),
                None => b.remove(k.as_slice()),
            }
        }
        b
    }
}

fn no_store(path: &Path) -> Error {
    Error::NoStore {
        path: path.to_path_buf(),
    }
}

/// How long a lock found held is tried again before the store is called
/// busy: a lock is also held, for a moment, by a copy of its file that a
/// process starting a program inherits until the program runs (a test
/// harness, or any program embedding the library, that starts processes
/// while a store closes). Another process that holds the store holds it
/// longer: the CLI's `--wait` is for that.
const LOCK_GRACE: std::time::Duration = std::time::Duration::from_millis(200);

/// Takes the store's own lock (`scoreledger.lock`), trying again for
/// [`LOCK_GRACE`] while it is held.
fn lock(path: &Path) -> Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.join(LOCK_FILE))
        .map_err(|e| io_error(path, "cannot be opened", e))?;
    while_busy(LOCK_GRACE, || match file.try_lock() {
        Ok(()) => Ok(()),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy { path: path.into() }),
        Err(std::fs::TryLockError::Error(e)) => Err(io_error(path, "cannot be locked", e)),
    })?;
    Ok(file)
}

/// How long sled's own lock, found held while the store's own is, is tried
/// again ([`open_sled`]), and how long a closing store waits for sled to
/// let go of it.
const SLED_LOCK_GRACE: std::time::Duration = std::time::Duration::from_secs(1);

/// `attempt`, made again every 5 ms for `grace` while it finds the store
/// busy.
fn while_busy<T>(grace: std::time::Duration, mut attempt: impl FnMut() -> Result<T>) -> Result<T> {
    let deadline = std::time::Instant::now() + grace;
    loop {
        match attempt() {
            Err(Error::Busy { .. }) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(5))
            }
            other => return other,
        }
    }
}

/// Opens sled at `path`, under the store's own lock. Holding that lock,
/// this process is the only one with the store open, so sled's lock on its
/// file can only be held by what lets go of it in a moment (the threads of
/// a handle this process just closed, or a copy of the file inherited by a
/// process being started): it is tried again for [`SLED_LOCK_GRACE`].
fn open_sled(path: &Path, cache_bytes: u64) -> Result<sled::Db> {
    while_busy(SLED_LOCK_GRACE, || {
        sled::Config::new()
            .path(path)
            .cache_capacity(cache_bytes)
            // Every commit flushes (and fsyncs) itself; sled's background
            // flusher only adds a thread to start and to stop (up to 100 ms).
            .flush_every_ms(None)
            .open()
            .map_err(|e| open_error(path, e))
    })
}

/// Copies sled's files of the store at `from` (its log `db`, `conf`, large
/// values under `blobs/`, and the snapshots `snap.*` when `snapshots`) into
/// a new folder `to`, under the store's lock so that no commit is half
/// copied. The store is only read.
pub(crate) fn copy_sled_files(from: &Path, to: &Path, snapshots: bool) -> Result<()> {
    if !Store::exists(from) {
        return Err(no_store(from));
    }
    let _lock = lock(from)?;
    let _ = std::fs::remove_dir_all(to);
    let io = |e| io_error(to, "cannot be written", e);
    std::fs::create_dir_all(to).map_err(io)?;
    for entry in std::fs::read_dir(from).map_err(|e| io_error(from, "cannot be read", e))? {
        let entry = entry.map_err(|e| io_error(from, "cannot be read", e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        let snap = name.starts_with("snap.") && !name.ends_with(".generating");
        if name == "db" || name == "conf" || (snapshots && snap) {
            std::fs::copy(entry.path(), to.join(&name)).map_err(io)?;
        } else if name == "blobs" {
            copy_folder(&entry.path(), &to.join(&name)).map_err(io)?;
        }
    }
    Ok(())
}

fn copy_folder(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            copy_folder(&entry.path(), &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}

/// sled 0.34 writes its snapshot to `snap.<lsn>.generating` while opening,
/// then renames it. A process killed in between (or a full disk) leaves a
/// partial file that sled would read next time as the newest snapshot and
/// refuse the store as corrupted (sled issues 1527, 1533). Such a file is
/// never a valid snapshot: sled only reads a snapshot after the rename. It
/// is removed before opening, under the store's lock.
fn remove_unfinished_snapshots(path: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(path)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if name.starts_with("snap.") && name.ends_with(".generating") {
            std::fs::remove_file(path.join(&*name))?;
        }
    }
    Ok(())
}

/// True for "no space left on device" (and quota exhaustion).
fn is_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || e.raw_os_error() == Some(28)
}

pub(crate) fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    if is_full(&e) {
        return Error::Full { path: path.into() };
    }
    let msg = if e.kind() == std::io::ErrorKind::PermissionDenied {
        format!("{what}: {e} (is it read-only?)")
    } else {
        format!("{what}: {e}")
    };
    Error::Store {
        path: path.into(),
        msg,
    }
}

fn sled_error(path: &Path, e: sled::Error) -> Error {
    match e {
        sled::Error::Io(io) => io_error(path, "cannot be read or written", io),
        other => Error::Store {
            path: path.into(),
            msg: other.to_string(),
        },
    }
}

fn open_error(path: &Path, e: sled::Error) -> Error {
    match e {
        sled::Error::Io(io)
            if io.kind() == std::io::ErrorKind::WouldBlock
                || io.to_string().contains("could not acquire lock") =>
        {
            Error::Busy { path: path.into() }
        }
        sled::Error::Io(io) => io_error(path, "cannot be opened", io),
        sled::Error::Corruption { at, .. } => Error::Unreadable {
            path: path.into(),
            detail: match at {
                Some(at) => format!(
                    "a damaged record in {} or a snap.* file, at {at:?}",
                    path.join("db").display()
                ),
                None => format!(
                    "a damaged record in {} or in one of its snap.* files",
                    path.join("db").display()
                ),
            },
        },
        other => Error::Store {
            path: path.into(),
            msg: format!("cannot be opened: {other}"),
        },
    }
}
