//! From events to derived trees: name resolution, duplicate detection, index
//! entries, and re-projection of the stages an event touches.
//!
//! The same code serves an append and a full rebuild, so a rebuild gives
//! byte-identical derived trees.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::encoding::{decode_value, encode_value};
use crate::error::{Error, Result};
use crate::event::{
    Event, MatchResult, PointsAdjustment, Rules, SeasonFacts, TeamRegistration, TeamRename,
};
use crate::keys::{self, MatchId, ScopeKey};
use crate::names;
use crate::projector::{self, Adjustment, MatchLine, StageInput};
pub use crate::record::{ChangeKind, Effective, MatchChange, MatchRecord, MatchState};
use crate::rules::Scoring;
use crate::store::{Entry, Store, TreeId, Writes};

/// What the `stages` tree holds for each stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageInfo {
    pub competition: String,
    pub season: String,
    pub stage: String,
    pub season_key: ScopeKey,
    pub stage_key: ScopeKey,
    /// The first event that mentioned the stage.
    pub first_seq: u64,
    /// The last event that changed any table of the stage.
    pub last_seq: u64,
}

/// Read access shared by the store and pending writes.
pub trait Read {
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>>;
    fn scan(&self, t: TreeId, prefix: &[u8]) -> Result<Vec<Entry>>;
}

impl Read for Store {
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Store::get(self, t, key)
    }
    fn scan(&self, t: TreeId, prefix: &[u8]) -> Result<Vec<Entry>> {
        self.scan_prefix(t, prefix).collect()
    }
}

impl Read for Writes<'_> {
    fn get(&self, t: TreeId, key: &[u8]) -> Result<Option<Vec<u8>>> {
        Writes::get(self, t, key)
    }
    fn scan(&self, t: TreeId, prefix: &[u8]) -> Result<Vec<Entry>> {
        self.scan_prefix(t, prefix)
    }
}

/// Decodes a derived value, naming the tree and key when it is damaged.
pub fn decode_derived<T: serde::de::DeserializeOwned>(
    t: TreeId,
    key: &[u8],
    bytes: &[u8],
) -> Result<T> {
    decode_value(bytes).map_err(|e| Error::Store {
        path: Default::default(),
        msg: format!(
            "damaged entry in tree {} at key {}: {e} (run `scoreledger rebuild`)",
            t.name(),
            hex::encode(key)
        ),
    })
}

fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

fn check_name(what: &str, s: &str) -> Result<()> {
    match names::problem(what, s) {
        Some(p) => Err(invalid(p)),
        None => Ok(()),
    }
}

/// The seq-ordered entries of a scope, up to `known_at`.
fn scoped<T: serde::de::DeserializeOwned>(
    r: &impl Read,
    t: TreeId,
    scope: &ScopeKey,
    known_at: u64,
) -> Result<Vec<(u64, T)>> {
    let mut out = Vec::new();
    for (k, v) in r.scan(t, scope)? {
        let seq = keys::scoped_seq_seq(&k).unwrap_or(0);
        if seq <= known_at {
            out.push((seq, decode_derived(t, &k, &v)?));
        }
    }
    Ok(out)
}

/// The scoring of a stage as known at `known_at`: the stage's own rules, else
/// the season's, else the default.
pub fn scoring(r: &impl Read, info: &StageInfo, known_at: u64) -> Result<Scoring> {
    for scope in [&info.stage_key, &info.season_key] {
        if let Some((_, rules)) = scoped::<Rules>(r, TreeId::Rules, scope, known_at)?.pop() {
            return Ok(Scoring::from_event(&rules));
        }
    }
    Ok(Scoring::default())
}

/// Teams registered for a stage (its own and its season's), latest registration per team.
pub fn registrations(
    r: &impl Read,
    info: &StageInfo,
    known_at: u64,
) -> Result<Vec<(u64, TeamRegistration)>> {
    let mut all = scoped::<TeamRegistration>(r, TreeId::Teams, &info.season_key, known_at)?;
    all.extend(scoped::<TeamRegistration>(
        r,
        TreeId::Teams,
        &info.stage_key,
        known_at,
    )?);
    all.sort_by_key(|(seq, _)| *seq);
    let mut order: Vec<String> = Vec::new();
    let mut latest: HashMap<String, (u64, TeamRegistration)> = HashMap::new();
    for (seq, reg) in all {
        let f = names::fold(&reg.team);
        if !latest.contains_key(&f) {
            order.push(f.clone());
        }
        latest.insert(f, (seq, reg));
    }
    Ok(order
        .into_iter()
        .filter_map(|f| latest.remove(&f))
        .collect())
}

