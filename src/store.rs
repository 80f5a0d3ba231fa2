//! The only module that touches sled: trees, reads, and atomic, flushed writes.
//!
//! Reads go straight to sled. Writes are collected in a [`Writes`] overlay
//! that reads through to sled, and are committed in one sled transaction
//! across all trees, then flushed, so an append is all or nothing.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;

use crate::error::{Error, Result};

/// The trees of a store (see `schema/keys.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TreeId {
    /// seq -> envelope. The source of truth; everything else is derived.
    Events,
    /// match id -> `by_date` key of the match.
    Matches,
    /// stage | date | round | seq -> match record.
    ByDate,
    /// stage | kind | date or round -> table rows.
    Snapshots,
    /// season | stage -> stage info.
    Stages,
    /// scope | seq -> rules event.
    Rules,
    /// scope | seq -> team registration.
    Teams,
    /// season | seq -> season facts.
    Facts,
    /// kind | parent | folded name -> display name.
    Names,
    /// head, format version.
    Meta,
    /// scope | seq -> points adjustment.
    Adjustments,
    /// competition | seq -> team rename.
    Renames,
    /// level (1) | index (8) -> hash of a complete Merkle subtree.
    Merkle,
}

pub const ALL_TREES: [TreeId; 13] = [
    TreeId::Events,
    TreeId::Matches,
    TreeId::ByDate,
    TreeId::Snapshots,
    TreeId::Stages,
    TreeId::Rules,
    TreeId::Teams,
    TreeId::Facts,
    TreeId::Names,
    TreeId::Meta,
    TreeId::Adjustments,
    TreeId::Renames,
    TreeId::Merkle,
];

/// Trees that are recomputed from `events` by a rebuild.
pub const DERIVED_TREES: [TreeId; 11] = [
    TreeId::Matches,
    TreeId::ByDate,
    TreeId::Snapshots,
    TreeId::Stages,
    TreeId::Rules,
    TreeId::Teams,
    TreeId::Facts,
    TreeId::Names,
    TreeId::Adjustments,
    TreeId::Renames,
    TreeId::Merkle,
];

impl TreeId {
    pub fn name(self) -> &'static str {
        match self {
            TreeId::Events => "events",
            TreeId::Matches => "matches",
            TreeId::ByDate => "by_date",
            TreeId::Snapshots => "snapshots",
            TreeId::Stages => "stages",
            TreeId::Rules => "rules",
            TreeId::Teams => "teams",
            TreeId::Facts => "facts",
            TreeId::Names => "names",
            TreeId::Meta => "meta",
            TreeId::Adjustments => "adjustments",
            TreeId::Renames => "renames",
            TreeId::Merkle => "merkle",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

pub type Entry = (Vec<u8>, Vec<u8>);

/// An open store.
pub struct Store {
    db: sled::Db,
    trees: Vec<sled::Tree>,
    path: PathBuf,
    /// Held (an exclusive `flock`) for as long as the store is open, so that
    /// the clean-up before sled opens never races another process's open.
    _lock: std::fs::File,
}

/// The lock file beside sled's own files.
pub const LOCK_FILE: &str = "scoreledger.lock";

impl Store {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        if path.is_file() {
            return Err(Error::Invalid(format!(
                "store {} is a file, not a scoreledger store (a directory)",
                path.display()
            )));
        }
        let io_err = |e: std::io::Error| io_error(path, "cannot be opened", e);
        std::fs::create_dir_all(path).map_err(io_err)?;
        let lock = lock(path)?;
        remove_unfinished_snapshots(path).map_err(io_err)?;
        let db = sled::Config::new()
            .path(path)
            .open()
            .map_err(|e| open_error(path, e))?;
        let trees = ALL_TREES
            .iter()
            .map(|t| db.open_tree(t.name()).map_err(|e| sled_error(path, e)))
            .collect::<Result<Vec<_>>>()?;
        Ok(Store {
            db,
            trees,
            path: path.into(),
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn tree(&self, t: TreeId) -> &sled::Tree {
        &self.trees[t.index()]
    }

    fn err(&self, e: sled::Error) -> Error {
        sled_error(&self.path, e)
    }

    /// The last entry of a tree, if any.
    pub fn last(&self, t: TreeId) -> Result<Option<Entry>> {
        self.tree(t)
            .last()
            .map(|o| o.map(|(k, v)| (k.to_vec(), v.to_vec())))
            .map_err(|e| self.err(e))
    }

    pub fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.tree(t)
            .get(key)
            .map(|v| v.map(|v| v.to_vec()))
            .map_err(|e| self.err(e))
    }

    /// Entries whose keys start with `prefix`, in key order.
    pub fn scan_prefix(
        &self,
        t: TreeId,
        prefix: &[u8],
    ) -> impl Iterator<Item = Result<Entry>> + '_ {
        self.tree(t).scan_prefix(prefix).map(move |r| {
            r.map(|(k, v)| (k.to_vec(), v.to_vec()))
                .map_err(|e| self.err(e))
        })
    }

    /// Entries with `lo <= key <= hi`, in key order.
    pub fn range(
        &self,
        t: TreeId,
        lo: &[u8],
        hi: &[u8],
    ) -> impl DoubleEndedIterator<Item = Result<Entry>> + '_ {
        self.tree(t)
            .range::<&[u8], _>((Bound::Included(lo), Bound::Included(hi)))
            .map(move |r| {
                r.map(|(k, v)| (k.to_vec(), v.to_vec()))
                    .map_err(|e| self.err(e))
            })
    }

    /// The last entry with `lo <= key <= hi`.
    pub fn last_in(&self, t: TreeId, lo: &[u8], hi: &[u8]) -> Result<Option<Entry>> {
        self.range(t, lo, hi).next_back().transpose()
    }

    /// Every entry of a tree, in key order.
    pub fn iter(&self, t: TreeId) -> impl DoubleEndedIterator<Item = Result<Entry>> + '_ {
        self.tree(t).iter().map(move |r| {
            r.map(|(k, v)| (k.to_vec(), v.to_vec()))
                .map_err(|e| self.err(e))
        })
    }

