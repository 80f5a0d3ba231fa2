//! `scoreledger keygen`

use std::io::Write;
use std::path::PathBuf;

use scoreledger::integrity::note::{SignerKey, COSIGNATURE_V1, ED25519};
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger keygen --name league.example.org --output log.key > log.vkey
  scoreledger checkpoint --sign log.key > cp.txt
  scoreledger verify --checkpoint cp.txt --key log.vkey
  scoreledger keygen --witness --name w1.example.org --output w.key > w.vkey

Writes the private key to --output (a new file, mode 0600; an existing file is
never replaced) and prints the verifier key, NAME+KEYID+KEY, to publish. A
log key's name is the origin of the checkpoints it signs. --witness makes a
witness's key (cosignatures, type 0x04). Formats: schema/notes.md.";

/// Make an Ed25519 key pair for signing checkpoints (or cosigning them).
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    /// The key's name: for a log key, the checkpoints' origin.
    #[arg(long)]
    name: String,
    /// Where to write the private key (a new file).
    #[arg(long, value_name = "KEY")]
    output: PathBuf,
    /// A witness's key, which cosigns checkpoints instead of signing them.
    #[arg(long)]
    witness: bool,
}

pub(super) fn run(a: Args) -> Result<(), Error> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| Error::Invalid(format!("no randomness from the system: {e}")))?;
    let kind = if a.witness { COSIGNATURE_V1 } else { ED25519 };
    let key = SignerKey::from_seed(&a.name, kind, seed).map_err(Error::Invalid)?;
    let fail = |e: std::io::Error| {
        Error::Invalid(format!("{}: cannot write the key: {e}", a.output.display()))
    };
    let mut file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&a.output)
            .map_err(fail)?
    };
    file.write_all(format!("{}\n", key.to_text()).as_bytes())
        .and_then(|_| file.sync_all())
        .map_err(fail)?;
    eprintln!(
        "wrote the private key of {} to {} (keep it secret); the verifier key follows",
        a.name,
        a.output.display()
    );
    crate::answers::print(&format!("{}\n", key.verifier().to_text()))
}
