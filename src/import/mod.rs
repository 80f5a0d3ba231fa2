//! Importers: each turns a file's text into events and never writes; this
//! module detects the format and appends what they return, in batches.

pub mod draws;
pub mod editions;
pub mod era;
pub(crate) mod groups;
pub mod invalid;
pub mod jsonl;
pub(crate) mod openfootball;
pub mod plan;
pub(crate) mod repeats;
pub mod season_page;
pub mod tabular;
pub mod target;

pub use invalid::{Checks, Invalid, Skipped};

use std::path::Path;

use crate::archive::{AppendReport, Archive};
use crate::error::{Error, Result};
use crate::format::chain::Head;
use crate::model::date::{Date, Timestamp};
use crate::model::event::{Event, PointsAdjustment, Shootout};
use crate::model::limits;
use crate::model::names;

/// Events read from a file, each with the line it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The events, in file order.
    pub events: Vec<Event>,
    /// `lines[i]` is the 1-based line of `events[i]`.
    pub lines: Vec<usize>,
    /// Lines that repeat an earlier row of the same file (appended once).
    pub duplicates: Vec<usize>,
    /// Rows left out because they failed their checks ([`Invalid::Skip`]).
    pub skipped: Vec<Skipped>,
}

impl Parsed {
    /// Adds an event read from `line` (1-based).
    pub fn push(&mut self, line: usize, event: Event) {
        self.events.push(event);
        self.lines.push(line);
    }

    /// The same rows left out and repeated, and no events yet.
    pub fn notes_only(&self) -> Parsed {
        Parsed {
            duplicates: self.duplicates.clone(),
            skipped: self.skipped.clone(),
            ..Parsed::default()
        }
    }
}

/// Events to append, each with its line, in order, read as they are
/// appended where a format allows (checked whole before the first is given).
pub struct Stream<'a> {
    /// How many events the stream gives.
    pub total: usize,
    /// Lines that repeat an earlier row of the same file (appended once).
    pub duplicates: Vec<usize>,
    /// Rows left out because they failed their checks.
    pub skipped: Vec<Skipped>,
    /// The events with their lines, in order; an `Err` stops the import there.
    pub events: Box<dyn Iterator<Item = Result<(usize, Event)>> + Send + 'a>,
}

impl Parsed {
    /// Checks every event against `limits` (scores, sizes), so that a file
    /// is refused with the line of its first bad event before anything is
    /// written (or, skipping, that event is left out and listed).
    pub fn checked(self, invalid: Invalid) -> Result<Stream<'static>> {
        let mut checks = Checks::new(invalid);
        let mut out = self.notes_only();
        for (event, line) in self.events.into_iter().zip(self.lines) {
            let within = crate::format::encoding::check_event(&event).map_err(|msg| Error::Parse {
                file: None,
                line,
                msg,
            });
            if checks.row(within)?.is_some() {
                out.push(line, event);
            }
        }
        out.skipped.append(&mut checks.skipped);
        Ok(out.into())
    }
}

impl From<Parsed> for Stream<'static> {
    fn from(p: Parsed) -> Self {
        Stream {
            total: p.events.len(),
            duplicates: p.duplicates,
            skipped: p.skipped,
            events: Box::new(p.lines.into_iter().zip(p.events).map(Ok)),
        }
    }
}

/// The input formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The season page of the seed (`1984-copa-peru.txt`).
    SeasonPage,
    /// engsoccerdata's results (`Date,Season,home,visitor,FT,hgoal,vgoal,...`).
    Engsoccerdata,
    /// engsoccerdata's points deductions (`Season,team,tier,deduction,country`).
    Deductions,
    /// football-data.co.uk's season files (`Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,...`).
    FootballData,
    /// The international results
    /// (`date,home_team,away_team,home_score,away_score,tournament,...`).
    IntlResults,
    /// openfootball's football.json season files.
    OpenfootballJson,
    /// openfootball's Football.TXT files.
    OpenfootballTxt,
    /// The archive's own export.
    Jsonl,
    /// Penalty shoot-outs of the international results
    /// (`date,home_team,away_team,winner,first_shooter`).
    Shootouts,
}

