//! A self-contained HTML page for one stage of a season: facts, the final
//! table, the charts, the table after each round, and every result. Written
//! as well-formed XHTML-compatible HTML, so any XML parser can read it.

use std::fmt::Write;

use crate::format::chain::Hash;
use crate::pictures::chart::{self, esc, By, Kind};
use crate::projection::projector::Row;
use crate::projection::season::SeasonView;

const STYLE: &str = "body{font-family:Helvetica,Arial,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}\
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}\
table{border-collapse:collapse;margin:.5em 0}td,th{padding:.25em .6em;border-bottom:1px solid #eee;text-align:right}\
td.l,th.l{text-align:left}tr:nth-child(even) td{background:#fafafa}.muted{color:#777;font-size:.9em}\
details{margin:.3em 0}summary{cursor:pointer;font-weight:bold}code{font-size:.85em;word-break:break-all}\
.chart{overflow-x:auto}.note{color:#a33}";

/// `+6`, `0`, `-2`.
pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// A table; with a `PPG` column where it is ranked on points per game.
fn table_html(out: &mut String, rows: &[Row], per_game: bool) {
    let adj = rows.iter().any(|r| r.adjustment != 0);
    out.push_str("<table><thead><tr><th>Pos</th><th class=\"l\">Team</th><th>P</th><th>W</th><th>D</th><th>L</th><th>GF</th><th>GA</th><th>GD</th>");
    if adj {
        out.push_str("<th>Adj</th>");
    }
    out.push_str("<th>Pts</th>");
    if per_game {
        out.push_str("<th>PPG</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for r in rows {
        let _ = write!(
            out,
            "<tr><td>{}{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            r.pos,
            if r.shared { "=" } else { "" },
            esc(&r.team),
            r.played,
            r.won,
            r.drawn,
            r.lost,
            r.goals_for,
            r.goals_against,
            signed(r.goal_difference)
        );
        if adj {
            let _ = write!(out, "<td>{}</td>", signed(r.adjustment));
        }
        let _ = write!(out, "<td><b>{}</b></td>", r.points);
        if per_game {
            let ppg = crate::model::rules::points_per_game(r.points, r.played);
            let _ = write!(out, "<td>{ppg:.3}</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// Strips the XML prolog-free SVG of its trailing newline for inlining.
fn inline(svg: &str) -> &str {
    svg.trim_end()
}

/// The season's facts, as a table.
fn facts_html(out: &mut String, f: &crate::model::event::SeasonFacts) {
    out.push_str("<h2>Season</h2><table>");
    let mut fact = |k: &str, val: String| {
        let _ = write!(
            out,
            "<tr><th class=\"l\">{}</th><td class=\"l\">{}</td></tr>",
            esc(k),
            esc(&val)
        );
    };
    if let Some(w) = &f.winners {
        fact("Winners", w.clone());
    }
    if !f.top_scorers.is_empty() {
        let goals = f
            .top_scorer_goals
            .map(|g| format!(" ({g} goals)"))
            .unwrap_or_default();
        fact(
            "Top scorers",
            format!("{}{goals}", f.top_scorers.join(", ")),
        );
    }
    if let Some(p) = &f.previous_season {
        fact("Previous season", p.clone());
    }
    if let Some(n) = &f.next_season {
        fact("Next season", n.clone());
    }
    for (k, val) in &f.other {
        fact(k, val.clone());
    }
    out.push_str("</table>");
}

/// Every result, by round, with corrections, awards and annulments noted.
fn results_html(out: &mut String, v: &SeasonView) {
    out.push_str("<h2>Results</h2>");
    let mut current: Option<Option<u32>> = None;
    let mut open = false;
    let mut by_round: Vec<&crate::projection::query::ResultRow> = v.results.iter().collect();
    by_round.sort_by_key(|r| (r.record.result.round, r.record.result.date, r.record.seq));
    for row in by_round {
        let m = &row.record.result;
        if current != Some(m.round) {
            if open {
                out.push_str("</tbody></table>");
            }
            let heading = m
                .round
                .map(|r| format!("Round {r}"))
                .unwrap_or_else(|| "Without a round".into());
            let _ = write!(out, "<h3>{heading}</h3><table><tbody>");
            current = Some(m.round);
            open = true;
        }
        let e = &row.effective;
        let note = match (row.status, &e.reason) {
            ("played", _) => String::new(),
            (s, Some(reason)) => {
                format!("{s} (recorded {}-{}): {reason}", m.home_goals, m.away_goals)
            }
            (s, None) => s.to_string(),
        };
        let _ = write!(
            out,
            "<tr><td class=\"l\">{}</td><td>{}</td><td class=\"l\"><b>{}-{}</b></td><td class=\"l\">{}</td><td class=\"l note\">{}</td><td class=\"l muted\">{}</td></tr>",
            m.date,
            esc(&m.home),
            e.home_goals,
            e.away_goals,
            esc(&m.away),
            esc(&note),
            row.record.id.short()
        );
    }
    if open {
        out.push_str("</tbody></table>");
    }
}

/// The page. `merkle_root` is the root of the archive's first `known_at`
/// events, printed with the head hash so the page names what it was built from.
pub fn html(v: &SeasonView, merkle_root: &Hash) -> String {
    let name = format!(
        "{} {} · {}",
        v.info.competition, v.info.season, v.info.stage
    );
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/><title>{}</title><style>{STYLE}</style></head><body>",
        esc(&name)
    );
    let _ = write!(out, "<h1>{}</h1>", esc(&name));
    let _ = write!(
        out,
        "<p class=\"muted\">{}Built from the archive as known at event {} · head <code>{}</code> · Merkle root <code>{}</code> · {} for a win, {} for a draw, {} for a loss · tie-break {}</p>",
        v.as_of.map(|d| format!("As of {d}. ")).unwrap_or_default(),
        v.known_at,
        v.head,
        merkle_root,
        v.scoring.win,
        v.scoring.draw,
        v.scoring.loss,
        crate::model::rules::tiebreak_list(&v.scoring.order)
    );
    if let Some(f) = &v.facts {
        facts_html(&mut out, f);
    }
    out.push_str("<h2>Table</h2>");
    let per_game = v
        .scoring
        .order
        .contains(&crate::model::rules::Tiebreak::PointsPerGame);
    table_html(&mut out, &v.table, per_game);
    out.push_str("<h2>The race</h2>");
    if !v.rounds.is_empty() || !v.matchdays.is_empty() {
        let _ = write!(
            out,
            "<div class=\"chart\">{}</div>",
            inline(&chart::svg(
                v,
                Kind::Positions,
                By::default_for(Kind::Positions, v)
            ))
        );
    }
    if !v.dates.is_empty() {
        let _ = write!(
            out,
            "<div class=\"chart\">{}</div>",
            inline(&chart::svg(v, Kind::Points, By::Date))
        );
    }
    if !v.rounds.is_empty() {
        out.push_str("<h2>After each round</h2>");
        for (r, rows) in &v.rounds {
            let _ = write!(out, "<details><summary>After round {r}</summary>");
            table_html(&mut out, rows, false);
            out.push_str("</details>");
        }
    }
    results_html(&mut out, v);
    out.push_str("<p class=\"muted\">Made by scoreledger. Check this page against the archive: <code>scoreledger verify</code>, and the head above with <code>scoreledger head</code>.</p></body></html>\n");
    out
}
