//! The packed byte layouts of the store (pure, no I/O): chunks of events,
//! fixed-size match rows, and groups of Merkle nodes. `schema/keys.md`
//! documents them; changing any of them changes the store layout (and needs
//! a new `LAYOUT` and a migration), never an event hash.

use crate::format::chain::Hash;
use crate::format::encoding::{RawEnvelope, FORMAT_VERSION};
use crate::model::date::{Date, Timestamp};
use crate::model::event::{MatchId, MatchStatus};

/// Envelopes per chunk, a power of two: chunk `c` holds seqs
/// `c * CHUNK + 1 ..= (c + 1) * CHUNK`.
pub const CHUNK: u64 = 32;
/// `log2(CHUNK)`: the Merkle level of a whole chunk.
pub const CHUNK_LEVEL: u8 = CHUNK.trailing_zeros() as u8;
/// Merkle nodes per stored group value.
pub const GROUP: u64 = 64;
/// Most rows in one stored block; a fuller block is split in two.
pub const BLOCK_ROWS: usize = 128;

/// The chunk that holds `seq` (seq >= 1).
pub fn chunk_of(seq: u64) -> u64 {
    (seq - 1) / CHUNK
}

/// The first seq of chunk `c`.
pub fn chunk_first(c: u64) -> u64 {
    c * CHUNK + 1
}

/// One event as a chunk stores it. Its envelope's version, seq and prev are
/// not stored: the version is the format's, the seq follows from the
/// position, and prev is the hash before it (the chunk's header for its
/// first event).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// When the event was recorded.
    pub recorded_at: Timestamp,
    /// The event's hash.
    pub hash: Hash,
    /// The canonical event bytes.
    pub event: &'a [u8],
}

/// A new chunk value whose first event follows the event hashed `prev`.
pub fn new_chunk(prev: &Hash) -> Vec<u8> {
    let mut c = Vec::with_capacity(32 + CHUNK as usize * 128);
    c.extend_from_slice(&prev.0);
    c
}

/// Appends an event to a chunk value: `len (LEB128) | recorded_at i64 BE | hash | event bytes`.
pub fn push_entry(chunk: &mut Vec<u8>, e: &Entry) {
    let mut len = (8 + 32 + e.event.len()) as u64;
    loop {
        let b = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            chunk.push(b);
            break;
        }
        chunk.push(b | 0x80);
    }
    chunk.extend_from_slice(&e.recorded_at.as_micros().to_be_bytes());
    chunk.extend_from_slice(&e.hash.0);
    chunk.extend_from_slice(e.event);
}

/// The events of chunk `c`, as envelopes (`seq` and `prev` filled in), in
/// order. An `Err` names the seq where the chunk stops making sense and ends
/// the iteration.
pub fn events(c: u64, chunk: &[u8]) -> Events<'_> {
    let prev = Hash::read_at(chunk, 0);
    Events {
        rest: chunk.get(32..).unwrap_or_default(),
        seq: chunk_first(c),
        prev,
        done: false,
    }
}

/// The events of one chunk in seq order, each split as stored and not yet
/// checked ([`events`]).
pub struct Events<'a> {
    rest: &'a [u8],
    seq: u64,
    prev: Option<Hash>,
    done: bool,
}

impl<'a> Events<'a> {
    fn fail(&mut self, msg: String) -> Option<Result<RawEnvelope<'a>, (u64, String)>> {
        self.done = true;
        Some(Err((self.seq, msg)))
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Result<RawEnvelope<'a>, (u64, String)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done || (self.rest.is_empty() && self.prev.is_some()) {
            return None;
        }
        let Some(prev) = self.prev else {
            return self.fail("the chunk is shorter than its 32-byte header".into());
        };
        let (mut len, mut used) = (0u64, 0usize);
        loop {
            let Some(&b) = self.rest.get(used) else {
                return self.fail("the chunk ends inside a length".into());
            };
            if used == 9 {
                return self.fail("a length is longer than 9 bytes".into());
            }
            len |= u64::from(b & 0x7f) << (7 * used);
            used += 1;
            if b & 0x80 == 0 {
                break;
            }
        }
        let body = usize::try_from(len)
            .ok()
            .and_then(|l| self.rest.get(used..used.checked_add(l)?));
        let Some(body) = body.filter(|b| b.len() >= 40) else {
            return self.fail(format!(
                "an entry of {len} bytes does not fit the chunk (or is shorter than 40 bytes)"
            ));
        };
        self.rest = &self.rest[used + body.len()..];
        let hash = Hash::read_at(body, 8).expect("a checked length");
        let raw = RawEnvelope {
            version: FORMAT_VERSION,
            seq: self.seq,
            recorded_at: Timestamp::from_micros(i64::from_be_bytes(
                body[..8].try_into().expect("8 bytes"),
            )),
            prev,
            hash,
            event_bytes: &body[40..],
        };
        self.seq += 1;
        self.prev = Some(hash);
        Some(Ok(raw))
    }
}

