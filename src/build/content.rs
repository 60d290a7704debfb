//! Loading `content/`: every `.md` file under it becomes an [`Article`] (or, for a
//! `_edition.md` file, an [`EditionNote`]: see `note`), or one or more [`Diagnostic`]s. All
//! files are read and checked (in parallel) and every error is returned together; nothing is
//! skipped. Grouping into editions and topics is `digest`'s job.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::build::frontmatter::{
    self, DateField, Entities, FrontMatter, Quote, Source, SummarySource,
};
use crate::build::markdown;
use crate::build::note::{self, EditionNote};
use crate::config::{Config, OTHER_TOPIC, key_position};
use crate::error::{Diagnostic, Error, Result};

/// Files larger than this are refused: no article is that long, and reading one would only
/// waste memory.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One article, validated, with its body rendered.
#[derive(Debug, Clone)]
pub struct Article {
    /// Path relative to the site root, for messages.
    pub path: PathBuf,
    pub slug: String,
    /// The title as plain text (its inline Markdown rendered, markup dropped).
    pub title: String,
    /// The title's inline Markdown as HTML (code, emphasis; no links).
    pub title_html: String,
    /// The edition day, in the site's time zone.
    pub day: NaiveDate,
    pub published: DateTime<FixedOffset>,
    /// A configured topic slug, or `other`.
    pub topic: String,
    pub dateline: Option<String>,
    /// The summary bullets as plain text; `summary_html` holds them as HTML
    /// ([`markdown::inline`]).
    pub summary: Vec<String>,
    pub summary_html: Vec<String>,
    pub summary_source: Option<SummarySource>,
    pub source: Option<Source>,
    pub sources: Vec<Source>,
    pub quotes: Vec<Quote>,
    /// The quotes whose text is not in the body: the article page shows these apart, so that
    /// it does not repeat the body's own quotes at its end.
    pub pull_quotes: Vec<Quote>,
    pub entities: Entities,
    pub author: Vec<String>,
    pub image: Option<String>,
    pub tags: Vec<String>,
    pub id: String,
    pub draft: bool,
    /// The editor's lead story of its edition.
    pub lead: bool,
    /// The editor's order within its topic section on edition pages: lower first (default 0).
    pub weight: i64,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub html: String,
    pub word_count: usize,
    pub reading_time: usize,
}

/// What one content file holds.
#[derive(Debug, Clone)]
pub enum Item {
    Article(Arc<Article>),
    Note(Arc<EditionNote>),
}

/// Everything under `content/`: the articles and the editor's edition notes.
#[derive(Debug, Default)]
pub struct Content {
    pub articles: Vec<Arc<Article>>,
    pub notes: Vec<Arc<EditionNote>>,
}

impl FromIterator<Item> for Content {
    fn from_iter<I: IntoIterator<Item = Item>>(items: I) -> Self {
        let mut content = Content::default();
        for item in items {
            match item {
                Item::Article(a) => content.articles.push(a),
                Item::Note(n) => content.notes.push(n),
            }
        }
        content
    }
}

/// Reads every article and edition note under the site's `content/` folder.
pub fn load(config: &Config) -> Result<Content> {
    let (paths, errors) = list(config)?;
    let results: Vec<FileResult> = paths.par_iter().map(|p| load_file(config, p)).collect();
    Ok(gather(results, errors)?.into_iter().collect())
}

/// One content file: its article or note, or everything wrong with it.
pub(crate) type FileResult = std::result::Result<Item, Vec<Diagnostic>>;

/// The `.md` files under `content/`, sorted, and the folders that could not be read.
/// An absent `content/` or one without articles is an error.
pub(crate) fn list(config: &Config) -> Result<(Vec<PathBuf>, Vec<Diagnostic>)> {
    let dir = config.content_dir();
    if !dir.is_dir() {
        return Err(Error::input(Diagnostic::new(
            config.display_path(&dir),
            "content folder not found; articles go in content/YYYY-MM-DD/<slug>.md",
        )));
    }
    let (paths, errors) = find_files(config, &dir);
    if paths.is_empty() && errors.is_empty() {
        return Err(Error::input(Diagnostic::new(
            config.display_path(&dir),
            "no articles found (no .md files under content/)",
        )));
    }
    Ok((paths, errors))
}

