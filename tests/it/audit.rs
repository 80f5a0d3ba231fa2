//! Checkpoints, proofs, deep verification and the data audit.

use crate::common;

use common::{record_args, Env, SEED};
use scoreledger::integrity::checkpoint::{verify_inclusion_proof, Checkpoint, InclusionProof};
use scoreledger::testing::keys::Kind;
use scoreledger::testing::Space;
use scoreledger::Archive;
use serde_json::Value;

fn seeded() -> Env {
    let env = Env::new();
    env.import_seed();
    env
}

#[test]
fn an_archive_that_only_grew_extends_its_checkpoint() {
    let env = seeded();
    let cp = env.ok(&["checkpoint", "--origin", "example.org/copa-peru"]);
    let lines: Vec<&str> = cp.lines().collect();
    assert_eq!(&lines[..2], &["example.org/copa-peru", "23"]);
    assert_eq!(lines[2].len(), 44, "base64 of 32 bytes");
    let cp_file = env.file("cp.txt", &cp);
    env.ok(&record_args(
        "6",
        "1984-12-20",
        "Los Espartanos",
        "1-1",
        "Alianza Atlético",
    ));
    let id = env.match_id(1, "Alianza Atlético");
    env.ok(&["correct", &id, "2-2", "--reason", "typo"]);
    let out = env.ok(&["verify", "--checkpoint", cp_file.to_str().unwrap()]);
    assert!(
        out.contains("ok: 25 events")
            && out
                .contains("append-only extension of checkpoint 'example.org/copa-peru' (size 23)"),
        "{out}"
    );
    // A checkpoint of the same archive now verifies too, and one of size 0.
    let now = env.file("now.txt", &env.ok(&["checkpoint"]));
    env.ok(&["verify", "--checkpoint", now.to_str().unwrap()]);
}

#[test]
fn a_rewritten_archive_fails_its_old_checkpoint_at_the_change() {
    let env = seeded();
    let cp_file = env.file("cp.txt", &env.ok(&["checkpoint"]));
    // Rebuild from a copy of the source with one earlier score changed (seq 17), at the same instant.
    let other = Env::new();
    let p = other.file(
        "changed.txt",
        &SEED.replace(
            "Los Espartanos 2-0 Deportivo Educación",
            "Los Espartanos 2-1 Deportivo Educación",
        ),
    );
    other.ok(&["import", p.to_str().unwrap(), "--points-for-win", "2"]);
    assert!(
        other.ok(&["verify"]).starts_with("ok: 23 events"),
        "the chain verifies on its own"
    );
    let err = other.fails(1, &["verify", "--checkpoint", cp_file.to_str().unwrap()]);
    assert!(
        err.contains("not an append-only extension") && err.contains("seq 17"),
        "{err}"
    );
    // Changed at seq 23 (the last event, its own subtree in the frontier): named exactly.
    let other = Env::new();
    let p = other.file(
        "changed.txt",
        &SEED.replace(
            "Los Espartanos 3-2 Guardia Republicana",
            "Los Espartanos 3-3 Guardia Republicana",
        ),
    );
    other.ok(&["import", p.to_str().unwrap(), "--points-for-win", "2"]);
    let err = other.fails(1, &["verify", "--checkpoint", cp_file.to_str().unwrap()]);
    assert!(err.contains("seq 23 differs from the checkpoint"), "{err}");
    // A checkpoint bigger than the archive: events were removed.
    let small = Env::new();
    let p = small.file("r1.txt", &SEED[..SEED.find("=== Round 2 ===").unwrap()]);
    small.ok(&["import", p.to_str().unwrap(), "--points-for-win", "2"]);
    let err = small.fails(1, &["verify", "--checkpoint", cp_file.to_str().unwrap()]);
    assert!(err.contains("events were removed"), "{err}");
}

