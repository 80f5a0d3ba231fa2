//! `scoreledger import FILE`

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use scoreledger::import::era::RulesNote;
use scoreledger::import::plan::{Plan, Request};
use scoreledger::import::{self, season_page, Format, Invalid, Skipped};
use scoreledger::{Error, RulesSource};

const EXAMPLES: &str = "\
Examples:
  scoreledger import examples/1984-copa-peru.txt
  scoreledger import examples/1984-copa-peru.txt --points-for-win 3
  scoreledger import tests/data/intl_results_1872_1974.csv --skip-invalid
  scoreledger import tests/data/intl_shootouts_1872_1974.csv --skip-invalid
  scoreledger import tests/data/oftxt_2024-25_1-premierleague.txt  openfootball
  scoreledger import tests/data/ofjson_2018_worldcup.json --batch 500
  scoreledger export --output copy.jsonl
  scoreledger --db copy.db import copy.jsonl            an export: same head

Formats (detected from the file, or named with --format): page (a season page
like the 1984 Copa Perú), engsoccerdata, eng-deductions, football-data,
intl-results, intl-shootouts (on the results already imported: each row on
the match of its date and teams), openfootball-json, openfootball-txt, jsonl.

A file is read and checked completely before anything is written: a bad line
is reported with its number and nothing is written (exit 2). A season page is
appended all or nothing; larger files are committed in durable batches
(--batch), so an interrupted import can be re-run: what is already in the
archive is skipped.

Rows that repeat an earlier row of the same match are reported and appended
once; a row that gives the match another score (or status) is refused,
naming both lines (the international results above do, at line 9644).
With --skip-invalid, rows that fail their checks, including what the archive
refuses (a result contradicting a recorded one, a deduction in a tier the
team did not play in), are left out and listed on stderr as FILE:LINE: why;
the summary counts them, the rest is appended, and the exit code is 0. Lines
that say where rows belong (a header, a heading, a date line), or that cannot
be read as anything, still refuse the file.

A season whose file states no points gets the era's (2 for a win before the
1994 World Cup, 3 from then on; the general rule), with a note saying so; the
era never replaces rules the archive holds.";

/// Append a file of results (all or nothing per batch).
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// The file to read.
    file: PathBuf,
    /// The file's format (default: detected).
    #[arg(long, value_parser = |s: &str| s.parse::<Format>())]
    format: Option<Format>,
    /// Season pages: points for a win in this season (records a rules event;
    /// draw 1, loss 0). Default: what the page states, else the era's.
    #[arg(long, value_name = "N")]
    points_for_win: Option<u8>,
    /// Season pages: use this competition name instead of the infobox's.
    #[arg(long)]
    competition: Option<String>,
    /// Season pages: use this season instead of the infobox's.
    #[arg(long)]
    season: Option<String>,
    /// Events per committed batch for large files (1 to 100000).
    #[arg(long, value_name = "N", default_value_t = scoreledger::model::limits::DEFAULT_BATCH as u32,
          value_parser = clap::value_parser!(u32).range(1..=scoreledger::model::limits::MAX_BATCH as i64))]
    batch: u32,
    /// Leave out the rows that fail their checks (including what the
    /// archive refuses, such as a result contradicting a recorded one), list
    /// each on stderr as FILE:LINE: why, and append the rest (exit 0).
    /// Without it, such a row refuses the whole file and nothing is written.
    #[arg(long)]
    skip_invalid: bool,
}

