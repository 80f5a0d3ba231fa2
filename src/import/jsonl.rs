//! The archive's own export: one envelope per line, `{"seq", "recorded_at",
//! "prev", "hash", "event"}`. Importing it into an empty store rebuilds the
//! archive with the identical head hash.

use std::path::Path;

use crate::archive::Archive;
use crate::derived::envelope::Envelope;
use crate::error::{Error, Result};
use crate::format::chain::{event_hash, Hash};
use crate::format::encoding;
use crate::import::ImportReport;
use crate::model::event::Event;

fn err(file: Option<&Path>, line: usize, msg: impl Into<String>) -> Error {
    Error::Parse {
        file: file.map(Into::into),
        line,
        msg: msg.into(),
    }
}

/// Reads and checks every line: each event re-hashes to its `hash`, and each
/// `prev` is the hash of the line before it.
pub fn parse(text: &str, file: Option<&Path>) -> Result<Vec<(usize, Envelope)>> {
    let mut out: Vec<(usize, Envelope)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let env: Envelope = serde_json::from_str(line)
            .map_err(|e| err(file, n, format!("not an exported event: {e}")))?;
        let bytes = encoding::encode_event(&env.event);
        let hash = event_hash(env.seq, env.recorded_at, &env.prev, &bytes);
        if hash != env.hash {
            return Err(err(
                file,
                n,
                format!(
                    "seq {}: the event does not hash to {} (was the line edited?)",
                    env.seq, env.hash
                ),
            ));
        }
        if let Some((_, last)) = out.last() {
            if env.seq != last.seq + 1 || env.prev != last.hash {
                return Err(err(
                    file,
                    n,
                    format!(
                        "seq {} does not follow seq {} (prev {} is not {})",
                        env.seq, last.seq, env.prev, last.hash
                    ),
                ));
            }
        }
        out.push((n, env));
    }
    Ok(out)
}

/// Appends exported events with their own `recorded_at`. Into an empty store
/// an export that starts at seq 1 gives back the same chain. Everything is
/// checked before anything is written: every line, every event against the
/// archive (a dry run), and, into an empty store, that each event would be
/// stored exactly as exported, so that the head hash is the export's.
pub fn import(
    target: impl crate::import::target::Target,
    text: &str,
    file: Option<&Path>,
    batch: usize,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportReport> {
    import_lines(target, parse(text, file)?, file, batch, progress)
}

/// Checks that `lines` continue the archive exactly: the first is seq
/// head + 1 with prev the head's hash, and each would be stored byte for
/// byte (so that every hash is the source's). What a mirror checks before
/// it keeps anything.
pub fn check_continuation(archive: &Archive, lines: &[(usize, Envelope)]) -> Result<()> {
    let head = archive.head()?;
    if let Some((n, first)) = lines.first() {
        if first.seq != head.seq + 1 || first.prev != head.hash {
            return Err(err(
                None,
                *n,
                format!(
                    "seq {} (prev {}) does not continue this archive's head, seq {} {}",
                    first.seq, first.prev, head.seq, head.hash
                ),
            ));
        }
    }
    check(archive, lines, None)
}

/// [`import`] of lines already read by [`parse`].
pub fn import_lines(
    mut target: impl crate::import::target::Target,
    lines: Vec<(usize, Envelope)>,
    file: Option<&Path>,
    batch: usize,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportReport> {
    check(&target.archive(), &lines, file)?;
    let total = lines.len();
    let mut out = ImportReport::default();
    let mut i = 0;
    while i < total {
        // One batch: consecutive events recorded at the same instant.
        let at = lines[i].1.recorded_at;
        let mut j = i;
        while j < total && j - i < batch.max(1) && lines[j].1.recorded_at == at {
            j += 1;
        }
        let events: Vec<Event> = lines[i..j].iter().map(|(_, e)| e.event.clone()).collect();
        let report = target.archive().append(events, at).map_err(|e| {
            let e = match e {
                Error::Rejected { index, source } => {
                    err(file, lines[i + index].0, source.to_string())
                }
                other => other,
            };
            crate::import::partial(e, &out)
        })?;
        out.add(&report);
        i = j;
        if !progress(i, total) && i < total {
            return Err(crate::import::interrupted(&out, i, total));
        }
    }
    Ok(out)
}

/// Refuses, before anything is written (what [`import`] checks first), an
/// export that the archive would
/// not take whole, or (into an empty store, or continuing the archive's
/// head: its first event is seq head + 1 with prev the head's hash) would
/// not take byte for byte, so that the chain stays the export's.
pub fn check(archive: &Archive, lines: &[(usize, Envelope)], file: Option<&Path>) -> Result<()> {
    let head = archive.head()?;
    let continues = lines
        .first()
        .is_some_and(|(_, first)| first.seq == head.seq + 1 && first.prev == head.hash);
    let empty = head.seq == 0;
    if empty {
        if let Some((n, first)) = lines.first() {
            if first.seq != 1 || first.prev != Hash::GENESIS {
                return Err(err(
                    file,
                    *n,
                    format!("the export starts at seq {}, not at seq 1", first.seq),
                ));
            }
        }
    }
    let planned = archive
        .dry_run(lines.iter().map(|(_, e)| &e.event))
        .map_err(|e| match e {
            Error::Rejected { index, source } => err(file, lines[index].0, source.to_string()),
            other => other,
        })?;
    if empty || continues {
        for ((n, env), plan) in lines.iter().zip(&planned) {
            match plan {
                Some(stored) if *stored == env.event => {}
                Some(_) => {
                    return Err(err(file, *n, format!("seq {}: the archive would store this event respelled (a name that folds like an earlier one), so its hash would not be {}", env.seq, env.hash)));
                }
                None => {
                    return Err(err(file, *n, format!("seq {}: the event repeats an earlier one of the export, so the chain would not be the export's", env.seq)));
                }
            }
        }
    }
    Ok(())
}