#[test]
fn proofs_verify_offline_and_every_changed_byte_is_rejected() {
    let env = seeded();
    let cp_text = env.ok(&["checkpoint"]);
    let cp_file = env.file("cp.txt", &cp_text);
    let cp = Checkpoint::parse(&cp_text).unwrap();
    for seq in 1..=23u64 {
        let proof_text = env.ok(&[
            "prove",
            &seq.to_string(),
            "--checkpoint",
            cp_file.to_str().unwrap(),
        ]);
        let proof = InclusionProof::parse(&proof_text).unwrap();
        let ok = verify_inclusion_proof(&cp, &proof).unwrap();
        assert_eq!(ok.seq, seq);
        // Every byte of the proof, changed: refused (never accepted as the same or another event).
        for i in 0..proof_text.len() {
            let mut bytes = proof_text.clone().into_bytes();
            bytes[i] ^= 0x01;
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            let accepted = InclusionProof::parse(&text)
                .ok()
                .and_then(|p| verify_inclusion_proof(&cp, &p).ok());
            assert!(
                accepted.is_none(),
                "seq {seq}: byte {i} changed and still accepted"
            );
        }
    }
    // Through the binary, with no archive at all.
    let proof = env.file(
        "p.txt",
        &env.ok(&["prove", "12", "--checkpoint", cp_file.to_str().unwrap()]),
    );
    let nowhere = Env::new();
    let out = nowhere.ok(&[
        "verify-proof",
        "--checkpoint",
        cp_file.to_str().unwrap(),
        proof.to_str().unwrap(),
    ]);
    assert!(
        out.contains("ok: seq 12") && out.contains("Los Espartanos 1-0 Alianza Atlético"),
        "{out}"
    );
    assert!(
        !nowhere.db().exists(),
        "verify-proof must not create an archive"
    );
    let json = env.file("p.json", &env.ok(&["prove", "12", "--format", "json"]));
    nowhere.ok(&[
        "verify-proof",
        "--checkpoint",
        cp_file.to_str().unwrap(),
        json.to_str().unwrap(),
    ]);
    // A proof for another size is refused: the proof must be consumed exactly.
    env.ok(&record_args(
        "6",
        "1984-12-20",
        "Los Espartanos",
        "1-1",
        "Alianza Atlético",
    ));
    let bigger = env.file("cp24.txt", &env.ok(&["checkpoint"]));
    let err = nowhere.fails(
        1,
        &[
            "verify-proof",
            "--checkpoint",
            bigger.to_str().unwrap(),
            proof.to_str().unwrap(),
        ],
    );
    assert!(
        err.contains("tree of 23 events, the checkpoint for 24"),
        "{err}"
    );
    let mut forged = InclusionProof::parse(&std::fs::read_to_string(&proof).unwrap()).unwrap();
    forged.size = 24;
    let cp24 = Checkpoint::parse(&std::fs::read_to_string(&bigger).unwrap()).unwrap();
    assert!(verify_inclusion_proof(&cp24, &forged).is_err());
    let proof24 = InclusionProof::parse(&env.ok(&["prove", "12"])).unwrap();
    assert!(verify_inclusion_proof(&cp24, &proof24).is_ok());
    assert!(verify_inclusion_proof(&cp, &proof24).is_err());
}

#[test]
fn a_changed_byte_in_any_derived_entry_fails_verify() {
    let env = seeded();
    let id = env.match_id(1, "Alianza Atlético");
    env.ok(&["correct", &id, "2-2", "--reason", "typo"]);
    // A second season, so that whole chunks of the log have stored Merkle nodes.
    let page = env.file("1985.txt", common::SEED);
    env.ok(&["import", page.to_str().unwrap(), "--season", "1985"]);
    env.ok(&[
        "adjust",
        "--competition",
        "Copa Perú",
        "--season",
        "1985",
        "--team",
        "Bella Esperanza",
        "--points",
        "-2",
        "--date",
        "1984-12-10",
        "--allow-outside-season",
        "--reason",
        "fee",
    ]);
    env.ok(&["verify"]);
    let mut a = Archive::open(&env.db()).unwrap();
    // Fair-play points have no command: the catalogue states them at import.
    let fair_play = scoreledger::Event::FairPlayStated(scoreledger::FairPlay {
        competition: "Copa Perú".into(),
        season: "1985".into(),
        stage: None,
        team: "Bella Esperanza".into(),
        points: -3,
        source: None,
    });
    let at = scoreledger::Timestamp::parse_rfc3339("2026-12-01T00:00:00Z").unwrap();
    a.append(vec![fair_play], at).unwrap();
    a.verify_all().unwrap();
    let mut checked = 0;
    let entries: Vec<(Vec<u8>, Vec<u8>)> =
        a.store().iter(Space::Derived).map(|e| e.unwrap()).collect();
    let mut kinds = std::collections::BTreeSet::new();
    for (n, (k, v)) in entries.iter().enumerate() {
        let kind = Kind::of(k).unwrap();
        kinds.insert(kind);
        for i in [n * 7 % v.len(), v.len() - 1] {
            let mut bad = v.clone();
            bad[i] ^= 0x04;
            a.store().tamper(Space::Derived, k, &bad).unwrap();
            match a.verify_derived() {
                Err(scoreledger::Error::Mismatch { tree, key, .. }) => {
                    assert_eq!(tree, kind.name());
                    assert_eq!(key, hex::encode(k), "{}", kind.name());
                }
                other => panic!("{}: a changed entry was not found: {other:?}", kind.name()),
            }
            a.store().tamper(Space::Derived, k, v).unwrap();
            checked += 1;
        }
    }
    // Every kind but renames (none here) was damaged.
    assert_eq!(kinds.len(), Kind::DERIVED.len() - 1, "{kinds:?}");
    assert!(checked > 40, "{checked}");
    a.verify_derived().unwrap();
    // Through the binary: a damaged block of rows is named.
    let key = a
        .store()
        .scan_prefix(Space::Derived, b"B")
        .next()
        .unwrap()
        .unwrap()
        .0;
    a.store().tamper(Space::Derived, &key, &[0]).unwrap();
    drop(a);
    let err = env.fails(1, &["verify"]);
    assert!(
        err.contains("tree rows") && err.contains(&hex::encode(&key)),
        "{err}"
    );
    let head = env.head();
    let events = head.split_whitespace().next().unwrap();
    assert!(env
        .ok(&["verify", "--chain-only"])
        .starts_with(&format!("ok: {events} events")));
    assert!(events.parse::<u64>().unwrap() > scoreledger::testing::packed::CHUNK);
    env.ok(&["rebuild"]);
    env.ok(&["verify"]);
}

