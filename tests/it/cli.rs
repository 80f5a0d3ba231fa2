//! The real binary on real files: the 1984 Copa Perú end to end.

use crate::common;

use std::collections::BTreeMap;

use assert_cmd::Command;
use common::{record_args, Env, SEED};
use serde_json::Value;

// ---------------------------------------------------------------------------
// An independent oracle: a deliberately naive reading of the seed page and a
// naive 2-points table, to check the binary against.

#[derive(Clone, Debug)]
struct Game {
    round: u32,
    date: String,
    home: String,
    away: String,
    hg: u32,
    ag: u32,
}

fn month(m: &str) -> u32 {
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    .iter()
    .position(|x| *x == m)
    .unwrap() as u32
        + 1
}

fn seed_games() -> Vec<Game> {
    let (mut round, mut date) = (0, String::new());
    let mut games = Vec::new();
    for line in SEED.lines() {
        if let Some(r) = line.strip_prefix("=== Round ") {
            round = r.trim_end_matches(" ===").parse().unwrap();
        } else if line.ends_with(" 1984") && line.chars().next().unwrap().is_ascii_digit() {
            let p: Vec<&str> = line.split(' ').collect();
            date = format!(
                "{}-{:02}-{:02}",
                p[2],
                month(p[1]),
                p[0].parse::<u32>().unwrap()
            );
        } else if round > 0 && !line.is_empty() {
            let words: Vec<&str> = line.split(' ').collect();
            let i = words
                .iter()
                .position(|w| w.contains('-') && w.chars().next().unwrap().is_ascii_digit())
                .unwrap();
            let (h, a) = words[i].split_once('-').unwrap();
            games.push(Game {
                round,
                date: date.clone(),
                home: words[..i].join(" "),
                away: words[i + 1..].join(" "),
                hg: h.parse().unwrap(),
                ag: a.parse().unwrap(),
            });
        }
    }
    games
}

/// team -> (pos, played, won, drawn, lost, gf, ga, points), ranked by points, GD, GF.
fn oracle(games: &[Game]) -> BTreeMap<String, [i64; 8]> {
    let mut t: BTreeMap<String, [i64; 8]> = BTreeMap::new();
    for team in [
        "Deportivo Educación",
        "Los Espartanos",
        "Bella Esperanza",
        "Guardia Republicana",
        "Alianza Atlético",
        "Universitario de Tacna",
    ] {
        t.insert(team.into(), [0; 8]);
    }
    for g in games {
        for (me, gf, ga) in [(&g.home, g.hg, g.ag), (&g.away, g.ag, g.hg)] {
            let r = t.get_mut(me).unwrap();
            r[1] += 1;
            r[5] += gf as i64;
            r[6] += ga as i64;
            let idx = if gf > ga {
                2
            } else if gf == ga {
                3
            } else {
                4
            };
            r[idx] += 1;
            r[7] += [0, 0, 2, 1, 0][idx];
        }
    }
    let key = |r: &[i64; 8]| (r[7], r[5] - r[6], r[5]);
    let snapshot = t.clone();
    for r in t.values_mut() {
        r[0] = 1 + snapshot.values().filter(|o| key(o) > key(r)).count() as i64;
    }
    t
}

fn check_table(v: &Value, games: &[Game]) {
    let want = oracle(games);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    let mut last_pos = 0;
    for row in rows {
        let team = row["team"].as_str().unwrap();
        let w = want[team];
        let got = [
            row["pos"].as_i64().unwrap(),
            row["played"].as_i64().unwrap(),
            row["won"].as_i64().unwrap(),
            row["drawn"].as_i64().unwrap(),
            row["lost"].as_i64().unwrap(),
            row["goals_for"].as_i64().unwrap(),
            row["goals_against"].as_i64().unwrap(),
            row["points"].as_i64().unwrap(),
        ];
        assert_eq!(got, w, "{team} in {v}");
        assert_eq!(row["goal_difference"].as_i64().unwrap(), w[5] - w[6]);
        assert!(got[0] >= last_pos, "rows are in position order");
        last_pos = got[0];
    }
}

