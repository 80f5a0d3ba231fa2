//! `scoreledger standings`

use clap::ValueEnum;
use scoreledger::import::editions::OTHER_MATCHES;
use scoreledger::model::rules::{self, tiebreak_list, Tiebreak};
use scoreledger::{Error, KnownAt, Standings};

use super::render::{self, Align};
use super::FilterArgs;

const EXAMPLES: &str = "\
Examples:
  scoreledger standings                              the latest table
  scoreledger standings --as-of 1984-12-09           matches played by that day
  scoreledger standings --round 3 --format markdown  after rounds 1 to 3
  scoreledger standings --known-at 20 --format json  as it stood after event 20
  scoreledger standings --known-at 2026-11-28T10:00:00Z

--known-at takes an event seq or an RFC 3339 instant: the table as the archive
stood then, before any later corrections. Teams level on every tie-break
share a position, shown as 4= (the same pos in JSON). Points adjustments
appear in an Adj column (JSON: adjustment); Pts includes them.";

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Table,
    Json,
    Csv,
    Markdown,
}

/// The table of one stage at a point in time.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    cut: super::CutArgs,
    /// As the archive stood after event SEQ, or at an RFC 3339 instant.
    #[arg(long, value_name = "SEQ|TIMESTAMP")]
    known_at: Option<KnownAt>,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

const HEADERS: [(&str, Align); 9] = [
    ("Pos", Align::Right),
    ("Team", Align::Left),
    ("P", Align::Right),
    ("W", Align::Right),
    ("D", Align::Right),
    ("L", Align::Right),
    ("GF", Align::Right),
    ("GA", Align::Right),
    ("GD", Align::Right),
];

/// The columns a table shows beyond the fixed ones.
struct Extra {
    /// Adjustments (`Adj`).
    adj: bool,
    /// Goal average (`GAv`), with this many decimals: where the order uses it.
    avg: Option<usize>,
    /// Points per game (`PPG`), with this many decimals: where the order
    /// uses them.
    ppg: Option<usize>,
    /// The tie-break that placed a row below the one above (`By`).
    by: bool,
}

impl Extra {
    fn of(s: &Standings, adj: bool, by: bool) -> Extra {
        let avg = s
            .scoring
            .order
            .contains(&Tiebreak::GoalAverage)
            .then(|| average_decimals(s));
        Extra {
            adj,
            avg,
            ppg: s
                .scoring
                .order
                .contains(&Tiebreak::PointsPerGame)
                .then(|| per_game_decimals(s)),
            by: by && s.decided_by.iter().any(Option::is_some),
        }
    }

    fn headers(&self) -> Vec<(&'static str, Align)> {
        let mut h = HEADERS.to_vec();
        if self.avg.is_some() {
            h.push(("GAv", Align::Right));
        }
        if self.adj {
            h.push(("Adj", Align::Right));
        }
        h.push(("Pts", Align::Right));
        if self.ppg.is_some() {
            h.push(("PPG", Align::Right));
        }
        if self.by {
            h.push(("By", Align::Left));
        }
        h
    }
}

/// Goal average as shown: to `decimals` places, `inf` when infinite.
fn average(gf: u32, ga: u32, decimals: usize) -> String {
    crate::answers::json::ratio(gf, ga)
        .map_or_else(|| "inf".to_string(), |r| format!("{r:.decimals$}"))
}

/// Points per game as shown, to `decimals` places.
fn per_game(points: i64, played: u32, decimals: usize) -> String {
    format!("{:.decimals$}", rules::points_per_game(points, played))
}

/// The fewest decimals (2 or more) at which every two rows next to each
/// other with different points per game show different ones (Rochdale's
/// 36 from 34 and MK Dons' 37 from 35 are both 1.06 to two places).
fn per_game_decimals(s: &Standings) -> usize {
    (2..=9)
        .find(|&d| {
            s.rows.windows(2).all(|w| {
                let (a, b) = (&w[0], &w[1]);
                rules::per_game_cmp((a.points, a.played), (b.points, b.played)).is_eq()
                    || per_game(a.points, a.played, d) != per_game(b.points, b.played, d)
            })
        })
        .unwrap_or(9)
}

/// The fewest decimals (3 or more) at which every two teams on the same
/// points with different goal averages show different ones.
fn average_decimals(s: &Standings) -> usize {
    let rows = &s.rows;
    (3..=9)
        .find(|&d| {
            rows.windows(2).all(|w| {
                let (a, b) = (&w[0], &w[1]);
                let differ = scoreledger::projection::projector::goal_average_cmp(
                    (a.goals_for, a.goals_against),
                    (b.goals_for, b.goals_against),
                ) != std::cmp::Ordering::Equal;
                a.points != b.points
                    || !differ
                    || average(a.goals_for, a.goals_against, d)
                        != average(b.goals_for, b.goals_against, d)
            })
        })
        .unwrap_or(9)
}

