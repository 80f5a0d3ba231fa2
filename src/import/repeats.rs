//! Rows of one file that give the same match (the same match id, as the
//! archive would file it): a row that agrees with the first on what counts
//! (the score and the status) is a repeat, appended once; one that
//! disagrees is refused, naming both rows and both scores. Every importer
//! checks its results here as it reads them.

use std::collections::hash_map::Entry;
use std::fmt;

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::format::keys::Keyer;
use crate::model::event::{Fixture, MatchId, MatchResult, MatchStatus};

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

/// The matches of one file read so far.
#[derive(Default)]
pub(crate) struct Repeats {
    keyer: Keyer,
    first: FxHashMap<MatchId, FirstRow>,
    /// Lines that repeat an earlier row (appended once).
    pub lines: Vec<usize>,
}

impl Repeats {
    /// Whether `m`, read at `line`, is the first row of its match (`true`)
    /// or repeats an earlier one (`false`; its line is kept). A row that
    /// disagrees with the earlier one is an error at `line` naming both.
    pub(crate) fn first(&mut self, line: usize, m: &MatchResult) -> Result<bool> {
        let id = self.keyer.match_id(&Fixture::of(m));
        let outcome = Outcome::of(m);
        match self.first.entry(id) {
            Entry::Vacant(v) => {
                v.insert(FirstRow { line, outcome });
                Ok(true)
            }
            Entry::Occupied(o) if o.get().outcome == outcome => {
                self.lines.push(line);
                Ok(false)
            }
            Entry::Occupied(o) => Err(conflict(line, m, o.get())),
        }
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
}
