//! From events to derived trees: name resolution, duplicate detection, index
//! entries, and re-projection of the stages an event touches.
//!
//! The same code serves an append and a full rebuild, so a rebuild gives
//! byte-identical derived trees. Name resolution, validation and duplicate
//! detection live in `canonical`.

mod canonical;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::encoding::{decode_value, encode_value};
use crate::error::{Error, Result};
use crate::event::{
    Event, MatchResult, PointsAdjustment, Rules, SeasonFacts, TeamRegistration, TeamRename,
};
use crate::keys::{self, MatchId, ScopeKey};
use crate::names;
use crate::projector::{self, Adjustment, MatchLine, StageInput};
pub use crate::record::{ChangeKind, Effective, MatchChange, MatchRecord, MatchState};
use crate::rules::Scoring;
use crate::store::{Entry, Store, TreeId, Writes};

/// What the `stages` tree holds for each stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInfo {
    pub competition: String,
    pub season: String,
    pub stage: String,
    pub season_key: ScopeKey,
    pub stage_key: ScopeKey,
    /// The first event that mentioned the stage.
    pub first_seq: u64,
    /// The last event that changed any table of the stage.
    pub last_seq: u64,
}

/// Read access shared by the store and pending writes.
pub trait Read {
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>>;
    fn scan(&self, t: TreeId, prefix: &[u8]) -> Result<Vec<Entry>>;
}

impl Read for Store {
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Store::get(self, t, key)
    }
    fn scan(&self, t: TreeId, prefix: &[u8]) -> Result<Vec<Entry>> {
        self.scan_prefix(t, prefix).collect()
    }
}

impl Read for Writes<'_> {
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Writes::get(self, t, key)
    }
    fn scan(&self, t: TreeId, prefix: &[u8]) -> Result<Vec<Entry>> {
        self.scan_prefix(t, prefix)
    }
}

