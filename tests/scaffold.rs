//! `briefing init` and `briefing new`, as a new user meets them.

mod common;

use common::*;

#[test]
fn init_writes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mysite");
    let out = briefing(dir.path(), &["init", root.to_str().unwrap()]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Next steps"), "{stderr}");
    let config = read(&root, "briefing.toml");
    assert!(
        config.contains("slug = \"tech-partnerships\"")
            && config.contains("slug = \"raw-materials\"")
    );
    assert!(
        config.lines().filter(|l| l.starts_with('#')).count() >= 5,
        "the config is commented"
    );
    assert!(root.join("templates/README.md").is_file());
    let stderr = ok(&root, &["build"]);
    assert!(stderr.contains("built 1 article in 1 edition"), "{stderr}");
    assert!(root.join("public/index.html").is_file());
    assert!(read(&root.join("public"), "index.html").contains("Welcome to your briefing"));
    ok(&root, &["check"]);
}

/// The sample's summary names a command in backticks: pages and the email show it as code,
/// feeds and the search index as plain text, and nowhere with literal backticks.
#[test]
fn the_samples_inline_markdown_renders_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("mysite");
    ok(dir.path(), &["init", root.to_str().unwrap()]);
    ok(&root, &["build"]);
    let public = root.join("public");
    let day = std::fs::read_dir(root.join("content"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name()
        .into_string()
        .unwrap();
    let day_path = day.replace('-', "/");
    let pages = [
        "index.html".to_string(),
        format!("{day_path}/index.html"),
        format!("{day_path}/email.html"),
        format!("{day_path}/welcome-to-your-briefing/index.html"),
    ];
    for page in &pages {
        let html = read(&public, page);
        assert!(
            html.contains("collect them with <code>briefing ingest</code>."),
            "{page}: {html}"
        );
        assert!(!html.contains("`briefing ingest`"), "{page}");
    }
    // RSS `description` is HTML: it carries the same inline HTML as the pages.
    let rss = read(&public, "rss.xml");
    assert!(
        rss.contains("collect them with <code>briefing ingest</code>.</li></ul>]]></description>"),
        "{rss}"
    );
    for file in [
        "atom.xml".to_string(),
        "feed.json".to_string(),
        "search/f/0.js".to_string(),
    ] {
        let text = read(&public, &file);
        assert!(
            text.contains("collect them with briefing ingest."),
            "{file}: {text}"
        );
        assert!(!text.contains("`briefing ingest`"), "{file}");
    }
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = site("basic");
    let err = fails(site.path(), &["init", site.path().to_str().unwrap()]);
    assert!(err.contains("not empty"), "{err}");
    assert!(
        read(site.path(), "briefing.toml").contains("Fixture Briefing"),
        "nothing overwritten"
    );
}

#[test]
fn new_writes_a_draft_that_parses() {
    let site = site("basic");
    let out = briefing(
        site.path(),
        &[
            "new",
            "Copper: prices hit a record!",
            "--topic",
            "raw-materials",
            "--date",
            "2026-11-27",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "written as a draft: builds leave it out until you delete `draft: true` (or pass --drafts)"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8(out.stdout).unwrap();
    assert!(
        path.trim()
            .ends_with("content/2026-11-27/copper-prices-hit-a-record.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(path.trim()).unwrap();
    assert!(
        text.contains("title: \"Copper: prices hit a record!\""),
        "{text}"
    );
    // A draft: left out of a normal build, with a word, and in with --drafts.
    let stderr = ok(site.path(), &["build"]);
    assert!(!site.path().join("public/2026/11/27").exists());
    assert!(
        stderr.contains("\n1 draft left out (--drafts to include)\n"),
        "{stderr}"
    );
    let stderr = ok(site.path(), &["build", "--drafts"]);
    assert!(!stderr.contains("left out"), "{stderr}");
    assert!(
        site.path()
            .join("public/2026/11/27/copper-prices-hit-a-record/index.html")
            .is_file()
    );
    // The same title again is refused rather than overwritten.
    let err = fails(
        site.path(),
        &[
            "new",
            "Copper: prices hit a record!",
            "--date",
            "2026-11-27",
        ],
    );
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn new_refuses_an_unknown_topic() {
    let site = site("basic");
    let err = usage_error(site.path(), &["new", "Match report", "--topic", "sports"]);
    assert!(
        err.contains("unknown topic `sports`, expected one of: tech-partnerships, raw-materials"),
        "{err}"
    );
}

/// `new` names the file as ingest does (one slug rule): a long headline is cut between words
/// at 80 characters, never in the middle of one.
#[test]
fn new_cuts_a_long_title_between_words_as_ingest_does() {
    let site = site("basic");
    let title =
        "Lithium refiners in Portugal and Spain agree a shared permit process for new plants";
    let out = briefing(site.path(), &["new", title, "--date", "2026-11-27"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8(out.stdout).unwrap();
    assert!(
        path.trim().ends_with(
            "content/2026-11-27/lithium-refiners-in-portugal-and-spain-agree-a-shared-permit-process-for-new.md"
        ),
        "{path}"
    );
    // Ingest of a story with the same headline lands on the same file name.
    write(
        site.path(),
        "story.txt",
        &format!(
            "{title}\nLISBON: Refiners in Portugal and Spain on Tuesday agreed a shared process for the permits of new lithium plants, the two governments said in a joint statement after talks in Lisbon.\nThe process sets one review for plants near the border and one public hearing, the statement said.\nIndustry groups welcomed the agreement and said it would shorten reviews by several months.\n"
        ),
    );
    let out = assert_cmd::Command::cargo_bin("briefing")
        .unwrap()
        .current_dir(site.path())
        .args(["ingest", "story.txt", "--date", "2026-11-28", "--json"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "content/2026-11-28/lithium-refiners-in-portugal-and-spain-agree-a-shared-permit-process-for-new.md"
        ),
        "{stdout}"
    );
}

/// `--topic other` names the catch-all topic every site has, as `topic: other` does in front
/// matter: one topic rule for content, ingest, new and sources.
#[test]
fn the_catch_all_topic_is_accepted_by_new() {
    let site = site("basic");
    ok(
        site.path(),
        &[
            "new",
            "A note on shipping",
            "--topic",
            "other",
            "--date",
            "2026-11-27",
        ],
    );
}