/// Every format and the name it goes by (`page`, `jsonl`, ...).
pub const FORMATS: [(&str, Format); 9] = [
    ("page", Format::SeasonPage),
    ("engsoccerdata", Format::Engsoccerdata),
    ("eng-deductions", Format::Deductions),
    ("football-data", Format::FootballData),
    ("intl-results", Format::IntlResults),
    ("openfootball-json", Format::OpenfootballJson),
    ("openfootball-txt", Format::OpenfootballTxt),
    ("jsonl", Format::Jsonl),
    ("intl-shootouts", Format::Shootouts),
];

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FORMATS
            .iter()
            .find(|(n, _)| *n == s.trim())
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                format!(
                    "unknown format '{s}'; choose from: {}",
                    FORMATS
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

impl Format {
    /// The format's name in [`FORMATS`].
    pub fn name(self) -> &'static str {
        FORMATS
            .iter()
            .find(|(_, f)| *f == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }
}

/// Recognises a format from the first line of the text.
pub fn detect(text: &str) -> Result<Format> {
    if text.trim().is_empty() {
        return Err(Error::Parse {
            file: None,
            line: 1,
            msg: "the file is empty".into(),
        });
    }
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .trim_start_matches('\u{feff}');
    let header: Vec<String> = first
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_lowercase())
        .collect();
    let has = |c: &str| header.iter().any(|h| h == c);
    let not_results = |what: &str| Error::Parse {
        file: None,
        line: 1,
        msg: format!("this file holds {what}, not match results; nothing to import"),
    };
    if has("former") && has("current") {
        return Err(not_results("former team names"));
    }
    let table_row = |l: &str| {
        let w: Vec<&str> = l.split_whitespace().collect();
        w.len() >= 6
            && w[0].trim_end_matches('.').parse::<u32>().is_ok()
            && w.iter().any(|x| x.contains('-') || x.contains(':'))
            && w.last().is_some_and(|x| x.parse::<i64>().is_ok())
    };
    if first.starts_with('=')
        && text
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .take(3)
            .all(table_row)
    {
        return Err(not_results("published league tables"));
    }
    if first.starts_with('{') && text.contains("\"standings\"") && !text.contains("\"matches\"") {
        return Err(not_results("group standings"));
    }
    Ok(if first.starts_with('{') && first.contains("\"seq\"") {
        Format::Jsonl
    } else if has("winner") && has("home_team") && has("away_team") {
        Format::Shootouts
    } else if first.starts_with('{') {
        Format::OpenfootballJson
    } else if has("hgoal") && has("vgoal") && has("visitor") {
        Format::Engsoccerdata
    } else if has("deduction") && has("team") && has("season") {
        Format::Deductions
    } else if has("home_team") && has("away_team") && has("tournament") {
        Format::IntlResults
    } else if has("div") && (has("hometeam") || has("home")) && (has("fthg") || has("hg")) {
        Format::FootballData
    } else if text
        .lines()
        .any(|l| l.trim().eq_ignore_ascii_case("infobox") || l.trim().starts_with("=="))
    {
        Format::SeasonPage
    } else if first.starts_with('=') {
        Format::OpenfootballTxt
    } else {
        return Err(Error::UnknownFormat {
            file: None,
            choices: FORMATS
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", "),
        });
    })
}

/// Checks a pair of team names as read from line `line`: both storable, and
/// not the same team. Importers check every row before anything is written.
pub fn check_teams(line: usize, home: &str, away: &str) -> Result<()> {
    let err = |msg: String| Error::Parse {
        file: None,
        line,
        msg,
    };
    if let Some(p) = names::problem("home team", home).or_else(|| names::problem("away team", away))
    {
        return Err(err(p));
    }
    if names::same(home, away) {
        return Err(err(format!("a team cannot play itself: {home}")));
    }
    Ok(())
}

