//! `scoreledger award ID --to TEAM`

use scoreledger::import::season_page::parse_score;
use scoreledger::{Archive, Award, Error, Event};

const EXAMPLES: &str = "\
Examples:
  scoreledger award 040f6a58f5 --to 'Universitario de Tacna' \\
      --reason 'ineligible player fielded'
  scoreledger award 762b6f8ebb --to 'Alianza Atlético' --score 2-0 \\
      --reason 'walkover'
  scoreledger award 4987487c64 --to 'Los Espartanos' --keep-score \\
      --reason 'protest rejected, result stands'

--score is the awarded team's goals first (default 3-0); --keep-score keeps the
score played, which must then be a win for that team.";

/// Award a match to one of its teams.
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
pub struct Fields {
    /// Match id (or a unique prefix), as `results` shows it.
    id: String,
    /// The team the match is awarded to.
    #[arg(long)]
    to: String,
    /// Awarded score, the awarded team's goals first.
    #[arg(
        long,
        default_value = "3-0",
        conflicts_with = "keep_score",
        allow_hyphen_values = true
    )]
    #[serde(default = "awarded_score")]
    score: String,
    /// Keep the score played instead of an awarded score.
    #[arg(long)]
    #[serde(default)]
    keep_score: bool,
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

fn awarded_score() -> String {
    "3-0".into()
}

/// The award to append.
pub fn event(archive: &Archive, a: Fields) -> Result<Event, Error> {
    let (winner, loser) = parse_score(&a.score).map_err(Error::Invalid)?;
    let rec = archive.find_match(&a.id)?;
    let home = scoreledger::names::same(&a.to, &rec.result.home);
    let (home_goals, away_goals) = if home {
        (winner, loser)
    } else {
        (loser, winner)
    };
    Ok(Event::MatchAwarded(Award {
        match_id: rec.id,
        to: a.to,
        home_goals,
        away_goals,
        kept_score: a.keep_score,
        reason: a.why.reason,
        source: a.why.source,
    }))
}
