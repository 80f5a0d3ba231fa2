//! Table receipts: a table, the stage's list in the stage index with its
//! proof, every event of that list (as stored envelopes, each with an
//! inclusion proof), and the signed checkpoint the proofs lead to. A third
//! party checks one offline ([`Receipt::check`]): the index proof, that the
//! events are exactly the listed ones in seq order, every inclusion proof,
//! then the table folded from the events with the library's projector and
//! the archive's rules precedence ([`stage_input`]), row by row.
//! `schema/receipts.md` has the format and what a receipt proves.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::derived::index::IndexProof;
use crate::derived::ledger::Ledger;
use crate::derived::{self, StageParts};
use crate::error::{Error, Result};
use crate::format::chain::Hash;
use crate::integrity::checkpoint::{verify_inclusion_proof, Checkpoint, InclusionProof};
use crate::model::date::Date;
use crate::model::event::{Event, MatchId, MatchResult};
use crate::model::names;
use crate::model::record::{MatchChange, MatchRecord};
use crate::projection::projector::{self, Cut, Row, StageInput};
use crate::projection::query::Filter;
use crate::projection::view::KnownAt;

/// The format line of a receipt.
pub const FORMAT: &str = "scoreledger table receipt v2";
/// The format of receipts made before the stage index: refused, as they
/// cannot show that they hold every event of their stage.
const FORMAT_V1: &str = "scoreledger table receipt v1";

/// A table with its evidence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// The receipt format: [`FORMAT`]; a v1 receipt is refused.
    pub format: String,
    /// The stage's competition.
    pub competition: String,
    /// The stage's season.
    pub season: String,
    /// The stage the table is of.
    pub stage: String,
    /// The table on this date (results played on or before it), or
    pub as_of: Option<Date>,
    /// after this round; neither: the whole stage.
    pub round: Option<u32>,
    /// The table's rows, first place first.
    pub table: Vec<Row>,
    /// The checkpoint note (signed) the proofs lead to.
    pub checkpoint: String,
    /// The stage's list in the stage index at the checkpoint's size, with
    /// its proof against the checkpoint's `index` line.
    pub index: IndexProof,
    /// Every event of that list, in its order, each with its inclusion proof.
    pub events: Vec<InclusionProof>,
}

impl Ledger {
    /// A receipt for the table of a stage after `cut`, as the archive stood
    /// at the checkpoint's size (the note is kept as given: sign it first).
    /// The checkpoint must carry an index line (checked against the
    /// archive, like its tree).
    pub fn receipt(
        &self,
        filter: &Filter,
        cut: Cut,
        note: &str,
        cp: &Checkpoint,
    ) -> Result<Receipt> {
        let k = cp.size;
        // The stage's index proof is made while the checkpoint is checked,
        // and the index root from the same leaves is what its index line
        // must be (the leaves are read once, not twice). Finding the stage
        // can fail: then the root is read on its own, so that a false
        // checkpoint is refused first, and the stage's error comes after.
        let mut found = None;
        self.verify_checkpoint_with(cp, &mut || {
            let made = self.at(Some(KnownAt::Seq(k))).and_then(|view| {
                let info = view.one_stage(filter)?;
                let (index, root) = self.index_proof_and_root(&info, k)?;
                Ok((view, info, index, root))
            });
            match made {
                Ok((view, info, index, root)) => {
                    found = Some(Ok((view, info, index)));
                    Ok(root)
                }
                Err(e) => {
                    found = Some(Err(e));
                    self.index_root(k)
                }
            }
        })?;
        let found = found.transpose()?;
        let (Some(root), Some((view, info, index))) = (cp.index, found) else {
            return Err(Error::Invalid(format!(
                "checkpoint '{}' (size {}) has no index line: it was made before the stage index, and a receipt proves its stage whole against that line; make (and sign) a new checkpoint",
                cp.origin, cp.size
            )));
        };
        index.verify(&root, k).map_err(Error::Failed)?;
        let mut events = Vec::new();
        for e in &index.entries {
            let env = self
                .event(e.seq)?
                .ok_or_else(|| crate::log::missing(e.seq))?;
            events.push((e.seq, env.event));
        }
        let cut = tight(cut, &events);
        let standings = view.standings(filter, cut)?;
        let (c, s, st) = (&info.competition, &info.season, &info.stage);
        let input = stage_input(&events, c, s, st, k).map_err(Error::Failed)?;
        if projector::table(&input, cut) != standings.rows {
            return Err(Error::Failed(format!(
                "{c} {s} {st}: the table folded from its events differs from the archive's; run verify"
            )));
        }
        let mut proofs = Vec::new();
        for e in &index.entries {
            proofs.push(self.prove(e.seq, k)?);
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
            index,
            events: proofs,
        })
    }
}

