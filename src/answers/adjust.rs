//! `adjust`: the points adjustment a request asks for.

use scoreledger::{Archive, Date, Error, Event, PointsAdjustment};

use super::scope::{SeasonScope, Why};

/// What the command takes, from the command line or as a JSON object (the
/// server's write API, with the same names).
#[derive(clap::Args, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fields {
    #[command(flatten)]
    #[serde(flatten)]
    scope: SeasonScope,
    /// The team, as the season names it.
    #[arg(long)]
    team: String,
    /// Points to add; negative to deduct, e.g. --points -3.
    #[arg(long, allow_negative_numbers = true)]
    points: i32,
    /// The date from which the adjustment counts (YYYY-MM-DD).
    #[arg(long, value_parser = Date::parse_iso)]
    date: Date,
    /// Accept a date outside the season's window deliberately (without it,
    /// such a date is refused as a likely typo).
    #[arg(long)]
    #[serde(default)]
    allow_outside_season: bool,
    #[command(flatten)]
    #[serde(flatten)]
    why: Why,
}

/// The adjustment to append: its scope checked here (an unknown
/// competition, season or stage is refused as a likely typo), the rest
/// when appended.
pub(crate) fn event(archive: &Archive, a: Fields) -> Result<Event, Error> {
    a.scope.check_known(archive)?;
    if !a.allow_outside_season {
        let f = scoreledger::Filter {
            competition: Some(a.scope.competition.clone()),
            season: Some(a.scope.season.clone()),
            stage: a.scope.stage.clone(),
        };
        if let Some(why) = archive.fixture_problem(&f, None, a.date)? {
            return Err(Error::Invalid(format!(
                "{why}; pass --allow-outside-season to adjust from that date anyway"
            )));
        }
    }
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
