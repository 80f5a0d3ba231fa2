//! Golden vectors: the canonical bytes and hashes of v1 events, and the key
//! derivations, are frozen in `schema/vectors/`. If this test fails, the byte
//! format changed: every stored archive would stop verifying. Do not bless a
//! change to existing vectors; add a new format version instead.
//!
//! To add new vectors after adding a new event kind, run with
//! `SCORELEDGER_BLESS=1` and review the diff: existing lines must not change.

use std::path::Path;

use scoreledger::model::event::{MatchStatus, ScorePair};
use scoreledger::model::rules::{Tiebreak, ALL_TIEBREAKS};
use scoreledger::testing::chain::{event_hash, Hash};
use scoreledger::testing::encoding::{decode_event, encode_envelope, encode_event, split_envelope};
use scoreledger::testing::keys;
use scoreledger::Fixture;
use scoreledger::{
    Annulment, Award, Date, Event, FairPlay, MatchId, MatchResult, PointsAdjustment,
    ResultCorrection, Rules, RulesSource, SeasonFacts, Shootout, StatedRules, TeamRegistration,
    TeamRename, Timestamp,
};
use serde_json::{json, Value};

fn d(s: &str) -> Date {
    Date::parse_iso(s).unwrap()
}

/// The events the vectors freeze: every kind, every optional field both ways.
fn vector_events() -> Vec<(&'static str, Event)> {
    let mut full = MatchResult::new(
        Fixture {
            competition: "Copa Perú",
            season: "1984",
            stage: "Final stage",
            round: Some(1),
            date: d("1984-12-02"),
            home: "Alianza Atlético",
            away: "Universitario de Tacna",
        },
        3,
        2,
    );
    full.group = Some("Group A".into());
    full.neutral = true;
    full.half_time = Some(ScorePair { home: 1, away: 1 });
    full.extra_time = Some(ScorePair { home: 3, away: 3 });
    full.penalties = Some(ScorePair { home: 5, away: 4 });
    let mut cancelled = MatchResult::new(
        Fixture {
            competition: "English League",
            season: "1888-89",
            stage: "Division 1",
            round: None,
            date: d("1888-09-08"),
            home: "Preston North End",
            away: "Burnley",
        },
        0,
        0,
    );
    cancelled.status = MatchStatus::Cancelled;
    let mut big = MatchResult::new(
        Fixture {
            competition: "C",
            season: "S",
            stage: "X",
            round: Some(u32::MAX),
            date: d("9999-12-31"),
            home: "A",
            away: "B",
        },
        u16::MAX,
        250,
    );
    big.status = MatchStatus::Abandoned;
    vec![
        (
            "rules-season",
            Event::Rules(Rules {
                competition: "Copa Perú".into(),
                season: "1984".into(),
                stage: None,
                points_for_win: 2,
                points_for_draw: 1,
                points_for_loss: 0,
                tiebreak: vec![
                    Tiebreak::Points,
                    Tiebreak::GoalDifference,
                    Tiebreak::GoalsFor,
                ],
            }),
        ),
        (
            "rules-stage-all-tiebreaks",
            Event::Rules(Rules {
                competition: "English League".into(),
                season: "1926-27".into(),
                stage: Some("Division 2".into()),
                points_for_win: 2,
                points_for_draw: 1,
                points_for_loss: 0,
                // The seven keys the vector was made with (frozen).
                tiebreak: ALL_TIEBREAKS[..7].to_vec(),
            }),
        ),
        (
            "season-facts",
            Event::SeasonFacts(SeasonFacts {
                competition: "Copa Perú".into(),
                season: "1984".into(),
                winners: Some("Los Espartanos".into()),
                top_scorers: vec!["Carrasco".into(), "Luna".into()],
                top_scorer_goals: Some(6),
                previous_season: Some("1983".into()),
                next_season: Some("1985".into()),
                other: vec![("Promoted".into(), "Los Espartanos".into())],
            }),
        ),
        (
            "season-facts-empty",
            Event::SeasonFacts(SeasonFacts {
                competition: "C".into(),
                season: "S".into(),
                winners: None,
                top_scorers: vec![],
                top_scorer_goals: None,
                previous_season: None,
                next_season: None,
                other: vec![],
            }),
        ),
        (
            "team-registered",
            Event::TeamRegistered(TeamRegistration {
                competition: "Copa Perú".into(),
                season: "1984".into(),
                stage: Some("Final stage".into()),
                team: "Deportivo Educación".into(),
                region: Some("Apurímac".into()),
                location: Some("Apurímac".into()),
            }),
        ),
        (
            "team-registered-bare",
            Event::TeamRegistered(TeamRegistration {
                competition: "C".into(),
                season: "S".into(),
                stage: None,
                team: "T".into(),
                region: None,
                location: None,
            }),
        ),
        (
            "match-minimal",
            Event::MatchResult(MatchResult::new(
                Fixture {
                    competition: "Copa Perú",
                    season: "1984",
                    stage: "Final stage",
                    round: Some(1),
                    date: d("1984-12-02"),
                    home: "Los Espartanos",
                    away: "Bella Esperanza",
                },
                1,
                0,
            )),
        ),
        ("match-every-field", Event::MatchResult(full)),
        ("match-cancelled-no-round", Event::MatchResult(cancelled)),
        ("match-extremes", Event::MatchResult(big)),
        (
            "result-corrected",
            Event::ResultCorrected(ResultCorrection {
                match_id: keys::match_id(&fixture(d("1984-12-02"))),
                home_goals: 2,
                away_goals: 2,
                reason: "score mistyped".into(),
                source: Some("El Comercio, 3 December 1984".into()),
            }),
        ),
        (
            "match-awarded",
            Event::MatchAwarded(Award {
                match_id: MatchId([0xab; 16]),
                to: "Universitario de Tacna".into(),
                home_goals: 0,
                away_goals: 3,
                kept_score: false,
                reason: "ineligible player".into(),
                source: None,
            }),
        ),
        (
            "match-annulled",
            Event::MatchAnnulled(Annulment {
                match_id: MatchId([0; 16]),
                reason: "replayed".into(),
                source: None,
            }),
        ),
        (
            "points-adjusted",
            Event::PointsAdjusted(PointsAdjustment {
                competition: "English League".into(),
                season: "1989-90".into(),
                stage: Some("Division 2".into()),
                team: "Swindon Town".into(),
                points: -3,
                date: d("1990-05-01"),
                reason: "financial irregularities".into(),
                source: None,
            }),
        ),
        (
            "team-renamed",
            Event::TeamRenamed(TeamRename {
                competition: "English League".into(),
                from: "Small Heath".into(),
                to: "Birmingham".into(),
                reason: "renamed in 1905".into(),
                source: Some("club history".into()),
            }),
        ),
        (
            "rules-stated-by-the-era",
            Event::RulesStated(StatedRules {
                rules: Rules {
                    competition: "Copa Perú".into(),
                    season: "1984".into(),
                    stage: None,
                    points_for_win: 2,
                    points_for_draw: 1,
                    points_for_loss: 0,
                    tiebreak: vec![Tiebreak::Points, Tiebreak::GoalDifference],
                },
                source: RulesSource::Era,
            }),
        ),
        (
            "rules-stated-by-the-file-for-a-stage",
            Event::RulesStated(StatedRules {
                rules: Rules {
                    competition: "World Cup".into(),
                    season: "1990".into(),
                    stage: Some("Group A".into()),
                    points_for_win: 2,
                    points_for_draw: 1,
                    points_for_loss: 0,
                    tiebreak: vec![],
                },
                source: RulesSource::File,
            }),
        ),
        (
            "rules-set-by-the-user",
            Event::RulesStated(StatedRules {
                rules: Rules {
                    competition: "C".into(),
                    season: "S".into(),
                    stage: None,
                    points_for_win: 3,
                    points_for_draw: 1,
                    points_for_loss: 0,
                    tiebreak: vec![Tiebreak::HeadToHead],
                },
                source: RulesSource::User,
            }),
        ),
        (
            "shootout-decided",
            Event::ShootoutDecided(Shootout {
                match_id: keys::match_id(&fixture(d("1984-12-02"))),
                winner: "Universitario de Tacna".into(),
                first_shooter: Some("Alianza Atlético".into()),
                source: Some("martj42/international_results shootouts.csv".into()),
            }),
        ),
        (
            "shootout-decided-bare",
            Event::ShootoutDecided(Shootout {
                match_id: MatchId([0x5a; 16]),
                winner: "B".into(),
                first_shooter: None,
                source: None,
            }),
        ),
        (
            "fair-play-stated",
            Event::FairPlayStated(FairPlay {
                competition: "FIFA World Cup".into(),
                season: "2018".into(),
                stage: Some("Group H".into()),
                team: "Senegal".into(),
                points: -6,
                source: Some("FIFA".into()),
            }),
        ),
        (
            "fair-play-stated-season",
            Event::FairPlayStated(FairPlay {
                competition: "C".into(),
                season: "S".into(),
                stage: None,
                team: "T".into(),
                points: 0,
                source: None,
            }),
        ),
        (
            "rules-tiebreaks-fair-play-and-head-to-head-once",
            Event::Rules(Rules {
                competition: "FIFA World Cup".into(),
                season: "2018".into(),
                stage: Some("Group H".into()),
                points_for_win: 3,
                points_for_draw: 1,
                points_for_loss: 0,
                // Keys 0, 7 and 8 (the last two appended after the seven).
                tiebreak: vec![
                    Tiebreak::Points,
                    Tiebreak::FairPlay,
                    Tiebreak::HeadToHeadOnce,
                ],
            }),
        ),
        (
            "rules-tiebreak-points-per-game",
            Event::Rules(Rules {
                competition: "English League".into(),
                season: "2019-20".into(),
                stage: Some("Division 3".into()),
                points_for_win: 3,
                points_for_draw: 1,
                points_for_loss: 0,
                // Key 9.
                tiebreak: vec![
                    Tiebreak::PointsPerGame,
                    Tiebreak::GoalDifference,
                    Tiebreak::GoalsFor,
                ],
            }),
        ),
    ]
}

