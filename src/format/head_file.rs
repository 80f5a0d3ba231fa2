//! The one line of `scoreledger.head`, the head the last commit reported
//! (`src/reported_head.rs` keeps the file): `scoreledger-head v1 SEQ HASH`,
//! SEQ in 20 digits (zero-padded, so every line has the same length and an
//! overwrite in place is one write within a sector), HASH in lower-case hex.
//! Frozen: a store's file must read back under every later version.

use crate::format::chain::{Hash, Head};

pub(crate) const TAG: &str = "scoreledger-head v1";

/// A head as a commit reported it: its seq and the hash of its event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportedHead {
    /// The seq of the last event the commit wrote.
    pub seq: u64,
    /// That event's hash.
    pub hash: Hash,
}

impl ReportedHead {
    /// The seq and hash of a head.
    pub fn of(head: &Head) -> ReportedHead {
        ReportedHead {
            seq: head.seq,
            hash: head.hash,
        }
    }

    /// The file's one line.
    pub fn render(&self) -> String {
        format!("{TAG} {:020} {}\n", self.seq, self.hash)
    }

    /// Reads the file's text; `None` when it is not one well-formed line.
    pub fn parse(text: &str) -> Option<ReportedHead> {
        let rest = text.strip_suffix('\n')?.strip_prefix(TAG)?;
        let mut words = rest.split(' ').skip(1);
        let seq = words.next()?.parse().ok()?;
        let hash = Hash::from_hex(words.next()?).ok()?;
        words.next().is_none().then_some(ReportedHead { seq, hash })
    }
}
