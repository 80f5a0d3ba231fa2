//! Questions asked of the archive: which stage, the table at a point in time,
//! the results.

use std::collections::{BTreeSet, HashMap};

use crate::derived::ledger::{CatalogEntry, Ledger};
use crate::derived::{self, decode_derived, Effective, MatchRecord, StageInfo, StageRows};
use crate::error::{Error, Result};
use crate::format::chain::Hash;
use crate::format::keys::{self, Kind, NameList};
use crate::format::packed;
use crate::model::date::{Date, Timestamp};
use crate::model::event::{Event, SeasonFacts};
use crate::model::names;
use crate::model::rules::Scoring;
use crate::projection::projector::{self, Cut, Row};
use crate::projection::view::{KnownAt, View};
use crate::store::Space;

/// Narrows the archive to stages; a missing field matches everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// The competition, case and accents aside; part of a name picks the one
    /// name it fits (`premier league` finds `English Premier League`).
    pub competition: Option<String>,
    /// The season, matched as the competition is.
    pub season: Option<String>,
    /// The stage, matched as the competition is.
    pub stage: Option<String>,
}

/// A table and what it was computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Standings {
    /// The stage's competition, as the archive spells it.
    pub competition: String,
    /// The stage's season.
    pub season: String,
    /// The stage, as the archive spells it.
    pub stage: String,
    /// The date of a [`Cut::AsOf`] table; `None` for other cuts.
    pub as_of: Option<Date>,
    /// The last round of a [`Cut::Round`] table; `None` for other cuts.
    pub round: Option<u32>,
    /// The last event the table takes into account.
    pub known_at: u64,
    /// The hash of event `known_at`.
    pub head: Hash,
    /// The points for a result and the tie-break order the table was ranked by.
    pub scoring: Scoring,
    /// The seq of the rules event in force and where its rules came from
    /// (`None` inside: a rules event that does not say); `None`: no rules
    /// recorded, the default applies.
    pub rules: Option<(u64, Option<crate::model::event::RulesSource>)>,
    /// The rows, first place first.
    pub rows: Vec<Row>,
    /// For each row, the tie-break that placed it below the row above on the
    /// same points (`None`: points did, or the first row, or level).
    pub decided_by: Vec<Option<crate::model::rules::Tiebreak>>,
    /// The points adjustments the table counts, with their reasons.
    pub adjustments: Vec<crate::model::event::PointsAdjustment>,
    /// The stage's adjustments dated after the cut (not counted here).
    pub later_adjustments: Vec<crate::model::event::PointsAdjustment>,
}

/// One result, as `results` lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultRow {
    /// The match as the archive holds it, with every event that touched it.
    pub record: MatchRecord,
    /// What the match counts as at the query's `known_at`.
    pub effective: Effective,
    /// `played`, `corrected`, `awarded`, `annulled`, `cancelled`, ...
    pub status: &'static str,
    /// Who won the penalty shoot-out that decided the match, if one did.
    pub shootout_winner: Option<String>,
}

impl ResultRow {
    /// A match as known at `known_at`.
    pub fn at(record: MatchRecord, known_at: u64) -> ResultRow {
        ResultRow {
            effective: record.effective(known_at),
            status: record.status_word(known_at),
            shootout_winner: record.shootout_winner(known_at).map(str::to_string),
            record,
        }
    }
}

/// A match as [`Ledger::matches_on`] finds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchOn {
    /// The day of the match.
    pub date: Date,
    /// The home team, as the archive spells it.
    pub home: String,
    /// The away team, as the archive spells it.
    pub away: String,
    /// The match's id.
    pub id: crate::model::event::MatchId,
}

/// One event that touched a match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The event's seq.
    pub seq: u64,
    /// When the event was recorded.
    pub recorded_at: Timestamp,
    /// The event's hash.
    pub hash: Hash,
    /// The event's kind, as [`Event::kind`] names it.
    pub kind: &'static str,
    /// What changed, e.g. `score 3-2 -> 2-2`.
    pub change: String,
    /// Why, for a correction, an award or an annulment; `None` otherwise.
    pub reason: Option<String>,
    /// Where the change comes from, where the event says.
    pub source: Option<String>,
}

