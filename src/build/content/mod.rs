//! Loading `content/`: every `.md` file under it becomes an [`Article`] (or, for a
//! `_edition.md` file, an [`EditionNote`]: see `note`), or one or more [`Diagnostic`]s. All
//! files are read and checked (in parallel) and every error is returned together; nothing is
//! skipped. Grouping into editions and topics is `digest`'s job.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::build::frontmatter::{
    self, DateField, Entities, FrontMatter, Quote, Source, SummarySource,
};
use crate::build::markdown::{self, Markup};
use crate::build::note::{self, EditionNote};
use crate::config::{Config, OTHER_TOPIC};
use crate::error::{Diagnostic, Error, Result};

mod article;

use article::load_article;
pub use article::parse_date;

/// Files larger than this are refused: no article is that long, and reading one would only
/// waste memory.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One article, validated, with its body rendered (kept, or rendered again when asked for:
/// see [`Body`]).
#[derive(Debug, Clone)]
pub struct Article {
    /// Path relative to the site root, for messages.
    pub path: PathBuf,
    pub slug: String,
    /// The title as plain text (its inline Markdown rendered, markup dropped).
    pub title: String,
    /// The title's inline Markdown as HTML (code, emphasis; no links): [`Article::title_html`].
    pub title_markup: Markup,
    /// The edition day, in the site's time zone.
    pub day: NaiveDate,
    pub published: DateTime<FixedOffset>,
    /// A configured topic slug, or `other`.
    pub topic: String,
    pub dateline: Option<String>,
    /// The summary bullets as plain text; [`Article::summary_html`] gives them as HTML
    /// ([`markdown::inline`]), from `summary_markup`: one per bullet, or none at all when no
    /// bullet has markup.
    pub summary: Vec<String>,
    pub summary_markup: Box<[Markup]>,
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
    /// The body as HTML: [`Article::html`].
    pub body: Body,
    pub word_count: usize,
    pub reading_time: usize,
}

/// An article's body rendered as HTML. Every body is rendered when its file is loaded (its
/// word count and any error are known then), but a process keeps rendered bodies only up to
/// [`kept_bytes_budget`] bytes in all; past that, a body is dropped and [`Article::html`] reads
/// its file and renders it again each time a stage asks (story analysis, search, feeds, its
/// page). So memory does not grow with the bodies of a large archive (#16), and the output is
/// the same whichever bodies were kept.
#[derive(Debug)]
pub struct Body {
    /// xxh3 of the Markdown the HTML was rendered from: a file changed since it was loaded is
    /// an error, not a page made of two versions.
    markdown: u64,
    kept: Option<Box<str>>,
}

/// Rendered bodies kept at present by this process, in bytes.
static KEPT_BYTES: AtomicUsize = AtomicUsize::new(0);

/// How many bytes of rendered bodies a process keeps: `BRIEFING_BODY_MEMORY_MB` (mebibytes)
/// or 256 MiB, which holds the bodies of about 35,000 typical news articles.
pub(crate) fn kept_bytes_budget() -> usize {
    static BUDGET: OnceLock<usize> = OnceLock::new();
    *BUDGET.get_or_init(|| crate::memory::budget("BRIEFING_BODY_MEMORY_MB", 256 << 20))
}

impl Body {
    /// The body rendered as `html` from `markdown`, kept if the budget allows.
    pub(crate) fn new(markdown: &str, html: String) -> Body {
        Body {
            markdown: xxhash_rust::xxh3::xxh3_64(markdown.as_bytes()),
            kept: keep(html),
        }
    }
}

/// `html`, if the process may keep that many more bytes of bodies.
fn keep(html: String) -> Option<Box<str>> {
    let n = html.len();
    if KEPT_BYTES.fetch_add(n, Ordering::Relaxed) + n <= kept_bytes_budget() {
        Some(html.into_boxed_str())
    } else {
        KEPT_BYTES.fetch_sub(n, Ordering::Relaxed);
        None
    }
}

impl Clone for Body {
    fn clone(&self) -> Body {
        Body {
            markdown: self.markdown,
            kept: self.kept.as_deref().and_then(|h| keep(h.to_string())),
        }
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        if let Some(html) = &self.kept {
            KEPT_BYTES.fetch_sub(html.len(), Ordering::Relaxed);
        }
    }
}

impl Article {
    /// The title's inline Markdown as HTML.
    pub fn title_html(&self) -> Cow<'_, str> {
        self.title_markup.html(&self.title)
    }

    /// The summary bullets as HTML, in order.
    pub fn summary_html(&self) -> Vec<Cow<'_, str>> {
        self.summary
            .iter()
            .enumerate()
            .map(|(k, text)| {
                let markup = self.summary_markup.get(k).unwrap_or(&markdown::PLAIN);
                markup.html(text)
            })
            .collect()
    }

    /// The body as HTML: the one kept since the load, or its file read and rendered again
    /// (an error if the file cannot be read or its body changed since the load).
    pub fn html(&self, config: &Config) -> Result<Cow<'_, str>> {
        if let Some(html) = &self.body.kept {
            return Ok(Cow::Borrowed(html));
        }
        let fail = |m: String| Error::input(Diagnostic::new(&self.path, m));
        // `path` is relative to the site's root, or absolute when outside it.
        let text = read_text(&config.root.join(&self.path)).map_err(fail)?;
        let text = frontmatter::normalize_newlines(&text);
        let split = frontmatter::split(&text).map_err(|d| Error::input(d.in_file(&self.path)))?;
        if xxhash_rust::xxh3::xxh3_64(split.body.as_bytes()) != self.body.markdown {
            return Err(fail(
                "the file changed while the site was being built; build again".into(),
            ));
        }
        Ok(Cow::Owned(render_body(config, &self.slug, split.body).html))
    }
}

