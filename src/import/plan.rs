//! One import path for every front end: [`Plan::new`] reads and checks a
//! file's text without an archive; [`Plan::apply`] appends it to a
//! [`Target`], batch by batch. Adding a format touches its parser, the
//! [`Format`] table and detection, and the match in [`Plan::new`].

use std::path::{Path, PathBuf};

use super::tabular::EngInput;
use super::target::Target;
use super::{
    append_in_batches, deductions, detect, jsonl, parse, season_page, shootouts, Appending, Format,
    ImportReport,
};
use super::{tabular, Checks, Invalid, Stream};
use crate::archive::Archive;
use crate::derived::envelope::Envelope;
use crate::error::{Error, Result};
use crate::model::date::Timestamp;

/// How to read a file: its format (else detected), the options of season
/// pages, the events per committed batch, and what a row that fails its
/// checks does (refuses the file, or is left out and listed).
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The file's format; `None`: detect it from the text.
    pub format: Option<Format>,
    /// The options of season pages (points for a win, competition, season).
    pub page: season_page::Options,
    /// Events per committed batch (at least 1); a season page is always one batch.
    pub batch: usize,
    /// What a row that fails its checks does: refuses the file, or is left out and listed.
    pub invalid: Invalid,
}

enum Body<'a> {
    Events(Stream<'a>),
    /// The archive's own export, checked against the archive when applied.
    Jsonl(Vec<(usize, Envelope)>),
    /// Deductions, read against the archive's results when applied.
    Deductions,
    /// Shoot-outs, joined to the archive's results when applied.
    Shootouts,
}

/// A file read and checked whole, ready to append.
pub struct Plan<'a> {
    /// The file's format, as given or detected.
    pub format: Format,
    text: &'a str,
    file: Option<PathBuf>,
    batch: usize,
    invalid: Invalid,
    body: Body<'a>,
}

/// Names the file in a parse error that does not name one yet.
fn with_file(file: Option<&Path>, e: Error) -> Error {
    match (e, file) {
        (
            Error::Parse {
                file: None,
                line,
                msg,
            },
            Some(f),
        ) => Error::Parse {
            file: Some(f.into()),
            line,
            msg,
        },
        (
            Error::UnknownFormat {
                file: None,
                choices,
            },
            Some(f),
        ) => Error::UnknownFormat {
            file: Some(f.into()),
            choices,
        },
        (other, _) => other,
    }
}

