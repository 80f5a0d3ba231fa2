//! From events to derived entries: name lists, stage descriptions, packed
//! match rows, compensating events under their match, scoped events, and
//! Merkle nodes.
//!
//! The same [`Deriver`] serves an append (over what the store holds) and a
//! rebuild (from nothing), so a rebuild gives byte-identical entries. It
//! keeps what it touches decoded in memory and writes each changed value
//! once, into one [`Commit`]. Name resolution, validation and duplicate
//! detection live in `canonical`; readers shared with queries in `read`.

mod canonical;
pub(crate) mod envelope;
// Reachable only through `testing` (the golden vectors pin it).
#[cfg_attr(not(feature = "testing"), allow(unreachable_pub))]
pub mod index;
pub(crate) mod ledger;
mod read;
pub(crate) mod retire;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::format::chain::{Hash, Head};
use crate::format::encoding::{self, encode_value};
use crate::format::keys::{self, Keyer, Kind, MatchId, NameList, ScopeKey};
use crate::format::packed::{self, Row};
use crate::log::writer::{LogWriter, Parcel, Sealer};
use crate::log::{damaged, missing, ChunkReader};
use crate::model::date::Timestamp;
use crate::model::event::{Event, MatchResult, StatedRules};
use crate::model::names;
pub(crate) use crate::model::record::{
    ChangeKind, Effective, MatchChange, MatchRecord, MatchState,
};
use crate::store::{Commit, Entry, Space, Store};
pub(crate) use read::{
    adjustments, decode_derived, line_of, match_records, name_list, registrations, renames,
    result_at, rules_in_force, scoped, spelled, stage_index, stage_index_proof, stage_index_root,
    stage_input_from, stage_input_with, stage_seasons, Overlay, Source, StageParts, StageRows,
};

/// What a stage's `S` entry holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInfo {
    /// The competition, as first spelled.
    pub competition: String,
    /// The season, as first spelled.
    pub season: String,
    /// The stage, as first spelled.
    pub stage: String,
    /// The key of the whole season (`schema/keys.md`).
    pub season_key: ScopeKey,
    /// The key of this stage (`schema/keys.md`).
    pub stage_key: ScopeKey,
    /// The first event that mentioned the stage.
    pub first_seq: u64,
}

