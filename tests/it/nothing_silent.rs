//! Every refusal is said, and nothing is accepted by accident (issue 21):
//! a typo'd scope is refused, a stage's tie-break leaves its points alone,
//! the proof from the empty tree is answered, shared files get the usual
//! mode, a table before its stage began says so, and the clock that stamps
//! events is never silently moved.

use crate::common;

use common::Env;

const RECORD: [&str; 9] = [
    "record",
    "--round",
    "5",
    "--date",
    "1984-12-16",
    "Los Espartanos",
    "2-2",
    "Guardia Republicana",
    "--allow-outside-season",
];

fn record_in(env: &Env, scope: &[&str]) -> std::process::Output {
    let mut args = RECORD.to_vec();
    args.splice(1..1, scope.iter().copied());
    env.run(&args)
}

/// (scope arguments, what the error must say) for a typo at each level.
fn check_typo(env: &Env, scope: &[&str], expect: &[&str]) {
    let head = env.head();
    let out = record_in(env, scope);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{scope:?}: {err}");
    for e in expect {
        assert!(err.contains(e), "{scope:?}: {err}");
    }
    assert_eq!(env.head(), head, "{scope:?} wrote something");
}

#[test]
fn a_typod_competition_season_or_stage_is_refused_with_the_nearest_names() {
    let env = Env::new();
    env.import_seed();
    let cases: [(&[&str], &[&str]); 3] = [
        (
            &["--competition", "Copa Peruu", "--season", "1984"],
            &[
                "unknown competition 'Copa Peruu'",
                "'Copa Perú'",
                "--new-competition",
            ],
        ),
        (
            &["--competition", "copa peru", "--season", "1948"],
            &[
                "unknown season '1948' in copa peru",
                "'1984'",
                "--new-season",
            ],
        ),
        (
            &[
                "--competition",
                "Copa Perú",
                "--season",
                "1984",
                "--stage",
                "Final stag",
            ],
            &["unknown stage 'Final stag'", "'Final stage'", "--new-stage"],
        ),
    ];
    for (scope, expect) in cases {
        check_typo(&env, scope, expect);
    }
    // Deductions name a scope too.
    let err = env.fails(
        2,
        &[
            "adjust",
            "--competition",
            "Copa Peru",
            "--season",
            "1984",
            "--stage",
            "Finl stage",
            "--team",
            "Bella Esperanza",
            "--points",
            "-3",
            "--date",
            "1984-12-10",
            "--reason",
            "x",
        ],
    );
    assert!(err.contains("unknown stage 'Finl stage'"), "{err}");
}

#[test]
fn a_new_scope_is_accepted_when_said_to_be_new() {
    let env = Env::new();
    env.import_seed();
    let scope = [
        "--competition",
        "Copa Perú",
        "--season",
        "1984",
        "--stage",
        "Play-off",
        "--new-stage",
    ];
    let out = record_in(&env, &scope);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let scope = [
        "--competition",
        "Torneo Nuevo",
        "--season",
        "1984",
        "--stage",
        "Liga",
        "--new-competition",
    ];
    let out = record_in(&env, &scope);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The right names, spelled loosely, are the archive's.
    let scope = [
        "--competition",
        "copa peru",
        "--season",
        "1984",
        "--stage",
        "final STAGE",
    ];
    let out = record_in(&env, &scope);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("unknown"), "{err}");
}

#[test]
fn a_stages_tie_break_keeps_the_points_in_force_and_says_what_changed() {
    let env = Env::new();
    let seed = env.file("1984.txt", common::SEED);
    env.ok(&["import", seed.to_str().unwrap()]);
    let scope = [
        "--competition",
        "Copa Perú",
        "--season",
        "1984",
        "--stage",
        "Final stage",
    ];
    let mut show = vec!["rules"];
    show.extend(scope);
    let shown = env.ok(&show);
    assert!(shown.contains("2 for a win"), "{shown}");
    assert!(shown.contains("the season's rules"), "{shown}");
    let before = env.table(&[])["Los Espartanos"]["points"].clone();
    let mut set = show.clone();
    set.extend(["--tiebreak", "points,goal-average"]);
    let out = env.ok(&set);
    assert!(
        out.contains("changes the rules: 2/1/0 points,goal-difference,goals-for -> 2/1/0 points,goal-average (seq 1 -> seq 24)"),
        "{out}"
    );
    assert_eq!(env.table(&[])["Los Espartanos"]["points"], before);
    assert_eq!(before, 10);
}

#[test]
fn the_consistency_proof_from_the_empty_tree_is_empty_and_answered() {
    let env = Env::new();
    env.import_seed();
    let out = env.ok(&["consistency", "0"]);
    assert!(!out.contains("FAILED"), "{out}");
    let out23 = env.ok(&["consistency", "0", "--size", "23"]);
    assert_eq!(out, out23);
    let hashes: Vec<&str> = out
        .lines()
        .filter(|l| l.len() >= 43 && !l.contains(' '))
        .collect();
    assert!(hashes.is_empty(), "a proof from 0 carries no hash: {out}");
}

#[test]
fn files_meant_to_be_shared_get_the_usual_mode() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    env.import_seed();
    let file = env.dir_path().join("all.jsonl");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022 && exec \"$0\" export --output '{}'",
            file.display()
        ))
        .arg(assert_cmd::cargo::cargo_bin("scoreledger"))
        .env("SCORELEDGER_DB", env.db())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "{mode:o}");
}

#[test]
fn a_table_before_its_stage_began_says_so() {
    let env = Env::new();
    env.import_seed();
    let out = env.ok(&["standings", "--as-of", "1984-11-01"]);
    assert!(
        out.contains(
            "the stage had not started: none of its matches was played on or before 1984-11-01"
        ),
        "{out}"
    );
    let json = env.json(&["standings", "--as-of", "1984-11-01", "--format", "json"]);
    assert_eq!(json["started"], false);
    let json = env.json(&["standings", "--as-of", "1984-12-02", "--format", "json"]);
    assert_eq!(json["started"], true);
    let out = env.ok(&["standings", "--as-of", "1984-12-02"]);
    assert!(!out.contains("had not started"), "{out}");
}

#[test]
fn a_clock_before_the_head_or_far_ahead_is_refused_naming_both() {
    let env = Env::new();
    env.import_seed();
    let head = env.head();
    for (now, said) in [
        (
            "2026-11-01T00:00:00Z",
            "SCORELEDGER_NOW 2026-11-01T00:00:00Z is before the archive's head (seq 23 recorded at 2026-11-28T10:00:00Z)",
        ),
        (
            "2999-01-01T00:00:00Z",
            "SCORELEDGER_NOW 2999-01-01T00:00:00Z is more than a day ahead of the system clock",
        ),
    ] {
        let out = env.run_at(now, &["correct", "040f6a", "2-2", "--reason", "x"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(said), "{err}");
    }
    assert_eq!(env.head(), head);
}