/// The articles of `results`, or every error of the listing and of the files, sorted by path.
pub(crate) fn gather<A>(
    results: impl IntoIterator<Item = std::result::Result<A, Vec<Diagnostic>>>,
    mut errors: Vec<Diagnostic>,
) -> Result<Vec<A>> {
    let results = results.into_iter();
    let mut articles = Vec::with_capacity(results.size_hint().0);
    for r in results {
        match r {
            Ok(a) => articles.push(a),
            Err(mut d) => errors.append(&mut d),
        }
    }
    if errors.is_empty() {
        Ok(articles)
    } else {
        errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Err(Error::Input(errors))
    }
}

/// All `.md` files, sorted, skipping hidden files and folders (editor swap files, `.git`).
fn find_files(config: &Config, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut paths = Vec::new();
    let mut errors = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !crate::ids::is_hidden(e.file_name())) {
        match entry {
            Ok(e) if e.file_type().is_file() && crate::ids::is_content_file(e.path()) => {
                paths.push(e.into_path())
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| config.display_path(p))
                    .unwrap_or_else(|| config.display_path(dir));
                let message = if e.loop_ancestor().is_some() {
                    "symbolic link loop: this folder links back to one of its parents".to_string()
                } else if e.io_error().is_some_and(is_link_loop) {
                    "symbolic link that never reaches a file (it points to itself, or to a link that leads back to it): remove the link or point it at a real file".to_string()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string())
                };
                errors.push(Diagnostic::new(path, message));
            }
        }
    }
    (paths, errors)
}

/// ELOOP: a symbolic link that resolves to itself, directly or through other links.
fn is_link_loop(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    const ELOOP: i32 = 40;
    #[cfg(not(target_os = "linux"))]
    const ELOOP: i32 = 62;
    e.raw_os_error() == Some(ELOOP)
}

/// Reads and checks one content file (`path` as listed by [`list`]).
pub(crate) fn load_file(config: &Config, path: &Path) -> FileResult {
    if note::is_note(path) {
        return note::load(config, path).map(|n| Item::Note(Arc::new(n)));
    }
    load_article(config, path).map(|a| Item::Article(Arc::new(a)))
}

