//! A Merkle tree over the event hashes: the RFC 6962 / RFC 9162 structure
//! (leaf prefix 0x00, node prefix 0x01, split at the largest power of two
//! smaller than the size) with BLAKE3-256 as the hash. The variant is named
//! `scoreledger-blake3-rfc6962-v1` and specified in `schema/merkle.md`.
//!
//! Only complete subtrees are stored (level, index) -> hash, so the root of
//! any size and any proof take O(log n) node reads. Everything here is pure:
//! nodes come from a [`Nodes`] source; verification needs no store at all.

use crate::format::chain::Hash;

/// The name of this tree variant, written into checkpoints and proofs.
pub const VARIANT: &str = "scoreledger-blake3-rfc6962-v1";

/// BLAKE3(0x00 || event hash).
pub fn leaf_hash(event_hash: &Hash) -> Hash {
    // One contiguous input and one call: a `Hasher` fed twice cost twice as much.
    let mut input = [0u8; 33];
    input[1..].copy_from_slice(&event_hash.0);
    Hash(*blake3::hash(&input).as_bytes())
}

/// BLAKE3(0x01 || left || right).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut input = [1u8; 65];
    input[1..33].copy_from_slice(&left.0);
    input[33..].copy_from_slice(&right.0);
    Hash(*blake3::hash(&input).as_bytes())
}

/// The root of the empty tree: BLAKE3 of no bytes.
pub fn empty_root() -> Hash {
    Hash(*blake3::hash(&[]).as_bytes())
}

/// A source of stored complete-subtree hashes: `node(level, index)` is the
/// root of leaves `index * 2^level .. (index + 1) * 2^level`.
pub trait Nodes {
    /// The root of the complete subtree at `level` and `index`, or why it cannot be read.
    fn node(&self, level: u8, index: u64) -> Result<Hash, String>;
}

/// The largest power of two strictly smaller than `n` (n >= 2).
pub fn split(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1 << (63 - (n - 1).leading_zeros())
}

/// MTH of leaves `lo .. lo + n`.
fn subtree(src: &impl Nodes, lo: u64, n: u64) -> Result<Hash, String> {
    if n.is_power_of_two() && lo.is_multiple_of(n) {
        return src.node(n.trailing_zeros() as u8, lo / n);
    }
    let k = split(n);
    Ok(node_hash(
        &subtree(src, lo, k)?,
        &subtree(src, lo + k, n - k)?,
    ))
}

/// The root of leaves `lo .. lo + n` (n > 0).
pub fn root_of(src: &impl Nodes, lo: u64, n: u64) -> Result<Hash, String> {
    if n == 0 {
        return Ok(empty_root());
    }
    subtree(src, lo, n)
}

/// The root of the tree of the first `size` leaves.
pub fn root(src: &impl Nodes, size: u64) -> Result<Hash, String> {
    if size == 0 {
        return Ok(empty_root());
    }
    subtree(src, 0, size)
}

/// The audit path of leaf `index` in the tree of `size` leaves (RFC 6962 PATH), leaf side first.
pub fn inclusion_proof(src: &impl Nodes, index: u64, size: u64) -> Result<Vec<Hash>, String> {
    if index >= size {
        return Err(format!("leaf {index} is not in a tree of size {size}"));
    }
    let mut path = Vec::new();
    let (mut lo, mut n, mut m) = (0u64, size, index);
    let mut siblings = Vec::new();
    while n > 1 {
        let k = split(n);
        if m < k {
            siblings.push((lo + k, n - k));
            n = k;
        } else {
            siblings.push((lo, k));
            lo += k;
            m -= k;
            n -= k;
        }
    }
    for (slo, sn) in siblings.into_iter().rev() {
        path.push(subtree(src, slo, sn)?);
    }
    Ok(path)
}

/// The consistency proof from the tree of `old` leaves to the tree of `new`
/// leaves (RFC 6962 PROOF), for 0 < old <= new.
pub fn consistency_proof(src: &impl Nodes, old: u64, new: u64) -> Result<Vec<Hash>, String> {
    // From the empty tree the proof is empty (RFC 9162 2.1.4.1: any tree
    // extends the empty one).
    if old == 0 && new > 0 {
        return Ok(Vec::new());
    }
    if old > new {
        return Err(format!(
            "no consistency proof from size {old} to size {new}"
        ));
    }
    let mut parts: Vec<(u64, u64)> = Vec::new();
    let (mut lo, mut n, mut m, mut whole) = (0u64, new, old, true);
    while m != n {
        let k = split(n);
        if m <= k {
            parts.push((lo + k, n - k));
            n = k;
        } else {
            parts.push((lo, k));
            lo += k;
            m -= k;
            n -= k;
            whole = false;
        }
    }
    if !whole {
        parts.push((lo, m));
    }
    let mut proof = Vec::with_capacity(parts.len());
    for (plo, pn) in parts.into_iter().rev() {
        proof.push(subtree(src, plo, pn)?);
    }
    Ok(proof)
}

