//! A scripted HTTP origin on 127.0.0.1 for the fetch tests and the fetch benchmark: each path
//! answers with a list of replies (one per request, the last one repeated), honours
//! `If-None-Match` / `If-Modified-Since` against the reply's own `ETag` / `Last-Modified`,
//! and logs every request. It runs on its own thread and stops when dropped (or when the
//! test process ends); it never touches anything but loopback.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub delay: Duration,
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }
    pub fn rss(body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(200, "application/rss+xml", body)
    }
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::new(200, "text/html", body)
    }
    pub fn status(status: u16) -> Reply {
        Reply::new(status, "text/plain", format!("status {status}"))
    }
    pub fn redirect(to: &str) -> Reply {
        Reply::status(302).header("location", to)
    }
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }
    pub fn delay(mut self, d: Duration) -> Reply {
        self.delay = d;
        self
    }
    fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// One request as the origin saw it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub status: u16,
}

#[derive(Default)]
struct Inner {
    routes: Mutex<HashMap<String, Vec<Reply>>>,
    log: Mutex<Vec<Logged>>,
    /// (requests being answered now, the most ever at once)
    in_flight: Mutex<(usize, usize)>,
}

pub struct Origin {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Origin {
    /// Listens on 127.0.0.1 at a free port.
    pub fn start() -> Origin {
        Origin::start_on("127.0.0.1:0")
    }

    pub fn start_on(bind: &str) -> Origin {
        let inner = Arc::new(Inner::default());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let state = inner.clone();
        let bind = bind.to_string();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind(&bind).await.unwrap();
                ready_tx.send(listener.local_addr().unwrap()).unwrap();
                let app = axum::Router::new().fallback(handle).with_state(state);
                let _ = axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await;
            });
            // Pending slow replies are dropped with the runtime.
            rt.shutdown_timeout(Duration::from_millis(100));
        });
        let addr = ready_rx.recv().unwrap();
        Origin {
            addr,
            inner,
            stop: Some(stop),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `path` answers with `replies`, one per request; the last one is repeated.
    pub fn route(&self, path: &str, replies: Vec<Reply>) {
        assert!(!replies.is_empty());
        self.inner
            .routes
            .lock()
            .unwrap()
            .insert(path.to_string(), replies);
    }

    pub fn requests(&self) -> Vec<Logged> {
        self.inner.log.lock().unwrap().clone()
    }

    pub fn requests_to(&self, path: &str) -> Vec<Logged> {
        self.requests()
            .into_iter()
            .filter(|r| r.path == path)
            .collect()
    }

    /// The most requests this origin was answering at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.inner.in_flight.lock().unwrap().1
    }

    pub fn clear_log(&self) {
        self.inner.log.lock().unwrap().clear();
    }
}

impl Drop for Origin {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn handle(State(inner): State<Arc<Inner>>, req: Request) -> Response {
    let path = req
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.as_str().to_string());
    let headers: HashMap<String, String> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let reply = {
        let mut routes = inner.routes.lock().unwrap();
        match routes.get_mut(&path) {
            Some(list) if list.len() > 1 => Some(list.remove(0)),
            Some(list) => Some(list[0].clone()),
            None => None,
        }
    };
    let reply = reply.unwrap_or_else(|| Reply::status(404));
    let not_modified = reply.status == 200
        && (reply
            .get("etag")
            .is_some_and(|e| headers.get("if-none-match").map(String::as_str) == Some(e))
            || reply
                .get("last-modified")
                .is_some_and(|m| headers.get("if-modified-since").map(String::as_str) == Some(m)));
    let status = if not_modified { 304 } else { reply.status };
    inner.log.lock().unwrap().push(Logged {
        path,
        headers,
        status,
    });
    {
        let mut f = inner.in_flight.lock().unwrap();
        f.0 += 1;
        f.1 = f.1.max(f.0);
    }
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    inner.in_flight.lock().unwrap().0 -= 1;
    let mut builder = Response::builder().status(status);
    for (k, v) in &reply.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let body = if not_modified {
        Body::empty()
    } else {
        Body::from(reply.body.clone())
    };
    builder.body(body).unwrap()
}
