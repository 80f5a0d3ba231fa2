//! Invariants, checked on generated archives:
//! - a full rebuild gives byte-identical derived entries;
//! - the order and batching of appends never change a table;
//! - a table "known at seq K" equals the table of an archive that only ever had events 1..=K;
//! - tables from the archive equal the projector run directly on the results;
//! - the stage index at any size equals the index of an archive that only ever had events 1..=K;
//! - a receipt's fold of its stage's events gives every table `standings` gives, and checks;
//! - a batch sealed on a thread of its own (more than one parcel of events)
//!   writes the bytes that the same events appended a parcel at a time do;
//! - events round-trip through their canonical bytes;
//! - any flipped byte of any stored event fails verification, naming that event.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use scoreledger::model::event::{MatchStatus, ScorePair};
use scoreledger::model::rules::{Tiebreak, ALL_TIEBREAKS};
use scoreledger::projection::projector::{self, MatchLine, StageInput};
use scoreledger::testing::encoding::{decode_event, encode_event};
use scoreledger::testing::Space;
use scoreledger::{Archive, Cut, Date, Event, Filter, KnownAt, MatchResult, Rules, Timestamp};

const TEAMS: [&str; 6] = [
    "Los Espartanos",
    "Alianza Atlético",
    "Bella Esperanza",
    "Guardia Republicana",
    "Deportivo Educación",
    "Universitario de Tacna",
];

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-28T10:00:00Z").unwrap()
}

fn day(d: u8) -> Date {
    Date::from_ymd(1984, 12, d).unwrap()
}

#[derive(Clone, Debug)]
struct Fixture {
    day: u8,
    round: u32,
    home: usize,
    away: usize,
    hg: u16,
    ag: u16,
    counts: bool,
}

fn fixture() -> impl Strategy<Value = Fixture> {
    (
        1u8..=12,
        1u32..=5,
        0usize..6,
        1usize..6,
        0u16..5,
        0u16..5,
        prop::bool::weighted(0.9),
    )
        .prop_map(|(day, round, home, off, hg, ag, counts)| Fixture {
            day,
            round,
            home,
            away: (home + off) % 6,
            hg,
            ag,
            counts,
        })
}

/// Unique fixtures (one per date/round/home/away).
fn fixtures() -> impl Strategy<Value = Vec<Fixture>> {
    prop::collection::vec(fixture(), 0..24).prop_map(unique)
}

/// The first of each fixture (date, round, home, away).
fn unique(v: Vec<Fixture>) -> Vec<Fixture> {
    let mut seen = BTreeSet::new();
    v.into_iter()
        .filter(|f| seen.insert((f.day, f.round, f.home, f.away)))
        .collect()
}

/// More unique fixtures than one parcel of a batch holds (256 events), so
/// that appending them at once seals them on a thread of their own.
fn many_fixtures() -> impl Strategy<Value = Vec<Fixture>> {
    prop::collection::vec(fixture(), 420..700).prop_map(unique)
}

/// A compensating event aimed at the n-th generated fixture (modulo their number).
#[derive(Clone, Debug)]
enum Op {
    Correct(usize, u16, u16),
    Award(usize, bool),
    Annul(usize),
    Adjust(usize, i32, u8),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            (any::<usize>(), 0u16..5, 0u16..5).prop_map(|(i, h, a)| Op::Correct(i, h, a)),
            (any::<usize>(), any::<bool>()).prop_map(|(i, home)| Op::Award(i, home)),
            any::<usize>().prop_map(Op::Annul),
            (0usize..6, -4i32..4, 1u8..=13).prop_map(|(t, p, d)| Op::Adjust(t, p, d)),
        ],
        0..8,
    )
}

