//! The editor's hand, as a reader and an editor meet it: the edition note
//! (`content/<day>/_edition.md`), the lead story (`lead: true`) and the order within topic
//! sections (`weight`), on the fixture site `edited`, built by the real binary.

mod common;

use std::path::Path;

use common::*;

const NOTE_TITLE: &str = "Three things matter today";
const NOTE_BODY: &str = "Good morning from the <strong>fixture desk</strong>";
const NOTE_POINT: &str = "A point from the editor.";
const LEAD: &str = "Chip designer picks a foundry";

/// Where `needle` first is in `page`; fails naming the page when it is absent.
fn at(html: &str, needle: &str, page: &str) -> usize {
    html.find(needle)
        .unwrap_or_else(|| panic!("{page}: no {needle:?} in\n{html}"))
}

/// The pages that show the 26 November edition: its page, the home page and its email.
const OPENED: [&str; 3] = [
    "index.html",
    "2026/11/26/index.html",
    "2026/11/26/email.html",
];

#[test]
fn the_note_and_the_lead_open_the_edition_the_home_page_and_the_email() {
    let site = site("edited");
    let stderr = ok(site.path(), &["build"]);
    // The note is not an article: 2 + 5 articles.
    assert!(
        stderr.contains("built 7 articles in 2 editions"),
        "{stderr}"
    );
    let public = site.path().join("public");
    for page in OPENED {
        let html = read(&public, page);
        let kicker = at(&html, "From the editor", page);
        let title = at(&html, NOTE_TITLE, page);
        let body = at(&html, NOTE_BODY, page);
        let point = at(&html, &format!(">{NOTE_POINT}</li>"), page);
        let lead_label = at(&html, "Lead story", page);
        let lead = at(&html, LEAD, page);
        let lead_point = at(&html, "First point of the lead.", page);
        let first_section_story = at(&html, "Cloud region opens in the north", page);
        assert!(
            kicker < title
                && title < body
                && body < point
                && point < lead_label
                && lead_label < lead
                && lead < lead_point
                && lead_point < first_section_story,
            "{page}: note, then the lead with its summary, then the sections:\n{html}"
        );
        assert_eq!(
            html.matches(LEAD).count(),
            1,
            "{page}: the lead is not repeated in its section"
        );
        // Counts are of articles: the lead is one, the note is not.
        assert!(html.contains("5 articles"), "{page}");
    }
    let web = read(&public, "2026/11/26/index.html");
    assert!(
        web.contains("<article class=\"story story-lead\"")
            && web.contains("<section class=\"edition-note\""),
        "the theme marks the lead and the note for styling"
    );
    assert!(
        web.contains(&format!(
            "<meta name=\"description\" content=\"{NOTE_POINT}\">"
        )),
        "the note's summary describes its edition page"
    );
    let css = read(&public, "style.css");
    assert!(css.contains(".story-lead") && css.contains(".edition-note"));
    ok(site.path(), &["check"]);
}

#[test]
fn the_note_is_on_no_other_page_feed_or_search_index() {
    let site = site("edited");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    let files = tree(&public);
    assert!(files.len() > 20, "{:?}", files.keys());
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let shows = text.contains(NOTE_TITLE) || text.contains("fixture desk");
        assert_eq!(
            shows,
            OPENED.contains(&name.as_str()),
            "{name}: the note shows only on its edition, the home page and the email"
        );
        assert!(!name.contains("_edition"), "{name}: a note is not a page");
    }
    // No page for it, no entry in any feed, the sitemap or the search index.
    assert!(!public.join("2026/11/26/_edition").exists());
    let feed = read(&public, "feed.json");
    let items: serde_json::Value = serde_json::from_str(&feed).unwrap();
    assert_eq!(items["items"].as_array().unwrap().len(), 7);
}

