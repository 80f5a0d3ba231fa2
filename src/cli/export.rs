//! `scoreledger export`

use std::path::PathBuf;

use clap::ValueEnum;
use scoreledger::{Error, ResultsQuery};

const EXAMPLES: &str = "\
Examples:
  scoreledger export --format jsonl --output archive.jsonl
  scoreledger --db copy.db import archive.jsonl    a copy with the same head
  scoreledger export --format csv > results.csv

jsonl: every event envelope (seq, recorded_at, prev, hash, event), one per
line. csv: one row per result (header first), with the score that counts,
the status and the recorded score.";

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Format {
    Jsonl,
    Csv,
}

/// Write the whole archive out.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    force: super::output::ForceArg,
}

/// Every event envelope as one JSON line (what `import` reads back).
pub(super) fn jsonl(archive: &scoreledger::Archive) -> Result<String, Error> {
    let mut text = String::new();
    for env in archive.events() {
        text.push_str(&serde_json::to_string(&env?).map_err(|e| Error::Invalid(e.to_string()))?);
        text.push('\n');
    }
    Ok(text)
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let text = match a.format {
        Format::Jsonl => jsonl(&archive)?,
        Format::Csv => {
            let head = archive.head()?.seq;
            let rows = if head == 0 {
                Vec::new()
            } else {
                archive.at(None)?.results(&ResultsQuery::default())?
            };
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    let (m, e) = (&row.record.result, &row.effective);
                    let pair = |p: Option<scoreledger::model::event::ScorePair>| {
                        p.map(|p| format!("{}-{}", p.home, p.away))
                            .unwrap_or_default()
                    };
                    vec![
                        row.record.id.short(),
                        m.competition.clone(),
                        m.season.clone(),
                        m.stage.clone(),
                        m.group.clone().unwrap_or_default(),
                        m.round.map(|r| r.to_string()).unwrap_or_default(),
                        m.date.to_string(),
                        m.home.clone(),
                        m.away.clone(),
                        e.home_goals.to_string(),
                        e.away_goals.to_string(),
                        row.status.to_string(),
                        format!("{}-{}", m.home_goals, m.away_goals),
                        pair(m.half_time),
                        pair(m.extra_time),
                        pair(m.penalties),
                        row.shootout_winner.clone().unwrap_or_default(),
                        m.neutral.to_string(),
                        row.record.seq.to_string(),
                    ]
                })
                .collect();
            let headers = [
                "id",
                "competition",
                "season",
                "stage",
                "group",
                "round",
                "date",
                "home",
                "away",
                "home_goals",
                "away_goals",
                "status",
                "recorded_score",
                "half_time",
                "extra_time",
                "penalties",
                "shootout_winner",
                "neutral",
                "seq",
            ];
            super::render::csv(&headers, &cells)?
        }
    };
    match a.output {
        Some(p) => super::output::write(db, &p, &text, "the export", &a.force),
        None => crate::answers::print(&text),
    }
}
