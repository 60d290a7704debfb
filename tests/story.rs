//! Following a story (README "Related coverage, story threads and entity pages"): related
//! lists, story timelines, follow-up markers and entity pages, as a reader finds them in
//! the built site of `tests/fixtures/story` (three articles of one story over three days,
//! one unrelated article).

mod common;

use common::*;
use std::path::Path;

const DEAL: &str = "2026/11/20/harbour-deal/index.html";
const REVIEW: &str = "2026/11/21/harbour-review/index.html";
const START: &str = "2026/11/23/harbour-start/index.html";
const BAKERY: &str = "2026/11/23/bakery-prize/index.html";

fn built() -> tempfile::TempDir {
    let site = site("story");
    ok(site.path(), &["build"]);
    site
}

/// The part of `html` from the element opening with `start` to the next `</section>`.
fn section<'a>(html: &'a str, start: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("no {start} in:\n{html}"));
    let rest = &html[from..];
    &rest[..rest.find("</section>").expect("closed")]
}

#[test]
fn article_pages_list_related_coverage_with_dates() {
    let site = built();
    let public = site.path().join("public");
    let page = read(&public, START);
    let related = section(&page, "<section class=\"related\"");
    assert!(related.contains("Related coverage"), "{related}");
    // Both earlier articles of the story, with their days; never the page itself or the
    // unrelated article.
    assert!(
        related.contains(&format!("href=\"../../../../{REVIEW}\"")),
        "{related}"
    );
    assert!(
        related.contains(&format!("href=\"../../../../{DEAL}\"")),
        "{related}"
    );
    assert!(
        related.contains("<time datetime=\"2026-11-21\">Saturday, 21 November 2026</time>"),
        "{related}"
    );
    assert!(!related.contains("harbour-start"), "{related}");
    assert!(!related.contains("bakery"), "{related}");
    // Later coverage too: the first article of the story links forward.
    let first = read(&public, DEAL);
    assert!(
        section(&first, "<section class=\"related\"").contains("harbour-start"),
        "{first}"
    );
    // Nothing shares a word or a name with the bakery story: no empty list.
    let bakery = read(&public, BAKERY);
    assert!(!bakery.contains("class=\"related\""), "{bakery}");
}

#[test]
fn a_story_over_three_days_is_one_thread_with_a_timeline() {
    let site = built();
    let public = site.path().join("public");
    let page = read(&public, START);
    let thread = section(&page, "<section class=\"story-thread\"");
    assert!(thread.contains("Earlier in this story"), "{thread}");
    // Oldest first, then this article, marked.
    let deal = thread.find("harbour-deal").expect("first article");
    let review = thread.find("harbour-review").expect("second article");
    let current = thread.find("aria-current=\"page\"").expect("this article");
    assert!(deal < review && review < current, "{thread}");
    // The first article shows the rest of its story as what comes later.
    let first = read(&public, DEAL);
    let thread = section(&first, "<section class=\"story-thread\"");
    assert!(thread.contains("Later in this story"), "{thread}");
    assert!(
        thread.contains("harbour-review") && thread.contains("harbour-start"),
        "{thread}"
    );
    assert!(!read(&public, BAKERY).contains("story-thread"));
}

#[test]
fn editions_mark_follow_ups_and_the_email_links_them_absolutely() {
    let site = built();
    let public = site.path().join("public");
    let later = read(&public, "2026/11/23/index.html");
    let marker = section(&later, "<ul class=\"stories\"");
    let follow = marker
        .find("class=\"follow-up\"")
        .expect("a follow-up marker");
    // The marker belongs to the continuing story and links to what it follows up.
    let start = marker.find("harbour-start").unwrap();
    let bakery = marker.find("bakery-prize").unwrap();
    assert!(
        start < follow && (follow < bakery || bakery < start),
        "{marker}"
    );
    assert_eq!(later.matches("class=\"follow-up\"").count(), 1, "{later}");
    // It links to the earlier article of the story it is closest to.
    assert!(
        later.contains(
            "Follow-up</span> to <a href=\"../../../2026/11/20/harbour-deal/index.html\""
        ) || later.contains(
            "Follow-up</span> to <a href=\"../../../2026/11/21/harbour-review/index.html\""
        ),
        "{later}"
    );
    // The first day of the story continues nothing.
    assert!(!read(&public, "2026/11/20/index.html").contains("class=\"follow-up\""));
    let email = read(&public, "2026/11/23/email.html");
    assert!(
        email.contains("Follow-up</strong> to <a href=\"https://example.org/news/2026/11/2"),
        "{email}"
    );
}

