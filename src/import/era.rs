//! Rules for seasons whose file states none: the era's (see
//! [`crate::model::rules::era_points_for_win`]), added before the season's first
//! event, and never in place of rules the archive already holds.

use std::collections::HashMap;

use crate::archive::Archive;
use crate::error::Result;
use crate::model::event::{Event, Rules, RulesSource};
use crate::model::names;

use super::Parsed;

/// The competition engsoccerdata's English league files are filed under.
pub const ENGLISH_LEAGUE: &str = "English League";

/// A rules event an import appended, and what it replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulesNote {
    /// The seq of the rules event appended.
    pub seq: u64,
    /// The rules it states.
    pub rules: Rules,
    /// Where they came from.
    pub source: RulesSource,
    /// The rules in force for the same scope before, with their seq, when
    /// they differ.
    pub replaced: Option<(u64, Rules)>,
}

fn season_of(event: &Event) -> Option<(String, String)> {
    let (c, s) = match event {
        Event::MatchResult(m) => (&m.competition, &m.season),
        Event::TeamRegistered(t) => (&t.competition, &t.season),
        Event::SeasonFacts(f) => (&f.competition, &f.season),
        Event::PointsAdjusted(p) => (&p.competition, &p.season),
        other => {
            let r = other.rules()?;
            (&r.competition, &r.season)
        }
    };
    Some((names::fold(c), names::fold(s)))
}

/// Adds the era's rules for every season of `parsed` that has results and no
/// rules event, just before the season's first event. The era is that of the
/// season's first match date.
pub fn fill(parsed: Parsed) -> Parsed {
    let mut stated = std::collections::HashSet::new();
    let mut first: HashMap<(String, String), (usize, Option<&crate::model::event::MatchResult>)> =
        HashMap::new();
    for (i, e) in parsed.events.iter().enumerate() {
        let Some(key) = season_of(e) else { continue };
        if e.rules().is_some_and(|r| r.stage.is_none()) {
            stated.insert(key.clone());
        }
        let entry = first.entry(key).or_insert((i, None));
        if let Event::MatchResult(m) = e {
            if entry.1.is_none_or(|earliest| m.date < earliest.date) {
                entry.1 = Some(m);
            }
        }
    }
    let mut before: HashMap<usize, Vec<Event>> = HashMap::new();
    for (key, (i, earliest)) in first {
        if let (false, Some(m)) = (stated.contains(&key), earliest) {
            before.insert(i, default_rules(m));
        }
    }
    if before.is_empty() {
        return parsed;
    }
    let mut out = parsed.notes_only();
    for (i, (e, line)) in parsed.events.into_iter().zip(parsed.lines).enumerate() {
        for rules in before.remove(&i).unwrap_or_default() {
            out.push(line, rules);
        }
        out.push(line, e);
    }
    with_fair_play(out)
}

/// The catalogue's fair-play points for the seasons of `parsed` whose
/// tables it decided, after their results, for the teams the file has
/// results of in that stage (a file of the 2018 World Cup's knockout
/// matches alone has no Group H, and Japan was an unknown team).
fn with_fair_play(mut parsed: Parsed) -> Parsed {
    let mut seasons: Vec<(String, String)> = Vec::new();
    for e in &parsed.events {
        if let Event::MatchResult(m) = e {
            if !seasons
                .iter()
                .any(|(c, s)| *c == m.competition && *s == m.season)
            {
                seasons.push((m.competition.clone(), m.season.clone()));
            }
        }
    }
    let line = parsed.lines.last().copied().unwrap_or(1);
    for (c, s) in seasons {
        for f in crate::model::catalogue::fair_play_for(&c, &s) {
            if plays_in(&parsed.events, &f) {
                parsed.push(line, Event::FairPlayStated(f));
            }
        }
    }
    parsed
}

/// Whether `events` hold a result of the fair-play statement's team in its
/// competition, season and stage (any stage when it names none).
fn plays_in(events: &[Event], f: &crate::model::event::FairPlay) -> bool {
    use crate::model::names::same;
    events.iter().any(|e| match e {
        Event::MatchResult(m) => {
            same(&m.competition, &f.competition)
                && same(&m.season, &f.season)
                && f.stage.as_deref().is_none_or(|st| same(st, &m.stage))
                && (same(&m.home, &f.team) || same(&m.away, &f.team))
        }
        _ => false,
    })
}

/// The rules of a season that states none: the catalogue's entries for
/// it, else the era's general rule (by its first match).
fn default_rules(first: &crate::model::event::MatchResult) -> Vec<Event> {
    let (c, s) = (&first.competition, &first.season);
    catalogue_or(c, s, || {
        crate::model::catalogue::era_rules(c, s, first.date)
    })
}