fn build() -> Value {
    let mut prev = Hash::GENESIS;
    let mut vectors = Vec::new();
    for (i, (name, event)) in vector_events().into_iter().enumerate() {
        let seq = i as u64 + 1;
        let recorded_at = Timestamp::from_micros(1_795_000_000_000_000 + i as i64 * 1_000_001);
        let bytes = encode_event(&event);
        let hash = event_hash(seq, recorded_at, &prev, &bytes);
        let envelope = encode_envelope(seq, recorded_at, &prev, &hash, &bytes);
        vectors.push(json!({
            "name": name,
            "seq": seq,
            "recorded_at": recorded_at.to_string(),
            "recorded_at_micros": recorded_at.as_micros(),
            "prev": prev.to_hex(),
            "event": serde_json::to_value(&event).unwrap(),
            "event_bytes": hex::encode(&bytes),
            "hash": hash.to_hex(),
            "envelope": hex::encode(&envelope),
        }));
        prev = hash;
    }
    let d1 = d("1984-12-02");
    json!({
        "format_version": 1,
        "events": vectors,
        "keys": {
            "season_scope(Copa Perú, 1984)": hex::encode(keys::season_scope("Copa Perú", "1984")),
            "stage_scope(Copa Perú, 1984, Final stage)": hex::encode(keys::stage_scope("Copa Perú", "1984", "Final stage")),
            "match_id(Copa Perú, 1984, Final stage, 1, 1984-12-02, Alianza Atlético, Universitario de Tacna)":
                keys::match_id(&fixture(d1)).to_hex(),
            "by_date(stage_scope(Copa Perú, 1984, Final stage), 1984-12-02, 1, 4)":
                hex::encode(keys::by_date(&keys::stage_scope("Copa Perú", "1984", "Final stage"), d1, Some(1), 4)),
        },
    })
}

