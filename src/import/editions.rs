//! International tournaments seen as editions (pure): a tournament's matches
//! fall into editions where the gap between consecutive match dates exceeds
//! [`EDITION_GAP_DAYS`]; a qualification campaign (a tournament named
//! "X qualification") holds the qualifiers played before the next edition
//! of X starts ([`campaigns`]); an edition is named by the years it spans;
//! and its groups, found by who played whom and when
//! (`import::groups`) and named as the draw named them where it is known
//! ([`super::draws`]), become stages of their own, the rest one stage,
//! [`OTHER_MATCHES`].

use std::collections::BTreeSet;

use super::draws::Draw;
use super::groups::{self, Fixture};
use crate::model::date::Date;
use crate::model::names;
use crate::model::postponed;

/// Longer than this between two of a tournament's match dates starts a new
/// edition. Final tournaments last weeks; qualification campaigns pause for
/// months (the longest pause inside one, 2019-20, was 325 days, but most are
/// under 180); yearly tournaments come back after about 300 days. 180 days
/// gives the right number of editions for the World Cup (and its
/// qualification), the Euro, the Copa América, the African Cup of Nations and
/// most yearly cups; tournaments played over several years (the Nordic
/// Championship) or with long breaks are split.
pub const EDITION_GAP_DAYS: i64 = 180;

/// Inside a qualification campaign, a longer pause than this starts a new
/// one (where the file lacks the final tournaments that bound campaigns).
/// The longest pause inside a campaign, 2019-20, was 325 days.
pub const QUALIFICATION_GAP_DAYS: i64 = 330;

/// The suffix that makes a tournament the qualification of another.
pub use crate::model::postponed::QUALIFICATION;

/// The stage of an edition's matches outside its groups (knockouts,
/// play-offs, or a tournament without groups): not a league table.
pub const OTHER_MATCHES: &str = "Matches";

/// The edition of each date (sorted ascending): 0, 0, 1, ..., a new one
/// after a pause longer than `gap` days.
pub fn editions(sorted_dates: &[Date], gap: i64) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted_dates.len());
    let mut edition = 0;
    for (i, d) in sorted_dates.iter().enumerate() {
        if i > 0 && sorted_dates[i - 1].days_until(*d) > gap {
            edition += 1;
        }
        out.push(edition);
    }
    out
}

/// The campaign of each qualifier date (sorted ascending): qualifiers
/// played before the same edition of the final tournament (whose first
/// dates are `final_starts`, ascending) are one campaign, split further
/// only by a pause longer than [`QUALIFICATION_GAP_DAYS`].
pub fn campaigns(sorted_dates: &[Date], final_starts: &[Date]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted_dates.len());
    let mut campaign = 0;
    let before = |d: &Date| final_starts.partition_point(|s| s <= d);
    for (i, d) in sorted_dates.iter().enumerate() {
        if i > 0 {
            let prev = &sorted_dates[i - 1];
            if before(prev) != before(d) || prev.days_until(*d) > QUALIFICATION_GAP_DAYS {
                campaign += 1;
            }
        }
        out.push(campaign);
    }
    out
}

/// An edition's season: its year, or the years it spans (`2019-20`,
/// `2015-17`, `1999-2001`), or the name of a postponed edition.
pub fn season_name(tournament: &str, first: Date, last: Date) -> String {
    if let Some(name) = postponed::name_of(tournament, first) {
        return name.to_string();
    }
    let (a, b) = (first.year(), last.year());
    if a == b {
        a.to_string()
    } else if a / 100 == b / 100 {
        format!("{a}-{:02}", b % 100)
    } else {
        format!("{a}-{b}")
    }
}

/// The stage of each of an edition's fixtures (in date order): a stage per
/// group found by who played whom and when (`groups::groups`), named as
/// the tournament named it where `draws` has an entry with exactly its
/// teams, else `Group 1`, `Group 2`, ... by first match; [`OTHER_MATCHES`]
/// for the rest (knockouts, play-offs, a tournament without groups).
pub fn stages(fixtures: &[Fixture], draws: &[&Draw]) -> Vec<String> {
    let groups = groups::groups(fixtures);
    let names = group_names(fixtures, &groups, draws);
    let mut out = vec![OTHER_MATCHES.to_string(); fixtures.len()];
    for (members, name) in groups.iter().zip(names) {
        for &i in members {
            out[i].clone_from(&name);
        }
    }
    out
}

