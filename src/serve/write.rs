//! The write API: `POST /api/{record,correct,award,annul,adjust}` take a
//! JSON object with the CLI's option names, `POST /api/import` a file in
//! the body. All need `Authorization: Bearer TOKEN`, checked before any
//! body is read. One write runs at a time: a write that cannot have its
//! turn within the server's `--write-wait` is refused, not applied; once
//! it has its turn it runs to the end and its answer says what happened.
//! An import takes the archive for one batch at a time, so readers keep
//! being answered and see whole batches only. `Idempotency-Key` makes a
//! retry safe (`idempotency.rs`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use scoreledger::import::plan::{Plan, Request as ImportRequest};
use scoreledger::import::{self, season_page, Format};
use scoreledger::{Archive, Error, Event};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use tokio::sync::OwnedSemaphorePermit;

use super::http::{ApiError, BODY_TIME, IMPORT_BODY_TIME};
use super::idempotency::{self, Answer, Key};
use super::read::params;
use super::App;
use crate::answers;

/// Answers 401 (403 on a read-only server) before the request's body is
/// read: a middleware on the write routes.
pub(super) async fn require_token(
    State(app): State<Arc<App>>,
    req: Request,
    next: Next,
) -> Response {
    match authorize(&app, req.headers()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Refuses a request without the server's token (401), or any write when
/// the server has none (403: read-only).
fn authorize(app: &App, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = &app.token else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "this server is read-only",
            "start it with --token-file FILE to accept writes",
        ));
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !same_secret(given.trim().as_bytes(), token.as_bytes()) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "a write needs the server's token",
            "send Authorization: Bearer TOKEN, TOKEN as in the server's --token-file",
        ));
    }
    Ok(())
}

/// Compares two secrets in time that depends only on their lengths.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The writer's turn, waited for at most the server's `--write-wait`:
/// past it the write is refused before anything of it is queued.
async fn turn(app: &Arc<App>) -> Result<OwnedSemaphorePermit, ApiError> {
    let wait = tokio::time::timeout(app.write_wait, app.writer.clone().acquire_owned());
    match wait.await {
        Ok(Ok(permit)) => Ok(permit),
        _ => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "another write (an import?) held the archive for more than {} s: not applied, nothing was written",
                app.write_wait.as_secs_f64()
            ),
            "send it again later; with the same Idempotency-Key it can never be applied twice",
        )),
    }
}

/// Runs one write on a blocking thread in its turn, to the end, even if
/// the client has gone. With a key: a key already answered gets that
/// answer (nothing is appended), and a new key's answer is remembered.
async fn apply(
    app: &Arc<App>,
    turn: OwnedSemaphorePermit,
    key: Option<Key>,
    hint: &'static str,
    f: impl FnOnce(&App) -> Result<Answer, Error> + Send + 'static,
) -> Result<Response, ApiError> {
    let app = app.clone();
    let done = tokio::task::spawn_blocking(move || {
        let _turn = turn;
        if let Some(k) = &key {
            if let Some(answer) = app.remembered.replay(k)? {
                return Ok(answer);
            }
        }
        let answer = f(&app).map_err(|e| ApiError::from_library(e, hint))?;
        if let Some(k) = key {
            app.remembered.keep(k, &answer);
        }
        Ok(answer)
    })
    .await
    .map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the write failed",
            "check the archive with GET /api/head",
        )
    })?;
    done.map(IntoResponse::into_response)
}

/// Appends one event under the write lock and answers what the CLI prints:
/// the seq and hash (201), or that the archive already held it (200).
fn append_one(app: &App, event: Event) -> Result<Answer, Error> {
    let now = answers::now()?;
    let mut archive = app.archive.write().unwrap_or_else(|p| p.into_inner());
    let report = archive.append(vec![event], now).map_err(|e| match e {
        Error::Rejected { source, .. } => *source,
        other => other,
    })?;
    Ok(match report.appended.first() {
        Some(ap) => Answer::new(
            StatusCode::CREATED,
            json!({
                "appended": true,
                "seq": ap.seq,
                "hash": ap.hash.to_hex(),
                "summary": archive.event(ap.seq)?.map(|e| e.event.summary()),
            }),
        ),
        None => Answer::new(
            StatusCode::OK,
            json!({ "appended": false, "note": "already recorded; nothing appended" }),
        ),
    })
}

