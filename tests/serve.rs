//! `scoreledger serve`: a real server on a free loopback port, asked by a
//! real HTTP client. Every read endpoint answers what the CLI prints for the
//! same question; bad input is a 4xx with a hint; writes need the token;
//! readers are answered during an import and see whole batches.

mod common;

use common::server::Server;
use common::Env;
use serde_json::Value;

/// Percent-encodes a query value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A question asked both ways: CLI arguments and an API path.
struct Question {
    cli: Vec<String>,
    api: String,
    /// The CLI prints JSON (else text, compared as is).
    json: bool,
}

fn q(cli: &[&str], api: &str) -> Question {
    Question {
        cli: cli.iter().map(|s| s.to_string()).collect(),
        api: api.to_string(),
        json: true,
    }
}

fn text(cli: &[&str], api: &str) -> Question {
    Question {
        json: false,
        ..q(cli, api)
    }
}

/// Asks the CLI every question, then the server, and compares.
fn check_same_answers(env: &Env, questions: &[Question]) {
    let expected: Vec<String> = questions
        .iter()
        .map(|q| env.ok(&q.cli.iter().map(String::as_str).collect::<Vec<_>>()))
        .collect();
    let server = Server::start(&env.db(), None);
    for (q, want) in questions.iter().zip(expected) {
        let (status, got) = server.get(&q.api);
        assert_eq!(status, 200, "GET {}: {got}", q.api);
        if q.json {
            let want: Value = serde_json::from_str(&want).unwrap();
            let got: Value = serde_json::from_str(&got).unwrap();
            assert_eq!(got, want, "GET {} differs from {:?}", q.api, q.cli);
        } else {
            assert_eq!(got, want, "GET {} differs from {:?}", q.api, q.cli);
        }
    }
}

/// The seed with a correction (seq 24), so that history and known_at matter.
fn seed_with_correction() -> (Env, String) {
    let env = Env::new();
    env.import_seed();
    let id = env.match_id(1, "Alianza Atlético");
    env.ok(&["correct", &id, "2-2", "--reason", "score mistyped"]);
    (env, id)
}

#[test]
fn read_endpoints_answer_what_the_cli_prints_on_the_1984_data() {
    let (env, id) = seed_with_correction();
    let history = format!("/api/matches/{id}/history");
    let history_prefix = format!("/api/matches/{}/history", &id[..4]);
    let questions = vec![
        q(&["head", "--format", "json"], "/api/head"),
        q(
            &["list", "competitions", "--format", "json"],
            "/api/list/competitions",
        ),
        q(
            &["list", "seasons", "--format", "json"],
            "/api/list/seasons",
        ),
        q(
            &["list", "stages", "--format", "json", "--known-at", "10"],
            "/api/list/stages?known_at=10",
        ),
        q(&["list", "teams", "--format", "json"], "/api/list/teams"),
        q(&["standings", "--format", "json"], "/api/standings"),
        q(
            &[
                "standings",
                "--format",
                "json",
                "--as-of",
                "1984-12-09",
                "--competition",
                "copa peru",
            ],
            "/api/standings?as_of=1984-12-09&competition=copa%20peru",
        ),
        q(
            &["standings", "--format", "json", "--round", "3"],
            "/api/standings?round=3",
        ),
        q(
            &["standings", "--format", "json", "--known-at", "23"],
            "/api/standings?known_at=23",
        ),
        q(
            &[
                "standings",
                "--format",
                "json",
                "--known-at",
                "2026-11-28T10:00:00Z",
            ],
            "/api/standings?known_at=2026-11-28T10%3A00%3A00Z",
        ),
        q(&["results", "--format", "json"], "/api/results"),
        q(
            &[
                "results",
                "--format",
                "json",
                "--team",
                "los espartanos",
                "--as-of",
                "1984-12-09",
            ],
            "/api/results?team=los%20espartanos&as_of=1984-12-09",
        ),
        q(
            &["results", "--format", "json", "--through-round", "2"],
            "/api/results?through_round=2",
        ),
        q(
            &[
                "results",
                "--format",
                "json",
                "--round",
                "1",
                "--known-at",
                "23",
            ],
            "/api/results?round=1&known_at=23",
        ),
        q(&["history", &id, "--format", "json"], &history),
        q(&["history", &id[..4], "--format", "json"], &history_prefix),
        q(
            &[
                "diff",
                "--from",
                "1984-12-05",
                "--to",
                "1984-12-09",
                "--format",
                "json",
            ],
            "/api/diff?from=1984-12-05&to=1984-12-09",
        ),
        q(
            &[
                "diff", "--from", "seq:23", "--to", "seq:24", "--format", "json",
            ],
            "/api/diff?from=seq:23&to=seq:24",
        ),
        q(&["prove", "12", "--format", "json"], "/api/proof/12"),
        text(&["checkpoint"], "/api/checkpoint"),
        text(
            &["checkpoint", "--origin", "league.example.org/peru"],
            "/api/checkpoint?origin=league.example.org%2Fperu",
        ),
        text(&["export"], "/api/events?limit=10000"),
        text(&["chart", "--output", "-"], "/api/chart.svg"),
        text(
            &[
                "chart",
                "--kind",
                "points",
                "--by",
                "round",
                "--as-of",
                "1984-12-09",
                "--output",
                "-",
            ],
            "/api/chart.svg?kind=points&by=round&as_of=1984-12-09",
        ),
        text(
            &["report", "--output", "-", "--known-at", "23"],
            "/api/report.html?known_at=23",
        ),
    ];
    check_same_answers(&env, &questions);
}

