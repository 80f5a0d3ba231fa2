//! The boundaries ARCHITECTURE.md promises, checked in the source: only
//! `store.rs` names sled, only `format/encoding.rs` bincode; the library
//! never prints, never reads the clock, and knows no HTTP or terminal; only
//! the front ends (`main.rs`, `cli/`, `serve/`, and `answers/`, what both
//! answer) do; the server never reaches into the CLI.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// (what, where it may appear): the files of `src/` outside those places
/// must not contain it (comments aside).
const RULES: &[(&str, &[&str])] = &[
    ("sled::", &["store.rs"]),
    ("bincode::", &["format/encoding.rs"]),
    ("println!", &["main.rs", "cli/", "serve/", "answers/"]),
    ("eprintln!", &["main.rs", "cli/", "serve/", "answers/"]),
    ("now_utc()", &["answers/"]),
    ("stdout()", &["answers/", "cli/"]),
    ("SystemTime::now", &[]),
    ("axum::", &["serve/"]),
    ("tokio::", &["serve/"]),
    ("hyper::", &["serve/"]),
    ("ureq::", &["cli/"]),
    ("clap::", &["cli/", "serve/", "answers/"]),
    // One front end never reaches into the other: what both answer is
    // in answers/; only the CLI starts the server (`scoreledger serve`).
    ("crate::cli", &["cli/", "main.rs"]),
    ("crate::serve", &["cli/", "serve/"]),
    ("indicatif::", &["cli/"]),
    ("std::process::exit", &["main.rs", "cli/"]),
];

#[test]
fn each_crate_is_named_only_where_the_architecture_says() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut broken = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for (what, allowed) in RULES {
                if code.contains(what) && !allowed.iter().any(|a| rel.starts_with(a)) {
                    broken.push(format!("src/{rel}:{}: {what}", n + 1));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "outside their layer:\n{}",
        broken.join("\n")
    );
    assert!(files.len() > 40, "{} files read", files.len());
}
