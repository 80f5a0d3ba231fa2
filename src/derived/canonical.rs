//! Before an event is appended: names spelled as the archive spells them,
//! the event validated, and facts the archive already holds recognised.

use super::*;
use crate::model::event::{
    Annulment, Award, FairPlay, MatchResult, PointsAdjustment, ResultCorrection, Rules,
    SeasonFacts, Shootout, StatedRules, TeamRegistration, TeamRename,
};

impl Deriver<'_> {
    /// A name checked, cleaned and spelled as `list` already spells it.
    /// Names the list holds are remembered by their raw form (a name once
    /// in a list never leaves it, so the answer cannot change).
    fn resolve(&mut self, list: NameList, what: &str, name: &str) -> Result<String> {
        let mut name = name.to_string();
        self.resolve_in_place(list, what, &mut name)?;
        Ok(name)
    }

    /// Competition and season spelled as already recorded (matching
    /// case- and accent-insensitively), plus the season key.
    fn resolve_season(
        &mut self,
        competition: &str,
        season: &str,
    ) -> Result<(String, String, ScopeKey)> {
        let (mut c, mut s) = (competition.to_string(), season.to_string());
        let key = self.resolve_season_in_place(&mut c, &mut s)?;
        Ok((c, s, key))
    }

    /// [`Deriver::resolve`] of `name`, written over it: a name already
    /// spelled as the archive spells it (the usual case) is kept as it is,
    /// with nothing allocated.
    fn resolve_in_place(&mut self, list: NameList, what: &str, name: &mut String) -> Result<()> {
        if let Some(r) = self.resolved.get(&list).and_then(|m| m.get(name.as_str())) {
            if r != name {
                name.clone_from(r);
            }
            return Ok(());
        }
        let clean = names::clean(name);
        check_name(what, &clean)?;
        match self.spelled(list, &clean)? {
            Some(spelled) => {
                if self.resolved.len() > 10_000 {
                    self.resolved.clear();
                }
                let raw = std::mem::replace(name, spelled);
                self.resolved
                    .entry(list)
                    .or_default()
                    .insert(raw, name.clone());
            }
            None => *name = clean,
        }
        Ok(())
    }

    /// [`Deriver::resolve_season`], written over the names given: the
    /// season key.
    fn resolve_season_in_place(
        &mut self,
        competition: &mut String,
        season: &mut String,
    ) -> Result<ScopeKey> {
        self.resolve_in_place(NameList::Competitions, "competition", competition)?;
        let c_key = self.keyer.competition_scope(competition);
        self.resolve_in_place(NameList::Seasons(c_key), "season", season)?;
        Ok(self.keyer.scope(competition, season, None))
    }

    fn resolve_stage(&mut self, season: &ScopeKey, name: &str) -> Result<String> {
        self.resolve(NameList::Stages(*season), "stage", name)
    }

    fn resolve_team(&mut self, season: &ScopeKey, what: &str, name: &str) -> Result<String> {
        self.resolve(NameList::Teams(*season), what, name)
    }

    /// Cleans and validates an event, and spells every name as the archive
    /// already spells it.
    pub(crate) fn canonicalize(&mut self, event: Event) -> Result<Event> {
        let event = self.canonical(event)?;
        crate::format::encoding::check_event(&event).map_err(Error::Invalid)?;
        Ok(event)
    }

    fn canonical_rules(&mut self, mut r: Rules) -> Result<Rules> {
        let (c, s, season) = self.resolve_season(&r.competition, &r.season)?;
        r.competition = c;
        r.season = s;
        if let Some(st) = &r.stage {
            r.stage = Some(self.resolve_stage(&season, st)?);
        }
        let mut seen = Vec::new();
        for t in &r.tiebreak {
            if seen.contains(t) {
                return Err(invalid(format!("tie-break '{t}' is listed twice")));
            }
            seen.push(*t);
        }
        Ok(r)
    }

    fn canonical(&mut self, event: Event) -> Result<Event> {
        Ok(match event {
            Event::MatchResult(m) => Event::MatchResult(self.canonical_match(m)?),
            Event::Rules(r) => Event::Rules(self.canonical_rules(r)?),
            Event::RulesStated(s) => Event::RulesStated(StatedRules {
                rules: self.canonical_rules(s.rules)?,
                source: s.source,
            }),
            Event::SeasonFacts(f) => Event::SeasonFacts(self.canonical_facts(f)?),
            Event::TeamRegistered(t) => Event::TeamRegistered(self.canonical_registration(t)?),
            Event::ResultCorrected(c) => Event::ResultCorrected(self.canonical_correction(c)?),
            Event::MatchAwarded(a) => Event::MatchAwarded(self.canonical_award(a)?),
            Event::MatchAnnulled(a) => Event::MatchAnnulled(self.canonical_annulment(a)?),
            Event::PointsAdjusted(p) => Event::PointsAdjusted(self.canonical_adjustment(p)?),
            Event::TeamRenamed(t) => Event::TeamRenamed(self.canonical_rename(t)?),
            Event::ShootoutDecided(s) => Event::ShootoutDecided(self.canonical_shootout(s)?),
            Event::FairPlayStated(f) => Event::FairPlayStated(self.canonical_fair_play(f)?),
        })
    }

    /// A result: its season, stage and teams as the archive spells them; a round from 1; no team playing itself.
    fn canonical_match(&mut self, mut m: MatchResult) -> Result<MatchResult> {
        let season = self.resolve_season_in_place(&mut m.competition, &mut m.season)?;
        self.resolve_in_place(NameList::Stages(season), "stage", &mut m.stage)?;
        if self.has_renames(&m.competition)? {
            // A club's later name is the name the season holds it under, so
            // that its matches keep their ids (and are found again).
            for name in [&mut m.home, &mut m.away] {
                if self.spelled(NameList::Teams(season), name)?.is_none() {
                    if let Some(listed) = self.renamed_in(&m.competition, season, name)? {
                        *name = listed;
                    }
                }
            }
        }
        self.resolve_in_place(NameList::Teams(season), "home team", &mut m.home)?;
        self.resolve_in_place(NameList::Teams(season), "away team", &mut m.away)?;
        if let Some(g) = &m.group {
            let g = names::clean(g);
            check_name("group", &g)?;
            m.group = Some(g);
        }
        if m.round == Some(0) {
            return Err(invalid("round numbers start at 1"));
        }
        let away = self.keyer.fold(&m.away);
        self.scratch.clear();
        self.scratch.push_str(away);
        if self.keyer.fold(&m.home) == self.scratch {
            return Err(invalid(format!("a team cannot play itself: {}", m.home)));
        }
        if self.one_club(&m.competition, &m.home, &m.away)? {
            return Err(invalid(format!(
                "a team cannot play itself: '{}' and '{}' are one club (a rename joined them)",
                m.home, m.away
            )));
        }
        Ok(m)
    }

    /// The name in the season's team list that renames in `competition`
    /// join to `name` (a club known since by another name), if any.
    fn renamed_in(
        &mut self,
        competition: &str,
        season: ScopeKey,
        name: &str,
    ) -> Result<Option<String>> {
        let list = self.list(NameList::Teams(season))?.list.clone();
        for team in list {
            if self.one_club(competition, name, &team)? {
                return Ok(Some(team));
            }
        }
        Ok(None)
    }

    /// True when renames in `competition` join the names `a` and `b` (the
    /// projector counts them as one club).
    fn one_club(&mut self, competition: &str, a: &str, b: &str) -> Result<bool> {
        let pairs = self.rename_pairs(competition)?;
        Ok(!pairs.is_empty()
            && names::rename_class(&names::fold(a), pairs).contains(&names::fold(b)))
    }

    /// Whether `competition` has any rename.
    fn has_renames(&mut self, competition: &str) -> Result<bool> {
        Ok(!self.rename_pairs(competition)?.is_empty())
    }

    /// The renames of `competition`, folded (from, to), read once.
    fn rename_pairs(&mut self, competition: &str) -> Result<&[(String, String)]> {
        if !self.renamed.contains_key(competition) {
            let pairs = renames(self, competition, u64::MAX)?
                .iter()
                .map(|r| (names::fold(&r.from), names::fold(&r.to)))
                .collect();
            self.renamed.insert(competition.to_string(), pairs);
        }
        Ok(&self.renamed[competition])
    }

    /// A season's facts: names cleaned, the winners as the season spells them.
    fn canonical_facts(&mut self, mut f: SeasonFacts) -> Result<SeasonFacts> {
        let (c, s, season) = self.resolve_season(&f.competition, &f.season)?;
        f.competition = c;
        f.season = s;
        if let Some(w) = &f.winners {
            f.winners = Some(self.resolve_team(&season, "winners", w)?);
        }
        f.previous_season = clean_optional(&f.previous_season);
        f.next_season = clean_optional(&f.next_season);
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
        Ok(f)
    }

    /// A registration: the team as the season spells it, region and town checked.
    fn canonical_registration(&mut self, mut t: TeamRegistration) -> Result<TeamRegistration> {
        let (c, s, season) = self.resolve_season(&t.competition, &t.season)?;
        t.competition = c;
        t.season = s;
        if let Some(st) = &t.stage {
            t.stage = Some(self.resolve_stage(&season, st)?);
        }
        t.team = self.resolve_team(&season, "team", &t.team)?;
        t.region = clean_optional(&t.region);
        t.location = clean_optional(&t.location);
        for (what, v) in [("region", &t.region), ("town", &t.location)] {
            if let Some(v) = v {
                check_name(what, v)?;
            }
        }
        Ok(t)
    }

    /// A correction: of a match that was played and neither annulled nor awarded.
    fn canonical_correction(&mut self, mut c: ResultCorrection) -> Result<ResultCorrection> {
        (c.reason, c.source) = reason_and_source(&c.reason, &c.source)?;
        let rec = self.existing_match(&c.match_id)?;
        let e = rec.now.clone();
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
        Ok(c)
    }

    /// An award: to one of the two teams, as a win for it (the score played, if kept).
    fn canonical_award(&mut self, mut a: Award) -> Result<Award> {
        (a.reason, a.source) = reason_and_source(&a.reason, &a.source)?;
        let rec = self.existing_match(&a.match_id)?;
        let e = rec.now.clone();
        if e.state == MatchState::Annulled {
            return Err(invalid(format!("match {} is annulled", a.match_id)));
        }
        let m = &rec.result;
        // A name a rename gave one of the teams names that team.
        let home = if names::same(&a.to, &m.home)
            || self.one_club(&m.competition, &a.to, &m.home)?
        {
            a.to = m.home.clone();
            true
        } else if names::same(&a.to, &m.away) || self.one_club(&m.competition, &a.to, &m.away)? {
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
        Ok(a)
    }

    /// An annulment: of a recorded match.
    fn canonical_annulment(&mut self, mut a: Annulment) -> Result<Annulment> {
        (a.reason, a.source) = reason_and_source(&a.reason, &a.source)?;
        self.existing_match(&a.match_id)?;
        Ok(a)
    }

    /// A shoot-out: of a played match, won by one of its two teams (and
    /// begun by one of them, where known), spelled as the match spells them.
    fn canonical_shootout(&mut self, mut s: Shootout) -> Result<Shootout> {
        s.source = clean_optional(&s.source);
        let rec = self.existing_match(&s.match_id)?;
        let m = &rec.result;
        if !m.status.counts() {
            return Err(invalid(
                format!(
                    "match {} was not played ({:?}); no shoot-out decided it",
                    s.match_id, m.status
                )
                .to_lowercase(),
            ));
        }
        let side = |what: &str, team: &str| -> Result<String> {
            [&m.home, &m.away]
                .into_iter()
                .find(|t| names::same(t, team))
                .cloned()
                .ok_or_else(|| {
                    Error::NotFound(format!(
                        "{what} '{team}' did not play match {} ({} {} v {})",
                        s.match_id, m.date, m.home, m.away
                    ))
                })
        };
        s.winner = side("the shoot-out's winner", &s.winner)?;
        if let Some(first) = &s.first_shooter {
            s.first_shooter = Some(side("the first shooter", first)?);
        }
        Ok(s)
    }

    /// The latest shoot-out held for a match: (seq, winner, first shooter).
    fn shootout_of(&mut self, id: &MatchId) -> Result<Option<(u64, String, Option<String>)>> {
        let Some((_, stage, match_seq)) = self.locate(id)? else {
            return Ok(None);
        };
        let prefix = keys::change(&stage, match_seq, 0);
        let mut out = None;
        for (k, v) in self.scan(&prefix[..17])? {
            let (_, seq) = keys::change_seqs(&k).ok_or_else(|| damaged(&k, "short key"))?;
            if let (
                ChangeKind::Shootout {
                    winner,
                    first_shooter,
                },
                _,
            ) = decode_derived::<(ChangeKind, String)>(&k, &v)?
            {
                out = Some((seq, winner, first_shooter));
            }
        }
        Ok(out)
    }

    /// An adjustment: of a team the season knows, by some points.
    fn canonical_adjustment(&mut self, mut p: PointsAdjustment) -> Result<PointsAdjustment> {
        (p.reason, p.source) = reason_and_source(&p.reason, &p.source)?;
        let (c, s, season) = self.resolve_season(&p.competition, &p.season)?;
        p.competition = c;
        p.season = s;
        if let Some(st) = &p.stage {
            p.stage = Some(self.resolve_stage(&season, st)?);
        }
        check_name("team", &names::clean(&p.team))?;
        let spelled = match self.spelled(NameList::Teams(season), &p.team)? {
            Some(v) => Some(v),
            None => self.renamed_in(&p.competition, season, &p.team)?,
        };
        match spelled {
            Some(v) => p.team = v,
            None => {
                let known = self.list(NameList::Teams(season))?.list.join(", ");
                return Err(Error::NotFound(format!(
                    "unknown team '{}' in {} {}; known: {known}",
                    p.team, p.competition, p.season,
                )));
            }
        }
        if p.points == 0 {
            return Err(invalid("an adjustment of 0 points changes nothing"));
        }
        Ok(p)
    }

    /// Fair-play points: names spelled as the archive spells them, for a
    /// team the season knows.
    fn canonical_fair_play(&mut self, mut f: FairPlay) -> Result<FairPlay> {
        if let Some(s) = &f.source {
            f.source = Some(names::clean(s)).filter(|s| !s.is_empty());
        }
        let (c, s, season) = self.resolve_season(&f.competition, &f.season)?;
        f.competition = c;
        f.season = s;
        if let Some(st) = &f.stage {
            f.stage = Some(self.resolve_stage(&season, st)?);
        }
        check_name("team", &names::clean(&f.team))?;
        match self.spelled(NameList::Teams(season), &f.team)? {
            Some(v) => f.team = v,
            None => {
                return Err(Error::NotFound(format!(
                    "unknown team '{}' in {} {}",
                    f.team, f.competition, f.season,
                )))
            }
        }
        Ok(f)
    }

    /// A rename: from a name the competition knows (or gave by an earlier rename) to another.
    fn canonical_rename(&mut self, mut t: TeamRename) -> Result<TeamRename> {
        (t.reason, t.source) = reason_and_source(&t.reason, &t.source)?;
        check_name("competition", &names::clean(&t.competition))?;
        t.competition = self.resolve(NameList::Competitions, "competition", &t.competition)?;
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
        let earlier = renames(self, &t.competition, u64::MAX)?;
        // A name given by an earlier rename can be renamed again.
        let renamed_to = earlier.iter().find(|r| names::same(&r.to, &t.from));
        match (self.team_spelling(&t.competition, &t.from)?, renamed_to) {
            (Some(spelled), _) => t.from = spelled,
            (None, Some(r)) => t.from = r.to.clone(),
            (None, None) => {
                return Err(Error::NotFound(format!(
                    "no team '{}' in {}",
                    t.from, t.competition
                )))
            }
        }
        if let Some(spelled) = self.team_spelling(&t.competition, &t.to)? {
            t.to = spelled;
        }
        self.refuse_merging_opponents(&t, &earlier)?;
        Ok(t)
    }

    /// The recorded match with this id, or an error naming it.
    fn existing_match(&mut self, id: &MatchId) -> Result<Current> {
        self.current(id)?
            .ok_or_else(|| Error::NotFound(format!("unknown match id {}", id.to_hex())))
    }

    /// A team's recorded spelling in any season of a competition.
    fn team_spelling(&mut self, competition: &str, team: &str) -> Result<Option<String>> {
        let seasons = read::name_list(
            self,
            NameList::Seasons(keys::competition_scope(competition)),
        )?;
        for season in seasons {
            let key = self.keyer.scope(competition, &season, None);
            if let Some(v) = self.spelled(NameList::Teams(key), team)? {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    /// Refuses a rename that would make one club of two that met in a stage
    /// (one row would then count a match against itself). Names joined by
    /// earlier renames count as one.
    fn refuse_merging_opponents(&mut self, t: &TeamRename, earlier: &[TeamRename]) -> Result<()> {
        let pairs: Vec<(String, String)> = earlier
            .iter()
            .map(|r| (names::fold(&r.from), names::fold(&r.to)))
            .collect();
        let (a, b) = (
            names::rename_class(&names::fold(&t.from), &pairs),
            names::rename_class(&names::fold(&t.to), &pairs),
        );
        if a.iter().any(|n| b.contains(n)) {
            // Already one club (a rename taken back, say): nothing is joined.
            return Ok(());
        }
        let comp = keys::competition_scope(&t.competition);
        for season in read::name_list(self, NameList::Seasons(comp))? {
            let season_key = self.keyer.scope(&t.competition, &season, None);
            let mut stages: Vec<ScopeKey> = Vec::new();
            if self.stored {
                for e in self
                    .store
                    .scan_prefix(Space::Derived, &keys::stages_of(&season_key))
                {
                    let (k, _) = e?;
                    stages.push(k[9..17].try_into().expect("8 bytes"));
                }
            }
            stages.extend(
                self.stages
                    .values()
                    .filter(|s| s.info.season_key == season_key)
                    .map(|s| s.info.stage_key),
            );
            for stage in stages {
                let Some(held) = self.load_stage(&season_key, &stage)? else {
                    continue;
                };
                let folded: Vec<String> = held.teams.iter().map(|n| names::fold(n)).collect();
                let has = |class: &[String]| folded.iter().any(|f| class.contains(f));
                if has(&a) && has(&b) {
                    return Err(invalid(format!(
                        "'{}' and '{}' both play in {} {} {}: renaming one to the other would make one club of two that met; record the new name with a new team instead",
                        t.from, t.to, t.competition, season, held.info.stage
                    )));
                }
            }
        }
        Ok(())
    }

    /// The recorded match of this (canonical) result's fixture, if any.
    fn same_fixture(&mut self, m: &MatchResult) -> Result<Option<Current>> {
        let season = self.keyer.scope(&m.competition, &m.season, None);
        let stage = self.keyer.scope(&m.competition, &m.season, Some(&m.stage));
        let id = self.id(m);
        self.admitted_id = Some(id);
        let Some(seq) = self
            .load_stage(&season, &stage)?
            .and_then(|s| s.seq_of(&id))
        else {
            return Ok(None);
        };
        self.current_at(&season, &stage, seq).map(Some)
    }

    /// `Ok(true)` when the archive already holds this fact, `Err(Conflict)`
    /// when it holds a contradicting one, `Ok(false)` when it is new.
    pub(crate) fn already_present(&mut self, event: &Event) -> Result<bool> {
        self.admitted_id = None;
        self.present_changed = false;
        match event {
            Event::MatchResult(m) => self.result_present(m),
            Event::Rules(r) | Event::RulesStated(StatedRules { rules: r, .. }) => {
                let scope = keys::scope(&r.competition, &r.season, r.stage.as_deref());
                let current = scoped::<Rules>(self, Kind::Rules, &scope, u64::MAX)?.pop();
                Ok(current.is_some_and(|(_, c)| c.same_values(r)))
            }
            Event::SeasonFacts(f) => {
                let scope = keys::season_scope(&f.competition, &f.season);
                let current = scoped::<SeasonFacts>(self, Kind::Facts, &scope, u64::MAX)?.pop();
                Ok(current.is_some_and(|(_, c)| &c == f))
            }
            Event::TeamRegistered(t) => self.registration_present(t),
            Event::ResultCorrected(c) => {
                let e = self.existing_match(&c.match_id)?.now;
                Ok((e.home_goals, e.away_goals) == (c.home_goals, c.away_goals))
            }
            Event::MatchAwarded(a) => {
                let e = self.existing_match(&a.match_id)?.now;
                Ok(e.state == MatchState::Awarded
                    && e.awarded_to.as_deref() == Some(a.to.as_str())
                    && (e.home_goals, e.away_goals) == (a.home_goals, a.away_goals))
            }
            Event::MatchAnnulled(a) => {
                Ok(self.existing_match(&a.match_id)?.now.state == MatchState::Annulled)
            }
            Event::PointsAdjusted(p) => {
                let scope = keys::scope(&p.competition, &p.season, p.stage.as_deref());
                Ok(
                    scoped::<PointsAdjustment>(self, Kind::Adjustment, &scope, u64::MAX)?
                        .iter()
                        .any(|(_, q)| q == p),
                )
            }
            // Held when it is the last rename of its club (one taken back
            // since is not: the name is given again).
            Event::TeamRenamed(t) => {
                let earlier = renames(self, &t.competition, u64::MAX)?;
                let pairs: Vec<(String, String)> = earlier
                    .iter()
                    .map(|q| (names::fold(&q.from), names::fold(&q.to)))
                    .collect();
                let club = names::rename_class(&names::fold(&t.from), &pairs);
                Ok(earlier
                    .iter()
                    .zip(&pairs)
                    .rev()
                    .find(|(_, (from, _))| club.contains(from))
                    .is_some_and(|(q, _)| names::same(&q.from, &t.from) && names::same(&q.to, &t.to)))
            }
            Event::FairPlayStated(f) => {
                let scope = keys::scope(&f.competition, &f.season, f.stage.as_deref());
                Ok(scoped::<FairPlay>(self, Kind::FairPlay, &scope, u64::MAX)?
                    .iter()
                    .rev()
                    .find(|(_, q)| names::same(&q.team, &f.team))
                    .is_some_and(|(_, q)| q.points == f.points))
            }
            Event::ShootoutDecided(s) => match self.shootout_of(&s.match_id)? {
                None => Ok(false),
                Some((_, winner, first)) if winner == s.winner => {
                    Ok(first == s.first_shooter || s.first_shooter.is_none())
                }
                Some((seq, winner, _)) => Err(Error::Conflict(format!(
                    "match {}: the archive holds a shoot-out won by {winner} (seq {seq}), not by {}",
                    s.match_id, s.winner
                ))),
            },
        }
    }

    /// A result: present when its fixture holds the same outcome (as first
    /// recorded, or as corrected); a conflict when it holds another.
    fn result_present(&mut self, m: &MatchResult) -> Result<bool> {
        let Some(rec) = self.same_fixture(m)? else {
            return Ok(false);
        };
        // The fact as first recorded, or as it stands after corrections, is already known.
        let e = rec.now.clone();
        let now = (e.home_goals, e.away_goals) == (m.home_goals, m.away_goals);
        if rec.result.same_outcome(m) || now {
            self.present_changed = e.state != MatchState::Recorded
                && (!now || matches!(e.state, MatchState::Awarded | MatchState::Annulled));
            return Ok(true);
        }
        Err(Error::Conflict(format!(
            "match {} ({} {} v {}, {}) is already recorded as {}-{} (seq {}); a recorded result is never \
             overwritten: use `scoreledger correct {} SCORE --reason TEXT`",
            rec.id,
            m.date,
            m.home,
            m.away,
            m.stage,
            e.home_goals,
            e.away_goals,
            rec.seq,
            rec.id
        )))
    }

    /// True when the result [`Deriver::already_present`] last found held
    /// was changed since (its match's result now differs).
    pub(crate) fn present_but_changed(&self) -> bool {
        self.present_changed
    }

    /// A registration: present when the scope's latest one of the team is
    /// the same.
    fn registration_present(&mut self, t: &TeamRegistration) -> Result<bool> {
        let scope = keys::scope(&t.competition, &t.season, t.stage.as_deref());
        let fold = names::fold(&t.team);
        let current = scoped::<TeamRegistration>(self, Kind::Registration, &scope, u64::MAX)?
            .into_iter()
            .rfind(|(_, c)| names::fold(&c.team) == fold);
        Ok(current.is_some_and(|(_, c)| &c == t))
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
    Ok((reason, clean_optional(source)))
}

/// An optional text, cleaned; empty counts as absent.
fn clean_optional(o: &Option<String>) -> Option<String> {
    o.as_deref().map(names::clean).filter(|s| !s.is_empty())
}