/// Ctrl-C (or SIGTERM, SIGHUP) asks the import to stop after the batch it
/// is committing; a second one ends the process at once (a commit is all or
/// nothing either way).
fn stop_on_signal() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let _ = ctrlc::set_handler(move || {
        if flag.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    stop
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    // From the start, so that Ctrl-C while the file is read and checked
    // stops the import before anything is written, saying so.
    let stop = stop_on_signal();
    let req = Request {
        format: a.format,
        page: season_page::Options {
            points_for_win: a.points_for_win,
            competition: a.competition,
            season: a.season,
        },
        batch: a.batch as usize,
        invalid: match a.skip_invalid {
            true => Invalid::Skip,
            false => Invalid::Refuse,
        },
    };
    let mut text = None;
    let checking = super::progress::spinner("reading and checking the file");
    let plan = Plan::of_file(&a.file, req, &mut text);
    checking.finish_and_clear();
    let plan = plan?;
    let format = plan.format;
    if stop.load(Ordering::SeqCst) {
        return Err(Error::Interrupted {
            committed: 0,
            done: 0,
            total: plan.total().unwrap_or(0),
        });
    }
    if format == Format::Jsonl && !scoreledger::Archive::exists(db) {
        // Check the export against an empty archive before making the store.
        let scratch = tempfile::tempdir().map_err(Error::Io)?;
        let probe = scoreledger::Archive::open(&scratch.path().join("probe"))?;
        plan.check_export(&probe)?;
    }
    let mut archive = db.open()?;
    let now = super::stamp(&mut archive)?;
    let bar = super::progress::bar("importing");
    let mut progress = |done: usize, total: usize| {
        if total > 2000 {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
        !stop.load(Ordering::SeqCst)
    };
    let done = plan.apply(&mut archive, now, &mut progress);
    bar.finish_and_clear();
    let done = done?;
    // sled writes its snapshot when a store is opened: pay that here, not in
    // the next question.
    let head = done.head.map_or_else(|| archive.head(), Ok)?;
    archive.settle();
    for line in skipped_lines(&a.file, &done.skipped) {
        eprintln!("{line}");
    }
    let mut out = summary(&a.file, format, &done, a.skip_invalid);
    out.push_str(&format!("head {} {}\n", head.seq, head.hash));
    crate::answers::print(&out)?;
    for line in rules_notes(&done.rules) {
        eprintln!("note: {line}");
    }
    Ok(())
}

/// Each row left out: `FILE:LINE: why`.
fn skipped_lines(file: &Path, skipped: &[Skipped]) -> Vec<String> {
    skipped
        .iter()
        .map(|s| format!("{}:{}: {}", file.display(), s.line, s.why))
        .collect()
}

/// Up to 20 lines as `FILE:LINE`, and how many more.
fn some_lines(file: &Path, lines: &[usize]) -> String {
    let shown: Vec<String> = lines
        .iter()
        .take(20)
        .map(|l| format!("{}:{l}", file.display()))
        .collect();
    match lines.len().saturating_sub(20) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// What an import did: counts by kind, the rows skipped (when asked to
/// skip them), and the rows the file repeats.
fn summary(file: &Path, format: Format, done: &import::ImportReport, skipping: bool) -> String {
    let kinds: Vec<String> = done
        .appended
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let skipped = done.skipped.len();
    let mut out = format!(
        "{} ({}): appended {} event{}{}, {} already present{}\n",
        file.display(),
        format.name(),
        done.appended_total(),
        if done.appended_total() == 1 { "" } else { "s" },
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        },
        done.already_present,
        match (skipping, skipped) {
            (false, _) => String::new(),
            (true, 1) => ", skipped 1 invalid row".into(),
            (true, n) => format!(", skipped {n} invalid rows"),
        }
    );
    if skipped > 0 {
        let lines: Vec<usize> = done.skipped.iter().map(|s| s.line).collect();
        out.push_str(&format!(
            "{skipped} row{} failed {} checks and {} left out (why on stderr): {}\n",
            if skipped == 1 { "" } else { "s" },
            if skipped == 1 { "its" } else { "their" },
            if skipped == 1 { "was" } else { "were" },
            some_lines(file, &lines)
        ));
    }
    if !done.duplicate_lines.is_empty() {
        out.push_str(&format!(
            "{} rows repeat an earlier row of the file and were appended once: {}\n",
            done.duplicate_lines.len(),
            some_lines(file, &done.duplicate_lines)
        ));
    }
    if !done.changed_since.is_empty() {
        out.push_str(&format!(
            "{} results of the file are held as first recorded, but their matches were changed since (corrected, awarded or annulled): {}; `scoreledger results` shows what stands, `scoreledger history ID` how\n",
            done.changed_since.len(),
            some_lines(file, &done.changed_since)
        ));
    }
    if !done.outside_season.is_empty() {
        out.push_str(&format!(
            "{} results were appended with a date outside their season (1 July to 31 August of the next year; a season of one year, to 31 January of the next): {}; check their dates (`scoreledger audit` lists them)\n",
            done.outside_season.len(),
            some_lines(file, &done.outside_season)
        ));
    }
    if !done.before_first_round.is_empty() {
        out.push_str(&format!(
            "{} results were appended dated before their stage's first round was played: {}; check their dates (`scoreledger audit` lists them)\n",
            done.before_first_round.len(),
            some_lines(file, &done.before_first_round)
        ));
    }
    out
}

/// One line per competition whose rules came from the era, and one per
/// rules change.
fn rules_notes(notes: &[RulesNote]) -> Vec<String> {
    let mut out = Vec::new();
    let mut era: Vec<(&str, Vec<&RulesNote>)> = Vec::new();
    for n in notes {
        if n.source == RulesSource::Era {
            let c = n.rules.competition.as_str();
            match era.iter_mut().find(|(k, _)| *k == c) {
                Some((_, v)) => v.push(n),
                None => era.push((c, vec![n])),
            }
        }
        if let Some((old_seq, old)) = &n.replaced {
            out.push(format!(
                "{} {}: this changes the rules from {} to {} (seq {old_seq} -> seq {})",
                n.rules.competition,
                n.rules.season,
                super::rules::short(old),
                super::rules::short(&n.rules),
                n.seq
            ));
        }
    }
    match era.as_slice() {
        [] => {}
        [(competition, seasons)] => out.push(era_note(competition, seasons)),
        many => out.push(era_summary(many)),
    }
    out.extend(catalogue_notes(notes));
    out
}

/// One line per competition whose rules came from the catalogue.
fn catalogue_notes(notes: &[RulesNote]) -> Vec<String> {
    let mut by_comp: Vec<(&str, Vec<&RulesNote>)> = Vec::new();
    for n in notes.iter().filter(|n| n.source == RulesSource::Catalogue) {
        let c = n.rules.competition.as_str();
        match by_comp.iter_mut().find(|(k, _)| *k == c) {
            Some((_, v)) => v.push(n),
            None => by_comp.push((c, vec![n])),
        }
    }
    by_comp
        .into_iter()
        .map(|(competition, listed)| {
            let (seasons, stages): (Vec<&RulesNote>, Vec<&RulesNote>) =
                listed.iter().partition(|n| n.rules.stage.is_none());
            let stages = match stages.len() {
                0 => String::new(),
                1 => ", and 1 stage that ranked otherwise".to_string(),
                n => format!(", and {n} stages that ranked otherwise"),
            };
            let first = listed[0];
            format!(
                "{competition}: the file states no rules for {} season{}; from the rules catalogue, {}{stages}; each with its source: scoreledger rules --competition {} --season {}",
                seasons.len(),
                if seasons.len() == 1 { "" } else { "s" },
                points_by_season(&seasons),
                super::quoted(competition),
                super::quoted(&first.rules.season),
            )
        })
        .collect()
}

/// One line for the era's rules of many competitions.
fn era_summary(era: &[(&str, Vec<&RulesNote>)]) -> String {
    let seasons: Vec<&RulesNote> = era.iter().flat_map(|(_, v)| v.iter().copied()).collect();
    let count = |p: u8| {
        seasons
            .iter()
            .filter(|n| n.rules.points_for_win == p)
            .count()
    };
    format!(
        "the file states no points for {} seasons of {} competitions; by the era, 2 for a win \
         in {} and 3 in {} ({}). This is the general rule; leagues switched at different times; \
         to change one: scoreledger rules --competition C --season S --points-for-win N",
        seasons.len(),
        era.len(),
        count(2),
        count(3),
        import::era::explain("")
    )
}

/// `2 for a win in 1980-81, 3 for a win in 2 seasons (1981-82 to 1982-83)`.
fn points_by_season(seasons: &[&RulesNote]) -> String {
    let mut by_points: Vec<(u8, Vec<&str>)> = Vec::new();
    for n in seasons {
        let p = n.rules.points_for_win;
        match by_points.iter_mut().find(|(k, _)| *k == p) {
            Some((_, v)) => v.push(&n.rules.season),
            None => by_points.push((p, vec![&n.rules.season])),
        }
    }
    let parts: Vec<String> = by_points
        .iter()
        .map(|(p, v)| match v.as_slice() {
            [one] => format!("{p} for a win in {one}"),
            many => format!(
                "{p} for a win in {} seasons ({} to {})",
                many.len(),
                many[0],
                many[many.len() - 1]
            ),
        })
        .collect();
    parts.join(", ")
}

fn era_note(competition: &str, seasons: &[&RulesNote]) -> String {
    let change = format!(
        "to change it: scoreledger rules --competition {} --season {} --points-for-win N",
        super::quoted(competition),
        match seasons {
            [one] => super::quoted(&one.rules.season),
            _ => "SEASON".to_string(),
        }
    );
    let what = match seasons {
        [one] => format!(
            "{competition} {}: the file states no points; {} for a win by the era",
            one.rules.season, one.rules.points_for_win
        ),
        _ => format!(
            "{competition}: the file states no points for {} seasons; by the era, {}",
            seasons.len(),
            points_by_season(seasons)
        ),
    };
    format!(
        "{what} ({}). This is the general rule; leagues switched at different times; {change}",
        import::era::explain(competition)
    )
}
