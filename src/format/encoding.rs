//! The only module that calls bincode: the canonical bytes of events, the
//! stored envelope, and the encoding of derived values.
//!
//! Configuration, chosen once: `bincode::config::standard()` (little-endian,
//! variable-length integers), with a 16 MiB limit when decoding. Any change
//! here changes every hash and is caught by the golden vectors in
//! `schema/vectors/`.

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::format::chain::Hash;
use crate::format::wire;
use crate::model::date::Timestamp;
use crate::model::event::Event;

pub use crate::format::chain::FORMAT_VERSION;

/// Fixed part of a stored envelope: version, seq, recorded_at, prev, hash.
pub const ENVELOPE_HEADER_LEN: usize = 1 + 8 + 8 + 32 + 32;

const DECODE_LIMIT: usize = 16 << 20;

fn config() -> bincode::config::Configuration {
    bincode::config::standard()
}

fn decode_config() -> bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<DECODE_LIMIT>,
> {
    bincode::config::standard().with_limit::<DECODE_LIMIT>()
}

/// Checks an event against every bound before it is written: its fields
/// (`model::limits::check_fields`) and its canonical size.
pub fn check_event(event: &Event) -> Result<(), String> {
    crate::model::limits::check_fields(event)?;
    if size_bound(event).is_some_and(|b| b <= crate::model::limits::EVENT_BYTES) {
        return Ok(());
    }
    let size = encode_event(event).len();
    let limit = crate::model::limits::EVENT_BYTES;
    if size > limit {
        return Err(format!("the event is {size} bytes; the limit is {limit}"));
    }
    Ok(())
}

/// Bytes a result's encoding cannot exceed, known without encoding it: its
/// texts, and at most [`RESULT_FIXED`] more (the kind, each text's length,
/// the numbers, flags and options, all varints). `None` for other events,
/// which are measured by encoding them; checking a result's size this way
/// saved an encoding per row of every import.
fn size_bound(event: &Event) -> Option<usize> {
    match event {
        Event::MatchResult(m) => {
            let texts = [&m.competition, &m.season, &m.stage, &m.home, &m.away];
            let group = m.group.as_ref().map_or(0, String::len);
            Some(texts.iter().map(|t| t.len()).sum::<usize>() + group + RESULT_FIXED)
        }
        _ => None,
    }
}

/// A result's encoded bytes besides its texts, at most: the kind (5), six
/// text lengths (9 each), the group's option (1), the round (6), the date
/// (5), the goals (6), the status (5), neutral (1) and three score pairs
/// (7 each): 104, rounded up.
const RESULT_FIXED: usize = 128;

/// The canonical bytes of an event: the bincode bytes of its wire form
/// (`format::wire`), never of the model type itself.
pub fn encode_event(event: &Event) -> Vec<u8> {
    encode_value(&wire::of(event))
}

/// The canonical bytes of an event, into a buffer (cleared first).
pub fn encode_event_into(event: &Event, out: &mut Vec<u8>) {
    out.clear();
    bincode::serde::encode_into_std_write(wire::of(event), out, config())
        .expect("plain data always encodes");
}

/// Decodes canonical event bytes, refusing trailing bytes and any encoding
/// that is not the canonical one (re-encoding must give the same bytes).
pub fn decode_event(bytes: &[u8]) -> Result<Event, String> {
    decode_event_with(bytes, &mut Vec::new())
}

