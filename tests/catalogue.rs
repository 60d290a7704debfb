//! The rest of the bad-input catalogue (docs/errors.md): each entry here is a problem a user
//! can run into, with the exact message they see, exit code 1 and nothing lost.

mod common;

use common::*;
use std::path::Path;

fn no_output(site: &Path) {
    assert!(
        !site.join("public").exists(),
        "a failed build wrote public/"
    );
}

#[test]
fn a_50_mb_single_line_file_is_refused_without_reading_it_all() {
    let site = site("basic");
    let mut text = b"---\ntitle: Huge\ndate: 2026-11-26\n---\n".to_vec();
    text.resize(50 * 1024 * 1024, b'a');
    std::fs::write(site.path().join("content/huge.md"), &text).unwrap();
    let err = fails(site.path(), &["build"]);
    assert!(
        err.contains("content/huge.md: file is 50 MB; articles are limited to 16 MB"),
        "{err}"
    );
    insta::assert_snapshot!("14-file-over-16-mb", for_snapshot(&err, site.path()));
    no_output(site.path());
}

#[test]
fn deeply_nested_front_matter_is_an_error_not_a_crash() {
    let site = site("basic");
    let deep = format!(
        "---\ntitle: Deep\ndate: 2026-11-26\ntags: {}{}\n---\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    write(site.path(), "content/deep.md", &deep);
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("content/deep.md:4:"), "{err}");
    assert!(err.contains("recursion limit exceeded"), "{err}");
    insta::assert_snapshot!(
        "15-deeply-nested-front-matter",
        for_snapshot(&err, site.path())
    );
    no_output(site.path());
}

#[test]
fn huge_front_matter_is_refused() {
    let site = site("basic");
    let tags: Vec<String> = (0..120_000).map(|i| format!("\"tag{i}\"")).collect();
    write(
        site.path(),
        "content/big.md",
        &format!(
            "---\ntitle: Big\ndate: 2026-11-26\ntags: [{}]\n---\n",
            tags.join(", ")
        ),
    );
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("content/big.md:1:1: front matter is"), "{err}");
    assert!(err.contains("the limit is 1024 KB"), "{err}");
    insta::assert_snapshot!("16-huge-front-matter", for_snapshot(&err, site.path()));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_in_content_is_reported() {
    let site = site("basic");
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/2026-11-26/loop"),
    )
    .unwrap();
    let err = fails(site.path(), &["build"]);
    assert!(
        err.contains("content/2026-11-26/loop: symbolic link loop"),
        "{err}"
    );
    insta::assert_snapshot!("17-symlink-loop", for_snapshot(&err, site.path()));
    no_output(site.path());
}

#[test]
fn output_at_a_parent_of_the_site_is_refused() {
    let site = site("basic");
    let parent = site.path().parent().unwrap();
    let err = fails(
        site.path(),
        &["build", "--output", parent.to_str().unwrap(), "--force"],
    );
    assert!(
        err.contains("it is the site folder or one of its parents"),
        "{err}"
    );
    insta::assert_snapshot!("33-output-at-a-parent", for_snapshot(&err, site.path()));
    assert!(
        site.path().join("briefing.toml").is_file(),
        "nothing deleted"
    );
}

#[test]
fn missing_config() {
    let dir = tempfile::tempdir().unwrap();
    let err = fails(dir.path(), &["build"]);
    assert!(
        err.contains("briefing.toml: not found; run `briefing init` to create a site"),
        "{err}"
    );
}

