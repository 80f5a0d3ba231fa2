//! Seasons that are editions of tournaments (pure). Editions played later
//! than their name says (the UEFA Euro 2020 in 2021, Africa Cups of
//! Nations): the importer names such an edition as it is known
//! ([`name_of`]), and its season's window takes in when it was played
//! ([`window`]). A qualification campaign is named by the calendar years
//! it spans (`2019-20`: March 2019 to November 2020), not a club season's
//! July to August. So their results are not said to be outside their
//! season.

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

/// The last year a season's name spans: `2019-20` 2020, `1999-2001` 2001,
/// `2024` 2024 (`first` is its first).
fn last_year(season: &str, first: i32) -> Option<i32> {
    let Some((_, last)) = season.split_once(['-', '/']) else {
        return Some(first);
    };
    let year: i32 = last.trim().parse().ok()?;
    Some(match last.trim().len() {
        2 if first / 100 * 100 + year >= first => first / 100 * 100 + year,
        2 => first / 100 * 100 + 100 + year,
        _ => year,
    })
}

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

/// The suffix that makes a tournament the qualification of another.
pub const QUALIFICATION: &str = " qualification";

/// The usual window of `season` ([`date::season_window`]), widened to take
/// in when a postponed edition of that name was played, and for a
/// qualification campaign the whole calendar years its name spans.
pub fn window(competition: &str, season: &str) -> Option<(Date, Date)> {
    if names::fold(competition).ends_with(QUALIFICATION) {
        let first: i32 = season.get(..4)?.parse().ok()?;
        let to = Date::from_ymd(last_year(season, first)?, 12, 31)?;
        let to = date::season_window(season).map_or(to, |(_, usual)| usual.max(to));
        return Some((Date::from_ymd(first, 1, 1)?, to));
    }
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
        // Qualification campaigns: the calendar years they span.
        for (competition, season, want) in [
            (
                "UEFA Euro qualification",
                "2019-20",
                "2019-01-01..2020-12-31",
            ),
            (
                "FIFA World Cup qualification",
                "1999-2001",
                "1999-01-01..2001-12-31",
            ),
            (
                "FIFA World Cup qualification",
                "1999-00",
                "1999-01-01..2000-12-31",
            ),
            (
                "AFC Asian Cup qualification",
                "2024",
                "2024-01-01..2025-01-31",
            ),
            ("English League", "2019-20", "2019-07-01..2020-08-31"),
        ] {
            assert_eq!(
                show(competition, season).as_deref(),
                Some(want),
                "{competition} {season}"
            );
        }
    }
}
