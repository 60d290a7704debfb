//! One source, from its URL to raw articles: the conditional request, the kind decided by
//! the response, the feed's items chosen (`max_items`, `--since`, already ingested), and for
//! `full_text` feeds each item's page fetched (robots.txt and the address policy checked)
//! and put in place of the teaser. Reading bytes into articles is ingest's (`parse_bytes`):
//! this module only decides what to hand over.
//!
//! An item page that cannot be had for good (404, not an article, refused, robots.txt) keeps
//! the feed's own text, with a warning; a temporary failure (timeout, 5xx, 429) fails the whole
//! source, so that nothing of it is ingested and the next run tries again.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use reqwest::Url;

use super::http::{Failure, FetchError, Fetcher, Got};
use super::safety::Policy;
use super::sources::{Kind, Source};
use super::state::Validators;
use crate::config::Config;
use crate::ingest::charset;
use crate::ingest::{self, InputFormat, RawArticle, When};

/// What one source gave.
pub(crate) enum Fetched {
    NotModified,
    Fresh(Fresh),
}

pub(crate) struct Fresh {
    /// The URL whose validators are remembered (the configured one, not a redirect target).
    pub validators: Validators,
    pub articles: Vec<RawArticle>,
    /// Item links taken from a feed (remembered as ingested once written).
    pub items: Vec<String>,
    pub warnings: Vec<String>,
}

/// What every source's task shares.
pub(crate) struct Shared {
    pub config: Config,
    pub fetcher: Fetcher,
    pub policy: Policy,
    /// URL → validators, from the state file.
    pub validators: BTreeMap<String, Validators>,
    /// Item links already ingested.
    pub seen: BTreeMap<String, String>,
    pub since: Option<NaiveDate>,
}

pub(crate) async fn source(shared: Arc<Shared>, src: Source) -> Result<Fetched, FetchError> {
    let url = Url::parse(&src.url)
        .map_err(|e| FetchError::new(Failure::Refused, format!("bad URL: {e}")))?;
    if src.kind == Kind::Page && !shared.fetcher.robots_allow(&url).await {
        return Err(robots_refusal(&url));
    }
    let known = shared.validators.get(&src.url);
    let body = match shared.fetcher.get(&url, known).await? {
        Got::NotModified => return Ok(Fetched::NotModified),
        Got::Fresh(body) => body,
    };
    let (text, _) = charset::decode(&body.bytes, body.content_type.as_deref());
    let kind = match src.kind {
        Kind::Auto => sniff(body.content_type.as_deref(), &text),
        k => k,
    };
    let hint = Path::new(body.url.path());
    let mut fresh = Fresh {
        validators: body.validators,
        articles: Vec::new(),
        items: Vec::new(),
        warnings: Vec::new(),
    };
    if kind == Kind::Page {
        if src.kind == Kind::Auto && !shared.fetcher.robots_allow(&url).await {
            return Err(robots_refusal(&url));
        }
        let parsed = parse(&shared.config, hint, &text, InputFormat::Html, "page")?;
        fresh
            .warnings
            .extend(parsed.warnings.into_iter().map(|w| w.message));
        for mut a in parsed.articles {
            a.url.get_or_insert_with(|| body.url.to_string());
            fresh.articles.push(a);
        }
    } else {
        let parsed = parse(&shared.config, hint, &text, InputFormat::Feed, "feed")?;
        fresh
            .warnings
            .extend(parsed.warnings.into_iter().map(|w| w.message));
        let chosen = choose_items(parsed.articles, &src, &shared, &mut fresh.warnings);
        fresh.items = chosen.iter().filter_map(|a| a.url.clone()).collect();
        fresh.articles = if src.full_text {
            full_text(&shared, &body.url, chosen, &mut fresh.warnings).await?
        } else {
            chosen
        };
    }
    for a in &mut fresh.articles {
        a.source_name = Some(src.name.clone());
        a.default_topic = src.topic.clone();
    }
    Ok(Fetched::Fresh(fresh))
}

fn robots_refusal(url: &Url) -> FetchError {
    FetchError::new(
        Failure::Robots,
        format!("{url} is disallowed for briefing by the host's robots.txt"),
    )
}

/// Ingest's reader for `format`, its error as this source's failure.
fn parse(
    config: &Config,
    hint: &Path,
    text: &str,
    format: InputFormat,
    what: &str,
) -> Result<ingest::Parsed, FetchError> {
    ingest::parse_bytes(config, hint, text.as_bytes(), format)
        .map_err(|e| FetchError::new(Failure::Content, format!("{what}: {}", e.message)))
}

