//! `briefing deploy` against a real object store: a single-node Garage cluster started on
//! 127.0.0.1 by the tests (see `common/garage.rs`). Each test deploys the fixture site into
//! its own bucket and checks the bucket, the report and the site as Garage's website
//! endpoint serves it to readers.
//!
//! The tests that need Garage are ignored by a plain `cargo test`; `.ci/run` installs Garage
//! and runs them with `cargo test -- --ignored`.

mod common;
#[path = "common/garage.rs"]
mod garage;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;
use std::sync::Arc;

use common::*;
use garage::Garage;
use object_store::{Attribute, ObjectStore, ObjectStoreExt};
use serde_json::Value;

/// A built fixture site with a `[[deploy]]` target pointing at its own Garage bucket.
struct Deployed {
    site: tempfile::TempDir,
    garage: Arc<Garage>,
    bucket: String,
}

impl Deployed {
    fn new(bucket: &str) -> Deployed {
        let garage = garage::shared();
        let bucket = garage.bucket(bucket);
        let site = site("basic");
        // A picture and a font, to check their types and that they are not gzipped.
        write(site.path(), "static/img/dot.png", "\u{89}PNG fake");
        write(site.path(), "static/fonts/serif.woff2", "wOF2 fake");
        let toml = read(site.path(), "briefing.toml");
        write(
            site.path(),
            "briefing.toml",
            &format!(
                "{toml}\n[[deploy]]\nname = \"garage\"\nurl = \"s3://{bucket}\"\nendpoint = \"{}\"\nregion = \"garage\"\nforce_path_style = true\ngzip = true\n\n[[deploy.rules]]\npattern = \"fonts/**\"\ncache_control = \"public, max-age=604800\"\n",
                garage.endpoint()
            ),
        );
        ok(site.path(), &["build"]);
        Deployed {
            site,
            garage,
            bucket,
        }
    }

    fn root(&self) -> &Path {
        self.site.path()
    }

    fn run_with(&self, args: &[&str], key: &str, secret: &str) -> Output {
        self.command(args, key, secret).output().unwrap()
    }

    /// `briefing deploy ARGS` with only the given credentials (nothing from the caller's AWS
    /// environment or files).
    fn command(&self, args: &[&str], key: &str, secret: &str) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_briefing"));
        cmd.arg("--root").arg(self.root()).arg("deploy").args(args);
        for (k, _) in std::env::vars() {
            if k.starts_with("AWS_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("AWS_ACCESS_KEY_ID", key)
            .env("AWS_SECRET_ACCESS_KEY", secret)
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                self.root().join("no-such-file"),
            )
            .env("AWS_CONFIG_FILE", self.root().join("no-such-file"))
            .env("NO_COLOR", "1");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &self.garage.key_id, &self.garage.secret)
    }

    /// `deploy --json` that must succeed: the report.
    fn deploy(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(
            out.status.success(),
            "deploy {args:?} failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// `deploy` that must fail with exit code 1: stderr.
    fn deploy_fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        stderr
    }

    fn public(&self) -> BTreeMap<String, Vec<u8>> {
        let mut t = tree(&self.root().join("public"));
        t.remove(".briefing-output");
        t
    }

    fn rebuild(&self) {
        ok(self.root(), &["build"]);
    }

    fn bucket(&self) -> Bucket {
        Bucket::read(&self.garage, &self.bucket)
    }
}

fn paths(report: &Value, field: &str) -> BTreeSet<String> {
    report[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.get("path").unwrap_or(v).as_str().unwrap().to_string())
        .collect()
}

fn requests(report: &Value, kind: &str) -> u64 {
    report["requests"][kind].as_u64().unwrap()
}

/// One object as stored: its bytes as a reader gets them (gunzipped) and its headers.
#[derive(Debug, Clone, PartialEq)]
struct Object {
    bytes: Vec<u8>,
    content_type: String,
    cache_control: String,
    content_encoding: Option<String>,
}

/// Everything in a bucket, read with the S3 API.
struct Bucket(BTreeMap<String, Object>);

