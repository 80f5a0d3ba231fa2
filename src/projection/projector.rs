//! The projector: a pure fold from match results to ranked standings.
//!
//! Nothing here touches the store: queries feed it a stage's rows and it
//! returns tables (after a cut, every snapshot for pictures, or each
//! matchday); no table is stored.

use std::cmp::Ordering;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use crate::model::date::Date;
use crate::model::names;
use crate::model::rules::{Scoring, Tiebreak};

/// One match as the projector sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchLine {
    /// The day of the match.
    pub date: Date,
    /// Its round, where the source numbers rounds.
    pub round: Option<u32>,
    /// The seq of the event that recorded the match.
    pub seq: u64,
    /// The home team, as the match spells it (the projector applies
    /// renames). Shared, so that a stage's lines cost no copy of its team
    /// names.
    pub home: Arc<str>,
    /// The away team, as the match spells it.
    pub away: Arc<str>,
    /// Home goals that count, as corrected or awarded at the table's `known_at`.
    pub home_goals: u16,
    /// Away goals that count, as corrected or awarded at the table's `known_at`.
    pub away_goals: u16,
    /// False for cancelled, postponed, abandoned (or annulled) matches.
    pub counts: bool,
}

/// One line of a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// 1-based; teams level on every criterion share the same position.
    pub pos: u32,
    /// True when another team has the same position (`4=`).
    pub shared: bool,
    /// The team, under its newest name.
    pub team: String,
    /// Matches counted.
    pub played: u32,
    /// Matches won.
    pub won: u32,
    /// Matches drawn.
    pub drawn: u32,
    /// Matches lost.
    pub lost: u32,
    /// Goals scored in counted matches.
    pub goals_for: u32,
    /// Goals conceded in counted matches.
    pub goals_against: u32,
    /// `goals_for - goals_against`.
    pub goal_difference: i64,
    /// Points including `adjustment`.
    pub points: i64,
    /// Points added or deducted by adjustments (already in `points`).
    pub adjustment: i64,
}

/// Which results a table includes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cut {
    /// Every result.
    All,
    /// Results played on or before this date.
    AsOf(Date),
    /// Results of rounds 1 to N, whenever played.
    Round(u32),
}

impl Cut {
    /// Whether a match falls inside this cut (counted or not).
    pub fn includes(self, m: &MatchLine) -> bool {
        match self {
            Cut::All => true,
            Cut::AsOf(d) => m.date <= d,
            Cut::Round(n) => m.round.is_some_and(|r| r <= n),
        }
    }
}

/// Where a snapshot belongs: after a date, or after a round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SnapshotAt {
    /// The table after every result played on or before this date.
    Date(Date),
    /// The table after rounds 1 to N.
    Round(u32),
}

/// Points added to or deducted from a team from a date on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjustment {
    /// The first day the points count.
    pub date: Date,
    /// The team, as the adjustment names it.
    pub team: String,
    /// Points added (positive) or deducted (negative).
    pub points: i64,
    /// For every stage of the season (no stage named): it counts only in
    /// a stage where the team plays or is registered, and adds no row.
    pub whole_season: bool,
}

/// What a stage's table is made from.
#[derive(Clone, Debug, Default)]
pub struct StageInput {
    /// Registered teams, in registration order (they appear with zeros).
    pub teams: Vec<String>,
    /// Results, in any order (the projector sorts them).
    pub matches: Vec<MatchLine>,
    /// The points for a result and the tie-break order.
    pub scoring: Scoring,
    /// Points adjustments, in any order.
    pub adjustments: Vec<Adjustment>,
    /// (old name, new name) in the order they were recorded: both are one
    /// club, shown under the newest name.
    pub renames: Vec<(String, String)>,
    /// (team, fair-play points) in the order stated: the last for a team
    /// counts. Read only by the `fair-play` tie-break; a team with none
    /// stated is level with every other on it.
    pub fair_play: Vec<(String, i64)>,
}

#[derive(Clone, Copy, Default, Debug)]
struct Stats {
    played: u32,
    won: u32,
    drawn: u32,
    lost: u32,
    gf: u32,
    ga: u32,
    away_goals: u32,
    points: i64,
    adjustment: i64,
}

/// A running table.
struct Tally<'a> {
    scoring: &'a Scoring,
    names: Vec<String>,
    /// Folded names, for matching spellings and for a stable order.
    folds: Vec<String>,
    /// Exact spelling -> team, then folded spelling -> team.
    exact: HashMap<String, usize>,
    index: HashMap<String, usize>,
    /// (old name, new name), in the order recorded.
    renamed: Vec<(String, String)>,
    stats: Vec<Stats>,
    /// Counted matches as (home index, away index, home goals, away goals).
    played: Vec<(usize, usize, u16, u16)>,
    /// Team index -> fair-play points, where stated.
    fair_play: HashMap<usize, i64>,
}

