//! `verify` and `rebuild` hand out each stage once the stored stage index
//! says it is finished (`derived::retire`), and redo the pass holding every
//! stage when that hint proves wrong. Whatever the hint, they must check and
//! write exactly what a pass holding everything does.

use std::collections::BTreeMap;

use proptest::prelude::*;
use scoreledger::testing::{keys, packed, Space};
use scoreledger::{
    Archive, Date, Event, MatchResult, PointsAdjustment, ResultCorrection, Rules, SeasonFacts,
    TeamRename, Timestamp,
};

const TEAMS: [&str; 5] = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"];
const STAGES: [&str; 3] = ["North", "South", "Final"];

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-12-06T12:00:00Z").unwrap()
}

fn season_name(s: usize) -> String {
    format!("{}", 2001 + s)
}

/// Result `n` of a stage of a season: its fixture's parts.
struct Fx {
    season: String,
    stage: &'static str,
    n: usize,
}

impl Fx {
    fn new(season: usize, stage: usize, n: usize) -> Fx {
        Fx {
            season: season_name(season),
            stage: STAGES[stage],
            n,
        }
    }

    fn fixture(&self) -> scoreledger::Fixture<'_> {
        let (h, a) = (self.n % 5, (self.n + 1 + self.n / 5) % 5);
        let a = if h == a { (a + 1) % 5 } else { a };
        let year: i32 = self.season.parse().unwrap();
        scoreledger::Fixture {
            competition: "Test League",
            season: &self.season,
            stage: self.stage,
            round: Some(1 + (self.n / 3) as u32),
            date: Date::from_ymd(year, 3, 1 + (self.n % 27) as u8).unwrap(),
            home: TEAMS[h],
            away: TEAMS[a],
        }
    }
}

fn result(season: usize, stage: usize, n: usize) -> Event {
    let fx = Fx::new(season, stage, n);
    Event::MatchResult(MatchResult::new(
        fx.fixture(),
        (n % 4) as u16,
        (n % 3) as u16,
    ))
}

/// Something that happens after a season's last result, to an earlier season.
#[derive(Clone, Debug)]
enum Late {
    /// A correction of result `n` of a stage.
    Correct(usize, usize, usize),
    /// A whole-season points deduction.
    Deduct(usize),
    /// Season facts naming a winner (read by the season's team list).
    Facts(usize, usize),
    /// A rename in the competition (every stage's list).
    Rename(usize),
    /// Rules for the whole season.
    Rules(usize),
}

fn late_event(l: &Late, seasons: usize) -> Event {
    match *l {
        Late::Correct(s, st, n) => {
            let id = keys::match_id(&Fx::new(s % seasons, st, n).fixture());
            Event::ResultCorrected(ResultCorrection {
                match_id: id,
                home_goals: 5,
                away_goals: 5,
                reason: "typo".into(),
                source: None,
            })
        }
        Late::Deduct(s) => Event::PointsAdjusted(PointsAdjustment {
            competition: "Test League".into(),
            season: season_name(s % seasons),
            stage: None,
            team: "Alpha".into(),
            points: -2,
            date: Date::from_ymd(2001 + (s % seasons) as i32, 4, 1).unwrap(),
            reason: "fielded an ineligible player".into(),
            source: None,
        }),
        Late::Facts(s, t) => Event::SeasonFacts(SeasonFacts {
            competition: "Test League".into(),
            season: season_name(s % seasons),
            winners: Some(TEAMS[t % 5].into()),
            top_scorers: Vec::new(),
            top_scorer_goals: None,
            previous_season: None,
            next_season: None,
            other: Vec::new(),
        }),
        Late::Rename(t) => Event::TeamRenamed(TeamRename {
            competition: "Test League".into(),
            from: TEAMS[t % 5].into(),
            to: format!("{} United", TEAMS[t % 5]),
            reason: "merger".into(),
            source: None,
        }),
        Late::Rules(s) => Event::Rules(Rules {
            competition: "Test League".into(),
            season: season_name(s % seasons),
            stage: None,
            points_for_win: 2,
            points_for_draw: 1,
            points_for_loss: 0,
            tiebreak: Vec::new(),
        }),
    }
}

fn late() -> impl Strategy<Value = Late> {
    prop_oneof![
        (0usize..4, 0usize..3, 0usize..4).prop_map(|(s, st, n)| Late::Correct(s, st, n)),
        (0usize..4).prop_map(Late::Deduct),
        (0usize..4, 0usize..5).prop_map(|(s, t)| Late::Facts(s, t)),
        (0usize..5).prop_map(Late::Rename),
        (0usize..4).prop_map(Late::Rules),
    ]
}

