//! Calendar dates (valid time) and UTC timestamps (transaction time).
//!
//! Both serialize compactly for the canonical bytes (a `u32` `yyyymmdd` and an
//! `i64` count of microseconds since the Unix epoch) and as readable strings
//! (`1984-12-02`, RFC 3339) for JSON.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::{Month, OffsetDateTime, UtcOffset};

/// A calendar date between the years 1 and 9999.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date(time::Date);

const MONTHS: [(&str, Month); 12] = [
    ("january", Month::January),
    ("february", Month::February),
    ("march", Month::March),
    ("april", Month::April),
    ("may", Month::May),
    ("june", Month::June),
    ("july", Month::July),
    ("august", Month::August),
    ("september", Month::September),
    ("october", Month::October),
    ("november", Month::November),
    ("december", Month::December),
];

fn month_from_name(name: &str) -> Option<Month> {
    let lower = name.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .find(|(full, _)| {
            *full == lower
                || (lower.len() == 3 && full.starts_with(lower.as_str()))
                || (lower == "sept" && *full == "september")
        })
        .map(|(_, m)| *m)
}

impl Date {
    /// A date from its parts; `None` for impossible dates (31 November, year 0).
    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) {
            return None;
        }
        let month = Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day)
            .ok()
            .map(Date)
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Result<Date, String> {
        // The form of nearly every date read: ten ASCII bytes, digits and
        // two dashes, read without splitting (this runs for every row of
        // an import); anything else takes the general way below, which
        // gives the same answer for these.
        if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes() {
            let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
            if digits.iter().all(u8::is_ascii_digit) {
                let n = |ds: &[u8]| ds.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
                let (y, m, d) = (n(&digits[..4]), n(&digits[4..6]), n(&digits[6..]));
                return Date::from_ymd(y as i32, m as u8, d as u8)
                    .ok_or_else(|| format!("impossible date '{s}'"));
            }
        }
        Date::parse_iso_split(s)
    }

    /// [`Date::parse_iso`] the general way: trimmed, split at its dashes.
    fn parse_iso_split(s: &str) -> Result<Date, String> {
        let bad = || format!("invalid date '{s}': expected YYYY-MM-DD");
        // Three parts, without collecting them.
        let mut parts = s.trim().split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let y: i32 = y.parse().map_err(|_| bad())?;
        let m: u8 = m.parse().map_err(|_| bad())?;
        let d: u8 = d.parse().map_err(|_| bad())?;
        Date::from_ymd(y, m, d).ok_or_else(|| format!("impossible date '{s}'"))
    }

    /// Recognises the date forms found on result pages: `2 December 1984`,
    /// `2 Dec 1984`, `December 2, 1984` and `1984-12-02`.
    ///
    /// `None` when the text does not look like a date at all; `Some(Err)` when
    /// it does but names an impossible day.
    pub fn parse_loose(s: &str) -> Option<Result<Date, String>> {
        let s = s.trim();
        if s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' {
            return Some(Date::parse_iso(s));
        }
        let words: Vec<&str> = s
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() != 3 {
            return None;
        }
        let (day, month, year) = if let Some(m) = month_from_name(words[1]) {
            (words[0], m, words[2])
        } else if let Some(m) = month_from_name(words[0]) {
            (words[1], m, words[2])
        } else {
            return None;
        };
        let day = day.trim_end_matches(|c: char| c.is_ascii_alphabetic()); // 2nd, 3rd
        if day.is_empty() || day.len() > 2 || !day.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (d, y): (u8, i32) = (day.parse().ok()?, year.parse().ok()?);
        Some(Date::from_ymd(y, month as u8, d).ok_or_else(|| format!("impossible date '{s}'")))
    }

    /// The key form: `yyyymmdd` as a number, so big-endian bytes sort by date.
    pub fn to_key(self) -> u32 {
        let (y, m, d) = (
            self.0.year() as u32,
            self.0.month() as u32,
            self.0.day() as u32,
        );
        y * 10_000 + m * 100 + d
    }

    /// Inverse of [`Date::to_key`].
    pub fn from_key(k: u32) -> Option<Date> {
        Date::from_ymd(
            (k / 10_000) as i32,
            ((k / 100) % 100) as u8,
            (k % 100) as u8,
        )
    }

    /// The calendar year.
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// The day before (`None` before the first date there is).
    pub fn previous_day(self) -> Option<Date> {
        self.0.previous_day().map(Date)
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        (later.0 - self.0).whole_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            self.0.month() as u8,
            self.0.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_u32(self.to_key())
        }
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            Date::parse_iso(&s).map_err(serde::de::Error::custom)
        } else {
            let k = u32::deserialize(d)?;
            Date::from_key(k)
                .ok_or_else(|| serde::de::Error::custom(format!("invalid date key {k}")))
        }
    }
}

