//! A read view: the archive as it stood after one event (transaction
//! time). Questions asked of a view see only the events up to its seq, so
//! the point in time is chosen once, where the view is made, and no
//! question takes it as a parameter.
//!
//! ```
//! # fn main() -> Result<(), scoreledger::Error> {
//! # let dir = tempfile::tempdir()?;
//! # let archive = scoreledger::Archive::open(dir.path())?;
//! use scoreledger::projection::view::KnownAt;
//! let now = archive.at(None)?; // the head
//! let then = archive.at(Some(KnownAt::Seq(0)))?; // before any event
//! assert_eq!(then.known_at(), 0);
//! assert!(now.known_at() >= then.known_at());
//! # Ok(()) }
//! ```

use crate::derived::ledger::Ledger;
use crate::error::{Error, Result};
use crate::model::date::Timestamp;

/// The archive as known at one seq. Cheap to make and to copy.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub(crate) ledger: &'a Ledger,
    pub(crate) known_at: u64,
}

impl<'a> View<'a> {
    /// The seq this view stands at: it sees events `1..=known_at`.
    pub fn known_at(&self) -> u64 {
        self.known_at
    }

    /// The archive the view reads.
    pub fn ledger(&self) -> &'a Ledger {
        self.ledger
    }
}

impl Ledger {
    /// The archive as known at `known_at` (a seq, or the last event
    /// recorded at or before an instant), or at its head when `None`. A
    /// seq past the head is an error ([`crate::Error::BeyondHead`]).
    pub fn at(&self, known_at: Option<KnownAt>) -> Result<View<'_>> {
        Ok(View {
            ledger: self,
            known_at: self.resolve_known_at(known_at)?,
        })
    }

    /// The seq a `--known-at` names, checked against the head.
    fn resolve_known_at(&self, k: Option<KnownAt>) -> Result<u64> {
        let head = self.head()?;
        match k {
            None => Ok(head.seq),
            Some(KnownAt::Seq(n)) if n > head.seq => Err(Error::BeyondHead {
                asked: n,
                head: head.seq,
            }),
            Some(KnownAt::Seq(n)) => Ok(n),
            Some(KnownAt::Time(t)) => {
                // recorded_at never decreases along the chain: binary search.
                let (mut lo, mut hi) = (0u64, head.seq);
                while lo < hi {
                    let mid = lo + (hi - lo).div_ceil(2);
                    let env = self.event(mid)?.ok_or_else(|| crate::log::missing(mid))?;
                    if env.recorded_at <= t {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                Ok(lo)
            }
        }
    }
}

/// "As the archive stood after event N" or "... at this instant".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KnownAt {
    /// As the archive stood after event N (0: before the first).
    Seq(u64),
    /// As the archive stood at this instant: after the last event recorded at
    /// or before it.
    Time(Timestamp),
}

impl std::str::FromStr for KnownAt {
    type Err = String;
    /// A seq number, or an RFC 3339 timestamp.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(n) = s.parse::<u64>() {
            return Ok(KnownAt::Seq(n));
        }
        Timestamp::parse_rfc3339(s)
            .map(KnownAt::Time)
            .map_err(|_| format!("'{s}' is neither a seq number nor an RFC 3339 timestamp"))
    }
}
