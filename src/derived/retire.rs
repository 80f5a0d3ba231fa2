//! Retiring stages during a pass over the whole log (`verify`, `rebuild`):
//! once a stage's last event is applied, its entries are handed out (to be
//! compared or written) and it is dropped, so a pass holds the stages in
//! play rather than the whole archive.
//!
//! When a stage is finished is a *hint*: the last seq of each stage's list in
//! the stored stage index. It is never trusted. A stage needed again after
//! it was retired (an event of it, a season-wide event of its season, a
//! change of one of its matches) makes the pass stop with
//! [`Retirement::broken`] set; the caller then redoes the pass holding every
//! stage. A wrong hint costs time, never a result; a stage never needed again
//! was complete when it was handed out, whatever the hint said.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::error::{Error, Result};
use crate::format::keys::{self, Kind, ScopeKey};
use crate::format::packed;
use crate::store::{Space, Store};

/// Which stages to retire after which seq, and which were.
#[derive(Default)]
pub(crate) struct Retirement {
    /// Last seq (the hint) -> the stages whose lists end there.
    ends: BTreeMap<u64, Vec<ScopeKey>>,
    /// Last seq (the latest of its stages') -> the seasons whose lists of
    /// stages and teams are done with then.
    season_ends: BTreeMap<u64, Vec<ScopeKey>>,
    /// Retired stages and their seasons.
    retired: HashMap<ScopeKey, ScopeKey>,
    /// Seasons with a retired stage.
    seasons: HashSet<ScopeKey>,
    /// Seasons whose lists were retired.
    lists: HashSet<ScopeKey>,
    /// Set when a retired stage was needed again: the pass must be redone.
    pub(crate) broken: bool,
}

impl Retirement {
    /// Retirement after the last seq the stored stage index gives each
    /// stage, read from the lists' headers (`J`), or from the lists (`I`)
    /// of a store made before the headers stood apart, which is rebuilt
    /// when opened (without a hint, every stage would be held to the end:
    /// 2 GiB at 10M events). Entries that do not decode give no hint.
    pub(crate) fn from_stored_index(store: &Store) -> Result<Retirement> {
        let mut r = Retirement::default();
        let season_of = crate::derived::stage_seasons(store)?;
        let mut season_end: HashMap<ScopeKey, u64> = HashMap::default();
        let mut end_of = |stage: ScopeKey, last_seq: u64| {
            r.ends.entry(last_seq).or_default().push(stage);
            if let Some(season) = season_of.get(&stage) {
                let end = season_end.entry(*season).or_default();
                *end = (*end).max(last_seq);
            }
        };
        let mut heads = 0;
        store.for_each(Space::Derived, &[Kind::IndexHead as u8], |k, v| {
            heads += 1;
            if let (Some(stage), Ok(h)) = (keys::scope_in(k), packed::decode_index_head(v)) {
                end_of(stage, h.last_seq);
            }
            Ok(true)
        })?;
        if heads == 0 {
            store.for_each(Space::Derived, &[Kind::Index as u8], |k, v| {
                if let (Some(stage), Ok((h, _))) =
                    (keys::scope_in(k), packed::decode_index_header(v))
                {
                    end_of(stage, h.last_seq);
                }
                Ok(true)
            })?;
        }
        // Season facts name a winner from the season's team list, and are in
        // no stage's list: the list is done with after the last of them too.
        store.for_each(Space::Derived, &[Kind::Facts as u8], |k, _| {
            if let (Some(season), Some(seq)) = (keys::scope_in(k), keys::scoped_seq(k)) {
                if let Some(end) = season_end.get_mut(&season) {
                    *end = (*end).max(seq);
                }
            }
            Ok(true)
        })?;
        for (season, end) in season_end {
            r.season_ends.entry(end).or_default().push(season);
        }
        Ok(r)
    }

    /// True when a stage or a season is due at `seq`.
    pub(crate) fn any_due(&self, seq: u64) -> bool {
        let due =
            |m: &BTreeMap<u64, Vec<ScopeKey>>| m.first_key_value().is_some_and(|(k, _)| *k <= seq);
        due(&self.ends) || due(&self.season_ends)
    }

    /// The stages due for retirement once every seq up to `seq` is applied.
    pub(crate) fn due(&mut self, seq: u64) -> Vec<ScopeKey> {
        take_through(&mut self.ends, seq)
    }

