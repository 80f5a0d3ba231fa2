//! The rules of each era and edition, from the rules catalogue (issue 22):
//! a season whose file states no rules gets the catalogue's, for the
//! season or for a stage that ranked differently; the table shows the
//! number that decided (goal average) and which tie-break placed a row;
//! deductions the cut leaves out are named; the English league's wartime
//! suspensions are not missing seasons.

use crate::common;

use common::{Env, ENG_HEADER as HEADER};

/// An engsoccerdata file from (date, season start, home, away, home goals,
/// away goals, tier) rows.
fn eng(rows: &[(&str, i32, &str, &str, u32, u32, u32)]) -> String {
    let mut out = HEADER.to_string();
    for (date, season, home, away, hg, ag, tier) in rows {
        let result = match hg.cmp(ag) {
            std::cmp::Ordering::Greater => "H",
            std::cmp::Ordering::Less => "A",
            std::cmp::Ordering::Equal => "D",
        };
        out.push_str(&format!(
            "{date},{season},{home},{away},{hg}-{ag},{hg},{ag},{tier},{tier},{},{},{result}\n",
            hg + ag,
            *hg as i64 - *ag as i64
        ));
    }
    out
}

/// Imports a file; returns what it said on standard error (its notes).
fn import(env: &Env, name: &str, text: &str) -> String {
    let file = env.file(name, text);
    let out = env.run(&["import", file.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).unwrap()
}

fn order(env: &Env, season: &str, stage: &str) -> Vec<String> {
    let json = env.json(&english_table(season, stage, &["--format", "json"]));
    json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["team"].as_str().unwrap().to_string())
        .collect()
}

/// Two teams on the same points, A with more goals and B with the better
/// goal difference, each beating C; the division below the Premier League.
fn goals_against_difference(
    season: i32,
    year: &str,
) -> Vec<(String, i32, &'static str, &'static str, u32, u32, u32)> {
    vec![
        (format!("{year}-09-01"), season, "Alpha", "Gamma", 5, 4, 2),
        (format!("{year}-09-08"), season, "Beta", "Gamma", 2, 0, 2),
    ]
}

fn rows(v: &[(String, i32, &'static str, &'static str, u32, u32, u32)]) -> String {
    let borrowed: Vec<(&str, i32, &str, &str, u32, u32, u32)> = v
        .iter()
        .map(|(d, s, h, a, hg, ag, t)| (d.as_str(), *s, *h, *a, *hg, *ag, *t))
        .collect();
    eng(&borrowed)
}

#[test]
fn the_football_league_ranked_on_goals_scored_in_the_late_1990s() {
    let env = Env::new();
    let mut all = goals_against_difference(1996, "1996");
    all.extend(goals_against_difference(2000, "2000"));
    let out = import(&env, "eng.csv", &rows(&all));
    assert!(out.contains("from the rules catalogue, 3 for a win in 2 seasons (1996-97 to 2000-01), and 3 stages that ranked otherwise"), "{out}");
    // 1996-97: goals scored first (Alpha 5 goals, Beta 2).
    assert_eq!(order(&env, "1996-97", "Division 2")[..2], ["Alpha", "Beta"]);
    // 2000-01: goal difference first again (Beta +2, Alpha +1).
    assert_eq!(order(&env, "2000-01", "Division 2")[..2], ["Beta", "Alpha"]);
    let shown = env.ok(&[
        "rules",
        "--competition",
        "English League",
        "--season",
        "1996-97",
        "--stage",
        "Division 2",
    ]);
    assert!(
        shown.contains("tie-break points,goals-for,goal-difference"),
        "{shown}"
    );
    assert!(
        shown.contains("source: from the rules catalogue"),
        "{shown}"
    );
    assert!(shown.contains("catalogue: The Football League"), "{shown}");
    let table = env.ok(&english_table("1996-97", "Division 2", &[]));
    assert!(table.contains("rules from the rules catalogue"), "{table}");
    let beta = table.lines().find(|l| l.contains("Beta")).unwrap();
    assert!(
        beta.ends_with("goals-for"),
        "the row says what placed it: {table}"
    );
}