/// [`decode_event`], re-using `scratch` for the re-encoding.
pub fn decode_event_with(bytes: &[u8], scratch: &mut Vec<u8>) -> Result<Event, String> {
    let event = wire::into_model(decode_value::<wire::Event<'static>>(bytes)?)?;
    encode_event_into(&event, scratch);
    if scratch.as_slice() != bytes {
        return Err("event bytes are not in canonical form".into());
    }
    Ok(event)
}

/// An event from its bytes, without the check that they are its canonical
/// form (that check encodes the event again): for a rebuild, which derives
/// from the log but vouches for nothing in it; `verify` checks the form.
pub fn decode_event_unchecked(bytes: &[u8]) -> Result<Event, String> {
    wire::into_model(decode_value::<wire::Event<'static>>(bytes)?)
}

/// Encodes any value with the one configuration. Serializing plain data to a
/// vector cannot fail; a failure is a bug, so it panics with the reason.
pub fn encode_value<T: Serialize>(value: &T) -> Vec<u8> {
    bincode::serde::encode_to_vec(value, config()).expect("plain data always encodes")
}

/// Decodes a value, refusing trailing bytes.
pub fn decode_value<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let (value, used) =
        bincode::serde::decode_from_slice(bytes, decode_config()).map_err(|e| say(&e))?;
    if used != bytes.len() {
        return Err(format!("{} bytes follow the value", bytes.len() - used));
    }
    Ok(value)
}

/// A decoding failure as one sentence (bincode's own text names its types).
fn say(e: &bincode::error::DecodeError) -> String {
    use bincode::error::DecodeError as D;
    match e {
        D::UnexpectedEnd { additional } => {
            format!("the bytes end {additional} byte(s) too early")
        }
        D::LimitExceeded => "a length is larger than anything the archive writes".into(),
        D::Utf8 { .. } => "a text is not valid UTF-8".into(),
        D::UnexpectedVariant { found, .. } => format!("an unknown kind number {found}"),
        D::InvalidBooleanValue(b) => format!("{b} where a yes/no byte belongs"),
        D::InvalidCharEncoding(_) => "a character is not valid".into(),
        D::OutsideUsizeRange(n) => format!("a length of {n} is out of range"),
        D::OtherString(m) => match m
            .strip_prefix("invalid value: integer `")
            .and_then(|r| r.split_once('`'))
        {
            Some((n, rest)) if rest.contains("variant index") => {
                format!("an unknown kind number {n}")
            }
            _ => format!("the bytes do not make a value here ({m})"),
        },
        _ => "the bytes are not a value of this kind".into(),
    }
}

/// A stored envelope, split but not yet checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawEnvelope<'a> {
    /// The format version byte
    /// ([`FORMAT_VERSION`](crate::format::chain::FORMAT_VERSION) for every
    /// envelope written).
    pub version: u8,
    /// The event's seq, as stored.
    pub seq: u64,
    /// When it was recorded, as stored.
    pub recorded_at: Timestamp,
    /// The stored hash of the event before.
    pub prev: Hash,
    /// The stored hash of this event (not yet recomputed).
    pub hash: Hash,
    /// The canonical event bytes, not yet decoded.
    pub event_bytes: &'a [u8],
}

/// `version | seq BE | recorded_at BE | prev | hash | event bytes`.
pub fn encode_envelope(
    seq: u64,
    recorded_at: Timestamp,
    prev: &Hash,
    hash: &Hash,
    event_bytes: &[u8],
) -> Vec<u8> {
    let mut v = Vec::with_capacity(ENVELOPE_HEADER_LEN + event_bytes.len());
    encode_envelope_into(seq, recorded_at, prev, hash, event_bytes, &mut v);
    v
}

/// [`encode_envelope`] into a buffer (cleared first).
pub fn encode_envelope_into(
    seq: u64,
    recorded_at: Timestamp,
    prev: &Hash,
    hash: &Hash,
    event_bytes: &[u8],
    v: &mut Vec<u8>,
) {
    v.clear();
    v.push(FORMAT_VERSION);
    v.extend_from_slice(&seq.to_be_bytes());
    v.extend_from_slice(&recorded_at.as_micros().to_be_bytes());
    v.extend_from_slice(&prev.0);
    v.extend_from_slice(&hash.0);
    v.extend_from_slice(event_bytes);
}

