//! One error type for the library. The CLI turns [`Error::kind`] into exit codes.

use std::path::PathBuf;

/// What sort of failure, for callers that map errors to exit codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input (a file, an argument, a name) is wrong; nothing was written.
    Input,
    /// The archive failed verification: it was changed outside scoreledger.
    Integrity,
    /// The store could not be opened, read or written.
    Storage,
    /// Part of a batched import was written before it failed.
    Partial,
    /// Stopped when asked.
    Interrupted,
}

/// Every failure of the library; [`Error::kind`] sorts them for exit codes.
/// Messages name no command-line options: front ends add their own advice.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A bad argument or value (a score, a date, a name, an option); the
    /// message says which. Nothing was written: correct it and ask again.
    #[error("{0}")]
    Invalid(String),
    /// A bad line in an input file: correct the line, or import with the
    /// failing rows skipped and listed.
    #[error("{}: {msg}", match file { Some(f) => format!("{}:{line}", f.display()), None => format!("line {line}") })]
    Parse {
        /// The file read, where the reader knows its path.
        file: Option<PathBuf>,
        /// The line, from 1.
        line: usize,
        /// What is wrong with it.
        msg: String,
    },
    /// The fact contradicts one already recorded (another score for a
    /// recorded match, another winner of its shoot-out); nothing was
    /// written. A recorded result is never overwritten: correct it instead.
    #[error("{0}")]
    Conflict(String),
    /// A name, id or seq that is not in the archive (for a name, the
    /// message lists the nearest ones it knows).
    #[error("{0}")]
    NotFound(String),
    /// Event number `index` of a batch was refused; nothing of the batch was written.
    #[error("{source}")]
    Rejected {
        /// The refused event's place in the batch, from 0.
        index: usize,
        /// Why it was refused.
        source: Box<Error>,
    },
    /// A batched import failed after some of its batches were committed.
    #[error("{source}\n{committed} events of this import were committed before that (up to seq {head}); they are kept, and running the same import again skips them and continues")]
    Partial {
        /// Events committed by this import before the failure; they stay.
        committed: usize,
        /// The archive's head seq after the last committed batch.
        head: u64,
        /// The failure that stopped the import.
        source: Box<Error>,
    },
    /// An import stopped when asked (Ctrl-C), at a batch boundary.
    #[error("interrupted: {committed} events committed ({done} of {total} read); run the same import again to finish")]
    Interrupted {
        /// Events committed before the stop; they stay.
        committed: usize,
        /// Events of the file handled so far.
        done: usize,
        /// Events the file holds (0 where not known before reading).
        total: usize,
    },
    /// Verification failed at this event: the log was changed outside
    /// scoreledger or damaged. Restore it from an export or a mirror.
    #[error("seq {seq}: {msg}")]
    Corrupt {
        /// The first event that fails.
        seq: u64,
        /// What fails (the event is missing, its bytes, its hash or its link).
        msg: String,
    },
    /// A check failed: a proof, receipt, checkpoint or witness that does not
    /// hold, or problems `audit` found; the message says which.
    #[error("{0}")]
    Failed(String),
    /// A derived entry differs from what the events say it should be
    /// (found by `verify`); `rebuild` recomputes derived entries from the
    /// events.
    #[error("tree {tree}, key {key}: {msg}")]
    Mismatch {
        /// The derived tree holding the entry.
        tree: &'static str,
        /// The entry's key, as hex (empty for the Merkle tree as a whole).
        key: String,
        /// How it differs.
        msg: String,
    },
    /// Another process holds the store; wait for it to finish.
    #[error("store {} is in use by another scoreledger process (wait for it)", path.display())]
    Busy {
        /// The store's folder.
        path: PathBuf,
    },
    /// A folder that holds no store, asked to be read: check the path, or
    /// import a file or record a result to make one.
    #[error("no scoreledger store at {} (import a file or record a result to make one)", path.display())]
    NoStore {
        /// The folder asked for.
        path: PathBuf,
    },
    /// A derived entry that cannot be read, by kind and key (`rebuild`
    /// recomputes derived entries from the events).
    #[error(
        "damaged {kind} entry at key {key}: {msg} (rebuilding the derived entries repairs it)"
    )]
    Damaged {
        /// The kind of derived entry (e.g. `stage_rows`).
        kind: &'static str,
        /// Its key, as hex.
        key: String,
        /// What cannot be read.
        msg: String,
    },
    /// A clock set by hand before the time of the archive's head; nothing
    /// was written. Set it to the head's time or later.
    #[error("the clock {given} is before the archive's head (seq {seq} recorded at {head}); events are stamped in order")]
    ClockBehind {
        /// The time given for the new events.
        given: crate::model::date::Timestamp,
        /// The head's seq.
        seq: u64,
        /// When the head was recorded.
        head: crate::model::date::Timestamp,
    },
    /// A point in the archive's history past its head: ask for a seq at or
    /// below the head.
    #[error("known-at {asked} is beyond the head of the archive (seq {head})")]
    BeyondHead {
        /// The seq asked for.
        asked: u64,
        /// The archive's head seq.
        head: u64,
    },
    /// A table by round of a stage whose results have no round numbers: ask
    /// for the table as of a date instead.
    #[error("{competition} {season} {stage} has no round numbers; ask for a date instead")]
    NoRounds {
        /// The stage's competition.
        competition: String,
        /// The stage's season.
        season: String,
        /// The stage with no round numbers.
        stage: String,
    },
    /// A filter that selects several stages where one is needed: name the
    /// competition, season and stage.
    #[error("{} stages match; name the competition, season and stage", stages.len())]
    AmbiguousStage {
        /// Every stage the filter selects, as (competition, season, stage).
        stages: Vec<[String; 3]>,
    },
    /// Options of season pages (points for a win, competition, season)
    /// given for a file of another format.
    #[error("points for a win, competition and season apply to season pages; {} is {format}", file.as_ref().map_or("the file".into(), |f| f.display().to_string()))]
    SeasonPageOptions {
        /// The file, where its path is known.
        file: Option<PathBuf>,
        /// The format the file is in.
        format: &'static str,
    },
    /// A file whose format cannot be told from its first lines: give the
    /// format.
    #[error("{}: cannot tell the format of this file; give it (one of: {choices})", match file { Some(f) => format!("{}:1", f.display()), None => "line 1".into() })]
    UnknownFormat {
        /// The file, where its path is known.
        file: Option<PathBuf>,
        /// The formats to choose from, comma-separated.
        choices: String,
    },
    /// The device holding the store is full: free some space and run the
    /// command again (what was reported as appended is kept).
    #[error("no space left on the device holding {}: free some space and run the command again (what was reported as appended is kept)", path.display())]
    Full {
        /// The store's folder.
        path: PathBuf,
    },
    /// The log ends before (or differs from) the head that a commit
    /// reported: events reported as written are missing.
    #[error("{}", loss.describe(path))]
    Lost {
        /// The store's folder.
        path: PathBuf,
        /// Boxed: an error is returned everywhere, and this is its largest part.
        loss: Box<Loss>,
    },
    /// sled cannot open its own files: they are damaged. Salvage what can
    /// be read into a new store, then restore the rest from an export or a
    /// mirror.
    #[error("store {}: sled cannot read its files ({detail}): the store is damaged, and sled's recovery may already have discarded the damaged part of its log", path.display())]
    Unreadable {
        /// The store's folder.
        path: PathBuf,
        /// sled's own message.
        detail: String,
    },
    /// The store is damaged or unreadable in a way that is not one event's fault.
    #[error("store {}: {msg}", path.display())]
    Store {
        /// The store's folder.
        path: PathBuf,
        /// What went wrong.
        msg: String,
    },
    /// Reading or writing a file (an input, an output, a key) failed; the
    /// message is the system's.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    /// The sort of failure: wrong input, a failed check, the store, a
    /// partial or an interrupted import.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_)
            | Error::Parse { .. }
            | Error::Conflict(_)
            | Error::NotFound(_)
            | Error::NoStore { .. }
            | Error::BeyondHead { .. }
            | Error::ClockBehind { .. }
            | Error::NoRounds { .. }
            | Error::AmbiguousStage { .. }
            | Error::UnknownFormat { .. }
            | Error::SeasonPageOptions { .. } => ErrorKind::Input,
            Error::Rejected { source, .. } => source.kind(),
            Error::Partial { .. } => ErrorKind::Partial,
            Error::Interrupted { .. } => ErrorKind::Interrupted,
            Error::Corrupt { .. }
            | Error::Mismatch { .. }
            | Error::Failed(_)
            | Error::Lost { .. }
            | Error::Unreadable { .. } => ErrorKind::Integrity,
            Error::Store { .. }
            | Error::Busy { .. }
            | Error::Full { .. }
            | Error::Damaged { .. }
            | Error::Io(_) => ErrorKind::Storage,
        }
    }
}

