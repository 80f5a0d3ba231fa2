//! `scoreledger verify-proof --checkpoint FILE PROOF`

use std::path::PathBuf;

use scoreledger::integrity::checkpoint::{verify_inclusion_proof, InclusionProof};
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger checkpoint > cp.txt                        (where the archive is)
  scoreledger prove 12 --checkpoint cp.txt > proof-12.txt
  scoreledger verify-proof --checkpoint cp.txt proof-12.txt
  scoreledger checkpoint --sign log.key > signed.txt       (keygen)
  scoreledger verify-proof --checkpoint signed.txt --key log.vkey proof-12.txt

Needs no archive: checks that the event in the proof hashes to the proof's
event hash, and that the proof leads from it to the checkpoint's root at the
checkpoint's size, using every proof hash exactly once. Exit 0 prints the
event; exit 1 if the proof does not hold; exit 2 if a file cannot be read.";

/// Check an inclusion proof offline, against a checkpoint.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    /// The signed-off checkpoint the proof must lead to.
    #[arg(long, value_name = "FILE")]
    checkpoint: PathBuf,
    #[command(flatten)]
    trust: super::trust::TrustArgs,
    /// The proof file (text or JSON, from `scoreledger prove`).
    proof: PathBuf,
}

pub(super) fn run(a: Args) -> Result<(), Error> {
    let (cp, _) = super::trust::checkpoint(&a.checkpoint, &a.trust)?;
    let text = super::read_file(&a.proof, "proof")?;
    let proof = InclusionProof::parse(&text)
        .map_err(|e| Error::Invalid(format!("{}: not a proof file: {e}", a.proof.display())))?;
    let ok = verify_inclusion_proof(&cp, &proof).map_err(|msg| Error::Corrupt {
        seq: proof.seq,
        msg,
    })?;
    crate::answers::print(&format!(
        "ok: seq {} is in '{}' at size {} (recorded {})\n{}\n",
        ok.seq,
        cp.origin,
        cp.size,
        ok.recorded_at,
        ok.event.summary()
    ))
}
