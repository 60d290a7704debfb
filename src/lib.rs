//! briefing: a static site generator for daily news briefings.
//!
//! The library runs the stages in order and returns what happened; it never prints.
//! `content::load` → `digest::assemble` → `pages::plan` → `templates` render → `output` write;
//! `ingest` turns raw sources into content files. [`incremental::Session`] runs the same stages
//! for the preview server, keeping what it read and wrote so that a rebuild redoes only what a
//! change touches.

pub mod check;
pub mod config;
pub mod content;
pub mod deploy;
pub mod digest;
pub mod error;
pub mod feeds;
pub mod fetch;
pub mod frontmatter;
pub mod ids;
pub mod incremental;
pub mod ingest;
pub mod markdown;
pub mod note;
pub mod output;
pub mod pages;
pub mod scaffold;
pub mod search;
pub mod story;
pub mod templates;
pub mod topics;

mod fs;
mod hints;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

pub use config::{BuildOptions, Config};
pub use error::{Diagnostic, Error, Result};
pub use ingest::{IngestOptions, IngestReport, ingest};

/// What a build did, for the terminal summary and `--timings`.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub articles: usize,
    pub editions: usize,
    pub pages: usize,
    pub files: usize,
    /// (stage, time taken), in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// For an incremental rebuild ([`incremental::Session`]): what it had to redo.
    pub changes: Option<Changes>,
    /// The replaced output, still being deleted: dropping the report waits for it.
    pub old_output: Option<output::OldOutput>,
    /// Articles read but not published (drafts, dated after `--as-of`).
    pub left_out: digest::LeftOut,
}

/// What an incremental rebuild redid; everything else was already up to date.
#[derive(Debug, Default, Clone, Copy)]
pub struct Changes {
    /// Content files read and parsed again.
    pub parsed: usize,
    /// Pages rendered again.
    pub rendered: usize,
    /// Files written (rendered pages whose context changed, feeds, search chunks and fragments).
    pub written: usize,
    /// Files removed (pages that no longer exist).
    pub removed: usize,
}

/// Records how long each stage took.
pub(crate) struct Stopwatch {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    pub(crate) fn new() -> Self {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }
    pub(crate) fn lap(&mut self, stage: &'static str) {
        self.laps.push((stage, self.last.elapsed()));
        self.last = Instant::now();
    }
}

/// Everything derived from the inputs before pages are rendered.
struct Inputs {
    templates: templates::Templates,
    digest: digest::Digest,
    story: story::Story,
    statics: Vec<feeds::File>,
}

fn read_inputs(config: &Config, watch: &mut Stopwatch) -> Result<Inputs> {
    let templates = templates::Templates::load(config)?;
    watch.lap("templates");
    let content = content::load(config)?;
    watch.lap("load+parse");
    let digest = digest::assemble(config, content.articles, content.notes)?;
    watch.lap("group");
    let story = story::analyse(config, &digest);
    watch.lap("related");
    let mut statics = templates::theme_static(config)?;
    statics.extend(site_static_files(config)?);
    Ok(Inputs {
        templates,
        digest,
        story,
        statics,
    })
}

/// Feeds, sitemap, robots.txt and the search index of a planned site.
fn generated_files(site: &pages::Site<'_>, watch: &mut Stopwatch) -> Vec<feeds::File> {
    let mut generated = feeds::write_all(site);
    watch.lap("feeds+sitemap");
    if site.config.search.enabled {
        generated.extend(search::write_all(site));
        watch.lap("search index");
    }
    generated
}

pub(crate) fn render_page(
    templates: &templates::Templates,
    site: &pages::Site<'_>,
    site_value: &tera::Value,
    page: &pages::Page,
) -> Result<String> {
    let mut ctx = site.context(page);
    ctx.insert_value("site", site_value.clone());
    templates.render(page.template, &ctx, &page.path)
}

/// Told how far a long step has come (pages rendered by a build, articles analysed by an
/// ingest), so that the binary can draw a progress bar. The library itself never prints.
pub trait Progress: Sync {
    /// The step starts: `total` items.
    fn start(&self, _total: usize) {}
    /// One more item is done.
    fn advance(&self) {}
}

/// No progress reporting.
impl Progress for () {}

/// Builds the site of `config` into `config.output_dir`, all or nothing.
pub fn build(config: &Config) -> Result<BuildReport> {
    build_with_progress(config, &())
}

