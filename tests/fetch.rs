//! `briefing fetch` and `briefing ingest <URL>` against real HTTP servers on 127.0.0.1 that the
//! tests start (tests/origin): conditional requests, encodings, redirects, faults, politeness,
//! the address policy, full text, de-duplication across sources, and nothing lost. Timeouts in
//! these sites are 1 s, so every fault test ends by itself within a few seconds.

mod common;
mod origin;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use common::{briefing, read};
use origin::{Origin, Reply};
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------- fixtures (our own words)

struct Story {
    title: &'static str,
    text: &'static str,
}

const STORIES: [Story; 6] = [
    Story {
        title: "Nickel smelter restarts after repairs",
        text: "The Kalvik nickel smelter restarted its second furnace on Tuesday after four weeks of repairs to the cooling system. Managers expect output to reach full capacity by March, ending a shortage that had pushed regional prices higher.",
    },
    Story {
        title: "Two chipmakers share packaging plant",
        text: "Two chipmakers agreed to share an advanced packaging plant in Dresden, splitting the cost of new bonding machines. The partnership lets both firms stack memory dies without building separate lines, executives told reporters.",
    },
    Story {
        title: "Harbour cranes idle as dockers strike",
        text: "Container cranes stood idle at the port of Valmera as dockers walked out over night-shift rotas. Shipping agents diverted three vessels to a neighbouring harbour while union leaders and the port authority met for talks.",
    },
    Story {
        title: "Lithium brine project wins water permit",
        text: "A lithium brine project in the high desert won its water permit after regulators accepted a plan to reinject spent brine. Farmers downstream had objected for two years, fearing their wells would run dry during the harvest.",
    },
    Story {
        title: "City council votes for night buses",
        text: "The city council voted to run night buses on six routes from January, funded by a small rise in parking fees. Commuters working late shifts at the hospital and the airport had petitioned for the service since spring.",
    },
    Story {
        title: "Copper cable maker opens recycling line",
        text: "A copper cable maker opened a recycling line that strips insulation from scrap and melts the metal into new rod. The company says the line will cover a fifth of its copper needs and cut the energy used per tonne by half.",
    },
];

fn item(story: &Story, link: &str, day: u32) -> String {
    format!(
        "<item><title>{}</title><link>{link}</link><pubDate>{} Nov 2026 07:00:00 GMT</pubDate><description>&lt;p&gt;{}&lt;/p&gt;</description></item>",
        story.title, day, story.text
    )
}

fn rss(title: &str, items: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>{title}</title><link>https://wire.example/</link><description>Test feed</description>{}</channel></rss>",
        items.concat()
    )
}

/// A feed with stories `which`, each linking to `/story/<n>` on `origin`.
fn feed(origin: &Origin, which: &[usize]) -> String {
    let items: Vec<String> = which
        .iter()
        .map(|&i| item(&STORIES[i], &origin.url(&format!("/story/{i}")), 24))
        .collect();
    rss("Wire", &items)
}

/// The article page of story `i`: a long text under site furniture.
fn page(i: usize, extra: &str) -> String {
    let s = &STORIES[i];
    format!(
        "<!doctype html><html><head><title>{t} | Wire</title><meta property=\"article:published_time\" content=\"2026-11-24T08:00:00Z\"></head><body><nav><a href=\"/\">Home</a></nav><article><h1>{t}</h1><p>{x}</p><p>{extra}The full report adds that inspectors will visit again in the spring, and that the budget for the work was approved by the board last month after a long debate.</p></article><footer>Wire footer</footer></body></html>",
        t = s.title,
        x = s.text
    )
}