fn op_event(op: &Op, fx: &[Fixture]) -> Option<Event> {
    let target = |i: usize| {
        let f = &fx[i % fx.len()];
        let id = scoreledger::testing::keys::match_id(&scoreledger::testing::keys::Fixture {
            competition: "Copa Perú",
            season: "1984",
            stage: "Final stage",
            round: Some(f.round),
            date: day(f.day),
            home: TEAMS[f.home],
            away: TEAMS[f.away],
        });
        (f, id)
    };
    if fx.is_empty() && !matches!(op, Op::Adjust(..)) {
        return None;
    }
    Some(match *op {
        Op::Correct(i, h, a) => Event::ResultCorrected(scoreledger::ResultCorrection {
            match_id: target(i).1,
            home_goals: h,
            away_goals: a,
            reason: "r".into(),
            source: None,
        }),
        Op::Award(i, home) => {
            let (f, id) = target(i);
            Event::MatchAwarded(scoreledger::Award {
                match_id: id,
                to: TEAMS[if home { f.home } else { f.away }].into(),
                home_goals: if home { 3 } else { 0 },
                away_goals: if home { 0 } else { 3 },
                kept_score: false,
                reason: "r".into(),
                source: None,
            })
        }
        Op::Annul(i) => Event::MatchAnnulled(scoreledger::Annulment {
            match_id: target(i).1,
            reason: "r".into(),
            source: None,
        }),
        Op::Adjust(t, p, d) => Event::PointsAdjusted(scoreledger::PointsAdjustment {
            competition: "Copa Perú".into(),
            season: "1984".into(),
            stage: None,
            team: TEAMS[t].into(),
            points: if p == 0 { 1 } else { p },
            date: day(d),
            reason: "r".into(),
            source: None,
        }),
    })
}

/// Appends compensating events one at a time; refused ones (e.g. a correction
/// of an annulled match, or an adjustment for a team not yet known) are skipped.
fn apply_ops(a: &mut Archive, ops: &[Op], fx: &[Fixture]) {
    for op in ops {
        if let Some(e) = op_event(op, fx) {
            match a.append(vec![e], now()) {
                Ok(_) => {}
                Err(e) => assert_eq!(e.kind(), scoreledger::ErrorKind::Input, "{e}"),
            }
        }
    }
}

fn rules() -> impl Strategy<Value = Rules> {
    (
        2u8..=3,
        Just(ALL_TIEBREAKS.to_vec()).prop_shuffle(),
        1usize..=4,
    )
        .prop_map(|(win, order, n)| Rules {
            competition: "Copa Perú".into(),
            season: "1984".into(),
            stage: None,
            points_for_win: win,
            points_for_draw: 1,
            points_for_loss: 0,
            tiebreak: order.into_iter().take(n).collect::<Vec<Tiebreak>>(),
        })
}

fn event(f: &Fixture) -> Event {
    let mut m = MatchResult::new(
        scoreledger::Fixture {
            competition: "Copa Perú",
            season: "1984",
            stage: "Final stage",
            round: Some(f.round),
            date: day(f.day),
            home: TEAMS[f.home],
            away: TEAMS[f.away],
        },
        f.hg,
        f.ag,
    );
    if !f.counts {
        m.status = MatchStatus::Postponed;
    }
    Event::MatchResult(m)
}

/// The results with the season's rules at `rules_at` and the stage's own
/// at `stage_at`.
fn with_rules(
    fx: &[Fixture],
    season: Rules,
    stage: Rules,
    rules_at: usize,
    stage_at: usize,
) -> Vec<Event> {
    let mut events: Vec<Event> = fx.iter().map(event).collect();
    events.insert(rules_at.min(events.len()), Event::Rules(season));
    let stage = Rules {
        stage: Some("Final stage".into()),
        ..stage
    };
    events.insert(stage_at.min(events.len()), Event::Rules(stage));
    events
}

fn archive() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let a = Archive::open(&dir.path().join("db")).unwrap();
    (dir, a)
}

/// Appends events in batches whose sizes come from `cuts`.
fn append_in_batches(a: &mut Archive, events: &[Event], cuts: &[usize]) {
    let mut rest = events;
    let mut i = 0;
    while !rest.is_empty() {
        let n = cuts
            .get(i)
            .copied()
            .unwrap_or(rest.len())
            .clamp(1, rest.len());
        a.append(rest[..n].to_vec(), now()).unwrap();
        rest = &rest[n..];
        i += 1;
    }
}

fn dump(a: &Archive, s: Space) -> BTreeMap<Vec<u8>, Vec<u8>> {
    a.store().iter(s).map(|e| e.unwrap()).collect()
}

fn dump_derived(a: &Archive) -> BTreeMap<Vec<u8>, Vec<u8>> {
    dump(a, Space::Derived)
}

