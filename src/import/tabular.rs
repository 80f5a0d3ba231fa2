//! CSV importers: engsoccerdata (league results and play-offs), the
//! international results, and football-data.co.uk season files.

use crate::model::event::Fixture;
use std::collections::{BTreeMap, HashMap};

use crate::error::{Error, Result};
use crate::import::repeats::Repeats;
use crate::import::{draws, editions, groups, Checks, Invalid, Parsed, Stream};
use crate::model::date::Date;
use crate::model::event::{Event, MatchResult, Rules, RulesSource, ScorePair, StatedRules};
use crate::model::names;
use crate::model::rules::Tiebreak;

use super::era::ENGLISH_LEAGUE;

fn err(line: usize, msg: impl Into<String>) -> Error {
    Error::Parse {
        file: None,
        line,
        msg: msg.into(),
    }
}

/// The header of a CSV file and where each column is, by lower-cased name.
pub(crate) struct Columns {
    index: HashMap<String, usize>,
}

impl Columns {
    /// Reads the header row; a column named twice is refused, and a
    /// column without a name (a trailing `,,`) is none.
    pub(crate) fn new(headers: &csv::StringRecord) -> Result<Columns> {
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let key = h.trim().trim_start_matches('\u{feff}').to_lowercase();
            if key.is_empty() {
                continue;
            }
            if index.insert(key.clone(), i).is_some() {
                return Err(err(1, format!("the column '{key}' appears twice")));
            }
        }
        Ok(Columns { index })
    }

    /// The first of `names` that exists.
    pub(crate) fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.index.get(*n).copied())
    }

    /// The first of `names` that exists, or an error that names the first as missing.
    pub(crate) fn need(&self, names: &[&str]) -> Result<usize> {
        self.find(names)
            .ok_or_else(|| err(1, format!("missing column '{}'", names[0])))
    }

    /// Whether a column of this (lower-cased) name exists.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }
}

/// A CSV reading failure as one sentence (the csv crate's own text names
/// records and bytes).
fn csv_says(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("this row has {len} fields; the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "this row is not valid UTF-8".into(),
        csv::ErrorKind::Io(io) => format!("cannot be read: {io}"),
        _ => "this row is not a CSV row".into(),
    }
}

/// The records of a CSV text with their line numbers, read as needed.
type Records<'a> = Box<dyn Iterator<Item = Result<(usize, csv::StringRecord)>> + Send + 'a>;

/// Reads the header, and then every record with its line number.
fn records(text: &str) -> Result<(Columns, Records<'_>)> {
    records_from(text.as_bytes())
}

/// [`records`] from any reader.
fn records_from<'a, R: std::io::Read + Send + 'a>(from: R) -> Result<(Columns, Records<'a>)> {
    let (cols, rdr) = reader_from(from)?;
    Ok((cols, records_of(rdr)))
}

/// Every record a reader past its header gives, with its line number.
fn records_of<'a, R: std::io::Read + Send + 'a>(rdr: csv::Reader<R>) -> Records<'a> {
    Box::new(rdr.into_records().map(|r| {
        let r = r.map_err(|e| err(record_line(&e), csv_says(&e)))?;
        Ok((line_of(&r), r))
    }))
}

/// A CSV reader past its header, and the header's columns.
fn reader_from<R: std::io::Read>(from: R) -> Result<(Columns, csv::Reader<R>)> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(from);
    let headers = rdr
        .headers()
        .map_err(|e| err(1, format!("cannot read the header: {}", csv_says(&e))))?
        .clone();
    Ok((Columns::new(&headers)?, rdr))
}

/// The line of the record a CSV error is in (0 when unknown).
fn record_line(e: &csv::Error) -> usize {
    e.position().map(|p| p.line() as usize).unwrap_or(0)
}

/// The line a record starts on (0 when unknown).
fn line_of(r: &csv::StringRecord) -> usize {
    r.position().map(|p| p.line() as usize).unwrap_or(0)
}

fn field(r: &csv::StringRecord, i: usize) -> &str {
    r.get(i).unwrap_or("").trim()
}

fn goals(line: usize, s: &str, what: &str) -> Result<u16> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            line,
            format!("{what} '{s}' is not a whole number of goals"),
        ));
    }
    s.parse()
        .map_err(|_| err(line, format!("{what} '{s}' is out of range (0 to 65535)")))
}

/// `YYYY-MM-DD`, or a whole number of days since 1970-01-01 (how R writes a
/// date it lost the class of; engsoccerdata's play-off file has a few).
fn iso_date(line: usize, s: &str) -> Result<Date> {
    if !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        let days: i64 = s
            .parse()
            .map_err(|_| err(line, format!("invalid date '{s}'")))?;
        let d = time::Date::from_julian_day(2_440_588 + days as i32)
            .map_err(|_| err(line, format!("invalid date '{s}'")))?;
        return Date::from_ymd(d.year(), d.month() as u8, d.day())
            .ok_or_else(|| err(line, format!("invalid date '{s}'")));
    }
    Date::parse_iso(s).map_err(|e| err(line, format!("{e} (or a number of days since 1970-01-01)")))
}

/// `1888` -> `1888-89`; `1999` -> `1999-00`.
/// Season and stage labels of engsoccerdata rows, made once each.
#[derive(Default)]
struct Labels {
    seasons: rustc_hash::FxHashMap<i32, String>,
    /// (division, play-offs, label): a handful, searched in order.
    stages: Vec<(String, bool, String)>,
}

impl Labels {
    /// The labels of a season and a stage, made the first time.
    fn of(&mut self, start: i32, division: &str, playoffs: bool) -> (&str, &str) {
        self.seasons
            .entry(start)
            .or_insert_with(|| season_label(start));
        let stage = self.stage_at(division, playoffs);
        (&self.seasons[&start], &self.stages[stage].2)
    }

