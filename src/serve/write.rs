//! The write API: `POST /api/{record,correct,award,annul,adjust}` take a
//! JSON object with the CLI's option names, `POST /api/import` a file in
//! the body. All need `Authorization: Bearer TOKEN`. One write runs at a
//! time; an import takes the archive for one batch at a time, so readers
//! keep being answered and see whole batches only.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use scoreledger::import::plan::{Plan, Request};
use scoreledger::import::{self, season_page, Format};
use scoreledger::{Archive, Error, Event};
use serde::Deserialize;
use serde_json::{json, Value};

use super::http::ApiError;
use super::read::params;
use super::App;
use crate::cli;

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

/// Runs one write on a blocking thread, alone among writes.
async fn write<T: Send + 'static>(
    app: &Arc<App>,
    hint: &'static str,
    f: impl FnOnce(&App) -> Result<T, Error> + Send + 'static,
) -> Result<T, ApiError> {
    let app = app.clone();
    tokio::task::spawn_blocking(move || {
        let _one = app.writer.lock().unwrap_or_else(|p| p.into_inner());
        f(&app).map_err(|e| ApiError::from_library(e, hint))
    })
    .await
    .map_err(|_| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the write failed",
            "check the archive with GET /api/head",
        )
    })?
}

/// Appends one event under the write lock and answers what the CLI prints:
/// the seq and hash, or that the archive already held it.
fn append_one(app: &App, event: Event) -> Result<Value, Error> {
    let now = cli::now()?;
    let mut archive = app.archive.write().unwrap_or_else(|p| p.into_inner());
    let report = archive.append(vec![event], now).map_err(|e| match e {
        Error::Rejected { source, .. } => *source,
        other => other,
    })?;
    Ok(match report.appended.first() {
        Some(ap) => json!({
            "appended": true,
            "seq": ap.seq,
            "hash": ap.hash.to_hex(),
            "summary": archive.event(ap.seq)?.map(|e| e.event.summary()),
        }),
        None => json!({ "appended": false, "note": "already recorded; nothing appended" }),
    })
}

fn answer(v: Value) -> Response {
    let status = match v["appended"].as_bool() {
        Some(true) => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    super::http::json(status, &v)
}

fn body<T>(b: Result<Json<T>, JsonRejection>, hint: &str) -> Result<T, ApiError> {
    b.map(|Json(t)| t).map_err(|e| {
        ApiError::new(
            match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            },
            e.body_text(),
            hint,
        )
    })
}

/// One endpoint per CLI write command: the body is that command's options
/// as JSON, the event is built by the command's own `event`.
macro_rules! write_endpoint {
    ($name:ident, $cmd:ident, $hint:expr, |$archive:ident, $fields:ident| $make:expr) => {
        pub async fn $name(
            State(app): State<Arc<App>>,
            headers: HeaderMap,
            b: Result<Json<cli::$cmd::Fields>, JsonRejection>,
        ) -> Result<Response, ApiError> {
            authorize(&app, &headers)?;
            let $fields = body(b, $hint)?;
            let v = write(&app, $hint, move |app| {
                let event = {
                    let $archive: &Archive = &app.archive.read().unwrap_or_else(|p| p.into_inner());
                    $make
                };
                append_one(app, event)
            })
            .await?;
            Ok(answer(v))
        }
    };
}

write_endpoint!(record, record, "POST /api/record {competition, season, stage?, group?, round, date, home, score, away, new_team?, allow_outside_season?}",
    |archive, f| cli::record::event(archive, f)?.0);
write_endpoint!(
    correct,
    correct,
    "POST /api/correct {id, score, reason, source?}",
    |archive, f| cli::correct::event(archive, f)?
);
write_endpoint!(
    award,
    award,
    "POST /api/award {id, to, score? (3-0), keep_score?, reason, source?}",
    |archive, f| cli::award::event(archive, f)?
);
write_endpoint!(
    annul,
    annul,
    "POST /api/annul {id, reason, source?}",
    |archive, f| cli::annul::event(archive, f)?
);
write_endpoint!(
    adjust,
    adjust,
    "POST /api/adjust {competition, season, stage?, team, points, date, reason, source?}",
    |_archive, f| cli::adjust::event(f)
);

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ImportQ {
    format: Option<String>,
    points_for_win: Option<u8>,
    competition: Option<String>,
    season: Option<String>,
    batch: Option<usize>,
    skip_invalid: Option<bool>,
}

const IMPORT_HINT: &str = "POST /api/import?format=&batch=&skip_invalid=true with the file as the body (at most 256 MiB); season pages also take points_for_win, competition, season";

pub async fn import(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    q: Result<Query<ImportQ>, QueryRejection>,
    b: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    authorize(&app, &headers)?;
    let q = params(q, IMPORT_HINT)?;
    let bytes = b.map_err(|e| {
        ApiError::new(
            match e.status() {
                StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            },
            e.body_text(),
            IMPORT_HINT,
        )
    })?;
    let format = q
        .format
        .as_deref()
        .map(|f| {
            f.parse::<Format>()
                .map_err(|e| ApiError::bad(e, IMPORT_HINT))
        })
        .transpose()?;
    let batch = q.batch.unwrap_or(2000);
    if !(1..=scoreledger::limits::MAX_BATCH).contains(&batch) {
        return Err(ApiError::bad(
            format!("batch must be 1 to {}", scoreledger::limits::MAX_BATCH),
            IMPORT_HINT,
        ));
    }
    let req = Request {
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
    };
    let v = write(&app, IMPORT_HINT, move |app| {
        let text = import::text_of(Vec::from(bytes), None)?;
        let plan = Plan::new(&text, None, req)?;
        let format = plan.format;
        let now = cli::now()?;
        let report = plan.apply(&app.archive, now, &mut |_, _| {
            !app.stopping.load(Ordering::SeqCst)
        })?;
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
        Ok(json!({
            "format": format.name(),
            "appended": report.appended_total(),
            "by_kind": appended,
            "already_present": report.already_present,
            "duplicate_lines": report.duplicate_lines,
            "skipped": report
                .skipped
                .iter()
                .map(|s| json!({"line": s.line, "why": s.why}))
                .collect::<Vec<_>>(),
            "batches": report.batches,
            "head": cli::head::json(&head),
        }))
    })
    .await?;
    Ok(super::http::json(StatusCode::OK, &v))
}
