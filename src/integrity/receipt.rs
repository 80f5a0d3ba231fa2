//! Table receipts: a table, every event it is made from (as stored
//! envelopes, each with an inclusion proof), and the signed checkpoint the
//! proofs lead to. A third party checks one offline ([`Receipt::check`]):
//! the proofs, then the table recomputed from the events with the library's
//! projector, row by row. `schema/receipts.md` has the format.
//!
//! A receipt proves that every counted result is in the published log and
//! that the table follows from those events. It does not prove that the log
//! holds no other event of the stage (see `schema/receipts.md`).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::archive::Archive;
use crate::checkpoint::{verify_inclusion_proof, Checkpoint, InclusionProof};
use crate::date::Date;
use crate::derived::{self, StageInfo, StageRows};
use crate::error::{Error, Result};
use crate::event::{Event, MatchResult};
use crate::names;
use crate::projector::{self, Adjustment, Cut, Row, StageInput};
use crate::query::Filter;
use crate::record::{ChangeKind, MatchChange, MatchRecord};
use crate::rules::Scoring;

/// The format line of a receipt.
pub const FORMAT: &str = "scoreledger table receipt v1";

/// A table with its evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub format: String,
    pub competition: String,
    pub season: String,
    pub stage: String,
    /// The table on this date (results played on or before it), or
    pub as_of: Option<Date>,
    /// after this round; neither: the whole stage.
    pub round: Option<u32>,
    pub table: Vec<Row>,
    /// The checkpoint note (signed) the proofs lead to.
    pub checkpoint: String,
    /// Every event the table is made from, with its inclusion proof.
    pub events: Vec<InclusionProof>,
}

impl Archive {
    /// A receipt for the table of a stage after `cut`, as the archive stood
    /// at the checkpoint's size (the note is kept as given: sign it first).
    pub fn receipt(
        &self,
        filter: &Filter,
        cut: Cut,
        note: &str,
        cp: &Checkpoint,
    ) -> Result<Receipt> {
        self.verify_checkpoint(cp)?;
        let k = cp.size;
        let info = self.one_stage(filter, k)?;
        let mut evidence = Vec::new();
        for seq in self.evidence(&info, k)? {
            let env = self.event(seq)?.ok_or_else(|| derived::missing(seq))?;
            evidence.push((seq, env.event));
        }
        let cut = tight(cut, &evidence);
        let known = Some(crate::query::KnownAt::Seq(k));
        let standings = self.standings(filter, cut, known)?;
        let (c, s, st) = (&info.competition, &info.season, &info.stage);
        if !evidence.iter().any(|(_, e)| e.rules().is_some()) {
            return Err(Error::Invalid(format!(
                "{c} {s} {st} has no rules event: record its rules first, so that a receipt can show them"
            )));
        }
        if projector::table(&stage_input(&evidence, c, s, st), cut) != standings.rows {
            return Err(Error::Failed(format!(
                "{c} {s} {st}: the table recomputed from its events differs from the archive's; run verify"
            )));
        }
        let mut events = Vec::new();
        for (seq, _) in necessary(evidence, c, s, st, cut) {
            events.push(self.prove(seq, k)?);
        }
        Ok(Receipt {
            format: FORMAT.into(),
            competition: standings.competition,
            season: standings.season,
            stage: standings.stage,
            as_of: standings.as_of,
            round: standings.round,
            table: standings.rows,
            checkpoint: note.to_string(),
            events,
        })
    }

    /// The seqs a stage's table is made from, known at `k`: its results and
    /// what changed them, the rules in force, registrations, adjustments,
    /// and the competition's renames; in seq order.
    fn evidence(&self, info: &StageInfo, k: u64) -> Result<Vec<u64>> {
        let mut seqs = Vec::new();
        for rec in StageRows::read(&self.store, &info.stage_key)?.records(&self.store, k)? {
            seqs.extend(rec.seqs().into_iter().filter(|s| *s <= k));
        }
        if let Some((seq, _)) = derived::rules_in_force(&self.store, info, k)? {
            seqs.push(seq);
        }
        seqs.extend(
            derived::registrations(&self.store, info, k)?
                .into_iter()
                .map(|(s, _)| s),
        );
        seqs.extend(
            derived::adjustments(&self.store, info, k)?
                .into_iter()
                .map(|(s, _)| s),
        );
        seqs.extend(derived::rename_seqs(&self.store, &info.competition, k)?);
        seqs.sort_unstable();
        seqs.dedup();
        Ok(seqs)
    }
}

