//! The rules catalogue: points for a win, draw and loss and the tie-break
//! order of each competition by season range (and stage, where a stage
//! ranked differently), each entry with its source. Data, in
//! `rules_catalogue.csv` beside this file; an import uses it for a season
//! whose file states no rules, before the era's general rule
//! ([`era_rules`]), and records [`RulesSource::Catalogue`].
//!
//! Columns: `competition` (as the importers file it), `stage` (empty: the
//! whole season), `from` and `to` (the first years of the first and last
//! seasons it covers, inclusive), `points` (`win/draw/loss`), `tiebreak`
//! (the order, as `rules --tiebreak` takes it), `source`.

use std::sync::OnceLock;

use crate::model::event::{Rules, RulesSource, StatedRules};
use crate::model::names;
use crate::model::rules::{parse_tiebreaks, Tiebreak};

const DATA: &str = include_str!("rules_catalogue.csv");

/// One entry of the catalogue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The competition, as the importers file it.
    pub competition: String,
    /// `None`: every stage of the season.
    pub stage: Option<String>,
    /// The first year of the first season it covers (`1888` for 1888-89).
    pub from: i32,
    /// The first year of the last season it covers, inclusive.
    pub to: i32,
    /// Points for a win.
    pub win: u8,
    /// Points for a draw.
    pub draw: u8,
    /// Points for a loss.
    pub loss: u8,
    /// The tie-break order.
    pub tiebreak: Vec<Tiebreak>,
    /// Where the entry comes from.
    pub source: String,
}

/// Every entry, in file order (checked by the tests: each line reads).
pub fn entries() -> &'static [Entry] {
    static ALL: OnceLock<Vec<Entry>> = OnceLock::new();
    ALL.get_or_init(|| parse(DATA).expect("the rules catalogue reads (tested)"))
}

/// Reads the catalogue's CSV; an error names the line.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    rows(text, entry)
}

/// Each row of a CSV text after its header, read by `read`; an error
/// names the line.
fn rows<T>(
    text: &str,
    read: impl Fn(&csv::StringRecord) -> Result<T, String>,
) -> Result<Vec<T>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let r = record.map_err(|e| format!("line {line}: {e}"))?;
        out.push(read(&r).map_err(|e| format!("line {line}: {e}"))?);
    }
    Ok(out)
}

fn entry(r: &csv::StringRecord) -> Result<Entry, String> {
    let field = |i: usize| r.get(i).unwrap_or_default().trim();
    let year = |i: usize| {
        field(i)
            .parse::<i32>()
            .map_err(|_| format!("'{}' is not a year", field(i)))
    };
    let points: Vec<u8> = field(4)
        .split('/')
        .map(|p| {
            p.parse::<u8>()
                .map_err(|_| format!("bad points '{}'", field(4)))
        })
        .collect::<Result<_, _>>()?;
    let [win, draw, loss] = points[..] else {
        return Err(format!("points must be win/draw/loss, not '{}'", field(4)));
    };
    if field(6).is_empty() {
        return Err("an entry needs its source".into());
    }
    Ok(Entry {
        competition: field(0).to_string(),
        stage: Some(field(1)).filter(|s| !s.is_empty()).map(String::from),
        from: year(2)?,
        to: year(3)?,
        win,
        draw,
        loss,
        tiebreak: parse_tiebreaks(field(5))?,
        source: field(6).to_string(),
    })
}

/// The first year of a season's name: `1995-96` -> 1995, `2018` -> 2018.
pub fn start_year(season: &str) -> Option<i32> {
    let digits: String = season.chars().take_while(|c| c.is_ascii_digit()).collect();
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// The entries for a competition's season: the season's own (at most one)
/// and its stages'.
pub fn for_season(competition: &str, season: &str) -> Vec<&'static Entry> {
    let Some(year) = start_year(season) else {
        return Vec::new();
    };
    entries()
        .iter()
        .filter(|e| names::same(&e.competition, competition) && (e.from..=e.to).contains(&year))
        .collect()
}

/// The catalogue's rules for a season (the season's first, then its
/// stages'), as rules events to record.
pub fn rules_for(competition: &str, season: &str) -> Vec<StatedRules> {
    let mut found = for_season(competition, season);
    found.sort_by_key(|e| e.stage.is_some());
    found
        .into_iter()
        .map(|e| StatedRules {
            rules: Rules {
                competition: competition.to_string(),
                season: season.to_string(),
                stage: e.stage.clone(),
                points_for_win: e.win,
                points_for_draw: e.draw,
                points_for_loss: e.loss,
                tiebreak: e.tiebreak.clone(),
            },
            source: RulesSource::Catalogue,
        })
        .collect()
}

/// Fair-play points the catalogue knows (`fair_play.csv` beside this
/// file): where the `fair-play` tie-break decided a published table.
const FAIR_PLAY: &str = include_str!("fair_play.csv");

/// Every fair-play statement of the catalogue, in file order.
pub fn fair_play() -> &'static [crate::model::event::FairPlay] {
    static ALL: OnceLock<Vec<crate::model::event::FairPlay>> = OnceLock::new();
    ALL.get_or_init(|| parse_fair_play(FAIR_PLAY).expect("the fair-play data reads (tested)"))
}

fn parse_fair_play(text: &str) -> Result<Vec<crate::model::event::FairPlay>, String> {
    rows(text, |r| {
        let field = |i: usize| r.get(i).unwrap_or_default().trim().to_string();
        let points = field(4)
            .parse()
            .map_err(|_| format!("bad points '{}'", field(4)))?;
        if field(5).is_empty() {
            return Err("an entry needs its source".into());
        }
        Ok(crate::model::event::FairPlay {
            competition: field(0),
            season: field(1),
            stage: Some(field(2)).filter(|s| !s.is_empty()),
            team: field(3),
            points,
            source: Some(field(5)),
        })
    })
}

