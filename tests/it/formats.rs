//! Real archives: every importer on real files, tables against independent
//! computations, and export/import round trips.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{Env, ENG_HEADER};
use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn import(env: &Env, name: &str) -> String {
    env.ok(&["import", data(name).to_str().unwrap()])
}

/// The shipped international results hold two rows of one match that
/// disagree (lines 9643 and 9644): imported with the later one left out.
fn import_intl(env: &Env) -> String {
    let f = data("intl_results_1872_1974.csv");
    env.ok(&["import", f.to_str().unwrap(), "--skip-invalid"])
}

fn table(env: &Env, args: &[&str]) -> Vec<Value> {
    let mut a = vec!["standings", "--format", "json"];
    a.extend_from_slice(args);
    env.json(&a)["rows"].as_array().unwrap().clone()
}

/// A naive table: team -> (points, goals for, goals against, played), from (home, away, hg, ag).
fn naive(
    matches: &[(String, String, i64, i64)],
    win: i64,
) -> BTreeMap<String, (i64, i64, i64, i64)> {
    let mut t: BTreeMap<String, (i64, i64, i64, i64)> = BTreeMap::new();
    for (h, a, hg, ag) in matches {
        for (me, gf, ga) in [(h, hg, ag), (a, ag, hg)] {
            let e = t.entry(me.clone()).or_default();
            e.0 += if gf > ga {
                win
            } else if gf == ga {
                1
            } else {
                0
            };
            e.1 += gf;
            e.2 += ga;
            e.3 += 1;
        }
    }
    t
}

fn rows_map(rows: &[Value]) -> BTreeMap<String, (i64, i64, i64, i64)> {
    rows.iter()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().unwrap();
            (
                r["team"].as_str().unwrap().to_string(),
                (n("points"), n("goals_for"), n("goals_against"), n("played")),
            )
        })
        .collect()
}

#[test]
fn every_fixture_imports_with_the_right_counts() {
    for (file, format, results) in [
        ("ofjson_2024-25_en.1.json", "openfootball-json", 380),
        ("oftxt_2024-25_1-premierleague.txt", "openfootball-txt", 380),
        ("oftxt_2024-25_facup.txt", "openfootball-txt", 123),
        ("oftxt_2019-20_3-league1.txt", "openfootball-txt", 506),
        ("ofjson_2018_worldcup.json", "openfootball-json", 64),
        // Its final has no score yet: left out (and listed), not a 0-0.
        ("ofjson_2024-25_uefa.cl.json", "openfootball-json", 188),
        (
            "oftxt_1888-89_1-footballleague.txt",
            "openfootball-txt",
            132,
        ),
        ("intl_results_1872_1974.csv", "intl-results", 9698),
    ] {
        let env = Env::new();
        let import = |env: &Env, file: &str| match (format, file) {
            ("intl-results", _) => import_intl(env),
            (_, "ofjson_2024-25_uefa.cl.json") => {
                let f = data(file);
                env.ok(&["import", f.to_str().unwrap(), "--skip-invalid"])
            }
            _ => import(env, file),
        };
        let out = import(&env, file);
        assert!(
            out.contains(&format!("({format}): appended"))
                && out.contains(&format!(" {results} match_result")),
            "{file}: {out}"
        );
        env.ok(&["verify"]);
        let head = env.ok(&["head"]);
        let seq = head.split_whitespace().next().unwrap();
        let again = import(&env, file);
        assert!(
            again.contains(&format!("appended 0 events, {seq} already present")),
            "{file}: re-import: {again}"
        );
    }
}