/// Headers and cells.
fn cells(
    s: &Standings,
    plain: bool,
    extra: &Extra,
) -> (Vec<(&'static str, Align)>, Vec<Vec<String>>) {
    let rows = s
        .rows
        .iter()
        .zip(&s.decided_by)
        .map(|(r, by)| {
            let pos = if r.shared && !plain {
                format!("{}=", r.pos)
            } else {
                r.pos.to_string()
            };
            let signed = |n: i64| {
                if plain {
                    n.to_string()
                } else {
                    render::signed(n)
                }
            };
            let mut v = vec![
                pos,
                r.team.clone(),
                r.played.to_string(),
                r.won.to_string(),
                r.drawn.to_string(),
                r.lost.to_string(),
                r.goals_for.to_string(),
                r.goals_against.to_string(),
                signed(r.goal_difference),
            ];
            if let Some(d) = extra.avg {
                v.push(average(r.goals_for, r.goals_against, d));
            }
            if extra.adj {
                v.push(signed(r.adjustment));
            }
            v.push(r.points.to_string());
            if let Some(d) = extra.ppg {
                v.push(per_game(r.points, r.played, d));
            }
            if extra.by {
                v.push(by.map(|t| t.name().to_string()).unwrap_or_default());
            }
            v
        })
        .collect();
    (extra.headers(), rows)
}

/// Lines under the title: what a shared position would need, and
/// deductions the cut leaves out because their date is not known.
fn notes(s: &Standings) -> Vec<String> {
    let mut out = Vec::new();
    let shared = s.rows.iter().any(|r| r.shared);
    if shared && s.scoring.order.contains(&Tiebreak::FairPlay) {
        out.push("teams level on every criterion the archive holds share a position: fair-play (disciplinary) points, which it does not hold for them, would decide".to_string());
    }
    let undated: Vec<String> = s
        .later_adjustments
        .iter()
        .filter(|a| a.reason.contains(scoreledger::import::DATE_UNKNOWN))
        .map(|a| format!("{} {:+}", a.team, a.points))
        .collect();
    if !undated.is_empty() {
        out.push(format!(
            "not counted yet: {} (deductions whose source gives no date count from the season's last match)",
            undated.join(", ")
        ));
    }
    out
}

/// A table cut before any of its matches was played says so.
fn not_started(s: &Standings) -> Option<String> {
    let cut = match (s.as_of, s.round) {
        (Some(d), _) => format!("on or before {d}"),
        (_, Some(r)) => format!("in rounds 1 to {r}"),
        _ => return None,
    };
    s.rows
        .iter()
        .all(|r| r.played == 0)
        .then(|| format!("the stage had not started: none of its matches was played {cut}"))
}

fn title(s: &Standings) -> String {
    let when = match (s.as_of, s.round) {
        (Some(d), _) => format!("as of {d}"),
        (_, Some(r)) => format!("after round {r}"),
        _ => "latest".to_string(),
    };
    let mut not_a_league = if s.stage == OTHER_MATCHES {
        format!("{OTHER_MATCHES} is not a league table: the edition's matches outside its groups (knockouts, play-offs, ...)\n")
    } else {
        String::new()
    };
    if let Some(note) = not_started(s) {
        not_a_league.push_str(&format!("{note}\n"));
    }
    for note in notes(s) {
        not_a_league.push_str(&format!("{note}\n"));
    }
    let rules = match s.rules {
        Some((seq, source)) => format!(
            "rules {}, seq {seq}",
            crate::answers::json::source_words(source).0
        ),
        None => "default rules (none recorded)".to_string(),
    };
    format!(
        "{} {} · {} · {} · known at seq {}\n{} for a win, {} for a draw, {} for a loss · tie-break {} · {rules}\n{not_a_league}\n",
        s.competition,
        s.season,
        s.stage,
        when,
        s.known_at,
        s.scoring.win,
        s.scoring.draw,
        s.scoring.loss,
        tiebreak_list(&s.scoring.order)
    )
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let s = archive
        .at(a.known_at)?
        .standings(&a.filter.filter(), a.cut.cut())?;
    let any_adj = s.rows.iter().any(|r| r.adjustment != 0);
    let text = match a.format {
        Format::Table => {
            let (h, c) = cells(&s, false, &Extra::of(&s, any_adj, true));
            format!("{}{}", title(&s), render::table(&h, &c))
        }
        Format::Markdown => {
            let (h, c) = cells(&s, false, &Extra::of(&s, any_adj, true));
            render::markdown(&h, &c)
        }
        Format::Csv => {
            let (h, c) = cells(&s, true, &Extra::of(&s, true, false));
            render::csv(&h.iter().map(|(h, _)| *h).collect::<Vec<_>>(), &c)?
        }
        Format::Json => format!("{}\n", crate::answers::json::standings(&s)),
    };
    if let (Some(note), Format::Markdown | Format::Csv) = (not_started(&s), a.format) {
        eprintln!("note: {note}");
    }
    crate::answers::print(&text)
}