    fn stage_at(&mut self, division: &str, playoffs: bool) -> usize {
        let at = self
            .stages
            .iter()
            .position(|(d, p, _)| d == division && *p == playoffs);
        let i = match at {
            Some(i) => i,
            None => {
                let label = if playoffs {
                    format!("Play-offs ({division})")
                } else {
                    format!("Division {division}")
                };
                self.stages.push((division.to_string(), playoffs, label));
                self.stages.len() - 1
            }
        };
        i
    }
}

/// The label of the season that starts in year `start`: `1888-89`, `1999-00`.
pub(crate) fn season_label(start: i32) -> String {
    format!("{start}-{:02}", (start + 1).rem_euclid(100))
}

/// [`team`] of `s`, remembered in `cleaned` unless it is there already (a
/// name with a problem is not).
fn remember_team(
    cleaned: &mut rustc_hash::FxHashMap<String, String>,
    line: usize,
    s: &str,
    what: &str,
) -> Result<()> {
    if !cleaned.contains_key(s) {
        let t = team(line, s, what)?;
        cleaned.insert(s.to_string(), t);
    }
    Ok(())
}

fn team(line: usize, s: &str, what: &str) -> Result<String> {
    let t = names::clean(s);
    match names::problem(what, &t) {
        Some(p) => Err(err(line, p)),
        None => Ok(t),
    }
}

/// The English rules of each era, as rules events: 2 points for a win until
/// 1980-81, 3 from 1981-82; goal average until 1975-76, goal difference from 1976-77.
pub fn english_rules(start: i32) -> Rules {
    Rules {
        competition: ENGLISH_LEAGUE.into(),
        season: season_label(start),
        stage: None,
        points_for_win: if start <= 1980 { 2 } else { 3 },
        points_for_draw: 1,
        points_for_loss: 0,
        tiebreak: if start <= 1975 {
            vec![Tiebreak::Points, Tiebreak::GoalAverage]
        } else {
            vec![
                Tiebreak::Points,
                Tiebreak::GoalDifference,
                Tiebreak::GoalsFor,
            ]
        },
    }
}

/// The rules events of an English season: the rules catalogue's (the
/// season's, then any stage's that ranked differently), else the era's.
fn season_rules(start: i32) -> Vec<Event> {
    super::era::catalogue_or(ENGLISH_LEAGUE, &season_label(start), || StatedRules {
        rules: english_rules(start),
        source: RulesSource::Era,
    })
}

/// A result within the limits (scores, sizes), or an error at its line.
fn within_limits(line: usize, m: MatchResult) -> Result<MatchResult> {
    let event = Event::MatchResult(m);
    crate::format::encoding::check_event(&event).map_err(|msg| err(line, msg))?;
    match event {
        Event::MatchResult(m) => Ok(m),
        _ => unreachable!("a result stays a result"),
    }
}

/// Where engsoccerdata's columns are.
struct EngColumns {
    date: usize,
    season: usize,
    home: usize,
    away: usize,
    hg: usize,
    ag: usize,
    div: usize,
    playoffs: bool,
    /// `FT` (`4-1`) and `result` (`H`, `A`, `D`): the score again, which must
    /// agree with `hgoal` and `vgoal` where given.
    ft: Option<usize>,
    result: Option<usize>,
    round: Option<usize>,
    pens: Option<usize>,
    neutral: Option<usize>,
    aet: Option<usize>,
}

impl EngColumns {
    fn new(c: &Columns) -> Result<EngColumns> {
        Ok(EngColumns {
            date: c.need(&["date"])?,
            season: c.need(&["season"])?,
            home: c.need(&["home"])?,
            away: c.need(&["visitor"])?,
            hg: c.need(&["hgoal"])?,
            ag: c.need(&["vgoal"])?,
            div: c.need(&["division"])?,
            playoffs: c.has("tie"),
            ft: c.find(&["ft"]),
            result: c.find(&["result"]),
            round: c.find(&["round"]),
            pens: c.find(&["pens"]),
            neutral: c.find(&["neutral"]),
            aet: c.find(&["aet"]),
        })
    }
}

/// Reads engsoccerdata rows one at a time, remembering the matches read.
struct EngReader {
    cols: EngColumns,
    labels: Labels,
    names: names::Interner,
    /// Team names as written -> cleaned: a club's name comes back on
    /// thousands of rows.
    cleaned: rustc_hash::FxHashMap<String, String>,
    /// Check that `FT` and `result` agree with the score ([`EngReader::agrees`]):
    /// the first reading does; the second leaves out by line what it refused.
    checks_agreement: bool,
}

impl EngReader {
    /// A reader of the columns `c`.
    fn new(c: &Columns) -> Result<EngReader> {
        Ok(EngReader {
            cols: EngColumns::new(c)?,
            labels: Labels::default(),
            names: names::Interner::default(),
            cleaned: rustc_hash::FxHashMap::default(),
            checks_agreement: true,
        })
    }

    /// One row as a match within the limits, with its season's first year
    /// (repeats not looked at).
    fn parsed(&mut self, line: usize, r: &csv::StringRecord) -> Result<(i32, MatchResult)> {
        let c = &self.cols;
        let start: i32 = field(r, c.season).parse().map_err(|_| {
            err(
                line,
                format!("season '{}' is not a year", field(r, c.season)),
            )
        })?;
        let d = iso_date(line, field(r, c.date))?;
        let (home, away) = (field(r, c.home), field(r, c.away));
        if self.cleaned.len() >= 100_000 {
            self.cleaned.clear();
        }
        remember_team(&mut self.cleaned, line, home, "home team")?;
        remember_team(&mut self.cleaned, line, away, "away team")?;
        let (h, a) = (self.cleaned[home].as_str(), self.cleaned[away].as_str());
        if self.names.id(h) == self.names.id(a) {
            return Err(err(line, format!("a team cannot play itself: {h}")));
        }
        let (season, stage) = self.labels.of(start, field(r, c.div), c.playoffs);
        let mut m = MatchResult::new(
            Fixture {
                competition: ENGLISH_LEAGUE,
                season,
                stage,
                round: None,
                date: d,
                home: h,
                away: a,
            },
            goals(line, field(r, c.hg), "hgoal")?,
            goals(line, field(r, c.ag), "vgoal")?,
        );
        if self.checks_agreement {
            self.agrees(line, r, &m)?;
        }
        self.details(r, &mut m);
        Ok((start, within_limits(line, m)?))
    }

