//! Charts and the season report, as `chart` and `report` write them and
//! the server serves them.

use clap::ValueEnum;
use scoreledger::pictures::chart::{self, By, Kind};
use scoreledger::pictures::report;
use scoreledger::{Archive, Error, Filter};

use super::scope::ViewArgs;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ChartKind {
    Positions,
    Points,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ChartBy {
    Round,
    Matchday,
    Date,
}

/// The chart as SVG: what `chart` writes and the server serves.
pub(crate) fn svg(
    archive: &Archive,
    filter: &Filter,
    kind: ChartKind,
    by: Option<ChartBy>,
    when: &ViewArgs,
) -> Result<String, Error> {
    let view = archive.at(when.known_at)?.season_view(filter, when.as_of)?;
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

/// The report page: what `report` writes and the server serves.
pub(crate) fn html(archive: &Archive, filter: &Filter, when: &ViewArgs) -> Result<String, Error> {
    let view = archive.at(when.known_at)?.season_view(filter, when.as_of)?;
    let root = archive.merkle_root(view.known_at)?;
    Ok(report::html(&view, &root))
}
