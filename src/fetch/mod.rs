//! `briefing fetch`: the configured `[[sources]]` collected over HTTP — conditionally,
//! politely, safely — and handed to the one ingest pipeline (`ingest::store_found`), which
//! extracts, classifies, de-duplicates and writes them exactly as `briefing ingest` does.
//!
//! Order of a run, so that nothing is lost: every source is fetched (concurrently, within the
//! bounds of `politeness`); a source that fails is reported and left out, whole; the
//! articles of all the others go through ingest in one batch (so the same story from two
//! sources becomes one article with two `sources`); only after those files are written is
//! the state file (`state`) updated. Interrupted anywhere, the next run asks again with the
//! old validators and finishes the job.
//!
//! Parts: `sources` (config), `http` (client), `politeness`, `robots`, `safety`, `state`,
//! `collect` (one source); response bodies become UTF-8 in `ingest::charset`. The library never prints; `main` shows the report.

mod collect;
mod http;
mod politeness;
mod robots;
pub(crate) mod safety;
pub mod sources;
mod state;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;

pub use sources::{FetchSettings, Kind, Source};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::{IngestOptions, IngestReport, IngestedArticle, Status};
use collect::{Fetched, Shared};
use http::Fetcher;
use safety::Policy;

/// What `briefing fetch` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct FetchOptions {
    /// Only these sources (by name; disabled ones too). Empty: every enabled source.
    pub sources: Vec<String>,
    /// Fetch and decide, write nothing (neither content/ nor the state file).
    pub dry_run: bool,
    /// Leave out feed items dated before this day.
    pub since: Option<NaiveDate>,
}

/// How one source ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A new response was read and its articles ingested.
    Fetched,
    /// `304 Not Modified` (or the same ETag): nothing to do.
    NotModified,
    /// Nothing of it was ingested; `reason` says why. The next run tries again.
    Failed,
}

/// One source in the report (and in `--json`).
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub name: String,
    pub url: String,
    pub outcome: Outcome,
    /// For a failure: `http-status`, `timeout`, `too-large`, `robots.txt`, `refused`,
    /// `too-many-redirects`, `redirect-loop`, `network`, `rate-limited`, `request-budget`,
    /// `content` (not a feed, not an article).
    pub failure: Option<&'static str>,
    pub reason: Option<String>,
    /// Articles read from the source.
    pub articles: usize,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub duplicate: usize,
    pub protected: usize,
    pub warnings: Vec<String>,
}

impl SourceReport {
    fn new(src: &Source) -> Self {
        SourceReport {
            name: src.name.clone(),
            url: src.url.clone(),
            outcome: Outcome::NotModified,
            failure: None,
            reason: None,
            articles: 0,
            new: 0,
            updated: 0,
            unchanged: 0,
            duplicate: 0,
            protected: 0,
            warnings: Vec::new(),
        }
    }
}

/// Everything `main` needs to tell the user.
#[derive(Debug)]
pub struct FetchReport {
    pub sources: Vec<SourceReport>,
    /// HTTP requests made (robots.txt, retries and item pages included).
    pub requests: usize,
    /// Body bytes received (after decompression).
    pub bytes: u64,
    /// What ingest decided for the fetched articles.
    pub ingest: IngestReport,
    pub dry_run: bool,
}

impl FetchReport {
    pub fn failed(&self) -> usize {
        self.sources
            .iter()
            .filter(|s| s.outcome == Outcome::Failed)
            .count()
    }
}

/// `--json`: the report as data.
#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub sources: &'a [SourceReport],
    pub requests: usize,
    pub bytes: u64,
    pub dry_run: bool,
    pub articles: &'a [IngestedArticle],
}

impl FetchReport {
    pub fn json(&self) -> JsonReport<'_> {
        JsonReport {
            sources: &self.sources,
            requests: self.requests,
            bytes: self.bytes,
            dry_run: self.dry_run,
            articles: &self.ingest.articles,
        }
    }
}

