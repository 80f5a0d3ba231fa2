//! Byte layout of every sled key (see `schema/keys.md`). Pure functions, no I/O.
//!
//! Numbers are big-endian so that byte order is numeric order, and dates are
//! `yyyymmdd` numbers so that byte order is date order.

use crate::model::date::Date;
use crate::model::names::Folder;

/// Identifies a season (`competition`, `season`) or one stage of it.
pub type ScopeKey = [u8; 8];

pub use crate::model::event::MatchId;

const SCOPE_CONTEXT: &str = "scoreledger 2026-11 scope key v1";
const MATCH_CONTEXT: &str = "scoreledger 2026-11 match id v1";

/// Makes scope keys and match ids, remembering folded names and reusing
/// its hashers (an import makes millions of keys from a few names).
pub struct Keyer {
    folds: Folder,
    scope: blake3::Hasher,
    matches: blake3::Hasher,
    /// The input of one hash, assembled before one `update`.
    input: Vec<u8>,
    /// The last scopes asked for: consecutive events share their scopes.
    recent: Vec<(String, String, Option<String>, ScopeKey)>,
    next: usize,
    /// The last competition asked for by `competition_scope`, and its key.
    competition: Option<(String, ScopeKey)>,
}

impl Default for Keyer {
    fn default() -> Self {
        Keyer {
            folds: Folder::default(),
            scope: blake3::Hasher::new_derive_key(SCOPE_CONTEXT),
            matches: blake3::Hasher::new_derive_key(MATCH_CONTEXT),
            input: Vec::with_capacity(256),
            recent: Vec::new(),
            next: 0,
            competition: None,
        }
    }
}

/// A field: `u32 BE length | UTF-8 bytes` of the folded name.
fn field(folds: &mut Folder, input: &mut Vec<u8>, s: &str) {
    let f = folds.fold(s);
    input.extend_from_slice(&(f.len() as u32).to_be_bytes());
    input.extend_from_slice(f.as_bytes());
}

fn first8(h: &blake3::Hasher) -> ScopeKey {
    let mut out = [0u8; 8];
    out.copy_from_slice(&h.finalize().as_bytes()[..8]);
    out
}

impl Keyer {
    /// The folded form of a name.
    pub fn fold(&mut self, s: &str) -> &str {
        self.folds.fold(s)
    }

    /// The key of a whole season (`stage` none) or of one stage of it.
    pub fn scope(&mut self, competition: &str, season: &str, stage: Option<&str>) -> ScopeKey {
        const RECENT: usize = 8;
        // The cheapest and most telling comparisons first: a season, a
        // stage or none, then the competition.
        let hit = self
            .recent
            .iter()
            .find(|(c, s, st, _)| s == season && st.as_deref() == stage && c == competition);
        if let Some((.., key)) = hit {
            return *key;
        }
        let key = self.scope_uncached(competition, season, stage);
        let entry = (
            competition.to_string(),
            season.to_string(),
            stage.map(str::to_string),
            key,
        );
        if self.recent.len() < RECENT {
            self.recent.push(entry);
        } else {
            self.recent[self.next] = entry;
            self.next = (self.next + 1) % RECENT;
        }
        key
    }

    fn scope_uncached(&mut self, competition: &str, season: &str, stage: Option<&str>) -> ScopeKey {
        let full = self.scope_hash(competition, season, stage);
        let mut out = [0u8; 8];
        out.copy_from_slice(&full[..8]);
        out
    }

    /// The key of a stage in the stage index (`schema/index.md`): the whole
    /// 32-byte hash whose first 8 bytes are the stage's scope key.
    pub fn stage_index_key(&mut self, competition: &str, season: &str, stage: &str) -> [u8; 32] {
        self.scope_hash(competition, season, Some(stage))
    }

    /// The whole BLAKE3 output a scope key is cut from.
    fn scope_hash(&mut self, competition: &str, season: &str, stage: Option<&str>) -> [u8; 32] {
        let input = &mut self.input;
        input.clear();
        field(&mut self.folds, input, competition);
        field(&mut self.folds, input, season);
        match stage {
            None => input.push(0),
            Some(s) => {
                input.push(1);
                field(&mut self.folds, input, s);
            }
        }
        self.scope.reset();
        self.scope.update(input);
        *self.scope.finalize().as_bytes()
    }

    /// The key of a competition (all its seasons).
    pub fn competition_scope(&mut self, competition: &str) -> ScopeKey {
        if let Some((c, key)) = &self.competition {
            if c == competition {
                return *key;
            }
        }
        let key = self.competition_scope_uncached(competition);
        self.competition = Some((competition.to_string(), key));
        key
    }

