//! The season page format of the seed (`1984-copa-peru.txt`): an infobox, a
//! teams table, and result sections with round headings, date lines and
//! result lines.
//!
//! ```text
//! Infobox
//! - Competition: Copa Perú
//! - Season: 1984
//! ==Finalists teams==
//! | Department | Team | Location |
//! | Piura | Alianza Atlético | Sullana |
//! ==Final stage==
//! === Round 1 ===
//! 2 December 1984
//! Alianza Atlético 3-2 Universitario de Tacna
//! ```
//!
//! Forgiving where a real page is untidy (CRLF, a BOM, en and em dashes in
//! scores, extra spaces, missing blank lines), strict where data is at stake:
//! inside a result section every line must be a heading, a date or a result.

use crate::error::{Error, Result};
use crate::import::repeats::Repeats;
use crate::import::{Checks, Invalid, Parsed};
use crate::model::date::Date;
use crate::model::event::Fixture;
use crate::model::event::{
    Event, MatchResult, Rules, RulesSource, SeasonFacts, StatedRules, TeamRegistration,
};
use crate::model::names;
use crate::model::rules::DEFAULT_TIEBREAK;

/// Choices the page itself does not make.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Records a rules event with this many points for a win (draw 1, loss 0).
    pub points_for_win: Option<u8>,
    /// Overrides the infobox Competition.
    pub competition: Option<String>,
    /// Overrides the infobox Season.
    pub season: Option<String>,
}

const DASHES: [char; 6] = [
    '-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}',
];

fn err(line: usize, msg: impl Into<String>) -> Error {
    Error::Parse {
        file: None,
        line,
        msg: msg.into(),
    }
}

/// `(level, text)` for `== Text ==` headings.
fn heading(line: &str) -> Option<(usize, String)> {
    let level = line.chars().take_while(|&c| c == '=').count();
    if level == 0 {
        return None;
    }
    let text = line.trim_matches('=').trim();
    if text.is_empty() {
        return None;
    }
    Some((level, names::clean(text)))
}

/// `Round 3`, `Matchday 3`, `Fecha 3`, `Jornada 3`, `3rd round`.
fn round_heading(text: &str) -> Option<Result<u32, String>> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let number = match words.as_slice() {
        [w, n] if ["round", "matchday", "fecha", "jornada", "week", "rodada"].contains(w) => *n,
        [n, "round"] => n.trim_end_matches(|c: char| c.is_ascii_alphabetic()),
        _ => return None,
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(match number.parse::<u32>() {
        Ok(0) => Err("rounds are numbered from 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("round number '{number}' is too large")),
    })
}

fn group_heading(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    lower.starts_with("group ").then(|| text.to_string())
}

/// A whole number of goals, 0 to 65535.
fn goals(s: &str) -> Option<Result<u16, String>> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        s.parse::<u16>()
            .map_err(|_| format!("score '{s}' is out of range (0 to 65535)")),
    )
}

/// A full-time score `3-2` (any dash, spaces allowed around it).
pub fn parse_score(s: &str) -> Result<(u16, u16), String> {
    let norm: String = s
        .trim()
        .chars()
        .map(|c| if DASHES.contains(&c) { '-' } else { c })
        .collect();
    let bad = || format!("invalid score '{s}': expected home-away goals such as 3-2");
    let (h, a) = norm.split_once('-').ok_or_else(bad)?;
    match (goals(h.trim()), goals(a.trim())) {
        (Some(h), Some(a)) => Ok((h?, a?)),
        _ => Err(bad()),
    }
}