/// The stored vectors of `schema/vectors/NAME`; with `SCORELEDGER_BLESS`
/// set, first extended with the vectors of `fresh` that it lacks. Stored
/// vectors are never rewritten, so the comparison after a bless still
/// fails on any that drifted.
fn stored_vectors(name: &str, fresh: &Value) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema/vectors")
        .join(name);
    if std::env::var_os("SCORELEDGER_BLESS").is_some() {
        let merged = match std::fs::read_to_string(&path) {
            Ok(text) => only_added(serde_json::from_str(&text).unwrap(), fresh),
            Err(_) => fresh.clone(),
        };
        std::fs::write(&path, serde_json::to_string_pretty(&merged).unwrap() + "\n").unwrap();
    }
    serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("schema/vectors/{name}")),
    )
    .unwrap()
}

/// `stored` with what `fresh` adds, at any depth: keys an object lacks,
/// and array entries it lacks (by `name` where entries have one, else by
/// value), at the end. Nothing stored is changed.
fn only_added(mut stored: Value, fresh: &Value) -> Value {
    match (&mut stored, fresh) {
        (Value::Object(old), Value::Object(new)) => {
            for (k, v) in new {
                match old.get_mut(k) {
                    Some(o) => *o = only_added(o.take(), v),
                    None => {
                        old.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (Value::Array(old), Value::Array(new)) => {
            let same = |a: &Value, b: &Value| match (a.get("name"), b.get("name")) {
                (Some(x), Some(y)) => x == y,
                _ => a == b,
            };
            let added: Vec<Value> = new
                .iter()
                .filter(|n| !old.iter().any(|o| same(o, n)))
                .cloned()
                .collect();
            old.extend(added);
        }
        _ => {}
    }
    stored
}

#[test]
fn blessing_never_rewrites_a_stored_vector() {
    let stored = serde_json::json!({
        "events": [{"name": "a", "hash": "old"}],
        "keys": {"k": "old"},
    });
    let fresh = serde_json::json!({
        "events": [{"name": "a", "hash": "drifted"}, {"name": "b", "hash": "new"}],
        "keys": {"k": "drifted", "k2": "new"},
    });
    let merged = only_added(stored, &fresh);
    assert_eq!(merged["events"][0]["hash"], "old");
    assert_eq!(merged["events"][1]["name"], "b");
    assert_eq!(merged["keys"]["k"], "old");
    assert_eq!(merged["keys"]["k2"], "new");
}

#[test]
fn golden_vectors_do_not_drift() {
    let fresh = build();
    let stored = stored_vectors("v1.json", &fresh);
    let (stored_events, fresh_events) = (
        stored["events"].as_array().unwrap(),
        fresh["events"].as_array().unwrap(),
    );
    assert_eq!(stored_events.len(), fresh_events.len(), "number of vectors");
    for (s, f) in stored_events.iter().zip(fresh_events) {
        assert_eq!(
            s, f,
            "vector {} changed: the canonical byte format drifted",
            s["name"]
        );
    }
    assert_eq!(stored["keys"], fresh["keys"], "key derivations drifted");
    assert_eq!(stored["format_version"], 1);
}

/// The stored vectors decode back to the events they name, from their bytes
/// alone, and the stored envelope splits into the same fields.
#[test]
fn golden_vectors_decode() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/vectors/v1.json");
    let stored: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut prev = Hash::GENESIS;
    for v in stored["events"].as_array().unwrap() {
        let bytes = hex::decode(v["event_bytes"].as_str().unwrap()).unwrap();
        let event = decode_event(&bytes).unwrap();
        let from_json: Event = serde_json::from_value(v["event"].clone()).unwrap();
        assert_eq!(event, from_json, "{}", v["name"]);
        let envelope = hex::decode(v["envelope"].as_str().unwrap()).unwrap();
        let raw = split_envelope(&envelope).unwrap();
        assert_eq!(raw.seq, v["seq"].as_u64().unwrap());
        assert_eq!(raw.prev, prev);
        assert_eq!(
            raw.recorded_at.as_micros(),
            v["recorded_at_micros"].as_i64().unwrap()
        );
        assert_eq!(raw.event_bytes, bytes.as_slice());
        let hash = event_hash(raw.seq, raw.recorded_at, &raw.prev, raw.event_bytes);
        assert_eq!(hash.to_hex(), v["hash"].as_str().unwrap());
        assert_eq!(raw.hash, hash);
        prev = hash;
    }
}

/// Known-answer vectors for the Merkle tree variant (`schema/merkle.md`):
/// leaves are event hashes `blake3(i as u64 BE)` for i = 0..8.
fn merkle_vectors() -> Value {
    use scoreledger::log::merkle::{self, Nodes};
    use std::collections::HashMap;
    struct Mem(HashMap<(u8, u64), Hash>);
    impl Nodes for Mem {
        fn node(&self, level: u8, index: u64) -> Result<Hash, String> {
            self.0
                .get(&(level, index))
                .copied()
                .ok_or_else(|| "missing".into())
        }
    }
    let events: Vec<Hash> = (0..8u64)
        .map(|i| Hash(*blake3::hash(&i.to_be_bytes()).as_bytes()))
        .collect();
    let mut mem = Mem(HashMap::new());
    for (i, e) in events.iter().enumerate() {
        let mut puts = Vec::new();
        merkle::append_leaf(
            i as u64,
            merkle::leaf_hash(e),
            |l, x| mem.node(l, x),
            |l, x, h| puts.push((l, x, h)),
        )
        .unwrap();
        for (l, x, h) in puts {
            mem.0.insert((l, x), h);
        }
    }
    let hexes = |v: Vec<Hash>| v.iter().map(Hash::to_hex).collect::<Vec<_>>();
    json!({
        "variant": merkle::VARIANT,
        "event_hashes": hexes(events.clone()),
        "leaf_hashes": hexes(events.iter().map(merkle::leaf_hash).collect()),
        "roots": (0..=8u64).map(|n| merkle::root(&mem, n).unwrap().to_hex()).collect::<Vec<_>>(),
        "inclusion": [
            { "index": 2, "size": 7, "path": hexes(merkle::inclusion_proof(&mem, 2, 7).unwrap()) },
            { "index": 6, "size": 7, "path": hexes(merkle::inclusion_proof(&mem, 6, 7).unwrap()) },
            { "index": 0, "size": 1, "path": hexes(merkle::inclusion_proof(&mem, 0, 1).unwrap()) },
        ],
        "consistency": [
            { "old": 3, "new": 7, "proof": hexes(merkle::consistency_proof(&mem, 3, 7).unwrap()) },
            { "old": 4, "new": 8, "proof": hexes(merkle::consistency_proof(&mem, 4, 8).unwrap()) },
            { "old": 6, "new": 8, "proof": hexes(merkle::consistency_proof(&mem, 6, 8).unwrap()) },
        ],
    })
}

#[test]
fn merkle_vectors_do_not_drift_and_verify() {
    use scoreledger::log::merkle;
    let fresh = merkle_vectors();
    let stored = stored_vectors("merkle.json", &fresh);
    assert_eq!(stored, fresh, "the Merkle tree variant drifted");
    // The stored proofs verify against the stored roots, from the file alone.
    let h = |v: &Value| Hash::from_hex(v.as_str().unwrap()).unwrap();
    let hs = |v: &Value| v.as_array().unwrap().iter().map(h).collect::<Vec<_>>();
    let roots = hs(&stored["roots"]);
    let leaves = hs(&stored["leaf_hashes"]);
    assert_eq!(roots[0], merkle::empty_root());
    for p in stored["inclusion"].as_array().unwrap() {
        let (i, n) = (p["index"].as_u64().unwrap(), p["size"].as_u64().unwrap());
        merkle::verify_inclusion(
            i,
            n,
            &leaves[i as usize],
            &hs(&p["path"]),
            &roots[n as usize],
        )
        .unwrap();
    }
    for p in stored["consistency"].as_array().unwrap() {
        let (o, n) = (p["old"].as_u64().unwrap(), p["new"].as_u64().unwrap());
        merkle::verify_consistency(
            o,
            n,
            &roots[o as usize],
            &roots[n as usize],
            &hs(&p["proof"]),
        )
        .unwrap();
    }
}

/// The signed-note vectors of `schema/notes.md`: keys from fixed seeds, a
/// checkpoint signed by the log's key and cosigned by a witness's at a fixed
/// time. `scripts/check-notes.py` checks the same file with Python's
/// `cryptography`, an independent implementation.
fn note_vectors() -> Value {
    use scoreledger::integrity::note::{Note, SignerKey, COSIGNATURE_V1, ED25519};
    let seed = |label: &str| *blake3::hash(label.as_bytes()).as_bytes();
    let log = SignerKey::from_seed(
        "scoreledger.example/copa-peru",
        ED25519,
        seed("scoreledger note vector: log"),
    )
    .unwrap();
    let witness = SignerKey::from_seed(
        "witness.example/w1",
        COSIGNATURE_V1,
        seed("scoreledger note vector: witness"),
    )
    .unwrap();
    let body = "scoreledger.example/copa-peru\n23\nf/RlMudpniT8Kq7v9SkM9k6E8cXdV7oKpT1WU1Hx8zM=\nvariant scoreledger-blake3-rfc6962-v1\n";
    let mut note = Note {
        text: body.into(),
        signatures: vec![],
    };
    note.sign(&log).unwrap();
    let signed = note.to_text();
    note.cosign(&witness, 1_764_400_000).unwrap();
    json!({
        "log_seed_hex": hex::encode(seed("scoreledger note vector: log")),
        "log_signer_key": log.to_text(),
        "log_verifier_key": log.verifier().to_text(),
        "witness_seed_hex": hex::encode(seed("scoreledger note vector: witness")),
        "witness_signer_key": witness.to_text(),
        "witness_verifier_key": witness.verifier().to_text(),
        "checkpoint_body": body,
        "signed_note": signed,
        "cosignature_time": 1_764_400_000u64,
        "cosigned_note": note.to_text(),
    })
}

#[test]
fn note_vectors_do_not_drift() {
    let fresh = note_vectors();
    assert_eq!(
        stored_vectors("notes.json", &fresh),
        fresh,
        "the note format drifted"
    );
}

#[test]
fn note_vectors_agree_with_an_independent_implementation() {
    // Python's `cryptography` (Ed25519) and hashlib (key ids), in
    // scripts/check-notes.py; CI installs it.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-notes.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}{}\n(pip install cryptography if it is missing)",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("ok: 8 checks"));
}

/// The fixture of the vectors' first match, on `date`.
fn fixture(date: scoreledger::Date) -> keys::Fixture<'static> {
    keys::Fixture {
        competition: "Copa Perú",
        season: "1984",
        stage: "Final stage",
        round: Some(1),
        date,
        home: "Alianza Atlético",
        away: "Universitario de Tacna",
    }
}

/// The small log of the stage-index and receipt vectors
/// (`schema/index.md`, `schema/receipts.md`): two stages of one season,
/// rules of the season before either stage and after, the stage's own rules
/// between, two corrections of one match, an annulment, a season-wide
/// adjustment, a rename in the competition, and season facts (in no list).
fn index_vector_events() -> Vec<Event> {
    let result = |stage: &str, round: u32, date: &str, home: &str, hg: u16, ag: u16, away: &str| {
        Event::MatchResult(MatchResult::new(
            Fixture {
                competition: "Copa Perú",
                season: "1984",
                stage,
                round: Some(round),
                date: d(date),
                home,
                away,
            },
            hg,
            ag,
        ))
    };
    let rules = |stage: Option<&str>, win: u8, tiebreak: Vec<Tiebreak>| Rules {
        competition: "Copa Perú".into(),
        season: "1984".into(),
        stage: stage.map(str::to_string),
        points_for_win: win,
        points_for_draw: 1,
        points_for_loss: 0,
        tiebreak,
    };
    let id = |round: u32, date: &str, home: &str, away: &str| {
        keys::match_id(&Fixture {
            competition: "Copa Perú",
            season: "1984",
            stage: "Final stage",
            round: Some(round),
            date: d(date),
            home,
            away,
        })
    };
    let first = id(
        1,
        "1984-12-02",
        "Alianza Atlético",
        "Universitario de Tacna",
    );
    let order = vec![
        Tiebreak::Points,
        Tiebreak::GoalDifference,
        Tiebreak::GoalsFor,
    ];
    vec![
        Event::RulesStated(StatedRules {
            rules: rules(None, 2, order.clone()),
            source: RulesSource::User,
        }),
        Event::SeasonFacts(SeasonFacts {
            competition: "Copa Perú".into(),
            season: "1984".into(),
            winners: Some("Los Espartanos".into()),
            top_scorers: vec![],
            top_scorer_goals: None,
            previous_season: None,
            next_season: None,
            other: vec![],
        }),
        Event::TeamRegistered(TeamRegistration {
            competition: "Copa Perú".into(),
            season: "1984".into(),
            stage: Some("Final stage".into()),
            team: "Bella Esperanza".into(),
            region: None,
            location: None,
        }),
        result(
            "Final stage",
            1,
            "1984-12-02",
            "Alianza Atlético",
            3,
            2,
            "Universitario de Tacna",
        ),
        result(
            "Final stage",
            1,
            "1984-12-02",
            "Los Espartanos",
            1,
            0,
            "Bella Esperanza",
        ),
        result("Group A", 1, "1984-11-20", "Club A", 1, 1, "Club B"),
        result(
            "Final stage",
            2,
            "1984-12-05",
            "Universitario de Tacna",
            0,
            0,
            "Los Espartanos",
        ),
        Event::ResultCorrected(ResultCorrection {
            match_id: first,
            home_goals: 2,
            away_goals: 2,
            reason: "first look".into(),
            source: None,
        }),
        Event::RulesStated(StatedRules {
            rules: rules(
                Some("Final stage"),
                3,
                vec![
                    Tiebreak::Points,
                    Tiebreak::GoalsFor,
                    Tiebreak::GoalDifference,
                ],
            ),
            source: RulesSource::User,
        }),
        Event::Rules(rules(
            None,
            2,
            vec![Tiebreak::Points, Tiebreak::GoalAverage],
        )),
        Event::ResultCorrected(ResultCorrection {
            match_id: first,
            home_goals: 4,
            away_goals: 0,
            reason: "the report".into(),
            source: Some("El Comercio".into()),
        }),
        Event::PointsAdjusted(PointsAdjustment {
            competition: "Copa Perú".into(),
            season: "1984".into(),
            stage: None,
            team: "Bella Esperanza".into(),
            points: -1,
            date: d("1984-12-03"),
            reason: "unpaid fee".into(),
            source: None,
        }),
        Event::TeamRenamed(TeamRename {
            competition: "Copa Perú".into(),
            from: "Los Espartanos".into(),
            to: "Espartanos FC".into(),
            reason: "new name".into(),
            source: None,
        }),
        Event::MatchAnnulled(Annulment {
            match_id: id(2, "1984-12-05", "Universitario de Tacna", "Los Espartanos"),
            reason: "replayed".into(),
            source: None,
        }),
    ]
}

/// The archive of [`index_vector_events`], one event a minute from
/// 2026-11-28T10:00:00Z.
fn index_vector_archive() -> (tempfile::TempDir, scoreledger::Archive) {
    let dir = tempfile::tempdir().unwrap();
    let mut a = scoreledger::Archive::open(&dir.path().join("db")).unwrap();
    let start = Timestamp::parse_rfc3339("2026-11-28T10:00:00Z").unwrap();
    for (i, e) in index_vector_events().into_iter().enumerate() {
        let at = Timestamp::from_micros(start.as_micros() + i as i64 * 60_000_000);
        let r = a.append(vec![e], at).unwrap();
        assert_eq!(r.appended.len(), 1, "event {} appended", i + 1);
    }
    (dir, a)
}

/// The stage index of that log at every size, and each stage's proof at
/// the last (`schema/index.md`). `scripts/check-index.py` re-makes them.
fn index_vectors() -> Value {
    let (_dir, a) = index_vector_archive();
    let head = a.head().unwrap().seq;
    let events: Vec<Value> = a
        .events()
        .map(|e| {
            let e = e.unwrap();
            json!({
                "seq": e.seq,
                "recorded_at_micros": e.recorded_at.as_micros(),
                "event": serde_json::to_value(&e.event).unwrap(),
                "hash": e.hash.to_hex(),
            })
        })
        .collect();
    let sizes: Vec<Value> = (0..=head)
        .map(|n| {
            let ix = a.stage_index(n).unwrap();
            json!({
                "size": n,
                "root": ix.root().to_hex(),
                "leaves": ix.leaves().iter().map(|l| json!({
                    "key": l.key.to_hex(),
                    "entries": l.entries,
                    "leaf_hash": scoreledger::testing::index::leaf_hash(&l.key, &l.entries).to_hex(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let last = a.stage_index(head).unwrap();
    let proofs: Vec<Value> = last
        .leaves()
        .iter()
        .map(|l| serde_json::to_value(last.lookup(&l.key).unwrap()).unwrap())
        .collect();
    let key = |st: &str| Hash(keys::stage_index_key("Copa Perú", "1984", st)).to_hex();
    json!({
        "variant": scoreledger::testing::index::VARIANT,
        "empty_root": scoreledger::testing::index::empty_root().to_hex(),
        "stage_keys": {
            "Copa Perú / 1984 / Final stage": key("Final stage"),
            "Copa Perú / 1984 / Group A": key("Group A"),
        },
        "events": events,
        "sizes": sizes,
        "proofs": proofs,
    })
}

#[test]
fn index_vectors_do_not_drift_and_verify() {
    let fresh = index_vectors();
    let stored = stored_vectors("index.json", &fresh);
    assert_eq!(stored, fresh, "the stage index drifted");
    let last = stored["sizes"].as_array().unwrap().last().unwrap();
    let root = Hash::from_hex(last["root"].as_str().unwrap()).unwrap();
    for p in stored["proofs"].as_array().unwrap() {
        let p: scoreledger::testing::index::IndexProof = serde_json::from_value(p.clone()).unwrap();
        p.verify(&root, last["size"].as_u64().unwrap()).unwrap();
    }
}

/// A receipt of that log's final stage against a checkpoint signed with a
/// key from a fixed seed (Ed25519 is deterministic): `scripts/check-index.py`
/// re-makes the checkpoint, its signature and the receipt byte for byte,
/// table included.
fn receipt_vectors() -> Value {
    use scoreledger::integrity::note::{Note, SignerKey, ED25519};
    let (_dir, a) = index_vector_archive();
    let seed = *blake3::hash(b"scoreledger receipt vector: log").as_bytes();
    let key = SignerKey::from_seed("scoreledger.example/copa-peru", ED25519, seed).unwrap();
    let cp = a.checkpoint(&key.name).unwrap();
    let mut note = Note {
        text: cp.to_text(),
        signatures: vec![],
    };
    note.sign(&key).unwrap();
    let filter = scoreledger::Filter {
        competition: Some("Copa Perú".into()),
        season: Some("1984".into()),
        stage: Some("Final stage".into()),
    };
    let receipt = a
        .receipt(&filter, scoreledger::Cut::All, &note.to_text(), &cp)
        .unwrap();
    receipt.check(&cp).unwrap();
    json!({
        "log_seed_hex": hex::encode(seed),
        "log_verifier_key": key.verifier().to_text(),
        "checkpoint": note.to_text(),
        "receipt": serde_json::to_string_pretty(&receipt).unwrap(),
    })
}

#[test]
fn receipt_vectors_do_not_drift() {
    let fresh = receipt_vectors();
    assert_eq!(
        stored_vectors("receipt.json", &fresh),
        fresh,
        "the receipt format drifted"
    );
}

#[test]
fn index_and_receipt_vectors_agree_with_an_independent_implementation() {
    // scripts/check-index.py: Python's `blake3` and `cryptography`, with
    // the encoding, the trees, the index and the table written apart from
    // ours; CI installs them.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check-index.py");
    let out = std::process::Command::new("python3")
        .arg(&script)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}{}\n(pip install blake3 cryptography if they are missing)",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("ok: "));
}
