//! `briefing build` with its cache (`.briefing-cache` in the output folder) gives the same
//! output, byte for byte and file for file, as `briefing build --full` of the same site: after
//! every kind of change, a cached build of `public/` is compared with a full build into
//! another folder. The counts of rendered and reused pages that `-v` prints show that the
//! cache was used (or why not).

mod common;

use std::path::{Path, PathBuf};

use common::*;

const CACHE: &str = ".briefing-cache";

/// What `briefing -v build` said about its cache.
#[derive(Debug)]
struct Used {
    rendered: usize,
    reused: usize,
    /// Why every page was rendered, if it was.
    full_because: Option<String>,
}

fn used(stderr: &str) -> Used {
    let counts = stderr
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("cache: ")
                .filter(|l| l.contains("rendered,"))
        })
        .unwrap_or_else(|| panic!("no cache line in:\n{stderr}"));
    let numbers: Vec<usize> = counts
        .split(' ')
        .filter_map(|w| w.replace(',', "").parse().ok())
        .collect();
    let full_because = stderr.lines().find_map(|l| {
        l.trim()
            .strip_prefix("cache: every page rendered: ")
            .map(str::to_string)
    });
    Used {
        rendered: numbers[0],
        reused: numbers[1],
        full_because,
    }
}

/// `briefing -v build` with the cache into `public/`, then `briefing build --full` into a
/// fresh folder: the two must hold the same files with the same bytes.
fn build_and_compare(root: &Path, extra: &[&str]) -> Used {
    let stderr = ok(root, &[&["-v", "build"], extra].concat());
    let used = used(&stderr);
    let fresh = tempfile::tempdir().unwrap();
    let full = fresh.path().join("full");
    let full_arg = full.display().to_string();
    ok(
        root,
        &[&["build", "--full", "--output", full_arg.as_str()], extra].concat(),
    );
    let public = root.join("public");
    assert_same_as_full_build(&public, &full, &format!("cached: {used:?}"));
    assert!(public.join(CACHE).is_file(), "the cache is written");
    assert_eq!(used.rendered + used.reused, pages(&public), "{used:?}");
    used
}

/// The pages the cache records.
fn pages(public: &Path) -> usize {
    let text = std::fs::read_to_string(public.join(CACHE)).unwrap();
    // The format line, four key lines, the pages, the checksum line.
    text.lines().count() - 6
}

/// The basic fixture with the default theme copied into `themes/default`, so that its
/// templates and static files can be changed.
fn themed_site() -> tempfile::TempDir {
    let site = site("basic");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(
        &repo.join("themes/default"),
        &site.path().join("themes/default"),
    );
    site
}

fn article(title: &str, date: &str, topic: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\ntopic: {topic}\nsummary:\n  - \"{title}.\"\n---\n{body}\n"
    )
}

fn assert_some_rendered(used: &Used, what: &str) {
    assert!(used.full_because.is_none(), "{what}: {used:?}");
    assert!(
        used.rendered > 0 && used.reused > 0,
        "{what}: only some pages are rendered: {used:?}"
    );
}

fn assert_all_rendered(used: &Used, what: &str, because: &str) {
    assert_eq!(used.reused, 0, "{what}: {used:?}");
    let why = used.full_because.as_deref().unwrap_or_default();
    assert!(
        why.contains(because),
        "{what}: {why:?} should say {because:?}"
    );
}

