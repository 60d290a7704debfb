//! `briefing ingest`: raw sources (text dumps, HTML pages, feeds, JSON Lines) in, Markdown
//! articles with front matter out, under `content/<YYYY-MM-DD>/<slug>.md`.
//!
//! Stages, one way: each source is read and split into [`RawArticle`]s (`text`, `html`,
//! `feed`, `jsonl`), each is normalized (`normalize`, `entities`), classified (`classify`),
//! checked against content/ and the batch (`dedupe`, `plan`) and finally written (`store`).
//! All sources are read before anything is written: any bad source stops the whole run with
//! nothing written. The library returns an [`IngestReport`]; `main` prints it.

pub(crate) mod charset;
mod classify;
mod dedupe;
pub(crate) mod entities;
mod feed;
mod html;
mod jsonl;
mod normalize;
mod plan;
mod store;
mod table;
mod text;
pub(crate) mod tokens;

use std::io::Read as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::build::frontmatter::{Entities, Quote, SummarySource};
use crate::config::Config;
use crate::error::{Diagnostic, Error, Result};

pub(crate) use normalize::When;
pub(crate) use store::load_state_file;

/// How to read a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By file extension, then by content.
    #[default]
    Auto,
    Text,
    Html,
    Feed,
    Jsonl,
}

/// What `briefing ingest` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Files to read; `-` is standard input.
    pub sources: Vec<PathBuf>,
    pub format: InputFormat,
    pub date: Option<NaiveDate>,
    pub source_name: Option<String>,
    pub source_url: Option<String>,
    pub topic: Option<String>,
    pub dry_run: bool,
    pub force: bool,
}

/// What happened to one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// A new file (in a dry run: would be written).
    Written,
    /// The same article's file was rewritten with new front matter (e.g. another `--topic`).
    Updated,
    /// The same article is already there, byte for byte; nothing written.
    Unchanged,
    /// A near-duplicate of an article in content/ or earlier in the batch; not written.
    Duplicate,
    /// The same article is there but was edited by hand; left alone (use `--force`).
    Protected,
}

/// One article as ingest decided it: what `--json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct IngestedArticle {
    /// Site-relative path of the file that holds this article.
    pub path: String,
    pub id: String,
    pub title: String,
    pub date: String,
    pub dateline: Option<String>,
    pub topic: String,
    pub topic_score: f64,
    pub summary: Vec<String>,
    pub summary_source: SummarySource,
    pub quotes: Vec<Quote>,
    pub entities: Entities,
    /// Number of paragraphs.
    pub paragraphs: usize,
    pub body: String,
    /// Author names, cleaned of "By" and roles.
    pub author: Vec<String>,
    /// The lead image's URL.
    pub image: Option<String>,
    /// How an HTML page's body was found: `readability+chrome-cut` (chrome cut out of the
    /// page, then Readability), `readability` (the whole page) or `page-paragraphs` (no
    /// article block: every paragraph); absent for other formats.
    pub extractor: Option<String>,
    pub duplicate_of: Option<String>,
    pub status: Status,
    /// `source[:line]` the article came from.
    pub origin: String,
}

/// Everything `main` needs to tell the user.
#[derive(Debug, Default)]
pub struct IngestReport {
    pub sources: usize,
    /// Each source read (a folder is read as its files), with the number of articles found.
    pub read: Vec<(String, usize)>,
    pub articles: Vec<IngestedArticle>,
    pub boilerplate: usize,
    pub warnings: Vec<Diagnostic>,
    pub dry_run: bool,
}

impl IngestReport {
    pub fn count(&self, status: Status) -> usize {
        self.articles.iter().filter(|a| a.status == status).count()
    }
}