#[test]
fn every_date_and_every_round_gives_the_true_table() {
    let env = Env::new();
    env.import_seed();
    let games = seed_games();
    assert_eq!(games.len(), 15);
    for day in 1..=17 {
        let date = format!("1984-12-{day:02}");
        let v = env.json(&["standings", "--as-of", &date, "--format", "json"]);
        assert_eq!(v["as_of"], date.as_str());
        assert_eq!(v["round"], Value::Null);
        let played: Vec<Game> = games.iter().filter(|g| g.date <= date).cloned().collect();
        check_table(&v, &played);
    }
    for round in 1..=5 {
        let v = env.json(&[
            "standings",
            "--round",
            &round.to_string(),
            "--format",
            "json",
        ]);
        assert_eq!(v["round"], round);
        let played: Vec<Game> = games.iter().filter(|g| g.round <= round).cloned().collect();
        check_table(&v, &played);
    }
}

#[test]
fn final_table_is_the_historical_one() {
    let env = Env::new();
    let out = env.import_seed();
    assert!(out.contains("appended 23 events"), "{out}");
    let v = env.json(&["standings", "--format", "json"]);
    for key in [
        "competition",
        "season",
        "stage",
        "as_of",
        "round",
        "known_at",
        "head",
        "rows",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(
        (
            v["competition"].as_str(),
            v["season"].as_str(),
            v["stage"].as_str()
        ),
        (Some("Copa Perú"), Some("1984"), Some("Final stage"))
    );
    let points: Vec<(String, i64)> = v["rows"]
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
    let expect = [
        ("Los Espartanos", 10),
        ("Alianza Atlético", 7),
        ("Universitario de Tacna", 5),
        ("Guardia Republicana", 3),
        ("Deportivo Educación", 3),
        ("Bella Esperanza", 2),
    ];
    assert_eq!(points, expect.map(|(t, p)| (t.to_string(), p)).to_vec());
    let head = env.head();
    assert_eq!(v["known_at"], 23);
    assert_eq!(format!("23 {}\n", v["head"].as_str().unwrap()), head);
    // The readable table and its siblings carry the same numbers.
    let table = env.ok(&["standings"]);
    assert!(
        table.contains("Los Espartanos") && table.contains("10"),
        "{table}"
    );
    let csv = env.ok(&["standings", "--format", "csv"]);
    assert_eq!(
        csv.lines().next(),
        Some("Pos,Team,P,W,D,L,GF,GA,GD,Adj,Pts")
    );
    assert_eq!(
        csv.lines().nth(1),
        Some("1,Los Espartanos,5,5,0,0,9,3,6,0,10")
    );
    let md = env.ok(&["standings", "--format", "markdown"]);
    assert!(
        md.contains("| 1 | Los Espartanos | 5 | 5 | 0 | 0 | 9 | 3 | +6 | 10 |"),
        "{md}"
    );
}

#[test]
fn importing_twice_appends_nothing() {
    let env = Env::new();
    env.import_seed();
    let head = env.head();
    let out = env.import_seed();
    assert!(
        out.contains("appended 0 events, 23 already present"),
        "{out}"
    );
    assert_eq!(env.head(), head);
}

fn reformatted() -> Vec<(&'static str, String)> {
    vec![
        (
            "crlf and bom",
            format!("\u{feff}{}", SEED.replace('\n', "\r\n")),
        ),
        (
            "en dashes",
            SEED.replace("3-2", "3–2").replace("1-0", "1 – 0"),
        ),
        ("em dashes", SEED.replace('-', "—")),
        (
            "no blank lines",
            SEED.lines()
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "extra spaces",
            SEED.lines()
                .map(|l| format!("  {}   ", l.replace(' ', "  ")))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "other date styles",
            SEED.lines()
                .map(|l| match l {
                    "2 December 1984" => "December 2, 1984",
                    "16 December 1984" => "1984-12-16",
                    "9 December 1984" => "9 Dec 1984",
                    other => other,
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "case of team names",
            SEED.replace(
                "Los Espartanos 1-0 Bella Esperanza",
                "LOS ESPARTANOS 1-0 bella esperanza",
            ),
        ),
        (
            "headings without spaces",
            SEED.replace("=== Round 3 ===", "===Round 3===")
                .replace("==Final stage==", "== Final stage =="),
        ),
    ]
}

#[test]
fn reformatted_pages_import_to_the_same_archive() {
    let base = Env::new();
    base.import_seed();
    let head = base.head();
    let table = base.ok(&["standings", "--format", "json"]);
    for (what, text) in reformatted() {
        let env = Env::new();
        let p = env.file("page.txt", &text);
        env.ok(&["import", p.to_str().unwrap(), "--points-for-win", "2"]);
        assert_eq!(
            env.head(),
            head,
            "{what}: a reformatted page gives other events"
        );
        assert_eq!(env.ok(&["standings", "--format", "json"]), table, "{what}");
    }
}

#[test]
fn a_page_with_one_broken_line_is_refused_with_its_line_number() {
    let cases = [
        (
            "Alianza Atlético 3-2 Universitario de Tacna",
            "Alianza Atlético 3-x Universitario de Tacna",
            31,
            "cannot read",
        ),
        (
            "2 December 1984\nLos Espartanos",
            "31 November 1984\nLos Espartanos",
            33,
            "impossible date",
        ),
        (
            "Los Espartanos 1-0 Bella Esperanza",
            "Los Espartanos 1-0 Los Espartanos",
            34,
            "cannot play itself",
        ),
        (
            "Los Espartanos 1-0 Bella Esperanza",
            "Los Espartanos 1-0 Bela Esperanza",
            34,
            "not in the teams table",
        ),
        (
            "Los Espartanos 1-0 Bella Esperanza",
            "Los Espartanos 100000-0 Bella Esperanza",
            34,
            "out of range",
        ),
        (
            "=== Round 2 ===",
            "=== Round zero ===",
            39,
            "unrecognised heading",
        ),
    ];
    let env = Env::new();
    // Something else is already in the archive: it must stay exactly as it was.
    let other = env.file("1985.txt", SEED);
    env.ok(&["import", other.to_str().unwrap(), "--season", "1985"]);
    let head = env.head();
    for (from, to, line, msg) in cases {
        assert!(SEED.contains(from), "{from}");
        let p = env.file("broken.txt", &SEED.replacen(from, to, 1));
        let err = env.fails(2, &["import", p.to_str().unwrap(), "--points-for-win", "2"]);
        assert!(err.contains(&format!("broken.txt:{line}:")), "{to}: {err}");
        assert!(err.contains(msg), "{to}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one-line error: {err}");
        assert_eq!(env.head(), head, "{to}: the archive changed");
    }
}

#[test]
fn a_changed_byte_in_any_event_fails_verify_naming_it() {
    let env = Env::new();
    env.import_seed();
    assert!(env.ok(&["verify"]).starts_with("ok: 23 events, head "));
    // Flips one bit of a stored event, with the store opened by the library (no process holds it).
    let flip = |seq: u64| {
        let a = scoreledger::Archive::open(&env.db()).unwrap();
        let mut v = a.envelope_bytes(seq).unwrap().unwrap();
        let i = v.len() - 3;
        v[i] ^= 0x20;
        a.tamper_envelope(seq, &v).unwrap();
    };
    for seq in [1u64, 9, 23] {
        flip(seq);
        let err = env.fails(1, &["verify"]);
        assert!(err.contains(&format!("seq {seq}:")), "{err}");
        flip(seq);
        env.ok(&["verify"]);
    }
}

#[test]
fn record_appends_once_and_refuses_a_different_score() {
    let env = Env::new();
    env.import_seed();
    let args = [
        "record",
        "--allow-outside-season",
        "--competition",
        "copa peru",
        "--season",
        "1984",
        "--round",
        "6",
        "--date",
        "1984-12-20",
        "los espartanos",
        "1-1",
        "Alianza Atletico",
    ];
    let out = env.ok(&args);
    assert!(out.starts_with("recorded seq 24 "), "{out}");
    assert!(
        out.contains(
            "Copa Perú 1984 Final stage round 6 1984-12-20: Los Espartanos 1-1 Alianza Atlético"
        ),
        "{out}"
    );
    let head = env.head();
    assert!(env.ok(&args).contains("already recorded; nothing appended"));
    assert_eq!(env.head(), head);
    let mut other = args;
    other[11] = "2-1";
    let err = env.fails(2, &other);
    assert!(err.contains("already recorded as 1-1 (seq 24)"), "{err}");
    assert_eq!(env.head(), head);
    let v = env.json(&["standings", "--format", "json"]);
    assert_eq!(v["rows"][0]["team"], "Los Espartanos");
    assert_eq!(v["rows"][0]["points"], 11);
    assert_eq!(v["rows"][1]["points"], 8);
    // Bad input, each refused with exit 2 and the head unchanged.
    let bad: [(&[&str], &str); 4] = [
        (
            &record_args(
                "6",
                "1984-12-20",
                "Bella Esperanza",
                "1-1",
                "bella esperanza",
            ),
            "cannot play itself",
        ),
        (
            &record_args(
                "6",
                "1984-12-20",
                "Bella Esperanza",
                "-1-1",
                "Guardia Republicana",
            ),
            "invalid score",
        ),
        (
            &record_args(
                "6",
                "1984-11-31",
                "Bella Esperanza",
                "1-1",
                "Guardia Republicana",
            ),
            "impossible date",
        ),
        (
            &record_args(
                "0",
                "1984-12-20",
                "Bella Esperanza",
                "1-1",
                "Guardia Republicana",
            ),
            "start at 1",
        ),
    ];
    for (args, msg) in bad {
        let err = env.fails(2, args);
        assert!(err.contains(msg), "{args:?}: {err}");
        assert_eq!(env.head(), head);
    }
}

#[test]
fn known_at_shows_the_table_as_the_archive_knew_it() {
    let env = Env::new();
    env.import_seed();
    // Seq 1 rules, 2 season facts, 3-8 teams: every registered team with zeros, all level.
    let v = env.json(&["standings", "--known-at", "8", "--format", "json"]);
    assert_eq!(v["known_at"], 8);
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert!(rows
        .iter()
        .all(|r| r["pos"] == 1 && r["points"] == 0 && r["played"] == 0));
    assert!(env
        .ok(&["standings", "--known-at", "8"])
        .contains("1=  Alianza Atlético"));
    // After the three results of round 1 (seq 9-11), the table equals the round 1 table.
    let known = env.json(&["standings", "--known-at", "11", "--format", "json"]);
    let round1 = env.json(&["standings", "--round", "1", "--format", "json"]);
    assert_eq!(known["rows"], round1["rows"]);
    let log = env.ok(&["log", "--format", "jsonl"]);
    let eleventh: Value = serde_json::from_str(log.lines().nth(10).unwrap()).unwrap();
    assert_eq!(known["head"], eleventh["hash"]);
    assert_eq!(
        env.json(&["results", "--known-at", "11", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // By time: every event was recorded at the same instant.
    let by_time = env.json(&[
        "standings",
        "--known-at",
        "2026-11-28T10:00:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(by_time["known_at"], 23);
    let err = env.fails(2, &["standings", "--known-at", "2026-11-28T09:00:00Z"]);
    assert!(
        err.contains("nothing was known at seq 0: the first stage appears at seq"),
        "{err}"
    );
    let err = env.fails(2, &["standings", "--known-at", "99"]);
    assert!(err.contains("beyond the head"), "{err}");
}

#[test]
fn names_match_loosely_and_ambiguity_lists_the_choices() {
    let env = Env::new();
    env.import_seed();
    let p = env.file("1985.txt", SEED);
    env.ok(&["import", p.to_str().unwrap(), "--season", "1985"]);
    let err = env.fails(2, &["standings"]);
    assert!(
        err.contains("--season '1984'") && err.contains("--season '1985'"),
        "{err}"
    );
    let v = env.json(&[
        "standings",
        "--competition",
        "COPA PERU",
        "--season",
        "1985",
        "--format",
        "json",
    ]);
    assert_eq!(v["season"], "1985");
    assert_eq!(
        v["rows"][0]["points"], 10,
        "1985 states no points: 2 for a win by the era"
    );
    let err = env.fails(
        2,
        &[
            "standings",
            "--competition",
            "Copa America",
            "--season",
            "1984",
        ],
    );
    assert!(
        err.contains("unknown competition 'Copa America'; known: Copa Perú"),
        "{err}"
    );
    let err = env.fails(2, &["standings", "--season", "1999"]);
    assert!(err.contains("known: 1984, 1985"), "{err}");
    let err = env.fails(
        2,
        &["results", "--season", "1984", "--team", "Sporting Cristal"],
    );
    assert!(
        err.contains("unknown team 'Sporting Cristal'") && err.contains("Los Espartanos"),
        "{err}"
    );
}

#[test]
fn results_list_matches_with_stable_ids() {
    let env = Env::new();
    env.import_seed();
    let all = env.json(&["results", "--format", "json"]);
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 15);
    for key in [
        "id",
        "competition",
        "season",
        "stage",
        "round",
        "date",
        "home",
        "away",
        "home_goals",
        "away_goals",
        "seq",
    ] {
        assert!(all[0].get(key).is_some(), "missing {key}");
    }
    let dates: Vec<&str> = all.iter().map(|r| r["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    let mine = env.json(&[
        "results",
        "--team",
        "los espartanos",
        "--as-of",
        "1984-12-09",
        "--format",
        "json",
    ]);
    assert_eq!(mine.as_array().unwrap().len(), 3);
    // Ids do not depend on the archive: a fresh import gives the same ids.
    let other = Env::new();
    other.import_seed();
    assert_eq!(
        other.json(&["results", "--format", "json"])[4]["id"],
        all[4]["id"]
    );
}

#[test]
fn rules_can_be_shown_and_changed() {
    let env = Env::new();
    env.import_seed();
    let out = env.ok(&["rules", "--competition", "Copa Peru", "--season", "1984"]);
    assert!(
        out.contains(
            "2 for a win, 1 for a draw, 0 for a loss; tie-break points,goal-difference,goals-for"
        ),
        "{out}"
    );
    let out = env.ok(&[
        "rules",
        "--competition",
        "Copa Peru",
        "--season",
        "1984",
        "--points-for-win",
        "3",
        "--tiebreak",
        "points,head-to-head",
    ]);
    assert!(out.starts_with("recorded seq 24"), "{out}");
    let v = env.json(&["standings", "--format", "json"]);
    assert_eq!(v["rows"][0]["points"], 15);
    // Guardia Republicana and Deportivo Educación: 4 points each; Guardia won their match 3-0.
    let rows = v["rows"].as_array().unwrap();
    let pos = |t: &str| {
        rows.iter().find(|r| r["team"] == t).unwrap()["pos"]
            .as_i64()
            .unwrap()
    };
    assert!(pos("Guardia Republicana") < pos("Deportivo Educación"));
    let err = env.fails(
        2,
        &[
            "rules",
            "--competition",
            "Copa Peru",
            "--season",
            "1984",
            "--tiebreak",
            "coin-toss",
        ],
    );
    assert!(err.contains("goal-average"), "{err}");
    env.ok(&["verify"]);
}

#[test]
fn help_shows_examples_and_completions_work() {
    let env = Env::new();
    for cmd in [
        "import",
        "rules",
        "record",
        "standings",
        "results",
        "log",
        "verify",
        "head",
        "rebuild",
        "completions",
    ] {
        let out = env.ok(&[cmd, "--help"]);
        assert!(out.contains("Example"), "{cmd} --help has no example");
    }
    assert!(env.ok(&["--help"]).contains("Examples:"));
    assert!(env.ok(&["completions", "bash"]).contains("scoreledger"));
}

#[test]
fn empty_or_missing_archives_give_clear_errors() {
    let env = Env::new();
    let err = env.fails(2, &["standings"]);
    assert!(err.contains("no scoreledger store at"), "{err}");
    let p = env.file("empty.txt", "");
    let err = env.fails(2, &["import", p.to_str().unwrap()]);
    assert!(err.contains("the file is empty"), "{err}");
    let p = env.file("binary.txt", "");
    std::fs::write(&p, [0xff, 0xfe, 0x00, 0x80]).unwrap();
    let err = env.fails(2, &["import", p.to_str().unwrap()]);
    assert!(err.contains("not valid UTF-8"), "{err}");
    let err = env.fails(2, &["import", "/nonexistent/page.txt"]);
    assert!(err.contains("cannot read"), "{err}");
    let not_a_dir = env.file("plain-file", "x");
    let out = Command::cargo_bin("scoreledger")
        .unwrap()
        .args(["--db", not_a_dir.to_str().unwrap(), "head"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a file"));
}

#[test]
fn log_and_rebuild() {
    let env = Env::new();
    env.import_seed();
    let log = env.ok(&["log", "--format", "jsonl"]);
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 23);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["seq"], i as u64 + 1);
        assert_eq!(l["recorded_at"], "2026-11-28T10:00:00Z");
        if i > 0 {
            assert_eq!(l["prev"], lines[i - 1]["hash"]);
        }
    }
    assert!(lines[8]["event"]["match_result"].is_object());
    let before = env.ok(&["standings", "--format", "json"]);
    assert_eq!(env.ok(&["rebuild"]), "rebuilt from 23 events\n");
    assert_eq!(env.ok(&["standings", "--format", "json"]), before);
    env.ok(&["verify"]);
}

/// One small file per importer with one row that fails its checks:
/// `(name, text, its line, why, results in the rest)`.
/// An English file of `rows` results (a season of 100 clubs, each pairing
/// once) whose row at file line `bad` has a score that is not a number: more
/// rows than one batch of the importer's parsing thread.
fn long_english_file(rows: usize, bad: usize) -> String {
    let mut out = common::ENG_HEADER.to_string();
    let mut n = 0;
    'all: for h in 0..100 {
        for a in 0..100 {
            if h == a {
                continue;
            }
            if n == rows {
                break 'all;
            }
            n += 1;
            let line = n + 1;
            let vgoal = if line == bad { "x" } else { "1" };
            let day = 1 + (n % 28);
            out.push_str(&format!(
                "1950-10-{day:02},1950,Club {h},Club {a},2-1,2,{vgoal},1,1,3,1,\n"
            ));
        }
    }
    out
}

fn one_bad_row() -> Vec<(&'static str, String, usize, &'static str, usize)> {
    let eng = common::ENG_HEADER;
    let intl = "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral\n";
    vec![
        // Many parse batches: a bad row in the first, and one far on.
        (
            "eng-long-early.csv",
            long_english_file(5_000, 3),
            3,
            "vgoal 'x' is not a whole number of goals",
            4_999,
        ),
        (
            "eng-long-late.csv",
            long_english_file(5_000, 4_321),
            4_321,
            "vgoal 'x' is not a whole number of goals",
            4_999,
        ),
        (
            "eng.csv",
            format!(
                "{eng}1888-09-08,1888,Bolton Wanderers,Derby County,3-6,3,6,1,1,9,-3,A\n\
                 1888-09-08,1888,Everton,Accrington,2-1,2,x,1,1,3,1,H\n\
                 1888-09-15,1888,Derby County,Everton,2-2,2,2,1,1,4,0,D\n"
            ),
            3,
            "vgoal 'x' is not a whole number of goals",
            2,
        ),
        (
            "intl.csv",
            format!(
                "{intl}1974-02-17,Tahiti,New Caledonia,2,1,Friendly,Papeete,Tahiti,FALSE\n\
                 1974-02-18,Fiji,Tahiti,-2,2,Friendly,Suva,Fiji,TRUE\n\
                 1974-02-20,Fiji,New Caledonia,0,0,Friendly,Suva,Fiji,TRUE\n"
            ),
            3,
            "home_score '-2' is not a whole number of goals",
            2,
        ),
        (
            "fd.csv",
            "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\n\
             E0,09/08/2019,Liverpool,Norwich,4,1\n\
             E0,31/11/2019,West Ham,Man City,0,5\n\
             E0,10/08/2019,Bournemouth,Sheffield United,1,1\n"
                .to_string(),
            3,
            "impossible date '31/11/2019'",
            2,
        ),
        (
            "of.json",
            "{\"name\": \"English Premier League 2024/25\", \"matches\": [\n\
             {\"round\": \"Matchday 1\", \"date\": \"2024-08-16\", \"team1\": \"Man United\", \"team2\": \"Fulham\", \"score\": {\"ft\": [1, 0]}},\n\
             {\"round\": \"Matchday 1\", \"date\": \"2024-08-17\", \"team1\": \"Ipswich\", \"score\": {\"ft\": [0, 2]}},\n\
             {\"round\": \"Matchday 1\", \"date\": \"2024-08-17\", \"team1\": \"Arsenal\", \"team2\": \"Wolves\", \"score\": {\"ft\": [2, 0]}}\n\
             ]}\n"
                .to_string(),
            3,
            "a match without team1 and team2",
            2,
        ),
        (
            "of.txt",
            "= English Premier League 2019/20\n\nMatchday 1\n[Fri Aug/9]\n  \
             Liverpool FC  4-1  Norwich City\n  \
             West Ham United  0-5  West Ham United\n  \
             Bournemouth  1-1  Sheffield United\n"
                .to_string(),
            6,
            "a team cannot play itself",
            2,
        ),
        (
            "page.txt",
            SEED.replacen(
                "Los Espartanos 1-0 Bella Esperanza",
                "Los Espartanos 1-0 Bela Esperanza",
                1,
            ),
            34,
            "not in the teams table",
            14,
        ),
    ]
}

#[test]
fn a_row_that_fails_its_checks_refuses_the_file_unless_asked_to_skip_it() {
    for (name, text, line, why, rest) in one_bad_row() {
        let env = Env::new();
        let f = env.file(name, &text);
        let f = f.to_str().unwrap();
        let said = format!("{f}:{line}: ");
        let err = env.fails(2, &["import", f]);
        assert!(err.contains(&said) && err.contains(why), "{name}: {err}");
        assert!(!env.db().exists(), "{name}: nothing is written");
        let out = env.run(&["import", f, "--skip-invalid"]);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        assert!(
            stdout.contains(&format!(
                " {rest} match_result), 0 already present, skipped 1 invalid row\n"
            )) && stdout.contains(&format!("left out (why on stderr): {f}:{line}\n")),
            "{name}: {stdout}"
        );
        let listed: Vec<&str> = stderr.lines().filter(|l| l.starts_with(f)).collect();
        assert_eq!(listed.len(), 1, "{name}: {stderr}");
        assert!(
            listed[0].starts_with(&said) && listed[0].contains(why),
            "{name}: {stderr}"
        );
        let results = env.json(&["results", "--format", "json"]);
        assert_eq!(results.as_array().unwrap().len(), rest, "{name}");
        env.ok(&["verify"]);
    }
}

#[test]
fn rows_the_archive_refuses_are_skipped_when_asked_before_anything_is_written() {
    let env = Env::new();
    let mut csv = String::from(common::ENG_HEADER);
    for (date, home, away) in [
        ("2009-08-15", "Portsmouth", "Fulham"),
        ("2009-12-05", "Fulham", "Burnley"),
        ("2010-05-09", "Burnley", "Portsmouth"),
    ] {
        csv.push_str(&format!("{date},2009,{home},{away},1-0,1,0,1,1,1,1,\n"));
    }
    let results = env.file("eng.csv", &csv);
    env.ok(&["import", results.to_str().unwrap()]);
    // A deduction in a tier the team did not play in: checked against the archive.
    let ded = env.file(
        "ded.csv",
        "\"Season\",\"team\",\"tier\",\"deduction\",\"country\"\n\
         2009,\"Portsmouth\",1,9,\"England\"\n\
         2009,\"Burnley\",3,1,\"England\"\n\
         2009,\"Fulham\",1,2,\"England\"\n",
    );
    let ded = ded.to_str().unwrap();
    let head = env.head();
    let why = "Burnley did not play in tier 3 in 2009-10 (it played in Division 1)";
    let err = env.fails(2, &["import", ded]);
    assert!(err.contains(&format!("{ded}:3: {why}")), "{err}");
    assert_eq!(env.head(), head, "nothing is written");
    let out = env.run(&["import", ded, "--skip-invalid"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "appended 2 events (2 points_adjusted), 0 already present, skipped 1 invalid row"
        ) && stderr.contains(&format!("{ded}:3: {why}")),
        "{stdout}{stderr}"
    );
    let adj: Vec<i64> = env.json(&["standings", "--format", "json"])["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["adjustment"].as_i64().unwrap())
        .collect();
    assert_eq!(adj.iter().sum::<i64>(), -11);
    // A result that contradicts a recorded one: refused by the archive as
    // the events are checked, before the batch is written.
    let changed = csv.replacen("Fulham,Burnley,1-0,1,0", "Fulham,Burnley,0-0,0,0", 1);
    let changed = csv_with_one_more(&changed);
    let f = env.file("changed.csv", &changed);
    let f = f.to_str().unwrap();
    let head = env.head();
    let err = env.fails(2, &["import", f]);
    assert!(
        err.contains(&format!("{f}:3: ")) && err.contains("is already recorded as 1-0"),
        "{err}"
    );
    assert_eq!(env.head(), head, "nothing is written");
    let out = env.run(&["import", f, "--skip-invalid"]);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains(
            "appended 1 event (1 match_result), 3 already present, skipped 1 invalid row"
        ) && stderr.contains(&format!("{f}:3: "))
            && stderr.contains("is already recorded as 1-0"),
        "{stdout}{stderr}"
    );
    env.ok(&["verify"]);
    // An export is taken whole: none of its events can be left out.
    let export = env.dir_path().join("all.jsonl");
    env.ok(&["export", "--output", export.to_str().unwrap()]);
    let other = Env::new();
    let err = other.fails(2, &["import", export.to_str().unwrap(), "--skip-invalid"]);
    assert!(err.contains("an export is imported whole"), "{err}");
    assert!(!other.db().exists());
}

/// An engsoccerdata text with one more 2009-10 result.
fn csv_with_one_more(csv: &str) -> String {
    format!("{csv}2010-01-16,2009,Fulham,Portsmouth,2-2,2,2,1,1,4,0,D\n")
}