/// The match id of a (canonical) result.
pub(crate) fn id_of(m: &MatchResult) -> MatchId {
    keys::match_id(&keys::Fixture::of(m))
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

/// A list of names being read and extended.
#[derive(Default)]
struct Names {
    list: Vec<String>,
    folds: HashMap<String, usize>,
    dirty: bool,
}

impl Names {
    fn new(list: Vec<String>, keyer: &mut Keyer) -> Names {
        let folds = list
            .iter()
            .enumerate()
            .map(|(i, n)| (keyer.fold(n).to_string(), i))
            .collect();
        Names {
            list,
            folds,
            dirty: false,
        }
    }

    /// The spelling held for a folded name.
    fn spelled(&self, folded: &str) -> Option<&str> {
        self.folds.get(folded).map(|&i| self.list[i].as_str())
    }

    fn remember(&mut self, name: &str, folded: &str) {
        if !self.folds.contains_key(folded) {
            self.know(name, folded);
            self.dirty = true;
        }
    }

    /// Writes a whole list that changed (a per-name list's entries are
    /// written as each name is remembered).
    fn put_into(&self, list: NameList, c: &mut Commit) {
        if self.dirty && !list.per_name() {
            c.put(Space::Derived, keys::names(list), encode_value(&self.list));
        }
    }

    /// Notes a spelling found in the store.
    fn know(&mut self, name: &str, folded: &str) {
        self.folds.insert(folded.to_string(), self.list.len());
        self.list.push(name.to_string());
    }
}

/// A block of rows and where it is stored.
struct Block {
    stored_key: Option<Vec<u8>>,
    rows: Vec<Row>,
    dirty: bool,
}

/// One stage as the deriver holds it.
struct Stage {
    info: StageInfo,
    /// Whether the `S` entry is stored already.
    stored: bool,
    teams: Vec<String>,
    team_ids: HashMap<String, u32>,
    teams_dirty: bool,
    /// In row order; each block's first row is its key.
    blocks: Vec<Block>,
    /// Match id -> seq of the row, built when first asked.
    ids: Option<HashMap<MatchId, u64>>,
}

impl Stage {
    /// The team's index in the dictionary, and whether it was just added.
    fn team_id(&mut self, name: &str) -> Result<(u32, bool)> {
        if let Some(&i) = self.team_ids.get(name) {
            return Ok((i, false));
        }
        let i = u32::try_from(self.teams.len())
            .map_err(|_| invalid("a stage holds at most 4,294,967,295 teams"))?;
        self.teams.push(name.to_string());
        self.team_ids.insert(name.to_string(), i);
        self.teams_dirty = true;
        Ok((i, true))
    }

    /// The seq of the row of this match, if the stage holds it.
    fn seq_of(&mut self, id: &MatchId) -> Option<u64> {
        let blocks = &self.blocks;
        self.ids
            .get_or_insert_with(|| {
                blocks
                    .iter()
                    .flat_map(|b| b.rows.iter())
                    .map(|r| (r.id, r.seq))
                    .collect()
            })
            .get(id)
            .copied()
    }

    fn rows(&self) -> impl Iterator<Item = &Row> {
        self.blocks.iter().flat_map(|b| b.rows.iter())
    }

    fn insert(&mut self, row: Row) {
        if let Some(ids) = &mut self.ids {
            ids.insert(row.id, row.seq);
        }
        let at = self
            .blocks
            .partition_point(|b| b.rows[0].order() <= row.order())
            .saturating_sub(1);
        if self.blocks.is_empty() {
            self.blocks.push(Block {
                stored_key: None,
                rows: Vec::new(),
                dirty: true,
            });
        }
        let block = &mut self.blocks[at];
        let pos = block.rows.partition_point(|r| r.order() <= row.order());
        block.rows.insert(pos, row);
        block.dirty = true;
        if block.rows.len() > packed::BLOCK_ROWS {
            let rest = block.rows.split_off(block.rows.len() / 2);
            self.blocks.insert(
                at + 1,
                Block {
                    stored_key: None,
                    rows: rest,
                    dirty: true,
                },
            );
        }
    }

    fn row(&self, seq: u64) -> Option<&Row> {
        self.rows().find(|r| r.seq == seq)
    }

    /// Writes what changed into the commit.
    fn flush(&mut self, c: &mut Commit) {
        let sk = self.info.stage_key;
        if !self.stored {
            c.put(
                Space::Derived,
                keys::stage(&self.info.season_key, &sk).to_vec(),
                encode_value(&self.info),
            );
            self.stored = true;
        }
        if self.teams_dirty {
            c.put(
                Space::Derived,
                keys::teams(&sk).to_vec(),
                encode_value(&self.teams),
            );
            self.teams_dirty = false;
        }
        let mut puts = Vec::new();
        for b in self.blocks.iter_mut().filter(|b| b.dirty) {
            let first = &b.rows[0];
            let key = keys::rows(&sk, first.date, first.round, first.seq).to_vec();
            if let Some(old) = b.stored_key.take().filter(|old| *old != key) {
                c.del(Space::Derived, old);
            }
            puts.push((key.clone(), packed::encode_rows(&b.rows)));
            b.stored_key = Some(key);
            b.dirty = false;
        }
        for (k, v) in puts {
            c.put(Space::Derived, k, v);
        }
    }
}

/// A stage's list in the stage index (`schema/index.md`), as held:
/// `(seq, result it belongs to or 0)` in seq order, with the stage's index
/// key and the seq that made it known (set when the stage is created, or
/// read with the list).
#[derive(Default)]
struct IndexList {
    key: [u8; 32],
    first_seq: u64,
    entries: Vec<(u64, u64)>,
    dirty: bool,
}

impl IndexList {
    /// Writes the list of `stage` (`I`, header and list) and its header
    /// alone (`J`), if it changed.
    fn put_into(&self, stage: &ScopeKey, c: &mut Commit) {
        if self.dirty {
            let header = self.header();
            let value = packed::encode_index_value(&header, &self.entries);
            c.put(Space::Derived, keys::index(stage).to_vec(), value);
            let head = packed::encode_index_head(&header).to_vec();
            c.put(Space::Derived, keys::index_head(stage).to_vec(), head);
        }
    }

    /// The header: the key, the first and last seqs, and the leaf hash of
    /// the whole list.
    fn header(&self) -> packed::IndexHeader {
        let entries: Vec<crate::derived::index::Entry> = self
            .entries
            .iter()
            .map(|&(seq, of)| crate::derived::index::Entry { seq, of })
            .collect();
        packed::IndexHeader {
            key: self.key,
            first_seq: self.first_seq,
            last_seq: self.entries.last().map_or(0, |e| e.0),
            leaf: crate::derived::index::leaf_hash(&Hash(self.key), &entries).0,
        }
    }
}

/// A recorded match as it stands after all its changes.
struct Current {
    id: MatchId,
    seq: u64,
    result: MatchResult,
    now: Effective,
}

/// Where a match row is: (season, stage, seq of the row).
type Place = (ScopeKey, ScopeKey, u64);

/// Applies events, holding what they change until [`Deriver::commit_into`].
pub(crate) struct Deriver<'s> {
    store: &'s Store,
    /// Read derived entries from the store (false: a rebuild from nothing).
    stored: bool,
    lists: HashMap<NameList, Names>,
    /// Raw names already resolved to a list's spelling.
    resolved: HashMap<NameList, HashMap<String, String>>,
    /// Scope keys, match ids and folded names.
    keyer: Keyer,
    stages: HashMap<ScopeKey, Stage>,
    /// New entries written once and never changed (rules, registrations,
    /// facts, adjustments, renames, changes).
    pending: BTreeMap<Vec<u8>, Vec<u8>>,
    /// Every match id of the archive, built when first needed.
    ids: Option<HashMap<MatchId, Place>>,
    nodes: crate::log::writer::Nodes,
    /// The chunks being appended (none in a rebuild).
    log: Option<LogWriter>,
    /// The id of the result `already_present` last looked at, for `apply`.
    admitted_id: Option<MatchId>,
    /// A folded name, held while another is folded.
    scratch: String,
    /// A checking deriver's results, by seq (it writes no log to read them from).
    checked: Option<HashMap<u64, MatchResult>>,
    /// The stage index's lists touched so far, by stage.
    index: HashMap<ScopeKey, IndexList>,
    /// This append's events not yet sealed into the log (`hold`), and the
    /// parcels of them handed out to be sealed: the log of this batch,
    /// for reading its results back.
    open: Parcel,
    held: Vec<std::sync::Arc<Parcel>>,
    /// Stages handed out before the end of a pass (`retire`).
    retirement: Option<retire::Retirement>,
    /// Each competition's renames, folded (from, to), read when first
    /// needed and dropped when a rename of it is applied.
    renamed: HashMap<String, Vec<(String, String)>>,
    /// The result `already_present` last found held: its match was changed
    /// since (corrected, awarded or annulled to another result).
    present_changed: bool,
}

