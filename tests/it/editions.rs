//! International tournaments as editions: seasons by the years an edition
//! spans, a stage per round-robin group, the rest one stage that is not a
//! league table, 2 points for a win before the 1994 World Cup; the groups
//! checked against published tables.

use crate::common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::Env;
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Imported, rows that fail their checks left out: the shipped 1872-1974
/// file holds two rows of one match that disagree (lines 9643 and 9644).
fn imported(file: &str) -> Env {
    let env = Env::new();
    env.ok(&["import", data(file).to_str().unwrap(), "--skip-invalid"]);
    env
}

fn stages(env: &Env, competition: &str, season: &str) -> Vec<String> {
    let v = env.json(&[
        "list",
        "stages",
        "--competition",
        competition,
        "--season",
        season,
        "--format",
        "json",
    ]);
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap().to_string())
        .collect()
}

/// The names, in byte order.
fn sorted(mut names: Vec<String>) -> Vec<String> {
    names.sort();
    names
}

/// Published rows: team, won, drawn, lost, goals for, goals against, points.
type Published = Vec<(String, [i64; 6])>;

/// A published group: the name the tournament gave it, its rows in
/// published order, and the two teams a play-off put in that order (level
/// on everything the table holds).
struct Group {
    name: String,
    rows: Published,
    playoff: Vec<String>,
}

/// The stage whose teams are `want`, as its table (JSON).
fn stage_of(env: &Env, competition: &str, season: &str, want: &BTreeSet<&str>) -> Option<Value> {
    stages(env, competition, season)
        .into_iter()
        .find_map(|stage| {
            let v = env.json(&[
                "standings",
                "--competition",
                competition,
                "--season",
                season,
                "--stage",
                &stage,
                "--format",
                "json",
            ]);
            let teams: BTreeSet<&str> = v["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["team"].as_str().unwrap())
                .collect();
            (&teams == want).then(|| v.clone())
        })
}

/// Finds the stage whose teams are the published group's, checks its name
/// and every row, and that the order agrees (teams we rank level may be in
/// either order: the published one may have used a criterion the file
/// lacks; so may the two teams of a play-off).
fn check_group(env: &Env, competition: &str, season: &str, group: &Group) {
    let want: BTreeSet<&str> = group.rows.iter().map(|(t, _)| t.as_str()).collect();
    let table = stage_of(env, competition, season, &want)
        .unwrap_or_else(|| panic!("{competition} {season}: no stage holds {want:?}"));
    assert_eq!(
        table["stage"],
        group.name.as_str(),
        "{competition} {season}: {want:?}"
    );
    assert_eq!(table["league_table"], true);
    let rows = table["rows"].as_array().unwrap();
    let mut last: Option<(&str, i64)> = None;
    for (team, [w, d, l, gf, ga, pts]) in &group.rows {
        let row = rows.iter().find(|r| r["team"] == team.as_str()).unwrap();
        let got: Vec<i64> = [
            "won",
            "drawn",
            "lost",
            "goals_for",
            "goals_against",
            "points",
        ]
        .iter()
        .map(|k| row[*k].as_i64().unwrap())
        .collect();
        assert_eq!(
            got,
            vec![*w, *d, *l, *gf, *ga, *pts],
            "{competition} {season}: {team}"
        );
        let pos = row["pos"].as_i64().unwrap();
        let by_playoff = |t: &str| group.playoff.iter().any(|p| p == t);
        if let Some((above, last_pos)) = last {
            assert!(
                pos >= last_pos || (by_playoff(team) && by_playoff(above)),
                "{competition} {season}: {team} at {pos} is above {above}, published above it"
            );
        }
        last = Some((team.as_str(), pos));
    }
}

/// The published groups of `tests/data/worldcup_group_tables.json`: (competition, season, groups).
fn published_groups() -> Vec<(String, String, Vec<Group>)> {
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(data("worldcup_group_tables.json")).unwrap())
            .unwrap();
    v["editions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let groups = e["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| Group {
                    name: g["name"].as_str().unwrap().to_string(),
                    rows: g["rows"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|t| {
                            let n = |k: &str| t[k].as_i64().unwrap();
                            (
                                t["team"].as_str().unwrap().to_string(),
                                [
                                    n("won"),
                                    n("drawn"),
                                    n("lost"),
                                    n("goals_for"),
                                    n("goals_against"),
                                    n("pts"),
                                ],
                            )
                        })
                        .collect(),
                    playoff: g["playoff"]
                        .as_array()
                        .map(|p| p.iter().map(|t| t.as_str().unwrap().to_string()).collect())
                        .unwrap_or_default(),
                })
                .collect();
            (
                e["competition"].as_str().unwrap().to_string(),
                e["season"].as_str().unwrap().to_string(),
                groups,
            )
        })
        .collect()
}

