//! The answers both front ends give: the events a write request becomes,
//! and the JSON, text and pictures a question's result becomes. The CLI
//! (`cli/`) and the server (`serve/`) call these; this module names
//! neither, so one front end never reaches into the other.

pub(crate) mod adjust;
pub(crate) mod annul;
pub(crate) mod award;
pub(crate) mod correct;
pub(crate) mod json;
pub(crate) mod pictures;
pub(crate) mod proofs;
pub(crate) mod record;
pub(crate) mod scope;

use std::io::Write;

use scoreledger::{Error, Timestamp};

/// The time recorded for new events: the clock, or `$SCORELEDGER_NOW`
/// (RFC 3339) for reproducible archives.
/// A `$SCORELEDGER_NOW` more than a day ahead of the system clock is
/// refused: every later event would be stamped with it.
pub(crate) fn now() -> Result<Timestamp, Error> {
    let system = Timestamp::from_datetime(time::OffsetDateTime::now_utc());
    let Some(given) = given_now()? else {
        return Ok(system);
    };
    const DAY_MICROS: i64 = 86_400_000_000;
    if given.as_micros() > system.as_micros().saturating_add(DAY_MICROS) {
        return Err(Error::Invalid(format!(
            "SCORELEDGER_NOW {given} is more than a day ahead of the system clock ({system}); every later event would be stamped with it: set it to a time that has come"
        )));
    }
    Ok(given)
}

/// `$SCORELEDGER_NOW`, when set.
pub(crate) fn given_now() -> Result<Option<Timestamp>, Error> {
    match std::env::var("SCORELEDGER_NOW") {
        Ok(s) if !s.is_empty() => Timestamp::parse_rfc3339(&s)
            .map(Some)
            .map_err(|e| Error::Invalid(format!("SCORELEDGER_NOW: {e}"))),
        _ => Ok(None),
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn print(s: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(Error::Io),
    }
}
