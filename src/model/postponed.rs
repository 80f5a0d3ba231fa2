//! Editions played later than their name says (pure): the UEFA Euro 2020
//! in 2021, and Africa Cups of Nations. The importer names such an edition
//! as it is known ([`name_of`]), and its season's window takes in when it
//! was played ([`window`]), so its results are not said to be outside
//! their season.

use crate::model::date::{self, Date};
use crate::model::names;

/// A day as (year, month, day).
type Ymd = (i32, u8, u8);

/// Editions played later than their name says, named as they are known:
/// (tournament, first match date on or after, before, name).
const POSTPONED: [(&str, Ymd, Ymd, &str); 4] = [
    // UEFA Euro 2020, played in June-July 2021.
    ("UEFA Euro", (2021, 6, 1), (2021, 8, 1), "2020"),
    // The 2021 Africa Cup of Nations, played in January-February 2022.
    ("African Cup of Nations", (2022, 1, 1), (2022, 3, 1), "2021"),
    // The 2023 Africa Cup of Nations, played in January-February 2024.
    ("African Cup of Nations", (2024, 1, 1), (2024, 3, 1), "2023"),
    // The 2025 Africa Cup of Nations, played December 2025-January 2026.
    (
        "African Cup of Nations",
        (2025, 12, 1),
        (2026, 2, 1),
        "2025",
    ),
];

fn day((y, m, d): Ymd) -> Date {
    Date::from_ymd(y, m, d).expect("a valid date")
}

/// The name of the postponed edition of `tournament` whose first match is
/// on `first`, if it is one.
pub fn name_of(tournament: &str, first: Date) -> Option<&'static str> {
    POSTPONED
        .iter()
        .find(|(t, from, to, _)| *t == tournament && first >= day(*from) && first < day(*to))
        .map(|(_, _, _, name)| *name)
}

/// The usual window of `season` ([`date::season_window`]), widened to take
/// in when a postponed edition of that name was played.
pub fn window(competition: &str, season: &str) -> Option<(Date, Date)> {
    let (mut from, mut to) = date::season_window(season)?;
    for (t, first, before, name) in POSTPONED {
        if names::same(t, competition) && names::same(name, season) {
            from = from.min(day(first));
            to = to.max(day(before).previous_day().unwrap_or(to));
        }
    }
    Some((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postponed_edition_is_named_and_its_window_takes_in_when_it_was_played() {
        let d = |s: &str| Date::parse_iso(s).unwrap();
        assert_eq!(name_of("UEFA Euro", d("2021-06-11")), Some("2020"));
        assert_eq!(name_of("UEFA Euro", d("2024-06-14")), None);
        let show = |c: &str, s: &str| window(c, s).map(|(a, b)| format!("{a}..{b}"));
        assert_eq!(
            show("UEFA Euro", "2020").as_deref(),
            Some("2020-01-01..2021-07-31")
        );
        assert_eq!(
            show("uefa euro", "2016").as_deref(),
            Some("2016-01-01..2017-01-31")
        );
        assert_eq!(
            show("African Cup of Nations", "2021").as_deref(),
            Some("2021-01-01..2022-02-28")
        );
        assert_eq!(
            show("FIFA World Cup", "2020").as_deref(),
            Some("2020-01-01..2021-01-31")
        );
    }
}