impl Source for Deriver<'_> {
    fn store(&self) -> &Store {
        self.store
    }

    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(v) = self.pending.get(key) {
            return Ok(Some(v.clone()));
        }
        if self.stored {
            return self.store.get(Space::Derived, key);
        }
        Ok(None)
    }

    fn scan(&self, prefix: &[u8]) -> Result<Vec<Entry>> {
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
        if self.stored {
            for e in self.store.scan_prefix(Space::Derived, prefix) {
                let (k, v) = e?;
                merged.insert(k, v);
            }
        }
        for (k, v) in self.pending.range(prefix.to_vec()..) {
            if !k.starts_with(prefix) {
                break;
            }
            merged.insert(k.clone(), v.clone());
        }
        Ok(merged.into_iter().collect())
    }
}

impl<'s> Deriver<'s> {
    /// A deriver with nothing derived yet: `stored` says whether it may
    /// read the store's derived entries.
    fn new(
        store: &'s Store,
        stored: bool,
        nodes: crate::log::writer::Nodes,
        log: Option<LogWriter>,
    ) -> Self {
        Deriver {
            store,
            stored,
            lists: HashMap::default(),
            resolved: HashMap::default(),
            keyer: Keyer::default(),
            stages: HashMap::default(),
            pending: BTreeMap::new(),
            ids: None,
            nodes,
            log,
            admitted_id: None,
            scratch: String::new(),
            checked: None,
            index: HashMap::default(),
            open: Parcel::default(),
            held: Vec::new(),
            retirement: None,
            renamed: HashMap::default(),
            present_changed: false,
        }
    }

    /// A deriver that appends after the store's `head`.
    pub(crate) fn appending(store: &'s Store, head: &Head) -> Result<Self> {
        let nodes = crate::log::writer::Nodes::resume(store, head.seq)?;
        let log = LogWriter::resume(store, head)?;
        Ok(Deriver::new(store, true, nodes, Some(log)))
    }

    /// A deriver over what the store holds that writes no events: for
    /// checking a list of events before any of it is appended.
    pub(crate) fn checking(store: &'s Store, head: &Head) -> Result<Self> {
        let mut d = Deriver::appending(store, head)?;
        d.log = None;
        d.checked = Some(HashMap::default());
        Ok(d)
    }

    /// A deriver that recomputes everything from the events alone, reading
    /// no derived entry of the store.
    pub(crate) fn rebuilding(store: &'s Store) -> Self {
        Deriver::new(store, false, crate::log::writer::Nodes::fresh(), None)
    }

    /// A rebuilding deriver that hands out finished stages (`retire`).
    pub(crate) fn retiring(mut self, r: retire::Retirement) -> Self {
        self.retirement = Some(r);
        self
    }

    /// True when a retired stage was needed again: the pass must be redone
    /// without retiring.
    pub(crate) fn retirement_broken(&self) -> bool {
        self.retirement.as_ref().is_some_and(|r| r.broken)
    }