fn all_tables(a: &Archive, known_at: Option<u64>) -> Vec<Vec<scoreledger::Row>> {
    let mut out = Vec::new();
    let k = known_at.map(KnownAt::Seq);
    let f = Filter::default();
    let cuts = (1..=13)
        .map(|d| Cut::AsOf(day(d)))
        .chain((1..=5).map(Cut::Round))
        .chain([Cut::All]);
    for cut in cuts {
        match a.at(k).and_then(|v| v.standings(&f, cut)) {
            Ok(s) => out.push(s.rows),
            Err(e) => out.push(vec![scoreledger::Row {
                pos: 0,
                shared: false,
                // "Nothing known yet" is said differently by an archive that
                // knows later events; both are the same answer.
                team: match e {
                    scoreledger::Error::NotFound(_) => "error: no stage known".into(),
                    e => format!("error: {e}"),
                },
                played: 0,
                won: 0,
                drawn: 0,
                lost: 0,
                goals_for: 0,
                goals_against: 0,
                goal_difference: 0,
                points: 0,
                adjustment: 0,
            }]),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn rebuild_gives_byte_identical_derived_trees(fx in fixtures(), r in rules(), rules_at in 0usize..30, cuts in prop::collection::vec(1usize..6, 0..10), ops in ops()) {
        let mut events: Vec<Event> = fx.iter().map(event).collect();
        events.insert(rules_at.min(events.len()), Event::Rules(r));
        let (_d, mut a) = archive();
        append_in_batches(&mut a, &events, &cuts);
        apply_ops(&mut a, &ops, &fx);
        let before = dump_derived(&a);
        a.rebuild().unwrap();
        prop_assert_eq!(before, dump_derived(&a));
        prop_assert!(a.verify().is_ok());
    }

    #[test]
    fn append_order_and_batching_never_change_a_table(fx in fixtures(), r in rules(), perm in Just(()).prop_perturb(|_, mut rng| rng.next_u64()), cuts in prop::collection::vec(1usize..6, 0..10), ops in ops()) {
        let mut sorted: Vec<Event> = vec![Event::Rules(r)];
        let mut fx_sorted = fx.clone();
        fx_sorted.sort_by_key(|f| (f.day, f.round, f.home, f.away));
        sorted.extend(fx_sorted.iter().map(event));
        let mut shuffled = sorted.clone();
        // A deterministic shuffle from the generated seed.
        let mut seed = perm;
        for i in (1..shuffled.len()).rev() {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (seed >> 33) as usize % (i + 1));
        }
        let (_d1, mut a) = archive();
        a.append(sorted, now()).unwrap();
        apply_ops(&mut a, &ops, &fx);
        let (_d2, mut b) = archive();
        append_in_batches(&mut b, &shuffled, &cuts);
        apply_ops(&mut b, &ops, &fx);
        prop_assert_eq!(all_tables(&a, None), all_tables(&b, None));
    }

    #[test]
    fn known_at_equals_the_archive_as_it_was(fx in fixtures(), r in rules(), rules_at in 0usize..30, k in 0usize..40, ops in ops()) {
        let mut events: Vec<Event> = fx.iter().map(event).collect();
        events.insert(rules_at.min(events.len()), Event::Rules(r));
        let (_d1, mut full) = archive();
        full.append(events, now()).unwrap();
        apply_ops(&mut full, &ops, &fx);
        let logged: Vec<Event> = full.events().map(|e| e.unwrap().event).collect();
        let k = k.min(logged.len());
        let (_d2, mut then) = archive();
        for e in &logged[..k] {
            then.append(vec![e.clone()], now()).unwrap();
        }
        prop_assert_eq!(all_tables(&full, Some(k as u64)), all_tables(&then, None));
    }

    #[test]
    fn tables_equal_the_projector_on_the_results(fx in fixtures(), r in rules()) {
        let (_d, mut a) = archive();
        let mut events = vec![Event::Rules(r.clone())];
        events.extend(fx.iter().map(event));
        a.append(events, now()).unwrap();
        let input = StageInput {
            teams: vec![],
            matches: fx.iter().enumerate().map(|(i, f)| MatchLine {
                date: day(f.day),
                round: Some(f.round),
                seq: i as u64 + 2,
                home: TEAMS[f.home].into(),
                away: TEAMS[f.away].into(),
                home_goals: f.hg,
                away_goals: f.ag,
                counts: f.counts,
            }).collect(),
            scoring: r.scoring(),
            ..StageInput::default()
        };
        if fx.is_empty() {
            return Ok(());
        }
        for d in 1..=13 {
            let s = a.at(None).unwrap().standings(&Filter::default(), Cut::AsOf(day(d))).unwrap();
            prop_assert_eq!(s.rows, projector::table(&input, Cut::AsOf(day(d))));
        }
    }

    #[test]
    fn the_index_at_any_size_is_the_index_of_the_archive_as_it_was(fx in fixtures(), r in rules(), r2 in rules(), rules_at in 0usize..30, stage_at in 0usize..30, k in 0usize..40, cuts in prop::collection::vec(1usize..6, 0..10), ops in ops()) {
        let events = with_rules(&fx, r, r2, rules_at, stage_at);
        let (_d1, mut full) = archive();
        append_in_batches(&mut full, &events, &cuts);
        apply_ops(&mut full, &ops, &fx);
        let logged: Vec<Event> = full.events().map(|e| e.unwrap().event).collect();
        let k = k.min(logged.len());
        let (_d2, mut then) = archive();
        for e in &logged[..k] {
            then.append(vec![e.clone()], now()).unwrap();
        }
        prop_assert_eq!(full.index_root(k as u64).unwrap(), then.index_root(k as u64).unwrap());
        prop_assert_eq!(full.stage_index(k as u64).unwrap(), then.stage_index(k as u64).unwrap());
        // The root from the leaf hashes stored with the lists is the root of every list hashed.
        for n in 0..=logged.len() as u64 {
            let index = full.stage_index(n).unwrap();
            prop_assert_eq!(full.index_root(n).unwrap(), index.root());
            // A stage's proof, made from the others' leaf hashes, is the whole index's.
            for info in full.stages().unwrap() {
                let key = scoreledger::testing::keys::stage_index_key(&info.competition, &info.season, &info.stage);
                let whole = index.lookup(&scoreledger::Hash(key));
                prop_assert_eq!(full.index_proof(&info, n).ok(), whole);
            }
        }
    }

    #[test]
    fn a_receipt_folds_every_table_as_standings_does(fx in fixtures(), r in rules(), r2 in rules(), rules_at in 0usize..30, stage_at in 0usize..30, k in 0usize..40, ops in ops()) {
        let events = with_rules(&fx, r, r2, rules_at, stage_at);
        let (_d, mut a) = archive();
        a.append(events, now()).unwrap();
        apply_ops(&mut a, &ops, &fx);
        let k = (k as u64).min(a.head().unwrap().seq);
        let cp = scoreledger::integrity::checkpoint::Checkpoint {
            origin: "p".into(),
            size: k,
            root: a.merkle_root(k).unwrap(),
            index: Some(a.index_root(k).unwrap()),
            frontier: vec![],
        };
        let cuts = (1..=13).map(|d| Cut::AsOf(day(d))).chain((1..=5).map(Cut::Round)).chain([Cut::All]);
        for cut in cuts {
            match a.receipt(&Filter::default(), cut, &cp.to_text(), &cp) {
                Ok(receipt) => prop_assert_eq!(receipt.check(&cp), Ok(())),
                Err(e) => prop_assert_eq!(e.kind(), scoreledger::ErrorKind::Input, "{}", e),
            }
        }
    }

    #[test]
    fn a_batch_sealed_apart_writes_what_one_sealed_a_parcel_at_a_time_does(fx in many_fixtures(), r in rules(), rules_at in 0usize..400, ops in prop::collection::vec(ops(), 1..4)) {
        prop_assume!(fx.len() > 300);
        // Compensating events between the results, each after the result
        // it changes, many after a parcel handed out to be sealed.
        let mut events: Vec<Event> = fx.iter().map(event).collect();
        events.insert(rules_at.min(events.len()), Event::Rules(r));
        for ops in &ops {
            events.extend(ops.iter().filter_map(|op| op_event(op, &fx)));
        }
        let (_d1, mut whole) = archive();
        let one = whole.append_skipping_refused(events.clone(), now()).unwrap();
        let (_d2, mut parts) = archive();
        let mut appended = Vec::new();
        let mut refused = Vec::new();
        for (i, part) in events.chunks(200).enumerate() {
            let r = parts.append_skipping_refused(part.to_vec(), now()).unwrap();
            appended.extend(r.appended.iter().map(|a| (a.index + i * 200, a.seq, a.hash)));
            refused.extend(r.refused.iter().map(|(index, why)| (index + i * 200, why.clone())));
        }
        let whole_appended: Vec<_> = one.appended.iter().map(|a| (a.index, a.seq, a.hash)).collect();
        prop_assert_eq!(whole_appended, appended);
        prop_assert_eq!(one.refused, refused);
        prop_assert_eq!(dump(&whole, Space::Log), dump(&parts, Space::Log));
        prop_assert_eq!(dump_derived(&whole), dump_derived(&parts));
        prop_assert!(whole.verify().is_ok());
    }

    #[test]
    fn events_round_trip_through_canonical_bytes(
        comp in "\\PC{1,20}", season in "[0-9]{4}(-[0-9]{2})?", stage in "\\PC{1,20}", home in "\\PC{1,30}", away in "\\PC{1,30}",
        round in prop::option::of(1u32..), hg in any::<u16>(), ag in any::<u16>(), ht in prop::option::of((any::<u16>(), any::<u16>())),
        y in 1i32..=9999, m in 1u8..=12, dd in 1u8..=28, neutral in any::<bool>(),
    ) {
        let mut r = MatchResult::new(scoreledger::Fixture { competition: &comp, season: &season, stage: &stage, round, date: Date::from_ymd(y, m, dd).unwrap(), home: &home, away: &away }, hg, ag);
        r.half_time = ht.map(|(home, away)| ScorePair { home, away });
        r.neutral = neutral;
        let e = Event::MatchResult(r);
        let bytes = encode_event(&e);
        prop_assert_eq!(decode_event(&bytes).unwrap(), e.clone());
        let json = serde_json::to_string(&e).unwrap();
        prop_assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), e);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_decoder(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = decode_event(&bytes);
        let _ = scoreledger::testing::encoding::split_envelope(&bytes);
    }
}