/// A site whose `[fetch]` has small timeouts and no delay; `fetch` lines replace those keys.
fn site(sources: &str, fetch: &str) -> TempDir {
    let defaults = [
        "delay = 0.0",
        "timeout = 1.0",
        "connect_timeout = 1.0",
        "retries = 1",
        "backoff = 0.05",
        "max_bytes = 200000",
    ];
    let key = |l: &str| l.split('=').next().unwrap_or("").trim().to_string();
    let given: Vec<String> = fetch.lines().map(key).collect();
    let mut lines: Vec<&str> = defaults
        .into_iter()
        .filter(|d| !given.contains(&key(d)))
        .collect();
    lines.extend(fetch.lines());
    let fetch = lines.join("\n");
    let dir = tempfile::tempdir().unwrap();
    let toml = format!(
        r#"title = "Fetch test"
base_url = "https://example.org/"
timezone = "UTC"

[[topics]]
slug = "tech-partnerships"
name = "Tech partnerships"
keywords = ["partnership", "chipmakers"]

[[topics]]
slug = "raw-materials"
name = "Raw materials"
keywords = ["lithium", "nickel", "copper"]

[fetch]
{fetch}

{sources}
"#
    );
    common::write(dir.path(), "briefing.toml", &toml);
    dir
}

fn source(name: &str, url: &str, more: &str) -> String {
    format!("[[sources]]\nname = \"{name}\"\nurl = \"{url}\"\n{more}\n")
}

struct Run {
    code: i32,
    json: Value,
    stderr: String,
}

fn fetch(root: &Path, args: &[&str]) -> Run {
    let mut all = vec!["fetch", "--json"];
    all.extend_from_slice(args);
    let out: Output = briefing(root, &all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON on stdout ({e}); stderr:\n{stderr}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        json,
        stderr,
    }
}

impl Run {
    fn source(&self, name: &str) -> &Value {
        self.json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("no source {name} in {}", self.json))
    }
    fn outcome(&self, name: &str) -> String {
        self.source(name)["outcome"].as_str().unwrap().to_string()
    }
    fn failure(&self, name: &str) -> (String, String) {
        let s = self.source(name);
        (
            s["failure"].as_str().unwrap_or("").to_string(),
            s["reason"].as_str().unwrap_or("").to_string(),
        )
    }
}

/// Every article file under content/ (path → text).
fn articles(root: &Path) -> Vec<(String, String)> {
    if !root.join("content").exists() {
        return Vec::new();
    }
    let mut out: Vec<(String, String)> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().display().to_string(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn article_titled<'a>(all: &'a [(String, String)], title: &str) -> &'a str {
    all.iter()
        .find(|(_, t)| t.contains(&format!("title: \"{title}\"")))
        .map(|(_, t)| t.as_str())
        .unwrap_or_else(|| {
            panic!(
                "no article {title:?} among {:?}",
                all.iter().map(|a| &a.0).collect::<Vec<_>>()
            )
        })
}

// ---------------------------------------------------------------- conditional requests

