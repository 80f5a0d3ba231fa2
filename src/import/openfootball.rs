//! openfootball's football.json season files and Football.TXT files.

use crate::error::{Error, Result};
use crate::import::repeats::Repeats;
use crate::import::{Checks, Invalid, Parsed};
use crate::model::date::Date;
use crate::model::event::Fixture;
use crate::model::event::{Event, MatchResult, MatchStatus, ScorePair};
use crate::model::names;

fn err(line: usize, msg: impl Into<String>) -> Error {
    Error::Parse {
        file: None,
        line,
        msg: msg.into(),
    }
}

/// `English Premier League 2019/20` -> (`English Premier League`, `2019-20`);
/// `World Cup 2018` -> (`World Cup`, `2018`).
pub(crate) fn split_name(name: &str) -> Option<(String, String)> {
    let name = names::clean(name);
    let (comp, season) = name.rsplit_once(' ')?;
    let ok = |s: &str| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit());
    let season = match season.split_once(['/', '-']) {
        Some((a, b))
            if ok(a) && (b.len() == 2 || ok(b)) && b.bytes().all(|c| c.is_ascii_digit()) =>
        {
            format!("{a}-{}", &b[b.len() - 2..])
        }
        None if ok(season) => season.to_string(),
        _ => return None,
    };
    Some((names::clean(comp), season))
}

/// The stage and round of a round name: `Matchday 3` -> (default stage, 3);
/// `League, Matchday 3` -> (`League`, 3); `Round of 16` -> (`Round of 16`, none).
fn stage_and_round(round: &str, group: Option<&str>, default_stage: &str) -> (String, Option<u32>) {
    let round = names::clean(round);
    let lower = round.to_lowercase();
    if let Some(i) = lower.rfind("matchday") {
        let n = round[i + "matchday".len()..]
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0);
        let prefix = round[..i].trim().trim_end_matches(',').trim();
        let stage = if !prefix.is_empty() {
            prefix.to_string()
        } else if group.is_some() {
            "Group stage".to_string()
        } else {
            default_stage.to_string()
        };
        return (stage, n);
    }
    (
        if round.is_empty() {
            default_stage.to_string()
        } else {
            round
        },
        None,
    )
}

/// The line in the JSON text where the n-th `"team1"` appears, for messages.
fn match_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.contains("\"team1\""))
        .map(|(i, _)| i + 1)
        .collect()
}

fn pair(v: &serde_json::Value) -> Option<ScorePair> {
    let a = v.as_array()?;
    if a.len() != 2 {
        return None;
    }
    Some(ScorePair {
        home: u16::try_from(a[0].as_u64()?).ok()?,
        away: u16::try_from(a[1].as_u64()?).ok()?,
    })
}

/// One match of a football.json file, read at `line`.
fn json_match(
    competition: &str,
    season: &str,
    line: usize,
    m: &serde_json::Value,
) -> Result<MatchResult> {
    let s = |k: &str| json_text(line, m, k);
    let (Some(t1), Some(t2)) = (s("team1")?, s("team2")?) else {
        return Err(err(line, "a match without team1 and team2"));
    };
    let date = Date::parse_iso(s("date")?.unwrap_or("")).map_err(|e| err(line, e))?;
    let (group, round_name) = (s("group")?, s("round")?.unwrap_or(""));
    // Each group is a table of its own: its stage is the group.
    let (stage, round) = match group {
        Some(g) => (names::clean(g), stage_and_round(round_name, None, "").1),
        None => stage_and_round(round_name, None, "Regular season"),
    };
    let score = m.get("score");
    let ft = json_score(line, score, "ft")?;
    let status = json_status(line, s("status")?, ft.is_some())?;
    let (home, away) = (names::clean(t1), names::clean(t2));
    crate::import::check_teams(line, &home, &away)?;
    let mut r = MatchResult::new(
        Fixture {
            competition,
            season,
            stage: &stage,
            round,
            date,
            home: &home,
            away: &away,
        },
        ft.map_or(0, |p| p.home),
        ft.map_or(0, |p| p.away),
    );
    r.group = group.map(names::clean);
    r.half_time = json_score(line, score, "ht")?;
    r.extra_time = json_score(line, score, "et")?;
    r.penalties = json_score(line, score, "p")?;
    r.status = status;
    Ok(r)
}

/// The text field `key` of a match, if it has one (absent or `null`);
/// anything but a string refuses the match (a status of `5` was read as
/// none, and the match stored as played).
fn json_text<'a>(line: usize, m: &'a serde_json::Value, key: &str) -> Result<Option<&'a str>> {
    match m.get(key) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(v) => Err(err(line, format!("\"{key}\" is {v}, not text"))),
    }
}