/// Splits a stored envelope into its fields.
pub fn split_envelope(bytes: &[u8]) -> Result<RawEnvelope<'_>, String> {
    if bytes.len() < ENVELOPE_HEADER_LEN {
        return Err(format!(
            "envelope is {} bytes, shorter than its {ENVELOPE_HEADER_LEN}-byte header",
            bytes.len()
        ));
    }
    let version = bytes[0];
    if version != FORMAT_VERSION {
        return Err(format!(
            "unknown format version {version} (this build reads version {FORMAT_VERSION})"
        ));
    }
    let u64_at = |i: usize| u64::from_be_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
    let hash_at = |i: usize| Hash::read_at(bytes, i).expect("a checked length");
    Ok(RawEnvelope {
        version,
        seq: u64_at(1),
        recorded_at: Timestamp::from_micros(u64_at(9) as i64),
        prev: hash_at(17),
        hash: hash_at(49),
        event_bytes: &bytes[ENVELOPE_HEADER_LEN..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Date;
    use crate::model::event::MatchResult;

    /// A rebuild's decoding skips the canonical check and nothing else: the
    /// same event from canonical bytes; from bytes that spell the kind with
    /// a longer varint than needed, the event there and a refusal here.
    #[test]
    fn decoding_without_the_canonical_check_differs_only_on_non_canonical_bytes() {
        let d = Date::from_ymd(1984, 12, 2).unwrap();
        let e = Event::MatchResult(MatchResult::sample(d, 2, 1));
        let bytes = encode_event(&e);
        assert_eq!(decode_event_unchecked(&bytes).unwrap(), e);
        assert_eq!(decode_event(&bytes).unwrap(), e);
        assert!(bytes[0] < 251, "the kind is one byte");
        let mut loose = vec![251, bytes[0], 0];
        loose.extend_from_slice(&bytes[1..]);
        assert_eq!(decode_event_unchecked(&loose).unwrap(), e);
        let refused = decode_event(&loose).unwrap_err();
        assert!(refused.contains("canonical"), "{refused}");
        assert!(decode_event_unchecked(&bytes[1..]).is_err());
    }

    /// Each field within its bound, the whole over `EVENT_BYTES`: refused
    /// here, where the size is known, and not by the fields' check.
    #[test]
    fn an_event_within_every_field_bound_but_too_large_is_refused() {
        let line = ("k".to_string(), "v".repeat(1_900));
        let facts = Event::SeasonFacts(crate::model::event::SeasonFacts {
            competition: "C".into(),
            season: "1984".into(),
            winners: None,
            top_scorers: Vec::new(),
            top_scorer_goals: None,
            previous_season: None,
            next_season: None,
            other: vec![line; 40],
        });
        assert!(crate::model::limits::check_fields(&facts).is_ok());
        let e = check_event(&facts).unwrap_err();
        assert!(e.contains("the limit is 65536"), "{e}");
    }

    /// The bound that spares encoding a result is never below its size,
    /// whatever its texts and numbers.
    #[test]
    fn a_results_size_bound_is_never_below_its_encoded_size() {
        let d = Date::from_ymd(1984, 12, 2).unwrap();
        let pair = crate::model::event::ScorePair {
            home: u16::MAX,
            away: u16::MAX,
        };
        for n in [0usize, 1, 127, 128, 300, 20_000] {
            let mut m = MatchResult::sample(d, u16::MAX, u16::MAX);
            m.competition = "c".repeat(n);
            m.home = "ñ".repeat(n / 2);
            m.group = (n % 2 == 0).then(|| "g".repeat(n));
            m.round = Some(u32::MAX);
            m.neutral = true;
            (m.half_time, m.extra_time, m.penalties) = (Some(pair), Some(pair), Some(pair));
            m.status = crate::model::event::MatchStatus::Abandoned;
            let e = Event::MatchResult(m);
            let size = encode_event(&e).len();
            let bound = size_bound(&e).unwrap();
            assert!(size <= bound, "{n}: {size} bytes over the bound {bound}");
            assert!(
                bound - size <= RESULT_FIXED,
                "{n}: a bound far above {size}"
            );
        }
    }

    #[test]
    fn decoding_failures_are_sentences() {
        let d = Date::from_ymd(1984, 12, 2).unwrap();
        let e = Event::MatchResult(MatchResult::sample(d, 1, 0));
        let bytes = encode_event(&e);
        let cut = decode_event(&bytes[..bytes.len() - 3]).unwrap_err();
        assert!(
            cut.starts_with("the bytes end") && !cut.contains('{'),
            "{cut}"
        );
        let mut long = bytes.clone();
        long.push(0);
        assert_eq!(decode_event(&long).unwrap_err(), "1 bytes follow the value");
        let mut bad = bytes;
        bad[0] = 42;
        assert_eq!(decode_event(&bad).unwrap_err(), "an unknown kind number 42");
    }
}
