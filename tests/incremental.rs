//! Incremental rebuilds (what `briefing serve` runs after each change) give the same output,
//! byte for byte and file for file, as a fresh full build of the same content: every kind of
//! edit an editor makes is applied through a `Session`, and the preview folder is compared
//! with `briefing::build` of the same site after each one.

mod common;

use std::path::{Path, PathBuf};

use briefing::incremental::Session;
use briefing::{BuildOptions, BuildReport, Config};
use common::*;

const BASE_URL: &str = "http://127.0.0.1:1111/";

fn options(output: &Path) -> BuildOptions {
    BuildOptions {
        output: Some(output.to_path_buf()),
        base_url: Some(BASE_URL.into()),
        ..Default::default()
    }
}

/// How the session learns about changes.
#[derive(Clone, Copy)]
enum Mode {
    /// It checks every content file's stamp.
    Rescan,
    /// It is told which paths changed, as the watcher of `briefing serve` does.
    Watcher,
}

fn update(session: &mut Session, mode: Mode, changed: &[&str]) -> briefing::Result<BuildReport> {
    match mode {
        Mode::Rescan => session.update(),
        Mode::Watcher => {
            let changed: Vec<PathBuf> = changed.iter().map(PathBuf::from).collect();
            session.update_paths(&changed)
        }
    }
}

/// Runs an update and checks the preview against a full build made from scratch.
fn update_and_compare(
    (session, mode): (&mut Session, Mode),
    changed: &[&str],
    root: &Path,
    preview: &Path,
) -> BuildReport {
    let report = update(session, mode, changed).unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let full = fresh.path().join("site");
    briefing::build(&Config::load(root, options(&full)).unwrap()).unwrap();
    assert_same_as_full_build(preview, &full, "incremental");
    #[cfg(unix)]
    for name in tree(&full).keys() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |dir: &Path| {
            let meta = std::fs::metadata(dir.join(name)).unwrap();
            meta.permissions().mode()
        };
        assert_eq!(mode(preview), mode(&full), "{name}: the same permissions");
    }
    report
}

fn article(title: &str, date: &str, topic: Option<&str>, body: &str) -> String {
    let topic = topic.map_or(String::new(), |t| format!("topic: {t}\n"));
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\n{topic}summary:\n  - \"{title}.\"\n---\n{body}\n"
    )
}

#[test]
fn every_kind_of_edit_gives_the_output_of_a_full_build() {
    edits(Mode::Rescan);
}

#[test]
fn every_kind_of_edit_reported_by_the_watcher_gives_the_output_of_a_full_build() {
    edits(Mode::Watcher);
}

