//! `scoreledger mirror`

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use scoreledger::import::jsonl;
use scoreledger::integrity::checkpoint::Checkpoint;
use scoreledger::log::merkle;
use scoreledger::Envelope;
use scoreledger::{Archive, Error};

const EXAMPLES: &str = "\
Examples:
  scoreledger mirror --from http://127.0.0.1:7878 --key log.vkey --db mirror.db
  scoreledger mirror --from-file archive.jsonl --db mirror.db

Pulls the events after the mirror's own head, re-hashes and chains each one,
and keeps them only when they continue its head exactly and, from a server,
when the tree they make has the root of the source's checkpoint signed by
--key. A source that rewrote history is refused at the first seq where it
differs (exit 1), and nothing is kept past the mirror's last good head. Run it
again to catch up.";

/// Copy a source archive's new events, checked, into this one.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// A `scoreledger serve` to mirror (it must sign its checkpoints).
    #[arg(
        long,
        value_name = "URL",
        required_unless_present = "from_file",
        requires = "key"
    )]
    from: Option<String>,
    /// An export (`scoreledger export`) to mirror, with no server.
    #[arg(long, value_name = "FILE", conflicts_with = "from")]
    from_file: Option<PathBuf>,
    /// The source's verifier key (or a file holding it).
    #[arg(long, value_name = "VKEY")]
    key: Option<String>,
}

/// Events per request to the source.
const PAGE: u64 = 10_000;

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let mut archive = db.open()?;
    let before = archive.head()?;
    let report = match (&a.from, &a.from_file) {
        (Some(url), _) => from_server(&mut archive, url, a.key.as_deref().unwrap_or_default())?,
        (None, Some(file)) => from_file(&mut archive, file)?,
        (None, None) => unreachable!("clap requires one source"),
    };
    let head = archive.head()?;
    crate::answers::print(&format!(
        "mirrored {} event{} (seq {} to {}); head {} {}\n{report}",
        head.seq - before.seq,
        if head.seq - before.seq == 1 { "" } else { "s" },
        before.seq + 1,
        head.seq,
        head.seq,
        head.hash
    ))
}

/// The source's signed checkpoint, its events after the mirror's head, each
/// checked before any is kept.
fn from_server(archive: &mut Archive, url: &str, key: &str) -> Result<String, Error> {
    let (lines, cp) = server_lines(archive, url, key)?;
    keep(archive, lines)?;
    let index = match cp.index {
        Some(_) => "; its index line is the stage index of those events",
        None => "; it has no index line",
    };
    Ok(format!(
        "ok: the signed checkpoint of '{}' at size {} (its root matches this mirror's{index})\n",
        cp.origin, cp.size
    ))
}

/// The events of a signing server after this archive's head, up to its
/// signed checkpoint, checked (signature, chain, root) but not kept.
pub(super) fn server_lines(
    archive: &Archive,
    url: &str,
    key: &str,
) -> Result<(Vec<(usize, Envelope)>, Checkpoint), Error> {
    let vkey = super::trust::verifier(key)?;
    let text = super::fetch(url, &format!("/api/checkpoint?origin={}", vkey.name))?;
    let what = format!("{url}: the source's checkpoint");
    let (cp, _) = super::trust::checked(&text, &what, &super::trust::TrustArgs::with_key(key))?;
    let local = archive.head()?;
    if cp.size < local.seq {
        return Err(Error::Failed(format!(
            "{url} shows {} events, this mirror holds {}: the source rolled back; nothing changed",
            cp.size, local.seq
        )));
    }
    let mut lines = Vec::new();
    let mut after = local.seq;
    while after < cp.size {
        let limit = PAGE.min(cp.size - after);
        let page = super::fetch(url, &format!("/api/events?after={after}&limit={limit}"))?;
        let got = jsonl::parse(&page, None)?;
        if got.is_empty() {
            break;
        }
        after = got.last().map_or(after, |(_, e)| e.seq);
        lines.extend(got);
    }
    let root = root_after(archive, &lines, &cp.origin)
        .map_err(|e| Error::Failed(format!("{url}: {e}")))?;
    let continues = lines
        .first()
        .is_none_or(|(_, e)| e.seq == local.seq + 1 && e.prev == local.hash);
    if !continues || root != cp.root || local.seq + lines.len() as u64 != cp.size {
        return Err(departure(archive, source_hashes(url))?.unwrap_or_else(|| {
            Error::Failed(format!(
                "{url}: the events it sent do not make the tree of its signed checkpoint (size {}); nothing changed",
                cp.size
            ))
        }));
    }
    check_index(archive, url, &cp, &lines)?;
    Ok((lines, cp))
}