/// One article as found in a source, before normalization.
#[derive(Debug, Clone, Default)]
pub(crate) struct RawArticle {
    /// 1-based line in the source where the article starts, when that means something.
    pub line: Option<usize>,
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    /// Summary bullets given by the source.
    pub bullets: Vec<String>,
    /// Paragraphs are Markdown already (converted from HTML): not to be escaped.
    pub markdown: bool,
    /// Paragraphs that are tables (from text dumps): `(index into paragraphs, rows)`, rows in
    /// order with their own spacing; normalize writes them as Markdown tables or lists.
    pub tables: Vec<(usize, Vec<String>)>,
    pub dateline: Option<String>,
    pub when: Option<When>,
    pub url: Option<String>,
    pub source_name: Option<String>,
    pub topic: Option<String>,
    /// The topic when the classifier finds none (a fetched source's `topic`).
    pub default_topic: Option<String>,
    /// Author names (HTML pages: from the metadata or the byline).
    pub authors: Vec<String>,
    /// The lead image's URL (HTML pages: `og:image` and kin).
    pub image: Option<String>,
    /// How the body was found (HTML pages), for the report.
    pub extractor: Option<&'static str>,
}

/// What reading one source gave.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub articles: Vec<RawArticle>,
    pub boilerplate: usize,
    /// Located by line when known; ingest names the source.
    pub warnings: Vec<Diagnostic>,
}

/// Runs the whole ingest. Nothing is written when any source is bad or with `dry_run`.
pub fn ingest(config: &Config, options: &IngestOptions) -> Result<IngestReport> {
    ingest_with_progress(config, options, &())
}

/// [`ingest`], telling `progress` about each article analysed.
pub fn ingest_with_progress(
    config: &Config,
    options: &IngestOptions,
    progress: &dyn crate::progress::Progress,
) -> Result<IngestReport> {
    if let Some(t) = &options.topic
        && let Err(message) = config.check_topic(t)
    {
        return Err(Error::Usage(format!("--topic: {message}")));
    }
    if options.sources.is_empty() {
        return Err(Error::Usage(
            "no source given: name files to ingest, or `-` for standard input".into(),
        ));
    }
    compile_patterns_ahead();
    let (sources, mut errors) = expand_folders(&options.sources);
    let mut report = IngestReport {
        sources: sources.len(),
        dry_run: options.dry_run,
        ..IngestReport::default()
    };
    let mut found: Vec<(String, RawArticle)> = Vec::new();
    for source in &sources {
        let shown = if source == Path::new("-") {
            "<stdin>".to_string()
        } else {
            source.display().to_string()
        };
        match read_source(config, source, options.format) {
            Ok(parsed) => {
                report.boilerplate += parsed.boilerplate;
                for warning in parsed.warnings {
                    report.warnings.push(warning.in_file(&shown));
                }
                let undated = parsed.articles.iter().filter(|a| a.when.is_none()).count();
                if options.date.is_none() && undated > 0 {
                    report
                        .warnings
                        .push(Diagnostic::new(&shown, undated_message(undated)));
                }
                report.read.push((shown.clone(), parsed.articles.len()));
                found.extend(parsed.articles.into_iter().map(|a| (shown.clone(), a)));
            }
            Err(problem) => errors.push(problem.in_file(&shown)),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Input(errors));
    }
    store_found(config, options, report, found, progress)
}

/// Starts compiling the patterns of parsing and normalization on the thread pool, the
/// costliest (the dateline's Unicode classes) first: reading and checking a source runs on
/// one thread and leaves the other cores idle, and a pattern compiled at its first use
/// holds up every thread that needs it (~0.03 s in all). Whichever comes first, this or a
/// first use, compiles it; the other waits for it.
fn compile_patterns_ahead() {
    rayon::spawn(normalize::compile_dateline);
    rayon::spawn(|| {
        normalize::compile_patterns();
        table::compile_patterns();
    });
    rayon::spawn(entities::compile_patterns);
}

/// Frees `value` on the thread pool, beside the work that follows: a dump's lines and blocks,
/// or a batch's files, are tens of thousands of strings, and freeing them one by one took
/// ~10 % of the time spent on the one thread that runs the sequential stages.
fn drop_on_pool<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}

/// The stages after reading — normalize, classify, de-duplicate, write — over articles read
/// elsewhere (by `fetch`) or by [`ingest_with_progress`]. `found` pairs each article with
/// the source it is reported under. Writes nothing with `dry_run`.
pub(crate) fn store_found(
    config: &Config,
    options: &IngestOptions,
    mut report: IngestReport,
    found: Vec<(String, RawArticle)>,
    progress: &dyn crate::progress::Progress,
) -> Result<IngestReport> {
    let outcome = plan::run(config, options, found, progress)?;
    report.boilerplate += outcome.boilerplate;
    report.warnings.extend(outcome.warnings);
    report.articles = outcome.articles;
    if !options.dry_run {
        store::commit(config, &outcome.writes)?;
    }
    Ok(report)
}

