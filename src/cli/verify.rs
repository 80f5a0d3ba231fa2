//! `scoreledger verify`

use std::path::Path;

use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger verify && echo archive intact

Re-hashes every event from the first, checks that each one's prev is the
hash before it and that the head record names the last one. Exit 0 prints
'ok: N events, head HASH'; a failure exits 1 naming the first bad seq.";

/// Check the hash chain of the whole archive.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {}

pub fn run(db: &Path, _a: Args) -> Result<(), Error> {
    let archive = super::open_existing(db)?;
    let report = archive.verify()?;
    super::print(&format!(
        "ok: {} events, head {}\n",
        report.events, report.head
    ))
}
