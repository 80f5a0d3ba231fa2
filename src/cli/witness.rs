//! `scoreledger witness`

use std::path::{Path, PathBuf};

use scoreledger::integrity::checkpoint::{Checkpoint, ConsistencyProof};
use scoreledger::integrity::note::Note;
use scoreledger::integrity::witness::{decide, replaces_state, Cosign};
use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger witness --key w.key --state wstate --log-key log.vkey cp.txt \\
      > cp-cosigned.txt
  scoreledger consistency 23 > proof.txt              (where the archive is)
  scoreledger witness --key w.key --state wstate --log-key log.vkey \\
      --proof proof.txt cp.txt
  scoreledger witness --key w.key --state wstate --log-key log.vkey \\
      --from http://127.0.0.1:7878 cp.txt

Cosigns a checkpoint (C2SP tlog-cosignature, cosignature/v1) only when the
log signed it and, by a consistency proof, it extends the last checkpoint
this witness cosigned for the same origin (kept in --state). A rollback or a
fork is refused (exit 1). The first checkpoint of an origin is trusted on
first use, and says so. Prints the checkpoint with the cosignature added.
One witness process at a time uses a state folder (it holds
DIR/witness.lock); a second is refused with exit 3.";

/// Cosign a log's checkpoint, refusing forks and rollbacks.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    /// The witness's private key (`keygen --witness`).
    #[arg(long, value_name = "WKEY")]
    key: PathBuf,
    /// A folder where the witness keeps the last checkpoint it cosigned, per origin.
    #[arg(long, value_name = "DIR")]
    state: PathBuf,
    /// The log's verifier key (or a file holding it).
    #[arg(long, value_name = "VKEY")]
    log_key: String,
    /// A consistency proof from the last cosigned size (`scoreledger consistency`).
    #[arg(long, value_name = "FILE", conflicts_with = "from")]
    proof: Option<PathBuf>,
    /// Fetch the consistency proof from this `scoreledger serve`.
    #[arg(long, value_name = "URL")]
    from: Option<String>,
    /// The checkpoint to cosign (a signed note).
    checkpoint: PathBuf,
}

/// The state file of an origin: its name hashed, so any origin is a file name.
fn state_file(dir: &Path, origin: &str) -> PathBuf {
    let h = blake3::hash(origin.as_bytes()).to_hex();
    dir.join(format!("{}.note", &h[..32]))
}

/// The lock file of a state folder.
const LOCK: &str = "witness.lock";

/// Takes the state folder's lock (an exclusive `flock` on `DIR/witness.lock`,
/// held until the witness is done), so that two witness processes never
/// decide from the same last checkpoint and both cosign: one of two
/// different trees of one size would otherwise get through.
fn lock_state(dir: &Path) -> Result<std::fs::File, Error> {
    let path = dir.join(LOCK);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| Error::Store {
            path: path.clone(),
            msg: format!("cannot open the witness state's lock: {e}"),
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Io(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            format!(
                "the witness state {} is in use by another witness process; try again when it is done",
                dir.display()
            ),
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::Store {
            path,
            msg: format!("cannot lock the witness state: {e}"),
        }),
    }
}

pub(super) fn run(a: Args) -> Result<(), Error> {
    let key = super::trust::signer(&a.key)?;
    let log = super::trust::verifier(&a.log_key)?;
    let trust = super::trust::TrustArgs::with_key(&a.log_key);
    let (cp, mut note) = super::trust::checkpoint(&a.checkpoint, &trust)?;
    std::fs::create_dir_all(&a.state).map_err(|e| {
        Error::Invalid(format!(
            "{}: cannot use the state folder: {e}",
            a.state.display()
        ))
    })?;
    let _lock = lock_state(&a.state)?;
    let file = state_file(&a.state, &cp.origin);
    let last = match std::fs::read_to_string(&file) {
        Ok(t) => Some(
            Note::parse(&t)
                .and_then(|n| Checkpoint::parse(&n.text))
                .map_err(|e| Error::Store {
                    path: file.clone(),
                    msg: format!("the witness state is damaged: {e}"),
                })?,
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Error::Io(e)),
    };
    let proof = match (&last, &a.proof, &a.from) {
        (Some(l), _, _) if l.size >= cp.size => None,
        (Some(_), Some(p), _) => Some(read_proof(p)?),
        (Some(l), None, Some(url)) => Some(fetch_proof(url, l.size, cp.size)?),
        _ => None,
    };
    let verdict = decide(last.as_ref(), &cp, proof.as_ref())
        .map_err(|e| Error::Failed(format!("{}: {e}", cp.origin)))?;
    let time = (crate::answers::now()?.as_micros() / 1_000_000).max(0) as u64;
    note.cosign(&key, time).map_err(Error::Invalid)?;
    let text = note.to_text();
    if replaces_state(last.as_ref(), &cp) {
        super::output::replace(&file, &text)?;
    }
    eprintln!(
        "{}",
        match verdict {
            Cosign::FirstSeen => format!(
                "cosigned {} at size {}: the first checkpoint of this origin, trusted on first use (by {})",
                cp.origin, cp.size, log.name
            ),
            Cosign::Same => format!("cosigned {} at size {} again: the same tree", cp.origin, cp.size),
            Cosign::Extends(old) => format!(
                "cosigned {} at size {}: a proven extension of size {old}",
                cp.origin, cp.size
            ),
        }
    );
    crate::answers::print(&text)
}

fn read_proof(path: &Path) -> Result<ConsistencyProof, Error> {
    let text = super::read_file(path, "consistency proof")?;
    ConsistencyProof::parse(&text).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))
}

/// Asks a `scoreledger serve` for a consistency proof.
fn fetch_proof(url: &str, old: u64, new: u64) -> Result<ConsistencyProof, Error> {
    let text = super::fetch(url, &format!("/api/consistency?from={old}&to={new}"))?;
    ConsistencyProof::parse(&text).map_err(|e| Error::Invalid(format!("{url}: {e}")))
}