#[test]
fn second_run_is_conditional_writes_nothing_and_build_shows_the_edition() {
    let o = Origin::start();
    o.route(
        "/etag.xml",
        vec![Reply::rss(feed(&o, &[0, 1])).header("etag", "\"v1\"")],
    );
    o.route(
        "/lm.xml",
        vec![Reply::rss(feed(&o, &[2])).header("last-modified", "Tue, 24 Nov 2026 07:00:00 GMT")],
    );
    let dir = site(
        &(source("Tagged", &o.url("/etag.xml"), "") + &source("Dated", &o.url("/lm.xml"), "")),
        "",
    );
    let root = dir.path();

    let first = fetch(root, &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.outcome("Tagged"), "fetched");
    assert_eq!(first.source("Tagged")["new"], 2);
    assert_eq!(first.source("Dated")["new"], 1);
    assert!(
        first.stderr.contains("2 fetched, 0 not modified, 0 failed"),
        "{}",
        first.stderr
    );
    let written = articles(root);
    assert_eq!(written.len(), 3);
    let nickel = article_titled(&written, "Nickel smelter restarts after repairs");
    assert!(nickel.contains("name: \"Tagged\""), "{nickel}");
    assert!(nickel.contains(&o.url("/story/0")), "{nickel}");
    assert!(nickel.contains("topic: \"raw-materials\""), "{nickel}");
    let state = read(root, "content/.fetch-state.json");
    assert!(state.contains("\\\"v1\\\""), "{state}");

    let second = fetch(root, &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(second.outcome("Tagged"), "not-modified");
    assert_eq!(second.outcome("Dated"), "not-modified");
    assert_eq!(second.json["requests"], 2);
    assert_eq!(second.json["articles"].as_array().unwrap().len(), 0);
    assert_eq!(articles(root), written, "the second run wrote nothing");
    let tagged = o.requests_to("/etag.xml");
    assert_eq!(
        tagged[1].headers.get("if-none-match").map(String::as_str),
        Some("\"v1\"")
    );
    assert_eq!(tagged[1].status, 304);
    let dated = o.requests_to("/lm.xml");
    assert_eq!(
        dated[1]
            .headers
            .get("if-modified-since")
            .map(String::as_str),
        Some("Tue, 24 Nov 2026 07:00:00 GMT")
    );
    assert!(
        tagged[0].headers["user-agent"]
            .starts_with(&format!("briefing/{}", env!("CARGO_PKG_VERSION")))
    );

    common::ok(root, &["build"]);
    let edition = read(root, "public/2026/11/24/index.html");
    assert!(
        edition.contains("Nickel smelter restarts after repairs"),
        "edition page lacks the story"
    );
}

#[test]
fn a_changed_feed_brings_only_its_new_items() {
    let o = Origin::start();
    o.route(
        "/feed.xml",
        vec![
            Reply::rss(feed(&o, &[0])).header("etag", "\"a\""),
            Reply::rss(feed(&o, &[3, 0])).header("etag", "\"b\""),
        ],
    );
    let dir = site(&source("Wire", &o.url("/feed.xml"), ""), "");
    let first = fetch(dir.path(), &[]);
    assert_eq!(first.source("Wire")["new"], 1);
    let second = fetch(dir.path(), &[]);
    assert_eq!(second.outcome("Wire"), "fetched");
    // The item ingested yesterday is not taken again; only the new one is.
    assert_eq!(second.source("Wire")["articles"], 1);
    assert_eq!(second.source("Wire")["new"], 1);
    assert_eq!(articles(dir.path()).len(), 2);
}

// ---------------------------------------------------------------- encodings

/// A gzip stream with one stored (uncompressed) deflate block: real gzip, no encoder needed.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    assert!(data.len() < 65535);
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.push(1); // final block, stored
    let len = data.len() as u16;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(data);
    let mut crc = 0xffff_ffffu32;
    for &b in data {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    out.extend_from_slice(&(!crc).to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out
}

#[test]
fn gzip_bodies_are_decompressed() {
    let o = Origin::start();
    o.route(
        "/feed.xml",
        vec![Reply::rss(gzip_stored(feed(&o, &[1]).as_bytes())).header("content-encoding", "gzip")],
    );
    let dir = site(&source("Zipped", &o.url("/feed.xml"), ""), "");
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.source("Zipped")["new"], 1);
    let accept = &o.requests_to("/feed.xml")[0].headers["accept-encoding"];
    assert!(accept.contains("gzip") && accept.contains("br"), "{accept}");
}

#[test]
fn windows_1252_page_declared_in_meta() {
    let o = Origin::start();
    let html = page(0, "Caf\u{e9} owners paid \u{20ac}4 more per sack. ");
    let bytes: Vec<u8> = html
        .replace("<head>", "<head><meta charset=\"windows-1252\">")
        .chars()
        .map(|c| match c {
            '\u{e9}' => 0xe9,
            '\u{20ac}' => 0x80,
            c => c as u8,
        })
        .collect();
    o.route("/story.html", vec![Reply::html(bytes)]);
    let dir = site(
        &source("Legacy", &o.url("/story.html"), "kind = \"page\""),
        "",
    );
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = articles(dir.path());
    assert_eq!(all.len(), 1);
    assert!(
        all[0].1.contains("Café owners paid €4 more per sack."),
        "{}",
        all[0].1
    );
}

// ---------------------------------------------------------------- redirects

#[test]
fn redirect_chains_are_followed_and_loops_and_long_chains_refused() {
    let o = Origin::start();
    o.route("/r1", vec![Reply::redirect("/r2")]);
    o.route("/r2", vec![Reply::redirect(&o.url("/r3"))]);
    o.route("/r3", vec![Reply::redirect("/feed.xml")]);
    o.route("/feed.xml", vec![Reply::rss(feed(&o, &[2]))]);
    o.route("/loop-a", vec![Reply::redirect("/loop-b")]);
    o.route("/loop-b", vec![Reply::redirect("/loop-a")]);
    for i in 0..7 {
        o.route(
            &format!("/hop{i}"),
            vec![Reply::redirect(&format!("/hop{}", i + 1))],
        );
    }
    o.route("/hop7", vec![Reply::rss(feed(&o, &[3]))]);
    let dir = site(
        &(source("Chain", &o.url("/r1"), "")
            + &source("Loop", &o.url("/loop-a"), "")
            + &source("Long", &o.url("/hop0"), "")),
        "",
    );
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(run.outcome("Chain"), "fetched");
    assert_eq!(run.source("Chain")["new"], 1);
    let (kind, reason) = run.failure("Loop");
    assert_eq!(kind, "redirect-loop", "{reason}");
    assert!(reason.contains("/loop-a was already visited"), "{reason}");
    let (kind, reason) = run.failure("Long");
    assert_eq!(kind, "too-many-redirects", "{reason}");
    assert!(reason.contains("more than 5 redirects"), "{reason}");
    assert!(
        run.stderr.contains("source `Loop` failed (redirect-loop)"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- faults

#[test]
fn http_errors_retries_and_retry_after() {
    let o = Origin::start();
    o.route("/missing.xml", vec![Reply::status(404)]);
    o.route(
        "/flaky.xml",
        vec![Reply::status(500), Reply::rss(feed(&o, &[0]))],
    );
    o.route(
        "/busy.xml",
        vec![
            Reply::status(429).header("retry-after", "1"),
            Reply::rss(feed(&o, &[1])),
        ],
    );
    o.route(
        "/closed.xml",
        vec![Reply::status(503).header("retry-after", "3600")],
    );
    let dir = site(
        &(source("Missing", &o.url("/missing.xml"), "")
            + &source("Flaky", &o.url("/flaky.xml"), "")
            + &source("Busy", &o.url("/busy.xml"), "")
            + &source("Closed", &o.url("/closed.xml"), "")),
        "",
    );
    let started = Instant::now();
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(
        run.failure("Missing"),
        ("http-status".into(), "HTTP 404 Not Found".into())
    );
    assert_eq!(
        o.requests_to("/missing.xml").len(),
        1,
        "a 404 is not retried"
    );
    assert_eq!(run.outcome("Flaky"), "fetched");
    assert_eq!(o.requests_to("/flaky.xml").len(), 2);
    assert_eq!(run.outcome("Busy"), "fetched");
    let busy = o.requests_to("/busy.xml");
    assert_eq!((busy[0].status, busy[1].status), (429, 200));
    let (kind, reason) = run.failure("Closed");
    assert_eq!(kind, "rate-limited", "{reason}");
    assert!(reason.contains("Retry-After asks for 3600 s"), "{reason}");
    assert_eq!(o.requests_to("/closed.xml").len(), 1, "no waiting an hour");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was waited for"
    );
    // The failed sources left no trace in the state; the good ones are written.
    let state = read(dir.path(), "content/.fetch-state.json");
    assert!(
        !state.contains("missing.xml") && !state.contains("closed.xml"),
        "{state}"
    );
    assert_eq!(articles(dir.path()).len(), 2);
}

#[test]
fn slow_large_and_non_feed_responses_fail_their_source_only() {
    let o = Origin::start();
    o.route(
        "/slow.xml",
        vec![Reply::rss(feed(&o, &[0])).delay(Duration::from_secs(5))],
    );
    o.route("/big.xml", vec![Reply::rss(vec![b'x'; 300_000])]);
    o.route(
        "/text.xml",
        vec![Reply::rss("This is plain text, not a feed at all.")],
    );
    o.route("/good.xml", vec![Reply::rss(feed(&o, &[5]))]);
    let dir = site(
        &(source("Slow", &o.url("/slow.xml"), "")
            + &source("Big", &o.url("/big.xml"), "")
            + &source("Text", &o.url("/text.xml"), "kind = \"feed\"")
            + &source("Good", &o.url("/good.xml"), "")),
        "",
    );
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let (kind, reason) = run.failure("Slow");
    assert_eq!(kind, "timeout", "{reason}");
    assert_eq!(
        o.requests_to("/slow.xml").len(),
        2,
        "one retry after a timeout"
    );
    let (kind, reason) = run.failure("Big");
    assert_eq!(kind, "too-large", "{reason}");
    assert!(reason.contains("max_bytes = 200000"), "{reason}");
    let (kind, reason) = run.failure("Text");
    assert_eq!(kind, "content", "{reason}");
    assert!(
        reason.starts_with("feed: not a valid RSS, Atom or JSON feed"),
        "{reason}"
    );
    assert_eq!(run.outcome("Good"), "fetched");
    assert_eq!(articles(dir.path()).len(), 1);
}

#[test]
fn a_hostile_feed_fails_alone_and_crashes_nothing() {
    let o = Origin::start();
    // A second XML declaration naming an encoding once panicked the XML reader (fuzzing).
    let hostile = feed(&o, &[0]).replace(
        "<channel>",
        "<channel><?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>",
    );
    o.route("/hostile.xml", vec![Reply::rss(hostile)]);
    o.route("/good.xml", vec![Reply::rss(feed(&o, &[1]))]);
    let dir = site(
        &(source("Hostile", &o.url("/hostile.xml"), "") + &source("Good", &o.url("/good.xml"), "")),
        "",
    );
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let (kind, reason) = run.failure("Hostile");
    assert_eq!(kind, "content");
    assert!(reason.contains("an XML declaration"), "{reason}");
    assert_eq!(run.source("Good")["new"], 1);
}

#[test]
fn robots_txt_is_honoured_for_pages_and_read_once() {
    let o = Origin::start();
    o.route(
        "/robots.txt",
        vec![Reply::new(
            200,
            "text/plain",
            "User-agent: *\nDisallow: /private/\n",
        )],
    );
    o.route("/private/story.html", vec![Reply::html(page(1, ""))]);
    o.route("/public/story.html", vec![Reply::html(page(2, ""))]);
    let dir = site(
        &(source("Hidden", &o.url("/private/story.html"), "kind = \"page\"")
            + &source("Open", &o.url("/public/story.html"), "kind = \"page\"")),
        "",
    );
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let (kind, reason) = run.failure("Hidden");
    assert_eq!(kind, "robots.txt", "{reason}");
    assert!(o.requests_to("/private/story.html").is_empty());
    assert_eq!(run.outcome("Open"), "fetched");
    assert_eq!(o.requests_to("/robots.txt").len(), 1, "cached for the run");
}

#[test]
fn at_most_two_requests_per_host_and_a_request_budget_per_run() {
    let o = Origin::start();
    let mut sources = String::new();
    for i in 0..6 {
        let path = format!("/f{i}.xml");
        o.route(
            &path,
            vec![Reply::rss(feed(&o, &[i])).delay(Duration::from_millis(150))],
        );
        sources += &source(&format!("F{i}"), &o.url(&path), "");
    }
    let dir = site(&sources, "");
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(o.max_in_flight(), 2, "per_host = 2 by default");

    let dir = site(&sources, "max_requests = 4");
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let failed: Vec<(String, String)> = (0..6)
        .map(|i| format!("F{i}"))
        .filter(|n| run.outcome(n) == "failed")
        .map(|n| run.failure(&n))
        .collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(
        failed
            .iter()
            .all(|(k, r)| k == "request-budget" && r.contains("budget of 4 requests")),
        "{failed:?}"
    );
}

// ---------------------------------------------------------------- full text and safety

#[test]
fn full_text_items_are_replaced_by_their_pages() {
    let o = Origin::start();
    o.route("/feed.xml", vec![Reply::rss(feed(&o, &[0, 3]))]);
    o.route(
        "/story/0",
        vec![Reply::html(page(0, "Exclusive detail one. "))],
    );
    o.route("/story/3", vec![Reply::status(404)]);
    let dir = site(
        &source("Teasers", &o.url("/feed.xml"), "full_text = true"),
        "",
    );
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = articles(dir.path());
    let full = article_titled(&all, STORIES[0].title);
    assert!(full.contains("Exclusive detail one."), "{full}");
    assert!(!full.contains("Wire footer"), "{full}");
    // The item whose page is gone keeps the feed's text, with a warning.
    let teaser = article_titled(&all, STORIES[3].title);
    assert!(teaser.contains("reinject spent brine"), "{teaser}");
    let warnings = run.source("Teasers")["warnings"].to_string();
    assert!(
        warnings.contains("HTTP 404") && warnings.contains("feed's text is kept"),
        "{warnings}"
    );
}

#[test]
fn item_links_to_another_loopback_port_are_refused_unless_allowed() {
    let feeds = Origin::start();
    let other = Origin::start();
    other.route("/story/1", vec![Reply::html(page(1, "Internal detail. "))]);
    let items = vec![item(&STORIES[1], &other.url("/story/1"), 24)];
    feeds.route("/feed.xml", vec![Reply::rss(rss("Wire", &items))]);

    let dir = site(
        &source("Wire", &feeds.url("/feed.xml"), "full_text = true"),
        "",
    );
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        other.requests().is_empty(),
        "the other port was not contacted"
    );
    let warnings = run.source("Wire")["warnings"].to_string();
    assert!(warnings.contains("is a loopback address"), "{warnings}");
    let all = articles(dir.path());
    assert!(!all[0].1.contains("Internal detail."), "{}", all[0].1);

    let allowed = format!("allow_private = [\"{}\"]", other.addr);
    let dir = site(
        &source("Wire", &feeds.url("/feed.xml"), "full_text = true"),
        &allowed,
    );
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(other.requests_to("/story/1").len(), 1);
    assert!(articles(dir.path())[0].1.contains("Internal detail."));
}

#[test]
fn redirects_into_another_private_address_are_refused() {
    let feeds = Origin::start();
    let other = Origin::start();
    other.route("/feed.xml", vec![Reply::rss(feed(&other, &[4]))]);
    feeds.route("/feed.xml", vec![Reply::redirect(&other.url("/feed.xml"))]);
    let dir = site(&source("Bouncer", &feeds.url("/feed.xml"), ""), "");
    let run = fetch(dir.path(), &[]);
    let (kind, reason) = run.failure("Bouncer");
    assert_eq!(kind, "refused", "{reason}");
    assert!(other.requests().is_empty());
}

#[test]
fn the_same_story_from_two_sources_is_one_article_with_two_sources() {
    let a = Origin::start();
    let b = Origin::start();
    a.route("/feed.xml", vec![Reply::rss(feed(&a, &[4, 1]))]);
    b.route("/feed.xml", vec![Reply::rss(feed(&b, &[4]))]);
    let dir = site(
        &(source("Metro Daily", &a.url("/feed.xml"), "")
            + &source("City Wire", &b.url("/feed.xml"), "")),
        "",
    );
    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let all = articles(dir.path());
    assert_eq!(
        all.len(),
        2,
        "{:?}",
        all.iter().map(|a| &a.0).collect::<Vec<_>>()
    );
    let bus = article_titled(&all, STORIES[4].title);
    assert!(bus.contains("source:\n  name: \"Metro Daily\""), "{bus}");
    assert!(bus.contains("sources:\n  - name: \"City Wire\""), "{bus}");
    assert_eq!(run.source("City Wire")["duplicate"], 1);
}

// ---------------------------------------------------------------- nothing lost

#[test]
fn a_failed_source_is_fetched_again_next_run_and_the_others_are_kept() {
    let o = Origin::start();
    o.route(
        "/good.xml",
        vec![Reply::rss(feed(&o, &[0])).header("etag", "\"g\"")],
    );
    o.route(
        "/later.xml",
        vec![
            Reply::status(502),
            Reply::status(502),
            Reply::rss(feed(&o, &[5])),
        ],
    );
    let dir = site(
        &(source("Good", &o.url("/good.xml"), "") + &source("Later", &o.url("/later.xml"), "")),
        "",
    );
    let first = fetch(dir.path(), &[]);
    assert_eq!(first.code, 3, "{}", first.stderr);
    assert_eq!(first.failure("Later").1, "HTTP 502 Bad Gateway");
    assert_eq!(articles(dir.path()).len(), 1);
    let second = fetch(dir.path(), &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(second.outcome("Good"), "not-modified");
    assert_eq!(second.outcome("Later"), "fetched");
    assert_eq!(articles(dir.path()).len(), 2);
}

#[test]
fn a_killed_fetch_leaves_nothing_half_done_and_the_next_run_finishes() {
    let o = Origin::start();
    o.route("/quick.xml", vec![Reply::rss(feed(&o, &[0]))]);
    o.route(
        "/stuck.xml",
        vec![
            Reply::rss(feed(&o, &[2])).delay(Duration::from_secs(20)),
            Reply::rss(feed(&o, &[2])),
        ],
    );
    let dir = site(
        &(source("Quick", &o.url("/quick.xml"), "") + &source("Stuck", &o.url("/stuck.xml"), "")),
        "timeout = 30.0",
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("briefing"))
        .args(["--root"])
        .arg(dir.path())
        .args(["fetch", "-q"])
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while o.requests_to("/stuck.xml").is_empty() || o.requests_to("/quick.xml").is_empty() {
        assert!(
            Instant::now() < deadline,
            "the fetch never reached the server"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        articles(dir.path()).is_empty(),
        "nothing written before every source is in"
    );
    assert!(!dir.path().join("content/.fetch-state.json").exists());

    let run = fetch(dir.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(articles(dir.path()).len(), 2);
}

#[test]
fn killed_after_the_articles_but_before_the_state_the_next_run_writes_no_copies() {
    let o = Origin::start();
    o.route(
        "/feed.xml",
        vec![Reply::rss(feed(&o, &[0, 1])).header("etag", "\"e\"")],
    );
    let dir = site(&source("Wire", &o.url("/feed.xml"), ""), "");
    assert_eq!(fetch(dir.path(), &[]).code, 0);
    let before = articles(dir.path());
    // What a kill between writing the articles and writing the state leaves behind.
    std::fs::remove_file(dir.path().join("content/.fetch-state.json")).unwrap();
    let again = fetch(dir.path(), &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.outcome("Wire"), "fetched");
    assert_eq!(again.source("Wire")["unchanged"], 2);
    assert_eq!(articles(dir.path()), before);
    assert!(dir.path().join("content/.fetch-state.json").exists());
}

// ---------------------------------------------------------------- options and config

#[test]
fn dry_run_writes_nothing_and_max_items_since_and_source_select() {
    let o = Origin::start();
    let items = vec![
        item(&STORIES[0], &o.url("/a"), 26),
        item(&STORIES[1], &o.url("/b"), 25),
        item(&STORIES[2], &o.url("/c"), 20),
    ];
    o.route("/feed.xml", vec![Reply::rss(rss("Wire", &items))]);
    o.route("/other.xml", vec![Reply::rss(feed(&o, &[5]))]);
    let dir = site(
        &(source("Wire", &o.url("/feed.xml"), "max_items = 2")
            + &source("Other", &o.url("/other.xml"), "enabled = false")),
        "",
    );
    let dry = fetch(dir.path(), &["--dry-run"]);
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert_eq!(dry.json["dry_run"], true);
    assert_eq!(dry.json["articles"].as_array().unwrap().len(), 2);
    assert!(
        dry.json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["name"] != "Other")
    );
    assert!(articles(dir.path()).is_empty());
    assert!(!dir.path().join("content/.fetch-state.json").exists());

    let since = fetch(dir.path(), &["--since", "2026-11-26"]);
    assert_eq!(since.source("Wire")["articles"], 1);

    let other = fetch(dir.path(), &["--source", "Other"]);
    assert_eq!(other.json["sources"].as_array().unwrap().len(), 1);
    assert_eq!(other.source("Other")["new"], 1);

    let out = briefing(dir.path(), &["fetch", "--source", "Nope"]);
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("unknown source `Nope` for --source, expected one of: Wire, Other")
    );
}

#[test]
fn bad_sources_are_config_errors_with_their_line() {
    let dir = site(
        &(source("A", "https://a.example/feed", "") + &source("A", "https://b.example/feed", "")),
        "",
    );
    let err = common::fails(dir.path(), &["fetch"]);
    assert!(
        err.contains("briefing.toml:28:8: source name `A` is used twice"),
        "{err}"
    );

    let dir = site(&source("F", "ftp://files.example/feed", ""), "");
    let err = common::fails(dir.path(), &["fetch"]);
    assert!(err.contains("briefing.toml:25:7: source `F`: `ftp://files.example/feed`: only http and https URLs can be fetched"), "{err}");

    let dir = site(&source("K", "https://a.example/", "colour = \"red\""), "");
    let err = common::fails(dir.path(), &["fetch"]);
    assert!(
        err.contains("briefing.toml:26:1: unknown field `colour`"),
        "{err}"
    );

    let dir = site(&source("T", "https://a.example/", "topic = \"sport\""), "");
    let err = common::fails(dir.path(), &["build"]);
    assert!(err.contains("source `T`: unknown topic `sport`"), "{err}");
}

#[test]
fn ingest_fetches_a_url_the_same_way() {
    let o = Origin::start();
    o.route("/story.html", vec![Reply::html(page(3, ""))]);
    o.route(
        "/robots.txt",
        vec![Reply::new(
            200,
            "text/plain",
            "User-agent: *\nDisallow: /no/\n",
        )],
    );
    let dir = site("", "");
    let url = o.url("/story.html");
    let out = common::ok(dir.path(), &["ingest", &url]);
    assert!(out.contains("1 written"), "{out}");
    let all = articles(dir.path());
    assert!(
        all[0].1.contains(&format!("url: \"{url}\"")),
        "{}",
        all[0].1
    );

    // A host name goes through fetch's own resolver (which keeps non-public addresses for the
    // hosts the user named): `localhost` given by the user is fetched.
    let by_name = format!("http://localhost:{}/story.html", o.addr.port());
    o.route("/story.html", vec![Reply::html(page(4, ""))]);
    let out = common::ok(dir.path(), &["ingest", &by_name]);
    assert!(out.contains("1 written"), "{out}");

    let blocked = o.url("/no/story.html");
    let err = common::fails(dir.path(), &["ingest", &blocked]);
    assert!(err.contains("robots.txt"), "{err}");
    let err = common::fails(dir.path(), &["ingest", &o.url("/gone.html")]);
    assert!(err.contains("/gone.html: HTTP 404 Not Found"), "{err}");
}