/// `Home 3-2 Away` (any dash, spaces allowed around it). `None` when the
/// line has no score at all.
pub fn parse_result(line: &str) -> Option<Result<(String, u16, u16, String), String>> {
    let norm: String = line
        .chars()
        .map(|c| if DASHES.contains(&c) { '-' } else { c })
        .collect();
    let tokens: Vec<&str> = norm.split_whitespace().collect();
    for i in 1..tokens.len() {
        // "3-2" as one token, or "3 - 2" as three.
        let (score, next) = if let Some((a, b)) = tokens[i].split_once('-') {
            ((a, b), i + 1)
        } else if tokens.get(i + 1) == Some(&"-") && i + 2 < tokens.len() {
            ((tokens[i], tokens[i + 2]), i + 3)
        } else {
            continue;
        };
        let (Some(h), Some(a)) = (goals(score.0), goals(score.1)) else {
            continue;
        };
        if next >= tokens.len() {
            continue;
        }
        let home = tokens[..i].join(" ");
        let away = tokens[next..].join(" ");
        let beside = tokens[..i].iter().chain(&tokens[next..]);
        if let Some(note) = beside
            .into_iter()
            .find(|w| crate::import::openfootball::is_note(w))
        {
            return Some(Err(format!(
                "'{note}' beside a team's name in '{}': a score or a note, not a name (write the match's fate with `scoreledger annul` or `award`)",
                line.trim()
            )));
        }
        return Some(match (h, a) {
            (Ok(h), Ok(a)) => Ok((home, h, a, away)),
            (Err(e), _) | (_, Err(e)) => Err(e),
        });
    }
    None
}

#[derive(Default)]
struct Infobox {
    line: usize,
    fields: Vec<(String, String, usize)>,
}

impl Infobox {
    /// A required fact: the value given in `over`, else the infobox's.
    fn pick(&self, over: &Option<String>, keys: &[&str], what: &str) -> Result<(String, usize)> {
        if let Some(v) = over {
            return Ok((names::clean(v), self.line));
        }
        self.get(keys)
            .filter(|(v, _)| !v.is_empty())
            .ok_or_else(|| {
                err(
                    self.line.max(1),
                    format!(
                        "the infobox has no {what} (a line '- {what}: ...'); or pass --{}",
                        what.to_lowercase()
                    ),
                )
            })
    }

    fn get(&self, keys: &[&str]) -> Option<(String, usize)> {
        self.fields
            .iter()
            .find(|(k, _, _)| {
                keys.iter()
                    .any(|want| names::fold(k).replace([' ', '_', '-'], "") == *want)
            })
            .map(|(_, v, l)| (v.clone(), *l))
    }
}

struct Table {
    team: usize,
    region: Option<usize>,
    location: Option<usize>,
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(names::clean).collect()
}

/// The infobox keys each fact may be given under (folded, without spaces,
/// underscores or hyphens). Other keys are kept as they are, as other facts.
const COMPETITION_KEYS: &[&str] = &["competition"];
const SEASON_KEYS: &[&str] = &["season"];
const WINNER_KEYS: &[&str] = &["winners", "winner", "champions", "champion"];
const TOP_SCORER_KEYS: &[&str] = &["leaguetopscorer", "topscorer", "topscorers"];
const PREVIOUS_KEYS: &[&str] = &["prevseason", "previousseason"];
const NEXT_KEYS: &[&str] = &["nextseason"];
const POINTS_KEYS: &[&str] = &["pointsforawin", "pointsforwin", "pointsperwin"];
const INFOBOX_KEYS: [&[&str]; 7] = [
    COMPETITION_KEYS,
    SEASON_KEYS,
    WINNER_KEYS,
    TOP_SCORER_KEYS,
    PREVIOUS_KEYS,
    NEXT_KEYS,
    POINTS_KEYS,
];

/// A result line as read, before its teams are checked against the table.
struct RawResult {
    line: usize,
    stage: String,
    group: Option<String>,
    round: Option<u32>,
    date: Date,
    home: String,
    home_goals: u16,
    away_goals: u16,
    away: String,
}

impl RawResult {
    /// The result, its teams spelled as the teams table lists them.
    fn into_match(self, competition: &str, season: &str, teams: &[TeamRow]) -> Result<MatchResult> {
        let home = spelled_as_listed(teams, &self.home, self.line)?;
        let away = spelled_as_listed(teams, &self.away, self.line)?;
        crate::import::check_teams(self.line, &home, &away)?;
        let mut m = MatchResult::new(
            Fixture {
                competition,
                season,
                stage: &self.stage,
                round: self.round,
                date: self.date,
                home: &home,
                away: &away,
            },
            self.home_goals,
            self.away_goals,
        );
        m.group = self.group;
        Ok(m)
    }
}