/// A point in time for `diff`: a date, the end of a round, or a seq.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    /// After every result played on or before this date.
    Date(Date),
    /// After rounds 1 to N.
    Round(u32),
    /// As the archive stood after this event.
    Seq(u64),
}

impl std::str::FromStr for When {
    type Err = String;
    /// `1984-12-05`, `round:3`, `seq:20`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || format!("invalid point in time '{s}': expected YYYY-MM-DD, round:N or seq:N");
        if let Some(n) = s.strip_prefix("round:") {
            return n.parse().map(When::Round).map_err(|_| bad());
        }
        if let Some(n) = s.strip_prefix("seq:") {
            return n.parse().map(When::Seq).map_err(|_| bad());
        }
        Date::parse_iso(s).map(When::Date).map_err(|_| bad())
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            When::Date(d) => write!(f, "{d}"),
            When::Round(n) => write!(f, "round:{n}"),
            When::Seq(n) => write!(f, "seq:{n}"),
        }
    }
}

/// How a table moved between two points in time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diff {
    /// The table at the earlier point.
    pub from: Standings,
    /// The table at the later point.
    pub to: Standings,
    /// Every team of either table, in the order of the later one (then the
    /// teams it lacks).
    pub rows: Vec<DiffRow>,
}

/// One team's movement; `None` where the team is not in that table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffRow {
    /// The team, as the later table spells it (or the earlier, when only it has the team).
    pub team: String,
    /// The team's row at the earlier point.
    pub from: Option<Row>,
    /// The team's row at the later point.
    pub to: Option<Row>,
}

impl DiffRow {
    /// Places gained (positive) or lost.
    pub fn moved(&self) -> Option<i64> {
        Some(self.from.as_ref()?.pos as i64 - self.to.as_ref()?.pos as i64)
    }
}

/// What `results` shows.
#[derive(Clone, Debug, Default)]
pub struct ResultsQuery {
    /// Which stages: as for a table.
    pub filter: Filter,
    /// Only matches played on or before this date.
    pub as_of: Option<Date>,
    /// Only this round.
    pub round: Option<u32>,
    /// Only rounds 1 to N.
    pub through_round: Option<u32>,
    /// Only the matches of this team (home or away), matched as names are.
    pub team: Option<String>,
}

/// The name a user's `wanted` picks among `known` (names::pick), or an
/// error that lists the choices (the likely ones first).
pub(crate) fn pick_name(what: &str, wanted: &str, known: &[String]) -> Result<String> {
    match names::pick(wanted, known) {
        names::Pick::Exact(n) | names::Pick::Unique(n) => Ok(n),
        names::Pick::Ambiguous(list) => {
            let more = list.len().saturating_sub(MAX_CHOICES);
            let mut shown: Vec<String> = list.into_iter().take(MAX_CHOICES).collect();
            if more > 0 {
                shown.push(format!("and {more} more"));
            }
            Err(Error::Invalid(format!(
                "{what} '{wanted}' is ambiguous: it could be {}; give more of the name",
                shown.join(", ")
            )))
        }
        names::Pick::None => {
            let near = names::nearest(wanted, known, 3);
            let hint = match near.is_empty() {
                true => String::new(),
                false => format!(" (did you mean {}?)", near.join(", ")),
            };
            Err(Error::NotFound(format!(
                "unknown {what} '{wanted}'{hint}; known: {}",
                choices(known.to_vec())
            )))
        }
    }
}

/// A level of a competition's scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeLevel {
    /// The whole competition (a write that names a new one).
    Competition,
    /// A season of a competition.
    Season,
    /// A stage of a season.
    Stage,
}