#[test]
fn goal_average_eras_show_the_average_that_decided() {
    let env = Env::new();
    // 1926-27: Portsmouth and Manchester City level on points; City's goal
    // difference is better, Portsmouth's goal average.
    let text = eng(&[
        ("1926-09-01", 1926, "Portsmouth", "Filler", 87, 49, 2),
        ("1926-09-02", 1926, "Manchester City", "Filler", 108, 61, 2),
        ("1926-09-03", 1926, "Filler", "Other", 0, 0, 2),
    ]);
    import(&env, "1926.csv", &text);
    let table = env.ok(&[
        "standings",
        "--competition",
        "English League",
        "--season",
        "1926-27",
    ]);
    let header = table.lines().find(|l| l.contains("Team")).unwrap();
    assert!(header.contains("GAv"), "{table}");
    let pompey = table.lines().find(|l| l.contains("Portsmouth")).unwrap();
    let city = table
        .lines()
        .find(|l| l.contains("Manchester City"))
        .unwrap();
    assert!(pompey.contains("1.776"), "{table}");
    assert!(city.contains("1.770"), "{table}");
    assert!(city.trim_end().ends_with("goal-average"), "{table}");
    assert!(table.find("Portsmouth").unwrap() < table.find("Manchester City").unwrap());
    let json = env.json(&[
        "standings",
        "--competition",
        "English League",
        "--season",
        "1926-27",
        "--format",
        "json",
    ]);
    let city = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team"] == "Manchester City")
        .unwrap()
        .clone();
    assert_eq!(city["decided_by"], "goal-average");
    assert!((city["goal_average"].as_f64().unwrap() - 108.0 / 61.0).abs() < 1e-9);
}

#[test]
fn a_deduction_without_a_date_is_named_where_the_cut_leaves_it_out() {
    let env = Env::new();
    let text = eng(&[
        ("1990-09-01", 1990, "Alpha", "Beta", 1, 0, 3),
        ("1991-04-01", 1990, "Beta", "Alpha", 1, 0, 3),
    ]);
    import(&env, "1990.csv", &text);
    let ded = env.file(
        "deductions.csv",
        "\"Season\",\"team\",\"tier\",\"deduction\",\"country\"\n1990,\"Alpha\",3,2,\"England\"\n",
    );
    env.ok(&["import", ded.to_str().unwrap()]);
    let mid = env.ok(&["standings", "--as-of", "1990-12-31"]);
    assert!(
        mid.contains("not counted yet: Alpha -2 (deductions whose source gives no date count from the season's last match)"),
        "{mid}"
    );
    let end = env.ok(&["standings"]);
    assert!(!end.contains("not counted yet"), "{end}");
}

#[test]
fn the_wartime_suspensions_are_not_missing_seasons() {
    let env = Env::new();
    let text = eng(&[
        ("1914-09-01", 1914, "Alpha", "Beta", 1, 0, 1),
        ("1919-09-01", 1919, "Alpha", "Beta", 1, 0, 1),
        ("1938-09-01", 1938, "Alpha", "Beta", 1, 0, 1),
        ("1946-09-01", 1946, "Alpha", "Beta", 1, 0, 1),
        ("1948-09-01", 1948, "Alpha", "Beta", 1, 0, 1),
    ]);
    import(&env, "wars.csv", &text);
    let out = env.run(&["audit"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("1914-15 and 1919-20"), "{text}");
    assert!(!text.contains("1938-39 and 1946-47"), "{text}");
    assert!(
        text.contains("1 season is missing between 1946-47 and 1948-49"),
        "{text}"
    );
}

#[test]
fn the_2018_world_cups_group_h_is_decided_on_fair_play_points() {
    let env = Env::new();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/intl_results_2018_worldcup.csv"
    );
    env.ok(&["import", file]);
    let groups = env.json(&[
        "list",
        "stages",
        "--competition",
        "FIFA World Cup",
        "--season",
        "2018",
        "--format",
        "json",
    ]);
    let mut found = false;
    for g in groups.as_array().unwrap() {
        let stage = g["stage"].as_str().unwrap();
        let table = env.ok(&[
            "standings",
            "--competition",
            "FIFA World Cup",
            "--season",
            "2018",
            "--stage",
            stage,
        ]);
        if table.contains("Japan") && table.contains("Senegal") {
            let japan = table.lines().find(|l| l.contains("Japan")).unwrap();
            let senegal = table.lines().find(|l| l.contains("Senegal")).unwrap();
            assert!(japan.trim_start().starts_with("2  Japan"), "{table}");
            assert!(senegal.trim_start().starts_with("3  Senegal"), "{table}");
            assert!(senegal.trim_end().ends_with("fair-play"), "{table}");
            assert!(table.contains("rules from the rules catalogue"), "{table}");
            found = true;
        }
    }
    assert!(found, "no group of Japan and Senegal");
}

