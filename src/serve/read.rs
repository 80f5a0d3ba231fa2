//! The read API: each endpoint answers what the CLI's `--format json` (or
//! its SVG, HTML, text) prints for the same question, built by the same
//! function in `cli/`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use clap::ValueEnum;
use scoreledger::projection::listing::ListKind;
use scoreledger::{Archive, Cut, Date, Filter, KnownAt, ResultsQuery, When};
use serde::Deserialize;
use serde_json::Value;

use super::http::{ApiError, MAX_EVENTS, MAX_HEAVY_WAITING};
use super::App;
use crate::answers;

/// Parameter names, for hints.
const FILTER_HINT: &str = "competition, season, stage and team take names as GET /api/list/competitions, /seasons, /stages and /teams give them (case and accents ignored)";
const WHEN_HINT: &str =
    "as_of=YYYY-MM-DD, round=N, known_at=SEQ or an RFC 3339 instant (e.g. 2026-11-28T10:00:00Z)";

/// Runs a cheap question against the archive under the read lock: a reader
/// sees the archive as of the last committed batch. When no write holds
/// the archive (the common case) it is answered at once, on this thread;
/// else it waits for the write on a blocking thread, never on the
/// runtime's own.
pub(super) async fn ask<T: Send + 'static>(
    app: &Arc<App>,
    hint: &'static str,
    f: impl FnOnce(&Archive) -> Result<T, scoreledger::Error> + Send + 'static,
) -> Result<T, ApiError> {
    let f = match app.archive.try_read() {
        Ok(archive) => return f(&archive).map_err(|e| ApiError::from_library(e, hint)),
        Err(_) => f,
    };
    ask_apart(app, hint, f).await
}

/// Runs a question on a blocking thread, for one that must wait for a write.
async fn ask_apart<T: Send + 'static>(
    app: &Arc<App>,
    hint: &'static str,
    f: impl FnOnce(&Archive) -> Result<T, scoreledger::Error> + Send + 'static,
) -> Result<T, ApiError> {
    apart(app.clone(), hint, f, None).await
}

/// The questions whose work grows with the archive (results across
/// stages, a page of events, a chart, a report): at most one per core runs
/// at once, each on a blocking thread, so that the runtime's threads stay
/// free for the questions whose work is bounded (the head, a table or a
/// diff of one stage, a match's history, a checkpoint, a proof) and for
/// accepting connections. Up to [`MAX_HEAVY_WAITING`] more wait for their
/// turn (within the 10 s of a read); past that a heavy question is refused
/// at once with 503.
pub(super) struct Heavy {
    running: Arc<tokio::sync::Semaphore>,
    waiting: AtomicUsize,
}

impl Heavy {
    pub(super) fn new() -> Heavy {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Heavy {
            running: Arc::new(tokio::sync::Semaphore::new(cores)),
            waiting: AtomicUsize::new(0),
        }
    }

    /// A turn to run one heavy question, or 503 when too many wait.
    async fn turn(&self) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        if let Ok(p) = self.running.clone().try_acquire_owned() {
            return Ok(p);
        }
        let _waiting = Waiting::enter(&self.waiting)?;
        self.running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| busy())
    }
}

/// One question waiting for its turn (counted until it has it or is dropped).
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(n: &'a AtomicUsize) -> Result<Waiting<'a>, ApiError> {
        if n.fetch_add(1, Ordering::SeqCst) >= MAX_HEAVY_WAITING {
            n.fetch_sub(1, Ordering::SeqCst);
            return Err(busy());
        }
        Ok(Waiting(n))
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn busy() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "the server is busy with other large questions",
        "try again shortly, or ask a narrower question (GET /api/head and other small ones are answered at once)",
    )
}

/// Runs a heavy question in its turn (see [`Heavy`]).
pub(super) async fn ask_heavy<T: Send + 'static>(
    app: &Arc<App>,
    hint: &'static str,
    f: impl FnOnce(&Archive) -> Result<T, scoreledger::Error> + Send + 'static,
) -> Result<T, ApiError> {
    let turn = app.heavy.turn().await?;
    apart(app.clone(), hint, f, Some(turn)).await
}