#[test]
fn world_cup_2018_groups_are_the_published_tables() {
    let env = imported("intl_results_2018_worldcup.csv");
    let stages = stages(&env, "FIFA World Cup", "2018");
    assert_eq!(
        stages.len(),
        9,
        "8 groups and the knockout matches: {stages:?}"
    );
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(data("ofjson_2018_worldcup_standings.json")).unwrap(),
    )
    .unwrap();
    for g in v["groups"].as_array().unwrap() {
        let group = Group {
            name: g["name"].as_str().unwrap().to_string(),
            rows: g["standings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    let n = |k: &str| s[k].as_i64().unwrap();
                    (
                        s["team"]["name"].as_str().unwrap().to_string(),
                        [
                            n("won"),
                            n("drawn"),
                            n("lost"),
                            n("goals_for"),
                            n("goals_against"),
                            n("pts"),
                        ],
                    )
                })
                .collect(),
            playoff: Vec::new(),
        };
        check_group(&env, "FIFA World Cup", "2018", &group);
    }
    let knockouts = env.json(&[
        "standings",
        "--competition",
        "FIFA World Cup",
        "--season",
        "2018",
        "--stage",
        "Matches",
        "--format",
        "json",
    ]);
    assert_eq!(knockouts["league_table"], false);
    let table = env.ok(&["standings", "--season", "2018", "--stage", "Matches"]);
    assert!(table.contains("Matches is not a league table"), "{table}");
    // A group is asked for by the name the tournament gave it.
    let a = env.json(&[
        "standings",
        "--season",
        "2018",
        "--stage",
        "group a",
        "--format",
        "json",
    ]);
    assert_eq!(a["stage"], "Group A");
    assert_eq!(a["rows"][0]["team"], "Uruguay");
    let results = env.json(&[
        "results", "--season", "2018", "--stage", "Group A", "--format", "json",
    ]);
    assert_eq!(results.as_array().unwrap().len(), 6);
}

#[test]
fn world_cup_groups_are_the_published_tables_under_their_own_names() {
    let env = imported("intl_results_worldcup_euro.csv");
    for (c, s, groups) in published_groups() {
        let rules = env.json(&[
            "rules",
            "--competition",
            &c,
            "--season",
            &s,
            "--format",
            "json",
        ]);
        assert_eq!(rules["points_for_win"], 2, "{c} {s}");
        for g in &groups {
            check_group(&env, &c, &s, g);
        }
    }
    let cup = |s: &str| sorted(stages(&env, "FIFA World Cup", s));
    // 1930: four groups, then two semi-finals and the final (stage names in
    // byte order from here on).
    assert_eq!(
        cup("1930"),
        ["Group 1", "Group 2", "Group 3", "Group 4", "Matches"]
    );
    // Knockouts only.
    assert_eq!(cup("1934"), ["Matches"]);
    // Uruguay and Bolivia alone played in Group 4: one match, no group.
    assert_eq!(
        cup("1950"),
        ["Final round", "Group 1", "Group 2", "Group 3", "Matches"]
    );
    // Two group stages, then the third place and the final.
    assert_eq!(
        cup("1974"),
        ["Group 1", "Group 2", "Group 3", "Group 4", "Group A", "Group B", "Matches"]
    );
    assert_eq!(cup("1982").len(), 11, "{:?}", cup("1982"));
    let letters = |n: u8| -> Vec<String> {
        (b'A'..b'A' + n)
            .map(|l| format!("Group {}", l as char))
            .chain(["Matches".to_string()])
            .collect()
    };
    for s in ["1998", "2002", "2006", "2010", "2014", "2018", "2022"] {
        assert_eq!(cup(s), letters(8), "{s}");
    }
    assert_eq!(cup("2026"), letters(12));
    let euro = |s: &str| sorted(stages(&env, "UEFA Euro", s));
    assert_eq!(euro("1976"), ["Matches"]);
    assert_eq!(euro("1988"), ["Group 1", "Group 2", "Matches"]);
    assert_eq!(euro("2020"), letters(6));
}