    /// Calls `f` on every entry of a tree in key order, without copying them
    /// out of sled; stops early when `f` returns `Ok(false)`.
    pub fn for_each(
        &self,
        t: TreeId,
        mut f: impl FnMut(&[u8], &[u8]) -> Result<bool>,
    ) -> Result<()> {
        for r in self.tree(t).iter() {
            let (k, v) = r.map_err(|e| self.err(e))?;
            if !f(&k, &v)? {
                break;
            }
        }
        Ok(())
    }

    /// Starts a set of writes that commits atomically.
    pub fn writes(&self) -> Writes<'_> {
        Writes {
            store: self,
            pending: vec![BTreeMap::new(); ALL_TREES.len()],
            cleared: [false; ALL_TREES.len()],
            must_be_new: Vec::new(),
        }
    }

    /// Overwrites one stored value outside any transaction. Only for tests
    /// that simulate tampering with the files.
    #[doc(hidden)]
    pub fn tamper(&self, t: TreeId, key: &[u8], value: &[u8]) -> Result<()> {
        self.tree(t).insert(key, value).map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Removes one stored entry outside any transaction. Only for tests
    /// that simulate damage.
    #[doc(hidden)]
    pub fn tamper_remove(&self, t: TreeId, key: &[u8]) -> Result<()> {
        self.tree(t).remove(key).map_err(|e| self.err(e))?;
        Ok(())
    }
}

/// Takes the store's lock file, or reports that another process holds it.
fn lock(path: &Path) -> Result<std::fs::File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.join(LOCK_FILE))
        .map_err(|e| io_error(path, "cannot be opened", e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy { path: path.into() }),
        Err(std::fs::TryLockError::Error(e)) => Err(io_error(path, "cannot be locked", e)),
    }
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

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
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
        other => Error::Store {
            path: path.into(),
            msg: format!("cannot be opened: {other}"),
        },
    }
}

/// Pending writes over a store; reads see them. Nothing reaches sled until
/// [`Writes::commit`].
pub struct Writes<'s> {
    store: &'s Store,
    pending: Vec<BTreeMap<Vec<u8>, Option<Vec<u8>>>>,
    cleared: [bool; ALL_TREES.len()],
    /// Keys that must not exist in the store when the commit runs.
    must_be_new: Vec<(TreeId, Vec<u8>)>,
}