    /// Refuses a row whose `FT` or `result` says another score or outcome
    /// than its `hgoal` and `vgoal` (the score kept): which one is true, the
    /// row does not say. (`totgoal` and `goaldif` are sums of the score and
    /// are not read: the English league file holds two rows whose `goaldif`
    /// is wrong.)
    fn agrees(&self, line: usize, r: &csv::StringRecord, m: &MatchResult) -> Result<()> {
        let (h, a) = (m.home_goals, m.away_goals);
        let given = |i: Option<usize>| {
            i.map(|i| field(r, i))
                .filter(|v| !v.is_empty() && *v != "NA")
        };
        if let Some(ft) = given(self.cols.ft) {
            let same = ft
                .split_once('-')
                .is_some_and(|(x, y)| x.trim().parse() == Ok(h) && y.trim().parse() == Ok(a));
            if !same {
                return Err(err(
                    line,
                    format!("FT '{ft}' disagrees with hgoal and vgoal ({h}-{a})"),
                ));
            }
        }
        if let Some(result) = given(self.cols.result) {
            result_agrees(line, result, h, a)?;
        }
        Ok(())
    }

    /// The play-off file's round, neutral venue, extra time and penalties.
    fn details(&self, r: &csv::StringRecord, m: &mut MatchResult) {
        let c = &self.cols;
        if let Some(i) = c.round {
            let g = field(r, i);
            if !g.is_empty() && g != "NA" {
                m.group = Some(format!("Round {g}"));
            }
        }
        if let Some(i) = c.neutral {
            m.neutral = field(r, i).eq_ignore_ascii_case("yes");
        }
        if let Some(i) = c.aet {
            // engsoccerdata scores of a.e.t. matches are after extra time: keep them there too.
            if field(r, i).eq_ignore_ascii_case("yes") {
                m.extra_time = Some(ScorePair {
                    home: m.home_goals,
                    away: m.away_goals,
                });
            }
        }
        if let Some(i) = c.pens {
            let p = field(r, i);
            if let Some((x, y)) = p.split_once('-') {
                if let (Ok(x), Ok(y)) = (x.trim().parse(), y.trim().parse()) {
                    m.penalties = Some(ScorePair { home: x, away: y });
                }
            }
        }
    }
}

/// Where an engsoccerdata file is read from: its text in memory, or the
/// file itself, opened again for each reading, so that a large file is
/// never held whole (`Plan::of_file`).
#[derive(Clone, Debug)]
pub enum EngInput<'a> {
    /// The text, already read.
    Text(&'a str),
    /// The file, read as needed, with its size and modification time
    /// when first seen: a file that changes between two readings is
    /// refused (the second would append rows the first never checked).
    File(std::path::PathBuf, FileStamp),
}

/// A file's size and modification time.
pub type FileStamp = (u64, Option<std::time::SystemTime>);

fn stamp(path: &std::path::Path, file: &std::fs::File) -> Result<FileStamp> {
    let m = file.metadata().map_err(|e| super::cannot_read(path, e))?;
    Ok((m.len(), m.modified().ok()))
}

impl<'a> EngInput<'a> {
    /// A file to read as needed, as it is now.
    pub fn file(path: &std::path::Path) -> Result<EngInput<'static>> {
        let f = super::readable(path)?;
        Ok(EngInput::File(path.into(), stamp(path, &f)?))
    }

    /// The records, from the start.
    fn records(&self) -> Result<(Columns, Records<'a>)> {
        let (cols, rdr) = self.reader()?;
        Ok((cols, records_of(rdr)))
    }

    /// A reader of the records, from the start.
    fn reader(&self) -> Result<(Columns, csv::Reader<Box<dyn std::io::Read + Send + 'a>>)> {
        match self {
            EngInput::Text(t) => {
                reader_from(Box::new(t.as_bytes()) as Box<dyn std::io::Read + Send + 'a>)
            }
            EngInput::File(path, seen) => {
                reader_from(Box::new(without_bom(path, seen)?) as Box<dyn std::io::Read + Send + 'a>)
            }
        }
    }
}

/// A file opened for reading, past a UTF-8 byte order mark; refused if it
/// is no longer as `seen`.
fn without_bom(
    path: &std::path::Path,
    seen: &FileStamp,
) -> Result<std::io::BufReader<std::fs::File>> {
    use std::io::BufRead;
    let fail = |e| super::cannot_read(path, e);
    let file = std::fs::File::open(path).map_err(fail)?;
    if stamp(path, &file)? != *seen {
        return Err(Error::Invalid(format!(
            "{}: the file changed between its check and its import; nothing was written: import it again",
            path.display()
        )));
    }
    let mut r = std::io::BufReader::with_capacity(1 << 16, file);
    if r.fill_buf()
        .map_err(fail)?
        .starts_with("\u{feff}".as_bytes())
    {
        r.consume(3);
    }
    Ok(r)
}

/// The matches of an engsoccerdata text, read one at a time, with their
/// lines (repeats are the first reading's to find).
fn eng_rows<'a>(
    input: &EngInput<'a>,
) -> Result<impl Iterator<Item = Result<(usize, MatchResult)>> + Send + 'a> {
    let (c, mut rdr) = input.reader()?;
    let mut reader = EngReader::new(&c)?;
    reader.checks_agreement = false;
    // One record, read into again and again (the records go nowhere else).
    let mut record = csv::StringRecord::new();
    Ok(std::iter::from_fn(move || {
        match rdr.read_record(&mut record) {
            Ok(false) => None,
            Ok(true) => {
                let line = line_of(&record);
                Some(reader.parsed(line, &record).map(|(_, m)| (line, m)))
            }
            Err(e) => Some(Err(err(record_line(&e), csv_says(&e)))),
        }
    }))
}

