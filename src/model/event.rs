//! Event kinds: plain data, appended once and never changed.
//!
//! The variant order and field order are part of the canonical byte format
//! (see `schema/events.md`): new kinds are added at the end, existing ones
//! are never reordered or changed.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::date::Date;
use crate::model::rules::Tiebreak;

/// Every fact the archive can learn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A match was played (or scheduled and then not played) with this result.
    MatchResult(MatchResult),
    /// The rules a competition season (or one stage of it) is played under.
    Rules(Rules),
    /// Facts about a season from its infobox: winners, top scorers, neighbours.
    SeasonFacts(SeasonFacts),
    /// A team takes part in a season or stage (it appears in tables with zeros
    /// before its first match).
    TeamRegistered(TeamRegistration),
    /// A recorded score was wrong; this is the right one.
    ResultCorrected(ResultCorrection),
    /// A match was awarded to one team (after a protest, a walkover, ...).
    MatchAwarded(Award),
    /// A match no longer counts (a replay, if any, is a new match).
    MatchAnnulled(Annulment),
    /// Points added to or taken from a team from a date on.
    PointsAdjusted(PointsAdjustment),
    /// A team is known by another name from now on: both names are one club.
    TeamRenamed(TeamRename),
    /// Rules, with where they came from (the file, the user, or the era).
    RulesStated(StatedRules),
    /// A match (a knockout match, or the second leg of a tie) was decided
    /// on penalties: who won the shoot-out. Never counted in a table.
    ShootoutDecided(Shootout),
    /// A team's fair-play (disciplinary) points in a season or a stage, as
    /// published: read by the `fair-play` tie-break (event kind 11).
    FairPlayStated(FairPlay),
}

/// A team's fair-play points in a season (or one stage): the total the
/// competition published (FIFA: -1 a yellow card, -3 an indirect red, ...;
/// higher is better). A later statement for the same team and scope
/// replaces an earlier one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairPlay {
    /// The competition, spelled as the archive spells it.
    pub competition: String,
    /// The season, e.g. `2018` or `1888-89`.
    pub season: String,
    /// The stage the points apply to; `None`: every stage of the season.
    pub stage: Option<String>,
    /// The team the points belong to.
    pub team: String,
    /// The published total (negative for cards; higher is better).
    pub points: i32,
    /// Where the figure comes from, if stated (free text).
    pub source: Option<String>,
}

/// The id of a fixture (see `schema/keys.md`): 16 bytes, shown as hex.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MatchId(pub [u8; 16]);

impl MatchId {
    /// Characters of the id shown to people.
    pub const SHORT_LEN: usize = 10;

    /// All 32 hex characters of the id.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The first [`MatchId::SHORT_LEN`] hex characters.
    pub fn short(&self) -> String {
        self.to_hex()[..Self::SHORT_LEN].to_string()
    }
}

impl fmt::Display for MatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.short())
    }
}

impl fmt::Debug for MatchId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MatchId({})", self.to_hex())
    }
}

impl Serialize for MatchId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            s.serialize_str(&self.to_hex())
        } else {
            self.0.serialize(s)
        }
    }
}

impl<'de> Deserialize<'de> for MatchId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = String::deserialize(d)?;
            let mut out = [0u8; 16];
            hex::decode_to_slice(&s, &mut out).map_err(serde::de::Error::custom)?;
            Ok(MatchId(out))
        } else {
            <[u8; 16]>::deserialize(d).map(MatchId)
        }
    }
}

/// Whether a match counts in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    /// Played to the end; counts.
    #[default]
    Played,
    /// Will not be played; kept, never counted.
    Cancelled,
    /// Not played on this date; kept, never counted.
    Postponed,
    /// Started but not finished; kept, never counted.
    Abandoned,
}

impl MatchStatus {
    /// Whether a match with this status counts in tables (only
    /// [`MatchStatus::Played`] does).
    pub fn counts(self) -> bool {
        self == MatchStatus::Played
    }
}

