//! `scoreledger history ID`

use scoreledger::Error;

use super::render::{self, Align};

const EXAMPLES: &str = "\
Examples:
  scoreledger history 762b6f8ebb
  scoreledger history 762b --format json

The id is the one `results` shows; any unique prefix of it will do.";

pub(crate) use super::TableOrJson as Format;

/// Every event that touched a match: seq, recorded_at, hash, what changed.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// Match id (or a unique prefix), as `results` shows it.
    id: String,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let rec = archive.find_match(&a.id)?;
    let entries = archive.history(&rec)?;
    let m = &rec.result;
    let text = match a.format {
        Format::Json => format!("{}\n", crate::answers::json::history(&rec, &entries)),
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
    crate::answers::print(&text)
}
