//! `scoreledger verify-receipt R.json --key VKEY`

use std::path::PathBuf;

use scoreledger::integrity::checkpoint::Checkpoint;
use scoreledger::integrity::note::Note;
use scoreledger::integrity::receipt::Receipt;
use scoreledger::Error;

const EXAMPLES: &str = "\
Example:
  scoreledger verify-receipt r.json --key log.vkey

Needs no archive: checks the checkpoint's signature (for its origin), the
stage's list in the stage index against the checkpoint's index line, that
the receipt carries exactly the listed events in seq order (none left out,
none added, none repeated), every event's inclusion proof, then folds the
table from the events as `standings` does (the library's projector, the
rules in force: the stage's own, else its season's; the latest change of
each match) and compares it row by row. Exit 0 prints what was proven;
exit 1 names the first difference; exit 2 if a file cannot be read.";

/// Check a table receipt offline.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    /// The receipt (from `scoreledger receipt`).
    receipt: PathBuf,
    /// The log's verifier key (or a file holding it).
    #[arg(long, value_name = "VKEY")]
    key: String,
}

pub(super) fn run(a: Args) -> Result<(), Error> {
    let text = super::read_file(&a.receipt, "receipt")?;
    let name = a.receipt.display();
    let fail = |msg: String| Error::Failed(format!("{name}: {msg}"));
    let receipt = Receipt::parse(&text).map_err(&fail)?;
    let key = super::trust::verifier(&a.key)?;
    let note = Note::parse(&receipt.checkpoint).map_err(&fail)?;
    let cp = Checkpoint::parse(&note.text).map_err(&fail)?;
    if cp.origin != key.name {
        return Err(fail(format!(
            "the checkpoint is of origin '{}', the key signs for '{}'",
            cp.origin, key.name
        )));
    }
    note.signed_by(&key).map_err(&fail)?;
    receipt.check(&cp).map_err(&fail)?;
    let when = match (receipt.as_of, receipt.round) {
        (Some(d), _) => format!("as of {d}"),
        (_, Some(r)) => format!("after round {r}"),
        _ => "the whole stage".into(),
    };
    let top = receipt
        .table
        .first()
        .map(|r| format!("; first: {} {} pts", r.team, r.points))
        .unwrap_or_default();
    crate::answers::print(&format!(
        "ok: the table of {} {} {} ({when}, {} rows{top}) follows from all {} events of the stage in the log '{}' at size {} (its stage index lists no other), signed by {}\n",
        receipt.competition,
        receipt.season,
        receipt.stage,
        receipt.table.len(),
        receipt.events.len(),
        cp.origin,
        cp.size,
        key.to_text()
    ))
}