impl<'a> Tally<'a> {
    fn new(input: &StageInput, scoring: &'a Scoring) -> Tally<'a> {
        let mut acc = Tally {
            scoring,
            names: Vec::new(),
            folds: Vec::new(),
            exact: HashMap::default(),
            index: HashMap::default(),
            renamed: input.renames.clone(),
            stats: Vec::new(),
            played: Vec::new(),
            fair_play: HashMap::default(),
        };
        for t in &input.teams {
            acc.team(t);
        }
        // Every team of the stage appears in every table of it.
        for m in &input.matches {
            acc.team(&m.home);
            acc.team(&m.away);
        }
        for a in input.adjustments.iter().filter(|a| !a.whole_season) {
            acc.team(&a.team);
        }
        for (team, points) in &input.fair_play {
            // Only teams that play or are registered: a statement alone adds no row.
            if let Some(t) = acc.known(team) {
                acc.fair_play.insert(t, *points);
            }
        }
        acc
    }

    /// The index of a team the tally already has, by any spelling.
    fn known(&self, name: &str) -> Option<usize> {
        self.exact
            .get(name)
            .or_else(|| self.index.get(&names::fold(name)))
            .copied()
    }

    /// The index of a team the tally has under any name of its club:
    /// where a whole season's adjustment counts.
    fn known_club(&self, name: &str) -> Option<usize> {
        self.known(name).or_else(|| {
            self.index
                .get(&names::fold(&newest_name(&self.renamed, name)))
                .copied()
        })
    }

    fn team(&mut self, name: &str) -> usize {
        if let Some(&i) = self.exact.get(name) {
            return i;
        }
        let current = newest_name(&self.renamed, name);
        let key = names::fold(&current);
        let i = match self.index.get(&key) {
            Some(&i) => i,
            None => {
                self.names.push(current.clone());
                self.folds.push(key.clone());
                self.stats.push(Stats::default());
                self.index.insert(key, self.names.len() - 1);
                self.names.len() - 1
            }
        };
        self.exact.insert(name.to_string(), i);
        i
    }

    fn add(&mut self, m: &MatchLine) {
        if !m.counts {
            return;
        }
        let (h, a) = (self.team(&m.home), self.team(&m.away));
        let (hg, ag) = (m.home_goals, m.away_goals);
        self.played.push((h, a, hg, ag));
        self.credit(h, hg, ag, true);
        self.credit(a, ag, hg, false);
    }

    /// Adds one side of a counted match: the team's own result only.
    fn add_side(&mut self, m: &MatchLine, team: usize) {
        let (h, a) = (self.team(&m.home), self.team(&m.away));
        if team == h {
            self.credit(h, m.home_goals, m.away_goals, true);
        } else if team == a {
            self.credit(a, m.away_goals, m.home_goals, false);
        }
    }

    /// One team's share of a result: `gf` scored, `ga` conceded.
    fn credit(&mut self, me: usize, gf: u16, ga: u16, home: bool) {
        let (win, draw, loss) = (
            self.scoring.win as i64,
            self.scoring.draw as i64,
            self.scoring.loss as i64,
        );
        {
            let s = &mut self.stats[me];
            s.played += 1;
            // Scores are bounded (limits::MAX_GOALS); counters still never wrap.
            s.gf = s.gf.saturating_add(gf as u32);
            s.ga = s.ga.saturating_add(ga as u32);
            if !home {
                s.away_goals = s.away_goals.saturating_add(gf as u32);
            }
            match gf.cmp(&ga) {
                Ordering::Greater => {
                    s.won += 1;
                    s.points += win
                }
                Ordering::Equal => {
                    s.drawn += 1;
                    s.points += draw
                }
                Ordering::Less => {
                    s.lost += 1;
                    s.points += loss
                }
            }
        }
    }

    fn adjust(&mut self, a: &Adjustment) {
        let Some(t) = self.adjusted(a) else {
            return;
        };
        self.stats[t].adjustment += a.points;
        self.stats[t].points += a.points;
    }

    /// The team an adjustment counts for, if it counts in this stage.
    fn adjusted(&mut self, a: &Adjustment) -> Option<usize> {
        match a.whole_season {
            true => self.known_club(&a.team),
            false => Some(self.team(&a.team)),
        }
    }

    fn rows(&self) -> Vec<Row> {
        self.rows_explained().0
    }

    /// The rows, and for each the criterion that placed it below the row
    /// above it when both have the same points (`None`: more points, the
    /// first row, or level with the row above: a shared position).
    fn rows_explained(&self) -> (Vec<Row>, Vec<Option<Tiebreak>>) {
        let mut groups = Vec::new();
        self.order(
            (0..self.names.len()).collect(),
            &self.scoring.order,
            None,
            &mut groups,
        );
        let mut rows = Vec::with_capacity(self.names.len());
        let mut decided = Vec::with_capacity(self.names.len());
        for (mut group, by) in groups.into_iter().filter(|(g, _)| !g.is_empty()) {
            let by = by.filter(|c| *c != Tiebreak::Points);
            decided.push(by);
            decided.resize(decided.len() + group.len() - 1, None);
            let pos = rows.len() as u32 + 1;
            let shared = group.len() > 1;
            group.sort_by(|&a, &b| {
                self.folds[a]
                    .cmp(&self.folds[b])
                    .then(self.names[a].cmp(&self.names[b]))
            });
            for t in group {
                let s = &self.stats[t];
                rows.push(Row {
                    pos,
                    shared,
                    team: self.names[t].clone(),
                    played: s.played,
                    won: s.won,
                    drawn: s.drawn,
                    lost: s.lost,
                    goals_for: s.gf,
                    goals_against: s.ga,
                    goal_difference: s.gf as i64 - s.ga as i64,
                    points: s.points,
                    adjustment: s.adjustment,
                });
            }
        }
        (rows, decided)
    }

    /// Splits `group` into ranked groups of teams level on every criterion,
    /// each with the criterion that separated it from the group before it
    /// (`by` for the first).
    fn order(
        &self,
        group: Vec<usize>,
        crit: &[Tiebreak],
        by: Option<Tiebreak>,
        out: &mut Vec<(Vec<usize>, Option<Tiebreak>)>,
    ) {
        if group.len() <= 1 || crit.is_empty() {
            out.push((group, by));
            return;
        }
        let c = crit[0];
        if c == Tiebreak::HeadToHead {
            let mini = self.head_to_head(&group);
            let parts = partition(group, |a, b| mini[&b].cmp(&mini[&a]));
            if parts.len() == 1 {
                let only = parts.into_iter().next().unwrap_or_default();
                self.order(only, &crit[1..], by, out);
            } else {
                for (j, part) in parts.into_iter().enumerate() {
                    // Re-applied to a subset that is still tied, then the rest.
                    self.order(part, crit, if j == 0 { by } else { Some(c) }, out);
                }
            }
            return;
        }
        let parts = if c == Tiebreak::HeadToHeadOnce {
            let mini = self.head_to_head(&group);
            partition(group, |a, b| mini[&b].cmp(&mini[&a]))
        } else {
            partition(group, |a, b| self.compare(c, b, a))
        };
        for (j, part) in parts.into_iter().enumerate() {
            self.order(part, &crit[1..], if j == 0 { by } else { Some(c) }, out);
        }
    }

    /// `Greater` when team `a` is better than team `b` on criterion `c`.
    fn compare(&self, c: Tiebreak, a: usize, b: usize) -> Ordering {
        let (x, y) = (&self.stats[a], &self.stats[b]);
        match c {
            Tiebreak::Points => x.points.cmp(&y.points),
            Tiebreak::PointsPerGame => {
                crate::model::rules::per_game_cmp((x.points, x.played), (y.points, y.played))
            }
            Tiebreak::GoalDifference => {
                (x.gf as i64 - x.ga as i64).cmp(&(y.gf as i64 - y.ga as i64))
            }
            Tiebreak::GoalsFor => x.gf.cmp(&y.gf),
            Tiebreak::GoalAverage => goal_average_cmp((x.gf, x.ga), (y.gf, y.ga)),
            Tiebreak::Wins => x.won.cmp(&y.won),
            Tiebreak::AwayGoals => x.away_goals.cmp(&y.away_goals),
            Tiebreak::HeadToHead | Tiebreak::HeadToHeadOnce => Ordering::Equal,
            Tiebreak::FairPlay => match (self.fair_play.get(&a), self.fair_play.get(&b)) {
                (Some(x), Some(y)) => x.cmp(y),
                _ => Ordering::Equal,
            },
        }
    }

    /// (points, goal difference, goals for) in the matches among `group` only.
    fn head_to_head(&self, group: &[usize]) -> HashMap<usize, (i64, i64, u32)> {
        let mut mini: HashMap<usize, (i64, i64, u32)> =
            group.iter().map(|&t| (t, (0, 0, 0))).collect();
        let (win, draw, loss) = (
            self.scoring.win as i64,
            self.scoring.draw as i64,
            self.scoring.loss as i64,
        );
        for &(h, a, hg, ag) in &self.played {
            if !(mini.contains_key(&h) && mini.contains_key(&a)) {
                continue;
            }
            for (me, gf, ga) in [(h, hg, ag), (a, ag, hg)] {
                let e = mini.get_mut(&me).expect("member of the group");
                e.0 += match gf.cmp(&ga) {
                    Ordering::Greater => win,
                    Ordering::Equal => draw,
                    Ordering::Less => loss,
                };
                e.1 += gf as i64 - ga as i64;
                e.2 += gf as u32;
            }
        }
        mini
    }
}

/// Goal average GF/GA compared without floating point. `x/0` (x > 0) is above
/// every finite average and level with another `y/0`; `0/0` counts as 1.
pub fn goal_average_cmp(a: (u32, u32), b: (u32, u32)) -> Ordering {
    let norm = |(gf, ga): (u32, u32)| {
        if gf == 0 && ga == 0 {
            (1u64, 1u64)
        } else {
            (gf as u64, ga as u64)
        }
    };
    let ((af, aa), (bf, ba)) = (norm(a), norm(b));
    match (aa == 0, ba == 0) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => (af * ba).cmp(&(bf * aa)),
    }
}

