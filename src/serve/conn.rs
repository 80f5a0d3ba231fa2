//! Serving connections: hyper's HTTP/1.1, one task per connection, at most
//! [`MAX_CONNECTIONS`] at once. Each connection has [`HEADER_TIME`] to send
//! a whole request head, counted from when it opens and again from each
//! answer: a connection that stays idle, or sends its head slowly, is
//! closed then. When every place is taken, the connection idle the longest
//! (no request being answered) is closed to make room; only when all of
//! them are answering is a new one refused (503).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use super::http::{HEADER_TIME, MAX_CONNECTIONS};

/// How long a connection closed to make room, or at a stop, may take to
/// finish what it is sending when it is answering nothing.
const GRACE: Duration = Duration::from_millis(100);
/// How long a new connection waits for the place of one closed for it.
const ROOM_WAIT: Duration = Duration::from_secs(1);

/// The connections being served.
struct Conns {
    permits: Arc<Semaphore>,
    table: Mutex<HashMap<u64, Conn>>,
    next: AtomicU64,
}

/// One connection: the requests it is answering, since when it answers
/// none, and how to ask it to close.
struct Conn {
    busy: usize,
    idle_since: Instant,
    closing: bool,
    close: Arc<Notify>,
}

impl Conns {
    fn new() -> Arc<Conns> {
        Arc::new(Conns {
            permits: Arc::new(Semaphore::new(MAX_CONNECTIONS)),
            table: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
        })
    }

    fn table(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Conn>> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A place for a new connection: a free one, else the place of the
    /// connection idle the longest, closed for it; none when every
    /// connection is answering a request.
    async fn admit(&self) -> Option<OwnedSemaphorePermit> {
        if let Ok(p) = self.permits.clone().try_acquire_owned() {
            return Some(p);
        }
        if !self.close_idlest() {
            return None;
        }
        tokio::time::timeout(ROOM_WAIT, self.permits.clone().acquire_owned())
            .await
            .ok()?
            .ok()
    }

    /// Asks the connection idle the longest to close; false if none is idle.
    fn close_idlest(&self) -> bool {
        let mut table = self.table();
        let idlest = table
            .values_mut()
            .filter(|c| c.busy == 0 && !c.closing)
            .min_by_key(|c| c.idle_since);
        match idlest {
            Some(c) => {
                c.closing = true;
                c.close.notify_one();
                true
            }
            None => false,
        }
    }

    fn open(&self) -> (u64, Arc<Notify>) {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let close = Arc::new(Notify::new());
        let conn = Conn {
            busy: 0,
            idle_since: Instant::now(),
            closing: false,
            close: close.clone(),
        };
        self.table().insert(id, conn);
        (id, close)
    }

    fn is_busy(&self, id: u64) -> bool {
        self.table().get(&id).is_some_and(|c| c.busy > 0)
    }

    fn closed(&self, id: u64) {
        self.table().remove(&id);
    }
}

/// A request being answered on a connection; idle again when dropped.
struct Busy {
    conns: Arc<Conns>,
    id: u64,
}

impl Busy {
    fn new(conns: &Arc<Conns>, id: u64) -> Busy {
        if let Some(c) = conns.table().get_mut(&id) {
            c.busy += 1;
        }
        Busy {
            conns: conns.clone(),
            id,
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        if let Some(c) = self.conns.table().get_mut(&self.id) {
            c.busy -= 1;
            c.idle_since = Instant::now();
        }
    }
}

/// Serves `router` on `listener` until `stop` completes; then stops
/// accepting, lets the requests in flight finish, and returns when every
/// connection is closed.
pub(super) async fn serve(listener: TcpListener, router: Router, stop: impl Future<Output = ()>) {
    let conns = Conns::new();
    let (stopped, on_stop) = watch::channel(false);
    tokio::pin!(stop);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = &mut stop => break,
        };
        let Ok((stream, _)) = accepted else {
            // Out of descriptors and the like: wait, then go on.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        match conns.admit().await {
            Some(permit) => {
                let _ = stream.set_nodelay(true);
                let one = One {
                    conns: conns.clone(),
                    router: router.clone(),
                    on_stop: on_stop.clone(),
                };
                tokio::spawn(one.serve(stream, permit));
            }
            None => {
                tokio::spawn(refuse(stream));
            }
        }
    }
    let _ = stopped.send(true);
    let _ = conns.permits.acquire_many(MAX_CONNECTIONS as u32).await;
}

/// What one connection's task needs.
struct One {
    conns: Arc<Conns>,
    router: Router,
    on_stop: watch::Receiver<bool>,
}

impl One {
    async fn serve(self, stream: TcpStream, permit: OwnedSemaphorePermit) {
        let One {
            conns: all,
            router,
            mut on_stop,
        } = self;
        let (id, close) = all.open();
        let conns = all.clone();
        let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
            let busy = Busy::new(&conns, id);
            let answer = router.clone().oneshot(req);
            async move {
                let r = answer.await;
                drop(busy);
                r
            }
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIME)
            .keep_alive(true);
        let conn = http.serve_connection(TokioIo::new(stream), service);
        tokio::pin!(conn);
        let asked_to_close = async {
            tokio::select! {
                _ = close.notified() => {}
                _ = on_stop.wait_for(|s| *s) => {}
            }
        };
        tokio::select! {
            _ = conn.as_mut() => {}
            _ = asked_to_close => {
                // Requests being answered finish; a connection answering
                // none is dropped after a short grace.
                conn.as_mut().graceful_shutdown();
                while tokio::time::timeout(GRACE, conn.as_mut()).await.is_err() {
                    if !all.is_busy(id) {
                        break;
                    }
                }
            }
        }
        all.closed(id);
        drop(permit);
    }
}

/// Answers a connection past the cap with 503 and closes it.
async fn refuse(mut stream: TcpStream) {
    let body =
        r#"{"error":"too many connections, all of them answering","hint":"try again shortly"}"#;
    let text = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(text.as_bytes()).await;
    let _ = stream.shutdown().await;
}