/// The results among `events`.
fn results(events: &[(u64, Event)]) -> impl Iterator<Item = &MatchResult> {
    events.iter().filter_map(|(_, e)| match e {
        Event::MatchResult(m) => Some(m),
        _ => None,
    })
}

/// The same table's cut, named by its last result: a date becomes the last
/// match date on or before it, a round the last round up to it. A receipt
/// states this cut, so that it cannot be moved to another that the events
/// it carries would also give.
fn tight(cut: Cut, events: &[(u64, Event)]) -> Cut {
    match cut {
        Cut::AsOf(d) => results(events)
            .map(|m| m.date)
            .filter(|x| *x <= d)
            .max()
            .map_or(cut, Cut::AsOf),
        Cut::Round(n) => results(events)
            .filter_map(|m| m.round)
            .filter(|r| *r <= n)
            .max()
            .map_or(cut, Cut::Round),
        Cut::All => cut,
    }
}

/// The events without which the table would differ: drops, until none can
/// be dropped, each event whose absence leaves the table as it is (a
/// registration of a team that plays, a correction a later one supersedes, a
/// match that does not count). The rules event is always kept. So a
/// receipt with any event taken away shows a different table.
fn necessary(
    mut events: Vec<(u64, Event)>,
    c: &str,
    s: &str,
    st: &str,
    cut: Cut,
) -> Vec<(u64, Event)> {
    let table = |ev: &[(u64, Event)]| projector::table(&stage_input(ev, c, s, st), cut);
    let target = table(&events);
    loop {
        let mut dropped = false;
        let mut i = 0;
        while i < events.len() {
            if events[i].1.rules().is_none() {
                let removed = events.remove(i);
                if table(&events) == target {
                    dropped = true;
                    continue;
                }
                events.insert(i, removed);
            }
            i += 1;
        }
        if !dropped {
            return events;
        }
    }
}

impl Receipt {
    /// Checks a receipt offline against its checkpoint (whose signature the
    /// caller has checked): every proof, then the table recomputed from the
    /// events. The error names the first thing that differs.
    pub fn check(&self, cp: &Checkpoint) -> std::result::Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("not a receipt: format '{}'", self.format));
        }
        let mut events = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for p in &self.events {
            if !seen.insert(p.seq) {
                return Err(format!("seq {} is in the receipt twice", p.seq));
            }
            let proven =
                verify_inclusion_proof(cp, p).map_err(|e| format!("seq {}: {e}", p.seq))?;
            events.push((proven.seq, proven.event));
        }
        let cut = match (self.as_of, self.round) {
            (Some(d), None) => Cut::AsOf(d),
            (None, Some(n)) => Cut::Round(n),
            (None, None) => Cut::All,
            _ => return Err("a receipt is for a date or a round, not both".into()),
        };
        if !events.iter().any(|(_, e)| e.rules().is_some()) {
            return Err(
                "the receipt holds no rules event: its table's points cannot be checked".into(),
            );
        }
        if let Some(m) = results(&events).next() {
            if (&m.competition, &m.season, &m.stage)
                != (&self.competition, &self.season, &self.stage)
            {
                return Err(format!(
                    "the receipt names {} {} {}, its results {} {} {}",
                    self.competition, self.season, self.stage, m.competition, m.season, m.stage
                ));
            }
            if tight(cut, &events) != cut {
                return Err("the receipt's date or round is not that of its last result".into());
            }
        }
        let input = stage_input(&events, &self.competition, &self.season, &self.stage);
        let table = projector::table(&input, cut);
        if table.len() != self.table.len() {
            return Err(format!(
                "the events make a table of {} rows, the receipt shows {}",
                table.len(),
                self.table.len()
            ));
        }
        for (i, (got, shown)) in table.iter().zip(&self.table).enumerate() {
            if got != shown {
                return Err(format!(
                    "row {}: the events give {} {} pts (P{} GD{}), the receipt shows {} {} pts (P{} GD{})",
                    i + 1, got.team, got.points, got.played, got.goal_difference,
                    shown.team, shown.points, shown.played, shown.goal_difference
                ));
            }
        }
        Ok(())
    }
}