/// What an import did, in counts (a large import appends millions of events).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Events appended, by kind, in the order each kind first came.
    pub appended: Vec<(&'static str, usize)>,
    /// Events the archive already held.
    pub already_present: usize,
    /// The head after the last batch.
    pub head: Option<Head>,
    /// Lines that repeat an earlier row of the file.
    pub duplicate_lines: Vec<usize>,
    /// Batches committed.
    pub batches: usize,
    /// The rules events appended, with what each replaced.
    pub rules: Vec<era::RulesNote>,
    /// Rows left out because they failed their checks (when asked to skip
    /// them), in the order of their lines.
    pub skipped: Vec<Skipped>,
    /// Lines of results already present whose match was changed since
    /// (corrected, awarded or annulled): the file's result no longer stands.
    pub changed_since: Vec<usize>,
    /// Lines of results appended whose date lies outside their season's
    /// usual window ([`crate::model::date::season_window`]): kept, and said.
    pub outside_season: Vec<usize>,
    /// Lines of results appended of a later round and dated before their
    /// stage's first round opened (as far as the file showed it): kept, and
    /// said.
    pub before_first_round: Vec<usize>,
}

impl ImportReport {
    /// Adds one batch's report.
    pub fn add(&mut self, r: &AppendReport) {
        for (kind, n) in r.counts() {
            match self.appended.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, m)) => *m += n,
                None => self.appended.push((kind, n)),
            }
        }
        self.already_present += r.already_present.len();
        self.head = r.head;
        self.batches += 1;
    }

    /// Events appended in all.
    pub fn appended_total(&self) -> usize {
        self.appended.iter().map(|(_, n)| n).sum()
    }
}

/// How an import appends: the file named in errors, the clock, the events
/// per committed batch, and what an event the archive refuses does
/// (refuses its batch, or is left out and listed).
#[derive(Clone, Copy, Debug)]
pub struct Appending<'f> {
    /// The file named in errors, where there is one.
    pub file: Option<&'f Path>,
    /// The time every event of the import is recorded at.
    pub recorded_at: Timestamp,
    /// Events per committed batch (`usize::MAX`: the whole file in one).
    pub batch: usize,
    /// What an event the archive refuses does: refuses its batch, or is left
    /// out and listed.
    pub invalid: Invalid,
}

/// Appends parsed events as one all-or-nothing batch. A refused event is
/// reported with its file and line.
pub fn append_parsed(
    archive: &mut Archive,
    parsed: Parsed,
    file: Option<&Path>,
    recorded_at: Timestamp,
) -> Result<ImportReport> {
    let how = Appending {
        file,
        recorded_at,
        batch: usize::MAX,
        invalid: Invalid::Refuse,
    };
    append_in_batches(archive, parsed, &how, &mut |_, _| true)
}