/// The rules events of a season that states none: the catalogue's entries
/// for it (the season's, then its stages'), else `era`'s.
pub fn catalogue_or(
    competition: &str,
    season: &str,
    era: impl FnOnce() -> crate::model::event::StatedRules,
) -> Vec<Event> {
    let listed = crate::model::catalogue::rules_for(competition, season);
    if listed.is_empty() {
        return vec![Event::RulesStated(era())];
    }
    listed.into_iter().map(Event::RulesStated).collect()
}

/// A batch made ready to append: the era's rules dropped for seasons whose
/// rules the archive already holds and that differ (the era is only a
/// default; equal ones stay, to be counted as already present), and each
/// remaining rules event (by its position in the returned batch) with the
/// rules it would replace where those differ.
pub type Screened = (Vec<usize>, Vec<Event>, Vec<(usize, RulesNote)>);

/// Screens a batch of events and their lines: see [`Screened`]. One look-up
/// of the rules in force per rules event; other events pass untouched.
pub fn screen(archive: &Archive, lines: Vec<usize>, batch: Vec<Event>) -> Result<Screened> {
    if !batch.iter().any(|e| e.rules().is_some()) {
        return Ok((lines, batch, Vec::new()));
    }
    let (mut kept_lines, mut kept, mut notes) = (Vec::new(), Vec::new(), Vec::new());
    for (line, e) in lines.into_iter().zip(batch) {
        if let Some(r) = e.rules() {
            let held = archive.rules_at_scope(&r.competition, &r.season, r.stage.as_deref())?;
            let replaced = held.filter(|(_, h)| !h.same_values(r));
            let source = e.rules_source();
            let default = matches!(source, Some(RulesSource::Era | RulesSource::Catalogue));
            if default && replaced.is_some() {
                continue;
            }
            let note = RulesNote {
                seq: 0,
                rules: r.clone(),
                source: source.unwrap_or(RulesSource::User),
                replaced,
            };
            notes.push((kept.len(), note));
        }
        kept_lines.push(line);
        kept.push(e);
    }
    Ok((kept_lines, kept, notes))
}

/// Why the era gives what it gives, for a competition.
pub fn explain(competition: &str) -> &'static str {
    if competition == ENGLISH_LEAGUE {
        "England gave 2 points for a win until 1980-81 and 3 from 1981-82"
    } else {
        "2 points for a win when the season began before the 1994 World Cup, \
         the first major competition with 3; 3 from then on"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Date;
    use crate::model::event::Fixture;
    use crate::model::event::MatchResult;

    /// A fair-play statement is for a team with a result in its stage,
    /// names compared as everywhere (folded), not byte for byte.
    #[test]
    fn fair_play_goes_to_a_team_playing_in_its_stage_whatever_the_case() {
        let f = crate::model::event::FairPlay {
            competition: "FIFA World Cup".into(),
            season: "2018".into(),
            stage: Some("Group H".into()),
            team: "Japan".into(),
            points: -4,
            source: None,
        };
        let game = |competition: &str, stage: &str, home: &str| {
            Event::MatchResult(MatchResult::new(
                Fixture {
                    competition,
                    season: "2018",
                    stage,
                    round: None,
                    date: Date::parse_iso("2018-06-19").unwrap(),
                    home,
                    away: "Colombia",
                },
                2,
                1,
            ))
        };
        assert!(plays_in(&[game("Fifa World Cup", "group h", "JAPAN")], &f));
        assert!(!plays_in(&[game("FIFA World Cup", "Group C", "Japan")], &f));
        assert!(!plays_in(
            &[game("FIFA World Cup", "Group H", "Senegal")],
            &f
        ));
    }

    fn result(season: &str, date: &str) -> Event {
        let d = Date::parse_iso(date).unwrap();
        Event::MatchResult(MatchResult::new(
            Fixture {
                competition: "Cup",
                season,
                stage: "Final",
                round: None,
                date: d,
                home: "A",
                away: "B",
            },
            1,
            0,
        ))
    }

    fn check(events: Vec<Event>, expect: &[(usize, u8)]) {
        let mut p = Parsed::default();
        for (i, e) in events.into_iter().enumerate() {
            p.push(i + 1, e);
        }
        let out = fill(p);
        let got: Vec<(usize, u8)> = out
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.rules_source() == Some(RulesSource::Era))
            .map(|(i, e)| (i, e.rules().unwrap().points_for_win))
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn each_season_without_rules_gets_its_era_s_before_its_first_event() {
        // One season: its era is that of its earliest match, not its first row.
        check(
            vec![result("1994", "1994-07-01"), result("1994", "1994-01-05")],
            &[(0, 2)],
        );
        check(
            vec![result("1990", "1990-06-08"), result("1998", "1998-06-10")],
            &[(0, 2), (2, 3)],
        );
        // A season whose file states its rules keeps them.
        let stated = Event::Rules(Rules {
            competition: "cup".into(),
            season: "1990".into(),
            stage: None,
            points_for_win: 3,
            points_for_draw: 1,
            points_for_loss: 0,
            tiebreak: vec![],
        });
        check(vec![stated, result("1990", "1990-06-08")], &[]);
    }
}