fn in_season(competition: &str, season: &str, c: &str, s: &str) -> bool {
    names::same(competition, c) && names::same(season, s)
}

/// A compensating event as a change of its match, as the deriver files it.
fn change_of(seq: u64, event: &Event) -> Option<(crate::event::MatchId, MatchChange)> {
    let (id, kind, reason) = match event {
        Event::ResultCorrected(c) => (
            c.match_id,
            ChangeKind::Corrected {
                home_goals: c.home_goals,
                away_goals: c.away_goals,
            },
            &c.reason,
        ),
        Event::MatchAwarded(a) => (
            a.match_id,
            ChangeKind::Awarded {
                to: a.to.clone(),
                home_goals: a.home_goals,
                away_goals: a.away_goals,
                kept_score: a.kept_score,
            },
            &a.reason,
        ),
        Event::MatchAnnulled(a) => (a.match_id, ChangeKind::Annulled, &a.reason),
        _ => return None,
    };
    let reason = reason.clone();
    Some((id, MatchChange { seq, kind, reason }))
}

/// A stage's table input from its events alone (pure): what the archive
/// derives from the same events, folded the same way.
pub fn stage_input(
    events: &[(u64, Event)],
    competition: &str,
    season: &str,
    stage: &str,
) -> StageInput {
    let ours = |m: &MatchResult| {
        in_season(competition, season, &m.competition, &m.season) && names::same(stage, &m.stage)
    };
    let in_scope = |c: &str, s: &str, st: Option<&str>| {
        in_season(competition, season, c, s) && st.is_none_or(|st| names::same(stage, st))
    };
    let mut records: Vec<MatchRecord> = Vec::new();
    let mut by_id: HashMap<crate::event::MatchId, usize> = HashMap::new();
    let mut input = StageInput {
        teams: Vec::new(),
        matches: Vec::new(),
        scoring: Scoring::default(),
        adjustments: Vec::new(),
        renames: Vec::new(),
    };
    for (seq, event) in events {
        if let Some((id, c)) = change_of(*seq, event) {
            if let Some(&i) = by_id.get(&id) {
                records[i].changes.push(c);
            }
            continue;
        }
        match event {
            Event::MatchResult(m) if ours(m) => {
                by_id.insert(derived::id_of(m), records.len());
                records.push(MatchRecord {
                    id: derived::id_of(m),
                    seq: *seq,
                    result: m.clone(),
                    changes: Vec::new(),
                });
            }
            Event::PointsAdjusted(p) if in_scope(&p.competition, &p.season, p.stage.as_deref()) => {
                input.adjustments.push(Adjustment {
                    date: p.date,
                    team: p.team.clone(),
                    points: p.points as i64,
                });
            }
            Event::TeamRegistered(t) if in_scope(&t.competition, &t.season, t.stage.as_deref()) => {
                if !input.teams.iter().any(|x| names::same(x, &t.team)) {
                    input.teams.push(t.team.clone());
                }
            }
            Event::TeamRenamed(t) if names::same(&t.competition, competition) => {
                input.renames.push((t.from.clone(), t.to.clone()));
            }
            other => {
                if let Some(rules) = other.rules() {
                    if in_scope(&rules.competition, &rules.season, rules.stage.as_deref()) {
                        input.scoring = rules.scoring();
                    }
                }
            }
        }
    }
    input.matches = records
        .iter()
        .map(|rec| derived::line_of(rec, u64::MAX))
        .collect();
    input
}
