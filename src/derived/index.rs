//! The stage index (pure): at every size of the log, for each stage the
//! archive knows, the ordered list of the seqs of every event its table is
//! folded from, committed by one root. The root goes into the checkpoint
//! as its `index` extension line, so the log's signature and its witnesses'
//! cosignatures cover it; anyone holding the log recomputes it (`verify
//! --checkpoint`, a mirror), so its construction is checked, not trusted.
//! `schema/index.md` has the definition and vectors.
//!
//! The tree has the structure of the event tree (RFC 6962) over the stages'
//! leaves sorted by key, with BLAKE3 in key-derivation mode under contexts
//! of its own, so that no index hash can stand for an event-tree hash.

use serde::{Deserialize, Serialize};

use crate::format::chain::Hash;
use crate::format::chain::{b64, unb64};

/// The name of this index, written into its proofs.
pub const VARIANT: &str = "scoreledger-stage-index-blake3-v1";
const LEAF_CONTEXT: &str = "scoreledger 2026-12 stage index leaf v1";
const NODE_CONTEXT: &str = "scoreledger 2026-12 stage index node v1";

/// One event of a stage's list: its seq, and the seq of the result it
/// belongs to (the result itself, or the result that a correction, award
/// or annulment changes); 0 for an event of no match (rules,
/// registrations, adjustments, renames). A match's own list is the
/// entries that belong to its result, so the change in force is the last.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "[u64; 2]", into = "[u64; 2]")]
pub struct Entry {
    /// The event's seq.
    pub seq: u64,
    /// The seq of the result it belongs to; 0 for an event of no match.
    pub of: u64,
}

impl From<[u64; 2]> for Entry {
    fn from([seq, of]: [u64; 2]) -> Entry {
        Entry { seq, of }
    }
}

impl From<Entry> for [u64; 2] {
    fn from(e: Entry) -> [u64; 2] {
        [e.seq, e.of]
    }
}

/// `derive_key(LEAF_CONTEXT, key || count u64 BE || (seq u64 BE || of u64 BE)*)`.
pub fn leaf_hash(key: &Hash, entries: &[Entry]) -> Hash {
    let mut h = blake3::Hasher::new_derive_key(LEAF_CONTEXT);
    h.update(&key.0);
    h.update(&(entries.len() as u64).to_be_bytes());
    let mut buf = Vec::with_capacity(entries.len() * 16);
    for e in entries {
        buf.extend_from_slice(&e.seq.to_be_bytes());
        buf.extend_from_slice(&e.of.to_be_bytes());
    }
    h.update(&buf);
    Hash(*h.finalize().as_bytes())
}

/// `derive_key(NODE_CONTEXT, left || right)`.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = blake3::Hasher::new_derive_key(NODE_CONTEXT);
    h.update(&left.0);
    h.update(&right.0);
    Hash(*h.finalize().as_bytes())
}

/// The root of the empty index: `derive_key(NODE_CONTEXT, "")`.
pub fn empty_root() -> Hash {
    Hash(
        *blake3::Hasher::new_derive_key(NODE_CONTEXT)
            .finalize()
            .as_bytes(),
    )
}

/// The root of a tree over `leaves` (RFC 6962 MTH with the index's hashes).
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => empty_root(),
        1 => leaves[0],
        n => {
            let k = crate::log::merkle::split(n as u64) as usize;
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The audit path of leaf `index` (RFC 6962 PATH), leaf side first.
pub fn path(leaves: &[Hash], index: usize) -> Vec<Hash> {
    let n = leaves.len();
    if n <= 1 {
        return Vec::new();
    }
    let k = crate::log::merkle::split(n as u64) as usize;
    let (mut p, sibling) = if index < k {
        (path(&leaves[..k], index), root(&leaves[k..]))
    } else {
        (path(&leaves[k..], index - k), root(&leaves[..k]))
    };
    p.push(sibling);
    p
}

/// One stage's leaf: its key (`keys::stage_index_key`) and its list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leaf {
    /// The stage's index key (`keys::stage_index_key`).
    pub key: Hash,
    /// The stage's list, in seq order.
    pub entries: Vec<Entry>,
}

