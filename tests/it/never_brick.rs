//! Never brick, never overwrite: an unfinished sled snapshot, kills during
//! the first open after a write, a full disk, and a damaged head record.

use crate::common;

use common::copy_dir;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Env;
use scoreledger::testing::Space;
use scoreledger::Fixture;

/// A double round-robin season of `n` teams as a season page.
fn league_page(n: usize, season: &str) -> String {
    let teams: Vec<String> = (0..n).map(|i| format!("Club {i:02}")).collect();
    let mut s = format!("Infobox\n- Competition: Open League\n- Season: {season}\n\n| Team |\n");
    for t in &teams {
        s.push_str(&format!("| {t} |\n"));
    }
    s.push_str("\n==League==\n");
    let mut rot: Vec<usize> = (1..n).collect();
    for r in 0..2 * (n - 1) {
        s.push_str(&format!(
            "=== Round {} ===\n{} March 2001\n",
            r + 1,
            1 + r % 28
        ));
        let mut order = vec![0];
        order.extend(&rot);
        for i in 0..n / 2 {
            let (h, a) = (order[i], order[n - 1 - i]);
            let (h, a) = if r < n - 1 { (h, a) } else { (a, h) };
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

fn head_line(env: &Env) -> String {
    env.ok(&["head"]).trim().to_string()
}

fn seq_of(head: &str) -> u64 {
    head.split_whitespace().next().unwrap().parse().unwrap()
}

/// An archive just written to and not opened since (so the next open makes
/// sled's snapshot), kept as a pristine copy; returns (copy, head line).
fn written_not_reopened(env: &Env, teams: usize) -> (PathBuf, String) {
    env.import_seed();
    let page = env.file("league.txt", &league_page(teams, "2001"));
    let out = env.ok(&["import", page.to_str().unwrap()]);
    let head = out
        .lines()
        .last()
        .unwrap()
        .trim_start_matches("head ")
        .to_string();
    let pristine = env.dir_path().join("pristine.db");
    copy_dir(&env.db(), &pristine);
    (pristine, head)
}

fn restore(env: &Env, pristine: &Path) {
    let _ = std::fs::remove_dir_all(env.db());
    copy_dir(pristine, &env.db());
}

#[test]
fn an_unfinished_sled_snapshot_is_never_read() {
    let env = Env::new();
    let (pristine, head) = written_not_reopened(&env, 10);
    // Open once so that a real snapshot exists to take bytes from.
    assert_eq!(head_line(&env), head);
    let snap = std::fs::read_dir(env.db())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("snap.")
        })
        .expect("sled wrote a snapshot");
    let bytes = std::fs::read(&snap).unwrap();
    let opened = env.dir_path().join("opened.db");
    copy_dir(&env.db(), &opened);
    // What a kill or a full disk leaves: empty, a prefix, a whole file not yet renamed.
    for len in [0, 7, bytes.len() / 2, bytes.len()] {
        for base in [&opened, &pristine] {
            restore(&env, base);
            let name = format!("snap.{:016X}.generating", u64::MAX >> 4);
            std::fs::write(env.db().join(name), &bytes[..len]).unwrap();
            assert_eq!(head_line(&env), head, "{len}-byte unfinished snapshot");
            env.ok(&["verify"]);
        }
    }
}

#[test]
fn kills_during_the_first_open_after_a_write_never_brick() {
    let env = Env::new();
    let (pristine, head) = written_not_reopened(&env, 30);
    // How long the first open takes.
    let started = Instant::now();
    head_line(&env);
    let span = started.elapsed().as_millis().max(10) as u64;
    let bin = assert_cmd::cargo::cargo_bin("scoreledger");
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for trial in 0..16 {
        restore(&env, &pristine);
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = seed % (span + span / 4);
        let child = Command::new(&bin)
            .env("SCORELEDGER_DB", env.db())
            .arg("head")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let signal = if trial % 2 == 0 { "-INT" } else { "-KILL" };
        let _ = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status();
        let _ = child.wait_with_output();
        let out = env.run(&["verify"]);
        assert!(
            out.status.success(),
            "trial {trial} ({signal} after {delay} ms): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(head_line(&env), head, "trial {trial}");
    }
}

/// Mounts a small tmpfs, or says why it cannot (not root, no mount).
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(at: &Path, bytes: u64) -> Result<Tmpfs, String> {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}")])
            .arg("tmpfs")
            .arg(at)
            .output()
            .map_err(|e| format!("cannot run mount: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        Ok(Tmpfs(at.into()))
    }

    /// [`Tmpfs::mount`] for `test`: `None` (the test says it did not run)
    /// where mounting is not possible, unless CI asked for it
    /// (`SCORELEDGER_TEST_MOUNT`, as root), where it fails the test.
    fn mount_for(at: &Path, bytes: u64, test: &str) -> Option<Tmpfs> {
        match Tmpfs::mount(at, bytes) {
            Ok(t) => Some(t),
            Err(why) if std::env::var_os("SCORELEDGER_TEST_MOUNT").is_none() => {
                eprintln!("{test} not run: cannot mount a tmpfs ({why}); CI sets SCORELEDGER_TEST_MOUNT=1 and runs it as root");
                None
            }
            Err(why) => panic!("cannot mount a tmpfs: {why}"),
        }
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            if e.file_type().unwrap().is_dir() {
                dir_size(&e.path())
            } else {
                e.metadata().unwrap().len()
            }
        })
        .sum()
}

/// Fills the device, leaving about `free` bytes.
fn fill(dir: &Path, free: u64) -> PathBuf {
    let f = dir.join("filler");
    let mut file = std::fs::File::create(&f).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut file, &block).is_ok() {}
    drop(file);
    let len = std::fs::metadata(&f).unwrap().len();
    let _ = std::fs::OpenOptions::new()
        .write(true)
        .open(&f)
        .unwrap()
        .set_len(len.saturating_sub(free));
    f
}

