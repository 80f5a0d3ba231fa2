//! `scoreledger chart`

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use scoreledger::chart::{self, Kind};
use scoreledger::Error;

use super::FilterArgs;

const EXAMPLES: &str = "\
Examples:
  scoreledger chart --kind positions --output race.svg
  scoreledger chart --kind points --as-of 1984-12-09 --output points.svg
  scoreledger chart --kind positions --known-at 20 --output - \\
      | rsvg-convert > race.png

positions: a bump chart of the table after each round, first place on top,
one line per team, labelled at both ends. points: cumulative points after
each match date.";

#[derive(Clone, Copy, ValueEnum)]
pub enum ChartKind {
    Positions,
    Points,
}

/// Draw the race for the title as an SVG chart.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    filter: FilterArgs,
    #[arg(long, value_enum, default_value = "positions")]
    kind: ChartKind,
    /// Where to write the SVG (`-` for standard output).
    #[arg(long, value_name = "FILE.svg")]
    output: PathBuf,
    #[command(flatten)]
    force: super::output::ForceArg,
    #[command(flatten)]
    when: super::WhenArgs,
}

pub fn run(db: &Path, a: Args) -> Result<(), Error> {
    let archive = super::open_existing(db)?;
    let view = archive.season_view(&a.filter.filter(), a.when.as_of, a.when.known_at)?;
    let kind = match a.kind {
        ChartKind::Positions => Kind::Positions,
        ChartKind::Points => Kind::Points,
    };
    if kind == Kind::Positions && view.rounds.is_empty() {
        return Err(Error::Invalid(format!(
            "{} {} {} has no round numbers; use --kind points",
            view.info.competition, view.info.season, view.info.stage
        )));
    }
    let svg = chart::svg(&view, kind);
    super::output::write(db, &a.output, &svg, "the chart", &a.force)
}