/// Sorts by `cmp` (best first) and splits into runs that compare equal.
fn partition(mut group: Vec<usize>, cmp: impl Fn(usize, usize) -> Ordering) -> Vec<Vec<usize>> {
    group.sort_by(|&a, &b| cmp(a, b));
    let mut parts: Vec<Vec<usize>> = Vec::new();
    for t in group {
        match parts.last_mut() {
            Some(last) if cmp(last[0], t) == Ordering::Equal => last.push(t),
            _ => parts.push(vec![t]),
        }
    }
    parts
}

/// The name a club is shown under: the new name of the last rename (in
/// the order recorded) of any of the names renames join to `name`, or
/// `name` when none touches it. A rename taken back (A to B, then B to A)
/// shows A again.
pub fn newest_name(renames: &[(String, String)], name: &str) -> String {
    if renames.is_empty() {
        return name.to_string();
    }
    let folded: Vec<(String, String)> = renames
        .iter()
        .map(|(from, to)| (names::fold(from), names::fold(to)))
        .collect();
    let club = names::rename_class(&names::fold(name), &folded);
    renames
        .iter()
        .zip(&folded)
        .rev()
        .find(|(_, (from, _))| club.contains(from))
        .map_or_else(|| name.to_string(), |((_, to), _)| to.clone())
}