#[test]
fn a_full_disk_fails_clearly_and_bricks_nothing() {
    let env = Env::new();
    let (pristine, head) = written_not_reopened(&env, 30);
    let size = dir_size(&pristine);
    let mnt = env.dir_path().join("small-disk");
    let Some(_tmpfs) = Tmpfs::mount_for(&mnt, size + (2 << 20), "full-disk test") else {
        return;
    };
    let db = mnt.join("archive.db");
    let run = |args: &[&str]| {
        Command::new(assert_cmd::cargo::cargo_bin("scoreledger"))
            .env("SCORELEDGER_DB", &db)
            .env("SCORELEDGER_NOW", "2026-11-28T10:00:00Z")
            .args(args)
            .output()
            .unwrap()
    };
    let record = common::record_args(
        "5",
        "1984-12-16",
        "Los Espartanos",
        "1-1",
        "Bella Esperanza",
    );
    for free in [0u64, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20] {
        let _ = std::fs::remove_dir_all(&db);
        copy_dir(&pristine, &db);
        let filler = fill(&mnt, free);
        for args in [&["head"][..], &record[..]] {
            let out = run(args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success()
                    || (out.status.code() == Some(3)
                        && err.contains("no space left on the device holding")
                        && err.lines().count() == 1),
                "{args:?} with {free} bytes free: {:?} {err}",
                out.status
            );
        }
        let recorded = run(&record[..]).status.success();
        std::fs::remove_file(filler).unwrap();
        let out = run(&["verify"]);
        assert!(
            out.status.success(),
            "after {free} bytes free: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let now = String::from_utf8(run(&["head"]).stdout).unwrap();
        let expected = seq_of(&head) + u64::from(recorded);
        assert!(
            seq_of(&now) >= seq_of(&head) && seq_of(&now) <= seq_of(&head) + 1,
            "{now}"
        );
        assert!(
            seq_of(&now) >= expected,
            "a reported append was lost: {now}"
        );
    }
}

/// The seed archive's head record with one bit flipped at `byte`, or
/// `None` for a deleted record; an 8-byte record is a truncated one.
fn damaged_head(byte: Option<usize>) -> Option<Vec<u8>> {
    let env = Env::new();
    env.import_seed();
    let a = scoreledger::Archive::open(&env.db()).unwrap();
    let mut v = a
        .store()
        .get(Space::Log, scoreledger::testing::keys::META_HEAD)
        .unwrap()
        .unwrap();
    match byte {
        Some(b) if b < v.len() => v[b] ^= 1,
        Some(_) => v.truncate(8),
        None => return None,
    }
    Some(v)
}

#[test]
fn a_damaged_head_record_never_lets_an_append_overwrite_an_event() {
    let record = common::record_args(
        "5",
        "1984-12-16",
        "Los Espartanos",
        "1-1",
        "Bella Esperanza",
    );
    // Deleted; one bit of seq, of the hash, of recorded_at; truncated.
    for byte in [None, Some(7), Some(20), Some(47), Some(99)] {
        let damaged = damaged_head(byte);
        let env = Env::new();
        env.import_seed();
        let before = env.ok(&["log", "--format", "jsonl"]);
        {
            let a = scoreledger::Archive::open(&env.db()).unwrap();
            let key = scoreledger::testing::keys::META_HEAD;
            match &damaged {
                Some(v) => a.store().tamper(Space::Log, key, v).unwrap(),
                None => a.store().tamper_remove(Space::Log, key).unwrap(),
            }
        }
        let err = env.fails(1, &record);
        assert!(
            err.contains("head record") && err.contains("rebuild"),
            "{byte:?}: {err}"
        );
        assert_eq!(
            env.ok(&["log", "--format", "jsonl"]),
            before,
            "{byte:?}: an event changed"
        );
        let err = env.fails(1, &["verify"]);
        assert!(err.contains("head record"), "{byte:?}: {err}");
        env.ok(&["rebuild"]);
        env.ok(&["verify"]);
        assert!(env.ok(&record).starts_with("recorded seq 24 "), "{byte:?}");
        assert!(
            env.ok(&["log", "--format", "jsonl"]).starts_with(&before),
            "{byte:?}"
        );
    }
}

#[test]
fn a_commit_refuses_to_replace_an_existing_event() {
    let env = Env::new();
    env.import_seed();
    let a = scoreledger::Archive::open(&env.db()).unwrap();
    // Seq 23 is in chunk 0: a writer that read it before another append changed it.
    let key = scoreledger::testing::keys::chunk(0).to_vec();
    let stored = a.store().get(Space::Log, &key).unwrap().unwrap();
    let mut c = scoreledger::testing::Commit::default();
    c.expect(
        Space::Log,
        key.clone(),
        Some(stored[..stored.len() - 1].to_vec()),
    );
    c.put(Space::Log, key.clone(), vec![1, 2, 3]);
    c.put(Space::Log, b"Mother".to_vec(), vec![9]);
    let err = a.store().commit(c).unwrap_err().to_string();
    assert!(err.contains("refused to overwrite"), "{err}");
    assert_eq!(a.store().get(Space::Log, &key).unwrap().unwrap(), stored);
    assert_eq!(
        a.store().get(Space::Log, b"Mother").unwrap(),
        None,
        "half a commit was written"
    );
    // And a key that must be absent.
    let mut c = scoreledger::testing::Commit::default();
    c.expect(Space::Log, key.clone(), None);
    c.put(Space::Log, key.clone(), vec![1, 2, 3]);
    assert!(a.store().commit(c).is_err());
    assert_eq!(a.store().get(Space::Log, &key).unwrap().unwrap(), stored);
}

#[test]
fn rebuild_repairs_a_derived_value_whose_blob_file_is_lost() {
    // A stage with 3,000 teams of long names: its team dictionary (a derived
    // value) is large enough that sled keeps it in a blob file of its own.
    let env = Env::new();
    {
        let mut a = scoreledger::Archive::open(&env.db()).unwrap();
        let at = scoreledger::Timestamp::parse_rfc3339("2026-11-28T10:00:00Z").unwrap();
        let d = scoreledger::Date::from_ymd(2000, 1, 1).unwrap();
        let long = "x".repeat(150);
        let events: Vec<scoreledger::Event> = (0..1500)
            .map(|i| {
                scoreledger::Event::MatchResult(scoreledger::MatchResult::new(
                    Fixture {
                        competition: "Big Cup",
                        season: "2000",
                        stage: "Final",
                        round: Some(1),
                        date: d,
                        home: &format!("{long} home {i}"),
                        away: &format!("{long} away {i}"),
                    },
                    1,
                    0,
                ))
            })
            .collect();
        a.append(events, at).unwrap();
    }
    let blobs: Vec<PathBuf> = std::fs::read_dir(env.db().join("blobs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!blobs.is_empty(), "no blob file was written");
    let head = head_line(&env);
    // The log stays readable, whichever derived value the lost blob held.
    for b in &blobs {
        std::fs::remove_file(b).unwrap();
    }
    let out = env.run(&["verify"]);
    assert!(!out.status.success(), "verify passed with a lost blob");
    env.ok(&["rebuild"]);
    env.ok(&["verify"]);
    assert_eq!(head_line(&env), head);
    assert_eq!(
        env.json(&["standings", "--format", "json"])["rows"]
            .as_array()
            .unwrap()
            .len(),
        3000
    );
}

/// An English file of `seasons` seasons of 20 clubs, each pairing once at
/// home and once away (380 results a season).
fn english_seasons(seasons: usize) -> String {
    let mut out = common::ENG_HEADER.to_string();
    for s in 0..seasons {
        let year = 1950 + s;
        for h in 0..20 {
            for a in (0..20).filter(|a| *a != h) {
                let day = 1 + (h * 20 + a) % 28;
                let (hg, vg) = ((h + s) % 4, (a * s) % 3);
                out.push_str(&format!(
                    "{year}-10-{day:02},{year},Club {h},Club {a},{hg}-{vg},{hg},{vg},1,1,{},{},\n",
                    hg + vg,
                    hg as i64 - vg as i64
                ));
            }
        }
    }
    out
}

/// A command's output, failing the test (the command killed) if it has
/// not ended after `limit`: a stuck import must not stall the suite.
fn output_within(mut cmd: Command, limit: Duration) -> std::process::Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{cmd:?} still running after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// The events an import says it committed, from its error.
fn committed_claim(stderr: &str) -> u64 {
    let Some(at) = stderr.find(" events of this import were committed") else {
        return 0;
    };
    let start = stderr[..at]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    stderr[start..at].parse().unwrap()
}

/// A batch is synced while the next one is derived; when the disk fills,
/// the import counts (and records beside the store) only the batches whose
/// sync it saw succeed: everything it claims is in the store, whole.
#[test]
fn an_import_that_fills_the_disk_claims_only_what_is_durable() {
    let env = Env::new();
    let csv = env.dir_path().join("seasons.csv");
    std::fs::write(&csv, english_seasons(40)).unwrap();
    let import = |db: &Path| {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("scoreledger"));
        cmd.env("SCORELEDGER_DB", db)
            .env("SCORELEDGER_NOW", "2026-11-28T10:00:00Z")
            .args(["import", "--batch", "500"])
            .arg(&csv);
        output_within(cmd, Duration::from_secs(120))
    };
    let whole = env.dir_path().join("whole.db");
    assert!(import(&whole).status.success());
    let size = dir_size(&whole);
    let mut claims = Vec::new();
    for tenths in [2u64, 4, 6] {
        let mnt = env.dir_path().join(format!("disk-{tenths}"));
        let Some(tmpfs) = Tmpfs::mount_for(&mnt, size * tenths / 10, "full-disk import test")
        else {
            return;
        };
        let db = mnt.join("archive.db");
        let out = import(&db);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(3 | 4)) && err.contains("no space left"),
            "{tenths}/10 of the space: {:?} {err}",
            out.status
        );
        let claim = committed_claim(&err);
        // What the import left, read on a disk with room.
        let kept = env.dir_path().join(format!("kept-{tenths}.db"));
        copy_dir(&db, &kept);
        drop(tmpfs);
        let run = |args: &[&str]| {
            Command::new(assert_cmd::cargo::cargo_bin("scoreledger"))
                .env("SCORELEDGER_DB", &kept)
                .args(args)
                .output()
                .unwrap()
        };
        let head = run(&["head"]);
        assert!(
            head.status.success(),
            "{tenths}/10: {}",
            String::from_utf8_lossy(&head.stderr)
        );
        let seq = seq_of(&String::from_utf8_lossy(&head.stdout));
        assert!(
            seq >= claim,
            "{tenths}/10: claimed {claim} events, the store holds {seq}: {err}"
        );
        let verified = run(&["verify"]);
        assert!(
            verified.status.success(),
            "{tenths}/10: {}",
            String::from_utf8_lossy(&verified.stderr)
        );
        claims.push(claim);
    }
    // The disk filled at different places, after some batches were durable.
    assert!(claims.iter().any(|c| *c > 0), "{claims:?}");
}
