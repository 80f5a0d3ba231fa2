//! What a store holds: entries and bytes in each tree, by the key's first
//! byte (its kind, `schema/keys.md`). Issue 24 asked for sled's entry count
//! at 10M events (BENCHMARKS.md).
//!
//! `cargo run --release --example store_census -- STORE`

use std::collections::BTreeMap;

use scoreledger::testing::Space;

fn main() {
    let path = std::env::args().nth(1).expect("usage: store_census STORE");
    let archive = scoreledger::Archive::open(std::path::Path::new(&path)).expect("a store");
    for (name, space) in [("log", Space::Log), ("derived", Space::Derived)] {
        let mut kinds: BTreeMap<u8, (u64, u64)> = BTreeMap::new();
        for e in archive.store().iter(space) {
            let (k, v) = e.expect("an entry");
            let c = kinds.entry(k.first().copied().unwrap_or(0)).or_default();
            c.0 += 1;
            c.1 += (k.len() + v.len()) as u64;
        }
        let (n, b) = kinds
            .values()
            .fold((0, 0), |(n, b), (n2, b2)| (n + n2, b + b2));
        println!("{name}: {n} entries, {:.1} MiB", b as f64 / 1048576.0);
        for (kind, (n, b)) in kinds {
            let shown = if kind.is_ascii_graphic() {
                (kind as char).to_string()
            } else {
                format!("0x{kind:02x}")
            };
            println!("  {shown}: {n} entries, {:.1} MiB", b as f64 / 1048576.0);
        }
    }
}