impl Writes<'_> {
    pub fn store(&self) -> &Store {
        self.store
    }

    pub fn put(&mut self, t: TreeId, key: &[u8], value: Vec<u8>) {
        self.pending[t.index()].insert(key.to_vec(), Some(value));
    }

    /// Puts a value under a key that must be absent from the store: the
    /// commit refuses (and writes nothing) if the key exists by then.
    pub fn put_new(&mut self, t: TreeId, key: &[u8], value: Vec<u8>) {
        self.must_be_new.push((t, key.to_vec()));
        self.put(t, key, value);
    }

    pub fn del(&mut self, t: TreeId, key: &[u8]) {
        self.pending[t.index()].insert(key.to_vec(), None);
    }

    /// Empties a tree: reads no longer see its stored entries, and the commit
    /// removes them.
    pub fn clear(&mut self, t: TreeId) {
        self.cleared[t.index()] = true;
        self.pending[t.index()].clear();
    }

    pub fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(v) = self.pending[t.index()].get(key) {
            return Ok(v.clone());
        }
        if self.cleared[t.index()] {
            return Ok(None);
        }
        self.store.get(t, key)
    }

    /// Entries whose keys start with `prefix`, pending writes included.
    pub fn scan_prefix(&self, t: TreeId, prefix: &[u8]) -> Result<Vec<Entry>> {
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        if !self.cleared[t.index()] {
            for e in self.store.scan_prefix(t, prefix) {
                let (k, v) = e?;
                merged.insert(k, v);
            }
        }
        let pending = &self.pending[t.index()];
        for (k, v) in pending.range::<[u8], _>((Bound::Included(prefix), Bound::Unbounded)) {
            if !k.starts_with(prefix) {
                break;
            }
            match v {
                Some(v) => merged.insert(k.clone(), v.clone()),
                None => merged.remove(k),
            };
        }
        Ok(merged.into_iter().collect())
    }

    /// The pending puts of a tree, in key order (deletes left out).
    pub fn pending_puts(&self, t: TreeId) -> impl Iterator<Item = (&[u8], &[u8])> {
        self.pending[t.index()]
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k.as_slice(), v.as_slice())))
    }

    /// Number of pending puts and deletes.
    pub fn len(&self) -> usize {
        self.pending.iter().map(|p| p.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies every pending write in one transaction across all trees, then
    /// flushes to disk. Returns only when the data is durable.
    pub fn commit(self) -> Result<()> {
        let store = self.store;
        let mut batches: Vec<(usize, sled::Batch)> = Vec::new();
        for t in ALL_TREES {
            let i = t.index();
            if self.pending[i].is_empty() && !self.cleared[i] {
                continue;
            }
            let mut batch = sled::Batch::default();
            if self.cleared[i] {
                for k in store.tree(t).iter().keys() {
                    let k = k.map_err(|e| store.err(e))?;
                    if !self.pending[i].contains_key(k.as_ref()) {
                        batch.remove(k);
                    }
                }
            }
            for (k, v) in &self.pending[i] {
                match v {
                    Some(v) => batch.insert(k.as_slice(), v.as_slice()),
                    None => batch.remove(k.as_slice()),
                }
            }
            batches.push((i, batch));
        }
        if batches.is_empty() {
            return Ok(());
        }
        let trees: Vec<&sled::Tree> = store.trees.iter().collect();
        let must_be_new = &self.must_be_new;
        trees
            .as_slice()
            .transaction(|tx| {
                for (t, key) in must_be_new {
                    if tx[t.index()].get(key)?.is_some() {
                        return Err(ConflictableTransactionError::Abort((*t, key.clone())));
                    }
                }
                for (i, batch) in &batches {
                    tx[*i].apply_batch(batch)?;
                }
                Ok(())
            })
            .map_err(|e: TransactionError<(TreeId, Vec<u8>)>| match e {
                TransactionError::Storage(e) => store.err(e),
                TransactionError::Abort((t, key)) => Error::Corrupt {
                    seq: key
                        .as_slice()
                        .try_into()
                        .map(u64::from_be_bytes)
                        .unwrap_or(0),
                    msg: format!(
                        "refused to overwrite the existing entry {} of tree {}; nothing was written",
                        hex::encode(&key),
                        t.name()
                    ),
                },
            })?;
        store.db.flush().map_err(|e| store.err(e))?;
        Ok(())
    }
}
