//! `scoreledger consistency OLD`

use scoreledger::integrity::checkpoint::ConsistencyProof;
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
pub struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// The earlier tree size.
    old: u64,
    /// The later tree size (default: the archive's).
    #[arg(long, value_name = "N")]
    size: Option<u64>,
}

/// The proof as text: what `consistency` prints and the server serves.
pub fn text(archive: &scoreledger::Archive, old: u64, new: Option<u64>) -> Result<String, Error> {
    let new = match new {
        Some(n) => n,
        None => archive.head()?.seq,
    };
    let head = archive.head()?.seq;
    if old > new || new > head {
        return Err(Error::Invalid(format!(
            "sizes must be 0 <= old <= new <= {head} (the archive's size); got {old} and {new}"
        )));
    }
    let path = archive.consistency_proof(old, new)?;
    Ok(ConsistencyProof { old, new, path }.to_text())
}

pub fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    super::print(&text(&archive, a.old, a.size)?)
}
