//! Incremental builds, for the preview server: a [`Session`] keeps what the last build read and
//! wrote, and brings the output folder up to date with `content/` by redoing only what changed.
//! The stages are those of [`crate::build`], in the same order; what is kept between builds is
//!
//! - the parsed articles and edition notes, by path, with the file's modification time and size ([`cache`]);
//! - each article's search words and story term counts, by file version, and the search
//!   index ([`search::Live`]);
//! - for every output file, a fingerprint of what it was made from ([`fingerprint`]) or of
//!   its bytes.
//!
//! An update parses changed files, groups and plans the whole site again (cheap), renders
//! only pages whose fingerprint changed, regenerates feeds and sitemap, patches the search
//! index with the articles that changed and regenerates only its chunks and fragments that
//! hold them, and writes only files that differ, each atomically, into the
//! live output folder; files of pages that no longer exist are removed. The result is the
//! same, byte for byte, as a full build (`tests/incremental.rs`). The first build, and any
//! build after a failed write or a change of the `site` variable, is a full one through
//! `output::Staging`. Templates, themes, static files and `briefing.toml` are read once: when
//! they change, the caller starts a new session.

mod cache;
mod fingerprint;

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::Config;
use crate::content::{Article, Item};
use crate::error::Result;
use crate::feeds::{self, File};
use crate::pages::{self, Site};
use crate::templates::Templates;
use crate::{BuildReport, Changes, SiteVars, Stopwatch, digest, output, search, story};

use fingerprint::Fingerprints;

/// A preview build that can be brought up to date cheaply. Not for `briefing build`, which
/// stays all or nothing.
pub struct Session {
    config: Config,
    templates: Templates,
    articles: cache::Articles,
    /// Search words by article version.
    words: FxHashMap<u64, search::Words>,
    /// Story term counts by article version.
    terms: story::Terms,
    /// The search index as the output holds it; `None` when unknown (first build, or a
    /// failed one after the index was patched): the next update makes every search file.
    search: Option<search::Live>,
    /// What the output folder holds; `None` until a full build has written it, and after a
    /// failed write (the folder is then in an unknown state).
    output: Option<Written>,
}

/// What the output folder holds, as fingerprints.
struct Written {
    /// Hash of the `site` variable: when it changes, every page changes.
    site: u64,
    /// Output path → fingerprint of its inputs (pages) or of its bytes (other files).
    files: FxHashMap<String, u64>,
    /// Theme and site static files: written by full builds only.
    statics: Vec<String>,
}

/// The files of one build, before anything is written.
struct Planned {
    files: FxHashMap<String, u64>,
    /// Generated files (feeds, sitemap, search) whose bytes differ from the output's.
    generated: Vec<File>,
    /// Indices into `site.pages` of the pages to render.
    stale: Vec<usize>,
}

impl Session {
    /// Reads the templates of `config`; nothing is built yet (see [`Session::update`]).
    pub fn new(config: Config) -> Result<Session> {
        let templates = Templates::load(&config)?;
        Ok(Session {
            config,
            templates,
            articles: cache::Articles::default(),
            words: FxHashMap::default(),
            terms: story::Terms::default(),
            search: None,
            output: None,
        })
    }

    /// Brings `config.output_dir` up to date with `content/`: in full the first time, then
    /// only what changed. Every content file's stamp is checked. On a content or template
    /// error nothing is written.
    pub fn update(&mut self) -> Result<BuildReport> {
        self.run(None)
    }

    /// Like [`Session::update`], when a file watcher reported what changed: `changed` are
    /// paths relative to the site root. Only the content files named are read; a changed
    /// folder makes it list `content/` again.
    pub fn update_paths(&mut self, changed: &[PathBuf]) -> Result<BuildReport> {
        self.run(Some(changed))
    }