/// A row of the teams table.
struct TeamRow {
    line: usize,
    team: String,
    region: Option<String>,
    location: Option<String>,
}

/// The page as read so far: each line is classified and folded in.
#[derive(Default)]
struct Reader {
    infobox: Option<Infobox>,
    in_infobox: bool,
    table: Option<Table>,
    teams: Vec<TeamRow>,
    /// The current `==Section==` and its line.
    section: Option<(String, usize)>,
    in_stage: bool,
    round: Option<u32>,
    /// The group in force, and the level of its heading.
    group: Option<(String, usize)>,
    date: Option<Date>,
    results: Vec<RawResult>,
    stages: Vec<String>,
    /// Result lines that failed their checks, refused or listed.
    checks: Checks,
}

/// Reads a page. Errors carry the 1-based line number. A result line that
/// fails its checks is refused or skipped as `invalid` says; any other bad
/// line refuses the page.
pub fn parse(text: &str, opts: &Options, invalid: Invalid) -> Result<Parsed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        checks: Checks::new(invalid),
        ..Reader::default()
    };
    for (i, raw_line) in text.split('\n').enumerate() {
        let line = raw_line.trim_end_matches('\r').replace('\u{a0}', " ");
        reader.line(i + 1, line.trim())?;
    }
    reader.finish(opts)
}

impl Reader {
    /// Classifies line `n` and folds it in.
    fn line(&mut self, n: usize, line: &str) -> Result<()> {
        if line.is_empty() {
            self.in_infobox = false;
            self.table = None;
            return Ok(());
        }
        if self.in_infobox {
            if self.infobox_line(n, line)? {
                return Ok(());
            }
            self.in_infobox = false;
        }
        if line.eq_ignore_ascii_case("infobox") || line.to_lowercase().starts_with("{{infobox") {
            if self.infobox.is_some() {
                return Err(err(n, "a second infobox"));
            }
            self.infobox = Some(Infobox {
                line: n,
                ..Default::default()
            });
            self.in_infobox = true;
            return Ok(());
        }
        if let Some((level, title)) = heading(line) {
            return self.heading(n, level, title);
        }
        if line.starts_with('|') && !self.in_stage {
            return self.table_row(n, line);
        }
        match Date::parse_loose(line) {
            Some(Ok(d)) => {
                self.date = Some(d);
                self.in_stage = true;
                return Ok(());
            }
            Some(Err(e)) => return Err(err(n, e)),
            None => {}
        }
        if let Some(r) = parse_result(line) {
            let read = match r {
                Ok(r) => self.result(n, r),
                Err(e) => Err(err(n, e)),
            };
            return self.checks.row(read).map(|_| ());
        }
        if self.in_stage {
            return Err(err(
                n,
                format!("cannot read '{line}': expected a date (2 December 1984), a result (Home 3-2 Away) or a heading"),
            ));
        }
        // Prose outside result sections is ignored.
        Ok(())
    }

    /// A `- Key: Value` line of the infobox; false when the infobox ended.
    fn infobox_line(&mut self, n: usize, line: &str) -> Result<bool> {
        let Some(rest) = line.strip_prefix(['-', '*', '|', '\u{2013}', '\u{2014}', '\u{2022}'])
        else {
            return Ok(false);
        };
        let Some((k, v)) = rest.split_once(':').or_else(|| rest.split_once('=')) else {
            return Err(err(
                n,
                format!("infobox line without 'Key: Value': '{line}'"),
            ));
        };
        if rest.len() > crate::model::limits::TEXT_BYTES {
            return Err(err(
                n,
                format!(
                    "an infobox line of {} bytes; the limit is {}",
                    rest.len(),
                    crate::model::limits::TEXT_BYTES
                ),
            ));
        }
        let ib = self.infobox.as_mut().expect("in infobox");
        ib.fields.push((names::clean(k), names::clean(v), n));
        Ok(true)
    }

