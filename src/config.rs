//! `briefing.toml`: reading, validating and resolving it together with the command-line options
//! into one [`Config`]. Everything downstream takes a `&Config`; nothing else reads the file.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Error, Result};

pub(crate) mod spans;
mod timezone;
use spans::{Index, Key, Step};
pub use timezone::SiteTimezone;

pub const CONFIG_FILE: &str = "briefing.toml";
/// The topic of articles that have none.
pub const OTHER_TOPIC: &str = "other";

/// The file as written by the user. Unknown keys are errors.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    #[serde(default)]
    topics: Vec<Topic>,
    #[serde(default)]
    other_topic: Option<OtherTopic>,
    #[serde(default)]
    feeds: Feeds,
    #[serde(default)]
    search: Search,
    #[serde(default)]
    markdown: MarkdownOptions,
    #[serde(default)]
    sources: Vec<crate::fetch::Source>,
    #[serde(default)]
    fetch: crate::fetch::FetchSettings,
    #[serde(default)]
    related: Related,
    #[serde(default)]
    entities: EntityPages,
    #[serde(default)]
    deploy: Vec<crate::deploy::TargetFile>,
}

fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_paginate_by() -> usize {
    10
}

/// A configured topic.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Lower weights sort first; ties keep the order of the file.
    #[serde(default)]
    pub weight: i64,
}

/// Name and description of the catch-all topic for articles without one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct OtherTopic {
    name: String,
    #[serde(default)]
    description: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Feeds {
    /// How many of the newest articles the feeds carry.
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
    #[serde(default = "default_feed_formats")]
    pub formats: Vec<FeedFormat>,
}

fn default_feed_limit() -> usize {
    20
}
fn default_feed_formats() -> Vec<FeedFormat> {
    vec![FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json]
}

impl Default for Feeds {
    fn default() -> Self {
        Feeds {
            limit: default_feed_limit(),
            formats: default_feed_formats(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FeedFormat {
    Atom,
    Rss,
    Json,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Search {
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl Default for Search {
    fn default() -> Self {
        Search { enabled: true }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownOptions {
    /// Keep raw HTML written in the site's own Markdown. Off: it is escaped.
    #[serde(default)]
    pub allow_html: bool,
}

/// `[related]`: related coverage on article pages (README "Related coverage").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Related {
    /// Related articles listed on an article page; 0 turns the list off.
    #[serde(default = "default_related_count")]
    pub count: usize,
}

fn default_related_count() -> usize {
    5
}

impl Default for Related {
    fn default() -> Self {
        Related {
            count: default_related_count(),
        }
    }
}

/// `[entities]`: pages for the organizations, people and places the articles name.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntityPages {
    /// An entity gets a page when at least this many articles name it.
    #[serde(default = "default_min_articles")]
    pub min_articles: usize,
    /// Names that never get a page and never relate articles (the wire agency, the site
    /// itself); compared after normalization, so `"Reuters Ltd"` also stops `Reuters`.
    #[serde(default)]
    pub stop: Vec<String>,
}

fn default_min_articles() -> usize {
    2
}

impl Default for EntityPages {
    fn default() -> Self {
        EntityPages {
            min_articles: default_min_articles(),
            stop: Vec::new(),
        }
    }
}

/// Options given on the command line for one build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub as_of: Option<NaiveDate>,
    pub force: bool,
    /// `briefing build --full`: render every page, whatever the build cache holds.
    pub full: bool,
}

/// The resolved configuration of one run: the file, the site's folders and the options.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// Always ends with `/`.
    pub base_url: String,
    pub language: String,
    pub timezone: SiteTimezone,
    pub timezone_name: String,
    pub theme: String,
    pub paginate_by: usize,
    /// Configured topics in display order, followed by the catch-all "other".
    pub topics: Vec<Topic>,
    pub feeds: Feeds,
    pub search: Search,
    pub markdown: MarkdownOptions,
    /// `[[sources]]`: what `briefing fetch` collects.
    pub sources: Vec<crate::fetch::Source>,
    /// `[fetch]`: the HTTP client's settings and manners.
    pub fetch: crate::fetch::FetchSettings,
    pub related: Related,
    pub entities: EntityPages,
    /// `[[deploy]]` targets, validated (see `deploy::target`).
    pub deploy: Vec<crate::deploy::Target>,
    pub output_dir: PathBuf,
    pub drafts: bool,
    pub as_of: Option<NaiveDate>,
    pub force: bool,
    /// Render every page, whatever the build cache holds (`briefing build --full`).
    pub full: bool,
    /// A hash of the `briefing.toml` text this config was read from (part of the build
    /// cache's key: any edit of the file renders every page).
    pub(crate) source_hash: u64,
}

impl Config {
    /// Reads `<root>/briefing.toml` and applies the command-line options.
    pub fn load(root: &Path, options: BuildOptions) -> Result<Config> {
        let path = root.join(CONFIG_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::Refused(format!(
                    "{}: not found; run `briefing init` to create a site, or pass --root",
                    path.display()
                )));
            }
            Err(e) => return Err(Error::io(&path, e)),
        };
        // Problems are reported against `briefing.toml`, relative to the site like content
        // files are (`briefing.toml:3:12: …`), whatever --root was given.
        Config::from_toml(root, Path::new(CONFIG_FILE), &text, options)
    }

    pub fn from_toml(
        root: &Path,
        path: &Path,
        text: &str,
        options: BuildOptions,
    ) -> Result<Config> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            Error::input(Diagnostic::at(
                path,
                line,
                col,
                crate::hints::explain(e.message().trim()),
            ))
        })?;
        let diag = |at: &[Step<'_>], msg: String| {
            let (line, col) = spans::position(text, at).unwrap_or((1, 1));
            Error::input(Diagnostic::at(path, line, col, msg))
        };