    /// Hands out, as writes in `c`, every held stage the hints say is
    /// finished once the events up to `seq` are applied, and drops it.
    pub(crate) fn retire_through(&mut self, seq: u64, c: &mut Commit) {
        let Some(r) = &mut self.retirement else {
            return;
        };
        if seq.is_multiple_of(packed::CHUNK * packed::GROUP) {
            self.nodes.take_full(c);
        }
        if !r.any_due(seq) {
            return;
        }
        for stage in r.due(seq) {
            let Some(mut held) = self.stages.remove(&stage) else {
                continue;
            };
            held.flush(c);
            if let Some(ids) = &mut self.ids {
                for row in held.rows() {
                    ids.remove(&row.id);
                }
            }
            if let Some(list) = self.index.remove(&stage) {
                list.put_into(&stage, c);
            }
            r.retired(stage, held.info.season_key);
        }
        for season in r.due_seasons(seq) {
            for list in [NameList::Stages(season), NameList::Teams(season)] {
                if let Some(names) = self.lists.remove(&list) {
                    names.put_into(list, c);
                }
                self.resolved.remove(&list);
            }
        }
    }

    /// Fails if `stage` was retired (see [`retire`]).
    fn check_retired(&mut self, stage: &ScopeKey) -> Result<()> {
        match &mut self.retirement {
            Some(r) => r.check_stage(stage),
            None => Ok(()),
        }
    }

    /// A whole list, loaded the first time; for a per-name list, the names
    /// looked up so far.
    fn list(&mut self, list: NameList) -> Result<&mut Names> {
        if !self.lists.contains_key(&list) {
            if let (NameList::Stages(s) | NameList::Teams(s), Some(r)) =
                (list, &mut self.retirement)
            {
                r.check_lists(&s)?;
            }
            let loaded = if self.stored && !list.per_name() {
                read::name_list(self.store, list)?
            } else {
                Vec::new()
            };
            let names = Names::new(loaded, &mut self.keyer);
            self.lists.insert(list, names);
        }
        Ok(self.lists.get_mut(&list).expect("just inserted"))
    }

    /// The spelling a list holds for `name` (compared folded).
    fn spelled(&mut self, list: NameList, name: &str) -> Result<Option<String>> {
        self.list(list)?;
        let folded = self.keyer.fold(name).to_string();
        if let Some(s) = self.lists[&list].spelled(&folded) {
            return Ok(Some(s.to_string()));
        }
        if !list.per_name() {
            return Ok(None);
        }
        let key = keys::name(list, &folded);
        let Some(v) = Source::get(self, &key)? else {
            return Ok(None);
        };
        let found = String::from_utf8(v).map_err(|e| damaged(&key, e))?;
        let names = self.lists.get_mut(&list).expect("loaded");
        names.know(&found, &folded);
        Ok(Some(found))
    }

    fn remember(&mut self, list: NameList, name: &str) -> Result<()> {
        if list.per_name() {
            if self.spelled(list, name)?.is_none() {
                let folded = self.keyer.fold(name).to_string();
                self.pending
                    .insert(keys::name(list, &folded), name.as_bytes().to_vec());
                self.lists
                    .get_mut(&list)
                    .expect("loaded")
                    .know(name, &folded);
            }
            return Ok(());
        }
        self.list(list)?;
        let folded = self.keyer.fold(name);
        self.lists
            .get_mut(&list)
            .expect("loaded")
            .remember(name, folded);
        Ok(())
    }

    fn remember_season(&mut self, competition: &str, season: &str) -> Result<ScopeKey> {
        self.remember(NameList::Competitions, competition)?;
        let c = self.keyer.competition_scope(competition);
        self.remember(NameList::Seasons(c), season)?;
        Ok(self.keyer.scope(competition, season, None))
    }

    /// The match id of a (canonical) result.
    fn id(&mut self, m: &MatchResult) -> MatchId {
        self.keyer.match_id(&keys::Fixture::of(m))
    }

    /// The stage, loaded from the store if it is there and not held yet.
    fn load_stage(&mut self, season: &ScopeKey, stage: &ScopeKey) -> Result<Option<&mut Stage>> {
        self.check_retired(stage)?;
        if !self.stages.contains_key(stage) && self.stored {
            let key = keys::stage(season, stage);
            if let Some(v) = self.store.get(Space::Derived, &key)? {
                let info: StageInfo = decode_derived(&key, &v)?;
                let held = stage_from_store(self.store, info)?;
                self.stages.insert(*stage, held);
            }
        }
        Ok(self.stages.get_mut(stage))
    }

