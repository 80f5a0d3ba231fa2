//! Readers of the derived entries, shared by queries (over the store) and by
//! the deriver (over the store and its pending writes).

use std::collections::{BTreeMap, HashMap};

use serde::de::DeserializeOwned;

use super::StageInfo;
use crate::derived::index;
use crate::error::{Error, Result};
use crate::format::chain::Hash;
use crate::format::encoding::decode_value;
use crate::format::keys::{self, Kind, NameList, ScopeKey};
use crate::format::packed::{self, Row};
use crate::log::{damaged, ChunkReader};
use crate::model::event::{
    Event, MatchResult, PointsAdjustment, Rules, TeamRegistration, TeamRename,
};
use crate::model::names;
use crate::model::record::{effective, MatchChange, MatchRecord};
use crate::projection::projector::{Adjustment, MatchLine, StageInput};
use crate::store::{Entry, Space, Store};

/// Where derived entries are read from.
pub(crate) trait Source {
    /// The store, for the log (chunks of events).
    fn store(&self) -> &Store;
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>>;
    /// Entries under `prefix`, in key order.
    fn scan(&self, prefix: &[u8]) -> Result<Vec<Entry>>;
}

impl Source for Store {
    fn store(&self) -> &Store {
        self
    }
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Store::get(self, Space::Derived, key)
    }
    fn scan(&self, prefix: &[u8]) -> Result<Vec<Entry>> {
        self.scan_prefix(Space::Derived, prefix).collect()
    }
}

/// The store's derived entries as they would be after a commit that has
/// not been written: what a mirror reads to check a source before it
/// keeps anything.
pub(crate) struct Overlay<'a> {
    store: &'a Store,
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
}

impl<'a> Overlay<'a> {
    pub(crate) fn new(store: &'a Store, c: &crate::store::Commit) -> Overlay<'a> {
        let writes = c
            .writes(Space::Derived)
            .map(|(k, v)| (k.to_vec(), v.map(<[u8]>::to_vec)))
            .collect();
        Overlay { store, writes }
    }
}

impl Source for Overlay<'_> {
    fn store(&self) -> &Store {
        self.store
    }

    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        match self.writes.get(key) {
            Some(v) => Ok(v.clone()),
            None => Store::get(self.store, Space::Derived, key),
        }
    }

    fn scan(&self, prefix: &[u8]) -> Result<Vec<Entry>> {
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        for e in self.store.scan_prefix(Space::Derived, prefix) {
            let (k, v) = e?;
            merged.insert(k, v);
        }
        for (k, v) in self.writes.range(prefix.to_vec()..) {
            if !k.starts_with(prefix) {
                break;
            }
            match v {
                Some(v) => merged.insert(k.clone(), v.clone()),
                None => merged.remove(k),
            };
        }
        Ok(merged.into_iter().collect())
    }
}

/// Decodes a derived value, naming the entry when it is damaged.
pub(crate) fn decode_derived<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T> {
    decode_value(bytes).map_err(|e| damaged(key, e))
}

/// The seq-ordered entries of one kind under a scope, up to `known_at`.
pub(crate) fn scoped<T: DeserializeOwned>(
    r: &impl Source,
    kind: Kind,
    scope: &ScopeKey,
    known_at: u64,
) -> Result<Vec<(u64, T)>> {
    let mut out = Vec::new();
    for (k, v) in r.scan(&keys::scoped_of(kind, scope))? {
        let seq = keys::scoped_seq(&k).unwrap_or(0);
        if seq <= known_at {
            out.push((seq, decode_derived(&k, &v)?));
        }
    }
    Ok(out)
}

/// The entries of a stage's season scope and of its own scope, in seq order.
fn season_and_stage<T: DeserializeOwned>(
    r: &impl Source,
    kind: Kind,
    info: &StageInfo,
    known_at: u64,
) -> Result<Vec<(u64, T)>> {
    let mut all = scoped::<T>(r, kind, &info.season_key, known_at)?;
    all.extend(scoped::<T>(r, kind, &info.stage_key, known_at)?);
    all.sort_by_key(|(seq, _)| *seq);
    Ok(all)
}

/// A list of names as first spelled (empty when none was recorded): in the
/// order they were recorded, or for a per-name list in folded order.
pub(crate) fn name_list(r: &impl Source, list: NameList) -> Result<Vec<String>> {
    let key = keys::names(list);
    if list.per_name() {
        return r
            .scan(&key)?
            .into_iter()
            .map(|(k, v)| String::from_utf8(v).map_err(|e| damaged(&k, e)))
            .collect();
    }
    match r.get(&key)? {
        Some(v) => decode_derived(&key, &v),
        None => Ok(Vec::new()),
    }
}