    fn competition_scope_uncached(&mut self, competition: &str) -> ScopeKey {
        let input = &mut self.input;
        input.clear();
        field(&mut self.folds, input, competition);
        input.push(2);
        self.scope.reset();
        self.scope.update(input);
        first8(&self.scope)
    }

    /// The id of a fixture.
    pub fn match_id(&mut self, f: &Fixture) -> MatchId {
        let input = &mut self.input;
        input.clear();
        for s in [f.competition, f.season, f.stage] {
            field(&mut self.folds, input, s);
        }
        input.extend_from_slice(&f.round.unwrap_or(0).to_be_bytes());
        input.extend_from_slice(&f.date.to_key().to_be_bytes());
        field(&mut self.folds, input, f.home);
        field(&mut self.folds, input, f.away);
        self.matches.reset();
        self.matches.update(input);
        let mut out = [0u8; 16];
        out.copy_from_slice(&self.matches.finalize().as_bytes()[..16]);
        MatchId(out)
    }
}

/// The key of a whole season (`stage` none) or of one stage of it.
pub fn scope(competition: &str, season: &str, stage: Option<&str>) -> ScopeKey {
    Keyer::default().scope(competition, season, stage)
}

/// The key of a competition (all its seasons).
pub fn competition_scope(competition: &str) -> ScopeKey {
    Keyer::default().competition_scope(competition)
}

/// The key of a whole season.
pub fn season_scope(competition: &str, season: &str) -> ScopeKey {
    scope(competition, season, None)
}

/// The key of a stage in the stage index: the whole 32-byte hash whose
/// first 8 bytes are its scope key.
pub fn stage_index_key(competition: &str, season: &str, stage: &str) -> [u8; 32] {
    Keyer::default().stage_index_key(competition, season, stage)
}

/// The key of one stage of a season (the golden vectors pin it by this name).
#[cfg_attr(not(feature = "testing"), allow(dead_code))]
pub fn stage_scope(competition: &str, season: &str, stage: &str) -> ScopeKey {
    scope(competition, season, Some(stage))
}

pub use crate::model::event::Fixture;

/// The id of a fixture (names folded, so spelling variants give the same id).
pub fn match_id(f: &Fixture) -> MatchId {
    Keyer::default().match_id(f)
}

/// The kinds of entries, by the first byte of their key (`schema/keys.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Kind {
    /// log: the store's meta records.
    Meta = b'M',
    /// log: a chunk of envelopes.
    Chunk = b'E',
    /// derived: a stage's description.
    Stage = b'S',
    /// derived: a stage's team dictionary.
    Teams = b'D',
    /// derived: a block of a stage's match rows, keyed by its first row.
    Rows = b'B',
    /// derived: a compensating event, under the match it changes.
    Change = b'C',
    /// derived: where a changed match stands after all its changes.
    Current = b'K',
    /// derived: a rules event, under its scope.
    Rules = b'R',
    /// derived: a team registration, under its scope.
    Registration = b'T',
    /// derived: season facts, under the season.
    Facts = b'F',
    /// derived: a points adjustment, under its scope.
    Adjustment = b'A',
    /// derived: a team rename, under its competition.
    Rename = b'N',
    /// derived: a list of names as first spelled.
    Names = b'L',
    /// derived: a group of Merkle nodes of one level.
    Merkle = b'H',
    /// derived: a stage's list in the stage index.
    Index = b'I',
    /// derived: the header of a stage's list in the stage index, apart.
    IndexHead = b'J',
    /// derived: a team's fair-play points, under their scope.
    FairPlay = b'P',
}

impl Kind {
    /// Every derived kind, in key order.
    pub const DERIVED: [Kind; 15] = [
        Kind::Adjustment,
        Kind::Rows,
        Kind::Change,
        Kind::Teams,
        Kind::Facts,
        Kind::Merkle,
        Kind::Index,
        Kind::IndexHead,
        Kind::Current,
        Kind::Names,
        Kind::Rename,
        Kind::FairPlay,
        Kind::Rules,
        Kind::Stage,
        Kind::Registration,
    ];

    /// The kind of a stored key, by its first byte; `None` for a byte no kind has.
    pub fn of(key: &[u8]) -> Option<Kind> {
        let b = *key.first()?;
        Kind::DERIVED
            .into_iter()
            .chain([Kind::Meta, Kind::Chunk])
            .find(|k| *k as u8 == b)
    }

    /// What the entries hold, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Meta => "meta",
            Kind::Chunk => "chunk",
            Kind::Stage => "stage",
            Kind::Teams => "team dictionary",
            Kind::Rows => "rows",
            Kind::Change => "change",
            Kind::Current => "current state",
            Kind::Rules => "rules",
            Kind::Registration => "registration",
            Kind::Facts => "facts",
            Kind::Adjustment => "adjustment",
            Kind::Rename => "rename",
            Kind::Names => "names",
            Kind::Merkle => "merkle",
            Kind::Index => "stage index",
            Kind::IndexHead => "stage index header",
            Kind::FairPlay => "fair-play points",
        }
    }
}