fn s3(garage: &Garage, bucket: &str) -> object_store::aws::AmazonS3 {
    object_store::aws::AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_endpoint(garage.endpoint())
        .with_allow_http(true)
        .with_region("garage")
        .with_access_key_id(&garage.key_id)
        .with_secret_access_key(&garage.secret)
        .build()
        .unwrap()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// The keys in a bucket (one listing, no object read).
fn keys(garage: &Garage, bucket: &str) -> Vec<String> {
    use futures_util::TryStreamExt;
    let s3 = s3(garage, bucket);
    block_on(async {
        let metas: Vec<_> = s3.list(None).try_collect().await.unwrap();
        metas.into_iter().map(|m| m.location.to_string()).collect()
    })
}

impl Bucket {
    fn read(garage: &Garage, bucket: &str) -> Bucket {
        let s3 = s3(garage, bucket);
        block_on(async {
            use futures_util::TryStreamExt;
            let metas: Vec<_> = s3.list(None).try_collect().await.unwrap();
            let mut out = BTreeMap::new();
            for m in metas {
                let got = s3.get(&m.location).await.unwrap();
                let attr = |a: &Attribute| got.attributes.get(a).map(|v| v.as_ref().to_string());
                let content_type = attr(&Attribute::ContentType).unwrap_or_default();
                let cache_control = attr(&Attribute::CacheControl).unwrap_or_default();
                let content_encoding = attr(&Attribute::ContentEncoding);
                let raw = got.bytes().await.unwrap().to_vec();
                let bytes = if content_encoding.as_deref() == Some("gzip") {
                    let mut out = Vec::new();
                    std::io::Read::read_to_end(
                        &mut flate2::read::GzDecoder::new(&raw[..]),
                        &mut out,
                    )
                    .unwrap();
                    out
                } else {
                    raw
                };
                out.insert(
                    m.location.to_string(),
                    Object {
                        bytes,
                        content_type,
                        cache_control,
                        content_encoding,
                    },
                );
            }
            Bucket(out)
        })
    }

    /// The site files (the deploy's own manifest left out) with their reader-visible bytes.
    fn site(&self) -> BTreeMap<String, Vec<u8>> {
        self.0
            .iter()
            .filter(|(k, _)| k.as_str() != ".briefing-deploy.json")
            .map(|(k, o)| (k.clone(), o.bytes.clone()))
            .collect()
    }
}

#[test]
#[ignore = "needs garage"]
fn first_deploy_uploads_everything_with_types_encodings_and_cache_policies() {
    let d = Deployed::new("first");
    let public = d.public();
    let report = d.deploy(&[]);
    assert_eq!(paths(&report, "uploads"), public.keys().cloned().collect());
    assert_eq!(report["unchanged"], 0);
    assert!(paths(&report, "deletes").is_empty());

    let bucket = d.bucket();
    assert_eq!(bucket.site(), public, "the bucket holds exactly public/");
    let obj = |k: &str| {
        bucket
            .0
            .get(k)
            .unwrap_or_else(|| panic!("{k} not uploaded"))
    };
    for (key, ct, cc, gz) in [
        (
            "index.html",
            "text/html; charset=utf-8",
            "public, max-age=300",
            true,
        ),
        (
            "2026/11/26/magnet-line/index.html",
            "text/html; charset=utf-8",
            "public, max-age=300",
            true,
        ),
        (
            "atom.xml",
            "application/atom+xml; charset=utf-8",
            "public, max-age=300",
            true,
        ),
        (
            "rss.xml",
            "application/rss+xml; charset=utf-8",
            "public, max-age=300",
            true,
        ),
        (
            "feed.json",
            "application/feed+json; charset=utf-8",
            "public, max-age=300",
            true,
        ),
        (
            "sitemap.xml",
            "application/xml; charset=utf-8",
            "public, max-age=300",
            true,
        ),
        (
            "robots.txt",
            "text/plain; charset=utf-8",
            "public, max-age=300",
            true,
        ),
        (
            "style.css",
            "text/css; charset=utf-8",
            "public, max-age=3600",
            true,
        ),
        (
            "search.js",
            "text/javascript; charset=utf-8",
            "public, max-age=3600",
            true,
        ),
        (
            "search/index.js",
            "text/javascript; charset=utf-8",
            "public, max-age=300",
            true,
        ),
        (
            "favicon.svg",
            "image/svg+xml; charset=utf-8",
            "public, max-age=3600",
            true,
        ),
        ("img/dot.png", "image/png", "public, max-age=3600", false),
        (
            "fonts/serif.woff2",
            "font/woff2",
            "public, max-age=604800",
            false,
        ),
    ] {
        let o = obj(key);
        assert_eq!(o.content_type, ct, "{key}");
        assert_eq!(o.cache_control, cc, "{key}");
        assert_eq!(o.content_encoding.as_deref(), gz.then_some("gzip"), "{key}");
    }

    // Upload order: assets and shards, the search index, articles, lists, then the front.
    let order: Vec<String> = report["uploads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["tier"].as_str().unwrap().to_string())
        .collect();
    let rank = |t: &str| {
        ["asset", "search-index", "article", "list", "front"]
            .iter()
            .position(|x| *x == t)
            .unwrap()
    };
    assert!(
        order.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])),
        "{order:?}"
    );
    let pos = |p: &str| {
        report["uploads"]
            .as_array()
            .unwrap()
            .iter()
            .position(|u| u["path"] == p)
            .unwrap()
    };
    assert!(pos("style.css") < pos("2026/11/26/magnet-line/index.html"));
    assert!(pos("2026/11/26/magnet-line/index.html") < pos("2026/11/26/index.html"));
    assert!(pos("2026/11/26/index.html") < pos("index.html"));
    assert!(pos("topics/raw-materials/index.html") < pos("atom.xml"));
}

