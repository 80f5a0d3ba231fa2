//! `scoreledger history ID`

use scoreledger::model::record::MatchRecord;
use scoreledger::{Error, HistoryEntry};
use serde_json::json;

use super::render::{self, Align};

const EXAMPLES: &str = "\
Examples:
  scoreledger history 762b6f8ebb
  scoreledger history 762b --format json

The id is the one `results` shows; any unique prefix of it will do.";

pub use super::TableOrJson as Format;

/// Every event that touched a match: seq, recorded_at, hash, what changed.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// Match id (or a unique prefix), as `results` shows it.
    id: String,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

/// A match's history as JSON: what `--format json` prints and the server
/// serves.
pub fn json(rec: &MatchRecord, entries: &[HistoryEntry]) -> serde_json::Value {
    let m = &rec.result;
    let events: Vec<_> = entries
        .iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "recorded_at": e.recorded_at.to_string(),
                "hash": e.hash.to_hex(),
                "kind": e.kind,
                "change": e.change,
                "reason": e.reason,
                "source": e.source,
            })
        })
        .collect();
    let now = rec.effective(u64::MAX);
    json!({
        "id": rec.id.short(),
        "competition": m.competition,
        "season": m.season,
        "stage": m.stage,
        "round": m.round,
        "date": m.date.to_string(),
        "home": m.home,
        "away": m.away,
        "home_goals": now.home_goals,
        "away_goals": now.away_goals,
        "status": rec.status_word(u64::MAX),
        "shootout_winner": rec.shootout_winner(u64::MAX),
        "events": events,
    })
}

pub fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let rec = archive.find_match(&a.id)?;
    let entries = archive.history(&rec)?;
    let m = &rec.result;
    let text = match a.format {
        Format::Json => format!("{}\n", json(&rec, &entries)),
        Format::Table => {
            let round = m.round.map(|r| format!(" round {r}")).unwrap_or_default();
            let shootout = rec
                .shootout_winner(u64::MAX)
                .map(|w| format!(", won on penalties by {w}"))
                .unwrap_or_default();
            let mut out = format!(
                "match {}: {} {} {}{}, {}: {} v {} ({}{shootout})\n\n",
                rec.id.short(),
                m.competition,
                m.season,
                m.stage,
                round,
                m.date,
                m.home,
                m.away,
                rec.status_word(u64::MAX)
            );
            let rows: Vec<Vec<String>> = entries
                .iter()
                .map(|e| {
                    let why = match (&e.reason, &e.source) {
                        (Some(r), Some(s)) => format!("{r} [source: {s}]"),
                        (Some(r), None) => r.clone(),
                        (None, Some(s)) => format!("[source: {s}]"),
                        (None, None) => String::new(),
                    };
                    vec![
                        e.seq.to_string(),
                        e.recorded_at.to_string(),
                        e.hash.to_hex(),
                        e.change.clone(),
                        why,
                    ]
                })
                .collect();
            let headers = [
                ("seq", Align::Right),
                ("recorded_at", Align::Left),
                ("hash", Align::Left),
                ("change", Align::Left),
                ("reason", Align::Left),
            ];
            out.push_str(&render::table(&headers, &rows));
            out
        }
    };
    super::print(&text)
}
