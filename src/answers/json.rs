//! Query results as the JSON both front ends give: `--format json` prints
//! it and the server serves it.

use scoreledger::import::editions::OTHER_MATCHES;
use scoreledger::model::record::MatchRecord;
use scoreledger::model::rules::Tiebreak;
use scoreledger::{Diff, HistoryEntry, ResultRow, RulesSource, Standings, When};
use serde_json::json;

/// The head as JSON: what `--format json` prints and the server serves.
pub(crate) fn head(head: &scoreledger::Head) -> serde_json::Value {
    serde_json::json!({ "seq": head.seq, "hash": head.hash.to_hex() })
}

/// The adjustments a row counts, for its JSON (a deduction whose source
/// gives no date says so: `date_unknown`).
fn row_adjustments(s: &Standings, team: &str) -> Vec<serde_json::Value> {
    s.adjustments
        .iter()
        .filter(|a| scoreledger::model::names::same(&a.team, team))
        .map(|a| {
            json!({
                "points": a.points,
                "date": a.date.to_string(),
                "date_unknown": a.reason.contains(scoreledger::import::DATE_UNKNOWN),
                "reason": a.reason,
            })
        })
        .collect()
}

pub(crate) fn standings(s: &Standings) -> serde_json::Value {
    json!({
        "competition": s.competition,
        "season": s.season,
        "stage": s.stage,
        "as_of": s.as_of.map(|d| d.to_string()),
        "round": s.round,
        "known_at": s.known_at,
        "head": s.head.to_hex(),
        "league_table": s.stage != OTHER_MATCHES,
        "started": s.rows.iter().any(|r| r.played > 0),
        "rules": json!({
            "points_for_win": s.scoring.win,
            "points_for_draw": s.scoring.draw,
            "points_for_loss": s.scoring.loss,
            "tiebreak": s.scoring.order,
            "source": s.rules.map_or("default", |(_, src)| source_words(src).1),
            "seq": s.rules.map(|(seq, _)| seq),
        }),
        "later_adjustments": s.later_adjustments.iter().map(|a| json!({
            "team": a.team,
            "points": a.points,
            "date": a.date.to_string(),
            "date_unknown": a.reason.contains(scoreledger::import::DATE_UNKNOWN),
            "reason": a.reason,
        })).collect::<Vec<_>>(),
        "rows": s.rows.iter().map(|r| json!({
            "pos": r.pos,
            "team": r.team,
            "played": r.played,
            "won": r.won,
            "drawn": r.drawn,
            "lost": r.lost,
            "goals_for": r.goals_for,
            "goals_against": r.goals_against,
            "goal_difference": r.goal_difference,
            "points": r.points,
            "adjustment": r.adjustment,
        })).zip(&s.decided_by).map(|(mut row, by)| {
            if let Some(by) = by {
                row["decided_by"] = by.name().into();
            }
            if s.scoring.order.contains(&Tiebreak::PointsPerGame) {
                let (pts, played) = (row["points"].as_i64().unwrap_or(0), row["played"].as_u64().unwrap_or(0));
                row["points_per_game"] = json!(scoreledger::model::rules::points_per_game(pts, played as u32));
            }
            if s.scoring.order.contains(&Tiebreak::GoalAverage) {
                let (gf, ga) = (row["goals_for"].as_u64().unwrap_or(0), row["goals_against"].as_u64().unwrap_or(0));
                row["goal_average"] = ratio(gf as u32, ga as u32).map_or(json!(null), |r| json!(r));
            }
            let adj = row_adjustments(s, row["team"].as_str().unwrap_or_default());
            if !adj.is_empty() {
                row["adjustments"] = adj.into();
            }
            row
        }).collect::<Vec<_>>(),
    })
}

/// Goal average as the projector ranks it: `gf/ga`, 0/0 counting as 1;
/// `None` (infinite) for goals without any conceded.
pub(crate) fn ratio(gf: u32, ga: u32) -> Option<f64> {
    match (gf, ga) {
        (0, 0) => Some(1.0),
        (_, 0) => None,
        _ => Some(gf as f64 / ga as f64),
    }
}

/// The results as JSON: what `--format json` prints and the server serves.
pub(crate) fn results(rows: &[ResultRow]) -> serde_json::Value {
    let arr: Vec<_> = rows
        .iter()
        .map(|row| {
            let (r, e) = (&row.record.result, &row.effective);
            json!({
                "id": row.record.id.short(),
                "competition": r.competition,
                "season": r.season,
                "stage": r.stage,
                "round": r.round,
                "date": r.date.to_string(),
                "home": r.home,
                "away": r.away,
                "home_goals": e.home_goals,
                "away_goals": e.away_goals,
                "seq": row.record.seq,
                "status": row.status,
                "counts": e.counts,
                "recorded_score": format!("{}-{}", r.home_goals, r.away_goals),
                "reason": e.reason,
                "shootout_winner": row.shootout_winner,
            })
        })
        .collect();
    serde_json::Value::Array(arr)
}

/// A match's history as JSON: what `--format json` prints and the server
/// serves.
pub(crate) fn history(rec: &MatchRecord, entries: &[HistoryEntry]) -> serde_json::Value {
    let m = &rec.result;
    let events: Vec<_> = entries
        .iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "recorded_at": e.recorded_at.to_string(),
                "hash": e.hash.to_hex(),
                "kind": e.kind,
                "change": e.change,
                "reason": e.reason,
                "source": e.source,
            })
        })
        .collect();
    let now = rec.effective(u64::MAX);
    json!({
        "id": rec.id.short(),
        "competition": m.competition,
        "season": m.season,
        "stage": m.stage,
        "round": m.round,
        "date": m.date.to_string(),
        "home": m.home,
        "away": m.away,
        "home_goals": now.home_goals,
        "away_goals": now.away_goals,
        "status": rec.status_word(u64::MAX),
        "shootout_winner": rec.shootout_winner(u64::MAX),
        "events": events,
    })
}

/// The diff as JSON: what `--format json` prints and the server serves.
pub(crate) fn diff(d: &Diff, from: When, to: When) -> serde_json::Value {
    let rows: Vec<_> = d
        .rows
        .iter()
        .map(|r| {
            let f = r.from.as_ref();
            let t = r.to.as_ref();
            json!({
                "team": r.team,
                "pos_from": f.map(|x| x.pos),
                "pos_to": t.map(|x| x.pos),
                "moved": r.moved(),
                "points_from": f.map(|x| x.points),
                "points_to": t.map(|x| x.points),
                "points_change": f.zip(t).map(|(f, t)| t.points - f.points),
                "goal_difference_from": f.map(|x| x.goal_difference),
                "goal_difference_to": t.map(|x| x.goal_difference),
                "goal_difference_change": f.zip(t).map(|(f, t)| t.goal_difference - f.goal_difference),
            })
        })
        .collect();
    json!({
        "competition": d.to.competition,
        "season": d.to.season,
        "stage": d.to.stage,
        "from": from.to_string(),
        "to": to.to_string(),
        "from_known_at": d.from.known_at,
        "to_known_at": d.to.known_at,
        "rows": rows,
    })
}

/// Where rules came from, in words and as JSON names it: `source` is
/// `None` for a rules event that does not say.
pub(crate) fn source_words(source: Option<RulesSource>) -> (&'static str, &'static str) {
    match source {
        Some(s) => (
            s.describe(),
            match s {
                RulesSource::File => "file",
                RulesSource::User => "user",
                RulesSource::Era => "era",
                RulesSource::Catalogue => "catalogue",
            },
        ),
        None => ("source not recorded", "not_recorded"),
    }
}