/// openfootball's files name the league as it was called then: `English
/// Football League` (1888-89 to 1891-92), then `English Division One` and
/// `Two` (the top two tiers to 1991-92, the second and third from
/// 1992-93), `English Division Three` and `Four`. A season of theirs that
/// states no rules gets the Football League's rules of its era and tier,
/// not the general rule (which ranks on goal difference).
#[test]
fn openfootballs_names_of_the_football_league_get_its_rules() {
    let env = Env::new();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/oftxt_1888-89_1-footballleague.txt");
    let out = env.run(&["import", file.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("from the rules catalogue"), "{said}");
    let json = env.json(&["standings", "--format", "json"]);
    let rows: Vec<(String, i64)> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["team"].as_str().unwrap().to_string(),
                r["points"].as_i64().unwrap(),
            )
        })
        .collect();
    // The published table's foot: Notts County (40-73, 0.548) above Stoke
    // (26-51, 0.510) on goal average, level on 12; by goal difference
    // (-33 against -25) it would be the other way round.
    let foot: Vec<&str> = rows[10..].iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(foot, ["Notts County FC", "Stoke FC"], "{rows:?}");
    assert_eq!(rows[0], ("Preston North End FC".to_string(), 40));
    // Accrington (48-48, 1.000) 7th, Everton (35-46, 0.761) 8th, level on 20.
    assert_eq!(rows[6].0, "Accrington FC (1878-1896)", "{rows:?}");
    for (competition, season, rules) in [
        (
            "English Football League",
            "1891-92",
            "2/1/0 points,goal-average",
        ),
        (
            "English Division One",
            "1892-93",
            "2/1/0 points,goal-average",
        ),
        (
            "English Division Two",
            "1975-76",
            "2/1/0 points,goal-average",
        ),
        (
            "English Division One",
            "1976-77",
            "2/1/0 points,goal-difference,goals-for",
        ),
        (
            "English Division Four",
            "1985-86",
            "3/1/0 points,goal-difference,goals-for",
        ),
        (
            "English Division One",
            "1995-96",
            "3/1/0 points,goals-for,goal-difference",
        ),
        (
            "English Division Three",
            "1998-99",
            "3/1/0 points,goals-for,goal-difference",
        ),
        (
            "English Division Two",
            "2002-03",
            "3/1/0 points,goal-difference,goals-for",
        ),
    ] {
        let env = Env::new();
        let text = format!(
            "= {competition} {}\n\n[Sep/6]\n  Alpha FC   1-0  Beta FC\n",
            season.replace('-', "/")
        );
        let file = env.file("season.txt", &text);
        let said = env.ok(&["import", "--skip-invalid", file.to_str().unwrap()]);
        let shown = env.ok(&["rules", "--competition", competition, "--season", season]);
        let (points, order) = rules.split_once(' ').unwrap();
        let want_points = format!("{} for a win", points.split('/').next().unwrap());
        assert!(
            shown.contains(&want_points) && shown.contains(&format!("tie-break {order}")),
            "{competition} {season}: {said}\n{shown}"
        );
        assert!(
            shown.contains("from the rules catalogue"),
            "{competition} {season}: {shown}"
        );
    }
}

/// A team that has scored and conceded none has no finite goal average:
/// the table shows `inf` and ranks it above every other; the JSON gives
/// `null` (it gave the string "inf" where every other row has a number).
#[test]
fn an_average_without_goals_against_is_null_in_json_and_ranks_first() {
    let env = Env::new();
    let text = eng(&[
        ("1926-09-01", 1926, "Alpha", "Beta", 3, 0, 1),
        ("1926-09-08", 1926, "Gamma", "Delta", 0, 0, 1),
        ("1926-09-09", 1926, "Delta", "Beta", 1, 1, 1),
        ("1926-09-10", 1926, "Gamma", "Beta", 5, 1, 1),
    ]);
    import(&env, "1926.csv", &text);
    let json = env.json(&["standings", "--format", "json"]);
    let rows = json["rows"].as_array().unwrap();
    let row = |team: &str| rows.iter().find(|r| r["team"] == team).unwrap().clone();
    assert!(row("Alpha")["goal_average"].is_null(), "{json}");
    assert_eq!(row("Gamma")["goal_average"].as_f64(), Some(5.0), "{json}");
    assert_eq!(row("Delta")["goal_average"].as_f64(), Some(1.0), "{json}");
    assert!(
        rows.iter()
            .all(|r| r["goal_average"].is_null() || r["goal_average"].is_f64()),
        "{json}"
    );
    // Gamma 3 points; Alpha (a win, 3-0) and Delta (two draws, 1-1) level
    // on 2: Alpha's infinite average puts it above Delta's 1.000.
    let text = env.ok(&["standings"]);
    let alpha = text.lines().find(|l| l.contains("Alpha")).unwrap();
    assert!(alpha.contains(" inf "), "{text}");
    assert!(
        text.find("Alpha").unwrap() < text.find("Delta").unwrap(),
        "{text}"
    );
}

