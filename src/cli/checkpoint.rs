//! `scoreledger checkpoint`

use crate::answers::proofs::{signed_text, DEFAULT_ORIGIN};
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger checkpoint > checkpoint-1984-12-16.txt
  scoreledger checkpoint --origin league.example.org/copa-peru
  scoreledger checkpoint --sign log.key > cp.txt     a signed note (keygen)

Prints a checkpoint in the C2SP tlog-checkpoint shape: the origin line, the
number of events, the base64 Merkle root, then extension lines (the tree
variant, and the roots of the complete subtrees, which let `verify
--checkpoint` say where a rewritten archive first departs from it). Publish it
(e.g. after every matchday): `verify --checkpoint` later proves that the
archive only grew since.";

/// Print a checkpoint: origin, size and Merkle root of the archive.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(crate) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// The origin line, naming this archive.
    #[arg(long)]
    origin: Option<String>,
    /// Sign it with this private key (from `keygen`): a signed note whose
    /// origin is the key's name.
    #[arg(long, value_name = "KEY")]
    sign: Option<std::path::PathBuf>,
}

pub(crate) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let key = a.sign.as_deref().map(super::trust::signer).transpose()?;
    let origin = match (&a.origin, &key) {
        (Some(o), Some(k)) if o.trim() != k.name => {
            return Err(Error::Invalid(format!(
                "--origin {o} differs from the key's name {}: a signed checkpoint's origin is its key's name",
                k.name
            )))
        }
        (Some(o), _) => o.trim().to_string(),
        (None, Some(k)) => k.name.clone(),
        (None, None) => DEFAULT_ORIGIN.to_string(),
    };
    if origin.is_empty() || origin.contains('\n') {
        return Err(Error::Invalid("--origin must be one non-empty line".into()));
    }
    let archive = db.open_existing()?;
    crate::answers::print(&signed_text(&archive, &origin, key.as_ref())?)
}