    fn run(&mut self, changed: Option<&[PathBuf]>) -> Result<BuildReport> {
        let mut watch = Stopwatch::new();
        let (loaded, parsed) = self.articles.refresh(&self.config, changed)?;
        watch.lap("load+parse");
        // Every article is alive in `loaded` meanwhile, so addresses identify them.
        let mut by_address: FxHashMap<*const Article, u64> = FxHashMap::default();
        let mut articles = Vec::with_capacity(loaded.len());
        let mut notes = Vec::new();
        for (item, version) in &loaded {
            match item {
                Item::Article(a) => {
                    by_address.insert(Arc::as_ptr(a), *version);
                    articles.push(Arc::clone(a));
                }
                Item::Note(n) => notes.push(Arc::clone(n)),
            }
        }
        let digest = digest::assemble(&self.config, articles, notes)?;
        let versions: Vec<u64> = digest
            .articles
            .iter()
            .map(|a| by_address[&Arc::as_ptr(a)])
            .collect();
        watch.lap("group");
        let story = story::analyse_kept(&self.config, &digest, &versions, &mut self.terms);
        watch.lap("related");
        let theme = pages::ThemePages::of(&self.templates);
        let site = pages::plan(&self.config, &digest, &story, theme);
        let vars = SiteVars::new(&self.config, &site);
        let site_hash = {
            let mut h = DefaultHasher::new();
            serde_json::to_string(&vars)
                .expect("site variables serialize")
                .hash(&mut h);
            theme.hash(&mut h);
            h.finish()
        };
        let site_value = tera::Value::from_serializable(&vars);
        let previous = self.output.as_ref().filter(|w| w.site == site_hash);
        watch.lap("plan");
        let prints = Fingerprints::new(&site, &versions);
        // Taken until the output matches it again: an error below leaves it `None`.
        let mut live = self.search.take();
        let planned = plan_files(
            &site,
            &prints,
            (&versions, &mut self.words, &mut live),
            previous,
            &mut watch,
        );

        let render = |i: usize| {
            let page = &site.pages[i];
            crate::render_page(&self.templates, &site, &site_value, page)
        };
        let mut changes = Changes {
            parsed,
            rendered: planned.stale.len(),
            ..Changes::default()
        };
        let mut old_output = None;
        let written = match previous {
            Some(previous) => {
                // Render everything first: a template error must leave the output untouched.
                let rendered: Vec<String> = planned
                    .stale
                    .par_iter()
                    .map(|&i| render(i))
                    .collect::<Result<_>>()?;
                watch.lap("render");
                let pages = planned.stale.iter().map(|&i| site.pages[i].path.as_str());
                let writes: Vec<(&str, &[u8])> = pages
                    .zip(rendered.iter().map(|h| h.as_bytes()))
                    .chain(planned.generated.iter().map(|(n, b)| (n.as_str(), &b[..])))
                    .collect();
                let statics = previous.statics.clone();
                match write_in_place(&self.config.output_dir, &writes, previous, &planned) {
                    Ok(removed) => changes.removed = removed,
                    Err(e) => {
                        // The folder is now partly updated: the next build must be a full one.
                        self.output = None;
                        return Err(e);
                    }
                }
                changes.written = writes.len();
                watch.lap("write");
                Written {
                    site: site_hash,
                    files: planned.files,
                    statics,
                }
            }
            None => {
                let (statics, old) = write_staged(&self.config, &site, &planned, &render)?;
                old_output = Some(old);
                changes.written = site.pages.len() + planned.generated.len() + statics.len();
                watch.lap("render+write+swap");
                let mut files = planned.files;
                files.extend(statics.iter().map(|(n, b)| (n.clone(), bytes_hash(b))));
                Written {
                    site: site_hash,
                    files,
                    statics: statics.into_iter().map(|(n, _)| n).collect(),
                }
            }
        };
        let report = BuildReport {
            articles: digest.articles.len(),
            editions: digest.editions.len(),
            pages: site.pages.len(),
            files: written.files.len(),
            timings: watch.laps,
            changes: Some(changes),
            old_output,
            left_out: digest.left_out,
        };
        self.output = Some(written);
        self.search = live;
        Ok(report)
    }
}

