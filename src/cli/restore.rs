//! `scoreledger restore`

use std::path::{Path, PathBuf};

use scoreledger::error::Loss;
use scoreledger::integrity::checkpoint::Checkpoint;
use scoreledger::Envelope;
use scoreledger::{Archive, Error};

const EXAMPLES: &str = "\
Examples:
  scoreledger restore --from-file archive.jsonl
  scoreledger restore --from-file archive.jsonl \\
      --checkpoint cp.txt --key log.vkey
  scoreledger restore --accept-loss

(--from URL --key VKEY restores from a `scoreledger serve` of a mirror.)

Every commit records the head it reported beside the store
(scoreledger.head). When the store comes back shorter than that (sled drops
a damaged tail of its log as if it had never been written), every command
refuses it, names the missing seqs and exits 1, until restore settles it:

  --from-file, --from   bring the missing events back from an export
                        (`scoreledger export`) or a mirror or server. The
                        source must hold the same events as the store up to
                        its head and the very event reported at the reported
                        seq; with --checkpoint (and --key) the events must
                        also make that checkpoint's tree. Nothing is kept
                        unless all of that holds. A source that lacks some
                        of the missing events restores only what a
                        checkpoint proves (--checkpoint, or a server's
                        signed one) and names the rest (exit 1); without
                        one, nothing.
  --accept-loss         keep what survives and go on: the log's head becomes
                        the reported head, and the seqs given up are named.

On a store that lost nothing, restore says so and changes nothing.";

/// Bring back lost events reported as written, or accept the loss
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// An export (`scoreledger export`) holding the missing events.
    #[arg(long, value_name = "FILE", required_unless_present_any = ["from", "accept_loss"])]
    from_file: Option<PathBuf>,
    /// A `scoreledger serve` (a mirror of this archive, or the archive
    /// served elsewhere) that signs its checkpoints with --key.
    #[arg(
        long,
        value_name = "URL",
        conflicts_with = "from_file",
        requires = "key"
    )]
    from: Option<String>,
    /// Keep what survives: give up the missing events.
    #[arg(long, conflicts_with_all = ["from", "from_file", "checkpoint"])]
    accept_loss: bool,
    /// A checkpoint the restored events must make (with --from-file).
    #[arg(long, value_name = "FILE", requires = "from_file")]
    checkpoint: Option<PathBuf>,
    /// The source's verifier key (or a file holding it): with --from, the
    /// server's; with --checkpoint, the checkpoint's signer.
    #[arg(long, value_name = "VKEY")]
    key: Option<String>,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let (mut archive, loss) = super::open_with(db, Archive::open_for_restore)?;
    let Some(loss) = loss else {
        let head = archive.head()?;
        return crate::answers::print(&format!(
            "nothing to restore: the log holds every event reported as written; head {} {}\n",
            head.seq, head.hash
        ));
    };
    if a.accept_loss {
        return accept(&mut archive, &loss);
    }
    let Some(reported) = loss.reported else {
        return Err(Error::Failed(format!(
            "{}; restore can only compare a source with a readable record: keep what the log holds with `scoreledger restore --accept-loss`",
            loss.describe(archive.path())
        )));
    };
    let (lines, proven) = match (&a.from, &a.from_file) {
        (Some(url), _) => {
            let key = a.key.as_deref().unwrap_or_default();
            let (lines, cp) = super::mirror::server_lines(&archive, url, key)?;
            (lines, Some(cp.size))
        }
        (None, Some(file)) => file_lines(&archive, file, &a)?,
        (None, None) => unreachable!("clap requires a source"),
    };
    let from = archive.head()?.seq;
    let lines = up_to(lines, reported.seq, reported.hash)?;
    let lines = short_of(lines, reported.seq, proven, from)?;
    super::mirror::keep(&mut archive, lines)?;
    let head = archive.head()?;
    if head.seq < reported.seq {
        return Err(Error::Failed(format!(
            "restored {}; the source lacks {}, which {} reported as written: restore them from another source, or keep what the store holds with `scoreledger restore --accept-loss`",
            super::seqs(from + 1, head.seq),
            super::seqs(head.seq + 1, reported.seq),
            if reported.seq > head.seq + 1 { "were" } else { "was" }
        )));
    }
    crate::answers::print(&format!(
        "restored {}: the store holds every event reported as written; head {} {}\n",
        super::seqs(from + 1, head.seq),
        head.seq,
        head.hash
    ))
}

