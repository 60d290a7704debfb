//! `briefing serve` as a user meets it: the real binary on an ephemeral port over a temp copy of
//! a fixture site, fetched with a small HTTP/1.1 client. Changes are awaited by polling with a
//! generous timeout; no test asserts how long anything takes.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

/// Long enough for a slow, loaded CI machine; tests only wait this long when they fail.
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `briefing serve`, stopped (SIGTERM, then kill) when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    /// The folder the preview is built into, as the server reports it.
    preview: PathBuf,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
            .arg("--root")
            .arg(root)
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let pipe = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                let mut all = sink.lock().unwrap();
                all.push_str(&line);
                all.push('\n');
            }
        });
        let mut server = Server {
            child,
            addr: "127.0.0.1:1".parse().unwrap(),
            preview: PathBuf::new(),
            stderr,
        };
        let text = server.wait_for_stderr(" at http://");
        let url = text
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap();
        server.addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap();
        let preview = text
            .lines()
            .find_map(|l| l.strip_prefix("preview files in "))
            .unwrap();
        server.preview = PathBuf::from(preview.split(" (").next().unwrap());
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Waits until stderr contains `needle` and returns all of it.
    fn wait_for_stderr(&mut self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let text = self.stderr();
            if text.contains(needle) {
                return text;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                std::thread::sleep(Duration::from_millis(200));
                panic!(
                    "server exited ({status}) before printing {needle:?}:\n{}",
                    self.stderr()
                );
            }
            assert!(
                started.elapsed() < PATIENCE,
                "no {needle:?} on stderr:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn get(&self, path: &str) -> Response {
        request(self.addr, &format!("GET {path} HTTP/1.1"))
    }

    /// Fetches `path` until `check` holds, and returns that response.
    fn poll(&self, path: &str, what: &str, check: impl Fn(&Response) -> bool) -> Response {
        let started = Instant::now();
        loop {
            let response = self.get(path);
            if check(&response) {
                return response;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{path}: never {what}; last response {}:\n{}\nserver said:\n{}",
                response.status,
                response.body,
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends `signal` (e.g. "INT") and waits for the exit.
    #[cfg(unix)]
    fn stop_with(&mut self, signal: &str) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "server did not stop:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_some() {
            return;
        }
        #[cfg(unix)]
        {
            // SIGTERM lets the server remove its preview folder.
            let _ = Command::new("kill")
                .args(["-TERM", &self.child.id().to_string()])
                .status();
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(10) {
                if self.child.try_wait().ok().flatten().is_some() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    /// Header lines, lower-cased.
    headers: String,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name}: ")))
    }
}

/// One request with `Connection: close`, read to the end. `start_line` is sent as is, so tests
/// can send paths no polite client would.
fn request(addr: SocketAddr, start_line: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "{start_line}\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        headers: head.to_lowercase(),
        body: body.to_string(),
    }
}

const CHIP: &str = "content/2026-11-26/chip-deal.md";
const RELOAD_MARK: &str = "data-briefing-serve";

#[test]
fn serves_pages_with_types_folder_indexes_and_the_sites_404_page() {
    let site = site("basic");
    write(site.path(), "static/data/list.json", "[1, 2]");
    let server = Server::start(site.path(), &[]);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Chip designer picks a foundry"));
    assert!(home.body.contains(RELOAD_MARK), "no reload script");
    assert!(home.body.contains("/__briefing/events"));
    // The preview's base_url is the server itself.
    let canonical = format!("<link rel=\"canonical\" href=\"http://{}/\">", server.addr);
    assert!(home.body.contains(&canonical), "{}", home.body);

    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.body.contains(RELOAD_MARK));
    let json = server.get("/data/list.json");
    assert_eq!(
        json.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(json.body, "[1, 2]");

    let edition = server.get("/2026/11/25/");
    assert_eq!(edition.status, 200);
    assert!(edition.body.contains("Two clouds agree"));
    let no_slash = server.get("/2026/11/25");
    assert_eq!(no_slash.status, 301);
    assert_eq!(no_slash.header("location"), Some("/2026/11/25/"));
    let article = server.get("/2026/11/25/cloud-pact/index.html");
    assert_eq!(article.status, 200);

    for missing in [
        "/no/such/page/",
        "/2026/11/25/cloud-pact/nope.html",
        "/missing.css",
    ] {
        let r = server.get(missing);
        assert_eq!(r.status, 404, "{missing}");
        assert!(r.body.contains("Page not found"), "{missing}: {}", r.body);
        assert!(r.body.contains(RELOAD_MARK));
    }
    assert_eq!(
        request(server.addr, "POST / HTTP/1.1").status,
        405,
        "only GET and HEAD"
    );
}

#[test]
fn edits_show_up_including_rename_saves_and_deleted_articles_disappear() {
    let site = site("basic");
    let server = Server::start(site.path(), &[]);
    let article = "/2026/11/26/chip-deal/";
    assert!(
        server
            .get(article)
            .body
            .contains("Chip designer picks a foundry")
    );

    let text = read(site.path(), CHIP).replace(
        "title: \"Chip designer picks a foundry\"",
        "title: \"Chip designer changes its mind\"",
    );
    write(site.path(), CHIP, &text);
    server.poll(article, "showed the new title", |r| {
        r.body.contains("Chip designer changes its mind")
    });
    server.poll("/", "listed the new title", |r| {
        r.body.contains("Chip designer changes its mind")
    });

    // Editors that save by writing a temp file and renaming it over the original.
    let renamed = text.replace("changes its mind", "signs after all");
    write(
        site.path(),
        "content/2026-11-26/.chip-deal.md.tmp",
        &renamed,
    );
    std::fs::rename(
        site.path().join("content/2026-11-26/.chip-deal.md.tmp"),
        site.path().join(CHIP),
    )
    .unwrap();
    server.poll(article, "showed the renamed-in title", |r| {
        r.body.contains("Chip designer signs after all")
    });

    std::fs::remove_file(site.path().join("content/2026-11-25/cloud-pact.md")).unwrap();
    server.poll("/2026/11/25/cloud-pact/", "went away", |r| r.status == 404);
    assert!(!server.get("/2026/11/25/").body.contains("Two clouds agree"));
}

#[test]
fn after_edits_the_preview_holds_what_a_full_build_makes() {
    let site = site("basic");
    let root = site.path();
    let server = Server::start(root, &[]);
    let text = read(root, CHIP).replace("picks a foundry", "picks a second foundry");
    write(root, CHIP, &text);
    write(
        root,
        "content/2026-11-27/port-strike.md",
        "---\ntitle: \"Port strike ends\"\ndate: 2026-11-27\ntopic: raw-materials\n---\nBack to work.\n",
    );
    std::fs::remove_file(root.join("content/2026-11-25/cloud-pact.md")).unwrap();
    server.poll("/2026/11/27/port-strike/", "appeared", |r| r.status == 200);

    let out = tempfile::tempdir().unwrap();
    let full = out.path().join("site");
    let base_url = format!("http://{}/", server.addr);
    let args = ["build", "--base-url", &base_url, "--output"];
    let mut args: Vec<&str> = args.to_vec();
    let full_arg = full.to_string_lossy().into_owned();
    args.push(&full_arg);
    ok(root, &args);
    let want = tree(&full);
    // The server may still be writing the last rebuild: wait until the trees agree.
    let started = Instant::now();
    loop {
        let got = tree(&server.preview);
        if got == want {
            break;
        }
        if started.elapsed() > PATIENCE {
            let differ: Vec<&String> = want
                .keys()
                .chain(got.keys())
                .filter(|k| got.get(*k) != want.get(*k))
                .collect();
            panic!("the preview differs from a full build in {differ:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn broken_file_shows_an_escaped_overlay_over_the_last_good_site_until_fixed() {
    let site = site("basic");
    let mut server = Server::start(site.path(), &[]);
    let good = read(site.path(), CHIP);
    write(
        site.path(),
        CHIP,
        &good.replacen("title:", "<i>title</i>:", 1),
    );

    let home = server.poll("/", "showed the overlay", |r| {
        r.body.contains("id=\"briefing-error\"")
    });
    assert!(
        home.body.contains("Chip designer picks a foundry"),
        "the last good site is still served"
    );
    assert!(
        home.body.contains(
            "content/2026-11-26/chip-deal.md:2:1: unknown field `&lt;i&gt;title&lt;/i&gt;`"
        ),
        "{}",
        home.body
    );
    assert!(!home.body.contains("<i>title</i>"), "error text is escaped");
    // Every HTML page carries it, the 404 page too; other files are left alone.
    for page in ["/2026/11/25/cloud-pact/", "/topics/", "/nope/"] {
        assert!(
            server.get(page).body.contains("id=\"briefing-error\""),
            "{page}"
        );
    }
    assert!(!server.get("/style.css").body.contains("briefing-error"));
    // The terminal shows the same error.
    let stderr = server.wait_for_stderr("still serving the last good build");
    assert!(
        stderr.contains("error: content/2026-11-26/chip-deal.md:2:1: unknown field `<i>title</i>`"),
        "{stderr}"
    );

    write(site.path(), CHIP, &good);
    server.poll("/", "dropped the overlay", |r| {
        !r.body.contains("id=\"briefing-error\"") && r.status == 200
    });
}

#[test]
fn pages_hear_about_every_finished_build() {
    let site = site("basic");
    let server = Server::start(site.path(), &[]);
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        stream,
        "GET /__briefing/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    // The body is chunked; `data:` lines are enough to follow the events.
    let mut seen = String::new();
    let mut next_tag = |seen: &mut String| -> String {
        let tags = |s: &str| -> Vec<String> {
            let complete = &s[..s.rfind('\n').map_or(0, |i| i + 1)];
            complete
                .lines()
                .filter_map(|l| l.strip_prefix("data: "))
                .map(|t| t.trim().to_string())
                .collect()
        };
        let before = tags(seen).len();
        let mut buf = [0u8; 1024];
        let started = Instant::now();
        loop {
            assert!(started.elapsed() < PATIENCE, "no new build event:\n{seen}");
            let n = stream.read(&mut buf).unwrap();
            assert!(n > 0, "event stream closed:\n{seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            if let Some(tag) = tags(seen).get(before) {
                return tag.clone();
            }
        }
    };
    let first = next_tag(&mut seen);
    assert!(
        seen.to_lowercase()
            .contains("content-type: text/event-stream")
    );
    assert!(seen.contains("event: build"));
    // The page's script knows the build it was served from.
    assert!(
        server
            .get("/")
            .body
            .contains(&format!("var shown=\"{first}\""))
    );

    write(
        site.path(),
        CHIP,
        &read(site.path(), CHIP).replace("foundry", "fab"),
    );
    let second = next_tag(&mut seen);
    assert_ne!(first, second);
}

#[test]
fn nothing_outside_the_built_site_is_served() {
    let site = site("basic");
    let server = Server::start(site.path(), &[]);
    let secret = site.path().join("briefing.toml");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, server.preview.join("leak.txt")).unwrap();
        std::os::unix::fs::symlink(site.path(), server.preview.join("up")).unwrap();
    }
    for target in [
        "/../briefing.toml",
        "/%2e%2e/briefing.toml",
        "/%2E%2E/%2e%2e/briefing.toml",
        "/2026/..%2f..%2f..%2fbriefing.toml",
        "/..%5cbriefing.toml",
        "/%2e%2e%2fbriefing.toml",
        "//etc/passwd",
        "/etc/passwd",
        "/C:/Windows/win.ini",
        "/leak.txt",
        "/up/briefing.toml",
        "http://127.0.0.1/../briefing.toml",
    ] {
        let r = request(server.addr, &format!("GET {target} HTTP/1.1"));
        assert!(
            [400, 403, 404].contains(&r.status),
            "{target}: answered {}",
            r.status
        );
        assert!(!r.body.contains("base_url"), "{target} leaked the config");
        assert!(!r.body.contains("root:"), "{target} leaked /etc/passwd");
    }
    #[cfg(unix)]
    assert_eq!(server.get("/leak.txt").status, 403);
    assert_eq!(server.get("/%2e%2e/briefing.toml").status, 403);
}

#[test]
fn the_preview_leaves_public_alone_and_build_output_has_no_reload_code() {
    let site = site("basic");
    let server = Server::start(site.path(), &["--drafts"]);
    assert!(server.get("/").body.contains(RELOAD_MARK));
    assert!(
        !site.path().join("public").exists(),
        "serve must not write public/"
    );
    for (name, bytes) in tree(&server.preview) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(RELOAD_MARK) && !text.contains("__briefing"),
            "preview file {name} holds reload code"
        );
    }
    ok(site.path(), &["build"]);
    let public = tree(&site.path().join("public"));
    assert!(public.contains_key("index.html"));
    for (name, bytes) in public {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(RELOAD_MARK)
                && !text.contains("__briefing")
                && !text.contains("EventSource"),
            "public/{name} holds reload code"
        );
    }
}

