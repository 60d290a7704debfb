//! The command line as a user reads it: `--help`, shell completions, the man page and
//! `briefing topics`.

mod common;

use common::*;

fn stdout_of(root: &std::path::Path, args: &[&str]) -> String {
    let out = briefing(root, args);
    assert!(
        out.status.success(),
        "briefing {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_keeps_global_options_apart_and_names_values_by_their_form() {
    let dir = tempfile::tempdir().unwrap();
    let help = stdout_of(dir.path(), &["build", "--help"]);
    let (own, global) = help
        .split_once("Global options:")
        .unwrap_or_else(|| panic!("no global heading:\n{help}"));
    assert!(own.contains("--as-of <YYYY-MM-DD>"), "{help}");
    assert!(own.contains("--output <DIR>"), "{help}");
    assert!(own.contains("--base-url <URL>"), "{help}");
    assert!(!own.contains("--root"), "{help}");
    assert!(!own.contains("--quiet"), "{help}");
    assert!(global.contains("--root <DIR>"), "{help}");
    assert!(
        global.contains("--quiet") && global.contains("--verbose"),
        "{help}"
    );
    let help = stdout_of(dir.path(), &["ingest", "--help"]);
    assert!(help.contains("--date <YYYY-MM-DD>"), "{help}");
    let help = stdout_of(dir.path(), &["new", "--help"]);
    assert!(help.contains("--date <YYYY-MM-DD>"), "{help}");
    assert!(help.contains("--topic <SLUG>"), "{help}");
}

#[test]
fn completions_are_generated_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    let bash = stdout_of(dir.path(), &["completions", "bash"]);
    assert!(bash.contains("complete -F _briefing"), "{bash}");
    assert!(bash.contains("--as-of"), "the build options are completed");
    let zsh = stdout_of(dir.path(), &["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef briefing"), "{zsh}");
    let fish = stdout_of(dir.path(), &["completions", "fish"]);
    assert!(fish.contains("complete -c briefing"), "{fish}");
    let ps = stdout_of(dir.path(), &["completions", "powershell"]);
    assert!(ps.contains("Register-ArgumentCompleter"), "{ps}");
    let out = briefing(dir.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn man_pages_come_from_the_same_definitions() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("man/man1");
    let stderr = ok(dir.path(), &["man", out.to_str().unwrap()]);
    let main = std::fs::read_to_string(out.join("briefing.1")).unwrap();
    assert!(main.contains(".TH briefing 1"), "{main}");
    assert!(main.contains("briefing\\-build(1)"), "{main}");
    assert!(main.contains("\\-\\-root"), "{main}");
    for command in [
        "build",
        "check",
        "ingest",
        "serve",
        "init",
        "new",
        "topics",
        "completions",
    ] {
        let page = out.join(format!("briefing-{command}.1"));
        assert!(page.is_file(), "{} missing", page.display());
        assert!(
            stderr.contains(&format!("wrote {}", page.display())),
            "{stderr}"
        );
    }
    let build = std::fs::read_to_string(out.join("briefing-build.1")).unwrap();
    assert!(
        build.contains("\\-\\-as\\-of") && build.contains("YYYY\\-MM\\-DD"),
        "{build}"
    );
}

#[test]
fn topics_lists_each_configured_topic_with_its_articles() {
    let site = site("basic");
    write(
        site.path(),
        "content/2026-11-27/a-draft.md",
        "---\ntitle: Later\ndate: 2026-11-27\ntopic: raw-materials\ndraft: true\n---\nText.\n",
    );
    let out = stdout_of(site.path(), &["topics"]);
    let expected_topics: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        expected_topics,
        ["tech-partnerships", "raw-materials", "other"],
        "{out}"
    );
    assert!(out.contains("Raw materials"), "{out}");
    assert!(
        out.lines().nth(1).unwrap().ends_with("(and 1 draft)"),
        "{out}"
    );
}
