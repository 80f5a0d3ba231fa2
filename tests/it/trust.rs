//! Trust beyond one machine: signed checkpoints, witnesses that refuse
//! forks and rollbacks, mirrors that refuse rewritten history.

use crate::common;

use common::server::Server;
use common::Env;

/// A log key named like the checkpoints' origin, and its verifier key file.
fn log_key(env: &Env, name: &str) -> (String, String) {
    let key = env
        .dir_path()
        .join(format!("{}.key", name.replace('/', "_")));
    let vkey = env.ok(&["keygen", "--name", name, "--output", key.to_str().unwrap()]);
    let vfile = env.file(&format!("{}.vkey", name.replace('/', "_")), &vkey);
    (
        key.to_str().unwrap().to_string(),
        vfile.to_str().unwrap().to_string(),
    )
}

fn witness_key(env: &Env, name: &str) -> (String, String) {
    let key = env.dir_path().join("w.key");
    let vkey = env.ok(&[
        "keygen",
        "--witness",
        "--name",
        name,
        "--output",
        key.to_str().unwrap(),
    ]);
    let vfile = env.file("w.vkey", &vkey);
    (key.to_str().unwrap().into(), vfile.to_str().unwrap().into())
}

#[test]
fn keygen_writes_a_private_key_only_its_owner_reads_and_never_replaces_one() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let (key, vkey) = log_key(&env, "league.example/archive");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let v = std::fs::read_to_string(&vkey).unwrap();
    assert!(v.starts_with("league.example/archive+"), "{v}");
    assert!(std::fs::read_to_string(&key)
        .unwrap()
        .starts_with("PRIVATE+KEY+league.example/archive+"));
    let before = std::fs::read(&key).unwrap();
    let err = env.fails(2, &["keygen", "--name", "x", "--output", &key]);
    assert!(err.contains("cannot write the key"), "{err}");
    assert_eq!(std::fs::read(&key).unwrap(), before);
}

#[test]
fn a_signed_checkpoint_verifies_only_with_its_key_whole_and_for_its_origin() {
    let env = Env::new();
    env.import_seed();
    let (key, vkey) = log_key(&env, "league.example/archive");
    let (_, other_vkey) = log_key(&env, "league.example/other");
    let signed = env.ok(&["checkpoint", "--sign", &key]);
    assert!(
        signed.starts_with("league.example/archive\n23\n"),
        "{signed}"
    );
    assert!(
        signed.contains("\n\n\u{2014} league.example/archive "),
        "{signed}"
    );
    let cp = env.file("cp.txt", &signed);
    let cp = cp.to_str().unwrap();
    let ok = env.ok(&["verify", "--checkpoint", cp, "--key", &vkey]);
    assert!(ok.contains("append-only extension"), "{ok}");
    // The key's text works as well as its file.
    let vtext = std::fs::read_to_string(&vkey).unwrap();
    env.ok(&["verify", "--checkpoint", cp, "--key", vtext.trim()]);
    let proof = env.file("p.txt", &env.ok(&["prove", "5"]));
    env.ok(&[
        "verify-proof",
        "--checkpoint",
        cp,
        "--key",
        &vkey,
        proof.to_str().unwrap(),
    ]);
    // Unsigned, foreign, changed: refused with exit 1.
    let unsigned = env.file(
        "unsigned.txt",
        &env.ok(&["checkpoint", "--origin", "league.example/archive"]),
    );
    let err = env.fails(
        1,
        &[
            "verify",
            "--checkpoint",
            unsigned.to_str().unwrap(),
            "--key",
            &vkey,
        ],
    );
    assert!(err.contains("not signed"), "{err}");
    let err = env.fails(1, &["verify", "--checkpoint", cp, "--key", &other_vkey]);
    assert!(err.contains("origin"), "{err}");
    let changed = env.file("changed.txt", &signed.replacen("\n23\n", "\n22\n", 1));
    let err = env.fails(
        1,
        &[
            "verify-proof",
            "--checkpoint",
            changed.to_str().unwrap(),
            "--key",
            &vkey,
            proof.to_str().unwrap(),
        ],
    );
    assert!(err.contains("does not verify"), "{err}");
    let err = env.fails(2, &["checkpoint", "--sign", &key, "--origin", "elsewhere"]);
    assert!(err.contains("key's name"), "{err}");
}