/// The results among `events`.
fn results(events: &[(u64, Event)]) -> impl Iterator<Item = &MatchResult> {
    events.iter().filter_map(|(_, e)| match e {
        Event::MatchResult(m) => Some(m),
        _ => None,
    })
}

/// The dates that change a stage's table: its results' and its points
/// adjustments'.
fn table_dates(events: &[(u64, Event)]) -> impl Iterator<Item = Date> + '_ {
    events.iter().filter_map(|(_, e)| match e {
        Event::MatchResult(m) => Some(m.date),
        Event::PointsAdjusted(a) => Some(a.date),
        _ => None,
    })
}

/// The same table's cut, named by its last change: a date becomes the last
/// date of a result or an adjustment on or before it (an adjustment dated
/// after the last match counts from its date), a round the last round up
/// to it. A receipt states this cut, so that it cannot be moved to another
/// that the events it carries would also give.
fn tight(cut: Cut, events: &[(u64, Event)]) -> Cut {
    match cut {
        Cut::AsOf(d) => table_dates(events)
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

impl Receipt {
    /// Parses a receipt, naming one made before the stage index.
    pub fn parse(text: &str) -> std::result::Result<Receipt, String> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not a receipt: {e}"))?;
        match v.get("format").and_then(|f| f.as_str()) {
            Some(FORMAT) => serde_json::from_value(v).map_err(|e| format!("not a receipt: {e}")),
            Some(FORMAT_V1) => Err(format!(
                "a receipt of format '{FORMAT_V1}' (made before the stage index) cannot show that it holds every event of its stage; ask for a new one"
            )),
            Some(other) => Err(format!("not a receipt: format '{other}'")),
            None => Err("not a receipt: no format".into()),
        }
    }

    /// Checks a receipt offline against its checkpoint (whose signature the
    /// caller has checked): the stage's index list against the
    /// checkpoint's index line, that the events are exactly that list in
    /// seq order, every inclusion proof, then the table folded from the
    /// events. The error names the first thing that differs.
    pub fn check(&self, cp: &Checkpoint) -> std::result::Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("not a receipt of format '{FORMAT}'"));
        }
        let root = cp.index.ok_or(
            "the checkpoint has no index line (it was made before the stage index): it cannot show the stage whole",
        )?;
        let key = Hash(crate::format::keys::stage_index_key(
            &self.competition,
            &self.season,
            &self.stage,
        ));
        if self.index.key != key {
            return Err(format!(
                "the index list is of key {}, not of {} {} {} ({key})",
                self.index.key, self.competition, self.season, self.stage
            ));
        }
        self.index.verify(&root, cp.size)?;
        let events = self.listed_events(cp)?;
        let cut = self.cut()?;
        let fold = StageFold::of(&events, &self.competition, &self.season, &self.stage)?;
        for (e, of) in self.index.entries.iter().zip(&fold.of) {
            if e.of != *of {
                return Err(format!(
                    "the index lists seq {} as belonging to seq {}, its event to seq {of}",
                    e.seq, e.of
                ));
            }
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
        }
        if tight(cut, &events) != cut {
            return Err(
                "the receipt's date or round is not that of its last result or adjustment".into(),
            );
        }
        self.compare(&projector::table(&fold.input(cp.size), cut))
    }

    /// The events, checked to be exactly the index's list in its order,
    /// each proven included in the checkpoint's tree.
    fn listed_events(&self, cp: &Checkpoint) -> std::result::Result<Vec<(u64, Event)>, String> {
        let listed: HashSet<u64> = self.index.entries.iter().map(|e| e.seq).collect();
        let mut seen = HashSet::new();
        let mut last = 0;
        for p in &self.events {
            if !listed.contains(&p.seq) {
                return Err(format!(
                    "seq {} is not an event of {} {} {} at size {}: the stage index does not list it",
                    p.seq, self.competition, self.season, self.stage, cp.size
                ));
            }
            if !seen.insert(p.seq) {
                return Err(format!("seq {} is in the receipt twice", p.seq));
            }
            if p.seq < last {
                return Err(format!(
                    "seq {} comes after seq {last}: a receipt's events go in seq order",
                    p.seq
                ));
            }
            last = p.seq;
        }
        if let Some(e) = self.index.entries.iter().find(|e| !seen.contains(&e.seq)) {
            return Err(format!(
                "the receipt leaves out seq {}, an event of its stage (the stage index lists {} events)",
                e.seq,
                self.index.entries.len()
            ));
        }
        self.events
            .iter()
            .map(|p| {
                let proven =
                    verify_inclusion_proof(cp, p).map_err(|e| format!("seq {}: {e}", p.seq))?;
                Ok((proven.seq, proven.event))
            })
            .collect()
    }

    fn cut(&self) -> std::result::Result<Cut, String> {
        match (self.as_of, self.round) {
            (Some(d), None) => Ok(Cut::AsOf(d)),
            (None, Some(n)) => Ok(Cut::Round(n)),
            (None, None) => Ok(Cut::All),
            _ => Err("a receipt is for a date or a round, not both".into()),
        }
    }

    /// The receipt's table against the one folded from its events.
    fn compare(&self, table: &[Row]) -> std::result::Result<(), String> {
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

/// A stage's events sorted into what its table reads: the pure twin of
/// what the archive's deriver files and its readers gather.
struct StageFold {
    parts: StageParts,
    records: Vec<MatchRecord>,
    /// For each event, the seq of the result it belongs to (0: none), as
    /// the stage index lists it.
    of: Vec<u64>,
}

impl StageFold {
    /// Sorts `events` (in seq order, each once) of one stage; an event of
    /// another stage, or a change of a match none of them records, is
    /// refused.
    fn of(
        events: &[(u64, Event)],
        competition: &str,
        season: &str,
        stage: &str,
    ) -> std::result::Result<StageFold, String> {
        let in_season = |c: &str, s: &str| names::same(competition, c) && names::same(season, s);
        let in_scope = |c: &str, s: &str, st: Option<&str>| {
            in_season(c, s) && st.is_none_or(|st| names::same(stage, st))
        };
        let mut f = StageFold {
            parts: StageParts::default(),
            records: Vec::new(),
            of: Vec::new(),
        };
        let mut by_id: HashMap<MatchId, usize> = HashMap::new();
        let mut last = 0;
        for (seq, event) in events {
            if *seq <= last {
                return Err(format!(
                    "seq {seq} comes after seq {last}: events go in seq order, once"
                ));
            }
            last = *seq;
            let foreign = || format!("seq {seq} ({}) is not an event of this stage", event.kind());
            let mut of = 0;
            if let Some((id, change)) = MatchChange::of_event(*seq, event) {
                let i = *by_id.get(&id).ok_or_else(|| {
                    format!(
                        "seq {seq} changes match {}, which no result of the receipt records",
                        id.short()
                    )
                })?;
                of = f.records[i].seq;
                f.records[i].changes.push(change);
                f.of.push(of);
                continue;
            }
            match event {
                Event::MatchResult(m) => {
                    if !(in_season(&m.competition, &m.season) && names::same(stage, &m.stage)) {
                        return Err(foreign());
                    }
                    let id = derived::id_of(m);
                    by_id.insert(id, f.records.len());
                    f.records.push(MatchRecord {
                        id,
                        seq: *seq,
                        result: m.clone(),
                        changes: Vec::new(),
                    });
                    of = *seq;
                }
                Event::PointsAdjusted(p)
                    if in_scope(&p.competition, &p.season, p.stage.as_deref()) =>
                {
                    f.parts.adjustments.push((*seq, p.clone()));
                }
                Event::TeamRegistered(t)
                    if in_scope(&t.competition, &t.season, t.stage.as_deref()) =>
                {
                    f.parts.registrations.push((*seq, t.clone()));
                }
                Event::TeamRenamed(t) if names::same(&t.competition, competition) => {
                    f.parts.renames.push((*seq, t.clone()));
                }
                Event::FairPlayStated(p)
                    if in_scope(&p.competition, &p.season, p.stage.as_deref()) =>
                {
                    f.parts.fair_play.push((*seq, p.clone()));
                }
                other => match other.rules() {
                    Some(r) if in_scope(&r.competition, &r.season, r.stage.as_deref()) => {
                        match r.stage {
                            Some(_) => f.parts.stage_rules.push((*seq, r.clone())),
                            None => f.parts.season_rules.push((*seq, r.clone())),
                        }
                    }
                    _ => return Err(foreign()),
                },
            }
            f.of.push(of);
        }
        Ok(f)
    }

    /// The projector's input as known at `known_at`: the matches in the
    /// order the archive's rows keep them (date, round, seq).
    fn input(&self, known_at: u64) -> StageInput {
        let mut records: Vec<&MatchRecord> = self.records.iter().collect();
        records.sort_by_key(|r| (r.result.date, r.result.round, r.seq));
        let lines = records
            .into_iter()
            .map(|rec| derived::line_of(rec, known_at))
            .collect();
        self.parts.input(lines)
    }
}

/// A stage's table input from its events alone (pure), as the archive's
/// `standings` folds the same events known at `known_at`: `events` must be
/// the stage's events in seq order, each once (a receipt's check ensures
/// it); one of another stage is refused.
pub fn stage_input(
    events: &[(u64, Event)],
    competition: &str,
    season: &str,
    stage: &str,
    known_at: u64,
) -> std::result::Result<StageInput, String> {
    Ok(StageFold::of(events, competition, season, stage)?.input(known_at))
}
