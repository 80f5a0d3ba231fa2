//! `scoreledger results`

use clap::ValueEnum;
use scoreledger::{Error, ResultsQuery};

use super::render::{self, Align};
use super::FilterArgs;

const EXAMPLES: &str = "\
Examples:
  scoreledger results
  scoreledger results --team 'los espartanos' --as-of 1984-12-09
  scoreledger results --round 2 --format json
  scoreledger results --through-round 3
  scoreledger results --format csv > results.csv

The id column is a short stable match id that correct, award, annul and history
take. Corrected, awarded and annulled matches are marked with their reason;
the score shown is the one that counts. A match decided on penalties shows
the shoot-out's winner beside it (`1-1 (pens: Italy)`; JSON and CSV:
shootout_winner); the shoot-out never counts in a table.";

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Table,
    Json,
    Csv,
}

/// List results, in date order.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    when: crate::answers::scope::ViewArgs,
    /// Only results of round N.
    #[arg(long, value_name = "N")]
    round: Option<u32>,
    /// Only results of rounds 1 to N.
    #[arg(long, value_name = "N", conflicts_with = "round")]
    through_round: Option<u32>,
    /// Only matches of this team (home or away).
    #[arg(long)]
    team: Option<String>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let q = ResultsQuery {
        filter: a.filter.filter(),
        as_of: a.when.as_of,
        round: a.round,
        through_round: a.through_round,
        team: a.team,
    };
    let view = archive.at(a.when.known_at)?;
    let rows = view.results(&q)?;
    if let Some(t) = &q.team {
        let stages = view.matching_stages(&q.filter)?;
        let chosen = view.pick_team(&stages, t)?;
        if !scoreledger::model::names::same(&chosen, t) {
            eprintln!("team: {chosen}");
        }
    }
    let text = match a.format {
        Format::Json => format!("{}\n", crate::answers::json::results(&rows)),
        Format::Table | Format::Csv => {
            let csv = matches!(a.format, Format::Csv);
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|row| {
                    let (r, e) = (&row.record.result, &row.effective);
                    let note = match (row.status, &e.reason) {
                        ("played", _) => String::new(),
                        (s, Some(reason)) if !csv => {
                            format!("{s} (was {}-{}): {reason}", r.home_goals, r.away_goals)
                        }
                        (s, _) => s.to_string(),
                    };
                    let score = format!("{}-{}", e.home_goals, e.away_goals);
                    let mut v = vec![
                        row.record.id.short(),
                        r.date.to_string(),
                        format!("{} {}", r.season, r.stage),
                        r.round.map(|n| n.to_string()).unwrap_or_default(),
                        r.home.clone(),
                        match (&row.shootout_winner, csv) {
                            (Some(w), false) => format!("{score} (pens: {w})"),
                            _ => score,
                        },
                        r.away.clone(),
                        note,
                        row.record.seq.to_string(),
                    ];
                    if csv {
                        v.push(e.reason.clone().unwrap_or_default());
                        v.push(row.shootout_winner.clone().unwrap_or_default());
                    }
                    v
                })
                .collect();
            let mut headers = vec![
                ("id", Align::Left),
                ("date", Align::Left),
                ("stage", Align::Left),
                ("round", Align::Right),
                ("home", Align::Left),
                ("score", Align::Left),
                ("away", Align::Left),
                ("status", Align::Left),
                ("seq", Align::Right),
            ];
            if csv {
                headers.push(("reason", Align::Left));
                headers.push(("shootout_winner", Align::Left));
                let names: Vec<&str> = headers.iter().map(|(h, _)| *h).collect();
                render::csv(&names, &cells)?
            } else if cells.is_empty() {
                "no results match\n".to_string()
            } else {
                render::table(&headers, &cells)
            }
        }
    };
    crate::answers::print(&text)
}