impl ScopeLevel {
    /// The level's name in messages: `competition`, `season` or `stage`.
    pub fn name(self) -> &'static str {
        match self {
            ScopeLevel::Competition => "competition",
            ScopeLevel::Season => "season",
            ScopeLevel::Stage => "stage",
        }
    }
}

/// A name a write gives that the archive does not know at its level, with
/// the nearest names it knows there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownScope {
    /// The first level the archive does not know.
    pub level: ScopeLevel,
    /// The name given there, as given.
    pub name: String,
    /// Up to three of the archive's names at that level nearest to it.
    pub nearest: Vec<String>,
}

/// At most this many choices are listed in an error.
const MAX_CHOICES: usize = 25;

fn choices(mut v: Vec<String>) -> String {
    v.sort_by_key(|s| names::fold(s));
    v.dedup();
    let more = v.len().saturating_sub(MAX_CHOICES);
    v.truncate(MAX_CHOICES);
    let mut out = v.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

impl Ledger {
    /// The first level of a write's scope that the archive does not know:
    /// a competition it has never seen (when it holds any), a season the
    /// competition has never had, or a stage the season has never had.
    /// Names match as everywhere (case and accents aside).
    pub fn unknown_scope(
        &self,
        competition: &str,
        season: &str,
        stage: Option<&str>,
    ) -> Result<Option<UnknownScope>> {
        let catalog = self.catalog()?;
        let mut stages: Vec<&CatalogEntry> = catalog.stages.iter().collect();
        type Field = fn(&StageInfo) -> &str;
        let levels: [(ScopeLevel, Option<&str>, Field); 3] = [
            (ScopeLevel::Competition, Some(competition), |s| {
                &s.competition
            }),
            (ScopeLevel::Season, Some(season), |s| &s.season),
            (ScopeLevel::Stage, stage, |s| &s.stage),
        ];
        for (i, (level, wanted, get)) in levels.into_iter().enumerate() {
            let Some(wanted) = wanted else { break };
            if stages.is_empty() {
                break;
            }
            let folded = names::fold(wanted);
            if stages.iter().any(|s| s.folded[i] == folded) {
                stages.retain(|s| s.folded[i] == folded);
                continue;
            }
            let mut known: Vec<String> = stages.iter().map(|s| get(&s.info).to_string()).collect();
            known.dedup();
            let nearest = names::nearest(wanted, &known, 3)
                .into_iter()
                .map(String::from)
                .collect();
            return Ok(Some(UnknownScope {
                level,
                name: wanted.to_string(),
                nearest,
            }));
        }
        Ok(None)
    }

    /// Every match the archive holds on one of `dates`, whatever its
    /// competition, as (date, home, away, id).
    pub fn matches_on(&self, dates: &BTreeSet<Date>) -> Result<Vec<MatchOn>> {
        let mut rows: Vec<(keys::ScopeKey, packed::Row)> = Vec::new();
        self.store
            .for_each(Space::Derived, &[Kind::Rows as u8], |k, v| {
                let stage: keys::ScopeKey = k
                    .get(1..9)
                    .ok_or_else(|| crate::log::damaged(k, "short key"))?
                    .try_into()
                    .expect("8 bytes");
                for r in packed::decode_rows(v).map_err(|e| crate::log::damaged(k, e))? {
                    if dates.contains(&r.date) {
                        rows.push((stage, r));
                    }
                }
                Ok(true)
            })?;
        let mut teams: HashMap<keys::ScopeKey, Vec<String>> = HashMap::new();
        let mut out = Vec::with_capacity(rows.len());
        for (stage, r) in rows {
            if let std::collections::hash_map::Entry::Vacant(e) = teams.entry(stage) {
                let key = keys::teams(&stage);
                e.insert(match self.store.get(Space::Derived, &key)? {
                    Some(v) => decode_derived(&key, &v)?,
                    None => Vec::new(),
                });
            }
            let dict = &teams[&stage];
            let name = |i: u32| {
                dict.get(i as usize)
                    .cloned()
                    .ok_or_else(|| crate::log::damaged(&keys::teams(&stage), "no team for a row"))
            };
            out.push(MatchOn {
                date: r.date,
                home: name(r.home)?,
                away: name(r.away)?,
                id: r.id,
            });
        }
        Ok(out)
    }

    /// The latest season facts of a competition season, if any.
    pub fn season_facts(&self, competition: &str, season: &str) -> Result<Option<SeasonFacts>> {
        View {
            ledger: self,
            known_at: u64::MAX,
        }
        .season_facts(competition, season)
    }
}

impl Ledger {
    /// Where the rules set by event `seq` came from: `None` for a rules
    /// event of kind 1 (which does not say), or an event that sets no rules.
    pub fn rules_source(&self, seq: u64) -> Result<Option<crate::model::event::RulesSource>> {
        Ok(self.event(seq)?.and_then(|e| e.event.rules_source()))
    }

    /// The rules in force at exactly this scope (a stage's own, or the
    /// season's when `stage` is `None`) and the seq that set them, if any
    /// were recorded.
    pub fn rules_at_scope(
        &self,
        competition: &str,
        season: &str,
        stage: Option<&str>,
    ) -> Result<Option<(u64, crate::model::event::Rules)>> {
        let scope = keys::scope(competition, season, stage);
        Ok(derived::scoped(&self.store, Kind::Rules, &scope, u64::MAX)?.pop())
    }

    /// Why a new result on `date` in `round` does not fit its stage, if it
    /// does not: a date outside the season's window (`model::date::season_window`),
    /// or a round past the last of a stage whose teams were registered (as a
    /// season page does) and whose results already make a complete
    /// round-robin of them.
    pub fn fixture_problem(
        &self,
        f: &Filter,
        round: Option<u32>,
        date: Date,
    ) -> Result<Option<String>> {
        let season = f.season.as_deref().unwrap_or_default();
        let competition = f.competition.as_deref().unwrap_or_default();
        if let Some((from, to)) = crate::model::postponed::window(competition, season) {
            if date < from || date > to {
                return Ok(Some(format!(
                    "{date} is outside season {season} ({from} to {to})"
                )));
            }
        }
        let (Some(round), Ok(info)) = (round, self.at(None)?.one_stage(f)) else {
            return Ok(None);
        };
        let rows = StageRows::read(&self.store, &info.stage_key)?;
        let registered = derived::registrations(&self.store, &info, u64::MAX)?.len();
        let last = rows.rows.iter().filter_map(|r| r.round).max().unwrap_or(0);
        let teams = rows.teams.len() as u64;
        if registered as u64 != teams {
            return Ok(None);
        }
        let per_round = teams / 2;
        let complete = last > 0
            && teams >= 2
            && u64::from(last) % (teams - 1 + teams % 2) == 0
            && rows.rows.len() as u64 == u64::from(last) * per_round;
        if complete && round > last {
            return Ok(Some(format!(
                "round {round} is past the {last} rounds of {} {} {}, whose {} results already make a complete round-robin of {teams} teams",
                info.competition, info.season, info.stage, rows.rows.len()
            )));
        }
        Ok(None)
    }

    /// The season's teams, as first spelled (empty for an unknown season).
    pub fn season_teams(&self, competition: &str, season: &str) -> Result<Vec<String>> {
        let list = NameList::Teams(keys::season_scope(competition, season));
        derived::name_list(&self.store, list)
    }

    /// True when the season already has a team of this name (any
    /// spelling), or the competition renamed a team to it.
    pub fn knows_team(&self, competition: &str, season: &str, team: &str) -> Result<bool> {
        let list = NameList::Teams(keys::season_scope(competition, season));
        if derived::spelled(&self.store, list, team)?.is_some() {
            return Ok(true);
        }
        let renames = derived::renames(&self.store, competition, u64::MAX)?;
        Ok(renames.iter().any(|r| names::same(&r.to, team)))
    }

    /// True when `a` and `b` name one club of the competition: the same
    /// name, or names its renames join.
    pub fn same_club(&self, competition: &str, a: &str, b: &str) -> Result<bool> {
        if names::same(a, b) {
            return Ok(true);
        }
        let pairs = self.rename_pairs(competition)?;
        Ok(names::one_club(&pairs, a, b))
    }

    /// A competition's renames, as `(from, to)` names.
    fn rename_pairs(&self, competition: &str) -> Result<Vec<(String, String)>> {
        Ok(derived::renames(&self.store, competition, u64::MAX)?
            .into_iter()
            .map(|r| (r.from, r.to))
            .collect())
    }
}

impl Ledger {
    /// The held match a result would be (the same fixture), if any.
    pub fn held(&self, m: &crate::model::event::MatchResult) -> Result<Option<MatchRecord>> {
        match self.find_match(&derived::id_of(m).to_hex()) {
            Ok(rec) => Ok(Some(rec)),
            Err(Error::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The match whose id starts with `prefix` (hex, at least 4 characters).
    pub fn find_match(&self, prefix: &str) -> Result<MatchRecord> {
        let p = prefix.trim().to_ascii_lowercase();
        if p.len() < 4 || !p.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(Error::Invalid(format!("invalid match id '{prefix}': expected at least 4 hex characters, as `results` shows them")));
        }
        let bytes =
            hex::decode(&p[..p.len() / 2 * 2]).map_err(|e| Error::Invalid(e.to_string()))?;
        // Every row of every stage: (stage key, row).
        let mut found: Vec<(keys::ScopeKey, packed::Row)> = Vec::new();
        self.store
            .for_each(Space::Derived, &[Kind::Rows as u8], |k, v| {
                for r in packed::decode_rows(v).map_err(|e| crate::log::damaged(k, e))? {
                    if r.id.0.starts_with(&bytes) && r.id.to_hex().starts_with(&p) {
                        let stage = k[1..9].try_into().expect("8 bytes");
                        found.push((stage, r));
                    }
                }
                Ok(true)
            })?;
        match found.len() {
            0 => Err(Error::NotFound(format!("unknown match id '{prefix}'"))),
            1 => {
                let (stage, row) = &found[0];
                let rows = StageRows::read(&self.store, stage)?;
                Ok(MatchRecord {
                    id: row.id,
                    seq: row.seq,
                    result: derived::result_at(
                        &mut crate::log::ChunkReader::new(&self.store),
                        row.seq,
                    )?,
                    changes: rows.changes_of(row.seq).to_vec(),
                })
            }
            n => Err(Error::Invalid(format!(
                "match id '{prefix}' is ambiguous ({n} matches: {}); give more characters",
                found
                    .iter()
                    .map(|(_, r)| r.id.to_hex())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// Every event that touched a match, oldest first.
    pub fn history(&self, rec: &MatchRecord) -> Result<Vec<HistoryEntry>> {
        let mut out = Vec::new();
        for seq in rec.seqs() {
            let env = self.event(seq)?.ok_or_else(|| crate::log::missing(seq))?;
            let before = rec.effective(seq - 1);
            let after = rec.effective(seq);
            let score = |e: &Effective| format!("{}-{}", e.home_goals, e.away_goals);
            let (change, reason, source) = match &env.event {
                Event::MatchResult(m) => (
                    format!("recorded {} {} {}", m.home, score(&after), m.away),
                    None,
                    None,
                ),
                Event::ResultCorrected(c) => (
                    format!("score {} -> {}", score(&before), score(&after)),
                    Some(c.reason.clone()),
                    c.source.clone(),
                ),
                Event::MatchAwarded(a) => (
                    format!(
                        "awarded to {}: {} -> {}{}",
                        a.to,
                        score(&before),
                        score(&after),
                        if a.kept_score { " (score kept)" } else { "" }
                    ),
                    Some(a.reason.clone()),
                    a.source.clone(),
                ),
                Event::MatchAnnulled(a) => (
                    "annulled: no longer counts".to_string(),
                    Some(a.reason.clone()),
                    a.source.clone(),
                ),
                Event::ShootoutDecided(s) => (s.describe(), None, s.source.clone()),
                other => (other.summary(), None, None),
            };
            out.push(HistoryEntry {
                seq,
                recorded_at: env.recorded_at,
                hash: env.hash,
                kind: env.event.kind(),
                change,
                reason,
                source,
            });
        }
        Ok(out)
    }

    /// How the table of one stage moved between two points in time.
    pub fn diff(&self, f: &Filter, from: When, to: When) -> Result<Diff> {
        let at = |w: When| match w {
            When::Date(d) => self.at(None)?.standings(f, Cut::AsOf(d)),
            When::Round(n) => self.at(None)?.standings(f, Cut::Round(n)),
            When::Seq(n) => self.at(Some(KnownAt::Seq(n)))?.standings(f, Cut::All),
        };
        let (a, b) = (at(from)?, at(to)?);
        // One club under the names renames (known now) join: a row renamed
        // between the two points is the same row.
        let pairs = self.rename_pairs(&b.competition)?;
        let same = |x: &str, y: &str| names::one_club(&pairs, x, y);
        let mut rows: Vec<DiffRow> = b
            .rows
            .iter()
            .map(|r| DiffRow {
                team: r.team.clone(),
                from: a.rows.iter().find(|x| same(&x.team, &r.team)).cloned(),
                to: Some(r.clone()),
            })
            .collect();
        for r in &a.rows {
            if !b.rows.iter().any(|x| same(&x.team, &r.team)) {
                rows.push(DiffRow {
                    team: r.team.clone(),
                    from: Some(r.clone()),
                    to: None,
                });
            }
        }
        Ok(Diff {
            from: a,
            to: b,
            rows,
        })
    }
}

impl View<'_> {
    /// The stages a filter selects (known at `known_at`); an unknown name is an
    /// error that lists the choices.
    pub fn matching_stages(&self, f: &Filter) -> Result<Vec<StageInfo>> {
        let known_at = self.known_at;
        let catalog = self.ledger.catalog()?;
        let first = catalog.stages.iter().map(|s| s.info.first_seq).min();
        let mut stages: Vec<&CatalogEntry> = catalog
            .stages
            .iter()
            .filter(|s| s.info.first_seq <= known_at)
            .collect();
        if stages.is_empty() {
            return Err(Error::NotFound(match first {
                None => "the archive holds no results yet; import a season first".into(),
                Some(first) => format!(
                    "nothing was known at seq {known_at}: the first stage appears at seq {first}"
                ),
            }));
        }
        type Field = fn(&StageInfo) -> &str;
        let fields: [(&str, &Option<String>, Field); 3] = [
            ("competition", &f.competition, |s| &s.competition),
            ("season", &f.season, |s| &s.season),
            ("stage", &f.stage, |s| &s.stage),
        ];
        for (i, (what, wanted, get)) in fields.into_iter().enumerate() {
            let Some(wanted) = wanted else { continue };
            // The name as the archive folds it: no list to build.
            let exact = names::fold(wanted);
            if stages.iter().any(|s| s.folded[i] == exact) {
                stages.retain(|s| s.folded[i] == exact);
                continue;
            }
            // Each name once, in the archive's order.
            let mut seen = std::collections::HashSet::new();
            let known: Vec<String> = stages
                .iter()
                .filter(|s| seen.insert(s.folded[i].as_str()))
                .map(|s| get(&s.info).to_string())
                .collect();
            let chosen = names::fold(&pick_name(what, wanted, &known)?);
            stages.retain(|s| s.folded[i] == chosen);
        }
        Ok(stages.into_iter().map(|s| s.info.clone()).collect())
    }

    /// The stage's last match date known at `known_at`, when `team` played
    /// in it; `None` when it did not.
    pub fn last_date_if_played(&self, info: &StageInfo, team: &str) -> Result<Option<Date>> {
        let known_at = self.known_at;
        let rows = StageRows::read(&self.ledger.store, &info.stage_key)?;
        let known = || rows.rows.iter().filter(|r| r.seq <= known_at);
        let plays = known().any(|r| {
            [r.home, r.away]
                .iter()
                .any(|t| names::same(rows.team(*t).unwrap_or_default(), team))
        });
        Ok(known().map(|r| r.date).max().filter(|_| plays))
    }

    /// Exactly one stage, or an error listing the choices.
    pub fn one_stage(&self, f: &Filter) -> Result<StageInfo> {
        if let Some(info) = self.named_stage(f)? {
            return Ok(info);
        }
        let mut stages = self.matching_stages(f)?;
        if stages.len() == 1 {
            return Ok(stages.remove(0));
        }
        Err(Error::AmbiguousStage {
            stages: stages
                .into_iter()
                .map(|s| [s.competition, s.season, s.stage])
                .collect(),
        })
    }

    /// The stage a filter names in full (competition, season and stage, in
    /// any case and accents), found by its key without reading the
    /// catalog: the cost of a question does not grow with the archive.
    /// `None` when the filter leaves a level out or names no stage known at
    /// `known_at` (then the catalog answers, with its choices).
    fn named_stage(&self, f: &Filter) -> Result<Option<StageInfo>> {
        let known_at = self.known_at;
        let (Some(c), Some(s), Some(st)) = (&f.competition, &f.season, &f.stage) else {
            return Ok(None);
        };
        if let Some(catalog) = self.ledger.catalog.get() {
            // Held in memory (a server): by its folded names, not by a scan
            // of every stage.
            let folded = [names::fold(c), names::fold(s), names::fold(st)];
            let info = catalog
                .by_name
                .get(&folded)
                .and_then(|&i| catalog.stages.get(i));
            let info = info.map(|e| &e.info);
            return Ok(info.filter(|i| i.first_seq <= known_at).cloned());
        }
        let season = keys::season_scope(c, s);
        let stage = keys::scope(c, s, Some(st));
        let key = keys::stage(&season, &stage);
        let Some(v) = self.ledger.store.get(Space::Derived, &key)? else {
            return Ok(None);
        };
        let info = decode_derived::<StageInfo>(&key, &v)?;
        Ok((info.first_seq <= known_at).then_some(info))
    }

    /// The table of one stage after a cut, as known at a point in the log.
    pub fn standings(&self, f: &Filter, cut: Cut) -> Result<Standings> {
        let k = self.known_at;
        let info = self.one_stage(f)?;
        if cut == Cut::Round(0) {
            return Err(Error::Invalid("rounds are numbered from 1".into()));
        }
        let no_rounds = || Error::NoRounds {
            competition: info.competition.clone(),
            season: info.season.clone(),
            stage: info.stage.clone(),
        };
        let stage = StageRows::read(&self.ledger.store, &info.stage_key)?;
        let input = derived::stage_input_with(&self.ledger.store, &info, k, stage.lines(k))?;
        if matches!(cut, Cut::Round(_)) && !input.matches.iter().any(|m| m.round.is_some()) {
            return Err(no_rounds());
        }
        let (rows, decided_by) = projector::table_explained(&input, cut);
        let bound = projector::adjustment_bound(&input, cut);
        // Each under the name its row shows; a whole season's only where
        // the team has a row.
        let (adjustments, later): (Vec<_>, Vec<_>) =
            derived::adjustments(&self.ledger.store, &info, k)?
                .into_iter()
                .filter_map(|(_, mut a)| {
                    a.team = projector::newest_name(&input.renames, &a.team);
                    rows.iter()
                        .any(|r| names::same(&r.team, &a.team))
                        .then_some(a)
                })
                .partition(|a| bound.is_some_and(|b| a.date <= b));
        let scoring = projector::scoring_for(&input, cut);
        let rules = match derived::rules_in_force(&self.ledger.store, &info, k)? {
            Some((seq, _)) => Some((seq, self.ledger.rules_source(seq)?)),
            None => None,
        };
        Ok(Standings {
            competition: info.competition,
            season: info.season,
            stage: info.stage,
            as_of: match cut {
                Cut::AsOf(d) => Some(d),
                _ => None,
            },
            round: match cut {
                Cut::Round(n) => Some(n),
                _ => None,
            },
            known_at: k,
            head: self.ledger.hash_at(k)?,
            scoring,
            rules,
            rows,
            decided_by,
            adjustments,
            later_adjustments: later,
        })
    }

    /// Results of the selected stages, in stage then date order.
    pub fn results(&self, q: &ResultsQuery) -> Result<Vec<ResultRow>> {
        let k = self.known_at;
        let stages = self.matching_stages(&q.filter)?;
        let mut out = Vec::new();
        let team = match &q.team {
            Some(t) => Some(names::fold(&self.pick_team(&stages, t)?)),
            None => None,
        };
        for info in &stages {
            for rec in StageRows::read(&self.ledger.store, &info.stage_key)?
                .records(&self.ledger.store, k)?
            {
                let m = &rec.result;
                if let Some(w) = &team {
                    if names::fold(&m.home) != *w && names::fold(&m.away) != *w {
                        continue;
                    }
                }
                if q.as_of.is_some_and(|d| m.date > d)
                    || q.round.is_some_and(|r| m.round != Some(r))
                    || q.through_round
                        .is_some_and(|r| m.round.is_none_or(|mr| mr > r))
                {
                    continue;
                }
                out.push(ResultRow::at(rec, k));
            }
        }
        Ok(out)
    }

    /// The team a user's name picks among the teams of `stages` known at `k`.
    pub fn pick_team(&self, stages: &[StageInfo], wanted: &str) -> Result<String> {
        let k = self.known_at;
        let mut known: Vec<String> = Vec::new();
        for info in stages {
            let rows = StageRows::read(&self.ledger.store, &info.stage_key)?;
            for r in rows.rows.iter().filter(|r| r.seq <= k) {
                for t in [r.home, r.away] {
                    let name = rows.team(t).unwrap_or_default();
                    if !known.iter().any(|n| n == name) {
                        known.push(name.to_string());
                    }
                }
            }
        }
        pick_name("team", wanted, &known)
            .or_else(|e| self.renamed_team(stages, wanted, &known).ok_or(e))
    }

    /// The team of `known` that renames known at `k`, in the competitions
    /// of `stages`, join to `wanted` (a club asked for by a later name).
    fn renamed_team(&self, stages: &[StageInfo], wanted: &str, known: &[String]) -> Option<String> {
        let competitions: BTreeSet<&str> = stages.iter().map(|s| s.competition.as_str()).collect();
        for competition in competitions {
            let renames = derived::renames(&self.ledger.store, competition, self.known_at).ok()?;
            let pairs: Vec<(String, String)> = renames
                .iter()
                .map(|r| (names::fold(&r.from), names::fold(&r.to)))
                .collect();
            let class = names::rename_class(&names::fold(wanted), &pairs);
            if let Some(team) = known.iter().find(|t| class.contains(&names::fold(t))) {
                return Some(team.clone());
            }
        }
        None
    }

    /// The latest season facts recorded at or before `known_at`.
    pub fn season_facts(&self, competition: &str, season: &str) -> Result<Option<SeasonFacts>> {
        let known_at = self.known_at;
        let scope = keys::season_scope(competition, season);
        Ok(
            derived::scoped(&self.ledger.store, Kind::Facts, &scope, known_at)?
                .pop()
                .map(|(_, f)| f),
        )
    }
}
