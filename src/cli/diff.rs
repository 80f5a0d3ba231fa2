//! `scoreledger diff --from WHEN --to WHEN`

use scoreledger::{Error, When};

use super::render::{self, Align};
use super::FilterArgs;

const EXAMPLES: &str = "\
Examples:
  scoreledger diff --from 1984-12-05 --to 1984-12-09
  scoreledger diff --from round:1 --to round:5 --format json
  scoreledger diff --from seq:22 --to seq:23      what one event changed

WHEN is a date (results played on or before it), round:N (after rounds 1 to N)
or seq:N (the whole table as the archive stood after event N).";

pub(crate) use super::TableOrJson as Format;

/// How a table moved between two points in time.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    filter: FilterArgs,
    /// The earlier view: a date, round:N or seq:N.
    #[arg(long, value_name = "WHEN")]
    from: When,
    /// The later view: a date, round:N or seq:N.
    #[arg(long, value_name = "WHEN")]
    to: When,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

fn arrow(moved: Option<i64>) -> String {
    match moved {
        Some(n) if n > 0 => format!("↑{n}"),
        Some(n) if n < 0 => format!("↓{}", -n),
        Some(_) => "=".into(),
        None => String::new(),
    }
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let d = archive.diff(&a.filter.filter(), a.from, a.to)?;
    let text = match a.format {
        Format::Json => format!("{}\n", crate::answers::json::diff(&d, a.from, a.to)),
        Format::Table => {
            let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
            let rows: Vec<Vec<String>> = d
                .rows
                .iter()
                .map(|r| {
                    let (f, t) = (r.from.as_ref(), r.to.as_ref());
                    let pos = |x: Option<&scoreledger::Row>| {
                        opt(x.map(|x| format!("{}{}", x.pos, if x.shared { "=" } else { "" })))
                    };
                    vec![
                        r.team.clone(),
                        pos(f),
                        pos(t),
                        arrow(r.moved()),
                        opt(f.map(|x| x.points.to_string())),
                        opt(t.map(|x| x.points.to_string())),
                        opt(f.zip(t).map(|(f, t)| render::signed(t.points - f.points))),
                        opt(f.map(|x| render::signed(x.goal_difference))),
                        opt(t.map(|x| render::signed(x.goal_difference))),
                    ]
                })
                .collect();
            let headers = [
                ("Team", Align::Left),
                ("Pos", Align::Right),
                ("->", Align::Right),
                ("Move", Align::Left),
                ("Pts", Align::Right),
                ("->", Align::Right),
                ("+/-", Align::Right),
                ("GD", Align::Right),
                ("->", Align::Right),
            ];
            format!(
                "{} {} · {} · from {} to {}\n\n{}",
                d.to.competition,
                d.to.season,
                d.to.stage,
                a.from,
                a.to,
                render::table(&headers, &rows)
            )
        }
    };
    crate::answers::print(&text)
}