/// The 2019-20 seasons of League One and League Two were ended early and
/// ranked on points per game: the catalogue gives them that rule, the
/// table shows a `PPG` column (JSON `points_per_game`), and a team with
/// fewer points from fewer games can be above (published: Wycombe 3rd on
/// 59 points from 34 games, above Oxford, Portsmouth and Fleetwood on 60
/// from 35; they were 8th by points).
#[test]
fn the_2019_20_lower_divisions_are_ranked_on_points_per_game() {
    let env = Env::new();
    let text = eng(&[
        ("2019-08-03", 2019, "Alpha", "Gamma", 1, 0, 3),
        ("2019-08-10", 2019, "Alpha", "Delta", 1, 0, 3),
        ("2019-08-17", 2019, "Gamma", "Alpha", 1, 0, 3),
        ("2019-08-24", 2019, "Beta", "Delta", 2, 0, 3),
        ("2019-09-01", 2019, "Gamma", "Delta", 0, 0, 3),
        ("2019-08-03", 2019, "Top", "Other", 1, 0, 2),
        ("2019-08-10", 2019, "Top", "Third", 1, 0, 2),
        ("2019-08-17", 2019, "Other", "Top", 1, 0, 2),
        ("2019-08-24", 2019, "Fourth", "Third", 2, 0, 2),
    ]);
    import(&env, "2019.csv", &text);
    // League One (tier 3): Beta 3 points from 1 game above Alpha 6 from 3.
    assert_eq!(order(&env, "2019-20", "Division 3")[..2], ["Beta", "Alpha"]);
    // The Championship (tier 2) finished its season: points.
    assert_eq!(order(&env, "2019-20", "Division 2")[..2], ["Top", "Fourth"]);
    let table = env.ok(&english_table("2019-20", "Division 3", &[]));
    assert!(table.contains("tie-break points-per-game"), "{table}");
    let header = table.lines().find(|l| l.contains("Team")).unwrap();
    assert!(header.contains("PPG"), "{table}");
    let alpha = table.lines().find(|l| l.contains("Alpha")).unwrap();
    assert!(
        alpha.contains(" 2.00 ") && alpha.trim_end().ends_with("points-per-game"),
        "{table}"
    );
    let json = env.json(&english_table(
        "2019-20",
        "Division 3",
        &["--format", "json"],
    ));
    assert_eq!(
        json["rows"][0]["points_per_game"].as_f64(),
        Some(3.0),
        "{json}"
    );
    // Before the season's end, points rank (as the league did then).
    let mid = env.ok(&english_table(
        "2019-20",
        "Division 3",
        &["--as-of", "2019-08-25"],
    ));
    assert!(mid.contains("tie-break points,goal-difference"), "{mid}");
    assert!(
        mid.find("Alpha").unwrap() < mid.find("Beta").unwrap(),
        "{mid}"
    );
    assert!(!mid.contains("PPG"), "{mid}");
    // The season's report shows the number that ranked its table.
    let mut report = english_table("2019-20", "Division 3", &["--output", "-"]);
    report[0] = "report";
    let page = env.ok(&report);
    assert!(
        page.contains("<th>PPG</th>") && page.contains("<td>3.000</td>"),
        "{page}"
    );
}

/// `standings` of an English League season's stage, with more arguments.
fn english_table<'a>(season: &'a str, stage: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "standings",
        "--competition",
        "English League",
        "--season",
        season,
        "--stage",
        stage,
    ];
    args.extend_from_slice(more);
    args
}
