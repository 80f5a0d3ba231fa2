//! `scoreledger prove SEQ`

use std::path::PathBuf;

use clap::ValueEnum;
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger checkpoint > cp.txt
  scoreledger prove 12 --checkpoint cp.txt > proof-12.txt
  scoreledger verify-proof --checkpoint cp.txt proof-12.txt

verify-proof needs no archive: send cp.txt and proof-12.txt to anyone. The
proof carries the event's stored envelope, so the verifier also sees which
result it proves and checks it against its hash.";

#[derive(Clone, Copy, ValueEnum)]
pub(super) enum Format {
    Text,
    Json,
}

/// An inclusion proof for event SEQ.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// The event to prove.
    seq: u64,
    /// Prove against this checkpoint's tree size (default: the head).
    #[arg(long, value_name = "FILE")]
    checkpoint: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let checkpoint = a
        .checkpoint
        .as_deref()
        .map(super::read_checkpoint)
        .transpose()?;
    let archive = db.open_existing()?;
    let size = match &checkpoint {
        Some(cp) => {
            archive.verify_checkpoint(cp)?;
            cp.size
        }
        None => archive.head()?.seq,
    };
    let proof = archive.prove(a.seq, size)?;
    let text = match a.format {
        Format::Text => proof.to_text(),
        Format::Json => format!(
            "{}\n",
            serde_json::to_string_pretty(&proof).map_err(|e| Error::Invalid(e.to_string()))?
        ),
    };
    crate::answers::print(&text)
}