#[test]
fn bad_base_url_timezone_and_duplicate_topic_are_located() {
    let site = site("basic");
    let config = read(site.path(), "briefing.toml");
    for (from, to, expected) in [
        (
            "base_url = \"https://example.org/news/\"",
            "base_url = \"example.org\"",
            "briefing.toml:3:12: base_url `example.org` must be an absolute http(s) URL",
        ),
        (
            "timezone = \"UTC\"",
            "timezone = \"Moon/Base\"",
            "briefing.toml:4:12: unknown timezone `Moon/Base`",
        ),
        (
            "slug = \"raw-materials\"",
            "slug = \"tech-partnerships\"",
            "topic slug `tech-partnerships` is defined twice",
        ),
        (
            "paginate_by = 2",
            "paginate_by = \"two\"",
            "briefing.toml:5:15: invalid type: string \"two\", expected a whole number",
        ),
    ] {
        write(site.path(), "briefing.toml", &config.replace(from, to));
        let err = fails(site.path(), &["build"]);
        assert!(err.contains(expected), "{to}: {err}");
    }
    no_output(site.path());
}

#[test]
fn a_template_extending_a_missing_parent() {
    let site = site("basic");
    write(
        site.path(),
        "templates/topics.html",
        "{% extends \"nowhere.html\" %}{% block content %}{% endblock %}",
    );
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("nowhere.html"), "{err}");
    no_output(site.path());
}

#[test]
fn an_empty_title() {
    let site = site("basic");
    write(
        site.path(),
        "content/empty-title.md",
        "---\ntitle: \"  \"\ndate: 2026-11-26\n---\n",
    );
    let err = fails(site.path(), &["build"]);
    assert!(
        err.contains("content/empty-title.md:2:8: `title` is empty"),
        "{err}"
    );
}

#[test]
fn a_source_url_that_is_not_a_web_link() {
    let site = site("basic");
    write(
        site.path(),
        "content/js.md",
        "---\ntitle: T\ndate: 2026-11-26\nsource: { name: X, url: \"javascript:alert(1)\" }\n---\n",
    );
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("content/js.md:4:26: source url `javascript:alert(1)` must start with http:// or https://"), "{err}");
    // Written as a block, the error points at the `url:` line, not at `source:`.
    write(
        site.path(),
        "content/js.md",
        "---\ntitle: T\ndate: 2026-11-26\nsource:\n  name: X\n  url: javascript:alert(1)\n---\n",
    );
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("content/js.md:6:8: source url `javascript:alert(1)` must start with http:// or https://"), "{err}");
}

#[test]
fn an_id_that_looks_like_a_path_is_refused() {
    let site = site("basic");
    write(
        site.path(),
        "content/2026-11-26/sneaky.md",
        "---\ntitle: T\ndate: 2026-11-26\nid: ../../etc/passwd\n---\nText.\n",
    );
    let err = fails(site.path(), &["build"]);
    assert!(
        err.contains("content/2026-11-26/sneaky.md:4:5: invalid id `../../etc/passwd`: use only letters, digits, `-`, `_` and `.` (no `..`, no slashes)"),
        "{err}"
    );
    no_output(site.path());
}

#[cfg(unix)]
#[test]
fn a_symlink_to_itself_says_what_to_do() {
    let site = site("basic");
    let link = site.path().join("content/2026-11-26/self.md");
    std::os::unix::fs::symlink(&link, &link).unwrap();
    let err = fails(site.path(), &["build"]);
    assert!(
        err.contains("content/2026-11-26/self.md: symbolic link that never reaches a file (it points to itself, or to a link that leads back to it): remove the link or point it at a real file"),
        "{err}"
    );
    insta::assert_snapshot!("17-symlink-to-itself", for_snapshot(&err, site.path()));
    no_output(site.path());
}