fn load_article(config: &Config, path: &Path) -> std::result::Result<Article, Vec<Diagnostic>> {
    let shown = config.display_path(path);
    let err = |line: usize, col: usize, msg: String| vec![Diagnostic::at(&shown, line, col, msg)];
    let text = read_text(path).map_err(|m| vec![Diagnostic::new(&shown, m)])?;
    let text = frontmatter::normalize_newlines(&text);
    let split = frontmatter::split(&text).map_err(|l| err(l.line, l.column, l.message))?;
    let fm = frontmatter::parse(&split).map_err(|l| err(l.line, l.column, l.message))?;
    let position = |key: &str| {
        key_position(split.matter, key)
            .map(|(l, c)| (l + split.matter_line_offset, c))
            .unwrap_or((1, 1))
    };
    let mut problems = Vec::new();
    let at = |key: &str, msg: String| {
        let (l, c) = position(key);
        Diagnostic::at(&shown, l, c, msg)
    };

    let title = match fm.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        Some(_) => {
            problems.push(at("title", "`title` is empty".into()));
            String::new()
        }
        None => {
            problems.push(Diagnostic::at(&shown, 1, 1, "missing field `title`"));
            String::new()
        }
    };
    let published = match &fm.date {
        Some(d) => match parse_date(d, config) {
            Ok(t) => Some(t),
            Err(m) => {
                problems.push(at("date", m));
                None
            }
        },
        None => {
            problems.push(Diagnostic::at(
                &shown,
                1,
                1,
                "missing field `date` (YYYY-MM-DD or an RFC 3339 date-time)",
            ));
            None
        }
    };
    let topic = match fm.topic.as_deref().map(str::trim) {
        None | Some("") => OTHER_TOPIC.to_string(),
        Some(t) if config.topic(t).is_some() => t.to_string(),
        Some(t) => {
            problems.push(at("topic", config.check_topic(t).unwrap_err()));
            String::new()
        }
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = slug::slugify(&stem);
    if slug.is_empty() {
        problems.push(Diagnostic::new(
            &shown,
            "the file name gives an empty URL slug; name it after the title, e.g. my-story.md",
        ));
    }
    let urls = fm
        .source
        .iter()
        .map(|s| ("source", s))
        .chain(fm.sources.iter().map(|s| ("sources", s)));
    for (key, source) in urls {
        if let Some(msg) = check_url("source url", source.url.as_deref()) {
            let url = source.url.as_deref().unwrap_or_default();
            let (l, c) = value_position(split.matter, key, url)
                .map(|(l, c)| (l + split.matter_line_offset, c))
                .unwrap_or_else(|| position(key));
            problems.push(Diagnostic::at(&shown, l, c, msg));
        }
    }
    if let Some(id) = fm.id.as_deref()
        && let Some(msg) = check_id(id)
    {
        problems.push(at("id", msg));
    }
    if let Some(msg) = check_url("image", fm.image.as_deref()) {
        problems.push(at("image", msg));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let published = published.expect("date checked above");
    let day = config.timezone.localize(&published).date_naive();
    let id = fm.id.clone().unwrap_or_else(|| stable_id(&shown));
    let rendered = markdown::render(split.body, config.markdown.allow_html, &format!("{slug}-"));
    let pull_quotes = quotes_not_in(&fm.quotes, split.body);
    Ok(build_article(
        fm,
        shown,
        slug,
        title,
        day,
        published,
        topic,
        id,
        (rendered, pull_quotes),
    ))
}

#[allow(clippy::too_many_arguments)]
fn build_article(
    fm: FrontMatter,
    path: PathBuf,
    slug: String,
    title: String,
    day: NaiveDate,
    published: DateTime<FixedOffset>,
    topic: String,
    id: String,
    (rendered, pull_quotes): (markdown::Rendered, Vec<Quote>),
) -> Article {
    let title = markdown::inline(&title, false);
    let (summary, summary_html) = fm
        .summary
        .iter()
        .map(|s| {
            let r = markdown::inline(s, true);
            (r.text, r.html)
        })
        .unzip();
    Article {
        path,
        slug,
        title: title.text,
        title_html: title.html,
        day,
        published,
        topic,
        dateline: fm
            .dateline
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        summary,
        summary_html,
        summary_source: fm.summary_source,
        source: fm.source,
        sources: fm.sources,
        quotes: fm.quotes,
        pull_quotes,
        entities: fm.entities,
        author: fm
            .author
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        image: fm
            .image
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty()),
        tags: fm.tags,
        id,
        draft: fm.draft,
        lead: fm.lead,
        weight: fm.weight.unwrap_or(0),
        extra: fm.extra,
        html: rendered.html,
        word_count: rendered.word_count,
        reading_time: rendered.reading_time,
    }
}

/// The quotes whose words do not appear in `body`. Whitespace, curly or straight apostrophes
/// and the quote's final punctuation (a quoted sentence's `.` is a `,` before `she said`) do not
/// count.
fn quotes_not_in(quotes: &[Quote], body: &str) -> Vec<Quote> {
    if quotes.is_empty() {
        return Vec::new();
    }
    let words = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(['’', '‘'], "'")
    };
    let body = words(body);
    quotes
        .iter()
        .filter(|q| {
            let text = words(&q.text);
            let text = text.trim_end_matches(['.', ',', '!', '?', ';', ':', '…']);
            !body.contains(text)
        })
        .cloned()
        .collect()
}

/// Reads a content file as UTF-8 text, refusing what cannot be an article.
pub(crate) fn read_text(path: &Path) -> std::result::Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MB; articles are limited to {} MB",
            meta.len() / 1_048_576,
            MAX_FILE_BYTES / 1_048_576
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if let Some(i) = memchr::memchr(0, &bytes) {
        let line = bytes[..i].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(format!(
            "line {line}: contains a NUL byte; this looks like a binary file, not Markdown"
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("line {line}: not valid UTF-8 (byte {at}); save the file as UTF-8")
    })
}

