//! Table receipts: checked offline; any flipped byte, any dropped event, is
//! refused.

mod common;

use common::Env;
use scoreledger::checkpoint::Checkpoint;
use scoreledger::note::{Note, VerifierKey};
use scoreledger::receipt::Receipt;

/// The seed with a late correction and a deduction, a log key, a signed
/// checkpoint, and a receipt for `cut` (extra `receipt` arguments).
fn receipt(env: &Env, cut: &[&str]) -> (String, String) {
    let key = env.dir_path().join("log.key");
    if !key.exists() {
        env.import_seed();
        let id = env.match_id(5, "Alianza Atlético");
        env.ok(&["correct", &id, "1-1", "--reason", "score mistyped"]);
        env.ok(&[
            "adjust",
            "--competition",
            "Copa Perú",
            "--season",
            "1984",
            "--team",
            "Bella Esperanza",
            "--points",
            "-1",
            "--date",
            "1984-12-10",
            "--reason",
            "unpaid fee",
        ]);
        let vkey = env.ok(&[
            "keygen",
            "--name",
            "league.example/peru",
            "--output",
            key.to_str().unwrap(),
        ]);
        env.file("log.vkey", &vkey);
        let cp = env.ok(&["checkpoint", "--sign", key.to_str().unwrap()]);
        env.file("cp.txt", &cp);
    }
    let out = env.dir_path().join("r.json");
    let mut args = vec![
        "receipt",
        "--checkpoint",
        "cp.txt",
        "--output",
        out.to_str().unwrap(),
        "--force",
    ];
    args.extend_from_slice(cut);
    let cp = env.dir_path().join("cp.txt");
    args[2] = cp.to_str().unwrap();
    env.ok(&args);
    let vkey = std::fs::read_to_string(env.dir_path().join("log.vkey")).unwrap();
    (
        std::fs::read_to_string(out).unwrap(),
        vkey.trim().to_string(),
    )
}

/// What `verify-receipt` checks, in process.
fn check(text: &[u8], vkey: &str) -> Result<(), String> {
    let text = std::str::from_utf8(text).map_err(|e| e.to_string())?;
    let r: Receipt = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let key = VerifierKey::parse(vkey)?;
    let note = Note::parse(&r.checkpoint)?;
    let cp = Checkpoint::parse(&note.text)?;
    if cp.origin != key.name {
        return Err("foreign origin".into());
    }
    note.signed_by(&key)?;
    r.check(&cp)
}

#[test]
fn a_receipt_verifies_offline_for_the_whole_stage_a_date_and_a_round() {
    let env = Env::new();
    for cut in [
        &[][..],
        &["--as-of", "1984-12-09"][..],
        &["--round", "4"][..],
    ] {
        let (text, vkey) = receipt(&env, cut);
        check(text.as_bytes(), &vkey).unwrap();
        let file = env.file("copy.json", &text);
        let out = env.ok(&["verify-receipt", file.to_str().unwrap(), "--key", &vkey]);
        assert!(
            out.starts_with("ok: the table of Copa Perú 1984 Final stage"),
            "{out}"
        );
    }
    let (text, _) = receipt(&env, &[]);
    let r: Receipt = serde_json::from_str(&text).unwrap();
    let latest = env.table(&[]);
    assert_eq!(r.table.len(), latest.len());
    for row in &r.table {
        assert_eq!(latest[&row.team]["points"], row.points, "{}", row.team);
    }
}

#[test]
fn every_flipped_byte_of_a_receipt_is_refused() {
    let env = Env::new();
    let (text, vkey) = receipt(&env, &["--as-of", "1984-12-09"]);
    let bytes = text.into_bytes();
    let mut accepted = Vec::new();
    for i in 0..bytes.len() {
        let mut b = bytes.clone();
        b[i] ^= 0x01;
        if check(&b, &vkey).is_ok() {
            accepted.push(i);
        }
    }
    assert!(
        accepted.is_empty(),
        "{} flips accepted, first at byte {:?}",
        accepted.len(),
        accepted.first()
    );
}

#[test]
fn a_receipt_with_any_event_taken_away_is_refused() {
    let env = Env::new();
    let (text, vkey) = receipt(&env, &[]);
    let full: Receipt = serde_json::from_str(&text).unwrap();
    assert!(full.events.len() > 10);
    for i in 0..full.events.len() {
        let mut r = full.clone();
        let gone = r.events.remove(i);
        let t = serde_json::to_string(&r).unwrap();
        assert!(
            check(t.as_bytes(), &vkey).is_err(),
            "without seq {} the receipt still holds",
            gone.seq
        );
    }
    // A stranger's key, and a receipt of another table, are refused too.
    let file = env.file("r.json", &text);
    let other = env.dir_path().join("other.key");
    let stranger = env.ok(&[
        "keygen",
        "--name",
        "league.example/peru",
        "--output",
        other.to_str().unwrap(),
    ]);
    let err = env.fails(
        1,
        &[
            "verify-receipt",
            file.to_str().unwrap(),
            "--key",
            stranger.trim(),
        ],
    );
    assert!(err.contains("no signature by"), "{err}");
    let mut swapped: Receipt = full.clone();
    swapped.table.swap(0, 1);
    let t = serde_json::to_string(&swapped).unwrap();
    assert!(check(t.as_bytes(), &vkey).unwrap_err().starts_with("row 1"));
}