/// A score pair used for half-time, extra-time and penalty scores, which are
/// kept apart from the full-time score and never count as goals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ScorePair {
    /// Goals of the home team.
    pub home: u16,
    /// Goals of the away team.
    pub away: u16,
}

/// One match result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchResult {
    /// The competition, e.g. `Copa Perú`.
    pub competition: String,
    /// The season, e.g. `1984` or `1888-89`.
    pub season: String,
    /// The stage, e.g. `Final stage` or `Division 1`: the unit a table is folded over.
    pub stage: String,
    /// The group as the source names it (e.g. `Group A`); `None` where there is
    /// none. Not part of the match's id.
    pub group: Option<String>,
    /// Round (matchday) number, from 1; `None` where the source has none.
    pub round: Option<u32>,
    /// The day the match was played (or was to be played).
    pub date: Date,
    /// The home team's name (cleaned, and spelled as the archive first spelled it).
    pub home: String,
    /// The away team's name (cleaned and spelled as `home` is).
    pub away: String,
    /// Goals at the end of normal time (what counts in a table).
    pub home_goals: u16,
    /// Goals of the away team at the end of normal time.
    pub away_goals: u16,
    /// Whether the match was played, and so whether it counts.
    pub status: MatchStatus,
    /// Played at a neutral venue.
    pub neutral: bool,
    /// Score at half-time, where known; never counted.
    pub half_time: Option<ScorePair>,
    /// Score after extra time, when extra time was played.
    pub extra_time: Option<ScorePair>,
    /// Score of a penalty shoot-out, where one was taken; never counted as goals.
    pub penalties: Option<ScorePair>,
}

/// What names a match: competition, season, stage, round, date, home, away
/// (its id is their hash, `keys::match_id`).
#[derive(Clone, Copy, Debug)]
pub struct Fixture<'a> {
    /// The competition the match belongs to.
    pub competition: &'a str,
    /// The season, as the competition names it (`1984`, `1888-89`).
    pub season: &'a str,
    /// The stage the match counts in.
    pub stage: &'a str,
    /// Round (matchday) number, from 1; `None` where the source has none.
    pub round: Option<u32>,
    /// The day of the match.
    pub date: Date,
    /// The home team's name.
    pub home: &'a str,
    /// The away team's name.
    pub away: &'a str,
}

impl<'a> Fixture<'a> {
    /// The fixture of a result.
    pub fn of(m: &'a MatchResult) -> Fixture<'a> {
        Fixture {
            competition: &m.competition,
            season: &m.season,
            stage: &m.stage,
            round: m.round,
            date: m.date,
            home: &m.home,
            away: &m.away,
        }
    }
}

#[cfg(test)]
impl MatchResult {
    /// For tests: A v B in competition C, season S, stage X, on `date`.
    pub(crate) fn sample(date: Date, home_goals: u16, away_goals: u16) -> MatchResult {
        let f = Fixture {
            competition: "C",
            season: "S",
            stage: "X",
            round: None,
            date,
            home: "A",
            away: "B",
        };
        MatchResult::new(f, home_goals, away_goals)
    }
}

impl MatchResult {
    /// A played match of a fixture, with only the essentials set.
    pub fn new(f: Fixture, home_goals: u16, away_goals: u16) -> MatchResult {
        MatchResult {
            competition: f.competition.into(),
            season: f.season.into(),
            stage: f.stage.into(),
            group: None,
            round: f.round,
            date: f.date,
            home: f.home.into(),
            away: f.away.into(),
            home_goals,
            away_goals,
            status: MatchStatus::Played,
            neutral: false,
            half_time: None,
            extra_time: None,
            penalties: None,
        }
    }

