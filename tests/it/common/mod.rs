//! Shared by the CLI test files: a temporary archive and the real binary.
#![allow(dead_code)]

pub(crate) mod server;

use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

pub(crate) const SEED: &str = include_str!("../../data/1984-copa-peru.txt");
/// The header of an English league file (engsoccerdata), for test files.
pub(crate) const ENG_HEADER: &str =
    "Date,Season,home,visitor,FT,hgoal,vgoal,division,tier,totgoal,goaldif,result\n";
pub(crate) const SEED_PATH: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/1984-copa-peru.txt");

/// `record` arguments for a 1984 Copa Perú result. The seed's stage is a
/// complete round-robin of 5 rounds: a later round is recorded deliberately
/// (`--allow-outside-season`).
pub(crate) fn record_args<'a>(
    round: &'a str,
    date: &'a str,
    home: &'a str,
    score: &'a str,
    away: &'a str,
) -> Vec<&'a str> {
    let mut args = vec![
        "record",
        "--competition",
        "Copa Perú",
        "--season",
        "1984",
        "--round",
        round,
        "--date",
        date,
        home,
        score,
        away,
    ];
    if round.parse::<u32>().is_ok_and(|r| r > 5) {
        args.insert(1, "--allow-outside-season");
    }
    args
}

/// Copies a folder (a store) and everything in it.
pub(crate) fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

pub(crate) struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    pub(crate) fn new() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub(crate) fn dir_path(&self) -> &std::path::Path {
        self.dir.path()
    }

    pub(crate) fn db(&self) -> PathBuf {
        self.dir.path().join("archive.db")
    }

    pub(crate) fn file(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.run_at("2026-11-28T10:00:00Z", args)
    }

    /// Runs with the clock set to `now` (RFC 3339).
    pub(crate) fn run_at(&self, now: &str, args: &[&str]) -> Output {
        self.run_with(now, &[], args)
    }

    /// Runs at `now` with the environment variables `vars` set too.
    pub(crate) fn run_with(&self, now: &str, vars: &[(&str, &str)], args: &[&str]) -> Output {
        let out = Command::cargo_bin("scoreledger")
            .unwrap()
            .env("SCORELEDGER_DB", self.db())
            .env("SCORELEDGER_NOW", now)
            // A testing knob of the vendored sled, set only where a test asks.
            .env_remove("SCORELEDGER_SLED_PARALLEL_START")
            .envs(vars.iter().copied())
            .args(args)
            .output()
            .unwrap();
        assert_ne!(
            out.status.code(),
            Some(101),
            "panic on {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// Runs at `now` and expects success; returns stdout.
    pub(crate) fn ok_at(&self, now: &str, args: &[&str]) -> String {
        let out = self.run_at(now, args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// The id of the match with this home team in this round.
    pub(crate) fn match_id(&self, round: u32, home: &str) -> String {
        let all = self.json(&["results", "--format", "json"]);
        all.as_array()
            .unwrap()
            .iter()
            .find(|r| r["round"] == round && r["home"] == home)
            .unwrap_or_else(|| panic!("no round {round} match at home for {home}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// team -> row of the latest table (JSON), with extra standings arguments.
    pub(crate) fn table(&self, extra: &[&str]) -> std::collections::BTreeMap<String, Value> {
        let mut args = vec!["standings", "--format", "json"];
        args.extend_from_slice(extra);
        let v = self.json(&args);
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["team"].as_str().unwrap().to_string(), r.clone()))
            .collect()
    }

    /// Runs and expects success; returns stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs and expects exit `code`; returns stderr.
    pub(crate) fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: stdout {} stderr {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).unwrap()
    }

    pub(crate) fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    pub(crate) fn import_seed(&self) -> String {
        let p = self.file("1984-copa-peru.txt", SEED);
        self.ok(&["import", p.to_str().unwrap(), "--points-for-win", "2"])
    }

    pub(crate) fn head(&self) -> String {
        self.ok(&["head"])
    }

    /// The seq of the head.
    pub(crate) fn head_seq(&self) -> u64 {
        self.head()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }
}

/// A result of the one-stage "Export Cup" of 1990, played on May `day`.
pub(crate) fn export_cup_result(
    home: &str,
    score: (u16, u16),
    away: &str,
    day: u8,
) -> scoreledger::Event {
    let d = scoreledger::Date::from_ymd(1990, 5, day).unwrap();
    scoreledger::Event::MatchResult(scoreledger::MatchResult::new(
        scoreledger::Fixture {
            competition: "Export Cup",
            season: "1990",
            stage: "Final",
            round: Some(1),
            date: d,
            home,
            away,
        },
        score.0,
        score.1,
    ))
}