    /// The seasons whose lists are due for retirement once every seq up to
    /// `seq` is applied (after their stages).
    pub(crate) fn due_seasons(&mut self, seq: u64) -> Vec<ScopeKey> {
        let out = take_through(&mut self.season_ends, seq);
        self.lists.extend(out.iter().copied());
        out
    }

    /// Fails (and marks the pass broken) if the lists of `season` were retired.
    pub(crate) fn check_lists(&mut self, season: &ScopeKey) -> Result<()> {
        match self.lists.contains(season) {
            true => Err(self.broke()),
            false => Ok(()),
        }
    }

    /// Notes that `stage` (of `season`) was handed out and dropped.
    pub(crate) fn retired(&mut self, stage: ScopeKey, season: ScopeKey) {
        self.retired.insert(stage, season);
        self.seasons.insert(season);
    }

    /// Fails (and marks the pass broken) if `stage` was retired.
    pub(crate) fn check_stage(&mut self, stage: &ScopeKey) -> Result<()> {
        match self.retired.contains_key(stage) {
            true => Err(self.broke()),
            false => Ok(()),
        }
    }

    /// Fails (and marks the pass broken) if a stage of `season` was retired.
    pub(crate) fn check_season(&mut self, season: &ScopeKey) -> Result<()> {
        match self.seasons.contains(season) {
            true => Err(self.broke()),
            false => Ok(()),
        }
    }

    /// A match not found among the held stages may be in a retired one.
    pub(crate) fn check_unlocated(&mut self) -> Result<()> {
        match self.retired.is_empty() {
            true => Ok(()),
            false => Err(self.broke()),
        }
    }

    fn broke(&mut self) -> Error {
        self.broken = true;
        Error::Invalid("a stage handed out before the end of the pass was needed again".into())
    }
}

/// Removes and returns the keys filed under seqs up to `seq`.
fn take_through(m: &mut BTreeMap<u64, Vec<ScopeKey>>, seq: u64) -> Vec<ScopeKey> {
    let mut out = Vec::new();
    while let Some(e) = m.first_entry() {
        if *e.key() > seq {
            break;
        }
        out.extend(e.remove());
    }
    out
}

/// What a pass handed out, for the final comparison with the stored tree:
/// each key with a 128-bit BLAKE3 digest of its value (the values are not
/// held).
#[derive(Default)]
pub(crate) struct Retired(BTreeMap<Vec<u8>, [u8; 16]>);

impl Retired {
    /// Takes the derived puts of a retirement commit.
    pub(crate) fn add(&mut self, puts: Vec<(Vec<u8>, Vec<u8>)>) {
        for (k, v) in puts {
            let first = self.0.insert(k, digest(&v)).is_none();
            debug_assert!(first, "a key handed out twice");
        }
    }

    /// The keys and digests, in key order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8; 16])> {
        self.0.iter().map(|(k, d)| (k.as_slice(), d))
    }
}

/// The digest [`Retired`] keeps of a value.
pub(crate) fn digest(v: &[u8]) -> [u8; 16] {
    let h = blake3::hash(v);
    h.as_bytes()[..16].try_into().expect("16 bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Commit;

    /// A store holding a list (`I`) ending at `last` for each stage, and
    /// with `heads` their headers apart (`J`) too.
    fn store_with(dir: &std::path::Path, stages: &[(ScopeKey, u64)], heads: bool) -> Store {
        let store = Store::open(dir).unwrap();
        let mut c = Commit::default();
        for (stage, last) in stages {
            let h = packed::IndexHeader {
                key: [stage[0]; 32],
                first_seq: 1,
                last_seq: *last,
                leaf: [0; 32],
            };
            let value = packed::encode_index_value(&h, &[(1, 0), (*last, 0)]);
            c.put(Space::Derived, keys::index(stage).to_vec(), value);
            if heads {
                let head = packed::encode_index_head(&h).to_vec();
                c.put(Space::Derived, keys::index_head(stage).to_vec(), head);
            }
        }
        store.commit(c).unwrap();
        store
    }

    #[test]
    fn a_store_made_before_the_headers_stood_apart_hints_from_its_lists() {
        let stages = [([1; 8], 5), ([2; 8], 9), ([3; 8], 9)];
        let want: BTreeMap<u64, Vec<ScopeKey>> =
            [(5, vec![[1; 8]]), (9, vec![[2; 8], [3; 8]])].into();
        for heads in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let store = store_with(dir.path(), &stages, heads);
            let r = Retirement::from_stored_index(&store).unwrap();
            assert_eq!(r.ends, want, "with headers apart: {heads}");
        }
    }
}