/// Checks an inclusion proof (RFC 9162 2.1.3.2). Every proof hash must be
/// used, and no more are allowed.
pub fn verify_inclusion(
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), String> {
    verify_inclusion_with(node_hash, index, size, leaf, proof, root)
}

/// [`verify_inclusion`] for a tree of the same structure whose interior
/// nodes are hashed by `node_hash` (the stage index's, `index.rs`).
pub fn verify_inclusion_with(
    node_hash: impl Fn(&Hash, &Hash) -> Hash,
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), String> {
    if root_from_inclusion(node_hash, index, size, leaf, proof)? != *root {
        return Err("the proof does not lead to the checkpoint's root".into());
    }
    Ok(())
}

/// The root that leaf `index` of a tree of `size` leaves, with the inclusion
/// proof `proof`, leads to (the fold [`verify_inclusion_with`] compares);
/// every proof hash must be used, and no more are allowed.
pub fn root_from_inclusion(
    node_hash: impl Fn(&Hash, &Hash) -> Hash,
    index: u64,
    size: u64,
    leaf: &Hash,
    proof: &[Hash],
) -> Result<Hash, String> {
    if index >= size {
        return Err(format!("leaf {index} is not in a tree of size {size}"));
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if sn == 0 {
            return Err("the proof has more hashes than a tree of this size needs".into());
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p, &r);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err("the proof has fewer hashes than a tree of this size needs".into());
    }
    Ok(r)
}

