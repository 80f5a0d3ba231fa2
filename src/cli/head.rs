//! `scoreledger head`

use std::path::Path;

use scoreledger::Error;

const EXAMPLES: &str = "\
Example:
  scoreledger head        prints the seq and hash of the last event, e.g.
                          23 9c998287ffa92c353172bd5d5724584773c787a9bb9355...

The hash names the whole archive: two archives with the same head hash hold
the same events in the same order.";

/// Print the latest seq and its hash: "N HASH".
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
}

pub fn run(db: &Path, _a: Args) -> Result<(), Error> {
    let archive = super::open_existing(db)?;
    let head = archive.head()?;
    super::print(&format!("{} {}\n", head.seq, head.hash))
}
