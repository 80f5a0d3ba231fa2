//! The head that the last commit reported, kept in a small file beside the
//! store (`scoreledger.head`), outside sled.
//!
//! sled's recovery treats a damaged record in the part of its log that no
//! snapshot covers yet as a torn write and stops there, so a store can come
//! back shorter without any error. This file is written (to a temporary
//! file, `fsync`ed, renamed, and the folder `fsync`ed) after every commit
//! has been made durable, and compared with the log at open: a log that
//! ends before it, or holds another event at its seq, is a loss that is
//! reported instead of served.
//!
//! The file is one line of text: `scoreledger-head v1 SEQ HASH`, where SEQ
//! has 20 digits (zero-padded, so every line has the same length) and HASH
//! is the event's hash in lower-case hex. Once the file exists, a new head
//! overwrites it in place (one write of 106 bytes, within one disk sector)
//! and `fdatasync`s it; the first one is written to a temporary file that
//! is renamed into place.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::format::head_file::{ReportedHead, TAG};

/// The file beside sled's own files.
pub(crate) const FILE: &str = "scoreledger.head";

/// Where the reported head of the store at `store` is kept.
pub(crate) fn path(store: &Path) -> PathBuf {
    store.join(FILE)
}

/// What the file beside a store says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Reported {
    /// No file: a new store, or one made before the file existed.
    Absent,
    /// The head the last commit reported.
    At(ReportedHead),
    /// The file is there but is not one well-formed line (why).
    Damaged(String),
}

/// What the file beside the store at `store` says; an error only when it
/// cannot be read at all.
pub(crate) fn read(store: &Path) -> Result<Reported> {
    let file = path(store);
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Reported::Absent),
        Err(e) => {
            return Err(Error::Store {
                path: store.into(),
                msg: format!("cannot read {}: {e}", file.display()),
            })
        }
    };
    let parsed = std::str::from_utf8(&bytes)
        .ok()
        .and_then(ReportedHead::parse);
    Ok(match parsed {
        Some(h) => Reported::At(h),
        None => Reported::Damaged(format!(
            "{} is not one line `{TAG} SEQ HASH`",
            file.display()
        )),
    })
}

/// Replaces the reported head: in place when the file already holds a
/// line of the same length (one small write, then `fdatasync`), else a
/// temporary file, `fsync`ed, renamed over the old one, then the folder
/// `fsync`ed; either way the file holds the old head or the new one.
pub(crate) fn write(store: &Path, head: &ReportedHead) -> Result<()> {
    let line = head.render();
    let io = |e: std::io::Error| crate::store::io_error(store, "cannot record its head", e);
    if let Some(mut f) = same_length(store, line.len()) {
        use std::io::{Seek, SeekFrom};
        f.seek(SeekFrom::Start(0)).map_err(io)?;
        f.write_all(line.as_bytes()).map_err(io)?;
        return f.sync_data().map_err(io);
    }
    write_new(store, &line)
}

/// The head file opened for writing, when it holds a line of `len` bytes.
fn same_length(store: &Path, len: usize) -> Option<std::fs::File> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(path(store))
        .ok()?;
    let size = f.metadata().ok()?.len();
    (size == len as u64).then_some(f)
}

/// Writes the head file anew: a temporary file renamed into place.
fn write_new(store: &Path, line: &str) -> Result<()> {
    let file = path(store);
    let tmp = store.join(format!("{FILE}.tmp"));
    let io = |e: std::io::Error| crate::store::io_error(store, "cannot record its head", e);
    let mut f = std::fs::File::create(&tmp).map_err(io)?;
    f.write_all(line.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)?;
    std::fs::rename(&tmp, &file).map_err(io)?;
    std::fs::File::open(store)
        .and_then(|d| d.sync_all())
        .map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::chain::Hash;

    fn check(text: &str, expect: Option<(u64, &str)>) {
        let got = ReportedHead::parse(text).map(|h| (h.seq, h.hash.to_string()));
        assert_eq!(
            got,
            expect.map(|(s, h)| (s, h.to_string())),
            "parsing {text:?}"
        );
    }

    #[test]
    fn the_file_is_one_exact_line() {
        let h = "e7a8696f596fa45a55871c28e42b4d07bec9638736c3479a40c96976fcf9cdb6";
        check(&format!("scoreledger-head v1 24 {h}\n"), Some((24, h)));
        check(
            &format!("scoreledger-head v1 00000000000000000024 {h}\n"),
            Some((24, h)),
        );
        check(&format!("scoreledger-head v1 24 {h}"), None);
        check(&format!("scoreledger-head v1 24 {h} x\n"), None);
        check(&format!("scoreledger-head v2 24 {h}\n"), None);
        check(&format!("scoreledger-head v1 -1 {h}\n"), None);
        check(&format!("scoreledger-head v1 24 {}\n", &h[1..]), None);
        check("scoreledger-head v1 24\n", None);
        check("", None);
        let r = ReportedHead {
            seq: 7,
            hash: Hash::from_hex(h).unwrap(),
        };
        assert_eq!(ReportedHead::parse(&r.render()), Some(r));
        let big = ReportedHead {
            seq: u64::MAX,
            hash: r.hash,
        };
        assert_eq!(r.render().len(), big.render().len());
        assert_eq!(ReportedHead::parse(&big.render()), Some(big));
    }

    #[test]
    fn a_new_head_replaces_the_old_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let hash = Hash([7; 32]);
        for seq in [0, 5, 123_456, 24] {
            write(dir.path(), &ReportedHead { seq, hash }).unwrap();
            assert_eq!(
                read(dir.path()).unwrap(),
                Reported::At(ReportedHead { seq, hash })
            );
        }
        assert!(!dir.path().join(format!("{FILE}.tmp")).exists());
    }
}
