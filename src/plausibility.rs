//! Data plausibility: checks that a well-formed archive can still fail
//! (a team twice on one day, a fixture twice, a winner that is not the leader, ...).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::derived::ledger::Ledger;
use crate::derived::{self, StageInfo};
use crate::error::Result;
use crate::model::date::Date;
use crate::model::names;
use crate::projection::projector::{self, Cut};
use crate::projection::query::Filter;

/// One goal count above which a score is reported as implausible.
pub const IMPLAUSIBLE_GOALS: u16 = 20;

/// One problem found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// `self-play`, `twice-on-a-day`, `fixture-twice`, `unequal-games`,
    /// `winner-not-leader`, `date-outside-season`, `before-first-round`,
    /// `implausible-score`, `missing-season`.
    pub check: &'static str,
    /// The competition the problem is in.
    pub competition: String,
    /// The season the problem is in (for `missing-season`, the season after the gap).
    pub season: String,
    /// The stage; `None` for a problem of the competition's seasons (`missing-season`).
    pub stage: Option<String>,
    /// Short match id, when one match is at fault.
    pub match_id: Option<String>,
    /// The seq of the event that recorded it.
    pub seq: Option<u64>,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// Seasons a competition did not play, which are not missing data:
/// (competition, first and last start year, why).
const SUSPENDED: [(&str, i32, i32, &str); 2] = [
    (
        "English League",
        1915,
        1918,
        "the Football League was suspended during the First World War (1915-16 to 1918-19)",
    ),
    (
        "English League",
        1939,
        1945,
        "the Football League was suspended during the Second World War (1939-40, abandoned after three matches, to 1945-46)",
    ),
];

/// True when every season from `from` to `to` (start years) falls in one
/// suspension of the competition.
fn suspended(competition: &str, from: i32, to: i32) -> bool {
    SUSPENDED
        .iter()
        .any(|(c, a, b, _)| names::same(c, competition) && *a <= from && to <= *b)
}

/// Seasons missing from a competition between its first and last: where
/// consecutive seasons (by their first year) are more than a year apart,
/// unless the competition was suspended then.
fn missing_seasons(stages: &[StageInfo]) -> Vec<Problem> {
    let mut by_comp: BTreeMap<String, (String, BTreeMap<i32, String>)> = BTreeMap::new();
    for info in stages {
        let Some((from, _)) = crate::model::date::season_window(&info.season) else {
            continue;
        };
        by_comp
            .entry(names::fold(&info.competition))
            .or_insert_with(|| (info.competition.clone(), BTreeMap::new()))
            .1
            .insert(from.year(), info.season.clone());
    }
    let mut out = Vec::new();
    for (competition, years) in by_comp.into_values() {
        let list: Vec<(&i32, &String)> = years.iter().collect();
        for pair in list.windows(2) {
            let ((y1, s1), (y2, s2)) = (pair[0], pair[1]);
            if y2 - y1 > 1 && !suspended(&competition, y1 + 1, y2 - 1) {
                let gap = y2 - y1 - 1;
                out.push(Problem {
                    check: "missing-season",
                    competition: competition.clone(),
                    season: s2.clone(),
                    stage: None,
                    match_id: None,
                    seq: None,
                    message: format!(
                        "{gap} season{} missing between {s1} and {s2}",
                        if gap == 1 { " is" } else { "s are" }
                    ),
                });
            }
        }
    }
    out
}

/// (competition, date, team) -> "team|match id" and the stage, of each
/// match that day across the competition's stages.
type Days = BTreeMap<(String, Date, String), Vec<(String, StageInfo)>>;
/// Stage -> the date of its last match and its final table.
type Finals =
    HashMap<crate::format::keys::ScopeKey, (Option<Date>, Vec<crate::projection::projector::Row>)>;