/// The spelling a list already holds for `name` (compared folded).
pub(crate) fn spelled(r: &impl Source, list: NameList, name: &str) -> Result<Option<String>> {
    let want = names::fold(name);
    if list.per_name() {
        let key = keys::name(list, &want);
        return r
            .get(&key)?
            .map(|v| String::from_utf8(v).map_err(|e| damaged(&key, e)))
            .transpose();
    }
    Ok(name_list(r, list)?
        .into_iter()
        .find(|n| names::fold(n) == want))
}

/// The rules event in force for a stage (its own, else the season's) and
/// its seq, if any.
pub(crate) fn rules_in_force(
    r: &impl Source,
    info: &StageInfo,
    known_at: u64,
) -> Result<Option<(u64, Rules)>> {
    let stage = scoped::<Rules>(r, Kind::Rules, &info.stage_key, known_at)?;
    let season = scoped::<Rules>(r, Kind::Rules, &info.season_key, known_at)?;
    Ok(in_force(&stage, &season).cloned())
}

/// The rules precedence of every table (pure): the stage's latest rules
/// event, else its season's latest; each list in seq order.
pub(super) fn in_force<'a>(
    stage: &'a [(u64, Rules)],
    season: &'a [(u64, Rules)],
) -> Option<&'a (u64, Rules)> {
    stage.last().or(season.last())
}

/// Teams registered for a stage (its own and its season's), latest registration per team.
pub(crate) fn registrations(
    r: &impl Source,
    info: &StageInfo,
    known_at: u64,
) -> Result<Vec<(u64, TeamRegistration)>> {
    let all = season_and_stage::<TeamRegistration>(r, Kind::Registration, info, known_at)?;
    Ok(latest_per_team(all))
}

/// One registration per team (names compared folded), in the order the
/// teams were first registered, each its latest (pure; `all` in seq order).
pub(super) fn latest_per_team(all: Vec<(u64, TeamRegistration)>) -> Vec<(u64, TeamRegistration)> {
    let mut order: Vec<String> = Vec::new();
    let mut latest: HashMap<String, (u64, TeamRegistration)> = HashMap::new();
    for (seq, reg) in all {
        let f = names::fold(&reg.team);
        if !latest.contains_key(&f) {
            order.push(f.clone());
        }
        latest.insert(f, (seq, reg));
    }
    order
        .into_iter()
        .filter_map(|f| latest.remove(&f))
        .collect()
}

/// What a stage's table reads besides its matches, as known at one seq,
/// each list in seq order: read from the store ([`StageParts::read`]) for
/// `standings`, or gathered from a receipt's events
/// (`receipt::stage_input`), and folded by the same [`StageParts::input`].
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct StageParts {
    /// Rules events of the stage itself, and of its season.
    pub stage_rules: Vec<(u64, Rules)>,
    pub season_rules: Vec<(u64, Rules)>,
    /// Registrations and adjustments of the stage and its season.
    pub registrations: Vec<(u64, TeamRegistration)>,
    pub adjustments: Vec<(u64, PointsAdjustment)>,
    /// Renames in the stage's competition.
    pub renames: Vec<(u64, TeamRename)>,
    /// Fair-play points stated for the stage and its season.
    pub fair_play: Vec<(u64, crate::model::event::FairPlay)>,
}

impl StageParts {
    /// A stage's parts as the store holds them, known at `known_at`.
    pub(crate) fn read(r: &impl Source, info: &StageInfo, known_at: u64) -> Result<StageParts> {
        let competition = keys::competition_scope(&info.competition);
        Ok(StageParts {
            stage_rules: scoped(r, Kind::Rules, &info.stage_key, known_at)?,
            season_rules: scoped(r, Kind::Rules, &info.season_key, known_at)?,
            registrations: season_and_stage(r, Kind::Registration, info, known_at)?,
            adjustments: season_and_stage(r, Kind::Adjustment, info, known_at)?,
            renames: scoped(r, Kind::Rename, &competition, known_at)?,
            fair_play: season_and_stage(r, Kind::FairPlay, info, known_at)?,
        })
    }

    /// The rules event in force ([`in_force`]).
    pub(crate) fn rules_in_force(&self) -> Option<&(u64, Rules)> {
        in_force(&self.stage_rules, &self.season_rules)
    }

