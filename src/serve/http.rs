//! What every endpoint shares: JSON errors with a hint, and the limits.

use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use scoreledger::{Error, ErrorKind};

/// Concurrent connections; past it the connection idle the longest is
/// closed, and when all are answering a request the new one gets 503.
pub(super) const MAX_CONNECTIONS: usize = 256;
/// Time a connection has to send a whole request head, from when it opens
/// and from each answer (it is closed past it: also the idle timeout).
pub(super) const HEADER_TIME: Duration = Duration::from_secs(10);
/// Time a small write's body has to arrive (408 past it).
pub(super) const BODY_TIME: Duration = Duration::from_secs(10);
/// Time an import's body has to arrive (408 past it).
pub(super) const IMPORT_BODY_TIME: Duration = Duration::from_secs(300);
/// How long a write waits for the one before it, by default (503, not
/// applied, past it).
pub(super) const WRITE_WAIT: Duration = Duration::from_secs(10);
/// Bytes of a query string (414 past it).
pub(super) const MAX_QUERY: usize = 2048;
/// Bytes of a write request's JSON body (413 past it).
pub(super) const MAX_BODY: usize = 64 * 1024;
/// Bytes of a refused write body that are still read (and thrown away)
/// before the 413 is sent, so that the client, still sending, reads the
/// answer instead of a reset connection.
pub(super) const DRAIN: usize = 1024 * 1024;
/// Bytes of an import's body (413 past it).
pub(super) const MAX_IMPORT: usize = 256 * 1024 * 1024;
/// Time to answer one read (503 past it).
pub(super) const REQUEST_TIME: Duration = Duration::from_secs(10);
/// Heavy questions (results, events, charts, reports) waiting for their
/// turn, at most; one more is refused with 503.
pub(super) const MAX_HEAVY_WAITING: usize = 64;
/// Events per page of `GET /api/events`, at most.
pub(super) const MAX_EVENTS: u64 = 10_000;

/// An error as the API answers it: `{"error", "hint"}` with a 4xx or 5xx;
/// an import that committed batches before it failed or was stopped also
/// says how many events (`committed`) and up to which seq
/// (`committed_up_to_seq`).
#[derive(Debug)]
pub(super) struct ApiError {
    pub status: StatusCode,
    pub error: String,
    pub hint: String,
    pub committed: Option<(usize, u64)>,
}

impl ApiError {
    pub(super) fn new(
        status: StatusCode,
        error: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            error: error.into(),
            hint: hint.into(),
            committed: None,
        }
    }

    pub(super) fn bad(error: impl Into<String>, hint: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, error, hint)
    }

    /// A library error: bad input is 400 (a name or id the archive does
    /// not hold is 404, a conflict 409), a store problem 503, a damaged
    /// archive 500.
    pub(super) fn from_library(e: Error, hint: &str) -> Self {
        let status = match (&e, e.kind()) {
            (Error::NotFound(_), _) => StatusCode::NOT_FOUND,
            (Error::Conflict(_), _) => StatusCode::CONFLICT,
            (_, ErrorKind::Input) => StatusCode::BAD_REQUEST,
            (_, ErrorKind::Storage) | (_, ErrorKind::Interrupted) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            (_, ErrorKind::Integrity) | (_, ErrorKind::Partial) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let hint = match e.kind() {
            ErrorKind::Integrity => "the archive failed a check: run `scoreledger verify` on the server",
            ErrorKind::Partial => "the events committed before the failure are kept; send the same import again to finish (with the same Idempotency-Key too: they are skipped)",
            _ => hint,
        };
        let committed = match &e {
            Error::Partial {
                committed, head, ..
            } => Some((*committed, *head)),
            _ => None,
        };
        ApiError {
            committed,
            ..ApiError::new(status, e.to_string(), hint)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = serde_json::json!({ "error": self.error, "hint": self.hint });
        if let Some((committed, seq)) = self.committed {
            body["committed"] = committed.into();
            body["committed_up_to_seq"] = seq.into();
        }
        json(self.status, &body)
    }
}

/// A JSON answer, ending in a newline as the CLI's does (so `curl` output
/// pipes and prints well).
pub(super) fn json(status: StatusCode, v: &serde_json::Value) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        format!("{v}\n"),
    )
        .into_response()
}
