//! Charts as clean, self-contained SVG: positions by round (a bump chart) and
//! cumulative points by date. Pure: from a [`SeasonView`] to a string.

use std::fmt::Write;

use crate::projection::projector::Row;
use crate::projection::season::SeasonView;

/// Which chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Position after each round, first place on top.
    Positions,
    /// Cumulative points after each match date.
    Points,
}

/// What a chart's horizontal axis steps through.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    /// The table after each round (rounds 1 to N, whenever played).
    Round,
    /// Each team after its own n-th match: for stages without round numbers.
    Matchday,
    /// The table after each date with a counted result or an adjustment.
    Date,
}

impl By {
    fn word(self) -> &'static str {
        match self {
            By::Round => "round",
            By::Matchday => "matchday",
            By::Date => "date",
        }
    }

    fn axis(self) -> &'static str {
        match self {
            By::Round => "Round",
            By::Matchday => "Matchday",
            By::Date => "Date",
        }
    }

    /// The default for a kind of chart of this stage: positions by round
    /// where the stage has round numbers, else by matchday; points by date.
    pub fn default_for(kind: Kind, v: &SeasonView) -> By {
        match kind {
            Kind::Positions if v.rounds.is_empty() => By::Matchday,
            Kind::Positions => By::Round,
            Kind::Points => By::Date,
        }
    }
}

/// The tables a chart steps through, each with its label.
fn columns(v: &SeasonView, by: By) -> Vec<(String, &[Row])> {
    match by {
        By::Round => v
            .rounds
            .iter()
            .map(|(r, rows)| (r.to_string(), &rows[..]))
            .collect(),
        By::Matchday => v
            .matchdays
            .iter()
            .map(|(n, rows)| (n.to_string(), &rows[..]))
            .collect(),
        By::Date => v
            .dates
            .iter()
            .map(|(d, rows)| (d.to_string(), &rows[..]))
            .collect(),
    }
}

/// Escapes text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A colour for team `i` of `n` that stays distinct from its neighbours:
/// a fixed qualitative palette up to 12 teams, spread hues beyond.
pub fn colour(i: usize, n: usize) -> String {
    const PALETTE: [&str; 12] = [
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
        "#bcbd22", "#7f7f7f", "#393b79", "#ad494a",
    ];
    if n <= PALETTE.len() {
        return PALETTE[i % PALETTE.len()].to_string();
    }
    // Golden-angle hues, alternating lightness, so neighbours differ in both.
    let hue = (i as f64 * 137.508) % 360.0;
    let light = if i.is_multiple_of(2) { 38 } else { 55 };
    format!("hsl({hue:.0},70%,{light}%)")
}

fn title(v: &SeasonView, what: &str) -> String {
    let mut t = format!(
        "{} {} · {} — {what}",
        v.info.competition, v.info.season, v.info.stage
    );
    if let Some(d) = v.as_of {
        t.push_str(&format!(" (as of {d})"));
    }
    t
}

fn pos_label(r: &Row) -> String {
    format!("{}{}", r.pos, if r.shared { "=" } else { "" })
}

/// Renders a chart of the stage.
pub fn svg(v: &SeasonView, kind: Kind, by: By) -> String {
    match kind {
        Kind::Positions => positions(v, by),
        Kind::Points => points(v, by),
    }
}

/// Team order used for colours: the latest table's order, stable for a season.
fn teams(v: &SeasonView) -> Vec<String> {
    v.table.iter().map(|r| r.team.clone()).collect()
}

fn header(out: &mut String, width: f64, height: f64, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="Helvetica, Arial, sans-serif" font-size="13" role="img" aria-label="{t}">"#,
        t = esc(title)
    );
    let _ = write!(
        out,
        r##"<title>{t}</title><rect width="100%" height="100%" fill="#ffffff"/>"##,
        t = esc(title)
    );
    let _ = write!(
        out,
        r##"<text x="{x:.0}" y="28" text-anchor="middle" font-size="17" font-weight="bold" fill="#222">{t}</text>"##,
        x = width / 2.0,
        t = esc(title)
    );
}

