//! Command-line interface: one file per subcommand.

pub(crate) mod adjust;
pub(crate) mod annul;
mod audit;
pub(crate) mod award;
pub(crate) mod chart;
pub(crate) mod checkpoint;
mod completions;
pub(crate) mod consistency;
pub(crate) mod correct;
pub(crate) mod diff;
mod export;
pub(crate) mod head;
pub(crate) mod history;
mod import;
mod keygen;
mod list;
mod log;
mod mirror;
mod output;
mod progress;
mod prove;
mod rebuild;
mod receipt;
pub(crate) mod record;
mod rename;
mod render;
pub(crate) mod report;
mod restore;
pub(crate) mod results;
mod rules;
mod salvage;
mod serve;
pub(crate) mod standings;
mod trust;
mod verify;
mod verify_proof;
mod verify_receipt;
mod witness;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use scoreledger::{Archive, Error, ErrorKind, Filter, Timestamp};

const EXAMPLES: &str = "\
Examples:
  scoreledger import examples/1984-copa-peru.txt
  scoreledger standings --as-of 1984-12-09
  scoreledger standings --round 3 --format json
  scoreledger results --team 'los espartanos'
  scoreledger verify

The store is ./scoreledger.db unless --db or $SCORELEDGER_DB says otherwise;
$SCORELEDGER_NOW (an RFC 3339 instant) stands in for the clock that stamps
new events. Exit codes: 0 ok, 1 verification failed, 2 bad input, 3 store
error, 4 an import failed after committing some batches, 130 interrupted.";

/// A tamper-evident, event-sourced archive of football results.
#[derive(Parser)]
#[command(name = "scoreledger", version, about, after_help = EXAMPLES)]
pub(crate) struct Cli {
    /// Path of the archive, for every command (as if given to it).
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,

    /// Wait up to SECONDS for another process to release the archive, for
    /// every command (as if given to it).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    wait: Option<f64>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Import(import::Args),
    Rules(rules::Args),
    Record(record::Args),
    Correct(correct::Args),
    Award(award::Args),
    Annul(annul::Args),
    Adjust(adjust::Args),
    Rename(rename::Args),
    Standings(standings::Args),
    Results(results::Args),
    List(list::Args),
    History(history::Args),
    Chart(chart::Args),
    Report(report::Args),
    Diff(diff::Args),
    Log(log::Args),
    Export(export::Args),
    Mirror(mirror::Args),
    Restore(restore::Args),
    Salvage(salvage::Args),
    Verify(verify::Args),
    Keygen(keygen::Args),
    Checkpoint(checkpoint::Args),
    Prove(prove::Args),
    Consistency(consistency::Args),
    Witness(witness::Args),
    VerifyProof(verify_proof::Args),
    Receipt(receipt::Args),
    VerifyReceipt(verify_receipt::Args),
    Audit(audit::Args),
    Head(head::Args),
    Rebuild(rebuild::Args),
    Serve(serve::Args),
    Completions(completions::Args),
}

/// Filters shared by the commands that read tables and results.
#[derive(clap::Args, Clone, Debug, Default)]
pub(crate) struct FilterArgs {
    /// Competition, e.g. 'Copa Perú' (case and accents ignored); may be left
    /// out when the archive holds only one.
    #[arg(long)]
    competition: Option<String>,
    /// Season, e.g. 1984.
    #[arg(long)]
    season: Option<String>,
    /// Stage, e.g. 'Final stage'.
    #[arg(long)]
    stage: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> Filter {
        Filter {
            competition: self.competition.clone(),
            season: self.season.clone(),
            stage: self.stage.clone(),
        }
    }
}

/// Which results a table counts: those played by a date, or the rounds up to one.
#[derive(clap::Args, Clone, Debug, Default)]
pub(crate) struct CutArgs {
    /// Only results played on or before this date (YYYY-MM-DD).
    #[arg(long, value_parser = scoreledger::Date::parse_iso, conflicts_with = "round")]
    as_of: Option<scoreledger::Date>,
    /// The table after round N: the results of rounds 1 to N, whenever played.
    #[arg(long, value_name = "N")]
    round: Option<u32>,
}