    /// The projector's input: these parts and `matches`.
    pub(crate) fn input(&self, matches: Vec<MatchLine>) -> StageInput {
        StageInput {
            teams: latest_per_team(self.registrations.clone())
                .into_iter()
                .map(|(_, reg)| reg.team)
                .collect(),
            matches,
            scoring: self
                .rules_in_force()
                .map(|(_, rules)| rules.scoring())
                .unwrap_or_default(),
            adjustments: self
                .adjustments
                .iter()
                .map(|(_, a)| Adjustment {
                    date: a.date,
                    team: a.team.clone(),
                    points: a.points as i64,
                    whole_season: a.stage.is_none(),
                })
                .collect(),
            renames: self
                .renames
                .iter()
                .map(|(_, t)| (t.from.clone(), t.to.clone()))
                .collect(),
            // In seq order: a later statement for a team replaces an earlier.
            fair_play: self
                .fair_play
                .iter()
                .map(|(_, f)| (f.team.clone(), f.points as i64))
                .collect(),
        }
    }
}

/// Points adjustments of a stage (its own and its season's) known at `known_at`.
pub(crate) fn adjustments(
    r: &impl Source,
    info: &StageInfo,
    known_at: u64,
) -> Result<Vec<(u64, PointsAdjustment)>> {
    season_and_stage(r, Kind::Adjustment, info, known_at)
}

/// Renames in a competition known at `known_at`, in seq order.
pub(crate) fn renames(
    r: &impl Source,
    competition: &str,
    known_at: u64,
) -> Result<Vec<TeamRename>> {
    let key = keys::competition_scope(competition);
    Ok(scoped::<TeamRename>(r, Kind::Rename, &key, known_at)?
        .into_iter()
        .map(|(_, t)| t)
        .collect())
}

/// One stage's stored rows and changes, read once.
#[derive(Clone, Debug)]
pub(crate) struct StageRows {
    /// The stage's team dictionary: rows name teams by index into it.
    pub teams: Vec<String>,
    /// Every row, in date, round, seq order.
    pub rows: Vec<Row>,
    /// Compensating events by the seq of the match they change, in seq order.
    pub changes: BTreeMap<u64, Vec<MatchChange>>,
}

impl StageRows {
    pub(crate) fn read(r: &impl Source, stage: &ScopeKey) -> Result<StageRows> {
        let dict_key = keys::teams(stage);
        let teams: Vec<String> = match r.get(&dict_key)? {
            Some(v) => decode_derived(&dict_key, &v)?,
            None => Vec::new(),
        };
        let mut rows = Vec::new();
        for (k, v) in r.scan(&keys::rows_of(stage))? {
            rows.extend(packed::decode_rows(&v).map_err(|e| damaged(&k, e))?);
        }
        let mut changes: BTreeMap<u64, Vec<MatchChange>> = BTreeMap::new();
        for (k, v) in r.scan(&keys::changes_of(stage))? {
            let (m, seq) = keys::change_seqs(&k).ok_or_else(|| damaged(&k, "short key"))?;
            let (kind, reason) = decode_derived(&k, &v)?;
            changes
                .entry(m)
                .or_default()
                .push(MatchChange { seq, kind, reason });
        }
        let out = StageRows {
            teams,
            rows,
            changes,
        };
        if let Some(bad) = out
            .rows
            .iter()
            .find(|r| out.team(r.home).is_none() || out.team(r.away).is_none())
        {
            return Err(damaged(
                &keys::teams(stage),
                format!("no team for the row of seq {}", bad.seq),
            ));
        }
        Ok(out)
    }

    /// A team's name by index.
    pub(crate) fn team(&self, i: u32) -> Option<&str> {
        self.teams.get(i as usize).map(String::as_str)
    }