/// The root of the tree this archive's events and then `lines` make,
/// computed before any of them is kept.
pub(super) fn root_after(
    archive: &Archive,
    lines: &[(usize, Envelope)],
    origin: &str,
) -> Result<scoreledger::Hash, String> {
    let local = archive.head().map_err(|e| e.to_string())?.seq;
    let frontier = archive
        .checkpoint(origin)
        .map_err(|e| e.to_string())?
        .frontier;
    let leaves: Vec<_> = lines
        .iter()
        .map(|(_, e)| merkle::leaf_hash(&e.hash))
        .collect();
    merkle::extended_root(local, &frontier, &leaves)
}

/// The signed checkpoint's index line, if it has one, must be the stage
/// index this archive derives from the same events (`source` names where
/// they come from): computed before any of them is kept, so a false one
/// changes nothing.
pub(super) fn check_index(
    archive: &Archive,
    source: &str,
    cp: &Checkpoint,
    lines: &[(usize, Envelope)],
) -> Result<(), Error> {
    let Some(claimed) = cp.index else {
        return Ok(());
    };
    let ours = archive.index_root_after(lines.iter().map(|(_, e)| e))?;
    if ours != claimed {
        return Err(Error::Failed(format!(
            "{source}: its signed checkpoint (size {}) carries an index line that is not the stage index of its events: the checkpoint is false; refused, nothing changed",
            cp.size
        )));
    }
    Ok(())
}

/// An export's events after the mirror's head, each checked before any is kept.
fn from_file(archive: &mut Archive, file: &Path) -> Result<String, Error> {
    let new = file_lines(archive, file)?;
    keep(archive, new)?;
    Ok(String::new())
}

/// An export's events after this archive's head, once the events it shares
/// with the archive are found equal; not kept.
pub(super) fn file_lines(archive: &Archive, file: &Path) -> Result<Vec<(usize, Envelope)>, Error> {
    let text = scoreledger::import::read_text(file)?;
    let all = jsonl::parse(&text, Some(file))?;
    let local = archive.head()?.seq;
    let (held, new): (Vec<_>, Vec<_>) = all.into_iter().partition(|(_, e)| e.seq <= local);
    let by_seq: HashMap<u64, Envelope> = held.into_iter().map(|(_, e)| (e.seq, e)).collect();
    if let Some(bad) = departure(archive, |seq| {
        by_seq.get(&seq).map(|e| e.hash).ok_or_else(|| {
            Error::Invalid(format!("{}: the export lacks seq {seq}", file.display()))
        })
    })? {
        return Err(bad);
    }
    Ok(new)
}

/// Where the source departs from this archive: the first seq, up to the
/// mirror's head, whose hash differs; none when it holds the same events.
/// The mirror's events are read in one pass.
fn departure(
    archive: &Archive,
    mut source_hash: impl FnMut(u64) -> Result<scoreledger::Hash, Error>,
) -> Result<Option<Error>, Error> {
    let local = archive.head()?;
    for env in archive.events() {
        let env = env?;
        if source_hash(env.seq)? != env.hash {
            return Ok(Some(Error::Failed(format!(
                "the source rewrote history: its seq {} differs from this mirror's; refused, nothing changed (head stays seq {})",
                env.seq, local.seq
            ))));
        }
    }
    Ok(None)
}

/// The hashes of the source's events, a page at a time: one request per
/// [`PAGE`] events.
fn source_hashes(url: &str) -> impl FnMut(u64) -> Result<scoreledger::Hash, Error> + '_ {
    let mut page: HashMap<u64, scoreledger::Hash> = HashMap::new();
    move |seq| {
        if !page.contains_key(&seq) {
            let text = super::fetch(url, &format!("/api/events?after={}&limit={PAGE}", seq - 1))?;
            page = jsonl::parse(&text, None)?
                .into_iter()
                .map(|(_, e)| (e.seq, e.hash))
                .collect();
        }
        page.get(&seq)
            .copied()
            .ok_or_else(|| Error::Invalid(format!("{url}: no seq {seq}")))
    }
}

/// Appends checked events, and checks that the chain is the source's.
pub(super) fn keep(archive: &mut Archive, lines: Vec<(usize, Envelope)>) -> Result<(), Error> {
    jsonl::check_continuation(archive, &lines)?;
    let last = lines.last().map(|(_, e)| (e.seq, e.hash));
    jsonl::import_lines(&mut *archive, lines, None, 2000, &mut |_, _| true)?;
    if let Some((seq, hash)) = last {
        let head = archive.head()?;
        if (head.seq, head.hash) != (seq, hash) {
            return Err(Error::Failed(format!(
                "after mirroring, the head is seq {} {}, the source's seq {seq} {hash}",
                head.seq, head.hash
            )));
        }
    }
    Ok(())
}