#[test]
fn groups_of_1954_are_found_though_their_seeded_teams_did_not_meet() {
    let env = imported("intl_results_1872_1974.csv");
    assert_eq!(
        sorted(stages(&env, "FIFA World Cup", "1954")),
        ["Group 1", "Group 2", "Group 3", "Group 4", "Matches"]
    );
    // The play-offs, the quarter-finals, the semi-finals, the third place
    // (Austria v Uruguay, both of Group 3) and the final.
    let others = env.json(&[
        "results",
        "--competition",
        "FIFA World Cup",
        "--season",
        "1954",
        "--stage",
        "Matches",
        "--format",
        "json",
    ]);
    let others = others.as_array().unwrap();
    assert_eq!(others.len(), 10);
    assert!(others
        .iter()
        .any(|r| r["date"] == "1954-07-03" && r["home"] == "Austria" && r["away"] == "Uruguay"));
    assert!(others
        .iter()
        .any(|r| r["date"] == "1954-06-23" && r["home"] == "Germany" && r["away"] == "Turkey"));
}

#[test]
fn every_draw_entry_names_a_group_of_its_edition() {
    let env = imported("intl_results_worldcup_euro.csv");
    for d in scoreledger::import::draws::entries() {
        let want: BTreeSet<&str> = d.teams.iter().map(String::as_str).collect();
        let table = stage_of(&env, &d.tournament, &d.edition, &want).unwrap_or_else(|| {
            panic!(
                "{} {} {}: no stage holds {want:?}",
                d.tournament, d.edition, d.group
            )
        });
        assert_eq!(table["stage"], d.group.as_str(), "{d:?}");
    }
}

#[test]
fn editions_not_calendar_years() {
    let env = imported("intl_results_1872_1974.csv");
    let seasons = |c: &str| -> Vec<String> {
        env.json(&["list", "seasons", "--competition", c, "--format", "json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["season"].as_str().unwrap().to_string())
            .collect()
    };
    let cups = seasons("FIFA World Cup");
    assert_eq!(
        cups,
        ["1930", "1934", "1938", "1950", "1954", "1958", "1962", "1966", "1970"],
        "the fixture ends in February 1974"
    );
    // A qualification campaign is one season across calendar years, ending
    // before its World Cup.
    let qualification = seasons("FIFA World Cup qualification");
    assert!(
        qualification.contains(&"1971-74".to_string()),
        "{qualification:?}"
    );
    assert!(
        qualification.iter().all(|s| s.len() > 4),
        "{qualification:?}"
    );
    // Friendlies stay filed by calendar year, as one list of matches.
    let friendlies = seasons("Friendly");
    assert_eq!(friendlies.first().map(String::as_str), Some("1872"));
    let v = env.json(&[
        "standings",
        "--competition",
        "Friendly",
        "--season",
        "1873",
        "--format",
        "json",
    ]);
    assert_eq!(v["stage"], "Matches");
    assert_eq!(v["league_table"], false);
}
