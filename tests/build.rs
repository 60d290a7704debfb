//! `briefing build` on small fixture sites: what a user finds in public/ and on stderr.

mod common;

use common::*;
use std::path::Path;

#[test]
fn builds_every_page_kind_of_the_fixture() {
    let site = site("basic");
    let stderr = ok(site.path(), &["build"]);
    assert!(
        stderr.contains("built 5 articles in 2 editions"),
        "{stderr}"
    );
    let public = site.path().join("public");
    for page in [
        "index.html",
        "2026/11/25/index.html",
        "2026/11/26/index.html",
        "2026/11/25/cloud-pact/index.html",
        "2026/11/25/lithium-permit/index.html",
        "topics/index.html",
        "topics/tech-partnerships/index.html",
        "topics/raw-materials/index.html",
        "topics/other/index.html",
        "archive/index.html",
        "404.html",
        "style.css",
    ] {
        assert!(public.join(page).is_file(), "missing {page}");
    }
    // The home page is the latest edition.
    let home = read(&public, "index.html");
    assert!(home.contains("Chip designer picks a foundry"), "{home}");
    assert!(
        !home.contains("Two clouds agree"),
        "home shows only the latest edition"
    );
}

#[test]
fn article_page_shows_what_the_contract_promises() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let page = read(
        &site.path().join("public"),
        "2026/11/25/cloud-pact/index.html",
    );
    for expected in [
        "Two clouds agree to share a backbone",
        "Oslo",
        "A pact on shared fibre.",
        "https://example.com/wire/1",
        "Test Wire",
        "<h2 id=\"terms\">Terms</h2>",
        "../../../../topics/tech-partnerships/index.html",
        "1 min",
    ] {
        assert!(
            page.contains(expected),
            "article page lacks {expected:?}:\n{page}"
        );
    }
    // Word count of the body (10 + 1 heading + 5 words) is shown.
    assert!(page.contains("16 words"), "{page}");
}

