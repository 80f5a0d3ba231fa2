//! `record`: the result a request asks for, checked against the archive.

use scoreledger::import::season_page::parse_score;
use scoreledger::{Archive, Date, Error, Event, Filter, Fixture, MatchResult};

use super::scope::{did_you_mean, SeasonScope};

/// What `record` takes, from the command line or as a JSON object (the
/// server's `POST /api/record`, with the same names).
#[derive(clap::Args, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Fields {
    #[command(flatten)]
    #[serde(flatten)]
    scope: SeasonScope,
    /// Group within the stage, if any.
    #[arg(long)]
    group: Option<String>,
    /// Round (matchday), from 1.
    #[arg(long)]
    round: u32,
    /// Date played, YYYY-MM-DD.
    #[arg(long, value_parser = Date::parse_iso)]
    date: Date,
    /// Record a date outside the season, or a round past a complete
    /// round-robin, deliberately.
    #[arg(long)]
    #[serde(default)]
    allow_outside_season: bool,
    /// Accept a team the season does not have yet (without it, an unknown
    /// name is refused as a likely typo, with the nearest known names).
    #[arg(long)]
    #[serde(default)]
    new_team: bool,
    /// Home team.
    home: String,
    /// Full-time score, home first: 3-2.
    #[arg(allow_hyphen_values = true)]
    pub score: String,
    /// Away team.
    away: String,
}

/// The season's one stage, when `--stage` is left out.
fn only_stage(archive: &Archive, scope: &SeasonScope) -> Result<String, Error> {
    let filter = Filter {
        competition: Some(scope.competition.clone()),
        season: Some(scope.season.clone()),
        stage: None,
    };
    let (c, s) = (&scope.competition, &scope.season);
    match archive.at(None)?.matching_stages(&filter) {
        Ok(stages) if stages.len() == 1 => Ok(stages[0].stage.clone()),
        Ok(stages) => {
            let names: Vec<&str> = stages.iter().map(|s| s.stage.as_str()).collect();
            Err(Error::Invalid(format!(
                "--stage is needed: {c} {s} has stages {}",
                names.join(", ")
            )))
        }
        Err(_) => Err(Error::Invalid(format!(
            "--stage is needed: {c} {s} has no stages yet"
        ))),
    }
}

/// The result's teams the season does not know yet: refused as likely
/// typos (with the nearest known names) unless `--new-team`.
fn new_teams(archive: &Archive, a: &Fields) -> Result<Vec<String>, Error> {
    let (c, s) = (&a.scope.competition, &a.scope.season);
    let known = archive.season_teams(c, s)?;
    let mut new = Vec::new();
    for (what, team) in [("home team", &a.home), ("away team", &a.away)] {
        if let Some(p) =
            scoreledger::model::names::problem(what, &scoreledger::model::names::clean(team))
        {
            return Err(Error::Invalid(p));
        }
        if archive.knows_team(c, s, team)? {
            continue;
        }
        if !known.is_empty() && !a.new_team {
            let hint = did_you_mean(&scoreledger::model::names::nearest(team, &known, 3));
            return Err(Error::Invalid(format!(
                "unknown team '{team}' in {c} {s}{hint}; pass --new-team to add it"
            )));
        }
        new.push(team.clone());
    }
    Ok(new)
}

/// Teams the season did not know: (team, competition, season).
pub(crate) type NewTeams = Vec<(String, String, String)>;

/// The result to append, checked against the archive (its stage, the
/// season's dates and teams), and the teams it adds.
pub(crate) fn event(archive: &Archive, a: Fields) -> Result<(Event, NewTeams), Error> {
    let (hg, ag) = parse_score(&a.score).map_err(Error::Invalid)?;
    a.scope.check_known(archive)?;
    let stage = match a.scope.stage.clone() {
        Some(s) => s,
        None => only_stage(archive, &a.scope)?,
    };
    if !a.allow_outside_season {
        let f = Filter {
            competition: Some(a.scope.competition.clone()),
            season: Some(a.scope.season.clone()),
            stage: Some(stage.clone()),
        };
        if let Some(why) = archive.fixture_problem(&f, Some(a.round), a.date)? {
            return Err(Error::Invalid(format!(
                "{why}; pass --allow-outside-season to record it anyway"
            )));
        }
    }
    let new = new_teams(archive, &a)?;
    let mut m = MatchResult::new(
        Fixture {
            competition: &a.scope.competition,
            season: &a.scope.season,
            stage: &stage,
            round: Some(a.round),
            date: a.date,
            home: &a.home,
            away: &a.away,
        },
        hg,
        ag,
    );
    m.group = a.group;
    refuse_replay_of_annulled(archive, &m)?;
    let new = new
        .into_iter()
        .map(|t| (t, a.scope.competition.clone(), a.scope.season.clone()))
        .collect();
    Ok((Event::MatchResult(m), new))
}

/// A result whose match (the same fixture: stage, round, date and teams)
/// was annulled is refused: it would be "already recorded" and count for
/// nothing, where its sender meant a replay, which is a new match.
fn refuse_replay_of_annulled(archive: &Archive, m: &MatchResult) -> Result<(), Error> {
    let Some(rec) = archive.held(m)? else {
        return Ok(());
    };
    if rec.effective(u64::MAX).state != scoreledger::model::record::MatchState::Annulled {
        return Ok(());
    }
    Err(Error::Invalid(format!(
        "match {} ({} v {} on {}) was annulled; a replay is a new match: record it with the date (or round) it was played on",
        rec.id.short(),
        rec.result.home,
        rec.result.away,
        rec.result.date
    )))
}