/// A UTC instant with microsecond precision: when the archive learned a fact.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp(i64);

impl Timestamp {
    /// Earlier than any real instant (the head of an empty archive).
    pub const MIN: Timestamp = Timestamp(i64::MIN);

    /// Microseconds since 1970-01-01T00:00:00Z.
    pub fn from_micros(us: i64) -> Timestamp {
        Timestamp(us)
    }

    /// Microseconds since 1970-01-01T00:00:00Z.
    pub fn as_micros(self) -> i64 {
        self.0
    }

    /// Converts a `time` instant (the caller reads the clock, never the library).
    pub fn from_datetime(t: OffsetDateTime) -> Timestamp {
        let ns = t.unix_timestamp_nanos();
        Timestamp((ns / 1_000) as i64)
    }

    /// Parses RFC 3339, e.g. `2026-11-28T10:00:00Z` or with an offset.
    pub fn parse_rfc3339(s: &str) -> Result<Timestamp, String> {
        OffsetDateTime::parse(s.trim(), &Rfc3339)
            .map(Timestamp::from_datetime)
            .map_err(|e| {
                format!(
                    "invalid timestamp '{s}': {e} (expected RFC 3339, e.g. 2026-11-28T10:00:00Z)"
                )
            })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = OffsetDateTime::from_unix_timestamp_nanos(self.0 as i128 * 1_000)
            .map(|t| t.to_offset(UtcOffset::UTC));
        match t {
            Ok(t) => {
                let micros = t.microsecond();
                write!(
                    f,
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    t.year(),
                    t.month() as u8,
                    t.day(),
                    t.hour(),
                    t.minute(),
                    t.second()
                )?;
                if micros != 0 {
                    write!(f, ".{micros:06}")?;
                }
                f.write_str("Z")
            }
            Err(_) => write!(f, "@{}us", self.0),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_i64(self.0)
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            Timestamp::parse_rfc3339(&s).map_err(serde::de::Error::custom)
        } else {
            i64::deserialize(d).map(Timestamp)
        }
    }
}

