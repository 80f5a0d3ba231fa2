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

/// A published edition: competition, season, its groups.
type Edition = (String, String, Vec<Group>);

/// One published row: team, then won, drawn, lost, goals for, goals
/// against, points.
fn published_row(t: &Value) -> (String, [i64; 6]) {
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
}

fn published_group(g: &Value) -> Group {
    Group {
        name: g["name"].as_str().unwrap().to_string(),
        rows: g["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(published_row)
            .collect(),
        playoff: g["playoff"]
            .as_array()
            .map(|p| p.iter().map(|t| t.as_str().unwrap().to_string()).collect())
            .unwrap_or_default(),
    }
}

/// The published groups of a file of `tests/data/` (`worldcup_group_tables.json`,
/// `euro_group_tables.json`), edition by edition.
fn published(file: &str) -> Vec<Edition> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(data(file)).unwrap()).unwrap();
    v["editions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["competition"].as_str().unwrap().to_string(),
                e["season"].as_str().unwrap().to_string(),
                e["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(published_group)
                    .collect(),
            )
        })
        .collect()
}

/// Both files of published group tables.
fn all_published() -> Vec<Edition> {
    let mut all = published("worldcup_group_tables.json");
    all.extend(published("euro_group_tables.json"));
    all
}

/// Published groups whose table the program does not give as published, for
/// a reason the program cannot know: (competition, season, group, why). The
/// test fails when one of them starts to match, so that the list stays true.
const KNOWN: &[(&str, &str, &str, &str)] = &[
    ("FIFA World Cup", "1950", "Group 2", "England, Chile and the United States level on 2 points; the 1950 regulations ranked no further (only the winner went on), the published table lists them by goal difference"),
    ("FIFA World Cup", "1950", "Group 4", "one match (Uruguay 8-0 Bolivia, France and India withdrew): the importer forms no group of it"),
    ("FIFA World Cup", "1954", "Group 1", "Brazil and Yugoslavia level on 3 points, both through; the 1954 regulations ranked no further, the published table lists Brazil first (better goal difference)"),
    ("FIFA World Cup", "1954", "Group 2", "Germany and Turkey level on 2 points: Germany won the play-off (7-2), a match outside the table"),
    ("FIFA World Cup", "1954", "Group 3", "Uruguay and Austria level on 4 points (both through), Czechoslovakia and Scotland on 0; the 1954 regulations ranked no further, the published table lists them by goal difference"),
    ("FIFA World Cup", "1954", "Group 4", "Switzerland and Italy level on 2 points: Switzerland won the play-off (4-1), a match outside the table"),
    ("FIFA World Cup", "1958", "Group 1", "Northern Ireland and Czechoslovakia level on 3 points: Northern Ireland won the play-off (2-1 a.e.t.), a match outside the table; goal average, which the program applies, favours Czechoslovakia"),
    ("FIFA World Cup", "1958", "Group 3", "Wales and Hungary level on 3 points: Wales won the play-off (2-1), a match outside the table; goal average favours Hungary"),
    ("FIFA World Cup", "1958", "Group 4", "the Soviet Union and England level on 3 points and goal average (4-4 each): the Soviet Union won the play-off (1-0), a match outside the table"),
    ("FIFA World Cup", "1990", "Group F", "the Republic of Ireland and the Netherlands level on everything (and 1-1 between them): the drawing of lots put Ireland second"),
];

type ProgramRow = (i64, String, [i64; 6]);

/// The program's rows: position, team, the six numbers.
fn program_rows(table: &Value) -> Vec<ProgramRow> {
    let keys = [
        "won",
        "drawn",
        "lost",
        "goals_for",
        "goals_against",
        "points",
    ];
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = keys.map(|k| r[k].as_i64().unwrap());
            let team = r["team"].as_str().unwrap().to_string();
            (r["pos"].as_i64().unwrap(), team, n)
        })
        .collect()
}

