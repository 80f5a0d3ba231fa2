//! Output files, written so that nothing they point at can be destroyed.

use std::io::Write;
use std::path::{Path, PathBuf};

use scoreledger::Error;

/// `--force`, for commands that write a file.
#[derive(clap::Args)]
pub(super) struct ForceArg {
    /// Replace FILE even when it is a symbolic link (the link itself is
    /// replaced; what it points at is not touched).
    #[arg(long)]
    force: bool,
}

/// Writes `text` to `path`, or to standard output for `-`, and says on
/// standard error what was written where. The text goes to a new file,
/// created exclusively under an unpredictable name in the target's folder,
/// synced, then renamed over the target. A target that exists and is not a
/// regular file (a device, a FIFO, a folder; a symbolic link unless
/// `--force`) is refused, and so is any target inside the store's folder.
pub(super) fn write(
    db: &Path,
    path: &Path,
    text: &str,
    what: &str,
    force: &ForceArg,
) -> Result<(), Error> {
    if path.as_os_str() == "-" {
        return crate::answers::print(text);
    }
    let target = checked_target(db, path, force.force)?;
    let fail = |e: std::io::Error| Error::Invalid(format!("{}: cannot write: {e}", path.display()));
    let dir = target.parent().unwrap_or(Path::new("."));
    // Files meant to be shared get the usual mode (0666 less the umask),
    // not a temporary file's 0600.
    let mut tmp = tempfile::Builder::new()
        .prefix(".scoreledger-")
        .suffix(".tmp")
        .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(&target).map_err(|e| fail(e.error))?;
    eprintln!(
        "wrote {what} to {} ({} bytes)",
        path.display(),
        super::render::thousands(text.len() as u64)
    );
    Ok(())
}

/// The absolute target, or why it may not be written.
fn checked_target(db: &Path, path: &Path, force: bool) -> Result<PathBuf, Error> {
    let refuse =
        |why: &str| Error::Invalid(format!("{}: {why}; nothing was written", path.display()));
    let name = path.file_name().ok_or_else(|| refuse("not a file name"))?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let dir = parent
        .canonicalize()
        .map_err(|e| refuse(&format!("its folder cannot be used ({e})")))?;
    let target = dir.join(name);
    if let Ok(store) = db.canonicalize() {
        if target.starts_with(&store) {
            return Err(refuse(&format!(
                "it is inside the store {} (write it somewhere else)",
                db.display()
            )));
        }
    }
    if let Ok(meta) = std::fs::symlink_metadata(&target) {
        let kind = meta.file_type();
        if kind.is_symlink() && !force {
            return Err(refuse(
                "it is a symbolic link (pass --force to replace the link itself)",
            ));
        }
        if !kind.is_symlink() && !kind.is_file() {
            return Err(refuse(
                "it exists and is not a regular file (a device, a pipe or a folder)",
            ));
        }
    }
    Ok(target)
}

/// Replaces a file of the program's own (a witness's state) with `text`:
/// a new file beside it, synced, then renamed over it.
pub(super) fn replace(path: &Path, text: &str) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::Store {
        path: path.to_path_buf(),
        msg: format!("cannot write: {e}"),
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".scoreledger-")
        .tempfile_in(dir)
        .map_err(fail)?;
    tmp.write_all(text.as_bytes()).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
