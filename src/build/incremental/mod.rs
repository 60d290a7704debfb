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
//!
//! `briefing build` uses the same fingerprints and article versions between runs: [`stored`]
//! keeps them in a file in the output folder, and renders only pages whose fingerprint changed.

mod cache;
mod fingerprint;
pub(crate) mod stored;

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::build::content::{Article, Content, Item};
use crate::build::digest::Digest;
use crate::build::feeds::{self, File};
use crate::build::pages::Site;
use crate::build::templates::Templates;
use crate::build::{self, BuildReport, Changes, Planned, Stopwatch, output, search, story};
use crate::config::Config;
use crate::error::Result;

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

/// Each article's version (`content::version_of`), found by address while the loaded
/// articles are alive, then in the digest's order: what fingerprints are made of.
pub(crate) struct Versions {
    by_address: FxHashMap<*const Article, u64>,
    /// Per article of the digest, once [`Versions::order`] has run.
    pub in_digest: Vec<u64>,
}

impl Versions {
    /// The content of `loaded`, and each article's version by address.
    pub fn split(loaded: impl IntoIterator<Item = (Item, u64)>) -> (Content, Versions) {
        // Every article is alive meanwhile, so addresses identify them: their versions
        // follow them through the grouping, which filters and sorts.
        let mut by_address: FxHashMap<*const Article, u64> = FxHashMap::default();
        let mut content = Content::default();
        for (item, version) in loaded {
            match item {
                Item::Article(a) => {
                    by_address.insert(Arc::as_ptr(&a), version);
                    content.articles.push(a);
                }
                Item::Note(n) => content.notes.push(n),
            }
        }
        let versions = Versions {
            by_address,
            in_digest: Vec::new(),
        };
        (content, versions)
    }

    /// Puts the versions in the order of the digest's articles.
    pub fn order(&mut self, digest: &Digest) {
        self.in_digest = digest
            .articles
            .iter()
            .map(|a| self.by_address[&Arc::as_ptr(a)])
            .collect();
    }
}

/// A hash of what every page shares, besides the templates: the `site` variable and the
/// optional pages planned. When it changes, every page changes.
pub(crate) fn site_hash(planned: &Planned<'_, '_>) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    let vars = serde_json::to_string(planned.vars).expect("site variables serialize");
    vars.hash(&mut h);
    planned.site.theme.hash(&mut h);
    h.finish()
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
struct FilePlan {
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

