//! `scoreledger verify`

use std::path::PathBuf;

use scoreledger::Error;

const EXAMPLES: &str = "\
Examples:
  scoreledger verify && echo archive intact
  scoreledger checkpoint > published.txt          publish this, e.g. weekly
  scoreledger verify --checkpoint published.txt   later: did it only grow?
  scoreledger verify --chain-only                 faster: the hash chain alone
  scoreledger verify --checkpoint cosigned.txt --key log.vkey --witness w.vkey

--key, --witness and --quorum check the checkpoint's signature (C2SP signed
note) and its witnesses' cosignatures before anything else: an unsigned,
wrongly signed or foreign checkpoint exits 1.

Re-hashes every event from the first, checks that each one's prev is the hash
before it and that the head record names the last one; meanwhile recomputes
every derived entry (the stage index's lists too) and Merkle node from the
events and compares them with what is stored. With --checkpoint, also
checks that the archive is an append-only extension of that checkpoint (a
consistency proof), and if not, names where it first departs from it; and
that its index line, if it has one, is the stage index recomputed from its
events (schema/index.md). Exit 0 prints 'ok: N events, head HASH'; a
failure exits 1 naming the first bad seq, or the kind and key.";

/// Check the hash chain, every derived entry, and optionally a checkpoint.
#[derive(clap::Args)]
#[command(after_help = EXAMPLES)]
pub(super) struct Args {
    #[command(flatten)]
    pub store: super::StoreArgs,
    /// A checkpoint (from `scoreledger checkpoint`) the archive must extend.
    #[arg(long, value_name = "FILE")]
    checkpoint: Option<PathBuf>,
    #[command(flatten)]
    trust: super::trust::TrustArgs,
    /// Check the hash chain only, not the derived trees.
    #[arg(long)]
    chain_only: bool,
}

pub(super) fn run(db: &super::Db, a: Args) -> Result<(), Error> {
    let checkpoint = a
        .checkpoint
        .as_deref()
        .map(|p| super::trust::checkpoint(p, &a.trust).map(|(cp, _)| cp))
        .transpose()?;
    let archive = db.open_existing()?;
    let report = if a.chain_only {
        archive.verify()?
    } else {
        let bar = super::progress::bar("verifying");
        let report = archive.verify_all_with(&mut super::progress::follow(&bar));
        bar.finish_and_clear();
        report?
    };
    let mut out = format!(
        "ok: {} event{}, head {}\n",
        report.events,
        if report.events == 1 { "" } else { "s" },
        report.head
    );
    if let Some(cp) = checkpoint {
        archive.verify_checkpoint(&cp)?;
        out.push_str(&format!(
            "ok: an append-only extension of checkpoint '{}' (size {})\n",
            cp.origin, cp.size
        ));
        if cp.index.is_some() {
            out.push_str("ok: its index line is the stage index recomputed from those events\n");
        }
    }
    crate::answers::print(&out)
}
