//! A statistician's first hour: typos caught, names found, rules by era,
//! help that teaches, and output that says what it did.

use crate::common;

use common::Env;

#[test]
fn a_typo_in_a_team_name_is_refused_with_the_nearest_names() {
    let env = Env::new();
    env.import_seed();
    let head = env.head();
    let typo = common::record_args(
        "6",
        "1984-12-20",
        "Los Espartanoss",
        "1-0",
        "Bella Esperanza",
    );
    let err = env.fails(2, &typo);
    assert!(
        err.contains("unknown team 'Los Espartanoss'")
            && err.contains("'Los Espartanos'")
            && err.contains("--new-team"),
        "{err}"
    );
    assert!(!err.contains("note:"), "a note before a refusal: {err}");
    assert_eq!(env.head(), head);
    assert_eq!(env.table(&[]).len(), 6);
    // Deliberately new: accepted, and said so after it was appended.
    let mut new = typo.clone();
    new.insert(1, "--new-team");
    let out = env.run(&new);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("note: 'Los Espartanoss' is a new team"));
    assert_eq!(env.table(&[]).len(), 7);
}

#[test]
fn results_round_n_is_round_n_and_through_round_is_1_to_n() {
    let env = Env::new();
    env.import_seed();
    let rounds = |args: &[&str]| -> Vec<u64> {
        let mut all = vec!["results", "--format", "json"];
        all.extend_from_slice(args);
        env.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["round"].as_u64().unwrap())
            .collect()
    };
    let r3 = rounds(&["--round", "3"]);
    assert_eq!(r3, vec![3, 3, 3]);
    let t3 = rounds(&["--through-round", "3"]);
    assert_eq!(t3.len(), 9);
    assert!(t3.iter().all(|r| (1..=3).contains(r)));
    let help = env.ok(&["standings", "--help"]);
    assert!(help.contains("after round N"), "{help}");
}

#[test]
fn impossible_fixtures_are_refused_unless_meant() {
    let env = Env::new();
    env.import_seed();
    let head = env.head();
    let err = env.fails(
        2,
        &[
            "record",
            "--competition",
            "Copa Perú",
            "--season",
            "1984",
            "--round",
            "5",
            "--date",
            "2030-01-01",
            "Los Espartanos",
            "1-0",
            "Bella Esperanza",
        ],
    );
    assert!(
        err.contains("2030-01-01 is outside season 1984 (1984-01-01 to 1985-01-31)")
            && err.contains("--allow-outside-season"),
        "{err}"
    );
    let sixth = [
        "record",
        "--competition",
        "Copa Perú",
        "--season",
        "1984",
        "--round",
        "6",
        "--date",
        "1984-12-20",
        "Los Espartanos",
        "1-0",
        "Bella Esperanza",
    ];
    let err = env.fails(2, &sixth);
    assert!(
        err.contains("round 6 is past the 5 rounds") && err.contains("round-robin of 6 teams"),
        "{err}"
    );
    assert_eq!(env.head(), head);
    let mut meant = sixth.to_vec();
    meant.insert(1, "--allow-outside-season");
    env.ok(&meant);
}

#[test]
fn names_are_found_by_a_word_or_a_part_of_them() {
    let env = Env::new();
    env.import_seed();
    // A word of the name, or a part of it, when only one name fits.
    let v = env.json(&["standings", "--competition", "peru", "--format", "json"]);
    assert_eq!(v["competition"], "Copa Perú");
    let out = env.run(&["results", "--team", "espartanos", "--format", "json"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "team: Los Espartanos\n"
    );
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 5);
    let v = env.json(&["results", "--team", "tacn", "--format", "json"]);
    assert_eq!(v.as_array().unwrap().len(), 5);
    // Several fit: refused, the likely ones first.
    let err = env.fails(2, &["results", "--team", "es"]);
    assert!(err.contains("team 'es' is ambiguous: it could be"), "{err}");
    // None fits: the nearest are suggested.
    let err = env.fails(2, &["results", "--team", "Espartanoz"]);
    assert!(err.contains("did you mean Los Espartanos"), "{err}");
}