/// A key of the first layout's `events` tree: seq `u64` BE (read only to migrate).
pub fn seq_bytes(seq: u64) -> [u8; 8] {
    seq.to_be_bytes()
}

/// `log` meta record: the envelope format, one byte (`schema/keys.md`).
pub const META_FORMAT: &[u8] = b"Mformat";
/// `log` meta record: the store's layout, one byte; a store of a higher
/// layout is refused.
pub const META_LAYOUT: &[u8] = b"Mlayout";
/// `log` meta record: the head (seq, hash, recorded_at), a cache of the
/// last event checked against it before every append and by `verify`.
pub const META_HEAD: &[u8] = b"Mhead";

/// `E | chunk u64 BE`.
pub fn chunk(c: u64) -> [u8; 9] {
    let mut k = [Kind::Chunk as u8; 9];
    k[1..].copy_from_slice(&c.to_be_bytes());
    k
}

/// The chunk number of a chunk key.
pub fn chunk_number(key: &[u8]) -> Option<u64> {
    (key.len() == 9 && key[0] == Kind::Chunk as u8)
        .then(|| u64::from_be_bytes(key[1..].try_into().expect("8 bytes")))
}

/// `S | season scope (8) | stage scope (8)`.
pub fn stage(season: &ScopeKey, stage: &ScopeKey) -> [u8; 17] {
    let mut k = [Kind::Stage as u8; 17];
    k[1..9].copy_from_slice(season);
    k[9..].copy_from_slice(stage);
    k
}

/// The season and stage scopes of an `S` key ([`stage`]).
pub fn stage_parts(key: &[u8]) -> Option<(ScopeKey, ScopeKey)> {
    match key.len() {
        17 => Some((scope_in(key)?, key[9..17].try_into().ok()?)),
        _ => None,
    }
}

/// The scope a key is filed under: the 8 bytes after its kind (`I`, `B`,
/// `F`, ... keys).
pub fn scope_in(key: &[u8]) -> Option<ScopeKey> {
    key.get(1..9)?.try_into().ok()
}

/// `S | season scope`: every stage of a season.
pub fn stages_of(season: &ScopeKey) -> [u8; 9] {
    prefixed(Kind::Stage, season)
}

/// `D | stage scope`.
pub fn teams(stage: &ScopeKey) -> [u8; 9] {
    prefixed(Kind::Teams, stage)
}

/// `B | stage scope`: every row block of a stage.
pub fn rows_of(stage: &ScopeKey) -> [u8; 9] {
    prefixed(Kind::Rows, stage)
}

/// stage scope (8) | date yyyymmdd (4) | round, 0 for none (4) | seq (8):
/// where a match sits in its stage, in date and round order.
pub fn by_date(stage: &ScopeKey, date: Date, round: Option<u32>, seq: u64) -> [u8; 24] {
    let mut k = [0u8; 24];
    k[..8].copy_from_slice(stage);
    k[8..12].copy_from_slice(&date.to_key().to_be_bytes());
    k[12..16].copy_from_slice(&round.unwrap_or(0).to_be_bytes());
    k[16..].copy_from_slice(&seq.to_be_bytes());
    k
}

/// `B | by_date` of a block's first row.
pub fn rows(stage: &ScopeKey, date: Date, round: Option<u32>, seq: u64) -> [u8; 25] {
    let mut k = [Kind::Rows as u8; 25];
    k[1..].copy_from_slice(&by_date(stage, date, round, seq));
    k
}

/// `C | stage scope`: every change in a stage.
pub fn changes_of(stage: &ScopeKey) -> [u8; 9] {
    prefixed(Kind::Change, stage)
}

/// `C | stage scope (8) | seq of the match (8) | seq of the change (8)`.
pub fn change(stage: &ScopeKey, match_seq: u64, seq: u64) -> [u8; 25] {
    let mut k = [Kind::Change as u8; 25];
    k[1..9].copy_from_slice(stage);
    k[9..17].copy_from_slice(&match_seq.to_be_bytes());
    k[17..].copy_from_slice(&seq.to_be_bytes());
    k
}

/// `K | stage scope (8) | seq of the match (8)`.
pub fn current(stage: &ScopeKey, match_seq: u64) -> [u8; 17] {
    let mut k = [Kind::Current as u8; 17];
    k[1..9].copy_from_slice(stage);
    k[9..].copy_from_slice(&match_seq.to_be_bytes());
    k
}