    /// `==Section==` starts a stage; `=== Round N ===` and `=== Group X ===`
    /// within it. A group is a stage of its own (a table of its own, as in
    /// the other formats) until a heading of its level or higher: a round
    /// under it (`==== Round 1 ====`) stays in it, a round beside it is the
    /// section's again.
    fn heading(&mut self, n: usize, level: usize, title: String) -> Result<()> {
        self.table = None;
        match level {
            1 => {}
            2 => {
                self.section = Some((title, n));
                self.in_stage = false;
                self.round = None;
                self.group = None;
                self.date = None;
            }
            _ => {
                if let Some(r) = round_heading(&title) {
                    self.round = Some(r.map_err(|e| err(n, e))?);
                    self.in_stage = true;
                    if self.group.as_ref().is_some_and(|(_, at)| level <= *at) {
                        self.group = None;
                    }
                } else if let Some(g) = group_heading(&title) {
                    self.group = Some((g, level));
                    self.round = None;
                    self.in_stage = true;
                } else if self.in_stage {
                    return Err(err(
                        n,
                        format!("unrecognised heading '{title}': expected 'Round N' or 'Group X'"),
                    ));
                }
            }
        }
        Ok(())
    }

    /// A line of the teams table: its header, a separator, or a team.
    fn table_row(&mut self, n: usize, line: &str) -> Result<()> {
        let row = cells(line);
        if row
            .iter()
            .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        {
            return Ok(()); // |---|---|
        }
        let Some(t) = &self.table else {
            self.table = Some(table_header(n, line, &row)?);
            return Ok(());
        };
        let get = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .filter(|s| !s.is_empty())
                .cloned()
        };
        let Some(team) = get(Some(t.team)) else {
            return Err(err(n, format!("table row without a team: '{line}'")));
        };
        if let Some(p) = names::problem("team", &team) {
            return Err(err(n, p));
        }
        if self.teams.iter().any(|r| names::same(&r.team, &team)) {
            return Err(err(n, format!("team '{team}' is listed twice")));
        }
        let (region, location) = (get(t.region), get(t.location));
        self.teams.push(TeamRow {
            line: n,
            team,
            region,
            location,
        });
        Ok(())
    }

    /// A `Home 3-2 Away` line, under a section and a date.
    fn result(&mut self, n: usize, (home, hg, ag, away): (String, u16, u16, String)) -> Result<()> {
        let Some((section, _)) = &self.section else {
            return Err(err(
                n,
                "result outside any section; add a heading such as '==Final stage=='",
            ));
        };
        let Some(date) = self.date else {
            return Err(err(
                n,
                "result before any date line (such as '2 December 1984')",
            ));
        };
        let stage = self.group.as_ref().map_or(section, |(g, _)| g).clone();
        if !self.stages.contains(&stage) {
            self.stages.push(stage.clone());
        }
        self.in_stage = true;
        self.results.push(RawResult {
            line: n,
            stage,
            group: self.group.as_ref().map(|(g, _)| g.clone()),
            round: self.round,
            date,
            home,
            home_goals: hg,
            away_goals: ag,
            away,
        });
        Ok(())
    }

    /// The events of the page read whole: rules, facts, registrations,
    /// results, with the results' teams checked against the table.
    fn finish(mut self, opts: &Options) -> Result<Parsed> {
        let ib = self.infobox.unwrap_or_default();
        let (competition, comp_line) =
            ib.pick(&opts.competition, COMPETITION_KEYS, "Competition")?;
        let (season, _) = ib.pick(&opts.season, SEASON_KEYS, "Season")?;
        let teams = &self.teams;
        let canonical = |name: &str, n: usize| spelled_as_listed(teams, name, n);
        let mut out = Parsed::default();
        if let Some((line, event)) = rules_event(&ib, opts, &competition, &season)? {
            out.push(line, event);
        }
        if !ib.fields.is_empty() {
            let winners = match ib.get(WINNER_KEYS) {
                Some((w, l)) => Some(canonical(&w, l)?),
                None => None,
            };
            out.push(
                comp_line.max(1),
                facts_event(&ib, &competition, &season, winners),
            );
        }
        let team_stage = match self.stages.as_slice() {
            [one] => Some(one.clone()),
            _ => None,
        };
        for r in teams {
            out.push(
                r.line,
                Event::TeamRegistered(TeamRegistration {
                    competition: competition.clone(),
                    season: season.clone(),
                    stage: team_stage.clone(),
                    team: r.team.clone(),
                    region: r.region.clone(),
                    location: r.location.clone(),
                }),
            );
        }
        let mut repeats = Repeats::default();
        for r in std::mem::take(&mut self.results) {
            let line = r.line;
            let read = r
                .into_match(&competition, &season, teams)
                .and_then(|m| Ok(repeats.first(line, &m)?.then_some(m)));
            if let Some(Some(m)) = self.checks.row(read)? {
                out.push(line, Event::MatchResult(m));
            }
        }
        out.duplicates = repeats.lines;
        out.skipped = self.checks.skipped;
        if out
            .events
            .iter()
            .all(|e| !matches!(e, Event::MatchResult(_)))
        {
            return Err(err(1, "no results found: expected a '==Stage==' section with date lines and 'Home 3-2 Away' lines"));
        }
        Ok(out)
    }
}

