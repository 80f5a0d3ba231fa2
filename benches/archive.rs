//! Criterion benchmarks: import, append (a result, a late result, a
//! correction), standings as of a date (now and as known at a seq), the
//! season report, verify and rebuild.
//!
//! Run: `cargo bench --bench archive`. Synthetic data: double round-robin
//! seasons of 20 teams (380 matches each), generated deterministically.

#![allow(
    missing_docs,
    reason = "criterion_group! makes a pub fn that takes no doc comment"
)]

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use scoreledger::import::{append_parsed, season_page};
use scoreledger::Fixture;
use scoreledger::{
    Archive, Cut, Date, Event, Filter, KnownAt, MatchResult, ResultCorrection, ResultsQuery,
    Timestamp,
};

const SEED: &str = include_str!("../tests/data/1984-copa-peru.txt");

fn now() -> Timestamp {
    Timestamp::parse_rfc3339("2026-11-28T10:00:00Z").unwrap()
}

/// `seasons` double round-robin seasons of 20 teams, 38 rounds, one date per round.
fn league(seasons: u32) -> Vec<Event> {
    let teams: Vec<String> = (0..20).map(|i| format!("Team {i:02}")).collect();
    let mut out = Vec::new();
    let mut x: u64 = 0x2545F4914F6CDD1D;
    for s in 0..seasons {
        let season = format!("{}", 1990 + s);
        for round in 0..38u32 {
            let date = Date::from_ymd(
                1990 + s as i32,
                1 + (round / 4) as u8,
                1 + (round % 4) as u8 * 7,
            )
            .unwrap();
            for k in 0..10usize {
                // Circle method pairing.
                let (a, b) = if k == 0 {
                    (19, (round as usize) % 19)
                } else {
                    (
                        ((round as usize) + k) % 19,
                        ((round as usize) + 19 - k) % 19,
                    )
                };
                let (home, away) = if round < 19 { (a, b) } else { (b, a) };
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                out.push(Event::MatchResult(MatchResult::new(
                    Fixture {
                        competition: "Bench League",
                        season: &season,
                        stage: "Regular season",
                        round: Some(round + 1),
                        date,
                        home: &teams[home],
                        away: &teams[away],
                    },
                    (x % 4) as u16,
                    ((x >> 8) % 3) as u16,
                )));
            }
        }
    }
    out
}

fn fresh() -> (tempfile::TempDir, Archive) {
    let dir = tempfile::tempdir().unwrap();
    let a = Archive::open(&dir.path().join("db")).unwrap();
    (dir, a)
}

fn filled(seasons: u32) -> (tempfile::TempDir, Archive, usize) {
    let (dir, mut a) = fresh();
    let events = league(seasons);
    let n = events.len();
    for chunk in events.chunks(380) {
        a.append(chunk.to_vec(), now()).unwrap();
    }
    (dir, a, n)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("import");
    g.sample_size(10);
    g.bench_function("seed page (23 events, fresh store)", |b| {
        b.iter_batched(
            fresh,
            |(_d, mut a)| {
                let parsed = season_page::parse(
                    SEED,
                    &season_page::Options {
                        points_for_win: Some(2),
                        ..Default::default()
                    },
                    scoreledger::import::Invalid::Refuse,
                )
                .unwrap();
                append_parsed(&mut a, parsed, None, now()).unwrap();
            },
            BatchSize::PerIteration,
        )
    });
    let season = league(1);
    g.throughput(Throughput::Elements(season.len() as u64));
    g.bench_function("one 380-match season, one batch", |b| {
        b.iter_batched(
            fresh,
            |(_d, mut a)| a.append(season.clone(), now()).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("append");
    g.sample_size(20);
    let (_d, mut a, _) = filled(1);
    let mut i = 0u32;
    g.bench_function(
        "one result into a new stage (archive of 380 matches)",
        |b| {
            b.iter(|| {
                i += 1;
                let date = Date::from_ymd(2000, 1, 1).unwrap();
                let m = MatchResult::new(
                    Fixture {
                        competition: "Bench Cup",
                        season: &i.to_string(),
                        stage: "Final",
                        round: Some(1),
                        date,
                        home: "Team 00",
                        away: "Team 01",
                    },
                    1,
                    0,
                );
                a.append(vec![Event::MatchResult(m)], now()).unwrap()
            })
        },
    );
    g.sample_size(10);
    g.bench_function("a late result into a full 380-match season", |b| {
        b.iter_batched(
            || filled(1),
            |(_d, mut a, _)| {
                let date = Date::from_ymd(1990, 1, 2).unwrap();
                let m = MatchResult::new(
                    Fixture {
                        competition: "Bench League",
                        season: "1990",
                        stage: "Regular season",
                        round: Some(1),
                        date,
                        home: "Team 00",
                        away: "Team 05",
                    },
                    1,
                    0,
                );
                a.append(vec![Event::MatchResult(m)], now()).unwrap()
            },
            BatchSize::PerIteration,
        )
    });
    g.sample_size(20);
    let (_d, mut a, _) = filled(1);
    let id = a
        .at(None)
        .unwrap()
        .results(&ResultsQuery::default())
        .unwrap()[0]
        .record
        .id;
    let mut k = 0u16;
    g.bench_function(
        "a correction of one result in a full 380-match season",
        |b| {
            b.iter(|| {
                k += 1;
                let c = ResultCorrection {
                    match_id: id,
                    home_goals: k % 2,
                    away_goals: 1 - k % 2,
                    reason: "bench".into(),
                    source: None,
                };
                a.append(vec![Event::ResultCorrected(c)], now()).unwrap()
            })
        },
    );
    g.finish();

    let mut g = c.benchmark_group("standings");
    let (_d, a, n) = filled(3);
    let f = Filter {
        season: Some("1991".into()),
        ..Filter::default()
    };
    let mid = Cut::AsOf(Date::from_ymd(1991, 5, 15).unwrap());
    g.bench_function("as of a date", |b| {
        b.iter(|| black_box(a.at(None).unwrap().standings(&f, mid).unwrap()))
    });
    g.bench_function("as of a date, known at a seq inside the season", |b| {
        b.iter(|| {
            black_box(
                a.at(Some(KnownAt::Seq(n as u64 / 2)))
                    .and_then(|v| v.standings(&f, mid))
                    .unwrap(),
            )
        })
    });
    g.finish();

    let mut g = c.benchmark_group("pictures");
    let (_d, a, _) = filled(1);
    let f = Filter::default();
    g.bench_function(
        "report of a 20-team, 380-match season (view + HTML + 2 charts)",
        |b| {
            b.iter(|| {
                let v = a.at(None).unwrap().season_view(&f, None).unwrap();
                black_box(scoreledger::pictures::report::html(
                    &v,
                    &a.merkle_root(v.known_at).unwrap(),
                ))
            })
        },
    );
    g.finish();

    let mut g = c.benchmark_group("whole archive");
    g.sample_size(10);
    let (_d, mut a, n) = filled(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("verify 3,800 events", |b| {
        b.iter(|| black_box(a.verify().unwrap()))
    });
    g.bench_function("rebuild 3,800 events", |b| {
        b.iter(|| black_box(a.rebuild().unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