    /// Same fixture and same outcome (score, status and details).
    pub fn same_outcome(&self, other: &MatchResult) -> bool {
        self.home_goals == other.home_goals
            && self.away_goals == other.away_goals
            && self.status == other.status
            && self.neutral == other.neutral
            && self.half_time == other.half_time
            && self.extra_time == other.extra_time
            && self.penalties == other.penalties
    }
}

/// Points for a result and the order of tie-breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// The competition they apply to.
    pub competition: String,
    /// The season they apply to.
    pub season: String,
    /// `None`: every stage of the season; `Some`: this stage only (wins over the season's).
    pub stage: Option<String>,
    /// Points for a win (the general rule: 2 before the 1994 World Cup, 3 from then on).
    pub points_for_win: u8,
    /// Points for a draw.
    pub points_for_draw: u8,
    /// Points for a loss.
    pub points_for_loss: u8,
    /// The tie-break criteria, in the order they apply; if `points` is left
    /// out, points come first.
    pub tiebreak: Vec<Tiebreak>,
}

impl Rules {
    /// Whether `other` gives the same points and tie-break order (whatever
    /// its scope).
    pub fn same_values(&self, other: &Rules) -> bool {
        (
            self.points_for_win,
            self.points_for_draw,
            self.points_for_loss,
            &self.tiebreak,
        ) == (
            other.points_for_win,
            other.points_for_draw,
            other.points_for_loss,
            &other.tiebreak,
        )
    }
}

/// Where a season's rules came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RulesSource {
    /// The imported file states them.
    File,
    /// Somebody set them (`rules`, `import --points-for-win`).
    User,
    /// Nobody stated them: the general rule of the season's era
    /// ([`crate::model::rules::era_points_for_win`]).
    Era,
    /// Nobody stated them: the rules catalogue's entry for the
    /// competition's season or stage ([`crate::model::catalogue`]).
    Catalogue,
}

impl RulesSource {
    /// How tables and `rules` name the source.
    pub fn describe(self) -> &'static str {
        match self {
            RulesSource::File => "stated by the file",
            RulesSource::User => "set by the user",
            RulesSource::Era => "by the era (the general rule)",
            RulesSource::Catalogue => "from the rules catalogue",
        }
    }
}

/// Rules and their source (event kind 9).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatedRules {
    /// The points and tie-break order, as kind 1 holds them.
    pub rules: Rules,
    /// Who stated them.
    pub source: RulesSource,
}

/// Season facts, as an infobox gives them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeasonFacts {
    /// The competition the infobox describes.
    pub competition: String,
    /// The season the infobox describes.
    pub season: String,
    /// The season's winners, as the infobox names them.
    pub winners: Option<String>,
    /// The top scorers, in the infobox's order (empty where it names none).
    pub top_scorers: Vec<String>,
    /// Goals each top scorer scored, where given.
    pub top_scorer_goals: Option<u16>,
    /// The season before, as the infobox names it.
    pub previous_season: Option<String>,
    /// The season after, as the infobox names it.
    pub next_season: Option<String>,
    /// Any other infobox lines, in page order, as key and value.
    pub other: Vec<(String, String)>,
}

/// A team taking part, with where it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRegistration {
    /// The competition the team takes part in.
    pub competition: String,
    /// The season the team takes part in.
    pub season: String,
    /// The stage the team takes part in; `None`: the whole season.
    pub stage: Option<String>,
    /// The team's name (cleaned, and spelled as the archive first spelled it).
    pub team: String,
    /// Department, region or county.
    pub region: Option<String>,
    /// Town or city.
    pub location: Option<String>,
}

/// A new score for a recorded match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultCorrection {
    /// The match (its fixture's id).
    pub match_id: MatchId,
    /// The right full-time home goals.
    pub home_goals: u16,
    /// The right full-time away goals.
    pub away_goals: u16,
    /// Why the score changes (required).
    pub reason: String,
    /// Where the right score comes from, if stated.
    pub source: Option<String>,
}

