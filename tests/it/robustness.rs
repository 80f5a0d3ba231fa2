//! Hard to break: killed imports, a second process, hostile input, fuzzed
//! parsers, and format versions.

use crate::common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Env, SEED};
use proptest::prelude::*;
use scoreledger::import::Invalid::{Refuse, Skip};

/// A double round-robin season page of `n` teams.
fn big_page(n: usize, season: &str) -> String {
    let teams: Vec<String> = (0..n).map(|i| format!("Club {i:02}")).collect();
    let mut s = format!("Infobox\n- Competition: Stress League\n- Season: {season}\n\n| Team |\n");
    for t in &teams {
        s.push_str(&format!("| {t} |\n"));
    }
    s.push_str("\n==League==\n");
    let mut rot: Vec<usize> = (1..n).collect();
    for r in 0..2 * (n - 1) {
        s.push_str(&format!(
            "=== Round {} ===\n{} January 2001\n",
            r + 1,
            1 + r % 28
        ));
        let mut order = vec![0];
        order.extend(&rot);
        for i in 0..n / 2 {
            let (h, a) = if r < n - 1 {
                (order[i], order[n - 1 - i])
            } else {
                (order[n - 1 - i], order[i])
            };
            s.push_str(&format!(
                "{} {}-{} {}\n",
                teams[h],
                (r + i) % 4,
                (r * i) % 3,
                teams[a]
            ));
        }
        rot.rotate_right(1);
    }
    s
}

#[test]
fn killed_imports_never_lose_or_invent_an_event() {
    let env = Env::new();
    env.import_seed();
    let page = env.file("big.txt", &big_page(24, "2001"));
    let base = env.head_seq();
    // How long a whole import takes, measured on a copy.
    let probe = Env::new();
    let started = Instant::now();
    probe.ok(&["import", page.to_str().unwrap()]);
    let full = probe.head_seq();
    let span = started.elapsed().as_millis().max(20) as u64;
    let bin = assert_cmd::cargo::cargo_bin("scoreledger");
    let (mut none, mut all) = (0, 0);
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for trial in 0..25 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = seed % (span + span / 2);
        let mut child = Command::new(&bin)
            .env("SCORELEDGER_DB", env.db())
            .env("SCORELEDGER_NOW", "2026-11-28T10:00:00Z")
            .args(["import", page.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let out = env.run(&["verify"]);
        assert!(
            out.status.success(),
            "trial {trial} (killed after {delay} ms): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let seq = env.head_seq();
        if seq == base {
            none += 1;
            // Re-running completes it, with no duplicates.
            env.ok(&["import", page.to_str().unwrap()]);
        } else {
            assert_eq!(seq, base + full, "trial {trial}: a batch was half written");
            all += 1;
        }
        assert_eq!(env.head_seq(), base + full);
        assert!(env
            .ok(&["import", page.to_str().unwrap()])
            .contains("appended 0 events"));
        // Back to the state before the import for the next trial.
        drop(std::fs::remove_dir_all(env.db()));
        env.import_seed();
    }
    eprintln!("25 kills: {none} before the commit, {all} after it; 0 events lost or invented");
    assert_eq!(none + all, 25);
}

/// A process that starts a program while a store closes lends the program,
/// for a moment, a copy of each open file, and with it the file's lock (a
/// test harness running tests side by side does, or any program embedding
/// the library). Reopening right then waits for the moment to pass
/// instead of calling the store busy; a lock held for long is still
/// refused. Each lock is held here by another open file, as such a copy
/// holds it.
#[test]
fn a_lock_held_for_a_moment_by_a_copy_of_its_file_does_not_refuse_the_open() {
    let env = Env::new();
    env.import_seed();
    let hold = |name: &str, for_ms: u64| {
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(env.db().join(name))
            .unwrap();
        f.lock().unwrap();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(for_ms));
            drop(f);
        })
    };
    for name in ["scoreledger.lock", "db"] {
        let released = hold(name, 50);
        let opened = scoreledger::Archive::open(&env.db());
        assert!(opened.is_ok(), "{name}: {:?}", opened.err());
        drop(opened);
        released.join().unwrap();
    }
    // Held for long: refused as busy, after the moment's grace.
    let released = hold("scoreledger.lock", 3000);
    let started = Instant::now();
    let err = scoreledger::Archive::open(&env.db())
        .err()
        .map(|e| e.to_string());
    assert!(
        err.as_deref().is_some_and(|e| e.contains("in use")),
        "{err:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    released.join().unwrap();
}

