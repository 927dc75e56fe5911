//! A minimal Lambda Runtime API (2018-06-01) for one function process:
//! `/runtime/invocation/next` hands out the events the bench queues,
//! `/response` and `/error` answer them, `/init/error` reports a failed
//! cold start. Enough for `lambda_runtime`; nothing else of Lambda.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot, watch};

/// How a function answered one event.
#[derive(Debug)]
pub enum Reply {
    Response(Bytes),
    Error,
}

struct State {
    events: tokio::sync::Mutex<mpsc::UnboundedReceiver<(String, Bytes)>>,
    waiting: Mutex<HashMap<String, oneshot::Sender<Reply>>>,
    /// When the process first asked for an event: the end of its init.
    first_next: watch::Sender<Option<Instant>>,
    init_error: watch::Sender<Option<String>>,
}

pub struct RuntimeApi {
    pub addr: SocketAddr,
    state: Arc<State>,
    queue: mpsc::UnboundedSender<(String, Bytes)>,
    ids: AtomicU64,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for RuntimeApi {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl RuntimeApi {
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let (queue, events) = mpsc::unbounded_channel();
        let state = Arc::new(State {
            events: tokio::sync::Mutex::new(events),
            waiting: Mutex::new(HashMap::new()),
            first_next: watch::channel(None).0,
            init_error: watch::channel(None).0,
        });
        let served = state.clone();
        let server = tokio::spawn(async move {
            let http = ConnBuilder::new(TokioExecutor::new());
            while let Ok((socket, _)) = listener.accept().await {
                let state = served.clone();
                let service = hyper::service::service_fn(move |req| {
                    let state = state.clone();
                    async move { Ok::<_, std::convert::Infallible>(handle(state, req).await) }
                });
                let conn = http
                    .serve_connection(TokioIo::new(socket), service)
                    .into_owned();
                tokio::spawn(async move {
                    let _ = conn.await;
                });
            }
        });
        Ok(RuntimeApi {
            addr,
            state,
            queue,
            ids: AtomicU64::new(0),
            server,
        })
    }

    /// Waits until the process asks for its first event (its init is done),
    /// or reports an init error, or `timeout` passes.
    pub async fn ready(&self, timeout: Duration) -> Result<Instant, String> {
        let mut first = self.state.first_next.subscribe();
        let mut failed = self.state.init_error.subscribe();
        let wait = async {
            loop {
                if let Some(at) = *first.borrow_and_update() {
                    return Ok(at);
                }
                if let Some(e) = failed.borrow_and_update().clone() {
                    return Err(format!("init error: {e}"));
                }
                tokio::select! {
                    _ = first.changed() => {}
                    _ = failed.changed() => {}
                }
            }
        };
        tokio::time::timeout(timeout, wait)
            .await
            .map_err(|_| format!("no /next within {timeout:?}"))?
    }

    /// Queues `event` and waits for the function's answer.
    pub async fn invoke(&self, event: Bytes, timeout: Duration) -> Result<Reply, String> {
        let id = format!("bench-{}", self.ids.fetch_add(1, Ordering::Relaxed));
        let (tx, rx) = oneshot::channel();
        self.state
            .waiting
            .lock()
            .expect("not poisoned")
            .insert(id.clone(), tx);
        self.queue
            .send((id, event))
            .map_err(|_| "runtime API stopped".to_string())?;
        tokio::time::timeout(timeout, rx)
            .await
            .map_err(|_| format!("no answer within {timeout:?}"))?
            .map_err(|_| "runtime API stopped".to_string())
    }
}

fn reply(status: StatusCode, body: Bytes) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .body(Full::new(body))
        .expect("static response parts are valid")
}

async fn handle(state: Arc<State>, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let accepted = || reply(StatusCode::ACCEPTED, Bytes::from_static(b"{}"));
    let Some(rest) = path.strip_prefix("/2018-06-01/runtime/") else {
        return reply(StatusCode::NOT_FOUND, Bytes::new());
    };
    match (method, rest) {
        (Method::GET, "invocation/next") => {
            state.first_next.send_if_modified(|first| {
                first.get_or_insert_with(Instant::now);
                true
            });
            let Some((id, event)) = state.events.lock().await.recv().await else {
                return reply(StatusCode::GONE, Bytes::new());
            };
            let deadline = SystemTime::now()
                .checked_add(Duration::from_secs(900))
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_millis())
                .unwrap_or_default();
            Response::builder()
                .status(StatusCode::OK)
                .header("lambda-runtime-aws-request-id", id)
                .header("lambda-runtime-deadline-ms", deadline.to_string())
                .header(
                    "lambda-runtime-invoked-function-arn",
                    "arn:aws:lambda:us-east-1:123456789012:function:bench",
                )
                .header(
                    "lambda-runtime-trace-id",
                    "Root=1-00000000-000000000000000000000000",
                )
                .body(Full::new(event))
                .expect("valid headers")
        }
        (Method::POST, "init/error") => {
            let text = String::from_utf8_lossy(&body).into_owned();
            state.init_error.send_replace(Some(text));
            accepted()
        }
        (Method::POST, rest) => {
            let Some(rest) = rest.strip_prefix("invocation/") else {
                return reply(StatusCode::NOT_FOUND, Bytes::new());
            };
            let (id, outcome) = match rest.rsplit_once('/') {
                Some((id, "response")) => (id, Reply::Response(body)),
                Some((id, "error")) => (id, Reply::Error),
                _ => return reply(StatusCode::NOT_FOUND, Bytes::new()),
            };
            let waiter = state.waiting.lock().expect("not poisoned").remove(id);
            match waiter {
                Some(tx) => {
                    let _ = tx.send(outcome);
                    accepted()
                }
                None => reply(StatusCode::BAD_REQUEST, Bytes::new()),
            }
        }
        _ => reply(StatusCode::NOT_FOUND, Bytes::new()),
    }
}