#[test]
fn weights_order_sections_while_topic_pages_and_feeds_stay_newest_first() {
    let site = site("edited");
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    let order = |page: &str, titles: &[&str]| {
        let html = read(&public, page);
        let places: Vec<usize> = titles.iter().map(|t| at(&html, t, page)).collect();
        assert!(
            places.windows(2).all(|w| w[0] < w[1]),
            "{page}: expected {titles:?} in this order"
        );
    };
    // Weight -1, 0 (none), 2; by time they would be copper, magnet, nickel.
    let weighted = [
        "Nickel mine reopens",
        "Magnet line starts production",
        "Copper smelter signs a power deal",
    ];
    for page in OPENED {
        order(page, &weighted);
    }
    let newest_first = [
        "Copper smelter signs a power deal",
        "Magnet line starts production",
        "Nickel mine reopens",
    ];
    order("atom.xml", &newest_first);
    order("rss.xml", &newest_first);
    order("feed.json", &newest_first);
    order("topics/raw-materials/index.html", &newest_first[..2]);
    order(
        "topics/raw-materials/page/2/index.html",
        &["Nickel mine reopens", "Lithium refinery gets its permit"],
    );
    // The lead stays an ordinary entry of its topic page, newest first.
    order(
        "topics/tech-partnerships/index.html",
        &["Cloud region opens in the north", LEAD],
    );
}

#[test]
fn an_edition_without_note_or_lead_looks_as_before() {
    let site = site("edited");
    // A day whose only article is its lead: no "no articles" line.
    write(
        site.path(),
        "content/2026-11-27/solo.md",
        "---\ntitle: \"Solo story leads\"\ndate: 2026-11-27\nlead: true\n---\nAlone.\n",
    );
    ok(site.path(), &["build"]);
    let public = site.path().join("public");
    for page in ["2026/11/25/index.html", "2026/11/25/email.html"] {
        let html = read(&public, page);
        for absent in [
            "From the editor",
            "Lead story",
            "edition-note",
            "story-lead",
        ] {
            assert!(!html.contains(absent), "{page}: {absent}");
        }
    }
    let solo = read(&public, "2026/11/27/index.html");
    assert!(solo.contains("Lead story") && solo.contains("Solo story leads"));
    assert!(!solo.contains("This edition has no articles"), "{solo}");
    assert!(
        !solo.contains(NOTE_TITLE),
        "the 26th's note stays on the 26th"
    );
}

#[test]
fn two_leads_on_one_day_are_an_error_naming_both_files() {
    let site = site("edited");
    let magnet = "content/2026-11-26/magnet-line.md";
    let text = read(site.path(), magnet);
    write(
        site.path(),
        magnet,
        &text.replacen("---\n", "---\nlead: true\n", 1),
    );
    for command in ["build", "check"] {
        let stderr = fails(site.path(), &[command]);
        assert!(
            stderr.contains(
                "content/2026-11-26/magnet-line.md: a second lead story for 2026-11-26: content/2026-11-26/chip-deal.md is already `lead: true`; an edition has at most one lead"
            ),
            "{stderr}"
        );
    }
    assert!(!site.path().join("public").exists(), "nothing written");
    // A draft lead waits beside the published one; shown with --drafts it is the second.
    write(
        site.path(),
        magnet,
        &text.replacen("---\n", "---\nlead: true\ndraft: true\n", 1),
    );
    ok(site.path(), &["build"]);
    let stderr = fails(site.path(), &["build", "--drafts"]);
    assert!(stderr.contains("a second lead story"), "{stderr}");
}

/// Builds with `note` as the 26th's note (or at `path`) and returns stderr of the failure.
fn note_error(root: &Path, path: &str, note: &str) -> String {
    write(root, path, note);
    let stderr = fails(root, &["build"]);
    assert!(!root.join("public").exists(), "nothing written");
    stderr
}