/// The score `key` (`ft`, `ht`, `et`, `p`) of a match's `score`, if it has
/// one; anything there but two whole numbers refuses the match (it was read
/// as no score, and the match stored as postponed 0-0).
fn json_score(
    line: usize,
    score: Option<&serde_json::Value>,
    key: &str,
) -> Result<Option<ScorePair>> {
    match score.and_then(|sc| sc.get(key)) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(v) => pair(v).map(Some).ok_or_else(|| {
            err(
                line,
                format!("score \"{key}\" is {v}, not two whole numbers"),
            )
        }),
    }
}

/// A match's status: the one the file names (cancelled, abandoned,
/// postponed), else played when it has a full-time score. A match with
/// neither has not been played yet (a season file still in progress): it
/// is no result, and refuses the file like any bad row (`--skip-invalid`
/// leaves it out and lists it), as in the TXT format.
fn json_status(line: usize, status: Option<&str>, scored: bool) -> Result<MatchStatus> {
    let named = status
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty());
    match (named.as_deref(), scored) {
        (Some("cancelled" | "canceled"), _) => Ok(MatchStatus::Cancelled),
        (Some("abandoned"), _) => Ok(MatchStatus::Abandoned),
        (Some("postponed"), _) => Ok(MatchStatus::Postponed),
        (Some(other), _) => Err(err(
            line,
            format!("status \"{other}\" is none of cancelled, abandoned, postponed"),
        )),
        (None, true) => Ok(MatchStatus::Played),
        (None, false) => Err(err(
            line,
            "no full-time score (\"ft\"): a match not played yet? (--skip-invalid leaves such matches out)",
        )),
    }
}

/// football.json: `{"name", "matches": [{"round", "date", "team1", "team2", "score": {"ft", "ht", "et", "p"}, "status", "group"}]}`.
pub(crate) fn json(text: &str, invalid: Invalid) -> Result<Parsed> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| err(e.line(), format!("not valid JSON: {e}")))?;
    let name = v
        .get("name")
        .and_then(|n| n.as_str())
        .ok_or_else(|| err(1, "no \"name\" (competition and season)"))?;
    let (competition, season) = split_name(name)
        .ok_or_else(|| err(1, format!("cannot read a season from the name '{name}'")))?;
    let matches = v
        .get("matches")
        .and_then(|m| m.as_array())
        .ok_or_else(|| err(1, "no \"matches\" array"))?;
    let lines = match_lines(text);
    let mut out = Parsed::default();
    let mut checks = Checks::new(invalid);
    let mut repeats = Repeats::default();
    for (i, m) in matches.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        let read = json_match(&competition, &season, line, m)
            .and_then(|r| Ok(repeats.first(line, &r)?.then_some(r)));
        if let Some(Some(r)) = checks.row(read)? {
            out.push(line, Event::MatchResult(r));
        }
    }
    out.duplicates = repeats.lines;
    out.skipped = checks.skipped;
    Ok(out)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// A date line as written: `Fri Aug/9`, `Fri Nov/1 2024`, `[Sat Sep/8]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TxtDate {
    month: u8,
    day: u8,
    year: Option<i32>,
    /// The weekday it names, Monday 0.
    weekday: Option<u8>,
}

/// The weekday of `date`, Monday 0.
fn weekday(date: Date) -> u8 {
    let monday = Date::from_ymd(2024, 1, 1).expect("a date");
    monday.days_until(date).rem_euclid(7) as u8
}

/// `Fri Aug/9`, `Fri Nov/1 2024`, `[Sat Sep/8]`.
fn txt_date(s: &str) -> Option<TxtDate> {
    let s = s.trim().trim_start_matches('[').trim_end_matches(']');
    let mut words = s.split_whitespace();
    let first = words.next()?;
    let (weekday, md) = if first.contains('/') {
        (None, first)
    } else {
        let lower = first.to_lowercase();
        let day = WEEKDAYS.iter().position(|d| lower.starts_with(d));
        (day.map(|d| d as u8), words.next()?)
    };
    let (mon, day) = md.split_once('/')?;
    let month = MONTHS
        .iter()
        .position(|m| mon.to_lowercase().starts_with(m))? as u8
        + 1;
    let day: u8 = day.parse().ok()?;
    let year = match words.next() {
        Some(y) => Some(y.parse().ok()?),
        None => None,
    };
    if words.next().is_some() {
        return None;
    }
    Some(TxtDate {
        month,
        day,
        year,
        weekday,
    })
}