#[test]
fn a_second_process_is_told_the_archive_is_in_use() {
    let env = Env::new();
    env.import_seed();
    let held = scoreledger::Archive::open(&env.db()).unwrap();
    let started = Instant::now();
    let err = env.fails(3, &["head"]);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "took {:?}",
        started.elapsed()
    );
    assert!(
        err.contains("in use by another scoreledger process") && err.contains("archive.db"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1);
    // --wait: succeeds once the holder lets go.
    let bin = assert_cmd::cargo::cargo_bin("scoreledger");
    let child = Command::new(&bin)
        .env("SCORELEDGER_DB", env.db())
        .args(["--wait", "10", "head"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    drop(held);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("23 "));
    // And --wait gives up.
    let _held = scoreledger::Archive::open(&env.db()).unwrap();
    let started = Instant::now();
    let err = env.fails(3, &["--wait", "0.3", "head"]);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert!(
        err.contains("still in use")
            && err.contains("after waiting 0.3 s")
            && !err.contains("pass --wait"),
        "{err}"
    );
}

#[test]
fn every_bad_input_gets_one_line_and_leaves_head_unchanged() {
    let env = Env::new();
    env.import_seed();
    let head = env.head();
    let page = |from: &str, to: &str| SEED.replacen(from, to, 1);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty file", vec![], "the file is empty"),
        ("binary garbage", vec![0xde, 0xad, 0xbe, 0xef, 0x00, 0xff], "not valid UTF-8"),
        ("invalid UTF-8 on line 5", format!("a\nb\nc\nd\n{}\n", "x").into_bytes().into_iter().chain([0xc3, 0x28, b'\n']).collect(), ":6: not valid UTF-8"),
        ("a 50 MB single line", vec![b'a'; 50 << 20], "cannot tell the format"),
        ("an unknown format (CSV)", b"day,one,two\n1872-11-30,Scotland,England\n".to_vec(), "cannot tell the format"),
        ("no Team column", page("| Department | Team | Location |", "| Department | Club name | Location |").into_bytes(), "without a Team column"),
        ("a repeated column", page("| Department | Team | Location |", "| Team | Team | Location |").into_bytes(), "repeats the column"),
        ("a negative score", page("Los Espartanos 1-0 Bella Esperanza", "Los Espartanos -1-0 Bella Esperanza").into_bytes(), ":34: cannot read"),
        ("a score beyond u16", page("Los Espartanos 1-0 Bella Esperanza", "Los Espartanos 99999999999-0 Bella Esperanza").into_bytes(), ":34: score"),
        ("a team against itself", page("Los Espartanos 1-0 Bella Esperanza", "Los Espartanos 1-0 Los Espartanos").into_bytes(), ":34: a team cannot play itself"),
        ("31 November", page("2 December 1984\nLos Espartanos", "31 November 1984\nLos Espartanos").into_bytes(), ":33: impossible date"),
        ("year 0", page("2 December 1984\nLos Espartanos", "2 December 0000\nLos Espartanos").into_bytes(), ":33: impossible date"),
        ("a result before any date", page("2 December 1984\nAlianza", "Alianza").into_bytes(), ":30: result before any date"),
        ("the same score twice, other score", format!("{SEED}\n=== Round 1 ===\n2 December 1984\nAlianza Atlético 0-0 Universitario de Tacna\n").into_bytes(), ":80: 1984-12-02 Alianza Atlético v Universitario de Tacna is 0-0 here but 3-2 at line 31"),
    ];
    for (what, bytes, msg) in cases {
        let p = env.dir_path().join("bad.txt");
        std::fs::write(&p, &bytes).unwrap();
        let err = env.fails(2, &["import", p.to_str().unwrap(), "--points-for-win", "2"]);
        assert!(err.contains(msg), "{what}: {err}");
        assert!(err.contains("bad.txt"), "{what}: names the file: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{what}: {err}");
        assert_eq!(env.head(), head, "{what}");
    }
    // The other importers, named with --format where the file would not be recognised.
    let eng = "Date,Season,home,visitor,FT,hgoal,vgoal,division,tier\n1888-09-08,1888,Bolton,Derby,3-6,3,6,1,1\n";
    let intl = "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral\n1872-11-30,Scotland,England,0,0,Friendly,Glasgow,Scotland,FALSE\n";
    let other: Vec<(&str, String, Vec<&str>, &str)> = vec![
        ("csv: a missing column", eng.replace(",vgoal", ",vgoals"), vec![], "cannot tell the format"),
        ("csv: a missing column, format named", eng.replace(",vgoal", ",vgoals"), vec!["--format", "engsoccerdata"], ":1: missing column 'vgoal'"),
        ("csv: a repeated column", eng.replace(",tier", ",hgoal"), vec!["--format", "engsoccerdata"], "appears twice"),
        ("csv: a negative score", eng.replace(",3,6,1,1", ",-3,6,1,1"), vec![], ":2: hgoal '-3' is not a whole number"),
        ("csv: a score beyond u16", eng.replace(",3,6,1,1", ",300000,6,1,1"), vec![], ":2: hgoal '300000' is out of range"),
        ("csv: a team against itself", eng.replace("Bolton,Derby", "Derby,Derby"), vec![], ":2: a team cannot play itself"),
        ("csv: 31 November", intl.replace("1872-11-30", "1872-11-31"), vec![], ":2: impossible date"),
        ("csv: a short row", intl.replace(",FALSE", ""), vec![], ":2: this row has 8 fields; the header has 9"),
        ("json: not JSON", "{\"name\": \"World Cup 2018\", \"matches\": [".to_string(), vec![], "not valid JSON"),
        ("json: no season in the name", "{\"name\": \"World Cup\", \"matches\": []}".to_string(), vec![], "cannot read a season"),
        ("txt: a broken score", "= League 2019/20\n[Fri Aug/9]\n  Liverpool 4-x Norwich\n".to_string(), vec![], ":3: cannot read"),
        ("jsonl: an edited line", "{\"seq\":1,\"recorded_at\":\"2026-11-28T10:00:00Z\",\"prev\":\"00\",\"hash\":\"00\",\"event\":{}}\n".to_string(), vec![], ":1: not an exported event"),
        ("unknown --format", eng.to_string(), vec!["--format", "xlsx"], "unknown format 'xlsx'"),
    ];
    for (what, text, extra, msg) in other {
        let p = env.dir_path().join("bad.txt");
        std::fs::write(&p, text).unwrap();
        let mut args = vec!["import", p.to_str().unwrap()];
        args.extend(extra);
        let err = env.fails(2, &args);
        assert!(err.contains(msg), "{what}: {err}");
        // clap's own usage errors add a hint line; ours are one line.
        if !what.starts_with("unknown --format") {
            assert_eq!(err.trim().lines().count(), 1, "{what}: {err}");
        }
        assert_eq!(env.head(), head, "{what}");
    }
    let commands: Vec<(&str, Vec<&str>, &str)> = vec![
        (
            "unknown match id",
            vec!["correct", "abcdef12", "1-1", "--reason", "x"],
            "unknown match id",
        ),
        ("not a match id", vec!["history", "xyz"], "invalid match id"),
        (
            "unknown team",
            vec![
                "adjust",
                "--competition",
                "Copa Perú",
                "--season",
                "1984",
                "--team",
                "Nobody",
                "--points",
                "-3",
                "--date",
                "1984-12-10",
                "--reason",
                "x",
            ],
            "unknown team 'Nobody'",
        ),
        (
            "unknown competition",
            vec!["standings", "--competition", "Serie A"],
            "unknown competition",
        ),
        (
            "bad date",
            vec!["standings", "--as-of", "1984-11-31"],
            "impossible date",
        ),
        (
            "bad known-at",
            vec!["standings", "--known-at", "yesterday"],
            "'yesterday' is neither a seq number nor an RFC 3339 timestamp",
        ),
        ("bad wait", vec!["--wait", "-1", "head"], "--wait"),
        (
            "round 0",
            vec!["standings", "--round", "0"],
            "numbered from 1",
        ),
        (
            "bad score",
            vec!["correct", "abcdef12", "x-1", "--reason", "x"],
            "invalid score",
        ),
        (
            "empty reason",
            vec!["annul", "7dee3f71fd", "--reason", " "],
            "reason is required",
        ),
    ];
    for (what, args, msg) in commands {
        let err = env.fails(2, &args);
        assert!(err.contains(msg), "{what}: {err}");
        assert_eq!(env.head(), head, "{what}");
    }
    // Store paths: a file, and an empty store.
    let file = env.file("plain", "x");
    let out = Command::new(assert_cmd::cargo::cargo_bin("scoreledger"))
        .args(["--db", file.to_str().unwrap(), "head"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a file"));
    let empty = Env::new();
    empty.fails(2, &["rules", "--competition", "X", "--season", "1"]);
    empty.ok(&[
        "rules",
        "--competition",
        "X",
        "--season",
        "1",
        "--points-for-win",
        "2",
    ]);
    let err = empty.fails(2, &["standings"]);
    assert!(err.contains("no results yet"), "{err}");
    assert!(empty.ok(&["verify"]).starts_with("ok: 1 event,"));
}

#[test]
fn a_store_from_a_newer_version_is_refused() {
    let env = Env::new();
    env.import_seed();
    {
        let a = scoreledger::Archive::open(&env.db()).unwrap();
        a.store()
            .tamper(
                scoreledger::testing::Space::Log,
                scoreledger::testing::keys::META_FORMAT,
                &[9],
            )
            .unwrap();
    }
    let err = env.fails(3, &["head"]);
    assert!(err.contains("newer scoreledger (format 9"), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Any text: the page parser returns, never panics.
    #[test]
    fn fuzz_the_page_parser(text in "\\PC{0,400}") {
        for invalid in [Refuse, Skip] {
            let _ = scoreledger::import::season_page::parse(&text, &Default::default(), invalid);
        }
    }

    /// The seed with random edits: parse and append return, never panic,
    /// and a refused page leaves the archive unchanged.
    #[test]
    fn fuzz_edited_pages_into_an_archive(edits in prop::collection::vec((any::<prop::sample::Index>(), "[0-9a-z\\- =|\\n–]{0,3}", 0usize..4), 1..6)) {
        let mut text = SEED.to_string();
        for (at, insert, remove) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) { i -= 1; }
            let mut j = (i + remove).min(text.len());
            while !text.is_char_boundary(j) { j += 1; }
            text.replace_range(i..j, &insert);
        }
        let dir = tempfile::tempdir().unwrap();
        let mut a = scoreledger::Archive::open(&dir.path().join("db")).unwrap();
        let now = scoreledger::Timestamp::from_micros(0);
        if let Ok(parsed) = scoreledger::import::season_page::parse(&text, &Default::default(), Refuse) {
            if scoreledger::import::append_parsed(&mut a, parsed, None, now).is_err() {
                prop_assert_eq!(a.head().unwrap().seq, 0);
            }
        }
        prop_assert!(a.verify().is_ok());
    }

    /// Every other importer, on any text: returns, never panics.
    #[test]
    fn fuzz_every_importer(text in "\\PC{0,300}", head in prop::sample::select(vec![
        "Date,Season,home,visitor,FT,hgoal,vgoal,division,tier\n",
        "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral\n",
        "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\n",
        "{\"name\": \"League 2019/20\", \"matches\": [",
        "= League 2019/20\n[Fri Aug/9]\n",
        "{\"seq\":1,",
        "",
    ])) {
        let text = format!("{head}{text}");
        let opts = Default::default();
        for f in [
            scoreledger::import::Format::SeasonPage,
            scoreledger::import::Format::Engsoccerdata,
            scoreledger::import::Format::FootballData,
            scoreledger::import::Format::IntlResults,
            scoreledger::import::Format::OpenfootballJson,
            scoreledger::import::Format::OpenfootballTxt,
        ] {
            for invalid in [Refuse, Skip] {
                let _ = scoreledger::import::parse(f, &text, &opts, invalid);
            }
        }
        let _ = scoreledger::import::detect(&text);
        let _ = scoreledger::import::jsonl::parse(&text, None);
        for invalid in [Refuse, Skip] {
            let mut checks = scoreledger::import::Checks::new(invalid);
            let _ = scoreledger::import::tabular::deductions(&text, &mut checks);
        }
    }

    /// Checkpoints and proofs from strangers: parsers return, never panic.
    #[test]
    fn fuzz_checkpoint_and_proof_parsers(text in "\\PC{0,300}") {
        let _ = scoreledger::integrity::checkpoint::Checkpoint::parse(&text);
        let _ = scoreledger::integrity::checkpoint::InclusionProof::parse(&text);
    }
}

/// A large CSV committed in batches, killed part-way: the archive holds whole
/// batches only, verifies, and re-running the import completes it without duplicates.
#[test]
fn a_killed_batched_import_keeps_whole_batches_and_resumes() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/intl_results_1872_1974.csv");
    let probe = Env::new();
    let started = Instant::now();
    // The file holds two rows of one match that disagree: the later is left out.
    let args = [
        "import",
        file.to_str().unwrap(),
        "--batch",
        "500",
        "--skip-invalid",
    ];
    probe.ok(&args);
    let span = started.elapsed().as_millis() as u64;
    let total = probe.head_seq();
    let bin = assert_cmd::cargo::cargo_bin("scoreledger");
    for (trial, fraction) in [(1, 3), (2, 3)].into_iter().enumerate() {
        let env = Env::new();
        let mut child = Command::new(&bin)
            .env("SCORELEDGER_DB", env.db())
            .env("SCORELEDGER_NOW", "2026-11-28T10:00:00Z")
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(span * fraction.0 / fraction.1));
        let _ = child.kill();
        let _ = child.wait();
        // Killed before its first commit, the folder holds no store yet.
        let verify = env.run(&["verify"]);
        let said = String::from_utf8_lossy(&verify.stderr).to_string();
        if !env.db().exists() || said.contains("no scoreledger store") {
            continue;
        }
        assert!(verify.status.success(), "trial {trial}: {said}");
        let seq = env.head_seq();
        eprintln!("trial {trial}: killed with {seq} of {total} events committed");
        assert!(
            seq.is_multiple_of(500) || seq == total,
            "trial {trial}: {seq} events is not a whole number of batches of 500"
        );
        let out = env.ok(&args);
        assert!(
            out.contains(&format!("appended {} events", total - seq))
                && out.contains(&format!("{seq} already present")),
            "trial {trial}: {out}"
        );
        assert_eq!(env.head_seq(), total);
        env.ok(&["verify"]);
    }
}