/// Appends events in batches of `how.batch` events, each committed and made
/// durable on its own (so a large import can be interrupted and re-run: what
/// was committed is skipped as already present). The next batch is read on
/// a second thread while one is appended. The target is taken for one
/// batch at a time. `progress(done, total)` is called
/// after each batch; when it returns false the import stops there with
/// [`Error::Interrupted`]. Skipping ([`Invalid::Skip`]), an event the
/// archive refuses is left out of its batch and listed with its line.
pub fn append_in_batches<'a>(
    mut target: impl target::Target,
    events: impl Into<Stream<'a>>,
    how: &Appending,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<ImportReport> {
    let stream = events.into();
    let total = stream.total;
    let mut out = ImportReport {
        duplicate_lines: stream.duplicates,
        skipped: stream.skipped,
        ..Default::default()
    };
    let mut source = stream.events;
    let batch = how.batch.max(1);
    let mut openings = Openings::default();
    let done = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Read>>(1);
        let mut windows = SeasonWindows::default();
        let openings = &mut openings;
        scope.spawn(move || loop {
            // Lines and events apart, each sized once: grown by doubling, a
            // batch of large events was copied over and over.
            let room = batch.min(limits::MAX_BATCH);
            let (mut lines, mut events) = (Vec::with_capacity(room), Vec::with_capacity(room));
            let mut misdated = Misdated::default();
            let next = source
                .by_ref()
                .take(batch)
                .try_for_each(|row| {
                    row.map(|(line, event)| {
                        if windows.outside(&event) {
                            misdated.outside.push(line);
                        }
                        if openings.note(line, &event) {
                            misdated.later.push(line);
                        }
                        lines.push(line);
                        events.push(event);
                    })
                })
                .map(|()| (lines, events, misdated));
            let last = next.as_ref().map_or(true, |(l, _, _)| l.len() < batch);
            if tx.send(next).is_err() || last {
                break;
            }
        });
        let overlapped = target.overlapped();
        // The last batch applied whose sync is not yet known to have
        // succeeded (`Archive::append_overlapped`): counted only then.
        let mut unsettled: Option<Batch> = None;
        let mut offset = 0;
        for next in rx {
            let (lines, chunk, misdated) = match next {
                Ok(rows) => rows,
                Err(e) => return Err(settled(&mut target, &mut unsettled, &mut out, e)),
            };
            let n = chunk.len();
            if n == 0 && out.batches + usize::from(unsettled.is_some()) > 0 {
                break;
            }
            let mut archive = target.archive();
            let appended = era::screen(&archive, lines, chunk).and_then(|(lines, chunk, notes)| {
                let report = append_batch(&mut archive, chunk, how, overlapped)
                    .map_err(|e| at_line(e, &lines, how.file))?;
                Ok(Batch {
                    report,
                    lines,
                    notes,
                    misdated,
                })
            });
            drop(archive);
            let batch = match appended {
                Ok(batch) => batch,
                Err(e) => return Err(settled(&mut target, &mut unsettled, &mut out, e)),
            };
            // Appending it waited for the sync of the batch before.
            if let Some(before) = unsettled.take() {
                before.count_in(&mut out);
            }
            match overlapped {
                true => unsettled = Some(batch),
                false => batch.count_in(&mut out),
            }
            offset += n;
            if !progress(offset, total) && offset < total {
                if let Err(e) = settle(&mut target, &mut unsettled, &mut out) {
                    return Err(partial(e, &out));
                }
                return Err(interrupted(&out, offset, total));
            }
        }
        if let Err(e) = settle(&mut target, &mut unsettled, &mut out) {
            return Err(partial(e, &out));
        }
        out.skipped.sort_by_key(|s| s.line);
        Ok(out)
    });
    done.map(|mut out| {
        // Appended results of later rounds: those dated before their
        // stage's opening stay listed.
        let early = openings.early();
        out.before_first_round
            .retain(|line| early.binary_search(line).is_ok());
        out
    })
}

/// A batch appended, with the file's line of each of its events and the
/// notes on the rules it states.
struct Batch {
    report: AppendReport,
    lines: Vec<usize>,
    notes: Vec<(usize, era::RulesNote)>,
    /// Lines of the batch's results whose dates look wrong.
    misdated: Misdated,
}

/// A batch as read: its lines, its events, and the lines of its results
/// dated outside their season's window or before their stage's first round.
type Read = (Vec<usize>, Vec<Event>, Misdated);

/// Lines of a batch's results whose dates look wrong.
#[derive(Default)]
struct Misdated {
    /// Outside their season's window.
    outside: Vec<usize>,
    /// Of a later round (checked against their stage's opening at the end).
    later: Vec<usize>,
}

/// Whether a result's date lies outside its season's usual window, the
/// window of the last season asked about kept (a file runs season by season).
#[derive(Default)]
struct SeasonWindows {
    /// The (competition, season) last asked about, and its window.
    last: Option<((String, String), Window)>,
}

/// A season's window, if its name gives one.
type Window = Option<(Date, Date)>;

/// The day each stage's first round opened in the file, and its results
/// of later rounds: one of those dated before the opening is said, in
/// whatever order the file runs ([`crate::plausibility::first_round_opening`]
/// is `audit`'s check). Only played results with rounds are noted.
#[derive(Default)]
struct Openings {
    /// Stages by their folded names, numbered.
    stages: std::collections::HashMap<String, usize>,
    /// Each stage's opening, by its number.
    opening: Vec<Option<Date>>,
    /// (stage, date, line) of each played result of a later round.
    later: Vec<(usize, Date, usize)>,
    key: String,
}