/// A football.json match whose score cannot be read, or which has no
/// full-time score and no status (not played yet), or an unknown status, is
/// a bad row with its line: refused, or left out and listed with
/// `--skip-invalid`. It was stored as postponed 0-0, and its real result
/// could then be neither imported, recorded nor corrected.
#[test]
fn a_json_match_without_a_readable_score_is_a_bad_row_not_a_postponed_0_0() {
    let check = |m: &str, why: &str| {
        let env = Env::new();
        let text = format!(
            "{{\"name\": \"Mini League 2020/21\", \"matches\": [\n\
             {{\"round\": \"Matchday 1\", \"date\": \"2020-09-12\", \"team1\": \"A\", \"team2\": \"B\", \"score\": {{\"ft\": [2, 1]}}}},\n\
             {{\"round\": \"Matchday 1\", \"date\": \"2020-09-12\", \"team1\": \"C\", \"team2\": \"D\"{m}}}\n]}}"
        );
        let f = env.file("m.json", &text);
        let f = f.to_str().unwrap();
        let err = env.fails(2, &["import", f]);
        assert!(
            err.contains("m.json:3: ") && err.contains(why),
            "{m}: {err}"
        );
        assert!(!env.db().join("db").exists(), "{m}: nothing written");
        let out = env.run(&["import", f, "--skip-invalid"]);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert!(out.status.success(), "{m}: {stderr}");
        assert!(stdout.contains(" 1 match_result"), "{m}: {stdout}");
        assert!(
            stderr.contains("m.json:3: ") && stderr.contains(why),
            "{m}: {stderr}"
        );
        // The real result can still be recorded.
        env.ok(&[
            "record",
            "--competition",
            "Mini League",
            "--season",
            "2020-21",
            "--round",
            "1",
            "--date",
            "2020-09-12",
            "C",
            "3-1",
            "D",
            "--new-team",
        ]);
        let t = env.table(&[]);
        assert_eq!(t["C"]["points"], 3, "{m}: {t:?}");
    };
    for (m, why) in [
        (
            r#", "score": {"ft": [3, "1"]}"#,
            r#"score "ft" is [3,"1"], not two whole numbers"#,
        ),
        (r#", "score": {"ft": [-1, 0]}"#, r#"score "ft" is [-1,0]"#),
        (
            r#", "score": {"ft": [2, 2, 5]}"#,
            r#"score "ft" is [2,2,5]"#,
        ),
        (r#", "score": {"ft": [1.0, 0]}"#, r#"score "ft" is [1.0,0]"#),
        (
            r#", "score": {"ft": [3, 1], "ht": [1]}"#,
            r#"score "ht" is [1]"#,
        ),
        (
            r#", "score": {"ft": [3, 1], "p": "4-3"}"#,
            r#"score "p" is "4-3""#,
        ),
        (
            r#", "score": {"ft": [3, 1]}, "status": "weird""#,
            r#"status "weird" is none of"#,
        ),
        ("", "no full-time score"),
        (r#", "score": {}"#, "no full-time score"),
        (
            r#", "score": {"ft": [3, 1]}, "status": 5"#,
            r#""status" is 5, not text"#,
        ),
        (
            r#", "score": {"ft": [3, 1]}, "group": ["A"]"#,
            r#""group" is ["A"], not text"#,
        ),
    ] {
        check(m, why);
    }
}

/// A Football.TXT season that ran into July (2019/20): the July dates fall
/// in the year their weekday names, after the season's first matches, not
/// before them (they were put in 2019, and counted in any table of 2019).
#[test]
fn a_txt_season_that_ran_into_july_dates_july_by_its_weekdays() {
    let env = Env::new();
    let f = env.file(
        "t.txt",
        "= Test League 2019/20\nMatchday 1\n[Fri Aug/9]\n  Alpha 1-0 Beta\nMatchday 2\n[Wed Jul/1]\n  Beta 2-0 Alpha\n",
    );
    env.ok(&["import", f.to_str().unwrap()]);
    let results = env.ok(&["results", "--format", "csv"]);
    assert!(
        results.contains("2019-08-09")
            && results.contains("2020-07-01")
            && !results.contains("2019-07-01"),
        "{results}"
    );
    let t = env.table(&["--as-of", "2019-12-31"]);
    assert_eq!(t["Alpha"]["played"], 1, "{t:?}");
    // A weekday the date does not fall on in either year is refused.
    let bad = env.file(
        "bad.txt",
        "= Bad League 2019/20\nMatchday 1\n[Tue Jul/1]\n  Alpha 1-0 Beta\n",
    );
    let err = env.fails(2, &["import", bad.to_str().unwrap()]);
    assert!(
        err.contains("bad.txt:3: ") && err.contains("not a Tuesday"),
        "{err}"
    );
    // The real season, when the shared data is there: 19 matches each by the
    // end of 2019 (Liverpool 55 points), 38 at the end.
    let real = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/oftxt_2019-20_1-premierleague.txt");
    if real.exists() {
        let env = Env::new();
        env.ok(&["import", real.to_str().unwrap()]);
        let t = env.table(&["--as-of", "2019-12-31"]);
        let liverpool = t
            .iter()
            .find(|(k, _)| k.starts_with("Liverpool"))
            .unwrap()
            .1;
        assert_eq!(
            (liverpool["played"].as_i64(), liverpool["points"].as_i64()),
            (Some(19), Some(55))
        );
        let t = env.table(&[]);
        assert!(t.values().all(|r| r["played"] == 38), "{t:?}");
    }
}

/// An engsoccerdata row whose `FT` or `result` says another score or
/// outcome than its `hgoal` and `vgoal` is refused with its line (or left
/// out and listed); it was imported with `hgoal` and `vgoal`, silently.
#[test]
fn an_english_row_that_contradicts_itself_is_a_bad_row() {
    let check = |row: &str, why: Option<&str>| {
        let env = Env::new();
        let text = format!("{ENG_HEADER}2000-08-19,2000,Alpha,Beta,1-0,1,0,1,1,1,1,H\n{row}\n");
        let f = env.file("e.csv", &text);
        let f = f.to_str().unwrap();
        match why {
            None => {
                env.ok(&["import", f]);
                env.ok(&["verify"]);
            }
            Some(why) => {
                let err = env.fails(2, &["import", f]);
                assert!(
                    err.contains("e.csv:3: ") && err.contains(why),
                    "{row}: {err}"
                );
                let out = env.run(&["import", f, "--skip-invalid"]);
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(
                    out.status.success() && stderr.contains("e.csv:3: "),
                    "{row}: {stderr}"
                );
                assert!(
                    env.head().starts_with("2 "),
                    "{row}: one rules event, one result"
                );
            }
        }
    };
    for (row, why) in [
        (
            "2000-08-26,2000,Gamma,Delta,3-0,1,0,1,1,1,1,H",
            Some("FT '3-0' disagrees with hgoal and vgoal (1-0)"),
        ),
        (
            "2000-08-26,2000,Gamma,Delta,1-0,1,0,1,1,1,1,A",
            Some("result 'A' disagrees with the score 1-0 (H)"),
        ),
        (
            "2000-08-26,2000,Gamma,Delta,0-0,0,0,1,1,0,0,H",
            Some("result 'H' disagrees with the score 0-0 (D)"),
        ),
        (
            "2000-08-26,2000,Gamma,Delta,2,2,0,1,1,2,2,H",
            Some("FT '2' disagrees"),
        ),
        // Agreeing, or not given: kept. (totgoal and goaldif are not read.)
        ("2000-08-26,2000,Gamma,Delta,2-2,2,2,1,1,4,0,D", None),
        ("2000-08-26,2000,Gamma,Delta,NA,2,1,1,1,3,9,NA", None),
        ("2000-08-26,2000,Gamma,Delta,,0,3,1,1,3,-3,", None),
    ] {
        check(row, why);
    }
}

/// A file imported again after its matches were corrected, awarded or
/// annulled: its rows are held (as first recorded), and the import says
/// which no longer stand. It said only "already present", as if the file
/// agreed with the archive (found by a tester).
#[test]
fn an_import_says_which_rows_it_holds_were_changed_since() {
    let env = Env::new();
    let f = env.file(
        "e.csv",
        &format!(
            "{ENG_HEADER}2000-08-19,2000,Alpha,Beta,1-0,1,0,1,1,1,1,H\n\
             2000-08-26,2000,Gamma,Delta,2-0,2,0,1,1,2,2,H\n\
             2000-09-02,2000,Beta,Alpha,0-0,0,0,1,1,0,0,D\n\
             2000-09-09,2000,Delta,Gamma,1-1,1,1,1,1,2,0,D\n"
        ),
    );
    let f = f.to_str().unwrap();
    env.ok(&["import", f]);
    let id = |date: &str| {
        let r = env.ok(&["results", "--format", "csv"]);
        r.lines()
            .find(|l| l.contains(date))
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .to_string()
    };
    env.ok(&["correct", &id("2000-08-19"), "2-0", "--reason", "r"]);
    env.ok(&["annul", &id("2000-09-02"), "--reason", "r"]);
    // Corrected to what the file says: it stands.
    env.ok(&["correct", &id("2000-09-09"), "2-1", "--reason", "r"]);
    env.ok(&["correct", &id("2000-09-09"), "1-1", "--reason", "back"]);
    let out = env.ok(&["import", f]);
    assert!(
        out.contains("appended 0 events, 5 already present"),
        "{out}"
    );
    assert!(
        out.contains(&format!("2 results of the file are held as first recorded, but their matches were changed since (corrected, awarded or annulled): {f}:2, {f}:4;")),
        "{out}"
    );
}

/// A result dated outside its season's usual window is kept (a season can
/// run late) but said, with its line: it was appended silently, and only
/// `audit` found it (`record` refuses it without --allow-outside-season).
#[test]
fn an_import_says_which_results_are_dated_outside_their_season() {
    let env = Env::new();
    let f = env.file(
        "e.csv",
        &format!(
            "{ENG_HEADER}2000-08-19,2000,Alpha,Beta,1-0,1,0,1,1,1,1,H\n\
             2009-08-26,2000,Gamma,Delta,2-0,2,0,1,1,2,2,H\n\
             2001-05-05,2000,Beta,Alpha,0-0,0,0,1,1,0,0,D\n"
        ),
    );
    let out = env.ok(&["import", f.to_str().unwrap()]);
    assert!(
        out.contains(&format!("1 results were appended with a date outside their season (1 July to 31 August of the next year; a season of one year, to 31 January of the next): {}:3;", f.display())),
        "{out}"
    );
    let audit = env.run(&["audit"]);
    assert!(
        String::from_utf8_lossy(&audit.stdout).contains("date-outside-season"),
        "{audit:?}"
    );
    // Nothing said when nothing is outside, nor when nothing is appended.
    let again = env.ok(&["import", f.to_str().unwrap()]);
    assert!(!again.contains("outside their season"), "{again}");
    let env = Env::new();
    let out = import(&env, "oftxt_2024-25_1-premierleague.txt");
    assert!(!out.contains("outside their season"), "{out}");
    // The Euro 2020, played in 2021, is in its season (51 results were
    // said to be outside it, and `audit` listed them).
    let env = Env::new();
    let out = import(&env, "intl_results_worldcup_euro.csv");
    assert!(!out.contains("outside their season"), "{out}");
    let audit = env.run(&["audit"]);
    assert!(
        !String::from_utf8_lossy(&audit.stdout).contains("date-outside-season"),
        "{audit:?}"
    );
    // A qualification campaign is named by the calendar years it spans:
    // its matches of March or November are in it (159 of the 1872-1974
    // internationals were said to be outside their season).
    let env = Env::new();
    let out = import_intl(&env);
    let qualifiers = out
        .lines()
        .filter(|l| l.contains("outside their season"))
        .count();
    assert_eq!(qualifiers, 1, "{out}");
    assert!(
        out.contains("10 results were appended with a date outside"),
        "{out}"
    );
    let audit = env.run(&["audit", "--format", "json"]);
    let problems: Value = serde_json::from_slice(&audit.stdout).unwrap();
    for p in problems["problems"].as_array().unwrap() {
        if p["check"] == "date-outside-season" {
            assert!(
                !p["competition"]
                    .as_str()
                    .unwrap()
                    .ends_with("qualification"),
                "{p}"
            );
        }
    }
}

#[test]
fn one_season_from_json_and_txt_gives_the_same_true_table() {
    let (j, t) = (Env::new(), Env::new());
    import(&j, "ofjson_2024-25_en.1.json");
    import(&t, "oftxt_2024-25_1-premierleague.txt");
    let (jt, tt) = (table(&j, &[]), table(&t, &[]));
    assert_eq!(rows_map(&jt), rows_map(&tt));
    assert_eq!(jt[0]["team"], "Liverpool FC");
    // Against a naive computation straight from the JSON file.
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(data("ofjson_2024-25_en.1.json")).unwrap())
            .unwrap();
    let matches: Vec<(String, String, i64, i64)> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["team1"].as_str().unwrap().into(),
                m["team2"].as_str().unwrap().into(),
                m["score"]["ft"][0].as_i64().unwrap(),
                m["score"]["ft"][1].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows_map(&jt), naive(&matches, 3));
    // And as of a date in mid-season.
    let mid: Vec<_> = v["matches"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&matches)
        .filter(|(m, _)| m["date"].as_str().unwrap() <= "2024-12-31")
        .map(|(_, x)| x.clone())
        .collect();
    assert_eq!(
        rows_map(&table(&j, &["--as-of", "2024-12-31"])),
        naive(&mid, 3)
    );
}

#[test]
fn extra_time_penalties_and_cancelled_fixtures_are_kept_apart() {
    let env = Env::new();
    import(&env, "oftxt_2024-25_facup.txt");
    let csv = env.ok(&["export", "--format", "csv"]);
    let row = csv
        .lines()
        .find(|l| l.contains("Brackley Town") && l.contains("Braintree Town"))
        .unwrap();
    // 0-0 after 90 minutes counts; 0-0 a.e.t. and 5-4 on penalties are kept apart.
    assert!(row.contains(",0,0,played,0-0,,0-0,5-4,"), "{row}");
    let row = csv.lines().find(|l| l.contains("Hednesford Town")).unwrap();
    assert!(row.contains(",3,3,played,3-3,2-0,4-4,4-5,"), "{row}");
    let env = Env::new();
    import(&env, "oftxt_2019-20_3-league1.txt");
    let results = env.json(&["results", "--format", "json"]);
    let cancelled = results
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "cancelled")
        .count();
    assert!(cancelled > 100, "{cancelled}");
    let rows = table(&env, &[]);
    let played: i64 = rows.iter().map(|r| r["played"].as_i64().unwrap()).sum();
    assert_eq!(
        played as usize,
        2 * (506 - cancelled),
        "cancelled fixtures are not counted"
    );
}