#[test]
#[ignore = "needs garage"]
fn a_second_deploy_sends_nothing_and_asks_nothing() {
    let d = Deployed::new("second");
    d.deploy(&[]);
    let before = d.bucket();
    let report = d.deploy(&[]);
    assert!(paths(&report, "uploads").is_empty(), "{report:#}");
    assert!(paths(&report, "deletes").is_empty());
    assert_eq!(
        report["unchanged"].as_u64().unwrap() as usize,
        d.public().len()
    );
    assert_eq!(requests(&report, "put"), 0);
    assert_eq!(requests(&report, "delete"), 0);
    // The manifest vouches for every object: no HEAD per file.
    assert_eq!(requests(&report, "head"), 0, "{report:#}");
    assert_eq!(report["remote_asked"], 0);
    assert_eq!(d.bucket().0, before.0);

    // Without the manifest, each object's metadata is read instead, with the same result.
    block_on(s3(&d.garage, &d.bucket).delete(&".briefing-deploy.json".into())).unwrap();
    let report = d.deploy(&[]);
    assert!(paths(&report, "uploads").is_empty(), "{report:#}");
    assert_eq!(requests(&report, "head") as usize, d.public().len());
    assert_eq!(
        requests(&report, "put"),
        1,
        "only the manifest is written again"
    );
    let report = d.deploy(&[]);
    assert_eq!(requests(&report, "head") + requests(&report, "put"), 0);
}

#[test]
#[ignore = "needs garage"]
fn editing_one_article_uploads_exactly_the_files_the_build_changed() {
    let d = Deployed::new("edit");
    d.deploy(&[]);
    let before = d.public();
    let path = "content/2026-11-25/lithium-permit.md";
    let text = read(d.root(), path);
    write(
        d.root(),
        path,
        &format!("{text}\nA closing paragraph added after publication.\n"),
    );
    d.rebuild();
    let after = d.public();
    let changed: BTreeSet<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect();
    assert!(
        changed.contains("2026/11/25/lithium-permit/index.html"),
        "{changed:?}"
    );
    assert!(!changed.contains("2026/11/26/magnet-line/index.html"));

    let report = d.deploy(&[]);
    assert_eq!(paths(&report, "uploads"), changed);
    assert!(paths(&report, "deletes").is_empty());
    assert_eq!(
        requests(&report, "put") as usize,
        changed.len() + 1,
        "pages + manifest"
    );
    assert_eq!(d.bucket().site(), after);
}

#[test]
#[ignore = "needs garage"]
fn deleting_an_article_deletes_exactly_the_files_that_are_gone() {
    let d = Deployed::new("delete");
    d.deploy(&[]);
    let before: BTreeSet<String> = d.public().into_keys().collect();
    std::fs::remove_file(d.root().join("content/2026-11-26/river-levels.md")).unwrap();
    d.rebuild();
    let after: BTreeSet<String> = d.public().into_keys().collect();
    let gone: BTreeSet<String> = before.difference(&after).cloned().collect();
    assert!(
        gone.contains("2026/11/26/river-levels/index.html"),
        "{gone:?}"
    );
    // One article takes its pages and the search chunks of its own words with it: more than
    // the default guard allows on a site this small.
    let report = d.deploy(&["--force"]);
    assert_eq!(paths(&report, "deletes"), gone);
    assert_eq!(requests(&report, "delete"), 1, "one bulk request");
    assert_eq!(d.bucket().site(), d.public());
    let home = d.garage.web_get(&d.bucket, "/2026/11/26/river-levels/");
    assert_eq!(home.status, 404);
}

