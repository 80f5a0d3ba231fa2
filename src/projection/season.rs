//! One stage of a season seen whole: the table after every round and every
//! date, the results, and the facts, as of a date and as known at a seq.
//! What charts and reports are drawn from.

use crate::derived::{self, StageInfo};
use crate::error::Result;
use crate::format::chain::Hash;
use crate::model::date::Date;
use crate::model::event::SeasonFacts;
use crate::model::rules::Scoring;
use crate::projection::projector::{self, Cut, Row};
use crate::projection::query::{Filter, ResultRow};
use crate::projection::view::View;

/// A stage as of a date and as known at a seq.
#[derive(Clone, Debug)]
pub struct SeasonView {
    /// The stage: its names, keys and the seq that made it known.
    pub info: StageInfo,
    /// The date the view stops at (results played on or before it); `None`: every date.
    pub as_of: Option<Date>,
    /// The last event the view takes into account.
    pub known_at: u64,
    /// The hash of event `known_at`.
    pub head: Hash,
    /// The points and tie-break order in force.
    pub scoring: Scoring,
    /// The latest table.
    pub table: Vec<Row>,
    /// The table after each round, in round order.
    pub rounds: Vec<(u32, Vec<Row>)>,
    /// The table after each match date, in date order.
    pub dates: Vec<(Date, Vec<Row>)>,
    /// Each team after its own n-th match, for n = 1, 2, ...
    /// ([`projector::matchdays`]).
    pub matchdays: Vec<(u32, Vec<Row>)>,
    /// Results in date order.
    pub results: Vec<ResultRow>,
    /// The season's latest facts (winners, top scorers), if any are recorded.
    pub facts: Option<SeasonFacts>,
}

impl View<'_> {
    /// Everything about one stage, up to `as_of` (every date when `None`),
    /// as known at `known_at` (the head when `None`).
    pub fn season_view(&self, f: &Filter, as_of: Option<Date>) -> Result<SeasonView> {
        let k = self.known_at;
        let info = self.one_stage(f)?;
        let records = derived::match_records(&self.ledger.store, &info.stage_key, k)?;
        let mut input = derived::stage_input_from(&self.ledger.store, &info, k, &records)?;
        if let Some(d) = as_of {
            input.scoring = projector::scoring_for(&input, Cut::AsOf(d));
            input.matches.retain(|m| m.date <= d);
            input.adjustments.retain(|a| a.date <= d);
        }
        let mut rounds = Vec::new();
        let mut dates = Vec::new();
        for (at, rows) in projector::snapshots(&input) {
            match at {
                projector::SnapshotAt::Date(d) => dates.push((d, rows)),
                projector::SnapshotAt::Round(r) => rounds.push((r, rows)),
            }
        }
        let table = projector::table(&input, Cut::All);
        let matchdays = projector::matchdays(&input);
        let results = records
            .into_iter()
            .filter(|r| as_of.is_none_or(|d| r.result.date <= d))
            .map(|record| ResultRow::at(record, k))
            .collect();
        let facts = self.season_facts(&info.competition, &info.season)?;
        Ok(SeasonView {
            head: self.ledger.hash_at(k)?,
            scoring: input.scoring.clone(),
            info,
            as_of,
            known_at: k,
            table,
            rounds,
            dates,
            matchdays,
            results,
            facts,
        })
    }
}
