//! `scoreledger rules`

use std::path::Path;

use scoreledger::rules::{parse_tiebreaks, tiebreak_list, DEFAULT_TIEBREAK};
use scoreledger::{Error, Event, Rules};

const EXAMPLES: &str = "\
Examples:
  scoreledger rules --competition 'Copa Perú' --season 1984 --points-for-win 2
  scoreledger rules --competition 'Copa Perú' --season 1984 \\
      --tiebreak points,goal-average
  scoreledger rules --competition 'Copa Perú' --season 1984   the rules in force

Tie-breaks: points, goal-difference, goals-for, goal-average, head-to-head,
wins, away-goals. Points always come first if left out. Rules for a stage
(--stage) take precedence over the season's. Settings left out keep their
current value (default 3/1/0 and points,goal-difference,goals-for).";

/// Set (or show) the points and tie-break order of a season or stage.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// Competition, as the archive names it (e.g. 'Copa Perú').
    #[arg(long)]
    competition: String,
    /// Season, as the archive names it (e.g. 1984 or 1984-85).
    #[arg(long)]
    season: String,
    /// Only this stage (otherwise every stage of the season).
    #[arg(long)]
    stage: Option<String>,
    /// Points for a win.
    #[arg(long, value_name = "N")]
    points_for_win: Option<u8>,
    /// Points for a draw.
    #[arg(long, value_name = "N")]
    points_for_draw: Option<u8>,
    /// Points for a loss.
    #[arg(long, value_name = "N")]
    points_for_loss: Option<u8>,
    /// Comma-separated order, e.g. points,goal-difference,goals-for.
    #[arg(long, value_name = "ORDER", value_parser = |s: &str| parse_tiebreaks(s).map(Order))]
    tiebreak: Option<Order>,
}

/// A tie-break order as one argument.
#[derive(Clone)]
pub struct Order(Vec<scoreledger::rules::Tiebreak>);

fn describe(r: &Rules) -> String {
    format!(
        "{} {}{}: {} for a win, {} for a draw, {} for a loss; tie-break {}",
        r.competition,
        r.season,
        r.stage
            .as_deref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default(),
        r.points_for_win,
        r.points_for_draw,
        r.points_for_loss,
        tiebreak_list(&r.tiebreak)
    )
}

pub fn run(db: &Path, a: Args) -> Result<(), Error> {
    let mut archive = super::open(db)?;
    let current = archive.rules_at_scope(&a.competition, &a.season, a.stage.as_deref())?;
    let changing = a.points_for_win.is_some()
        || a.points_for_draw.is_some()
        || a.points_for_loss.is_some()
        || a.tiebreak.is_some();
    if !changing {
        let text = match current {
            Some(r) => format!("{}\n", describe(&r)),
            None => format!(
                "{} {}{}: no rules recorded; the default applies (3 for a win, 1 for a draw, 0 for a loss; tie-break {})\n",
                a.competition,
                a.season,
                a.stage.as_deref().map(|s| format!(" ({s})")).unwrap_or_default(),
                tiebreak_list(&DEFAULT_TIEBREAK)
            ),
        };
        return super::print(&text);
    }
    let base = current.unwrap_or(Rules {
        competition: a.competition.clone(),
        season: a.season.clone(),
        stage: a.stage.clone(),
        points_for_win: 3,
        points_for_draw: 1,
        points_for_loss: 0,
        tiebreak: DEFAULT_TIEBREAK.to_vec(),
    });
    let rules = Rules {
        competition: a.competition,
        season: a.season,
        stage: a.stage,
        points_for_win: a.points_for_win.unwrap_or(base.points_for_win),
        points_for_draw: a.points_for_draw.unwrap_or(base.points_for_draw),
        points_for_loss: a.points_for_loss.unwrap_or(base.points_for_loss),
        tiebreak: a.tiebreak.map(|o| o.0).unwrap_or(base.tiebreak),
    };
    let report = archive.append(vec![Event::Rules(rules.clone())], super::now()?)?;
    let text = match report.appended.first() {
        Some(ap) => format!(
            "recorded seq {} {}\n{}\n",
            ap.seq,
            ap.hash,
            describe(&rules)
        ),
        None => format!("unchanged: {}\n", describe(&rules)),
    };
    super::print(&text)
}