fn sorted_by_date(matches: &[MatchLine]) -> Vec<&MatchLine> {
    let mut v: Vec<&MatchLine> = matches.iter().collect();
    v.sort_by_key(|m| (m.date, m.round, m.seq));
    v
}

fn sorted_adjustments(input: &StageInput) -> Vec<&Adjustment> {
    let mut v: Vec<&Adjustment> = input.adjustments.iter().collect();
    v.sort_by_key(|a| a.date);
    v
}

/// The table for one cut. Adjustments count from their date: up to the cut's
/// date, or for a round, up to the latest date of a match in the rounds included.
pub fn table(input: &StageInput, cut: Cut) -> Vec<Row> {
    table_explained(input, cut).0
}

/// [`table`], with the criterion that placed each row below the row above
/// it on the same points (`None` where points did, for the first row, and
/// for a row level with the one above).
pub fn table_explained(input: &StageInput, cut: Cut) -> (Vec<Row>, Vec<Option<Tiebreak>>) {
    let scoring = scoring_for(input, cut);
    let mut acc = Tally::new(input, &scoring);
    for m in sorted_by_date(&input.matches) {
        if cut.includes(m) {
            acc.add(m);
        }
    }
    let bound = adjustment_bound(input, cut);
    for a in &input.adjustments {
        if bound.is_some_and(|b| a.date <= b) {
            acc.adjust(a);
        }
    }
    acc.rows_explained()
}

/// The rules a cut's table is ranked by: the stage's, but before its end
/// (a cut that leaves out a counted match) without points per game
/// ([`Scoring::before_the_end`]).
pub fn scoring_for(input: &StageInput, cut: Cut) -> Scoring {
    let complete = input
        .matches
        .iter()
        .filter(|m| m.counts)
        .all(|m| cut.includes(m));
    match complete {
        true => input.scoring.clone(),
        false => input.scoring.before_the_end(),
    }
}

/// The last date of the adjustments a cut's table counts: the cut's date,
/// every adjustment for the whole stage, or for rounds the latest date of a
/// counted match in the rounds included (a postponed or annulled one was
/// not played on its date; the snapshots of a report bound them so too).
pub fn adjustment_bound(input: &StageInput, cut: Cut) -> Option<Date> {
    match cut {
        Cut::All => input.adjustments.iter().map(|a| a.date).max(),
        Cut::AsOf(d) => Some(d),
        Cut::Round(_) => input
            .matches
            .iter()
            .filter(|m| m.counts && cut.includes(m))
            .map(|m| m.date)
            .max(),
    }
}

/// The table before any result: every known team with zeros.
pub fn empty_table(input: &StageInput) -> Vec<Row> {
    Tally::new(input, &input.scoring).rows()
}