/// Every match record of a stage known at `known_at`, in date order.
pub fn match_records(
    r: &impl Read,
    stage_key: &ScopeKey,
    known_at: u64,
) -> Result<Vec<MatchRecord>> {
    let mut out = Vec::new();
    for (k, v) in r.scan(TreeId::ByDate, stage_key)? {
        let rec: MatchRecord = decode_derived(TreeId::ByDate, &k, &v)?;
        if rec.seq <= known_at {
            out.push(rec);
        }
    }
    Ok(out)
}

/// Points adjustments of a stage (its own and its season's) known at `known_at`.
pub fn adjustments(
    r: &impl Read,
    info: &StageInfo,
    known_at: u64,
) -> Result<Vec<(u64, PointsAdjustment)>> {
    let mut all = scoped::<PointsAdjustment>(r, TreeId::Adjustments, &info.season_key, known_at)?;
    all.extend(scoped::<PointsAdjustment>(
        r,
        TreeId::Adjustments,
        &info.stage_key,
        known_at,
    )?);
    all.sort_by_key(|(seq, _)| *seq);
    Ok(all)
}

/// Renames in a competition known at `known_at`, in seq order.
pub fn renames(r: &impl Read, competition: &str, known_at: u64) -> Result<Vec<TeamRename>> {
    let key = keys::competition_scope(competition);
    Ok(scoped::<TeamRename>(r, TreeId::Renames, &key, known_at)?
        .into_iter()
        .map(|(_, t)| t)
        .collect())
}

/// Everything the projector needs for one stage, as known at `known_at`.
pub fn stage_input(r: &impl Read, info: &StageInfo, known_at: u64) -> Result<StageInput> {
    let teams = registrations(r, info, known_at)?
        .into_iter()
        .map(|(_, reg)| reg.team)
        .collect();
    let matches = match_records(r, &info.stage_key, known_at)?
        .into_iter()
        .map(|rec| {
            let e = rec.effective(known_at);
            MatchLine {
                date: rec.result.date,
                round: rec.result.round,
                seq: rec.seq,
                counts: e.counts,
                home: rec.result.home,
                away: rec.result.away,
                home_goals: e.home_goals,
                away_goals: e.away_goals,
            }
        })
        .collect();
    let adjustments = adjustments(r, info, known_at)?
        .into_iter()
        .map(|(_, a)| Adjustment {
            date: a.date,
            team: a.team,
            points: a.points as i64,
        })
        .collect();
    let renames = renames(r, &info.competition, known_at)?
        .into_iter()
        .map(|t| (t.from, t.to))
        .collect();
    Ok(StageInput {
        teams,
        matches,
        scoring: scoring(r, info, known_at)?,
        adjustments,
        renames,
    })
}

/// The match id of a (canonical) result.
pub fn id_of(m: &MatchResult) -> MatchId {
    keys::match_id(
        &m.competition,
        &m.season,
        &m.stage,
        m.round,
        m.date,
        &m.home,
        &m.away,
    )
}

/// Looks up a match record by id.
pub fn find_match(r: &impl Read, id: &MatchId) -> Result<Option<MatchRecord>> {
    let Some(key) = r.get(TreeId::Matches, &id.0)? else {
        return Ok(None);
    };
    match r.get(TreeId::ByDate, &key)? {
        Some(v) => decode_derived(TreeId::ByDate, &key, &v).map(Some),
        None => Err(Error::Store {
            path: Default::default(),
            msg: format!("match {} points to a missing index entry", id.to_hex()),
        }),
    }
}

/// Applies events to pending writes.
pub struct Deriver<'a, 's> {
    w: &'a mut Writes<'s>,
    /// Stages whose snapshots must be recomputed: (season key, stage key).
    dirty: BTreeSet<(ScopeKey, ScopeKey)>,
}