/// A result whose error is the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn library_messages_name_no_command_line_options() {
        let p = || PathBuf::from("/x/archive.db");
        let s = || "Copa Perú".to_string();
        for e in [
            Error::Busy { path: p() },
            Error::NoStore { path: p() },
            Error::Damaged {
                kind: "stage_rows",
                key: "00ff".into(),
                msg: "short".into(),
            },
            Error::BeyondHead { asked: 9, head: 3 },
            Error::NoRounds {
                competition: s(),
                season: s(),
                stage: s(),
            },
            Error::AmbiguousStage {
                stages: vec![[s(), s(), s()], [s(), s(), s()]],
            },
            Error::UnknownFormat {
                file: Some(p()),
                choices: "page, jsonl".into(),
            },
        ] {
            let text = e.to_string();
            assert!(!text.contains("--"), "{text}");
            assert!(!text.contains("store :"), "{text}");
        }
    }
}

/// Events that commits reported as written and the log no longer holds:
/// the log's head (`found`) falls short of, or differs from, the head the
/// last commit reported (`reported`; `None` when its file is damaged).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
    /// The head the last commit reported; `None` when its record is damaged.
    pub reported: Option<crate::format::head_file::ReportedHead>,
    /// The head the log holds.
    pub found: crate::format::head_file::ReportedHead,
    /// Why the reported head cannot be read, when it cannot.
    pub damaged: Option<String>,
}