/// [`build`], telling `progress` about each page written.
pub fn build_with_progress(config: &Config, progress: &dyn Progress) -> Result<BuildReport> {
    let mut watch = Stopwatch::new();
    let inputs = read_inputs(config, &mut watch)?;
    let site = pages::plan(
        config,
        &inputs.digest,
        &inputs.story,
        pages::ThemePages::of(&inputs.templates),
    );
    watch.lap("plan");
    let generated = generated_files(&site, &mut watch);

    let site_value = tera::Value::from_serializable(&SiteVars::new(config, &site));
    progress.start(site.pages.len());
    let files: Vec<&feeds::File> = inputs.statics.iter().chain(&generated).collect();
    let old_output = output::write_site(config, &site.pages, &files, &|_, page| {
        let html = render_page(&inputs.templates, &site, &site_value, page)?;
        progress.advance();
        Ok(html)
    })?;
    watch.lap("render+write+swap");

    Ok(BuildReport {
        articles: inputs.digest.articles.len(),
        editions: inputs.digest.editions.len(),
        pages: site.pages.len(),
        files: site.pages.len() + inputs.statics.len() + generated.len(),
        timings: watch.laps,
        changes: None,
        old_output: Some(old_output),
        left_out: inputs.digest.left_out,
    })
}

/// What `check` looked at.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub articles: usize,
    pub pages: usize,
    pub links_checked: usize,
    /// Drafts not checked (without `--drafts`).
    pub left_out: digest::LeftOut,
}

/// Validates config, content and templates and every internal link and anchor of the
/// rendered site, in memory: nothing is written. Problems come back as `Error::Input`.
pub fn check(config: &Config) -> Result<CheckReport> {
    let mut watch = Stopwatch::new();
    let inputs = read_inputs(config, &mut watch)?;
    let site = pages::plan(
        config,
        &inputs.digest,
        &inputs.story,
        pages::ThemePages::of(&inputs.templates),
    );
    let generated = generated_files(&site, &mut watch);
    let site_value = tera::Value::from_serializable(&SiteVars::new(config, &site));
    let rendered: Vec<check::PageToCheck> = site
        .pages
        .par_iter()
        .map(|page| {
            let html = render_page(&inputs.templates, &site, &site_value, page)?;
            let origin = match page.kind {
                pages::PageKind::Article(i) => inputs.digest.articles[i].path.clone(),
                _ => inputs.templates.origin(page.template).into(),
            };
            Ok(check::PageToCheck {
                path: page.path.clone(),
                origin,
                html,
            })
        })
        .collect::<Result<_>>()?;
    // The 404 page links with absolute URLs (it is served at any path); nothing to resolve.
    let pages: Vec<check::PageToCheck> = rendered
        .into_iter()
        .filter(|p| p.path != "404.html")
        .collect();
    let files: HashSet<String> = inputs
        .statics
        .iter()
        .chain(&generated)
        .map(|(n, _)| n.clone())
        .collect();
    let problems = check::links(&pages, &files);
    if !problems.is_empty() {
        return Err(Error::Input(problems));
    }
    Ok(CheckReport {
        articles: inputs.digest.articles.len(),
        pages: site.pages.len(),
        links_checked: pages
            .iter()
            .map(|p| p.html.matches("href=\"").count() + p.html.matches("src=\"").count())
            .sum(),
        left_out: inputs.digest.left_out,
    })
}

/// The site's own `static/` folder, copied over the theme's static files.
pub(crate) fn site_static_files(config: &Config) -> Result<Vec<feeds::File>> {
    let dir = config.root.join("static");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    templates::files_under(&dir)?
        .into_iter()
        .map(|(name, path)| Ok((name, fs::read(&path)?)))
        .collect()
}

/// The `site` variable every template receives.
#[derive(Serialize)]
pub(crate) struct SiteVars<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    topics: &'a [pages::TopicRef],
    feeds: FeedLinks,
    search: bool,
    /// The entity pages are planned (`entities/index.html`).
    entities: bool,
}

#[derive(Serialize)]
struct FeedLinks {
    atom: Option<&'static str>,
    rss: Option<&'static str>,
    json: Option<&'static str>,
}

impl<'a> SiteVars<'a> {
    pub(crate) fn new(config: &'a Config, site: &'a pages::Site<'a>) -> Self {
        let has = |f| config.feeds.formats.contains(&f);
        SiteVars {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
            topics: &site.topic_refs,
            feeds: FeedLinks {
                atom: has(config::FeedFormat::Atom).then_some("atom.xml"),
                rss: has(config::FeedFormat::Rss).then_some("rss.xml"),
                json: has(config::FeedFormat::Json).then_some("feed.json"),
            },
            search: config.search.enabled,
            entities: site.theme.entities,
        }
    }
}
