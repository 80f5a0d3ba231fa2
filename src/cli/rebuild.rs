//! `scoreledger rebuild`

use std::path::Path;

use scoreledger::Error;

/// Recompute every derived entry from the events alone.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  scoreledger rebuild\n\nThe events are not touched, and the derived data is not read: it is written anew\n(so a rebuild also repairs it) and is byte-identical to what appends built."
)]
pub struct Args {}

pub fn run(db: &Path, _a: Args) -> Result<(), Error> {
    let mut archive = super::open_existing(db)?;
    let n = archive.rebuild()?;
    super::print(&format!("rebuilt from {n} events\n"))
}
