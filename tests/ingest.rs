//! `briefing ingest` run as a user would: dumps, pages, feeds and JSON Lines written by these
//! tests (in the layouts of the scraped seeds, never their text), checked through the files in
//! content/, the `--json` output and stderr. The tests on the real seed and corpus records need
//! `../shared` beside the repository: they are `#[ignore]`d, so a plain `cargo test` lists them
//! as ignored, and `.ci/run` runs them with `cargo test -- --ignored` (where they fail
//! if `../shared` is missing).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// A dump in the seed's first layout: body (dateline first), headline twice, bullets; then a
/// second story as headline + body; boilerplate between them.
const DUMP: &str = "\
OSLO: Nordlys Telecom and Cirrus Cloud on Monday agreed a partnership to run edge computing sites for factories across Norway, the companies said.
The deal is at an early stage and many details are still open. Both firms said the first ten sites would open next year.
“We have worked with Cirrus for a long time, and this partnership takes that work to our customers,” Nordlys Chief Executive Ingrid Solberg said in a statement.
Nordlys shares rose 3 percent in Oslo trading after the announcement.
Analysts said the partnership could help both companies compete with larger cloud providers.
Nordlys and Cirrus team up on edge computing
Nordlys and Cirrus team up on edge computing
- The deal is at an early stage and many details are still open
- The first ten sites will open next year
Advertisement
Share this article
Copper miner to reprocess Andean tailings
LIMA (Reuters) - A copper miner signed a deal on Tuesday to reprocess old tailings from two closed mines in the Andes, recovering metal that earlier plants left behind.
The project will recover copper and zinc from the tailings, the company said, and will also make the old dams safer for villages below.
“The tailings are a resource, not only a risk,” said Rosa Quispe, the company’s head of operations.
Local officials welcomed the plan, saying the work would create jobs in the region for at least eight years.
Follow us on X
Updated 3 hours ago
";

fn json(out: &std::process::Output) -> Vec<Value> {
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
        .as_array()
        .expect("a JSON array")
        .clone()
}

