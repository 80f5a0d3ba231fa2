//! `scoreledger rebuild`

use std::path::Path;

use scoreledger::Error;

/// Recompute every index and snapshot from the events alone.
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  scoreledger rebuild\n\nThe events are not touched; the result is byte-identical to what appends built."
)]
pub struct Args {}

pub fn run(db: &Path, _a: Args) -> Result<(), Error> {
    let mut archive = super::open_existing(db)?;
    let n = archive.rebuild()?;
    super::print(&format!("rebuilt from {n} events\n"))
}