#[test]
fn world_cup_groups_match_the_published_standings() {
    let env = Env::new();
    import(&env, "ofjson_2018_worldcup.json");
    let published: Value = serde_json::from_str(
        &std::fs::read_to_string(data("ofjson_2018_worldcup_standings.json")).unwrap(),
    )
    .unwrap();
    for group in published["groups"].as_array().unwrap() {
        let name = group["name"].as_str().unwrap();
        let ours = rows_map(&table(&env, &["--stage", name]));
        for s in group["standings"].as_array().unwrap() {
            let team = s["team"]["name"].as_str().unwrap();
            let n = |k: &str| s[k].as_i64().unwrap();
            assert_eq!(
                ours[team],
                (n("pts"), n("goals_for"), n("goals_against"), n("played")),
                "{name} {team}"
            );
        }
    }
    // Group H: Japan and Senegal level on everything but fair-play points,
    // which the rules catalogue holds (Japan -4, Senegal -6).
    let h = table(&env, &["--stage", "Group H"]);
    let row = |t: &str| h.iter().find(|r| r["team"] == t).unwrap().clone();
    assert_eq!(
        (row("Japan")["pos"].clone(), row("Senegal")["pos"].clone()),
        (2.into(), 3.into())
    );
    assert_eq!(row("Senegal")["decided_by"], "fair-play");
}

#[test]
fn the_shipped_international_file_is_refused_for_its_contradicting_rows_and_imports_without_the_later(
) {
    let env = Env::new();
    let f = data("intl_results_1872_1974.csv");
    let err = env.fails(2, &["import", f.to_str().unwrap()]);
    let said = "intl_results_1872_1974.csv:9644: 1974-02-17 Tahiti v New Caledonia is 1-2 here but 2-1 at line 9643";
    assert!(err.contains(said), "{err}");
    assert!(!env.db().exists());
    let out = env.run(&["import", f.to_str().unwrap(), "--skip-invalid"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("9698 match_result), 0 already present, skipped 1 invalid row\n")
            && stdout.contains("left out (why on stderr): ")
            && stdout.contains("intl_results_1872_1974.csv:9644\n")
            && stderr.contains(said),
        "{stdout}\n{stderr}"
    );
    let r = env.json(&[
        "results",
        "--competition",
        "Friendly",
        "--season",
        "1974",
        "--team",
        "Tahiti",
        "--format",
        "json",
    ]);
    let on_the_day: Vec<&Value> = r
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["date"] == "1974-02-17")
        .collect();
    assert_eq!(on_the_day.len(), 1);
    assert_eq!(
        on_the_day[0]["recorded_score"], "2-1",
        "the first row is kept"
    );
    let csv = env.ok(&["export", "--format", "csv"]);
    assert!(csv.lines().next().unwrap().ends_with(",neutral,seq"));
    assert!(
        csv.lines().any(|l| l.contains(",true,")),
        "neutral venues are kept"
    );
}