/// An axis label under column `i`: upright when short, slanted when long.
fn axis_label(out: &mut String, x: f64, y: f64, label: &str) {
    if label.len() <= 4 {
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" fill="#555">{label}</text>"##
        );
    } else {
        let _ = write!(
            out,
            r##"<text x="{x:.1}" y="{:.1}" text-anchor="end" fill="#555" transform="rotate(-40 {x:.1} {:.1})">{label}</text>"##,
            y - 12.0,
            y - 12.0
        );
    }
}

/// Where a bump chart draws: column `i` at `x(i)`, table row `row` at `y(row)`.
struct Bump {
    left: f64,
    top: f64,
    row_h: f64,
    step: f64,
    plot_w: f64,
    /// Rows (teams).
    rows: usize,
}

impl Bump {
    fn x(&self, i: usize) -> f64 {
        self.left + self.step * i as f64
    }
    fn y(&self, row: usize) -> f64 {
        self.top + self.row_h * row as f64
    }
}

fn positions(v: &SeasonView, by: By) -> String {
    let teams = teams(v);
    let n = teams.len().max(1);
    let rounds = columns(v, by);
    let slanted = rounds.iter().any(|(l, _)| l.len() > 4);
    let step = if rounds.len() > 1 {
        (700.0f64 / (rounds.len() - 1) as f64).clamp(14.0, 120.0)
    } else {
        0.0
    };
    let (left, right, top, row_h) = (230.0, 230.0, 70.0, 26.0);
    let g = Bump {
        left,
        top,
        row_h,
        step,
        plot_w: step * rounds.len().saturating_sub(1) as f64,
        rows: n,
    };
    let width = left + g.plot_w + right;
    let height = top + row_h * (n as f64 - 1.0) + if slanted { 110.0 } else { 70.0 };
    let mut out = String::new();
    let title = title(v, &format!("positions by {}", by.word()));
    header(&mut out, width, height, &title);
    bump_grid(&mut out, &g, rounds.len());
    bump_axis(&mut out, &g, &rounds, slanted, by);
    for (ti, team) in teams.iter().enumerate() {
        bump_series(&mut out, &g, &rounds, team, &colour(ti, teams.len()), by);
    }
    if rounds.is_empty() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#888">no {}s in this stage</text>"##,
            width / 2.0,
            top + 20.0,
            by.word()
        );
    }
    out.push_str("</svg>\n");
    out
}

