//! Points for results and tie-break orders, as data.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One criterion that orders teams in a table. Higher is better for every one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tiebreak {
    /// Points (including adjustments).
    Points,
    /// Goals for minus goals against.
    GoalDifference,
    /// Goals scored.
    GoalsFor,
    /// Goals for divided by goals against (the English rule until 1975-76).
    /// `x/0` with `x > 0` is above any finite average; `0/0` counts as 1.
    GoalAverage,
    /// A table of only the matches among the tied teams, ranked by points,
    /// then goal difference, then goals scored; re-applied to any subset that
    /// is still tied, then the remaining criteria.
    HeadToHead,
    /// Matches won.
    Wins,
    /// Goals scored in away matches.
    AwayGoals,
    /// Fair-play (disciplinary) points, as stated by fair-play events (kind
    /// 11); higher is better. Teams without a statement are level on it.
    FairPlay,
    /// Head-to-head applied once (FIFA's World Cup rule, 1994-2022): a table
    /// of only the matches among all the tied teams, then the remaining
    /// criteria for any still level; it is not applied again to a subset.
    HeadToHeadOnce,
    /// Points per game played (points, with adjustments, divided by games
    /// played, or by 1 before any): the rank of a season cut short, as the
    /// English Football League's League One and Two in 2019-20. An order
    /// that starts with it does not get points put first.
    PointsPerGame,
}

/// Every tie-break criterion, in the order of the enum.
pub const ALL_TIEBREAKS: [Tiebreak; 10] = [
    Tiebreak::Points,
    Tiebreak::GoalDifference,
    Tiebreak::GoalsFor,
    Tiebreak::GoalAverage,
    Tiebreak::HeadToHead,
    Tiebreak::Wins,
    Tiebreak::AwayGoals,
    Tiebreak::FairPlay,
    Tiebreak::HeadToHeadOnce,
    Tiebreak::PointsPerGame,
];

impl Tiebreak {
    /// The criterion's name, as rules take and show it (`goal-difference`).
    pub fn name(self) -> &'static str {
        match self {
            Tiebreak::Points => "points",
            Tiebreak::GoalDifference => "goal-difference",
            Tiebreak::GoalsFor => "goals-for",
            Tiebreak::GoalAverage => "goal-average",
            Tiebreak::HeadToHead => "head-to-head",
            Tiebreak::Wins => "wins",
            Tiebreak::AwayGoals => "away-goals",
            Tiebreak::FairPlay => "fair-play",
            Tiebreak::HeadToHeadOnce => "head-to-head-once",
            Tiebreak::PointsPerGame => "points-per-game",
        }
    }
}

impl fmt::Display for Tiebreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Tiebreak {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let want = s.trim().to_lowercase().replace(['_', ' '], "-");
        let alias = match want.as_str() {
            "pts" => "points",
            "gd" => "goal-difference",
            "gf" | "goals-scored" => "goals-for",
            "ga" | "goal-ratio" => "goal-average",
            "h2h" => "head-to-head",
            "ppg" => "points-per-game",
            "disciplinary" | "disciplinary-points" | "fair-play-points" => "fair-play",
            other => other,
        };
        ALL_TIEBREAKS
            .iter()
            .find(|t| t.name() == alias)
            .copied()
            .ok_or_else(|| {
                format!(
                    "unknown tie-break '{s}'; choose from: {}",
                    tiebreak_list(&ALL_TIEBREAKS)
                )
            })
    }
}

/// `points,goal-difference,goals-for`
pub fn tiebreak_list(order: &[Tiebreak]) -> String {
    order.iter().map(|t| t.name()).collect::<Vec<_>>().join(",")
}

/// Parses a comma-separated order; rejects repeats.
pub fn parse_tiebreaks(s: &str) -> Result<Vec<Tiebreak>, String> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let t: Tiebreak = part.parse()?;
        if out.contains(&t) {
            return Err(format!("tie-break '{t}' is listed twice"));
        }
        out.push(t);
    }
    if out.is_empty() {
        return Err("empty tie-break order".into());
    }
    Ok(out)
}

/// The order used when a competition sets none.
pub const DEFAULT_TIEBREAK: [Tiebreak; 3] = [
    Tiebreak::Points,
    Tiebreak::GoalDifference,
    Tiebreak::GoalsFor,
];

/// The rules in force for one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scoring {
    /// Points for a win.
    pub win: u8,
    /// Points for a draw.
    pub draw: u8,
    /// Points for a loss.
    pub loss: u8,
    /// Always starts with [`Tiebreak::Points`] (added in front when a rules
    /// event leaves it out).
    pub order: Vec<Tiebreak>,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            win: 3,
            draw: 1,
            loss: 0,
            order: DEFAULT_TIEBREAK.to_vec(),
        }
    }
}