    /// The build pipeline with this session's caches: articles from the cache (only changed
    /// files parsed), and an output stage that renders and writes only what changed.
    fn run(&mut self, changed: Option<&[PathBuf]>) -> Result<BuildReport> {
        let Session {
            config,
            templates,
            articles: cache,
            words,
            terms,
            search: kept_search,
            output: kept_output,
        } = self;
        let mut watch = Stopwatch::new();
        let mut parsed = 0;
        let load = || {
            let (loaded, count) = cache.refresh(config, changed)?;
            parsed = count;
            Ok(Versions::split(loaded))
        };
        // Taken until the output matches it again: an error below leaves it `None`.
        let mut live = kept_search.take();
        // The story analysis keeps each article version's term counts between updates.
        let analyse = |digest: &Digest, versions: &mut Versions| {
            versions.order(digest);
            story::analyse_kept(config, digest, &versions.in_digest, terms)
        };
        let output = |planned: Planned<'_, '_>, versions: Versions, watch: &mut Stopwatch| {
            let site = planned.site;
            let versions = versions.in_digest;
            let site_hash = site_hash(&planned);
            let previous = kept_output.as_ref().filter(|w| w.site == site_hash);
            let prints = Fingerprints::new(site, &versions);
            let plan = plan_files(
                site,
                &prints,
                (&versions, words, &mut live),
                previous,
                watch,
            )?;
            let render = |i: usize| build::render_page(templates, &planned, &site.pages[i]);
            let mut changes = Changes {
                rendered: plan.stale.len(),
                ..Changes::default()
            };
            let mut old_output = None;
            let written = match previous {
                Some(previous) => {
                    // Render everything first: a template error must leave the output untouched.
                    let rendered: Vec<String> = plan
                        .stale
                        .par_iter()
                        .map(|&i| render(i))
                        .collect::<Result<_>>()?;
                    watch.lap("render");
                    let pages = plan.stale.iter().map(|&i| site.pages[i].path.as_str());
                    let writes: Vec<(&str, &[u8])> = pages
                        .zip(rendered.iter().map(|h| h.as_bytes()))
                        .chain(plan.generated.iter().map(|(n, b)| (n.as_str(), &b[..])))
                        .collect();
                    let statics = previous.statics.clone();
                    match write_in_place(&config.output_dir, &writes, previous, &plan) {
                        Ok(removed) => changes.removed = removed,
                        Err(e) => {
                            // The folder is now partly updated: the next build must be a full one.
                            *kept_output = None;
                            return Err(e);
                        }
                    }
                    changes.written = writes.len();
                    watch.lap("write");
                    Written {
                        site: site_hash,
                        files: plan.files,
                        statics,
                    }
                }
                None => {
                    let (statics, old) = write_staged(config, site, &plan, &render)?;
                    old_output = Some(old);
                    changes.written = site.pages.len() + plan.generated.len() + statics.len();
                    watch.lap("render+write+swap");
                    let mut files = plan.files;
                    files.extend(statics.iter().map(|(n, b)| (n.clone(), bytes_hash(b))));
                    Written {
                        site: site_hash,
                        files,
                        statics: statics.into_iter().map(|(n, _)| n).collect(),
                    }
                }
            };
            Ok((written, changes, old_output))
        };
        let ((written, mut changes, old_output), summary) =
            build::run(config, templates, &mut watch, load, analyse, output)?;
        changes.parsed = parsed;
        let report = BuildReport {
            articles: summary.articles,
            editions: summary.editions,
            pages: summary.pages,
            files: written.files.len(),
            timings: watch.laps,
            changes: Some(changes),
            old_output,
            left_out: summary.left_out,
            cache: None,
        };
        *kept_output = Some(written);
        *kept_search = live;
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
) -> Result<FilePlan> {
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
        find_words(site, versions, words)?;
        let full = live.is_none() || previous.is_none();
        let index = live.get_or_insert_with(search::Live::default);
        let update = index.update(site, versions, words, full, bytes_hash)?;
        forget_words(versions, words);
        // Files the update did not touch stay as the output holds them.
        files.extend(update.kept);
        generated.extend(update.regenerated);
        watch.lap("search index");
    }
    // Generated files are written when their bytes differ from the output's.
    let mut changed = Vec::new();
    for file in feeds::write_all(site)?.into_iter().chain(generated) {
        let hash = bytes_hash(&file.1);
        files.insert(file.0.clone(), hash);
        if before(&file.0) != Some(hash) {
            changed.push(file);
        }
    }
    watch.lap("feeds+sitemap");
    Ok(FilePlan {
        files,
        generated: changed,
        stale,
    })
}

/// Computes the search words of the articles not yet known, in parallel.
fn find_words(
    site: &Site<'_>,
    versions: &[u64],
    words: &mut FxHashMap<u64, search::Words>,
) -> Result<()> {
    let missing: Vec<usize> = (0..versions.len())
        .filter(|&i| !words.contains_key(&versions[i]))
        .collect();
    let found: Vec<(u64, search::Words)> = missing
        .par_iter()
        .map_init(search::Counter::default, |counter, &i| {
            let words = search::Words::of(site.config, &site.digest.articles[i], counter)?;
            Ok((versions[i], words))
        })
        .collect::<Result<_>>()?;
    words.extend(found);
    Ok(())
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
    planned: &FilePlan,
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
    planned: &FilePlan,
    render: &(dyn Fn(usize) -> Result<String> + Sync),
) -> Result<(Vec<File>, output::OldOutput)> {
    let statics = build::static_files(config)?;
    let files: Vec<&File> = statics.iter().chain(&planned.generated).collect();
    let old = output::write_site(config, &site.pages, &files, &|i, _| render(i))?;
    Ok((statics, old))
}
