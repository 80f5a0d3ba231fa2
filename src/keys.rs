//! Byte layout of every sled key (see `schema/keys.md`). Pure functions, no I/O.
//!
//! Numbers are big-endian so that byte order is numeric order, and dates are
//! `yyyymmdd` numbers so that byte order is date order.

use crate::date::Date;
use crate::names::fold;
use crate::projector::SnapshotAt;

/// Identifies a season (`competition`, `season`) or one stage of it.
pub type ScopeKey = [u8; 8];

pub use crate::event::MatchId;

const SCOPE_CONTEXT: &str = "scoreledger 2026-11 scope key v1";
const MATCH_CONTEXT: &str = "scoreledger 2026-11 match id v1";

fn field(h: &mut blake3::Hasher, s: &str) {
    let f = fold(s);
    h.update(&(f.len() as u32).to_be_bytes());
    h.update(f.as_bytes());
}

/// The key of a whole season (`stage` none) or of one stage of it.
pub fn scope(competition: &str, season: &str, stage: Option<&str>) -> ScopeKey {
    let mut h = blake3::Hasher::new_derive_key(SCOPE_CONTEXT);
    field(&mut h, competition);
    field(&mut h, season);
    match stage {
        None => {
            h.update(&[0]);
        }
        Some(s) => {
            h.update(&[1]);
            field(&mut h, s);
        }
    }
    let mut out = [0u8; 8];
    out.copy_from_slice(&h.finalize().as_bytes()[..8]);
    out
}

/// The key of a competition (all its seasons).
pub fn competition_scope(competition: &str) -> ScopeKey {
    let mut h = blake3::Hasher::new_derive_key(SCOPE_CONTEXT);
    field(&mut h, competition);
    h.update(&[2]);
    let mut out = [0u8; 8];
    out.copy_from_slice(&h.finalize().as_bytes()[..8]);
    out
}

/// The key of a whole season.
pub fn season_scope(competition: &str, season: &str) -> ScopeKey {
    scope(competition, season, None)
}

/// The key of one stage of a season.
pub fn stage_scope(competition: &str, season: &str, stage: &str) -> ScopeKey {
    scope(competition, season, Some(stage))
}

/// The id of a fixture: competition, season, stage, round, date, home, away
/// (names folded, so spelling variants give the same id).
#[allow(clippy::too_many_arguments)]
pub fn match_id(
    competition: &str,
    season: &str,
    stage: &str,
    round: Option<u32>,
    date: Date,
    home: &str,
    away: &str,
) -> MatchId {
    let mut h = blake3::Hasher::new_derive_key(MATCH_CONTEXT);
    for s in [competition, season, stage] {
        field(&mut h, s);
    }
    h.update(&round.unwrap_or(0).to_be_bytes());
    h.update(&date.to_key().to_be_bytes());
    field(&mut h, home);
    field(&mut h, away);
    let mut out = [0u8; 16];
    out.copy_from_slice(&h.finalize().as_bytes()[..16]);
    MatchId(out)
}