/// The sources with every folder replaced by the files of a known type under it (sorted,
/// recursively, hidden files and folders skipped), and the folders that could not be read or
/// hold no such file.
fn expand_folders(sources: &[PathBuf]) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for source in sources {
        if source == Path::new("-") || !source.is_dir() {
            files.push(source.clone());
            continue;
        }
        let before = files.len();
        let walker = walkdir::WalkDir::new(source)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() && format_of_extension(e.path()).is_some() => {
                    files.push(e.into_path());
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().unwrap_or(source.as_path()).display().to_string();
                    let why = e
                        .io_error()
                        .map_or_else(|| e.to_string(), ToString::to_string);
                    errors.push(Diagnostic::new(path, format!("cannot read: {why}")));
                }
            }
        }
        if files.len() == before {
            errors.push(Diagnostic::new(
                source.display().to_string(),
                format!(
                    "folder holds no file to ingest (looked for {})",
                    EXTENSIONS
                        .iter()
                        .map(|(e, _)| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    (files, errors)
}

/// File extensions ingest knows and the format each names, for `--format auto` and for
/// reading folders. `.json` is a JSON Feed or JSON Lines, told apart by content (`Auto`).
const EXTENSIONS: [(&str, InputFormat); 11] = [
    ("txt", InputFormat::Text),
    ("text", InputFormat::Text),
    ("html", InputFormat::Html),
    ("htm", InputFormat::Html),
    ("xhtml", InputFormat::Html),
    ("rss", InputFormat::Feed),
    ("atom", InputFormat::Feed),
    ("xml", InputFormat::Feed),
    ("jsonl", InputFormat::Jsonl),
    ("ndjson", InputFormat::Jsonl),
    ("json", InputFormat::Auto),
];

/// The format a file's extension names, if ingest knows the extension.
fn format_of_extension(path: &Path) -> Option<InputFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    EXTENSIONS
        .iter()
        .find(|(known, _)| *known == ext)
        .map(|(_, format)| *format)
}

/// A source without dates (a text dump always is one) would silently land on today.
fn undated_message(n: usize) -> String {
    let what = if n == 1 {
        "its article is".to_string()
    } else {
        format!("its {n} articles are")
    };
    format!("no date in this source: {what} dated today; pass --date YYYY-MM-DD to give the day")
}

/// What a reader reports about a source: a [`Diagnostic`] whose file ingest names.
pub(crate) type SourceError = Diagnostic;

/// A problem in the source being read, at `line` when known.
pub(crate) fn problem(line: Option<usize>, message: String) -> Diagnostic {
    Diagnostic::here(line, None, message)
}

/// The parsing stage of ingest on raw bytes, for the fuzz targets in `fuzz/`: the number of
/// articles found, or the error message. Not a stable API.
#[doc(hidden)]
pub fn fuzz_parse(
    config: &Config,
    bytes: &[u8],
    format: InputFormat,
) -> std::result::Result<usize, String> {
    parse_bytes(config, Path::new("fuzz-input"), bytes, format)
        .map(|p| p.articles.len())
        .map_err(|e| e.message)
}

/// The text-dump path through normalization — table detection and the Markdown tables and
/// lists written for them included — for the `table_detect` fuzz target: each article's Markdown
/// body, or the error message. Not a stable API.
#[doc(hidden)]
pub fn fuzz_dump_bodies(config: &Config, bytes: &[u8]) -> std::result::Result<Vec<String>, String> {
    let parsed = parse_bytes(
        config,
        Path::new("fuzz-input.txt"),
        bytes,
        InputFormat::Text,
    )
    .map_err(|e| e.message)?;
    let ctx = normalize::Context {
        date: NaiveDate::from_ymd_opt(2026, 11, 24),
        today: NaiveDate::from_ymd_opt(2026, 11, 24).expect("a valid date"),
        timezone: &config.timezone,
        source_name: None,
        source_url: None,
    };
    Ok(parsed
        .articles
        .into_iter()
        .map(|a| normalize::normalize(a, &ctx).body())
        .collect())
}

#[doc(hidden)]
pub use html::{ExtractionStage, extract_stage};

/// Reads, checks and parses one source: a file, `-` (standard input) or an http(s) URL,
/// which is fetched the way `briefing fetch` fetches (see `crate::fetch`).
fn read_source(config: &Config, source: &Path, format: InputFormat) -> Result<Parsed, SourceError> {
    if let Some(url) = source.to_str().filter(|s| is_url(s)) {
        let fetched = crate::fetch::fetch_one(config, url).map_err(|m| problem(None, m))?;
        let hint = Path::new(fetched.url.path());
        let mut parsed = parse_bytes(config, hint, fetched.text.as_bytes(), format)?;
        for a in &mut parsed.articles {
            a.url.get_or_insert_with(|| fetched.url.to_string());
        }
        return Ok(parsed);
    }
    let bytes = if source == Path::new("-") {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| problem(None, format!("cannot read standard input: {e}")))?;
        buf
    } else {
        std::fs::read(source).map_err(|e| problem(None, format!("cannot read: {e}")))?
    };
    parse_bytes(config, source, &bytes, format)
}

/// An argument that names a web page rather than a file.
pub(crate) fn is_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Decodes, checks and parses the bytes of one source; `source` only guides format detection.
pub(crate) fn parse_bytes(
    config: &Config,
    source: &Path,
    bytes: &[u8],
    format: InputFormat,
) -> Result<Parsed, SourceError> {
    let (mut text, mut encoding) = text::decode(bytes);
    text::check(&text)?;
    let format = match format {
        InputFormat::Auto => detect(source, &text),
        f => f,
    };
    if format == InputFormat::Feed {
        // A feed says its own encoding in its XML declaration.
        (text, encoding) = feed::decode(bytes);
    }
    let mut parsed = match format {
        InputFormat::Text | InputFormat::Auto => text::parse(&text)?,
        InputFormat::Html => html::parse(&text)?,
        InputFormat::Feed => feed::parse(&text)?,
        InputFormat::Jsonl => jsonl::parse(&text, config)?,
    };
    if let Some(enc) = encoding {
        parsed
            .warnings
            .insert(0, problem(None, format!("not UTF-8; decoded as {enc}")));
    }
    Ok(parsed)
}

/// Format by extension, then by the first non-blank characters.
fn detect(source: &Path, text: &str) -> InputFormat {
    match format_of_extension(source) {
        Some(InputFormat::Auto) | None => {}
        Some(by_extension) => return by_extension,
    }
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let lower: String = head
        .chars()
        .take(1024)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with('<') {
        if lower.contains("<rss") || lower.contains("<feed") || lower.contains("<rdf:rdf") {
            InputFormat::Feed
        } else {
            InputFormat::Html
        }
    } else if head.starts_with('{') {
        // JSON Feed is one JSON document with a `version` URL; JSON Lines has one object per line.
        let first = head.lines().next().unwrap_or("");
        if serde_json::from_str::<serde_json::Value>(first).is_ok() {
            InputFormat::Jsonl
        } else {
            InputFormat::Feed
        }
    } else {
        InputFormat::Text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_by_extension_then_content() {
        let p = Path::new;
        assert_eq!(detect(p("a.txt"), "<html>"), InputFormat::Text);
        assert_eq!(detect(p("a.htm"), ""), InputFormat::Html);
        assert_eq!(
            detect(p("-"), "  <?xml version=\"1.0\"?><rss>"),
            InputFormat::Feed
        );
        assert_eq!(detect(p("-"), "<!doctype html><html>"), InputFormat::Html);
        assert_eq!(
            detect(
                p("x.json"),
                "{\"title\":\"a\",\"body\":\"b\"}\n{\"title\":\"c\"}"
            ),
            InputFormat::Jsonl
        );
        assert_eq!(
            detect(
                p("x.json"),
                "{\n  \"version\": \"https://jsonfeed.org/version/1.1\"\n}"
            ),
            InputFormat::Feed
        );
        assert_eq!(detect(p("dump"), "SAN FRANCISCO: text"), InputFormat::Text);
    }
}
