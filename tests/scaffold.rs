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
    // A draft: left out of a normal build, in with --drafts.
    ok(site.path(), &["build"]);
    assert!(!site.path().join("public/2026/11/27").exists());
    ok(site.path(), &["build", "--drafts"]);
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
    let err = fails(site.path(), &["new", "Match report", "--topic", "sports"]);
    assert!(
        err.contains("unknown topic `sports`, expected one of: tech-partnerships, raw-materials"),
        "{err}"
    );
}