/// What the first reading of an engsoccerdata text found.
struct FirstReading {
    checks: Checks,
    /// Where each season starts (its first line), by its first year.
    seasons: BTreeMap<i32, usize>,
    matches: usize,
    /// Lines that repeat an earlier row.
    duplicates: Vec<usize>,
}

/// Every row checked, and each match against the earlier rows of its
/// season; a file whose seasons do not come one after the other is read
/// again with every row held (`Repeats::by_season`).
fn first_reading(input: &EngInput, invalid: Invalid) -> Result<FirstReading> {
    match read_once(input, invalid, Repeats::by_season())? {
        (out, false) => Ok(out),
        (_, true) => Ok(read_once(input, invalid, Repeats::default())?.0),
    }
}

/// One first reading with `repeats`, and whether a season came back.
///
/// One thread reads the records and hands them, [`PARSED_BATCH`] at a
/// time, to [`PARSERS`] threads in turn, which parse them; this one takes
/// the parsed batches back in the same turn, so in file order, and looks
/// for repeats. The parse is most of the work, and nothing else runs
/// meanwhile.
fn read_once(
    input: &EngInput,
    invalid: Invalid,
    mut repeats: Repeats,
) -> Result<(FirstReading, bool)> {
    let (c, rows) = input.records()?;
    let readers = (0..PARSERS)
        .map(|_| EngReader::new(&c))
        .collect::<Result<Vec<_>>>()?;
    let mut out = FirstReading {
        checks: Checks::new(invalid),
        seasons: BTreeMap::new(),
        matches: 0,
        duplicates: Vec::new(),
    };
    std::thread::scope(|scope| {
        let mut to_parse = Vec::new();
        let mut parsed = Vec::new();
        for reader in readers {
            let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<Vec<Result<RawRow>>>(2);
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Result<ParsedRow>>>(2);
            // Batches come back to be dropped on the thread that made them.
            let (back_tx, back) = std::sync::mpsc::channel::<Vec<Result<ParsedRow>>>();
            std::thread::Builder::new()
                .name("scoreledger-parse".into())
                .spawn_scoped(scope, move || parse_batches(reader, raw_rx, tx, back))
                .map_err(Error::Io)?;
            to_parse.push(raw_tx);
            parsed.push((rx, back_tx));
        }
        std::thread::Builder::new()
            .name("scoreledger-read".into())
            .spawn_scoped(scope, move || deal_batches(rows, to_parse))
            .map_err(Error::Io)?;
        for turn in (0..PARSERS).cycle() {
            let (rx, back_tx) = &parsed[turn];
            let Ok(mut batch) = rx.recv() else {
                break;
            };
            for item in batch.iter_mut() {
                let row = match item {
                    Ok((line, start, m)) => {
                        repeats.first(*line, m).map(|first| (*line, *start, first))
                    }
                    // The error moves out; the emptied batch goes back.
                    Err(e) => Err(std::mem::replace(e, Error::Failed(String::new()))),
                };
                match out.checks.row(row)? {
                    Some((line, start, true)) => {
                        out.seasons.entry(start).or_insert(line);
                        out.matches += 1;
                    }
                    Some((line, _, false)) => out.duplicates.push(line),
                    None => {}
                }
            }
            let _ = back_tx.send(batch);
        }
        Ok::<_, Error>(())
    })?;
    Ok((out, repeats.came_back()))
}

/// A record as read: its line and fields.
type RawRow = (usize, csv::StringRecord);

/// Hands the records, [`PARSED_BATCH`] at a time, to each parser in turn,
/// the rest (perhaps none) last; the turns end when the dealing does and
/// the parsers have handed back what they were dealt. Stops when a parser
/// does.
fn deal_batches(
    rows: Records<'_>,
    to_parse: Vec<std::sync::mpsc::SyncSender<Vec<Result<RawRow>>>>,
) {
    let mut turn = (0..to_parse.len()).cycle();
    let mut batch = Vec::with_capacity(PARSED_BATCH);
    for row in rows {
        batch.push(row);
        if batch.len() == PARSED_BATCH {
            let next = Vec::with_capacity(PARSED_BATCH);
            let to = &to_parse[turn.next().expect("cycles")];
            if to.send(std::mem::replace(&mut batch, next)).is_err() {
                return;
            }
        }
    }
    let _ = to_parse[turn.next().expect("cycles")].send(batch);
}

/// Parses each batch of records it is handed, in order, until they stop
/// coming or nobody takes the parsed ones.
fn parse_batches(
    mut reader: EngReader,
    raw: std::sync::mpsc::Receiver<Vec<Result<RawRow>>>,
    tx: std::sync::mpsc::SyncSender<Vec<Result<ParsedRow>>>,
    back: std::sync::mpsc::Receiver<Vec<Result<ParsedRow>>>,
) {
    for rows in raw {
        // The batch reuses one that came back (its rows dropped here), or
        // starts anew.
        let mut batch = Vec::new();
        for mut done in back.try_iter() {
            done.clear();
            batch = done;
        }
        batch.reserve(rows.len());
        batch.extend(rows.into_iter().map(|row| {
            row.and_then(|(line, r)| {
                let (start, m) = reader.parsed(line, &r)?;
                Ok((line, start, m))
            })
        }));
        if tx.send(batch).is_err() {
            return;
        }
    }
}

/// Threads that parse the first reading's records.
const PARSERS: usize = 2;

/// A row parsed by the first reading's parsers: line, season's first year,
/// the match.
type ParsedRow = (usize, i32, MatchResult);