/// Fingerprints every output file and decides what must be rendered or written.
fn plan_files(
    site: &Site<'_>,
    prints: &Fingerprints<'_, '_>,
    (versions, words, live): (
        &[u64],
        &mut FxHashMap<u64, search::Words>,
        &mut Option<search::Live>,
    ),
    previous: Option<&Written>,
    watch: &mut Stopwatch,
) -> Planned {
    let before = |path: &str| previous.and_then(|w| w.files.get(path)).copied();
    let page_prints: Vec<u64> = site.pages.par_iter().map(|p| prints.page(p)).collect();
    let mut files = FxHashMap::default();
    let mut stale = Vec::new();
    for (i, (page, print)) in site.pages.iter().zip(page_prints).enumerate() {
        if before(&page.path) != Some(print) {
            stale.push(i);
        }
        files.insert(page.path.clone(), print);
    }
    watch.lap("fingerprints");
    let mut generated = Vec::new();
    if site.config.search.enabled {
        find_words(site, versions, words);
        let full = live.is_none() || previous.is_none();
        let index = live.get_or_insert_with(search::Live::default);
        let update = index.update(site, versions, words, full, bytes_hash);
        forget_words(versions, words);
        // Files the update did not touch stay as the output holds them.
        files.extend(update.kept);
        generated.extend(update.regenerated);
        watch.lap("search index");
    }
    // Generated files are written when their bytes differ from the output's.
    let mut changed = Vec::new();
    for file in feeds::write_all(site).into_iter().chain(generated) {
        let hash = bytes_hash(&file.1);
        files.insert(file.0.clone(), hash);
        if before(&file.0) != Some(hash) {
            changed.push(file);
        }
    }
    watch.lap("feeds+sitemap");
    Planned {
        files,
        generated: changed,
        stale,
    }
}

/// Computes the search words of the articles not yet known, in parallel.
fn find_words(site: &Site<'_>, versions: &[u64], words: &mut FxHashMap<u64, search::Words>) {
    let missing: Vec<usize> = (0..versions.len())
        .filter(|&i| !words.contains_key(&versions[i]))
        .collect();
    let found: Vec<(u64, search::Words)> = missing
        .par_iter()
        .map_init(search::Counter::default, |counter, &i| {
            let words = search::Words::of(&site.digest.articles[i], counter);
            (versions[i], words)
        })
        .collect();
    words.extend(found);
}

/// Forgets the words of article versions that are gone (once the index no longer needs them).
fn forget_words(versions: &[u64], words: &mut FxHashMap<u64, search::Words>) {
    if words.len() > versions.len() {
        let live: HashSet<u64> = versions.iter().copied().collect();
        words.retain(|v, _| live.contains(v));
    }
}

fn bytes_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Writes `writes` into the live output folder and removes the files of `previous` that are
/// no longer planned (static files stay). Returns how many were removed.
fn write_in_place(
    root: &Path,
    writes: &[(&str, &[u8])],
    previous: &Written,
    planned: &Planned,
) -> Result<usize> {
    writes
        .par_iter()
        .try_for_each(|(path, bytes)| output::replace_file(root, path, bytes))?;
    let statics: HashSet<&str> = previous.statics.iter().map(String::as_str).collect();
    let mut removed = 0;
    for path in previous.files.keys() {
        if !planned.files.contains_key(path) && !statics.contains(path.as_str()) {
            output::remove_file(root, path)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// A full build into a staging folder swapped in place of the output, as `briefing build`
/// does it. Returns the static files it copied and the replaced output, being deleted.
fn write_staged(
    config: &Config,
    site: &Site<'_>,
    planned: &Planned,
    render: &(dyn Fn(usize) -> Result<String> + Sync),
) -> Result<(Vec<File>, output::OldOutput)> {
    let mut statics = crate::templates::theme_static(config)?;
    statics.extend(crate::site_static_files(config)?);
    let files: Vec<&File> = statics.iter().chain(&planned.generated).collect();
    let old = output::write_site(config, &site.pages, &files, &|i, _| render(i))?;
    Ok((statics, old))
}
