//! `scoreledger rebuild`

use scoreledger::Error;

const EXAMPLES: &str = "\
Example:
  scoreledger rebuild

The events are not touched, and the derived data is not read: it is written
anew (so a rebuild also repairs it) and is byte-identical to what appends
built. Run it after `verify` reports a damaged derived entry.";

/// Recompute every derived entry from the events alone.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
}

pub(super) fn run(db: &super::Db, _a: Args) -> Result<(), Error> {
    let mut archive = db.open_existing()?;
    let bar = super::progress::bar("rebuilding");
    let n = archive.rebuild_with(&mut super::progress::follow(&bar));
    bar.finish_and_clear();
    let n = n?;
    // Opened once more here: sled clears the space the old derived tree
    // leaves free at its next open, which is seconds at 10M events; better
    // here than in the next question.
    drop(archive);
    drop(db.open_existing()?);
    crate::answers::print(&format!("rebuilt from {n} events\n"))
}
