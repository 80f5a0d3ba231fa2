//! Golden CLI output: the text, markdown, csv and json forms of the reading
//! commands, and the main error messages, on the 1984 data with a
//! correction and a deduction, pinned in `tests/golden/`. A change to any
//! of them fails here; when it is meant, rerun with `SCORELEDGER_BLESS=1`
//! and review the diff.

use crate::common;

use std::path::Path;

use common::Env;

/// (golden file, arguments): stdout of a command that succeeds.
const OUTPUTS: &[(&str, &[&str])] = &[
    ("standings.txt", &["standings"]),
    (
        "standings-as-of.md",
        &["standings", "--as-of", "1984-12-09", "--format", "markdown"],
    ),
    (
        "standings-round-3.csv",
        &["standings", "--round", "3", "--format", "csv"],
    ),
    (
        "standings-known-at-23.json",
        &["standings", "--known-at", "23", "--format", "json"],
    ),
    ("results.txt", &["results"]),
    (
        "results-team.csv",
        &["results", "--team", "espartanos", "--format", "csv"],
    ),
    (
        "results-round-5.json",
        &["results", "--round", "5", "--format", "json"],
    ),
    ("history.txt", &["history", "35690f"]),
    ("history.json", &["history", "35690f", "--format", "json"]),
    ("diff.txt", &["diff", "--from", "seq:23", "--to", "seq:25"]),
    (
        "diff-dates.json",
        &[
            "diff",
            "--from",
            "1984-12-05",
            "--to",
            "1984-12-09",
            "--format",
            "json",
        ],
    ),
    ("log.txt", &["log"]),
    ("log.jsonl", &["log", "--format", "jsonl"]),
    ("head.txt", &["head"]),
    ("head.json", &["head", "--format", "json"]),
];

/// (golden file, exit code, arguments): stderr of a command refused.
const ERRORS: &[(&str, i32, &[&str])] = &[
    (
        "error-unknown-team.txt",
        2,
        &["results", "--team", "nobody"],
    ),
    (
        "error-unknown-competition.txt",
        2,
        &["standings", "--competition", "bundesliga"],
    ),
    (
        "error-bad-date.txt",
        2,
        &["standings", "--as-of", "1984-13-01"],
    ),
    (
        "error-known-at-beyond-head.txt",
        2,
        &["standings", "--known-at", "99"],
    ),
    ("error-round-0.txt", 2, &["standings", "--round", "0"]),
    ("error-unknown-match.txt", 2, &["history", "ffffffffff"]),
    (
        "error-outside-season.txt",
        2,
        &[
            "record",
            "--competition",
            "Copa Perú",
            "--season",
            "1984",
            "--round",
            "6",
            "--date",
            "1985-03-01",
            "Los Espartanos",
            "1-0",
            "Bella Esperanza",
        ],
    ),
    (
        "error-overwrite.txt",
        2,
        &[
            "record",
            "--competition",
            "Copa Perú",
            "--season",
            "1984",
            "--round",
            "1",
            "--date",
            "1984-12-02",
            "Los Espartanos",
            "5-0",
            "Bella Esperanza",
        ],
    ),
];

fn seeded() -> Env {
    let env = Env::new();
    env.import_seed();
    env.ok_at(
        "2026-12-01T09:00:00Z",
        &["correct", "35690f0f1c", "1-1", "--reason", "score mistyped"],
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
            "-3",
            "--date",
            "1984-12-10",
            "--reason",
            "unpaid fee",
        ],
    );
    env
}

/// Compares `got` with the golden file, or writes it when blessing.
fn check(name: &str, got: &str, failures: &mut Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("SCORELEDGER_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
    }
    match std::fs::read_to_string(&path) {
        Ok(want) if want == got => {}
        Ok(want) => failures.push(format!(
            "{name} differs:\n--- golden\n{want}\n--- now\n{got}"
        )),
        Err(_) => failures.push(format!("{name} is missing (SCORELEDGER_BLESS=1 writes it)")),
    }
}

#[test]
fn the_reading_commands_print_their_golden_output() {
    let env = seeded();
    let mut failures = Vec::new();
    for (name, args) in OUTPUTS {
        check(name, &env.ok(args), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_main_errors_print_their_golden_message() {
    let env = seeded();
    let mut failures = Vec::new();
    for (name, code, args) in ERRORS {
        check(name, &env.fails(*code, args), &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
