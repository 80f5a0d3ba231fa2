//! `correct`: the correction a request asks for.

use scoreledger::import::season_page::parse_score;
use scoreledger::{Archive, Error, Event, ResultCorrection};

use super::scope::Why;

/// What the command takes, from the command line or as a JSON object (the
/// server's write API, with the same names).
#[derive(clap::Args, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fields {
    /// Match id (or a unique prefix of at least 4 characters), as `results` shows it.
    id: String,
    /// The right full-time score, home first: 2-2.
    #[arg(allow_hyphen_values = true)]
    pub score: String,
    #[command(flatten)]
    #[serde(flatten)]
    why: Why,
}

/// The correction to append.
pub(crate) fn event(archive: &Archive, a: Fields) -> Result<Event, Error> {
    let (home_goals, away_goals) = parse_score(&a.score).map_err(Error::Invalid)?;
    let rec = archive.find_match(&a.id)?;
    Ok(Event::ResultCorrected(ResultCorrection {
        match_id: rec.id,
        home_goals,
        away_goals,
        reason: a.why.reason,
        source: a.why.source,
    }))
}