/// The header row of the teams table: which column holds what.
fn table_header(n: usize, line: &str, row: &[String]) -> Result<Table> {
    for (i, c) in row.iter().enumerate() {
        if row[..i].iter().any(|d| names::same(c, d)) {
            return Err(err(n, format!("table header repeats the column '{c}'")));
        }
    }
    let find = |want: &[&str]| {
        row.iter()
            .position(|c| want.contains(&names::fold(c).as_str()))
    };
    let Some(team) = find(&["team", "club", "teams", "clubs", "equipo"]) else {
        return Err(err(
            n,
            format!("table header without a Team column: '{line}'"),
        ));
    };
    Ok(Table {
        team,
        region: find(&[
            "department",
            "region",
            "province",
            "state",
            "county",
            "departamento",
        ]),
        location: find(&["location", "city", "town", "ciudad"]),
    })
}

/// A team name as the teams table spells it; with a table, a result must
/// name one of its teams.
fn spelled_as_listed(teams: &[TeamRow], name: &str, n: usize) -> Result<String> {
    if teams.is_empty() {
        return Ok(names::clean(name));
    }
    teams
        .iter()
        .find(|r| names::same(&r.team, name))
        .map(|r| r.team.clone())
        .ok_or_else(|| {
            let known: Vec<&str> = teams.iter().map(|r| r.team.as_str()).collect();
            err(
                n,
                format!(
                    "team '{}' is not in the teams table ({})",
                    names::clean(name),
                    known.join(", ")
                ),
            )
        })
}

/// The rules the page states (or `opts` gives), with the line they come from.
fn rules_event(
    ib: &Infobox,
    opts: &Options,
    competition: &str,
    season: &str,
) -> Result<Option<(usize, Event)>> {
    let points = match opts.points_for_win {
        Some(p) => Some((p, ib.line, RulesSource::User)),
        None => match ib.get(POINTS_KEYS) {
            Some((v, l)) => Some((
                v.parse::<u8>().map_err(|_| {
                    err(
                        l,
                        format!("points for a win '{v}' is not a number from 0 to 255"),
                    )
                })?,
                l,
                RulesSource::File,
            )),
            None => None,
        },
    };
    Ok(points.map(|(win, line, source)| {
        let rules = Rules {
            competition: competition.to_string(),
            season: season.to_string(),
            stage: None,
            points_for_win: win,
            points_for_draw: 1,
            points_for_loss: 0,
            tiebreak: DEFAULT_TIEBREAK.to_vec(),
        };
        (
            line.max(1),
            Event::RulesStated(StatedRules { rules, source }),
        )
    }))
}