/// The index of the log at one size: a leaf per stage, sorted by key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    /// The log's size the index is of: the number of events.
    pub size: u64,
    leaves: Vec<Leaf>,
    hashes: Vec<Hash>,
}

impl Index {
    /// The index of `leaves` (in any order) at `size`; two leaves of one
    /// key are refused.
    pub fn new(size: u64, mut leaves: Vec<Leaf>) -> Result<Index, String> {
        leaves.sort_by_key(|l| l.key.0);
        if let Some(w) = leaves.windows(2).find(|w| w[0].key == w[1].key) {
            return Err(format!("two stages have the index key {}", w[0].key));
        }
        let hashes = leaves
            .iter()
            .map(|l| leaf_hash(&l.key, &l.entries))
            .collect();
        Ok(Index {
            size,
            leaves,
            hashes,
        })
    }

    /// The index's root: what a checkpoint's `index` line holds.
    pub fn root(&self) -> Hash {
        root(&self.hashes)
    }

    /// The leaves, sorted by key.
    pub fn leaves(&self) -> &[Leaf] {
        &self.leaves
    }

    /// A stage's list with its proof against [`Index::root`].
    pub fn lookup(&self, key: &Hash) -> Option<IndexProof> {
        let i = self.leaves.binary_search_by_key(&key.0, |l| l.key.0).ok()?;
        let entries = self.leaves[i].entries.clone();
        Some(IndexProof::at(self.size, *key, entries, &self.hashes, i))
    }
}

/// A stage's list in the index at one size, with the audit path of its
/// leaf: what a receipt carries (`schema/index.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexProof {
    /// The index the proof is for ([`VARIANT`]).
    pub variant: String,
    /// The log's size (the checkpoint's).
    pub size: u64,
    /// The stage's index key.
    pub key: Hash,
    /// Every event of the stage at that size, `[seq, of]`, in seq order.
    pub entries: Vec<Entry>,
    /// The leaf's position among the index's leaves, from 0.
    pub leaf: u64,
    /// The number of leaves in the index: the stages it holds.
    pub leaves: u64,
    /// Base64 hashes, leaf side first.
    pub path: Vec<String>,
}

impl IndexProof {
    /// The proof of the leaf at position `i` of `hashes` (the index's leaf
    /// hashes in key order), whose list is `entries`.
    pub(crate) fn at(
        size: u64,
        key: Hash,
        entries: Vec<Entry>,
        hashes: &[Hash],
        i: usize,
    ) -> IndexProof {
        IndexProof {
            variant: VARIANT.into(),
            size,
            key,
            entries,
            leaf: i as u64,
            leaves: hashes.len() as u64,
            path: path(hashes, i).iter().map(b64).collect(),
        }
    }

    /// Checks the list's shape (seqs from 1 to `size`, increasing; each
    /// change belongs to a result listed before it) and that its leaf
    /// leads to `root` at `size`.
    pub fn verify(&self, root: &Hash, size: u64) -> Result<(), String> {
        if self.variant != VARIANT {
            return Err(format!(
                "the index proof is of variant '{}', not '{VARIANT}'",
                self.variant
            ));
        }
        if self.size != size {
            return Err(format!(
                "the index proof is for a log of {} events, the checkpoint for {size}",
                self.size
            ));
        }
        self.check_entries()?;
        let leaf = leaf_hash(&self.key, &self.entries);
        crate::log::merkle::verify_inclusion_with(
            node_hash,
            self.leaf,
            self.leaves,
            &leaf,
            &self.path_hashes()?,
            root,
        )
        .map_err(|e| format!("the stage's index list: {e}"))
    }

    /// The root that `leaf`, in this proof's place, leads to along its path.
    pub(crate) fn root_with_leaf(&self, leaf: &Hash) -> Result<Hash, String> {
        crate::log::merkle::root_from_inclusion(
            node_hash,
            self.leaf,
            self.leaves,
            leaf,
            &self.path_hashes()?,
        )
    }

    fn path_hashes(&self) -> Result<Vec<Hash>, String> {
        self.path.iter().map(|p| unb64(p)).collect()
    }