    /// The stage, created by event `seq` if it is new.
    fn stage(
        &mut self,
        competition: &str,
        season: &str,
        stage: &str,
        seq: u64,
    ) -> Result<&mut Stage> {
        let season_key = self.keyer.scope(competition, season, None);
        let stage_key = self.keyer.scope(competition, season, Some(stage));
        if self.stages.contains_key(&stage_key) {
            return Ok(self.stages.get_mut(&stage_key).expect("held"));
        }
        self.check_retired(&stage_key)?;
        // Its names are in the lists once it is held.
        self.remember_season(competition, season)?;
        self.remember(NameList::Stages(season_key), stage)?;
        if self.load_stage(&season_key, &stage_key)?.is_none() {
            let info = StageInfo {
                competition: competition.into(),
                season: season.into(),
                stage: stage.into(),
                season_key,
                stage_key,
                first_seq: seq,
            };
            self.stages.insert(
                stage_key,
                Stage {
                    info,
                    stored: false,
                    teams: Vec::new(),
                    team_ids: HashMap::default(),
                    teams_dirty: false,
                    blocks: Vec::new(),
                    ids: None,
                },
            );
            let key = self.keyer.stage_index_key(competition, season, stage);
            let list = self.index_list(&stage_key)?;
            (list.key, list.first_seq, list.dirty) = (key, seq, true);
            self.seed_index(competition, &season_key, &stage_key, seq)?;
        }
        Ok(self.stages.get_mut(&stage_key).expect("held"))
    }

    /// Where the match with this id is, if the archive holds it.
    fn locate(&mut self, id: &MatchId) -> Result<Option<Place>> {
        if self.ids.is_none() {
            self.ids = Some(self.all_ids()?);
        }
        let found = self.ids.as_ref().and_then(|m| m.get(id)).copied();
        if let (None, Some(r)) = (found, &mut self.retirement) {
            r.check_unlocated()?;
        }
        Ok(found)
    }

    /// Every match id: the stored stages' rows, then the held stages'.
    fn all_ids(&self) -> Result<HashMap<MatchId, Place>> {
        let mut out = HashMap::default();
        if self.stored {
            let seasons = stage_seasons(self.store)?;
            self.store
                .for_each(Space::Derived, &[Kind::Rows as u8], |k, v| {
                    let stage = keys::scope_in(k).ok_or_else(|| damaged(k, "short key"))?;
                    if self.stages.contains_key(&stage) {
                        return Ok(true);
                    }
                    let season = *seasons
                        .get(&stage)
                        .ok_or_else(|| damaged(k, "rows of an unknown stage"))?;
                    for r in packed::decode_rows(v).map_err(|e| damaged(k, e))? {
                        out.insert(r.id, (season, stage, r.seq));
                    }
                    Ok(true)
                })?;
        }
        for s in self.stages.values() {
            for r in s.rows() {
                out.insert(r.id, (s.info.season_key, s.info.stage_key, r.seq));
            }
        }
        Ok(out)
    }

    /// The match with this id as it stands now, if the archive holds it.
    fn current(&mut self, id: &MatchId) -> Result<Option<Current>> {
        let Some((season, stage, seq)) = self.locate(id)? else {
            return Ok(None);
        };
        self.current_at(&season, &stage, seq).map(Some)
    }

    /// The match recorded at `seq` in a stage, as it stands now.
    fn current_at(&mut self, season: &ScopeKey, stage: &ScopeKey, seq: u64) -> Result<Current> {
        let (id, now) = self.state_of(season, stage, seq)?;
        Ok(Current {
            id,
            seq,
            result: self.result_at(seq)?,
            now,
        })
    }

    /// A match's id, and where it stands after all its changes: the stored
    /// summary, or the row as recorded when it has no change.
    fn state_of(
        &mut self,
        season: &ScopeKey,
        stage: &ScopeKey,
        seq: u64,
    ) -> Result<(MatchId, Effective)> {
        let row = *self
            .load_stage(season, stage)?
            .and_then(|s| s.row(seq))
            .ok_or_else(|| missing(seq))?;
        let key = keys::current(stage, seq);
        let now = match Source::get(self, &key)? {
            Some(v) => decode_derived(&key, &v)?,
            None => Effective::recorded((row.home_goals, row.away_goals), row.status),
        };
        Ok((row.id, now))
    }

    /// The match result recorded at `seq`, from this batch or the log.
    fn result_at(&self, seq: u64) -> Result<MatchResult> {
        if let Some(m) = self.checked.as_ref().and_then(|c| c.get(&seq)) {
            return Ok(m.clone());
        }
        if let Some(bytes) = self.held_event(seq) {
            let event = encoding::decode_event(bytes).map_err(|msg| Error::Corrupt { seq, msg })?;
            return read::result_of(seq, event);
        }
        if let Some(raw) = self.log.as_ref().and_then(|l| l.event(seq)) {
            return read::result_of(seq, crate::derived::envelope::decode_raw(&raw)?.event);
        }
        result_at(&mut ChunkReader::new(self.store), seq)
    }

    /// [`Deriver::apply`] to a result whose match id was computed
    /// elsewhere (`keys::match_id` of its fixture, on the thread reading
    /// the log).
    pub(crate) fn apply_with_id(&mut self, seq: u64, event: &Event, id: MatchId) -> Result<()> {
        self.admitted_id = Some(id);
        let applied = self.apply(seq, event);
        self.admitted_id = None;
        applied
    }

