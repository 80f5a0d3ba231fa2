//! `scoreledger log`

use clap::ValueEnum;
use scoreledger::Error;

use super::render::{self, Align};

const EXAMPLES: &str = "\
Examples:
  scoreledger log
  scoreledger log --format jsonl | jq -c 'select(.event.match_result)'

One line per event, oldest first: seq, when it was recorded, its hash, its
kind and what it says.";

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Format {
    Table,
    Jsonl,
}

/// Every event with its seq, recorded_at and hash.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    if let Format::Jsonl = a.format {
        return crate::answers::print(&super::export::jsonl(&archive)?);
    }
    let mut rows = Vec::new();
    for env in archive.events() {
        let env = env?;
        rows.push(vec![
            env.seq.to_string(),
            env.recorded_at.to_string(),
            env.hash.to_hex()[..16].to_string(),
            env.event.kind().to_string(),
            env.event.summary(),
        ]);
    }
    let headers = [
        ("seq", Align::Right),
        ("recorded_at", Align::Left),
        ("hash", Align::Left),
        ("kind", Align::Left),
        ("event", Align::Left),
    ];
    crate::answers::print(&render::table(&headers, &rows))
}
