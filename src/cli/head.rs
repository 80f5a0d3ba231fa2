//! `scoreledger head`

use std::path::Path;

use scoreledger::Error;

/// Print the latest seq and its hash: "N HASH".
#[derive(clap::Args)]
#[command(after_help = "Example:\n  scoreledger head        prints e.g. '23 6f1c...'")]
pub struct Args {}

pub fn run(db: &Path, _a: Args) -> Result<(), Error> {
    let archive = super::open_existing(db)?;
    let head = archive.head()?;
    super::print(&format!("{} {}\n", head.seq, head.hash))
}
