//! `scoreledger import FILE`

use std::path::{Path, PathBuf};

use scoreledger::import::{self, wiki};
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger import examples/1984-copa-peru.txt --points-for-win 2
  scoreledger --db league.db import season.txt --competition 'Copa Perú' --season 1985

The file is a season page: an infobox (Competition, Season, Winners, ...), a
teams table, '==Stage==' sections with '=== Round N ===' headings, date lines
('2 December 1984') and result lines ('Home 3-2 Away'). An import is all or
nothing: a bad line is reported with its number and nothing is written.
Results already in the archive are skipped, so importing twice appends nothing.";

/// Append a season file (all or nothing).
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The season file to read.
    file: PathBuf,
    /// Points for a win in this season (records a rules event; draw 1, loss 0).
    #[arg(long, value_name = "N")]
    points_for_win: Option<u8>,
    /// Use this competition name instead of the infobox's.
    #[arg(long)]
    competition: Option<String>,
    /// Use this season instead of the infobox's.
    #[arg(long)]
    season: Option<String>,
}

pub fn run(db: &Path, a: Args) -> Result<(), Error> {
    let text = import::read_text(&a.file)?;
    let opts = wiki::Options {
        points_for_win: a.points_for_win,
        competition: a.competition,
        season: a.season,
    };
    let parsed = wiki::parse(&text, &opts).map_err(|e| match e {
        Error::Parse { line, msg, .. } => Error::Parse {
            file: Some(a.file.clone()),
            line,
            msg,
        },
        other => other,
    })?;
    let mut archive = super::open(db)?;
    let done = import::append_parsed(&mut archive, parsed, Some(&a.file), super::now()?)?;
    let r = &done.report;
    let kinds: Vec<String> = r.counts().iter().map(|(k, n)| format!("{n} {k}")).collect();
    let head = r.head.unwrap_or(archive.head()?);
    let mut out = format!(
        "{}: appended {} events{}, {} already present\n",
        a.file.display(),
        r.appended.len(),
        if kinds.is_empty() {
            String::new()
        } else {
            format!(" ({})", kinds.join(", "))
        },
        r.already_present.len()
    );
    out.push_str(&format!("head {} {}\n", head.seq, head.hash));
    super::print(&out)
}
