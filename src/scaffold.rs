//! `briefing init` and `briefing new`: writing a new site, a new article and a day's edition
//! note. These only create files that do not exist yet; they never overwrite anything.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::fs;

const CONFIG_TEMPLATE: &str = r#"# briefing.toml — the settings of this briefing site. README.md of briefing explains each key.

# The site's name, shown in the masthead, page titles and feeds.
title = "My Briefing"
# One sentence about the site: meta description and feed subtitle.
description = "A daily digest of the stories that matter to us."
# Where the site will live. May have a path (https://example.org/news/); page links stay
# relative either way, only feeds, the sitemap and canonical links use it.
base_url = "https://example.org/"
# <html lang> and feed language.
language = "en"
# The clock that decides which day's edition an article belongs to: an IANA name such as
# "Europe/Brussels" or "America/New_York", or an offset such as "+01:00".
timezone = "UTC"
# The theme: "default" is built into briefing; another name means themes/<name>/.
theme = "default"
# Articles per topic page.
paginate_by = 10

# Topics, in the order pages show them. `keywords` help `briefing ingest` classify new articles.
[[topics]]
slug = "tech-partnerships"
name = "Tech partnerships"
description = "Deals and alliances between technology companies: cloud, chips, AI, gaming and telecoms."
keywords = ["partnership", "alliance", "joint venture", "cloud", "chips", "semiconductor", "AI", "gaming", "telecom"]

[[topics]]
slug = "raw-materials"
name = "Raw materials"
description = "Critical minerals, mining, refining and recycling, and the policies that secure supply."
keywords = ["raw materials", "minerals", "mining", "lithium", "cobalt", "copper", "rare earths", "refining", "recycling"]

[feeds]
# How many of the newest articles the feeds (atom.xml, rss.xml, feed.json) carry.
limit = 20

[search]
# Write the offline search page and index.
enabled = true

# Sources for `briefing fetch` (feeds and article pages), one [[sources]] table each:
# [[sources]]
# name = "Metals Daily"
# url = "https://metals.example/feed.xml"
# kind = "feed"            # feed | page | auto
# topic = "raw-materials"  # when the classifier finds none
# full_text = false        # fetch each item's page when the feed carries only teasers
"#;

const TEMPLATES_NOTE: &str =
    "Templates placed here override the theme's templates of the same name.

The default theme is built into briefing, so this folder may stay empty. To change a page,
copy the theme's template (for example article.html, from themes/default/templates/ in
briefing's repository) here and edit it; `{% extends \"base.html\" %}` still reaches the
theme's base. README.md of briefing lists the variables each template receives.
";

/// What `init` wrote.
pub struct InitReport {
    pub root: PathBuf,
    pub files: Vec<PathBuf>,
}

/// Writes a new site into `dir`, which must not exist or be empty.
pub fn init(dir: &Path, today: NaiveDate) -> Result<InitReport> {
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        if entries.next().is_some() {
            return Err(Error::Refused(format!(
                "{}: not empty; `briefing init` only writes into a new or empty folder",
                dir.display()
            )));
        }
    }
    let article = format!(
        "---\ntitle: \"Welcome to your briefing\"\ndate: {today}\ntopic: tech-partnerships\ndateline: Everywhere\nsummary:\n  - \"This sample article shows the front matter an article can have.\"\n  - \"Replace it with your own stories, or collect them with `briefing ingest`.\"\nsource:\n  name: \"briefing\"\n  url: \"https://example.org/\"\ntags: [\"sample\"]\n---\nThis is the first article of your briefing. Each article is a Markdown file under\n`content/`, named after its day and slug: `content/{today}/welcome-to-your-briefing.md`.\n\n## What to do next\n\nWrite a new article with `briefing new \"Your headline\" --topic raw-materials`, preview\nthe site with `briefing serve`, and build it for publishing with `briefing build`.\n"
    );
    let files = [
        (PathBuf::from("briefing.toml"), CONFIG_TEMPLATE.to_string()),
        (
            PathBuf::from(format!("content/{today}/welcome-to-your-briefing.md")),
            article,
        ),
        (
            PathBuf::from("templates/README.md"),
            TEMPLATES_NOTE.to_string(),
        ),
        (
            PathBuf::from(".gitignore"),
            // The output, and the staging and old-output folders a killed build can leave
            // beside it (the next build removes them).
            "public/\n.public.tmp-*\n.briefing-old-*\n".to_string(),
        ),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(&rel);
        fs::create_dir_all(path.parent().expect("files live in folders"))?;
        fs::write_atomic(&path, text.as_bytes())?;
        written.push(rel);
    }
    Ok(InitReport {
        root: dir.to_path_buf(),
        files: written,
    })
}

/// Writes `content/<date>/<slug>.md` for a new article and returns its path.
pub fn new_article(
    config: &Config,
    title: &str,
    topic: Option<&str>,
    date: NaiveDate,
) -> Result<PathBuf> {
    let title = title.trim();
    let slug = crate::ids::slug_from_title(title);
    if slug.is_empty() {
        return Err(Error::Usage(
            "the title must contain letters or digits".into(),
        ));
    }
    if let Some(t) = topic
        && let Err(message) = config.check_topic(t)
    {
        return Err(Error::Usage(format!("--topic: {message}")));
    }
    let path = config
        .content_dir()
        .join(date.to_string())
        .join(format!("{slug}.md"));
    if path.exists() {
        return Err(Error::Refused(format!(
            "{}: already exists",
            config.display_path(&path).display()
        )));
    }
    let quoted = serde_json::to_string(title).expect("strings serialize");
    let mut text = format!("---\ntitle: {quoted}\ndate: {date}\n");
    if let Some(t) = topic {
        text.push_str(&format!("topic: {t}\n"));
    }
    text.push_str("summary: []\ndraft: true\n---\nWrite the article here.\n");
    fs::create_dir_all(path.parent().expect("has a folder"))?;
    fs::write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

/// Writes `content/<date>/_edition.md`, the editor's note of that day's edition (a draft),
/// and returns its path. `title` is the day's headline.
pub fn new_edition_note(config: &Config, title: Option<&str>, date: NaiveDate) -> Result<PathBuf> {
    let path = config
        .content_dir()
        .join(date.to_string())
        .join(crate::build::note::NOTE_FILE);
    if path.exists() {
        return Err(Error::Refused(format!(
            "{}: already exists",
            config.display_path(&path).display()
        )));
    }
    let title_line = match title.map(str::trim) {
        Some("") => return Err(Error::Usage("the headline must not be empty".into())),
        Some(t) => format!(
            "title: {}",
            serde_json::to_string(t).expect("strings serialize")
        ),
        None => "# title: \"The day's headline\"".to_string(),
    };
    let text = format!(
        "---\n{title_line}\nsummary: []\ndraft: true\n---\nGood morning. Write the day's note here: what matters today and why. It opens\nthe edition page, the home page while this is the latest edition, and the email edition.\nRemove `draft: true` to publish it.\n"
    );
    fs::create_dir_all(path.parent().expect("has a folder"))?;
    fs::write_atomic(&path, text.as_bytes())?;
    Ok(path)
}
