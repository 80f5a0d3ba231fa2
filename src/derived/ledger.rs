//! The store as questions read it: the log's events (through `log`), the
//! derived entries, and the stages with their names folded (read once and
//! kept until the next write). [`Ledger`] is the read side under the
//! archive's face; `projection::view` asks questions of it at a point in
//! transaction time.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use crate::derived::envelope::{self, Envelope};
use crate::derived::{decode_derived, StageInfo};
use crate::error::Result;
use crate::format::chain::{Hash, Head};
use crate::format::keys::Kind;
use crate::log;
use crate::model::names;
use crate::store::{Space, Store};

/// The read side of an archive: a store and what is cached of it.
pub struct Ledger {
    pub(crate) store: Store,
    /// The stages, read once and kept until the next write (every write
    /// takes `&mut self` and clears it): a server asks for them on every
    /// question.
    pub(crate) catalog: OnceLock<Arc<Catalog>>,
}

/// The archive's stages with their names folded once, for matching.
pub(crate) struct Catalog {
    pub(crate) stages: Vec<CatalogEntry>,
    /// Each stage's place in `stages`, by its folded names (`usize::MAX`
    /// for a name two stages share).
    pub(crate) by_name: HashMap<[String; 3], usize>,
}

pub(crate) struct CatalogEntry {
    pub(crate) info: StageInfo,
    /// competition, season and stage, folded.
    pub(crate) folded: [String; 3],
}

impl Ledger {
    pub(crate) fn new(store: Store) -> Ledger {
        Ledger {
            store,
            catalog: OnceLock::new(),
        }
    }

    /// Where the store is.
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The latest event (seq 0 and a zero hash when the archive is empty),
    /// read from the last entry of the log itself.
    pub fn head(&self) -> Result<Head> {
        log::head(&self.store)
    }

    /// Where the head record (`M head`, a cache of the log's last entry)
    /// disagrees with the log, if it does.
    pub fn head_record_problem(&self) -> Result<Option<String>> {
        log::head_record_problem(&self.store)
    }

    /// Every event in order, decoded (hashes are not checked here; see `verify`).
    pub fn events(&self) -> impl Iterator<Item = Result<Envelope>> + '_ {
        envelope::events(&self.store)
    }

    /// One event by seq.
    pub fn event(&self, seq: u64) -> Result<Option<Envelope>> {
        envelope::event(&self.store, seq)
    }

    /// The envelope bytes of one event (`schema/events.md`).
    pub fn envelope_bytes(&self, seq: u64) -> Result<Option<Vec<u8>>> {
        log::ChunkReader::new(&self.store).envelope(seq)
    }

    /// The hash of event `seq` (the zero hash for seq 0).
    pub fn hash_at(&self, seq: u64) -> Result<Hash> {
        log::hash_at(&self.store, seq)
    }

    /// Every stage the archive knows, in competition, season, stage order.
    pub fn stages(&self) -> Result<Vec<StageInfo>> {
        Ok(self
            .catalog()?
            .stages
            .iter()
            .map(|s| s.info.clone())
            .collect())
    }

    /// The stages with their names folded, read from the store once per
    /// write.
    pub(crate) fn catalog(&self) -> Result<Arc<Catalog>> {
        if let Some(c) = self.catalog.get() {
            return Ok(c.clone());
        }
        let mut out = Vec::new();
        for e in self.store.scan_prefix(Space::Derived, &[Kind::Stage as u8]) {
            let (k, v) = e?;
            out.push(decode_derived::<StageInfo>(&k, &v)?);
        }
        let mut folds = names::Folder::default();
        let mut stages: Vec<CatalogEntry> = out
            .into_iter()
            .map(|info| CatalogEntry {
                folded: [
                    folds.fold(&info.competition).to_string(),
                    folds.fold(&info.season).to_string(),
                    folds.fold(&info.stage).to_string(),
                ],
                info,
            })
            .collect();
        stages.sort_by(|a, b| {
            (&a.folded[0], &a.folded[1], a.info.first_seq).cmp(&(
                &b.folded[0],
                &b.folded[1],
                b.info.first_seq,
            ))
        });
        let mut by_name: HashMap<[String; 3], usize> = HashMap::new();
        for (i, s) in stages.iter().enumerate() {
            // Two stages of one folded name: neither is found by name (the
            // scan of `matching_stages` says they are ambiguous).
            by_name
                .entry(s.folded.clone())
                .and_modify(|at| *at = usize::MAX)
                .or_insert(i);
        }
        let c = Arc::new(Catalog { stages, by_name });
        Ok(self.catalog.get_or_init(|| c).clone())
    }

    /// The raw store, for tests that simulate damage.
    #[cfg(feature = "testing")]
    pub fn store(&self) -> &Store {
        &self.store
    }
}