    /// Writes what event `seq` adds to the derived entries.
    pub(crate) fn apply(&mut self, seq: u64, event: &Event) -> Result<()> {
        match event {
            Event::MatchResult(m) => self.apply_result(seq, m),
            Event::Rules(r) | Event::RulesStated(StatedRules { rules: r, .. }) => {
                let season_key = self.remember_season(&r.competition, &r.season)?;
                if let Some(stage) = &r.stage {
                    self.remember(NameList::Stages(season_key), stage)?;
                }
                let scope = self
                    .keyer
                    .scope(&r.competition, &r.season, r.stage.as_deref());
                self.put_scoped(Kind::Rules, &scope, seq, encode_value(r));
                let stage = r.stage.as_ref().map(|_| scope);
                self.index_in_scope(&season_key, stage.as_ref(), seq)
            }
            Event::SeasonFacts(f) => {
                let season_key = self.remember_season(&f.competition, &f.season)?;
                if let Some(w) = &f.winners {
                    self.remember(NameList::Teams(season_key), w)?;
                }
                self.put_scoped(Kind::Facts, &season_key, seq, encode_value(f));
                Ok(())
            }
            Event::TeamRegistered(t) => {
                let season_key = self.remember_season(&t.competition, &t.season)?;
                self.remember(NameList::Teams(season_key), &t.team)?;
                let value = encode_value(t);
                let stage = t.stage.as_deref();
                self.put_in_scope(
                    Kind::Registration,
                    &t.competition,
                    &t.season,
                    stage,
                    seq,
                    value,
                )
            }
            Event::ResultCorrected(_) | Event::MatchAwarded(_) | Event::MatchAnnulled(_) => {
                let (id, c) = MatchChange::of_event(seq, event).expect("a change");
                self.change_match(&id, seq, c.kind, &c.reason)
            }
            Event::PointsAdjusted(p) => {
                let value = encode_value(p);
                let stage = p.stage.as_deref();
                self.put_in_scope(
                    Kind::Adjustment,
                    &p.competition,
                    &p.season,
                    stage,
                    seq,
                    value,
                )
            }
            Event::FairPlayStated(f) => {
                let value = encode_value(f);
                let stage = f.stage.as_deref();
                self.put_in_scope(Kind::FairPlay, &f.competition, &f.season, stage, seq, value)
            }
            Event::TeamRenamed(t) => {
                self.renamed.remove(&t.competition);
                let scope = self.keyer.competition_scope(&t.competition);
                self.put_scoped(Kind::Rename, &scope, seq, encode_value(t));
                self.index_competition(&t.competition, seq)
            }
            Event::ShootoutDecided(s) => {
                let kind = ChangeKind::Shootout {
                    winner: s.winner.clone(),
                    first_shooter: s.first_shooter.clone(),
                };
                self.change_match(&s.match_id, seq, kind, "")
            }
        }
    }

    fn apply_result(&mut self, seq: u64, m: &MatchResult) -> Result<()> {
        if let Some(c) = &mut self.checked {
            c.insert(seq, m.clone());
        }
        let id = match self.admitted_id.take() {
            Some(id) => id,
            None => self.id(m),
        };
        let stage = self.stage(&m.competition, &m.season, &m.stage, seq)?;
        let (home, new_home) = stage.team_id(&m.home)?;
        let (away, new_away) = stage.team_id(&m.away)?;
        stage.insert(Row {
            id,
            seq,
            date: m.date,
            round: m.round,
            home,
            away,
            home_goals: m.home_goals,
            away_goals: m.away_goals,
            status: m.status,
        });
        let (season_key, stage_key) = (stage.info.season_key, stage.info.stage_key);
        // A team new to the stage may be new to the season; one it has, is not.
        for (new, team) in [(new_home, &m.home), (new_away, &m.away)] {
            if new {
                self.remember(NameList::Teams(season_key), team)?;
            }
        }
        let place = (season_key, stage_key, seq);
        if let Some(ids) = &mut self.ids {
            ids.insert(id, place);
        }
        self.index_push(&stage_key, seq, seq)
    }

    /// Files a value under a season or stage scope; a named stage becomes
    /// known to the season.
    fn put_in_scope(
        &mut self,
        kind: Kind,
        competition: &str,
        season: &str,
        stage: Option<&str>,
        seq: u64,
        value: Vec<u8>,
    ) -> Result<()> {
        let scope = self.keyer.scope(competition, season, stage);
        self.put_scoped(kind, &scope, seq, value);
        if let Some(stage) = stage {
            self.stage(competition, season, stage, seq)?;
        }
        let season_key = self.keyer.scope(competition, season, None);
        let stage_key = stage.map(|_| scope);
        self.index_in_scope(&season_key, stage_key.as_ref(), seq)
    }

    fn put_scoped(&mut self, kind: Kind, scope: &ScopeKey, seq: u64, value: Vec<u8>) {
        self.pending
            .insert(keys::scoped(kind, scope, seq).to_vec(), value);
    }