/// Runs `briefing` inside the site folder, so sources are named relative to it as a user would.
fn run(root: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("briefing")
        .unwrap()
        .current_dir(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn ok_in(root: &Path, args: &[&str]) -> String {
    let out = run(root, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "briefing {args:?} failed:\n{stderr}");
    stderr
}

fn fails_in(root: &Path, args: &[&str]) -> String {
    let out = run(root, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1 for {args:?}:\n{stderr}"
    );
    stderr
}

fn ingest_json(root: &Path, args: &[&str]) -> (Vec<Value>, String) {
    let mut all = vec!["ingest", "--json"];
    all.extend_from_slice(args);
    let out = run(root, &all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "ingest {args:?} failed:\n{stderr}");
    (json(&out), stderr)
}

fn content(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(&root.join("content"))
}

/// A file of `../shared` (or of `$BRIEFING_SHARED`, for a checkout that is not beside it);
/// panics when it is missing (the tests that call this are ignored by a plain `cargo test`, so
/// they only run where ../shared is expected).
fn shared(rel: &str) -> PathBuf {
    let dir = std::env::var_os("BRIEFING_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    let path = dir.join(rel);
    assert!(
        path.exists(),
        "{} is missing: this test needs ../shared beside the repository",
        path.display()
    );
    path
}

#[test]
#[ignore = "needs ../shared (seeds/000_41ca9b20e9d963b8.txt); run with --include-ignored"]
fn the_seed_gives_exactly_two_articles_a_second_ingest_changes_nothing_and_the_site_builds() {
    let seed = shared("seeds/000_41ca9b20e9d963b8.txt");
    let site = site("basic");
    let seed = seed.to_str().unwrap();
    let (articles, _) = ingest_json(site.path(), &[seed, "--date", "2026-11-26"]);
    assert_eq!(articles.len(), 2, "{articles:#?}");
    let (ms, eu) = (&articles[0], &articles[1]);
    assert_eq!(
        ms["title"],
        "Microsoft, Sony partner on streaming games, chips and AI"
    );
    assert_eq!(ms["dateline"], "San Francisco");
    assert_eq!(ms["paragraphs"], 14);
    assert_eq!(ms["summary_source"], "given");
    assert_eq!(
        ms["summary"],
        serde_json::json!([
            "The deal is in its early stages, with many specifics yet to be determined",
            "The two would collaborate to stream games and content to consumers and offer game makers new development tools"
        ])
    );
    assert_eq!(ms["topic"], "tech-partnerships");
    assert_eq!(
        eu["title"],
        "First EU–Saudi roundtable on critical raw materials reflects shared policy commitment"
    );
    assert_eq!(eu["dateline"], "Riyadh");
    assert_eq!(eu["paragraphs"], 13);
    assert_eq!(eu["summary_source"], "extracted");
    let n = eu["summary"].as_array().unwrap().len();
    assert!((2..=3).contains(&n), "{}", eu["summary"]);
    assert_eq!(eu["topic"], "raw-materials");
    // The dateline is gone from the first paragraph; quotes carry their speakers.
    assert!(
        ms["body"]
            .as_str()
            .unwrap()
            .starts_with("Microsoft Corp. and Sony Corp.")
    );
    assert!(
        eu["body"]
            .as_str()
            .unwrap()
            .starts_with("The EU–Saudi Arabia Business")
    );
    let speakers: Vec<&str> = ms["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["speaker"].as_str())
        .collect();
    assert!(
        speakers.contains(&"Kenichiro Yoshida") && speakers.contains(&"Satya Nadella"),
        "{speakers:?}"
    );
    let speakers: Vec<&str> = eu["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|q| q["speaker"].as_str())
        .collect();
    assert!(speakers.contains(&"Turki Al-Babtain"), "{speakers:?}");

    let file = read(site.path(), ms["path"].as_str().unwrap());
    assert!(
        file.starts_with(
            "---\ntitle: \"Microsoft, Sony partner on streaming games, chips and AI\"\ndate: 2026-11-26\n"
        ),
        "{file}"
    );
    assert!(
        file.contains("topic: \"tech-partnerships\"\ndateline: \"San Francisco\"\n"),
        "{file}"
    );

    let before = content(site.path());
    let (again, stderr) = ingest_json(site.path(), &[seed, "--date", "2026-11-26"]);
    assert_eq!(
        content(site.path()),
        before,
        "a second ingest changed content/"
    );
    assert!(
        again.iter().all(|a| a["status"] == "unchanged"),
        "{again:#?}"
    );
    assert!(stderr.contains("0 written"), "{stderr}");

    let stderr = ok(site.path(), &["build"]);
    assert!(stderr.contains("built 7 articles"), "{stderr}");
    let page = read(
        &site.path().join("public"),
        "2026/11/26/microsoft-sony-partner-on-streaming-games-chips-and-ai/index.html",
    );
    assert!(page.contains("San Francisco"), "{page}");
}

#[test]
fn a_dump_in_the_seed_layouts_is_cut_by_evidence_and_cleaned() {
    let site = site("basic");
    let dump = DUMP
        .replace('\n', "\r\n")
        .replace("Nordlys shares", "Nordlys\u{a0}shares");
    write(site.path(), "in/dump.txt", &dump);
    let (articles, stderr) = ingest_json(
        site.path(),
        &[
            "in/dump.txt",
            "--date",
            "2026-11-27",
            "--source-name",
            "Test Wire",
        ],
    );
    let titles: Vec<&str> = articles
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Nordlys and Cirrus team up on edge computing",
            "Copper miner to reprocess Andean tailings"
        ]
    );
    assert_eq!(articles[0]["dateline"], "Oslo");
    assert_eq!(articles[1]["dateline"], "Lima");
    assert_eq!(articles[0]["paragraphs"], 5);
    assert_eq!(articles[1]["paragraphs"], 4);
    assert_eq!(articles[0]["summary_source"], "given");
    assert_eq!(articles[1]["summary_source"], "extracted");
    assert_eq!(articles[0]["topic"], "tech-partnerships");
    assert_eq!(articles[0]["quotes"][0]["speaker"], "Ingrid Solberg");
    assert_eq!(articles[1]["quotes"][0]["speaker"], "Rosa Quispe");
    assert!(stderr.contains("4 boilerplate lines dropped"), "{stderr}");
    assert!(stderr.contains("2 written"), "{stderr}");
    let file = read(
        site.path(),
        "content/2026-11-27/nordlys-and-cirrus-team-up-on-edge-computing.md",
    );
    assert!(
        file.contains("\nNordlys shares rose 3 percent in Oslo trading after the announcement.\n"),
        "{file}"
    );
    assert!(
        !file.contains('\r') && !file.contains("Advertisement"),
        "{file}"
    );
    assert!(file.contains("source:\n  name: \"Test Wire\"\n"), "{file}");
    ok(site.path(), &["build"]);
}

#[test]
fn windows_1252_input_is_decoded_and_reported() {
    let site = site("basic");
    let mut bytes = DUMP
        .replace(['“', '”'], "\"")
        .replace('’', "'")
        .into_bytes();
    // "CAFÉ" in Windows-1252.
    let at = bytes.windows(4).position(|w| w == b"LIMA").unwrap();
    bytes.splice(at..at + 4, b"CAF\xc9".iter().copied());
    let path = site.path().join("cp1252.txt");
    std::fs::write(&path, bytes).unwrap();
    let (articles, stderr) = ingest_json(site.path(), &[path.to_str().unwrap(), "--dry-run"]);
    assert!(
        stderr.contains("not UTF-8; decoded as windows-1252"),
        "{stderr}"
    );
    assert!(
        articles[1]["body"].as_str().unwrap().contains("Andes"),
        "{:#?}",
        articles[1]
    );
    assert!(
        articles.iter().any(|a| a["dateline"] == "Café"),
        "{articles:#?}"
    );
}

#[test]
fn dry_run_writes_nothing_and_today_is_the_default_date() {
    let site = site("basic");
    write(site.path(), "dump.txt", DUMP);
    let before = content(site.path());
    let (articles, stderr) = ingest_json(site.path(), &["dump.txt", "--dry-run"]);
    assert_eq!(content(site.path()), before);
    assert!(
        stderr.contains("dry run: nothing written") && stderr.contains("would write"),
        "{stderr}"
    );
    // Dating an undated dump today is said, with the way to give another day.
    assert!(
        stderr.contains(
            "warning: dump.txt: no date in this source: its 2 articles are dated today; pass --date YYYY-MM-DD to give the day"
        ),
        "{stderr}"
    );
    let (_, stderr) = ingest_json(
        site.path(),
        &["dump.txt", "--dry-run", "--date", "2026-11-20"],
    );
    assert!(!stderr.contains("no date in this source"), "{stderr}");
    let today = chrono::Utc::now().date_naive();
    let date = chrono::NaiveDate::parse_from_str(articles[0]["date"].as_str().unwrap(), "%Y-%m-%d")
        .unwrap();
    assert!((date - today).num_days().abs() <= 1, "{date} vs {today}");
}

#[test]
fn a_near_duplicate_adds_its_source_to_the_existing_article() {
    let site = site("basic");
    write(site.path(), "a.txt", DUMP);
    ok_in(
        site.path(),
        &[
            "ingest",
            "a.txt",
            "--date",
            "2026-11-27",
            "--source-name",
            "Wire A",
        ],
    );
    let path = "content/2026-11-27/copper-miner-to-reprocess-andean-tailings.md";
    let body_before = read(site.path(), path)
        .split_once("\n---\n")
        .unwrap()
        .1
        .to_string();
    let edited = DUMP
        .replace("on Tuesday", "on Wednesday")
        .replace("Local officials welcomed", "Regional officials welcomed")
        .replace(
            "Copper miner to reprocess Andean tailings",
            "Andean tailings to be reprocessed by copper miner",
        );
    write(site.path(), "b.txt", &edited);
    let (articles, stderr) = ingest_json(
        site.path(),
        &["b.txt", "--date", "2026-11-28", "--source-name", "Wire B"],
    );
    let dup = articles
        .iter()
        .find(|a| a["title"] == "Andean tailings to be reprocessed by copper miner")
        .unwrap();
    assert_eq!(dup["status"], "duplicate");
    assert_eq!(dup["duplicate_of"], path);
    assert!(stderr.contains(&format!("duplicate of {path}")), "{stderr}");
    assert!(
        !site.path().join("content/2026-11-28").exists(),
        "a duplicate was written"
    );
    let file = read(site.path(), path);
    assert!(file.contains("sources:\n  - name: \"Wire B\"\n"), "{file}");
    assert_eq!(
        file.split_once("\n---\n").unwrap().1,
        body_before,
        "the body changed"
    );
    // Twice in one batch: the second copy is a duplicate of the first.
    let site = self::site("basic");
    write(site.path(), "a.txt", DUMP);
    write(site.path(), "b.txt", &edited);
    let (articles, _) = ingest_json(site.path(), &["a.txt", "b.txt", "--date", "2026-11-27"]);
    let statuses: Vec<&str> = articles
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["written", "written", "duplicate", "duplicate"]);
}

/// Ingest's archive is the build's content: the same listing (symbolic links followed), so an
/// article the build publishes through a link also counts for de-duplication.
#[cfg(unix)]
#[test]
fn a_linked_article_counts_for_de_duplication_as_it_counts_for_the_build() {
    let elsewhere = site("basic");
    write(elsewhere.path(), "a.txt", DUMP);
    ok_in(
        elsewhere.path(),
        &["ingest", "a.txt", "--date", "2026-11-27"],
    );
    let written = elsewhere
        .path()
        .join("content/2026-11-27/copper-miner-to-reprocess-andean-tailings.md");
    let site = site("basic");
    std::fs::create_dir_all(site.path().join("content/2026-11-27")).unwrap();
    std::os::unix::fs::symlink(&written, site.path().join("content/2026-11-27/linked.md")).unwrap();
    let edited = DUMP.replace("Local officials welcomed", "Regional officials welcomed");
    write(site.path(), "b.txt", &edited);
    let (articles, _) = ingest_json(site.path(), &["b.txt", "--date", "2026-11-28", "--dry-run"]);
    let copy = articles
        .iter()
        .find(|a| a["title"] == "Copper miner to reprocess Andean tailings")
        .unwrap();
    assert_eq!(copy["status"], "duplicate", "{copy}");
    assert_eq!(copy["duplicate_of"], "content/2026-11-27/linked.md");
}

#[test]
fn a_hand_edited_file_is_only_rewritten_with_force() {
    let site = site("basic");
    write(site.path(), "a.txt", DUMP);
    ok_in(site.path(), &["ingest", "a.txt", "--date", "2026-11-27"]);
    let path = "content/2026-11-27/copper-miner-to-reprocess-andean-tailings.md";
    // Re-ingesting with another topic updates a file ingest owns.
    let stderr = ok_in(
        site.path(),
        &["ingest", "a.txt", "--topic", "raw-materials"],
    );
    assert!(stderr.contains("2 updated"), "{stderr}");
    assert!(read(site.path(), path).contains("topic: \"raw-materials\""));
    // After a hand edit it is left alone, with a warning naming the file.
    let edited = read(site.path(), path).replace("dateline: \"Lima\"", "dateline: \"Lima, Peru\"");
    write(site.path(), path, &edited);
    let stderr = ok_in(
        site.path(),
        &["ingest", "a.txt", "--topic", "tech-partnerships"],
    );
    assert!(
        stderr.contains(&format!(
            "{path} was edited by hand since ingest wrote it; not overwritten (use --force)"
        )),
        "{stderr}"
    );
    assert_eq!(read(site.path(), path), edited);
    let stderr = ok_in(
        site.path(),
        &["ingest", "a.txt", "--topic", "tech-partnerships", "--force"],
    );
    assert!(stderr.contains("updated"), "{stderr}");
    assert!(read(site.path(), path).contains("topic: \"tech-partnerships\""));
}

#[test]
fn slugs_are_unique_within_a_day() {
    let site = site("basic");
    let other = "Copper miner to reprocess Andean tailings\nSANTIAGO: A different company said on Friday it would build a new smelter near the coast to process concentrate from three mines, with output starting in two years.\nThe smelter will employ about four hundred people once it runs at full capacity, officials said.\n";
    write(site.path(), "a.txt", DUMP);
    write(site.path(), "b.txt", other);
    let (articles, _) = ingest_json(site.path(), &["a.txt", "b.txt", "--date", "2026-11-27"]);
    assert_eq!(
        articles[1]["path"],
        "content/2026-11-27/copper-miner-to-reprocess-andean-tailings.md"
    );
    assert_eq!(
        articles[2]["path"],
        "content/2026-11-27/copper-miner-to-reprocess-andean-tailings-2.md"
    );
}

#[test]
fn html_pages_are_extracted_sanitized_and_dated() {
    let site = site("basic");
    let page = r#"<!doctype html><html><head><title>Chipmakers pool memory designs | Tech Wire</title>
<meta property="og:site_name" content="Tech Wire"><meta property="article:published_time" content="2026-11-20T08:30:00+00:00">
<link rel="canonical" href="https://wire.example/chips"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Chipmakers pool memory designs</h1>
<p>SEOUL: Two chipmakers agreed on Monday to pool their designs for memory chips used in artificial intelligence servers, in a partnership the companies described as the largest in their history.</p>
<p>The partnership covers high-bandwidth memory and packaging, and it will run for five years.<script>alert("x")</script></p>
<p>Analysts said the deal could cut costs for both firms as demand for servers keeps growing around the world.</p>
</article><footer>Share this article</footer></body></html>"#;
    write(site.path(), "page.html", page);
    let (articles, _) = ingest_json(site.path(), &["page.html"]);
    let a = &articles[0];
    assert!(
        a["title"]
            .as_str()
            .unwrap()
            .starts_with("Chipmakers pool memory designs"),
        "{a:#}"
    );
    assert_eq!(a["date"], "2026-11-20T08:30:00Z");
    assert_eq!(a["dateline"], "Seoul");
    assert!(!a["body"].as_str().unwrap().contains("alert"), "{a:#}");
    let file = read(site.path(), a["path"].as_str().unwrap());
    assert!(
        file.contains("name: \"Tech Wire\"\n  url: \"https://wire.example/chips\""),
        "{file}"
    );
    ok(site.path(), &["build"]);
}

#[test]
fn feeds_of_every_kind_give_one_article_per_item() {
    let site = site("basic");
    let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Metals Daily</title><link>https://metals.example/</link><description>d</description>
<item><title>Nickel smelter restarts after repairs</title><link>https://metals.example/nickel</link><pubDate>Tue, 24 Nov 2026 07:00:00 GMT</pubDate>
<description>&lt;p&gt;The nickel smelter restarted after a month of repairs to its furnace.&lt;/p&gt;&lt;p&gt;Output will reach full capacity in March, the operator said.&lt;/p&gt;</description></item></channel></rss>"#;
    let atom = r#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Cloud Notes</title><id>urn:x</id><updated>2026-11-25T10:00:00Z</updated>
<entry><title>Two clouds share a data centre</title><id>urn:1</id><updated>2026-11-25T10:00:00Z</updated><link href="https://cloud.example/1"/>
<content type="html">&lt;p&gt;Two cloud providers agreed to share a data centre in the north.&lt;/p&gt;</content></entry></feed>"#;
    let json_feed = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "Grid Log", "items": [
{"id": "1", "title": "Grid operator orders batteries", "url": "https://grid.example/1", "date_published": "2026-11-23T09:00:00Z",
 "content_html": "<p>The grid operator ordered batteries for three substations.</p>"}]}"#;
    write(site.path(), "metals.rss", rss);
    write(site.path(), "cloud.atom", atom);
    write(site.path(), "grid.json", json_feed);
    let (articles, _) = ingest_json(site.path(), &["metals.rss", "cloud.atom", "grid.json"]);
    let got: Vec<(&str, &str)> = articles
        .iter()
        .map(|a| (a["title"].as_str().unwrap(), a["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "Nickel smelter restarts after repairs",
                "content/2026-11-24/nickel-smelter-restarts-after-repairs.md"
            ),
            (
                "Two clouds share a data centre",
                "content/2026-11-25/two-clouds-share-a-data-centre.md"
            ),
            (
                "Grid operator orders batteries",
                "content/2026-11-23/grid-operator-orders-batteries.md"
            ),
        ]
    );
    let file = read(
        site.path(),
        "content/2026-11-24/nickel-smelter-restarts-after-repairs.md",
    );
    assert!(
        file.contains("name: \"Metals Daily\"\n  url: \"https://metals.example/nickel\""),
        "{file}"
    );
    ok(site.path(), &["build"]);
}

#[test]
fn json_lines_bad_lines_are_reported_and_skipped() {
    let site = site("basic");
    let lines = [
        r#"{"title": "Lithium permit granted", "body": "A lithium refinery got its permit.\n\nWork starts in spring.", "date": "2026-11-22", "url": "https://w.example/li", "source": "Wire", "summary": ["Permit granted"]}"#,
        "{not json",
        r#"{"title": "No body here"}"#,
        r#"{"title": "Cloud pact", "text": "Two clouds signed a pact.", "topic": "tech-partnerships", "date": "2026-11-22"}"#,
    ];
    write(site.path(), "records.jsonl", &lines.join("\n"));
    let (articles, stderr) = ingest_json(site.path(), &["records.jsonl"]);
    assert_eq!(articles.len(), 2);
    assert!(
        stderr.contains("warning: records.jsonl:2: not valid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: records.jsonl:3: missing text"),
        "{stderr}"
    );
    assert_eq!(
        articles[0]["summary"],
        serde_json::json!(["Permit granted"])
    );
    assert_eq!(articles[1]["topic"], "tech-partnerships");
    assert_eq!(articles[0]["origin"], "records.jsonl:1");
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let site = site("basic");
    let out = assert_cmd::Command::cargo_bin("briefing")
        .unwrap()
        .args([
            "--root",
            site.path().to_str().unwrap(),
            "ingest",
            "-",
            "--json",
            "--dry-run",
        ])
        .write_stdin(DUMP)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(json(&out).len(), 2);
}

#[test]
fn bad_input_names_the_source_exits_1_and_writes_nothing() {
    let site = site("basic");
    write(site.path(), "good.txt", DUMP);
    write(site.path(), "empty.txt", " \n\n  \n");
    write(
        site.path(),
        "headlines.txt",
        "Only a headline\nAnd another one\n",
    );
    std::fs::write(site.path().join("binary.txt"), b"PK\x03\x04\x00\x00binary").unwrap();
    let long = format!("Headline\n{}\n", "word ".repeat(220_000));
    write(site.path(), "long.txt", &long);
    let before = content(site.path());
    let cases: [(&[&str], &str); 5] = [
        (&["empty.txt"], "empty.txt: is empty"),
        (&["binary.txt"], "binary.txt:1: contains a NUL byte"),
        (&["headlines.txt"], "headlines.txt: no recognizable article"),
        (
            &["long.txt"],
            "long.txt:2: line is 1100000 bytes long; lines over 1 MB are refused",
        ),
        (&["missing.txt"], "missing.txt: cannot read"),
    ];
    for (args, expected) in cases {
        let mut all = vec!["ingest"];
        all.extend_from_slice(args);
        let stderr = fails_in(site.path(), &all);
        assert!(
            stderr.contains(expected),
            "{args:?}: expected {expected:?} in:\n{stderr}"
        );
    }
    // An unknown --topic is a usage error (exit 2), like a bad option.
    let out = run(site.path(), &["ingest", "good.txt", "--topic", "sports"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "--topic: unknown topic `sports`, expected one of: tech-partnerships, raw-materials"
        ),
        "{stderr}"
    );
    // One bad source stops the batch: the good one is not written either, and it says so.
    let stderr = fails_in(site.path(), &["ingest", "good.txt", "empty.txt"]);
    assert!(stderr.contains("empty.txt: is empty"), "{stderr}");
    assert!(
        stderr.ends_with("\n1 problem; nothing was written\n"),
        "{stderr}"
    );
    assert_eq!(content(site.path()), before);
}

#[test]
fn a_failed_write_names_the_first_file_of_the_batch_and_writes_nothing() {
    let site = site("basic");
    // Eight articles on eight days; where the first and the last day's folders would go,
    // a file is in the way.
    let lines: Vec<String> = (1..=8)
        .map(|day| {
            format!(
                r#"{{"title": "Refinery permit number {day}", "body": "A refinery got permit number {day} to process lithium near the coast.", "date": "2026-11-{day:02}"}}"#
            )
        })
        .collect();
    write(site.path(), "records.jsonl", &lines.join("\n"));
    write(site.path(), "content/2026-11-01", "in the way\n");
    write(site.path(), "content/2026-11-08", "in the way\n");
    let before = content(site.path());
    for _ in 0..3 {
        // The files are prepared in parallel; the error names the first in batch order,
        // every run, and the run says nothing was written.
        let stderr = fails_in(site.path(), &["ingest", "records.jsonl"]);
        assert!(
            stderr.contains("content/2026-11-01: File exists"),
            "{stderr}"
        );
        assert!(!stderr.contains("2026-11-08"), "{stderr}");
        assert!(
            stderr.ends_with("\n1 problem; nothing was written\n"),
            "{stderr}"
        );
        // And it is true: none of the six days that could be written was, no state file
        // claims anything, no temporary file is left.
        assert_eq!(content(site.path()), before);
    }
    // With the way cleared, the same batch is written whole.
    std::fs::remove_file(site.path().join("content/2026-11-01")).unwrap();
    std::fs::remove_file(site.path().join("content/2026-11-08")).unwrap();
    let (articles, _) = ingest_json(site.path(), &["records.jsonl"]);
    assert_eq!(articles.len(), 8);
    assert!(site.path().join("content/.ingest-state.json").exists());
}

#[test]
fn a_folder_is_ingested_file_by_file_in_order() {
    let site = site("basic");
    let (first, second) = DUMP.split_at(DUMP.find("Copper miner").unwrap());
    write(site.path(), "inbox/b-second.txt", second);
    write(site.path(), "inbox/a/first.txt", first);
    write(site.path(), "inbox/notes.md", "# not a source\n");
    write(site.path(), "inbox/.hidden.txt", "ignored");
    let (articles, stderr) = ingest_json(site.path(), &["inbox/", "--date", "2026-11-20"]);
    let origins: Vec<&str> = articles
        .iter()
        .map(|a| a["origin"].as_str().unwrap())
        .collect();
    assert_eq!(articles.len(), 2, "{stderr}");
    assert!(origins[0].starts_with("inbox/a/first.txt"), "{origins:?}");
    assert!(origins[1].starts_with("inbox/b-second.txt"), "{origins:?}");
    assert!(
        stderr.contains("ingest: 2 sources, 2 articles found"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "  read inbox/a/first.txt: 1 article\n  read inbox/b-second.txt: 1 article\n"
        ),
        "{stderr}"
    );
    assert!(site.path().join("content/2026-11-20").is_dir());

    // A folder with nothing to ingest is an error naming it, not an OS error.
    write(site.path(), "empty-inbox/readme.md", "nothing\n");
    let stderr = fails_in(site.path(), &["ingest", "empty-inbox"]);
    assert!(
        stderr.contains("error: empty-inbox: folder holds no file to ingest (looked for .txt,"),
        "{stderr}"
    );
}

#[test]
#[ignore = "needs ../shared (corpus/reuters-21578/articles.jsonl); run with --include-ignored"]
fn reuters_records_keep_their_datelines() {
    let text = std::fs::read_to_string(shared("corpus/reuters-21578/articles.jsonl")).unwrap();
    let records: Vec<Value> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|r| {
            r["text_type"] == "NORM" && r["dateline"].as_str().is_some_and(|d| d.contains(','))
        })
        .take(5)
        .collect();
    let site = site("basic");
    let jsonl: Vec<String> = records
        .iter()
        .map(|r| {
            serde_json::json!({"title": r["title"], "body": r["body"], "date": r["date"], "dateline": r["dateline"]})
                .to_string()
        })
        .collect();
    write(site.path(), "reuters.jsonl", &jsonl.join("\n"));
    let (articles, _) = ingest_json(site.path(), &["reuters.jsonl", "--dry-run"]);
    assert_eq!(articles.len(), records.len());
    for (a, r) in articles.iter().zip(&records) {
        let place = r["dateline"]
            .as_str()
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .trim();
        let dateline = a["dateline"].as_str().unwrap();
        assert!(
            dateline.eq_ignore_ascii_case(place)
                && !dateline.chars().skip(1).all(char::is_uppercase),
            "{dateline} vs {place}"
        );
        assert!(a["paragraphs"].as_u64().unwrap() >= 1);
    }
}