/// A salvage killed at any moment leaves no store at its output, or the
/// whole one: the new store is made beside the output and put in place
/// once complete. A killed salvage left a partial store there, whose head
/// file it had not written yet, so that it looked complete and `verify`
/// said ok (found by a tester). Then the next salvage finishes it.
#[test]
fn a_killed_salvage_leaves_no_store_or_the_whole_one() {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/intl_results_1872_1974.csv");
    let source = Env::new();
    source.ok(&["import", file.to_str().unwrap(), "--skip-invalid"]);
    let head = source.head();
    let out = source.dir_path().join("probe.db");
    let started = Instant::now();
    source.ok(&["salvage", "--output", out.to_str().unwrap()]);
    let span = started.elapsed().as_millis() as u64;
    let bin = assert_cmd::cargo::cargo_bin("scoreledger");
    let (mut absent, mut whole) = (0, 0);
    for trial in 1..=8u64 {
        let out = source.dir_path().join(format!("rescued{trial}.db"));
        let mut child = Command::new(&bin)
            .env("SCORELEDGER_DB", source.db())
            .args(["salvage", "--output", out.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(span * trial / 9));
        let _ = child.kill();
        let _ = child.wait();
        let at = |args: &[&str]| {
            Command::new(&bin)
                .env("SCORELEDGER_DB", &out)
                .args(args)
                .output()
                .unwrap()
        };
        let said = at(&["head"]);
        if said.status.success() {
            assert_eq!(String::from_utf8_lossy(&said.stdout), head, "trial {trial}");
            whole += 1;
        } else {
            let err = String::from_utf8_lossy(&said.stderr);
            assert!(err.contains("no scoreledger store"), "trial {trial}: {err}");
            absent += 1;
        }
        if !said.status.success() {
            // The salvage of the source again, into the same output.
            let redo = Command::new(&bin)
                .env("SCORELEDGER_DB", source.db())
                .args(["salvage", "--output", out.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(
                redo.status.success(),
                "trial {trial}: {}",
                String::from_utf8_lossy(&redo.stderr)
            );
            assert_eq!(
                String::from_utf8_lossy(&at(&["head"]).stdout),
                head,
                "trial {trial}"
            );
        }
    }
    eprintln!("killed salvages: {absent} left no store, {whole} the whole one");
}
