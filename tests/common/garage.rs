//! A real Garage (S3-compatible object store) for the deploy tests: one single-node cluster
//! on 127.0.0.1, configured in a temp dir (random free ports, layout applied, one key), shared
//! by the tests that run at the same time and stopped when the last of them is done.
//!
//! The `garage` binary comes from `cargo install garage --locked` (`.ci/run` installs it when
//! missing). The tests that need it are `#[ignore]`d for a plain `cargo test`; `.ci/run` runs
//! them with `--ignored`, and there a missing `garage` is a failure.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

pub struct Garage {
    child: Child,
    dir: tempfile::TempDir,
    pub config: PathBuf,
    pub s3_port: u16,
    pub web_port: u16,
    pub key_id: String,
    pub secret: String,
}

/// The `garage` binary: `$GARAGE_BIN`, else on `PATH`, else `~/.cargo/bin/garage`.
pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("GARAGE_BIN") {
        return PathBuf::from(p);
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("garage"))
            .find(|p| p.is_file())
    });
    on_path
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| Path::new(&h).join(".cargo/bin/garage"))
                .filter(|p| p.is_file())
        })
        .unwrap_or_else(|| {
            panic!(
                "these tests need the `garage` binary (an S3-compatible object store): install it with `cargo install garage --locked`, or set GARAGE_BIN"
            )
        })
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

static SHARED: Mutex<Weak<Garage>> = Mutex::new(Weak::new());

/// The running Garage, started if no test holds one.
pub fn shared() -> Arc<Garage> {
    let mut slot = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(g) = slot.upgrade() {
        return g;
    }
    let g = Arc::new(Garage::start());
    *slot = Arc::downgrade(&g);
    g
}

impl Garage {
    fn start() -> Garage {
        let bin = binary();
        let dir = tempfile::tempdir().unwrap();
        let (rpc, s3, web, admin) = (free_port(), free_port(), free_port(), free_port());
        let secret: String = (0..4).map(|_| format!("{:016x}", rand_u64())).collect();
        let config = dir.path().join("garage.toml");
        std::fs::write(
            &config,
            format!(
                r#"metadata_dir = "{meta}"
data_dir = "{data}"
db_engine = "sqlite"
replication_factor = 1
rpc_bind_addr = "127.0.0.1:{rpc}"
rpc_public_addr = "127.0.0.1:{rpc}"
rpc_secret = "{secret}"

[s3_api]
s3_region = "garage"
api_bind_addr = "127.0.0.1:{s3}"
root_domain = ".s3.garage.localhost"

[s3_web]
bind_addr = "127.0.0.1:{web}"
root_domain = ".web.garage.localhost"
index = "index.html"

[admin]
api_bind_addr = "127.0.0.1:{admin}"
"#,
                meta = dir.path().join("meta").display(),
                data = dir.path().join("data").display(),
            ),
        )
        .unwrap();
        let log = std::fs::File::create(dir.path().join("garage.log")).unwrap();
        let child = Command::new(&bin)
            .arg("-c")
            .arg(&config)
            .arg("server")
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {}: {e}", bin.display()));
        let mut g = Garage {
            child,
            dir,
            config,
            s3_port: s3,
            web_port: web,
            key_id: String::new(),
            secret: String::new(),
        };
        g.set_up();
        g
    }

    /// Layout (one node, 1 GB), one key with rights given per bucket.
    fn set_up(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        // `node id` reads the node's key on disk; `status` needs the server to answer.
        loop {
            match self.try_cli(&["status"]) {
                Ok(s) if s.contains("HEALTHY NODES") => break,
                _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(200)),
                other => panic!("garage did not start: {other:?}\n{}", self.log()),
            }
        }
        let id = self.cli(&["node", "id", "-q"]);
        let node = id.split('@').next().unwrap().trim().to_string();
        self.cli(&["layout", "assign", "-z", "dc1", "-c", "1G", &node]);
        self.cli(&["layout", "apply", "--version", "1"]);
        let out = self.cli(&["key", "create", "briefing-test"]);
        self.key_id = field(&out, "Key ID:");
        self.secret = field(&out, "Secret key:");
    }

    /// A new bucket the test key may read and write, served by the website endpoint.
    pub fn bucket(&self, name: &str) -> String {
        self.cli(&["bucket", "create", name]);
        self.cli(&[
            "bucket",
            "allow",
            "--read",
            "--write",
            "--owner",
            name,
            "--key",
            &self.key_id,
        ]);
        self.cli(&["bucket", "website", "--allow", name]);
        name.to_string()
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.s3_port)
    }

    fn try_cli(&self, args: &[&str]) -> Result<String, String> {
        let out = Command::new(binary())
            .arg("-c")
            .arg(&self.config)
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            Ok(text)
        } else {
            Err(text)
        }
    }

    pub fn cli(&self, args: &[&str]) -> String {
        self.try_cli(args)
            .unwrap_or_else(|e| panic!("garage {args:?} failed:\n{e}\n{}", self.log()))
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("garage.log")).unwrap_or_default()
    }

    /// GET `path` from the website endpoint of `bucket`, as a browser would (Host header).
    pub fn web_get(&self, bucket: &str, path: &str) -> WebResponse {
        http_get(
            self.web_port,
            &format!("{bucket}.web.garage.localhost"),
            path,
        )
    }
}

impl Drop for Garage {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn field(out: &str, label: &str) -> String {
    out.lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| panic!("no `{label}` in garage's output:\n{out}"))
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    h.finish()
}

#[derive(Debug)]
pub struct WebResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl WebResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as a reader sees it: gunzipped when sent with `Content-Encoding: gzip`.
    pub fn text(&self) -> String {
        let bytes = if self.header("content-encoding") == Some("gzip") {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&self.body[..])
                .read_to_end(&mut out)
                .unwrap();
            out
        } else {
            self.body.clone()
        };
        String::from_utf8(bytes).unwrap()
    }
}

/// A minimal HTTP/1.0 GET (the connection closes after the response, so the body is
/// whatever follows the headers).
pub fn http_get(port: u16, host: &str, path: &str) -> WebResponse {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.0\r\nHost: {host}\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("an HTTP response");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    WebResponse {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}