#[test]
fn bad_command_line_values_are_usage_errors() {
    let site = site("basic");
    let out = briefing(site.path(), &["build", "--as-of", "yesterday"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`yesterday` is not a date YYYY-MM-DD"));
    let out = briefing(site.path(), &["ingest", "x.txt", "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ingest_of_a_feed_that_is_not_xml() {
    let site = site("basic");
    write(site.path(), "feed.xml", "these are words, not a feed\n");
    let err = fails(
        site.path(),
        &[
            "ingest",
            site.path().join("feed.xml").to_str().unwrap(),
            "--format",
            "feed",
        ],
    );
    assert!(
        err.contains("feed.xml: not a valid RSS, Atom or JSON feed"),
        "{err}"
    );
}

#[test]
fn ingest_of_html_with_no_article() {
    let site = site("basic");
    write(
        site.path(),
        "page.html",
        "<html><head><title>Menu</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/a\">About</a></nav></body></html>",
    );
    let before = tree(&site.path().join("content"));
    let err = fails(
        site.path(),
        &["ingest", site.path().join("page.html").to_str().unwrap()],
    );
    assert!(err.contains("page.html: no recognizable article"), "{err}");
    assert_eq!(before, tree(&site.path().join("content")));
}

#[cfg(unix)]
#[test]
fn a_build_killed_mid_run_leaves_the_previous_output_whole() {
    let site = site("basic");
    ok(site.path(), &["build"]);
    let before = tree(&site.path().join("public"));
    many_articles(site.path(), 3000);
    for delay_ms in [30, 120, 300] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("briefing"))
            .args(["--root", site.path().to_str().unwrap(), "-q", "build"])
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        let now = tree(&site.path().join("public"));
        if status.success() {
            // It finished before the kill: then it is a complete new site.
            assert!(now.contains_key("2026/10/01/story-0/index.html"));
            return;
        }
        assert_eq!(before, now, "killed after {delay_ms} ms: public/ changed");
    }
}

#[cfg(unix)]
#[test]
fn an_ingest_killed_mid_run_leaves_no_half_written_article() {
    let site = site("basic");
    let dump: String = (0..4000)
        .map(|i| format!("Headline number {i} about copper\nLONDON (Reuters) - Copper story {i} says refiners in region {i} signed supply deals for the metal this week. The deal covers {i} tonnes.\n"))
        .collect();
    write(site.path(), "dump.txt", &dump);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("briefing"))
        .args([
            "--root",
            site.path().to_str().unwrap(),
            "-q",
            "ingest",
            site.path().join("dump.txt").to_str().unwrap(),
            "--date",
            "2026-11-20",
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(400));
    let _ = child.kill();
    child.wait().unwrap();
    // Whatever was written is whole: every article file parses, and the site builds.
    ok(site.path(), &["check"]);
    for (rel, bytes) in tree(&site.path().join("content")) {
        let hidden = rel.split('/').any(|part| part.starts_with('.'));
        assert!(
            rel.ends_with(".md") || hidden,
            "{rel}: a stray file in content/"
        );
        if rel.ends_with(".md") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(text.ends_with('\n'), "{rel} is cut short");
        }
    }
}

#[test]
fn odd_file_names_never_leave_public() {
    let site = site("basic");
    let long = "x".repeat(240);
    for name in [
        "C:evil",
        "..%2F..%2Fescape",
        "a\\..\\b",
        long.as_str(),
        "日本語の記事",
    ] {
        write(
            site.path(),
            &format!("content/2026-11-26/{name}.md"),
            "---\ntitle: Odd\ndate: 2026-11-26\n---\nText.\n",
        );
    }
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    let files = tree(&public);
    for rel in files.keys() {
        assert!(!rel.contains(".."), "{rel}");
        assert!(
            rel.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c)),
            "{rel}"
        );
    }
    assert!(files.contains_key("2026/11/26/c-evil/index.html"));
    assert!(
        files.contains_key("2026/11/26/ri-ben-yu-noji-shi/index.html"),
        "{:?}",
        files
            .keys()
            .filter(|k| k.contains("2026/11/26/"))
            .collect::<Vec<_>>()
    );
    // Nothing was written beside the site.
    let beside: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        beside
            .iter()
            .all(|n| ["briefing.toml", "content", "public"].contains(&n.to_str().unwrap())),
        "{beside:?}"
    );
}
