//! `scoreledger serve`: a front end, like `cli/`. It holds the archive open
//! and answers HTTP/1.1 on axum and tokio: the read API (the CLI's JSON),
//! the write API (with a bearer token), and one page. The library knows
//! nothing of HTTP; this module knows nothing of sled or bincode.

mod conn;
mod http;
mod idempotency;
mod note;
mod page;
mod read;
mod write;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use scoreledger::{Archive, Error};

pub(crate) use note::read as lock_note;

use http::ApiError;

/// What the server shares between requests.
pub(crate) struct App {
    /// Readers take it shared; a write takes it for one append (an import,
    /// for one batch).
    archive: RwLock<Archive>,
    /// One write at a time: its one permit is the writer's turn.
    writer: Arc<tokio::sync::Semaphore>,
    /// How long a write waits for its turn.
    write_wait: Duration,
    /// The answers of the last writes sent with an Idempotency-Key.
    remembered: idempotency::Remembered,
    /// The bearer token; none: read-only.
    token: Option<String>,
    /// Set when the server is asked to stop: an import stops after its batch.
    stopping: AtomicBool,
    /// The turns of the heavy questions.
    heavy: read::Heavy,
    /// Signs the checkpoints of its name (`--sign-key`).
    signer: Option<scoreledger::integrity::note::SignerKey>,
}

/// How to serve: the store, the address, the token.
pub(crate) struct Config {
    pub db: PathBuf,
    pub bind: SocketAddr,
    pub token_file: Option<PathBuf>,
    pub signer: Option<scoreledger::integrity::note::SignerKey>,
    /// How long a write waits for the one before it (default
    /// [`http::WRITE_WAIT`]).
    pub write_wait: Option<Duration>,
}

/// Reads the token: one line, at least 16 characters.
fn read_token(path: &Path) -> Result<String, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Invalid(format!("{}: cannot read the token: {e}", path.display())))?;
    let token = text.trim().to_string();
    if token.len() < 16 || token.contains(char::is_whitespace) {
        return Err(Error::Invalid(format!(
            "{}: the token must be one word of at least 16 characters",
            path.display()
        )));
    }
    Ok(token)
}

fn router(app: Arc<App>) -> Router {
    let reads = Router::new()
        .route("/", get(page::index))
        .route("/page.js", get(page::script))
        .route("/blake3.js", get(page::blake3))
        .route("/api/head", get(read::head))
        .route("/api/list/{what}", get(read::list))
        .route("/api/standings", get(read::standings))
        .route("/api/results", get(read::results))
        .route("/api/matches/{id}/history", get(read::history))
        .route("/api/diff", get(read::diff))
        .route("/api/checkpoint", get(read::checkpoint))
        .route("/api/proof/{seq}", get(read::proof))
        .route("/api/consistency", get(read::consistency))
        .route("/api/events", get(read::events))
        .route("/api/chart.svg", get(read::chart))
        .route("/api/report.html", get(read::report))
        .layer(middleware::from_fn(in_time));
    // Writes have no overall time: their turn is bounded, and once they
    // have it they run to the end and say what happened.
    let token = middleware::from_fn_with_state(app.clone(), write::require_token);
    let writes = Router::new()
        .route("/api/record", post(write::record))
        .route("/api/correct", post(write::correct))
        .route("/api/award", post(write::award))
        .route("/api/annul", post(write::annul))
        .route("/api/adjust", post(write::adjust))
        .layer(DefaultBodyLimit::max(http::MAX_BODY + http::DRAIN))
        .route_layer(token.clone());
    let import = Router::new()
        .route("/api/import", post(write::import))
        .layer(DefaultBodyLimit::max(http::MAX_IMPORT))
        .route_layer(token);
    reads
        .merge(writes)
        .merge(import)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(short_query))
        .with_state(app)
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such page or endpoint",
        "GET / is the page; the API is under /api/ (see the README's server section)",
    )
}

async fn method_not_allowed(req: Request<axum::body::Body>) -> ApiError {
    let writes = req.uri().path() == "/api/import" || WRITES.contains(&req.uri().path());
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} is not taken by {}", req.method(), req.uri().path()),
        if writes {
            "a write is a POST with the server's token (see the README's server section)"
        } else {
            "the page and questions are GETs; writes are POSTs under /api/ (see the README's server section)"
        },
    )
}

/// The write endpoints but the import.
const WRITES: [&str; 5] = [
    "/api/record",
    "/api/correct",
    "/api/award",
    "/api/annul",
    "/api/adjust",
];

/// Refuses a query string longer than [`http::MAX_QUERY`] (414).
async fn short_query(req: Request<axum::body::Body>, next: Next) -> Response {
    if req.uri().query().map_or(0, str::len) > http::MAX_QUERY {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!("the query is longer than {} bytes", http::MAX_QUERY),
            "ask a shorter question",
        )
        .into_response();
    }
    next.run(req).await
}

/// Answers 503 when a read takes longer than [`http::REQUEST_TIME`].
async fn in_time(req: Request<axum::body::Body>, next: Next) -> Response {
    match tokio::time::timeout(http::REQUEST_TIME, next.run(req)).await {
        Ok(r) => r,
        Err(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "the request took longer than {} s",
                http::REQUEST_TIME.as_secs()
            ),
            "try again, or ask a narrower question",
        )
        .into_response(),
    }
}

/// Serves until SIGINT or SIGTERM. Prints the address it listens on (one
/// line on standard output, for scripts), then a line per start-up fact on
/// standard error.
pub(crate) fn run(config: Config, archive: Archive) -> Result<(), Error> {
    let token = config.token_file.as_deref().map(read_token).transpose()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(64)
        .build()
        .map_err(Error::Io)?;
    let head = archive.head()?;
    let app = Arc::new(App {
        archive: RwLock::new(archive),
        writer: Arc::new(tokio::sync::Semaphore::new(1)),
        write_wait: config.write_wait.unwrap_or(http::WRITE_WAIT),
        remembered: idempotency::Remembered::default(),
        heavy: read::Heavy::new(),
        token,
        stopping: AtomicBool::new(false),
        signer: config.signer,
    });
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|e| Error::Invalid(format!("cannot listen on {}: {e}", config.bind)))?;
        let addr = listener.local_addr().map_err(Error::Io)?;
        let url = format!("http://{addr}");
        note::write(&config.db, &url).map_err(|e| Error::Store {
            path: config.db.clone(),
            msg: format!("cannot write the lock note: {e}"),
        })?;
        crate::answers::print(&format!("listening on {url}/\n"))?;
        eprintln!(
            "serving {} events (head {}), {}",
            head.seq,
            head.hash,
            if app.token.is_some() {
                "with writes for the token's holder"
            } else {
                "read-only: no --token-file, so every write is refused"
            }
        );
        let stop_app = app.clone();
        conn::serve(listener, router(app.clone()), async move {
            stopped().await;
            stop_app.stopping.store(true, Ordering::SeqCst);
        })
        .await;
        note::remove(&config.db);
        Ok::<(), Error>(())
    })?;
    eprintln!("stopped; the archive is closed");
    Ok(())
}

/// Waits for SIGINT or SIGTERM.
async fn stopped() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).ok();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = async {
            match term.as_mut() {
                Some(t) => { t.recv().await; }
                None => std::future::pending::<()>().await,
            }
        } => {}
    }
}