/// Accepts `YYYY-MM-DD` (the day itself, midnight on the site's clock), an RFC 3339
/// date-time with offset, or `YYYY-MM-DD HH:MM[:SS]` on the site's clock.
pub fn parse_date(
    field: &DateField,
    config: &Config,
) -> std::result::Result<DateTime<FixedOffset>, String> {
    let text = field.as_text();
    if let Ok(day) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Ok(config.timezone.start_of(day));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&text) {
        return Ok(t);
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&text, fmt) {
            return Ok(config.timezone.from_local(&naive));
        }
    }
    // Say *why* a date-shaped value is wrong (2026-02-30, month 13, …).
    let head = text.get(..10).unwrap_or(&text);
    let reason = match NaiveDate::parse_from_str(head, "%Y-%m-%d") {
        Err(e) if head.len() == 10 && head.as_bytes()[4] == b'-' => format!(": {e}"),
        _ => String::new(),
    };
    Err(format!(
        "invalid date `{text}`{reason}; expected YYYY-MM-DD or an RFC 3339 date-time such as 2026-11-26T08:30:00+01:00"
    ))
}

/// Source links end up in `href`s and the image in `og:image`: only web URLs are accepted
/// (no `javascript:`, `data:`). `what` names the field in the message.
fn check_url(what: &str, url: Option<&str>) -> Option<String> {
    let u = url?;
    let lower = u.trim().to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    (!web).then(|| format!("{what} `{u}` must start with http:// or https://"))
}

/// Where `value` is written in the front matter, at or after the line of `key`: a bad URL is
/// reported on the line that holds it (`url:` inside a `source:` block), not on `source:`.
fn value_position(matter: &str, key: &str, value: &str) -> Option<(usize, usize)> {
    if value.is_empty() {
        return None;
    }
    let (first, _) = key_position(matter, key)?;
    matter
        .lines()
        .enumerate()
        .skip(first - 1)
        .find_map(|(i, line)| {
            line.find(value)
                .map(|c| (i + 1, line[..c].chars().count() + 1))
        })
}

/// An `id` is a name, not a path: letters, digits, `-`, `_` and `.`, never `..`. Ids written
/// by ingest are hex; a hand-written id must not smuggle a folder change into anything that
/// ever uses it in a path.
fn check_id(id: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if id.is_empty() || !id.chars().all(allowed) || id.contains("..") {
        Some(format!(
            "invalid id `{id}`: use only letters, digits, `-`, `_` and `.` (no `..`, no slashes), or leave `id` out and one is made from the file's path"
        ))
    } else {
        None
    }
}

/// A stable id from the file's site-relative path (xxh3, fixed seed), used when the front
/// matter has none: it survives rebuilds and edits of the text.
fn stable_id(path: &Path) -> String {
    let key = path.to_string_lossy().replace('\\', "/");
    crate::ids::hex_id(key.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(tz: &str) -> Config {
        let toml = format!("title = \"t\"\nbase_url = \"https://e.org/\"\ntimezone = \"{tz}\"\n");
        crate::config::test_config(&toml)
    }

    #[test]
    fn dates_take_the_day_in_site_timezone() {
        let c = config("Europe/Brussels");
        let t = parse_date(&DateField::Text("2026-11-24T23:30:00Z".into()), &c).unwrap();
        assert_eq!(
            c.timezone.localize(&t).date_naive().to_string(),
            "2026-11-25"
        );
        let c = config("America/New_York");
        let t = parse_date(&DateField::Text("2026-11-25T03:30:00Z".into()), &c).unwrap();
        assert_eq!(
            c.timezone.localize(&t).date_naive().to_string(),
            "2026-11-24"
        );
    }

    #[test]
    fn impossible_date_says_why() {
        let e = parse_date(&DateField::Text("2026-02-30".into()), &config("UTC")).unwrap_err();
        assert!(e.starts_with("invalid date `2026-02-30`: "), "{e}");
        assert!(
            e.contains("out of range") || e.contains("impossible"),
            "{e}"
        );
    }
}
