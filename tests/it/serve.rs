//! `scoreledger serve`: a real server on a free loopback port, asked by a
//! real HTTP client. Every read endpoint answers what the CLI prints for the
//! same question; bad input is a 4xx with a hint; writes need the token;
//! readers are answered during an import and see whole batches.

use crate::common;

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
            ("/api/head?seq=1", 400),
            ("/api/record", 405),
            ("/api/import", 405),
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
fn connections_past_the_cap_all_answering_get_503_and_the_server_goes_on() {
    use std::io::Write;
    let env = Env::new();
    env.import_seed();
    let (token, tfile) = token_file(&env);
    let server = Server::start(&env.db(), Some(&tfile));
    // 256 writes whose bodies never come: every connection is answering.
    let head = format!(
        "POST /api/annul HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Length: 100\r\n\r\n"
    );
    let busy: Vec<std::net::TcpStream> = (0..256)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(server.addr()).unwrap();
            s.write_all(head.as_bytes()).unwrap();
            s
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let (status, body) = server.get("/api/head");
    assert_eq!(status, 503, "{body}");
    drop(busy);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(server.get("/api/head").0, 200);
}

/// A token file and its token.
fn token_file(env: &Env) -> (String, std::path::PathBuf) {
    let token = "correct-horse-battery-staple".to_string();
    let path = env.file("token.txt", &format!("{token}\n"));
    (token, path)
}

/// The English intl results 1872-1974 (9,699 matches), for long imports
/// and heavy questions.
fn intl_results() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/intl_results_1872_1974.csv"
    ))
    .unwrap()
}