#[test]
fn list_says_what_the_archive_holds() {
    let env = Env::new();
    env.import_seed();
    let page = env.file("1985.txt", common::SEED);
    env.ok(&["import", page.to_str().unwrap(), "--season", "1985"]);
    assert_eq!(
        env.ok(&["list", "competitions"]),
        "competition  matches  first       last\nCopa Perú         30  1984-12-02  1984-12-16\n"
    );
    let seasons = env.json(&["list", "seasons", "--format", "json"]);
    let seasons = seasons.as_array().unwrap();
    assert_eq!(seasons.len(), 2);
    assert_eq!(
        (
            seasons[1]["season"].as_str(),
            seasons[1]["matches"].as_u64()
        ),
        (Some("1985"), Some(15))
    );
    let stages = env.json(&["list", "stages", "--season", "1984", "--format", "json"]);
    assert_eq!(stages[0]["stage"], "Final stage");
    let teams = env.json(&["list", "teams", "--season", "1984", "--format", "json"]);
    let teams = teams.as_array().unwrap();
    assert_eq!(teams.len(), 6);
    assert!(teams.iter().all(|t| t["matches"] == 5));
    assert_eq!(teams[0]["team"], "Alianza Atlético");
    // As known before the second season was imported.
    let before = env.json(&["list", "seasons", "--known-at", "23", "--format", "json"]);
    assert_eq!(before.as_array().unwrap().len(), 1);
}

#[test]
fn ctrl_c_stops_an_import_between_batches_and_says_so() {
    use std::process::{Command, Stdio};
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/intl_results_1872_1974.csv");
    let bin = assert_cmd::cargo::cargo_bin("scoreledger");
    let probe = Env::new();
    let started = std::time::Instant::now();
    // The file holds two rows of one match that disagree: the later is left out.
    let args = [
        "import",
        file.to_str().unwrap(),
        "--batch",
        "200",
        "--skip-invalid",
    ];
    probe.ok(&args);
    let span = started.elapsed().as_millis() as u64;
    let total: u64 = probe.head_seq();
    // A third, then half of the way in; one of them lands while batches are committed.
    for ms in [span / 3, span / 2, span * 2 / 3] {
        let env = Env::new();
        env.import_seed();
        let child = Command::new(&bin)
            .env("SCORELEDGER_DB", env.db())
            .env("SCORELEDGER_NOW", "2026-11-28T10:00:00Z")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(ms));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let out = child.wait_with_output().unwrap();
        if out.status.code() == Some(0) {
            continue;
        }
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(130), "{err}");
        let line = err.lines().last().unwrap();
        assert!(
            line.starts_with("error: interrupted: ")
                && line.ends_with("run the same import again to finish"),
            "{err}"
        );
        let committed: u64 = line["error: interrupted: ".len()..]
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let head: u64 = env.head_seq();
        assert_eq!(head, 23 + committed, "{err}");
        env.ok(&["verify"]);
        env.ok(&args);
        assert_eq!(
            env.head()
                .split_whitespace()
                .next()
                .unwrap()
                .parse::<u64>()
                .unwrap(),
            23 + total
        );
        return;
    }
    panic!("the import always finished before Ctrl-C ({span} ms)");
}

#[test]
fn audit_names_the_seasons_missing_from_a_competition() {
    let env = Env::new();
    let mut csv = String::from(common::ENG_HEADER);
    for (season, date) in [
        (2020, "2020-09-12"),
        (2021, "2021-08-14"),
        (2023, "2023-08-12"),
        (2027, "2027-08-14"),
    ] {
        csv.push_str(&format!("{date},{season},Alpha,Beta,1-0,1,0,1,1,1,1,H\n"));
    }
    let f = env.file("eng.csv", &csv);
    env.ok(&["import", f.to_str().unwrap()]);
    let out = env.run(&["audit", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let missing: Vec<String> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["check"] == "missing-season")
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        missing,
        vec![
            "1 season is missing between 2021-22 and 2023-24",
            "3 seasons are missing between 2023-24 and 2027-28"
        ]
    );
}

