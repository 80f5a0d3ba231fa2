//! `scoreledger annul ID`

use std::path::Path;

use scoreledger::{Annulment, Error, Event};

const EXAMPLES: &str = "\
Examples:
  scoreledger annul 7dee3f71fd --reason 'abandoned; replayed on 1984-12-20'

The match stays in the archive and in `results` (marked annulled) but no longer
counts in tables. A replay is recorded as a new match.";

/// Annul a match: it no longer counts.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// Match id (or a unique prefix), as `results` shows it.
    id: String,
    #[command(flatten)]
    why: super::Why,
}

pub fn run(db: &Path, a: Args) -> Result<(), Error> {
    let mut archive = super::open_existing(db)?;
    let rec = archive.find_match(&a.id)?;
    super::append_one(
        &mut archive,
        Event::MatchAnnulled(Annulment {
            match_id: rec.id,
            reason: a.why.reason,
            source: a.why.source,
        }),
    )
}