fn edits(mode: Mode) {
    let site = site("basic");
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let preview = out.path().join("site");
    let mut session = Session::new(Config::load(root, options(&preview)).unwrap()).unwrap();
    let first = update_and_compare((&mut session, mode), &[], root, &preview);
    let pages = first.pages;

    // Nothing changed: nothing is rendered or written.
    let report = update_and_compare((&mut session, mode), &[], root, &preview);
    let changes = report.changes.unwrap();
    assert_eq!((changes.rendered, changes.written), (0, 0), "{changes:?}");

    // A new title and paragraph: only the pages that show the article are rendered.
    let chip = "content/2026-11-26/chip-deal.md";
    write(
        root,
        chip,
        &article(
            "Chip designer picks a new foundry",
            "2026-11-26",
            Some("tech-partnerships"),
            "A chip designer chose a foundry.\n\nA second paragraph.",
        ),
    );
    let changes = update_and_compare((&mut session, mode), &[chip], root, &preview)
        .changes
        .unwrap();
    assert_eq!(changes.parsed, 1);
    assert!(
        changes.rendered > 0 && changes.rendered < pages / 2,
        "{changes:?} of {pages} pages"
    );

    // Saved again unchanged: nothing to render.
    let text = read(root, chip);
    write(root, chip, &text);
    let changes = update_and_compare((&mut session, mode), &[chip], root, &preview)
        .changes
        .unwrap();
    assert_eq!(changes.rendered, 0, "{changes:?}");

    // A new article on a new day: a new edition, home and archive change.
    let new = "content/2026-11-27/port-strike.md";
    write(
        root,
        new,
        &article(
            "Port strike ends",
            "2026-11-27",
            Some("raw-materials"),
            "Dockers went back to work.",
        ),
    );
    update_and_compare((&mut session, mode), &[new], root, &preview);

    // Moved to another day, then to another topic (topic pages re-paginate).
    let cloud = "content/2026-11-25/cloud-pact.md";
    let moved = read(root, cloud).replace("date: 2026-11-25", "date: 2026-11-26");
    write(root, cloud, &moved);
    update_and_compare((&mut session, mode), &[cloud], root, &preview);
    let magnet = "content/2026-11-26/magnet-line.md";
    let text = read(root, magnet);
    let other_topic = if text.contains("raw-materials") {
        text.replace("raw-materials", "tech-partnerships")
    } else {
        text.replace("tech-partnerships", "raw-materials")
    };
    write(root, magnet, &other_topic);
    update_and_compare((&mut session, mode), &[magnet], root, &preview);

    // Marked as a draft: it leaves the site (a preview without --drafts); published again.
    let text = read(root, magnet);
    let draft = text.replacen("---\n", "---\ndraft: true\n", 1);
    write(root, magnet, &draft);
    let changes = update_and_compare((&mut session, mode), &[magnet], root, &preview)
        .changes
        .unwrap();
    assert!(changes.removed >= 1, "{changes:?}");
    write(root, magnet, &text);
    update_and_compare((&mut session, mode), &[magnet], root, &preview);

    // A new title that moves it first in its edition and topic.
    let river = "content/2026-11-26/river-levels.md";
    let text = read(root, river).replacen("title: \"", "title: \"AAA ", 1);
    write(root, river, &text);
    update_and_compare((&mut session, mode), &[river], root, &preview);

    // The last article without a topic gets one: `other` leaves every page's navigation, which
    // is a full build; a new article without a topic brings it back, and takes it away again.
    let text = read(root, river).replacen("\n---\n", "\ntopic: raw-materials\n---\n", 1);
    write(root, river, &text);
    let report = update_and_compare((&mut session, mode), &[river], root, &preview);
    assert_eq!(report.changes.unwrap().rendered, report.pages);
    let plain = "content/2026-11-26/weather.md";
    write(
        root,
        plain,
        &article("Weather turns", "2026-11-26", None, "Rain."),
    );
    update_and_compare((&mut session, mode), &[plain], root, &preview);
    std::fs::remove_file(root.join(plain)).unwrap();
    update_and_compare((&mut session, mode), &[plain], root, &preview);

    // Renamed into another folder, then that folder deleted: its pages and its now empty
    // edition go, with their folders.
    let renamed = "content/2026-11-27/strike/port-strike-ends.md";
    std::fs::create_dir(root.join("content/2026-11-27/strike")).unwrap();
    std::fs::rename(root.join(new), root.join(renamed)).unwrap();
    update_and_compare(
        (&mut session, mode),
        &[new, renamed, "content/2026-11-27/strike"],
        root,
        &preview,
    );
    std::fs::remove_dir_all(root.join("content/2026-11-27")).unwrap();
    let changes = update_and_compare(
        (&mut session, mode),
        &["content/2026-11-27"],
        root,
        &preview,
    )
    .changes
    .unwrap();
    assert!(changes.removed >= 2, "{changes:?}");
    assert!(!preview.join("2026/11/27").exists());

    // A broken file fails the update and leaves the preview as it was; fixing it recovers.
    let before = tree(&preview);
    write(root, chip, "---\ntitel: \"typo\"\n---\n");
    let err = update(&mut session, mode, &[chip]).unwrap_err().to_string();
    assert!(err.contains("chip-deal.md"), "{err}");
    assert!(tree(&preview) == before, "a failed update writes nothing");
    write(root, chip, &text);
    update_and_compare((&mut session, mode), &[chip], root, &preview);
}

