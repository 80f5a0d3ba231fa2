//! Ordinary misuse that must never destroy or hide anything: read commands
//! on folders without a store, output files that point at the wrong place,
//! sizes and scores past their bounds, look-alike names, merging renames,
//! and messages that must say what happened.

use crate::common;

use common::Env;

/// Every command that only reads.
const READERS: [&[&str]; 8] = [
    &["verify"],
    &["head"],
    &["standings"],
    &["results"],
    &["log"],
    &["export"],
    &["checkpoint"],
    &["audit"],
];

#[test]
fn read_commands_never_create_a_store() {
    let env = Env::new();
    // A folder that is not a store, and a store whose files were deleted.
    let plain = env.dir_path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    std::fs::write(plain.join("notes.txt"), "mine").unwrap();
    env.import_seed();
    for f in std::fs::read_dir(env.db()).unwrap() {
        let p = f.unwrap().path();
        if p.is_file() {
            std::fs::remove_file(p).unwrap();
        }
    }
    let missing = env.dir_path().join("missing");
    for db in [&plain, &env.db(), &missing] {
        let before: Vec<_> = std::fs::read_dir(db)
            .map(|d| d.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        for args in READERS {
            let mut all = vec!["--db", db.to_str().unwrap()];
            all.extend_from_slice(args);
            let err = env.fails(2, &all);
            assert!(
                err.contains("no scoreledger store at"),
                "{args:?} on {db:?}: {err}"
            );
            assert_eq!(err.trim().lines().count(), 1, "{err}");
        }
        let after: Vec<_> = std::fs::read_dir(db)
            .map(|d| d.map(|e| e.unwrap().file_name()).collect())
            .unwrap_or_default();
        assert_eq!(before, after, "{db:?} was changed");
    }
    assert!(!missing.exists());
}

#[test]
fn output_files_never_destroy_what_they_point_at() {
    let env = Env::new();
    env.import_seed();
    let dir = env.dir_path();
    // A device is refused and left a device.
    let err = env.fails(2, &["export", "--output", "/dev/full"]);
    assert!(err.contains("not a regular file"), "{err}");
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata("/dev/full")
        .unwrap()
        .file_type()
        .is_char_device());
    // A FIFO is refused.
    let fifo = dir.join("pipe");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    env.fails(2, &["export", "--output", fifo.to_str().unwrap()]);
    // A symbolic link is refused; with --force the link is replaced, not followed.
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let link = dir.join("out.jsonl");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let err = env.fails(2, &["export", "--output", link.to_str().unwrap()]);
    assert!(
        err.contains("symbolic link") && err.contains("--force"),
        "{err}"
    );
    env.ok(&["export", "--output", link.to_str().unwrap(), "--force"]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(!std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    // A link planted at the temporary name of old versions is never followed.
    let planted = dir.join("x.jsonl.tmp");
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    env.ok(&["export", "--output", dir.join("x.jsonl").to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    // Anything inside the store is refused, and the store is untouched.
    for inside in ["db", "conf", "new.jsonl"] {
        let target = env.db().join(inside);
        let err = env.fails(2, &["export", "--output", target.to_str().unwrap()]);
        assert!(err.contains("inside the store"), "{err}");
    }
    env.ok(&["verify"]);
    // Success says what it wrote on stderr and keeps stdout clean.
    let out = env.run(&["export", "--output", dir.join("a.jsonl").to_str().unwrap()]);
    assert!(out.status.success() && out.stdout.is_empty());
    let said = String::from_utf8(out.stderr).unwrap();
    let size = std::fs::metadata(dir.join("a.jsonl")).unwrap().len();
    let grouped = size
        .to_string()
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(",");
    assert!(
        said.starts_with("wrote the export to ") && said.contains(&format!("({grouped} bytes)")),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1);
    for (cmd, file) in [("chart", "race.svg"), ("report", "season.html")] {
        let out = env.run(&[cmd, "--output", dir.join(file).to_str().unwrap()]);
        assert!(out.status.success() && out.stdout.is_empty(), "{cmd}");
        assert!(String::from_utf8(out.stderr)
            .unwrap()
            .starts_with(&format!("wrote the {cmd}")));
    }
}

#[test]
fn scores_past_the_bound_are_refused_everywhere() {
    let env = Env::new();
    env.import_seed();
    let head = env.head();
    for score in ["65535-0", "201-0", "0-999"] {
        let err = env.fails(
            2,
            &common::record_args(
                "5",
                "1984-12-16",
                "Los Espartanos",
                score,
                "Bella Esperanza",
            ),
        );
        assert!(
            err.contains("above 200 goals") && err.contains("149"),
            "{score}: {err}"
        );
    }
    let id = env.match_id(1, "Alianza Atlético");
    env.fails(2, &["correct", &id, "300-1", "--reason", "typo"]);
    // A large file is checked whole: a bad row near the end refuses it all.
    let mut csv = String::from(common::ENG_HEADER);
    for i in 0..3000 {
        let (h, a) = (i % 20, (i + 1 + i / 20 % 19) % 20);
        csv.push_str(&format!(
            "1950-08-{:02},1950,Club {h},Club {a},1-0,1,0,1,1,1,1,H\n",
            1 + i % 28
        ));
    }
    csv.push_str("1951-01-01,1950,Club 1,Club 2,250-0,250,0,1,1,250,250,H\n");
    let f = env.file("eng.csv", &csv);
    let err = env.fails(2, &["import", f.to_str().unwrap(), "--batch", "100"]);
    assert!(
        err.contains("eng.csv:3002:") && err.contains("above 200"),
        "{err}"
    );
    assert_eq!(env.head(), head, "something was written");
    // 149-0 is recorded.
    env.ok(&common::record_args(
        "6",
        "1984-12-20",
        "Los Espartanos",
        "149-0",
        "Bella Esperanza",
    ));
}

#[test]
fn look_alike_names_are_refused_or_folded() {
    let env = Env::new();
    env.import_seed();
    for hidden in [
        "Los\u{200B}Espartanos",
        "\u{FEFF}Los Espartanos",
        "Los \u{202E}Espartanos",
        "\u{301}",
    ] {
        let err = env.fails(
            2,
            &common::record_args("6", "1984-12-20", hidden, "1-0", "Bella Esperanza"),
        );
        assert!(
            err.contains("invisible") || err.contains("no letters"),
            "{hidden:?}: {err}"
        );
    }
    // Full-width letters are the same team, spelled as first recorded.
    let out = env.ok(&common::record_args(
        "6",
        "1984-12-20",
        "Ｌｏｓ Ｅｓｐａｒｔａｎｏｓ",
        "1-0",
        "Bella Esperanza",
    ));
    assert!(out.contains("Los Espartanos"), "{out}");
    assert_eq!(env.table(&[]).len(), 6);
}

#[test]
fn oversized_texts_are_refused_with_their_line() {
    let env = Env::new();
    let big = "x".repeat(scoreledger::model::limits::TEXT_BYTES + 1);
    let page = common::SEED.replace("- Prevseason: 1983", &format!("- Prevseason: {big}"));
    let f = env.file("page.txt", &page);
    let err = env.fails(2, &["import", f.to_str().unwrap(), "--points-for-win", "2"]);
    assert!(
        err.contains("page.txt:8:") && err.contains("limit is 2000"),
        "{err}"
    );
    let many: String = (0..=scoreledger::model::limits::FACTS)
        .map(|i| format!("- Fact {i}: {i}\n"))
        .collect();
    let page = common::SEED.replace(
        "- Prevseason: 1983\n",
        &format!("- Prevseason: 1983\n{many}"),
    );
    let f = env.file("page2.txt", &page);
    let err = env.fails(2, &["import", f.to_str().unwrap(), "--points-for-win", "2"]);
    assert!(err.contains("season facts; the limit is 100"), "{err}");
    assert!(!env.db().exists() || env.head().starts_with("0 "));
}

#[test]
fn unbounded_input_is_refused() {
    let env = Env::new();
    let err = env.fails(2, &["import", "/dev/zero"]);
    assert!(err.contains("not a file"), "{err}");
    let seed = env.file("seed.txt", common::SEED);
    let err = env.fails(2, &["import", seed.to_str().unwrap(), "--batch", "1000000"]);
    assert!(err.contains("1..=100000"), "{err}");
}

#[test]
fn an_event_past_the_decoder_limit_is_never_written() {
    // 17 MB in one infobox line: more than the decoder reads back (16 MiB).
    let env = Env::new();
    env.import_seed();
    let head = env.head();
    let huge = "y".repeat(17 << 20);
    let page = common::SEED
        .replace("- Season: 1984", "- Season: 1985")
        .replace("- Prevseason: 1983", &format!("- Prevseason: {huge}"));
    let f = env.file("huge.txt", &page);
    let err = env.fails(2, &["import", f.to_str().unwrap()]);
    assert!(
        err.contains("huge.txt:8:") && err.contains("the limit is 2000"),
        "{}",
        &err[..err.len().min(300)]
    );
    assert_eq!(env.head(), head);
    env.ok(&["verify"]);
    env.ok(&["export"]);
}

/// An export line for `event` after `prev`, hashed as the archive would.
fn export_line(
    seq: u64,
    prev: &scoreledger::Hash,
    event: scoreledger::Event,
) -> (String, scoreledger::Hash) {
    let at = scoreledger::Timestamp::parse_rfc3339("2026-11-28T10:00:00Z").unwrap();
    let bytes = scoreledger::testing::encoding::encode_event(&event);
    let hash = scoreledger::testing::chain::event_hash(seq, at, prev, &bytes);
    let env = scoreledger::Envelope {
        seq,
        recorded_at: at,
        prev: *prev,
        hash,
        event,
    };
    (serde_json::to_string(&env).unwrap() + "\n", hash)
}

#[test]
fn a_jsonl_import_is_checked_whole_before_anything_is_written() {
    // A well-hashed export whose 3rd event spells a team like the 1st but not
    // the same way: the archive would store it respelled, so the chain could
    // not be the export's. Nothing may be written.
    let mut text = String::new();
    let mut prev = scoreledger::Hash::GENESIS;
    for (seq, event) in [
        common::export_cup_result("Alpha", (1, 0), "Beta", 1),
        common::export_cup_result("Gamma", (2, 2), "Delta", 2),
        common::export_cup_result("ALPHA", (0, 3), "Gamma", 3),
    ]
    .into_iter()
    .enumerate()
    {
        let (line, hash) = export_line(seq as u64 + 1, &prev, event);
        text.push_str(&line);
        prev = hash;
    }
    let env = Env::new();
    let f = env.file("respelled.jsonl", &text);
    let err = env.fails(2, &["import", f.to_str().unwrap(), "--batch", "1"]);
    assert!(
        err.contains("respelled.jsonl:3:") && err.contains("respelled"),
        "{err}"
    );
    assert!(!env.db().exists(), "a refused import made a store");

    // Into an archive that holds a contradicting result, a conflict in a later
    // batch refuses the whole file before the earlier batches are written.
    let env = Env::new();
    env.import_seed();
    env.ok(&[
        "record",
        "--new-competition",
        "--competition",
        "Export Cup",
        "--season",
        "1990",
        "--stage",
        "Final",
        "--round",
        "1",
        "--date",
        "1990-05-02",
        "Gamma",
        "1-0",
        "Delta",
    ]);
    let head = env.head();
    let mut text = String::new();
    let mut prev = scoreledger::Hash::GENESIS;
    for (seq, event) in [
        common::export_cup_result("Alpha", (1, 0), "Beta", 1),
        common::export_cup_result("Gamma", (2, 2), "Delta", 2),
    ]
    .into_iter()
    .enumerate()
    {
        let (line, hash) = export_line(seq as u64 + 1, &prev, event);
        text.push_str(&line);
        prev = hash;
    }
    let f = env.file("other.jsonl", &text);
    let err = env.fails(2, &["import", f.to_str().unwrap(), "--batch", "1"]);
    assert!(
        err.contains("other.jsonl:2:") && err.contains("already recorded as 1-0"),
        "{err}"
    );
    assert_eq!(env.head(), head, "a batch was written before the refusal");
}

#[test]
fn a_batched_import_that_fails_after_committing_says_so_with_exit_4() {
    let env = Env::new();
    env.import_seed();
    // The archive holds the 3001st row's fixture with another score.
    let header = common::ENG_HEADER;
    let first = env.file(
        "first.csv",
        &format!("{header}1951-01-01,1950,Club 1,Club 2,0-0,0,0,1,1,0,0,D\n"),
    );
    env.ok(&["import", first.to_str().unwrap()]);
    let before: u64 = env.head_seq();
    let mut csv = String::from(common::ENG_HEADER);
    for i in 0..3000 {
        let (h, a) = (i % 20, (i + 1 + i / 20 % 19) % 20);
        csv.push_str(&format!(
            "1950-08-{:02},1950,Club {h},Club {a},1-0,1,0,1,1,1,1,H\n",
            1 + i % 28
        ));
    }
    csv.push_str("1951-01-01,1950,Club 1,Club 2,3-0,3,0,1,1,3,3,H\n");
    let f = env.file("eng.csv", &csv);
    let out = env.run(&["import", f.to_str().unwrap(), "--batch", "1000"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("eng.csv:3002:") && err.contains("events of this import were committed"),
        "{err}"
    );
    let committed: u64 = err
        .split("\n")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let head: u64 = env.head_seq();
    assert_eq!(head, before + committed, "{err}");
    assert!(committed >= 1000, "{err}");
    env.ok(&["verify"]);
}

#[test]
fn messages_say_what_happened() {
    let env = Env::new();
    env.import_seed();
    // A proof file that is not a proof is bad input (2), not a failed check (1).
    let cp = env.file("cp.txt", &env.ok(&["checkpoint"]));
    let junk = env.file("junk.txt", "hello\n");
    let err = env.fails(
        2,
        &[
            "verify-proof",
            "--checkpoint",
            cp.to_str().unwrap(),
            junk.to_str().unwrap(),
        ],
    );
    assert!(err.contains("not a proof file"), "{err}");
    // A checkpoint whose root line was changed: nothing can be said about
    // which events match, and nothing is.
    let text = env.ok(&["checkpoint"]);
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let root = lines[2].clone();
    let flipped = if root.starts_with('A') {
        root.replacen('A', "B", 1)
    } else {
        format!("A{}", &root[1..])
    };
    lines[2] = flipped;
    let edited = env.file("edited.txt", &(lines.join("\n") + "\n"));
    let err = env.fails(1, &["verify", "--checkpoint", edited.to_str().unwrap()]);
    assert!(
        err.contains("do not make its root") && !err.contains("match the checkpoint"),
        "{err}"
    );
    // Known-at before the first event of a non-empty archive.
    let err = env.fails(2, &["standings", "--known-at", "0"]);
    assert!(
        err.contains("nothing was known at seq 0") && !err.contains("no results yet"),
        "{err}"
    );
}

#[test]
fn a_rename_never_merges_two_clubs_that_met() {
    let env = Env::new();
    env.import_seed();
    let rename = |from: &str, to: &str| {
        vec![
            "rename",
            "--competition",
            "Copa Perú",
            "--from",
            from,
            "--to",
            to,
            "--reason",
            "merger",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    let args = rename("Bella Esperanza", "Los Espartanos");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = env.fails(2, &args);
    assert!(
        err.contains("both play in Copa Perú 1984 Final stage"),
        "{err}"
    );
    assert_eq!(env.table(&[]).len(), 6);
    // A name given by a rename can itself be renamed.
    for (from, to) in [
        ("Bella Esperanza", "Bella FC"),
        ("Bella FC", "Bella Esperanza CF"),
    ] {
        let args = rename(from, to);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        env.ok(&args);
    }
    let table = env.table(&[]);
    assert!(
        table.contains_key("Bella Esperanza CF") && table.len() == 6,
        "{table:?}"
    );
    // And renaming it onto an opponent is still refused.
    let args = rename("Bella Esperanza CF", "Los Espartanos");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.fails(2, &args);
}

/// Names a rename joined are one club: a result between them is a team
/// playing itself (it counted as both a win and a loss of one row), from
/// `record` and from an import alike; and a rename taken back (a typo) is
/// no merging of two clubs that met.
#[test]
fn names_joined_by_a_rename_are_one_club_for_results_and_renames() {
    let env = Env::new();
    env.ok(&[
        "record",
        "--competition",
        "Self Cup",
        "--season",
        "2020",
        "--stage",
        "League",
        "--round",
        "1",
        "--date",
        "2020-03-01",
        "Alpha",
        "1-0",
        "Beta",
        "--new-competition",
        "--new-season",
        "--new-stage",
        "--new-team",
    ]);
    let rename = |from: &str, to: &str| {
        env.run(&[
            "rename",
            "--competition",
            "Self Cup",
            "--from",
            from,
            "--to",
            to,
            "--reason",
            "r",
        ])
    };
    assert!(rename("Alpha", "Alpha FC").status.success());
    let head = env.head();
    let err = env.fails(
        2,
        &[
            "record",
            "--competition",
            "Self Cup",
            "--season",
            "2020",
            "--round",
            "2",
            "--date",
            "2020-03-08",
            "Alpha FC",
            "2-0",
            "Alpha",
        ],
    );
    assert!(err.contains("a team cannot play itself"), "{err}");
    let f = env.file(
        "self.json",
        r#"{"name": "Self Cup 2020", "matches": [
{"round": "Matchday 2", "date": "2020-03-08", "team1": "Alpha FC", "team2": "Alpha", "score": {"ft": [2, 0]}}
]}"#,
    );
    let err = env.fails(2, &["import", f.to_str().unwrap()]);
    assert!(err.contains("a team cannot play itself"), "{err}");
    // A match recorded under the old name, given again under the new one:
    // the same match (it was appended a second time, and counted twice).
    let again = |score: &str| {
        env.run(&[
            "record",
            "--competition",
            "Self Cup",
            "--season",
            "2020",
            "--round",
            "1",
            "--date",
            "2020-03-01",
            "Alpha FC",
            score,
            "Beta",
        ])
    };
    let same = again("1-0");
    assert!(
        same.status.success(),
        "{}",
        String::from_utf8_lossy(&same.stderr)
    );
    assert!(
        String::from_utf8_lossy(&same.stdout).contains("already recorded"),
        "{same:?}"
    );
    let other = again("3-0");
    assert!(
        String::from_utf8_lossy(&other.stderr).contains("is already recorded as 1-0"),
        "{other:?}"
    );
    assert_eq!(env.head(), head, "nothing appended");
    let t = env.table(&["--competition", "Self Cup", "--season", "2020"]);
    assert_eq!(t["Alpha FC"]["played"], 1, "{t:?}");
    // The new name names the club everywhere: its results, an adjustment,
    // an award (each refused the name a rename gave).
    let results = env.ok(&[
        "results",
        "--competition",
        "Self Cup",
        "--team",
        "Alpha FC",
        "--format",
        "csv",
    ]);
    assert_eq!(results.lines().count(), 2, "{results}");
    env.ok(&[
        "adjust",
        "--competition",
        "Self Cup",
        "--season",
        "2020",
        "--team",
        "Alpha FC",
        "--points",
        "-1",
        "--date",
        "2020-03-02",
        "--reason",
        "r",
    ]);
    let id = results
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    env.ok(&[
        "award",
        &id,
        "--to",
        "Alpha FC",
        "--keep-score",
        "--reason",
        "r",
    ]);
    let t = env.table(&["--competition", "Self Cup", "--season", "2020"]);
    assert_eq!(t["Alpha FC"]["points"], 2, "{t:?}");
    // The rename taken back: the table shows the old name again; and given
    // again: the new one (it was "already recorded", and the table kept
    // the new name all along).
    let back = rename("Alpha FC", "Alpha");
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    let t = env.table(&["--competition", "Self Cup", "--season", "2020"]);
    assert!(
        t.contains_key("Alpha") && !t.contains_key("Alpha FC"),
        "{t:?}"
    );
    let redo = rename("Alpha", "Alpha FC");
    assert!(redo.status.success());
    assert!(
        !String::from_utf8_lossy(&redo.stdout).contains("already recorded"),
        "{redo:?}"
    );
    let t = env.table(&["--competition", "Self Cup", "--season", "2020"]);
    assert_eq!(t.len(), 2, "{t:?}");
    assert_eq!(t["Alpha FC"]["played"], 1, "{t:?}");
    // Two clubs that met are still never joined.
    assert!(!rename("Alpha FC", "Beta").status.success());
    env.ok(&["verify"]);
}

/// `diff` across a rename shows one club, under its later name, with its
/// move and points change (it showed two teams, one leaving and one
/// arriving; found by a tester).
#[test]
fn a_diff_across_a_rename_shows_one_club() {
    let env = Env::new();
    env.import_seed();
    env.ok(&[
        "rename",
        "--competition",
        "Copa Perú",
        "--from",
        "Los Espartanos",
        "--to",
        "Espartanos FC",
        "--reason",
        "renamed",
    ]);
    let d = env.json(&[
        "diff", "--from", "seq:23", "--to", "seq:24", "--format", "json",
    ]);
    let rows = d["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 6, "{d}");
    let club = rows.iter().find(|r| r["team"] == "Espartanos FC").unwrap();
    assert_eq!(
        (
            club["pos_from"].as_u64(),
            club["pos_to"].as_u64(),
            club["points_change"].as_i64()
        ),
        (Some(1), Some(1), Some(0)),
        "{d}"
    );
    // An award to the renamed home club, by its new name, is a win for it
    // (it was refused as "not a win for Los Espartanos").
    let results = env.json(&["results", "--format", "json"]);
    let id = results
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["home"] == "Los Espartanos" || m["home"] == "Espartanos FC")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    env.ok(&[
        "award",
        &id,
        "--to",
        "Espartanos FC",
        "--reason",
        "walkover",
    ]);
    let history = env.ok(&["history", &id]);
    assert!(history.contains("3-0"), "{history}");
}