#[test]
fn a_witness_cosigns_extensions_and_refuses_forks_and_rollbacks() {
    let env = Env::new();
    env.import_seed();
    let (key, vkey) = log_key(&env, "league.example/archive");
    let (wkey, wvkey) = witness_key(&env, "witness.example/w1");
    let state = env.dir_path().join("wstate");
    let state = state.to_str().unwrap();
    let witness = |cp: &str, extra: &[&str]| {
        let mut args = vec![
            "witness",
            "--key",
            &wkey,
            "--state",
            state,
            "--log-key",
            &vkey,
        ];
        args.extend_from_slice(extra);
        args.push(cp);
        env.run(&args)
    };
    let cp23 = env.file("cp23.txt", &env.ok(&["checkpoint", "--sign", &key]));
    let out = witness(cp23.to_str().unwrap(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("trusted on first use"));
    let cosigned = env.file("cp23-cosigned.txt", &String::from_utf8(out.stdout).unwrap());
    let cosigned = cosigned.to_str().unwrap();
    env.ok(&[
        "verify",
        "--checkpoint",
        cosigned,
        "--key",
        &vkey,
        "--witness",
        &wvkey,
        "--quorum",
        "1",
    ]);
    let err = env.fails(
        1,
        &[
            "verify",
            "--checkpoint",
            cp23.to_str().unwrap(),
            "--key",
            &vkey,
            "--witness",
            &wvkey,
        ],
    );
    assert!(err.contains("0 of the 1 witnesses"), "{err}");

    // The archive grows: with a consistency proof, the witness cosigns.
    let id = env.match_id(1, "Alianza Atlético");
    env.ok(&["correct", &id, "2-2", "--reason", "score mistyped"]);
    let cp24 = env.file("cp24.txt", &env.ok(&["checkpoint", "--sign", &key]));
    let out = witness(cp24.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(1), "no proof: refused");
    let proof = env.file("c.txt", &env.ok(&["consistency", "23"]));
    let out = witness(
        cp24.to_str().unwrap(),
        &["--proof", proof.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("proven extension of size 23"));

    // A rollback: the older checkpoint again.
    let out = witness(cp23.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("rollback"));

    // A fork: the same log key signs another archive of 24 events.
    let other = Env::new();
    other.import_seed();
    let id = other.match_id(1, "Alianza Atlético");
    other.ok(&["correct", &id, "3-3", "--reason", "a different story"]);
    let fork = env.file("fork.txt", &other.ok(&["checkpoint", "--sign", &key]));
    let out = witness(fork.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("fork"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And a larger fork, with the forked log's own proof.
    other.ok(&["annul", &id, "--reason", "replayed"]);
    let fork25 = env.file("fork25.txt", &other.ok(&["checkpoint", "--sign", &key]));
    let fproof = env.file("fc.txt", &other.ok(&["consistency", "24"]));
    let out = witness(
        fork25.to_str().unwrap(),
        &["--proof", fproof.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("fork"));
}

#[test]
fn a_mirror_follows_a_signed_source_and_refuses_rewritten_history() {
    let src = Env::new();
    src.import_seed();
    let (key, vkey) = log_key(&src, "league.example/archive");
    let token = "0123456789abcdef0123";
    let tfile = src.file("token.txt", token);
    let mirror = Env::new();
    let start = |env: &Env| {
        let mut s = Server::start_with(
            &env.db(),
            &["--token-file", tfile.to_str().unwrap(), "--sign-key", &key],
        );
        s.token = Some(token.to_string());
        s
    };
    let server = start(&src);
    // A witness follows the server's signed checkpoints, fetching the
    // consistency proofs it needs from it.
    let (wkey, _) = witness_key(&src, "witness.example/w1");
    let state = src.dir_path().join("wstate");
    let cosign = |url: &str| {
        let cp = src.file("served-cp.txt", &ureq_get(&format!("{url}/api/checkpoint")));
        src.run(&[
            "witness",
            "--key",
            &wkey,
            "--state",
            state.to_str().unwrap(),
            "--log-key",
            &vkey,
            "--from",
            url,
            cp.to_str().unwrap(),
        ])
    };
    assert!(cosign(&server.url).status.success());
    let pull = |url: &str| mirror.run(&["mirror", "--from", url, "--key", &vkey]);
    let out = pull(&server.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("mirrored 23 events"));
    // The source grows; the mirror catches up to the same head and root.
    let id = server.json("/api/results?round=1")[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, body) = server.post(
        "/api/correct",
        Some(token),
        &format!(r#"{{"id":"{id}","score":"2-2","reason":"mistyped"}}"#),
    );
    assert_eq!(status, 201, "{body}");
    let out = pull(&server.url);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("mirrored 1 event "));
    let source_head = server.json("/api/head");
    let source_cp = server.get("/api/checkpoint").1;
    server.stop();
    assert_eq!(
        mirror.ok(&["head"]).split_whitespace().nth(1),
        source_head["hash"].as_str()
    );
    assert!(source_cp.starts_with(&mirror.ok(&[
        "checkpoint",
        "--origin",
        "league.example/archive"
    ])));
    mirror.ok(&["verify"]);

    // The source rewrites seq 24 (and adds more): the mirror refuses at 24.
    let rewritten = Env::new();
    rewritten.import_seed();
    let id = rewritten.match_id(1, "Alianza Atlético");
    rewritten.ok(&["correct", &id, "3-3", "--reason", "another story"]);
    rewritten.ok(&["annul", &id, "--reason", "and more"]);
    let liar = start(&rewritten);
    let before = mirror.ok(&["head"]);
    let out = pull(&liar.url);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("seq 24 differs"), "{err}");
    assert_eq!(
        mirror.ok(&["head"]),
        before,
        "nothing past the last good head is kept"
    );
}

#[test]
fn a_mirror_from_an_export_file_copies_the_chain_and_refuses_a_rewritten_one() {
    let src = Env::new();
    src.import_seed();
    let export = src.file("all.jsonl", &src.ok(&["export"]));
    let mirror = Env::new();
    let out = mirror.ok(&["mirror", "--from-file", export.to_str().unwrap()]);
    assert!(out.contains("mirrored 23 events"), "{out}");
    assert_eq!(mirror.head(), src.head());
    let again = mirror.ok(&["mirror", "--from-file", export.to_str().unwrap()]);
    assert!(again.contains("mirrored 0 events"), "{again}");
    let other = Env::new();
    other.ok_at("2026-11-29T10:00:00Z", &["import", common::SEED_PATH]);
    let other_export = other.file("other.jsonl", &other.ok(&["export"]));
    let err = mirror.fails(
        1,
        &["mirror", "--from-file", other_export.to_str().unwrap()],
    );
    assert!(err.contains("seq 1 differs"), "{err}");
}

fn ureq_get(url: &str) -> String {
    ureq::get(url).call().unwrap().into_string().unwrap()
}

/// A stand-in for a source server: answers `/api/checkpoint` with `note`
/// and `/api/events?after=A&limit=L` from an export, until dropped.
struct FakeSource {
    url: String,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl FakeSource {
    fn start(note: String, export: String) -> FakeSource {
        use std::io::{BufRead, BufReader, Write};
        use std::sync::atomic::Ordering;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        listener.set_nonblocking(true).unwrap();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        std::thread::spawn(move || {
            while !flag.load(Ordering::Relaxed) {
                let Ok((mut conn, _)) = listener.accept() else {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                };
                conn.set_nonblocking(false).unwrap();
                let mut reader = BufReader::new(conn.try_clone().unwrap());
                let mut head = String::new();
                reader.read_line(&mut head).unwrap();
                loop {
                    let mut l = String::new();
                    if reader.read_line(&mut l).unwrap() == 0 || l == "\r\n" {
                        break;
                    }
                }
                let path = head.split_whitespace().nth(1).unwrap_or("").to_string();
                let body = if path.starts_with("/api/checkpoint") {
                    note.clone()
                } else {
                    let q = |k: &str| -> u64 {
                        path.split(['?', '&'])
                            .find_map(|p| p.strip_prefix(&format!("{k}=")))
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0)
                    };
                    let (after, limit) = (q("after"), q("limit"));
                    export
                        .lines()
                        .filter(|l| {
                            let v: serde_json::Value = serde_json::from_str(l).unwrap();
                            let s = v["seq"].as_u64().unwrap();
                            s > after && s <= after + limit
                        })
                        .map(|l| format!("{l}\n"))
                        .collect()
                };
                let _ = write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        FakeSource { url, stop }
    }
}

impl Drop for FakeSource {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

#[test]
fn a_mirror_refuses_a_checkpoint_of_another_origin_signed_by_the_same_key() {
    use scoreledger::integrity::note::{Note, SignerKey};
    let src = Env::new();
    src.import_seed();
    let (key, vkey) = log_key(&src, "league.example/archive");
    // The same key signs a checkpoint of another log (origin): a note the
    // key's owner can make, and a mirror of league.example/archive must not take.
    let body = src.ok(&["checkpoint", "--origin", "league.example/other"]);
    let mut note = Note::parse(&body).unwrap();
    let signer = SignerKey::parse(&std::fs::read_to_string(&key).unwrap()).unwrap();
    note.sign(&signer).unwrap();
    let source = FakeSource::start(note.to_text(), src.ok(&["export"]));
    let mirror = Env::new();
    let out = mirror.run(&["mirror", "--from", &source.url, "--key", &vkey]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "accepted: {err}");
    assert!(err.contains("origin"), "{err}");
    assert_eq!(
        mirror.run(&["head"]).status.code(),
        Some(1).filter(|_| false).or(Some(0))
    );
    assert!(mirror.ok(&["head"]).starts_with("0 "), "nothing kept");
    // The same checkpoint signed for its own origin is mirrored.
    let good = src.ok(&["checkpoint", "--sign", &key]);
    let source = FakeSource::start(good, src.ok(&["export"]));
    let out = mirror.ok(&["mirror", "--from", &source.url, "--key", &vkey]);
    assert!(out.contains("mirrored 23 events"), "{out}");
}

#[test]
fn a_witness_counts_once_however_often_its_key_is_listed_and_quorum_0_is_refused() {
    use scoreledger::integrity::note::{key_id, Note, NoteSignature, VerifierKey};
    let env = Env::new();
    env.import_seed();
    let (key, vkey) = log_key(&env, "league.example/archive");
    let (wkey, wvkey) = witness_key(&env, "witness.example/w1");
    let cp = env.file("cp.txt", &env.ok(&["checkpoint", "--sign", &key]));
    let state = env.dir_path().join("wstate");
    let cosigned = env.ok(&[
        "witness",
        "--key",
        &wkey,
        "--state",
        state.to_str().unwrap(),
        "--log-key",
        &vkey,
        cp.to_str().unwrap(),
    ]);
    // One witness cosigned; the checkpoint needs two.
    let cosigned_file = env.file("cp-w.txt", &cosigned);
    let verify = |file: &std::path::Path, witnesses: &[&str], quorum: &str| {
        let mut args = vec![
            "verify",
            "--checkpoint",
            file.to_str().unwrap(),
            "--key",
            &vkey,
        ];
        for w in witnesses {
            args.extend(["--witness", w]);
        }
        args.extend(["--quorum", quorum]);
        env.run(&args)
    };
    let code = |o: std::process::Output| {
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let mut wrong = Vec::new();
    let (c, err) = code(verify(&cosigned_file, &[&wvkey, &wvkey], "2"));
    if c == Some(0) {
        wrong.push(format!("one witness listed twice met a quorum of 2: {err}"));
    }
    // The same public key under another name, with the witness's
    // cosignature copied to a line of that name: still one witness.
    let w = VerifierKey::parse(&std::fs::read_to_string(&wvkey).unwrap()).unwrap();
    let alias_id = key_id("witness.example/alias", w.kind, w.key.as_bytes());
    let alias = VerifierKey {
        name: "witness.example/alias".into(),
        kind: w.kind,
        id: alias_id,
        key: w.key,
    };
    let mut note = Note::parse(&cosigned).unwrap();
    let line = note
        .signatures
        .iter()
        .find(|s| s.name == w.name)
        .unwrap()
        .clone();
    note.signatures.push(NoteSignature {
        name: alias.name.clone(),
        id: alias_id,
        bytes: line.bytes,
    });
    let doubled = env.file("cp-ww.txt", &note.to_text());
    let alias_text = alias.to_text();
    let (c, err) = code(verify(&doubled, &[&wvkey, &alias_text], "2"));
    if c == Some(0) {
        wrong.push(format!(
            "one witness under two names met a quorum of 2: {err}"
        ));
    }
    // --quorum 0 would accept a checkpoint no witness cosigned.
    let (c, err) = code(verify(&cp, &[&wvkey], "0"));
    if c != Some(2) || !err.contains("quorum") {
        wrong.push(format!("--quorum 0: exit {c:?} {err}"));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // A quorum of 1 of the one witness holds.
    let (c, err) = code(verify(&cosigned_file, &[&wvkey], "1"));
    assert_eq!(c, Some(0), "{err}");
}

#[test]
fn a_witness_state_is_locked_against_a_second_witness_process() {
    let env = Env::new();
    env.import_seed();
    let (key, vkey) = log_key(&env, "league.example/archive");
    let (wkey, _) = witness_key(&env, "witness.example/w1");
    let cp = env.file("cp.txt", &env.ok(&["checkpoint", "--sign", &key]));
    let state = env.dir_path().join("wstate");
    std::fs::create_dir_all(&state).unwrap();
    let witness = || {
        env.run(&[
            "witness",
            "--key",
            &wkey,
            "--state",
            state.to_str().unwrap(),
            "--log-key",
            &vkey,
            cp.to_str().unwrap(),
        ])
    };
    // Another witness process holds the state.
    let held = std::fs::File::create(state.join("witness.lock")).unwrap();
    held.lock().unwrap();
    let out = witness();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "not refused: {err}");
    assert!(err.contains("in use"), "{err}");
    assert_eq!(
        std::fs::read_dir(&state).unwrap().count(),
        1,
        "nothing cosigned"
    );
    drop(held);
    let out = witness();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The archive's checkpoint with its index line replaced by `index` (the
/// base64 of another root), signed by the log's key: a checkpoint only the
/// log's owner could make, and a false one.
fn false_index_checkpoint(env: &Env, key: &str, origin: &str, index: &str) -> String {
    use scoreledger::integrity::note::{Note, SignerKey};
    let body = env.ok(&["checkpoint", "--origin", origin]);
    let line = body.lines().find(|l| l.starts_with("index ")).unwrap();
    let mut note = Note::parse(&body.replacen(line, &format!("index {index}"), 1)).unwrap();
    note.sign(&SignerKey::parse(&std::fs::read_to_string(key).unwrap()).unwrap())
        .unwrap();
    note.to_text()
}

/// The index line of a checkpoint.
fn index_line(cp: &str) -> String {
    cp.lines()
        .find_map(|l| l.strip_prefix("index "))
        .unwrap()
        .to_string()
}

#[test]
fn verify_recomputes_the_index_from_the_events_and_refuses_a_false_index_line() {
    let env = Env::new();
    env.import_seed();
    let (key, vkey) = log_key(&env, "league.example/archive");
    let cp23 = env.ok(&["checkpoint", "--sign", &key]);
    let id = env.match_id(1, "Alianza Atlético");
    env.ok(&["correct", &id, "2-2", "--reason", "score mistyped"]);
    let cp24 = env.ok(&["checkpoint", "--sign", &key]);
    assert_ne!(
        index_line(&cp23),
        index_line(&cp24),
        "the correction is in the index"
    );
    // Both true checkpoints verify, the older one at its own size.
    for (name, cp) in [("cp23.txt", &cp23), ("cp24.txt", &cp24)] {
        let f = env.file(name, cp);
        let out = env.ok(&[
            "verify",
            "--checkpoint",
            f.to_str().unwrap(),
            "--key",
            &vkey,
        ]);
        assert!(out.contains("index line is the stage index"), "{out}");
    }
    // The tree of 24 with the index of 23: signed, well-formed, false.
    let lie = false_index_checkpoint(&env, &key, "league.example/archive", &index_line(&cp23));
    let f = env.file("lie.txt", &lie);
    let err = env.fails(
        1,
        &[
            "verify",
            "--checkpoint",
            f.to_str().unwrap(),
            "--key",
            &vkey,
        ],
    );
    assert!(err.contains("index line") && err.contains("false"), "{err}");
    // A receipt is refused against it too.
    let err = receipt_fails(&env, 1, &f, &[]);
    assert!(err.contains("index line"), "{err}");
    // Refused as false whatever stage is asked for: before the stage is
    // looked up (a stage the archive does not hold is a later error).
    for stage in [["--stage", "Final stage"], ["--stage", "No Such Stage"]] {
        let err = receipt_fails(&env, 1, &f, &stage);
        assert!(
            err.contains("index line") && err.contains("false"),
            "{stage:?}: {err}"
        );
    }
    // A checkpoint made before the index (no index line) still verifies,
    // but gives no receipt.
    let old: String = cp24
        .split("\n\n")
        .next()
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("index "))
        .map(|l| format!("{l}\n"))
        .collect();
    let old_file = env.file("old.txt", &old);
    env.ok(&["verify", "--checkpoint", old_file.to_str().unwrap()]);
    let err = receipt_fails(&env, 2, &old_file, &[]);
    assert!(err.contains("no index line"), "{err}");
}

/// `receipt --checkpoint CHECKPOINT` with `extra` arguments, expected to
/// fail with exit `code`: its stderr.
fn receipt_fails(env: &Env, code: i32, checkpoint: &std::path::Path, extra: &[&str]) -> String {
    let out = env.dir_path().join("r.json");
    let mut args = vec![
        "receipt",
        "--checkpoint",
        checkpoint.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    env.fails(code, &args)
}

#[test]
fn verify_names_a_damaged_index_list_and_rebuild_repairs_it() {
    use scoreledger::testing::Space;
    let env = Env::new();
    env.import_seed();
    let before = env.ok(&["checkpoint"]);
    let (key, _) = log_key(&env, "league.example/archive");
    let signed = env.file("cp.txt", &env.ok(&["checkpoint", "--sign", &key]));
    {
        let archive = scoreledger::Archive::open(&env.db()).unwrap();
        let stage = scoreledger::testing::keys::stage_scope("Copa Perú", "1984", "Final stage");
        let key = scoreledger::testing::keys::index(&stage);
        let value = archive.store().get(Space::Derived, &key).unwrap().unwrap();
        let (header, list) = scoreledger::testing::packed::decode_index_header(&value).unwrap();
        let mut list = scoreledger::testing::packed::decode_index(list).unwrap();
        list.remove(3);
        let damaged = scoreledger::testing::packed::encode_index_value(&header, &list);
        archive
            .store()
            .tamper(Space::Derived, &key, &damaged)
            .unwrap();
    }
    let err = env.fails(1, &["verify"]);
    assert!(err.contains("stage index"), "{err}");
    // A receipt names the damaged list, not the (true) checkpoint.
    let err = receipt_fails(&env, 1, &signed, &[]);
    assert!(
        err.contains("index list") && !err.contains("false"),
        "{err}"
    );
    env.ok(&["rebuild"]);
    env.ok(&["verify"]);
    assert_eq!(env.ok(&["checkpoint"]), before);
}

#[test]
fn a_mirror_recomputes_the_index_and_refuses_a_false_index_line() {
    let src = Env::new();
    src.import_seed();
    let (key, vkey) = log_key(&src, "league.example/archive");
    let export = src.ok(&["export"]);
    let mirror = Env::new();
    // The tree is the log's, the index line is not: refused, nothing kept.
    let lie = false_index_checkpoint(
        &src,
        &key,
        "league.example/archive",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    );
    let source = FakeSource::start(lie, export.clone());
    let out = mirror.run(&["mirror", "--from", &source.url, "--key", &vkey]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "accepted: {err}");
    assert!(err.contains("index line"), "{err}");
    assert!(mirror.ok(&["head"]).starts_with("0 "), "nothing kept");
    // The true one: mirrored, and the mirror's own index is the source's.
    let good = src.ok(&["checkpoint", "--sign", &key]);
    let source = FakeSource::start(good.clone(), export);
    let out = mirror.ok(&["mirror", "--from", &source.url, "--key", &vkey]);
    assert!(out.contains("index line is the stage index"), "{out}");
    let own = mirror.ok(&["checkpoint", "--origin", "league.example/archive"]);
    assert_eq!(index_line(&own), index_line(&good));
}

#[test]
fn a_witness_refuses_the_same_tree_with_another_index_line() {
    let env = Env::new();
    env.import_seed();
    let (key, vkey) = log_key(&env, "league.example/archive");
    let (wkey, _) = witness_key(&env, "witness.example/w1");
    let state = env.dir_path().join("wstate");
    let witness = |cp: &std::path::Path| {
        env.run(&[
            "witness",
            "--key",
            &wkey,
            "--state",
            state.to_str().unwrap(),
            "--log-key",
            &vkey,
            cp.to_str().unwrap(),
        ])
    };
    let cp = env.file("cp.txt", &env.ok(&["checkpoint", "--sign", &key]));
    assert!(witness(&cp).status.success());
    let other = false_index_checkpoint(
        &env,
        &key,
        "league.example/archive",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    );
    let out = witness(&env.file("other.txt", &other));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("index"), "{err}");
}

/// The log's key holder shows the witness the tree with its index line,
/// then without one, then with another: the note without the line is
/// cosigned (it says less, not something else), but the witness keeps the
/// line it saw, and refuses the other. It kept the note without the line
/// as its state, and then cosigned the other line (found by a tester).
#[test]
fn a_witness_keeps_the_index_line_of_a_tree_shown_again_without_one() {
    let env = Env::new();
    env.import_seed();
    let (key, vkey) = log_key(&env, "league.example/archive");
    let (wkey, _) = witness_key(&env, "witness.example/w1");
    let state = env.dir_path().join("wstate");
    let witness = |cp: &std::path::Path| {
        env.run(&[
            "witness",
            "--key",
            &wkey,
            "--state",
            state.to_str().unwrap(),
            "--log-key",
            &vkey,
            cp.to_str().unwrap(),
        ])
    };
    let cp = env.file("cp.txt", &env.ok(&["checkpoint", "--sign", &key]));
    assert!(witness(&cp).status.success());
    let without = {
        use scoreledger::integrity::note::{Note, SignerKey};
        let body = env.ok(&["checkpoint", "--origin", "league.example/archive"]);
        let line = body.lines().find(|l| l.starts_with("index ")).unwrap();
        let mut note = Note::parse(&body.replacen(&format!("{line}\n"), "", 1)).unwrap();
        note.sign(&SignerKey::parse(&std::fs::read_to_string(&key).unwrap()).unwrap())
            .unwrap();
        note.to_text()
    };
    assert!(!without.contains("\nindex "), "{without}");
    let out = witness(&env.file("without.txt", &without));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let other = false_index_checkpoint(
        &env,
        &key,
        "league.example/archive",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    );
    let out = witness(&env.file("other.txt", &other));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("two different index lines"), "{err}");
    // The genuine line is still cosigned.
    assert!(witness(&cp).status.success());
}

#[test]
fn restore_refuses_a_checkpoint_whose_index_line_is_false() {
    // The log: 23 events, a correction (24), its export and two signed
    // checkpoints of 24: a true one, and one carrying the index of 23.
    let env = Env::new();
    env.import_seed();
    let (key, vkey) = log_key(&env, "league.example/archive");
    let cp23 = env.ok(&["checkpoint", "--sign", &key]);
    let id = env.match_id(1, "Alianza Atlético");
    env.ok(&["correct", &id, "2-2", "--reason", "score mistyped"]);
    let cp24 = env.file("cp24.txt", &env.ok(&["checkpoint", "--sign", &key]));
    let lie = false_index_checkpoint(&env, &key, "league.example/archive", &index_line(&cp23));
    let lie = env.file("lie.txt", &lie);
    let export = env.dir_path().join("all.jsonl");
    env.ok(&["export", "--output", export.to_str().unwrap()]);
    // A copy that lost seq 24: the same 23 events, and the head file of 24.
    let copy = Env::new();
    copy.import_seed();
    std::fs::copy(
        env.db().join("scoreledger.head"),
        copy.db().join("scoreledger.head"),
    )
    .unwrap();
    copy.fails(1, &["head"]);
    let restore = |cp: &std::path::Path| {
        copy.run(&[
            "restore",
            "--from-file",
            export.to_str().unwrap(),
            "--checkpoint",
            cp.to_str().unwrap(),
            "--key",
            &vkey,
        ])
    };
    let out = restore(&lie);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("index line"), "{err}");
    copy.fails(1, &["head"]);
    assert!(restore(&cp24).status.success());
    assert_eq!(copy.head(), env.head());
}
