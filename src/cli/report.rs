//! `scoreledger report`

use crate::answers::pictures::html;
use std::path::PathBuf;

use scoreledger::Error;

use super::FilterArgs;

const EXAMPLES: &str = "\
Examples:
  scoreledger report --output copa-peru-1984.html
  scoreledger report --season 1984 --as-of 1984-12-09 --output halfway.html

One self-contained HTML page: the season facts, the table, the charts, the
table after each round (collapsible), every result by round, and the head
hash and Merkle root of the archive it was built from.";

/// Write a season report as one HTML page.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    #[command(flatten)]
    filter: FilterArgs,
    /// Where to write the page (`-` for standard output).
    #[arg(long, value_name = "FILE.html")]
    output: PathBuf,
    #[command(flatten)]
    force: super::output::ForceArg,
    #[command(flatten)]
    when: crate::answers::scope::ViewArgs,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let html = html(&archive, &a.filter.filter(), &a.when)?;
    super::output::write(db, &a.output, &html, "the report", &a.force)
}