/// The program's table of a published group: by the group's name, else the
/// stage that holds its teams (under whatever name).
fn program_table(env: &Env, c: &str, s: &str, g: &Group) -> Option<Value> {
    let args = [
        "standings",
        "--competition",
        c,
        "--season",
        s,
        "--stage",
        &g.name,
        "--format",
        "json",
    ];
    let out = env.run(&args);
    if out.status.success() {
        return Some(serde_json::from_slice(&out.stdout).unwrap());
    }
    let want: BTreeSet<&str> = g.rows.iter().map(|(t, _)| t.as_str()).collect();
    stage_of(env, c, s, &want)
}

/// How the program's table differs from the published group (its name, its
/// positions and order), or None: exactly right. The numbers of every row
/// must be the published ones whatever the order.
fn difference(env: &Env, c: &str, s: &str, g: &Group) -> Option<String> {
    let Some(table) = program_table(env, c, s, g) else {
        return Some("no stage holds its teams".to_string());
    };
    if table["stage"] != g.name.as_str() {
        return Some(format!("its teams are stage {}", table["stage"]));
    }
    let got = program_rows(&table);
    let want: Vec<ProgramRow> = (1..)
        .zip(g.rows.iter().cloned())
        .map(|(p, (t, n))| (p, t, n))
        .collect();
    let numbers = |rows: &[ProgramRow]| -> BTreeSet<(String, [i64; 6])> {
        rows.iter().map(|(_, t, n)| (t.clone(), *n)).collect()
    };
    assert_eq!(
        numbers(&got),
        numbers(&want),
        "{c} {s} {}: the numbers",
        g.name
    );
    let order = |rows: &[ProgramRow]| -> Vec<String> {
        rows.iter().map(|(p, t, _)| format!("{p}. {t}")).collect()
    };
    (got != want).then(|| format!("published {:?}, program {:?}", order(&want), order(&got)))
}

/// What the comparison of one group says is wrong, if anything: a
/// difference not listed in KNOWN, or a KNOWN entry that now matches.
fn verdict(env: &Env, c: &str, s: &str, g: &Group) -> Option<String> {
    let known = KNOWN
        .iter()
        .find(|k| (k.0, k.1, k.2) == (c, s, g.name.as_str()));
    match (difference(env, c, s, g), known) {
        (None, None) | (Some(_), Some(_)) => None,
        (Some(d), None) => Some(format!("{c} {s} {}: {d}", g.name)),
        (None, Some(k)) => Some(format!(
            "{c} {s} {}: listed in KNOWN ({}) but now as published: take it out",
            g.name, k.3
        )),
    }
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
fn tournament_groups_have_their_own_names_and_the_points_of_their_era() {
    let env = imported("intl_results_worldcup_euro.csv");
    for (c, s, _) in all_published() {
        let rules = env.json(&[
            "rules",
            "--competition",
            &c,
            "--season",
            &s,
            "--format",
            "json",
        ]);
        let three = s.as_str() >= if c == "UEFA Euro" { "1996" } else { "1994" };
        let points = if three { 3 } else { 2 };
        assert_eq!(rules["points_for_win"], points, "{c} {s}");
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

/// Every World Cup group 1930-2022 and every European Championship group
/// 1980-2024, as published (`tests/data/worldcup_group_tables.json`,
/// `euro_group_tables.json`): found under its name, the same rows with the
/// same numbers, in the same order at the same positions; the exceptions are
/// KNOWN, each with its reason.
#[test]
fn every_published_tournament_group_is_the_programs_table() {
    let env = imported("intl_results_worldcup_euro.csv");
    let editions = all_published();
    let groups: Vec<(&str, &str, &Group)> = editions
        .iter()
        .flat_map(|(c, s, gs)| gs.iter().map(move |g| (c.as_str(), s.as_str(), g)))
        .collect();
    assert_eq!(groups.len(), 125 + 46, "World Cup and Euro groups");
    let wrong: Vec<String> = groups
        .iter()
        .filter_map(|(c, s, g)| verdict(&env, c, s, g))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    for k in KNOWN {
        assert!(
            groups
                .iter()
                .any(|(c, s, g)| (*c, *s, g.name.as_str()) == (k.0, k.1, k.2)),
            "KNOWN names no published group: {k:?}"
        );
    }
}
