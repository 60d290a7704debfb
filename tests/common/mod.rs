//! Helpers shared by the integration tests: copy a fixture site into a temp dir, run the real
//! `briefing` binary on it, and read what it wrote.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

pub fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case)
}

/// A fresh copy of `tests/fixtures/<case>` in a temp dir; the site is at `.path()`.
pub fn site(case: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(case), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

pub fn briefing(root: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("briefing")
        .unwrap()
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Runs a command that must succeed, returning its stderr.
pub fn ok(root: &Path, args: &[&str]) -> String {
    let out = briefing(root, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "briefing {args:?} failed:\n{stderr}");
    stderr
}

/// Runs a command that must fail with exit code 1, returning its stderr.
pub fn fails(root: &Path, args: &[&str]) -> String {
    let out = briefing(root, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "expected exit 1 for {args:?}, got {:?}:\n{stderr}",
        out.status
    );
    stderr
}

/// Runs a command that must fail as a usage error (a bad argument), exit code 2, returning its
/// stderr.
pub fn usage_error(root: &Path, args: &[&str]) -> String {
    let out = briefing(root, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2 (usage error) for {args:?}, got {:?}:\n{stderr}",
        out.status
    );
    stderr
}

/// Stderr as a snapshot keeps it: the site's temp folder, in every spelling, becomes `[SITE]`
/// (and its parent `[TMP]`), so the snapshot is the same on every machine.
pub fn for_snapshot(text: &str, site: &Path) -> String {
    let mut text = text.to_string();
    let canonical = site.canonicalize().unwrap();
    for dir in [canonical.as_path(), site] {
        text = text.replace(&dir.display().to_string(), "[SITE]");
        if let Some(parent) = dir.parent() {
            text = text.replace(&parent.display().to_string(), "[TMP]");
        }
    }
    text
}

pub fn read(root: &Path, rel: &str) -> String {
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Every file under `dir` with its bytes, for byte-for-byte comparisons. `briefing build`'s
/// cache (`.briefing-cache`) is left out: it records when each file was written, so no two
/// builds have the same, and the preview writes none (tests/build_cache.rs checks it).
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path() != dir.join(briefing::output::CACHE))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The folders under `dir`, relative to it.
pub fn folders(dir: &Path) -> std::collections::BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().display().to_string())
        .collect()
}

/// Asserts that `got` holds the same files with the same bytes, and the same folders, as
/// `full` (a full build of the same site); `what` names how `got` was made, for messages.
pub fn assert_same_as_full_build(got: &Path, full: &Path, what: &str) {
    let (got_files, want) = (tree(got), tree(full));
    let got_names: Vec<&String> = got_files.keys().collect();
    let want_names: Vec<&String> = want.keys().collect();
    assert_eq!(got_names, want_names, "the same files ({what})");
    for (name, bytes) in &want {
        assert!(
            got_files[name] == *bytes,
            "{name} differs from a full build ({what}):\n--- {what}\n{}\n--- full\n{}",
            String::from_utf8_lossy(&got_files[name]),
            String::from_utf8_lossy(bytes)
        );
    }
    assert_eq!(folders(got), folders(full), "the same folders ({what})");
}

/// All `href="…"` and `src="…"` values of an HTML page.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

/// Writes `n` articles, enough work for a build or ingest to be killed in the middle of it.
pub fn many_articles(root: &Path, n: usize) {
    let para = "Copper and lithium prices moved as refiners signed new supply deals across three continents. ".repeat(20);
    for i in 0..n {
        write(
            root,
            &format!("content/2026-10-{:02}/story-{i}.md", 1 + i % 28),
            &format!(
                "---\ntitle: \"Story {i}\"\ndate: 2026-10-{:02}\n---\n{para}\n\n{para}\n",
                1 + i % 28
            ),
        );
    }
}

/// Runs the browser script `tests/browser/<script>` with node and `args`, in the Chromium and
/// playwright-core that `../shared/tools/site-audit` installs (its `node_modules` beside the
/// repository, or where `NODE_PATH` says). Fails when they are missing or the script fails;
/// returns what the script printed.
pub fn run_in_chromium<A: AsRef<OsStr>>(script: &str, args: impl IntoIterator<Item = A>) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let modules = std::env::var_os("NODE_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo.join("../shared/tools/site-audit/node_modules"));
    assert!(
        modules.join("playwright-core").is_dir() && Path::new("/usr/bin/chromium").exists(),
        "this test needs /usr/bin/chromium and playwright-core in {}: run \
         ../shared/tools/site-audit/site-audit on a built site once to install them",
        modules.display()
    );
    let out = std::process::Command::new("node")
        .arg(repo.join("tests/browser").join(script))
        .args(args)
        .env("NODE_PATH", &modules)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}