/// One match as a stage's rows hold it: what tables and lookups need,
/// in a fixed 45-byte form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    /// The match's id.
    pub id: MatchId,
    /// The event that recorded the match.
    pub seq: u64,
    /// The day of the match.
    pub date: Date,
    /// Its round; `None` where the source has none (stored as 0).
    pub round: Option<u32>,
    /// Indexes into the stage's team dictionary.
    pub home: u32,
    /// Away team: an index into the stage's team dictionary.
    pub away: u32,
    /// Home goals as recorded (changes are kept apart, in `K` entries).
    pub home_goals: u16,
    /// Away goals as recorded.
    pub away_goals: u16,
    /// The status as recorded.
    pub status: MatchStatus,
}

/// The size of an encoded [`Row`].
pub const ROW_LEN: usize = 16 + 8 + 4 + 4 + 4 + 4 + 2 + 2 + 1;

impl Row {
    /// The sort key of a row within its stage: date, round (none first), seq.
    pub fn order(&self) -> (Date, u32, u64) {
        (self.date, self.round.unwrap_or(0), self.seq)
    }

    /// Appends the row's [`ROW_LEN`] bytes to `out`.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.id.0);
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend_from_slice(&self.date.to_key().to_be_bytes());
        out.extend_from_slice(&self.round.unwrap_or(0).to_be_bytes());
        out.extend_from_slice(&self.home.to_be_bytes());
        out.extend_from_slice(&self.away.to_be_bytes());
        out.extend_from_slice(&self.home_goals.to_be_bytes());
        out.extend_from_slice(&self.away_goals.to_be_bytes());
        out.push(status_code(self.status));
    }

    /// A row from exactly [`ROW_LEN`] bytes.
    pub fn decode(b: &[u8]) -> Result<Row, String> {
        if b.len() != ROW_LEN {
            return Err(format!("a row is {ROW_LEN} bytes, not {}", b.len()));
        }
        let u32_at = |i: usize| u32::from_be_bytes(b[i..i + 4].try_into().expect("4 bytes"));
        let u16_at = |i: usize| u16::from_be_bytes(b[i..i + 2].try_into().expect("2 bytes"));
        let date = Date::from_key(u32_at(24)).ok_or("a row holds an impossible date")?;
        let round = u32_at(28);
        Ok(Row {
            id: MatchId(b[..16].try_into().expect("16 bytes")),
            seq: u64::from_be_bytes(b[16..24].try_into().expect("8 bytes")),
            date,
            round: (round != 0).then_some(round),
            home: u32_at(32),
            away: u32_at(36),
            home_goals: u16_at(40),
            away_goals: u16_at(42),
            status: status_from(b[44]).ok_or("a row holds an unknown status")?,
        })
    }
}

fn status_code(s: MatchStatus) -> u8 {
    match s {
        MatchStatus::Played => 0,
        MatchStatus::Cancelled => 1,
        MatchStatus::Postponed => 2,
        MatchStatus::Abandoned => 3,
    }
}

fn status_from(b: u8) -> Option<MatchStatus> {
    Some(match b {
        0 => MatchStatus::Played,
        1 => MatchStatus::Cancelled,
        2 => MatchStatus::Postponed,
        3 => MatchStatus::Abandoned,
        _ => return None,
    })
}

/// Encodes rows (already in order) as one block value.
pub fn encode_rows(rows: &[Row]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * ROW_LEN);
    for r in rows {
        r.encode(&mut out);
    }
    out
}

/// Decodes a block value.
pub fn decode_rows(b: &[u8]) -> Result<Vec<Row>, String> {
    if !b.len().is_multiple_of(ROW_LEN) {
        return Err(format!(
            "a block of rows is a multiple of {ROW_LEN} bytes, not {}",
            b.len()
        ));
    }
    b.chunks_exact(ROW_LEN).map(Row::decode).collect()
}

