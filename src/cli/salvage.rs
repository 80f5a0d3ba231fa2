//! `scoreledger salvage`

use std::path::PathBuf;

use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger salvage --output rescued.db
  scoreledger --db rescued.db restore --from-file archive.jsonl

For a store that sled cannot open ('sled cannot read its files'). The damaged
store is only read: its files are copied beside --output, and when sled
cannot open the copy, its snapshots (snap.*, which sled rebuilds by reading
its whole log) are left out and it is opened again. Every event that can
still be read is re-hashed and chained from seq 1, up to the first that
cannot; those are appended, with their own hashes, into a fresh store at
--output. When the damaged store's last commit reported more events, the
new store names the missing seqs until `restore` brings them back from an
export or a mirror, or `restore --accept-loss` keeps what was saved. The new
store is made beside --output and put in place once complete: a salvage that
is stopped leaves no store there, and can simply be run again. Exit 0
when everything reported was saved, 1 when some events are missing.";

/// Copy every event that can still be read from a damaged store into a new one.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// Where to write the new store (a folder that does not exist yet, or an empty one).
    #[arg(long, value_name = "PATH")]
    output: PathBuf,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let s = scoreledger::salvage::salvage(db, &a.output)?;
    let mut out = format!(
        "salvaged {} into {}; head {} {}\n",
        super::seqs(1, s.head.seq),
        a.output.display(),
        s.head.seq,
        s.head.hash
    );
    if s.without_snapshots {
        out.push_str("sled could open the store's files only without their snapshots (snap.*), which it rebuilt from its log\n");
    }
    if let Some((seq, why)) = &s.stopped {
        out.push_str(&format!("reading stopped at seq {seq}: {why}\n"));
    }
    crate::answers::print(&out)?;
    let new = super::quoted(&a.output.display().to_string());
    match s.reported.filter(|r| r.seq > s.head.seq) {
        None => Ok(()),
        Some(r) => Err(Error::Failed(format!(
            "{} reported as written could not be saved; bring them back with scoreledger --db {} restore --from-file EXPORT.jsonl (or --from URL --key VKEY), or keep what was saved with scoreledger --db {} restore --accept-loss",
            super::seqs(s.head.seq + 1, r.seq),
            new,
            new
        ))),
    }
}
