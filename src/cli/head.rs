//! `scoreledger head`

use scoreledger::Error;

const EXAMPLES: &str = "\
Example:
  scoreledger head        prints the seq and hash of the last event, e.g.
                          23 9c998287ffa92c353172bd5d5724584773c787a9bb9355...
  scoreledger head --format json

The hash names the whole archive: two archives with the same head hash hold
the same events in the same order.";

/// Print the latest seq and its hash: "N HASH".
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// text: "SEQ HASH"; json: {"seq", "hash"}.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let archive = db.open_existing()?;
    let head = archive.head()?;
    crate::answers::print(&match a.format {
        Format::Text => format!("{} {}\n", head.seq, head.hash),
        Format::Json => format!("{}\n", crate::answers::json::head(&head)),
    })
}
