//! briefing: a static site generator for daily news briefings.
//!
//! The library runs the stages in order and returns what happened; it never prints.
//! `content::load` → `digest::assemble` → `pages::plan` → `templates` render → `output` write;
//! `ingest` turns raw sources into content files.

pub mod config;
pub mod content;
pub mod digest;
pub mod error;
pub mod frontmatter;
pub mod ingest;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod templates;

mod fs;

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
}

/// Builds the site of `config` into `config.output_dir`, all or nothing.
pub fn build(config: &Config) -> Result<BuildReport> {
    let mut report = BuildReport::default();
    let mut clock = Instant::now();
    let mut lap = |report: &mut BuildReport, stage: &'static str| {
        report.timings.push((stage, clock.elapsed()));
        clock = Instant::now();
    };

    let templates = templates::Templates::load(config)?;
    lap(&mut report, "templates");
    let articles = content::load(config)?;
    lap(&mut report, "load+parse");
    let digest = digest::assemble(config, articles)?;
    lap(&mut report, "group");
    let site = pages::plan(config, &digest);
    lap(&mut report, "plan");

    let staging = output::Staging::new(config)?;
    let statics = templates::theme_static(config)?;
    let site_static = site_static_files(config)?;
    staging.create_dirs(
        site.pages.iter().map(|p| p.path.as_str()).chain(statics.iter().chain(&site_static).map(|(n, _)| n.as_str())),
    )?;
    for (name, bytes) in statics.iter().chain(&site_static) {
        staging.write(name, bytes)?;
    }
    let site_value = tera::Value::from_serializable(&SiteVars::new(config, &site));
    site.pages.par_iter().try_for_each(|page| {
        let mut ctx = site.context(page);
        ctx.insert_value("site", site_value.clone());
        let html = templates.render(page.template, &ctx, &page.path)?;
        staging.write(&page.path, html.as_bytes())
    })?;
    lap(&mut report, "render+write");
    staging.commit()?;
    lap(&mut report, "swap");

    report.articles = digest.articles.len();
    report.editions = digest.editions.len();
    report.pages = site.pages.len();
    report.files = site.pages.len() + statics.len() + site_static.len();
    Ok(report)
}

/// The site's own `static/` folder, copied over the theme's static files.
fn site_static_files(config: &Config) -> Result<Vec<(String, Vec<u8>)>> {
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
struct SiteVars<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    topics: &'a [pages::TopicRef],
    feeds: FeedLinks,
    search: bool,
}

#[derive(Serialize)]
struct FeedLinks {
    atom: Option<&'static str>,
    rss: Option<&'static str>,
    json: Option<&'static str>,
}

impl<'a> SiteVars<'a> {
    fn new(config: &'a Config, site: &'a pages::Site<'a>) -> Self {
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
        }
    }
}