/// An export's events after the store's head, checked against a signed
/// checkpoint when one is given; and the size up to which that checkpoint
/// proves them.
type Lines = Vec<(usize, Envelope)>;

fn file_lines(archive: &Archive, file: &Path, a: &Args) -> Result<(Lines, Option<u64>), Error> {
    let lines = super::mirror::file_lines(archive, file)?;
    let Some(path) = &a.checkpoint else {
        return Ok((lines, None));
    };
    let trust = a
        .key
        .as_deref()
        .map(super::trust::TrustArgs::with_key)
        .unwrap_or_default();
    let (cp, _) = super::trust::checkpoint(path, &trust)?;
    makes_checkpoint(archive, &lines, &cp, file)?;
    Ok((lines, Some(cp.size)))
}

/// A source's events when it ends before the reported seq: nothing ties
/// them to the events reported as written (another history would be kept,
/// and then refuse the true one), so only those a checkpoint proves (a
/// signed one given with the file, or the server's) are kept; without one,
/// nothing is.
fn short_of(lines: Lines, reported: u64, proven: Option<u64>, head: u64) -> Result<Lines, Error> {
    let ends = lines.last().map_or(head, |(_, e)| e.seq);
    if ends >= reported {
        return Ok(lines);
    }
    let Some(size) = proven else {
        return Err(Error::Failed(format!(
            "the source ends at seq {ends}, before seq {reported}, reported as written: nothing ties its events to the ones reported; nothing was restored. Restore from a source that holds seq {reported}, or give --checkpoint (a checkpoint its events make, signed: --key) to keep the events it proves, or keep what the store holds with `scoreledger restore --accept-loss`"
        )));
    };
    Ok(lines.into_iter().filter(|(_, e)| e.seq <= size).collect())
}

/// Refuses events that, after the store's own, do not make the tree of
/// `cp` and its stage index (the mirror's checks, before anything is kept).
fn makes_checkpoint(
    archive: &Archive,
    lines: &[(usize, Envelope)],
    cp: &Checkpoint,
    file: &Path,
) -> Result<(), Error> {
    let local = archive.head()?.seq;
    if cp.size <= local {
        return archive.verify_checkpoint(cp);
    }
    let needed = (cp.size - local) as usize;
    if lines.len() < needed {
        return Err(Error::Failed(format!(
            "the source ends at seq {}, before the checkpoint's size {}; nothing was restored",
            local + lines.len() as u64,
            cp.size
        )));
    }
    let lines = &lines[..needed];
    let root = super::mirror::root_after(archive, lines, &cp.origin).map_err(Error::Failed)?;
    if root != cp.root {
        return Err(Error::Failed(format!(
            "the source's events do not make the tree of checkpoint '{}' (size {}); nothing was restored",
            cp.origin, cp.size
        )));
    }
    super::mirror::check_index(archive, &file.display().to_string(), cp, lines)
}

/// The source's events up to the reported seq; refused unless the one at
/// that seq is the event reported as written.
fn up_to(
    mut lines: Vec<(usize, Envelope)>,
    seq: u64,
    hash: scoreledger::Hash,
) -> Result<Vec<(usize, Envelope)>, Error> {
    lines.retain(|(_, e)| e.seq <= seq);
    match lines.last() {
        Some((_, e)) if e.seq == seq && e.hash != hash => Err(Error::Failed(format!(
            "the source's seq {seq} is {}, not the event reported as written ({hash}): it is another history; nothing was restored",
            e.hash
        ))),
        _ => Ok(lines),
    }
}

/// Keeps what survives.
fn accept(archive: &mut Archive, loss: &Loss) -> Result<(), Error> {
    let given_up = archive.accept_loss()?;
    let head = archive.head()?;
    let what = if loss.reported.is_none() {
        "the record of the reported head was damaged and is written anew".to_string()
    } else if given_up.is_empty() {
        "the event reported at the head's seq differed; the log's is kept".to_string()
    } else {
        format!(
            "gave up {}, reported as written",
            super::seqs(*given_up.start(), *given_up.end())
        )
    };
    crate::answers::print(&format!(
        "kept what survives: {what}; head {} {}\n",
        head.seq, head.hash
    ))
}