fn is_score(t: &str) -> Option<(u16, u16)> {
    let (a, b) = t.split_once('-')?;
    if a.is_empty()
        || b.is_empty()
        || !a.bytes().all(|c| c.is_ascii_digit())
        || !b.bytes().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The score part of a match line: `4-1 (4-0)`, `0-2 a.e.t. (0-0)`,
/// `5-4 pen. 0-0 a.e.t. (0-0)`, `2-1 a.e.t. (1-1, 0-0)`, `[cancelled]`.
#[derive(Debug, PartialEq, Eq, Default)]
struct Score {
    ft: Option<ScorePair>,
    ht: Option<ScorePair>,
    et: Option<ScorePair>,
    pen: Option<ScorePair>,
    cancelled: bool,
    /// `[postponed]`: not played on its date, kept apart from cancelled.
    postponed: bool,
}

fn parse_score(tokens: &[&str]) -> Option<Score> {
    let mut s = Score::default();
    let joined = tokens.join(" ");
    if joined.eq_ignore_ascii_case("[postponed]") {
        s.postponed = true;
        return Some(s);
    }
    if joined.eq_ignore_ascii_case("[cancelled]") {
        s.cancelled = true;
        return Some(s);
    }
    let mut main: Vec<(u16, u16)> = Vec::new();
    let mut parens: Vec<(u16, u16)> = Vec::new();
    let (mut saw_pen, mut saw_aet) = (false, false);
    let mut in_paren = false;
    for t in tokens {
        let mut t = *t;
        if let Some(rest) = t.strip_prefix('(') {
            in_paren = true;
            t = rest;
        }
        let closes = t.ends_with(')');
        let core = t.trim_end_matches(')').trim_end_matches(',');
        match core {
            "pen." | "pen" => saw_pen = true,
            "a.e.t." | "aet" | "a.e.t" => saw_aet = true,
            _ => {
                let sc = is_score(core)?;
                if in_paren {
                    parens.push(sc);
                } else {
                    main.push(sc);
                }
            }
        }
        if closes {
            in_paren = false;
        }
    }
    let p = |(h, a): (u16, u16)| ScorePair { home: h, away: a };
    let mut main = main.into_iter();
    if saw_pen {
        s.pen = main.next().map(p);
    }
    let played = main.next().map(p)?;
    if main.next().is_some() {
        return None;
    }
    if saw_aet {
        // a.e.t. (FT, HT) or a.e.t. (FT)
        s.et = Some(played);
        s.ft = parens.first().copied().map(p);
        s.ht = parens.get(1).copied().map(p);
        s.ft?;
    } else {
        s.ft = Some(played);
        s.ht = parens.first().copied().map(p);
    }
    Some(s)
}

/// A Football.TXT match line, in either style: its teams as written and
/// its score. A kick-off time before it (`19.45`, `19:45`) and a venue
/// after it (`@ Ground, Town`) are left out.
fn txt_match(n: usize, t: &str) -> Result<(String, String, Score)> {
    let mut tokens: Vec<&str> = t.split_whitespace().collect();
    if tokens.first().is_some_and(|x| is_kickoff(x)) {
        tokens.remove(0);
    }
    if let Some(at) = tokens.iter().position(|x| *x == "@") {
        tokens.truncate(at);
    }
    let (home, away, score) = if let Some(v) = tokens.iter().position(|x| *x == "v" || *x == "-") {
        // Home v Away SCORE  /  Home - Away [cancelled]
        let home = tokens[..v].join(" ");
        let rest = &tokens[v + 1..];
        let s = rest
            .iter()
            .position(|x| is_score(x).is_some() || x.starts_with('['))
            .ok_or_else(|| err(n, format!("no score in '{t}'")))?;
        (home, rest[..s].join(" "), parse_score(&rest[s..]))
    } else {
        // Home SCORE [pen. SCORE] [a.e.t.] [(HT)] Away
        let s = tokens
            .iter()
            .position(|x| is_score(x).is_some())
            .ok_or_else(|| err(n, format!("cannot read '{t}': expected a match line")))?;
        let end = s + score_len(&tokens[s..]).ok_or_else(|| {
            err(
                n,
                format!("cannot read the score in '{t}': a bracket left open"),
            )
        })?;
        let away = &tokens[end..];
        if let Some(note) = away.iter().find(|x| is_note(x)) {
            return Err(err(
                n,
                format!("cannot read '{t}': '{note}' after the away team (a score or a note, not a name)"),
            ));
        }
        (
            tokens[..s].join(" "),
            away.join(" "),
            parse_score(&tokens[s..end]),
        )
    };
    let score = score.ok_or_else(|| err(n, format!("cannot read the score in '{t}'")))?;
    Ok((home, away, score))
}

/// A kick-off time: `19.45`, `19:45`, `9.30`.
fn is_kickoff(x: &str) -> bool {
    x.split_once(['.', ':']).is_some_and(|(h, m)| {
        (1..=2).contains(&h.len())
            && m.len() == 2
            && h.bytes().chain(m.bytes()).all(|c| c.is_ascii_digit())
    })
}

/// `pen.` or `a.e.t.` (and their short forms) in a score.
fn is_score_note(core: &str) -> bool {
    matches!(core, "pen." | "pen" | "a.e.t." | "aet" | "a.e.t")
}

/// A word beside a team's name that is no part of it: a score (bare or
/// in brackets, but not a year range such as `(1878-1896)`), `a.e.t.` or
/// `pen.`, a match's fate in brackets (`(abandoned)`, `(awarded)`, `w/o`),
/// a `[note]` or a `#` comment.
pub(crate) fn is_note(x: &str) -> bool {
    let core = x.trim_matches(|c| c == '(' || c == ')' || c == ',');
    let years = is_score(core).is_some_and(|(a, b)| a >= 1000 && b >= 1000);
    let fate = matches!(
        core.to_lowercase().as_str(),
        "abandoned"
            | "awarded"
            | "postponed"
            | "cancelled"
            | "canceled"
            | "annulled"
            | "void"
            | "w/o"
            | "walkover"
    ) && (x.starts_with('(') || core.eq_ignore_ascii_case("w/o"));
    (is_score(core).is_some() && !years)
        || is_score_note(core)
        || fate
        || x.starts_with('[')
        || x.starts_with('#')
}

/// How many tokens, from a score's first, the score takes in the older
/// style: then `pen.` and `a.e.t.`, a score after either, and scores in
/// brackets (`3-4 pen. 1-1 a.e.t. (1-1, 0-0)`); the away team's name
/// starts after them. `None` when a bracket is left open.
fn score_len(tokens: &[&str]) -> Option<usize> {
    let (mut end, mut after_note, mut in_paren) = (1, false, false);
    while let Some(tok) = tokens.get(end) {
        let opens = tok.starts_with('(');
        let core = tok.trim_matches(|c| c == '(' || c == ')' || c == ',');
        let note = is_score_note(core);
        let score = is_score(core).is_some() && (opens || in_paren || after_note);
        if !(note || score) {
            break;
        }
        in_paren = (in_paren || opens) && !tok.ends_with(')');
        after_note = note;
        end += 1;
    }
    (!in_paren).then_some(end)
}

/// The date of a date line `t`: its own year, else, in a season of two
/// years (`2019/20`), July to December in the first and January to June in
/// the next, and in a season of one (`2024`), the year of the date before
/// (the season's, first). A weekday the line names can move the date a
/// year later (the July of a season that ran late: `[Wed Jul/1]` in
/// 2019/20 is 2020-07-01; the Scottish Cup 2019/20's final, `[Sun Dec/20]`,
/// 2020-12-20), never earlier, and a date it does not fall on is refused.
fn txt_day(n: usize, t: &str, d: TxtDate, hint: Option<i32>, two_years: bool) -> Result<Date> {
    let on = |year: i32| Date::from_ymd(year, d.month, d.day);
    let chosen = match d.year {
        Some(y) => y,
        None => {
            let start = hint
                .ok_or_else(|| err(n, "a date without a year before any '= Name Season' line"))?;
            let (usual, other) = match (two_years, d.month >= 7) {
                (true, true) => (start, start + 1),
                (true, false) => (start + 1, start),
                (false, _) => (start, start + 1),
            };
            // Only a later year: a season runs late (a cup's final played
            // months after its season), never early. A date past the
            // season's window is then said by the import.
            match d.weekday {
                Some(w)
                    if other > usual
                        && on(usual).is_some_and(|x| weekday(x) != w)
                        && on(other).is_some_and(|x| weekday(x) == w) =>
                {
                    other
                }
                _ => usual,
            }
        }
    };
    let date = on(chosen).ok_or_else(|| err(n, format!("impossible date '{t}'")))?;
    match d.weekday {
        Some(w) if weekday(date) != w => Err(err(
            n,
            format!(
                "'{t}': {date} is a {}, not a {}",
                DAY_NAMES[weekday(date) as usize],
                DAY_NAMES[w as usize]
            ),
        )),
        _ => Ok(date),
    }
}

/// Football.TXT: `= Name Season`, `Matchday N` / `» Round 1` headings, date
/// lines (`[Fri Aug/9]`, `Fri Nov/1 2024`), and match lines in the older
/// (`Home 4-1 (4-0) Away`) and newer (`19.45 Home v Away 1-0 (1-0)`) styles.
pub(crate) fn txt(text: &str, invalid: Invalid) -> Result<Parsed> {
    let mut place = TxtPlace::default();
    let mut out = Parsed::default();
    let mut checks = Checks::new(invalid);
    let mut repeats = Repeats::default();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let t = raw.trim_end_matches('\r').trim();
        if t.is_empty() || t.starts_with('#') || place.context(n, t)? {
            continue;
        }
        let t = place.inline(n, t)?;
        if !match_like(t) {
            // Perhaps a date or a heading that cannot be read: refused even
            // when skipping, lest the matches after it be misfiled.
            return Err(err(
                n,
                format!("cannot read '{t}': expected a match line, a date or a heading"),
            ));
        }
        let read = place
            .result(n, t)
            .and_then(|m| Ok(repeats.first(n, &m)?.then_some(m)));
        if let Some(Some(m)) = checks.row(read)? {
            out.push(n, Event::MatchResult(m));
        }
    }
    if place.name.is_none() {
        return Err(err(1, "no '= Competition Season' line"));
    }
    out.duplicates = repeats.lines;
    out.skipped = checks.skipped;
    Ok(out)
}