/// `auto`: the content type, else the first characters.
fn sniff(content_type: Option<&str>, text: &str) -> Kind {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    if ct.contains("rss") || ct.contains("atom") || ct.contains("xml") || ct.contains("feed+json") {
        return Kind::Feed;
    }
    if ct.contains("html") {
        return Kind::Page;
    }
    let head: String = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(512)
        .collect();
    let head = head.to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        Kind::Page
    } else {
        Kind::Feed
    }
}

/// The items this run takes: not ingested before, not older than `--since`, at most
/// `max_items` of them.
fn choose_items(
    articles: Vec<RawArticle>,
    src: &Source,
    shared: &Shared,
    warnings: &mut Vec<String>,
) -> Vec<RawArticle> {
    let day = |w: &When| match w {
        When::Day(d) => *d,
        When::Time(t) => shared.config.timezone.localize(t).date_naive(),
    };
    let mut chosen: Vec<RawArticle> = articles
        .into_iter()
        .filter(|a| a.url.as_ref().is_none_or(|u| !shared.seen.contains_key(u)))
        .filter(|a| match (shared.since, &a.when) {
            (Some(since), Some(w)) => day(w) >= since,
            _ => true,
        })
        .collect();
    if chosen.len() > src.max_items {
        warnings.push(format!(
            "{} new items in the feed; the first {} taken (max_items)",
            chosen.len(),
            src.max_items
        ));
        chosen.truncate(src.max_items);
    }
    chosen
}

/// Each item's page in place of its teaser, fetched concurrently (politeness decides the pace).
async fn full_text(
    shared: &Arc<Shared>,
    feed_url: &Url,
    items: Vec<RawArticle>,
    warnings: &mut Vec<String>,
) -> Result<Vec<RawArticle>, FetchError> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, item) in items.iter().enumerate() {
        let Some(link) = item.url.clone() else {
            warnings.push(format!("item {}: no link; the feed's text is kept", i + 1));
            continue;
        };
        let shared = shared.clone();
        let feed_url = feed_url.clone();
        tasks.spawn(async move { (i, item_page(&shared, &feed_url, &link).await) });
    }
    let mut pages: Vec<Option<Result<RawArticle, FetchError>>> =
        items.iter().map(|_| None).collect();
    while let Some(joined) = tasks.join_next().await {
        let (i, page) = joined.expect("item task does not panic");
        pages[i] = Some(page);
    }
    let mut out = Vec::with_capacity(items.len());
    for (item, page) in items.into_iter().zip(pages) {
        match page {
            None => out.push(item),
            Some(Ok(page)) => out.push(merge(item, page)),
            Some(Err(e)) if e.failure.is_temporary() => {
                return Err(FetchError::new(
                    e.failure.clone(),
                    format!("item {}: {}", item.url.as_deref().unwrap_or(""), e.message),
                ));
            }
            Some(Err(e)) => {
                warnings.push(format!(
                    "item {}: {}; the feed's text is kept",
                    item.url.as_deref().unwrap_or(""),
                    e.message
                ));
                out.push(item);
            }
        }
    }
    Ok(out)
}

async fn item_page(shared: &Shared, feed_url: &Url, link: &str) -> Result<RawArticle, FetchError> {
    let url = Url::parse(link)
        .map_err(|e| FetchError::new(Failure::Refused, format!("bad link `{link}`: {e}")))?;
    shared
        .policy
        .check_link(&url, feed_url)
        .map_err(|m| FetchError::new(Failure::Refused, m))?;
    if !shared.fetcher.robots_allow(&url).await {
        return Err(robots_refusal(&url));
    }
    let body = match shared.fetcher.get(&url, None).await? {
        Got::Fresh(b) => b,
        Got::NotModified => unreachable!("an unconditional request is never answered 304"),
    };
    let (text, _) = charset::decode(&body.bytes, body.content_type.as_deref());
    let parsed = parse(
        &shared.config,
        Path::new(body.url.path()),
        &text,
        InputFormat::Html,
        "page",
    )?;
    parsed
        .articles
        .into_iter()
        .next()
        .ok_or_else(|| FetchError::new(Failure::Content, "page: no article in it"))
}

/// The page's text under the feed item's title, date and link (feeds state them plainly;
/// pages wrap them in site furniture).
fn merge(item: RawArticle, page: RawArticle) -> RawArticle {
    RawArticle {
        title: item.title.or(page.title),
        when: item.when.or(page.when),
        url: item.url.or(page.url),
        ..page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_kind_by_content_type_then_content() {
        assert_eq!(sniff(Some("application/rss+xml"), ""), Kind::Feed);
        assert_eq!(sniff(Some("text/html; charset=utf-8"), "<rss>"), Kind::Page);
        assert_eq!(sniff(None, "\u{feff} <!DOCTYPE html><p>"), Kind::Page);
        assert_eq!(
            sniff(Some("text/plain"), "<?xml version='1.0'?><feed>"),
            Kind::Feed
        );
    }
}
