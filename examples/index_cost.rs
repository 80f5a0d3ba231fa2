//! What the stage index costs in a store: its entries' bytes, and the time
//! to compute its root at the head and at half the head. Used by
//! `scripts/bench_index.py` (BENCHMARKS.md).
//!
//! `cargo run --release --example index_cost -- STORE`

use std::time::Instant;

use scoreledger::testing::Space;

fn main() {
    let path = std::env::args().nth(1).expect("usage: index_cost STORE");
    let archive = scoreledger::Archive::open(std::path::Path::new(&path)).expect("a store");
    let head = archive.head().expect("a head").seq;
    let (mut entries, mut key_bytes, mut value_bytes, mut listed) = (0u64, 0u64, 0u64, 0u64);
    for e in archive.store().scan_prefix(Space::Derived, b"I") {
        let (k, v) = e.expect("an entry");
        entries += 1;
        key_bytes += k.len() as u64;
        value_bytes += v.len() as u64;
        let (_, list) = scoreledger::testing::packed::decode_index_header(&v).expect("a header");
        listed += scoreledger::testing::packed::decode_index(list)
            .expect("a list")
            .len() as u64;
    }
    let timed = |size: u64| {
        let start = Instant::now();
        let root = archive.index_root(size).expect("a root");
        (root, start.elapsed().as_secs_f64() * 1000.0)
    };
    let (_, at_head) = timed(head);
    let (_, at_half) = timed(head / 2);
    let start = Instant::now();
    let whole = archive.stage_index(head).expect("an index").root();
    let hashed_ms = start.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(whole, archive.index_root(head).expect("a root"));
    println!(
        "{{\"events\": {head}, \"stages\": {entries}, \"listed\": {listed}, \"key_bytes\": {key_bytes}, \"value_bytes\": {value_bytes}, \"bytes_per_event\": {:.2}, \"root_at_head_ms\": {at_head:.2}, \"root_at_half_ms\": {at_half:.2}, \"every_list_hashed_ms\": {hashed_ms:.2}}}",
        (key_bytes + value_bytes) as f64 / head.max(1) as f64
    );
}