#[test]
fn export_then_import_reproduces_the_head_hash() {
    let env = Env::new();
    env.import_seed();
    import(&env, "oftxt_1888-89_1-footballleague.txt");
    let id = env.match_id(1, "Alianza Atlético");
    env.ok_at(
        "2026-12-01T09:00:00Z",
        &["correct", &id, "2-2", "--reason", "typo"],
    );
    env.ok_at(
        "2026-12-02T09:00:00Z",
        &[
            "adjust",
            "--competition",
            "Copa Perú",
            "--season",
            "1984",
            "--team",
            "Bella Esperanza",
            "--points",
            "-2",
            "--date",
            "1984-12-10",
            "--reason",
            "fee",
        ],
    );
    let jsonl = env.file("archive.jsonl", "");
    env.ok(&[
        "export",
        "--format",
        "jsonl",
        "--output",
        jsonl.to_str().unwrap(),
    ]);
    let copy = Env::new();
    let out = copy.ok(&["import", jsonl.to_str().unwrap()]);
    assert!(out.contains("(jsonl)"), "{out}");
    assert_eq!(copy.head(), env.head());
    assert_eq!(
        copy.ok(&[
            "standings",
            "--competition",
            "Copa Perú",
            "--format",
            "json"
        ]),
        env.ok(&[
            "standings",
            "--competition",
            "Copa Perú",
            "--format",
            "json"
        ])
    );
    copy.ok(&["verify"]);
    // An edited export is refused at its line.
    let text = std::fs::read_to_string(&jsonl).unwrap().replacen(
        "\"home_goals\":3",
        "\"home_goals\":4",
        1,
    );
    let bad = copy.file("edited.jsonl", &text);
    let other = Env::new();
    let err = other.fails(2, &["import", bad.to_str().unwrap()]);
    assert!(
        err.contains("edited.jsonl:") && err.contains("does not hash"),
        "{err}"
    );
}

#[test]
fn the_1888_89_txt_season_under_two_points_for_a_win() {
    let env = Env::new();
    env.ok(&[
        "rules",
        "--competition",
        "English Football League",
        "--season",
        "1888-89",
        "--points-for-win",
        "2",
        "--tiebreak",
        "points,goal-average",
    ]);
    import(&env, "oftxt_1888-89_1-footballleague.txt");
    let t = table(&env, &[]);
    assert_eq!(
        (t[0]["team"].as_str(), t[0]["points"].as_i64()),
        (Some("Preston North End FC"), Some(40))
    );
}

/// The English league file is GPL and is read from ../shared/data when it is there.
fn english() -> Option<String> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/eng_league_1888_2024.csv");
    match std::fs::read_to_string(&p) {
        Ok(t) => Some(t),
        Err(_) => {
            eprintln!(
                "note: {} is absent; the engsoccerdata checks did not run",
                p.display()
            );
            None
        }
    }
}

#[test]
fn english_tables_match_an_independent_computation_in_both_eras() {
    let Some(all) = english() else { return };
    let mut lines = all.lines();
    let header = lines.next().unwrap();
    let seasons = ["1888", "1926", "1975", "1976", "1980", "1981", "2023"];
    let rows: Vec<&str> = lines
        .filter(|l| seasons.iter().any(|s| l.split(',').nth(1) == Some(*s)))
        .collect();
    let env = Env::new();
    let subset = env.file("eng.csv", &format!("{header}\n{}\n", rows.join("\n")));
    let out = env.ok(&["import", subset.to_str().unwrap()]);
    assert!(
        out.contains("(engsoccerdata)") && out.contains(&format!("{} match_result", rows.len())),
        "{out}"
    );
    // 1888-89: Preston North End 40 points.
    let t = table(&env, &["--season", "1888-89", "--stage", "Division 1"]);
    assert_eq!(
        (t[0]["team"].as_str(), t[0]["points"].as_i64()),
        (Some("Preston North End"), Some(40))
    );
    // 1926-27 Division 2: Portsmouth above Manchester City on goal average (87/49 > 108/61), level on 54.
    let t = table(&env, &["--season", "1926-27", "--stage", "Division 2"]);
    let pos = |t: &[Value], team: &str| {
        t.iter().find(|r| r["team"] == team).unwrap()["pos"]
            .as_i64()
            .unwrap()
    };
    assert!(pos(&t, "Portsmouth") < pos(&t, "Manchester City"));
    // Every season and division here, at the end and at the turn of the year, against a naive
    // computation with the era's rules: points, then goal average (to 1975-76) or goal difference and goals.
    for season in seasons {
        let start: i32 = season.parse().unwrap();
        for div in ["1", "2", "3", "3N", "3S", "4"] {
            let games: Vec<(String, String, String, i64, i64)> = rows
                .iter()
                .map(|l| l.split(',').collect::<Vec<_>>())
                .filter(|f| f[1] == season && f[7] == div)
                .map(|f| {
                    (
                        f[0].to_string(),
                        f[2].to_string(),
                        f[3].to_string(),
                        f[5].parse().unwrap(),
                        f[6].parse().unwrap(),
                    )
                })
                .collect();
            if games.is_empty() {
                continue;
            }
            let label = format!("{start}-{:02}", (start + 1) % 100);
            for as_of in [None, Some(format!("{}-12-31", start))] {
                let played: Vec<(String, String, i64, i64)> = games
                    .iter()
                    .filter(|g| as_of.as_ref().is_none_or(|d| g.0.as_str() <= d.as_str()))
                    .map(|g| (g.1.clone(), g.2.clone(), g.3, g.4))
                    .collect();
                let win = if start <= 1980 { 2 } else { 3 };
                let want = naive(&played, win);
                let stage = format!("Division {div}");
                let mut args = vec!["--season", label.as_str(), "--stage", stage.as_str()];
                if let Some(d) = &as_of {
                    args.extend(["--as-of", d.as_str()]);
                }
                let got = table(&env, &args);
                assert_eq!(rows_map(&got), want, "{label} {stage} {as_of:?}");
                // Order: every row is at least as good as the next under the era's rule.
                for w in got.windows(2) {
                    let k = |r: &Value| {
                        (
                            r["points"].as_i64().unwrap(),
                            r["goals_for"].as_i64().unwrap(),
                            r["goals_against"].as_i64().unwrap(),
                        )
                    };
                    let ((p1, f1, a1), (p2, f2, a2)) = (k(&w[0]), k(&w[1]));
                    assert!(p1 >= p2, "{label} {stage}: points order");
                    if p1 == p2 {
                        if start <= 1975 {
                            // goal average, 0/0 as 1 and x/0 as infinite
                            let avg = |f: i64, a: i64| {
                                if a == 0 {
                                    if f == 0 {
                                        1.0
                                    } else {
                                        f64::INFINITY
                                    }
                                } else {
                                    f as f64 / a as f64
                                }
                            };
                            assert!(
                                avg(f1, a1) >= avg(f2, a2),
                                "{label} {stage}: goal average order"
                            );
                        } else {
                            assert!(
                                (f1 - a1, f1) >= (f2 - a2, f2),
                                "{label} {stage}: goal difference order"
                            );
                        }
                    }
                }
            }
        }
    }
    // Deductions, after the results they apply to: Rotherham 2014-15 lost 3 points.
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/eng_deductions.csv");
    let ded = std::fs::read_to_string(p).unwrap();
    let only: Vec<&str> = ded
        .lines()
        .filter(|l| l.starts_with("\"Season\"") || l.starts_with("2023") || l.starts_with("1926"))
        .collect();
    let f = env.file("ded.csv", &(only.join("\n") + "\n"));
    env.ok(&["import", f.to_str().unwrap()]);
    env.ok(&["verify"]);
}