/// A match awarded to a team.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Award {
    /// The match awarded.
    pub match_id: MatchId,
    /// The team the match was awarded to (the home or the away team).
    pub to: String,
    /// The score that counts from now on, home first.
    pub home_goals: u16,
    /// The away team's goals that count from now on.
    pub away_goals: u16,
    /// True when the score played was kept rather than replaced (e.g. 3-0).
    pub kept_score: bool,
    /// Why the match was awarded (required).
    pub reason: String,
    /// Where the decision comes from, if stated.
    pub source: Option<String>,
}

/// A match that no longer counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annulment {
    /// The match that no longer counts.
    pub match_id: MatchId,
    /// Why it no longer counts (required).
    pub reason: String,
    /// Where the decision comes from, if stated.
    pub source: Option<String>,
}

/// The winner of a penalty shoot-out that decided a match (or the tie whose
/// last match it was), kept beside the match and never counted in a table
/// (event kind 10).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shootout {
    /// The match the shoot-out decided.
    pub match_id: MatchId,
    /// The home or the away team.
    pub winner: String,
    /// The team that shot first, where known (the home or the away team).
    pub first_shooter: Option<String>,
    /// Where the shoot-out's winner comes from, if stated.
    pub source: Option<String>,
}

/// Points added to (positive) or deducted from (negative) a team's total in
/// the tables of a season (or one stage) dated on or after `date`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointsAdjustment {
    /// The competition whose tables it applies to.
    pub competition: String,
    /// The season whose tables it applies to.
    pub season: String,
    /// The stage whose tables it applies to; `None`: every stage of the season.
    pub stage: Option<String>,
    /// The team, one the season already knows.
    pub team: String,
    /// Points added (positive) or deducted (negative).
    pub points: i32,
    /// The first day it counts: tables as of this date and later include it.
    pub date: Date,
    /// Why the points change (required).
    pub reason: String,
    /// Where the decision comes from, if stated.
    pub source: Option<String>,
}

/// `from` and `to` name one club in a competition; tables show `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamRename {
    /// The competition; the rename holds in every season of it.
    pub competition: String,
    /// A name the competition already knows.
    pub from: String,
    /// The name shown from now on.
    pub to: String,
    /// Why the name changes (required).
    pub reason: String,
    /// Where the rename comes from, if stated.
    pub source: Option<String>,
}

impl Event {
    /// The kind as written in logs and JSON (`match_result`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Event::MatchResult(_) => "match_result",
            Event::Rules(_) => "rules",
            Event::SeasonFacts(_) => "season_facts",
            Event::TeamRegistered(_) => "team_registered",
            Event::ResultCorrected(_) => "result_corrected",
            Event::MatchAwarded(_) => "match_awarded",
            Event::MatchAnnulled(_) => "match_annulled",
            Event::PointsAdjusted(_) => "points_adjusted",
            Event::TeamRenamed(_) => "team_renamed",
            Event::RulesStated(_) => "rules",
            Event::ShootoutDecided(_) => "shootout_decided",
            Event::FairPlayStated(_) => "fair_play_stated",
        }
    }

    /// One line for humans.
    pub fn summary(&self) -> String {
        match self {
            Event::MatchResult(m) => m.summary(),
            Event::Rules(r) => rules_summary(r),
            Event::RulesStated(s) => {
                format!("{} ({})", rules_summary(&s.rules), s.source.describe())
            }
            Event::SeasonFacts(f) => format!(
                "{} {}: winners {}",
                f.competition,
                f.season,
                f.winners.as_deref().unwrap_or("-")
            ),
            Event::TeamRegistered(t) => format!(
                "{} {}{}: team {}",
                t.competition,
                t.season,
                stage_suffix(&t.stage),
                t.team
            ),
            Event::ResultCorrected(c) => format!(
                "match {}: corrected to {}-{} ({})",
                c.match_id, c.home_goals, c.away_goals, c.reason
            ),
            Event::MatchAwarded(a) => a.summary(),
            Event::MatchAnnulled(a) => format!("match {}: annulled ({})", a.match_id, a.reason),
            Event::PointsAdjusted(p) => p.summary(),
            Event::TeamRenamed(r) => format!(
                "{}: {} is now {} ({})",
                r.competition, r.from, r.to, r.reason
            ),
            Event::ShootoutDecided(s) => format!("match {}: {}", s.match_id, s.describe()),
            Event::FairPlayStated(f) => format!(
                "{} {}{}: {} has {} fair-play points",
                f.competition,
                f.season,
                stage_suffix(&f.stage),
                f.team,
                f.points
            ),
        }
    }

    /// The rules an event sets, of either rules kind.
    pub fn rules(&self) -> Option<&Rules> {
        match self {
            Event::Rules(r) => Some(r),
            Event::RulesStated(s) => Some(&s.rules),
            _ => None,
        }
    }

    /// Where the rules an event sets came from: `None` for kind 1, which
    /// does not say.
    pub fn rules_source(&self) -> Option<RulesSource> {
        match self {
            Event::RulesStated(s) => Some(s.source),
            _ => None,
        }
    }
}