impl Openings {
    /// Notes the result on `line`; true when it is a played result of a
    /// later round (to be checked at the end, [`Openings::early`]).
    fn note(&mut self, line: usize, event: &Event) -> bool {
        let Event::MatchResult(m) = event else {
            return false;
        };
        let (Some(round), true) = (
            m.round,
            m.status == crate::model::event::MatchStatus::Played,
        ) else {
            return false;
        };
        self.key.clear();
        for part in [&m.competition, &m.season, &m.stage] {
            self.key.push_str(&names::fold(part));
            self.key.push('\u{0}');
        }
        let stage = match self.stages.get(self.key.as_str()) {
            Some(i) => *i,
            None => {
                self.stages.insert(self.key.clone(), self.opening.len());
                self.opening.push(None);
                self.opening.len() - 1
            }
        };
        if round == 1 {
            let o = &mut self.opening[stage];
            *o = Some(o.map_or(m.date, |d| d.min(m.date)));
            return false;
        }
        self.later.push((stage, m.date, line));
        true
    }

    /// The lines of later rounds' results dated before their stage's
    /// first round opened, in order.
    fn early(&self) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .later
            .iter()
            .filter(|(stage, date, _)| self.opening[*stage].is_some_and(|o| *date < o))
            .map(|(_, _, line)| *line)
            .collect();
        out.sort_unstable();
        out
    }
}

impl SeasonWindows {
    fn outside(&mut self, event: &Event) -> bool {
        let Event::MatchResult(m) = event else {
            return false;
        };
        let key = (m.competition.as_str(), m.season.as_str());
        if self
            .last
            .as_ref()
            .is_none_or(|((c, s), _)| (c.as_str(), s.as_str()) != key)
        {
            let window = crate::model::postponed::window(&m.competition, &m.season);
            self.last = Some(((m.competition.clone(), m.season.clone()), window));
        }
        let window = self.last.as_ref().and_then(|(_, w)| *w);
        window.is_some_and(|(from, to)| m.date < from || m.date > to)
    }
}

impl Batch {
    /// Counts the batch, once it is durable, in what the import reports.
    fn count_in(self, out: &mut ImportReport) {
        let Batch {
            report,
            lines,
            mut notes,
            mut misdated,
        } = self;
        out.add(&report);
        out.changed_since.extend(
            report
                .changed_since
                .iter()
                .map(|i| lines.get(*i).copied().unwrap_or(0)),
        );
        if !misdated.outside.is_empty() || !misdated.later.is_empty() {
            // Looked up once per appended result: sorted, not scanned.
            misdated.outside.sort_unstable();
            misdated.later.sort_unstable();
            for a in report.appended.iter().filter(|a| a.kind == "match_result") {
                let line = lines.get(a.index).copied().unwrap_or(0);
                if misdated.outside.binary_search(&line).is_ok() {
                    out.outside_season.push(line);
                }
                if misdated.later.binary_search(&line).is_ok() {
                    out.before_first_round.push(line);
                }
            }
        }
        out.skipped
            .extend(report.refused.iter().map(|(index, why)| Skipped {
                line: lines.get(*index).copied().unwrap_or(0),
                why: why.clone(),
            }));
        for a in &report.appended {
            if let Some(i) = notes.iter().position(|(index, _)| *index == a.index) {
                let (_, mut note) = notes.swap_remove(i);
                note.seq = a.seq;
                out.rules.push(note);
            }
        }
    }
}

/// Waits until the batch still being synced, if any, is durable, and
/// counts it; an error means it may not be, and it is not counted.
fn settle(
    target: &mut impl target::Target,
    unsettled: &mut Option<Batch>,
    out: &mut ImportReport,
) -> Result<()> {
    if let Some(b) = unsettled.take() {
        target.archive().wait_durable()?;
        b.count_in(out);
    }
    Ok(())
}

/// The import's error `e`, once the batch still being synced (if any) is
/// durable and counted; if it is not, that failure is the error.
fn settled(
    target: &mut impl target::Target,
    unsettled: &mut Option<Batch>,
    out: &mut ImportReport,
    e: Error,
) -> Error {
    match settle(target, unsettled, out) {
        Ok(()) => partial(e, out),
        Err(lost) => partial(lost, out),
    }
}

