//! `scoreledger rules`

use scoreledger::model::rules::{parse_tiebreaks, tiebreak_list, DEFAULT_TIEBREAK};
use scoreledger::{Archive, Error, Event, Rules, RulesSource, StatedRules};
use serde_json::json;

const EXAMPLES: &str = "\
Examples:
  scoreledger rules --competition 'Copa Perú' --season 1984 --points-for-win 2
  scoreledger rules --competition 'Copa Perú' --season 1984 \\
      --tiebreak points,goal-average
  scoreledger rules --competition 'Copa Perú' --season 1984   the rules in force

Tie-breaks: points, goal-difference, goals-for, goal-average, head-to-head
(the matches among the level teams, applied again to any still level, as
UEFA does), head-to-head-once (not applied again, as FIFA's World Cup),
wins, away-goals, fair-play (separates only teams whose fair-play points
the archive holds), points-per-game (a season cut short; it replaces
points). Points always come first if left out. Rules for a stage
(--stage) take precedence over the season's. Settings left out keep the
value in force at that scope (a stage's own rules, else its season's, else
3/1/0 and points,goal-difference,goals-for), and every change prints what it
changes. A competition, season or stage the archive does not know is refused
as a likely typo unless --new-competition, --new-season or --new-stage.";

/// Set (or show) the points and tie-break order of a season or stage.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    scope: crate::answers::scope::SeasonScope,
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
    /// Output format when showing the rules in force.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub(super) use super::TableOrJson as Format;

/// A tie-break order as one argument.
#[derive(Clone)]
pub(super) struct Order(Vec<scoreledger::model::rules::Tiebreak>);

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

/// Where the catalogue's entry for rules taken from it comes from.
fn catalogue_source(rules: &Rules, source: &str) -> Option<&'static str> {
    if source != "catalogue" {
        return None;
    }
    scoreledger::model::catalogue::entry_of(rules).map(|e| e.source.as_str())
}

/// The rules of a scope that has none recorded: 3/1/0 and the default order.
fn default_rules(a: &Args) -> Rules {
    Rules {
        competition: a.scope.competition.clone(),
        season: a.scope.season.clone(),
        stage: a.scope.stage.clone(),
        points_for_win: 3,
        points_for_draw: 1,
        points_for_loss: 0,
        tiebreak: DEFAULT_TIEBREAK.to_vec(),
    }
}

fn show(archive: &Archive, a: &Args, current: Option<(u64, Rules)>) -> Result<(), Error> {
    let (seq, rules, (said, name)) = match current {
        Some((seq, r)) => (
            Some(seq),
            r,
            crate::answers::json::source_words(archive.rules_source(seq)?),
        ),
        None => (
            None,
            default_rules(a),
            ("none recorded: the default", "default"),
        ),
    };
    let text = match a.format {
        Format::Json => format!(
            "{}\n",
            json!({
                "competition": rules.competition,
                "season": rules.season,
                "stage": rules.stage,
                "points_for_win": rules.points_for_win,
                "points_for_draw": rules.points_for_draw,
                "points_for_loss": rules.points_for_loss,
                "tiebreak": rules.tiebreak,
                "source": name,
                "catalogue_source": catalogue_source(&rules, name),
                "seq": seq,
                "applies_to": a.scope.stage,
            })
        ),
        Format::Table => format!(
            "{}\nsource: {said}{}{}\n{}",
            describe(&rules),
            seq.map(|s| format!(", seq {s}")).unwrap_or_default(),
            match (&a.scope.stage, &rules.stage) {
                (Some(stage), None) if seq.is_some() =>
                    format!(" (the season's rules: {stage} has none of its own)"),
                _ => String::new(),
            },
            catalogue_source(&rules, name)
                .map(|s| format!("catalogue: {s}\n"))
                .unwrap_or_default()
        ),
    };
    crate::answers::print(&text)
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let changing = a.points_for_win.is_some()
        || a.points_for_draw.is_some()
        || a.points_for_loss.is_some()
        || a.tiebreak.is_some();
    let mut archive = if changing {
        db.open()?
    } else {
        db.open_existing()?
    };
    let current = in_force(&archive, &a)?;
    if !changing {
        return show(&archive, &a, current);
    }
    a.scope.check_known(&archive)?;
    let base = current
        .clone()
        .map_or_else(|| default_rules(&a), |(_, r)| r);
    let rules = Rules {
        competition: a.scope.competition.clone(),
        season: a.scope.season.clone(),
        stage: a.scope.stage.clone(),
        points_for_win: a.points_for_win.unwrap_or(base.points_for_win),
        points_for_draw: a.points_for_draw.unwrap_or(base.points_for_draw),
        points_for_loss: a.points_for_loss.unwrap_or(base.points_for_loss),
        tiebreak: a.tiebreak.map(|o| o.0).unwrap_or(base.tiebreak.clone()),
    };
    let event = Event::RulesStated(StatedRules {
        rules: rules.clone(),
        source: RulesSource::User,
    });
    let at = super::stamp(&mut archive)?;
    let report = archive.append(vec![event], at)?;
    let text = match report.appended.first() {
        Some(ap) => format!(
            "recorded seq {} {}\n{}\nchanges the rules: {} -> {} ({} -> seq {})\n",
            ap.seq,
            ap.hash,
            describe(&rules),
            current
                .as_ref()
                .map_or_else(|| short(&base), |(_, r)| short(r)),
            short(&rules),
            current.as_ref().map_or_else(
                || "the default".to_string(),
                |(seq, _)| format!("seq {seq}")
            ),
            ap.seq
        ),
        None => format!("unchanged: {}\n", describe(&rules)),
    };
    crate::answers::print(&text)
}

/// The rules in force at the scope, as a table there would use them: a
/// stage's own, else its season's (the order `standings` follows).
fn in_force(archive: &Archive, a: &Args) -> Result<Option<(u64, Rules)>, Error> {
    let (c, s) = (&a.scope.competition, &a.scope.season);
    if let Some(stage) = a.scope.stage.as_deref() {
        if let Some(own) = archive.rules_at_scope(c, s, Some(stage))? {
            return Ok(Some(own));
        }
    }
    archive.rules_at_scope(c, s, None)
}

/// Points and order in one word each: `2/1/0 points,goal-average`.
pub(super) fn short(r: &Rules) -> String {
    format!(
        "{}/{}/{} {}",
        r.points_for_win,
        r.points_for_draw,
        r.points_for_loss,
        tiebreak_list(&r.tiebreak)
    )
}