/// A request's body, read within `time`: 413 past the route's limit (or
/// past `max`, a limit below the route's: such a body is read whole, up to
/// the route's limit, before it is refused), 408 when it does not arrive
/// in time.
async fn read_body(
    req: Request,
    time: std::time::Duration,
    hint: &str,
    max: Option<usize>,
) -> Result<Bytes, ApiError> {
    match tokio::time::timeout(time, Bytes::from_request(req, &())).await {
        Ok(Ok(bytes)) if max.is_some_and(|m| bytes.len() > m) => Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is {} bytes; at most {} are taken",
                bytes.len(),
                max.unwrap_or_default()
            ),
            hint,
        )),
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(e)) => Err(ApiError::new(
            match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            },
            e.body_text(),
            hint,
        )),
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            format!("the body did not arrive within {} s", time.as_secs()),
            hint,
        )),
    }
}

/// A write endpoint's options, for hints.
pub(super) struct Endpoint {
    /// What the endpoint takes, as a hint.
    pub hint: &'static str,
    /// The names it takes (for "did you mean").
    pub fields: &'static [&'static str],
}

/// The body as the endpoint's options: JSON whatever the Content-Type
/// says; an unknown name, a missing one or a bad value is a 400 with the
/// nearest name and the endpoint's options.
fn fields<T: DeserializeOwned>(bytes: &[u8], e: &Endpoint) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|err| {
        let msg = err.to_string();
        let near = unknown_field(&msg).and_then(|f| nearest(f, e.fields));
        let hint = match near {
            Some(n) => format!("did you mean `{n}`? {}", e.hint),
            None => e.hint.to_string(),
        };
        ApiError::bad(format!("the body is not a valid request: {msg}"), hint)
    })
}

/// The name in serde's "unknown field `NAME`".
fn unknown_field(msg: &str) -> Option<&str> {
    let rest = msg.split_once("unknown field `")?.1;
    Some(rest.split_once('`')?.0)
}

/// The known name closest to a misspelt one, if one is close.
fn nearest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::normalized_damerau_levenshtein(name, k), *k))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The request's Idempotency-Key, bound to its path, query and body.
fn key(name: Option<String>, target: &str, body: &[u8]) -> Option<Key> {
    name.map(|n| Key::new(n, target, body))
}

/// One endpoint per CLI write command: the body is that command's options
/// as JSON, the event is built by the command's own `event`. The body is
/// read before the write's turn; the turn is bounded, the write is not.
macro_rules! write_endpoint {
    ($name:ident, $cmd:ident, $endpoint:expr, |$archive:ident, $fields:ident| $make:expr) => {
        pub(crate) async fn $name(
            State(app): State<Arc<App>>,
            req: Request,
        ) -> Result<Response, ApiError> {
            const E: Endpoint = $endpoint;
            let name = idempotency::name(req.headers())?;
            let target = req.uri().to_string();
            let bytes = read_body(req, BODY_TIME, E.hint, Some(super::http::MAX_BODY)).await?;
            let $fields: answers::$cmd::Fields = fields(&bytes, &E)?;
            let key = key(name, &target, &bytes);
            let turn = turn(&app).await?;
            apply(&app, turn, key, E.hint, move |app| {
                let event = {
                    let $archive: &Archive = &app.archive.read().unwrap_or_else(|p| p.into_inner());
                    $make
                };
                append_one(app, event)
            })
            .await
        }
    };
}

write_endpoint!(
    record,
    record,
    Endpoint {
        hint: "POST /api/record with a JSON object {competition, season, stage?, group?, round, date, home, score, away, new_team?, new_competition?, new_season?, new_stage?, allow_outside_season?}",
        fields: &["competition", "season", "stage", "group", "round", "date", "home", "score", "away", "new_team", "new_competition", "new_season", "new_stage", "allow_outside_season"],
    },
    |archive, f| answers::record::event(archive, f)?.0
);
write_endpoint!(
    correct,
    correct,
    Endpoint {
        hint: "POST /api/correct with a JSON object {id, score, reason, source?}",
        fields: &["id", "score", "reason", "source"],
    },
    |archive, f| answers::correct::event(archive, f)?
);
write_endpoint!(
    award,
    award,
    Endpoint {
        hint: "POST /api/award with a JSON object {id, to, score? (default 3-0) or keep_score?, reason, source?}",
        fields: &["id", "to", "score", "keep_score", "reason", "source"],
    },
    |archive, f| answers::award::event(archive, f)?
);
write_endpoint!(
    annul,
    annul,
    Endpoint {
        hint: "POST /api/annul with a JSON object {id, reason, source?}",
        fields: &["id", "reason", "source"],
    },
    |archive, f| answers::annul::event(archive, f)?
);
write_endpoint!(
    adjust,
    adjust,
    Endpoint {
        hint: "POST /api/adjust with a JSON object {competition, season, stage?, team, points, date, reason, source?, new_competition?, new_season?, new_stage?, allow_outside_season?}",
        fields: &["competition", "season", "stage", "team", "points", "date", "reason", "source", "new_competition", "new_season", "new_stage", "allow_outside_season"],
    },
    |archive, f| answers::adjust::event(archive, f)?
);

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct ImportQ {
    format: Option<String>,
    points_for_win: Option<u8>,
    competition: Option<String>,
    season: Option<String>,
    batch: Option<usize>,
    skip_invalid: Option<bool>,
}