/// A problem found in one stage.
fn problem(
    info: &StageInfo,
    check: &'static str,
    match_id: Option<String>,
    seq: Option<u64>,
    message: String,
) -> Problem {
    Problem {
        check,
        competition: info.competition.clone(),
        season: info.season.clone(),
        stage: Some(info.stage.clone()),
        match_id,
        seq,
        message,
    }
}

impl Ledger {
    /// Runs every plausibility check over the selected stages, as the archive
    /// stands now. Each problem is reported once.
    pub fn audit(&self, f: &Filter) -> Result<Vec<Problem>> {
        let view = self.at(None)?;
        let head = view.known_at();
        let stages = view.matching_stages(f)?;
        let mut out = Vec::new();
        let mut finals = Finals::new();
        let mut days = Days::new();
        for info in &stages {
            let records = derived::match_records(&self.store, &info.stage_key, head)?;
            out.extend(match_checks(info, &records, head, &mut days));
            let input = derived::stage_input_from(&self.store, info, head, &records)?;
            let table = projector::table(&input, Cut::All);
            out.extend(unequal_games(info, &input, &table));
            let latest = records.iter().map(|r| r.result.date).max();
            finals.insert(info.stage_key, (latest, table));
        }
        out.extend(twice_on_a_day(&days));
        out.extend(self.winners_not_leaders(&stages, &finals)?);
        out.extend(missing_seasons(&stages));
        Ok(out)
    }

    /// Declared winners against the computed leader of the season's last stage.
    fn winners_not_leaders(&self, stages: &[StageInfo], finals: &Finals) -> Result<Vec<Problem>> {
        let mut out = Vec::new();
        let mut seasons: BTreeMap<(String, String), Vec<&StageInfo>> = BTreeMap::new();
        for info in stages {
            seasons
                .entry((names::fold(&info.competition), names::fold(&info.season)))
                .or_default()
                .push(info);
        }
        for infos in seasons.values() {
            let Some(facts) = self.season_facts(&infos[0].competition, &infos[0].season)? else {
                continue;
            };
            let Some(winner) = facts.winners else {
                continue;
            };
            let mut last: Option<(Date, &StageInfo)> = None;
            for info in infos {
                if let Some((Some(d), _)) = finals.get(&info.stage_key) {
                    if last.is_none_or(|(l, _)| *d > l) {
                        last = Some((*d, info));
                    }
                }
            }
            let Some((_, info)) = last else { continue };
            let table = &finals[&info.stage_key].1;
            let leaders: Vec<&str> = table
                .iter()
                .filter(|r| r.pos == 1)
                .map(|r| r.team.as_str())
                .collect();
            if !leaders.iter().any(|t| names::same(t, &winner)) {
                out.push(problem(
                    info,
                    "winner-not-leader",
                    None,
                    None,
                    format!(
                        "the declared winners are {winner}, but the table of {} is led by {}",
                        info.stage,
                        leaders.join(" and ")
                    ),
                ));
            }
        }
        Ok(out)
    }
}