#[test]
fn undated_deductions_count_from_the_seasons_end_and_wrong_tiers_are_refused() {
    let env = Env::new();
    let mut csv = String::from(common::ENG_HEADER);
    for (date, home, away) in [
        ("2009-08-15", "Portsmouth", "Fulham"),
        ("2009-12-05", "Fulham", "Burnley"),
        ("2010-05-09", "Burnley", "Portsmouth"),
    ] {
        csv.push_str(&format!("{date},2009,{home},{away},1-0,1,0,1,1,1,1,H\n"));
    }
    let f = env.file("eng.csv", &csv);
    env.ok(&["import", f.to_str().unwrap()]);
    let header = "\"Season\",\"team\",\"tier\",\"deduction\",\"country\"\n";
    let wrong = env.file(
        "wrong.csv",
        &format!("{header}2009,\"Portsmouth\",3,10,\"England\"\n"),
    );
    let err = env.fails(2, &["import", wrong.to_str().unwrap()]);
    assert!(
        err.contains("wrong.csv:2:")
            && err.contains("did not play in tier 3 in 2009-10 (it played in Division 1)"),
        "{err}"
    );
    let ded = env.file(
        "ded.csv",
        &format!("{header}2009,\"Portsmouth\",1,9,\"England\"\n"),
    );
    env.ok(&["import", ded.to_str().unwrap()]);
    let row = |args: &[&str]| {
        let mut all = vec!["standings", "--format", "json"];
        all.extend_from_slice(args);
        env.json(&all)["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["team"] == "Portsmouth")
            .unwrap()
            .clone()
    };
    assert_eq!(row(&["--as-of", "2009-12-31"])["adjustment"], 0);
    let end = row(&[]);
    assert_eq!(end["adjustment"], -9);
    assert_eq!(end["adjustments"][0]["date"], "2010-05-09");
    assert_eq!(end["adjustments"][0]["date_unknown"], true);
}

fn import_noting(env: &Env, args: &[&str]) -> String {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    let out = env.run(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn rules_json(env: &Env, competition: &str, season: &str) -> serde_json::Value {
    env.json(&[
        "rules",
        "--competition",
        competition,
        "--season",
        season,
        "--format",
        "json",
    ])
}

#[test]
fn a_file_without_points_gets_the_era_s_and_says_so() {
    let env = Env::new();
    let seed = env.file("1984.txt", common::SEED);
    let said = import_noting(&env, &[seed.to_str().unwrap()]);
    assert!(
        said.contains("note: Copa Perú 1984: the file states no points; 2 for a win by the era")
            && said.contains("before the 1994 World Cup")
            && said.contains("general rule; leagues switched at different times")
            && said.contains(
                "scoreledger rules --competition 'Copa Perú' --season 1984 --points-for-win N"
            ),
        "{said}"
    );
    assert_eq!(env.table(&[])["Los Espartanos"]["points"], 10);
    let r = rules_json(&env, "Copa Perú", "1984");
    assert_eq!(
        (r["points_for_win"].as_u64(), r["source"].as_str()),
        (Some(2), Some("era"))
    );
    let t = env.ok(&["standings"]);
    assert!(
        t.contains("rules by the era (the general rule), seq 1"),
        "{t}"
    );
    let s = env.json(&["standings", "--format", "json"]);
    assert_eq!(s["rules"]["source"], "era");

    // A different --points-for-win on a re-import says what it changes.
    let said = import_noting(&env, &[seed.to_str().unwrap(), "--points-for-win", "3"]);
    let head = env.head();
    let seq = head.split_whitespace().next().unwrap();
    assert!(
        said.contains(&format!(
            "Copa Perú 1984: this changes the rules from 2/1/0 points,goal-difference,goals-for \
             to 3/1/0 points,goal-difference,goals-for (seq 1 -> seq {seq})"
        )),
        "{said}"
    );
    assert_eq!(rules_json(&env, "copa peru", "1984")["source"], "user");
    assert_eq!(env.table(&[])["Los Espartanos"]["points"], 15);
    // The era never replaces rules the archive holds: importing the page
    // again without the option leaves them.
    let said = import_noting(&env, &[seed.to_str().unwrap()]);
    assert!(!said.contains("changes the rules"), "{said}");
    assert_eq!(env.table(&[])["Los Espartanos"]["points"], 15);
    assert_eq!(env.head(), head);
}

#[test]
fn rules_a_file_states_are_the_file_s_and_the_era_turns_at_the_1994_world_cup() {
    let env = Env::new();
    let stated = common::SEED.replace(
        "- Season: 1984\n",
        "- Season: 1984\n- Points for a win: 3\n",
    );
    let f = env.file("stated.txt", &stated);
    let said = import_noting(&env, &[f.to_str().unwrap()]);
    assert!(!said.contains("by the era"), "{said}");
    let r = rules_json(&env, "Copa Perú", "1984");
    assert_eq!(
        (r["points_for_win"].as_u64(), r["source"].as_str()),
        (Some(3), Some("file"))
    );

    // openfootball 2024-25 (after 1994): 3; internationals up to 1974: 2.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let later = Env::new();
    let said = import_noting(
        &later,
        &[root.join("ofjson_2024-25_en.1.json").to_str().unwrap()],
    );
    assert!(
        said.contains("English Premier League: the file states no rules for 1 season; from the rules catalogue, 3 for a win in 2024-25"),
        "{said}"
    );
    let s = later.json(&["standings", "--format", "json"]);
    assert_eq!(
        (
            s["rules"]["points_for_win"].as_u64(),
            s["rules"]["source"].as_str()
        ),
        (Some(3), Some("catalogue"))
    );
    let early = Env::new();
    let said = import_noting(
        &early,
        &[root.join("ofjson_2018_worldcup.json").to_str().unwrap()],
    );
    assert!(
        said.contains("from the rules catalogue, 3 for a win in 2018"),
        "{said}"
    );
    // A league the catalogue does not know, before 1994: the era's 2.
    let scottish = early.file(
        "scottish.txt",
        "= Scottish Football League 1890/91\n\n[Sat Aug/16]\n  Hearts  2-1  Celtic\n",
    );
    let said = import_noting(&early, &[scottish.to_str().unwrap()]);
    assert!(said.contains("2 for a win by the era"), "{said}");
}

#[test]
fn english_seasons_take_england_s_switch_in_1981() {
    let env = Env::new();
    let mut csv = String::from(common::ENG_HEADER);
    for (season, date) in [
        (1980, "1980-08-16"),
        (1981, "1981-08-29"),
        (1982, "1982-08-28"),
    ] {
        csv.push_str(&format!("{date},{season},Alpha,Beta,1-0,1,0,1,1,1,1,H\n"));
    }
    let f = env.file("eng.csv", &csv);
    let said = import_noting(&env, &[f.to_str().unwrap()]);
    assert!(
        said.contains(
            "English League: the file states no rules for 3 seasons; from the rules catalogue, \
             2 for a win in 1980-81, 3 for a win in 2 seasons (1981-82 to 1982-83)"
        ),
        "{said}"
    );
    for (season, win) in [("1980-81", 2), ("1981-82", 3)] {
        let r = rules_json(&env, "English League", season);
        assert_eq!(
            (r["points_for_win"].as_u64(), r["source"].as_str()),
            (Some(win), Some("catalogue"))
        );
    }
}

/// A question that names its stage in full is answered the same whether
/// the stage catalog is held (a server, after its first question) or not
/// (a command): found by name in any case and accents, and not before the
/// stage was known.
#[test]
fn a_stage_named_in_full_is_found_alike_with_the_catalog_held_or_not() {
    use scoreledger::{Archive, Cut, Filter, KnownAt};
    let env = Env::new();
    env.import_seed();
    let named = Filter {
        competition: Some("COPA PERU".into()),
        season: Some("1984".into()),
        stage: Some("final STAGE".into()),
    };
    let ask = |a: &Archive, k: Option<KnownAt>| {
        a.at(k)
            .and_then(|v| v.standings(&named, Cut::All))
            .map(|s| s.rows)
    };
    let cold = Archive::open(&env.db()).unwrap();
    let first = ask(&cold, None).unwrap();
    let before = ask(&cold, Some(KnownAt::Seq(1))).map_err(|e| e.to_string());
    drop(cold); // one process holds a store at a time
    let held = Archive::open(&env.db()).unwrap();
    held.stages().unwrap(); // the catalog, as a server holds it
    assert_eq!(ask(&held, None).unwrap(), first);
    assert_eq!(
        ask(&held, Some(KnownAt::Seq(1))).map_err(|e| e.to_string()),
        before
    );
    assert!(before.is_err(), "{before:?}");
}