/// Rows dealt to a parser, and handed back parsed, at a time.
const PARSED_BATCH: usize = 1024;

/// engsoccerdata: `Date,Season,home,visitor,FT,hgoal,vgoal,division,tier,...`,
/// and its play-off file (`...,division,round,tie,...,aet,pen,pens,Venue,...,neutral`).
pub fn engsoccerdata(text: &str, invalid: Invalid) -> Result<Parsed> {
    let stream = engsoccerdata_stream(EngInput::Text(text), invalid)?;
    let mut out = Parsed {
        duplicates: stream.duplicates,
        skipped: stream.skipped,
        ..Parsed::default()
    };
    for e in stream.events {
        let (line, event) = e?;
        out.push(line, event);
    }
    Ok(out)
}

/// [`engsoccerdata`] read twice, so that a large file is never held as
/// events: first every row is checked (and nothing kept but the lines that
/// repeat a row or are skipped, and where each season starts), then the
/// events are read again as they are appended. League files get each
/// season's rules first.
pub fn engsoccerdata_stream(input: EngInput<'_>, invalid: Invalid) -> Result<Stream<'_>> {
    let playoffs = input.records()?.0.has("tie");
    let FirstReading {
        checks,
        seasons,
        matches,
        duplicates,
    } = first_reading(&input, invalid)?;
    let rules: Vec<Result<(usize, Event)>> = if playoffs {
        Vec::new()
    } else {
        seasons
            .into_iter()
            .flat_map(|(start, line)| season_rules(start).into_iter().map(move |e| Ok((line, e))))
            .collect()
    };
    let total = rules.len() + matches;
    let skipping = checks.skipping();
    // The second reading leaves out, by line, what the first found: rows
    // that repeat an earlier one and rows skipped (a conflict among them).
    let left_out: std::collections::HashSet<usize> = duplicates
        .iter()
        .copied()
        .chain(checks.skipped.iter().map(|s| s.line))
        .collect();
    let results = eng_rows(&input)?.filter_map(move |row| match row {
        Ok((line, _)) if left_out.contains(&line) => None,
        Ok((line, m)) => Some(Ok((line, Event::MatchResult(m)))),
        // Listed by the first reading.
        Err(_) if skipping => None,
        Err(e) => Some(Err(e)),
    });
    Ok(Stream {
        total,
        duplicates,
        skipped: checks.skipped,
        events: Box::new(rules.into_iter().chain(results)),
    })
}

/// Where the international results' columns are.
struct IntlColumns {
    date: usize,
    home: usize,
    away: usize,
    home_score: usize,
    away_score: usize,
    tournament: usize,
    neutral: Option<usize>,
}

impl IntlColumns {
    fn new(c: &Columns) -> Result<IntlColumns> {
        Ok(IntlColumns {
            date: c.need(&["date"])?,
            home: c.need(&["home_team"])?,
            away: c.need(&["away_team"])?,
            home_score: c.need(&["home_score"])?,
            away_score: c.need(&["away_score"])?,
            tournament: c.need(&["tournament"])?,
            neutral: c.find(&["neutral"]),
        })
    }

    /// One row's match, filed for now under its tournament, the year and
    /// [`editions::OTHER_MATCHES`] (its edition and stage come later).
    fn row(&self, line: usize, r: &csv::StringRecord) -> Result<MatchResult> {
        let d = iso_date(line, field(r, self.date))?;
        let (h, a) = (
            team(line, field(r, self.home), "home team")?,
            team(line, field(r, self.away), "away team")?,
        );
        let t = team(line, field(r, self.tournament), "tournament")?;
        crate::import::check_teams(line, &h, &a)?;
        let mut m = MatchResult::new(
            Fixture {
                competition: &t,
                season: &d.year().to_string(),
                stage: editions::OTHER_MATCHES,
                round: None,
                date: d,
                home: &h,
                away: &a,
            },
            goals(line, field(r, self.home_score), "home_score")?,
            goals(line, field(r, self.away_score), "away_score")?,
        );
        m.neutral = self
            .neutral
            .is_some_and(|i| field(r, i).eq_ignore_ascii_case("true"));
        Ok(m)
    }
}

/// The international results: `date,home_team,away_team,home_score,away_score,tournament,city,country,neutral`.
/// Competition = tournament; season and stage by [`editions`]. Repeated rows
/// are found before the editions are, so that a repeat is never taken for a
/// second meeting.
pub fn intl_results(text: &str, invalid: Invalid) -> Result<Parsed> {
    let (c, rows) = records(text)?;
    let cols = IntlColumns::new(&c)?;
    let mut checks = Checks::new(invalid);
    let mut repeats = Repeats::default();
    let mut found: Vec<(usize, MatchResult)> = Vec::new();
    for row in rows {
        let read = row.and_then(|(line, r)| {
            let m = cols.row(line, &r)?;
            Ok(repeats.first(line, &m)?.then_some((line, m)))
        });
        if let Some(Some(first)) = checks.row(read)? {
            found.push(first);
        }
    }
    into_editions(&mut found);
    let mut out = Parsed {
        duplicates: repeats.lines,
        skipped: checks.skipped,
        ..Parsed::default()
    };
    for (line, m) in found {
        out.push(line, Event::MatchResult(m));
    }
    Ok(out)
}

/// Files each tournament's matches under their edition (season) and stage
/// ([`editions`]); friendlies stay filed by calendar year. Final tournaments
/// first: their starts bound the qualification campaigns.
fn into_editions(found: &mut [(usize, MatchResult)]) {
    let mut by_tournament: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (_, m)) in found.iter().enumerate() {
        if !m.competition.eq_ignore_ascii_case("friendly") {
            by_tournament
                .entry(m.competition.clone())
                .or_default()
                .push(i);
        }
    }
    let mut starts: HashMap<String, Vec<Date>> = HashMap::new();
    let (qualifiers, finals): (Vec<_>, Vec<_>) = by_tournament
        .into_iter()
        .partition(|(t, _)| t.ends_with(editions::QUALIFICATION));
    for (tournament, mut idx) in finals {
        idx.sort_by_key(|&i| (found[i].1.date, i));
        let dates: Vec<Date> = idx.iter().map(|&i| found[i].1.date).collect();
        let numbers = editions::editions(&dates, editions::EDITION_GAP_DAYS);
        let first: Vec<Date> = (0..dates.len())
            .filter(|&i| i == 0 || numbers[i] != numbers[i - 1])
            .map(|i| dates[i])
            .collect();
        file_editions(found, &tournament, &idx, &dates, &numbers);
        starts.insert(tournament, first);
    }
    for (tournament, mut idx) in qualifiers {
        idx.sort_by_key(|&i| (found[i].1.date, i));
        let dates: Vec<Date> = idx.iter().map(|&i| found[i].1.date).collect();
        let base = &tournament[..tournament.len() - editions::QUALIFICATION.len()];
        let numbers = match starts.get(base) {
            Some(s) => editions::campaigns(&dates, s),
            None => editions::editions(&dates, editions::QUALIFICATION_GAP_DAYS),
        };
        file_editions(found, &tournament, &idx, &dates, &numbers);
    }
}

