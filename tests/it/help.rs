//! Help that teaches: every option is described, and every example in every
//! command's help runs, as printed, against the bundled 1984 data.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Env;

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("scoreledger")
}

fn help(args: &[&str]) -> String {
    let out = Command::new(bin())
        .args(args)
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The subcommands, from the top-level help.
fn commands() -> Vec<String> {
    let top = help(&[]);
    top.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .filter(|c| c != "help")
        .collect()
}

/// The example lines of a help text: each `scoreledger ...` line (joined
/// with its `\` continuations), without the description after two spaces.
fn examples(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text
        .lines()
        .skip_while(|l| !l.starts_with("Example"))
        .skip(1)
        .peekable();
    while let Some(line) = lines.next() {
        let line = line.trim();
        if !line.starts_with("scoreledger ") {
            continue;
        }
        let mut cmd = line.to_string();
        while cmd.ends_with('\\') {
            cmd.pop();
            cmd.push_str(lines.next().unwrap_or_default().trim());
        }
        // A description follows the command after two or more spaces (outside quotes).
        let mut quoted = false;
        let mut cut = cmd.len();
        let b = cmd.as_bytes();
        for i in 0..b.len() {
            match b[i] {
                b'\'' => quoted = !quoted,
                b' ' if !quoted && b.get(i + 1) == Some(&b' ') => {
                    cut = i;
                    break;
                }
                _ => {}
            }
        }
        out.push(cmd[..cut].trim().to_string());
    }
    out
}

#[test]
fn every_option_and_argument_has_a_description() {
    let mut missing = Vec::new();
    for c in commands() {
        let text = help(&[&c]);
        let mut section = false;
        for line in text.lines() {
            if line == "Options:" || line == "Arguments:" {
                section = true;
                continue;
            }
            if line.trim().is_empty() {
                section = false;
            }
            let t = line.trim_start();
            let indent = line.len() - t.len();
            if section && indent <= 6 && (t.starts_with('-') || t.starts_with('<')) {
                let parts: Vec<&str> = t.splitn(2, "  ").collect();
                if parts.len() != 2 || parts[1].trim().is_empty() {
                    missing.push(format!("{c}: '{line}'"));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "without a description:\n{}",
        missing.join("\n")
    );
}

#[test]
fn no_example_is_wider_than_a_terminal() {
    let mut wide = Vec::new();
    for c in commands() {
        let text = help(&[&c]);
        let after = text.lines().skip_while(|l| !l.starts_with("Example"));
        for line in after.filter(|l| l.chars().count() > 80) {
            wide.push(format!("{c} ({} columns): {line}", line.chars().count()));
        }
    }
    assert!(
        wide.is_empty(),
        "wider than 80 columns:\n{}",
        wide.join("\n")
    );
}

#[test]
fn the_store_options_are_offered_only_where_a_store_is_opened() {
    for c in ["verify-proof", "completions"] {
        let text = help(&[c]);
        assert!(
            !text.contains("--db") && !text.contains("--wait"),
            "{c}:\n{text}"
        );
    }
    assert!(help(&["head"]).contains("--db <PATH>"));
}

/// A folder to run examples in: the repository's example and test files
/// reachable by the same relative paths, a seeded archive, the token file
/// and the results file that `serve`'s examples name, and (but for
/// `keygen`'s own examples) a log key, a witness key, a signed checkpoint,
/// its cosigned copy, an export and a table receipt.
fn workdir(env: &Env, command: &str, path: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = env.dir_path().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    for sub in ["examples", "tests"] {
        std::os::unix::fs::symlink(root.join(sub), dir.join(sub)).unwrap();
    }
    std::fs::write(dir.join("token.txt"), "help-example-token-0123456789\n").unwrap();
    std::fs::copy(
        root.join("tests/data/intl_results_2018_worldcup.csv"),
        dir.join("results.csv"),
    )
    .unwrap();
    if command != "keygen" {
        let fixtures = "scoreledger keygen --name scoreledger.local/archive --output log.key > log.vkey \
            && scoreledger keygen --witness --name w1.example.org --output w.key > w.vkey \
            && scoreledger checkpoint --sign log.key > cp.txt \
            && scoreledger witness --key w.key --state .wstate --log-key log.vkey cp.txt > cosigned.txt \
            && scoreledger export > archive.jsonl \
            && scoreledger receipt --checkpoint cp.txt --output r.json 2> /dev/null";
        let out = Command::new("sh")
            .args(["-c", fixtures])
            .current_dir(&dir)
            .env("PATH", path)
            .env("SCORELEDGER_DB", env.db())
            .env("SCORELEDGER_NOW", "2026-11-28T10:00:00Z")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    dir
}

/// `scoreledger serve` on the default address with the token file, for
/// the curl examples; stopped when dropped.
struct Served(std::process::Child);

impl Served {
    fn start(dir: &Path, path: &str, db: &Path) -> Served {
        use std::io::BufRead;
        let mut child = Command::new("scoreledger")
            .args([
                "serve",
                "--token-file",
                "token.txt",
                "--sign-key",
                "log.key",
            ])
            .current_dir(dir)
            .env("PATH", path)
            .env("SCORELEDGER_DB", db)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(line.starts_with("listening on"), "serve: {line:?}");
        Served(child)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

#[test]
fn every_example_runs_as_printed() {
    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut ran = 0;
    let mut failed = Vec::new();
    for c in commands() {
        let env = Env::new();
        env.import_seed();
        let dir = workdir(&env, &c, &path);
        let mut server: Option<Served> = None;
        for example in examples(&help(&[&c])) {
            // Output is thrown away where a tool may be missing; files outside
            // the folder are not written.
            let line = example.replace("/etc/bash_completion.d/", "./");
            let line = match line.split_once(" | ") {
                Some((first, rest)) if !rest.trim_start().starts_with("scoreledger") => {
                    format!("{first} > /dev/null")
                }
                _ => line,
            };
            // A server runs until stopped: it must start and stop cleanly on
            // SIGINT. curl examples ask a server started here, as the help
            // says, on the default address.
            let line = if line.starts_with("scoreledger serve") {
                format!("timeout --preserve-status -s INT 2 {line} > /dev/null")
            } else {
                line
            };
            if line.contains("127.0.0.1:7878") && server.is_none() {
                server = Some(Served::start(&dir, &path, &env.db()));
            }
            let out = Command::new("sh")
                .arg("-c")
                .arg(&line)
                .current_dir(&dir)
                .env("PATH", &path)
                .env("SCORELEDGER_DB", env.db())
                .env("SCORELEDGER_NOW", "2026-11-28T10:00:00Z")
                .output()
                .unwrap();
            if !out.status.success() {
                let err = String::from_utf8_lossy(&out.stderr);
                failed.push(format!("`{c} --help`: {example}\n    {}", err.trim()));
            }
            ran += 1;
        }
    }
    assert!(
        failed.is_empty(),
        "examples that fail:\n{}",
        failed.join("\n")
    );
    assert!(ran >= 40, "{ran} examples");
}