/// One small file per importer whose rows at `first` and `second` are one
/// match: `(name, text, first, second)`. `score` is the second row's score
/// (`"2-1"` repeats the first row's).
fn one_match_twice(score: &str) -> Vec<(&'static str, String, usize, usize)> {
    let (h, a) = score.split_once('-').unwrap();
    let eng = common::ENG_HEADER;
    let page = common::SEED.replacen(
        "Alianza Atlético 3-2 Universitario de Tacna\n",
        &format!(
            "Alianza Atlético 3-2 Universitario de Tacna\nAlianza Atlético {h}-{a} Universitario de Tacna\n"
        ),
        1,
    );
    let page = page.replacen("3-2 Universitario", "2-1 Universitario", 1);
    let first = common::SEED
        .lines()
        .position(|l| l == "Alianza Atlético 3-2 Universitario de Tacna")
        .unwrap()
        + 1;
    vec![
        (
            "eng.csv",
            format!(
                "{eng}1888-09-08,1888,Bolton Wanderers,Derby County,2-1,2,1,1,1,3,1,H\n\
                 1888-09-08,1888,Everton,Accrington,1-1,1,1,1,1,2,0,D\n\
                 1888-09-08,1888,Bolton Wanderers,Derby County,{h}-{a},{h},{a},1,1,3,1,\n"
            ),
            2,
            4,
        ),
        // The English reader holds one season at a time: here the season
        // comes back after another, so the file is read again whole.
        (
            "eng-back.csv",
            format!(
                "{eng}1888-09-08,1888,Bolton Wanderers,Derby County,2-1,2,1,1,1,3,1,H\n\
                 1889-09-07,1889,Everton,Accrington,1-1,1,1,1,1,2,0,D\n\
                 1888-09-08,1888,Bolton Wanderers,Derby County,{h}-{a},{h},{a},1,1,3,1,\n"
            ),
            2,
            4,
        ),
        (
            "intl.csv",
            format!(
                "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral\n\
                 1974-02-17,Tahiti,New Caledonia,2,1,Friendly,Papeete,Tahiti,FALSE\n\
                 1974-02-17,Tahiti,New Caledonia,{h},{a},Friendly,Papeete,Tahiti,FALSE\n"
            ),
            2,
            3,
        ),
        (
            "fd.csv",
            format!(
                "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\n\
                 E0,09/08/2019,Liverpool,Norwich,2,1\n\
                 E0,10/08/2019,West Ham,Man City,0,5\n\
                 E0,09/08/2019,Liverpool,Norwich,{h},{a}\n"
            ),
            2,
            4,
        ),
        (
            "of.json",
            format!(
                "{{\"name\": \"English Premier League 2024/25\", \"matches\": [\n\
                 {{\"round\": \"Matchday 1\", \"date\": \"2024-08-16\", \"team1\": \"Man United\", \"team2\": \"Fulham\", \"score\": {{\"ft\": [2, 1]}}}},\n\
                 {{\"round\": \"Matchday 1\", \"date\": \"2024-08-16\", \"team1\": \"Man United\", \"team2\": \"Fulham\", \"score\": {{\"ft\": [{h}, {a}]}}}}\n\
                 ]}}\n"
            ),
            2,
            3,
        ),
        (
            "of.txt",
            format!(
                "= English Premier League 2019/20\n\nMatchday 1\n[Fri Aug/9]\n  \
                 Liverpool FC  2-1  Norwich City\n  \
                 West Ham United  0-5  Manchester City\n  \
                 Liverpool FC  {h}-{a}  Norwich City\n"
            ),
            5,
            7,
        ),
        ("page.txt", page, first, first + 1),
    ]
}

#[test]
fn a_row_that_contradicts_an_earlier_row_of_its_match_is_refused_in_every_format() {
    for (name, text, first, second) in one_match_twice("1-2") {
        let env = Env::new();
        let f = env.file(name, &text);
        let err = env.fails(2, &["import", f.to_str().unwrap()]);
        let at = format!("{}:{second}:", f.display());
        assert!(
            err.contains(&at)
                && err.contains(&format!("line {first}"))
                && err.contains("1-2")
                && err.contains("2-1"),
            "{name}: {err}"
        );
        assert!(!env.db().exists(), "{name}: nothing is written");
    }
}

#[test]
fn a_row_that_repeats_an_earlier_row_is_appended_once_in_every_format() {
    for (name, text, _, second) in one_match_twice("2-1") {
        let env = Env::new();
        let f = env.file(name, &text);
        let out = env.ok(&["import", f.to_str().unwrap()]);
        assert!(
            out.contains("1 rows repeat an earlier row of the file and were appended once")
                && out.contains(&format!("{}:{second}", f.display()))
                && out.contains(", 0 already present"),
            "{name}: {out}"
        );
        env.ok(&["verify"]);
    }
}

/// The shoot-outs of the shipped period, each as (date, home, away, winner).
fn shootout_rows() -> Vec<(String, String, String, String)> {
    std::fs::read_to_string(data("intl_shootouts_1872_1974.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].into(), f[1].into(), f[2].into(), f[3].into())
        })
        .collect()
}

