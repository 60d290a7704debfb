//! The build pipeline, written once: **load** the content → **group** it into editions and
//! topics (`digest`) → **analyse** stories (`story`) → **plan** the pages (`pages`) → then a
//! driver's output stage: generate feeds, sitemap and search files, **render** the pages
//! and **write** them.
//!
//! [`run`] owns that order and the types passed between the stages; a driver supplies how
//! content is loaded and what the output stage does with the planned site:
//!
//! - [`build_with_progress`]: everything loaded, every page rendered or, when the cache in
//!   the output folder vouches for it, taken from the previous output, written all or nothing
//!   through `output::Staging` ([`incremental::stored`]);
//! - [`check`]: everything rendered in memory and its links checked, nothing written;
//! - [`crate::build::incremental::Session`] (the preview): articles loaded from its cache, only
//!   pages whose inputs changed rendered, only changed files written.

pub mod check;
pub mod content;
pub mod digest;
pub mod feeds;
pub mod frontmatter;
pub mod incremental;
pub mod markdown;
pub mod note;
pub mod output;
pub mod pages;
pub mod search;
pub mod story;
pub mod templates;
mod vars;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::Config;
use crate::error::{Error, Result};
use crate::fs;
use crate::progress::Progress;
use check as links;
use content::Content;
use digest::Digest;
use pages::Site;
use story::Story;
use templates::Templates;

pub(crate) use vars::SiteVars;

/// What a build did, for the terminal summary and `--timings`.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub articles: usize,
    pub editions: usize,
    pub pages: usize,
    pub files: usize,
    /// (stage, time taken), in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// For an incremental rebuild ([`crate::build::incremental::Session`]): what it had to redo.
    pub changes: Option<Changes>,
    /// The replaced output, still being deleted: dropping the report waits for it.
    pub old_output: Option<output::OldOutput>,
    /// Articles read but not published (drafts, dated after `--as-of`).
    pub left_out: digest::LeftOut,
    /// For `briefing build`: what its cache spared.
    pub cache: Option<CacheUse>,
}

/// How `briefing build` used the cache in its output folder
/// ([`crate::build::incremental::stored`]).
#[derive(Debug, Default, Clone)]
pub struct CacheUse {
    /// Pages rendered.
    pub rendered: usize,
    /// Pages whose file was taken from the previous output (hard linked, or copied).
    pub reused: usize,
    /// Why every page was rendered, when the cache could not be used (`--full`, no cache, a
    /// damaged one, a changed config…).
    pub full_because: Option<String>,
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
    pub(crate) laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    pub(crate) fn new() -> Self {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, stage: &'static str) {
        crate::memory::trace(stage);
        self.laps.push((stage, self.last.elapsed()));
        self.last = Instant::now();
    }
}

/// The planned site, as a driver's output stage receives it.
pub(crate) struct Planned<'p, 'a> {
    pub site: &'p Site<'a>,
    /// The `site` template variable, and the same as a Tera value (made once, shared by every
    /// page: Tera values are reference-counted).
    pub vars: &'p SiteVars<'p>,
    pub site_value: &'p tera::Value,
}

/// What the stages before the output found, for the report.
pub(crate) struct Summary {
    pub articles: usize,
    pub editions: usize,
    pub pages: usize,
    pub left_out: digest::LeftOut,
}

/// The pipeline: `load` (timed as "load+parse"), then grouping, story analysis (`analyse`)
/// and the page plan, then `output` with the planned site. `load` may return something of
/// the driver's own that `analyse` and `output` receive (the incremental driver: article
/// versions, by which it keeps story terms and search words). A content error stops it
/// before any output.
pub(crate) fn run<L, T>(
    config: &Config,
    templates: &Templates,
    watch: &mut Stopwatch,
    load: impl FnOnce() -> Result<(Content, L)>,
    analyse: impl FnOnce(&Digest, &mut L) -> Result<Story>,
    output: impl FnOnce(Planned<'_, '_>, L, &mut Stopwatch) -> Result<T>,
) -> Result<(T, Summary)> {
    let (content, mut loaded) = load()?;
    watch.lap("load+parse");
    let digest = digest::assemble(config, content.articles, content.notes)?;
    watch.lap("group");
    let story = analyse(&digest, &mut loaded)?;
    watch.lap("related");
    let site = pages::plan(config, &digest, &story, pages::ThemePages::of(templates));
    let vars = SiteVars::new(config, &site);
    let site_value = tera::Value::from_serializable(&vars);
    watch.lap("plan");
    let out = output(
        Planned {
            site: &site,
            vars: &vars,
            site_value: &site_value,
        },
        loaded,
        watch,
    )?;
    let pages = site.pages.len();
    drop(site);
    Ok((
        out,
        Summary {
            articles: digest.articles.len(),
            editions: digest.editions.len(),
            pages,
            left_out: digest.left_out,
        },
    ))
}

/// Renders one page of the planned site with its template.
pub(crate) fn render_page(
    templates: &Templates,
    planned: &Planned<'_, '_>,
    page: &pages::Page,
) -> Result<String> {
    let mut ctx = planned.site.context(page)?;
    ctx.insert_value("site", planned.site_value.clone());
    templates.render(page.template, &ctx, &page.path)
}