/// Team names as they compare (case and accents aside).
fn folded<'a>(teams: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    teams.map(names::fold).collect()
}

/// Each group's name: the draw entry with exactly its teams (each entry
/// used once), else `Group N` with N its place by first match, or the next
/// number that neither another group nor the draw calls a group.
fn group_names(fixtures: &[Fixture], groups: &[Vec<usize>], draws: &[&Draw]) -> Vec<String> {
    let mut unused: Vec<(BTreeSet<String>, &str)> = draws
        .iter()
        .map(|d| (folded(d.teams.iter().map(String::as_str)), d.group.as_str()))
        .collect();
    let drawn: Vec<Option<String>> = groups
        .iter()
        .map(|members| {
            let teams = folded(
                members
                    .iter()
                    .flat_map(|&i| [fixtures[i].home, fixtures[i].away]),
            );
            let at = unused.iter().position(|(t, _)| *t == teams)?;
            Some(unused.swap_remove(at).1.to_string())
        })
        .collect();
    // A number never takes a name of the draw, matched or not.
    let mut taken: BTreeSet<String> = draws.iter().map(|d| d.group.clone()).collect();
    drawn
        .into_iter()
        .enumerate()
        .map(|(place, name)| {
            name.unwrap_or_else(|| {
                let mut n = place + 1;
                while taken.contains(&format!("Group {n}")) {
                    n += 1;
                }
                let name = format!("Group {n}");
                taken.insert(name.clone());
                name
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn seasons_are_named_by_the_years_an_edition_spans() {
        let check = |t: &str, first: &str, last: &str, expect: &str| {
            assert_eq!(
                season_name(t, d(first), d(last)),
                expect,
                "{t} {first}..{last}"
            );
        };
        check("FIFA World Cup", "2018-06-14", "2018-07-15", "2018");
        check("UEFA Nations League", "2018-09-06", "2019-06-09", "2018-19");
        check(
            "FIFA World Cup qualification",
            "2015-03-12",
            "2017-11-15",
            "2015-17",
        );
        check(
            "Nordic Championship",
            "1998-08-19",
            "2001-06-02",
            "1998-2001",
        );
        check("UEFA Euro", "2021-06-11", "2021-07-11", "2020");
        check("African Cup of Nations", "2025-12-21", "2026-01-18", "2025");
        check("African Cup of Nations", "2019-06-21", "2019-07-19", "2019");
    }

    #[test]
    fn a_pause_longer_than_the_gap_starts_an_edition_and_finals_bound_campaigns() {
        let dates: Vec<Date> = ["1930-07-13", "1930-07-30", "1934-05-27", "1934-06-10"]
            .map(d)
            .to_vec();
        assert_eq!(editions(&dates, EDITION_GAP_DAYS), [0, 0, 1, 1]);
        // Qualifiers: a 325-day pause inside a campaign does not split it;
        // a final tournament between two qualifiers does.
        let q: Vec<Date> = [
            "2019-06-06",
            "2019-11-19",
            "2020-10-08",
            "2021-06-01",
            "2021-11-16",
            "2022-06-14",
            "2023-09-07",
        ]
        .map(d)
        .to_vec();
        let finals = [d("2018-06-14"), d("2022-11-20"), d("2026-06-11")];
        assert_eq!(campaigns(&q, &finals), [0, 0, 0, 0, 0, 0, 1]);
        // Without the finals, the pause alone: 2022-06-14 to 2023-09-07 is over 330 days.
        assert_eq!(campaigns(&q, &[]), [0, 0, 0, 0, 0, 0, 1]);
        // The final between two qualifiers splits them even after a short pause.
        let close = [d("2022-11-01"), d("2022-12-30")];
        assert_eq!(campaigns(&close, &finals), [0, 1]);
    }

    /// Fixtures on days 1, 2, ... of January 2000 (`day` of each).
    fn on_days<'a>(matches: &[(u8, &'a str, &'a str)]) -> Vec<Fixture<'a>> {
        matches
            .iter()
            .map(|&(day, home, away)| Fixture {
                date: Date::from_ymd(2000, 1, day).unwrap(),
                home,
                away,
            })
            .collect()
    }

    fn check_stages(matches: &[(&str, &str)], expect: &[&str]) {
        let days: Vec<(u8, &str, &str)> = matches
            .iter()
            .enumerate()
            .map(|(i, &(h, a))| (1 + i as u8, h, a))
            .collect();
        let fixtures = on_days(&days);
        assert_eq!(stages(&fixtures, &[]), expect, "{matches:?}");
    }

    #[test]
    fn groups_are_teams_that_all_played_each_other() {
        // Two groups of three, then a semi-final between group rivals: not a group match.
        check_stages(
            &[
                ("A", "B"),
                ("X", "Y"),
                ("B", "C"),
                ("Y", "Z"),
                ("C", "A"),
                ("Z", "X"),
                ("A", "B"),
                ("A", "X"),
            ],
            &[
                "Group 1", "Group 2", "Group 1", "Group 2", "Group 1", "Group 2", "Matches",
                "Matches",
            ],
        );
        // Home and away: every pair twice, both legs in the group.
        check_stages(
            &[
                ("A", "B"),
                ("B", "C"),
                ("C", "A"),
                ("B", "A"),
                ("C", "B"),
                ("A", "C"),
            ],
            &["Group 1"; 6],
        );
        // A knockout alone makes no group.
        check_stages(&[("A", "B"), ("C", "D"), ("A", "C")], &["Matches"; 3]);
    }

    /// 1954: two groups of four in which the two seeded teams did not meet
    /// (a cycle A-C-B-D-A), a play-off in the second, semi-finals, and a
    /// third place and a final between teams of one group that had not met.
    fn world_cup_1954_shape() -> Vec<Fixture<'static>> {
        on_days(&[
            (1, "A", "C"),
            (1, "B", "D"),
            (1, "E", "G"),
            (1, "F", "H"),
            (2, "A", "D"),
            (2, "B", "C"),
            (2, "E", "H"),
            (2, "F", "G"),
            (3, "F", "H"),
            (4, "A", "F"),
            (4, "B", "E"),
            (5, "F", "E"),
            (5, "A", "B"),
        ])
    }

    #[test]
    fn groups_whose_seeded_teams_did_not_meet_are_found_and_knockouts_stay_out() {
        let g1 = "Group 1";
        let g2 = "Group 2";
        let m = OTHER_MATCHES;
        assert_eq!(
            stages(&world_cup_1954_shape(), &[]),
            [g1, g1, g2, g2, g1, g1, g2, g2, m, m, m, m, m]
        );
        // Semi-finals, third place and final alone are no group, though
        // they make the same cycle of four teams.
        check_stages(
            &[("A", "B"), ("C", "D"), ("B", "D"), ("A", "C")],
            &["Matches"; 4],
        );
    }

    #[test]
    fn groups_take_the_names_of_the_draw_and_numbers_skip_those_taken() {
        let draw = |group: &str, teams: [&str; 4]| Draw {
            tournament: "T".into(),
            edition: "1954".into(),
            group: group.into(),
            teams: teams.map(String::from).to_vec(),
            source: "test".into(),
        };
        let second = draw("Group 1", ["e", "F", "G", "H"]);
        let other = draw("Group 2", ["A", "B", "C", "X"]);
        let named = stages(&world_cup_1954_shape(), &[&other, &second]);
        // Teams compare as names do (case and accents aside); the first
        // group has no entry (the draw's Group 2 has other teams) and takes
        // the next number the draw does not use.
        assert_eq!(named[0], "Group 3");
        assert_eq!(named[2], "Group 1");
    }
}