/// Every table (rules and rows) of every season that holds one of `rows`' matches.
fn tables_of_seasons(env: &Env, matches: &[Value]) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let mut seasons: Vec<(String, String)> = matches
        .iter()
        .map(|m| {
            let s = |k: &str| m[k].as_str().unwrap().to_string();
            (s("competition"), s("season"))
        })
        .collect();
    seasons.dedup();
    for (c, s) in seasons {
        let stages = env.json(&[
            "list",
            "stages",
            "--competition",
            &c,
            "--season",
            &s,
            "--format",
            "json",
        ]);
        for st in stages.as_array().unwrap() {
            let st = st["stage"].as_str().unwrap();
            let v = env.json(&[
                "standings",
                "--competition",
                &c,
                "--season",
                &s,
                "--stage",
                st,
                "--format",
                "json",
            ]);
            let kept = [&v["rules"], &v["rows"], &v["league_table"]];
            out.insert(format!("{c} {s} {st}"), serde_json::json!(kept));
        }
    }
    out
}

#[test]
fn shootouts_are_held_on_the_matches_they_decided_and_change_no_table() {
    let env = Env::new();
    let file = data("intl_shootouts_1872_1974.csv");
    let file = file.to_str().unwrap();
    // Before the results: nothing to join.
    let err = env.fails(2, &["import", file]);
    assert!(
        err.contains(":2: no match 1967-08-22 India v Taiwan"),
        "{err}"
    );
    import_intl(&env);
    let rows = shootout_rows();
    let all = env.json(&["results", "--format", "json"]);
    let decided: Vec<Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            rows.iter().any(|(d, h, a, _)| {
                m["date"] == d.as_str() && m["home"] == h.as_str() && m["away"] == a.as_str()
            })
        })
        .cloned()
        .collect();
    assert_eq!(decided.len(), 16, "every row of the period joins one match");
    let before = tables_of_seasons(&env, &decided);
    let head = env.head();
    // The file's one row that joins no match (2011: the match was on
    // 2011-06-26, Åland Islands at home) refuses the file, with its line.
    let err = env.fails(2, &["import", file]);
    assert!(
        err.contains("intl_shootouts_1872_1974.csv:18: no match 2011-06-29 Saare County v Åland Islands in the archive"),
        "{err}"
    );
    assert_eq!(env.head(), head, "nothing written");
    let out = env.ok(&["import", file, "--skip-invalid"]);
    assert!(
        out.contains("appended 16 events (16 shootout_decided)"),
        "{out}"
    );
    assert_eq!(
        tables_of_seasons(&env, &decided),
        before,
        "no table changes"
    );
    let again = env.ok(&["import", file, "--skip-invalid"]);
    assert!(
        again.contains("appended 0 events, 16 already present"),
        "{again}"
    );
    // Every match shows its winner; a second leg won 1-0 by Senegal was
    // decided on penalties for Ghana (the tie).
    let after = env.json(&["results", "--format", "json"]);
    for (d, h, a, w) in &rows[..16] {
        let m = after
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["date"] == d.as_str() && m["home"] == h.as_str() && m["away"] == a.as_str())
            .unwrap();
        assert_eq!(m["shootout_winner"], w.as_str(), "{d} {h} v {a}");
        assert_eq!(m["status"], "played");
    }
    // The CSV export carries the winners too (its rows had no column for them).
    let csv = env.ok(&["export", "--format", "csv"]);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    for (d, h, a, w) in &rows[..16] {
        let row: Vec<&str> = csv
            .lines()
            .map(|l| l.split(',').collect::<Vec<_>>())
            .find(|r| r[col("date")] == d && r[col("home")] == h && r[col("away")] == a)
            .unwrap();
        assert_eq!(row[col("shootout_winner")], w, "{d} {h} v {a}");
    }
    let args = [
        "results",
        "--competition",
        "African Cup of Nations qualification",
        "--season",
        "1973",
        "--team",
        "Senegal",
    ];
    let table = env.ok(&args);
    assert!(
        table.contains("Senegal  1-0 (pens: Ghana)  Ghana"),
        "{table}"
    );
    let json = env.json(&[&args[..], &["--format", "json"]].concat());
    let leg = json
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["date"] == "1973-04-21")
        .unwrap();
    assert_eq!(leg["shootout_winner"], "Ghana");
    assert_eq!(
        (leg["home_goals"].as_i64(), leg["away_goals"].as_i64()),
        (Some(1), Some(0))
    );
    let id = leg["id"].as_str().unwrap();
    let history = env.ok(&["history", id]);
    assert!(
        history.contains("Senegal v Ghana (played, won on penalties by Ghana)"),
        "{history}"
    );
    assert!(history.contains("shoot-out won by Ghana"), "{history}");
    assert!(
        history.contains("[source: martj42/international_results shootouts.csv]"),
        "{history}"
    );
    let h = env.json(&["history", id, "--format", "json"]);
    assert_eq!(h["shootout_winner"], "Ghana");
    assert_eq!(h["events"][1]["kind"], "shootout_decided");
    // A shoot-out the archive contradicts is refused, naming what it holds.
    let other = env.file(
        "other.csv",
        "date,home_team,away_team,winner,first_shooter\n1973-04-21,Senegal,Ghana,Senegal,Ghana\n",
    );
    let err = env.fails(2, &["import", other.to_str().unwrap()]);
    assert!(
        err.contains(":2: match ") && err.contains("holds a shoot-out won by Ghana"),
        "{err}"
    );
    env.ok(&["verify"]);
}

/// An English league file is read from the file itself, twice, and never
/// held whole in memory (the 10-million-result file is 517 MB): the plan
/// leaves the text it would fill empty, and appends what the text would.
#[test]
fn an_english_league_file_is_imported_without_holding_its_text() {
    use scoreledger::import::plan::{Plan, Request};
    let env = Env::new();
    let rows = "1888-09-08,1888,Bolton Wanderers,Derby County,3-6,3,6,1,1,9,-3,A\n\
                1888-09-08,1888,Everton,Accrington,2-1,2,1,1,1,3,1,H\n";
    let f = env.file("eng.csv", &format!("\u{feff}{ENG_HEADER}{rows}"));
    let req = Request {
        batch: 1000,
        ..Request::default()
    };
    let mut archive = scoreledger::Archive::open(&env.db()).unwrap();
    let now = scoreledger::Timestamp::parse_rfc3339("2026-11-28T10:00:00Z").unwrap();
    let mut text = None;
    let done = Plan::of_file(&f, req.clone(), &mut text)
        .and_then(|plan| plan.apply(&mut archive, now, &mut |_, _| true))
        .unwrap();
    assert!(text.is_none(), "the file was read into memory");
    // The same file as a text in memory gives the same events.
    let other = Env::new();
    let text = std::fs::read_to_string(&f).unwrap();
    let mut b = scoreledger::Archive::open(&other.db()).unwrap();
    Plan::new(&text, Some(&f), req)
        .unwrap()
        .apply(&mut b, now, &mut |_, _| true)
        .unwrap();
    assert_eq!(archive.head().unwrap().hash, b.head().unwrap().hash);
    assert!(done.appended_total() >= 2, "{}", done.appended_total());
}

