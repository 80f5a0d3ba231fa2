//! `scoreledger chart`

use crate::answers::pictures::{svg, ChartBy, ChartKind};
use std::path::PathBuf;

use scoreledger::Error;

use super::FilterArgs;

const EXAMPLES: &str = "\
Examples:
  scoreledger chart --kind positions --output race.svg
  scoreledger chart --kind points --as-of 1984-12-09 --output points.svg
  scoreledger chart --kind positions --by date --output by-date.svg
  scoreledger chart --kind positions --known-at 20 --output - \\
      | rsvg-convert > race.png

positions: a bump chart of the table, first place on top, one line per team,
labelled at both ends. points: cumulative points. --by round: the table after
each round (rounds 1 to N); matchday: each team after its own n-th match, for
leagues without round numbers; date: after each date with a counted result.
Default: positions by round, or by matchday where the stage has no round
numbers; points by date. A match that does not count (annulled, postponed)
adds no column.";

/// Draw the race for the title as an SVG chart.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    filter: FilterArgs,
    /// positions (a bump chart) or points (cumulative).
    #[arg(long, value_enum, default_value = "positions")]
    kind: ChartKind,
    /// What the horizontal axis steps through (default: see below).
    #[arg(long, value_enum)]
    by: Option<ChartBy>,
    /// Where to write the SVG (`-` for standard output).
    #[arg(long, value_name = "FILE.svg")]
    output: PathBuf,
    #[command(flatten)]
    force: super::output::ForceArg,
    #[command(flatten)]
    when: crate::answers::scope::ViewArgs,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let svg = svg(&archive, &a.filter.filter(), a.kind, a.by, &a.when)?;
    super::output::write(db, &a.output, &svg, "the chart", &a.force)
}
