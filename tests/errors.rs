//! Bad input: each problem gives a clear message with the path (and line:column where there is
//! one), exit code 1, and no output at all.

mod common;

use common::*;
use tempfile::TempDir;

/// The basic fixture with one extra file; the build must fail and write nothing.
fn broken(rel: &str, bytes: &[u8]) -> (TempDir, String) {
    let site = site("basic");
    let path = site.path().join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let stderr = fails(site.path(), &["build"]);
    assert!(
        !site.path().join("public").exists(),
        "a failed build wrote public/"
    );
    (site, stderr)
}

const BAD: &str = "content/2026-11-26/bad.md";

#[test]
fn unknown_field_is_reported_as_path_line_column() {
    let (_s, err) = broken(
        BAD,
        b"---\ntitle: A\ndate: 2026-11-26\ntitel: typo\n---\nBody\n",
    );
    assert!(
        err.contains("content/2026-11-26/bad.md:4:1: unknown field `titel`, expected one of"),
        "{err}"
    );
    // The nearest known key is suggested.
    assert!(err.contains("; did you mean `title`?\n"), "{err}");
}

#[test]
fn an_unclosed_quote_is_reported_where_it_opens() {
    let (_s, err) = broken(
        BAD,
        b"---\ntitle: \"Lithium deal\ndate: 2026-11-26\nsummary:\n  - \"A first bullet.\"\n---\nBody\n",
    );
    assert!(
        err.contains(
            "content/2026-11-26/bad.md:2:8: this quoted value is never closed: add the closing quote at the end of line 2"
        ),
        "{err}"
    );
    assert!(
        err.contains("2 | title: \"Lithium deal\n  |        ^"),
        "{err}"
    );
}

#[test]
fn wrong_types_are_named_in_words_and_config_keys_get_suggestions() {
    let site = site("basic");
    let config = read(site.path(), "briefing.toml");
    write(
        site.path(),
        "briefing.toml",
        &config.replace("paginate_by = 2", "paginate_by = \"ten\""),
    );
    let err = fails(site.path(), &["build"]);
    assert!(
        err.contains("briefing.toml:5:15: invalid type: string \"ten\", expected a whole number"),
        "{err}"
    );
    write(
        site.path(),
        "briefing.toml",
        &config.replace("paginate_by = 2", "paginate_bye = 2"),
    );
    let err = fails(site.path(), &["build"]);
    assert!(
        err.contains("unknown field `paginate_bye`") && err.contains("did you mean `paginate_by`?"),
        "{err}"
    );
}

#[test]
fn unknown_field_in_toml_front_matter() {
    let (_s, err) = broken(
        BAD,
        b"+++\ntitle = \"A\"\ndate = 2026-11-26\ncolour = \"red\"\n+++\nBody\n",
    );
    assert!(
        err.contains("content/2026-11-26/bad.md:4:1: unknown field `colour`"),
        "{err}"
    );
}

#[test]
fn malformed_yaml_is_located() {
    let (_s, err) = broken(
        BAD,
        b"---\ntitle: A\ndate: 2026-11-26\ntags: [one, two\n---\nBody\n",
    );
    assert!(err.contains("content/2026-11-26/bad.md:"), "{err}");
    let line: usize = err
        .split("bad.md:")
        .nth(1)
        .unwrap()
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((4..=5).contains(&line), "points at the broken list: {err}");
}

#[test]
fn unclosed_front_matter() {
    let (_s, err) = broken(
        BAD,
        b"---\ntitle: A\ndate: 2026-11-26\nBody without a closing line\n",
    );
    assert!(err.contains("content/2026-11-26/bad.md:1:1: front matter opened with `---` on line 1 is never closed"), "{err}");
}

#[test]
fn missing_front_matter() {
    let (_s, err) = broken(BAD, b"Just text\n");
    assert!(err.contains("bad.md:1:1: expected front matter"), "{err}");
}

#[test]
fn missing_title_and_date() {
    let (_s, err) = broken(BAD, b"---\ntopic: raw-materials\n---\nBody\n");
    assert!(err.contains("bad.md:1:1: missing field `title`"), "{err}");
    assert!(err.contains("bad.md:1:1: missing field `date`"), "{err}");
}

#[test]
fn impossible_date() {
    let (_s, err) = broken(BAD, b"---\ntitle: A\ndate: 2026-02-30\n---\nBody\n");
    assert!(
        err.contains("bad.md:3:7: invalid date `2026-02-30`"),
        "{err}"
    );
}

#[test]
fn wrong_type() {
    let (_s, err) = broken(
        BAD,
        b"---\ntitle: A\ndate: 2026-11-26\ndraft: sometimes\n---\nBody\n",
    );
    assert!(err.contains("bad.md:4:"), "{err}");
}

#[test]
fn unknown_topic_names_file_and_known_slugs() {
    let (_s, err) = broken(
        BAD,
        b"---\ntitle: A\ndate: 2026-11-26\ntopic: sports\n---\nBody\n",
    );
    assert!(
        err.contains(
            "bad.md:4:8: unknown topic `sports`, expected one of: tech-partnerships, raw-materials"
        ),
        "{err}"
    );
}

#[test]
fn non_utf8_file() {
    let (_s, err) = broken(BAD, b"---\ntitle: caf\xe9\ndate: 2026-11-26\n---\n");
    assert!(err.contains("bad.md: line 2: not valid UTF-8"), "{err}");
}

