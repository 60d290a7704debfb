//! The preview's HTTP side (axum): maps a request path onto a file of the preview build, answers
//! with the right MIME type, serves `index.html` for folders and the site's `404.html` for
//! anything missing, and streams "build finished" events to open pages.
//!
//! Safety: a path is decoded segment by segment and refused when a segment decodes to `..`, `.`,
//! or holds a slash, backslash, colon or NUL; the file found is then canonicalized and must lie
//! inside the (canonical) output folder, so symlinks pointing out of it are refused too.
//! This module never builds anything and never writes to disk.

use std::convert::Infallible;
use std::path::{Path, PathBuf};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use percent_encoding::percent_decode_str;
use tokio::sync::watch;

use super::Status;
use super::inject::{EVENTS_PATH, inject};

/// What every request handler can see.
#[derive(Clone)]
pub(crate) struct Site {
    /// The canonical output folder of the preview build.
    pub root: PathBuf,
    pub status: watch::Receiver<Status>,
    /// Becomes `true` when the server shuts down, which ends the event streams.
    pub shutdown: watch::Receiver<bool>,
}

pub(crate) fn router(site: Site) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(serve_path)
        .with_state(site)
}

/// Why a request path is refused outright.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Refused(&'static str);

/// The decoded segments of a request path, empty segments dropped. Pure: no file-system access.
pub(crate) fn segments(raw: &str) -> Result<Vec<String>, Refused> {
    if !raw.starts_with('/') {
        return Err(Refused("the path must start with /"));
    }
    let mut out = Vec::new();
    for seg in raw.split('/').filter(|s| !s.is_empty()) {
        let decoded = percent_decode_str(seg)
            .decode_utf8()
            .map_err(|_| Refused("the path is not UTF-8"))?;
        if decoded == ".." || decoded == "." {
            return Err(Refused("the path leaves the site"));
        }
        if decoded.contains(['/', '\\', ':', '\0']) {
            return Err(Refused("the path holds an encoded separator"));
        }
        out.push(decoded.into_owned());
    }
    Ok(out)
}

/// Where a request path leads in the output folder.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    File(PathBuf),
    /// A folder asked for without its trailing slash: relative links need it, so redirect.
    AddSlash,
    Missing,
    Outside,
}

fn locate(root: &Path, segs: &[String], trailing_slash: bool) -> Found {
    let mut path = root.to_path_buf();
    path.extend(segs);
    let Ok(real) = std::fs::canonicalize(&path) else {
        return Found::Missing;
    };
    if !real.starts_with(root) {
        return Found::Outside;
    }
    if real.is_dir() {
        if !trailing_slash && !segs.is_empty() {
            return Found::AddSlash;
        }
        return match std::fs::canonicalize(real.join("index.html")) {
            Ok(index) if !index.starts_with(root) => Found::Outside,
            Ok(index) if index.is_file() => Found::File(index),
            _ => Found::Missing,
        };
    }
    if real.is_file() {
        Found::File(real)
    } else {
        Found::Missing
    }
}

async fn serve_path(State(site): State<Site>, request: Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "405 Method Not Allowed\n",
        )
            .into_response();
    }
    let raw = request.uri().path().to_string();
    let segs = match segments(&raw) {
        Ok(s) => s,
        Err(Refused(why)) => return forbidden(why),
    };
    let root = site.root.clone();
    let trailing = raw.ends_with('/');
    let found = tokio::task::spawn_blocking(move || locate(&root, &segs, trailing))
        .await
        .unwrap_or(Found::Missing);
    match found {
        Found::File(path) => match tokio::fs::read(&path).await {
            Ok(bytes) => file_response(StatusCode::OK, &path, bytes, &site),
            Err(_) => not_found(&site).await,
        },
        Found::AddSlash => {
            let location = format!("{raw}/");
            (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        Found::Missing => not_found(&site).await,
        Found::Outside => forbidden("the path leads outside the site"),
    }
}

fn forbidden(why: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("403 Forbidden: {why}\n"),
    )
        .into_response()
}