/// One batch appended: whole, or without the events the archive refuses.
fn append_batch(
    archive: &mut Archive,
    chunk: Vec<Event>,
    how: &Appending,
    overlapped: bool,
) -> Result<AppendReport> {
    let skip = how.invalid == Invalid::Skip;
    match (overlapped, skip) {
        (true, _) => archive.append_overlapped(chunk, how.recorded_at, skip),
        (false, false) => archive.append(chunk, how.recorded_at),
        (false, true) => archive.append_skipping_refused(chunk, how.recorded_at),
    }
}

/// A refused event as a parse error at its line.
fn at_line(e: Error, lines: &[usize], file: Option<&Path>) -> Error {
    match e {
        Error::Rejected { index, source } => Error::Parse {
            file: file.map(Into::into),
            line: lines.get(index).copied().unwrap_or(0),
            msg: source.to_string(),
        },
        other => other,
    }
}

/// The import stopped when asked, after `done` of `total` events.
pub fn interrupted(out: &ImportReport, done: usize, total: usize) -> Error {
    Error::Interrupted {
        committed: out.appended_total(),
        done,
        total,
    }
}

/// An error after `done` committed some events is [`Error::Partial`].
pub fn partial(e: Error, done: &ImportReport) -> Error {
    match (done.appended_total(), done.head) {
        (0, _) | (_, None) => e,
        (committed, Some(head)) => Error::Partial {
            committed,
            head: head.seq,
            source: Box::new(e),
        },
    }
}

/// Reads a text file as UTF-8 (a BOM is dropped), naming the file on failure.
/// Files larger than [`crate::model::limits::INPUT_BYTES`] and devices are refused.
pub fn read_text(path: &Path) -> Result<String> {
    use std::io::Read;
    let file = readable(path)?;
    let mut bytes = Vec::with_capacity(file.metadata().map_or(0, |m| m.len() as usize));
    file.take(crate::model::limits::INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(path, e))?;
    if bytes.len() as u64 > crate::model::limits::INPUT_BYTES {
        return Err(too_big(path));
    }
    text_of(bytes, Some(path))
}

