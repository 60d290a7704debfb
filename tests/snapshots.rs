//! What a user sees, kept as insta snapshots (tests/snapshots/): the message of every
//! catalogued bad input (docs/errors.md) and the file tree of the example site.
//!
//! Each bad input is one folder under tests/fixtures/errors/<case>/: `case.toml` says which
//! fixture site it starts from (`base`, default `basic`; `""` for an empty folder), what to
//! remove or replace in it, the command (`args`, run inside the site as a user would) and the
//! exit code; `site/` holds the files the case adds or overwrites. Review a changed message with
//! `cargo insta review` (or `INSTA_UPDATE=always cargo test --test snapshots` and `git diff`).

mod common;

use std::path::Path;

use common::*;

fn strings(case: &toml::Value, key: &str) -> Vec<String> {
    case.get(key)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn every_catalogued_error_shows_its_message() {
    insta::glob!("fixtures/errors/*/case.toml", |path| {
        let dir = path.parent().unwrap();
        let case: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let base = case.get("base").map_or("basic", |b| b.as_str().unwrap());
        let site = tempfile::tempdir().unwrap();
        if !base.is_empty() {
            copy_dir(&fixture(base), site.path());
        }
        for rel in strings(&case, "remove") {
            std::fs::remove_dir_all(site.path().join(&rel)).unwrap();
        }
        for edit in case
            .get("replace")
            .and_then(|r| r.as_array())
            .into_iter()
            .flatten()
        {
            let file = edit["file"].as_str().unwrap();
            let (from, to) = (edit["from"].as_str().unwrap(), edit["to"].as_str().unwrap());
            let text = read(site.path(), file);
            assert!(
                text.contains(from),
                "{}: `{from}` not in {file}",
                path.display()
            );
            write(site.path(), file, &text.replacen(from, to, 1));
        }
        if dir.join("site").is_dir() {
            copy_dir(&dir.join("site"), site.path());
        }
        let before = tree(site.path());

        let args = strings(&case, "args");
        let out = assert_cmd::Command::cargo_bin("briefing")
            .unwrap()
            .args(&args)
            .current_dir(site.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let exit = case.get("exit").map_or(1, |e| e.as_integer().unwrap());
        let stderr = for_snapshot(&String::from_utf8_lossy(&out.stderr), site.path());
        assert_eq!(
            out.status.code(),
            Some(exit as i32),
            "{}: exit code\n{stderr}",
            path.display()
        );
        // A refused run changes nothing.
        assert!(
            tree(site.path()) == before,
            "{}: files changed",
            path.display()
        );
        insta::assert_snapshot!(stderr);
    });
}

/// Every path the example site (the repository's own briefing.toml and content/) builds to;
/// a page that appears or disappears shows up in review.
#[test]
fn the_example_site_builds_to_this_file_tree() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    for part in ["briefing.toml", "content", "templates", "themes", "static"] {
        let from = repo.join(part);
        if from.is_dir() {
            copy_dir(&from, &site.path().join(part));
        } else if from.is_file() {
            std::fs::copy(&from, site.path().join(part)).unwrap();
        }
    }
    ok(site.path(), &["build"]);
    let paths: Vec<String> = tree(&site.path().join("public")).into_keys().collect();
    insta::assert_snapshot!(paths.join("\n"));
}
