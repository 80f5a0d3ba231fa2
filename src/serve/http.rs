//! What every endpoint shares: JSON errors with a hint, the limits, and a
//! listener that caps concurrent connections.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use scoreledger::{Error, ErrorKind};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Concurrent connections; one more is answered 503 and closed.
pub const MAX_CONNECTIONS: usize = 256;
/// Bytes of a query string (414 past it).
pub const MAX_QUERY: usize = 2048;
/// Bytes of a write request's JSON body (413 past it).
pub const MAX_BODY: usize = 64 * 1024;
/// Bytes of an import's body (413 past it).
pub const MAX_IMPORT: usize = 256 * 1024 * 1024;
/// Time to answer one read or one small write (503 past it).
pub const REQUEST_TIME: Duration = Duration::from_secs(10);
/// Events per page of `GET /api/events`, at most.
pub const MAX_EVENTS: u64 = 10_000;

/// An error as the API answers it: `{"error", "hint"}` with a 4xx or 5xx.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: String,
    pub hint: String,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>, hint: impl Into<String>) -> Self {
        ApiError {
            status,
            error: error.into(),
            hint: hint.into(),
        }
    }

    pub fn bad(error: impl Into<String>, hint: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, error, hint)
    }

    /// A library error: bad input is 400 (a name or id the archive does
    /// not hold is 404, a conflict 409), a store problem 503, a damaged
    /// archive 500.
    pub fn from_library(e: Error, hint: &str) -> Self {
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
            ErrorKind::Partial => "the events committed before the failure are kept; send the same import again to finish",
            _ => hint,
        };
        ApiError::new(status, e.to_string(), hint)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.error, "hint": self.hint });
        json(self.status, &body)
    }
}

/// A JSON answer, ending in a newline as the CLI's does (so `curl` output
/// pipes and prints well).
pub fn json(status: StatusCode, v: &serde_json::Value) -> Response {
    (
        status,
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        format!("{v}\n"),
    )
        .into_response()
}

/// Accepts connections, at most [`MAX_CONNECTIONS`] at once; each holds a
/// permit until it closes.
pub struct CappedListener {
    pub inner: TcpListener,
    pub permits: Arc<Semaphore>,
}

impl axum::serve::Listener for CappedListener {
    type Io = Capped;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (stream, addr) = match self.inner.accept().await {
                Ok(pair) => pair,
                Err(_) => {
                    // Out of descriptors and the like: wait, then go on.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            match self.permits.clone().try_acquire_owned() {
                Ok(permit) => {
                    let _ = stream.set_nodelay(true);
                    return (
                        Capped {
                            stream,
                            _permit: permit,
                        },
                        addr,
                    );
                }
                Err(_) => {
                    tokio::spawn(refuse(stream));
                }
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// Answers a connection past the cap with 503 and closes it.
async fn refuse(mut stream: TcpStream) {
    let body = r#"{"error":"too many connections","hint":"try again shortly"}"#;
    let text = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(text.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// A connection and its permit.
pub struct Capped {
    stream: TcpStream,
    _permit: OwnedSemaphorePermit,
}

impl AsyncRead for Capped {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Capped {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