/// Seasons in order, each with 1 to 3 stages whose results interleave, and
/// late events after some seasons (`(after season, event)`).
fn events(
    seasons: usize,
    stages: &[usize],
    per_stage: usize,
    lates: &[(usize, Late)],
) -> Vec<Event> {
    let mut out = Vec::new();
    for s in 0..seasons {
        let n_stages = stages[s % stages.len()];
        for n in 0..per_stage {
            for st in 0..n_stages {
                out.push(result(s, st, n));
            }
        }
        for (after, l) in lates {
            if after % seasons == s && s > 0 {
                out.push(late_event(l, s));
            }
        }
    }
    out
}

fn archive() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let a = Archive::open(&dir.path().join("db")).unwrap();
    (dir, a)
}

fn dump_derived(a: &Archive) -> BTreeMap<Vec<u8>, Vec<u8>> {
    a.store().iter(Space::Derived).map(|e| e.unwrap()).collect()
}

/// Appends one event at a time where the archive accepts it (a correction
/// of a match not recorded is refused, and skipped).
fn append_each(a: &mut Archive, events: &[Event]) {
    for e in events {
        let _ = a.append(vec![e.clone()], now());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn passes_that_hand_out_finished_stages_check_and_write_what_holding_every_stage_does(
        seasons in 1usize..5,
        stages in prop::collection::vec(1usize..=3, 1..4),
        per_stage in 1usize..6,
        lates in prop::collection::vec((0usize..5, late()), 0..6),
    ) {
        let events = events(seasons, &stages, per_stage, &lates);
        let (_d, mut a) = archive();
        append_each(&mut a, &events);
        let before = dump_derived(&a);
        prop_assert!(a.verify_all().is_ok());
        a.rebuild().unwrap();
        prop_assert_eq!(&before, &dump_derived(&a));
        prop_assert!(a.verify_all().is_ok());
    }
}

/// The stored header of the first stage's list (by key, `J`) rewritten to
/// claim the stage ended one event before its last: the hint retires it
/// early, its last event breaks the pass, and the pass is redone.
fn claim_first_stage_ended_early(a: &Archive) -> Vec<u8> {
    let (k, v) = a
        .store()
        .scan_prefix(Space::Derived, &[keys::Kind::Index as u8])
        .next()
        .unwrap()
        .unwrap();
    let (mut h, list) = packed::decode_index_header(&v).unwrap();
    let entries = packed::decode_index(list).unwrap();
    assert!(entries.len() >= 2, "the stage has a last event to come");
    h.last_seq = entries[entries.len() - 2].0;
    let mut head = k.clone();
    head[0] = keys::Kind::IndexHead as u8;
    a.store()
        .tamper(Space::Derived, &head, &packed::encode_index_head(&h))
        .unwrap();
    head
}

#[test]
fn a_wrong_hint_costs_a_second_pass_never_a_result() {
    // One season of two stages whose results interleave, then what comes
    // last in the first stage's list: a result of it, a change of one of its
    // matches, or an event every stage of the season or competition lists.
    let cases: [(&str, Vec<Late>); 5] = [
        ("a result", vec![]),
        (
            "a correction",
            vec![Late::Correct(0, 0, 0), Late::Correct(0, 1, 0)],
        ),
        ("a season-wide deduction", vec![Late::Deduct(0)]),
        ("season-wide rules", vec![Late::Rules(0)]),
        ("a rename", vec![Late::Rename(0)]),
    ];
    for (what, lates) in cases {
        let mut events = events(1, &[2], 3, &[]);
        events.extend(lates.iter().map(|l| late_event(l, 1)));
        let (_d, mut a) = archive();
        append_each(&mut a, &events);
        let before = dump_derived(&a);
        let key = claim_first_stage_ended_early(&a);
        match a.verify_all() {
            Err(scoreledger::Error::Mismatch {
                key: named, msg, ..
            }) => {
                assert_eq!(named, hex::encode(&key), "{what}: {msg}");
            }
            other => panic!("{what}: the damaged index entry must be named: {other:?}"),
        }
        a.rebuild().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(before, dump_derived(&a), "{what}");
        assert_eq!(
            a.verify_all().unwrap().events,
            a.head().unwrap().seq,
            "{what}"
        );
    }
}

#[test]
fn season_facts_after_the_seasons_last_result_are_checked_and_rebuilt() {
    // Facts name a winner: they read the season's team list after every
    // stage of the season has ended, which the stage index does not show.
    let mut events = events(2, &[2], 3, &[]);
    events.push(late_event(&Late::Facts(0, 1), 2));
    events.push(late_event(&Late::Facts(1, 0), 2));
    let (_d, mut a) = archive();
    append_each(&mut a, &events);
    let before = dump_derived(&a);
    assert_eq!(a.verify_all().unwrap().events, events.len() as u64);
    a.rebuild().unwrap();
    assert_eq!(before, dump_derived(&a));
}