/// Every snapshot of a stage: the table after each date with a counted
/// result or an adjustment, and after each round with a counted result, in
/// key order. A match that does not count (annulled, postponed, ...) makes
/// no snapshot of its own.
pub fn snapshots(input: &StageInput) -> Vec<(SnapshotAt, Vec<Row>)> {
    let mut out = Vec::new();
    let mut by_date = sorted_by_date(&input.matches);
    by_date.retain(|m| m.counts);
    let adjustments = sorted_adjustments(input);
    let mut dates: Vec<Date> = by_date
        .iter()
        .map(|m| m.date)
        .chain(adjustments.iter().map(|a| a.date))
        .collect();
    dates.sort();
    dates.dedup();
    let before = input.scoring.before_the_end();
    let mut acc = Tally::new(input, &before);
    let (mut mi, mut ai) = (0, 0);
    for d in dates {
        while mi < by_date.len() && by_date[mi].date == d {
            acc.add(by_date[mi]);
            mi += 1;
        }
        while ai < adjustments.len() && adjustments[ai].date == d {
            acc.adjust(adjustments[ai]);
            ai += 1;
        }
        if mi == by_date.len() {
            acc.scoring = &input.scoring;
        }
        out.push((SnapshotAt::Date(d), acc.rows()));
    }
    let mut by_round: Vec<&MatchLine> = input
        .matches
        .iter()
        .filter(|m| m.round.is_some() && m.counts)
        .collect();
    by_round.sort_by_key(|m| (m.round, m.date, m.seq));
    let every_match_has_a_round = by_round.len() == by_date.len();
    let mut acc = Tally::new(input, &before);
    let (mut last, mut ai) = (None, 0);
    for (i, m) in by_round.iter().enumerate() {
        acc.add(m);
        last = last.max(Some(m.date));
        if by_round.get(i + 1).is_none_or(|n| n.round != m.round) {
            while ai < adjustments.len() && last.is_some_and(|l| adjustments[ai].date <= l) {
                acc.adjust(adjustments[ai]);
                ai += 1;
            }
            if i + 1 == by_round.len() && every_match_has_a_round {
                acc.scoring = &input.scoring;
            }
            out.push((SnapshotAt::Round(m.round.unwrap_or(0)), acc.rows()));
        }
    }
    out
}