/// The two readings of an English file are of one file: one that changes
/// between them is refused before anything is written.
#[test]
fn an_english_file_that_changes_between_its_readings_is_refused() {
    use scoreledger::import::tabular::{engsoccerdata_stream, EngInput};
    use scoreledger::import::Invalid;
    let env = Env::new();
    let row = "1888-09-08,1888,Everton,Accrington,2-1,2,1,1,1,3,1,H\n";
    let f = env.file("eng.csv", &format!("{ENG_HEADER}{row}"));
    let input = EngInput::file(&f).unwrap();
    std::fs::write(&f, format!("{ENG_HEADER}{row}{row}")).unwrap();
    let err = engsoccerdata_stream(input, Invalid::Refuse)
        .err()
        .expect("refused");
    assert!(err.to_string().contains("the file changed"), "{err}");
}

/// An English league file of `n` results, each a fixture of its own: a
/// season of 250 days a year from 1900-01, 40 clubs.
fn english_rows(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let start = 1900 + (i / 250) as i32;
            let day = time::Date::from_calendar_date(start, time::Month::August, 1).unwrap()
                + time::Duration::days((i % 250) as i64);
            let (home, away) = (i % 40, (i % 40 + 1 + i / 40 % 39) % 40);
            let (h, a) = (i % 4, i % 3);
            format!(
                "{day},{start},Club {home},Club {away},{h}-{a},{h},{a},1,1,{},{},{}",
                h + a,
                h as i64 - a as i64,
                outcome(h, a)
            )
        })
        .collect()
}

/// engsoccerdata's `result` of a score.
fn outcome(h: usize, a: usize) -> &'static str {
    match h.cmp(&a) {
        std::cmp::Ordering::Greater => "H",
        std::cmp::Ordering::Less => "A",
        std::cmp::Ordering::Equal => "D",
    }
}

#[test]
fn a_large_english_file_is_checked_in_file_order() {
    // More rows than several batches of the first reading's parsers (1,024
    // each, dealt in turn), with a row repeating one of another batch.
    let rows = english_rows(5000);
    let (first, later) = (100, 4600);
    let file = |repeat: &str| {
        let mut rows = rows.clone();
        rows.insert(later, repeat.to_string());
        format!("{ENG_HEADER}{}\n", rows.join("\n"))
    };
    let same = rows[first].clone();
    let env = Env::new();
    let f = env.file("same.csv", &file(&same));
    let out = env.ok(&["import", f.to_str().unwrap()]);
    // Lines: the header is line 1, row i is line i + 2.
    assert!(
        out.contains("1 rows repeat an earlier row of the file and were appended once")
            && out.contains(&format!("{}:{}", f.display(), later + 2))
            && out.contains("5000 match_result"),
        "{out}"
    );
    let fields: Vec<&str> = same.split(',').collect();
    let (h, a): (u16, u16) = (fields[5].parse().unwrap(), fields[6].parse().unwrap());
    let other = [
        fields[..4].join(","),
        format!("{}-{}", h + 1, a),
        (h + 1).to_string(),
        fields[6..11].join(","),
        outcome(h as usize + 1, a as usize).to_string(),
    ]
    .join(",");
    let env = Env::new();
    let f = env.file("other.csv", &file(&other));
    let err = env.fails(2, &["import", f.to_str().unwrap()]);
    assert!(
        err.contains(&format!("{}:{}:", f.display(), later + 2))
            && err.contains(&format!("line {}", first + 2)),
        "{err}"
    );
    assert!(!env.db().exists(), "nothing is written");
}

/// Lines as openfootball's World Cup files write them, each with its match
/// number, date and kick-off time before the teams: the date is the line's,
/// and none of it is a team's name (found by a tester: "(51) Sun Jul/1
/// 17:00 Spain" was a team, dated by the date line before). A file of the
/// 2018 knockout matches alone is not refused for the catalogue's fair-play
/// points of Group H (Japan was an unknown team).
#[test]
fn a_txt_line_with_its_own_number_date_and_time_is_read_whole() {
    let env = Env::new();
    let text = "= World Cup 2018\n\n» Round of 16\n[Sat Jun/30]\n(49) Sat Jun/30 21:00   Uruguay   2-1 (1-0)   Portugal   @ Fisht Stadium, Sochi (UTC+3)\n(51) Sun Jul/1  17:00   Spain   3-4 pen. 1-1 a.e.t. (1-1, 0-0)   Russia   @ Luzhniki Stadium, Moscow (UTC+3)\n";
    let file = env.file("cup.txt", text);
    env.ok(&["import", file.to_str().unwrap()]);
    let results = env.json(&["results", "--format", "json"]);
    let got: Vec<String> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            format!(
                "{} {} {}-{} {}",
                m["date"].as_str().unwrap(),
                m["home"].as_str().unwrap(),
                m["home_goals"],
                m["away_goals"],
                m["away"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "2018-06-30 Uruguay 2-1 Portugal",
            "2018-07-01 Spain 1-1 Russia",
        ],
        "{results}"
    );
    // A wrong weekday on such a line is refused as on a date line.
    let bad = env.file("bad.txt", &text.replace("(51) Sun Jul/1", "(51) Tue Jul/1"));
    let err = Env::new().fails(2, &["import", bad.to_str().unwrap()]);
    assert!(
        err.contains("bad.txt:6:") && err.contains("not a Tuesday"),
        "{err}"
    );
}

/// Older-style TXT lines with extra time, a shoot-out and a venue: the
/// notes are not taken into the away team's name, and the shoot-out is not
/// the score (found by a tester: "a.e.t. (1-1, 0-0) Chelsea FC" was a team,
/// and Leeds' 3-4 on penalties a 3-4 defeat).
#[test]
fn a_txt_line_with_extra_time_penalties_or_a_venue_keeps_its_teams_names() {
    let env = Env::new();
    let text = "= English FA Cup 2024/25\n\n» Round 3\n  Sat Jan/11 2025\n    17:00  Arsenal FC  2-1 a.e.t. (1-1, 0-0)  Chelsea FC\n    15.00  Leeds United FC  3-4 pen. 1-1 a.e.t. (1-1, 0-0)  Hull City FC  @ Elland Road, Leeds\n           Aston Villa FC  v  West Ham FC  2-1 (1-0)  @ Villa Park\n";
    let file = env.file("cup.txt", text);
    env.ok(&["import", file.to_str().unwrap()]);
    let teams = env.json(&["list", "teams", "--format", "json"]);
    let mut names: Vec<&str> = teams
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["team"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Arsenal FC",
            "Aston Villa FC",
            "Chelsea FC",
            "Hull City FC",
            "Leeds United FC",
            "West Ham FC"
        ],
        "{teams}"
    );
    let results = env.json(&["results", "--format", "json"]);
    let leeds = results
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["home"] == "Leeds United FC")
        .unwrap()
        .clone();
    assert_eq!(
        (leeds["home_goals"].as_i64(), leeds["away_goals"].as_i64()),
        (Some(1), Some(1)),
        "{leeds}"
    );
}