/// The checks of each counted match of a stage (self-play, a date outside
/// the season, an implausible score) and of its fixtures (the same home and
/// away teams twice); notes each match's day for `twice_on_a_day`.
fn match_checks(
    info: &StageInfo,
    records: &[crate::model::record::MatchRecord],
    head: u64,
    days: &mut Days,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let window = crate::model::postponed::window(&info.competition, &info.season);
    let opening = first_round_opening(
        records
            .iter()
            .filter(|r| r.effective(head).counts)
            .map(|r| (r.result.round, r.result.date)),
    );
    let mut pairs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for rec in records {
        let e = rec.effective(head);
        if !e.counts {
            continue;
        }
        let m = &rec.result;
        let id = rec.id.short();
        let found = |check, message| problem(info, check, Some(id.clone()), Some(rec.seq), message);
        if names::same(&m.home, &m.away) {
            out.push(found(
                "self-play",
                format!("{} plays itself on {}", m.home, m.date),
            ));
        }
        if let Some((from, to)) = window {
            if m.date < from || m.date > to {
                out.push(found(
                    "date-outside-season",
                    format!(
                        "{} v {} on {} is outside season {} ({from} to {to})",
                        m.home, m.away, m.date, info.season
                    ),
                ));
            }
        }
        if let (Some(round), Some(opening)) = (m.round, opening) {
            if round > 1 && m.date < opening {
                out.push(found(
                    "before-first-round",
                    format!(
                        "{} v {} of round {round} on {} is dated before the stage's first round was played ({opening})",
                        m.home, m.away, m.date
                    ),
                ));
            }
        }
        if e.home_goals >= IMPLAUSIBLE_GOALS || e.away_goals >= IMPLAUSIBLE_GOALS {
            out.push(found(
                "implausible-score",
                format!(
                    "{} {}-{} {} on {}: {IMPLAUSIBLE_GOALS} or more goals for one team",
                    m.home, e.home_goals, e.away_goals, m.away, m.date
                ),
            ));
        }
        pairs
            .entry((names::fold(&m.home), names::fold(&m.away)))
            .or_default()
            .push(format!("{} ({})", id, m.date));
        for team in [&m.home, &m.away] {
            days.entry((names::fold(&info.competition), m.date, names::fold(team)))
                .or_default()
                .push((format!("{team}|{id}"), info.clone()));
        }
    }
    for ids in pairs.values().filter(|ids| ids.len() > 1) {
        let first = ids[0].split(' ').next().unwrap_or_default().to_string();
        out.push(problem(
            info,
            "fixture-twice",
            Some(first),
            None,
            format!(
                "the same home and away teams meet {} times: {}",
                ids.len(),
                ids.join(", ")
            ),
        ));
    }
    out
}

/// The day a stage's first round opened: the earliest date of its round-1
/// matches (`None` without any). A match of a later round dated before it
/// is implausible (a date a year out, as in a file that dated a season's
/// July in the year before).
pub(crate) fn first_round_opening(
    matches: impl Iterator<Item = (Option<u32>, Date)>,
) -> Option<Date> {
    matches
        .filter(|(round, _)| *round == Some(1))
        .map(|(_, date)| date)
        .min()
}

/// A complete round-robin (as many matches as full rounds of pairings) in
/// which teams played different numbers of games.
fn unequal_games(
    info: &StageInfo,
    input: &crate::projection::projector::StageInput,
    table: &[crate::projection::projector::Row],
) -> Option<Problem> {
    let teams = table.len() as u64;
    let counted = input.matches.iter().filter(|m| m.counts).count() as u64;
    let pairings = teams * teams.saturating_sub(1) / 2;
    if pairings == 0 || counted == 0 || !counted.is_multiple_of(pairings) {
        return None;
    }
    let played: BTreeSet<u32> = table.iter().map(|r| r.played).collect();
    if played.len() < 2 {
        return None;
    }
    let detail: Vec<String> = table
        .iter()
        .map(|r| format!("{} {}", r.team, r.played))
        .collect();
    Some(problem(
        info,
        "unequal-games",
        None,
        None,
        format!(
            "{counted} matches make a complete round-robin of {teams} teams, but games played differ: {}",
            detail.join(", ")
        ),
    ))
}

/// A team with more than one match on a day, across a competition's stages.
fn twice_on_a_day(days: &Days) -> Vec<Problem> {
    let mut out = Vec::new();
    for ((_, date, _), list) in days.iter().filter(|(_, l)| l.len() > 1) {
        let (team, _) = list[0].0.split_once('|').unwrap_or_default();
        let ids: Vec<&str> = list
            .iter()
            .map(|(k, _)| k.split_once('|').map(|(_, id)| id).unwrap_or_default())
            .collect();
        let mut p = problem(
            &list[0].1,
            "twice-on-a-day",
            ids.first().map(|s| s.to_string()),
            None,
            format!(
                "{team} plays {} matches on {date}: {}",
                list.len(),
                ids.join(", ")
            ),
        );
        p.stage = None;
        out.push(p);
    }
    out
}