#[test]
fn content_changes_render_only_what_they_touch_and_give_a_full_builds_output() {
    let site = themed_site();
    let root = site.path();
    let first = build_and_compare(root, &[]);
    assert_all_rendered(&first, "first build", "no build cache");

    let same = build_and_compare(root, &[]);
    assert_eq!(same.rendered, 0, "nothing changed: {same:?}");
    assert!(same.full_because.is_none());

    // An edit of one article's title.
    let chip = "content/2026-11-26/chip-deal.md";
    let text = read(root, chip).replace("picks a foundry", "picks a new foundry");
    write(root, chip, &text);
    let used = build_and_compare(root, &[]);
    assert_some_rendered(&used, "edit");
    assert!(used.rendered < used.reused, "{used:?}");

    // Saved again unchanged.
    write(root, chip, &text);
    assert_eq!(build_and_compare(root, &[]).rendered, 0);

    // An addition on a new day: a new edition.
    write(
        root,
        "content/2026-11-27/port-strike.md",
        &article(
            "Port strike ends",
            "2026-11-27",
            "raw-materials",
            "Dockers went back to work.",
        ),
    );
    assert_some_rendered(&build_and_compare(root, &[]), "addition");

    // A date move: the article changes edition.
    let cloud = "content/2026-11-25/cloud-pact.md";
    let moved = read(root, cloud).replace("date: 2026-11-25", "date: 2026-11-26");
    assert_ne!(moved, read(root, cloud));
    write(root, cloud, &moved);
    assert_some_rendered(&build_and_compare(root, &[]), "date move");

    // A topic move: topic pages paginate again.
    let magnet = "content/2026-11-26/magnet-line.md";
    let text = read(root, magnet);
    let other = if text.contains("topic: raw-materials") {
        text.replace("topic: raw-materials", "topic: tech-partnerships")
    } else {
        text.replace("---\ntitle", "---\ntopic: raw-materials\ntitle")
    };
    assert_ne!(other, text);
    write(root, magnet, &other);
    assert_some_rendered(&build_and_compare(root, &[]), "topic move");

    // A deletion, and a whole day deleted: their pages are gone from the output.
    // (The only article of the topic "other": its topic leaves the `site` variable, so every
    // page is rendered.)
    std::fs::remove_file(root.join("content/2026-11-26/river-levels.md")).unwrap();
    build_and_compare(root, &[]);
    std::fs::remove_file(root.join("content/2026-11-25/lithium-permit.md")).unwrap();
    assert_some_rendered(&build_and_compare(root, &[]), "deletion");
    std::fs::remove_dir_all(root.join("content/2026-11-27")).unwrap();
    build_and_compare(root, &[]);
    assert!(!root.join("public/2026/11/27").exists());
}

#[test]
fn template_config_and_option_changes_render_everything_and_statics_follow() {
    let site = themed_site();
    let root = site.path();
    build_and_compare(root, &[]);

    let template = "themes/default/templates/base.html";
    let text = read(root, template);
    let changed = text.replacen("</body>", "<!-- changed -->\n</body>", 1);
    assert_ne!(changed, text, "base.html has a </body>");
    write(root, template, &changed);
    let used = build_and_compare(root, &[]);
    assert_all_rendered(&used, "template change", "templates changed");
    assert!(read(root, "public/index.html").contains("<!-- changed -->"));

    // A theme static file: written as it is now; pages do not depend on it.
    let css = "themes/default/static/style.css";
    write(root, css, &(read(root, css) + "\n/* changed */\n"));
    let used = build_and_compare(root, &[]);
    assert_eq!(used.rendered, 0, "{used:?}");
    assert!(read(root, "public/style.css").ends_with("/* changed */\n"));

    let toml = read(root, "briefing.toml").replace("Fixture Briefing", "Fixture Daily");
    write(root, "briefing.toml", &toml);
    let used = build_and_compare(root, &[]);
    assert_all_rendered(&used, "config change", "briefing.toml");
    assert!(read(root, "public/index.html").contains("Fixture Daily"));
    assert_eq!(build_and_compare(root, &[]).rendered, 0);

    // Options that change the site are part of the key.
    let used = build_and_compare(root, &["--base-url", "https://other.example/"]);
    assert_all_rendered(&used, "--base-url", "build options");
    let used = build_and_compare(root, &["--drafts"]);
    assert_all_rendered(&used, "--drafts", "build options");
    let used = build_and_compare(root, &["--drafts"]);
    assert_eq!(used.rendered, 0, "{used:?}");

    // --full ignores the cache, and writes a new one.
    let used = used_by(root, &["-v", "build", "--drafts", "--full"]);
    assert_all_rendered(&used, "--full", "--full");
    assert_eq!(build_and_compare(root, &["--drafts"]).rendered, 0);
}

fn used_by(root: &Path, args: &[&str]) -> Used {
    used(&ok(root, args))
}