        let timezone = SiteTimezone::parse(&file.timezone).ok_or_else(|| {
            diag(
                &[Key("timezone")],
                format!("unknown timezone `{}`, expected an IANA name such as Europe/Brussels or an offset such as +01:00", file.timezone),
            )
        })?;
        let base_url = options.base_url.clone().unwrap_or(file.base_url);
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(diag(
                &[Key("base_url")],
                format!("base_url `{base_url}` must be an absolute http(s) URL"),
            ));
        }
        let base_url = if base_url.ends_with('/') {
            base_url
        } else {
            format!("{base_url}/")
        };
        if file.entities.min_articles == 0 {
            return Err(diag(
                &[Key("entities"), Key("min_articles")],
                "entities.min_articles must be at least 1".into(),
            ));
        }
        if file.paginate_by == 0 {
            return Err(diag(
                &[Key("paginate_by")],
                "paginate_by must be at least 1".into(),
            ));
        }
        let mut topics = file.topics;
        let mut seen = std::collections::HashSet::new();
        for (i, t) in topics.iter().enumerate() {
            if slug::slugify(&t.slug) != t.slug || t.slug == OTHER_TOPIC {
                return Err(diag(
                    &[Key("topics"), Index(i), Key("slug")],
                    format!(
                        "topic slug `{}` must be lowercase letters, digits and dashes, and not `{OTHER_TOPIC}`",
                        t.slug
                    ),
                ));
            }
            if !seen.insert(t.slug.clone()) {
                return Err(diag(
                    &[Key("topics"), Index(i), Key("slug")],
                    format!("topic slug `{}` is defined twice", t.slug),
                ));
            }
        }
        topics.sort_by_key(|t| t.weight);
        let other = file.other_topic.unwrap_or(OtherTopic {
            name: "Other news".into(),
            description: "Stories outside the site's topics.".into(),
        });
        topics.push(Topic {
            slug: OTHER_TOPIC.into(),
            name: other.name,
            description: other.description,
            keywords: Vec::new(),
            weight: i64::MAX,
        });
        crate::fetch::sources::validate(path, text, &file.sources, &file.fetch, &topics)
            .map_err(Error::input)?;

        let deploy = crate::deploy::target::validate(file.deploy, path, text)?;

        let output_dir = match &options.output {
            Some(p) if p.is_absolute() => p.clone(),
            Some(p) => std::env::current_dir()
                .map_err(|e| Error::io(Path::new("."), e))?
                .join(p),
            None => root.join("public"),
        };
        Ok(Config {
            root: root.to_path_buf(),
            title: file.title,
            description: file.description,
            base_url,
            language: file.language,
            timezone,
            timezone_name: file.timezone,
            theme: file.theme,
            paginate_by: file.paginate_by,
            topics,
            feeds: file.feeds,
            search: file.search,
            markdown: file.markdown,
            sources: file.sources,
            fetch: file.fetch,
            related: file.related,
            entities: file.entities,
            deploy,
            output_dir,
            drafts: options.drafts,
            as_of: options.as_of,
            force: options.force,
            full: options.full,
            source_hash: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
        })
    }

    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// The one topic check, for front matter, `--topic` (ingest, new) and a source's `topic`:
    /// see [`check_topic`].
    pub fn check_topic(&self, slug: &str) -> std::result::Result<(), String> {
        check_topic(&self.topics, slug)
    }

    pub fn topic(&self, slug: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.slug == slug)
    }

    /// The configured topic slugs, without the catch-all.
    pub fn topic_slugs(&self) -> Vec<&str> {
        self.topics
            .iter()
            .map(|t| t.slug.as_str())
            .filter(|s| *s != OTHER_TOPIC)
            .collect()
    }

    /// A path shown in messages: relative to the site root when it is inside it.
    pub fn display_path(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// A config from TOML text, with default options, for unit tests across the crate.
#[cfg(test)]
pub(crate) fn test_config(toml: &str) -> Config {
    Config::from_toml(
        Path::new("/s"),
        Path::new("briefing.toml"),
        toml,
        BuildOptions::default(),
    )
    .expect("a valid test config")
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Whether `slug` names a topic: one configured in briefing.toml, or the catch-all `other`,
/// which every site has. The error is the message users see, the same everywhere (callers say
/// where the topic was written: `--topic: …`, `source `T`: …`).
pub(crate) fn check_topic(topics: &[Topic], slug: &str) -> std::result::Result<(), String> {
    if topics.iter().any(|t| t.slug == slug) || slug == OTHER_TOPIC {
        return Ok(());
    }
    let known: Vec<&str> = topics
        .iter()
        .map(|t| t.slug.as_str())
        .filter(|s| *s != OTHER_TOPIC)
        .collect();
    Err(format!(
        "unknown topic `{slug}`, expected one of: {} (see [[topics]] in briefing.toml)",
        known.join(", ")
    ))
}

#[cfg(test)]
mod tests;