/// Feeds, sitemap and robots.txt of a planned site.
fn feed_files(site: &Site<'_>, watch: &mut Stopwatch) -> Result<Vec<feeds::File>> {
    let files = feeds::write_all(site)?;
    watch.lap("feeds+sitemap");
    Ok(files)
}

/// The search index's files of a planned site (none when search is off), each handed to
/// `write` once made; how many there were.
fn search_files(
    site: &Site<'_>,
    watch: &mut Stopwatch,
    write: &(dyn Fn(feeds::File) -> Result<()> + Sync),
) -> Result<usize> {
    if !site.config.search.enabled {
        return Ok(0);
    }
    let count = search::write_all(site, write)?;
    watch.lap("search index");
    Ok(count)
}

/// The theme's static files, then the site's own `static/` folder over them.
pub(crate) fn static_files(config: &Config) -> Result<Vec<feeds::File>> {
    let mut statics = templates::theme_static(config)?;
    let dir = config.root.join("static");
    if dir.is_dir() {
        for (name, path) in templates::files_under(&dir)? {
            statics.push((name, fs::read(&path)?));
        }
    }
    Ok(statics)
}

/// The pipeline over the whole of `content/`, with the names of the site's static files and
/// of every generated one (feeds, sitemap, search) handed to `output`: what `check` runs.
fn run_whole<T>(
    config: &Config,
    templates: &Templates,
    watch: &mut Stopwatch,
    output: impl FnOnce(Planned<'_, '_>, HashSet<String>, &mut Stopwatch) -> Result<T>,
) -> Result<(T, Summary)> {
    run(
        config,
        templates,
        watch,
        || Ok((content::load(config)?, ())),
        |digest, ()| story::analyse(config, digest),
        |planned, (), watch| {
            let mut files = static_files(config)?;
            files.extend(feed_files(planned.site, watch)?);
            let names: std::sync::Mutex<HashSet<String>> =
                std::sync::Mutex::new(files.into_iter().map(|(n, _)| n).collect());
            search_files(planned.site, watch, &|(name, _)| {
                names.lock().expect("not poisoned").insert(name);
                Ok(())
            })?;
            output(planned, names.into_inner().expect("not poisoned"), watch)
        },
    )
}

/// Builds the site of `config` into `config.output_dir`, all or nothing.
pub fn build(config: &Config) -> Result<BuildReport> {
    build_with_progress(config, &())
}

/// [`build`], telling `progress` about each page placed. Pages the cache in the output folder
/// vouches for are taken from the previous output instead of rendered
/// ([`incremental::stored`]); with `config.full`, every page is rendered.
pub fn build_with_progress(config: &Config, progress: &dyn Progress) -> Result<BuildReport> {
    let mut watch = Stopwatch::new();
    let templates = Templates::load(config)?;
    watch.lap("templates");
    let ((old_output, files, cache), summary) = run(
        config,
        &templates,
        &mut watch,
        || {
            Ok(incremental::Versions::split(content::load_versioned(
                config,
            )?))
        },
        |digest, versions| {
            versions.order(digest);
            story::analyse(config, digest)
        },
        |planned, versions, watch| {
            let mut files = static_files(config)?;
            files.extend(feed_files(planned.site, watch)?);
            let mut written = planned.site.pages.len() + files.len();
            // The search files are written into the staging folder as they are made.
            let search = |write: &(dyn Fn(feeds::File) -> Result<()> + Sync),
                          watch: &mut Stopwatch| {
                search_files(planned.site, watch, write)
            };
            let (old, cache, searched) = incremental::stored::write_site(
                config,
                &templates,
                &planned,
                &versions.in_digest,
                (files, &search),
                progress,
                watch,
            )?;
            written += searched;
            Ok((old, written, cache))
        },
    )?;
    Ok(BuildReport {
        articles: summary.articles,
        editions: summary.editions,
        pages: summary.pages,
        files,
        timings: watch.laps,
        changes: None,
        old_output: Some(old_output),
        left_out: summary.left_out,
        cache: Some(cache),
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
    let templates = Templates::load(config)?;
    let (links_checked, summary) =
        run_whole(config, &templates, &mut watch, |planned, files, _| {
            let site = planned.site;
            let rendered: Vec<links::PageToCheck> = site
                .pages
                .par_iter()
                .map(|page| {
                    let html = render_page(&templates, &planned, page)?;
                    let origin = match page.kind {
                        pages::PageKind::Article(i) => site.digest.articles[i].path.clone(),
                        _ => templates.origin(page.template).into(),
                    };
                    Ok(links::PageToCheck {
                        path: page.path.clone(),
                        origin,
                        html,
                    })
                })
                .collect::<Result<_>>()?;
            // The 404 page is served at any depth: on a host, a script gives it a base
            // element (themes/default/templates/base.html), which a check of the file as
            // written cannot follow; tests/not_found.rs checks it in a browser instead.
            let pages: Vec<links::PageToCheck> = rendered
                .into_iter()
                .filter(|p| p.path != "404.html")
                .collect();
            let problems = links::links(&pages, &files);
            if !problems.is_empty() {
                return Err(Error::Input(problems));
            }
            Ok(pages
                .iter()
                .map(|p| p.html.matches("href=\"").count() + p.html.matches("src=\"").count())
                .sum())
        })?;
    Ok(CheckReport {
        articles: summary.articles,
        pages: summary.pages,
        links_checked,
        left_out: summary.left_out,
    })
}