/// The first 64 KiB of a file, as text (a character cut at the end, or
/// bytes that are not UTF-8, replaced): enough to detect its format.
pub fn read_head(path: &Path) -> Result<String> {
    use std::io::Read;
    let mut head = Vec::with_capacity(1 << 16);
    readable(path)?
        .take(1 << 16)
        .read_to_end(&mut head)
        .map_err(|e| cannot_read(path, e))?;
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// The error for a file larger than an import reads.
fn too_big(path: &Path) -> Error {
    cannot_read(
        path,
        format!(
            "it is larger than {} GiB, the most an import reads",
            crate::model::limits::INPUT_BYTES >> 30
        ),
    )
}

/// The error for a file an import cannot read, and why.
fn cannot_read(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::Invalid(format!("{}: cannot read: {why}", path.display()))
}

/// A file opened for an import: a file (not a folder or a device) no
/// larger than an import reads.
fn readable(path: &Path) -> Result<std::fs::File> {
    let fail = |e| cannot_read(path, e);
    let file = std::fs::File::open(path).map_err(fail)?;
    let meta = file.metadata().map_err(fail)?;
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_dir() || kind.is_char_device() || kind.is_block_device() || kind.is_socket() {
        return Err(cannot_read(path, "it is a folder or a device, not a file"));
    }
    if meta.len() > crate::model::limits::INPUT_BYTES {
        return Err(too_big(path));
    }
    Ok(file)
}

/// A file's bytes as UTF-8 text (a BOM is dropped); invalid UTF-8 is a
/// parse error at its line.
pub fn text_of(bytes: Vec<u8>, file: Option<&Path>) -> Result<String> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        Error::Parse {
            file: file.map(Into::into),
            line,
            msg: "not valid UTF-8 text".into(),
        }
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// The marker, in a deduction's reason, of a date the source does not give.
pub const DATE_UNKNOWN: &str = "date unknown";

/// Turns engsoccerdata's deductions into points adjustments. The source
/// gives no date: each applies from the last match date of the team's
/// division that season (so no table before the season's end shows it), and
/// its reason says the date is unknown. A row for a tier in which the team
/// did not play that season fails its checks (refused or skipped as
/// `invalid` says). Needs the season's results in the archive.
pub fn deductions(archive: &Archive, text: &str, invalid: Invalid) -> Result<Parsed> {
    let mut checks = Checks::new(invalid);
    let rows = tabular::deductions(text, &mut checks)?;
    let mut out = Parsed::default();
    let view = archive.at(None)?;
    let stages = archive.stages()?;
    for row in rows {
        let line = row.0;
        let read = adjustment(view, &stages, row);
        if let Some(event) = checks.row(read)? {
            out.push(line, event);
        }
    }
    out.skipped = checks.skipped;
    Ok(out)
}

/// One deduction as an adjustment of the division the team played in.
fn adjustment(
    view: crate::projection::view::View<'_>,
    stages: &[crate::derived::StageInfo],
    (line, start, team, tier, points): tabular::Deduction,
) -> Result<Event> {
    let season = tabular::season_label(start);
    let err = |msg: String| Error::Parse {
        file: None,
        line,
        msg,
    };
    let tier_of = |stage: &str| match stage.trim_start_matches("Division ") {
        "3N" | "3S" => "3".to_string(),
        other => other.to_string(),
    };
    // (stage, its last match date) of each division the team plays in.
    let mut played: Vec<(String, Date)> = Vec::new();
    for info in stages.iter().filter(|s| {
        s.competition == era::ENGLISH_LEAGUE
            && s.season == season
            && s.stage.starts_with("Division")
    }) {
        if let Some(last) = view.last_date_if_played(info, &team)? {
            played.push((info.stage.clone(), last));
        }
    }
    let Some((stage, date)) = played.iter().find(|(s, _)| tier_of(s) == tier).cloned() else {
        let elsewhere: Vec<&str> = played.iter().map(|(s, _)| s.as_str()).collect();
        return Err(err(match elsewhere.is_empty() {
            true => {
                format!("{team} has no results in season {season}; import the league results first")
            }
            false => format!(
                "{team} did not play in tier {tier} in {season} (it played in {}); correct the row",
                elsewhere.join(", ")
            ),
        }));
    };
    Ok(Event::PointsAdjusted(PointsAdjustment {
        competition: era::ENGLISH_LEAGUE.into(),
        season,
        stage: Some(stage),
        team,
        points: -points,
        date,
        reason: format!(
            "points deduction ({DATE_UNKNOWN}: applied from the division's last match date)"
        ),
        source: Some("engsoccerdata deductions.csv".into()),
    }))
}

/// Turns the international shoot-outs into events on the matches they
/// decided: each row joins the archive's match of that date, home team and
/// away team, whatever its competition (a second leg too: the shoot-out
/// decided the tie). A row that joins no match, or more than one, fails its
/// checks (refused or skipped as `invalid` says). Needs the results in the
/// archive.
pub fn shootouts(archive: &Archive, text: &str, invalid: Invalid) -> Result<Parsed> {
    let mut checks = Checks::new(invalid);
    let rows = tabular::shootouts(text, &mut checks)?;
    let dates = rows.iter().map(|r| r.date).collect();
    let played = MatchesOn::new(archive.matches_on(&dates)?);
    let mut out = Parsed::default();
    for row in rows {
        let line = row.line;
        if let Some(event) = checks.row(played.shootout(row))? {
            out.push(line, event);
        }
    }
    out.skipped = checks.skipped;
    Ok(out)
}

/// Where the shoot-outs come from.
pub const SHOOTOUTS_SOURCE: &str = "martj42/international_results shootouts.csv";

/// The archive's matches of some days, by (date, home, away) as names compare.
struct MatchesOn {
    by_fixture:
        std::collections::HashMap<(Date, String, String), Vec<crate::projection::query::MatchOn>>,
}

impl MatchesOn {
    fn new(all: Vec<crate::projection::query::MatchOn>) -> MatchesOn {
        let mut by_fixture: std::collections::HashMap<_, Vec<_>> = Default::default();
        for m in all {
            let key = (m.date, names::fold(&m.home), names::fold(&m.away));
            by_fixture.entry(key).or_default().push(m);
        }
        MatchesOn { by_fixture }
    }

    fn find(&self, date: Date, home: &str, away: &str) -> &[crate::projection::query::MatchOn] {
        self.by_fixture
            .get(&(date, names::fold(home), names::fold(away)))
            .map_or(&[], Vec::as_slice)
    }

    /// The row as an event on the one match it decided.
    fn shootout(&self, row: tabular::ShootoutRow) -> Result<Event> {
        let err = |msg: String| Error::Parse {
            file: None,
            line: row.line,
            msg,
        };
        let fixture = format!("{} {} v {}", row.date, row.home, row.away);
        let m = match self.find(row.date, &row.home, &row.away) {
            [m] => m,
            [] => {
                let reversed = match self.find(row.date, &row.away, &row.home) {
                    [m] => format!(" (it holds {} v {} that day)", m.home, m.away),
                    _ => String::new(),
                };
                return Err(err(format!(
                    "no match {fixture} in the archive{reversed}: a shoot-out needs the result it decided; import the results first, or correct the row"
                )));
            }
            more => {
                let ids: Vec<String> = more.iter().map(|m| m.id.short()).collect();
                return Err(err(format!(
                    "{fixture} is {} matches in the archive ({}): which one the shoot-out decided is not clear",
                    more.len(),
                    ids.join(", ")
                )));
            }
        };
        Ok(Event::ShootoutDecided(Shootout {
            match_id: m.id,
            winner: row.winner,
            first_shooter: row.first_shooter,
            source: Some(SHOOTOUTS_SOURCE.into()),
        }))
    }
}

/// Parses a file of a format that needs nothing but its text; a row that
/// fails its checks is refused or skipped as `invalid` says.
/// Seasons whose file states no rules get the era's ([`era::fill`]).
pub fn parse(
    format: Format,
    text: &str,
    page: &season_page::Options,
    invalid: Invalid,
) -> Result<Parsed> {
    let parsed = match format {
        Format::SeasonPage => season_page::parse(text, page, invalid),
        Format::Engsoccerdata => tabular::engsoccerdata(text, invalid),
        Format::FootballData => tabular::football_data(text, invalid),
        Format::IntlResults => tabular::intl_results(text, invalid),
        Format::OpenfootballJson => openfootball::json(text, invalid),
        Format::OpenfootballTxt => openfootball::txt(text, invalid),
        Format::Deductions | Format::Jsonl | Format::Shootouts => Err(Error::Invalid(format!(
            "{} is imported with its own function",
            format.name()
        ))),
    }?;
    Ok(era::fill(parsed))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expect: Option<Format>) {
        assert_eq!(detect(text).ok(), expect, "{text}");
    }

    #[test]
    fn formats_are_detected_from_the_first_line() {
        check(
            "= 1984 Copa Perú =\n\nInfobox\n- Competition: X\n",
            Some(Format::SeasonPage),
        );
        check(
            "= A page =\n==Final stage==\n=== Round 1 ===\n",
            Some(Format::SeasonPage),
        );
        check(
            "= English Premier League 2019/20\n\nMatchday 1\n[Fri Aug/9]\n",
            Some(Format::OpenfootballTxt),
        );
        check(
            "Date,Season,home,visitor,FT,hgoal,vgoal,division,tier\n",
            Some(Format::Engsoccerdata),
        );
        check(
            "\"Season\",\"team\",\"tier\",\"deduction\",\"country\"\n",
            Some(Format::Deductions),
        );
        check(
            "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral\n",
            Some(Format::IntlResults),
        );
        check(
            "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG\n",
            Some(Format::FootballData),
        );
        check(
            "{\"name\": \"World Cup 2018\",\n",
            Some(Format::OpenfootballJson),
        );
        check(
            "{\"seq\":1,\"recorded_at\":\"2026-11-28T10:00:00Z\"}\n",
            Some(Format::Jsonl),
        );
        check("", None);
        check(
            "date,home_team,away_team,winner,first_shooter\n",
            Some(Format::Shootouts),
        );
        check("current,former,start_date,end_date\n", None);
        check("= English Premier League 2014/15\n\n 1  Chelsea  38  26  9  3  73-32  87\n 2  Manchester City  38  24  7  7  83-38  79\n 3  Arsenal  38  22  9  7  71-36  75\n", None);
        check("hello\n", None);
    }
}
