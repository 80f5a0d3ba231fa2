//! Rows of one file that give the same match (the same match id, as the
//! archive would file it): a row that agrees with the first on what counts
//! (the score and the status) is a repeat, appended once; one that
//! disagrees is refused, naming both rows and both scores. Every importer
//! checks its results here as it reads them.

use std::collections::hash_map::Entry;
use std::fmt;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::{Error, Result};
use crate::format::keys::Keyer;
use crate::model::event::{Fixture, MatchId, MatchResult, MatchStatus};
use crate::model::names;

/// What of a result counts in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Outcome {
    home_goals: u16,
    away_goals: u16,
    status: MatchStatus,
}

impl Outcome {
    fn of(m: &MatchResult) -> Outcome {
        Outcome {
            home_goals: m.home_goals,
            away_goals: m.away_goals,
            status: m.status,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.home_goals, self.away_goals)?;
        match self.status {
            MatchStatus::Played => Ok(()),
            other => write!(f, " ({})", format!("{other:?}").to_lowercase()),
        }
    }
}

/// The first row of a match: its line and what counts of it.
#[derive(Clone, Copy, Debug)]
struct FirstRow {
    line: usize,
    outcome: Outcome,
}

/// A match within one season (`Repeats::by_season`): its stage, round,
/// date, home and away team, the names as numbers standing for their
/// folded forms. Two rows of a season have the same key exactly when they
/// have the same match id (whose other fields are the season's), and
/// nothing is hashed to find it.
type InSeason = (u32, u32, u32, u32, u32);

/// The matches of one file read so far.
#[derive(Default)]
pub(crate) struct Repeats {
    keyer: Keyer,
    first: FxHashMap<MatchId, FirstRow>,
    /// Season by season, the matches of the season being read, and the
    /// numbers of their names.
    in_season: FxHashMap<InSeason, FirstRow>,
    names: names::Interner,
    /// Lines that repeat an earlier row (appended once).
    pub lines: Vec<usize>,
    /// Season by season (`Repeats::by_season`): `first` holds the rows of
    /// the season being read, and the seasons left behind are named here.
    by_season: Option<Seasons>,
}

/// What a season-by-season reading knows of the seasons: competition and
/// season as given, and folded as match ids fold them.
#[derive(Default)]
struct Seasons {
    current: Option<((String, String), (String, String))>,
    left: FxHashSet<(String, String)>,
    /// A season came back after another: its earlier rows were forgotten,
    /// so this reading proves nothing (read again with `Repeats::default`).
    came_back: bool,
}

impl Repeats {
    /// A check that holds one season's matches at a time: rows of one match
    /// share their competition and season, so a file that gives its seasons
    /// one after the other (as the English league's does) is checked in the
    /// memory of one season, not of the file. If a season comes back after
    /// another, [`Repeats::came_back`] says so and the file must be read
    /// again with a whole-file check.
    pub(crate) fn by_season() -> Repeats {
        Repeats {
            by_season: Some(Seasons::default()),
            ..Repeats::default()
        }
    }

    /// Whether a season-by-season reading met a season again after leaving
    /// it (its verdicts then prove nothing).
    pub(crate) fn came_back(&self) -> bool {
        self.by_season.as_ref().is_some_and(|s| s.came_back)
    }

    /// Moves to `m`'s season, forgetting the last one's rows.
    fn enter_season(&mut self, m: &MatchResult) {
        let Some(s) = &mut self.by_season else { return };
        let given = |(c, x): &(String, String)| *c == m.competition && *x == m.season;
        if s.current.as_ref().is_some_and(|(g, _)| given(g)) {
            return;
        }
        let folded = (names::fold(&m.competition), names::fold(&m.season));
        let raw = (m.competition.clone(), m.season.clone());
        if s.current.as_ref().is_some_and(|(_, f)| *f == folded) {
            s.current = Some((raw, folded));
            return;
        }
        if s.left.contains(&folded) {
            s.came_back = true;
        }
        if let Some((_, done)) = s.current.replace((raw, folded)) {
            s.left.insert(done);
        }
        self.first.clear();
        self.in_season.clear();
        // Names remembered before they are forgotten, between seasons only
        // (a season's keys hold their numbers).
        if self.names.len() > 100_000 {
            self.names = names::Interner::default();
        }
    }

    /// Whether `m`, read at `line`, is the first row of its match (`true`)
    /// or repeats an earlier one (`false`; its line is kept). A row that
    /// disagrees with the earlier one is an error at `line` naming both.
    pub(crate) fn first(&mut self, line: usize, m: &MatchResult) -> Result<bool> {
        self.enter_season(m);
        let row = FirstRow {
            line,
            outcome: Outcome::of(m),
        };
        if self.by_season.is_some() {
            let key = (
                self.names.id(&m.stage),
                m.round.unwrap_or(0),
                m.date.to_key(),
                self.names.id(&m.home),
                self.names.id(&m.away),
            );
            return verdict(self.in_season.entry(key), row, m, &mut self.lines);
        }
        let id = self.keyer.match_id(&Fixture::of(m));
        verdict(self.first.entry(id), row, m, &mut self.lines)
    }
}