#[test]
fn entities_get_pages_under_one_normalized_name() {
    let site = built();
    let public = site.path().join("public");
    // "Quillon Corp.", "Quillon" and "QUILLON CORP" are one entity, shown as written most.
    let page = read(&public, "entities/quillon/index.html");
    assert!(page.contains("<h1>Quillon</h1>"), "{page}");
    assert!(page.contains("3 articles"), "{page}");
    for day in ["2026-11-23", "2026-11-21", "2026-11-20"] {
        assert!(
            page.contains(&format!("<time datetime=\"{day}\">")),
            "{day}: {page}"
        );
    }
    let newest = page.find("harbour-start").unwrap();
    let oldest = page.find("harbour-deal").unwrap();
    assert!(newest < oldest, "newest day first");
    assert!(page.contains(">Organization</a>"), "{page}");
    assert!(public.join("entities/ada-brennick/index.html").is_file());
    assert!(public.join("entities/rotterdam/index.html").is_file());
    // Named once: no page. A stop entity: no page, whatever its legal form.
    assert!(!public.join("entities/port-authority").exists());
    assert!(!public.join("entities/bakers-guild").exists());
    assert!(!public.join("entities/wire-service").exists());

    let index = read(&public, "entities/index.html");
    for (heading, link) in [
        ("Organizations", "entities/marrow-systems/index.html"),
        ("People", "entities/ada-brennick/index.html"),
        ("Places", "entities/rotterdam/index.html"),
    ] {
        assert!(index.contains(&format!(">{heading}</h2>")), "{index}");
        assert!(index.contains(&format!("href=\"../{link}\"")), "{index}");
    }
    // Every page links to the index from the main navigation.
    assert!(read(&public, "index.html").contains("href=\"entities/index.html\">Names</a>"));
}

#[test]
fn article_entity_names_link_to_their_pages() {
    let site = built();
    let public = site.path().join("public");
    let page = read(&public, REVIEW);
    let names = section(&page, "<section class=\"mentions\"");
    assert!(
        names.contains("<a href=\"../../../../entities/quillon/index.html\">Quillon</a>"),
        "{names}"
    );
    assert!(
        names.contains("<a href=\"../../../../entities/ada-brennick/index.html\">Ada Brennick</a>")
    );
    // A name without a page is shown, not linked.
    assert!(names.contains("<li>Port Authority</li>"), "{names}");
    let deal = read(&public, DEAL);
    assert!(
        deal.contains("<a href=\"../../../../entities/quillon/index.html\">Quillon Corp.</a>"),
        "the name as written, linked to the one entity"
    );
}

#[test]
fn entity_pages_are_in_the_sitemap_and_pass_check() {
    let site = built();
    let sitemap = read(&site.path().join("public"), "sitemap.xml");
    assert!(sitemap.contains(
        "<url><loc>https://example.org/news/entities/quillon/</loc><lastmod>2026-11-23</lastmod></url>"
    ), "{sitemap}");
    assert!(sitemap.contains("<loc>https://example.org/news/entities/</loc>"));
    ok(site.path(), &["check"]);
}

#[test]
fn entity_pages_and_related_lists_follow_the_config() {
    let site = site("story");
    let config = read(site.path(), "briefing.toml").replace("min_articles = 2", "min_articles = 4")
        + "\n[related]\ncount = 1\n";
    write(site.path(), "briefing.toml", &config);
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    assert!(!public.join("entities/quillon").exists(), "3 articles < 4");
    let index = read(&public, "entities/index.html");
    assert!(index.contains("No names are shared"), "{index}");
    let page = read(&public, START);
    let related = section(&page, "<section class=\"related\"");
    assert_eq!(related.matches("<li>").count(), 1, "{related}");
    // Without a page the name is plain text.
    assert!(page.contains("<li>Quillon</li>") || page.contains("<li>QUILLON CORP</li>"));

    let config = read(site.path(), "briefing.toml").replace("min_articles = 4", "min_articles = 0");
    write(site.path(), "briefing.toml", &config);
    let stderr = fails(site.path(), &["build"]);
    assert!(
        stderr.contains("entities.min_articles must be at least 1"),
        "{stderr}"
    );
}

#[test]
fn a_theme_without_entity_templates_builds_without_entity_pages() {
    let site = site("story");
    let theme = site.path().join("themes/plain/templates");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates"),
        &theme,
    );
    std::fs::remove_file(theme.join("entity.html")).unwrap();
    let config = read(site.path(), "briefing.toml").replacen(
        "timezone = \"UTC\"\n",
        "timezone = \"UTC\"\ntheme = \"plain\"\n",
        1,
    );
    write(site.path(), "briefing.toml", &config);
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    assert!(!public.join("entities").exists());
    let page = read(&public, REVIEW);
    assert!(page.contains("<li>Quillon</li>"), "names stay plain text");
    assert!(!read(&public, "index.html").contains("entities/index.html"));
}