/// Whether a line has what a match line has: a score, or `v` between teams.
fn match_like(t: &str) -> bool {
    t.split_whitespace()
        .any(|x| x == "v" || x == "-" || is_score(x).is_some())
}

/// Where a Football.TXT file is as it is read: the competition and season,
/// the stage and round, and the date of the next match lines.
struct TxtPlace {
    name: Option<(String, String)>,
    stage: String,
    round: Option<u32>,
    date: Option<Date>,
    year_hint: Option<i32>,
}

impl Default for TxtPlace {
    fn default() -> Self {
        TxtPlace {
            name: None,
            stage: "Regular season".into(),
            round: None,
            date: None,
            year_hint: None,
        }
    }
}

impl TxtPlace {
    /// Folds in line `n` when it says where the next matches are (a name,
    /// a heading, a date): true. False for any other line (a match line).
    fn context(&mut self, n: usize, t: &str) -> Result<bool> {
        if let Some(name) = t.strip_prefix('=') {
            let (c, s) = split_name(name.trim_matches('=').trim())
                .ok_or_else(|| err(n, format!("cannot read a season from '{t}'")))?;
            self.year_hint = s.get(..4).and_then(|y| y.parse().ok());
            self.name = Some((c, s));
            return Ok(true);
        }
        let heading = t.strip_prefix('»').map(str::trim);
        let lower = t.to_lowercase();
        if heading.is_some() || lower.starts_with("matchday ") || lower.starts_with("round ") {
            let h = heading.unwrap_or(t);
            // "Matchday 3" numbers a round; a cup's "Round 1", "Quarterfinals",
            // "Final" are stages of their own.
            (self.stage, self.round) = stage_and_round(h, None, "Regular season");
            return Ok(true);
        }
        // A date line, possibly followed by nothing else.
        let bracketed = t.starts_with('[') && t.ends_with(']') && !lower.contains("cancel");
        let Some(d) = txt_date(t).filter(|_| bracketed || !t.contains(" v ") && !t.contains("  "))
        else {
            return Ok(false);
        };
        self.set_date(n, t, d)?;
        Ok(true)
    }