#[test]
fn a_busy_port_is_named_and_an_open_bind_is_warned_about() {
    let site = site("basic");
    let first = Server::start(site.path(), &[]);
    let port = first.addr.port().to_string();
    let stderr = fails(site.path(), &["serve", "--port", &port]);
    assert!(
        stderr.contains(&format!("port {port} is already in use")),
        "{stderr}"
    );

    let open = Server::start(site.path(), &["--bind", "0.0.0.0"]);
    let stderr = open.stderr();
    assert!(stderr.contains("warning: listening on 0.0.0.0"), "{stderr}");
    assert!(first.stderr().lines().all(|l| !l.starts_with("warning")));
}

#[test]
fn a_site_that_fails_its_first_build_is_served_with_the_overlay() {
    let site = site("basic");
    write(site.path(), CHIP, "---\ntitle: \"x\"\n---\nno date\n");
    let mut server = Server::start(site.path(), &[]);
    let home = server.get("/");
    assert_eq!(home.status, 404);
    assert!(home.body.contains("id=\"briefing-error\""));
    // There is no last good build to speak of.
    assert!(
        home.body
            .contains("Build failed: no build has succeeded yet, so there is no site to show."),
        "{}",
        home.body
    );
    assert!(!home.body.contains("last good build"), "{}", home.body);
    let stderr = server.wait_for_stderr("no site to serve yet");
    assert!(!stderr.contains("last good build"), "{stderr}");
    assert!(
        home.body.contains("chip-deal.md:1:1: missing field `date`"),
        "{}",
        home.body
    );
}

