//! Proof size and time on a 1,000,000-event archive.
//!
//! Run: `cargo bench --bench proofs`. The archive is built once (several
//! minutes) under `target/bench-data/1m.db` and reused by later runs; set
//! `SCORELEDGER_BENCH_EVENTS` for another size.

#![allow(
    missing_docs,
    reason = "criterion_group! makes a pub fn that takes no doc comment"
)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use scoreledger::integrity::checkpoint::{verify_inclusion_proof, InclusionProof};
use scoreledger::log::merkle;
use scoreledger::Fixture;
use scoreledger::{Archive, Date, Event, MatchResult, Timestamp};

fn events_wanted() -> u64 {
    std::env::var("SCORELEDGER_BENCH_EVENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000)
}

/// Results of double round-robin seasons of 20 teams, numbered from `from`.
fn results(from: u64, n: u64) -> Vec<Event> {
    (from..from + n)
        .map(|i| {
            let season = i / 380;
            let k = i % 380;
            let (round, slot) = ((k / 10) as u32, k % 10);
            let home = ((round as u64 + slot) % 20) as usize;
            let away = ((round as u64 + 19 - slot) % 20) as usize;
            let away = if away == home { (home + 10) % 20 } else { away };
            let date = Date::from_ymd(
                1000 + (season % 8000) as i32,
                1 + (round / 4) as u8,
                1 + (round % 4) as u8 * 7,
            )
            .unwrap();
            Event::MatchResult(MatchResult::new(
                Fixture {
                    competition: "Bench League",
                    season: &format!("S{season}"),
                    stage: "Regular season",
                    round: Some(round + 1),
                    date,
                    home: &format!("Team {home:02}"),
                    away: &format!("Team {away:02}"),
                },
                (i % 4) as u16,
                (i / 7 % 3) as u16,
            ))
        })
        .collect()
}

fn archive() -> Archive {
    let n = events_wanted();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let mut a = Archive::open(&dir.join(format!("{n}.db"))).unwrap();
    let now = Timestamp::parse_rfc3339("2026-11-28T10:00:00Z").unwrap();
    let mut have = a.head().unwrap().seq;
    let started = std::time::Instant::now();
    while have < n {
        let batch = (n - have).min(1000);
        let r = a.append(results(have, batch), now).unwrap();
        have += r.appended.len() as u64;
        if r.appended.is_empty() {
            break;
        }
    }
    if started.elapsed().as_secs() > 1 {
        eprintln!(
            "built {have} events in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    a
}

fn bench(c: &mut Criterion) {
    let a = archive();
    let size = a.head().unwrap().seq;
    let cp = a.checkpoint("bench").unwrap();
    let proof = a.prove(size / 3, size).unwrap();
    let text = proof.to_text();
    let path_bytes = proof.path.len() * 32;
    let consistency = {
        let old = size / 2 + 1;
        (old, a.merkle_root(old).unwrap())
    };
    eprintln!(
        "size {size}: inclusion path {} hashes ({path_bytes} bytes; {} bytes as text with the envelope); checkpoint {} bytes",
        proof.path.len(),
        text.len(),
        cp.to_text().len()
    );
    let mut g = c.benchmark_group(format!("proofs ({size} events)"));
    g.bench_function("checkpoint (root + frontier)", |b| {
        b.iter(|| black_box(a.checkpoint("bench").unwrap()))
    });
    let mut seq = 0u64;
    g.bench_function("prove one event", |b| {
        b.iter(|| {
            seq = (seq + 7_919) % size + 1;
            black_box(a.prove(seq, size).unwrap())
        })
    });
    g.bench_function("verify-proof offline", |b| {
        b.iter(|| {
            black_box(verify_inclusion_proof(&cp, &InclusionProof::parse(&text).unwrap()).unwrap())
        })
    });
    g.bench_function(
        "consistency proof from half the size, made and checked",
        |b| {
            b.iter(|| {
                let root = a.merkle_root(size).unwrap();
                let p = a.consistency_proof(consistency.0, size).unwrap();
                merkle::verify_consistency(consistency.0, size, &consistency.1, &root, &p).unwrap();
                black_box(p.len())
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