    /// The date of the match lines from line `n` (`t`) on.
    fn set_date(&mut self, n: usize, t: &str, d: TxtDate) -> Result<()> {
        let one_year = self.name.as_ref().is_some_and(|(_, s)| s.len() == 4);
        let date = txt_day(n, t, d, self.year_hint, !one_year)?;
        self.date = Some(date);
        if one_year {
            self.year_hint = Some(date.year());
        }
        Ok(())
    }

    /// A match line without what may come before its teams: a match number
    /// `(51)`, a date (`Sun Jul/1`, `Jul/1 2018`: the date of this line and
    /// those after it) and a kick-off time, as openfootball's World Cup
    /// files write them.
    fn inline<'t>(&mut self, n: usize, t: &'t str) -> Result<&'t str> {
        let words: Vec<&str> = t.split_whitespace().collect();
        let mut k = 0;
        let numbered = |w: &str| {
            w.strip_prefix('(')
                .and_then(|w| w.strip_suffix(')'))
                .is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
        };
        if words.first().is_some_and(|w| numbered(w)) {
            k = 1;
        }
        // The longest run of one to three words that reads as a date whose
        // year, if it names one, is a year of the season (`Aug/10 1860
        // München v ...` is a date and a team, 1860 München).
        let start = self.year_hint.unwrap_or_default();
        let season_year = |d: &TxtDate| d.year.is_none_or(|y| (start - 1..=start + 2).contains(&y));
        if let Some((len, d)) = (1..=3)
            .rev()
            .filter(|len| k + len <= words.len())
            .find_map(|len| {
                txt_date(&words[k..k + len].join(" "))
                    .filter(season_year)
                    .map(|d| (len, d))
            })
        {
            self.set_date(n, t, d)?;
            k += len;
        }
        if words.get(k).is_some_and(|w| is_kickoff(w)) {
            k += 1;
        }
        Ok(match words.get(k) {
            Some(w) => &t[w.as_ptr() as usize - t.as_ptr() as usize..],
            None => "",
        })
    }

    /// Match line `n`, read where the file is.
    fn result(&self, n: usize, t: &str) -> Result<MatchResult> {
        let d = self
            .date
            .ok_or_else(|| err(n, "a match before any date line"))?;
        let Some((comp, seas)) = &self.name else {
            return Err(err(n, "a match before the '= Name Season' line"));
        };
        let (home, away, score) = txt_match(n, t)?;
        let (home, away) = (names::clean(&home), names::clean(&away));
        crate::import::check_teams(n, &home, &away)?;
        let ft = score.ft.unwrap_or(ScorePair { home: 0, away: 0 });
        let mut m = MatchResult::new(
            Fixture {
                competition: comp,
                season: seas,
                stage: &self.stage,
                round: self.round,
                date: d,
                home: &home,
                away: &away,
            },
            ft.home,
            ft.away,
        );
        m.half_time = score.ht;
        m.extra_time = score.et;
        m.penalties = score.pen;
        if score.cancelled {
            m.status = MatchStatus::Cancelled;
        }
        if score.postponed {
            m.status = MatchStatus::Postponed;
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A date line in a season of two years (`2019/20`) or one (`2024`),
    /// its year from the line, the month, or the weekday it names.
    #[test]
    fn a_date_line_takes_the_year_its_weekday_falls_in() {
        let check = |season: &str, line: &str, expect: &str| {
            let two = season.contains('/');
            let hint = season[..4].parse().ok();
            let got = txt_date(line)
                .ok_or_else(|| "not a date".to_string())
                .and_then(|d| txt_day(7, line, d, hint, two).map_err(|e| e.to_string()))
                .map(|d| d.to_string());
            let got = got.unwrap_or_else(|e| e);
            assert!(got.contains(expect), "{season} {line}: {got}");
        };
        for (season, line, expect) in [
            ("2019/20", "[Fri Aug/9]", "2019-08-09"),
            ("2019/20", "[Sat Jan/4]", "2020-01-04"),
            // The season that ran into July: the weekday says which July.
            ("2019/20", "[Wed Jul/1]", "2020-07-01"),
            ("2019/20", "[Mon Jul/1]", "2019-07-01"),
            ("2019/20", "Jul/1", "2019-07-01"),
            (
                "2019/20",
                "[Tue Jul/1]",
                "2019-07-01 is a Monday, not a Tuesday",
            ),
            // A season of one year keeps its year for January to June.
            ("2024", "[Sat Feb/24]", "2024-02-24"),
            ("2018", "[Thu Jun/14]", "2018-06-14"),
            ("2024", "Feb/24", "2024-02-24"),
            ("2024", "[Fri Nov/1 2024]", "2024-11-01"),
            (
                "2024",
                "[Sat Nov/1 2024]",
                "2024-11-01 is a Friday, not a Saturday",
            ),
            ("2019/20", "[Sat Feb/30]", "impossible date"),
            // January to June before the season began is never chosen by a
            // weekday: 2019-01-04 was a Friday, but in 2019/20 it is a typo.
            (
                "2019/20",
                "[Fri Jan/4]",
                "2020-01-04 is a Saturday, not a Friday",
            ),
            // ... but a later one: a cup's final played months late (the
            // import says it is outside its season).
            ("2019/20", "[Sun Dec/20]", "2020-12-20"),
            ("2019/20", "[Sat Aug/1]", "2020-08-01"),
            ("2024", "[Fri Jan/3]", "2025-01-03"),
            ("2024", "[Sat Mar/1]", "2025-03-01"),
        ] {
            check(season, line, expect);
        }
    }

    #[test]
    fn names_and_rounds() {
        assert_eq!(
            split_name("English Premier League 2019/20"),
            Some(("English Premier League".into(), "2019-20".into()))
        );
        assert_eq!(
            split_name("World Cup 2018"),
            Some(("World Cup".into(), "2018".into()))
        );
        assert_eq!(
            split_name("English FA Cup 2024/25"),
            Some(("English FA Cup".into(), "2024-25".into()))
        );
        assert_eq!(split_name("No season"), None);
        assert_eq!(
            stage_and_round("Matchday 3", None, "Regular season"),
            ("Regular season".into(), Some(3))
        );
        assert_eq!(
            stage_and_round("Matchday 1", Some("Group A"), "x"),
            ("Group stage".into(), Some(1))
        );
        assert_eq!(
            stage_and_round("League, Matchday 8", None, "x"),
            ("League".into(), Some(8))
        );
        assert_eq!(
            stage_and_round("Round of 16", None, "x"),
            ("Round of 16".into(), None)
        );
    }

    fn sc(s: &str) -> Option<Score> {
        parse_score(&s.split_whitespace().collect::<Vec<_>>())
    }

    /// "ft 4-1 ht 4-0 et - pen -" for a score line.
    fn check(line: &str, expect: &str) {
        let show =
            |p: Option<ScorePair>| p.map_or("-".to_string(), |p| format!("{}-{}", p.home, p.away));
        let got = sc(line).map(|s| {
            format!(
                "ft {} ht {} et {} pen {}{}",
                show(s.ft),
                show(s.ht),
                show(s.et),
                show(s.pen),
                if s.cancelled {
                    " cancelled"
                } else if s.postponed {
                    " postponed"
                } else {
                    ""
                }
            )
        });
        assert_eq!(
            got.as_deref(),
            Some(expect).filter(|e| !e.is_empty()),
            "{line}"
        );
    }

    #[test]
    fn score_forms() {
        check("4-1 (4-0)", "ft 4-1 ht 4-0 et - pen -");
        check("0-0", "ft 0-0 ht - et - pen -");
        check("0-2 a.e.t. (0-0)", "ft 0-0 ht - et 0-2 pen -");
        check("2-1 a.e.t. (1-1, 0-0)", "ft 1-1 ht 0-0 et 2-1 pen -");
        check("5-4 pen. 0-0 a.e.t. (0-0)", "ft 0-0 ht - et 0-0 pen 5-4");
        check(
            "4-5 pen. 4-4 a.e.t. (3-3, 2-0)",
            "ft 3-3 ht 2-0 et 4-4 pen 4-5",
        );
        check("[cancelled]", "ft - ht - et - pen - cancelled");
        check("[postponed]", "ft - ht - et - pen - postponed");
        check("x-1", "");
    }

    /// A match line read as "home | away | ft H-A et .. pen ..".
    fn check_line(line: &str, expect: &str) {
        let show =
            |p: Option<ScorePair>| p.map_or("-".to_string(), |p| format!("{}-{}", p.home, p.away));
        let got = txt_match(1, line).map(|(home, away, s)| {
            format!(
                "{home} | {away} | ft {} et {} pen {}",
                show(s.ft),
                show(s.et),
                show(s.pen)
            )
        });
        match got {
            Ok(got) => assert_eq!(got, expect, "{line}"),
            Err(e) => assert_eq!("", expect, "{line}: {e}"),
        }
    }

    /// Both styles, with extra time, a shoot-out, a kick-off time (`17.00`
    /// or `17:00`) and a venue (`@ Ground, Town`): the notes are never
    /// part of a team's name, and a shoot-out is never the score.
    #[test]
    fn match_lines_in_both_styles() {
        let aet = "ft 1-1 et 2-1 pen -";
        let pens = "ft 1-1 et 1-1 pen 3-4";
        for (line, expect) in [
            ("Arsenal FC  2-1 a.e.t. (1-1, 0-0)  Chelsea FC", aet),
            ("17.00 Arsenal FC  2-1 a.e.t. (1-1, 0-0)  Chelsea FC", aet),
            ("17:00 Arsenal FC  2-1 aet (1-1)  Chelsea FC", aet),
            ("Arsenal FC 3-4 pen. 1-1 a.e.t. (1-1, 0-0) Chelsea FC", pens),
            (
                "Arsenal FC 3-4 pen. 1-1 a.e.t. (1-1, 0-0) Chelsea FC @ Highbury, London",
                pens,
            ),
            (
                "Arsenal FC v Chelsea FC 3-4 pen. 1-1 a.e.t. (1-1, 0-0) @ Highbury",
                pens,
            ),
            ("Arsenal FC v Chelsea FC 2-1 a.e.t. (1-1, 0-0)", aet),
        ] {
            check_line(line, &format!("Arsenal FC | Chelsea FC | {expect}"));
        }
        check_line(
            "Russia 5-0 (2-0) Saudi Arabia @ Luzhniki Stadium, Moscow",
            "Russia | Saudi Arabia | ft 5-0 et - pen -",
        );
        check_line(
            "Everton FC 2-1 Accrington FC (1878-1896)",
            "Everton FC | Accrington FC (1878-1896) | ft 2-1 et - pen -",
        );
        check_line(
            "Aston Villa v West Ham 2-1 (1-0) @ Villa Park",
            "Aston Villa | West Ham | ft 2-1 et - pen -",
        );
        check_line("Arsenal FC 3-0 Chelsea FC (awarded)", "");
        check_line("Arsenal FC 3-0 Chelsea FC w/o", "");
        check_line(
            "Sport Boys 1-0 Melgar (Arequipa)",
            "Sport Boys | Melgar (Arequipa) | ft 1-0 et - pen -",
        );
        check_line(
            "9.30 Arsenal FC v Chelsea FC 2-1",
            "Arsenal FC | Chelsea FC | ft 2-1 et - pen -",
        );
        // A note after the away team that is not a venue is refused, not
        // taken into the name; a year range in brackets is part of it.
        for line in [
            "Arsenal FC 2-1 Chelsea FC 1-0",
            "Arsenal FC 1-1 Chelsea FC a.e.t.",
            "Arsenal FC 1-1 Chelsea FC (1-0)",
            "Arsenal FC 1-1 Chelsea FC [awarded]",
            "Arsenal FC 1-1 Chelsea FC # abandoned",
            "Aaa 2-1 a.e.t. (1-1, Bbb",
        ] {
            check_line(line, "");
        }
    }

    fn results(p: &Parsed) -> Vec<&MatchResult> {
        p.events
            .iter()
            .filter_map(|e| {
                if let Event::MatchResult(m) = e {
                    Some(m)
                } else {
                    None
                }
            })
            .collect()
    }

    /// A line's own date is read only with a year of the season, so a team
    /// named by a number (1860 München) keeps its name.
    #[test]
    fn a_lines_own_date_never_takes_a_teams_number_for_its_year() {
        let text = "= 3. Liga 2019/20\n\n[Sat Aug/10]\n  Aug/11 1860 München v Bayern München II 2-1\n  (7) Mon Aug/12 2019 19:00  Hansa Rostock v 1860 München 0-3\n  Aug/13 1860 München 2-2 Zwickau\n";
        let p = txt(text, Invalid::Refuse).unwrap();
        let got: Vec<String> = results(&p)
            .iter()
            .map(|m| format!("{} {} v {}", m.date, m.home, m.away))
            .collect();
        assert_eq!(
            got,
            [
                "2019-08-11 1860 München v Bayern München II",
                "2019-08-12 Hansa Rostock v 1860 München",
                "2019-08-13 1860 München v Zwickau",
            ]
        );
    }

    #[test]
    fn txt_styles() {
        let old = "= English Premier League 2019/20\n\nMatchday 1\n[Fri Aug/9]\n  20.00  Liverpool FC  4-1 (4-0)  Norwich City\n[Sat Jan/4]\n  Everton FC  2-1  Accrington FC (1878-1896)\n";
        let p = txt(old, Invalid::Refuse).unwrap();
        let ms = results(&p);
        assert_eq!(ms.len(), 2);
        assert_eq!(
            (
                ms[0].home.as_str(),
                ms[0].home_goals,
                ms[0].away.as_str(),
                ms[0].round
            ),
            ("Liverpool FC", 4, "Norwich City", Some(1))
        );
        assert_eq!(ms[0].date.to_string(), "2019-08-09");
        assert_eq!(
            (ms[1].away.as_str(), ms[1].date.to_string()),
            ("Accrington FC (1878-1896)", "2020-01-04".to_string())
        );
        let new = "= English FA Cup 2024/25\n» Round 1\n  Fri Nov/1 2024\n    19.45  Tamworth FC  v Huddersfield Town  1-0 (1-0)\n  Sat Nov/2\n    Brackley Town  v Braintree Town  5-4 pen. 0-0 a.e.t. (0-0)\n» Final\n  Sat May/17 2025\n    Crystal Palace  v Manchester City  1-0 (1-0)\n";
        let p = txt(new, Invalid::Refuse).unwrap();
        let ms = results(&p);
        assert_eq!(ms.len(), 3);
        assert_eq!(ms[1].date.to_string(), "2024-11-02");
        assert_eq!(ms[1].penalties, Some(ScorePair { home: 5, away: 4 }));
        assert_eq!(
            (ms[2].stage.as_str(), ms[2].date.to_string()),
            ("Final", "2025-05-17".to_string())
        );
        assert!(matches!(
            txt(
                "= X 2019/20\n[Fri Aug/9]\n  Liverpool 4-x Norwich\n",
                Invalid::Refuse
            ),
            Err(Error::Parse { line: 3, .. })
        ));
    }
}