/// Every byte of every stored event of the 1984 archive, flipped one at a
/// time: verification fails and names that event; restoring it passes again.
#[test]
fn any_flipped_byte_fails_verification() {
    let (_d, mut a) = archive();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/1984-copa-peru.txt"
    ))
    .unwrap();
    let parsed = scoreledger::import::season_page::parse(
        &text,
        &scoreledger::import::season_page::Options {
            points_for_win: Some(2),
            ..Default::default()
        },
        scoreledger::import::Invalid::Refuse,
    )
    .unwrap();
    scoreledger::import::append_parsed(&mut a, parsed, None, now()).unwrap();
    // The one chunk of the log: every byte, framing included, belongs to one event.
    let key = scoreledger::testing::keys::chunk(0);
    let chunk = a.store().get(Space::Log, &key).unwrap().unwrap();
    // The header (the hash before seq 1) belongs to seq 1; then each entry to its seq.
    let mut owner = vec![1u64; 32];
    for e in scoreledger::testing::packed::events(0, &chunk) {
        let raw = e.unwrap();
        let body = 40 + raw.event_bytes.len();
        let len_bytes = if body < 128 { 1 } else { 2 };
        owner.extend(std::iter::repeat_n(raw.seq, len_bytes + body));
    }
    assert_eq!(owner.len(), chunk.len());
    assert_eq!(owner.last(), Some(&23));
    let mut flips = 0;
    for (i, &seq) in owner.iter().enumerate() {
        for mask in [0x01u8, 0x80] {
            let mut bad = chunk.clone();
            bad[i] ^= mask;
            a.store().tamper(Space::Log, &key, &bad).unwrap();
            match a.verify() {
                Err(scoreledger::Error::Corrupt { seq: s, .. }) => {
                    assert_eq!(s, seq, "byte {i} of seq {seq}")
                }
                other => panic!(
                    "flip of byte {i} (mask {mask:#x}) of seq {seq} was not detected: {other:?}"
                ),
            }
            flips += 1;
        }
    }
    a.store().tamper(Space::Log, &key, &chunk).unwrap();
    assert!(flips > 23 * 2 * 70, "{flips}");
    assert_eq!(a.verify().unwrap().events, 23);
}

