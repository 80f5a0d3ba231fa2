//! Rows that fail their checks: by default one refuses the whole file;
//! asked to, an import leaves such rows out, lists each with why, and
//! appends the rest. The library never prints: what was left out is
//! returned ([`Skipped`]), and the front ends say it.

use crate::error::{Error, Result};

/// What an import does with a row that fails its checks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Invalid {
    /// The whole file is refused, naming the row's line; nothing is written.
    #[default]
    Refuse,
    /// The row is left out and listed ([`Skipped`]); the rest is appended.
    Skip,
}

/// A row left out of an import: its line and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The row's line in the file (1-based).
    pub line: usize,
    /// Why it was left out: the check's message.
    pub why: String,
}

/// The rows of one file that failed their checks so far, refused or
/// listed as asked.
#[derive(Debug, Default)]
pub struct Checks {
    invalid: Invalid,
    /// The rows left out so far (skipping only).
    pub skipped: Vec<Skipped>,
}

impl Checks {
    /// Checks that refuse or skip as `invalid` says, none failed yet.
    pub fn new(invalid: Invalid) -> Checks {
        Checks {
            invalid,
            skipped: Vec::new(),
        }
    }

    /// What a row gave: its value when it passed its checks. When it
    /// failed, the error (refusing), or `None` with the row listed
    /// (skipping). Only a row's own failure, a parse error at its line, is
    /// ever skipped.
    pub fn row<T>(&mut self, r: Result<T>) -> Result<Option<T>> {
        match (r, self.invalid) {
            (Ok(v), _) => Ok(Some(v)),
            (Err(Error::Parse { line, msg, .. }), Invalid::Skip) => {
                self.skipped.push(Skipped { line, why: msg });
                Ok(None)
            }
            (Err(e), _) => Err(e),
        }
    }

    /// True when failed rows are left out and listed rather than refused.
    pub fn skipping(&self) -> bool {
        self.invalid == Invalid::Skip
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad(line: usize) -> Result<u8> {
        Err(Error::Parse {
            file: None,
            line,
            msg: "bad".into(),
        })
    }

    #[test]
    fn a_failed_row_is_refused_or_listed_as_asked() {
        let mut refuse = Checks::new(Invalid::Refuse);
        assert_eq!(refuse.row(Ok(1)).unwrap(), Some(1));
        assert!(matches!(
            refuse.row(bad(3)),
            Err(Error::Parse { line: 3, .. })
        ));
        let mut skip = Checks::new(Invalid::Skip);
        assert_eq!(skip.row(bad(3)).unwrap(), None);
        assert_eq!(
            skip.skipped,
            vec![Skipped {
                line: 3,
                why: "bad".into()
            }]
        );
        // Not a row's own failure: never skipped.
        assert!(skip.row::<u8>(Err(Error::Invalid("disk".into()))).is_err());
    }
}