/// The table after each matchday n = 1, 2, ...: every team over its own
/// first n counted matches (in date order), with its adjustments dated on or
/// before its n-th match (all of them at the last matchday). A team with
/// fewer than n matches keeps its total. For stages without round numbers.
pub fn matchdays(input: &StageInput) -> Vec<(u32, Vec<Row>)> {
    let before = input.scoring.before_the_end();
    let mut acc = Tally::new(input, &before);
    let mut games: Vec<Vec<&MatchLine>> = vec![Vec::new(); acc.names.len()];
    for m in sorted_by_date(&input.matches)
        .into_iter()
        .filter(|m| m.counts)
    {
        games[acc.team(&m.home)].push(m);
        games[acc.team(&m.away)].push(m);
    }
    let mut adjustments: Vec<Vec<&Adjustment>> = vec![Vec::new(); acc.names.len()];
    for a in sorted_adjustments(input) {
        if let Some(t) = acc.adjusted(a) {
            adjustments[t].push(a);
        }
    }
    let last = games.iter().map(Vec::len).max().unwrap_or(0);
    let mut sides: HashMap<u64, u8> = HashMap::default();
    let mut applied = vec![0; acc.names.len()];
    let mut out = Vec::with_capacity(last);
    for n in 1..=last {
        for (t, own) in games.iter().enumerate() {
            let Some(m) = own.get(n - 1) else { continue };
            acc.add_side(m, t);
            let seen = sides.entry(m.seq).or_default();
            *seen += 1;
            if *seen == 2 {
                let (h, a) = (acc.team(&m.home), acc.team(&m.away));
                acc.played.push((h, a, m.home_goals, m.away_goals));
            }
            while applied[t] < adjustments[t].len() && adjustments[t][applied[t]].date <= m.date {
                acc.adjust(adjustments[t][applied[t]]);
                applied[t] += 1;
            }
        }
        if n == last {
            for (t, adj) in adjustments.iter().enumerate() {
                for a in &adj[applied[t]..] {
                    acc.adjust(a);
                }
            }
            acc.scoring = &input.scoring;
        }
        out.push((n as u32, acc.rows()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u8) -> Date {
        Date::from_ymd(2000, 1, day).unwrap()
    }

    /// Builds a stage from lines like "A 2-1 B" (one date per line, round = line number).
    fn stage(lines: &[&str], scoring: Scoring) -> StageInput {
        let matches = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let parts: Vec<&str> = l.split(' ').collect();
                let (hg, ag) = parts[1].split_once('-').unwrap();
                MatchLine {
                    date: d(i as u8 + 1),
                    round: Some(i as u32 + 1),
                    seq: i as u64 + 1,
                    home: parts[0].into(),
                    away: parts[2].into(),
                    home_goals: hg.parse().unwrap(),
                    away_goals: ag.parse().unwrap(),
                    counts: true,
                }
            })
            .collect();
        StageInput {
            teams: vec![],
            matches,
            scoring,
            ..StageInput::default()
        }
    }

    /// Renders a table compactly: "1 A 6, 2= B 3, 2= C 3".
    fn render(rows: &[Row]) -> String {
        rows.iter()
            .map(|r| {
                format!(
                    "{}{} {} {}",
                    r.pos,
                    if r.shared { "=" } else { "" },
                    r.team,
                    r.points
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn check(lines: &[&str], order: &[Tiebreak], expect: &str) {
        let input = stage(lines, Scoring::new(3, 1, 0, order));
        assert_eq!(render(&table(&input, Cut::All)), expect, "order {order:?}");
    }

    use Tiebreak::*;

    #[test]
    fn points_then_goal_difference_then_goals_for() {
        check(
            &["A 1-0 B", "C 3-2 D"],
            &[Points, GoalDifference, GoalsFor],
            "1 C 3, 2 A 3, 3 D 0, 4 B 0",
        );
        check(
            &["A 2-0 B", "C 3-1 D"],
            &[Points, GoalDifference, GoalsFor],
            "1 C 3, 2 A 3, 3 D 0, 4 B 0",
        );
        check(
            &["A 2-0 B", "C 3-1 D"],
            &[Points, GoalDifference],
            "1= A 3, 1= C 3, 3= B 0, 3= D 0",
        );
    }

    #[test]
    fn level_teams_share_a_position() {
        check(&["A 1-1 B"], &[], "1= A 1, 1= B 1");
        check(
            &["A 0-0 B", "C 0-0 D"],
            &[Points, GoalDifference, GoalsFor],
            "1= A 1, 1= B 1, 1= C 1, 1= D 1",
        );
    }

    #[test]
    fn goal_average_against_difference() {
        // A: 4-1 (avg 4.0, gd +3). C: 10-5 (avg 2.0, gd +5).
        let lines = ["A 4-1 B", "C 10-5 D"];
        check(&lines, &[Points, GoalAverage], "1 A 3, 2 C 3, 3 D 0, 4 B 0");
        check(
            &lines,
            &[Points, GoalDifference],
            "1 C 3, 2 A 3, 3 B 0, 4 D 0",
        );
    }

    #[test]
    fn goal_average_edge_cases() {
        assert_eq!(goal_average_cmp((1, 0), (100, 1)), Ordering::Greater);
        assert_eq!(goal_average_cmp((1, 0), (5, 0)), Ordering::Equal);
        assert_eq!(goal_average_cmp((0, 0), (2, 2)), Ordering::Equal);
        assert_eq!(goal_average_cmp((0, 0), (1, 2)), Ordering::Greater);
        assert_eq!(goal_average_cmp((3, 2), (6, 4)), Ordering::Equal);
        assert_eq!(goal_average_cmp((0, 3), (0, 1)), Ordering::Equal);
    }

    #[test]
    fn head_to_head_then_reapplied_to_the_still_tied() {
        // A, B, C each on 3 points after beating D? Build a cycle plus one result.
        // A beat B, B beat C, C beat A: all 3 on 3 points in the mini table, GD 0 each;
        // goals in the mini table separate them: A 3-0 B, B 1-0 C, C 2-1 A.
        // mini: A pts3 gd 3-2=+2? A: 3-0 and 1-2 -> gf4 ga2 gd+2; B: 0-3,1-0 -> gf1 ga3 gd-2; C: 0-1,2-1 -> gf2 ga2 gd0.
        let lines = ["A 3-0 B", "B 1-0 C", "C 2-1 A"];
        check(&lines, &[Points, HeadToHead], "1 A 3, 2 C 3, 3 B 3");
        // Overall goal difference alone gives the same order here; goals-for alone would not split B.
        check(&lines, &[Points, Wins], "1= A 3, 1= B 3, 1= C 3");
    }

    #[test]
    fn head_to_head_subset_is_recomputed() {
        // A, B, C, D on equal points; in the mini table of all four, A is first and
        // B, C, D are level; among B, C, D only, the matches between them decide.
        // Points: A beats B,C,D? Then A has more points overall. Instead use draws:
        // every pair drew except: B 1-0 C, C 1-0 D, D 1-0 B (a cycle), A drew with all 1-1.
        // Points overall (3/1/0): A 3 draws = 3; B: W vs C, L vs D, D vs A = 4; C: 4; D: 4.
        // So B, C, D are level on 4 and A is 4th. Among B, C, D: all 3 pts, gd 0, gf 1: still level.
        let lines = [
            "A 1-1 B", "A 1-1 C", "A 1-1 D", "B 1-0 C", "C 1-0 D", "D 1-0 B",
        ];
        check(
            &lines,
            &[Points, HeadToHead],
            "1= B 4, 1= C 4, 1= D 4, 4 A 3",
        );
        check(
            &lines,
            &[Points, HeadToHead, GoalsFor],
            "1= B 4, 1= C 4, 1= D 4, 4 A 3",
        );
        // B, C, D level on 4. Among the three: all 3 points and goal difference 0, but B and C
        // scored 2 and D 1, so D is third; re-applied to B and C alone, B beat C.
        let lines = [
            "B 2-1 C", "C 1-0 D", "D 1-0 B", "A 0-0 B", "A 0-0 C", "A 1-1 D",
        ];
        check(&lines, &[Points, HeadToHead], "1 B 4, 2 C 4, 3 D 4, 4 A 3");
        check(
            &lines,
            &[Points, GoalDifference, GoalsFor],
            "1= B 4, 1= C 4, 1= D 4, 4 A 3",
        );
    }

    #[test]
    fn points_per_game_ranks_a_season_cut_short() {
        // A: 2 wins in 3 (6 points, 2.00 a game); B: 1 win in 1 (3 points,
        // 3.00 a game); C and D: nothing. By points A leads; by points per
        // game B does.
        let lines = ["A 1-0 C", "A 1-0 D", "C 1-0 A", "B 2-0 D"];
        check(
            &lines,
            &[Points, GoalDifference],
            "1 A 6, 2 B 3, 3 C 3, 4 D 0",
        );
        check(
            &lines,
            &[PointsPerGame, GoalDifference],
            "1 B 3, 2 A 6, 3 C 3, 4 D 0",
        );
        // Before the season's end (a cut that leaves a match out) points
        // rank: points per game became the rule only at its end.
        let more = ["B 2-0 D", "A 1-0 C", "A 1-0 D", "C 1-0 A", "E 1-0 F"];
        let input = stage(
            &more,
            Scoring::new(3, 1, 0, &[PointsPerGame, GoalDifference]),
        );
        assert!(render(&table(&input, Cut::All)).starts_with("1 B 3, 2 E 3, 3 A 6"));
        assert!(render(&table(&input, Cut::Round(4))).starts_with("1 A 6, 2 B 3"));
        assert_eq!(
            scoring_for(&input, Cut::Round(4)).order,
            [Points, GoalDifference]
        );
        let last = snapshots(&input).into_iter().last().unwrap();
        assert_eq!(render(&last.1), render(&table(&input, Cut::All)));
        // Level on points per game, goal difference decides.
        let level = ["A 1-0 C", "B 3-0 D"];
        check(
            &level,
            &[PointsPerGame, GoalDifference],
            "1 B 3, 2 A 3, 3 C 0, 4 D 0",
        );
    }

    #[test]
    fn head_to_head_once_is_not_applied_again_to_the_still_tied() {
        // B, C, D level on 4; among the three, D scored fewest and is third,
        // B and C are level. FIFA's rule stops there (the next criterion, or
        // a shared place); re-applied, B's win over C would put B first.
        let lines = [
            "B 2-1 C", "C 1-0 D", "D 1-0 B", "A 0-0 B", "A 0-0 C", "A 1-1 D",
        ];
        check(
            &lines,
            &[Points, HeadToHeadOnce],
            "1= B 4, 1= C 4, 3 D 4, 4 A 3",
        );
        check(&lines, &[Points, HeadToHead], "1 B 4, 2 C 4, 3 D 4, 4 A 3");
        // Two teams level: once and again are the same.
        let two = ["A 1-0 B", "B 2-0 C", "C 1-0 A", "C 0-1 B", "A 3-0 C"];
        check(&two, &[Points, HeadToHeadOnce], "1 A 6, 2 B 6, 3 C 3");
        check(&two, &[Points, HeadToHead], "1 A 6, 2 B 6, 3 C 3");
    }

    #[test]
    fn head_to_head_splits_then_subset_tie_resolved_by_next_criterion() {
        // B, C, D level on points. Among them: B beat both (B first); C and D drew
        // each other, so still level in their own mini table -> next criterion: goals for overall.
        // B 1-0 C, B 1-0 D, C 0-0 D. Give C more goals elsewhere: C 5-0 E, D 1-0 E? then C/D pts differ.
        // Use: C 5-5 E, D 0-0 E so both C and D get a draw vs E.
        let lines = [
            "B 1-0 C", "B 1-0 D", "C 0-0 D", "C 5-5 E", "D 0-0 E", "E 1-0 B", "E 0-1 B",
        ];
        // Points: B: W,W,L,W = 9. C: L,D,D = 2. D: L,D,D = 2. E: D,D,W,L = 5.
        check(
            &lines,
            &[Points, HeadToHead, GoalsFor],
            "1 B 9, 2 E 5, 3 C 2, 4 D 2",
        );
        check(
            &lines,
            &[Points, HeadToHead],
            "1 B 9, 2 E 5, 3= C 2, 3= D 2",
        );
    }

    #[test]
    fn wins_and_away_goals() {
        // A: W L (3 pts), B: D D D (3 pts). Wins puts A first.
        let lines = ["A 1-0 X", "Y 1-0 A", "B 0-0 X", "B 0-0 Y", "Z 0-0 B"];
        let pos = |order: &[Tiebreak], team: &str| {
            let input = stage(&lines, Scoring::new(3, 1, 0, order));
            table(&input, Cut::All)
                .into_iter()
                .find(|r| r.team == team)
                .unwrap()
                .pos
        };
        assert!(pos(&[Points, Wins], "A") < pos(&[Points, Wins], "B"));
        assert_eq!(pos(&[Points], "A"), pos(&[Points], "B"));
        // Away goals: P scored 2 away, Q scored 2 at home; same points, gd, gf.
        check(
            &["R 1-2 P", "Q 2-1 S"],
            &[Points, GoalDifference, GoalsFor, AwayGoals],
            "1 P 3, 2 Q 3, 3 S 0, 4 R 0",
        );
    }

    #[test]
    fn two_points_for_a_win() {
        let input = stage(&["A 1-0 B", "A 1-1 C"], Scoring::new(2, 1, 0, &[]));
        assert_eq!(render(&table(&input, Cut::All)), "1 A 3, 2 C 1, 3 B 0");
    }

    #[test]
    fn registered_teams_appear_with_zeros_and_cuts_work() {
        let mut input = stage(&["A 1-0 B", "B 2-0 C"], Scoring::default());
        input.teams = vec!["Z".into()];
        assert_eq!(
            render(&table(&input, Cut::AsOf(d(1)))),
            "1 A 3, 2= C 0, 2= Z 0, 4 B 0"
        );
        assert_eq!(
            render(&table(&input, Cut::Round(2))),
            "1 B 3, 2 A 3, 3 Z 0, 4 C 0"
        );
        assert_eq!(
            render(&empty_table(&input)),
            "1= A 0, 1= B 0, 1= C 0, 1= Z 0"
        );
        let snaps = snapshots(&input);
        assert_eq!(snaps.len(), 4);
        for (at, rows) in &snaps {
            let cut = match at {
                SnapshotAt::Date(d) => Cut::AsOf(*d),
                SnapshotAt::Round(r) => Cut::Round(*r),
            };
            assert_eq!(rows, &table(&input, cut));
        }
    }

    #[test]
    fn adjustments_count_from_their_date_and_renames_join_records() {
        let mut input = stage(&["A 1-0 B", "B 2-0 C", "C 1-1 A"], Scoring::default());
        input.adjustments = vec![Adjustment {
            date: d(2),
            team: "a".into(),
            points: -4,
            whole_season: false,
        }];
        assert_eq!(
            render(&table(&input, Cut::AsOf(d(1)))),
            "1 A 3, 2 C 0, 3 B 0"
        );
        assert_eq!(
            render(&table(&input, Cut::AsOf(d(2)))),
            "1 B 3, 2 C 0, 3 A -1"
        );
        assert_eq!(
            render(&table(&input, Cut::Round(2))),
            "1 B 3, 2 C 0, 3 A -1"
        );
        assert_eq!(render(&table(&input, Cut::All)), "1 B 3, 2 C 1, 3 A 0");
        let rows = table(&input, Cut::All);
        assert_eq!(rows.iter().find(|r| r.team == "A").unwrap().adjustment, -4);
        // An adjustment dated after the last match still gets its own snapshot.
        input.adjustments.push(Adjustment {
            date: d(9),
            team: "B".into(),
            points: 2,
            whole_season: false,
        });
        let snaps = snapshots(&input);
        assert!(snaps.iter().any(|(at, _)| *at == SnapshotAt::Date(d(9))));
        for (at, rows) in &snaps {
            let cut = match at {
                SnapshotAt::Date(d) => Cut::AsOf(*d),
                SnapshotAt::Round(r) => Cut::Round(*r),
            };
            assert_eq!(rows, &table(&input, cut), "{at:?}");
        }
        // C was renamed D, and D (a later spelling) plays on: one row, under the new name.
        let mut input = stage(&["A 1-0 C", "D 2-0 A"], Scoring::default());
        input.renames = vec![("C".into(), "D".into())];
        assert_eq!(render(&table(&input, Cut::All)), "1 D 3, 2 A 3");
    }

    #[test]
    fn uncounted_matches_do_not_count() {
        let mut input = stage(&["A 1-0 B", "B 9-0 A"], Scoring::default());
        input.matches[1].counts = false;
        assert_eq!(render(&table(&input, Cut::All)), "1 A 3, 2 B 0");
    }
}
