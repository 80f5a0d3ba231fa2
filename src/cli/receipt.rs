//! `scoreledger receipt`

use std::path::PathBuf;

use scoreledger::integrity::checkpoint::Checkpoint;
use scoreledger::integrity::note::Note;
use scoreledger::Error;

use super::FilterArgs;

const EXAMPLES: &str = "\
Examples:
  scoreledger checkpoint --sign log.key > cp.txt
  scoreledger receipt --as-of 1984-12-09 --checkpoint cp.txt --output r.json
  scoreledger verify-receipt r.json --key log.vkey         (anyone, offline)

A receipt holds the table, the stage's list in the stage index (every event
its table is folded from: results, their corrections, awards and
annulments, rules, registrations and adjustments of the stage and its
season, renames in its competition) with its proof against the
checkpoint's index line, each of those events as its stored envelope with
an inclusion proof, and the checkpoint. It proves that the table follows
from every event of the stage in the published log at the checkpoint's
size; not that those events are true to the pitch (schema/receipts.md).
The checkpoint must carry an index line (one made by this version).";

/// Write a self-contained, checkable receipt for a table.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    cut: super::CutArgs,
    /// The (signed) checkpoint the proofs lead to; the archive must extend it.
    #[arg(long, value_name = "FILE")]
    checkpoint: PathBuf,
    /// Where to write the receipt (`-` for standard output).
    #[arg(long, value_name = "R.json")]
    output: PathBuf,
    #[command(flatten)]
    force: super::output::ForceArg,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let text = super::read_file(&a.checkpoint, "checkpoint")?;
    let note = Note::parse(&text)
        .map_err(|e| Error::Invalid(format!("{}: {e}", a.checkpoint.display())))?;
    let cp = Checkpoint::parse(&note.text)
        .map_err(|e| Error::Invalid(format!("{}: {e}", a.checkpoint.display())))?;
    if note.signatures.is_empty() {
        eprintln!(
            "note: {} is not signed; a reader can check the receipt only against a checkpoint they trust",
            a.checkpoint.display()
        );
    }
    let archive = db.open_existing()?;
    let receipt = archive.receipt(&a.filter.filter(), a.cut.cut(), &text, &cp)?;
    let json = serde_json::to_string_pretty(&receipt).map_err(|e| Error::Invalid(e.to_string()))?;
    super::output::write(db, &a.output, &format!("{json}\n"), "the receipt", &a.force)
}