const IMPORT_HINT: &str = "POST /api/import?format=&batch=&skip_invalid=true with the file as the body (at most 256 MiB); season pages also take points_for_win, competition, season";

/// An import: the query is checked, then the writer's turn is taken, and
/// only then is the body read (so at most one import body is held at a
/// time), parsed and checked whole, and committed batch by batch.
pub(super) async fn import(
    State(app): State<Arc<App>>,
    q: Result<Query<ImportQ>, QueryRejection>,
    req: Request,
) -> Result<Response, ApiError> {
    let q = params(q, IMPORT_HINT)?;
    let name = idempotency::name(req.headers())?;
    let target = req.uri().to_string();
    let request = import_request(q)?;
    let turn = turn(&app).await?;
    let bytes = read_body(req, IMPORT_BODY_TIME, IMPORT_HINT, None).await?;
    let key = key(name, &target, &bytes);
    apply(&app, turn, key, IMPORT_HINT, move |app| {
        import_body(app, bytes, request)
    })
    .await
}

/// The import's options from its query.
fn import_request(q: ImportQ) -> Result<ImportRequest, ApiError> {
    let format = q
        .format
        .as_deref()
        .map(|f| {
            f.parse::<Format>()
                .map_err(|e| ApiError::bad(e, IMPORT_HINT))
        })
        .transpose()?;
    let batch = q.batch.unwrap_or(scoreledger::model::limits::DEFAULT_BATCH);
    if !(1..=scoreledger::model::limits::MAX_BATCH).contains(&batch) {
        return Err(ApiError::bad(
            format!(
                "batch must be 1 to {}",
                scoreledger::model::limits::MAX_BATCH
            ),
            IMPORT_HINT,
        ));
    }
    Ok(ImportRequest {
        format,
        page: season_page::Options {
            points_for_win: q.points_for_win,
            competition: q.competition,
            season: q.season,
        },
        batch,
        invalid: match q.skip_invalid {
            Some(true) => import::Invalid::Skip,
            _ => import::Invalid::Refuse,
        },
    })
}

/// An import the stopping server interrupted after it committed batches
/// is answered as one that failed after them ([`Error::Partial`]: those
/// events are kept): a 503 would say that nothing was applied.
fn stopped_after_batches(app: &App, e: Error) -> Error {
    let Error::Interrupted { committed, .. } = e else {
        return e;
    };
    let head = app.archive.read().unwrap_or_else(|p| p.into_inner()).head();
    match head {
        Ok(head) if committed > 0 => Error::Partial {
            committed,
            head: head.seq,
            source: Box::new(e),
        },
        _ => e,
    }
}

/// Parses, checks and commits an import's body; answers what it did.
fn import_body(app: &App, bytes: Bytes, req: ImportRequest) -> Result<Answer, Error> {
    let text = import::text_of(Vec::from(bytes), None)?;
    let plan = Plan::new(&text, None, req)?;
    let format = plan.format;
    let now = answers::now()?;
    let report = plan
        .apply(&app.archive, now, &mut |_, _| {
            !app.stopping.load(Ordering::SeqCst)
        })
        .map_err(|e| stopped_after_batches(app, e))?;
    let head = app
        .archive
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .head()?;
    let appended: serde_json::Map<String, Value> = report
        .appended
        .iter()
        .map(|(k, n)| (k.to_string(), json!(n)))
        .collect();
    Ok(Answer::new(
        StatusCode::OK,
        json!({
            "format": format.name(),
            "appended": report.appended_total(),
            "by_kind": appended,
            "already_present": report.already_present,
            "duplicate_lines": report.duplicate_lines,
            "outside_season_lines": report.outside_season,
            "before_first_round_lines": report.before_first_round,
            "changed_since_lines": report.changed_since,
            "skipped": report
                .skipped
                .iter()
                .map(|s| json!({"line": s.line, "why": s.why}))
                .collect::<Vec<_>>(),
            "batches": report.batches,
            "head": answers::json::head(&head),
        }),
    ))
}
