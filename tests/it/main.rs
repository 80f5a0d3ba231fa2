//! Every integration test, in one binary: one link instead of two dozen
//! (the test build was most of the time of `scripts/test.sh`). Each module
//! is the file of the same name; `cargo test --test it MODULE::` runs one.

mod common;

mod audit;
mod browser;
mod cli;
mod corrections;
mod durability;
mod editions;
mod everyday;
mod formats;
mod golden;
mod help;
mod layers;
mod league_1990s;
mod migration;
mod misuse;
mod never_brick;
mod nothing_silent;
mod output;
mod passes;
mod pictures;
mod properties;
mod readme;
mod receipts;
mod robustness;
mod rules_catalogue;
mod serve;
mod trust;