#[test]
fn edition_note_errors_name_the_file_line_and_column() {
    let site = site("edited");
    let root = site.path();
    let note = "content/2026-11-26/_edition.md";
    let original = read(root, note);

    let stderr = note_error(
        root,
        note,
        "---\ntitle: \"Today\"\ntitel: \"x\"\n---\nHi.\n",
    );
    assert!(
        stderr.contains("content/2026-11-26/_edition.md:3:1: unknown field `titel`"),
        "{stderr}"
    );
    // Article fields are not note fields.
    let stderr = note_error(root, note, "---\ntopic: raw-materials\n---\nHi.\n");
    assert!(
        stderr.contains("content/2026-11-26/_edition.md:2:1: unknown field `topic`"),
        "{stderr}"
    );
    let stderr = note_error(
        root,
        note,
        "+++\ntitle = \"Today\"\ndraft = \"maybe\"\n+++\nHi.\n",
    );
    assert!(
        stderr.contains("content/2026-11-26/_edition.md:3:"),
        "TOML errors are located too: {stderr}"
    );
    let stderr = note_error(root, note, "---\ntitle: \"\"\n---\nHi.\n");
    assert!(
        stderr.contains("content/2026-11-26/_edition.md:2:8: `title` is empty"),
        "{stderr}"
    );
    let stderr = note_error(root, note, "Good morning without front matter.\n");
    assert!(
        stderr.contains("content/2026-11-26/_edition.md:1:1: expected front matter"),
        "{stderr}"
    );
    let stderr = note_error(root, note, "---\ndate: 2026-11-25\n---\nHi.\n");
    assert!(
        stderr.contains(
            "content/2026-11-26/_edition.md:2:7: `date` is 2026-11-25 but the note is in the folder of 2026-11-26"
        ),
        "{stderr}"
    );
    let stderr = note_error(root, note, "---\ndate: 2026-13-01\n---\nHi.\n");
    assert!(
        stderr.contains("content/2026-11-26/_edition.md:2:7: invalid date `2026-13-01`"),
        "{stderr}"
    );

    // Every error at once, the article's with the note's.
    write(
        root,
        "content/2026-11-26/magnet-line.md",
        "---\ntitle: \"x\"\n---\n",
    );
    let stderr = note_error(root, note, "---\ntitel: \"x\"\n---\n");
    assert!(
        stderr.contains("content/2026-11-26/_edition.md:2:1: unknown field `titel`")
            && stderr.contains("content/2026-11-26/magnet-line.md:1:1: missing field `date`"),
        "{stderr}"
    );
    write(
        root,
        "content/2026-11-26/magnet-line.md",
        "---\ntitle: \"Magnet line starts production\"\ndate: 2026-11-26T08:00:00Z\ntopic: raw-materials\n---\nA line.\n",
    );

    // Outside a dated folder a note needs `date`; with it, two notes for one day clash.
    write(root, note, &original);
    let elsewhere = "content/notes/_edition.md";
    let stderr = note_error(root, elsewhere, "---\ntitle: \"Loose\"\n---\nHi.\n");
    assert!(
        stderr.contains("content/notes/_edition.md: an edition note needs its day"),
        "{stderr}"
    );
    let stderr = note_error(root, elsewhere, "---\ndate: 2026-11-26\n---\nHi.\n");
    assert!(
        stderr.contains(
            "content/notes/_edition.md: a second edition note for 2026-11-26: content/2026-11-26/_edition.md is already that day's note"
        ),
        "{stderr}"
    );
    // Dated, it opens that day's edition.
    std::fs::remove_file(root.join(note)).unwrap();
    write(
        root,
        elsewhere,
        "---\ndate: 2026-11-25\n---\nThe loose note.\n",
    );
    ok(root, &["build"]);
    let html = read(&root.join("public"), "2026/11/25/index.html");
    assert!(html.contains("The loose note."), "{html}");
}

#[test]
fn a_draft_note_shows_only_with_drafts_and_a_note_waits_for_its_day() {
    let site = site("edited");
    let root = site.path();
    let note = "content/2026-11-26/_edition.md";
    let text = read(root, note);
    write(root, note, &text.replacen("---\n", "---\ndraft: true\n", 1));
    write(
        root,
        "content/2026-11-28/_edition.md",
        "---\ntitle: \"Tomorrow's note\"\n---\nNot yet.\n",
    );
    ok(root, &["build"]);
    let home = read(&root.join("public"), "index.html");
    assert!(
        !home.contains(NOTE_TITLE) && !home.contains("Not yet."),
        "{home}"
    );
    ok(root, &["build", "--drafts"]);
    let home = read(&root.join("public"), "index.html");
    assert!(home.contains(NOTE_TITLE), "{home}");
}

