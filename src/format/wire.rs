//! The frozen layout of an event: the types whose bincode bytes are an
//! event's canonical form, and so its hash (`schema/events.md`). They
//! mirror the model's event types field for field, in the order of the
//! format; the model converts to and from them here, so a model type can
//! be renamed, reordered or grown without touching a hash. A change to a
//! type of this file is a format change: `tests/it/golden.rs` pins the
//! bytes of every kind.
//!
//! Texts are `Cow`: an event is encoded from borrowed names without a copy,
//! and decoded into owned ones that move into the model as they are.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::model::date::Date;
use crate::model::event as m;
use crate::model::rules::Tiebreak;

type Text<'a> = Cow<'a, str>;

/// An event (kind = variant index: never reorder, only append).
#[derive(Serialize, Deserialize)]
pub(crate) enum Event<'a> {
    MatchResult(MatchResult<'a>),
    Rules(Rules<'a>),
    SeasonFacts(SeasonFacts<'a>),
    TeamRegistered(TeamRegistration<'a>),
    ResultCorrected(ResultCorrection<'a>),
    MatchAwarded(Award<'a>),
    MatchAnnulled(Annulment<'a>),
    PointsAdjusted(PointsAdjustment<'a>),
    TeamRenamed(TeamRename<'a>),
    RulesStated(StatedRules<'a>),
    ShootoutDecided(Shootout<'a>),
    FairPlayStated(FairPlay<'a>),
}

/// A date as its key: `year * 10_000 + month * 100 + day`.
type DateKey = u32;

#[derive(Serialize, Deserialize)]
pub(crate) struct MatchResult<'a> {
    competition: Text<'a>,
    season: Text<'a>,
    stage: Text<'a>,
    group: Option<Text<'a>>,
    round: Option<u32>,
    date: DateKey,
    home: Text<'a>,
    away: Text<'a>,
    home_goals: u16,
    away_goals: u16,
    status: MatchStatus,
    neutral: bool,
    half_time: Option<ScorePair>,
    extra_time: Option<ScorePair>,
    penalties: Option<ScorePair>,
}

#[derive(Serialize, Deserialize)]
enum MatchStatus {
    Played,
    Cancelled,
    Postponed,
    Abandoned,
}

#[derive(Serialize, Deserialize)]
struct ScorePair {
    home: u16,
    away: u16,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Rules<'a> {
    competition: Text<'a>,
    season: Text<'a>,
    stage: Option<Text<'a>>,
    points_for_win: u8,
    points_for_draw: u8,
    points_for_loss: u8,
    tiebreak: Vec<TiebreakKey>,
}

/// A tie-break key (variant index: never reorder, only append).
#[derive(Serialize, Deserialize)]
enum TiebreakKey {
    Points,
    GoalDifference,
    GoalsFor,
    GoalAverage,
    HeadToHead,
    Wins,
    AwayGoals,
    FairPlay,
    HeadToHeadOnce,
    PointsPerGame,
}

#[derive(Serialize, Deserialize)]
enum RulesSource {
    File,
    User,
    Era,
    Catalogue,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct StatedRules<'a> {
    rules: Rules<'a>,
    source: RulesSource,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct SeasonFacts<'a> {
    competition: Text<'a>,
    season: Text<'a>,
    winners: Option<Text<'a>>,
    top_scorers: Vec<Text<'a>>,
    top_scorer_goals: Option<u16>,
    previous_season: Option<Text<'a>>,
    next_season: Option<Text<'a>>,
    other: Vec<(Text<'a>, Text<'a>)>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct TeamRegistration<'a> {
    competition: Text<'a>,
    season: Text<'a>,
    stage: Option<Text<'a>>,
    team: Text<'a>,
    region: Option<Text<'a>>,
    location: Option<Text<'a>>,
}

/// A match id: 16 bytes.
type Id = [u8; 16];

#[derive(Serialize, Deserialize)]
pub(crate) struct ResultCorrection<'a> {
    match_id: Id,
    home_goals: u16,
    away_goals: u16,
    reason: Text<'a>,
    source: Option<Text<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Award<'a> {
    match_id: Id,
    to: Text<'a>,
    home_goals: u16,
    away_goals: u16,
    kept_score: bool,
    reason: Text<'a>,
    source: Option<Text<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Annulment<'a> {
    match_id: Id,
    reason: Text<'a>,
    source: Option<Text<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct PointsAdjustment<'a> {
    competition: Text<'a>,
    season: Text<'a>,
    stage: Option<Text<'a>>,
    team: Text<'a>,
    points: i32,
    date: DateKey,
    reason: Text<'a>,
    source: Option<Text<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct TeamRename<'a> {
    competition: Text<'a>,
    from: Text<'a>,
    to: Text<'a>,
    reason: Text<'a>,
    source: Option<Text<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct Shootout<'a> {
    match_id: Id,
    winner: Text<'a>,
    first_shooter: Option<Text<'a>>,
    source: Option<Text<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct FairPlay<'a> {
    competition: Text<'a>,
    season: Text<'a>,
    stage: Option<Text<'a>>,
    team: Text<'a>,
    points: i32,
    source: Option<Text<'a>>,
}

// ---- model -> wire (borrowed, no copy of a text) ----

fn t(s: &str) -> Text<'_> {
    Cow::Borrowed(s)
}

fn ot(s: &Option<String>) -> Option<Text<'_>> {
    s.as_deref().map(Cow::Borrowed)
}

fn pair(p: &Option<m::ScorePair>) -> Option<ScorePair> {
    p.map(|p| ScorePair {
        home: p.home,
        away: p.away,
    })
}

/// The wire form of a model event, borrowing its texts.
pub(crate) fn of(e: &m::Event) -> Event<'_> {
    match e {
        m::Event::MatchResult(x) => Event::MatchResult(match_result(x)),
        m::Event::Rules(x) => Event::Rules(rules(x)),
        m::Event::SeasonFacts(x) => Event::SeasonFacts(season_facts(x)),
        m::Event::TeamRegistered(x) => Event::TeamRegistered(registration(x)),
        m::Event::ResultCorrected(x) => Event::ResultCorrected(ResultCorrection {
            match_id: x.match_id.0,
            home_goals: x.home_goals,
            away_goals: x.away_goals,
            reason: t(&x.reason),
            source: ot(&x.source),
        }),
        m::Event::MatchAwarded(x) => Event::MatchAwarded(Award {
            match_id: x.match_id.0,
            to: t(&x.to),
            home_goals: x.home_goals,
            away_goals: x.away_goals,
            kept_score: x.kept_score,
            reason: t(&x.reason),
            source: ot(&x.source),
        }),
        m::Event::MatchAnnulled(x) => Event::MatchAnnulled(Annulment {
            match_id: x.match_id.0,
            reason: t(&x.reason),
            source: ot(&x.source),
        }),
        m::Event::PointsAdjusted(x) => Event::PointsAdjusted(adjustment(x)),
        m::Event::TeamRenamed(x) => Event::TeamRenamed(TeamRename {
            competition: t(&x.competition),
            from: t(&x.from),
            to: t(&x.to),
            reason: t(&x.reason),
            source: ot(&x.source),
        }),
        m::Event::RulesStated(x) => Event::RulesStated(StatedRules {
            rules: rules(&x.rules),
            source: match x.source {
                m::RulesSource::File => RulesSource::File,
                m::RulesSource::User => RulesSource::User,
                m::RulesSource::Era => RulesSource::Era,
                m::RulesSource::Catalogue => RulesSource::Catalogue,
            },
        }),
        m::Event::ShootoutDecided(x) => Event::ShootoutDecided(Shootout {
            match_id: x.match_id.0,
            winner: t(&x.winner),
            first_shooter: ot(&x.first_shooter),
            source: ot(&x.source),
        }),
        m::Event::FairPlayStated(x) => Event::FairPlayStated(FairPlay {
            competition: t(&x.competition),
            season: t(&x.season),
            stage: ot(&x.stage),
            team: t(&x.team),
            points: x.points,
            source: ot(&x.source),
        }),
    }
}

fn match_result(x: &m::MatchResult) -> MatchResult<'_> {
    MatchResult {
        competition: t(&x.competition),
        season: t(&x.season),
        stage: t(&x.stage),
        group: ot(&x.group),
        round: x.round,
        date: x.date.to_key(),
        home: t(&x.home),
        away: t(&x.away),
        home_goals: x.home_goals,
        away_goals: x.away_goals,
        status: match x.status {
            m::MatchStatus::Played => MatchStatus::Played,
            m::MatchStatus::Cancelled => MatchStatus::Cancelled,
            m::MatchStatus::Postponed => MatchStatus::Postponed,
            m::MatchStatus::Abandoned => MatchStatus::Abandoned,
        },
        neutral: x.neutral,
        half_time: pair(&x.half_time),
        extra_time: pair(&x.extra_time),
        penalties: pair(&x.penalties),
    }
}

fn rules(x: &m::Rules) -> Rules<'_> {
    Rules {
        competition: t(&x.competition),
        season: t(&x.season),
        stage: ot(&x.stage),
        points_for_win: x.points_for_win,
        points_for_draw: x.points_for_draw,
        points_for_loss: x.points_for_loss,
        tiebreak: x.tiebreak.iter().map(|&k| tiebreak(k)).collect(),
    }
}

fn tiebreak(k: Tiebreak) -> TiebreakKey {
    match k {
        Tiebreak::Points => TiebreakKey::Points,
        Tiebreak::GoalDifference => TiebreakKey::GoalDifference,
        Tiebreak::GoalsFor => TiebreakKey::GoalsFor,
        Tiebreak::GoalAverage => TiebreakKey::GoalAverage,
        Tiebreak::HeadToHead => TiebreakKey::HeadToHead,
        Tiebreak::Wins => TiebreakKey::Wins,
        Tiebreak::AwayGoals => TiebreakKey::AwayGoals,
        Tiebreak::FairPlay => TiebreakKey::FairPlay,
        Tiebreak::HeadToHeadOnce => TiebreakKey::HeadToHeadOnce,
        Tiebreak::PointsPerGame => TiebreakKey::PointsPerGame,
    }
}

fn season_facts(x: &m::SeasonFacts) -> SeasonFacts<'_> {
    SeasonFacts {
        competition: t(&x.competition),
        season: t(&x.season),
        winners: ot(&x.winners),
        top_scorers: x.top_scorers.iter().map(|s| t(s)).collect(),
        top_scorer_goals: x.top_scorer_goals,
        previous_season: ot(&x.previous_season),
        next_season: ot(&x.next_season),
        other: x.other.iter().map(|(k, v)| (t(k), t(v))).collect(),
    }
}

fn registration(x: &m::TeamRegistration) -> TeamRegistration<'_> {
    TeamRegistration {
        competition: t(&x.competition),
        season: t(&x.season),
        stage: ot(&x.stage),
        team: t(&x.team),
        region: ot(&x.region),
        location: ot(&x.location),
    }
}

fn adjustment(x: &m::PointsAdjustment) -> PointsAdjustment<'_> {
    PointsAdjustment {
        competition: t(&x.competition),
        season: t(&x.season),
        stage: ot(&x.stage),
        team: t(&x.team),
        points: x.points,
        date: x.date.to_key(),
        reason: t(&x.reason),
        source: ot(&x.source),
    }
}

// ---- wire -> model (owned texts move over) ----

fn s(t: Text<'_>) -> String {
    t.into_owned()
}

fn os(t: Option<Text<'_>>) -> Option<String> {
    t.map(Cow::into_owned)
}

fn unpair(p: Option<ScorePair>) -> Option<m::ScorePair> {
    p.map(|p| m::ScorePair {
        home: p.home,
        away: p.away,
    })
}

fn date(k: DateKey) -> Result<Date, String> {
    // The words the model's own decoding used, kept for the messages.
    Date::from_key(k)
        .ok_or_else(|| format!("the bytes do not make a value here (invalid date key {k})"))
}

/// The model event a decoded wire event gives; fails only on a date key
/// that names no date.
pub(crate) fn into_model(e: Event<'_>) -> Result<m::Event, String> {
    Ok(match e {
        Event::MatchResult(x) => m::Event::MatchResult(unmatch(x)?),
        Event::Rules(x) => m::Event::Rules(unrules(x)),
        Event::SeasonFacts(x) => m::Event::SeasonFacts(unfacts(x)),
        Event::TeamRegistered(x) => m::Event::TeamRegistered(unregistration(x)),
        Event::ResultCorrected(x) => m::Event::ResultCorrected(m::ResultCorrection {
            match_id: m::MatchId(x.match_id),
            home_goals: x.home_goals,
            away_goals: x.away_goals,
            reason: s(x.reason),
            source: os(x.source),
        }),
        Event::MatchAwarded(x) => m::Event::MatchAwarded(unaward(x)),
        Event::MatchAnnulled(x) => m::Event::MatchAnnulled(m::Annulment {
            match_id: m::MatchId(x.match_id),
            reason: s(x.reason),
            source: os(x.source),
        }),
        Event::PointsAdjusted(x) => m::Event::PointsAdjusted(unadjustment(x)?),
        Event::TeamRenamed(x) => m::Event::TeamRenamed(m::TeamRename {
            competition: s(x.competition),
            from: s(x.from),
            to: s(x.to),
            reason: s(x.reason),
            source: os(x.source),
        }),
        Event::RulesStated(x) => m::Event::RulesStated(m::StatedRules {
            rules: unrules(x.rules),
            source: match x.source {
                RulesSource::File => m::RulesSource::File,
                RulesSource::User => m::RulesSource::User,
                RulesSource::Era => m::RulesSource::Era,
                RulesSource::Catalogue => m::RulesSource::Catalogue,
            },
        }),
        Event::ShootoutDecided(x) => m::Event::ShootoutDecided(m::Shootout {
            match_id: m::MatchId(x.match_id),
            winner: s(x.winner),
            first_shooter: os(x.first_shooter),
            source: os(x.source),
        }),
        Event::FairPlayStated(x) => m::Event::FairPlayStated(m::FairPlay {
            competition: s(x.competition),
            season: s(x.season),
            stage: os(x.stage),
            team: s(x.team),
            points: x.points,
            source: os(x.source),
        }),
    })
}

fn unmatch(x: MatchResult<'_>) -> Result<m::MatchResult, String> {
    Ok(m::MatchResult {
        competition: s(x.competition),
        season: s(x.season),
        stage: s(x.stage),
        group: os(x.group),
        round: x.round,
        date: date(x.date)?,
        home: s(x.home),
        away: s(x.away),
        home_goals: x.home_goals,
        away_goals: x.away_goals,
        status: match x.status {
            MatchStatus::Played => m::MatchStatus::Played,
            MatchStatus::Cancelled => m::MatchStatus::Cancelled,
            MatchStatus::Postponed => m::MatchStatus::Postponed,
            MatchStatus::Abandoned => m::MatchStatus::Abandoned,
        },
        neutral: x.neutral,
        half_time: unpair(x.half_time),
        extra_time: unpair(x.extra_time),
        penalties: unpair(x.penalties),
    })
}

fn unrules(x: Rules<'_>) -> m::Rules {
    m::Rules {
        competition: s(x.competition),
        season: s(x.season),
        stage: os(x.stage),
        points_for_win: x.points_for_win,
        points_for_draw: x.points_for_draw,
        points_for_loss: x.points_for_loss,
        tiebreak: x
            .tiebreak
            .into_iter()
            .map(|k| match k {
                TiebreakKey::Points => Tiebreak::Points,
                TiebreakKey::GoalDifference => Tiebreak::GoalDifference,
                TiebreakKey::GoalsFor => Tiebreak::GoalsFor,
                TiebreakKey::GoalAverage => Tiebreak::GoalAverage,
                TiebreakKey::HeadToHead => Tiebreak::HeadToHead,
                TiebreakKey::Wins => Tiebreak::Wins,
                TiebreakKey::AwayGoals => Tiebreak::AwayGoals,
                TiebreakKey::FairPlay => Tiebreak::FairPlay,
                TiebreakKey::HeadToHeadOnce => Tiebreak::HeadToHeadOnce,
                TiebreakKey::PointsPerGame => Tiebreak::PointsPerGame,
            })
            .collect(),
    }
}

fn unfacts(x: SeasonFacts<'_>) -> m::SeasonFacts {
    m::SeasonFacts {
        competition: s(x.competition),
        season: s(x.season),
        winners: os(x.winners),
        top_scorers: x.top_scorers.into_iter().map(s).collect(),
        top_scorer_goals: x.top_scorer_goals,
        previous_season: os(x.previous_season),
        next_season: os(x.next_season),
        other: x.other.into_iter().map(|(k, v)| (s(k), s(v))).collect(),
    }
}

fn unregistration(x: TeamRegistration<'_>) -> m::TeamRegistration {
    m::TeamRegistration {
        competition: s(x.competition),
        season: s(x.season),
        stage: os(x.stage),
        team: s(x.team),
        region: os(x.region),
        location: os(x.location),
    }
}

fn unadjustment(x: PointsAdjustment<'_>) -> Result<m::PointsAdjustment, String> {
    Ok(m::PointsAdjustment {
        competition: s(x.competition),
        season: s(x.season),
        stage: os(x.stage),
        team: s(x.team),
        points: x.points,
        date: date(x.date)?,
        reason: s(x.reason),
        source: os(x.source),
    })
}

fn unaward(x: Award<'_>) -> m::Award {
    m::Award {
        match_id: m::MatchId(x.match_id),
        to: s(x.to),
        home_goals: x.home_goals,
        away_goals: x.away_goals,
        kept_score: x.kept_score,
        reason: s(x.reason),
        source: os(x.source),
    }
}