/// Checks a consistency proof (RFC 9162 2.1.4.2) between a tree of `old`
/// leaves with root `old_root` and one of `new` leaves with root `new_root`.
pub fn verify_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), String> {
    if old > new {
        return Err(format!("size {old} is larger than size {new}"));
    }
    if old == new {
        return match (proof.is_empty(), old_root == new_root) {
            (true, true) => Ok(()),
            (false, _) => Err("a proof between equal sizes must be empty".into()),
            (true, false) => Err("same size, different roots: the trees differ".into()),
        };
    }
    if old == 0 {
        return if proof.is_empty() {
            Ok(())
        } else {
            Err("a proof from the empty tree must be empty".into())
        };
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return Err("empty consistency proof".into());
    };
    let (mut fn_, mut sn) = (old - 1, new - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if sn == 0 {
            return Err("the proof has more hashes than these sizes need".into());
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fn_ & 1 == 0 && fn_ != 0 {
                fn_ >>= 1;
                sn >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn != 0 {
        return Err("the proof has fewer hashes than these sizes need".into());
    }
    if fr != *old_root {
        return Err(
            "the earlier tree's root does not match: an event up to that size was changed".into(),
        );
    }
    if sr != *new_root {
        return Err("the later tree's root does not match".into());
    }
    Ok(())
}

/// The complete subtrees that make up a tree of `size` leaves, left to right,
/// as (first leaf, number of leaves).
pub fn frontier(size: u64) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut lo = 0;
    for bit in (0..64).rev() {
        let n = 1u64 << bit;
        if size & n != 0 {
            out.push((lo, n));
            lo += n;
        }
    }
    out
}

/// The stored nodes a new leaf adds: its own hash at level 0, then every
/// parent it completes. `get` reads an existing node.
pub fn append_leaf(
    index: u64,
    leaf: Hash,
    mut get: impl FnMut(u8, u64) -> Result<Hash, String>,
    mut put: impl FnMut(u8, u64, Hash),
) -> Result<(), String> {
    put(0, index, leaf);
    let (mut level, mut i, mut h) = (0u8, index, leaf);
    while i & 1 == 1 {
        let left = get(level, i - 1)?;
        h = node_hash(&left, &h);
        level += 1;
        i >>= 1;
        put(level, i, h);
    }
    Ok(())
}

/// Nodes held in memory: the frontier of a tree, and what leaves appended
/// to it add.
#[derive(Default)]
pub struct MemNodes(std::collections::HashMap<(u8, u64), Hash>);

impl Nodes for MemNodes {
    fn node(&self, level: u8, index: u64) -> Result<Hash, String> {
        self.0
            .get(&(level, index))
            .copied()
            .ok_or_else(|| format!("no node {level}/{index}"))
    }
}

/// The root of a tree of `old` leaves, given as its frontier ((first leaf,
/// leaves, root) of each complete subtree, as a checkpoint lists them),
/// extended by `leaves`: what a mirror checks new events against before it
/// keeps them.
pub fn extended_root(
    old: u64,
    frontier: &[(u64, u64, Hash)],
    leaves: &[Hash],
) -> Result<Hash, String> {
    let mut mem = MemNodes::default();
    let want: Vec<(u64, u64)> = crate::log::merkle::frontier(old);
    let got: Vec<(u64, u64)> = frontier.iter().map(|(lo, n, _)| (*lo, *n)).collect();
    if want != got {
        return Err(format!(
            "the frontier does not describe a tree of {old} leaves"
        ));
    }
    for (lo, n, h) in frontier {
        mem.0.insert((n.trailing_zeros() as u8, lo / n), *h);
    }
    for (i, leaf) in leaves.iter().enumerate() {
        let index = old + i as u64;
        let mut added = Vec::new();
        append_leaf(
            index,
            *leaf,
            |l, j| mem.node(l, j),
            |l, j, h| added.push(((l, j), h)),
        )?;
        mem.0.extend(added);
    }
    root(&mem, old + leaves.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// An in-memory tree built with `append_leaf`.
    struct Mem(HashMap<(u8, u64), Hash>);

    impl Nodes for Mem {
        fn node(&self, level: u8, index: u64) -> Result<Hash, String> {
            self.0
                .get(&(level, index))
                .copied()
                .ok_or_else(|| format!("no node {level}/{index}"))
        }
    }

    fn leaf(i: u64) -> Hash {
        leaf_hash(&Hash(*blake3::hash(&i.to_be_bytes()).as_bytes()))
    }

    fn tree(n: u64) -> Mem {
        let mut m = HashMap::new();
        for i in 0..n {
            let snapshot = m.clone();
            append_leaf(
                i,
                leaf(i),
                |l, x| {
                    snapshot
                        .get(&(l, x))
                        .copied()
                        .ok_or_else(|| "missing".to_string())
                },
                |l, x, h| {
                    m.insert((l, x), h);
                },
            )
            .unwrap();
            // Parents are put after the children they need, so reading the
            // snapshot taken before this leaf is enough.
        }
        Mem(m)
    }

    /// The RFC 6962 definition, recursively over the leaves.
    fn mth(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
            }
        }
    }

    #[test]
    fn roots_match_the_recursive_definition() {
        let t = tree(70);
        let leaves: Vec<Hash> = (0..70).map(leaf).collect();
        for size in 0..=70 {
            assert_eq!(
                root(&t, size).unwrap(),
                mth(&leaves[..size as usize]),
                "size {size}"
            );
        }
    }

    #[test]
    fn every_inclusion_proof_verifies_and_no_other() {
        let t = tree(37);
        for size in 1..=37u64 {
            let r = root(&t, size).unwrap();
            for i in 0..size {
                let p = inclusion_proof(&t, i, size).unwrap();
                verify_inclusion(i, size, &leaf(i), &p, &r).unwrap();
                // Wrong leaf, wrong index, wrong size, truncated or padded proof: refused.
                assert!(verify_inclusion(i, size, &leaf(i + 1), &p, &r).is_err());
                if size > 1 {
                    assert!(verify_inclusion((i + 1) % size, size, &leaf(i), &p, &r).is_err());
                    assert!(verify_inclusion(i, size, &leaf(i), &p[..p.len() - 1], &r).is_err());
                }
                let mut longer = p.clone();
                longer.push(r);
                assert!(verify_inclusion(i, size, &leaf(i), &longer, &r).is_err());
                if size < 37 {
                    let bigger = root(&t, size + 1).unwrap();
                    assert!(
                        verify_inclusion(i, size + 1, &leaf(i), &p, &bigger).is_err(),
                        "proof for {size} accepted for {}",
                        size + 1
                    );
                }
            }
        }
    }

    #[test]
    fn every_consistency_proof_verifies_and_changed_trees_do_not() {
        let t = tree(33);
        for new in 1..=33u64 {
            let nr = root(&t, new).unwrap();
            for old in 1..=new {
                let or = root(&t, old).unwrap();
                let p = consistency_proof(&t, old, new).unwrap();
                verify_consistency(old, new, &or, &nr, &p)
                    .unwrap_or_else(|e| panic!("{old}->{new}: {e}"));
                let bad = node_hash(&or, &or);
                assert!(verify_consistency(old, new, &bad, &nr, &p).is_err());
                assert!(verify_consistency(old, new, &or, &bad, &p).is_err());
                if !p.is_empty() {
                    assert!(verify_consistency(old, new, &or, &nr, &p[1..]).is_err());
                }
            }
        }
        // A tree whose 5th leaf differs is not an extension of the original.
        let mut leaves: Vec<Hash> = (0..20).map(leaf).collect();
        let original = mth(&leaves[..12]);
        leaves[4] = leaf(99);
        let mut m = HashMap::new();
        for (i, l) in leaves.iter().enumerate() {
            let snapshot = m.clone();
            append_leaf(
                i as u64,
                *l,
                |lv, x| {
                    snapshot
                        .get(&(lv, x))
                        .copied()
                        .ok_or_else(|| "missing".to_string())
                },
                |lv, x, h| {
                    m.insert((lv, x), h);
                },
            )
            .unwrap();
        }
        let changed = Mem(m);
        let p = consistency_proof(&changed, 12, 20).unwrap();
        assert!(verify_consistency(12, 20, &original, &root(&changed, 20).unwrap(), &p).is_err());
    }

    #[test]
    fn frontier_covers_the_tree() {
        assert_eq!(frontier(23), vec![(0, 16), (16, 4), (20, 2), (22, 1)]);
        assert_eq!(frontier(16), vec![(0, 16)]);
        assert!(frontier(0).is_empty());
    }
}