#[test]
fn every_internal_link_is_relative_and_resolves() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    let mut checked = 0;
    for (rel, bytes) in tree(&public) {
        if !rel.ends_with(".html") || rel == "404.html" {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for link in links(&html) {
            assert!(!link.starts_with('/'), "{rel}: root-absolute link {link}");
            if link.contains("://") || link.starts_with('#') || link.starts_with("mailto:") {
                continue;
            }
            let target = link.split('#').next().unwrap();
            let base = Path::new(&rel).parent().unwrap();
            let resolved = normalize(&base.join(target));
            let exists = public.join(&resolved).is_file();
            // Feeds and the search index are written by later stages; pages must exist.
            if target.ends_with(".html") || target.ends_with(".css") {
                assert!(exists, "{rel}: link {link} → {resolved} does not exist");
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                assert!(
                    parts.pop().is_some(),
                    "link climbs above the site root: {}",
                    p.display()
                );
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn edition_pages_link_previous_and_next() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    let older = read(&public, "2026/11/25/index.html");
    assert!(
        older.contains("href=\"../../../2026/11/26/index.html\""),
        "{older}"
    );
    let newer = read(&public, "2026/11/26/index.html");
    assert!(
        newer.contains("href=\"../../../2026/11/25/index.html\""),
        "{newer}"
    );
}

#[test]
fn topic_pages_are_paginated_newest_first() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    // Two tech articles, two per page: one page. Add a third to get a second page.
    let first = read(&public, "topics/tech-partnerships/index.html");
    let chip = first.find("Chip designer").unwrap();
    let cloud = first.find("Two clouds").unwrap();
    assert!(chip < cloud, "newest first");
    write(
        site.path(),
        "content/2026-11-24/old-deal.md",
        "---\ntitle: Older deal\ndate: 2026-11-24\ntopic: tech-partnerships\n---\nOld.\n",
    );
    ok(site.path(), &["build"]);
    let page2 = read(&public, "topics/tech-partnerships/page/2/index.html");
    assert!(page2.contains("Older deal"), "{page2}");
    assert!(page2.contains("Page 2 of 2"), "{page2}");
    assert!(
        page2.contains("href=\"../../../../topics/tech-partnerships/index.html\""),
        "{page2}"
    );
}

#[test]
fn archive_lists_editions_by_month() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let archive = read(&site.path().join("public"), "archive/index.html");
    assert!(archive.contains("November 2026"), "{archive}");
    assert!(archive.contains("../2026/11/25/index.html"), "{archive}");
}

#[test]
fn edition_day_is_taken_in_the_site_timezone() {
    let site = site("midnight");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    // 2026-11-25T03:30Z is 22:30 on the 24th in New York.
    assert!(public.join("2026/11/24/late-night/index.html").is_file());
    assert!(public.join("2026/11/25/next-morning/index.html").is_file());
    assert!(!public.join("2026/11/25/late-night").exists());
    // Same result whatever the machine's zone says.
    let first = tree(&public);
    let out = assert_cmd::Command::cargo_bin("briefing")
        .unwrap()
        .args(["--root", site.path().to_str().unwrap(), "build"])
        .env("TZ", "Asia/Tokyo")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(first, tree(&public));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = site("drafts");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    assert!(!public.join("2026/11/21/unfinished/index.html").exists());
    assert!(!read(&public, "topics/other/index.html").contains("Unfinished story"));
    ok(site.path(), &["build", "--drafts"]);
    assert!(public.join("2026/11/21/unfinished/index.html").is_file());
}

#[test]
fn as_of_rebuilds_a_past_day() {
    let site = site("basic");
    let stderr = ok(site.path(), &["build", "--as-of", "2026-11-25"]);
    assert!(
        stderr.contains("\n3 articles dated after 2026-11-25 left out (--as-of)\n"),
        "{stderr}"
    );
    let public = site.path().join("public");
    assert!(!public.join("2026/11/26").exists());
    let home = read(&public, "index.html");
    assert!(home.contains("Two clouds agree"), "{home}");
    // The past day's edition page is identical to the one a full build writes (it has no
    // newer edition then, so only its "next" link differs): check the article page instead.
    let past = read(&public, "2026/11/25/lithium-permit/index.html");
    ok(site.path(), &["build"]);
    assert_eq!(past, read(&public, "2026/11/25/lithium-permit/index.html"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let first = tree(&site.path().join("public"));
    ok(site.path(), &["build"]);
    assert_eq!(first, tree(&site.path().join("public")));
}

/// A build that keeps no rendered body (each is rendered again from its file whenever a stage
/// needs it, as in an archive larger than the memory kept for bodies) and writes its search
/// postings out to be merged back (as past the index's budget) writes the same site.
#[test]
fn a_build_that_keeps_no_bodies_and_spills_its_index_writes_the_same_site() {
    for case in ["basic", "story"] {
        let kept = site(case);
        ok(kept.path(), &["build"]);
        let none = site(case);
        let out = assert_cmd::Command::cargo_bin("briefing")
            .unwrap()
            .arg("--root")
            .arg(none.path())
            .arg("build")
            .env("BRIEFING_BODY_MEMORY_MB", "0")
            // Every batch of search postings written out and merged back (src/build/search/spill.rs).
            .env("BRIEFING_INDEX_MEMORY_MB", "0")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_same_as_full_build(
            &none.path().join("public"),
            &kept.path().join("public"),
            &format!("{case}, no body kept, index spilled"),
        );
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_intact() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let before = tree(&site.path().join("public"));
    write(
        site.path(),
        "content/2026-11-26/broken.md",
        "---\ntitle: [unclosed\n---\nx\n",
    );
    let stderr = fails(site.path(), &["build"]);
    assert!(
        stderr.ends_with("\n1 problem; nothing was written, public/ unchanged\n"),
        "{stderr}"
    );
    assert_eq!(before, tree(&site.path().join("public")));
    // No staging folder is left behind either.
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public") || n.starts_with(".briefing"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_failed_template_render_leaves_the_previous_output_intact() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let before = tree(&site.path().join("public"));
    write(
        site.path(),
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{{ article.nope }}{% endblock %}",
    );
    fails(site.path(), &["build"]);
    assert_eq!(before, tree(&site.path().join("public")));
}

#[test]
fn site_templates_override_theme_templates_by_name() {
    let site = site("basic");
    write(
        site.path(),
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Lost in the briefing</p>{% endblock %}",
    );
    ok(site.path(), &["build"]);
    assert!(read(&site.path().join("public"), "404.html").contains("Lost in the briefing"));
}

/// The repository's own example site (briefing.toml, content/, templates/) in a temp dir.
fn example_site() -> tempfile::TempDir {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("briefing.toml"), dir.path().join("briefing.toml")).unwrap();
    copy_dir(&repo.join("content"), &dir.path().join("content"));
    copy_dir(&repo.join("templates"), &dir.path().join("templates"));
    dir
}

#[test]
fn the_example_sites_template_override_wins_and_a_broken_one_is_located() {
    let site = example_site();
    ok(site.path(), &["build"]);
    let page = read(&site.path().join("public"), "404.html");
    assert!(page.contains("<h1>Not in this briefing</h1>"), "{page}");
    assert!(
        !page.contains("Page not found"),
        "the theme's 404 page was used"
    );
    let before = tree(&site.path().join("public"));
    // An override that does not parse names its file and line, and nothing is written.
    let broken = read(site.path(), "templates/404.html")
        .replace("<h1>Not in this briefing</h1>", "<h1>{{ site.title </h1>");
    write(site.path(), "templates/404.html", &broken);
    let err = fails(site.path(), &["build"]);
    let line = broken
        .lines()
        .position(|l| l.contains("{{ site.title </h1>"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("404.html:{line}:")), "{err}");
    assert_eq!(before, tree(&site.path().join("public")));
}

#[test]
fn output_refuses_the_site_root_and_foreign_folders() {
    let site = site("basic");
    let stderr = fails(
        site.path(),
        &["build", "--output", site.path().to_str().unwrap()],
    );
    assert!(
        stderr.contains("refusing to write the site into"),
        "{stderr}"
    );
    assert!(site.path().join("briefing.toml").is_file());
    let foreign = site.path().join("elsewhere");
    write(&foreign, "keep.txt", "mine");
    let stderr = fails(
        site.path(),
        &["build", "--output", foreign.to_str().unwrap()],
    );
    assert!(stderr.contains("was not written by briefing"), "{stderr}");
    assert_eq!(read(&foreign, "keep.txt"), "mine");
    let inside = site.path().join("content/out");
    let stderr = fails(
        site.path(),
        &["build", "--output", inside.to_str().unwrap()],
    );
    assert!(stderr.contains("inside content/"), "{stderr}");
}

#[test]
fn email_edition_is_self_contained_with_absolute_links() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    let email = read(&public, "2026/11/25/email.html");
    assert!(
        email.contains("Two clouds agree to share a backbone"),
        "{email}"
    );
    assert!(email.contains("A pact on shared fibre."), "{email}");
    assert!(!email.contains("<script"), "no script in an email");
    assert!(
        !email.contains("<style") && !email.contains("stylesheet"),
        "inline styles only"
    );
    assert!(email.contains("style=\""), "styled inline");
    assert!(email.contains("role=\"presentation\""), "table layout");
    let all = links(&email);
    assert!(!all.is_empty());
    for link in all {
        assert!(
            link.starts_with("https://example.org/news/"),
            "relative or foreign link in email: {link}"
        );
    }
    assert!(
        email.contains("https://example.org/news/2026/11/25/cloud-pact/index.html"),
        "{email}"
    );
    // The edition page links its email version.
    let edition = read(&public, "2026/11/25/index.html");
    assert!(
        edition.contains("href=\"../../../2026/11/25/email.html\""),
        "{edition}"
    );
    // Not in the sitemap: it repeats the edition page.
    assert!(!read(&public, "sitemap.xml").contains("email.html"));
}

#[test]
fn a_rebuild_replaces_the_old_output_and_leaves_nothing_beside_it() {
    let site = site("basic");
    let root = site.path();
    ok(root, &["build"]);
    // The old tree is deleted in the background; the process waits for it before exiting.
    ok(root, &["build"]);
    let names: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.starts_with(".briefing-old-") && !n.contains(".tmp-")),
        "{names:?}"
    );
    assert!(root.join("public/index.html").is_file());
}

