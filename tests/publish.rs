//! Feeds, sitemap, metadata, search index and `briefing check`, as feed readers, crawlers and
//! editors see them.

mod common;

use common::*;
use feed_rs::model::FeedType;

fn parse(bytes: &[u8]) -> feed_rs::model::Feed {
    feed_rs::parser::parse(bytes).expect("a feed parser reads it")
}

#[test]
fn atom_rss_and_json_feeds_parse_back_with_the_articles() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    for (file, kind) in [
        ("atom.xml", FeedType::Atom),
        ("rss.xml", FeedType::RSS2),
        ("feed.json", FeedType::JSON),
    ] {
        let feed = parse(&std::fs::read(public.join(file)).unwrap());
        assert_eq!(feed.feed_type, kind, "{file}");
        assert_eq!(feed.entries.len(), 5, "{file}");
        let first = &feed.entries[0];
        assert_eq!(
            first.title.as_ref().unwrap().content,
            "Magnet line starts production",
            "{file}: newest first"
        );
        assert_eq!(
            first.links[0].href, "https://example.org/news/2026/11/26/magnet-line/",
            "{file}"
        );
        assert!(first.published.is_some(), "{file}");
        let cloud = feed
            .entries
            .iter()
            .find(|e| e.title.as_ref().unwrap().content.contains("Two clouds"))
            .unwrap();
        let body = cloud
            .content
            .as_ref()
            .and_then(|c| c.body.clone())
            .unwrap_or_default();
        assert!(
            body.contains("<h2 id=\"terms\">Terms</h2>"),
            "{file}: {body}"
        );
        assert!(
            cloud
                .summary
                .as_ref()
                .unwrap()
                .content
                .contains("A pact on shared fibre."),
            "{file}"
        );
        if kind != FeedType::JSON {
            assert!(
                cloud
                    .categories
                    .iter()
                    .any(|c| c.term == "tech-partnerships" || c.term == "Tech partnerships"),
                "{file}"
            );
        }
    }
    // Stable ids: a rebuild gives the same entry ids.
    let ids = |p: &std::path::Path| {
        parse(&std::fs::read(p).unwrap())
            .entries
            .into_iter()
            .map(|e| e.id)
            .collect::<Vec<_>>()
    };
    let before = ids(&public.join("atom.xml"));
    ok(site.path(), &["build"]);
    assert_eq!(before, ids(&public.join("atom.xml")));
}

#[test]
fn topic_feeds_hold_only_their_topic() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let feed =
        parse(&std::fs::read(site.path().join("public/topics/raw-materials/atom.xml")).unwrap());
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "Magnet line starts production",
            "Lithium refinery gets its permit"
        ]
    );
    let topic_page = read(
        &site.path().join("public"),
        "topics/raw-materials/index.html",
    );
    assert!(
        topic_page.contains("href=\"../../topics/raw-materials/atom.xml\""),
        "{topic_page}"
    );
}

#[test]
fn feed_limit_is_configurable() {
    let site = site("basic");
    write(
        site.path(),
        "briefing.toml",
        &format!(
            "{}\n[feeds]\nlimit = 2\n",
            read(site.path(), "briefing.toml")
        ),
    );
    ok(site.path(), &["build"]);
    let feed = parse(&std::fs::read(site.path().join("public/rss.xml")).unwrap());
    assert_eq!(feed.entries.len(), 2);
}