#[test]
fn a_damaged_or_missing_cache_means_a_full_build_not_an_error() {
    let site = site("basic");
    let root = site.path();
    build_and_compare(root, &[]);
    let cache = root.join("public").join(CACHE);
    let good = std::fs::read(&cache).unwrap();

    std::fs::write(&cache, b"\x00\xffnot a cache at all\n").unwrap();
    let used = build_and_compare(root, &[]);
    assert_all_rendered(&used, "garbage", "damaged");

    std::fs::write(&cache, &good[..good.len() / 2]).unwrap();
    let used = build_and_compare(root, &[]);
    assert_all_rendered(&used, "truncated", "damaged");

    // One changed digit: the checksum line tells.
    let text = std::fs::read_to_string(&cache).unwrap();
    let line = text.lines().nth(6).unwrap();
    let digit = line.find(|c: char| c.is_ascii_digit()).unwrap();
    let flipped = if &line[digit..=digit] == "1" {
        "2"
    } else {
        "1"
    };
    let edited = text.replacen(
        line,
        &format!("{}{flipped}{}", &line[..digit], &line[digit + 1..]),
        1,
    );
    std::fs::write(&cache, edited).unwrap();
    let used = build_and_compare(root, &[]);
    assert_all_rendered(&used, "edited", "damaged");

    std::fs::remove_file(&cache).unwrap();
    let used = build_and_compare(root, &[]);
    assert_all_rendered(&used, "missing", "no build cache");
    assert_eq!(build_and_compare(root, &[]).rendered, 0);
}

#[test]
fn output_files_changed_by_hand_are_rendered_again() {
    let site = site("basic");
    let root = site.path();
    build_and_compare(root, &[]);
    let public = root.join("public");
    let page = "2026/11/26/index.html";

    // Longer: another size.
    let text = read(&public, page);
    write(&public, page, &format!("{text}<!-- by hand -->"));
    let used = build_and_compare(root, &[]);
    assert_eq!(used.rendered, 1, "{used:?}");
    assert_eq!(read(&public, page), text);

    // The same size, written later: another modification time. (Within one tick of the file
    // system's clock after the build wrote it, such an edit would go unseen; README says so.)
    std::thread::sleep(std::time::Duration::from_millis(50));
    let same_size = text.replacen("<html", "<HTML", 1);
    assert_eq!(same_size.len(), text.len());
    std::fs::write(public.join(page), &same_size).unwrap();
    let used = build_and_compare(root, &[]);
    assert_eq!(used.rendered, 1, "{used:?}");
    assert_eq!(read(&public, page), text);

    // Deleted by hand.
    std::fs::remove_file(public.join(page)).unwrap();
    let used = build_and_compare(root, &[]);
    assert_eq!(used.rendered, 1, "{used:?}");
    assert_eq!(read(&public, page), text);
}

/// Unchanged pages are hard links to the previous output's files: the same inode.
#[cfg(unix)]
#[test]
fn unchanged_pages_are_linked_not_rewritten() {
    use std::os::unix::fs::MetadataExt;
    let site = site("basic");
    let root = site.path();
    ok(root, &["build"]);
    let inode = |rel: &str| {
        std::fs::metadata(root.join("public").join(rel))
            .unwrap()
            .ino()
    };
    let (archive, chip) = ("archive/index.html", "2026/11/26/chip-deal/index.html");
    let before = (inode(archive), inode(chip));
    let chip_file = "content/2026-11-26/chip-deal.md";
    write(
        root,
        chip_file,
        &(read(root, chip_file) + "\nOne more sentence.\n"),
    );
    ok(root, &["build"]);
    assert!(root.join("public").join(chip).is_file(), "{chip} exists");
    assert_eq!(inode(archive), before.0, "the archive did not change");
    assert_ne!(
        inode(chip),
        before.1,
        "the edited article was written again"
    );
}

#[test]
fn a_failed_build_leaves_the_output_and_its_cache_as_they_were() {
    let site = site("basic");
    let root = site.path();
    build_and_compare(root, &[]);
    let public = root.join("public");
    let before = tree_with_cache(&public);

    let chip = "content/2026-11-26/chip-deal.md";
    let good = read(root, chip);
    write(
        root,
        chip,
        "---\ntitle: \"Unclosed\ndate: 2026-11-26\n---\nBody.\n",
    );
    let stderr = fails(root, &["build"]);
    assert!(stderr.contains("chip-deal.md"), "{stderr}");
    assert_eq!(
        tree_with_cache(&public),
        before,
        "public/ and its cache unchanged"
    );

    // A template error: the same.
    write(root, "templates/article.html", "{% if %}");
    fails(root, &["build"]);
    assert_eq!(tree_with_cache(&public), before);
    std::fs::remove_dir_all(root.join("templates")).unwrap();

    write(root, chip, &good);
    let used = build_and_compare(root, &[]);
    assert_eq!(used.rendered, 0, "the cache still serves: {used:?}");
}

/// [`tree`] with the cache file.
fn tree_with_cache(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = tree(dir)
        .into_iter()
        .map(|(name, bytes)| (PathBuf::from(name), bytes))
        .collect();
    files.push((CACHE.into(), std::fs::read(dir.join(CACHE)).unwrap()));
    files
}