/// An article's Markdown body rendered as at its load: the one rule for the load and for a
/// body rendered again, so that a page is the same whichever bodies were kept.
pub(super) fn render_body(config: &Config, slug: &str, markdown: &str) -> markdown::Rendered {
    markdown::render(markdown, config.markdown.allow_html, &format!("{slug}-"))
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

/// [`load`], with each file's [`version_of`] (its bytes are read once for both): what
/// `briefing build` fingerprints its pages with.
pub(crate) fn load_versioned(config: &Config) -> Result<Vec<(Item, u64)>> {
    let (paths, errors) = list(config)?;
    let results: Vec<_> = paths
        .par_iter()
        .map(|p| {
            let read = read_file(config, p);
            let version = read.version;
            read.parse(config, p).map(|item| (item, version))
        })
        .collect();
    gather(results, errors)
}

/// The version of a content file: a hash of its path (relative to the site, so that
/// `--root` spelled another way changes nothing) and its bytes. Page fingerprints are made of
/// versions, kept by the preview between rebuilds and by `briefing build` in its cache, so
/// this hash must not change between runs (xxh3 does not).
pub(crate) fn version_of(config: &Config, path: &Path, bytes: &[u8]) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(config.display_path(path).as_os_str().as_encoded_bytes());
    h.update(&[0]);
    h.update(bytes);
    h.digest()
}

/// A content file read once: its [`version_of`] (of no bytes when it cannot be read) and its
/// text, or why it is not one. The preview hashes every file it is unsure of but parses only
/// those whose version changed; the build does both.
pub(crate) struct FileRead {
    pub version: u64,
    text: std::result::Result<String, String>,
}

/// Reads one content file (`path` as listed by [`list`]).
pub(crate) fn read_file(config: &Config, path: &Path) -> FileRead {
    match read_bytes(path) {
        Ok(bytes) => FileRead {
            version: version_of(config, path, &bytes),
            text: check_text(bytes),
        },
        Err(m) => FileRead {
            version: version_of(config, path, &[]),
            text: Err(m),
        },
    }
}

impl FileRead {
    /// Checks the file read from `path`: its article or note, or everything wrong with it.
    pub(crate) fn parse(self, config: &Config, path: &Path) -> FileResult {
        let text = self
            .text
            .map_err(|m| vec![Diagnostic::new(config.display_path(path), m)])?;
        if note::is_note(path) {
            note::load(config, path, &text).map(|n| Item::Note(Arc::new(n)))
        } else {
            load_article(config, path, &text).map(|a| Item::Article(Arc::new(a)))
        }
    }
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

/// All content files (`ids::is_content_file`: articles and edition notes) under `dir`, sorted,
/// following symbolic links, skipping hidden files and folders (editor swap files, `.git`),
/// and the folders or links that could not be read. The one listing of `content/`: used by
/// the build and by ingest's archive.
pub(crate) fn find_files(config: &Config, dir: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
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

/// Reads a content file as UTF-8 text, refusing what cannot be an article.
pub(crate) fn read_text(path: &Path) -> std::result::Result<String, String> {
    check_text(read_bytes(path)?)
}

/// The bytes of a content file, refusing files too large to be an article.
fn read_bytes(path: &Path) -> std::result::Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MB; articles are limited to {} MB",
            meta.len() / 1_048_576,
            MAX_FILE_BYTES / 1_048_576
        ));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// The bytes of a content file as text, or why they are not Markdown.
fn check_text(bytes: Vec<u8>) -> std::result::Result<String, String> {
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
    read_file(config, path).parse(config, path)
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

    /// A body not kept is rendered again from its file, the same; a file whose body changed
    /// since the load is an error naming it, not a page made of two versions.
    #[test]
    fn a_body_not_kept_is_rendered_again_from_its_file() {
        let dir = tempfile::tempdir().unwrap();
        let toml = "title = \"t\"\nbase_url = \"https://e.org/\"\ntimezone = \"UTC\"\n";
        let mut c = crate::config::test_config(toml);
        c.root = dir.path().to_path_buf();
        let path = dir.path().join("content/2026-11-25/a.md");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let text = "---\ntitle: A\ndate: 2026-11-25\n---\nSome *text*.[^1]\n\n[^1]: A note.\n";
        std::fs::write(&path, text).unwrap();
        let Ok(Item::Article(a)) = load_file(&c, &path) else {
            panic!("an article")
        };
        let kept = a.html(&c).unwrap().into_owned();
        assert!(kept.contains("<em>text</em>"), "{kept}");
        let mut dropped = (*a).clone();
        dropped.body.kept = None;
        assert_eq!(dropped.html(&c).unwrap(), kept);
        // The front matter may change without changing the body; the body may not.
        std::fs::write(&path, text.replace("title: A", "title: B")).unwrap();
        assert_eq!(dropped.html(&c).unwrap(), kept);
        std::fs::write(&path, text.replace("Some", "Other")).unwrap();
        let Err(Error::Input(d)) = dropped.html(&c) else {
            panic!("an error")
        };
        assert_eq!(d[0].path, Path::new("content/2026-11-25/a.md"));
        assert!(
            d[0].message
                .contains("changed while the site was being built"),
            "{:?}",
            d[0]
        );
        std::fs::remove_file(&path).unwrap();
        assert!(dropped.html(&c).is_err());
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
