//! What the archive holds, by competition, season, stage or team, with the
//! number of matches and the dates they span.

use std::collections::HashMap;

use serde::Serialize;

use crate::derived::StageRows;
use crate::error::Result;
use crate::model::date::Date;
use crate::model::names;
use crate::projection::query::Filter;
use crate::projection::view::View;

/// What to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// Each competition once.
    Competitions,
    /// Each season of a competition.
    Seasons,
    /// Each stage of a season.
    Stages,
    /// Each team once, across every stage selected (names matched case and accents aside).
    Teams,
}

/// One line of a list. The names that do not apply to the kind are `None`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListEntry {
    /// The competition; `None` in a list of teams.
    pub competition: Option<String>,
    /// The season, in a list of seasons or stages.
    pub season: Option<String>,
    /// The stage, in a list of stages.
    pub stage: Option<String>,
    /// The team, in a list of teams.
    pub team: Option<String>,
    /// Matches recorded (as known at the asked seq), whether or not they count.
    pub matches: u64,
    /// The earliest match date; `None` when no match is recorded.
    pub first: Option<Date>,
    /// The latest match date; `None` when no match is recorded.
    pub last: Option<Date>,
}

impl ListEntry {
    fn add(&mut self, date: Date) {
        self.matches += 1;
        self.first = Some(self.first.map_or(date, |d| d.min(date)));
        self.last = Some(self.last.map_or(date, |d| d.max(date)));
    }

    fn merge(&mut self, other: &ListEntry) {
        self.matches += other.matches;
        self.first = match (self.first, other.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = self.last.max(other.last);
    }

    /// The folded names, to find an entry again.
    fn key(&self) -> (String, String, String, String) {
        let f = |s: &Option<String>| s.as_deref().map(names::fold).unwrap_or_default();
        (
            f(&self.competition),
            f(&self.season),
            f(&self.stage),
            f(&self.team),
        )
    }
}

impl View<'_> {
    /// The competitions, seasons, stages or teams a filter selects, in the
    /// archive's order (teams by name), as known at `known_at`.
    pub fn list(&self, kind: ListKind, f: &Filter) -> Result<Vec<ListEntry>> {
        let k = self.known_at;
        let mut out: Vec<ListEntry> = Vec::new();
        let mut index: HashMap<(String, String, String, String), usize> = HashMap::new();
        for info in self.matching_stages(f)? {
            let rows = StageRows::read(&self.ledger.store, &info.stage_key)?;
            // Per team of the stage's dictionary (or one for the stage).
            let parts = if kind == ListKind::Teams {
                rows.teams.len()
            } else {
                1
            };
            let mut per = vec![ListEntry::default(); parts];
            for r in rows.rows.iter().filter(|r| r.seq <= k) {
                match kind {
                    ListKind::Teams => {
                        per[r.home as usize].add(r.date);
                        per[r.away as usize].add(r.date);
                    }
                    _ => per[0].add(r.date),
                }
            }
            for (i, part) in per.into_iter().enumerate() {
                let entry = ListEntry {
                    competition: (kind != ListKind::Teams).then(|| info.competition.clone()),
                    season: matches!(kind, ListKind::Seasons | ListKind::Stages)
                        .then(|| info.season.clone()),
                    stage: (kind == ListKind::Stages).then(|| info.stage.clone()),
                    team: (kind == ListKind::Teams)
                        .then(|| rows.team(i as u32).unwrap_or_default().to_string()),
                    ..part
                };
                let key = entry.key();
                match index.get(&key) {
                    Some(&at) => out[at].merge(&entry),
                    None => {
                        index.insert(key, out.len());
                        out.push(entry);
                    }
                }
            }
        }
        if kind == ListKind::Teams {
            out.sort_by_key(|e| e.team.as_deref().map(names::fold));
        }
        Ok(out)
    }
}