fn rules_summary(r: &Rules) -> String {
    format!(
        "{} {}{}: {}/{}/{} points, tie-break {}",
        r.competition,
        r.season,
        r.stage
            .as_deref()
            .map(|s| format!(" {s}"))
            .unwrap_or_default(),
        r.points_for_win,
        r.points_for_draw,
        r.points_for_loss,
        crate::model::rules::tiebreak_list(&r.tiebreak)
    )
}

impl Shootout {
    /// `shoot-out won by Italy (Brazil shot first)`.
    pub fn describe(&self) -> String {
        let first = self
            .first_shooter
            .as_deref()
            .map(|t| format!(" ({t} shot first)"))
            .unwrap_or_default();
        format!("shoot-out won by {}{first}", self.winner)
    }
}

impl Rules {
    /// The points and tie-break order these rules give (`rules` holds the
    /// vocabulary; the event names it, so the dependency runs one way).
    pub fn scoring(&self) -> crate::model::rules::Scoring {
        crate::model::rules::Scoring::new(
            self.points_for_win,
            self.points_for_draw,
            self.points_for_loss,
            &self.tiebreak,
        )
    }
}

/// " STAGE" for a scope with a stage, "" for a whole season.
fn stage_suffix(stage: &Option<String>) -> String {
    stage
        .as_deref()
        .map(|s| format!(" {s}"))
        .unwrap_or_default()
}

impl MatchResult {
    /// One line: scope, round, date, teams and score, and a status that
    /// does not count.
    fn summary(&self) -> String {
        let round = self
            .round
            .map(|r| format!(" round {r}"))
            .unwrap_or_default();
        let status = match self.status.counts() {
            true => String::new(),
            false => format!(" [{:?}]", self.status).to_lowercase(),
        };
        format!(
            "{} {} {}{} {}: {} {}-{} {}{}",
            self.competition,
            self.season,
            self.stage,
            round,
            self.date,
            self.home,
            self.home_goals,
            self.away_goals,
            self.away,
            status
        )
    }
}

impl Award {
    /// One line: the match, who it went to, the score and why.
    fn summary(&self) -> String {
        format!(
            "match {}: awarded to {} {}-{}{} ({})",
            self.match_id,
            self.to,
            self.home_goals,
            self.away_goals,
            if self.kept_score { ", score kept" } else { "" },
            self.reason
        )
    }
}

impl PointsAdjustment {
    /// One line: the scope, the team, the points, from when and why.
    fn summary(&self) -> String {
        format!(
            "{} {}{}: {} {:+} points from {} ({})",
            self.competition,
            self.season,
            stage_suffix(&self.stage),
            self.team,
            self.points,
            self.date,
            self.reason
        )
    }
}
