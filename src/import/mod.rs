//! Importers: each turns a file's text into events and never writes.

pub mod wiki;

use std::path::Path;

use crate::archive::{AppendReport, Archive};
use crate::date::Timestamp;
use crate::error::{Error, Result};
use crate::event::Event;

/// Events read from a file, each with the line it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub events: Vec<Event>,
    /// `lines[i]` is the 1-based line of `events[i]`.
    pub lines: Vec<usize>,
}

impl Parsed {
    pub fn push(&mut self, line: usize, event: Event) {
        self.events.push(event);
        self.lines.push(line);
    }
}

/// What an import did, with lines instead of batch positions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub report: AppendReport,
    /// Lines of events the archive already held.
    pub already_present_lines: Vec<usize>,
}

/// Appends parsed events as one all-or-nothing batch. A refused event is
/// reported with its file and line.
pub fn append_parsed(
    archive: &mut Archive,
    parsed: Parsed,
    file: Option<&Path>,
    recorded_at: Timestamp,
) -> Result<ImportReport> {
    let lines = parsed.lines;
    match archive.append(parsed.events, recorded_at) {
        Ok(report) => {
            let already_present_lines = report.already_present.iter().map(|&i| lines[i]).collect();
            Ok(ImportReport {
                report,
                already_present_lines,
            })
        }
        Err(Error::Rejected { index, source }) => Err(Error::Parse {
            file: file.map(Into::into),
            line: lines.get(index).copied().unwrap_or(0),
            msg: source.to_string(),
        }),
        Err(e) => Err(e),
    }
}

/// Reads a text file as UTF-8 (a BOM is dropped), naming the file on failure.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Invalid(format!("{}: cannot read: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let upto = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = upto.iter().filter(|&&b| b == b'\n').count() + 1;
        Error::Parse {
            file: Some(path.into()),
            line,
            msg: "not valid UTF-8 text".into(),
        }
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}
