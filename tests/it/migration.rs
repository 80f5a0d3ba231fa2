//! A store written by the first layout (one sled tree per index, by
//! scoreledger at commit e07219f; `scripts/make-layout1-fixture.sh`) is
//! migrated on open: every answer, the export, the head and the checkpoint
//! root stay exactly what that version printed. One answer is what that
//! version should have printed: its `diff` across the rename of seq 51
//! showed one club as two rows (`misuse::a_diff_across_a_rename_shows_one_club`);
//! `answers.json` holds the one-row answer since.

use crate::common;

use common::copy_dir;

use std::path::{Path, PathBuf};

use common::Env;
use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/layout1")
}

/// An environment whose archive is a copy of the first-layout store.
fn old_store() -> Env {
    let env = Env::new();
    copy_dir(&fixture().join("store"), &env.db());
    env
}

fn read(name: &str) -> String {
    std::fs::read_to_string(fixture().join(name)).unwrap()
}

/// True when `new` says everything `old` said: the same text, or JSON with
/// every field of `old` unchanged (later versions may add fields).
fn says_all_of(old: &Value, new: &Value) -> bool {
    match (old, new) {
        (Value::Object(o), Value::Object(n)) => o
            .iter()
            .all(|(k, v)| n.get(k).is_some_and(|w| says_all_of(v, w))),
        (Value::Array(o), Value::Array(n)) => {
            o.len() == n.len() && o.iter().zip(n).all(|(a, b)| says_all_of(a, b))
        }
        (o, n) => o == n,
    }
}

/// True when `new` holds every line of `old`, in order (later versions may
/// add lines).
fn says_all_lines_of(old: &str, new: &str) -> bool {
    let mut new = new.lines();
    old.lines().all(|l| new.any(|m| m == l))
}

fn same_answer(old: &str, new: &str) -> bool {
    if old == new {
        return true;
    }
    let as_json = |t: &str| -> Option<Vec<Value>> {
        match serde_json::from_str::<Value>(t) {
            Ok(v) => Some(vec![v]),
            Err(_) => t.lines().map(|l| serde_json::from_str(l).ok()).collect(),
        }
    };
    match (as_json(old), as_json(new)) {
        (Some(o), Some(n)) => {
            o.len() == n.len() && o.iter().zip(&n).all(|(a, b)| says_all_of(a, b))
        }
        _ => says_all_lines_of(old, new),
    }
}

/// The checkpoint that version printed, line for line, with the stage
/// index's line added after the variant (the tree and its root unchanged).
fn same_checkpoint(env: &Env) {
    let new = env.ok(&["checkpoint", "--origin", "example.org/layout1"]);
    let old = read("checkpoint.txt");
    let without: String = new
        .lines()
        .filter(|l| !l.starts_with("index "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(without, old);
    assert_eq!(
        new.lines().nth(4).map(|l| l.starts_with("index ")),
        Some(true),
        "{new}"
    );
}

fn answers_match(env: &Env) {
    let answers: Value = serde_json::from_str(&read("answers.json")).unwrap();
    for a in answers.as_array().unwrap() {
        let args: Vec<&str> = a["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let (old, new) = (a["stdout"].as_str().unwrap(), env.ok(&args));
        assert!(
            same_answer(old, &new),
            "{args:?}\nbefore: {old}\nnow: {new}"
        );
    }
}

#[test]
fn a_first_layout_store_is_migrated_with_every_answer_unchanged() {
    let env = old_store();
    answers_match(&env);
    assert_eq!(env.ok(&["export"]), read("export.jsonl"));
    same_checkpoint(&env);
    let a = scoreledger::Archive::open(&env.db()).unwrap();
    assert!(!a.store().has_legacy(), "the old trees were dropped");
    a.verify_derived().unwrap();
}

#[test]
fn the_old_export_imports_with_the_same_head_and_checkpoint() {
    let env = Env::new();
    let export = env.file("old.jsonl", &read("export.jsonl"));
    env.ok(&["import", export.to_str().unwrap()]);
    let old = old_store();
    assert_eq!(env.head(), old.head());
    same_checkpoint(&env);
    answers_match(&env);
}

#[test]
fn a_stopped_migration_starts_again_from_nothing() {
    let env = old_store();
    {
        // What a migration killed half way leaves: log and derived entries, no layout mark.
        let s = scoreledger::testing::Store::open(&env.db()).unwrap();
        let log = scoreledger::testing::Space::Log;
        s.tamper(log, &scoreledger::testing::keys::chunk(0), b"half a chunk")
            .unwrap();
        s.tamper(scoreledger::testing::Space::Derived, b"Bjunk", b"x")
            .unwrap();
    }
    answers_match(&env);
    env.ok(&["verify"]);
}

#[test]
fn a_store_made_before_the_stage_index_gets_it_when_opened() {
    // Layout 2, as scoreledger wrote it before the index: no `I` entries
    // (nor the `J` headers that came later).
    an_earlier_layout_is_derived_again_when_opened(2, &[b"I", b"J"]);
}

#[test]
fn a_store_made_before_the_index_headers_stood_apart_gets_them_when_opened() {
    // Layout 3: the index's lists (`I`) with their headers, none apart (`J`).
    an_earlier_layout_is_derived_again_when_opened(3, &[b"J"]);
}

/// A store of `layout`, which held no derived entries under `missing`,
/// answers the same checkpoint once opened, verifies, and is marked with
/// this build's layout.
fn an_earlier_layout_is_derived_again_when_opened(layout: u8, missing: &[&[u8]]) {
    use scoreledger::testing::Space;
    let env = Env::new();
    env.import_seed();
    let id = env.match_id(1, "Alianza Atlético");
    env.ok(&["correct", &id, "2-2", "--reason", "score mistyped"]);
    let checkpoint = env.ok(&["checkpoint"]);
    {
        let s = scoreledger::testing::Store::open(&env.db()).unwrap();
        for prefix in missing {
            let keys: Vec<Vec<u8>> = s
                .scan_prefix(Space::Derived, prefix)
                .map(|e| e.unwrap().0)
                .collect();
            assert!(!keys.is_empty(), "{prefix:?}");
            for k in keys {
                s.tamper_remove(Space::Derived, &k).unwrap();
            }
        }
        s.tamper(
            Space::Log,
            scoreledger::testing::keys::META_LAYOUT,
            &[layout],
        )
        .unwrap();
    }
    assert_eq!(
        env.ok(&["checkpoint"]),
        checkpoint,
        "the index, derived again"
    );
    env.ok(&["verify"]);
    let s = scoreledger::testing::Store::open(&env.db()).unwrap();
    assert_eq!(
        s.get(Space::Log, scoreledger::testing::keys::META_LAYOUT)
            .unwrap(),
        Some(vec![scoreledger::archive::LAYOUT])
    );
}