/// Runs `briefing fetch`. `Err` only for what stops everything (bad `--source`, content/
/// not writable); a failing source is reported in its [`SourceReport`].
pub fn fetch(config: &Config, options: &FetchOptions) -> Result<FetchReport> {
    fetch_with_progress(config, options, &())
}

/// [`fetch`], telling `progress` about each article analysed by ingest.
pub fn fetch_with_progress(
    config: &Config,
    options: &FetchOptions,
    progress: &dyn crate::progress::Progress,
) -> Result<FetchReport> {
    let chosen = choose_sources(config, &options.sources)?;
    let (mut state, state_warning) = state::State::load(config);
    let policy = Policy::new(
        &config.fetch.allow_private,
        config.sources.iter().map(|s| s.url.as_str()),
    );
    let fetcher = Fetcher::new(&config.fetch, &policy).map_err(Error::Refused)?;
    let shared = Arc::new(Shared {
        config: config.clone(),
        fetcher,
        policy,
        validators: state.urls.clone(),
        seen: state.items.clone(),
        since: options.since,
    });
    let results = runtime()?.block_on(fetch_all(&shared, &chosen));

    let mut reports = Vec::new();
    let mut found = Vec::new();
    let mut fresh = Vec::new();
    for (src, result) in chosen.iter().zip(results) {
        let mut report = SourceReport::new(src);
        match result {
            Ok(Fetched::NotModified) => {}
            Ok(Fetched::Fresh(f)) => {
                report.outcome = Outcome::Fetched;
                report.articles = f.articles.len();
                report.warnings = f.warnings;
                found.extend(f.articles.into_iter().map(|a| (src.name.clone(), a)));
                fresh.push((src.url.clone(), f.validators, f.items));
            }
            Err(e) => {
                report.outcome = Outcome::Failed;
                report.failure = Some(e.failure.kind());
                report.reason = Some(e.message);
            }
        }
        reports.push(report);
    }

    let ingest_options = IngestOptions {
        dry_run: options.dry_run,
        ..IngestOptions::default()
    };
    let mut ingest_report = IngestReport {
        sources: fresh.len(),
        dry_run: options.dry_run,
        ..IngestReport::default()
    };
    ingest_report.warnings.extend(state_warning);
    let ingest_report = if found.is_empty() {
        ingest_report
    } else {
        crate::ingest::store_found(config, &ingest_options, ingest_report, found, progress)?
    };
    count_articles(&mut reports, &ingest_report.articles);

    // Last, and only once the articles are written: the state.
    if !options.dry_run && !fresh.is_empty() {
        let today = config
            .timezone
            .localize(&chrono::Utc::now().fixed_offset())
            .date_naive();
        for (url, validators, items) in fresh {
            state.record(url, validators, items, today);
        }
        state.save(config, today)?;
    }
    Ok(FetchReport {
        sources: reports,
        requests: shared.fetcher.requests(),
        bytes: shared.fetcher.bytes(),
        ingest: ingest_report,
        dry_run: options.dry_run,
    })
}

/// The enabled sources, or the ones named with `--source`.
fn choose_sources(config: &Config, names: &[String]) -> Result<Vec<Source>> {
    if names.is_empty() {
        return Ok(config
            .sources
            .iter()
            .filter(|s| s.enabled)
            .cloned()
            .collect());
    }
    names
        .iter()
        .map(|n| {
            config.sources.iter().find(|s| &s.name == n).cloned().ok_or_else(|| {
                let known: Vec<&str> = config.sources.iter().map(|s| s.name.as_str()).collect();
                Error::Usage(format!(
                    "unknown source `{n}` for --source, expected one of: {} (see [[sources]] in briefing.toml)",
                    if known.is_empty() { "(none configured)".to_string() } else { known.join(", ") }
                ))
            })
        })
        .collect()
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Refused(format!("cannot start the async runtime: {e}")))
}