#[test]
fn nul_bytes() {
    let (_s, err) = broken(BAD, b"---\ntitle: A\ndate: 2026-11-26\n---\nbin\0ary\n");
    assert!(err.contains("bad.md: line 5: contains a NUL byte"), "{err}");
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    let site = site("basic");
    std::os::unix::fs::symlink(
        site.path().join("nowhere.md"),
        site.path().join("content/dangling.md"),
    )
    .unwrap();
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("content/dangling.md"), "{err}");
    insta::assert_snapshot!("18-dangling-link", for_snapshot(&err, site.path()));
    assert!(!site.path().join("public").exists());
}

#[test]
fn all_errors_are_reported_together() {
    let site = site("basic");
    write(
        site.path(),
        "content/a.md",
        "---\ntitle: A\ndate: 2026-13-01\n---\n",
    );
    write(
        site.path(),
        "content/b.md",
        "---\ntitle: B\ndate: 2026-11-26\nbogus: 1\n---\n",
    );
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("content/a.md:3:7: invalid date"), "{err}");
    assert!(
        err.contains("content/b.md:4:1: unknown field `bogus`"),
        "{err}"
    );
    assert!(err.contains("2 problems; nothing was written"), "{err}");
}

#[test]
fn template_runtime_error_names_template_page_and_line() {
    let (_s, err) = broken(
        "templates/article.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n<p>{{ article.nope }}</p>\n{% endblock %}\n",
    );
    assert!(
        err.contains("template error in `templates/article.html`"),
        "{err}"
    );
    assert!(err.contains("while rendering 2026/11/"), "{err}");
    assert!(err.contains("article.html:3:"), "{err}");
}

#[test]
fn template_syntax_error_is_located() {
    let (_s, err) = broken(
        "templates/topic.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n{{ topic.name }\n{% endblock %}\n",
    );
    assert!(err.contains("topic.html:3:"), "{err}");
}

#[test]
fn missing_template_in_a_theme() {
    let site = site("basic");
    write(
        site.path(),
        "briefing.toml",
        &read(site.path(), "briefing.toml").replace("timezone", "theme = \"bare\"\ntimezone"),
    );
    write(
        site.path(),
        "themes/bare/templates/base.html",
        "<html>{% block content %}{% endblock %}</html>",
    );
    let err = fails(site.path(), &["build"]);
    assert!(
        err.contains("theme `bare` has no template `index.html`"),
        "{err}"
    );
}

#[test]
fn missing_theme() {
    let site = site("basic");
    write(
        site.path(),
        "briefing.toml",
        &read(site.path(), "briefing.toml").replace("timezone", "theme = \"nope\"\ntimezone"),
    );
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("theme `nope` not found"), "{err}");
}

#[test]
fn unknown_config_key() {
    let site = site("basic");
    write(
        site.path(),
        "briefing.toml",
        &format!("{}\nshiny = true\n", read(site.path(), "briefing.toml")),
    );
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("briefing.toml:"), "{err}");
    assert!(err.contains("unknown field `shiny`"), "{err}");
}

#[test]
fn missing_and_empty_content() {
    let site = site("basic");
    std::fs::remove_dir_all(site.path().join("content")).unwrap();
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("content: content folder not found"), "{err}");
    std::fs::create_dir(site.path().join("content")).unwrap();
    let err = fails(site.path(), &["build"]);
    assert!(err.contains("no articles found"), "{err}");
}

#[test]
fn two_files_claiming_one_url() {
    let (_s, err) = broken(
        "content/elsewhere/chip-deal.md",
        b"---\ntitle: Other\ndate: 2026-11-26\n---\nx\n",
    );
    assert!(
        err.contains("same output path 2026/11/26/chip-deal/"),
        "{err}"
    );
}

#[test]
fn located_errors_show_the_offending_line() {
    let (_s, err) = broken(
        BAD,
        b"---\ntitle: A\ndate: 2026-11-26\ntopic: sports\n---\nBody\n",
    );
    assert!(err.contains("4 | topic: sports\n  |        ^"), "{err}");
}

/// Colours only on a terminal, and never with NO_COLOR: run under `script`, which gives the
/// program a pseudo-terminal (util-linux's `script`, part of every Linux base system; BSD's
/// `script` takes other arguments, so the test is Linux-only).
#[cfg(target_os = "linux")]
#[test]
fn colours_on_a_terminal_unless_no_color() {
    assert!(
        std::process::Command::new("script")
            .arg("--version")
            .output()
            .is_ok(),
        "this test needs `script` (util-linux) to give briefing a terminal"
    );
    let site = site("basic");
    write(
        site.path(),
        BAD,
        "---\ntitle: A\ndate: 2026-11-26\ntopic: sports\n---\n",
    );
    let bin = assert_cmd::cargo::cargo_bin("briefing");
    let run = |no_color: bool| {
        let cmd = format!("{} --root {} build", bin.display(), site.path().display());
        let mut c = std::process::Command::new("script");
        c.args(["-qec", &cmd, "/dev/null"]).env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
    };
    let coloured = run(false);
    assert!(coloured.contains("\x1b[1;31merror"), "{coloured:?}");
    let plain = run(true);
    assert!(
        plain.contains("error: content/2026-11-26/bad.md:4:8"),
        "{plain:?}"
    );
    assert!(!plain.contains('\x1b'), "{plain:?}");
}
