//! A bounded HTTP load: CLIENTS threads, each with its own keep-alive
//! connection, ask the paths of a file (one per line, in turn) of a server
//! on loopback, until REQUESTS requests in all have been answered or
//! CAP_SECONDS have passed. Prints one JSON line: requests, errors,
//! seconds, throughput, p50 and p99 in milliseconds.
//!
//! cargo bench --bench serve_load -- BASE_URL PATHS_FILE [CLIENTS] [REQUESTS] [CAP_SECONDS]
//!
//! scripts/bench_serve.py runs it against `scoreledger serve` and against
//! Datasette on the same results.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let [base, file, rest @ ..] = args.as_slice() else {
        // Plain `cargo bench` runs every bench with no arguments: this one
        // needs a server, which scripts/bench_serve.py starts.
        eprintln!("serve_load: skipped (it needs a running server: scripts/bench_serve.py runs it as serve_load BASE_URL PATHS_FILE [CLIENTS] [REQUESTS] [CAP_SECONDS])");
        return;
    };
    let number = |i: usize, default: usize| {
        rest.get(i)
            .map_or(default, |s| s.parse().expect("a number"))
    };
    let (clients, requests, cap) = (number(0, 16), number(1, 20_000), number(2, 60));
    let paths: Arc<Vec<String>> = Arc::new(
        std::fs::read_to_string(file)
            .expect("the paths file")
            .lines()
            .map(|l| format!("{base}{l}"))
            .collect(),
    );
    let next = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(cap as u64);
    let start = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|_| {
            let (paths, next, errors) = (paths.clone(), next.clone(), errors.clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .max_idle_connections_per_host(1)
                    .build();
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests || Instant::now() > deadline {
                        return latencies;
                    }
                    let t = Instant::now();
                    let answered = agent
                        .get(&paths[i % paths.len()])
                        .call()
                        .map(|r| r.into_string().is_ok());
                    if !matches!(answered, Ok(true)) {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    latencies.push(t.elapsed());
                }
            })
        })
        .collect();
    let mut all: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    let seconds = start.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{{\"requests\": {}, \"errors\": {}, \"seconds\": {seconds:.3}, \"throughput\": {:.1}, \"p50_ms\": {:.3}, \"p99_ms\": {:.3}, \"clients\": {clients}}}",
        all.len(),
        errors.load(Ordering::Relaxed),
        all.len() as f64 / seconds,
        pct(0.50),
        pct(0.99)
    );
}