/// Every derived entry damaged at once: `rebuild` reads none of them and
/// writes them all again, identical to before.
#[test]
fn rebuild_repairs_any_damage_to_derived_entries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/1984-copa-peru.txt"
    ))
    .unwrap();
    let mut a = Archive::open(&path).unwrap();
    let parsed = scoreledger::import::season_page::parse(
        &text,
        &scoreledger::import::season_page::Options {
            points_for_win: Some(2),
            ..Default::default()
        },
        scoreledger::import::Invalid::Refuse,
    )
    .unwrap();
    scoreledger::import::append_parsed(&mut a, parsed, None, now()).unwrap();
    let expect = (all_tables(&a, None), dump_derived(&a));
    for k in dump_derived(&a).into_keys() {
        a.store().tamper(Space::Derived, &k, &[1, 2, 3]).unwrap();
    }
    a.store().tamper(Space::Derived, b"Bjunk", &[9]).unwrap();
    assert!(a.verify_derived().is_err());
    a.rebuild().unwrap();
    drop(a);
    let a = Archive::open(&path).unwrap();
    assert_eq!((all_tables(&a, None), dump_derived(&a)), expect);
    assert_eq!(a.verify().unwrap().events, 23);
    a.verify_derived().unwrap();
}

/// A text of about `len` bytes, from a few kinds of characters (ASCII,
/// accented, two-byte and four-byte letters, an invisible one).
fn sized_text(len: usize, kind: u8) -> String {
    let unit = match kind % 5 {
        0 => "a",
        1 => "é",
        2 => "ж",
        3 => "𝔸",
        _ => "\u{200B}",
    };
    let mut s = String::from("T");
    while s.len() + unit.len() <= len {
        s.push_str(unit);
    }
    s
}