/// One line per position, one per column.
fn bump_grid(out: &mut String, g: &Bump, columns: usize) {
    out.push_str(r##"<g stroke="#e6e6e6" stroke-width="1">"##);
    for row in 0..g.rows {
        let _ = write!(
            out,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            g.left,
            g.y(row),
            g.left + g.plot_w,
            g.y(row)
        );
    }
    for i in 0..columns {
        let _ = write!(
            out,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            g.x(i),
            g.top - 10.0,
            g.x(i),
            g.y(g.rows - 1) + 10.0
        );
    }
    out.push_str("</g>");
}

/// The columns' labels (every fifth, or about twelve when slanted) and the
/// axis name.
fn bump_axis(out: &mut String, g: &Bump, rounds: &[(String, &[Row])], slanted: bool, by: By) {
    let every = if slanted {
        rounds.len().div_ceil(12).max(1)
    } else if g.step < 24.0 {
        5
    } else {
        1
    };
    let bottom = g.y(g.rows - 1);
    for (i, (r, _)) in rounds.iter().enumerate() {
        if i % every == 0 || i + 1 == rounds.len() && i % every >= every.div_ceil(2) {
            axis_label(out, g.x(i), bottom + 30.0, r);
        }
    }
    let _ = write!(
        out,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
        g.left + g.plot_w / 2.0,
        bottom + if slanted { 100.0 } else { 50.0 },
        by.axis()
    );
}

/// One team's line, its dots, and its position at both ends.
fn bump_series(
    out: &mut String,
    g: &Bump,
    rounds: &[(String, &[Row])],
    team: &str,
    c: &str,
    by: By,
) {
    let dot = if rounds.len() > 1 {
        (g.step / 3.5).clamp(2.5, 5.0)
    } else {
        5.0
    };
    let line = if g.step < 24.0 { 2.0 } else { 3.0 };
    // (round index, row in that round's table, row)
    let points: Vec<(usize, usize, &Row)> = rounds
        .iter()
        .enumerate()
        .filter_map(|(i, (_, rows))| {
            rows.iter()
                .position(|r| r.team == team)
                .map(|p| (i, p, &rows[p]))
        })
        .collect();
    let _ = write!(out, r#"<g class="series" data-team="{}">"#, esc(team));
    if points.len() > 1 {
        let pts: Vec<String> = points
            .iter()
            .map(|(i, p, _)| format!("{:.1},{:.1}", g.x(*i), g.y(*p)))
            .collect();
        let _ = write!(
            out,
            r#"<polyline fill="none" stroke="{c}" stroke-width="{line}" stroke-linejoin="round" points="{}"/>"#,
            pts.join(" ")
        );
    }
    for (i, p, row) in &points {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="{dot:.1}" fill="{c}" stroke="#fff" stroke-width="1" data-{w}="{}" data-pos="{}"><title>{} · {w} {}: {} ({} pts)</title></circle>"##,
            g.x(*i),
            g.y(*p),
            rounds[*i].0,
            row.pos,
            esc(team),
            rounds[*i].0,
            pos_label(row),
            row.points,
            w = by.word()
        );
    }
    if let (Some((fi, fp, frow)), Some((li, lp, lrow))) = (points.first(), points.last()) {
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="{c}">{} {}</text>"#,
            g.x(*fi) - 12.0,
            g.y(*fp) + 4.5,
            pos_label(frow),
            esc(team)
        );
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" fill="{c}">{} {}</text>"#,
            g.x(*li) + 12.0,
            g.y(*lp) + 4.5,
            pos_label(lrow),
            esc(team)
        );
    }
    out.push_str("</g>");
}

/// Where a points chart draws: column `i` at `x(i)`, `p` points at `y(p)`,
/// the axis from `min` to `max` in steps of `tick`.
struct Cumulative {
    left: f64,
    top: f64,
    plot_h: f64,
    step: f64,
    plot_w: f64,
    min: i64,
    max: i64,
    tick: i64,
}

impl Cumulative {
    fn x(&self, i: usize) -> f64 {
        self.left + self.step * i as f64
    }
    fn y(&self, p: i64) -> f64 {
        self.top + self.plot_h - self.plot_h * (p - self.min) as f64 / (self.max - self.min) as f64
    }
}

fn points(v: &SeasonView, by: By) -> String {
    let teams = teams(v);
    let dates = columns(v, by);
    let all = || {
        dates
            .iter()
            .flat_map(|(_, rows)| rows.iter().map(|r| r.points))
    };
    let top_points = all().max().unwrap_or(0).max(1);
    let min = all().min().unwrap_or(0).min(0);
    // The axis ends on a tick at or above the highest total.
    let tick = ((top_points - min) as f64 / 8.0).ceil().max(1.0) as i64;
    let (left, right, top, plot_h) = (60.0, 240.0, 60.0, 420.0);
    let step = if dates.len() > 1 {
        (760.0f64 / (dates.len() - 1) as f64).clamp(3.0, 120.0)
    } else {
        0.0
    };
    let g = Cumulative {
        left,
        top,
        plot_h,
        step,
        plot_w: step * dates.len().saturating_sub(1) as f64,
        min,
        max: min + (top_points - min + tick - 1) / tick * tick,
        tick,
    };
    let width = left + g.plot_w.max(200.0) + right;
    let height = top + plot_h + 80.0;
    let mut out = String::new();
    let title = title(v, &format!("points by {}", by.word()));
    header(&mut out, width, height, &title);
    points_axes(&mut out, &g, &dates);
    let mut ends: Vec<(usize, f64)> = Vec::new();
    for (ti, team) in teams.iter().enumerate() {
        if let Some(end) = points_series(&mut out, &g, &dates, team, &colour(ti, teams.len()), by) {
            ends.push((ti, end));
        }
    }
    end_labels(&mut out, &g, v, ends, teams.len());
    out.push_str("</svg>\n");
    out
}