/// Whether `row` of `m` is the first of its match (`entry` is where its
/// match's first row is, or goes), a repeat (its line kept in `lines`), or
/// a contradiction.
fn verdict<K>(
    entry: Entry<'_, K, FirstRow>,
    row: FirstRow,
    m: &MatchResult,
    lines: &mut Vec<usize>,
) -> Result<bool> {
    match entry {
        Entry::Vacant(v) => {
            v.insert(row);
            Ok(true)
        }
        Entry::Occupied(o) if o.get().outcome == row.outcome => {
            lines.push(row.line);
            Ok(false)
        }
        Entry::Occupied(o) => Err(conflict(row.line, m, o.get())),
    }
}

fn conflict(line: usize, m: &MatchResult, earlier: &FirstRow) -> Error {
    Error::Parse {
        file: None,
        line,
        msg: format!(
            "{} {} v {} is {} here but {} at line {}; two rows of one match must agree: correct one of them",
            m.date,
            m.home,
            m.away,
            Outcome::of(m),
            earlier.outcome,
            earlier.line
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Date;

    #[test]
    fn a_repeat_is_kept_once_and_a_contradiction_names_both_rows() {
        let d = Date::from_ymd(1974, 2, 17).unwrap();
        let mut seen = Repeats::default();
        assert!(seen.first(2, &MatchResult::sample(d, 2, 1)).unwrap());
        assert!(!seen.first(3, &MatchResult::sample(d, 2, 1)).unwrap());
        assert_eq!(seen.lines, vec![3]);
        let mut cancelled = MatchResult::sample(d, 2, 1);
        cancelled.status = MatchStatus::Cancelled;
        for (m, says) in [
            (
                MatchResult::sample(d, 1, 2),
                "is 1-2 here but 2-1 at line 2",
            ),
            (cancelled, "is 2-1 (cancelled) here but 2-1 at line 2"),
        ] {
            match seen.first(4, &m) {
                Err(Error::Parse { line: 4, msg, .. }) => assert!(msg.contains(says), "{msg}"),
                other => panic!("{other:?}"),
            }
        }
        // Another date is another match.
        let next = Date::from_ymd(1974, 2, 18).unwrap();
        assert!(seen.first(5, &MatchResult::sample(next, 0, 0)).unwrap());
    }

    /// (line, season, home goals): the rows of one fixture, by season.
    fn by_season(rows: &[(usize, &str, u16)]) -> (Repeats, Result<Vec<bool>>) {
        let d = Date::from_ymd(1888, 9, 8).unwrap();
        let mut seen = Repeats::by_season();
        let verdicts = rows
            .iter()
            .map(|&(line, season, hg)| {
                let mut m = MatchResult::sample(d, hg, 1);
                m.season = season.into();
                seen.first(line, &m)
            })
            .collect();
        (seen, verdicts)
    }

    #[test]
    fn season_by_season_a_repeat_and_a_contradiction_are_found_within_a_season() {
        let (seen, v) = by_season(&[(2, "1888", 2), (3, "1888", 2)]);
        assert_eq!(v.unwrap(), vec![true, false]);
        assert!(!seen.came_back());
        let (_, v) = by_season(&[(2, "1888", 2), (3, "1888", 3)]);
        assert!(v.is_err());
    }

    /// Season by season, rows are the same match exactly when their match
    /// ids are equal: names that fold alike are one name, any other field
    /// apart makes another match.
    #[test]
    fn season_by_season_the_same_match_is_the_same_match_id() {
        let d = Date::from_ymd(1888, 9, 8).unwrap();
        let base = MatchResult::sample(d, 2, 1);
        let variants: Vec<MatchResult> = vec![
            MatchResult {
                home: "a".into(),
                ..base.clone()
            },
            MatchResult {
                stage: "x".into(),
                away: "b".into(),
                ..base.clone()
            },
            MatchResult {
                home: "Ä".into(),
                ..base.clone()
            },
            MatchResult {
                home: "A2".into(),
                ..base.clone()
            },
            MatchResult {
                away: "A".into(),
                home: "B".into(),
                ..base.clone()
            },
            MatchResult {
                stage: "Y".into(),
                ..base.clone()
            },
            MatchResult {
                round: Some(2),
                ..base.clone()
            },
            MatchResult {
                date: Date::from_ymd(1888, 9, 9).unwrap(),
                ..base.clone()
            },
        ];
        for v in variants {
            let same = crate::format::keys::match_id(&Fixture::of(&v))
                == crate::format::keys::match_id(&Fixture::of(&base));
            let mut seen = Repeats::by_season();
            assert!(seen.first(2, &base).unwrap());
            let mut other = v.clone();
            other.home_goals = 7;
            // The same match with another score contradicts the first row.
            assert_eq!(seen.first(3, &other).is_err(), same, "{v:?}");
        }
    }

    #[test]
    fn a_season_that_comes_back_is_said_so_its_verdicts_are_not_trusted() {
        // The second 1888 row contradicts the first, but 1888 was left
        // (its rows forgotten): the reading says so instead of passing it.
        let (seen, v) = by_season(&[(2, "1888", 2), (3, "1889", 2), (4, "1888", 3)]);
        assert_eq!(v.unwrap(), vec![true, true, true]);
        assert!(seen.came_back());
        // Seasons one after the other: nothing came back.
        let (seen, _) = by_season(&[(2, "1888", 2), (3, "1889", 2), (4, "1890", 2)]);
        assert!(!seen.came_back());
    }
}