/// A result of a later round dated before its stage's first round was
/// played (openfootball's 2019-20 Premier League JSON dates the matches of
/// July 2020 in July 2019) is kept, said by the import with its line, and
/// listed by `audit`; imported after the same season's TXT, its 66 rows
/// were appended again as new matches without a word (found by a tester).
#[test]
fn a_result_dated_before_its_stages_first_round_is_said_and_audited() {
    let env = Env::new();
    let text = "{\"name\": \"Mini League 2019/20\", \"matches\": [\n\
        {\"round\": \"Matchday 1\", \"date\": \"2019-08-09\", \"team1\": \"A\", \"team2\": \"B\", \"score\": {\"ft\": [2, 1]}},\n\
        {\"round\": \"Matchday 1\", \"date\": \"2019-08-10\", \"team1\": \"C\", \"team2\": \"D\", \"score\": {\"ft\": [0, 0]}},\n\
        {\"round\": \"Matchday 2\", \"date\": \"2019-08-17\", \"team1\": \"B\", \"team2\": \"C\", \"score\": {\"ft\": [1, 1]}},\n\
        {\"round\": \"Matchday 30\", \"date\": \"2019-07-04\", \"team1\": \"D\", \"team2\": \"A\", \"score\": {\"ft\": [3, 0]}}\n]}";
    let f = env.file("m.json", text);
    let out = env.ok(&["import", f.to_str().unwrap()]);
    assert!(
        out.contains(&format!(
            "1 results were appended dated before their stage's first round was played: {}:5;",
            f.display()
        )),
        "{out}"
    );
    let audit = env.run(&["audit", "--format", "json"]);
    let problems: Value = serde_json::from_slice(&audit.stdout).unwrap();
    let early: Vec<&Value> = problems["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["check"] == "before-first-round")
        .collect();
    assert_eq!(early.len(), 1, "{problems}");
    assert!(
        early[0]["message"].as_str().unwrap().contains("2019-07-04"),
        "{problems}"
    );
    // In whatever order the file runs: here the misdated row comes first.
    let env = Env::new();
    let lines: Vec<&str> = text.lines().collect();
    let sorted = format!(
        "{}\n{},\n{}\n{}\n{}\n{}",
        lines[0],
        lines[4],
        lines[1],
        lines[2],
        lines[3].trim_end_matches(','),
        lines[5]
    );
    let f = env.file("sorted.json", &sorted);
    let out = env.ok(&["import", f.to_str().unwrap()]);
    assert!(
        out.contains(&format!(
            "1 results were appended dated before their stage's first round was played: {}:2;",
            f.display()
        )),
        "{sorted}\n{out}"
    );
    // A file without rounds, or in order, says nothing.
    let env = Env::new();
    let out = import(&env, "ofjson_2024-25_en.1.json");
    assert!(!out.contains("first round"), "{out}");
}

/// football-data.co.uk files: a season is the run of a division's dates
/// that its summer break ends, not July to June (the 2019-20 season's
/// restart in July 2020 was filed in 2020-21); a result letter (`FTR`)
/// that contradicts the goals is a bad row, as in the English league file;
/// empty trailing header columns are no columns; and a division the
/// catalogue names after its later name gets the rules of its time
/// (found by a tester).
#[test]
fn football_data_files_keep_their_seasons_results_and_rules() {
    let env = Env::new();
    let f = env.file(
        "E0.csv",
        "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR,,\n\
         E0,09/08/2019,Liverpool,Norwich,4,1,H,,\n\
         E0,09/03/2020,Leicester,Aston Villa,4,0,H,,\n\
         E0,17/06/2020,Man City,Arsenal,3,0,H,,\n\
         E0,01/07/2020,Man City,Liverpool,4,0,H,,\n\
         E0,26/07/2020,Arsenal,Watford,3,2,H,,\n\
         E0,12/09/2020,Fulham,Arsenal,0,3,A,,\n",
    );
    let out = env.ok(&["import", f.to_str().unwrap()]);
    assert!(!out.contains("outside their season"), "{out}");
    let seasons = env.json(&["list", "seasons", "--format", "json"]);
    let got: Vec<(String, u64)> = seasons
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["season"].as_str().unwrap().to_string(),
                s["matches"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("2019-20".to_string(), 5), ("2020-21".to_string(), 1)],
        "{seasons}"
    );
    // A result letter against the goals.
    let bad = Env::new();
    let f = bad.file(
        "bad.csv",
        "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,FTR\nE0,16/08/2024,Man United,Fulham,1,0,A\n",
    );
    let err = bad.fails(2, &["import", f.to_str().unwrap()]);
    assert!(
        err.contains("bad.csv:2:") && err.contains("result 'A' disagrees with the score 1-0"),
        "{err}"
    );
    // E1 in 1996-97 (then Division One): 3 points, goals scored first.
    let env = Env::new();
    let f = env.file(
        "E1.csv",
        "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\n\
         E1,17/08/1996,Alpha,Gamma,5,4\n\
         E1,24/08/1996,Beta,Gamma,2,0\n",
    );
    env.ok(&["import", f.to_str().unwrap()]);
    let t = env.json(&["standings", "--format", "json"]);
    assert_eq!(t["rules"]["points_for_win"], 3, "{t}");
    assert_eq!(t["rows"][0]["team"], "Alpha", "goals scored first: {t}");
}

/// A season page's groups are tables of their own (found by a tester: two
/// groups were ranked as one table of eight), and a note beside a team's
/// name is refused with its line, not taken into the name (`Melgar
/// (abandoned)` was a team, its match counted as played).
#[test]
fn a_season_pages_groups_are_tables_of_their_own() {
    let env = Env::new();
    let page = "= 2001 Test Cup =\n\nInfobox\n- Competition: Test Cup\n- Season: 2001\n- Points for a win: 3\n\n\
                ==National stage==\n=== Group A ===\n2 June 2001\nAlpha 1-0 Beta\nGamma 0-0 Delta\n\
                === Group B ===\n3 June 2001\nEps 2-0 Zeta\nEta 1-1 Theta\n";
    let f = env.file("cup.txt", page);
    env.ok(&["import", f.to_str().unwrap()]);
    let stages = env.json(&["list", "stages", "--format", "json"]);
    let names: Vec<&str> = stages
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Group A", "Group B"], "{stages}");
    let a = env.json(&["standings", "--stage", "Group A", "--format", "json"]);
    assert_eq!(a["rows"].as_array().unwrap().len(), 4, "{a}");
    let bad = Env::new();
    let f = bad.file(
        "bad.txt",
        &page.replace("Eta 1-1 Theta", "Eta 1-1 Theta (abandoned)"),
    );
    let err = bad.fails(2, &["import", f.to_str().unwrap()]);
    assert!(
        err.contains("bad.txt:16:") && err.contains("'(abandoned)' beside a team's name"),
        "{err}"
    );
}