#[test]
fn a_day_emptied_by_a_date_change_disappears() {
    let mode = Mode::Watcher;
    let site = site("basic");
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let preview = out.path().join("site");
    let mut session = Session::new(Config::load(root, options(&preview)).unwrap()).unwrap();
    update_and_compare((&mut session, mode), &[], root, &preview);
    for file in ["cloud-pact", "lithium-permit"] {
        let path = format!("content/2026-11-25/{file}.md");
        let moved = read(root, &path)
            .replace("date: 2026-11-25", "date: 2026-11-24")
            .replace("date = 2026-11-25", "date = 2026-11-24");
        write(root, &path, &moved);
    }
    update_and_compare(
        (&mut session, mode),
        &[
            "content/2026-11-25/cloud-pact.md",
            "content/2026-11-25/lithium-permit.md",
        ],
        root,
        &preview,
    );
    assert!(!preview.join("2026/11/25").exists());
}

#[test]
fn edition_notes_leads_and_weights_rebuild_like_a_full_build() {
    editor_edits(Mode::Rescan);
}

#[test]
fn edition_notes_leads_and_weights_reported_by_the_watcher_rebuild_like_a_full_build() {
    editor_edits(Mode::Watcher);
}

/// The editor's hand (`_edition.md`, `lead`, `weight`) through a session.
fn editor_edits(mode: Mode) {
    let site = site("basic");
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let preview = out.path().join("site");
    let mut session = Session::new(Config::load(root, options(&preview)).unwrap()).unwrap();
    update_and_compare((&mut session, mode), &[], root, &preview);
    let rendered = |report: BuildReport| report.changes.unwrap().rendered;

    // A new note for the latest day: its edition page, its email and the home page change.
    let note = "content/2026-11-26/_edition.md";
    write(root, note, "---\ntitle: \"Today\"\n---\nGood morning.\n");
    let report = update_and_compare((&mut session, mode), &[note], root, &preview);
    assert_eq!(report.changes.unwrap().parsed, 1);
    assert_eq!(rendered(report), 3);
    assert!(read(&preview, "index.html").contains("Good morning."));
    // Edited, then saved unchanged.
    let text =
        "---\ntitle: \"Today, again\"\nsummary: [\"One point.\"]\n---\nGood morning, again.\n";
    write(root, note, text);
    let report = update_and_compare((&mut session, mode), &[note], root, &preview);
    assert_eq!(rendered(report), 3);
    write(root, note, text);
    let report = update_and_compare((&mut session, mode), &[note], root, &preview);
    assert_eq!(rendered(report), 0);
    // An older day's note: not on the home page.
    let older = "content/2026-11-25/_edition.md";
    write(root, older, "---\n---\nYesterday's note.\n");
    let report = update_and_compare((&mut session, mode), &[older], root, &preview);
    assert_eq!(rendered(report), 2);

    // A lead, then another lead instead; weights reorder a section.
    let magnet = "content/2026-11-26/magnet-line.md";
    let magnet_text = read(root, magnet);
    write(
        root,
        magnet,
        &magnet_text.replacen("---\n", "---\nlead: true\n", 1),
    );
    update_and_compare((&mut session, mode), &[magnet], root, &preview);
    let chip = "content/2026-11-26/chip-deal.md";
    let chip_text = read(root, chip);
    write(
        root,
        chip,
        &chip_text.replacen("---\n", "---\nlead: true\n", 1),
    );
    write(root, magnet, &magnet_text);
    update_and_compare((&mut session, mode), &[chip, magnet], root, &preview);
    let cloud = "content/2026-11-25/cloud-pact.md";
    let lithium = "content/2026-11-25/lithium-permit.md";
    write(
        root,
        cloud,
        &read(root, cloud).replacen("---\n", "---\nweight: 9\n", 1),
    );
    write(
        root,
        lithium,
        &read(root, lithium).replacen("+++\n", "+++\nweight = -9\n", 1),
    );
    update_and_compare((&mut session, mode), &[cloud, lithium], root, &preview);

    // Two leads fail the update and leave the preview as it was.
    let before = tree(&preview);
    write(
        root,
        magnet,
        &magnet_text.replacen("---\n", "---\nlead: true\n", 1),
    );
    let err = update(&mut session, mode, &[magnet])
        .unwrap_err()
        .to_string();
    assert!(err.contains("a second lead story"), "{err}");
    assert!(tree(&preview) == before, "a failed update writes nothing");
    write(root, magnet, &magnet_text);
    update_and_compare((&mut session, mode), &[magnet], root, &preview);

    // A broken note likewise; fixed, made a draft, then deleted.
    let before = tree(&preview);
    write(root, note, "---\ntitel: \"typo\"\n---\n");
    let err = update(&mut session, mode, &[note]).unwrap_err().to_string();
    assert!(
        err.contains("_edition.md:2:1: unknown field `titel`"),
        "{err}"
    );
    assert!(tree(&preview) == before, "a failed update writes nothing");
    write(root, note, text);
    update_and_compare((&mut session, mode), &[note], root, &preview);
    write(root, note, &text.replacen("---\n", "---\ndraft: true\n", 1));
    update_and_compare((&mut session, mode), &[note], root, &preview);
    assert!(!read(&preview, "index.html").contains("Good morning"));
    std::fs::remove_file(root.join(note)).unwrap();
    let report = update_and_compare((&mut session, mode), &[note], root, &preview);
    assert_eq!(rendered(report), 0, "a draft note showed nowhere");
    std::fs::remove_file(root.join(older)).unwrap();
    let report = update_and_compare((&mut session, mode), &[older], root, &preview);
    assert_eq!(rendered(report), 2);
}

