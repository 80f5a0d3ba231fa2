//! Ordinary misuse that must never destroy or hide anything: read commands
//! on folders without a store, output files that point at the wrong place,
//! sizes and scores past their bounds, look-alike names, merging renames,
//! and messages that must say what happened.

mod common;

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