#[test]
fn read_endpoints_answer_what_the_cli_prints_on_an_openfootball_season() {
    let env = Env::new();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/oftxt_2024-25_1-premierleague.txt"
    );
    env.ok(&["import", file]);
    let c = "English Premier League";
    let standings = |extra: &str| format!("/api/standings?competition={}{extra}", enc(c));
    let questions = vec![
        q(&["list", "stages", "--format", "json"], "/api/list/stages"),
        q(
            &["standings", "--format", "json", "--competition", c],
            &standings(""),
        ),
        q(
            &[
                "standings",
                "--format",
                "json",
                "--competition",
                c,
                "--as-of",
                "2024-12-26",
            ],
            &standings("&as_of=2024-12-26"),
        ),
        q(
            &[
                "standings",
                "--format",
                "json",
                "--competition",
                c,
                "--round",
                "19",
            ],
            &standings("&round=19"),
        ),
        q(
            &["results", "--format", "json", "--team", "arsenal"],
            "/api/results?team=arsenal",
        ),
        q(
            &[
                "diff", "--from", "round:10", "--to", "round:20", "--format", "json",
            ],
            "/api/diff?from=round:10&to=round:20",
        ),
        text(&["export"], "/api/events?after=100&limit=5"),
    ];
    // The export from seq 101 to 105 only: compare the same lines.
    let mut questions = questions;
    let export = env.ok(&["export"]);
    let lines: String = export
        .lines()
        .skip(100)
        .take(5)
        .map(|l| format!("{l}\n"))
        .collect();
    let last = questions.pop().unwrap();
    check_same_answers(&env, &questions);
    let server = Server::start(&env.db(), None);
    assert_eq!(server.get(&last.api), (200, lines));
}

/// (path, status): every bad question is a 4xx with an error and a hint.
fn check_refused(server: &Server, cases: &[(&str, u16)]) {
    for (path, status) in cases {
        let (got, body) = server.get(path);
        assert_eq!(got, *status, "GET {path}: {body}");
        let v: Value =
            serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"));
        assert!(
            v["error"].as_str().is_some_and(|s| !s.is_empty()),
            "GET {path}: {body}"
        );
        assert!(
            v["hint"].as_str().is_some_and(|s| !s.is_empty()),
            "GET {path}: {body}"
        );
    }
}

#[test]
fn bad_questions_are_refused_with_a_hint_never_a_500() {
    let (env, _) = seed_with_correction();
    let server = Server::start(&env.db(), None);
    let long = format!("/api/standings?competition={}", "x".repeat(3000));
    check_refused(
        &server,
        &[
            ("/api/standings?as_of=1984-13-01", 400),
            ("/api/standings?as_of=yesterday", 400),
            ("/api/standings?seasn=1984", 400),
            ("/api/standings?round=abc", 400),
            ("/api/standings?round=-1", 400),
            ("/api/standings?as_of=1984-12-09&round=2", 400),
            ("/api/standings?known_at=banana", 400),
            ("/api/standings?known_at=999", 400),
            ("/api/standings?competition=bundesliga", 404),
            ("/api/results?round=1&through_round=2", 400),
            ("/api/results?team=nobody%20fc", 404),
            ("/api/matches/ffffffffff/history", 404),
            ("/api/matches/%00/history", 400),
            ("/api/diff?from=1984-12-05", 400),
            ("/api/diff?from=round:x&to=round:2", 400),
            ("/api/proof/0", 400),
            ("/api/proof/999", 400),
            ("/api/proof/abc", 400),
            ("/api/events?limit=0", 400),
            ("/api/events?limit=100000", 400),
            ("/api/chart.svg?kind=pie", 400),
            ("/api/report.html?kind=points", 400),
            ("/api/checkpoint?origin=", 400),
            ("/api/list/nope", 404),
            ("/api/nope", 404),
            (&long, 414),
        ],
    );
}

