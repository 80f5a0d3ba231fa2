//! `Idempotency-Key`: a write sent again with the key of one already
//! applied gets that write's answer, and nothing is appended again. The
//! server remembers the last [`KEEP`] keys (in memory: a restart forgets
//! them), each with its request's fingerprint (endpoint, query, body) and
//! its answer. Keys are looked up and kept under the writer's turn, so a
//! retry sent while the first is still running waits for it and then gets
//! its answer.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::http::{json, ApiError};

/// Keys remembered, at most; the oldest is forgotten first.
pub(super) const KEEP: usize = 10_000;
/// Bytes of a key, at most.
pub(super) const MAX_KEY: usize = 255;

const HEADER: &str = "idempotency-key";

/// A write's answer: what is sent, and what a retry with its key gets.
#[derive(Clone, Debug)]
pub(super) struct Answer {
    pub status: StatusCode,
    pub body: Value,
    /// Sent again for a retry (the `Idempotent-Replayed: true` header).
    pub replayed: bool,
}

impl Answer {
    pub(super) fn new(status: StatusCode, body: Value) -> Self {
        Answer {
            status,
            body,
            replayed: false,
        }
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut r = json(self.status, &self.body);
        if self.replayed {
            r.headers_mut().insert(
                "idempotent-replayed",
                axum::http::HeaderValue::from_static("true"),
            );
        }
        r
    }
}

/// The key a request names, and what it was sent with.
#[derive(Clone, Debug)]
pub(super) struct Key {
    name: String,
    fingerprint: [u8; 32],
}

/// The `Idempotency-Key` header's value, if the request has one: 1 to
/// [`MAX_KEY`] visible ASCII characters (a quoted string is unquoted).
pub(super) fn name(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get(HEADER) else {
        return Ok(None);
    };
    let bad = || {
        ApiError::bad(
            format!("Idempotency-Key must be 1 to {MAX_KEY} visible ASCII characters"),
            "send a new random key per write, e.g. a UUID, and the same key when you send that write again",
        )
    };
    let text = v.to_str().map_err(|_| bad())?.trim();
    let text = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    if text.is_empty() || text.len() > MAX_KEY || !text.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(bad());
    }
    Ok(Some(text.to_string()))
}

impl Key {
    /// The key `name` for the request to `target` (path and query) with
    /// this body.
    pub(super) fn new(name: String, target: &str, body: &[u8]) -> Key {
        let mut h = blake3::Hasher::new();
        h.update(&(target.len() as u64).to_le_bytes());
        h.update(target.as_bytes());
        h.update(body);
        Key {
            name,
            fingerprint: *h.finalize().as_bytes(),
        }
    }
}

struct Kept {
    fingerprint: [u8; 32],
    answer: Answer,
}

/// The answers of the last [`KEEP`] keys.
#[derive(Default)]
pub(super) struct Remembered {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    by_key: HashMap<String, Kept>,
    order: VecDeque<String>,
}

impl Remembered {
    /// The answer already given to this key: `Ok(Some)` for the same
    /// request, 422 for another one, `Ok(None)` for a key not seen.
    pub(super) fn replay(&self, key: &Key) -> Result<Option<Answer>, ApiError> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let Some(kept) = inner.by_key.get(&key.name) else {
            return Ok(None);
        };
        if kept.fingerprint != key.fingerprint {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "Idempotency-Key '{}' was sent with another request",
                    key.name
                ),
                "an Idempotency-Key names one write: send this one with a new key (nothing was written)",
            ));
        }
        Ok(Some(Answer {
            replayed: true,
            ..kept.answer.clone()
        }))
    }

    /// Remembers a write's answer under its key, forgetting the oldest key
    /// past [`KEEP`].
    pub(super) fn keep(&self, key: Key, answer: &Answer) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let kept = Kept {
            fingerprint: key.fingerprint,
            answer: answer.clone(),
        };
        if inner.by_key.insert(key.name.clone(), kept).is_none() {
            inner.order.push_back(key.name);
        }
        while inner.order.len() > KEEP {
            if let Some(old) = inner.order.pop_front() {
                inner.by_key.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(seq: u64) -> Answer {
        Answer::new(StatusCode::CREATED, serde_json::json!({ "seq": seq }))
    }

    #[test]
    fn a_key_replays_its_answer_refuses_another_request_and_the_oldest_is_forgotten() {
        let r = Remembered::default();
        let k = |n: usize, body: &str| Key::new(format!("k{n}"), "/api/adjust", body.as_bytes());
        assert!(r.replay(&k(0, "a")).unwrap().is_none());
        r.keep(k(0, "a"), &answer(1));
        let again = r.replay(&k(0, "a")).unwrap().unwrap();
        assert_eq!(
            (again.body["seq"].clone(), again.replayed),
            (1.into(), true)
        );
        let other = r.replay(&k(0, "b")).unwrap_err();
        assert_eq!(other.status, StatusCode::UNPROCESSABLE_ENTITY);
        let elsewhere = Key::new("k0".into(), "/api/correct", b"a");
        assert!(r.replay(&elsewhere).is_err());
        for n in 1..=KEEP {
            r.keep(k(n, "a"), &answer(n as u64));
        }
        assert!(r.replay(&k(0, "a")).unwrap().is_none(), "forgotten");
        assert!(r.replay(&k(1, "a")).unwrap().is_some());
    }

    #[test]
    fn a_key_is_visible_ascii_of_bounded_length() {
        let headers = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(HEADER, v.parse().unwrap());
            h
        };
        assert_eq!(name(&HeaderMap::new()).unwrap(), None);
        assert_eq!(
            name(&headers("\"abc-1\"")).unwrap().as_deref(),
            Some("abc-1")
        );
        assert!(name(&headers("")).is_err());
        assert!(name(&headers("a b")).is_err());
        assert!(name(&headers(&"k".repeat(MAX_KEY + 1))).is_err());
    }
}