/// Runs a question on a blocking thread under the read lock, holding its
/// turn (if any) until it is done, even when its answer is no longer
/// awaited.
async fn apart<T: Send + 'static>(
    app: Arc<App>,
    hint: &'static str,
    f: impl FnOnce(&Archive) -> Result<T, scoreledger::Error> + Send + 'static,
    turn: Option<tokio::sync::OwnedSemaphorePermit>,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        let archive = app.archive.read().unwrap_or_else(|p| p.into_inner());
        f(&archive).map_err(|e| ApiError::from_library(e, hint))
    })
    .await
    .map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "the request failed",
            "try again",
        )
    })?
}

/// A query string, refused with 400 and the endpoint's parameters when
/// it does not parse (an unknown parameter included).
pub(super) fn params<T>(q: Result<Query<T>, QueryRejection>, hint: &str) -> Result<T, ApiError> {
    q.map(|Query(t)| t)
        .map_err(|e| ApiError::bad(e.body_text(), hint))
}

fn date(s: Option<&str>) -> Result<Option<Date>, ApiError> {
    s.map(|s| Date::parse_iso(s).map_err(|e| ApiError::bad(format!("as_of: {e}"), WHEN_HINT)))
        .transpose()
}

fn known_at(s: Option<&str>) -> Result<Option<KnownAt>, ApiError> {
    s.map(|s| {
        s.parse::<KnownAt>()
            .map_err(|e| ApiError::bad(format!("known_at: {e}"), WHEN_HINT))
    })
    .transpose()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Scope {
    competition: Option<String>,
    season: Option<String>,
    stage: Option<String>,
    known_at: Option<String>,
}

impl Scope {
    fn filter(&self) -> Filter {
        Filter {
            competition: self.competition.clone(),
            season: self.season.clone(),
            stage: self.stage.clone(),
        }
    }
}

fn json(v: Value) -> Response {
    super::http::json(axum::http::StatusCode::OK, &v)
}

/// The query of an endpoint that takes none: any parameter is refused, as
/// the others refuse one they do not take.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NoQuery {}

pub(super) async fn head(
    State(app): State<Arc<App>>,
    q: Result<Query<NoQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    params(q, "GET /api/head takes no parameters")?;
    let head = ask(&app, "", |a| a.head()).await?;
    Ok(json(answers::json::head(&head)))
}

pub(super) async fn list(
    State(app): State<Arc<App>>,
    what: Result<Path<String>, PathRejection>,
    q: Result<Query<Scope>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str =
        "GET /api/list/{competitions|seasons|stages|teams}?competition=&season=&stage=&known_at=";
    let q = params(q, HINT)?;
    let kind = match what.map(|Path(w)| w).as_deref() {
        Ok("competitions") => ListKind::Competitions,
        Ok("seasons") => ListKind::Seasons,
        Ok("stages") => ListKind::Stages,
        Ok("teams") => ListKind::Teams,
        _ => {
            return Err(ApiError::new(
                axum::http::StatusCode::NOT_FOUND,
                "no such list",
                HINT,
            ))
        }
    };
    let k = known_at(q.known_at.as_deref())?;
    let filter = q.filter();
    let entries = ask(&app, FILTER_HINT, move |a| a.at(k)?.list(kind, &filter)).await?;
    Ok(json(serde_json::to_value(entries).unwrap_or_default()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StandingsQ {
    competition: Option<String>,
    season: Option<String>,
    stage: Option<String>,
    as_of: Option<String>,
    round: Option<u32>,
    known_at: Option<String>,
}

pub(super) async fn standings(
    State(app): State<Arc<App>>,
    q: Result<Query<StandingsQ>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str = "GET /api/standings?competition=&season=&stage=&as_of=YYYY-MM-DD|round=N&known_at=SEQ|TIMESTAMP";
    let q = params(q, HINT)?;
    let cut = match (date(q.as_of.as_deref())?, q.round) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad(
                "as_of and round cannot be used together",
                "give one: the table on a date, or after a round",
            ))
        }
        (Some(d), None) => Cut::AsOf(d),
        (None, Some(n)) => Cut::Round(n),
        (None, None) => Cut::All,
    };
    let k = known_at(q.known_at.as_deref())?;
    let filter = Filter {
        competition: q.competition,
        season: q.season,
        stage: q.stage,
    };
    let s = ask(&app, FILTER_HINT, move |a| a.at(k)?.standings(&filter, cut)).await?;
    Ok(json(answers::json::standings(&s)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ResultsQ {
    competition: Option<String>,
    season: Option<String>,
    stage: Option<String>,
    as_of: Option<String>,
    known_at: Option<String>,
    round: Option<u32>,
    through_round: Option<u32>,
    team: Option<String>,
}

pub(super) async fn results(
    State(app): State<Arc<App>>,
    q: Result<Query<ResultsQ>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str = "GET /api/results?competition=&season=&stage=&as_of=&known_at=&round=N|through_round=N&team=";
    let q = params(q, HINT)?;
    if q.round.is_some() && q.through_round.is_some() {
        return Err(ApiError::bad(
            "round and through_round cannot be used together",
            HINT,
        ));
    }
    let query = ResultsQuery {
        filter: Filter {
            competition: q.competition,
            season: q.season,
            stage: q.stage,
        },
        as_of: date(q.as_of.as_deref())?,
        round: q.round,
        through_round: q.through_round,
        team: q.team,
    };
    let k = known_at(q.known_at.as_deref())?;
    let rows = ask_heavy(&app, FILTER_HINT, move |a| a.at(k)?.results(&query)).await?;
    Ok(json(answers::json::results(&rows)))
}

pub(super) async fn history(
    State(app): State<Arc<App>>,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<NoQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str = "GET /api/matches/{id}/history, with the id GET /api/results gives (a unique prefix will do)";
    params(q, HINT)?;
    let Path(id) = id.map_err(|e| ApiError::bad(e.body_text(), HINT))?;
    let v = ask(&app, HINT, move |a| {
        let rec = a.find_match(&id)?;
        let entries = a.history(&rec)?;
        Ok(answers::json::history(&rec, &entries))
    })
    .await?;
    Ok(json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DiffQ {
    competition: Option<String>,
    season: Option<String>,
    stage: Option<String>,
    from: String,
    to: String,
}

pub(super) async fn diff(
    State(app): State<Arc<App>>,
    q: Result<Query<DiffQ>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str =
        "GET /api/diff?from=WHEN&to=WHEN, WHEN a date (YYYY-MM-DD), round:N or seq:N";
    let q = params(q, HINT)?;
    let when = |name: &str, s: &str| {
        s.parse::<When>()
            .map_err(|e| ApiError::bad(format!("{name}: {e}"), HINT))
    };
    let (from, to) = (when("from", &q.from)?, when("to", &q.to)?);
    let filter = Filter {
        competition: q.competition,
        season: q.season,
        stage: q.stage,
    };
    let d = ask(&app, FILTER_HINT, move |a| a.diff(&filter, from, to)).await?;
    Ok(json(answers::json::diff(&d, from, to)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CheckpointQ {
    origin: Option<String>,
}

pub(super) async fn checkpoint(
    State(app): State<Arc<App>>,
    q: Result<Query<CheckpointQ>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str = "GET /api/checkpoint?origin=NAME (default: the signing key's name, else scoreledger.local/archive); signed when the server has --sign-key and the origin is the key's name";
    let q = params(q, HINT)?;
    let key_name = app.signer.as_ref().map(|k| k.name.clone());
    let origin = q
        .origin
        .or(key_name.clone())
        .unwrap_or_else(|| answers::proofs::DEFAULT_ORIGIN.into());
    if origin.trim().is_empty() || origin.contains('\n') {
        return Err(ApiError::bad("origin must be one non-empty line", HINT));
    }
    let signing = app.clone();
    let text = ask(&app, HINT, move |a| {
        let key = signing.signer.as_ref().filter(|k| k.name == origin.trim());
        answers::proofs::signed_text(a, origin.trim(), key)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ConsistencyQ {
    from: u64,
    to: Option<u64>,
}

pub(super) async fn consistency(
    State(app): State<Arc<App>>,
    q: Result<Query<ConsistencyQ>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str = "GET /api/consistency?from=OLD&to=NEW: a consistency proof between the trees of the first OLD and NEW events (NEW default: all)";
    let q = params(q, HINT)?;
    let text = ask(&app, HINT, move |a| answers::proofs::text(a, q.from, q.to)).await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProofQ {
    size: Option<u64>,
}

pub(super) async fn proof(
    State(app): State<Arc<App>>,
    seq: Result<Path<u64>, PathRejection>,
    q: Result<Query<ProofQ>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str = "GET /api/proof/{seq}?size=N: an inclusion proof of event seq in the tree of the first N events (default: all)";
    let Path(seq) = seq.map_err(|e| ApiError::bad(e.body_text(), HINT))?;
    let q = params(q, HINT)?;
    let proof = ask(&app, HINT, move |a| {
        let size = match q.size {
            Some(n) => n,
            None => a.head()?.seq,
        };
        a.prove(seq, size)
    })
    .await?;
    Ok(json(serde_json::to_value(proof).unwrap_or_default()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventsQ {
    after: Option<u64>,
    limit: Option<u64>,
}

pub(super) async fn events(
    State(app): State<Arc<App>>,
    q: Result<Query<EventsQ>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str =
        "GET /api/events?after=SEQ&limit=N (N at most 10000): the export's JSON Lines";
    let q = params(q, HINT)?;
    let after = q.after.unwrap_or(0);
    let limit = q.limit.unwrap_or(1000);
    if limit == 0 || limit > MAX_EVENTS {
        return Err(ApiError::bad(
            format!("limit must be 1 to {MAX_EVENTS}"),
            HINT,
        ));
    }
    let text = ask_heavy(&app, HINT, move |a| {
        let head = a.head()?.seq;
        let mut out = String::new();
        for seq in after.saturating_add(1)..=head.min(after.saturating_add(limit)) {
            if let Some(env) = a.event(seq)? {
                out.push_str(
                    &serde_json::to_string(&env)
                        .map_err(|e| scoreledger::Error::Invalid(e.to_string()))?,
                );
                out.push('\n');
            }
        }
        Ok(out)
    })
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/jsonl; charset=utf-8")],
        text,
    )
        .into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PictureQ {
    competition: Option<String>,
    season: Option<String>,
    stage: Option<String>,
    as_of: Option<String>,
    known_at: Option<String>,
    kind: Option<String>,
    by: Option<String>,
}

impl PictureQ {
    fn parts(
        self,
    ) -> Result<
        (
            Filter,
            answers::scope::ViewArgs,
            Option<String>,
            Option<String>,
        ),
        ApiError,
    > {
        let when = answers::scope::ViewArgs {
            as_of: date(self.as_of.as_deref())?,
            known_at: known_at(self.known_at.as_deref())?,
        };
        let filter = Filter {
            competition: self.competition,
            season: self.season,
            stage: self.stage,
        };
        Ok((filter, when, self.kind, self.by))
    }
}

fn choice<T: ValueEnum>(name: &str, s: Option<&str>, hint: &str) -> Result<Option<T>, ApiError> {
    s.map(|s| {
        T::from_str(s, true).map_err(|_| {
            ApiError::bad(
                format!("{name}: '{s}' is not one of the choices"),
                hint.to_string(),
            )
        })
    })
    .transpose()
}

pub(super) async fn chart(
    State(app): State<Arc<App>>,
    q: Result<Query<PictureQ>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str = "GET /api/chart.svg?kind=positions|points&by=round|matchday|date&competition=&season=&stage=&as_of=&known_at=";
    let (filter, when, kind, by) = params(q, HINT)?.parts()?;
    let kind =
        choice("kind", kind.as_deref(), HINT)?.unwrap_or(answers::pictures::ChartKind::Positions);
    let by = choice("by", by.as_deref(), HINT)?;
    let svg = ask_heavy(&app, HINT, move |a| {
        answers::pictures::svg(a, &filter, kind, by, &when)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

pub(super) async fn report(
    State(app): State<Arc<App>>,
    q: Result<Query<PictureQ>, QueryRejection>,
) -> Result<Response, ApiError> {
    const HINT: &str = "GET /api/report.html?competition=&season=&stage=&as_of=&known_at=";
    let (filter, when, kind, by) = params(q, HINT)?.parts()?;
    if kind.is_some() || by.is_some() {
        return Err(ApiError::bad("kind and by are chart parameters", HINT));
    }
    let html = ask_heavy(&app, HINT, move |a| {
        answers::pictures::html(a, &filter, &when)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}