fn problems(env: &Env, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["audit", "--format", "json"];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v["problems"].as_array().unwrap().clone();
    assert_eq!(out.status.code(), Some(if list.is_empty() { 0 } else { 1 }));
    assert_eq!(v["count"], list.len());
    list
}

#[test]
fn audit_finds_nothing_in_1984_and_each_crafted_problem_once() {
    let env = seeded();
    assert!(problems(&env, &[]).is_empty());
    assert_eq!(env.ok(&["audit"]), "ok: no problems found\n");
    let rec = |comp: &str, round: &str, date: &str, home: &str, score: &str, away: &str| {
        env.ok(&[
            "record",
            "--competition",
            comp,
            "--season",
            "2001",
            "--stage",
            "League",
            "--round",
            round,
            "--date",
            date,
            // Crafted problems, recorded deliberately.
            "--new-team",
            "--new-competition",
            "--allow-outside-season",
            home,
            score,
            away,
        ]);
    };
    // One problem per competition.
    rec("A Cup", "1", "2001-03-01", "X", "1-0", "Y");
    rec("A Cup", "2", "2001-03-01", "Z", "1-0", "X");
    rec("B Cup", "1", "2001-03-01", "X", "1-0", "Y");
    rec("B Cup", "2", "2001-03-08", "X", "2-0", "Y");
    for (r, d, h, a) in [
        ("1", "01", "A", "B"),
        ("1", "02", "C", "D"),
        ("2", "08", "A", "C"),
        ("2", "09", "B", "D"),
        ("3", "15", "A", "D"),
        ("3", "16", "B", "A"),
    ] {
        rec("C League", r, &format!("2001-03-{d}"), h, "1-0", a);
    }
    rec("E Cup", "1", "2003-05-01", "X", "1-0", "Y");
    rec("F Cup", "1", "2001-05-01", "X", "25-0", "Y");
    let page = "Infobox\n- Competition: D League\n- Season: 2001\n- Winners: Q\n\n==League==\n=== Round 1 ===\n1 March 2001\nP 2-0 Q\n=== Round 2 ===\n8 March 2001\nQ 1-0 R\n=== Round 3 ===\n15 March 2001\nR 0-1 P\n";
    let p = env.file("d.txt", page);
    env.ok(&["import", p.to_str().unwrap()]);
    let found = problems(&env, &[]);
    let mut checks: Vec<(String, String)> = found
        .iter()
        .map(|p| {
            (
                p["competition"].as_str().unwrap().to_string(),
                p["check"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    checks.sort();
    let expect = [
        ("A Cup", "twice-on-a-day"),
        ("B Cup", "fixture-twice"),
        ("C League", "unequal-games"),
        ("D League", "winner-not-leader"),
        ("E Cup", "date-outside-season"),
        ("F Cup", "implausible-score"),
    ];
    assert_eq!(
        checks,
        expect.map(|(a, b)| (a.to_string(), b.to_string())).to_vec(),
        "{found:?}"
    );
    assert!(problems(&env, &["--competition", "copa peru"]).is_empty());
    let table = env.run(&["audit"]);
    assert_eq!(table.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&table.stdout).contains("winner-not-leader"));
}