    /// The changes of the match recorded at `seq`.
    pub(crate) fn changes_of(&self, seq: u64) -> &[MatchChange] {
        self.changes.get(&seq).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The matches known at `known_at`, as the projector sees them.
    pub(crate) fn lines(&self, known_at: u64) -> Vec<MatchLine> {
        let shared: Vec<std::sync::Arc<str>> =
            self.teams.iter().map(|t| t.as_str().into()).collect();
        self.rows
            .iter()
            .filter(|r| r.seq <= known_at)
            .map(|r| {
                let e = effective(
                    (r.home_goals, r.away_goals),
                    r.status,
                    self.changes_of(r.seq),
                    known_at,
                );
                MatchLine {
                    date: r.date,
                    round: r.round,
                    seq: r.seq,
                    counts: e.counts,
                    home: shared[r.home as usize].clone(),
                    away: shared[r.away as usize].clone(),
                    home_goals: e.home_goals,
                    away_goals: e.away_goals,
                }
            })
            .collect()
    }

    /// The match records known at `known_at`, each with its result read
    /// from the log.
    pub(crate) fn records(&self, store: &Store, known_at: u64) -> Result<Vec<MatchRecord>> {
        let mut events = ChunkReader::new(store);
        self.rows
            .iter()
            .filter(|r| r.seq <= known_at)
            .map(|r| {
                Ok(MatchRecord {
                    id: r.id,
                    seq: r.seq,
                    result: result_at(&mut events, r.seq)?,
                    changes: self.changes_of(r.seq).to_vec(),
                })
            })
            .collect()
    }
}

/// Every match record of a stage known at `known_at`, in date order.
pub(crate) fn match_records(
    r: &impl Source,
    stage: &ScopeKey,
    known_at: u64,
) -> Result<Vec<MatchRecord>> {
    StageRows::read(r, stage)?.records(r.store(), known_at)
}

/// Everything the projector needs for one stage, as known at `known_at`,
/// from the stage's matches (read by the caller).
pub(crate) fn stage_input_with(
    r: &impl Source,
    info: &StageInfo,
    known_at: u64,
    matches: Vec<MatchLine>,
) -> Result<StageInput> {
    Ok(StageParts::read(r, info, known_at)?.input(matches))
}

/// The same, from match records already read.
pub(crate) fn stage_input_from(
    r: &impl Source,
    info: &StageInfo,
    known_at: u64,
    records: &[MatchRecord],
) -> Result<StageInput> {
    let matches = records.iter().map(|rec| line_of(rec, known_at)).collect();
    stage_input_with(r, info, known_at, matches)
}

/// A match as the projector takes it: as known at `known_at`.
pub(crate) fn line_of(rec: &MatchRecord, known_at: u64) -> MatchLine {
    let e = rec.effective(known_at);
    MatchLine {
        date: rec.result.date,
        round: rec.result.round,
        seq: rec.seq,
        counts: e.counts,
        home: rec.result.home.as_str().into(),
        away: rec.result.away.as_str().into(),
        home_goals: e.home_goals,
        away_goals: e.away_goals,
    }
}

/// A stored list's entries up to `known_at`.
fn cut_list(key: &[u8], list: &[u8], known_at: u64) -> Result<Vec<index::Entry>> {
    Ok(packed::decode_index(list)
        .map_err(|e| damaged(key, e))?
        .into_iter()
        .take_while(|(seq, _)| *seq <= known_at)
        .map(|(seq, of)| index::Entry { seq, of })
        .collect())
}

/// The stage index of the log's first `size` events (`schema/index.md`):
/// a leaf for every stage known then (its first event at or before
/// `size`), with its list up to `size`.
pub(crate) fn stage_index(r: &impl Source, size: u64) -> Result<index::Index> {
    let mut leaves = Vec::new();
    for (k, v) in r.scan(&[Kind::Index as u8])? {
        let (h, list) = packed::decode_index_header(&v).map_err(|e| damaged(&k, e))?;
        if h.first_seq <= size {
            leaves.push(index::Leaf {
                key: Hash(h.key),
                entries: cut_list(&k, list, size)?,
            });
        }
    }
    index::Index::new(size, leaves).map_err(|msg| Error::Corrupt { seq: size, msg })
}

/// The root of [`stage_index`] at `size`: a stage whose list ends at or
/// before `size` gives the leaf hash stored with it; only the lists of
/// stages with later events are read and hashed.
pub(crate) fn stage_index_root(r: &impl Source, size: u64) -> Result<Hash> {
    let (hashes, _) = index_leaves(r, size, None)?;
    Ok(index::root(&hashes))
}

/// One stage's list in [`stage_index`] at `size`, with its proof, from
/// the leaf hashes of the others (their lists are not decoded): `None`
/// when the index holds no stage of that key; and the index's root as
/// [`stage_index_root`] gives it (from the stored leaf hash of a stage
/// whose list ends by `size`, the wanted one too, so that a damaged list
/// fails its proof, not the root), from the same reading of the leaves.
pub(crate) fn stage_index_proof(
    r: &impl Source,
    size: u64,
    key: &Hash,
) -> Result<(Option<index::IndexProof>, Hash)> {
    let (hashes, found) = index_leaves(r, size, Some(&key.0))?;
    let Some((i, entries, stored)) = found else {
        return Ok((None, index::root(&hashes)));
    };
    let proof = index::IndexProof::at(size, *key, entries, &hashes, i);
    // The path already holds the rest of the tree: the root is the stage's
    // leaf folded along it, not the whole tree hashed again.
    let root = proof
        .root_with_leaf(&stored.unwrap_or(hashes[i]))
        .map_err(|msg| Error::Corrupt { seq: size, msg })?;
    Ok((Some(proof), root))
}

/// A wanted stage's position among the index's leaves, its list, and its
/// stored leaf hash when its list ends by the size asked.
type Wanted = (usize, Vec<index::Entry>, Option<Hash>);

/// The leaf hashes of the index at `size`, in key order; with `want`, that
/// stage's position and list. The stages' headers (`J`) are read; a list
/// (`I`) only for the wanted stage and the stages with events after `size`.
fn index_leaves(
    r: &impl Source,
    size: u64,
    want: Option<&[u8; 32]>,
) -> Result<(Vec<Hash>, Option<Wanted>)> {
    let mut leaves: Vec<([u8; 32], Hash)> = Vec::new();
    let mut wanted = None;
    for (k, v) in r.scan(&[Kind::IndexHead as u8])? {
        let h = packed::decode_index_head(&v).map_err(|e| damaged(&k, e))?;
        if h.first_seq > size {
            continue;
        }
        let leaf = if want == Some(&h.key) {
            let entries = stored_list(r, &k, &h, size)?;
            let leaf = index::leaf_hash(&Hash(h.key), &entries);
            wanted = Some((entries, (h.last_seq <= size).then_some(Hash(h.leaf))));
            leaf
        } else if h.last_seq <= size {
            Hash(h.leaf)
        } else {
            index::leaf_hash(&Hash(h.key), &stored_list(r, &k, &h, size)?)
        };
        leaves.push((h.key, leaf));
    }
    leaves.sort_by_key(|(key, _)| *key);
    if let Some(w) = leaves.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::Corrupt {
            seq: size,
            msg: format!("two stages have the index key {}", Hash(w[0].0)),
        });
    }
    let found = match (want, wanted) {
        (Some(key), Some((entries, stored))) => {
            let i = leaves.partition_point(|(k, _)| k < key);
            Some((i, entries, stored))
        }
        _ => None,
    };
    Ok((leaves.into_iter().map(|(_, h)| h).collect(), found))
}