    /// Files a compensating event under the match it changes.
    fn change_match(
        &mut self,
        id: &MatchId,
        seq: u64,
        kind: ChangeKind,
        reason: &str,
    ) -> Result<()> {
        let Some((season, stage, match_seq)) = self.locate(id)? else {
            return Err(Error::NotFound(format!("unknown match id {}", id.to_hex())));
        };
        let (_, mut now) = self.state_of(&season, &stage, match_seq)?;
        now.apply(&kind, reason);
        let key = keys::change(&stage, match_seq, seq).to_vec();
        self.pending.insert(key, encode_value(&(kind, reason)));
        self.pending.insert(
            keys::current(&stage, match_seq).to_vec(),
            encode_value(&now),
        );
        self.index_push(&stage, seq, match_seq)
    }

    /// A stage's index list, read from the store when first touched.
    fn index_list(&mut self, stage: &ScopeKey) -> Result<&mut IndexList> {
        if !self.index.contains_key(stage) {
            self.check_retired(stage)?;
            let key = keys::index(stage);
            let list = match Source::get(self, &key)? {
                Some(v) => {
                    let (h, list) =
                        packed::decode_index_header(&v).map_err(|e| damaged(&key, e))?;
                    IndexList {
                        key: h.key,
                        first_seq: h.first_seq,
                        entries: packed::decode_index(list).map_err(|e| damaged(&key, e))?,
                        dirty: false,
                    }
                }
                None => IndexList::default(),
            };
            self.index.insert(*stage, list);
        }
        Ok(self.index.get_mut(stage).expect("just loaded"))
    }

    /// Lists event `seq` in a stage's index list; `of` is the result it
    /// belongs to (0: none).
    fn index_push(&mut self, stage: &ScopeKey, seq: u64, of: u64) -> Result<()> {
        let list = self.index_list(stage)?;
        if let Some((last, _)) = list.entries.last().filter(|(last, _)| *last >= seq) {
            return Err(Error::Corrupt {
                seq,
                msg: format!("the stage index already lists seq {last} in this stage"),
            });
        }
        list.entries.push((seq, of));
        list.dirty = true;
        Ok(())
    }

    /// A stage that event `seq` creates starts its list with the events
    /// before it that its table reads without naming it: rules,
    /// registrations and adjustments of its season (and rules of the stage
    /// set before it had a result), and renames in its competition.
    fn seed_index(
        &mut self,
        competition: &str,
        season: &ScopeKey,
        stage: &ScopeKey,
        seq: u64,
    ) -> Result<()> {
        let comp = self.keyer.competition_scope(competition);
        let scopes = [
            (Kind::Rules, stage),
            (Kind::Registration, stage),
            (Kind::Adjustment, stage),
            (Kind::FairPlay, stage),
            (Kind::Rules, season),
            (Kind::Registration, season),
            (Kind::Adjustment, season),
            (Kind::FairPlay, season),
            (Kind::Rename, &comp),
        ];
        let mut seqs = Vec::new();
        for (kind, scope) in scopes {
            for (k, _) in self.scan(&keys::scoped_of(kind, scope))? {
                seqs.extend(keys::scoped_seq(&k).filter(|s| *s < seq));
            }
        }
        seqs.sort_unstable();
        seqs.dedup();
        for s in seqs {
            self.index_push(stage, s, 0)?;
        }
        Ok(())
    }

    /// Lists a rules, registration or adjustment event: in its stage's
    /// list, or at season scope in the list of every stage of the season.
    /// A stage not created yet finds it when it is (`seed_index`).
    fn index_in_scope(
        &mut self,
        season: &ScopeKey,
        stage: Option<&ScopeKey>,
        seq: u64,
    ) -> Result<()> {
        let stages = match stage {
            Some(s) if self.load_stage(season, s)?.is_some() => vec![*s],
            Some(_) => Vec::new(),
            None => self.season_stages(season)?,
        };
        for s in stages {
            self.index_push(&s, seq, 0)?;
        }
        Ok(())
    }

    /// Lists a rename in the list of every stage of its competition.
    fn index_competition(&mut self, competition: &str, seq: u64) -> Result<()> {
        let comp = self.keyer.competition_scope(competition);
        let seasons = read::name_list(&*self, NameList::Seasons(comp))?;
        for season in seasons {
            let season_key = self.keyer.scope(competition, &season, None);
            for s in self.season_stages(&season_key)? {
                self.index_push(&s, seq, 0)?;
            }
        }
        Ok(())
    }