/// The horizontal grid and the points at every tick; the columns' labels
/// (about twelve).
fn points_axes(out: &mut String, g: &Cumulative, dates: &[(String, &[Row])]) {
    out.push_str(r##"<g stroke="#e6e6e6" stroke-width="1">"##);
    let mut p = g.min;
    while p <= g.max {
        let _ = write!(
            out,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            g.left,
            g.y(p),
            g.left + g.plot_w,
            g.y(p)
        );
        p += g.tick;
    }
    out.push_str("</g>");
    let mut p = g.min;
    while p <= g.max {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{p}</text>"##,
            g.left - 8.0,
            g.y(p) + 4.0
        );
        p += g.tick;
    }
    let every = dates.len().div_ceil(12).max(1);
    for (i, (d, _)) in dates.iter().enumerate() {
        if i % every == 0 || i + 1 == dates.len() && i % every >= every.div_ceil(2) {
            axis_label(out, g.x(i), g.top + g.plot_h + 30.0, d);
        }
    }
}

/// One team's line and dots; the height of its last dot.
fn points_series(
    out: &mut String,
    g: &Cumulative,
    dates: &[(String, &[Row])],
    team: &str,
    c: &str,
    by: By,
) -> Option<f64> {
    let series: Vec<(usize, &Row)> = dates
        .iter()
        .enumerate()
        .filter_map(|(i, (_, rows))| rows.iter().find(|r| r.team == team).map(|r| (i, r)))
        .collect();
    let _ = write!(out, r#"<g class="series" data-team="{}">"#, esc(team));
    let pts: Vec<String> = series
        .iter()
        .map(|(i, r)| format!("{:.1},{:.1}", g.x(*i), g.y(r.points)))
        .collect();
    let _ = write!(
        out,
        r#"<polyline fill="none" stroke="{c}" stroke-width="2.5" stroke-linejoin="round" points="{}"/>"#,
        pts.join(" ")
    );
    for (i, r) in &series {
        let _ = write!(
            out,
            r#"<circle cx="{:.1}" cy="{:.1}" r="3" fill="{c}" data-{w}="{}" data-points="{}"><title>{} · {w} {}: {} pts</title></circle>"#,
            g.x(*i),
            g.y(r.points),
            dates[*i].0,
            r.points,
            esc(team),
            dates[*i].0,
            r.points,
            w = by.word()
        );
    }
    out.push_str("</g>");
    series.last().map(|(_, r)| g.y(r.points))
}

/// The teams' names at the lines' ends, pushed apart so that they never
/// overlap.
fn end_labels(
    out: &mut String,
    g: &Cumulative,
    v: &SeasonView,
    mut ends: Vec<(usize, f64)>,
    n: usize,
) {
    ends.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut last_y = f64::MIN;
    for (ti, ly) in ends {
        let ly = ly.max(last_y + 15.0);
        last_y = ly;
        let row = &v.table[ti];
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" fill="{}">{} {} ({})</text>"#,
            g.left + g.plot_w + 10.0,
            ly + 4.0,
            colour(ti, n),
            pos_label(row),
            esc(&row.team),
            row.points
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_colours() {
        assert_eq!(
            esc(r#"A & B <"x"> 'y'"#),
            "A &amp; B &lt;&quot;x&quot;&gt; &#39;y&#39;"
        );
        let six: Vec<String> = (0..6).map(|i| colour(i, 6)).collect();
        let mut dedup = six.clone();
        dedup.dedup();
        assert_eq!(six.len(), dedup.len());
        let many: std::collections::HashSet<String> = (0..24).map(|i| colour(i, 24)).collect();
        assert_eq!(many.len(), 24);
    }
}
