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

/// The library's layers, lowest first (ARCHITECTURE.md, "Layers"): a file
/// may name a file of its own component or of a lower rank, never one
/// above. The first matching prefix decides.
const RANKS: &[(&str, u8)] = &[
    ("model/", 0),
    ("format/", 1),
    // The projector is a pure fold over model types: the derivation and
    // the trust layer use it, as well as the questions.
    ("projection/projector.rs", 1),
    ("error.rs", 2),
    ("store.rs", 3),
    ("log/", 4),
    ("reported_head.rs", 4),
    ("derived/", 5),
    ("projection/", 6),
    ("integrity/", 7),
    ("archive.rs", 8),
    ("import/", 9),
    ("pictures/", 9),
    ("plausibility.rs", 9),
    ("salvage.rs", 10),
];

/// Files of the binary (front ends) and the crate root, which names every
/// module: not ranked.
const NOT_LIBRARY: &[&str] = &["main.rs", "lib.rs", "cli/", "serve/", "answers/"];

fn rank(file: &str) -> Option<(u8, &'static str)> {
    RANKS
        .iter()
        .find(|(prefix, _)| file.starts_with(prefix))
        .map(|&(prefix, r)| (r, prefix))
}

/// The library's files (relative to `src/`, with `/`), and their text.
fn library() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            let rel = f.strip_prefix(&src).unwrap().to_string_lossy();
            (rel.replace('\\', "/"), std::fs::read_to_string(f).unwrap())
        })
        .filter(|(rel, _)| !NOT_LIBRARY.iter().any(|n| rel.starts_with(n)))
        .collect();
    out.sort();
    out
}

/// The module path of a file: `derived/mod.rs` is `[derived]`.
fn module_of(file: &str) -> Vec<String> {
    let mut parts: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

/// The file a module path names: its longest prefix that is a file.
fn file_of(path: &[String], files: &[String]) -> Option<String> {
    (1..=path.len()).rev().find_map(|n| {
        let stem = path[..n].join("/");
        [format!("{stem}.rs"), format!("{stem}/mod.rs")]
            .into_iter()
            .find(|c| files.contains(c))
    })
}

/// The code of a file without comments and without its unit tests (the
/// `#[cfg(test)] mod` at its end).
fn code(text: &str) -> String {
    let body = text.split("#[cfg(test)]\nmod ").next().unwrap_or_default();
    body.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The module paths a file's code names, from `crate::` and `super::`
/// paths, one level of `{...}` groups included.
fn named_paths(file: &str, text: &str) -> Vec<Vec<String>> {
    let code = code(text);
    let me = module_of(file);
    let mut out = Vec::new();
    for (at, root) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        let rest = &code[at + root.len()..];
        let base: Vec<String> = match root {
            "crate::" => Vec::new(),
            _ => me[..me.len().saturating_sub(1)].to_vec(),
        };
        let path: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let mut segs: Vec<String> = base;
        segs.extend(path.split("::").filter(|s| !s.is_empty()).map(String::from));
        if rest[path.len()..].starts_with('{') {
            let group = &rest[path.len() + 1..rest.find('}').unwrap_or(rest.len())];
            for g in group.split(',') {
                let head = g.trim().split("::").next().unwrap_or_default();
                if !head.is_empty() && head != "self" {
                    let mut s = segs.clone();
                    s.push(head.to_string());
                    out.push(s);
                }
            }
        }
        out.push(segs);
    }
    out
}

/// Every edge between two files of the library: (from, to).
fn edges() -> Vec<(String, String)> {
    let lib = library();
    let files: Vec<String> = lib.iter().map(|(f, _)| f.clone()).collect();
    let mut out = std::collections::BTreeSet::new();
    for (file, text) in &lib {
        for path in named_paths(file, text) {
            if let Some(to) = file_of(&path, &files).filter(|t| t != file) {
                out.insert((file.clone(), to));
            }
        }
    }
    out.into_iter().collect()
}

#[test]
fn every_library_file_names_only_its_own_layer_and_those_below() {
    let mut broken = Vec::new();
    for (from, to) in edges() {
        let (Some((rf, cf)), Some((rt, ct))) = (rank(&from), rank(&to)) else {
            broken.push(format!(
                "src/{from} -> src/{to}: a file with no rank in RANKS"
            ));
            continue;
        };
        if cf != ct && rt >= rf {
            broken.push(format!("src/{from} (rank {rf}) names src/{to} (rank {rt})"));
        }
    }
    assert!(
        broken.is_empty(),
        "edges that go up or across:\n{}",
        broken.join("\n")
    );
    assert!(edges().len() > 100, "{} edges read", edges().len());
}

/// A cycle among `edges`, as a list of files, if there is one (a `mod.rs`
/// that declares its children is not an edge: children name their parent
/// freely, and a parent re-exports from them).
fn cycle(edges: &[(String, String)]) -> Option<Vec<String>> {
    fn visit(
        at: &str,
        edges: &[(String, String)],
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == at) {
            return Some(path[i..].to_vec());
        }
        if done.contains(at) {
            return None;
        }
        path.push(at.to_string());
        for (_, to) in edges.iter().filter(|(f, _)| f == at) {
            if let Some(c) = visit(to, edges, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(at.to_string());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    edges
        .iter()
        .find_map(|(from, _)| visit(from, edges, &mut Vec::new(), &mut done))
}

/// Whether `to` is the `mod.rs` of a folder that holds `from`.
fn parent(from: &str, to: &str) -> bool {
    to.strip_suffix("mod.rs")
        .is_some_and(|dir| from.starts_with(dir))
}

#[test]
fn no_cycle_between_the_files_of_the_library() {
    let all = edges();
    let kept: Vec<(String, String)> = all.iter().filter(|(f, t)| !parent(f, t)).cloned().collect();
    assert_eq!(cycle(&kept), None);
    let looped = [
        ("a.rs".to_string(), "b.rs".to_string()),
        ("b.rs".into(), "a.rs".into()),
    ];
    assert_eq!(
        cycle(&looped),
        Some(vec!["a.rs".to_string(), "b.rs".to_string()])
    );
}

/// The transparency log knows nothing of football: its files name no
/// event, match, stage or table, only bytes, hashes, chunks and the tree.
/// The football derivation (`derived/`) and the trust layer build on it.
#[test]
fn the_log_names_nothing_of_football() {
    const FOOTBALL: &[&str] = &[
        "model::event",
        "model::record",
        "model::rules",
        "model::names",
        "crate::derived",
        "crate::projection",
        "crate::integrity",
        "crate::import",
    ];
    let lib = library();
    let log: Vec<_> = lib.iter().filter(|(f, _)| f.starts_with("log/")).collect();
    let mut broken = Vec::new();
    for (file, text) in &log {
        for (n, line) in code(text).lines().enumerate() {
            for what in FOOTBALL.iter().filter(|w| line.contains(*w)) {
                broken.push(format!("src/{file}:{}: {what}", n + 1));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "the log names football:\n{}",
        broken.join("\n")
    );
    assert!(log.len() >= 3, "{} files in src/log/", log.len());
}