    fn check_entries(&self) -> Result<(), String> {
        let mut prev = 0;
        let mut results = std::collections::HashSet::new();
        for e in &self.entries {
            if e.seq <= prev || e.seq > self.size {
                return Err(format!(
                    "the index lists seq {} after seq {prev} in a log of {} events",
                    e.seq, self.size
                ));
            }
            if e.of == e.seq {
                results.insert(e.seq);
            }
            if e.of != 0 && !results.contains(&e.of) {
                return Err(format!(
                    "the index lists seq {} as belonging to seq {}, which is not a result before it",
                    e.seq, e.of
                ));
            }
            prev = e.seq;
        }
        Ok(())
    }

    /// The seqs of the list, in order.
    pub fn seqs(&self) -> Vec<u64> {
        self.entries.iter().map(|e| e.seq).collect()
    }

    /// The seqs of one match: its result at `result` and every change of
    /// it, in order (the last change is the one in force).
    pub fn match_seqs(&self, result: u64) -> Vec<u64> {
        self.entries
            .iter()
            .filter(|e| e.of == result)
            .map(|e| e.seq)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(i: u8) -> Hash {
        Hash([i; 32])
    }

    fn index(n: u8) -> Index {
        let leaves = (0..n)
            .rev()
            .map(|i| Leaf {
                key: key(i),
                entries: vec![Entry {
                    seq: u64::from(i) + 1,
                    of: 0,
                }],
            })
            .collect();
        Index::new(100, leaves).unwrap()
    }

    #[test]
    fn every_leaf_of_every_size_proves_and_nothing_else_does() {
        for n in 0..=9u8 {
            let ix = index(n);
            let root = ix.root();
            if n == 0 {
                assert_eq!(root, empty_root());
            }
            for i in 0..n {
                let p = ix.lookup(&key(i)).unwrap();
                assert_eq!(p.leaf, u64::from(i), "sorted by key");
                p.verify(&root, 100).unwrap();
                let mut other = p.clone();
                other.entries[0].seq += 1;
                assert!(other.verify(&root, 100).is_err());
                let mut moved = p.clone();
                moved.leaf = (moved.leaf + 1) % u64::from(n.max(2));
                if moved.leaf != p.leaf && moved.leaf < u64::from(n) {
                    assert!(moved.verify(&root, 100).is_err());
                }
                assert!(p.verify(&root, 101).is_err(), "another size");
            }
            assert!(ix.lookup(&key(200)).is_none());
        }
    }

    #[test]
    fn a_list_out_of_order_or_with_a_stray_change_is_refused() {
        let p = |entries: Vec<[u64; 2]>| IndexProof {
            variant: VARIANT.into(),
            size: 30,
            key: key(1),
            entries: entries.into_iter().map(Entry::from).collect(),
            leaf: 0,
            leaves: 1,
            path: vec![],
        };
        let good = p(vec![[1, 0], [9, 9], [25, 9]]);
        let root = leaf_hash(&good.key, &good.entries);
        good.verify(&root, 30).unwrap();
        assert_eq!(good.match_seqs(9), vec![9, 25]);
        for bad in [
            vec![[9, 9], [1, 0]],
            vec![[9, 9], [9, 9]],
            vec![[0, 0]],
            vec![[31, 0]],
            vec![[25, 9]],
            vec![[1, 0], [25, 1]],
            vec![[9, 10]],
        ] {
            let b = p(bad.clone());
            let r = leaf_hash(&b.key, &b.entries);
            assert!(b.verify(&r, 30).is_err(), "{bad:?}");
        }
        assert!(Index::new(
            1,
            vec![
                Leaf {
                    key: key(1),
                    entries: vec![]
                },
                Leaf {
                    key: key(1),
                    entries: vec![]
                },
            ]
        )
        .is_err());
    }

    #[test]
    fn index_hashes_are_not_event_tree_hashes() {
        let (a, b) = (key(1), key(2));
        assert_ne!(node_hash(&a, &b), crate::log::merkle::node_hash(&a, &b));
        assert_ne!(empty_root(), crate::log::merkle::empty_root());
    }
}