impl CutArgs {
    fn cut(&self) -> scoreledger::Cut {
        match (self.as_of, self.round) {
            (Some(d), _) => scoreledger::Cut::AsOf(d),
            (_, Some(n)) => scoreledger::Cut::Round(n),
            _ => scoreledger::Cut::All,
        }
    }
}

/// Where the archive is, for the commands that open one.
#[derive(clap::Args, Clone, Debug, Default)]
pub(crate) struct StoreArgs {
    /// Path of the archive, a folder (default: $SCORELEDGER_DB, else
    /// ./scoreledger.db). Created by import, record and rules.
    #[arg(long, value_name = "PATH")]
    db: Option<PathBuf>,
    /// If another process is using the archive, wait up to SECONDS for it
    /// (default: fail after 200 ms, saying so).
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    wait: Option<f64>,
}

impl StoreArgs {
    /// The archive's path and how long to wait for it: the command's own
    /// options, else those given before the command, else
    /// $SCORELEDGER_DB and ./scoreledger.db, and no wait.
    fn resolve(&self, top: &StoreArgs) -> Result<Db, Error> {
        let wait = self.wait.or(top.wait).unwrap_or(0.0);
        if !(wait.is_finite() && wait >= 0.0) {
            return Err(Error::Invalid(
                "--wait must be a number of seconds, 0 or more".into(),
            ));
        }
        let path = self
            .db
            .clone()
            .or_else(|| top.db.clone())
            .or_else(|| {
                std::env::var_os("SCORELEDGER_DB")
                    .filter(|v| !v.is_empty())
                    .map(PathBuf::from)
            })
            .unwrap_or_else(|| PathBuf::from("scoreledger.db"));
        Ok(Db {
            path,
            wait: std::time::Duration::from_secs_f64(wait.min(1e9)),
        })
    }
}

/// The archive a command works on, and how long it waits for another
/// process to release it (`--wait`). Derefs to its path.
pub(crate) struct Db {
    path: PathBuf,
    wait: std::time::Duration,
}

impl std::ops::Deref for Db {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.path
    }
}

impl Db {
    /// Opens (or creates) the archive, waiting up to `--wait` seconds while
    /// another process holds it.
    pub(crate) fn open(&self) -> Result<Archive, Error> {
        open_with(self, Archive::open)
    }

    /// Opens an existing store; a missing one is an error rather than a new
    /// empty store.
    pub(crate) fn open_existing(&self) -> Result<Archive, Error> {
        open_with(self, Archive::open_existing)
    }

    /// Opens the store for `serve` (made if `create`): a larger page cache.
    pub(crate) fn open_serving(&self, create: bool) -> Result<Archive, Error> {
        open_with(self, |p| Archive::open_serving(p, create))
    }
}

/// Output of a failed run: message and exit code.
pub(crate) fn exit_code(e: &Error) -> i32 {
    match e.kind() {
        ErrorKind::Integrity => 1,
        ErrorKind::Input => 2,
        ErrorKind::Storage => 3,
        ErrorKind::Partial => 4,
        ErrorKind::Interrupted => 130,
    }
}