impl<'a> Plan<'a> {
    /// Detects (or takes) the format, parses and checks the whole text.
    /// Nothing is written; a bad line is an error with its number.
    pub fn new(text: &'a str, file: Option<&Path>, req: Request) -> Result<Plan<'a>> {
        let named = |e| with_file(file, e);
        let format = match req.format {
            Some(f) => f,
            None => detect(text).map_err(named)?,
        };
        let page = &req.page;
        let page_options =
            page.points_for_win.is_some() || page.competition.is_some() || page.season.is_some();
        if format != Format::SeasonPage && page_options {
            return Err(Error::SeasonPageOptions {
                file: file.map(Into::into),
                format: format.name(),
            });
        }
        let invalid = req.invalid;
        let body = match format {
            Format::Jsonl if invalid == Invalid::Skip => {
                return Err(Error::Invalid(format!(
                    "{}: an export is imported whole, so that the archive's chain is the export's; none of its events can be skipped",
                    file.map_or("the file".into(), |f| f.display().to_string())
                )))
            }
            Format::Jsonl => Body::Jsonl(jsonl::parse(text, file)?),
            Format::Deductions => {
                tabular::deductions(text, &mut Checks::new(invalid)).map_err(named)?;
                Body::Deductions
            }
            Format::Shootouts => {
                tabular::shootouts(text, &mut Checks::new(invalid)).map_err(named)?;
                Body::Shootouts
            }
            Format::Engsoccerdata => {
                Body::Events(tabular::engsoccerdata_stream(EngInput::Text(text), invalid).map_err(named)?)
            }
            Format::SeasonPage => Body::Events(
                parse(format, text, &req.page, invalid)
                    .map_err(named)?
                    .into(),
            ),
            other => Body::Events(
                parse(other, text, &Default::default(), invalid)
                    .and_then(|p| p.checked(invalid))
                    .map_err(named)?,
            ),
        };
        let batch = match format {
            Format::SeasonPage => usize::MAX,
            _ => req.batch.max(1),
        };
        Ok(Plan {
            format,
            text,
            file: file.map(Into::into),
            batch,
            invalid,
            body,
        })
    }

    /// A file read and checked whole, as [`Plan::new`] reads a text: an
    /// English league file (engsoccerdata, as given or detected from its
    /// first lines) is read from the file itself, twice, and never held in
    /// memory (the 10-million-result file is 517 MB); any other format is
    /// read into `text` first, and so is anything but a plain file.
    pub fn of_file(path: &Path, req: Request, text: &'a mut Option<String>) -> Result<Plan<'a>> {
        // A pipe can be read once only: only a plain file is read twice.
        let plain = std::fs::metadata(path).is_ok_and(|m| m.is_file());
        let format = match req.format {
            _ if !plain => None,
            Some(f) => Some(f),
            None => super::detect(&super::read_head(path)?).ok(),
        };
        let page_options = req.page.points_for_win.is_some()
            || req.page.competition.is_some()
            || req.page.season.is_some();
        if format != Some(Format::Engsoccerdata) || page_options {
            let text: &'a str = text.insert(super::read_text(path)?);
            return Plan::new(text, Some(path), req);
        }
        let input = EngInput::file(path)?;
        let stream = tabular::engsoccerdata_stream(input, req.invalid)
            .map_err(|e| with_file(Some(path), e))?;
        Ok(Plan {
            format: Format::Engsoccerdata,
            text: "",
            file: Some(path.into()),
            batch: req.batch.max(1),
            invalid: req.invalid,
            body: Body::Events(stream),
        })
    }

    /// Checks an export against an archive without writing (what `apply`
    /// checks first): for the CLI, against an empty one before it makes a
    /// store. Other formats need no such check.
    pub fn check_export(&self, archive: &Archive) -> Result<()> {
        match &self.body {
            Body::Jsonl(lines) => jsonl::check(archive, lines, self.file.as_deref()),
            _ => Ok(()),
        }
    }

    /// How many events the file gives, when known before applying.
    pub fn total(&self) -> Option<usize> {
        match &self.body {
            Body::Events(s) => Some(s.total),
            Body::Jsonl(lines) => Some(lines.len()),
            _ => None,
        }
    }

    /// Appends the plan, each batch committed on its own. `progress(done,
    /// total)` runs after each batch; false stops the import there.
    pub fn apply(
        self,
        mut target: impl Target,
        recorded_at: Timestamp,
        progress: &mut dyn FnMut(usize, usize) -> bool,
    ) -> Result<ImportReport> {
        let how = Appending {
            file: self.file.as_deref(),
            recorded_at,
            batch: self.batch,
            invalid: self.invalid,
        };
        match self.body {
            Body::Events(stream) => append_in_batches(target, stream, &how, progress),
            Body::Jsonl(lines) => {
                jsonl::import_lines(target, lines, how.file, self.batch, progress)
            }
            Body::Deductions => {
                let parsed = deductions(&target.archive(), self.text, self.invalid)
                    .map_err(|e| with_file(how.file, e))?;
                append_in_batches(target, parsed, &how, progress)
            }
            Body::Shootouts => {
                let parsed = shootouts(&target.archive(), self.text, self.invalid)
                    .map_err(|e| with_file(how.file, e))?;
                append_in_batches(target, parsed, &how, progress)
            }
        }
    }
}