/// The season's facts from the infobox; keys it does not know are kept as
/// other facts.
fn facts_event(ib: &Infobox, competition: &str, season: &str, winners: Option<String>) -> Event {
    let (top_scorers, top_scorer_goals) = ib
        .get(TOP_SCORER_KEYS)
        .map(|(v, _)| top_scorers(&v))
        .unwrap_or_default();
    let known = |k: &str| {
        let k = names::fold(k).replace([' ', '_', '-'], "");
        INFOBOX_KEYS.iter().any(|keys| keys.contains(&k.as_str()))
    };
    Event::SeasonFacts(SeasonFacts {
        competition: competition.to_string(),
        season: season.to_string(),
        winners,
        top_scorers,
        top_scorer_goals,
        previous_season: ib.get(PREVIOUS_KEYS).map(|(v, _)| v),
        next_season: ib.get(NEXT_KEYS).map(|(v, _)| v),
        other: ib
            .fields
            .iter()
            .filter(|(k, _, _)| !known(k))
            .map(|(k, v, _)| (k.clone(), v.clone()))
            .collect(),
    })
}

/// `Carrasco and Luna (6)` -> (["Carrasco", "Luna"], Some(6)).
fn top_scorers(v: &str) -> (Vec<String>, Option<u16>) {
    let (names_part, goals) = match v.rfind('(') {
        Some(open) if v.ends_with(')') => {
            let inner = &v[open + 1..v.len() - 1];
            let digits: String = inner.chars().take_while(|c| c.is_ascii_digit()).collect();
            match digits.parse::<u16>() {
                Ok(g) => (&v[..open], Some(g)),
                Err(_) => (v, None),
            }
        }
        _ => (v, None),
    };
    let list = names_part
        .replace(" and ", ",")
        .replace(" & ", ",")
        .split(',')
        .map(names::clean)
        .filter(|s| !s.is_empty())
        .collect();
    (list, goals)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `page` and compares each event's summary, one per line, with
    /// `expect` (a parse error compares as `error: MESSAGE`).
    fn check(page: &str, expect: &str) {
        let got = match parse(page, &Options::default(), Invalid::Refuse) {
            Ok(p) => p
                .events
                .iter()
                .map(|e| e.summary())
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => format!("error: {e}"),
        };
        assert_eq!(got.trim(), expect.trim(), "page:\n{page}");
    }

    const HEAD: &str = "= 2001 Test Cup =\n\nInfobox\n- Competition: Test Cup\n- Season: 2001\n\n";

    #[test]
    fn pages_parse_to_their_events() {
        check(
            &format!("{HEAD}==Final==\n=== Round 1 ===\n2 June 2001\nA 1-0 B\n"),
            "Test Cup 2001: winners -\n\
             Test Cup 2001 Final round 1 2001-06-02: A 1-0 B",
        );
        // The en dash and spaces around the score; two stages.
        check(
            &format!("{HEAD}==Group A==\n=== Round 1 ===\n2 June 2001\nA 2 – 2 B\n\n==Final==\n=== Round 1 ===\n9 June 2001\nA 0-1 C\n"),
            "Test Cup 2001: winners -\n\
             Test Cup 2001 Group A round 1 2001-06-02: A 2-2 B\n\
             Test Cup 2001 Final round 1 2001-06-09: A 0-1 C",
        );
        // A result line before any date is refused with its line.
        check(
            &format!("{HEAD}==Final==\n=== Round 1 ===\nA 1-0 B\n"),
            "error: line 9: result before any date line (such as '2 December 1984')",
        );
        // A team the finalists table does not list is refused; a score past
        // the limits is parsed (the append refuses it, with its line).
        check(
            &format!("{HEAD}==Finalists==\n| Team |\n| A |\n| B |\n\n==Final==\n=== Round 1 ===\n2 June 2001\nA 1-0 Z\n"),
            "error: line 15: team 'Z' is not in the teams table (A, B)",
        );
        // Groups are tables of their own (their stage is the group); a
        // round under a group (a lower heading) stays in it, a round beside
        // them (same level) is the section's again.
        check(
            &format!("{HEAD}==National stage==\n=== Group A ===\n==== Round 1 ====\n2 June 2001\nA 1-0 B\nC 0-0 D\n=== Group B ===\n3 June 2001\nE 2-0 F\n=== Round 2 ===\n9 June 2001\nA 0-1 C\n"),
            "Test Cup 2001: winners -\n\
             Test Cup 2001 Group A round 1 2001-06-02: A 1-0 B\n\
             Test Cup 2001 Group A round 1 2001-06-02: C 0-0 D\n\
             Test Cup 2001 Group B 2001-06-03: E 2-0 F\n\
             Test Cup 2001 National stage round 2 2001-06-09: A 0-1 C",
        );
        check(
            &format!("{HEAD}==Final==\n=== Round 1 ===\n2 June 2001\nA 201-0 B\n"),
            "Test Cup 2001: winners -\n\
             Test Cup 2001 Final round 1 2001-06-02: A 201-0 B",
        );
    }

    fn result(line: &str) -> Option<Result<(String, u16, u16, String), String>> {
        parse_result(line)
    }

    #[test]
    fn result_lines() {
        let ok = |l: &str, h: &str, hg: u16, ag: u16, a: &str| {
            assert_eq!(
                result(l),
                Some(Ok((h.to_string(), hg, ag, a.to_string()))),
                "{l}"
            );
        };
        ok(
            "Alianza Atlético 3-2 Universitario de Tacna",
            "Alianza Atlético",
            3,
            2,
            "Universitario de Tacna",
        );
        ok(
            "Alianza Atlético 3–2 Universitario de Tacna",
            "Alianza Atlético",
            3,
            2,
            "Universitario de Tacna",
        );
        ok(
            "Alianza Atlético  3 — 2   Universitario de Tacna",
            "Alianza Atlético",
            3,
            2,
            "Universitario de Tacna",
        );
        ok("1860 München 2-1 Bayern", "1860 München", 2, 1, "Bayern");
        ok("A 10-0 B", "A", 10, 0, "B");
        assert_eq!(result("Alianza Atlético 3-x Universitario"), None);
        assert_eq!(
            result("The champion was promoted to 1985 Torneo Descentralizado."),
            None
        );
        assert_eq!(result("3-2 Universitario"), None);
        assert_eq!(result("Alianza 3-2"), None);
        assert!(matches!(result("A 70000-1 B"), Some(Err(_))));
        assert_eq!(result("A -1-2 B"), None);
        // Notes beside a name are refused, not taken into it.
        for line in [
            "Sport Boys 0-0 Melgar (abandoned)",
            "Sport Boys 3-0 Melgar (awarded)",
            "Sport Boys 2-1 (1-0) Melgar",
            "Atlético 1-2 1-1 Deportivo 3-0",
        ] {
            assert!(matches!(result(line), Some(Err(_))), "{line}");
        }
        ok(
            "Accrington (1878-1896) 1-0 Sport Boys (Callao)",
            "Accrington (1878-1896)",
            1,
            0,
            "Sport Boys (Callao)",
        );
        assert_eq!(parse_score(" 3 – 2 "), Ok((3, 2)));
        assert!(parse_score("-1-2").is_err());
        assert!(parse_score("3:2").is_err());
        assert!(parse_score("99999-0").unwrap_err().contains("out of range"));
    }

    #[test]
    fn headings_and_rounds() {
        assert_eq!(heading("=== Round 1 ==="), Some((3, "Round 1".into())));
        assert_eq!(heading("==Final stage=="), Some((2, "Final stage".into())));
        assert_eq!(round_heading("Round 12"), Some(Ok(12)));
        assert_eq!(round_heading("Matchday 3"), Some(Ok(3)));
        assert_eq!(round_heading("3rd round"), Some(Ok(3)));
        assert!(matches!(round_heading("Round 0"), Some(Err(_))));
        assert_eq!(round_heading("Final"), None);
    }

    #[test]
    fn top_scorer_line() {
        assert_eq!(
            top_scorers("Carrasco and Luna (6)"),
            (vec!["Carrasco".into(), "Luna".into()], Some(6))
        );
        assert_eq!(
            top_scorers("Pelé (58 goals)"),
            (vec!["Pelé".into()], Some(58))
        );
        assert_eq!(top_scorers("Unknown"), (vec!["Unknown".into()], None));
    }
}