/// An error in the CLI's words: the library says what is wrong; the CLI
/// adds which option or command fixes it.
pub(crate) fn render(e: &Error) -> String {
    match e {
        Error::Busy { path } => format!(
            "store {} is in use by another scoreledger process (wait for it, or pass --wait SECONDS)",
            path.display()
        ),
        Error::NoStore { path } => format!(
            "no scoreledger store at {} (import a file or record a result to make one; or pass --db / set SCORELEDGER_DB)",
            path.display()
        ),
        Error::Damaged { kind, key, msg } => {
            format!("damaged {kind} entry at key {key}: {msg} (run `scoreledger rebuild`)")
        }
        Error::BeyondHead { asked, head } => {
            format!("--known-at {asked} is beyond the head of the archive (seq {head})")
        }
        Error::NoRounds {
            competition,
            season,
            stage,
        } => format!("{competition} {season} {stage} has no round numbers; use --as-of DATE"),
        Error::AmbiguousStage { stages } => ambiguous(stages),
        Error::UnknownFormat { file, choices } => format!(
            "{}: cannot tell the format of this file; name it with --format ({choices})",
            file.as_ref()
                .map_or("line 1".into(), |f| format!("{}:1", f.display()))
        ),
        Error::SeasonPageOptions {
            file: Some(file),
            format,
        } => format!(
            "--points-for-win, --competition and --season apply to season pages; {} is {format}",
            file.display()
        ),
        // With the record itself damaged there is no reported event to
        // compare a source with: only accepting what the log holds settles it.
        Error::Lost { path, loss } if loss.reported.is_none() => format!(
            "{}.\nNo source can be compared with a damaged record: to keep what the log holds and write the record anew, scoreledger restore --accept-loss (then scoreledger verify)",
            loss.describe(path)
        ),
        Error::Lost { path, loss } => format!(
            "{}.\nTo bring them back from an export or a mirror: scoreledger restore --from-file EXPORT.jsonl (or --from URL --key VKEY); to keep what survives and go on: scoreledger restore --accept-loss",
            loss.describe(path)
        ),
        Error::Unreadable { .. } => format!(
            "{e}.\nTo recover: scoreledger salvage --output NEW.db copies every event that can still be read into a fresh store and names the first one missing; then scoreledger --db NEW.db restore --from-file EXPORT.jsonl brings back the rest from an export or a mirror"
        ),
        Error::ClockBehind { given, seq, head } => format!(
            "SCORELEDGER_NOW {given} is before the archive's head (seq {seq} recorded at {head}); events are stamped in order: set it to {head} or later"
        ),
        Error::Rejected { source, .. } => render(source),
        Error::Partial { source, .. } => e
            .to_string()
            .replacen(&source.to_string(), &render(source), 1),
        other => other.to_string(),
    }
}

/// Several stages match: how to name one.
fn ambiguous(stages: &[[String; 3]]) -> String {
    const SHOWN: usize = 25;
    let list: Vec<String> = stages
        .iter()
        .take(SHOWN)
        .map(|[c, s, st]| format!("  --competition '{c}' --season '{s}' --stage '{st}'"))
        .collect();
    let more = stages.len().saturating_sub(SHOWN);
    format!(
        "{} stages match; choose one with --competition, --season and --stage:\n{}{}",
        stages.len(),
        list.join("\n"),
        if more > 0 {
            format!("\n  ... and {more} more")
        } else {
            String::new()
        }
    )
}

/// The time to stamp new events of `archive` with: [`now`]. A
/// `$SCORELEDGER_NOW` before the head's time is refused when something
/// would be appended (events are stamped in order); the system clock a
/// little behind the head (another machine's) is raised to it.
pub(crate) fn stamp(archive: &mut Archive) -> Result<Timestamp, Error> {
    archive.strict_clock(crate::answers::given_now()?.is_some());
    crate::answers::now()
}

/// Reads a text file given on the command line, naming it on failure.
fn read_file(path: &std::path::Path, what: &str) -> Result<String, Error> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::Invalid(format!("{}: cannot read the {what}: {e}", path.display())))
}

/// GETs `path` of a `scoreledger serve` at `url`, as text; an error answer
/// is shown with its status and the server's message.
fn fetch(url: &str, path: &str) -> Result<String, Error> {
    let full = format!("{}{path}", url.trim_end_matches('/'));
    match ureq::get(&full).call() {
        Ok(r) => r
            .into_string()
            .map_err(|e| Error::Invalid(format!("{full}: {e}"))),
        Err(ureq::Error::Status(code, r)) => Err(Error::Invalid(format!(
            "{full}: {code} {}",
            r.into_string().unwrap_or_default().trim()
        ))),
        Err(e) => Err(Error::Invalid(format!("{full}: {e}"))),
    }
}

/// Reads and parses a checkpoint file.
fn read_checkpoint(
    path: &std::path::Path,
) -> Result<scoreledger::integrity::checkpoint::Checkpoint, Error> {
    let text = read_file(path, "checkpoint")?;
    scoreledger::integrity::checkpoint::Checkpoint::parse(&text)
        .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))
}

fn open_with<T>(db: &Db, how: impl Fn(&std::path::Path) -> Result<T, Error>) -> Result<T, Error> {
    let wait = db.wait;
    let deadline = std::time::Instant::now() + wait;
    loop {
        let opened = how(db);
        if let Err(Error::Busy { path }) = &opened {
            if let Some((addr, pid)) = crate::serve::lock_note(path) {
                return Err(Error::Store {
                    msg: format!(
                        "served by scoreledger serve at {addr} (pid {pid}); use the API or stop it"
                    ),
                    path: path.clone(),
                });
            }
        }
        match opened {
            Err(Error::Busy { .. }) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(Error::Busy { path }) if !wait.is_zero() => {
                return Err(Error::Store {
                    msg: format!(
                        "still in use by another scoreledger process after waiting {} s; try again later, or a longer --wait",
                        wait.as_secs_f64()
                    ),
                    path,
                })
            }
            other => return other,
        }
    }
}