/// The catalogue's fair-play statements for a competition's season.
pub fn fair_play_for(competition: &str, season: &str) -> Vec<crate::model::event::FairPlay> {
    fair_play()
        .iter()
        .filter(|f| names::same(&f.competition, competition) && names::same(&f.season, season))
        .cloned()
        .collect()
}

/// The entry a rules event of the catalogue came from, for its source.
pub fn entry_of(rules: &Rules) -> Option<&'static Entry> {
    for_season(&rules.competition, &rules.season)
        .into_iter()
        .find(|e| e.stage.as_deref().map(names::fold) == rules.stage.as_deref().map(names::fold))
}

/// The rules of a season that states none, by its era: see
/// [`crate::model::rules::era_points_for_win`]; 1 for a draw, 0 for a loss, the default order.
pub fn era_rules(
    competition: &str,
    season: &str,
    start: crate::model::date::Date,
) -> crate::model::event::StatedRules {
    crate::model::event::StatedRules {
        rules: crate::model::event::Rules {
            competition: competition.to_string(),
            season: season.to_string(),
            stage: None,
            points_for_win: crate::model::rules::era_points_for_win(start),
            points_for_draw: 1,
            points_for_loss: 0,
            tiebreak: crate::model::rules::DEFAULT_TIEBREAK.to_vec(),
        },
        source: crate::model::event::RulesSource::Era,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_reads_and_names_its_source() {
        let all = entries();
        assert!(all.len() > 10);
        for e in all {
            assert!(e.from <= e.to, "{e:?}");
            assert!(!e.source.is_empty());
            assert!(
                matches!(e.tiebreak[0], Tiebreak::Points | Tiebreak::PointsPerGame),
                "{e:?}"
            );
        }
    }

    #[test]
    fn entries_of_one_scope_never_overlap() {
        let all = entries();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                let same = names::same(&a.competition, &b.competition) && a.stage == b.stage;
                assert!(
                    !(same && a.from <= b.to && b.from <= a.to),
                    "{a:?} overlaps {b:?}"
                );
            }
        }
    }

    fn check(competition: &str, season: &str, expect: &[(Option<&str>, &str, &str)]) {
        let got: Vec<(Option<String>, String, String)> = rules_for(competition, season)
            .into_iter()
            .map(|s| {
                let r = s.rules;
                (
                    r.stage,
                    format!(
                        "{}/{}/{}",
                        r.points_for_win, r.points_for_draw, r.points_for_loss
                    ),
                    crate::model::rules::tiebreak_list(&r.tiebreak),
                )
            })
            .collect();
        let want: Vec<(Option<String>, String, String)> = expect
            .iter()
            .map(|(s, p, t)| (s.map(String::from), p.to_string(), t.to_string()))
            .collect();
        assert_eq!(got, want, "{competition} {season}");
    }

    #[test]
    fn the_catalogue_gives_each_era_its_rules() {
        let gd = "points,goal-difference,goals-for";
        let gf = "points,goals-for,goal-difference";
        check(
            "English League",
            "1926-27",
            &[(None, "2/1/0", "points,goal-average")],
        );
        check("English League", "1976-77", &[(None, "2/1/0", gd)]);
        check("English League", "1991-92", &[(None, "3/1/0", gd)]);
        check(
            "english league",
            "1995-96",
            &[
                (None, "3/1/0", gd),
                (Some("Division 2"), "3/1/0", gf),
                (Some("Division 3"), "3/1/0", gf),
                (Some("Division 4"), "3/1/0", gf),
            ],
        );
        check("English League", "1999-00", &[(None, "3/1/0", gd)]);
        let ppg = "points-per-game,goal-difference,goals-for";
        check(
            "English League",
            "2019-20",
            &[
                (None, "3/1/0", gd),
                (Some("Division 3"), "3/1/0", ppg),
                (Some("Division 4"), "3/1/0", ppg),
            ],
        );
        check("English League One", "2019-20", &[(None, "3/1/0", ppg)]);
        check("English League Two", "2020-21", &[(None, "3/1/0", gd)]);
        check(
            "FIFA World Cup",
            "1962",
            &[(None, "2/1/0", "points,goal-average")],
        );
        check(
            "FIFA World Cup",
            "1994",
            &[(
                None,
                "3/1/0",
                "points,goal-difference,goals-for,head-to-head-once",
            )],
        );
        check(
            "UEFA Euro",
            "2004",
            &[(
                None,
                "3/1/0",
                "points,head-to-head,goal-difference,goals-for,fair-play",
            )],
        );
        check("Copa Perú", "1984", &[]);
        check("FIFA World Cup qualification", "2018", &[]);
    }

    #[test]
    fn the_fair_play_data_reads_and_names_its_sources() {
        assert!(fair_play().len() >= 2);
        assert!(fair_play().iter().all(|f| f.source.is_some()));
        let h = fair_play_for("FIFA World Cup", "2018");
        assert_eq!(h.len(), 2);
        assert!(fair_play_for("FIFA World Cup", "2014").is_empty());
    }

    #[test]
    fn seasons_start_with_their_year() {
        assert_eq!(start_year("1995-96"), Some(1995));
        assert_eq!(start_year("2015-17"), Some(2015));
        assert_eq!(start_year("2018"), Some(2018));
        assert_eq!(start_year("Apertura"), None);
        assert_eq!(start_year("201"), None);
    }
}