impl Loss {
    /// The seqs reported as written that the log lacks (none when the log
    /// is long enough but holds another event at the reported seq).
    pub fn missing(&self) -> std::ops::RangeInclusive<u64> {
        let end = self.reported.map_or(0, |r| r.seq);
        (self.found.seq + 1)..=end
    }

    /// What happened, in words, with no command-line options.
    pub fn describe(&self, path: &std::path::Path) -> String {
        let store = path.display();
        let Some(r) = self.reported else {
            return format!(
                "store {store}: the record of the last head reported as written is damaged ({}); the log ends at seq {} {}. Writes are refused until this is settled",
                self.damaged.as_deref().unwrap_or("unreadable"),
                self.found.seq,
                self.found.hash
            );
        };
        let missing = self.missing();
        if missing.is_empty() {
            return format!(
                "store {store}: its last commit reported seq {} as {}, but the log holds another event there; the store was changed outside scoreledger. Writes are refused until this is settled",
                r.seq, r.hash
            );
        }
        let n = missing.end() - missing.start() + 1;
        format!(
            "store {store} came back shorter than its last commit reported: the log ends at seq {}, but seq {} ({}) was reported as written; missing: {} ({n} event{}). Writes are refused until this is settled",
            self.found.seq,
            r.seq,
            r.hash,
            if n == 1 {
                format!("seq {}", missing.start())
            } else {
                format!("seqs {} to {}", missing.start(), missing.end())
            },
            if n == 1 { "" } else { "s" }
        )
    }
}