#[test]
fn writes_need_the_token_and_append_what_the_cli_would() {
    let (env, id) = seed_with_correction();
    let token = "correct-horse-battery-staple";
    let tfile = env.file("token.txt", &format!("{token}\n"));
    // A read-only server refuses every write.
    let ro = Server::start(&env.db(), None);
    let (status, body) = ro.post(
        "/api/annul",
        Some(token),
        &format!(r#"{{"id":"{id}","reason":"r"}}"#),
    );
    assert_eq!(status, 403, "{body}");
    drop(ro);
    let server = Server::start(&env.db(), Some(&tfile));
    let annul = format!(r#"{{"id":"{id}","reason":"walkover"}}"#);
    assert_eq!(server.post("/api/annul", None, &annul).0, 401);
    assert_eq!(
        server
            .post("/api/annul", Some("wrong-token-wrong-token-x"), &annul)
            .0,
        401
    );
    assert_eq!(server.post("/api/import", None, common::SEED).0, 401);
    let head = server.json("/api/head");
    assert_eq!(head["seq"], 24, "nothing was written: {head}");
    // Bad bodies: 400 with a hint; too large: 413.
    let (status, body) = server.post("/api/record", Some(token), r#"{"competition":"Copa Perú"}"#);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("hint"), "{body}");
    let huge = format!(r#"{{"id":"{id}","reason":"{}"}}"#, "x".repeat(100_000));
    assert_eq!(server.post("/api/annul", Some(token), &huge).0, 413);
    // Each write command, as the CLI names its options.
    let record = r#"{"competition":"Copa Perú","season":"1984","round":6,"date":"1984-12-23",
        "home":"Los Espartanos","score":"1-0","away":"Bella Esperanza","allow_outside_season":true}"#;
    let (status, body) = server.post("/api/record", Some(token), record);
    assert_eq!(status, 201, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["seq"], 25);
    let (status, body) = server.post("/api/record", Some(token), record);
    assert_eq!(
        (status, body.contains("already recorded")),
        (200, true),
        "{body}"
    );
    let typo = record.replace("Bella Esperanza", "Bela Esperansa");
    let (status, body) = server.post("/api/record", Some(token), &typo);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("did you mean"), "{body}");
    for (path, body) in [
        ("/api/correct", format!(r#"{{"id":"{id}","score":"1-1","reason":"again"}}"#)),
        ("/api/award", format!(r#"{{"id":"{id}","to":"Alianza Atlético","reason":"ineligible player"}}"#)),
        ("/api/annul", annul.clone()),
        ("/api/adjust", r#"{"competition":"Copa Perú","season":"1984","team":"Los Espartanos","points":-2,"date":"1984-12-16","reason":"fined"}"#.to_string()),
    ] {
        let (status, answer) = server.post(path, Some(token), &body);
        assert_eq!(status, 201, "POST {path}: {answer}");
    }
    assert_eq!(server.json("/api/head")["seq"], 29);
    let history = server.json(&format!("/api/matches/{id}/history"));
    assert_eq!(history["status"], "annulled", "{history}");
    assert_eq!(server.stop(), Some(0));
    // What the server wrote is the archive's, as the CLI reads it.
    assert!(env.ok(&["verify"]).contains("29 events"));
    let table = env.table(&[]);
    assert_eq!(table["Los Espartanos"]["adjustment"], -2);
}

#[test]
fn an_import_through_the_api_is_the_cli_import() {
    let by_cli = Env::new();
    by_cli.import_seed();
    let by_api = Env::new();
    let token = "0123456789abcdef0123";
    let tfile = by_api.file("token.txt", token);
    let server = Server::start(&by_api.db(), Some(&tfile));
    let (status, body) = server.post("/api/import?points_for_win=2", Some(token), common::SEED);
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["format"], "page");
    let (status, body) = server.post("/api/import?format=jsonl", Some(token), common::SEED);
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("line 1"), "{body}");
    let (status, body) = server.post(
        "/api/import?points_for_win=3&format=intl-results",
        Some(token),
        "x",
    );
    assert_eq!(status, 400, "{body}");
    server.stop();
    assert_eq!(by_api.head(), by_cli.head());
}

#[test]
fn an_import_through_the_api_skips_invalid_rows_only_when_asked() {
    let env = Env::new();
    let token = "0123456789abcdef0123";
    let tfile = env.file("token.txt", token);
    let server = Server::start(&env.db(), Some(&tfile));
    let page = common::SEED.replacen(
        "Los Espartanos 1-0 Bella Esperanza",
        "Los Espartanos 1-0 Bela Esperanza",
        1,
    );
    let (status, body) = server.post("/api/import?points_for_win=2", Some(token), &page);
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("line 34: ") && body.contains("not in the teams table"),
        "{body}"
    );
    assert_eq!(server.json("/api/head")["seq"], 0, "nothing is written");
    let url = "/api/import?points_for_win=2&skip_invalid=true";
    let (status, body) = server.post(url, Some(token), &page);
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["by_kind"]["match_result"], 14, "{body}");
    assert_eq!(v["skipped"][0]["line"], 34, "{body}");
    assert!(
        v["skipped"][0]["why"]
            .as_str()
            .unwrap()
            .contains("not in the teams table"),
        "{body}"
    );
    server.stop();
}

#[test]
fn readers_are_answered_during_a_large_import_and_see_whole_batches() {
    let env = Env::new();
    env.import_seed();
    let base = 23u64;
    let token = "0123456789abcdef0123";
    let tfile = env.file("token.txt", token);
    let server = std::sync::Arc::new(Server::start(&env.db(), Some(&tfile)));
    let file = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/intl_results_1872_1974.csv"
    ))
    .unwrap();
    let batch = 100u64;
    let writer = {
        let server = server.clone();
        std::thread::spawn(move || {
            // The file holds two rows of one match that disagree: the later is left out.
            let url = format!("/api/import?batch={batch}&skip_invalid=true");
            server.post(&url, Some(token), &file)
        })
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut answered = 0;
    while !writer.is_finished() {
        let head = server.json("/api/head");
        let (status, body) = server.get("/api/standings?competition=copa%20peru&as_of=1984-12-09");
        assert_eq!(status, 200, "{body}");
        answered += 1;
        seen.insert(head["seq"].as_u64().unwrap());
    }
    let (status, body) = writer.join().unwrap();
    assert_eq!(status, 200, "{body}");
    let done: Value = serde_json::from_str(&body).unwrap();
    let last = done["head"]["seq"].as_u64().unwrap();
    for seq in &seen {
        assert!(
            *seq == last || (seq - base).is_multiple_of(batch),
            "a reader saw seq {seq}: part of a batch (base {base}, batch {batch})"
        );
    }
    let during = seen.iter().filter(|s| **s > base && **s < last).count();
    assert!(
        during >= 2,
        "readers saw {during} heads during the import ({answered} answers): {seen:?}"
    );
}

#[test]
fn while_served_the_cli_names_the_server_and_works_again_after_it_stops() {
    let env = Env::new();
    env.import_seed();
    let server = Server::start(&env.db(), None);
    let err = env.fails(3, &["head"]);
    assert!(
        err.contains(&format!("served by scoreledger serve at {}", server.url))
            && err.contains("(pid "),
        "{err}"
    );
    let err = env.fails(
        3,
        &[
            "import",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/1984-copa-peru.txt"),
        ],
    );
    assert!(err.contains("use the API or stop it"), "{err}");
    assert!(env.db().join("scoreledger.serve").exists());
    assert_eq!(server.stop(), Some(0));
    assert!(!env.db().join("scoreledger.serve").exists());
    assert!(env.ok(&["head"]).starts_with("23 "));
}

#[test]
fn a_note_left_by_a_killed_server_does_not_lock_anyone_out() {
    let env = Env::new();
    env.import_seed();
    Server::start(&env.db(), None).kill();
    assert!(env.db().join("scoreledger.serve").exists());
    assert!(env.ok(&["head"]).starts_with("23 "));
}

#[test]
fn connections_past_the_cap_get_503_and_the_server_goes_on() {
    let env = Env::new();
    env.import_seed();
    let server = Server::start(&env.db(), None);
    let addr = server.url.trim_start_matches("http://").to_string();
    let idle: Vec<std::net::TcpStream> = (0..256)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (status, body) = server.get("/api/head");
    assert_eq!(status, 503, "{body}");
    drop(idle);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(server.get("/api/head").0, 200);
}
