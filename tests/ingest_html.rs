//! `briefing ingest` on news pages written by these tests in the shapes real sites use: a
//! byline paragraph, a `<time>` date line above the text, a dateline opening the first
//! paragraph, captions, credits, share bars, related lists and newsletter prompts around it,
//! JSON-LD and OpenGraph metadata. Checked through `--json`, the written file and the built
//! article page.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

fn ingest(root: &Path, page: &str) -> Value {
    let file = root.join("page.html");
    std::fs::write(&file, page).unwrap();
    let out = briefing(
        root,
        &["ingest", "--json", "--dry-run", file.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ingest failed:\n{stderr}");
    let all: Value = serde_json::from_slice(&out.stdout).unwrap();
    all[0].clone()
}

/// A news page around `first` (the first paragraph as the site wrote it).
fn news_page(first: &str) -> String {
    format!(
        r##"<!doctype html><html><head><title>Island drafts a reef law | The Harbour Times</title>
<meta property="og:site_name" content="The Harbour Times"></head>
<body><header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article>
<h1>Island drafts a reef law</h1>
<p class="byline">By Ann Reed and Tom Bell, Staff Writers</p>
<p class="date-line"><time datetime="1987-04-02">April 2, 1987</time></p>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Tweet</a></div>
<figure><img src="reef.jpg" alt="Divers over the reef"><figcaption>Divers survey the reef near the coast. Photo: Harbour Photo Desk</figcaption></figure>
<p>{first}</p>
<p>The draft sets out zones where anchoring is forbidden, and it gives fishing villages a say over how the zones are drawn and watched.</p>
<p>Officials said the law could pass before the end of the year if parliament agrees on the penalties, which are still disputed.</p>
<table><tr><th>Zone</th><th>Area (km²)</th></tr><tr><td>North lagoon</td><td>41</td></tr><tr><td>East pass</td><td>17</td></tr></table>
<p>Sign up for our morning newsletter to get the day's news in your inbox.</p>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Reef tourism doubles</a></li><li><a href="/b">Fishers win court case</a></li></ul></aside>
</article></main>
<footer><p>© 1987 The Harbour Times. All rights reserved.</p></footer></body></html>"##
    )
}

#[test]
fn a_news_page_comes_out_clean_with_byline_date_and_dateline() {
    let site = site("basic");
    let a = ingest(
        site.path(),
        &news_page(
            "PORT LOUIS - Mauritius has drafted a law to protect its coral reefs from anchors and from runoff, the environment ministry said on Thursday.",
        ),
    );
    assert_eq!(a["dateline"], "Port Louis", "{a:#}");
    assert_eq!(a["date"], "1987-04-02", "{a:#}");
    assert_eq!(a["author"], serde_json::json!(["Ann Reed", "Tom Bell"]));
    assert_eq!(a["extractor"], "readability+chrome-cut");
    let body = a["body"].as_str().unwrap();
    assert!(
        body.starts_with("Mauritius has drafted a law"),
        "the first paragraph starts with the story: {body}"
    );
    for chrome in [
        "By Ann",
        "1987",
        "Share",
        "Tweet",
        "Divers",
        "Photo",
        "newsletter",
        "Related",
        "Reef tourism",
        "rights reserved",
        "Home",
    ] {
        assert!(!body.contains(chrome), "{chrome:?} in the body:\n{body}");
    }
    assert!(
        body.contains("| North lagoon | 41 |"),
        "the table stays, as Markdown:\n{body}"
    );
}

#[test]
fn every_common_dateline_form_is_split_off_the_first_paragraph() {
    let site = site("basic");
    let rest = "Mauritius has drafted a law to protect its coral reefs from anchors and from runoff, the environment ministry said.";
    for (lead, place) in [
        ("PORT LOUIS: ", "Port Louis"),
        ("PORT LOUIS (Reuters) - ", "Port Louis"),
        ("PORT LOUIS (AFP) — ", "Port Louis"),
        ("PORT LOUIS - ", "Port Louis"),
        ("PORT LOUIS – ", "Port Louis"),
        ("PORT LOUIS, Mauritius — ", "Port Louis"),
        ("PORT LOUIS, March 3 (Reuters) - ", "Port Louis"),
        ("Port Louis (Reuters) - ", "Port Louis"),
        ("Port Louis, Mauritius — ", "Port Louis"),
        ("Port Louis, March 3 (Reuters) - ", "Port Louis"),
        ("<strong>PORT LOUIS —</strong> ", "Port Louis"),
    ] {
        let a = ingest(site.path(), &news_page(&format!("{lead}{rest}")));
        assert_eq!(a["dateline"], place, "{lead:?}");
        let body = a["body"].as_str().unwrap();
        assert!(
            body.starts_with("Mauritius has drafted"),
            "{lead:?}: {body}"
        );
    }
    // A first paragraph without a dateline is left alone.
    let a = ingest(site.path(), &news_page(rest));
    assert_eq!(a["dateline"], Value::Null);
    assert!(a["body"].as_str().unwrap().starts_with(rest));
}

#[test]
fn json_ld_metadata_becomes_front_matter_and_the_article_page_shows_it() {
    let site = site("basic");
    let page = r#"<!doctype html><html><head><title>Smelter restarts | Ore Weekly</title>
<meta property="og:image" content="https://ore.example/og.jpg">
<meta property="article:published_time" content="2001-01-01T00:00:00Z">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Smelter restarts after a year","datePublished":"2026-11-20T07:15:00+01:00",
"author":[{"@type":"Person","name":"By Lena Voss"},{"@type":"Person","name":"Omar Haddad, Correspondent"}],
"publisher":{"@type":"Organization","name":"Ore Weekly"},
"image":["https://ore.example/lead.jpg"]}</script></head>
<body><article><h1>Smelter restarts after a year</h1>
<p>HAMBURG — The aluminium smelter on the river restarted its first potline on Thursday after a year of standstill caused by power prices.</p>
<p>The owner said the second line would follow in spring if the power contract signed last month holds, bringing back 300 jobs.</p>
<p>Unions welcomed the restart but warned that the plant's future still hangs on a long-term price for electricity.</p>
</article></body></html>"#;
    write(site.path(), "smelter.html", page);
    let file = site.path().join("smelter.html");
    let stderr = ok(site.path(), &["ingest", file.to_str().unwrap()]);
    assert!(
        stderr.contains("smelter.html; body by readability+chrome-cut)"),
        "the report says how the body was found:\n{stderr}"
    );
    let written: Vec<String> = tree(&site.path().join("content"))
        .into_keys()
        .filter(|k| k.contains("smelter"))
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    let md = read(site.path(), &format!("content/{}", written[0]));
    assert!(
        md.contains("title: \"Smelter restarts after a year\"\n"),
        "{md}"
    );
    assert!(md.contains("date: 2026-11-20T07:15:00+01:00\n"), "{md}");
    assert!(md.contains("dateline: \"Hamburg\"\n"), "{md}");
    assert!(
        md.contains("author: [\"Lena Voss\", \"Omar Haddad\"]\n"),
        "{md}"
    );
    assert!(
        md.contains("image: \"https://ore.example/lead.jpg\"\n"),
        "{md}"
    );
    assert!(md.contains("name: \"Ore Weekly\""), "{md}");
    ok(site.path(), &["build"]);
    let html = read(
        site.path(),
        "public/2026/11/20/smelter-restarts-after-a-year/index.html",
    );
    assert!(
        html.contains(r#"<meta property="og:image" content="https://ore.example/lead.jpg">"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<span class="author">By Lena Voss and Omar Haddad</span>"#),
        "{html}"
    );
}

#[test]
fn a_page_without_an_article_is_an_error_naming_the_file() {
    let site = site("basic");
    let page = r#"<!doctype html><html><head><title>Harbour Times</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner"><p>We use cookies. Accept all cookies to continue.</p><button>Accept</button></div>
<footer>© The Harbour Times</footer></body></html>"#;
    write(site.path(), "front.html", page);
    let before = tree(&site.path().join("content"));
    let file = site.path().join("front.html");
    let stderr = fails(site.path(), &["ingest", file.to_str().unwrap()]);
    assert!(
        stderr.contains("front.html: no recognizable article"),
        "{stderr}"
    );
    assert_eq!(tree(&site.path().join("content")), before);
}

#[test]
fn hand_written_author_and_image_are_read_and_a_non_web_image_is_an_error() {
    let site = site("basic");
    let article = "---\ntitle: \"Quarry reopens\"\ndate: 2026-11-24\nauthor: [\"Ines Prado\"]\nimage: \"https://quarry.example/lead.png\"\n---\nThe quarry reopened on Monday after a year of repairs to its access road.\n";
    write(site.path(), "content/2026-11-24/quarry.md", article);
    ok(site.path(), &["build"]);
    let html = read(site.path(), "public/2026/11/24/quarry/index.html");
    assert!(
        html.contains(r#"<meta property="og:image" content="https://quarry.example/lead.png">"#),
        "{html}"
    );
    assert!(html.contains("By Ines Prado</span>"), "{html}");
    write(
        site.path(),
        "content/2026-11-24/quarry.md",
        &article.replace("https://quarry.example/lead.png", "javascript:alert(1)"),
    );
    let stderr = fails(site.path(), &["build"]);
    assert!(
        stderr.contains(
            "content/2026-11-24/quarry.md:5:8: image `javascript:alert(1)` must start with http:// or https://"
        ),
        "{stderr}"
    );
}