/// Decodes a derived value, naming the tree and key when it is damaged.
pub fn decode_derived<T: serde::de::DeserializeOwned>(
    t: TreeId,
    key: &[u8],
    bytes: &[u8],
) -> Result<T> {
    decode_value(bytes).map_err(|e| Error::Store {
        path: Default::default(),
        msg: format!(
            "damaged entry in tree {} at key {}: {e} (run `scoreledger rebuild`)",
            t.name(),
            hex::encode(key)
        ),
    })
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

fn check_name(what: &str, s: &str) -> Result<()> {
    match names::problem(what, s) {
        Some(p) => Err(invalid(p)),
        None => Ok(()),
    }
}

/// The seq-ordered entries of a scope, up to `known_at`.
fn scoped<T: serde::de::DeserializeOwned>(
    r: &impl Read,
    t: TreeId,
    scope: &ScopeKey,
    known_at: u64,
) -> Result<Vec<(u64, T)>> {
    let mut out = Vec::new();
    for (k, v) in r.scan(t, scope)? {
        let seq = keys::scoped_seq_seq(&k).unwrap_or(0);
        if seq <= known_at {
            out.push((seq, decode_derived(t, &k, &v)?));
        }
    }
    Ok(out)
}

/// The scoring of a stage as known at `known_at`: the stage's own rules, else
/// the season's, else the default.
pub fn scoring(r: &impl Read, info: &StageInfo, known_at: u64) -> Result<Scoring> {
    for scope in [&info.stage_key, &info.season_key] {
        if let Some((_, rules)) = scoped::<Rules>(r, TreeId::Rules, scope, known_at)?.pop() {
            return Ok(Scoring::from_event(&rules));
        }
    }
    Ok(Scoring::default())
}

/// Teams registered for a stage (its own and its season's), latest registration per team.
pub fn registrations(
    r: &impl Read,
    info: &StageInfo,
    known_at: u64,
) -> Result<Vec<(u64, TeamRegistration)>> {
    let all = season_and_stage::<TeamRegistration>(r, TreeId::Teams, info, known_at)?;
    let mut order: Vec<String> = Vec::new();
    let mut latest: HashMap<String, (u64, TeamRegistration)> = HashMap::new();
    for (seq, reg) in all {
        let f = names::fold(&reg.team);
        if !latest.contains_key(&f) {
            order.push(f.clone());
        }
        latest.insert(f, (seq, reg));
    }
    Ok(order
        .into_iter()
        .filter_map(|f| latest.remove(&f))
        .collect())
}

/// Every match record of a stage known at `known_at`, in date order.
pub fn match_records(
    r: &impl Read,
    stage_key: &ScopeKey,
    known_at: u64,
) -> Result<Vec<MatchRecord>> {
    let mut out = Vec::new();
    for (k, v) in r.scan(TreeId::ByDate, stage_key)? {
        let rec: MatchRecord = decode_derived(TreeId::ByDate, &k, &v)?;
        if rec.seq <= known_at {
            out.push(rec);
        }
    }
    Ok(out)
}

/// Points adjustments of a stage (its own and its season's) known at `known_at`.
pub fn adjustments(
    r: &impl Read,
    info: &StageInfo,
    known_at: u64,
) -> Result<Vec<(u64, PointsAdjustment)>> {
    season_and_stage(r, TreeId::Adjustments, info, known_at)
}

/// The entries of a stage's season scope and of its own scope, in seq order.
fn season_and_stage<T: serde::de::DeserializeOwned>(
    r: &impl Read,
    t: TreeId,
    info: &StageInfo,
    known_at: u64,
) -> Result<Vec<(u64, T)>> {
    let mut all = scoped::<T>(r, t, &info.season_key, known_at)?;
    all.extend(scoped::<T>(r, t, &info.stage_key, known_at)?);
    all.sort_by_key(|(seq, _)| *seq);
    Ok(all)
}

/// Renames in a competition known at `known_at`, in seq order.
pub fn renames(r: &impl Read, competition: &str, known_at: u64) -> Result<Vec<TeamRename>> {
    let key = keys::competition_scope(competition);
    Ok(scoped::<TeamRename>(r, TreeId::Renames, &key, known_at)?
        .into_iter()
        .map(|(_, t)| t)
        .collect())
}

/// Everything the projector needs for one stage, as known at `known_at`.
pub fn stage_input(r: &impl Read, info: &StageInfo, known_at: u64) -> Result<StageInput> {
    stage_input_from(
        r,
        info,
        known_at,
        &match_records(r, &info.stage_key, known_at)?,
    )
}

/// [`stage_input`] for a caller that already read the stage's match records.
pub fn stage_input_from(
    r: &impl Read,
    info: &StageInfo,
    known_at: u64,
    records: &[MatchRecord],
) -> Result<StageInput> {
    let teams = registrations(r, info, known_at)?
        .into_iter()
        .map(|(_, reg)| reg.team)
        .collect();
    let matches = records
        .iter()
        .map(|rec| {
            let e = rec.effective(known_at);
            MatchLine {
                date: rec.result.date,
                round: rec.result.round,
                seq: rec.seq,
                counts: e.counts,
                home: rec.result.home.clone(),
                away: rec.result.away.clone(),
                home_goals: e.home_goals,
                away_goals: e.away_goals,
            }
        })
        .collect();
    let adjustments = adjustments(r, info, known_at)?
        .into_iter()
        .map(|(_, a)| Adjustment {
            date: a.date,
            team: a.team,
            points: a.points as i64,
        })
        .collect();
    let renames = renames(r, &info.competition, known_at)?
        .into_iter()
        .map(|t| (t.from, t.to))
        .collect();
    Ok(StageInput {
        teams,
        matches,
        scoring: scoring(r, info, known_at)?,
        adjustments,
        renames,
    })
}

/// The match id of a (canonical) result.
pub fn id_of(m: &MatchResult) -> MatchId {
    keys::match_id(
        &m.competition,
        &m.season,
        &m.stage,
        m.round,
        m.date,
        &m.home,
        &m.away,
    )
}

/// Looks up a match record by id.
pub fn find_match(r: &impl Read, id: &MatchId) -> Result<Option<MatchRecord>> {
    let Some(key) = r.get(TreeId::Matches, &id.0)? else {
        return Ok(None);
    };
    match r.get(TreeId::ByDate, &key)? {
        Some(v) => decode_derived(TreeId::ByDate, &key, &v).map(Some),
        None => Err(Error::Store {
            path: Default::default(),
            msg: format!("match {} points to a missing index entry", id.to_hex()),
        }),
    }
}

/// Applies events to pending writes.
pub struct Deriver<'a, 's> {
    w: &'a mut Writes<'s>,
    /// Stages whose snapshots must be recomputed: (season key, stage key).
    dirty: BTreeSet<(ScopeKey, ScopeKey)>,
}

impl<'a, 's> Deriver<'a, 's> {
    pub fn new(w: &'a mut Writes<'s>) -> Self {
        Deriver {
            w,
            dirty: BTreeSet::new(),
        }
    }

    pub fn writes_mut(&mut self) -> &mut Writes<'s> {
        self.w
    }

    fn remember_name(&mut self, kind: u8, parent: &[u8], name: &str) -> Result<()> {
        let key = keys::name(kind, parent, name);
        if self.w.get(TreeId::Names, &key)?.is_none() {
            self.w.put(TreeId::Names, &key, name.as_bytes().to_vec());
        }
        Ok(())
    }

    fn remember_season(&mut self, competition: &str, season: &str) -> Result<ScopeKey> {
        self.remember_name(keys::NAME_COMPETITION, &[], competition)?;
        self.remember_name(
            keys::NAME_SEASON,
            names::fold(competition).as_bytes(),
            season,
        )?;
        Ok(keys::season_scope(competition, season))
    }

    /// Marks a stage as changed by event `seq`, creating its info if new.
    fn touch_stage(
        &mut self,
        competition: &str,
        season: &str,
        stage: &str,
        seq: u64,
    ) -> Result<()> {
        let season_key = keys::season_scope(competition, season);
        let stage_key = keys::stage_scope(competition, season, stage);
        self.remember_name(keys::NAME_STAGE, &season_key, stage)?;
        let k = keys::stage(&season_key, &stage_key);
        let info = match self.w.get(TreeId::Stages, &k)? {
            Some(v) => StageInfo {
                last_seq: seq,
                ..decode_derived(TreeId::Stages, &k, &v)?
            },
            None => StageInfo {
                competition: competition.into(),
                season: season.into(),
                stage: stage.into(),
                season_key,
                stage_key,
                first_seq: seq,
                last_seq: seq,
            },
        };
        self.w.put(TreeId::Stages, &k, encode_value(&info));
        self.dirty.insert((season_key, stage_key));
        Ok(())
    }

    /// Marks every stage of a season as changed by event `seq`.
    fn touch_season(&mut self, season_key: &ScopeKey, seq: u64) -> Result<()> {
        for (k, v) in self.w.scan_prefix(TreeId::Stages, season_key)? {
            let info: StageInfo = decode_derived(TreeId::Stages, &k, &v)?;
            self.touch_stage(&info.competition, &info.season, &info.stage, seq)?;
        }
        Ok(())
    }

    /// Writes what event `seq` adds to the derived trees.
    pub fn apply(&mut self, seq: u64, event: &Event) -> Result<()> {
        match event {
            Event::MatchResult(m) => {
                let season_key = self.remember_season(&m.competition, &m.season)?;
                self.remember_name(keys::NAME_TEAM, &season_key, &m.home)?;
                self.remember_name(keys::NAME_TEAM, &season_key, &m.away)?;
                self.touch_stage(&m.competition, &m.season, &m.stage, seq)?;
                let stage_key = keys::stage_scope(&m.competition, &m.season, &m.stage);
                let id = id_of(m);
                let key = keys::by_date(&stage_key, m.date, m.round, seq);
                let rec = MatchRecord {
                    id,
                    seq,
                    result: m.clone(),
                    changes: Vec::new(),
                };
                self.w.put(TreeId::ByDate, &key, encode_value(&rec));
                self.w.put(TreeId::Matches, &id.0, key.to_vec());
            }
            Event::Rules(r) => {
                let season_key = self.remember_season(&r.competition, &r.season)?;
                self.w.put(
                    TreeId::Rules,
                    &keys::scoped_seq(
                        &keys::scope(&r.competition, &r.season, r.stage.as_deref()),
                        seq,
                    ),
                    encode_value(r),
                );
                match &r.stage {
                    Some(stage) => {
                        self.remember_name(keys::NAME_STAGE, &season_key, stage)?;
                        let k = keys::stage(
                            &season_key,
                            &keys::stage_scope(&r.competition, &r.season, stage),
                        );
                        if self.w.get(TreeId::Stages, &k)?.is_some() {
                            self.touch_stage(&r.competition, &r.season, stage, seq)?;
                        }
                    }
                    None => self.touch_season(&season_key, seq)?,
                }
            }
            Event::SeasonFacts(f) => {
                let season_key = self.remember_season(&f.competition, &f.season)?;
                if let Some(w) = &f.winners {
                    self.remember_name(keys::NAME_TEAM, &season_key, w)?;
                }
                self.w.put(
                    TreeId::Facts,
                    &keys::scoped_seq(&season_key, seq),
                    encode_value(f),
                );
            }
            Event::TeamRegistered(t) => {
                let season_key = self.remember_season(&t.competition, &t.season)?;
                self.remember_name(keys::NAME_TEAM, &season_key, &t.team)?;
                self.w.put(
                    TreeId::Teams,
                    &keys::scoped_seq(
                        &keys::scope(&t.competition, &t.season, t.stage.as_deref()),
                        seq,
                    ),
                    encode_value(t),
                );
                match &t.stage {
                    Some(stage) => self.touch_stage(&t.competition, &t.season, stage, seq)?,
                    None => self.touch_season(&season_key, seq)?,
                }
            }
            Event::ResultCorrected(c) => {
                let kind = ChangeKind::Corrected {
                    home_goals: c.home_goals,
                    away_goals: c.away_goals,
                };
                self.change_match(
                    &c.match_id,
                    MatchChange {
                        seq,
                        kind,
                        reason: c.reason.clone(),
                    },
                )?;
            }
            Event::MatchAwarded(a) => {
                let kind = ChangeKind::Awarded {
                    to: a.to.clone(),
                    home_goals: a.home_goals,
                    away_goals: a.away_goals,
                    kept_score: a.kept_score,
                };
                self.change_match(
                    &a.match_id,
                    MatchChange {
                        seq,
                        kind,
                        reason: a.reason.clone(),
                    },
                )?;
            }
            Event::MatchAnnulled(a) => {
                self.change_match(
                    &a.match_id,
                    MatchChange {
                        seq,
                        kind: ChangeKind::Annulled,
                        reason: a.reason.clone(),
                    },
                )?;
            }
            Event::PointsAdjusted(p) => {
                let season_key = keys::season_scope(&p.competition, &p.season);
                self.w.put(
                    TreeId::Adjustments,
                    &keys::scoped_seq(
                        &keys::scope(&p.competition, &p.season, p.stage.as_deref()),
                        seq,
                    ),
                    encode_value(p),
                );
                match &p.stage {
                    Some(stage) => self.touch_stage(&p.competition, &p.season, stage, seq)?,
                    None => self.touch_season(&season_key, seq)?,
                }
            }
            Event::TeamRenamed(t) => {
                let key = keys::competition_scope(&t.competition);
                self.w.put(
                    TreeId::Renames,
                    &keys::scoped_seq(&key, seq),
                    encode_value(t),
                );
                for (k, v) in self.w.scan_prefix(TreeId::Stages, &[])? {
                    let info: StageInfo = decode_derived(TreeId::Stages, &k, &v)?;
                    if names::same(&info.competition, &t.competition) {
                        self.touch_stage(&info.competition, &info.season, &info.stage, seq)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds a compensating event to a match record and marks its stage.
    fn change_match(&mut self, id: &MatchId, change: MatchChange) -> Result<()> {
        let Some(key) = self.w.get(TreeId::Matches, &id.0)? else {
            return Err(Error::NotFound(format!("unknown match id {}", id.to_hex())));
        };
        let mut rec: MatchRecord = match self.w.get(TreeId::ByDate, &key)? {
            Some(v) => decode_derived(TreeId::ByDate, &key, &v)?,
            None => return Err(Error::NotFound(format!("unknown match id {}", id.to_hex()))),
        };
        let seq = change.seq;
        rec.changes.push(change);
        self.w.put(TreeId::ByDate, &key, encode_value(&rec));
        let m = &rec.result;
        self.touch_stage(&m.competition, &m.season, &m.stage, seq)
    }

    /// Adds event `seq`'s hash to the Merkle tree (leaf index seq - 1).
    pub fn add_leaf(&mut self, seq: u64, event_hash: &crate::chain::Hash) -> Result<()> {
        let w = &mut *self.w;
        let mut puts: Vec<(u8, u64, crate::chain::Hash)> = Vec::new();
        crate::merkle::append_leaf(
            seq - 1,
            crate::merkle::leaf_hash(event_hash),
            |level, index| match w.get(TreeId::Merkle, &keys::merkle(level, index)) {
                Ok(Some(v)) if v.len() == 32 => {
                    Ok(crate::chain::Hash(v.try_into().expect("32 bytes")))
                }
                Ok(_) => Err(format!("missing Merkle node {level}/{index}")),
                Err(e) => Err(e.to_string()),
            },
            |level, index, h| puts.push((level, index, h)),
        )
        .map_err(|msg| Error::Store {
            path: Default::default(),
            msg,
        })?;
        for (level, index, h) in puts {
            w.put(TreeId::Merkle, &keys::merkle(level, index), h.0.to_vec());
        }
        Ok(())
    }

    /// Recomputes the snapshots of every stage touched since the last call.
    pub fn reproject(&mut self) -> Result<usize> {
        let dirty = std::mem::take(&mut self.dirty);
        for (season_key, stage_key) in &dirty {
            let k = keys::stage(season_key, stage_key);
            let Some(v) = self.w.get(TreeId::Stages, &k)? else {
                continue;
            };
            let info: StageInfo = decode_derived(TreeId::Stages, &k, &v)?;
            let input = stage_input(self.w, &info, u64::MAX)?;
            let mut fresh: BTreeMap<Vec<u8>, Vec<u8>> = projector::snapshots(&input)
                .into_iter()
                .map(|(at, rows)| (keys::snapshot(stage_key, at).to_vec(), encode_value(&rows)))
                .collect();
            for (k, v) in self.w.scan_prefix(TreeId::Snapshots, stage_key)? {
                match fresh.remove(&k) {
                    Some(new) if new == v => {}
                    Some(new) => self.w.put(TreeId::Snapshots, &k, new),
                    None => self.w.del(TreeId::Snapshots, &k),
                }
            }
            for (k, v) in fresh {
                self.w.put(TreeId::Snapshots, &k, v);
            }
        }
        Ok(dirty.len())
    }
}
