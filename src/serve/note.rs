//! The lock note: a small file beside the store that says which server
//! holds it, so that a CLI command refused by the store's lock can say
//! "served by scoreledger serve at ADDR (pid N)". The lock itself is the
//! store's `flock`; the note only explains it, and a stale note (a server
//! killed with -9) is ignored because the lock is free then.

use std::path::{Path, PathBuf};

/// The note's file name, inside the store's folder.
pub(super) const NAME: &str = "scoreledger.serve";

fn path(db: &Path) -> PathBuf {
    db.join(NAME)
}

/// Writes "ADDR PID" beside the store (replacing an old note whole).
pub(super) fn write(db: &Path, addr: &str) -> std::io::Result<()> {
    let tmp = db.join(format!(".{NAME}.{}", std::process::id()));
    std::fs::write(&tmp, format!("{addr} {}\n", std::process::id()))?;
    std::fs::rename(tmp, path(db))
}

/// Removes the note (when the server stops).
pub(super) fn remove(db: &Path) {
    let _ = std::fs::remove_file(path(db));
}

/// The server named by the note, if there is one and its process runs:
/// (address, pid).
pub(crate) fn read(db: &Path) -> Option<(String, u32)> {
    let text = std::fs::read_to_string(path(db)).ok()?;
    let (addr, pid) = text.trim().split_once(' ')?;
    let pid: u32 = pid.parse().ok()?;
    Path::new(&format!("/proc/{pid}"))
        .exists()
        .then(|| (addr.to_string(), pid))
}