#[test]
#[ignore = "needs garage"]
fn a_dry_run_reports_the_plan_and_changes_nothing() {
    let d = Deployed::new("dry");
    let report = d.deploy(&["--dry-run"]);
    assert_eq!(report["dry_run"], true);
    assert_eq!(
        paths(&report, "uploads"),
        d.public().keys().cloned().collect()
    );
    assert_eq!(requests(&report, "put") + requests(&report, "delete"), 0);
    assert!(d.bucket().0.is_empty());

    d.deploy(&[]);
    let before = d.bucket().0;
    std::fs::remove_file(d.root().join("content/2026-11-26/river-levels.md")).unwrap();
    d.rebuild();
    let out = d.run(&["--dry-run", "--force"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("would delete  2026/11/26/river-levels/index.html"),
        "{stderr}"
    );
    assert!(stderr.contains("(dry run: nothing changed)"), "{stderr}");
    assert_eq!(d.bucket().0, before);
}

#[test]
#[ignore = "needs garage"]
fn the_max_deletes_guard_stops_before_any_change_unless_forced() {
    let d = Deployed::new("guard");
    d.deploy(&[]);
    let before = d.bucket().0;
    // Two articles whose days and topics keep other articles: their pages go, and the
    // search files of words only they had.
    let files_before: BTreeSet<String> = d.public().into_keys().collect();
    for f in ["2026-11-26/magnet-line.md", "2026-11-25/cloud-pact.md"] {
        std::fs::remove_file(d.root().join("content").join(f)).unwrap();
    }
    d.rebuild();
    let files_after: BTreeSet<String> = d.public().into_keys().collect();
    let gone = files_before.difference(&files_after).count();
    assert!(gone >= 2, "{gone}");
    let err = d.deploy_fails(&["--max-deletes", "1"]);
    assert!(
        err.contains(&format!(
            "deploy target `garage`: refusing to delete {gone} of"
        )),
        "{err}"
    );
    assert!(err.contains("Nothing was changed"), "{err}");
    assert_eq!(d.bucket().0, before, "not even the uploads ran");
    let report = d.deploy(&["--max-deletes", "1", "--force"]);
    assert_eq!(paths(&report, "deletes").len(), gone);
    assert_eq!(d.bucket().site(), d.public());
}

#[test]
#[ignore = "needs garage"]
fn a_deploy_killed_midway_is_finished_by_the_next_one() {
    let d = Deployed::new("killed");
    d.deploy(&[]);
    let old = d.public();
    // Many new files, sent one at a time, so that the kill lands in the middle.
    for i in 0..300 {
        write(
            d.root(),
            &format!("static/notes/{i:03}.txt"),
            &format!("note {i}\n"),
        );
    }
    let text = read(d.root(), "content/2026-11-26/chip-deal.md");
    write(
        d.root(),
        "content/2026-11-26/chip-deal.md",
        &text.replace("\n---\n", "\n---\nAn added opening line.\n\n"),
    );
    d.rebuild();
    let new = d.public();

    let mut child = d
        .command(&["--jobs", "1", "-q"], &d.garage.key_id, &d.garage.secret)
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let n = keys(&d.garage, &d.bucket)
            .iter()
            .filter(|k| k.starts_with("notes/"))
            .count();
        if n >= 5 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the deploy never started uploading"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the deploy finished too fast to be killed"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();

    let half = d.bucket();
    let notes = half.0.keys().filter(|k| k.starts_with("notes/")).count();
    assert!(notes < 300, "killed midway: {notes} of 300 notes");
    for (key, obj) in &half.0 {
        if key == ".briefing-deploy.json" {
            continue;
        }
        assert!(
            old.get(key) == Some(&obj.bytes) || new.get(key) == Some(&obj.bytes),
            "{key}: neither the old nor the new file"
        );
    }
    // The pages readers arrive on were not reached yet: still the old ones.
    assert_eq!(half.0["index.html"].bytes, old["index.html"]);

    let report = d.deploy(&[]);
    assert!(
        paths(&report, "uploads").len() < 300 + 10,
        "only what was still different"
    );
    assert!(report["remote_asked"].as_u64().unwrap() >= notes as u64);
    assert_eq!(d.bucket().site(), new);
}

#[test]
#[ignore = "needs garage"]
fn wrong_credentials_and_a_missing_bucket_are_clear_errors() {
    let d = Deployed::new("errors");
    let out = d.run_with(&[], "GK0123456789abcdef01234567", &"0".repeat(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: deploy target `garage` (s3://errors/ at http://127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("the store refused the credentials"), "{err}");

    let toml = read(d.root(), "briefing.toml").replace("s3://errors", "s3://no-such-bucket");
    write(d.root(), "briefing.toml", &toml);
    let err = d.deploy_fails(&[]);
    assert!(
        err.contains("deploy target `garage` (s3://no-such-bucket/"),
        "{err}"
    );
    assert!(
        err.contains("the bucket `no-such-bucket` does not exist"),
        "{err}"
    );
}

#[test]
#[ignore = "needs garage"]
fn the_site_works_from_the_website_endpoint() {
    let d = Deployed::new("web");
    d.deploy(&[]);
    let get = |p: &str| {
        let r = d.garage.web_get(&d.bucket, p);
        assert_eq!(r.status, 200, "{p}: {r:?}");
        r
    };
    let home = get("/");
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("content-encoding"), Some("gzip"));
    let html = home.text();
    assert!(html.contains("Magnet line starts production"), "{html}");
    // Every relative link of the home page resolves through the endpoint.
    for link in links(&html) {
        if link.starts_with("http") || link.starts_with('#') || link.starts_with("mailto:") {
            continue;
        }
        let path = format!("/{}", link.trim_start_matches("./"));
        let path = path.split('#').next().unwrap();
        assert_eq!(d.garage.web_get(&d.bucket, path).status, 200, "{path}");
    }
    let article = get("/2026/11/26/magnet-line/").text();
    assert!(article.contains("A new line for rare-earth magnets started work."));
    let topic = get("/topics/raw-materials/").text();
    assert!(topic.contains("Magnet line starts production"), "{topic}");
    let feed = get("/atom.xml");
    assert_eq!(
        feed.header("content-type"),
        Some("application/atom+xml; charset=utf-8")
    );
    let parsed = feed_rs::parser::parse(feed.text().as_bytes()).unwrap();
    assert_eq!(parsed.entries.len(), 5);

    // Search: the page, its script, the index and every shard it names.
    let search = get("/search/").text();
    assert!(search.contains("search/index.js"), "{search}");
    get("/search.js");
    let index = get("/search/index.js").text();
    assert!(index.starts_with("window.BRIEFING_SEARCH="), "{index}");
    // Every word chunk and result fragment the build wrote is served.
    let files: Vec<String> = d
        .public()
        .into_keys()
        .filter(|p| p.starts_with("search/t/") || p.starts_with("search/f/"))
        .collect();
    assert!(
        files.iter().any(|p| p.starts_with("search/t/")),
        "{files:?}"
    );
    let all: String = files.iter().map(|p| get(&format!("/{p}")).text()).collect();
    assert!(all.contains("Magnet line starts production"));
}

#[test]
fn deploy_refuses_a_site_that_was_not_built() {
    let site = site("basic");
    let toml = read(site.path(), "briefing.toml");
    write(
        site.path(),
        "briefing.toml",
        &format!("{toml}\n[[deploy]]\nname = \"s3\"\nurl = \"s3://bucket-1\"\n"),
    );
    let err = fails(site.path(), &["deploy"]);
    assert!(
        err.contains("public: not found; run `briefing build` before `briefing deploy`"),
        "{err}"
    );
    write(site.path(), "public/index.html", "<p>hand-made</p>");
    let err = fails(site.path(), &["deploy", "--target", "s3"]);
    assert!(err.contains("not written by `briefing build`"), "{err}");
    let err = usage_error(site.path(), &["deploy", "--target", "other"]);
    assert!(
        err.contains("no deploy target `other` in briefing.toml; the targets are: s3"),
        "{err}"
    );
}
