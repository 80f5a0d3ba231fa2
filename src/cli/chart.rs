//! `scoreledger chart`

use std::path::PathBuf;

use clap::ValueEnum;
use scoreledger::pictures::chart::{self, By, Kind};
use scoreledger::{Archive, Error, Filter};

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

#[derive(Clone, Copy, ValueEnum)]
pub enum ChartKind {
    Positions,
    Points,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ChartBy {
    Round,
    Matchday,
    Date,
}

/// Draw the race for the title as an SVG chart.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
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
    when: super::ViewArgs,
}

pub fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let svg = svg(&archive, &a.filter.filter(), a.kind, a.by, &a.when)?;
    super::output::write(db, &a.output, &svg, "the chart", &a.force)
}

/// The chart as SVG: what `chart` writes and the server serves.
pub fn svg(
    archive: &Archive,
    filter: &Filter,
    kind: ChartKind,
    by: Option<ChartBy>,
    when: &super::ViewArgs,
) -> Result<String, Error> {
    let view = archive.season_view(filter, when.as_of, when.known_at)?;
    let kind = match kind {
        ChartKind::Positions => Kind::Positions,
        ChartKind::Points => Kind::Points,
    };
    let by = match by {
        Some(ChartBy::Round) => By::Round,
        Some(ChartBy::Matchday) => By::Matchday,
        Some(ChartBy::Date) => By::Date,
        None => By::default_for(kind, &view),
    };
    if by == By::Round && view.rounds.is_empty() {
        return Err(Error::Invalid(format!(
            "{} {} {} has no round numbers; use --by matchday or --by date",
            view.info.competition, view.info.season, view.info.stage
        )));
    }
    Ok(chart::svg(&view, kind, by))
}
