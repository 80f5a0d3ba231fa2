//! `annul`: the annulment a request asks for.

use scoreledger::{Annulment, Archive, Error, Event};

use super::scope::Why;

/// What the command takes, from the command line or as a JSON object (the
/// server's write API, with the same names).
#[derive(clap::Args, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fields {
    /// Match id (or a unique prefix), as `results` shows it.
    id: String,
    #[command(flatten)]
    #[serde(flatten)]
    why: Why,
}

/// The annulment to append.
pub(crate) fn event(archive: &Archive, a: Fields) -> Result<Event, Error> {
    let rec = archive.find_match(&a.id)?;
    Ok(Event::MatchAnnulled(Annulment {
        match_id: rec.id,
        reason: a.why.reason,
        source: a.why.source,
    }))
}
