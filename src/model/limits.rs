//! The bounds every event is held to before it is written (pure). What is
//! accepted here always reads back: the decoder's own limit (16 MiB) is far
//! above `EVENT_BYTES`. README "Limits" lists them for users.

use crate::model::event::{Event, ScorePair};

/// Bytes of a name: competition, season, stage, group, team, region, town.
pub const NAME_BYTES: usize = 200;
/// Bytes of a free text: a reason, a source, one season fact or top scorer.
pub const TEXT_BYTES: usize = 2_000;
/// Other season facts (infobox lines) in one event.
pub const FACTS: usize = 100;
/// Top scorers in one event.
pub const TOP_SCORERS: usize = 50;
/// Goals for one side in a score. The highest on record is 149 (AS Adema
/// against SO l'Emyrne, 2002); a higher number is a typing mistake.
pub const MAX_GOALS: u16 = 200;
/// Bytes of one event in its canonical form.
pub const EVENT_BYTES: usize = 64 << 10;
/// Bytes of a file `import` reads (larger than any real archive: the
/// English league 1888-2024 is 13 MB).
pub const INPUT_BYTES: u64 = 1 << 30;
/// Events in one committed batch of an import.
pub const MAX_BATCH: usize = 100_000;
/// Events an import commits at a time unless told otherwise (`--batch`,
/// `batch=`): each batch is one durable commit. 4,000 measured as fast as
/// 10,000 and kept the English league's store under 300 bytes a match
/// (BENCHMARKS.md).
pub const DEFAULT_BATCH: usize = 4_000;

/// Why a score cannot be recorded, or `None`.
pub fn score_problem(what: &str, home: u16, away: u16) -> Option<String> {
    (home > MAX_GOALS || away > MAX_GOALS).then(|| {
        format!("{what} {home}-{away} is above {MAX_GOALS} goals for one side (the record is 149); check it")
    })
}

fn pair(what: &str, p: &Option<ScorePair>) -> Result<(), String> {
    match p {
        Some(p) => score_problem(what, p.home, p.away).map_or(Ok(()), Err),
        None => Ok(()),
    }
}

fn text(what: &str, s: &str) -> Result<(), String> {
    if s.len() > TEXT_BYTES {
        return Err(format!(
            "{what} is {} bytes; the limit is {TEXT_BYTES}",
            s.len()
        ));
    }
    Ok(())
}

fn optional_text(what: &str, s: &Option<String>) -> Result<(), String> {
    s.as_deref().map_or(Ok(()), |s| text(what, s))
}

/// Checks the bounds of an event's fields that names do not cover (scores,
/// lists, free texts). Names are checked by `names::problem`; the whole
/// event's size ([`EVENT_BYTES`]) by `format::encoding::check_event`, which
/// calls this.
pub fn check_fields(event: &Event) -> Result<(), String> {
    match event {
        Event::MatchResult(m) => {
            if let Some(p) = score_problem("score", m.home_goals, m.away_goals) {
                return Err(p);
            }
            pair("half-time score", &m.half_time)?;
            pair("extra-time score", &m.extra_time)?;
            pair("penalty score", &m.penalties)?;
        }
        Event::SeasonFacts(f) => {
            if f.other.len() > FACTS {
                return Err(format!(
                    "{} season facts; the limit is {FACTS}",
                    f.other.len()
                ));
            }
            if f.top_scorers.len() > TOP_SCORERS {
                return Err(format!(
                    "{} top scorers; the limit is {TOP_SCORERS}",
                    f.top_scorers.len()
                ));
            }
            for s in &f.top_scorers {
                text("a top scorer", s)?;
            }
            for (k, v) in &f.other {
                text("a season fact's name", k)?;
                text(&format!("season fact '{k}'"), v)?;
            }
            for s in [&f.winners, &f.previous_season, &f.next_season] {
                optional_text("a season fact", s)?;
            }
        }
        Event::ResultCorrected(c) => {
            if let Some(p) = score_problem("score", c.home_goals, c.away_goals) {
                return Err(p);
            }
            text("the reason", &c.reason)?;
            optional_text("the source", &c.source)?;
        }
        Event::MatchAwarded(a) => {
            if let Some(p) = score_problem("awarded score", a.home_goals, a.away_goals) {
                return Err(p);
            }
            text("the reason", &a.reason)?;
            optional_text("the source", &a.source)?;
        }
        Event::MatchAnnulled(a) => {
            text("the reason", &a.reason)?;
            optional_text("the source", &a.source)?;
        }
        Event::PointsAdjusted(p) => {
            text("the reason", &p.reason)?;
            optional_text("the source", &p.source)?;
        }
        Event::TeamRenamed(t) => {
            text("the reason", &t.reason)?;
            optional_text("the source", &t.source)?;
        }
        Event::ShootoutDecided(s) => optional_text("the source", &s.source)?,
        Event::FairPlayStated(f) => optional_text("the source", &f.source)?,
        Event::Rules(_) | Event::RulesStated(_) | Event::TeamRegistered(_) => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Date;
    use crate::model::event::MatchResult;

    fn result(h: u16, a: u16) -> Event {
        let d = Date::from_ymd(2002, 10, 31).unwrap();
        Event::MatchResult(MatchResult::sample(d, h, a))
    }

    #[test]
    fn scores_up_to_the_bound_pass_and_above_it_are_refused() {
        assert!(check_fields(&result(149, 0)).is_ok());
        assert!(check_fields(&result(MAX_GOALS, MAX_GOALS)).is_ok());
        let e = check_fields(&result(0, MAX_GOALS + 1)).unwrap_err();
        assert!(e.contains("0-201") && e.contains("record is 149"), "{e}");
        assert!(check_fields(&result(65_535, 0)).is_err());
    }
}