/// Posts the intl results (batches of 10) on a thread, and returns once
/// the first batch is in (the head past `base`), with the import's thread.
fn import_in_background(
    server: &std::sync::Arc<Server>,
    token: &str,
    base: u64,
) -> std::thread::JoinHandle<(u16, String)> {
    let writer = {
        let (server, token) = (server.clone(), token.to_string());
        std::thread::spawn(move || {
            server.post(
                "/api/import?batch=10&skip_invalid=true",
                Some(&token),
                &intl_results(),
            )
        })
    };
    let started = std::time::Instant::now();
    while server.json("/api/head")["seq"] == base {
        assert!(started.elapsed().as_secs() < 30, "the import did not start");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    writer
}

#[test]
fn a_write_that_cannot_start_in_time_is_refused_and_never_applied_later() {
    let (env, id) = seed_with_correction();
    let (token, tfile) = token_file(&env);
    let server = std::sync::Arc::new(Server::start_with(
        &env.db(),
        &["--token-file", tfile.to_str().unwrap(), "--write-wait", "0"],
    ));
    // The import holds the writer once its first batch is in.
    let writer = import_in_background(&server, &token, 24);
    let fix = format!(r#"{{"id":"{id}","score":"3-3","reason":"retried"}}"#);
    let bearer = format!("Bearer {token}");
    let headers = [
        ("Authorization", bearer.as_str()),
        ("Content-Type", "application/json"),
        ("Idempotency-Key", "fix-3-3"),
    ];
    let (status, body) = server.post_with("/api/correct", &headers, &fix);
    let import_was_running = !writer.is_finished();
    assert!(
        import_was_running,
        "the import ended too soon for this test"
    );
    assert_eq!(status, 503, "{body}");
    assert!(body.contains("not applied"), "{body}");
    let (status, body) = writer.join().unwrap();
    assert_eq!(status, 200, "{body}");
    let done: Value = serde_json::from_str(&body).unwrap();
    let last = done["head"]["seq"].as_u64().unwrap();
    // Nothing of the refused correction was written, then or later.
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert_eq!(server.json("/api/head")["seq"], last);
    let history = server.json(&format!("/api/matches/{id}/history"));
    assert!(!history.to_string().contains("retried"), "{history}");
    // Retried with its key, it is applied once, and a second retry gets the
    // same answer.
    let first = server.post_with("/api/correct", &headers, &fix);
    assert_eq!(first.0, 201, "{}", first.1);
    assert_eq!(server.post_with("/api/correct", &headers, &fix), first);
    assert_eq!(server.json("/api/head")["seq"], last + 1);
}

#[test]
fn a_write_retried_with_its_idempotency_key_is_applied_once() {
    let (env, id) = seed_with_correction();
    let (token, tfile) = token_file(&env);
    let server = Server::start(&env.db(), Some(&tfile));
    let bearer = format!("Bearer {token}");
    let with_key = |key: &'static str| {
        [
            ("Authorization", bearer.clone()),
            ("Content-Type", "application/json".to_string()),
            ("Idempotency-Key", key.to_string()),
        ]
    };
    let post = |path: &str, key: &'static str, body: &str| {
        let h = with_key(key);
        let h: Vec<(&str, &str)> = h.iter().map(|(n, v)| (*n, v.as_str())).collect();
        server.post_with(path, &h, body)
    };
    // Sent again, an adjustment gets the same answer, not "already
    // recorded".
    let fine = r#"{"competition":"Copa Perú","season":"1984","team":"Los Espartanos","points":-2,"date":"1984-12-16","reason":"fined"}"#;
    let first = post("/api/adjust", "fine-1", fine);
    assert_eq!(first.0, 201, "{}", first.1);
    assert_eq!(post("/api/adjust", "fine-1", fine), first);
    // A correction whose answer was lost, retried after another one: without
    // its key it would be applied again and undo the other.
    let fix = format!(r#"{{"id":"{id}","score":"1-1","reason":"again"}}"#);
    let fixed = post("/api/correct", "fix-1", &fix);
    assert_eq!(fixed.0, 201, "{}", fixed.1);
    let other = fix.replace("1-1", "2-1");
    assert_eq!(server.post("/api/correct", Some(&token), &other).0, 201);
    assert_eq!(post("/api/correct", "fix-1", &fix), fixed);
    assert_eq!(server.json("/api/head")["seq"], 27);
    let history = server.json(&format!("/api/matches/{id}/history"));
    assert!(history.to_string().contains("2-1"), "{history}");
    assert_eq!(history["home_goals"], 2, "{history}");
    // The same key with another request: refused with a hint, nothing written.
    let changed = fine.replace("fined", "fined again");
    for (path, body) in [
        ("/api/adjust", changed.as_str()),
        ("/api/correct", &fix.replace("1-1", "0-0")),
    ] {
        let (status, answer) = post(path, "fine-1", body);
        assert_eq!(status, 422, "{answer}");
        let v: Value = serde_json::from_str(&answer).unwrap();
        assert!(
            v["hint"].as_str().unwrap().contains("Idempotency-Key"),
            "{answer}"
        );
    }
    let long = "k".repeat(300);
    let h = [
        ("Authorization", bearer.as_str()),
        ("Idempotency-Key", long.as_str()),
    ];
    let (status, answer) = server.post_with("/api/adjust", &h, fine);
    assert_eq!(status, 400, "{answer}");
    assert_eq!(server.json("/api/head")["seq"], 27);
    server.stop();
    assert_eq!(env.table(&[])["Los Espartanos"]["adjustment"], -2);
}

#[test]
fn write_bodies_with_unknown_or_conflicting_fields_are_refused_with_a_hint() {
    let (env, id) = seed_with_correction();
    let (token, tfile) = token_file(&env);
    let server = Server::start(&env.db(), Some(&tfile));
    let to = "Alianza Atlético";
    for (path, body, hint) in [
        // A typo of keep_score once awarded the match 3-0.
        ("/api/award", format!(r#"{{"id":"{id}","to":"{to}","keepscore":true,"reason":"r"}}"#), "keep_score"),
        ("/api/correct", format!(r#"{{"id":"{id}","score":"1-1","reason":"r","sorce":"El Comercio"}}"#), "source"),
        ("/api/annul", format!(r#"{{"id":"{id}","reason":"r","force":true}}"#), "POST /api/annul"),
        ("/api/adjust", r#"{"competition":"Copa Perú","season":"1984","team":"Los Espartanos","pionts":-2,"points":-2,"date":"1984-12-16","reason":"r"}"#.into(), "points"),
        ("/api/record", r#"{"competition":"Copa Perú","season":"1984","round":6,"date":"1984-12-23","home":"Los Espartanos","score":"1-0","away":"Bella Esperanza","allow_outside_season":true,"venue":"Lima"}"#.into(), "POST /api/record"),
        // A score and keep_score: the CLI refuses them together.
        ("/api/award", format!(r#"{{"id":"{id}","to":"{to}","score":"2-0","keep_score":true,"reason":"r"}}"#), "keep_score"),
    ] {
        let (status, answer) = server.post(path, Some(&token), &body);
        assert_eq!(status, 400, "POST {path} {body}: {answer}");
        let v: Value = serde_json::from_str(&answer).unwrap();
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{answer}");
        assert!(v["hint"].as_str().unwrap().contains(hint), "POST {path}: {answer}");
    }
    assert_eq!(server.json("/api/head")["seq"], 24, "nothing was written");
    // The body is JSON whatever the Content-Type says (curl -d sends a
    // form type), and a bad one is answered in the API's form.
    let bearer = format!("Bearer {token}");
    let annul = format!(r#"{{"id":"{id}","reason":"walkover"}}"#);
    for (i, content_type) in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ]
    .into_iter()
    .enumerate()
    {
        let mut h = vec![("Authorization", bearer.as_str())];
        h.extend(content_type.map(|c| ("Content-Type", c)));
        let fine = format!(
            r#"{{"competition":"Copa Perú","season":"1984","team":"Los Espartanos","points":-{},"date":"1984-12-16","reason":"r"}}"#,
            i + 1
        );
        let (status, answer) = server.post_with("/api/adjust", &h, &fine);
        assert_eq!(status, 201, "{content_type:?}: {answer}");
        let (status, answer) = server.post_with("/api/annul", &h, "id=1&reason=x");
        assert_eq!(status, 400, "{answer}");
        let v: Value = serde_json::from_str(&answer).unwrap_or_else(|e| panic!("{e}: {answer}"));
        assert!(v["hint"].as_str().unwrap().contains("JSON"), "{answer}");
    }
    let _ = annul;
}

/// Sends a request head (and maybe a little of its body) on a raw
/// connection, and reads the status line of the answer.
fn status_line(addr: &str, head: &str, timeout: std::time::Duration) -> String {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(timeout)).unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    while !got.windows(2).any(|w| w == b"\r\n") {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) => panic!("no answer to {head:?}: {e}"),
        }
    }
    String::from_utf8_lossy(&got)
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

#[test]
fn an_import_without_the_token_is_refused_before_its_body_is_read() {
    let env = Env::new();
    env.import_seed();
    let (_, tfile) = token_file(&env);
    let server = Server::start(&env.db(), Some(&tfile));
    let quick = std::time::Duration::from_secs(5);
    for auth in ["", "Authorization: Bearer wrong-token-wrong-token\r\n"] {
        let head = format!(
            "POST /api/import HTTP/1.1\r\nHost: x\r\nContent-Length: 268435456\r\n{auth}\r\nTeam,Team\n"
        );
        let line = status_line(&server.addr(), &head, quick);
        assert!(line.starts_with("HTTP/1.1 401"), "{line}");
    }
    drop(server);
    let ro = Server::start(&env.db(), None);
    let head = "POST /api/import HTTP/1.1\r\nHost: x\r\nContent-Length: 268435456\r\n\r\n";
    let line = status_line(&ro.addr(), head, quick);
    assert!(line.starts_with("HTTP/1.1 403"), "{line}");
}

#[test]
fn idle_connections_never_lock_others_out() {
    let env = Env::new();
    env.import_seed();
    let server = Server::start(&env.db(), None);
    let idle: Vec<std::net::TcpStream> = (0..256)
        .map(|_| std::net::TcpStream::connect(server.addr()).unwrap())
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(200));
    // Each new client is answered at once: the connection idle longest
    // makes room.
    for _ in 0..20 {
        let (status, body) = server.get("/api/head");
        assert_eq!(status, 200, "{body}");
    }
    drop(idle);
}

#[test]
fn a_connection_without_a_whole_request_head_in_time_is_closed() {
    use std::io::{Read, Write};
    let env = Env::new();
    env.import_seed();
    let server = Server::start(&env.db(), None);
    let connect = || {
        let s = std::net::TcpStream::connect(server.addr()).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        s
    };
    let start = std::time::Instant::now();
    let quiet = connect();
    let mut slow = connect();
    slow.write_all(b"GET /api/head HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    // A kept-alive connection, idle after its answer.
    let mut kept = connect();
    kept.write_all(b"GET /api/head HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = kept.read(&mut buf).unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    for (name, mut s) in [("quiet", quiet), ("slow", slow), ("kept", kept)] {
        let mut rest = Vec::new();
        let closed = s.read_to_end(&mut rest);
        assert!(
            closed.is_ok() || start.elapsed().as_secs() < 15,
            "{name}: not closed: {closed:?}"
        );
        let t = start.elapsed().as_secs_f64();
        assert!((9.0..15.0).contains(&t), "{name}: closed after {t:.1} s");
    }
    // The server goes on.
    assert_eq!(server.get("/api/head").0, 200);
}

#[test]
fn cheap_questions_are_answered_at_once_under_heavy_ones() {
    let env = Env::new();
    let file = env.file("intl.csv", &intl_results());
    env.ok(&["import", file.to_str().unwrap(), "--skip-invalid"]);
    let server = std::sync::Arc::new(Server::start(&env.db(), None));
    let heavy: Vec<_> = (0..48)
        .map(|i| {
            let server = server.clone();
            std::thread::spawn(move || {
                let path = match i % 3 {
                    0 => "/api/results",
                    1 => "/api/results?team=england",
                    _ => "/api/results?as_of=1970-01-01",
                };
                server.get(path).0
            })
        })
        .collect();
    let mut slowest = std::time::Duration::ZERO;
    let mut asked = 0;
    while heavy.iter().any(|h| !h.is_finished()) && asked < 200 {
        let t = std::time::Instant::now();
        assert_eq!(server.get("/api/head").0, 200);
        slowest = slowest.max(t.elapsed());
        asked += 1;
    }
    for h in heavy {
        let status = h.join().unwrap();
        assert!(status == 200 || status == 503, "{status}");
    }
    assert!(
        asked >= 5,
        "the heavy questions ended too soon ({asked} heads)"
    );
    assert!(
        slowest < std::time::Duration::from_millis(500),
        "GET /api/head took {slowest:?} under 48 heavy questions"
    );
}

#[test]
fn the_consistency_proof_from_the_empty_tree_is_answered_not_a_500() {
    let (env, _) = seed_with_correction();
    let cli = env.ok(&["consistency", "0"]);
    let server = Server::start(&env.db(), None);
    let (status, body) = server.get("/api/consistency?from=0");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, cli);
    let (status, body) = server.get("/api/consistency?from=0&to=24");
    assert_eq!((status, body), (200, cli));
}

/// A server asked to stop during an import stops it between batches; the
/// batches committed before are kept, and its answer says so: never 503,
/// which promises that nothing was applied (found by a tester: it answered
/// 503 with "interrupted: N events committed").
#[test]
fn an_import_stopped_with_the_server_answers_what_it_committed_not_503() {
    let env = Env::new();
    env.import_seed();
    let (token, tfile) = token_file(&env);
    let server = std::sync::Arc::new(Server::start(&env.db(), Some(&tfile)));
    let writer = import_in_background(&server, &token, 23);
    server.ask_to_stop();
    let (status, body) = writer.join().unwrap();
    assert!(
        !writer_was_whole(&body),
        "the import ended before the server was asked to stop: {body}"
    );
    let server = std::sync::Arc::into_inner(server).unwrap();
    server.stop();
    let head: u64 = env
        .ok(&["head"])
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(head > 23, "a batch was committed before the stop");
    assert_ne!(status, 503, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["committed"].as_u64(), Some(head - 23), "{body}");
    assert_eq!(v["committed_up_to_seq"].as_u64(), Some(head), "{body}");
    assert!(
        v["error"].as_str().unwrap().contains("interrupted")
            && v["hint"]
                .as_str()
                .unwrap()
                .contains("send the same import again"),
        "{body}"
    );
    // Sent again, it finishes: what was committed is skipped.
    let file = env.file("intl.csv", &intl_results());
    let out = env.ok(&["import", "--skip-invalid", file.to_str().unwrap()]);
    assert!(
        out.contains(&format!("{} already present", head - 23)),
        "{out}"
    );
}

/// True when an import's answer is its whole report (it was not stopped).
fn writer_was_whole(body: &str) -> bool {
    body.contains("\"by_kind\"")
}
