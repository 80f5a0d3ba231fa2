//! `scoreledger adjust`

use scoreledger::{Archive, Date, Error, Event, PointsAdjustment};

const EXAMPLES: &str = "\
Examples:
  scoreledger adjust --competition 'Copa Perú' --season 1984 \\
      --team 'Bella Esperanza' --points -3 --date 1984-12-10 \\
      --reason 'unpaid registration fee'

--points is signed (negative for a deduction) and counts in every table dated
on or after --date. Tables show it in an Adj column; Pts includes it.";

/// Add or deduct points for a team from a date on.
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
    #[command(flatten)]
    #[serde(flatten)]
    scope: super::SeasonScope,
    /// The team, as the season names it.
    #[arg(long)]
    team: String,
    /// Points to add; negative to deduct, e.g. --points -3.
    #[arg(long, allow_negative_numbers = true)]
    points: i32,
    /// The date from which the adjustment counts (YYYY-MM-DD).
    #[arg(long, value_parser = Date::parse_iso)]
    date: Date,
    #[command(flatten)]
    #[serde(flatten)]
    why: super::Why,
}

pub fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let mut archive = db.open_existing()?;
    let event = event(&archive, a.fields)?;
    super::append_one(&mut archive, event)
}

/// The adjustment to append: its scope checked here (an unknown
/// competition, season or stage is refused as a likely typo), the rest
/// when appended.
pub fn event(archive: &Archive, a: Fields) -> Result<Event, Error> {
    a.scope.check_known(archive)?;
    Ok(Event::PointsAdjusted(PointsAdjustment {
        competition: a.scope.competition,
        season: a.scope.season,
        stage: a.scope.stage,
        team: a.team,
        points: a.points,
        date: a.date,
        reason: a.why.reason,
        source: a.why.source,
    }))
}
