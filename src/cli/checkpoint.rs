//! `scoreledger checkpoint`

use std::path::Path;

use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger checkpoint > checkpoint-1984-12-16.txt
  scoreledger checkpoint --origin league.example.org/copa-peru

Prints a checkpoint in the C2SP tlog-checkpoint shape: the origin line, the
number of events, the base64 Merkle root, then extension lines (the tree
variant, and the roots of the complete subtrees, which let `verify
--checkpoint` say where a rewritten archive first departs from it). Publish it
(e.g. after every matchday): `verify --checkpoint` later proves that the
archive only grew since.";

/// The origin line of a checkpoint unless one is given.
pub const DEFAULT_ORIGIN: &str = "scoreledger.local/archive";

/// Print a checkpoint: origin, size and Merkle root of the archive.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// The origin line, naming this archive.
    #[arg(long, default_value = DEFAULT_ORIGIN)]
    origin: String,
}

pub fn run(db: &Path, a: Args) -> Result<(), Error> {
    if a.origin.trim().is_empty() || a.origin.contains('\n') {
        return Err(Error::Invalid("--origin must be one non-empty line".into()));
    }
    let archive = super::open_existing(db)?;
    super::print(&archive.checkpoint(a.origin.trim())?.to_text())
}
