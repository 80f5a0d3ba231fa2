//! `scoreledger consistency OLD`

use crate::answers::proofs::text;
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger consistency 20 > proof-20.txt          from size 20 to now
  scoreledger consistency 20 --size 22

A consistency proof (RFC 6962) that the tree of the first OLD events is a
prefix of the tree of the first SIZE events (default: all): what a witness
needs (`witness --proof FILE`) to cosign a later checkpoint.";

/// Prove that the archive of OLD events is a prefix of a larger one.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// The earlier tree size.
    old: u64,
    /// The later tree size (default: the archive's).
    #[arg(long, value_name = "N")]
    size: Option<u64>,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    crate::answers::print(&text(&archive, a.old, a.size)?)
}