/// Appends one event and reports it: "recorded seq N HASH" and a summary, or
/// that the archive already held it.
fn append_one(archive: &mut Archive, event: scoreledger::Event) -> Result<(), Error> {
    let at = stamp(archive)?;
    let report = archive.append(vec![event], at).map_err(|e| match e {
        Error::Rejected { source, .. } => *source,
        other => other,
    })?;
    let text = match report.appended.first() {
        Some(ap) => {
            let summary = archive
                .event(ap.seq)?
                .map(|e| e.event.summary())
                .unwrap_or_default();
            format!("recorded seq {} {}\n{summary}\n", ap.seq, ap.hash)
        }
        None => "already recorded; nothing appended\n".to_string(),
    };
    crate::answers::print(&text)
}

pub(crate) fn main() -> i32 {
    let Cli { db, wait, command } = Cli::parse();
    let top = StoreArgs { db, wait };
    macro_rules! with_store {
        ($cmd:ident, $a:expr) => {{
            let a = $a;
            a.store.resolve(&top).and_then(|db| $cmd::run(&db, a))
        }};
    }
    let result = match command {
        Command::Import(a) => with_store!(import, a),
        Command::Rules(a) => with_store!(rules, a),
        Command::Record(a) => with_store!(record, a),
        Command::Correct(a) => with_store!(correct, a),
        Command::Award(a) => with_store!(award, a),
        Command::Annul(a) => with_store!(annul, a),
        Command::Adjust(a) => with_store!(adjust, a),
        Command::Rename(a) => with_store!(rename, a),
        Command::Standings(a) => with_store!(standings, a),
        Command::Results(a) => with_store!(results, a),
        Command::List(a) => with_store!(list, a),
        Command::History(a) => with_store!(history, a),
        Command::Chart(a) => with_store!(chart, a),
        Command::Report(a) => with_store!(report, a),
        Command::Diff(a) => with_store!(diff, a),
        Command::Log(a) => with_store!(log, a),
        Command::Export(a) => with_store!(export, a),
        Command::Mirror(a) => with_store!(mirror, a),
        Command::Restore(a) => with_store!(restore, a),
        Command::Salvage(a) => with_store!(salvage, a),
        Command::Verify(a) => with_store!(verify, a),
        Command::Keygen(a) => keygen::run(a),
        Command::Checkpoint(a) => with_store!(checkpoint, a),
        Command::Prove(a) => with_store!(prove, a),
        Command::Consistency(a) => with_store!(consistency, a),
        Command::Witness(a) => witness::run(a),
        Command::VerifyProof(a) => verify_proof::run(a),
        Command::Receipt(a) => with_store!(receipt, a),
        Command::VerifyReceipt(a) => verify_receipt::run(a),
        Command::Audit(a) => with_store!(audit, a),
        Command::Head(a) => with_store!(head, a),
        Command::Rebuild(a) => with_store!(rebuild, a),
        Command::Serve(a) => with_store!(serve, a),
        Command::Completions(a) => completions::run(a),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            let code = exit_code(&e);
            if matches!(e, Error::Corrupt { .. } | Error::Mismatch { .. }) {
                eprintln!("verification FAILED: {}", render(&e));
            } else {
                eprintln!("error: {}", render(&e));
            }
            code
        }
    }
}

/// Seqs `lo` to `hi` in words: "seq 24", "seqs 24 to 30", or "no seq".
pub(crate) fn seqs(lo: u64, hi: u64) -> String {
    match hi.checked_sub(lo) {
        None => "no seq".into(),
        Some(0) => format!("seq {lo}"),
        Some(_) => format!("seqs {lo} to {hi}"),
    }
}

/// A word as a shell would need it in a command line: as is when plain,
/// else in single quotes.
pub(crate) fn quoted(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_./:,".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// `--format table|json`, for the commands that offer those two.
#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum TableOrJson {
    Table,
    Json,
}