fn edge_size() -> impl Strategy<Value = usize> {
    prop_oneof![
        Just(1usize),
        Just(199),
        Just(200),
        Just(201),
        Just(1_999),
        Just(2_000),
        Just(2_001),
        0usize..300
    ]
}

/// An event with its texts and scores at or near their bounds.
fn edge_event() -> impl Strategy<Value = Event> {
    (
        edge_size(),
        edge_size(),
        any::<u8>(),
        prop_oneof![Just(0u16), Just(149), Just(200), Just(201), Just(u16::MAX)],
        0u8..4,
        prop::collection::vec(edge_size(), 0..120),
    )
        .prop_map(|(a, b, kind, goals, which, many)| {
            let name = sized_text(a, kind);
            let text = sized_text(b, kind.wrapping_add(1));
            match which {
                0 => Event::MatchResult(MatchResult::new(
                    scoreledger::Fixture {
                        competition: "Edge Cup",
                        season: "2000",
                        stage: "Final",
                        round: Some(1),
                        date: day(2),
                        home: &name,
                        away: "Other Club",
                    },
                    goals,
                    1,
                )),
                1 => Event::SeasonFacts(scoreledger::SeasonFacts {
                    competition: "Edge Cup".into(),
                    season: "2000".into(),
                    winners: None,
                    top_scorers: many.iter().take(60).map(|&n| sized_text(n, kind)).collect(),
                    top_scorer_goals: Some(goals),
                    previous_season: Some(text),
                    next_season: None,
                    other: many
                        .iter()
                        .enumerate()
                        .map(|(i, &n)| (format!("fact {i}"), sized_text(n, kind)))
                        .collect(),
                }),
                2 => Event::TeamRegistered(scoreledger::TeamRegistration {
                    competition: "Edge Cup".into(),
                    season: "2000".into(),
                    stage: Some("Final".into()),
                    team: name,
                    region: Some(text),
                    location: None,
                }),
                _ => Event::Rules(Rules {
                    competition: name,
                    season: "2000".into(),
                    stage: None,
                    points_for_win: 3,
                    points_for_draw: 1,
                    points_for_loss: 0,
                    tiebreak: vec![],
                }),
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever `append` accepts, at any size up to the limits, reads back,
    /// verifies, exports and imports again into the same chain.
    #[test]
    fn every_accepted_event_reads_back_verifies_and_round_trips(events in prop::collection::vec(edge_event(), 1..12)) {
        let (_d, mut a) = archive();
        let mut accepted = 0;
        for e in events {
            if a.append(vec![e.clone()], now()).is_ok_and(|r| !r.appended.is_empty()) {
                accepted += 1;
                let head = a.head().unwrap();
                let back = a.event(head.seq).unwrap().unwrap();
                prop_assert!(scoreledger::testing::encoding::check_event(&back.event).is_ok());
            }
        }
        prop_assert!(a.verify().is_ok());
        prop_assert!(a.verify_derived().is_ok());
        let jsonl: String = a
            .events()
            .map(|e| serde_json::to_string(&e.unwrap()).unwrap() + "\n")
            .collect();
        let (_d2, mut b) = archive();
        scoreledger::import::jsonl::import(&mut b, &jsonl, None, 1000, &mut |_, _| true).unwrap();
        prop_assert_eq!(a.head().unwrap(), b.head().unwrap());
        prop_assert_eq!(b.verify().unwrap().events, accepted);
    }
}
