//! Salvage: every event that can still be read from a damaged store, copied
//! into a fresh one.
//!
//! The damaged store is never changed. Its sled files are copied (under its
//! lock) into a scratch folder beside the new store; when sled cannot open
//! the copy, its snapshots (`snap.*`, an index that sled can rebuild by
//! reading its whole log) are left out and the copy opened again. Events
//! are then read in seq order, each re-hashed and chained, up to the first
//! one that cannot be read or does not check; those are appended, envelope
//! for envelope (same hashes), into the new store. The old store's record
//! of its reported head goes with them, so the new store names what is
//! still missing until it is restored or the loss accepted.

use std::path::{Path, PathBuf};

use crate::archive::Archive;
use crate::derived::envelope::Envelope;
use crate::error::{Error, Result};
use crate::format::chain::{event_hash, Head};
use crate::format::encoding;
use crate::format::head_file::ReportedHead;
use crate::import::jsonl;
use crate::reported_head::{self, Reported};
use crate::store::{self, Store};

/// What a salvage kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Salvaged {
    /// The new store's head: the last event that could be read and checked.
    pub head: Head,
    /// The head the damaged store's last commit reported, if it recorded one.
    pub reported: Option<ReportedHead>,
    /// Why reading stopped before the end of the log, if it did: the first
    /// seq that could not be read or checked.
    pub stopped: Option<(u64, String)>,
    /// True when sled could open the copy only without its snapshots.
    pub without_snapshots: bool,
}

/// Copies every readable, checked event of the store at `from` into a new
/// store at `to` (a folder that does not exist yet, or an empty one).
///
/// The new store is made in a folder beside `to` and renamed to `to` once
/// it holds every event saved and the old store's reported head: a salvage
/// stopped before that leaves no store at `to` (a partial one, with no
/// record of what it lacked, looked complete), and the next one starts
/// over.
pub fn salvage(from: &Path, to: &Path) -> Result<Salvaged> {
    if Store::exists(to) {
        return Err(Error::Invalid(format!(
            "{} already holds a store; salvage writes a new one",
            to.display()
        )));
    }
    if std::fs::read_dir(to).is_ok_and(|mut d| d.next().is_some()) {
        return Err(Error::Invalid(format!(
            "{} is a folder that is not empty; salvage writes a new store into a new (or empty) folder",
            to.display()
        )));
    }
    let (scratch, building) = (beside(to, ".salvage-scratch"), beside(to, ".salvage-new"));
    let _ = std::fs::remove_dir_all(&scratch);
    let _ = std::fs::remove_dir_all(&building);
    let result = salvage_via(from, &scratch, &building).and_then(|s| {
        put_in_place(&building, to)?;
        Ok(s)
    });
    let _ = std::fs::remove_dir_all(&scratch);
    let _ = std::fs::remove_dir_all(&building);
    result
}

/// A folder beside `to`, its name with `suffix`.
fn beside(to: &Path, suffix: &str) -> PathBuf {
    let mut name = to.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    to.with_file_name(name)
}

/// Renames the finished store `built` to `to` (replacing an empty folder),
/// and syncs the folder that holds them.
fn put_in_place(built: &Path, to: &Path) -> Result<()> {
    let io = |e| store::io_error(to, "cannot be made from the salvaged store", e);
    std::fs::rename(built, to).map_err(io)?;
    let parent = to.parent().filter(|p| !p.as_os_str().is_empty());
    std::fs::File::open(parent.unwrap_or(Path::new(".")))
        .and_then(|d| d.sync_all())
        .map_err(io)
}

fn salvage_via(from: &Path, scratch: &Path, to: &Path) -> Result<Salvaged> {
    let reported = match reported_head::read(from)? {
        Reported::At(r) => Some(r),
        _ => None,
    };
    store::copy_sled_files(from, scratch, true)?;
    let (copy, without_snapshots) = match Archive::open_for_restore(scratch) {
        Ok((a, _)) => (a, false),
        Err(Error::Unreadable { .. }) => {
            store::copy_sled_files(from, scratch, false)?;
            (Archive::open_for_restore(scratch)?.0, true)
        }
        Err(e) => return Err(e),
    };
    let (events, stopped) = readable_events(&copy);
    drop(copy);
    let mut fresh = Archive::open(to)?;
    if !events.is_empty() {
        let lines = events.into_iter().map(|e| (e.seq as usize, e)).collect();
        jsonl::import_lines(&mut fresh, lines, None, 2000, &mut |_, _| true)?;
    }
    let head = fresh.head()?;
    drop(fresh);
    if let Some(r) = reported.filter(|r| r.seq > head.seq) {
        reported_head::write(to, &r)?;
    }
    Ok(Salvaged {
        head,
        reported,
        stopped,
        without_snapshots,
    })
}

/// The events from seq 1 that can be read, each re-hashed and chained to
/// the one before; and where and why reading stopped, if before the end.
/// One pass over the log's chunks.
fn readable_events(archive: &Archive) -> (Vec<Envelope>, Option<(u64, String)>) {
    let mut out: Vec<Envelope> = Vec::new();
    for env in archive.events() {
        let seq = out.len() as u64 + 1;
        let prev = out
            .last()
            .map_or(crate::format::chain::Hash::GENESIS, |e| e.hash);
        let env = match env {
            Ok(env) if env.seq == seq => env,
            Ok(_) => return (out, Some((seq, "it cannot be found".into()))),
            Err(e) => return (out, Some((seq, e.to_string()))),
        };
        let bytes = encoding::encode_event(&env.event);
        if env.prev != prev || event_hash(seq, env.recorded_at, &prev, &bytes) != env.hash {
            return (out, Some((seq, "it does not re-hash and chain".into())));
        }
        out.push(env);
    }
    (out, None)
}