/// `events`: seq.
pub fn seq(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

/// `by_date`: stage (8) | date yyyymmdd (4) | round, 0 for none (4) | seq (8).
pub fn by_date(stage: &ScopeKey, date: Date, round: Option<u32>, seq: u64) -> [u8; 24] {
    let mut k = [0u8; 24];
    k[..8].copy_from_slice(stage);
    k[8..12].copy_from_slice(&date.to_key().to_be_bytes());
    k[12..16].copy_from_slice(&round.unwrap_or(0).to_be_bytes());
    k[16..].copy_from_slice(&seq.to_be_bytes());
    k
}

/// The seq at the end of a `by_date` key.
pub fn by_date_seq(key: &[u8]) -> Option<u64> {
    key.get(16..24)
        .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
}

/// Snapshot kinds: after a date, after a round.
pub const SNAP_DATE: u8 = b'D';
pub const SNAP_ROUND: u8 = b'R';

/// `snapshots`: stage (8) | kind `D` or `R` (1) | yyyymmdd or round (4).
pub fn snapshot(stage: &ScopeKey, at: SnapshotAt) -> [u8; 13] {
    let (kind, n) = match at {
        SnapshotAt::Date(d) => (SNAP_DATE, d.to_key()),
        SnapshotAt::Round(r) => (SNAP_ROUND, r),
    };
    snapshot_raw(stage, kind, n)
}

pub fn snapshot_raw(stage: &ScopeKey, kind: u8, n: u32) -> [u8; 13] {
    let mut k = [0u8; 13];
    k[..8].copy_from_slice(stage);
    k[8] = kind;
    k[9..].copy_from_slice(&n.to_be_bytes());
    k
}

/// `stages`: season scope (8) | stage scope (8).
pub fn stage(season: &ScopeKey, stage: &ScopeKey) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(season);
    k[8..].copy_from_slice(stage);
    k
}

/// `rules`, `teams`, `facts`: scope (8) | seq (8).
pub fn scoped_seq(scope: &ScopeKey, seq: u64) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(scope);
    k[8..].copy_from_slice(&seq.to_be_bytes());
    k
}

/// The seq at the end of a `scoped_seq` key.
pub fn scoped_seq_seq(key: &[u8]) -> Option<u64> {
    key.get(8..16)
        .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
}

/// `names` kinds.
pub const NAME_COMPETITION: u8 = b'c';
pub const NAME_SEASON: u8 = b's';
pub const NAME_STAGE: u8 = b'g';
pub const NAME_TEAM: u8 = b't';

/// `names`: `c` | fold(competition); `s` | fold(competition) 0x00 fold(season);
/// `g` / `t` | season scope (8) | fold(name).
pub fn name(kind: u8, parent: &[u8], name: &str) -> Vec<u8> {
    let f = fold(name);
    let mut k = Vec::with_capacity(1 + parent.len() + 1 + f.len());
    k.push(kind);
    k.extend_from_slice(parent);
    if kind == NAME_SEASON {
        k.push(0);
    }
    k.extend_from_slice(f.as_bytes());
    k
}

/// `merkle`: level (1) | index (8).
pub fn merkle(level: u8, index: u64) -> [u8; 9] {
    let mut k = [0u8; 9];
    k[0] = level;
    k[1..].copy_from_slice(&index.to_be_bytes());
    k
}

/// `meta` keys.
pub const META_HEAD: &[u8] = b"head";
pub const META_FORMAT: &[u8] = b"format";
pub const META_DERIVED: &[u8] = b"derived";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_fold_names() {
        assert_eq!(
            season_scope("Copa Perú", "1984"),
            season_scope("copa peru", " 1984 ")
        );
        assert_ne!(
            season_scope("Copa Perú", "1984"),
            season_scope("Copa Perú", "1985")
        );
        assert_ne!(
            season_scope("Copa Perú", "1984"),
            stage_scope("Copa Perú", "1984", "")
        );
        // Field boundaries are length-prefixed: ("ab", "c") is not ("a", "bc").
        assert_ne!(season_scope("ab", "c"), season_scope("a", "bc"));
    }

    #[test]
    fn by_date_keys_sort_by_date_then_round_then_seq() {
        let s = stage_scope("C", "S", "X");
        let d1 = Date::parse_iso("1984-12-02").unwrap();
        let d2 = Date::parse_iso("1984-12-05").unwrap();
        let mut keys = [
            by_date(&s, d2, Some(1), 1),
            by_date(&s, d1, Some(2), 9),
            by_date(&s, d1, Some(2), 3),
            by_date(&s, d1, None, 50),
        ];
        keys.sort();
        let seqs: Vec<u64> = keys.iter().map(|k| by_date_seq(k).unwrap()).collect();
        assert_eq!(seqs, vec![50, 3, 9, 1]);
    }
}