impl Scoring {
    /// Rules of these points and this order, with [`Tiebreak::Points`] put
    /// first when the order leaves it out (and does not start with
    /// [`Tiebreak::PointsPerGame`], which replaces it).
    pub fn new(win: u8, draw: u8, loss: u8, order: &[Tiebreak]) -> Scoring {
        let mut full = Vec::with_capacity(order.len() + 1);
        if !order.contains(&Tiebreak::Points) && order.first() != Some(&Tiebreak::PointsPerGame) {
            full.push(Tiebreak::Points);
        }
        full.extend_from_slice(order);
        Scoring {
            win,
            draw,
            loss,
            order: full,
        }
    }

    /// The order a table before the season's end is ranked by: points per
    /// game, the rank of a season cut short, became the rule only at its
    /// end (the EFL's vote of 9 June 2020), so before it points rank
    /// (points per game replaced by points, or dropped where points are in
    /// the order already).
    pub fn before_the_end(&self) -> Scoring {
        let mut order: Vec<Tiebreak> = Vec::with_capacity(self.order.len());
        for t in &self.order {
            let t = match t {
                Tiebreak::PointsPerGame => Tiebreak::Points,
                other => *other,
            };
            if !order.contains(&t) {
                order.push(t);
            }
        }
        Scoring {
            order,
            ..self.clone()
        }
    }
}

/// Points per game as a number: points over games played, or over 1
/// before any (ranked by [`per_game_cmp`], exactly).
pub fn points_per_game(points: i64, played: u32) -> f64 {
    points as f64 / f64::from(played.max(1))
}

/// Two (points, games played) compared on points per game, exactly
/// (cross-multiplied; no games played counts as one).
pub fn per_game_cmp((ap, ag): (i64, u32), (bp, bg): (i64, u32)) -> std::cmp::Ordering {
    let per = |p: i64, g: u32| (i128::from(p), i128::from(g.max(1)));
    let ((ap, ag), (bp, bg)) = (per(ap, ag), per(bp, bg));
    (ap * bg).cmp(&(bp * ag))
}

/// The first day of the 1994 World Cup, the first major competition to give
/// 3 points for a win.
pub fn three_points_era() -> crate::model::date::Date {
    crate::model::date::Date::from_ymd(1994, 6, 17).expect("a valid date")
}

/// Points for a win by the era of a season or tournament that began on
/// `start`: 2 before the 1994 World Cup, 3 from then on. The general rule
/// only; leagues switched at different times (England in 1981-82, whose
/// importer states its own).
pub fn era_points_for_win(start: crate::model::date::Date) -> u8 {
    if start < three_points_era() {
        2
    } else {
        3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_orders() {
        assert_eq!(
            parse_tiebreaks("points, goal-difference,GOALS_FOR").unwrap(),
            DEFAULT_TIEBREAK.to_vec()
        );
        assert_eq!(
            parse_tiebreaks("h2h,gd").unwrap(),
            vec![Tiebreak::HeadToHead, Tiebreak::GoalDifference]
        );
        assert!(parse_tiebreaks("points,points")
            .unwrap_err()
            .contains("twice"));
        assert!(parse_tiebreaks("coin-toss")
            .unwrap_err()
            .contains("goal-average"));
        assert!(parse_tiebreaks("").is_err());
    }

    #[test]
    fn points_always_first() {
        let s = Scoring::new(2, 1, 0, &[Tiebreak::GoalAverage]);
        assert_eq!(s.order, vec![Tiebreak::Points, Tiebreak::GoalAverage]);
        // Points per game replaces points only where it comes first.
        let s = Scoring::new(
            3,
            1,
            0,
            &[Tiebreak::PointsPerGame, Tiebreak::GoalDifference],
        );
        assert_eq!(s.order, [Tiebreak::PointsPerGame, Tiebreak::GoalDifference]);
        let s = Scoring::new(
            3,
            1,
            0,
            &[Tiebreak::GoalDifference, Tiebreak::PointsPerGame],
        );
        assert_eq!(
            s.order,
            [
                Tiebreak::Points,
                Tiebreak::GoalDifference,
                Tiebreak::PointsPerGame
            ]
        );
        let s = Scoring::new(2, 1, 0, &[Tiebreak::HeadToHead, Tiebreak::Points]);
        assert_eq!(s.order, vec![Tiebreak::HeadToHead, Tiebreak::Points]);
    }

    #[test]
    fn the_era_gives_two_points_before_the_1994_world_cup_and_three_from_it() {
        let check = |date: &str, expect: u8| {
            let d = crate::model::date::Date::parse_iso(date).unwrap();
            assert_eq!(era_points_for_win(d), expect, "{date}");
        };
        check("1930-07-13", 2);
        check("1984-12-02", 2);
        check("1994-06-16", 2);
        check("1994-06-17", 3);
        check("2018-06-14", 3);
    }
}