/// The dates a season name allows: `1984` is 1984-01-01 to 1985-01-31;
/// `1888-89` or `2019-2020` is 1 July of the first year to 31 August of the second.
pub fn season_window(season: &str) -> Option<(Date, Date)> {
    let s = season.trim();
    let year = |t: &str| {
        (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<i32>().ok())
            .flatten()
    };
    if let Some(y) = year(s) {
        return Some((Date::from_ymd(y, 1, 1)?, Date::from_ymd(y + 1, 1, 31)?));
    }
    let (a, b) = s.split_once(['-', '/'])?;
    let y1 = year(a)?;
    let y2 = match b.len() {
        2 => {
            (y1 / 100) * 100
                + b.parse::<i32>().ok()?
                + if b.parse::<i32>().ok()? < y1 % 100 {
                    100
                } else {
                    0
                }
        }
        4 => year(b)?,
        _ => return None,
    };
    if y2 != y1 + 1 {
        return None;
    }
    Some((Date::from_ymd(y1, 7, 1)?, Date::from_ymd(y2, 8, 31)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: Option<&str>) {
        let got = Date::parse_loose(input).map(|r| r.map(|d| d.to_string()));
        match (got, expect) {
            (Some(Ok(d)), Some(e)) => assert_eq!(d, e, "{input}"),
            (None, None) => {}
            (Some(Err(_)), Some("ERR")) => {}
            (got, _) => panic!("{input}: got {got:?}, expected {expect:?}"),
        }
    }

    #[test]
    fn loose_dates() {
        check("2 December 1984", Some("1984-12-02"));
        check("  16 December 1984 ", Some("1984-12-16"));
        check("2 Dec 1984", Some("1984-12-02"));
        check("December 2, 1984", Some("1984-12-02"));
        check("1984-12-02", Some("1984-12-02"));
        check("2nd December 1984", Some("1984-12-02"));
        check("31 November 1984", Some("ERR"));
        check("29 February 1983", Some("ERR"));
        check("29 February 1984", Some("1984-02-29"));
        check("1984-00-10", Some("ERR"));
        check("0000-01-01", Some("ERR"));
        check("Alianza Atlético 3-2 Universitario de Tacna", None);
        check("2 Decimal 1984", None);
        check("Round 1", None);
    }

    #[test]
    fn iso_dates() {
        let check = |input: &str, expect: Option<&str>| {
            let got = Date::parse_iso(input).ok().map(|d| d.to_string());
            assert_eq!(got.as_deref(), expect, "{input}");
        };
        check("1984-12-02", Some("1984-12-02"));
        check(" 1984-12-02\t", Some("1984-12-02"));
        check("2024-02-29", Some("2024-02-29"));
        check("2023-02-29", None);
        check("1984-12-2", None);
        check("84-12-02", None);
        check("1984-12-02-01", None);
        check("1984-12", None);
        check("1984--12-02", None);
        check("1984-1a-02", None);
        check("1984-13-02", None);
        check("0000-01-01", None);
    }

    #[test]
    fn iso_dates_read_at_once_read_as_split() {
        for y in [
            "0000", "0001", "0999", "1888", "1900", "2000", "2024", "9999",
        ] {
            for m in 0..=13 {
                for d in 0..=32 {
                    let s = format!("{y}-{m:02}-{d:02}");
                    assert_eq!(Date::parse_iso(&s), Date::parse_iso_split(&s), "{s}");
                }
            }
        }
        check("", None);
        check("---", None);
    }

    #[test]
    fn key_order_is_date_order() {
        let a = Date::parse_iso("1984-12-02").unwrap();
        let b = Date::parse_iso("1985-01-01").unwrap();
        assert!(a.to_key().to_be_bytes() < b.to_key().to_be_bytes());
        assert_eq!(Date::from_key(a.to_key()), Some(a));
        assert_eq!(Date::from_key(19841131), None);
    }

    #[test]
    fn timestamps_round_trip() {
        for s in ["2026-11-28T04:06:31Z", "1984-12-02T15:30:00.123456Z"] {
            let t = Timestamp::parse_rfc3339(s).unwrap();
            assert_eq!(t.to_string(), s);
        }
        let t = Timestamp::parse_rfc3339("2026-11-28T05:06:31+01:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-28T04:06:31Z");
        assert!(Timestamp::parse_rfc3339("yesterday").is_err());
    }

    #[test]
    fn season_windows() {
        let w = |s: &str| season_window(s).map(|(a, b)| format!("{a}..{b}"));
        assert_eq!(w("1984").as_deref(), Some("1984-01-01..1985-01-31"));
        assert_eq!(w("1888-89").as_deref(), Some("1888-07-01..1889-08-31"));
        assert_eq!(w("1999-00").as_deref(), Some("1999-07-01..2000-08-31"));
        assert_eq!(w("2019-2020").as_deref(), Some("2019-07-01..2020-08-31"));
        assert_eq!(w("2019-21"), None);
        assert_eq!(w("Apertura"), None);
    }
}