#[test]
fn missing_site_config_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = fails(dir.path(), &["serve", "--port", "0"]);
    assert!(stderr.contains("briefing.toml: not found"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_removes_the_preview() {
    let site = site("basic");
    let mut server = Server::start(site.path(), &[]);
    assert!(server.preview.is_dir());
    // An open event stream must not keep the server alive.
    let mut events = TcpStream::connect(server.addr).unwrap();
    write!(events, "GET /__briefing/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let _ = events.read(&mut [0u8; 256]);
    let status = server.stop_with("INT");
    assert!(status.success(), "{status}:\n{}", server.stderr());
    assert!(
        !server.preview.parent().unwrap().exists(),
        "preview folder left behind"
    );
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.stderr().contains("stopped"), "{}", server.stderr());
}

#[cfg(unix)]
#[test]
fn closing_the_terminal_removes_the_preview_too() {
    let site = site("basic");
    let mut server = Server::start(site.path(), &[]);
    assert!(server.preview.is_dir());
    let status = server.stop_with("HUP");
    assert!(status.success(), "{status}:\n{}", server.stderr());
    assert!(
        !server.preview.parent().unwrap().exists(),
        "preview folder left behind after SIGHUP"
    );
}

#[test]
fn the_terminal_names_the_site_folder_and_counts_in_words() {
    let site = site("basic");
    // One edition left: the count must read "1 edition".
    std::fs::remove_dir_all(site.path().join("content/2026-11-26")).unwrap();
    let mut server = Server::start(site.path(), &[]);
    let stderr = server.wait_for_stderr(" at http://");
    let folder = std::fs::canonicalize(site.path()).unwrap();
    assert!(
        stderr.contains(&format!("serving {} at http://", folder.display())),
        "{stderr}"
    );
    let stderr = server.wait_for_stderr("built ");
    assert!(
        stderr.contains("built 2 articles in 1 edition: "),
        "{stderr}"
    );
}
