//! `scoreledger annul ID`

use crate::answers::annul::{event, Fields};
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger annul 7dee3f71fd --reason 'abandoned; replayed on 1984-12-20'

The match stays in the archive and in `results` (marked annulled) but no longer
counts in tables. A replay is recorded as a new match.";

/// Annul a match: it no longer counts.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    pub fields: Fields,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let mut archive = db.open_existing()?;
    let event = event(&archive, a.fields)?;
    super::append_one(&mut archive, event)
}