/// Quotes that the body already holds are read there, in context; the article page shows
/// apart only the quotes a reader would not otherwise see.
#[test]
fn the_article_page_does_not_repeat_the_bodys_quotes() {
    let site = site("basic");
    write(
        site.path(),
        "content/2026-11-26/quoted.md",
        "---\ntitle: \"Quoted\"\ndate: 2026-11-26\nquotes:\n  - text: \"We will build the line within a year\"\n    speaker: \"Ana Ruiz\"\n  - text: \"The region has waited long enough for this\"\n    speaker: \"Ole Berg\"\n---\n“We will build the line\nwithin a year,” said Ana Ruiz.\n",
    );
    ok(site.path(), &["build"]);
    let page = read(&site.path().join("public"), "2026/11/26/quoted/index.html");
    assert_eq!(page.matches("class=\"pull-quote\"").count(), 1, "{page}");
    assert!(
        page.contains("<blockquote><p>The region has waited long enough for this</p></blockquote>"),
        "{page}"
    );
    assert!(!page.contains("<blockquote><p>We will build"), "{page}");
}

/// Titles and summary bullets with inline Markdown show as HTML beside plain ones, each in
/// its place (an article keeps the HTML of only the fields that have markup).
#[test]
fn summary_bullets_with_and_without_markup_show_in_order() {
    let site = site("basic");
    write(
        site.path(),
        "content/2026-11-26/mixed-summary.md",
        "---\ntitle: \"The `x86` plant & its *rivals*\"\ndate: 2026-11-26T11:00:00Z\n\
         topic: tech-partnerships\nsummary:\n  - \"Plain & simple <first>\"\n\
         \x20 - \"Then **strong** words\"\n  - \"A last plain one\"\n---\nBody.\n",
    );
    ok(site.path(), &["build"]);
    let page = read(site.path(), "public/2026/11/26/mixed-summary/index.html");
    assert!(
        page.contains("<h1>The <code>x86</code> plant &amp; its <em>rivals</em></h1>"),
        "{page}"
    );
    let bullets = [
        "<li>Plain &amp; simple &lt;first&gt;</li>",
        "<li>Then <strong>strong</strong> words</li>",
        "<li>A last plain one</li>",
    ];
    let at: Vec<usize> = bullets
        .iter()
        .map(|b| page.find(b).unwrap_or_else(|| panic!("{b} in {page}")))
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "in order: {at:?}");
    // The RSS description holds the same HTML.
    let rss = read(site.path(), "public/rss.xml");
    assert!(
        rss.contains(&format!(
            "<description><![CDATA[<ul>{}</ul>]]>",
            bullets.concat()
        )),
        "{rss}"
    );
}