/// The (match seq, change seq) of a change key.
pub fn change_seqs(key: &[u8]) -> Option<(u64, u64)> {
    let b = key.get(9..25)?;
    Some((
        u64::from_be_bytes(b[..8].try_into().expect("8 bytes")),
        u64::from_be_bytes(b[8..].try_into().expect("8 bytes")),
    ))
}

/// `R`, `T`, `F`, `A` or `N` | scope (8): every entry of a scope.
pub fn scoped_of(kind: Kind, scope: &ScopeKey) -> [u8; 9] {
    prefixed(kind, scope)
}

/// `R`, `T`, `F`, `A` or `N` | scope (8) | seq (8).
pub fn scoped(kind: Kind, scope: &ScopeKey, seq: u64) -> [u8; 17] {
    let mut k = [kind as u8; 17];
    k[1..9].copy_from_slice(scope);
    k[9..].copy_from_slice(&seq.to_be_bytes());
    k
}

/// The seq at the end of a `scoped` key.
pub fn scoped_seq(key: &[u8]) -> Option<u64> {
    key.get(9..17)
        .map(|b| u64::from_be_bytes(b.try_into().expect("8 bytes")))
}

/// Lists of names: competitions; seasons of a competition; stages and
/// teams of a season.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameList {
    /// Every competition the archive knows.
    Competitions,
    /// The seasons of the competition of this key.
    Seasons(ScopeKey),
    /// The stages of the season of this key.
    Stages(ScopeKey),
    /// The teams of the season of this key.
    Teams(ScopeKey),
}

impl NameList {
    /// Competitions and seasons have an entry per name (there is no bound
    /// on how many a list gets); a season's stages and teams are one value.
    pub fn per_name(self) -> bool {
        matches!(self, NameList::Competitions | NameList::Seasons(_))
    }
}

/// `L | c`; `L | s | competition scope`; `L | g | season scope`; `L | t | season scope`:
/// the whole list, or (competitions, seasons) the prefix of its entries.
pub fn names(list: NameList) -> Vec<u8> {
    let (tag, parent): (u8, &[u8]) = match &list {
        NameList::Competitions => (b'c', &[]),
        NameList::Seasons(c) => (b's', c),
        NameList::Stages(s) => (b'g', s),
        NameList::Teams(s) => (b't', s),
    };
    let mut k = vec![Kind::Names as u8, tag];
    k.extend_from_slice(parent);
    k
}

/// The entry of one name of a per-name list: `names(list) | folded name`.
pub fn name(list: NameList, folded: &str) -> Vec<u8> {
    let mut k = names(list);
    k.extend_from_slice(folded.as_bytes());
    k
}

/// `I | stage scope (8)`: the stage's list in the stage index.
pub fn index(stage: &ScopeKey) -> [u8; 9] {
    prefixed(Kind::Index, stage)
}

/// `J | stage`: the header of the stage's list alone.
pub fn index_head(stage: &ScopeKey) -> [u8; 9] {
    prefixed(Kind::IndexHead, stage)
}

/// `H | level (1) | group (8)`: nodes `group * GROUP ..` of a level.
pub fn merkle_group(level: u8, group: u64) -> [u8; 10] {
    let mut k = [Kind::Merkle as u8; 10];
    k[1] = level;
    k[2..].copy_from_slice(&group.to_be_bytes());
    k
}

fn prefixed(kind: Kind, scope: &ScopeKey) -> [u8; 9] {
    let mut k = [kind as u8; 9];
    k[1..].copy_from_slice(scope);
    k
}

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
    fn row_keys_sort_by_date_then_round_then_seq() {
        let s = stage_scope("C", "S", "X");
        let d1 = Date::parse_iso("1984-12-02").unwrap();
        let d2 = Date::parse_iso("1984-12-05").unwrap();
        let mut keys = [
            rows(&s, d2, Some(1), 1),
            rows(&s, d1, Some(2), 9),
            rows(&s, d1, Some(2), 3),
            rows(&s, d1, None, 50),
        ];
        keys.sort();
        let seqs: Vec<u64> = keys.iter().map(|k| scoped_seq(&k[8..]).unwrap()).collect();
        assert_eq!(seqs, vec![50, 3, 9, 1]);
        assert!(keys.iter().all(|k| k.starts_with(&rows_of(&s))));
    }

    #[test]
    fn every_kind_is_found_from_its_key() {
        for k in Kind::DERIVED {
            assert_eq!(Kind::of(&[k as u8, 1, 2]), Some(k));
        }
        assert_eq!(Kind::of(&chunk(7)), Some(Kind::Chunk));
        assert_eq!(chunk_number(&chunk(7)), Some(7));
        let mut sorted = Kind::DERIVED;
        sorted.sort_by_key(|k| *k as u8);
        assert_eq!(sorted, Kind::DERIVED);
    }
}
