//! International tournaments seen as editions (pure): a tournament's matches
//! fall into editions where the gap between consecutive match dates exceeds
//! [`EDITION_GAP_DAYS`]; a qualification campaign (a tournament named
//! "X qualification") holds the qualifiers played before the next edition
//! of X starts ([`campaigns`]); an edition is named by the years it spans;
//! and its round-robin groups (teams that all play each other) become
//! stages of their own, the rest one stage, [`OTHER_MATCHES`].

use std::collections::{BTreeSet, HashMap};

use crate::date::Date;

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
pub const QUALIFICATION: &str = " qualification";

/// The stage of an edition's matches outside its groups (knockouts,
/// play-offs, or a tournament without groups): not a league table.
pub const OTHER_MATCHES: &str = "Matches";

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
    for (t, from, to, name) in POSTPONED {
        let day = |(y, m, d): (i32, u8, u8)| Date::from_ymd(y, m, d).expect("a valid date");
        if t == tournament && first >= day(from) && first < day(to) {
            return name.to_string();
        }
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

/// One match of an edition, as the grouping sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixture<'a> {
    pub date: Date,
    pub home: &'a str,
    pub away: &'a str,
}

/// The stage of each of an edition's fixtures (in date order): `Group 1`,
/// `Group 2`, ... (numbered by their first match) for round-robin groups,
/// [`OTHER_MATCHES`] for the rest.
///
/// A group is a maximal set of three or more teams that all played each
/// other. Larger groups are taken first, and a pair of teams belongs to one
/// group only, so a knockout match between two group rivals is not a group
/// match. A group holds the first `k` meetings of each of its pairs, where
/// `k` is the fewest times any of its pairs met (1 for a single round robin,
/// 2 for home and away): a later meeting (a final, a play-off) is not.
pub fn stages(fixtures: &[Fixture]) -> Vec<String> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut pair_matches: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, f) in fixtures.iter().enumerate() {
        let h = team_index(&mut index, f.home);
        let a = team_index(&mut index, f.away);
        pair_matches.entry(pair(h, a)).or_default().push(i);
    }
    let n = index.len();
    let mut adjacent = vec![BTreeSet::new(); n];
    for &(a, b) in pair_matches.keys() {
        adjacent[a].insert(b);
        adjacent[b].insert(a);
    }
    let mut cliques = Vec::new();
    maximal_cliques(
        &adjacent,
        Vec::new(),
        (0..n).collect(),
        BTreeSet::new(),
        &mut cliques,
    );
    let first_match = |c: &Vec<usize>| {
        pairs(c)
            .map(|p| pair_matches[&p][0])
            .min()
            .unwrap_or(usize::MAX)
    };
    cliques.retain(|c| c.len() >= 3);
    cliques.sort_by_key(|c| (std::cmp::Reverse(c.len()), first_match(c)));
    let mut taken: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for c in cliques {
        if pairs(&c).any(|p| taken.contains(&p)) {
            continue;
        }
        let legs = pairs(&c).map(|p| pair_matches[&p].len()).min().unwrap_or(0);
        let mut members: Vec<usize> = pairs(&c)
            .flat_map(|p| pair_matches[&p][..legs].to_vec())
            .collect();
        members.sort_unstable();
        taken.extend(pairs(&c));
        groups.push(members);
    }
    groups.sort_by_key(|m| m[0]);
    let mut out = vec![OTHER_MATCHES.to_string(); fixtures.len()];
    for (g, members) in groups.iter().enumerate() {
        for &i in members {
            out[i] = format!("Group {}", g + 1);
        }
    }
    out
}

/// A team's number: 0, 1, ... in order of first appearance.
fn team_index<'a>(index: &mut HashMap<&'a str, usize>, name: &'a str) -> usize {
    let next = index.len();
    *index.entry(name).or_insert(next)
}

fn pair(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

fn pairs(c: &[usize]) -> impl Iterator<Item = (usize, usize)> + '_ {
    c.iter()
        .enumerate()
        .flat_map(move |(i, &a)| c[i + 1..].iter().map(move |&b| pair(a, b)))
}

/// Bron-Kerbosch with a pivot: every maximal clique of the graph.
fn maximal_cliques(
    adjacent: &[BTreeSet<usize>],
    r: Vec<usize>,
    mut p: BTreeSet<usize>,
    mut x: BTreeSet<usize>,
    out: &mut Vec<Vec<usize>>,
) {
    if p.is_empty() && x.is_empty() {
        out.push(r);
        return;
    }
    let pivot = p
        .iter()
        .chain(x.iter())
        .max_by_key(|&&u| adjacent[u].intersection(&p).count())
        .copied()
        .expect("p or x is not empty");
    let candidates: Vec<usize> = p.difference(&adjacent[pivot]).copied().collect();
    for v in candidates {
        let mut r2 = r.clone();
        r2.push(v);
        let p2 = p.intersection(&adjacent[v]).copied().collect();
        let x2 = x.intersection(&adjacent[v]).copied().collect();
        maximal_cliques(adjacent, r2, p2, x2, out);
        p.remove(&v);
        x.insert(v);
    }
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

    fn check_stages(matches: &[(&str, &str)], expect: &[&str]) {
        let fixtures: Vec<Fixture> = matches
            .iter()
            .enumerate()
            .map(|(i, (h, a))| Fixture {
                date: Date::from_ymd(2000, 1, 1 + i as u8).unwrap(),
                home: h,
                away: a,
            })
            .collect();
        assert_eq!(stages(&fixtures), expect, "{matches:?}");
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
}