impl<'a, 's> Deriver<'a, 's> {
    pub fn new(w: &'a mut Writes<'s>) -> Self {
        Deriver {
            w,
            dirty: BTreeSet::new(),
        }
    }

    pub fn writes_mut(&mut self) -> &mut Writes<'s> {
        self.w
    }

    fn resolve(&self, kind: u8, parent: &[u8], name: &str) -> Result<String> {
        let clean = names::clean(name);
        match self
            .w
            .get(TreeId::Names, &keys::name(kind, parent, &clean))?
        {
            Some(v) => Ok(String::from_utf8(v).unwrap_or(clean)),
            None => Ok(clean),
        }
    }

    /// Competition and season spelled as already recorded (matching
    /// case- and accent-insensitively), plus the season key.
    fn resolve_season(
        &self,
        competition: &str,
        season: &str,
    ) -> Result<(String, String, ScopeKey)> {
        check_name("competition", &names::clean(competition))?;
        check_name("season", &names::clean(season))?;
        let c = self.resolve(keys::NAME_COMPETITION, &[], competition)?;
        let s = self.resolve(keys::NAME_SEASON, names::fold(&c).as_bytes(), season)?;
        let key = keys::season_scope(&c, &s);
        Ok((c, s, key))
    }

    fn resolve_in(&self, kind: u8, season: &ScopeKey, what: &str, name: &str) -> Result<String> {
        check_name(what, &names::clean(name))?;
        self.resolve(kind, season, name)
    }

    /// Cleans and validates an event, and spells every name as the archive
    /// already spells it.
    pub fn canonicalize(&self, event: Event) -> Result<Event> {
        Ok(match event {
            Event::MatchResult(mut m) => {
                let (c, s, season) = self.resolve_season(&m.competition, &m.season)?;
                m.competition = c;
                m.season = s;
                m.stage = self.resolve_in(keys::NAME_STAGE, &season, "stage", &m.stage)?;
                m.home = self.resolve_in(keys::NAME_TEAM, &season, "home team", &m.home)?;
                m.away = self.resolve_in(keys::NAME_TEAM, &season, "away team", &m.away)?;
                if let Some(g) = &m.group {
                    let g = names::clean(g);
                    check_name("group", &g)?;
                    m.group = Some(g);
                }
                if m.round == Some(0) {
                    return Err(invalid("round numbers start at 1"));
                }
                if names::same(&m.home, &m.away) {
                    return Err(invalid(format!("a team cannot play itself: {}", m.home)));
                }
                Event::MatchResult(m)
            }
            Event::Rules(mut r) => {
                let (c, s, season) = self.resolve_season(&r.competition, &r.season)?;
                r.competition = c;
                r.season = s;
                if let Some(st) = &r.stage {
                    r.stage = Some(self.resolve_in(keys::NAME_STAGE, &season, "stage", st)?);
                }
                let mut seen = Vec::new();
                for t in &r.tiebreak {
                    if seen.contains(t) {
                        return Err(invalid(format!("tie-break '{t}' is listed twice")));
                    }
                    seen.push(*t);
                }
                Event::Rules(r)
            }
            Event::SeasonFacts(mut f) => {
                let (c, s, season) = self.resolve_season(&f.competition, &f.season)?;
                f.competition = c;
                f.season = s;
                if let Some(w) = &f.winners {
                    f.winners = Some(self.resolve_in(keys::NAME_TEAM, &season, "winners", w)?);
                }
                let clean_opt =
                    |o: &Option<String>| o.as_deref().map(names::clean).filter(|s| !s.is_empty());
                f.previous_season = clean_opt(&f.previous_season);
                f.next_season = clean_opt(&f.next_season);
                f.top_scorers = f
                    .top_scorers
                    .iter()
                    .map(|s| names::clean(s))
                    .filter(|s| !s.is_empty())
                    .collect();
                f.other = f
                    .other
                    .iter()
                    .map(|(k, v)| (names::clean(k), names::clean(v)))
                    .collect();
                Event::SeasonFacts(f)
            }
            Event::TeamRegistered(mut t) => {
                let (c, s, season) = self.resolve_season(&t.competition, &t.season)?;
                t.competition = c;
                t.season = s;
                if let Some(st) = &t.stage {
                    t.stage = Some(self.resolve_in(keys::NAME_STAGE, &season, "stage", st)?);
                }
                t.team = self.resolve_in(keys::NAME_TEAM, &season, "team", &t.team)?;
                let clean_opt =
                    |o: &Option<String>| o.as_deref().map(names::clean).filter(|s| !s.is_empty());
                t.region = clean_opt(&t.region);
                t.location = clean_opt(&t.location);
                Event::TeamRegistered(t)
            }
            Event::ResultCorrected(mut c) => {
                (c.reason, c.source) = reason_and_source(&c.reason, &c.source)?;
                let rec = self.existing_match(&c.match_id)?;
                let e = rec.effective(u64::MAX);
                match e.state {
                    MatchState::Annulled => {
                        return Err(invalid(format!(
                            "match {} is annulled; record a replay as a new match",
                            c.match_id
                        )))
                    }
                    MatchState::Awarded => {
                        return Err(invalid(format!(
                            "match {} was awarded; its awarded score cannot be corrected",
                            c.match_id
                        )))
                    }
                    _ if !rec.result.status.counts() => {
                        return Err(invalid(
                            format!(
                                "match {} was not played ({:?}); award it instead",
                                c.match_id, rec.result.status
                            )
                            .to_lowercase(),
                        ))
                    }
                    _ => {}
                }
                Event::ResultCorrected(c)
            }
            Event::MatchAwarded(mut a) => {
                (a.reason, a.source) = reason_and_source(&a.reason, &a.source)?;
                let rec = self.existing_match(&a.match_id)?;
                let e = rec.effective(u64::MAX);
                if e.state == MatchState::Annulled {
                    return Err(invalid(format!("match {} is annulled", a.match_id)));
                }
                let m = &rec.result;
                let home = if names::same(&a.to, &m.home) {
                    a.to = m.home.clone();
                    true
                } else if names::same(&a.to, &m.away) {
                    a.to = m.away.clone();
                    false
                } else {
                    return Err(Error::NotFound(format!(
                        "'{}' did not play match {} ({} v {})",
                        a.to, a.match_id, m.home, m.away
                    )));
                };
                if a.kept_score {
                    a.home_goals = e.home_goals;
                    a.away_goals = e.away_goals;
                }
                let (mine, theirs) = if home {
                    (a.home_goals, a.away_goals)
                } else {
                    (a.away_goals, a.home_goals)
                };
                if mine <= theirs {
                    return Err(invalid(format!(
                        "an awarded score must be a win for {}: {}-{} is not",
                        a.to, a.home_goals, a.away_goals
                    )));
                }
                Event::MatchAwarded(a)
            }
            Event::MatchAnnulled(mut a) => {
                (a.reason, a.source) = reason_and_source(&a.reason, &a.source)?;
                self.existing_match(&a.match_id)?;
                Event::MatchAnnulled(a)
            }
            Event::PointsAdjusted(mut p) => {
                (p.reason, p.source) = reason_and_source(&p.reason, &p.source)?;
                let (c, s, season) = self.resolve_season(&p.competition, &p.season)?;
                p.competition = c;
                p.season = s;
                if let Some(st) = &p.stage {
                    p.stage = Some(self.resolve_in(keys::NAME_STAGE, &season, "stage", st)?);
                }
                check_name("team", &names::clean(&p.team))?;
                match self.w.get(
                    TreeId::Names,
                    &keys::name(keys::NAME_TEAM, &season, &p.team),
                )? {
                    Some(v) => p.team = String::from_utf8(v).unwrap_or(p.team),
                    None => {
                        let known: Vec<String> = self
                            .w
                            .scan_prefix(
                                TreeId::Names,
                                &[&[keys::NAME_TEAM][..], &season[..]].concat(),
                            )?
                            .into_iter()
                            .map(|(_, v)| String::from_utf8_lossy(&v).into_owned())
                            .collect();
                        return Err(Error::NotFound(format!(
                            "unknown team '{}' in {} {}; known: {}",
                            p.team,
                            p.competition,
                            p.season,
                            known.join(", ")
                        )));
                    }
                }
                if p.points == 0 {
                    return Err(invalid("an adjustment of 0 points changes nothing"));
                }
                Event::PointsAdjusted(p)
            }
            Event::TeamRenamed(mut t) => {
                (t.reason, t.source) = reason_and_source(&t.reason, &t.source)?;
                check_name("competition", &names::clean(&t.competition))?;
                t.competition = self.resolve(keys::NAME_COMPETITION, &[], &t.competition)?;
                t.from = names::clean(&t.from);
                t.to = names::clean(&t.to);
                check_name("old name", &t.from)?;
                check_name("new name", &t.to)?;
                if names::same(&t.from, &t.to) {
                    return Err(invalid(format!(
                        "'{}' and '{}' are the same name",
                        t.from, t.to
                    )));
                }
                match self.team_spelling(&t.competition, &t.from)? {
                    Some(spelled) => t.from = spelled,
                    None => {
                        return Err(Error::NotFound(format!(
                            "no team '{}' in {}",
                            t.from, t.competition
                        )))
                    }
                }
                if let Some(spelled) = self.team_spelling(&t.competition, &t.to)? {
                    t.to = spelled;
                }
                Event::TeamRenamed(t)
            }
        })
    }

    /// The recorded match with this id, or an error naming it.
    fn existing_match(&self, id: &MatchId) -> Result<MatchRecord> {
        find_match(self.w, id)?
            .ok_or_else(|| Error::NotFound(format!("unknown match id {}", id.to_hex())))
    }

    /// A team's recorded spelling in any season of a competition.
    fn team_spelling(&self, competition: &str, team: &str) -> Result<Option<String>> {
        let prefix = keys::name(keys::NAME_SEASON, names::fold(competition).as_bytes(), "");
        for (_, season) in self.w.scan_prefix(TreeId::Names, &prefix)? {
            let season = String::from_utf8_lossy(&season).into_owned();
            let key = keys::name(
                keys::NAME_TEAM,
                &keys::season_scope(competition, &season),
                team,
            );
            if let Some(v) = self.w.get(TreeId::Names, &key)? {
                return Ok(Some(String::from_utf8_lossy(&v).into_owned()));
            }
        }
        Ok(None)
    }

    /// `Ok(true)` when the archive already holds this fact, `Err(Conflict)`
    /// when it holds a contradicting one, `Ok(false)` when it is new.
    pub fn already_present(&self, event: &Event) -> Result<bool> {
        match event {
            Event::MatchResult(m) => {
                let id = id_of(m);
                let Some(rec) = find_match(self.w, &id)? else {
                    return Ok(false);
                };
                // The fact as first recorded, or as it stands after corrections, is already known.
                let e = rec.effective(u64::MAX);
                if rec.result.same_outcome(m)
                    || (e.home_goals, e.away_goals) == (m.home_goals, m.away_goals)
                {
                    return Ok(true);
                }
                Err(Error::Conflict(format!(
                    "match {} ({} {} v {}, {}) is already recorded as {}-{} (seq {}); a recorded result is never \
                     overwritten: use `scoreledger correct {} SCORE --reason TEXT`",
                    id,
                    m.date,
                    m.home,
                    m.away,
                    m.stage,
                    e.home_goals,
                    e.away_goals,
                    rec.seq,
                    id
                )))
            }
            Event::Rules(r) => {
                let scope = rules_scope(r);
                let current = scoped::<Rules>(self.w, TreeId::Rules, &scope, u64::MAX)?.pop();
                Ok(current.is_some_and(|(_, c)| {
                    (
                        c.points_for_win,
                        c.points_for_draw,
                        c.points_for_loss,
                        &c.tiebreak,
                    ) == (
                        r.points_for_win,
                        r.points_for_draw,
                        r.points_for_loss,
                        &r.tiebreak,
                    )
                }))
            }
            Event::SeasonFacts(f) => {
                let scope = keys::season_scope(&f.competition, &f.season);
                let current = scoped::<SeasonFacts>(self.w, TreeId::Facts, &scope, u64::MAX)?.pop();
                Ok(current.is_some_and(|(_, c)| &c == f))
            }
            Event::TeamRegistered(t) => {
                let scope = team_scope(t);
                let fold = names::fold(&t.team);
                let current = scoped::<TeamRegistration>(self.w, TreeId::Teams, &scope, u64::MAX)?
                    .into_iter()
                    .rfind(|(_, c)| names::fold(&c.team) == fold);
                Ok(current.is_some_and(|(_, c)| &c == t))
            }
            Event::ResultCorrected(c) => {
                let e = self.existing_match(&c.match_id)?.effective(u64::MAX);
                Ok((e.home_goals, e.away_goals) == (c.home_goals, c.away_goals))
            }
            Event::MatchAwarded(a) => {
                let e = self.existing_match(&a.match_id)?.effective(u64::MAX);
                Ok(e.state == MatchState::Awarded
                    && e.awarded_to.as_deref() == Some(a.to.as_str())
                    && (e.home_goals, e.away_goals) == (a.home_goals, a.away_goals))
            }
            Event::MatchAnnulled(a) => {
                Ok(self.existing_match(&a.match_id)?.effective(u64::MAX).state
                    == MatchState::Annulled)
            }
            Event::PointsAdjusted(p) => {
                let scope = adjustment_scope(p);
                Ok(
                    scoped::<PointsAdjustment>(self.w, TreeId::Adjustments, &scope, u64::MAX)?
                        .iter()
                        .any(|(_, q)| q == p),
                )
            }
            Event::TeamRenamed(t) => Ok(renames(self.w, &t.competition, u64::MAX)?
                .iter()
                .any(|q| names::same(&q.from, &t.from) && names::same(&q.to, &t.to))),
        }
    }

    fn remember_name(&mut self, kind: u8, parent: &[u8], name: &str) -> Result<()> {
        let key = keys::name(kind, parent, name);
        if self.w.get(TreeId::Names, &key)?.is_none() {
            self.w.put(TreeId::Names, &key, name.as_bytes().to_vec());
        }
        Ok(())
    }

    fn remember_season(&mut self, competition: &str, season: &str) -> Result<ScopeKey> {
        self.remember_name(keys::NAME_COMPETITION, &[], competition)?;
        self.remember_name(
            keys::NAME_SEASON,
            names::fold(competition).as_bytes(),
            season,
        )?;
        Ok(keys::season_scope(competition, season))
    }

    /// Marks a stage as changed by event `seq`, creating its info if new.
    fn touch_stage(
        &mut self,
        competition: &str,
        season: &str,
        stage: &str,
        seq: u64,
    ) -> Result<()> {
        let season_key = keys::season_scope(competition, season);
        let stage_key = keys::stage_scope(competition, season, stage);
        self.remember_name(keys::NAME_STAGE, &season_key, stage)?;
        let k = keys::stage(&season_key, &stage_key);
        let info = match self.w.get(TreeId::Stages, &k)? {
            Some(v) => StageInfo {
                last_seq: seq,
                ..decode_derived(TreeId::Stages, &k, &v)?
            },
            None => StageInfo {
                competition: competition.into(),
                season: season.into(),
                stage: stage.into(),
                season_key,
                stage_key,
                first_seq: seq,
                last_seq: seq,
            },
        };
        self.w.put(TreeId::Stages, &k, encode_value(&info));
        self.dirty.insert((season_key, stage_key));
        Ok(())
    }

    /// Marks every stage of a season as changed by event `seq`.
    fn touch_season(&mut self, season_key: &ScopeKey, seq: u64) -> Result<()> {
        for (k, v) in self.w.scan_prefix(TreeId::Stages, season_key)? {
            let info: StageInfo = decode_derived(TreeId::Stages, &k, &v)?;
            self.touch_stage(&info.competition, &info.season, &info.stage, seq)?;
        }
        Ok(())
    }

    /// Writes what event `seq` adds to the derived trees.
    pub fn apply(&mut self, seq: u64, event: &Event) -> Result<()> {
        match event {
            Event::MatchResult(m) => {
                let season_key = self.remember_season(&m.competition, &m.season)?;
                self.remember_name(keys::NAME_TEAM, &season_key, &m.home)?;
                self.remember_name(keys::NAME_TEAM, &season_key, &m.away)?;
                self.touch_stage(&m.competition, &m.season, &m.stage, seq)?;
                let stage_key = keys::stage_scope(&m.competition, &m.season, &m.stage);
                let id = id_of(m);
                let key = keys::by_date(&stage_key, m.date, m.round, seq);
                let rec = MatchRecord {
                    id,
                    seq,
                    result: m.clone(),
                    changes: Vec::new(),
                };
                self.w.put(TreeId::ByDate, &key, encode_value(&rec));
                self.w.put(TreeId::Matches, &id.0, key.to_vec());
            }
            Event::Rules(r) => {
                let season_key = self.remember_season(&r.competition, &r.season)?;
                self.w.put(
                    TreeId::Rules,
                    &keys::scoped_seq(&rules_scope(r), seq),
                    encode_value(r),
                );
                match &r.stage {
                    Some(stage) => {
                        self.remember_name(keys::NAME_STAGE, &season_key, stage)?;
                        let k = keys::stage(
                            &season_key,
                            &keys::stage_scope(&r.competition, &r.season, stage),
                        );
                        if self.w.get(TreeId::Stages, &k)?.is_some() {
                            self.touch_stage(&r.competition, &r.season, stage, seq)?;
                        }
                    }
                    None => self.touch_season(&season_key, seq)?,
                }
            }
            Event::SeasonFacts(f) => {
                let season_key = self.remember_season(&f.competition, &f.season)?;
                if let Some(w) = &f.winners {
                    self.remember_name(keys::NAME_TEAM, &season_key, w)?;
                }
                self.w.put(
                    TreeId::Facts,
                    &keys::scoped_seq(&season_key, seq),
                    encode_value(f),
                );
            }
            Event::TeamRegistered(t) => {
                let season_key = self.remember_season(&t.competition, &t.season)?;
                self.remember_name(keys::NAME_TEAM, &season_key, &t.team)?;
                self.w.put(
                    TreeId::Teams,
                    &keys::scoped_seq(&team_scope(t), seq),
                    encode_value(t),
                );
                match &t.stage {
                    Some(stage) => self.touch_stage(&t.competition, &t.season, stage, seq)?,
                    None => self.touch_season(&season_key, seq)?,
                }
            }
            Event::ResultCorrected(c) => {
                let kind = ChangeKind::Corrected {
                    home_goals: c.home_goals,
                    away_goals: c.away_goals,
                };
                self.change_match(
                    &c.match_id,
                    MatchChange {
                        seq,
                        kind,
                        reason: c.reason.clone(),
                    },
                )?;
            }
            Event::MatchAwarded(a) => {
                let kind = ChangeKind::Awarded {
                    to: a.to.clone(),
                    home_goals: a.home_goals,
                    away_goals: a.away_goals,
                    kept_score: a.kept_score,
                };
                self.change_match(
                    &a.match_id,
                    MatchChange {
                        seq,
                        kind,
                        reason: a.reason.clone(),
                    },
                )?;
            }
            Event::MatchAnnulled(a) => {
                self.change_match(
                    &a.match_id,
                    MatchChange {
                        seq,
                        kind: ChangeKind::Annulled,
                        reason: a.reason.clone(),
                    },
                )?;
            }
            Event::PointsAdjusted(p) => {
                let season_key = keys::season_scope(&p.competition, &p.season);
                self.w.put(
                    TreeId::Adjustments,
                    &keys::scoped_seq(&adjustment_scope(p), seq),
                    encode_value(p),
                );
                match &p.stage {
                    Some(stage) => self.touch_stage(&p.competition, &p.season, stage, seq)?,
                    None => self.touch_season(&season_key, seq)?,
                }
            }
            Event::TeamRenamed(t) => {
                let key = keys::competition_scope(&t.competition);
                self.w.put(
                    TreeId::Renames,
                    &keys::scoped_seq(&key, seq),
                    encode_value(t),
                );
                for (k, v) in self.w.scan_prefix(TreeId::Stages, &[])? {
                    let info: StageInfo = decode_derived(TreeId::Stages, &k, &v)?;
                    if names::same(&info.competition, &t.competition) {
                        self.touch_stage(&info.competition, &info.season, &info.stage, seq)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds a compensating event to a match record and marks its stage.
    fn change_match(&mut self, id: &MatchId, change: MatchChange) -> Result<()> {
        let Some(key) = self.w.get(TreeId::Matches, &id.0)? else {
            return Err(Error::NotFound(format!("unknown match id {}", id.to_hex())));
        };
        let mut rec: MatchRecord = match self.w.get(TreeId::ByDate, &key)? {
            Some(v) => decode_derived(TreeId::ByDate, &key, &v)?,
            None => return Err(Error::NotFound(format!("unknown match id {}", id.to_hex()))),
        };
        let seq = change.seq;
        rec.changes.push(change);
        self.w.put(TreeId::ByDate, &key, encode_value(&rec));
        let m = &rec.result;
        self.touch_stage(&m.competition, &m.season, &m.stage, seq)
    }

    /// Adds event `seq`'s hash to the Merkle tree (leaf index seq - 1).
    pub fn add_leaf(&mut self, seq: u64, event_hash: &crate::chain::Hash) -> Result<()> {
        let w = &mut *self.w;
        let mut puts: Vec<(u8, u64, crate::chain::Hash)> = Vec::new();
        crate::merkle::append_leaf(
            seq - 1,
            crate::merkle::leaf_hash(event_hash),
            |level, index| match w.get(TreeId::Merkle, &keys::merkle(level, index)) {
                Ok(Some(v)) if v.len() == 32 => {
                    Ok(crate::chain::Hash(v.try_into().expect("32 bytes")))
                }
                Ok(_) => Err(format!("missing Merkle node {level}/{index}")),
                Err(e) => Err(e.to_string()),
            },
            |level, index, h| puts.push((level, index, h)),
        )
        .map_err(|msg| Error::Store {
            path: Default::default(),
            msg,
        })?;
        for (level, index, h) in puts {
            w.put(TreeId::Merkle, &keys::merkle(level, index), h.0.to_vec());
        }
        Ok(())
    }

    /// Recomputes the snapshots of every stage touched since the last call.
    pub fn reproject(&mut self) -> Result<usize> {
        let dirty = std::mem::take(&mut self.dirty);
        for (season_key, stage_key) in &dirty {
            let k = keys::stage(season_key, stage_key);
            let Some(v) = self.w.get(TreeId::Stages, &k)? else {
                continue;
            };
            let info: StageInfo = decode_derived(TreeId::Stages, &k, &v)?;
            let input = stage_input(self.w, &info, u64::MAX)?;
            let mut fresh: BTreeMap<Vec<u8>, Vec<u8>> = projector::snapshots(&input)
                .into_iter()
                .map(|(at, rows)| (keys::snapshot(stage_key, at).to_vec(), encode_value(&rows)))
                .collect();
            for (k, v) in self.w.scan_prefix(TreeId::Snapshots, stage_key)? {
                match fresh.remove(&k) {
                    Some(new) if new == v => {}
                    Some(new) => self.w.put(TreeId::Snapshots, &k, new),
                    None => self.w.del(TreeId::Snapshots, &k),
                }
            }
            for (k, v) in fresh {
                self.w.put(TreeId::Snapshots, &k, v);
            }
        }
        Ok(dirty.len())
    }
}

fn rules_scope(r: &Rules) -> ScopeKey {
    match &r.stage {
        Some(s) => keys::stage_scope(&r.competition, &r.season, s),
        None => keys::season_scope(&r.competition, &r.season),
    }
}

fn adjustment_scope(p: &PointsAdjustment) -> ScopeKey {
    match &p.stage {
        Some(s) => keys::stage_scope(&p.competition, &p.season, s),
        None => keys::season_scope(&p.competition, &p.season),
    }
}

/// A reason is required; a source is optional.
fn reason_and_source(reason: &str, source: &Option<String>) -> Result<(String, Option<String>)> {
    let reason = names::clean(reason);
    if reason.is_empty() {
        return Err(invalid("a reason is required"));
    }
    if reason.chars().any(char::is_control) || reason.len() > 2000 {
        return Err(invalid("the reason must be one line of at most 2000 bytes"));
    }
    let source = source
        .as_deref()
        .map(names::clean)
        .filter(|s| !s.is_empty());
    Ok((reason, source))
}

fn team_scope(t: &TeamRegistration) -> ScopeKey {
    match &t.stage {
        Some(s) => keys::stage_scope(&t.competition, &t.season, s),
        None => keys::season_scope(&t.competition, &t.season),
    }
}