#[test]
fn new_edition_scaffolds_the_days_note_as_a_draft() {
    let site = site("basic");
    let root = site.path();
    let out = briefing(
        root,
        &["new", "--edition", "A calm day", "--date", "2026-11-26"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.trim().ends_with("content/2026-11-26/_edition.md"),
        "{printed}"
    );
    let note = read(root, "content/2026-11-26/_edition.md");
    assert!(
        note.starts_with("---\ntitle: \"A calm day\"\n") && note.contains("draft: true"),
        "{note}"
    );
    // A draft: hidden until published, shown with --drafts.
    ok(root, &["build"]);
    assert!(!read(&root.join("public"), "index.html").contains("A calm day"));
    ok(root, &["build", "--drafts"]);
    let home = read(&root.join("public"), "index.html");
    assert!(home.contains("A calm day") && home.contains("From the editor"));

    // Never overwritten; without a headline the title line is left for the editor.
    let stderr = fails(root, &["new", "--edition", "--date", "2026-11-26"]);
    assert!(
        stderr.contains("content/2026-11-26/_edition.md: already exists"),
        "{stderr}"
    );
    ok(root, &["new", "--edition", "--date", "2026-11-25"]);
    let bare = read(root, "content/2026-11-25/_edition.md");
    assert!(bare.starts_with("---\n# title:"), "{bare}");
    ok(root, &["build", "--drafts"]);
    // A note has no topic, and an article needs its headline.
    let out = briefing(root, &["new", "--edition", "--topic", "raw-materials"]);
    assert_eq!(out.status.code(), Some(2));
    let out = briefing(root, &["new"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ingest_never_touches_the_note_and_keeps_the_editors_fields() {
    let site = site("basic");
    let root = site.path();
    let note = "content/2026-11-26/_edition.md";
    // A note that reads like the article about to be ingested: were it taken for an article,
    // the article would be a near-duplicate of it, and not written.
    let note_text = "---\ntitle: \"Cloud region opens near the smelter\"\n---\nA cloud provider opened a region next to a copper smelter.\n\nIt will use the smelter's waste heat.\n";
    write(root, note, note_text);
    let before = std::fs::metadata(root.join(note))
        .unwrap()
        .modified()
        .unwrap();
    let record = r#"{"title": "Cloud region opens near the smelter", "body": "A cloud provider opened a region next to a copper smelter.\n\nIt will use the smelter's waste heat.", "date": "2026-11-26", "url": "https://w.example/region", "source": "Wire"}"#;
    write(root, "wire.jsonl", &format!("{record}\n"));
    let wire = root.join("wire.jsonl");
    let wire = wire.to_str().unwrap();
    let stderr = ok(root, &["ingest", wire]);
    assert!(!stderr.contains("_edition"), "{stderr}");
    let state = read(root, "content/.ingest-state.json");
    assert!(!state.contains("_edition"), "{state}");
    let path = "content/2026-11-26/cloud-region-opens-near-the-smelter.md";
    let written = read(root, path);
    assert!(
        !written.contains("lead:") && !written.contains("weight:"),
        "ingest never sets the editor's fields:\n{written}"
    );

    // The editor makes it the lead and orders it; a forced re-ingest keeps both.
    let edited = written.replacen("\n---\n", "\nlead: true\nweight: 3\n---\n", 1);
    write(root, path, &edited);
    let stderr = ok(root, &["ingest", wire, "--topic", "raw-materials"]);
    assert!(stderr.contains("edited by hand"), "{stderr}");
    assert_eq!(read(root, path), edited);
    ok(
        root,
        &["ingest", wire, "--topic", "raw-materials", "--force"],
    );
    let forced = read(root, path);
    assert!(
        forced.contains("topic: \"raw-materials\"")
            && forced.contains("lead: true\n")
            && forced.contains("weight: 3\n"),
        "{forced}"
    );

    assert_eq!(read(root, note), note_text);
    let after = std::fs::metadata(root.join(note))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after, "the note was not rewritten");
    ok(root, &["build"]);
    let home = read(&root.join("public"), "index.html");
    let label = at(&home, "Lead story", "index.html");
    assert!(at(&home, "From the editor", "index.html") < label);
    assert!(home[label..].contains("Cloud region opens near the smelter"));
}