    /// The stages of a season: those stored and those held.
    fn season_stages(&mut self, season: &ScopeKey) -> Result<Vec<ScopeKey>> {
        if let Some(r) = &mut self.retirement {
            r.check_season(season)?;
        }
        let mut out: Vec<ScopeKey> = self
            .stages
            .values()
            .filter(|s| s.info.season_key == *season)
            .map(|s| s.info.stage_key)
            .collect();
        if self.stored {
            for e in self
                .store
                .scan_prefix(Space::Derived, &keys::stages_of(season))
            {
                let (k, _) = e?;
                if let Some((_, stage)) = keys::stage_parts(&k) {
                    out.push(stage);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// The bytes of event `seq` if this append holds it (`hold`).
    fn held_event(&self, seq: u64) -> Option<&[u8]> {
        if let Some(bytes) = self.open.event(seq) {
            return Some(bytes);
        }
        let i = self.held.partition_point(|p| p.last_seq() < seq);
        self.held.get(i)?.event(seq)
    }

    /// Holds event `seq` (the next seq), encoded as `bytes`, until it is
    /// sealed; a parcel of [`Parcel::EVENTS`] is handed out to be sealed.
    pub(crate) fn hold(&mut self, seq: u64, bytes: &[u8]) -> Option<std::sync::Arc<Parcel>> {
        self.open.push(seq, bytes);
        match self.open.len() >= Parcel::EVENTS {
            true => self.hand_out(),
            false => None,
        }
    }

    /// The events held and not handed out yet, if any, as a parcel to seal.
    pub(crate) fn hand_out(&mut self) -> Option<std::sync::Arc<Parcel>> {
        if self.open.len() == 0 {
            return None;
        }
        let parcel = std::sync::Arc::new(std::mem::take(&mut self.open));
        self.held.push(parcel.clone());
        Some(parcel)
    }

    /// A sealer of the events this deriver appends after `head`, recorded
    /// at `recorded_at`: it takes the log's chunks and the Merkle nodes,
    /// which [`Deriver::sealed`] gives back before the commit.
    pub(crate) fn sealer(&mut self, head: &Head, recorded_at: Timestamp) -> Result<Sealer<'s>> {
        let log = self
            .log
            .take()
            .ok_or_else(|| invalid("a rebuild writes no events"))?;
        let nodes = std::mem::replace(&mut self.nodes, crate::log::writer::Nodes::fresh());
        Ok(Sealer::new(
            self.store,
            self.stored,
            nodes,
            log,
            head,
            recorded_at,
        ))
    }

    /// Takes back the log's chunks and Merkle nodes a sealer wrote.
    pub(crate) fn sealed(&mut self, nodes: crate::log::writer::Nodes, log: LogWriter) {
        self.nodes = nodes;
        self.log = Some(log);
    }

    /// Adds event `seq`'s hash to the Merkle tree (leaf index seq - 1).
    pub(crate) fn add_leaf(&mut self, seq: u64, event_hash: &Hash) -> Result<()> {
        self.nodes
            .add_leaf(self.store, self.stored, seq, event_hash)
    }

    /// Appends event `seq` to the log (appends only).
    pub(crate) fn push_event(
        &mut self,
        seq: u64,
        prev: &Hash,
        entry: &packed::Entry,
    ) -> Result<()> {
        match &mut self.log {
            Some(l) => l.push(seq, prev, entry),
            None => Err(invalid("a rebuild writes no events")),
        }
    }

    /// Everything held, as writes (and the log's preconditions) in `c`.
    pub(crate) fn commit_into(mut self, c: &mut Commit) -> Result<()> {
        for (list, names) in &self.lists {
            names.put_into(*list, c);
        }
        for stage in self.stages.values_mut() {
            stage.flush(c);
        }
        for (k, v) in std::mem::take(&mut self.pending) {
            c.put(Space::Derived, k, v);
        }
        for (stage, list) in &self.index {
            list.put_into(stage, c);
        }
        self.nodes.commit_into(c);
        if let Some(log) = self.log.take() {
            log.commit_into(c);
        }
        Ok(())
    }
}

/// A stored stage as the deriver holds it.
fn stage_from_store(store: &Store, info: StageInfo) -> Result<Stage> {
    let dict_key = keys::teams(&info.stage_key);
    let teams: Vec<String> = match store.get(Space::Derived, &dict_key)? {
        Some(v) => decode_derived(&dict_key, &v)?,
        None => Vec::new(),
    };
    let mut blocks = Vec::new();
    for e in store.scan_prefix(Space::Derived, &keys::rows_of(&info.stage_key)) {
        let (k, v) = e?;
        let rows = packed::decode_rows(&v).map_err(|e| damaged(&k, e))?;
        if rows.is_empty() {
            return Err(damaged(&k, "an empty block"));
        }
        blocks.push(Block {
            stored_key: Some(k),
            rows,
            dirty: false,
        });
    }
    let team_ids = teams
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), i as u32))
        .collect();
    Ok(Stage {
        info,
        stored: true,
        teams,
        team_ids,
        teams_dirty: false,
        blocks,
        ids: None,
    })
}