/// The list (`I`) of the stage whose header (`J`, key `head_key`) is `h`,
/// up to `size`; the list's own header must be `h`.
fn stored_list(
    r: &impl Source,
    head_key: &[u8],
    h: &packed::IndexHeader,
    size: u64,
) -> Result<Vec<index::Entry>> {
    let stage = keys::scope_in(head_key).ok_or_else(|| damaged(head_key, "no stage"))?;
    let key = keys::index(&stage);
    let v = r
        .get(&key)?
        .ok_or_else(|| damaged(&key, "missing: its stage has a header"))?;
    let (own, list) = packed::decode_index_header(&v).map_err(|e| damaged(&key, e))?;
    if own != *h {
        return Err(damaged(&key, "its header differs from the stage's"));
    }
    cut_list(&key, list, size)
}

/// Every stored stage's season: stage scope -> season scope, from the `S`
/// keys.
pub(crate) fn stage_seasons(store: &Store) -> Result<rustc_hash::FxHashMap<ScopeKey, ScopeKey>> {
    let mut out = rustc_hash::FxHashMap::default();
    store.for_each(Space::Derived, &[Kind::Stage as u8], |k, _| {
        if let Some((season, stage)) = keys::stage_parts(k) {
            out.insert(stage, season);
        }
        Ok(true)
    })?;
    Ok(out)
}

/// The match result recorded at `seq`.
pub(crate) fn result_at(events: &mut ChunkReader, seq: u64) -> Result<MatchResult> {
    result_of(seq, crate::derived::envelope::read(events, seq)?.event)
}

/// Event `seq`, which a match row points to, as the result it must be.
pub(crate) fn result_of(seq: u64, event: Event) -> Result<MatchResult> {
    match event {
        Event::MatchResult(m) => Ok(m),
        other => Err(Error::Corrupt {
            seq,
            msg: format!("a match row points to a {} event", other.kind()),
        }),
    }
}