/// The site's own 404 page, or a plain one when the site has none (e.g. the first build failed).
async fn not_found(site: &Site) -> Response {
    let page = site.root.join("404.html");
    let inside = std::fs::canonicalize(&page).is_ok_and(|p| p.starts_with(&site.root));
    match tokio::fs::read(&page).await {
        Ok(bytes) if inside => file_response(StatusCode::NOT_FOUND, &page, bytes, site),
        _ => {
            let html = b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
<body><h1>Not found</h1><p>This site has no page here.</p></body></html>\n"
                .to_vec();
            file_response(StatusCode::NOT_FOUND, Path::new("404.html"), html, site)
        }
    }
}

fn file_response(status: StatusCode, path: &Path, bytes: Vec<u8>, site: &Site) -> Response {
    let mime = content_type(path);
    let body = if mime.starts_with("text/html") {
        let current = site.status.borrow().clone();
        match String::from_utf8(bytes) {
            Ok(html) => inject(&html, &current).into_bytes(),
            Err(e) => e.into_bytes(),
        }
    } else {
        bytes
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&mime)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // A preview must never show a stale page from the browser's cache.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The MIME type of a file by its extension, with a charset for text formats.
pub(crate) fn content_type(path: &Path) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == "text"
        || [
            "javascript",
            "json",
            "xml",
            "svg+xml",
            "atom+xml",
            "rss+xml",
        ]
        .contains(&mime.subtype().as_str());
    if textual && mime.get_param("charset").is_none() {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

/// Sends the current build's tag on connect and again after every build, until shutdown.
async fn events(State(site): State<Site>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = futures_util::stream::unfold(
        (site.status, site.shutdown, true),
        |(mut status, mut shutdown, first)| async move {
            if !first {
                tokio::select! {
                    changed = status.changed() => changed.ok()?,
                    _ = shutdown.changed() => return None,
                }
            }
            if *shutdown.borrow() {
                return None;
            }
            let tag = status.borrow_and_update().tag();
            Some((
                Ok(Event::default().event("build").data(tag)),
                (status, shutdown, false),
            ))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_encoded_paths_decode_to_segments() {
        assert_eq!(segments("/").unwrap(), Vec::<String>::new());
        assert_eq!(segments("/2026/11/26/").unwrap(), ["2026", "11", "26"]);
        assert_eq!(segments("//a%20b/c.html").unwrap(), ["a b", "c.html"]);
    }

    #[test]
    fn traversal_and_encoded_separators_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/secret",
            "/%2E%2E/secret",
            "/.%2e/secret",
            "/a%2f..%2f..%2fsecret",
            "/a%5c..%5csecret",
            "/./index.html",
            "/C:/Windows/win.ini",
            "/a%00.html",
            "/%ff",
            "relative/path",
        ] {
            assert!(segments(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn mime_types_carry_a_charset_for_text() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("feed.json")),
            "application/json; charset=utf-8"
        );
        assert!(content_type(Path::new("atom.xml")).contains("xml"));
        assert_eq!(content_type(Path::new("logo.png")), "image/png");
        assert_eq!(content_type(Path::new("font.woff2")), "font/woff2");
        assert_eq!(content_type(Path::new("noext")), "application/octet-stream");
    }

    #[test]
    fn locate_finds_indexes_and_refuses_links_out() {
        let dir = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(dir.path()).unwrap().join("site");
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::write(root.join("a/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let segs = |p: &str| segments(p).unwrap();
        assert_eq!(
            locate(&root, &segs("/a/"), true),
            Found::File(root.join("a/index.html"))
        );
        assert_eq!(locate(&root, &segs("/a"), false), Found::AddSlash);
        assert_eq!(locate(&root, &segs("/nope.html"), false), Found::Missing);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("leak.txt"))
                .unwrap();
            std::os::unix::fs::symlink(dir.path(), root.join("up")).unwrap();
            assert_eq!(locate(&root, &segs("/leak.txt"), false), Found::Outside);
            assert_eq!(
                locate(&root, &segs("/up/secret.txt"), false),
                Found::Outside
            );
        }
    }
}
