//! Table receipts: checked offline; any flipped byte, any dropped event, is
//! refused.

use crate::common;

use common::Env;
use scoreledger::integrity::checkpoint::Checkpoint;
use scoreledger::integrity::note::{Note, VerifierKey};
use scoreledger::integrity::receipt::Receipt;

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

/// A receipt for a date is the table `standings` gives for that date,
/// with an adjustment dated after the last match before it (found by a
/// tester: the receipt named the last match's date and left the -1 out,
/// and it verified).
#[test]
fn a_receipt_for_a_date_counts_the_adjustments_dated_up_to_it() {
    let env = Env::new();
    for (asked, named) in [("1984-12-11", "1984-12-10"), ("1984-12-09", "1984-12-09")] {
        let (text, vkey) = receipt(&env, &["--as-of", asked]);
        check(text.as_bytes(), &vkey).unwrap();
        let r: Receipt = serde_json::from_str(&text).unwrap();
        assert_eq!(r.as_of.map(|d| d.to_string()).as_deref(), Some(named));
        let want = env.table(&["--as-of", asked]);
        assert_eq!(r.table.len(), want.len());
        for row in &r.table {
            assert_eq!(
                want[&row.team]["points"], row.points,
                "{asked}: {}",
                row.team
            );
            assert_eq!(want[&row.team]["pos"], row.pos, "{asked}: {}", row.team);
        }
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

// ---------------------------------------------------------------------------
// Forgeries built from genuine proofs (issue: "no forgery accepted").
//
// The archive: the seed (rules 2 points at seq 1), the rules changed to 3
// points (seq 24), match 040f6a58f5 (seq 9, 3-2) corrected to 2-2 (seq 25)
// and then to 4-0 (seq 26), and a signed checkpoint at 26. A forger holds
// only genuine inclusion proofs against that checkpoint (`prove SEQ
// --checkpoint`), and claims the table its chosen events give when folded
// in the order it lists them.

/// The archive of the forgeries, with a genuine receipt of the whole stage.
struct Forge {
    env: Env,
    vkey: String,
    genuine: Receipt,
}

impl Forge {
    fn new() -> Forge {
        let env = Env::new();
        env.import_seed();
        env.ok(&[
            "rules",
            "--competition",
            "Copa Perú",
            "--season",
            "1984",
            "--points-for-win",
            "3",
        ]);
        let id = env.match_id(1, "Alianza Atlético");
        env.ok(&["correct", &id, "2-2", "--reason", "first look"]);
        env.ok(&["correct", &id, "4-0", "--reason", "the report"]);
        let key = env.dir_path().join("log.key");
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
        let out = env.dir_path().join("genuine.json");
        env.ok(&[
            "receipt",
            "--checkpoint",
            env.dir_path().join("cp.txt").to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ]);
        let genuine = serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
        Forge {
            env,
            vkey: vkey.trim().to_string(),
            genuine,
        }
    }

    /// A genuine inclusion proof of `seq` against the signed checkpoint.
    fn proof(&self, seq: u64) -> scoreledger::integrity::checkpoint::InclusionProof {
        let cp = self.env.dir_path().join("cp.txt");
        let text = self.env.ok(&[
            "prove",
            &seq.to_string(),
            "--checkpoint",
            cp.to_str().unwrap(),
            "--format",
            "json",
        ]);
        scoreledger::integrity::checkpoint::InclusionProof::parse(&text).unwrap()
    }

    /// The seqs the genuine receipt carries.
    fn genuine_seqs(&self) -> Vec<u64> {
        self.genuine.events.iter().map(|p| p.seq).collect()
    }

    /// The genuine receipt with these events, in this order, and the table
    /// they give when folded in that order (the forger's claim).
    fn forge(&self, seqs: &[u64]) -> Receipt {
        let mut r = self.genuine.clone();
        r.events = seqs.iter().map(|s| self.proof(*s)).collect();
        let cp = Checkpoint::parse(&Note::parse(&r.checkpoint).unwrap().text).unwrap();
        let events: Vec<(u64, scoreledger::Event)> = r
            .events
            .iter()
            .map(|p| {
                let proven =
                    scoreledger::integrity::checkpoint::verify_inclusion_proof(&cp, p).unwrap();
                (proven.seq, proven.event)
            })
            .collect();
        r.table = listed_order_table(&events, &r);
        r
    }

    /// `verify-receipt` on the real binary: its exit code and stderr.
    fn verify(&self, r: &Receipt) -> (Option<i32>, String) {
        let file = self
            .env
            .file("forged.json", &serde_json::to_string_pretty(r).unwrap());
        let out = self.env.run(&[
            "verify-receipt",
            file.to_str().unwrap(),
            "--key",
            &self.vkey,
        ]);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// Whether a forged receipt is refused (exit 1) for the reason `why`;
    /// it must show another table than the genuine one, so that accepting
    /// it would be a lie.
    fn refused(&self, what: &str, r: &Receipt, why: &str) -> Result<(), String> {
        assert_ne!(r.table, self.genuine.table, "{what}: the same table");
        match self.verify(r) {
            (Some(1), err) if err.contains(why) => Ok(()),
            (code, err) => Err(format!("{what}: exit {code:?} {err}")),
        }
    }
}

/// The table of `events` folded in the order listed: later rules replace
/// earlier ones whatever their scope, a change applies to a result listed
/// before it and is ignored otherwise. This is what a verifier that trusts
/// the receipt's order computes.
fn listed_order_table(events: &[(u64, scoreledger::Event)], r: &Receipt) -> Vec<scoreledger::Row> {
    use scoreledger::model::event::Event;
    use scoreledger::model::record::{ChangeKind, MatchChange, MatchRecord};
    use scoreledger::projection::projector::{self, Adjustment, StageInput};
    let mut input = StageInput::default();
    let mut records: Vec<MatchRecord> = Vec::new();
    for (seq, e) in events {
        let change = |id: &scoreledger::MatchId, kind: ChangeKind, reason: &str| {
            (
                *id,
                MatchChange {
                    seq: *seq,
                    kind,
                    reason: reason.into(),
                },
            )
        };
        let c = match e {
            Event::ResultCorrected(c) => Some(change(
                &c.match_id,
                ChangeKind::Corrected {
                    home_goals: c.home_goals,
                    away_goals: c.away_goals,
                },
                &c.reason,
            )),
            Event::MatchAnnulled(a) => Some(change(&a.match_id, ChangeKind::Annulled, &a.reason)),
            _ => None,
        };
        if let Some((id, c)) = c {
            if let Some(rec) = records.iter_mut().find(|m| m.id == id) {
                rec.changes.push(c);
            }
            continue;
        }
        match e {
            Event::MatchResult(m) if m.stage == r.stage => records.push(MatchRecord {
                id: scoreledger::testing::id_of(m),
                seq: *seq,
                result: m.clone(),
                changes: Vec::new(),
            }),
            Event::PointsAdjusted(p) => input.adjustments.push(Adjustment {
                date: p.date,
                team: p.team.clone(),
                points: p.points as i64,
                whole_season: p.stage.is_none(),
            }),
            Event::TeamRegistered(t) => {
                if !input.teams.contains(&t.team) {
                    input.teams.push(t.team.clone())
                }
            }
            other => {
                if let Some(rules) = other.rules() {
                    input.scoring = rules.scoring();
                }
            }
        }
    }
    input.matches = records
        .iter()
        .map(|rec| scoreledger::testing::line_of(rec, u64::MAX))
        .collect();
    projector::table(&input, scoreledger::Cut::All)
}

/// `seqs` without `gone`.
fn without(seqs: &[u64], gone: u64) -> Vec<u64> {
    assert!(seqs.contains(&gone), "{gone} is not in {seqs:?}");
    seqs.iter().copied().filter(|s| *s != gone).collect()
}

/// `seqs` with `moved` taken out and put back just before `at` (or last).
fn moved(seqs: &[u64], moved: &[u64], at: Option<u64>) -> Vec<u64> {
    let mut out: Vec<u64> = seqs
        .iter()
        .copied()
        .filter(|s| !moved.contains(s))
        .collect();
    let i = at.map_or(out.len(), |a| out.iter().position(|s| *s == a).unwrap());
    out.splice(i..i, moved.iter().copied());
    out
}

#[test]
fn the_issues_forgeries_built_from_genuine_proofs_are_refused() {
    let f = Forge::new();
    let (code, err) = f.verify(&f.genuine);
    assert_eq!(code, Some(0), "the genuine receipt: {err}");
    // Every event of the stage in the log: all but the season's facts (2).
    let stage: Vec<u64> = (1..=26).filter(|s| *s != 2).collect();
    assert_eq!(
        f.genuine_seqs(),
        stage,
        "the genuine receipt carries them all"
    );
    let forgeries = [
        // The superseded rules event (2 points) in place of the one in force.
        ("superseded rules", without(&stage, 24), "leaves out seq 24"),
        // The superseded correction (2-2) in place of the later one (4-0).
        (
            "superseded correction",
            without(&stage, 26),
            "leaves out seq 26",
        ),
        // Both corrections, newest first, with the table of the older.
        (
            "corrections newest first",
            moved(&stage, &[26], Some(25)),
            "seq order",
        ),
        // The corrections listed before the result they correct: ignored.
        (
            "corrections before their result",
            moved(&stage, &[25, 26], Some(1)),
            "seq order",
        ),
        // Both rules events, newest first, with the 2-point table.
        (
            "rules newest first",
            moved(&stage, &[1], Some(25)),
            "seq order",
        ),
        // One result left out, the table recomputed without it.
        (
            "a result left out",
            without(&stage, 15),
            "leaves out seq 15",
        ),
    ];
    let accepted: Vec<String> = forgeries
        .iter()
        .filter_map(|(what, seqs, why)| f.refused(what, &f.forge(seqs), why).err())
        .collect();
    assert!(accepted.is_empty(), "accepted:\n{}", accepted.join("\n"));
}

#[test]
fn every_event_removed_added_swapped_for_a_superseded_one_or_reordered_is_refused() {
    let f = Forge::new();
    let stage = f.genuine_seqs();
    let text = |r: &Receipt| serde_json::to_string(r).unwrap();
    let genuine = text(&f.genuine);
    check(genuine.as_bytes(), &f.vkey).unwrap();
    let proofs: std::collections::HashMap<u64, _> = f
        .genuine
        .events
        .iter()
        .map(|p| (p.seq, p.clone()))
        .chain([(2, f.proof(2))])
        .collect();
    // Each variant keeps the genuine table (the forger's claim) or folds
    // its own in listed order: refused either way.
    let variants = |seqs: Vec<u64>| {
        let mut same_table = f.genuine.clone();
        same_table.events = seqs.iter().map(|s| proofs[s].clone()).collect();
        let own_table = f.forge(&seqs);
        [same_table, own_table]
    };
    let mut accepted = Vec::new();
    let mut try_all = |what: String, seqs: Vec<u64>| {
        for r in variants(seqs) {
            if check(text(&r).as_bytes(), &f.vkey).is_ok() {
                accepted.push(what.clone());
            }
        }
    };
    for (i, s) in stage.iter().enumerate() {
        // Removed.
        let mut v = stage.clone();
        v.remove(i);
        try_all(format!("without seq {s}"), v);
        // Repeated.
        let mut v = stage.clone();
        v.insert(i, *s);
        try_all(format!("seq {s} twice"), v);
        // Swapped with the next one.
        if i + 1 < stage.len() {
            let mut v = stage.clone();
            v.swap(i, i + 1);
            try_all(format!("seq {s} after seq {}", stage[i + 1]), v);
        }
        // Moved to the front.
        if i > 0 {
            try_all(
                format!("seq {s} first"),
                moved(&stage, &[*s], Some(stage[0])),
            );
        }
    }
    // Added: the season's facts, an event of the log the stage does not read.
    for at in [0, 1, stage.len()] {
        let mut v = stage.clone();
        v.insert(at, 2);
        v.sort_unstable();
        try_all(format!("seq 2 added at {at}"), v);
    }
    // Swapped for a superseded one: the old rules for the new, the first
    // correction for the second.
    for (new, old) in [(24, 1), (26, 25)] {
        let v = stage
            .iter()
            .map(|s| if *s == new { old } else { *s })
            .collect();
        try_all(format!("seq {old} in place of seq {new}"), v);
        try_all(format!("seq {new} left out"), without(&stage, new));
    }
    assert!(accepted.is_empty(), "accepted: {accepted:?}");
}

#[test]
fn a_receipt_at_an_older_checkpoint_shows_the_stage_as_it_was_then() {
    let f = Forge::new();
    // The checkpoint at 26 is older than the archive once more is recorded.
    let id = f.env.match_id(2, "Los Espartanos");
    f.env.ok(&["correct", &id, "0-0", "--reason", "later news"]);
    f.env.ok(&[
        "rules",
        "--competition",
        "Copa Perú",
        "--season",
        "1984",
        "--stage",
        "Final stage",
        "--points-for-win",
        "4",
    ]);
    let out = f.env.dir_path().join("old.json");
    let cp = f.env.dir_path().join("cp.txt");
    f.env.ok(&[
        "receipt",
        "--checkpoint",
        cp.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    let old: Receipt = serde_json::from_str(&text).unwrap();
    assert_eq!(
        old, f.genuine,
        "the same receipt as when the checkpoint was new"
    );
    let ok = f
        .env
        .ok(&["verify-receipt", out.to_str().unwrap(), "--key", &f.vkey]);
    assert!(ok.contains("all 25 events of the stage"), "{ok}");
    // Then the season's rules change again (2 points), after the stage's
    // own (4 points): the stage's stay in force, as in `standings`.
    f.env.ok(&[
        "rules",
        "--competition",
        "Copa Perú",
        "--season",
        "1984",
        "--points-for-win",
        "2",
    ]);
    let key = f.env.dir_path().join("log.key");
    let cp29 = f.env.file(
        "cp29.txt",
        &f.env.ok(&["checkpoint", "--sign", key.to_str().unwrap()]),
    );
    let out = f.env.dir_path().join("new.json");
    f.env.ok(&[
        "receipt",
        "--checkpoint",
        cp29.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let new: Receipt = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(new.index.seqs().last(), Some(&29));
    let latest = f.env.table(&[]);
    let espartanos = &latest["Los Espartanos"];
    assert_eq!(
        espartanos["points"],
        4 * espartanos["won"].as_i64().unwrap() + espartanos["drawn"].as_i64().unwrap()
    );
    for row in &new.table {
        assert_eq!(latest[&row.team]["points"], row.points, "{}", row.team);
    }
    f.env
        .ok(&["verify-receipt", out.to_str().unwrap(), "--key", &f.vkey]);
    // Carrying the season's rules as if the stage had none: refused.
    let mut r = new.clone();
    let at = r.events.iter().position(|p| p.seq == 28).unwrap();
    r.events.remove(at);
    assert!(
        check(serde_json::to_string(&r).unwrap().as_bytes(), &f.vkey)
            .unwrap_err()
            .contains("leaves out seq 28")
    );
}

#[test]
fn a_receipt_made_before_the_stage_index_is_refused_for_what_it_cannot_show() {
    let f = Forge::new();
    let mut v: serde_json::Value = serde_json::to_value(&f.genuine).unwrap();
    v["format"] = "scoreledger table receipt v1".into();
    v.as_object_mut().unwrap().remove("index");
    let file = f
        .env
        .file("v1.json", &serde_json::to_string_pretty(&v).unwrap());
    let err = f.env.fails(
        1,
        &["verify-receipt", file.to_str().unwrap(), "--key", &f.vkey],
    );
    assert!(err.contains("made before the stage index"), "{err}");
}

#[test]
fn a_receipt_of_a_stage_with_a_shootout_verifies() {
    // A shoot-out is a change of its match (kind 10): the stage index lists
    // it, so the receipt carries it and the verifier must read it as one.
    let env = Env::new();
    env.import_seed();
    let shootouts = env.file(
        "shootouts.csv",
        "date,home_team,away_team,winner,first_shooter\n1984-12-02,Los Espartanos,Bella Esperanza,Los Espartanos,\n",
    );
    env.ok(&["import", shootouts.to_str().unwrap()]);
    let (text, vkey) = receipt(&env, &[]);
    let r: Receipt = serde_json::from_str(&text).unwrap();
    assert!(
        r.events.iter().any(|p| p.seq == 24),
        "the receipt carries the shoot-out (seq 24)"
    );
    check(text.as_bytes(), &vkey).unwrap();
    let path = env.file("r-shootout.json", &text);
    env.ok(&["verify-receipt", path.to_str().unwrap(), "--key", &vkey]);
}

#[test]
fn a_receipt_of_a_group_decided_on_fair_play_verifies() {
    // The fair-play statements are in the stage's index list, so the receipt
    // carries them and the verifier's fold ranks Japan above Senegal.
    let env = Env::new();
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/intl_results_2018_worldcup.csv"
    );
    env.ok(&["import", file]);
    let key = env.dir_path().join("wc.key");
    let vkey = env.ok(&[
        "keygen",
        "--name",
        "worldcup.example/log",
        "--output",
        key.to_str().unwrap(),
    ]);
    let cp = env.file(
        "cp.txt",
        &env.ok(&["checkpoint", "--sign", key.to_str().unwrap()]),
    );
    let out = env.dir_path().join("h.json");
    env.ok(&[
        "receipt",
        "--competition",
        "FIFA World Cup",
        "--season",
        "2018",
        "--stage",
        "Group H",
        "--checkpoint",
        cp.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    check(text.as_bytes(), vkey.trim()).unwrap();
    env.ok(&[
        "verify-receipt",
        out.to_str().unwrap(),
        "--key",
        vkey.trim(),
    ]);
    let r: Receipt = serde_json::from_str(&text).unwrap();
    let pos = |t: &str| r.table.iter().find(|row| row.team == t).unwrap().pos;
    assert_eq!((pos("Japan"), pos("Senegal")), (2, 3));
}

/// The index's headers stand apart from its lists (`J`, so a checkpoint
/// reads no list): one whose leaf hash disagrees with its list is named by
/// `verify`, and `rebuild` mends it to the checkpoint it had.
#[test]
fn a_damaged_index_header_is_named_by_verify_and_mended_by_rebuild() {
    use scoreledger::testing::Space;
    let env = Env::new();
    env.import_seed();
    let checkpoint = env.ok(&["checkpoint"]);
    {
        let s = scoreledger::testing::Store::open(&env.db()).unwrap();
        let (k, mut v) = s
            .scan_prefix(Space::Derived, b"J")
            .next()
            .expect("a header")
            .unwrap();
        v[79] ^= 1;
        s.tamper(Space::Derived, &k, &v).unwrap();
    }
    assert_ne!(
        env.ok(&["checkpoint"]),
        checkpoint,
        "the root reads the header"
    );
    let said = env.fails(1, &["verify"]);
    assert!(said.contains("stage index header"), "{said}");
    env.ok(&["rebuild"]);
    env.ok(&["verify"]);
    assert_eq!(env.ok(&["checkpoint"]), checkpoint);
}