#[test]
fn subpath_base_url_gives_absolute_urls_in_feeds_and_sitemap_only() {
    let site = site("basic");
    ok(
        site.path(),
        &[
            "build",
            "--base-url",
            "https://news.example.net/daily/briefing",
        ],
    );
    let public = site.path().join("public");
    let sitemap = read(&public, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://news.example.net/daily/briefing/</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<loc>https://news.example.net/daily/briefing/2026/11/25/cloud-pact/</loc><lastmod>2026-11-25</lastmod>"), "{sitemap}");
    assert!(
        !sitemap.contains("404"),
        "the 404 page is not in the sitemap"
    );
    let robots = read(&public, "robots.txt");
    assert!(
        robots.contains("Sitemap: https://news.example.net/daily/briefing/sitemap.xml"),
        "{robots}"
    );
    let feed = parse(&std::fs::read(public.join("atom.xml")).unwrap());
    assert!(feed.entries.iter().all(|e| {
        e.links[0]
            .href
            .starts_with("https://news.example.net/daily/briefing/2026/")
    }));
    let article = read(&public, "2026/11/25/cloud-pact/index.html");
    assert!(article.contains("<link rel=\"canonical\" href=\"https://news.example.net/daily/briefing/2026/11/25/cloud-pact/\">"), "{article}");
    assert!(
        article.contains("property=\"og:type\" content=\"article\""),
        "{article}"
    );
    assert!(
        article
            .contains("property=\"article:published_time\" content=\"2026-11-25T09:00:00+00:00\""),
        "{article}"
    );
    assert!(article.contains("<html lang=\"en\">"), "{article}");
    // Page links stay relative.
    for link in links(&article) {
        assert!(!link.starts_with('/'), "{link}");
        if link.contains("news.example.net") {
            assert!(
                link.contains("cloud-pact"),
                "only canonical/OpenGraph may be absolute: {link}"
            );
        }
    }
    assert!(
        article.contains("href=\"../../../../atom.xml\""),
        "head links the feeds"
    );
}

#[test]
fn search_index_holds_titles_and_body_words() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    let manifest = read(&public, "search/index.js");
    assert!(
        manifest.starts_with("window.BRIEFING_SEARCH={\"docs\":5,"),
        "{manifest}"
    );
    // Result data sits in fragments, oldest article first; words in chunks by prefix.
    let fragment = read(&public, "search/f/0.js");
    assert!(
        fragment.contains(
            "\"Two clouds agree to share a backbone\",\"2026/11/25/cloud-pact/index.html\""
        ),
        "{fragment}"
    );
    let chunk = read(&public, "search/t/dis.js");
    assert!(
        chunk.contains("\"disclosed\","),
        "body words are indexed: {chunk}"
    );
    assert!(public.join("search.js").is_file());
    let page = read(&public, "search/index.html");
    assert!(page.contains("src=\"../search/index.js\""), "{page}");
}

#[test]
fn search_can_be_switched_off() {
    let site = site("basic");
    write(
        site.path(),
        "briefing.toml",
        &format!(
            "{}\n[search]\nenabled = false\n",
            read(site.path(), "briefing.toml")
        ),
    );
    ok(site.path(), &["build"]);
    assert!(!site.path().join("public/search").exists());
    assert!(!read(&site.path().join("public"), "index.html").contains("search/index.html"));
}

#[test]
fn check_passes_on_a_good_site_and_writes_nothing() {
    let site = site("basic");
    let stderr = ok(site.path(), &["check"]);
    assert!(stderr.contains("ok: 5 articles"), "{stderr}");
    assert!(!site.path().join("public").exists());
}

#[test]
fn check_finds_a_planted_broken_link_and_missing_anchor() {
    let site = site("basic");
    write(
        site.path(),
        "content/2026-11-26/planted.md",
        "---\ntitle: Planted\ndate: 2026-11-26\n---\nSee [the lost page](../nowhere/index.html) and [a section](#no-such-section).\n",
    );
    let stderr = fails(site.path(), &["check"]);
    assert!(
        stderr.contains("content/2026-11-26/planted.md: in 2026/11/26/planted/index.html: broken link `../nowhere/index.html`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("broken anchor `#no-such-section`"),
        "{stderr}"
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn check_reports_template_links_against_the_template() {
    let site = site("basic");
    write(
        site.path(),
        "templates/topics.html",
        "{% extends \"base.html\" %}{% block content %}<h1>T</h1><a href=\"{{ root }}missing.html\">m</a>{% endblock %}",
    );
    let stderr = fails(site.path(), &["check"]);
    assert!(
        stderr
            .contains("templates/topics.html: in topics/index.html: broken link `../missing.html`"),
        "{stderr}"
    );
}
