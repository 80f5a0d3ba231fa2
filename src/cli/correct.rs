//! `scoreledger correct ID SCORE`

use scoreledger::import::season_page::parse_score;
use scoreledger::{Archive, Error, Event, ResultCorrection};

const EXAMPLES: &str = "\
Examples:
  scoreledger results --round 1                  find the match id
  scoreledger correct 040f6a58f5 2-2 --reason 'score mistyped' \\
      --source 'El Comercio, 3 Dec 1984'

The recorded result is not touched: the correction is a new event, shown by
`history ID`, and tables as known before it (--known-at) do not change.";

/// Correct the score of a recorded match.
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
    /// Match id (or a unique prefix of at least 4 characters), as `results` shows it.
    id: String,
    /// The right full-time score, home first: 2-2.
    #[arg(allow_hyphen_values = true)]
    score: String,
    #[command(flatten)]
    #[serde(flatten)]
    why: super::Why,
}

pub fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    parse_score(&a.fields.score).map_err(Error::Invalid)?;
    let mut archive = db.open_existing()?;
    let event = event(&archive, a.fields)?;
    super::append_one(&mut archive, event)
}

/// The correction to append.
pub fn event(archive: &Archive, a: Fields) -> Result<Event, Error> {
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