/// Story following links articles to each other: an edit to one article changes other
/// articles' related lists, timelines, follow-up markers and entity pages.
#[test]
fn edits_that_change_other_articles_stories_give_the_output_of_a_full_build() {
    let site = site("story");
    let root = site.path();
    let out = tempfile::tempdir().unwrap();
    let preview = out.path().join("site");
    let mut session = Session::new(Config::load(root, options(&preview)).unwrap()).unwrap();
    let mode = Mode::Watcher;
    update_and_compare((&mut session, mode), &[], root, &preview);

    // The middle article loses its names and words: the thread and the entity pages change.
    let review = "content/2026-11-21/harbour-review.md";
    let original = read(root, review);
    write(
        root,
        review,
        &article(
            "Opera season opens",
            "2026-11-21",
            Some("tech"),
            "The opera opened.",
        ),
    );
    update_and_compare((&mut session, mode), &[review], root, &preview);
    assert!(!read(&preview, "entities/quillon/index.html").contains("Opera"));

    // Back again; then the bakery story takes the harbour story's names.
    write(root, review, &original);
    update_and_compare((&mut session, mode), &[review], root, &preview);
    let bakery = "content/2026-11-23/bakery-prize.md";
    let text = read(root, bakery).replace("[\"Bakers Guild\"]", "[\"Bakers Guild\", \"Quillon\"]");
    write(root, bakery, &text);
    update_and_compare((&mut session, mode), &[bakery], root, &preview);
    assert!(read(&preview, "entities/quillon/index.html").contains("bakery-prize"));

    // The first article is deleted: the others lose their earlier coverage.
    let deal = "content/2026-11-20/harbour-deal.md";
    std::fs::remove_file(root.join(deal)).unwrap();
    update_and_compare((&mut session, mode), &[deal], root, &preview);
}
