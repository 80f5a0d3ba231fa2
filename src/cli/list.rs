//! `scoreledger list`

use clap::ValueEnum;
use scoreledger::projection::listing::{ListEntry, ListKind};
use scoreledger::{Error, KnownAt};

use super::render::{self, Align};
use super::FilterArgs;

const EXAMPLES: &str = "\
Examples:
  scoreledger list competitions
  scoreledger list seasons --competition peru
  scoreledger list stages --season 1984 --format json
  scoreledger list teams --competition 'Copa Perú'

Each line counts the matches recorded (counted or not) and the first and last
match dates. Filters match names as everywhere else: case and accents
ignored, a word or a part of a name when only one fits.";

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum What {
    Competitions,
    Seasons,
    Stages,
    Teams,
}

pub(super) use super::TableOrJson as Format;

/// List what the archive holds: competitions, seasons, stages or teams.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// What to list.
    #[arg(value_enum)]
    what: What,
    #[command(flatten)]
    filter: FilterArgs,
    /// As the archive stood after event SEQ, or at an RFC 3339 instant.
    #[arg(long, value_name = "SEQ|TIMESTAMP")]
    known_at: Option<KnownAt>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let kind = match a.what {
        What::Competitions => ListKind::Competitions,
        What::Seasons => ListKind::Seasons,
        What::Stages => ListKind::Stages,
        What::Teams => ListKind::Teams,
    };
    let entries = archive.at(a.known_at)?.list(kind, &a.filter.filter())?;
    let text = match a.format {
        Format::Json => {
            serde_json::to_string_pretty(&entries).map_err(|e| Error::Invalid(e.to_string()))?
                + "\n"
        }
        Format::Table => table(kind, &entries),
    };
    crate::answers::print(&text)
}

fn table(kind: ListKind, entries: &[ListEntry]) -> String {
    let mut headers: Vec<(&str, Align)> = match kind {
        ListKind::Competitions => vec![("competition", Align::Left)],
        ListKind::Seasons => vec![("competition", Align::Left), ("season", Align::Left)],
        ListKind::Stages => vec![
            ("competition", Align::Left),
            ("season", Align::Left),
            ("stage", Align::Left),
        ],
        ListKind::Teams => vec![("team", Align::Left)],
    };
    headers.extend([
        ("matches", Align::Right),
        ("first", Align::Left),
        ("last", Align::Left),
    ]);
    let date =
        |d: Option<scoreledger::Date>| d.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let mut row: Vec<String> = [&e.competition, &e.season, &e.stage, &e.team]
                .into_iter()
                .flatten()
                .cloned()
                .collect();
            row.extend([e.matches.to_string(), date(e.first), date(e.last)]);
            row
        })
        .collect();
    render::table(&headers, &rows)
}