/// Every source at once; politeness keeps the pace. Results in the order of `sources`.
async fn fetch_all(
    shared: &Arc<Shared>,
    sources: &[Source],
) -> Vec<std::result::Result<Fetched, http::FetchError>> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, src) in sources.iter().enumerate() {
        let shared = shared.clone();
        let src = src.clone();
        tasks.spawn(async move { (i, collect::source(shared, src).await) });
    }
    let mut results: Vec<Option<_>> = sources.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (i, result) = joined.expect("source task does not panic");
        results[i] = Some(result);
    }
    results
        .into_iter()
        .map(|r| r.expect("every source task reported"))
        .collect()
}

fn count_articles(reports: &mut [SourceReport], articles: &[IngestedArticle]) {
    let index: BTreeMap<&str, usize> = reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i))
        .collect();
    let mut counts = vec![[0usize; 5]; reports.len()];
    for a in articles {
        let Some(&i) = index.get(a.origin.as_str()) else {
            continue;
        };
        let slot = match a.status {
            Status::Written => 0,
            Status::Updated => 1,
            Status::Unchanged => 2,
            Status::Duplicate => 3,
            Status::Protected => 4,
        };
        counts[i][slot] += 1;
    }
    for (r, [new, updated, unchanged, duplicate, protected]) in reports.iter_mut().zip(counts) {
        r.new = new;
        r.updated = updated;
        r.unchanged = unchanged;
        r.duplicate = duplicate;
        r.protected = protected;
    }
}

/// A fetched URL for `briefing ingest <URL>`: its text (UTF-8) and where it came from.
pub(crate) struct FetchedText {
    pub url: reqwest::Url,
    pub text: String,
}

/// Fetches one URL the way `fetch` fetches a source (client, robots.txt, limits, retries),
/// unconditionally. `Err` is the message for the user.
pub(crate) fn fetch_one(config: &Config, url: &str) -> std::result::Result<FetchedText, String> {
    let parsed = sources::check_url(url)?;
    let policy = Policy::new(&config.fetch.allow_private, [url]);
    let fetcher = Fetcher::new(&config.fetch, &policy)?;
    let rt = runtime().map_err(|e| e.to_string())?;
    rt.block_on(async {
        if !fetcher.robots_allow(&parsed).await {
            return Err("disallowed for briefing by the host's robots.txt".to_string());
        }
        match fetcher.get(&parsed, None).await {
            Ok(http::Got::Fresh(body)) => {
                let (text, _) =
                    crate::ingest::charset::decode(&body.bytes, body.content_type.as_deref());
                Ok(FetchedText {
                    url: body.url,
                    text,
                })
            }
            Ok(http::Got::NotModified) => {
                Err("the server answered 304 Not Modified to an unconditional request".into())
            }
            Err(e) => Err(e.message),
        }
    })
}

/// Fetch's reading of a feed response on raw bytes, for the fuzz target `feed_decode` and its
/// corpus test: an input that starts with a line `Content-Type: …` has that line taken as the
/// response header and the rest as the body; then charset decoding and ingest's feed reader.
/// The number of items read, or the error message. Not a stable API.
#[doc(hidden)]
pub fn fuzz_decode_feed(config: &Config, input: &[u8]) -> std::result::Result<usize, String> {
    const PREFIX: &[u8] = b"Content-Type: ";
    let (content_type, body) = match input.strip_prefix(PREFIX).and_then(|rest| {
        let end = rest.iter().position(|&b| b == b'\n')?;
        let value = std::str::from_utf8(&rest[..end]).ok()?;
        Some((Some(value.trim()), &rest[end + 1..]))
    }) {
        Some(split) => split,
        None => (None, input),
    };
    let (text, _) = crate::ingest::charset::decode(body, content_type);
    crate::ingest::parse_bytes(
        config,
        std::path::Path::new("feed.xml"),
        text.as_bytes(),
        crate::ingest::InputFormat::Feed,
    )
    .map(|p| p.articles.len())
    .map_err(|e| e.message)
}
