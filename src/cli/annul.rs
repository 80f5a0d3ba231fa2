//! `scoreledger annul ID`

use scoreledger::{Annulment, Archive, Error, Event};

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
    #[command(flatten)]
    pub fields: Fields,
}

/// What the command takes, from the command line or as a JSON object (the
/// server's write API, with the same names).
#[derive(clap::Args, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fields {
    /// Match id (or a unique prefix), as `results` shows it.
    id: String,
    #[command(flatten)]
    #[serde(flatten)]
    why: super::Why,
}

pub fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let mut archive = db.open_existing()?;
    let event = event(&archive, a.fields)?;
    super::append_one(&mut archive, event)
}

/// The annulment to append.
pub fn event(archive: &Archive, a: Fields) -> Result<Event, Error> {
    let rec = archive.find_match(&a.id)?;
    Ok(Event::MatchAnnulled(Annulment {
        match_id: rec.id,
        reason: a.why.reason,
        source: a.why.source,
    }))
}
