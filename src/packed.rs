//! The packed byte layouts of the store (pure, no I/O): chunks of envelopes,
//! fixed-size match rows, and groups of Merkle nodes. `schema/keys.md`
//! documents them; changing any of them changes the store layout (and needs
//! a new `LAYOUT` and a migration), never an event hash.

use crate::chain::Hash;
use crate::date::Date;
use crate::event::{MatchId, MatchStatus};

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

/// Appends one envelope to a chunk value: `u32 BE length | envelope`.
pub fn push_envelope(chunk: &mut Vec<u8>, envelope: &[u8]) {
    chunk.extend_from_slice(&(envelope.len() as u32).to_be_bytes());
    chunk.extend_from_slice(envelope);
}

/// The envelopes of a chunk value, in order; an `Err` item names the byte
/// offset where the framing breaks (and ends the iteration).
pub fn envelopes(chunk: &[u8]) -> Envelopes<'_> {
    Envelopes { rest: chunk, at: 0 }
}

pub struct Envelopes<'a> {
    rest: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Envelopes<'a> {
    type Item = Result<&'a [u8], String>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let framed = self.rest.get(..4).and_then(|b| {
            let len = u32::from_be_bytes(b.try_into().expect("4 bytes")) as usize;
            self.rest.get(4..4 + len)
        });
        match framed {
            Some(env) => {
                self.rest = &self.rest[4 + env.len()..];
                self.at += 4 + env.len();
                Some(Ok(env))
            }
            None => {
                let at = self.at;
                self.rest = &[];
                Some(Err(format!(
                    "the chunk's framing is broken at byte {at} (a length runs past its end)"
                )))
            }
        }
    }
}

/// One match as a stage's rows hold it: what tables and lookups need,
/// in a fixed 45-byte form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: MatchId,
    /// The event that recorded the match.
    pub seq: u64,
    pub date: Date,
    pub round: Option<u32>,
    /// Indexes into the stage's team dictionary.
    pub home: u32,
    pub away: u32,
    pub home_goals: u16,
    pub away_goals: u16,
    pub status: MatchStatus,
}

/// The size of an encoded [`Row`].
pub const ROW_LEN: usize = 16 + 8 + 4 + 4 + 4 + 4 + 2 + 2 + 1;

impl Row {
    /// The sort key of a row within its stage: date, round (none first), seq.
    pub fn order(&self) -> (Date, u32, u64) {
        (self.date, self.round.unwrap_or(0), self.seq)
    }

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

/// The node `index` of a group value (`None` when not stored yet).
pub fn group_node(group: &[u8], index: u64) -> Option<Hash> {
    let i = (index % GROUP) as usize * 32;
    group
        .get(i..i + 32)
        .map(|b| Hash(b.try_into().expect("32 bytes")))
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
    fn chunks_frame_envelopes_and_name_broken_framing() {
        let mut c = Vec::new();
        push_envelope(&mut c, b"first");
        push_envelope(&mut c, b"");
        push_envelope(&mut c, b"third one");
        let all: Vec<&[u8]> = envelopes(&c).map(|e| e.unwrap()).collect();
        assert_eq!(all, vec![&b"first"[..], b"", b"third one"]);
        let cut = &c[..c.len() - 1];
        let last = envelopes(cut).last().unwrap();
        assert!(last.unwrap_err().contains("byte 13"));
        assert_eq!(
            (chunk_of(1), chunk_of(CHUNK), chunk_of(CHUNK + 1)),
            (0, 0, 1)
        );
        assert_eq!(chunk_first(2), 2 * CHUNK + 1);
    }
}