/// Sets the season and stage of a tournament's matches (`idx`, in date
/// order, with their edition `numbers`).
fn file_editions(
    found: &mut [(usize, MatchResult)],
    tournament: &str,
    idx: &[usize],
    dates: &[Date],
    numbers: &[usize],
) {
    let mut start = 0;
    for run in numbers.chunk_by(|a, b| a == b) {
        let end = start + run.len();
        let edition = &idx[start..end];
        let season = editions::season_name(tournament, dates[start], dates[end - 1]);
        let fixtures: Vec<groups::Fixture> = edition
            .iter()
            .map(|&i| groups::Fixture {
                date: found[i].1.date,
                home: &found[i].1.home,
                away: &found[i].1.away,
            })
            .collect();
        let draws = draws::of(tournament, &season);
        let stages = editions::stages(&fixtures, &draws);
        for (&i, stage) in edition.iter().zip(stages) {
            found[i].1.season.clone_from(&season);
            found[i].1.stage = stage;
        }
        start = end;
    }
}

/// `dd/mm/yy` or `dd/mm/yyyy` (two-digit years: 00-49 are 20xx, 50-99 are 19xx).
fn dmy(line: usize, s: &str) -> Result<Date> {
    let parts: Vec<&str> = s.split('/').collect();
    let bad = || {
        err(
            line,
            format!("invalid date '{s}': expected dd/mm/yy or dd/mm/yyyy"),
        )
    };
    if parts.len() != 3 {
        return Err(bad());
    }
    let (d, m): (u8, u8) = (
        parts[0].parse().map_err(|_| bad())?,
        parts[1].parse().map_err(|_| bad())?,
    );
    let y: i32 = match parts[2].len() {
        2 => {
            let y: i32 = parts[2].parse().map_err(|_| bad())?;
            if y < 50 {
                2000 + y
            } else {
                1900 + y
            }
        }
        4 => parts[2].parse().map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    Date::from_ymd(y, m, d).ok_or_else(|| err(line, format!("impossible date '{s}'")))
}

/// The league of a football-data.co.uk division code.
fn league(line: usize, code: &str) -> Result<String> {
    Ok(match code {
        "E0" => "English Premier League".to_string(),
        "E1" => "English Championship".to_string(),
        "E2" => "English League One".to_string(),
        "E3" => "English League Two".to_string(),
        "SP1" => "La Liga".to_string(),
        "D1" => "Bundesliga".to_string(),
        "I1" => "Serie A".to_string(),
        "F1" => "Ligue 1".to_string(),
        other => team(line, other, "division")?,
    })
}

/// Where a football-data.co.uk file's columns are.
struct FootballDataColumns {
    div: usize,
    date: usize,
    home: usize,
    away: usize,
    hg: usize,
    ag: usize,
    half_time: Option<(usize, usize)>,
    /// The result letter (`FTR`, `Res`): H, D or A.
    result: Option<usize>,
}

impl FootballDataColumns {
    fn new(c: &Columns) -> Result<FootballDataColumns> {
        Ok(FootballDataColumns {
            div: c.need(&["div"])?,
            date: c.need(&["date"])?,
            home: c.need(&["hometeam", "home"])?,
            away: c.need(&["awayteam", "away"])?,
            hg: c.need(&["fthg", "hg"])?,
            ag: c.need(&["ftag", "ag"])?,
            half_time: c.find(&["hthg"]).zip(c.find(&["htag"])),
            result: c.find(&["ftr", "res"]),
        })
    }

    /// One row's match, its season by July to June for now
    /// ([`football_data_seasons`] sets it).
    fn row(&self, line: usize, r: &csv::StringRecord) -> Result<MatchResult> {
        let d = dmy(line, field(r, self.date))?;
        let start = july_to_june(d);
        let (h, a) = (
            team(line, field(r, self.home), "home team")?,
            team(line, field(r, self.away), "away team")?,
        );
        let competition = league(line, field(r, self.div))?;
        crate::import::check_teams(line, &h, &a)?;
        let mut m = MatchResult::new(
            Fixture {
                competition: &competition,
                season: &season_label(start),
                stage: "League",
                round: None,
                date: d,
                home: &h,
                away: &a,
            },
            goals(line, field(r, self.hg), "home goals")?,
            goals(line, field(r, self.ag), "away goals")?,
        );
        if let Some((x, y)) = self.half_time {
            if let (Ok(x), Ok(y)) = (field(r, x).parse(), field(r, y).parse()) {
                m.half_time = Some(ScorePair { home: x, away: y });
            }
        }
        if let Some(letter) = self.result.map(|i| field(r, i)).filter(|v| !v.is_empty()) {
            result_agrees(line, letter, m.home_goals, m.away_goals)?;
        }
        Ok(m)
    }
}

/// The first year of the July-to-June season a date falls in.
fn july_to_june(d: Date) -> i32 {
    if d.to_key() % 10_000 >= 701 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// Refuses a result letter (`H`, `D`, `A`) that says another outcome than
/// the score kept.
fn result_agrees(line: usize, letter: &str, h: u16, a: u16) -> Result<()> {
    let outcome = match h.cmp(&a) {
        std::cmp::Ordering::Greater => "H",
        std::cmp::Ordering::Less => "A",
        std::cmp::Ordering::Equal => "D",
    };
    if letter.eq_ignore_ascii_case(outcome) {
        return Ok(());
    }
    Err(err(
        line,
        format!("result '{letter}' disagrees with the score {h}-{a} ({outcome})"),
    ))
}

/// A longer pause than this between two of a division's match dates, ended
/// on or after 1 July, starts a new season.
const SUMMER_BREAK_DAYS: i64 = 40;

/// The seasons of a football-data file's matches: a division's season runs
/// from its first date to the next date that ends a summer break (a pause of
/// [`SUMMER_BREAK_DAYS`] or more, ended on or after 1 July), named by the
/// year it starts in (July or later: that year; else the one before). So a
/// season played on into July (2019-20's restart, to 26 July 2020) keeps
/// its July, and the spring pause of 2020 starts none.
fn football_data_seasons(rows: &mut [(usize, MatchResult)]) {
    let mut dates: HashMap<String, Vec<Date>> = HashMap::new();
    for (_, m) in rows.iter() {
        dates.entry(m.competition.clone()).or_default().push(m.date);
    }
    let mut season_of: HashMap<(String, Date), String> = HashMap::new();
    for (competition, mut ds) in dates {
        ds.sort_unstable();
        ds.dedup();
        let mut current = String::new();
        for (i, d) in ds.iter().enumerate() {
            let starts = i == 0 || {
                let gap = ds[i - 1].days_until(*d);
                gap >= SUMMER_BREAK_DAYS && july_to_june(*d) == d.year()
                    || d.year() > ds[i - 1].year() + 1
            };
            if starts {
                current = season_label(july_to_june(*d));
            }
            season_of.insert((competition.clone(), *d), current.clone());
        }
    }
    for (_, m) in rows.iter_mut() {
        if let Some(s) = season_of.get(&(m.competition.clone(), m.date)) {
            m.season.clone_from(s);
        }
    }
}

/// football-data.co.uk: `Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,...` (or `HG,AG`,
/// `Home,Away`); seasons by each division's summer breaks (a pause of 40
/// days or more ending on or after 1 July starts one), stage `League`; a
/// result letter (`FTR`, `Res`) must agree with the goals.
pub fn football_data(text: &str, invalid: Invalid) -> Result<Parsed> {
    let (c, rows) = records(text)?;
    let cols = FootballDataColumns::new(&c)?;
    let mut checks = Checks::new(invalid);
    let mut repeats = Repeats::default();
    let mut out = Parsed::default();
    let mut read = Vec::new();
    for row in rows {
        let one = row.and_then(|(line, r)| {
            if r.iter().all(|f| f.trim().is_empty()) {
                return Ok(None);
            }
            Ok(Some((line, cols.row(line, &r)?)))
        });
        if let Some(Some(row)) = checks.row(one)? {
            read.push(row);
        }
    }
    football_data_seasons(&mut read);
    for (line, m) in read {
        let first = repeats.first(line, &m).map(|f| f.then_some((line, m)));
        if let Some(Some((line, m))) = checks.row(first)? {
            out.push(line, Event::MatchResult(m));
        }
    }
    out.duplicates = repeats.lines;
    out.skipped = checks.skipped;
    Ok(out)
}

/// One row of engsoccerdata's deductions: (line, season start, team, tier, points deducted).
pub type Deduction = (usize, i32, String, String, i32);

/// One row of the deductions file.
fn deduction(c: &Columns, line: usize, r: &csv::StringRecord) -> Result<Deduction> {
    let (season, team_c, tier, ded) = (
        c.need(&["season"])?,
        c.need(&["team"])?,
        c.need(&["tier"])?,
        c.need(&["deduction"])?,
    );
    let start: i32 = field(r, season)
        .parse()
        .map_err(|_| err(line, format!("season '{}' is not a year", field(r, season))))?;
    let points: i32 = field(r, ded).parse().map_err(|_| {
        err(
            line,
            format!("deduction '{}' is not a number", field(r, ded)),
        )
    })?;
    Ok((
        line,
        start,
        team(line, field(r, team_c), "team")?,
        field(r, tier).to_string(),
        points,
    ))
}

/// engsoccerdata's deductions: `Season,team,tier,deduction,country`. A row
/// that fails its checks is refused or listed in `checks`.
pub fn deductions(text: &str, checks: &mut Checks) -> Result<Vec<Deduction>> {
    let (c, rows) = records(text)?;
    for name in ["season", "team", "tier", "deduction"] {
        c.need(&[name])?;
    }
    let mut out = Vec::new();
    for row in rows {
        let read = row.and_then(|(line, r)| deduction(&c, line, &r));
        out.extend(checks.row(read)?);
    }
    Ok(out)
}

/// One row of the international shoot-outs file: the match it decided
/// (date, home, away), the winner, and the team that shot first, if known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShootoutRow {
    /// The file's line the row is on (1-based).
    pub line: usize,
    /// The day of the match.
    pub date: Date,
    /// The home team, as the file spells it.
    pub home: String,
    /// The away team, as the file spells it.
    pub away: String,
    /// The team that won the shoot-out.
    pub winner: String,
    /// The team that shot first; `None` where the file leaves it empty.
    pub first_shooter: Option<String>,
}

/// Where the shoot-outs file's columns are.
struct ShootoutColumns {
    date: usize,
    home: usize,
    away: usize,
    winner: usize,
    first_shooter: Option<usize>,
}

impl ShootoutColumns {
    fn new(c: &Columns) -> Result<ShootoutColumns> {
        Ok(ShootoutColumns {
            date: c.need(&["date"])?,
            home: c.need(&["home_team"])?,
            away: c.need(&["away_team"])?,
            winner: c.need(&["winner"])?,
            first_shooter: c.find(&["first_shooter"]),
        })
    }

    /// One row: a date, two teams, and a winner (and first shooter) who is one of them.
    fn row(&self, line: usize, r: &csv::StringRecord) -> Result<ShootoutRow> {
        let date = iso_date(line, field(r, self.date))?;
        let (home, away) = (
            team(line, field(r, self.home), "home team")?,
            team(line, field(r, self.away), "away team")?,
        );
        crate::import::check_teams(line, &home, &away)?;
        let side = |what: &str, t: &str| -> Result<String> {
            let t = names::clean(t);
            match names::same(&t, &home) || names::same(&t, &away) {
                true => Ok(t),
                false => Err(err(
                    line,
                    format!("{what} '{t}' is neither {home} nor {away}"),
                )),
            }
        };
        let winner = side("the winner", field(r, self.winner))?;
        let first_shooter = match self.first_shooter.map(|i| field(r, i)) {
            None | Some("") | Some("NA") => None,
            Some(t) => Some(side("the first shooter", t)?),
        };
        Ok(ShootoutRow {
            line,
            date,
            home,
            away,
            winner,
            first_shooter,
        })
    }
}

/// The international shoot-outs: `date,home_team,away_team,winner,first_shooter`.
/// A row that fails its checks is refused or listed in `checks`.
pub fn shootouts(text: &str, checks: &mut Checks) -> Result<Vec<ShootoutRow>> {
    let (c, rows) = records(text)?;
    let cols = ShootoutColumns::new(&c)?;
    let mut out = Vec::new();
    for row in rows {
        let read = row.and_then(|(line, r)| cols.row(line, &r));
        out.extend(checks.row(read)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasons_and_dates() {
        assert_eq!(season_label(1888), "1888-89");
        assert_eq!(season_label(1999), "1999-00");
        assert_eq!(dmy(1, "09/08/19").unwrap().to_string(), "2019-08-09");
        assert_eq!(dmy(1, "09/08/1995").unwrap().to_string(), "1995-08-09");
        assert!(dmy(1, "31/11/19").is_err());
        assert_eq!(iso_date(1, "18017").unwrap().to_string(), "2019-05-01");
        assert_eq!(iso_date(1, "0").unwrap().to_string(), "1970-01-01");
        assert_eq!(english_rules(1980).points_for_win, 2);
        assert_eq!(english_rules(1981).points_for_win, 3);
        assert_eq!(
            english_rules(1975).tiebreak,
            vec![Tiebreak::Points, Tiebreak::GoalAverage]
        );
        assert_eq!(english_rules(1976).tiebreak[1], Tiebreak::GoalDifference);
    }

    #[test]
    fn shootout_rows_name_a_winner_of_the_two_teams() {
        let text = "date,home_team,away_team,winner,first_shooter\n\
                    1967-08-22,India,Taiwan,Taiwan,\n\
                    1984-06-24,France,Spain,spain,France\n\
                    1990-07-04,Germany,England,Italy,\n";
        let mut checks = Checks::new(Invalid::Skip);
        let rows = shootouts(text, &mut checks).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].first_shooter, None);
        assert_eq!(
            (rows[1].winner.as_str(), rows[1].first_shooter.as_deref()),
            ("spain", Some("France"))
        );
        assert_eq!(checks.skipped.len(), 1);
        assert_eq!(checks.skipped[0].line, 4);
        assert!(
            checks.skipped[0]
                .why
                .contains("'Italy' is neither Germany nor England"),
            "{:?}",
            checks.skipped
        );
    }

    #[test]
    fn csv_rows_with_lines_and_duplicates() {
        let text =
            "date,home_team,away_team,home_score,away_score,tournament,city,country,neutral\n\
                    1974-02-17,Tahiti,New Caledonia,1,0,Friendly,Papeete,Tahiti,FALSE\n\
                    1974-02-17,Tahiti,New Caledonia,1,0,Friendly,Papeete,Tahiti,FALSE\n\
                    1974-02-18,Fiji,Tahiti,2,2,Friendly,Suva,Fiji,TRUE\n";
        let p = intl_results(text, Invalid::Refuse).unwrap();
        assert_eq!(p.events.len(), 2);
        assert_eq!(p.lines, vec![2, 4]);
        assert_eq!(p.duplicates, vec![3]);
        let bad = text.replace("Fiji,Tahiti,2,2", "Fiji,Tahiti,-2,2");
        match intl_results(&bad, Invalid::Refuse) {
            Err(Error::Parse { line, .. }) => assert_eq!(line, 4),
            other => panic!("{other:?}"),
        }
        let fd = "Div,Date,HomeTeam,AwayTeam,FTHG,FTAG,HTHG,HTAG\nE0,09/08/2019,Liverpool,Norwich,4,1,4,0\n";
        let p = football_data(fd, Invalid::Refuse).unwrap();
        match &p.events[0] {
            Event::MatchResult(m) => {
                assert_eq!(
                    (m.competition.as_str(), m.season.as_str(), m.home_goals),
                    ("English Premier League", "2019-20", 4)
                );
                assert_eq!(m.half_time, Some(ScorePair { home: 4, away: 0 }));
            }
            other => panic!("{other:?}"),
        }
        let variant = "Div,Date,Home,Away,HG,AG\nE0,09/08/19,Liverpool,Norwich,4,1\n";
        assert_eq!(
            football_data(variant, Invalid::Refuse)
                .unwrap()
                .events
                .len(),
            1
        );
    }
}