/// What an `I | stage` value holds before its list (`schema/keys.md`): the
/// stage's index key, the seq that made the stage known, the last seq of
/// its list, and the leaf hash of its whole list, so that the index root at
/// the head (and at any size after a stage's last event) reads no list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexHeader {
    /// The stage's index key.
    pub key: [u8; 32],
    /// The seq that made the stage known.
    pub first_seq: u64,
    /// The last seq of the stage's list.
    pub last_seq: u64,
    /// The leaf hash of the stage's whole list.
    pub leaf: [u8; 32],
}

/// The size of an [`IndexHeader`].
pub const INDEX_HEADER: usize = 80;

/// `key (32) | first_seq u64 BE | last_seq u64 BE | leaf (32) | list`.
pub fn encode_index_value(h: &IndexHeader, entries: &[(u64, u64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(INDEX_HEADER + entries.len() * 3);
    out.extend_from_slice(&encode_index_head(h));
    out.extend_from_slice(&encode_index(entries));
    out
}

/// A `J | stage` value (`schema/keys.md`): the header of the stage's `I`
/// value alone, `key (32) | first_seq u64 BE | last_seq u64 BE | leaf (32)`,
/// so that the index root reads 80 bytes a stage instead of its list.
pub fn encode_index_head(h: &IndexHeader) -> [u8; INDEX_HEADER] {
    let mut out = [0; INDEX_HEADER];
    out[..32].copy_from_slice(&h.key);
    out[32..40].copy_from_slice(&h.first_seq.to_be_bytes());
    out[40..48].copy_from_slice(&h.last_seq.to_be_bytes());
    out[48..].copy_from_slice(&h.leaf);
    out
}

/// Decodes [`encode_index_head`]: exactly a header.
pub fn decode_index_head(b: &[u8]) -> Result<IndexHeader, String> {
    match decode_index_header(b)? {
        (h, []) => Ok(h),
        (_, rest) => Err(format!(
            "an index header of {} bytes, {} more than a header",
            b.len(),
            rest.len()
        )),
    }
}

/// The header of an `I` value and the list's bytes after it.
pub fn decode_index_header(b: &[u8]) -> Result<(IndexHeader, &[u8]), String> {
    if b.len() < INDEX_HEADER {
        return Err(format!("an index value of {} bytes has no header", b.len()));
    }
    let u64_at = |i: usize| u64::from_be_bytes(b[i..i + 8].try_into().expect("8 bytes"));
    let h = IndexHeader {
        key: b[..32].try_into().expect("32 bytes"),
        first_seq: u64_at(32),
        last_seq: u64_at(40),
        leaf: b[48..80].try_into().expect("32 bytes"),
    };
    Ok((h, &b[INDEX_HEADER..]))
}

/// A stage's list in the stage index, `I | stage` (`schema/keys.md`): per
/// event, in seq order, the seq as the difference from the one before
/// (from 0 for the first), then what it belongs to: 0 for no match, else
/// one more than the distance back to the result it belongs to (1: the
/// result itself), both LEB128. Entries are `(seq, of)` pairs, `of` the
/// result's seq or 0.
pub fn encode_index(entries: &[(u64, u64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(entries.len() * 3);
    let mut prev = 0;
    for &(seq, of) in entries {
        leb128(&mut out, seq - prev);
        leb128(&mut out, if of == 0 { 0 } else { 1 + (seq - of) });
        prev = seq;
    }
    out
}

/// Decodes [`encode_index`]; refuses seqs that do not increase and a
/// result after its event.
pub fn decode_index(b: &[u8]) -> Result<Vec<(u64, u64)>, String> {
    let mut out = Vec::new();
    let (mut rest, mut prev) = (b, 0u64);
    while !rest.is_empty() {
        let (delta, r) = read_leb128(rest)?;
        let (code, r) = read_leb128(r)?;
        rest = r;
        let seq = prev
            .checked_add(delta)
            .filter(|s| *s > prev)
            .ok_or("the seqs of an index list do not increase")?;
        let of = match code {
            0 => 0,
            c => seq
                .checked_sub(c - 1)
                .filter(|o| *o > 0)
                .ok_or("an index entry belongs to a result before seq 1")?,
        };
        out.push((seq, of));
        prev = seq;
    }
    Ok(out)
}

fn leb128(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn read_leb128(b: &[u8]) -> Result<(u64, &[u8]), String> {
    let mut v = 0u64;
    for (i, &byte) in b.iter().enumerate().take(10) {
        let bits = u64::from(byte & 0x7f);
        if i == 9 && bits > 1 {
            return Err("a number past 64 bits".into());
        }
        v |= bits << (7 * i);
        if byte & 0x80 == 0 {
            return Ok((v, &b[i + 1..]));
        }
    }
    Err("a number that does not end".into())
}

/// The node `index` of a group value (`None` when not stored yet).
pub fn group_node(group: &[u8], index: u64) -> Option<Hash> {
    let i = (index % GROUP) as usize * 32;
    Hash::read_at(group, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: u64) -> Row {
        Row {
            id: MatchId([seq as u8; 16]),
            seq,
            date: Date::from_ymd(1984, 12, 2).unwrap(),
            round: Some(3),
            home: 1,
            away: 70_000,
            home_goals: 149,
            away_goals: 0,
            status: MatchStatus::Abandoned,
        }
    }

    #[test]
    fn index_values_keep_their_header() {
        let h = IndexHeader {
            key: [7; 32],
            first_seq: 3,
            last_seq: 25,
            leaf: [9; 32],
        };
        let list = vec![(3, 0), (9, 9), (25, 9)];
        let v = encode_index_value(&h, &list);
        let (got, rest) = decode_index_header(&v).unwrap();
        assert_eq!((got, decode_index(rest).unwrap()), (h, list));
        assert!(decode_index_header(&v[..79]).is_err());
        assert_eq!(v[..INDEX_HEADER], encode_index_head(&h));
        assert_eq!(decode_index_head(&v[..INDEX_HEADER]), Ok(h));
        assert!(decode_index_head(&v).is_err(), "a list after the header");
        assert!(decode_index_head(&v[..79]).is_err());
    }

    #[test]
    fn index_lists_round_trip_and_refuse_what_cannot_be() {
        let list = vec![(1, 0), (9, 9), (24, 0), (25, 9), (300, 300), (u64::MAX, 9)];
        let b = encode_index(&list);
        assert_eq!(decode_index(&b).unwrap(), list);
        assert_eq!(encode_index(&[(9, 9)]), vec![9, 1]);
        assert!(decode_index(&[0, 0]).is_err(), "seq 0");
        assert!(decode_index(&[5, 0, 0, 0]).is_err(), "a repeated seq");
        assert!(decode_index(&[5, 6]).is_err(), "a result before seq 1");
        assert!(decode_index(&[5]).is_err(), "cut short");
        assert!(decode_index(&[0x80]).is_err(), "a number that does not end");
    }

    #[test]
    fn rows_round_trip_in_fixed_size() {
        let rows = vec![
            row(1),
            Row {
                round: None,
                ..row(2)
            },
        ];
        let bytes = encode_rows(&rows);
        assert_eq!(bytes.len(), 2 * ROW_LEN);
        assert_eq!(decode_rows(&bytes).unwrap(), rows);
        assert!(decode_rows(&bytes[1..]).is_err());
        let mut bad = bytes.clone();
        bad[44] = 9;
        assert!(decode_rows(&bad).is_err());
    }

    #[test]
    fn chunks_hold_entries_and_name_where_they_break() {
        let prev = Hash([7; 32]);
        let mut c = new_chunk(&prev);
        let at = Timestamp::from_micros(1_000_000);
        let big = vec![5u8; 300];
        for (i, event) in [&b"first"[..], b"", &big].into_iter().enumerate() {
            let hash = Hash([i as u8; 32]);
            push_entry(
                &mut c,
                &Entry {
                    recorded_at: at,
                    hash,
                    event,
                },
            );
        }
        let all: Vec<RawEnvelope> = events(2, &c).map(|e| e.unwrap()).collect();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].seq, chunk_first(2));
        assert_eq!((all[0].prev, all[0].event_bytes), (prev, &b"first"[..]));
        assert_eq!((all[1].prev, all[1].event_bytes), (Hash([0; 32]), &b""[..]));
        assert_eq!(
            (all[2].prev, all[2].event_bytes.len()),
            (Hash([1; 32]), 300)
        );
        // Cut short: the last event is named.
        let cut = &c[..c.len() - 1];
        let last = events(2, cut).last().unwrap();
        assert_eq!(last.unwrap_err().0, chunk_first(2) + 2);
        assert!(events(0, &c[..31]).next().unwrap().is_err());
        assert_eq!(events(0, &new_chunk(&prev)).count(), 0);
        assert_eq!(
            (chunk_of(1), chunk_of(CHUNK), chunk_of(CHUNK + 1)),
            (0, 0, 1)
        );
    }
}
