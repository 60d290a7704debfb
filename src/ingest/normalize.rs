//! Turning a [`RawArticle`] (whatever format it came from) into a [`Normalized`] article:
//! whitespace, boilerplate, dateline, summary, quotes, entities, date, slug and id.
//! Paragraph text is never reworded: only line endings, NBSP and runs of whitespace change.
//! Topic and de-duplication are decided later (`classify`, `dedupe`); writing is `store`'s job.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, NaiveDate};
use regex::Regex;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use super::{RawArticle, entities, table, tokens};
use crate::build::frontmatter::{Entities, Quote, Source, SummarySource};

/// The longest slug we write (the issue's limit), cut at a word boundary.
#[cfg(test)]
use crate::ids::MAX_SLUG;

/// When an article was published, as precisely as the source says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum When {
    Day(NaiveDate),
    Time(DateTime<FixedOffset>),
}

/// One article ready to be classified, de-duplicated and written.
#[derive(Debug, Clone)]
pub(crate) struct Normalized {
    pub title: String,
    pub dateline: Option<String>,
    pub paragraphs: Vec<String>,
    pub summary: Vec<String>,
    pub summary_source: SummarySource,
    pub quotes: Vec<Quote>,
    pub entities: Entities,
    pub when: When,
    /// The edition day in the site's time zone.
    pub day: NaiveDate,
    pub slug: String,
    pub id: String,
    pub source: Option<Source>,
    /// A topic given by the source record (JSON Lines), already checked against the config.
    pub topic: Option<String>,
    /// Boilerplate paragraphs dropped while normalizing.
    pub boilerplate: usize,
    pub authors: Vec<String>,
    pub image: Option<String>,
    pub extractor: Option<&'static str>,
}

impl Normalized {
    /// The Markdown body: paragraphs separated by blank lines.
    pub fn body(&self) -> String {
        self.paragraphs.join("\n\n")
    }
}

/// Whitespace only: NBSP and other spaces become one space, ends are trimmed.
pub(crate) fn clean_line(line: &str) -> String {
    if is_clean(line) {
        return line.to_string();
    }
    line.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' || c == '\u{2007}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether [`clean_line`] would leave `line` as it is: single ASCII spaces between words and
/// none at the ends (most lines of a dump; checked without splitting).
fn is_clean(line: &str) -> bool {
    if line.is_ascii() {
        // The common case, by whole-line searches: `char::is_whitespace` holds for the ASCII
        // space and U+0009–U+000D only.
        return !line.bytes().any(|b| (9..=13).contains(&b))
            && !line.starts_with(' ')
            && !line.ends_with(' ')
            && !line.contains("  ");
    }
    let mut after_space = true;
    for (i, &b) in line.as_bytes().iter().enumerate() {
        if b == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
            continue;
        }
        after_space = false;
        if b < 0x80 {
            if (b as char).is_whitespace() {
                return false;
            }
        } else if line.is_char_boundary(i) {
            let c = line[i..].chars().next().expect("a char boundary");
            if c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}') {
                return false;
            }
        }
    }
    !after_space || line.is_empty()
}

static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            advertisement | advertising | sponsored(?:\ content)? | promoted
          | share\ (?:this|on|via)\b.* | share
          | follow\ us\b.* | like\ us\ on\b.*
          | read\ more\b.* | (?:also\ read|related|see\ also|more\ on\ this\ story)\s*:.*
          | subscribe\b.* | sign\ up\b.* | get\ our\ newsletter\b.*
          | (?:updated|published|posted)\s+\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago\.?
          | (?:click|tap)\ here\b.* | skip\ to\ (?:main\ )?content | copy\ link | print | comments?
          | (?:image|photo|picture)\ (?:caption|credit|source)\s*:.* | we\ use\ cookies\b.*
        )$",
    )
    .expect("valid regex")
});

/// Lines scrapers leave between articles ("Advertisement", "Share this article", …).
pub(crate) fn is_boilerplate(line: &str) -> bool {
    line.chars().count() <= 200 && BOILERPLATE.is_match(line)
}

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    // PLACE [, REGION]{0,2} [, Month Day | Day Month] [(Agency)] then `:`, `-`, `–` or `—`. The place is
    // upper case (`LOS ANGELES`), or title case when a date follows (`Oklahoma City, March 3 -`),
    // which no sentence opening reads like. A region is a state or country, often abbreviated
    // (`Calif.`, `N.Y.`, `W. Va.`, `British Columbia`).
    Regex::new(
        r"(?x)^(?:
            (?P<place>\p{Lu}[\p{Lu}.'’/\-]*(?:\s\p{Lu}[\p{Lu}.'’/\-]*){0,3})
            (?:\s?,\s\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*){0,2}){0,2}
            (?:\s?,\s(?:(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\p{L}*\.?\s\d{1,2},?|\d{1,2}\s(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\p{L}*\.?))?
          | (?P<titled>\p{Lu}[\p{L}.'’\-]*(?:\s\p{Lu}[\p{L}.'’\-]*){0,3})
            (?:\s?,\s\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*){0,2}){0,2}
            \s?,\s(?:(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\p{L}*\.?\s\d{1,2},?|\d{1,2}\s(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\p{L}*\.?)
        )
        (?:\s\((?:[A-Z][A-Za-z&.]*(?:\s[A-Z][A-Za-z&.]*)*)\))?
        (?::\s|\s[-–—]{1,2}\s)",
    )
    .expect("valid regex")
});

/// Splits a leading dateline off a paragraph: `("San Francisco", rest)`.
/// Forms: `SAN FRANCISCO: `, `LONDON (Reuters) - `, `NEW YORK, March 3 - `, `WASHINGTON — `,
/// `PORTLAND, Ore., Feb 26 - `, `Oklahoma City, March 3 - `.
pub(crate) fn split_dateline(paragraph: &str) -> Option<(String, &str)> {
    let m = DATELINE.captures(paragraph)?;
    let place = match (m.name("place"), m.name("titled")) {
        (Some(p), _) => title_case(p.as_str()),
        (None, Some(p)) => p.as_str().to_string(),
        (None, None) => return None,
    };
    // Not a lone acronym used as a label ("EU: …" is rare but "AI:" is not).
    if place.chars().filter(|c| c.is_alphabetic()).count() < 3 {
        return None;
    }
    let rest = &paragraph[m.get(0)?.end()..];
    if rest.trim().is_empty() {
        return None;
    }
    Some((place, rest))
}

/// `SAN FRANCISCO` → `San Francisco`, `AL-KHOBAR` → `Al-Khobar`, `ST. LOUIS` → `St. Louis`.
pub(crate) fn title_case(place: &str) -> String {
    let mut out = String::with_capacity(place.len());
    let mut start = true;
    for c in place.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '-' | '.' | '/');
    }
    out
}

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:#{1,6}\s|>|[-+*]\s|\d{1,9}[.)]\s|={3,}|-{3,}|```|~~~)").expect("valid regex")
});

/// Compiles the dateline pattern now instead of at its first use (see
/// `ingest::compile_patterns_ahead`).
pub(crate) fn compile_dateline() {
    LazyLock::force(&DATELINE);
}

/// Compiles this module's other patterns now (see `ingest::compile_patterns_ahead`).
pub(crate) fn compile_patterns() {
    LazyLock::force(&BOILERPLATE);
    LazyLock::force(&MARKER);
}

/// Backslash-escapes what Markdown would read as a block marker at the start of a paragraph
/// (`# `, `> `, `- `, `1. `), so the text shows exactly as written.
fn escape_block_start(p: &str) -> String {
    if MARKER.is_match(p) {
        format!("\\{p}")
    } else {
        p.to_string()
    }
}

/// What the caller decided about dates and sources.
pub(crate) struct Context<'a> {
    pub date: Option<NaiveDate>,
    pub today: NaiveDate,
    pub timezone: &'a crate::config::SiteTimezone,
    pub source_name: Option<&'a str>,
    pub source_url: Option<&'a str>,
}

/// Normalizes one raw article. `markdown` says the paragraphs are already Markdown
/// (from HTML or feeds) and must not be escaped.
pub(crate) fn normalize(raw: RawArticle, ctx: &Context<'_>) -> Normalized {
    let mut boilerplate = 0;
    let mut paragraphs: Vec<String> = Vec::new();
    // Per paragraph: the rows of a table (text dumps), kept as they are and written as Markdown.
    let mut rows: Vec<Option<&[String]>> = Vec::new();
    for (i, p) in raw.paragraphs.iter().enumerate() {
        if let Some((_, table)) = raw.tables.iter().find(|(at, _)| *at == i) {
            paragraphs.push(p.clone());
            rows.push(Some(table));
            continue;
        }
        let p = if raw.markdown {
            p.trim().to_string()
        } else {
            clean_line(p)
        };
        if p.is_empty() {
            continue;
        }
        if is_boilerplate(&p) {
            boilerplate += 1;
            continue;
        }
        paragraphs.push(p);
        rows.push(None);
    }
    // A dateline given apart (`SALVADOR, Feb 26 -`) is read like one opening a paragraph.
    let mut dateline =
        raw.dateline
            .as_deref()
            .map(|d| match split_dateline(&format!("{} x", d.trim())) {
                Some((place, _)) => place,
                None => title_case(d.trim().trim_end_matches(['-', '–', '—', ':', ' '])),
            });
    if dateline.is_none()
        && rows.first().is_some_and(Option::is_none)
        && let Some(first) = paragraphs.first_mut()
        && let Some((place, rest)) = split_dateline(first)
    {
        dateline = Some(place);
        *first = rest.to_string();
    }
    let plain: Vec<String> = paragraphs;
    let paragraphs: Vec<String> = plain
        .iter()
        .zip(&rows)
        .map(|(p, table)| match table {
            Some(table) => table::to_markdown(table),
            None if raw.markdown => p.clone(),
            None => escape_block_start(p),
        })
        .collect();
    let title = clean_line(raw.title.as_deref().unwrap_or_default());
    let (summary, summary_source) = if !raw.bullets.is_empty() {
        (
            raw.bullets.iter().map(|b| clean_line(b)).collect(),
            SummarySource::Given,
        )
    } else if let Some(Some(first)) = rows.first() {
        // A brief opens with its figures: they are what it says.
        (brief_summary(first), SummarySource::Extracted)
    } else {
        let prose: Vec<String> = plain
            .iter()
            .zip(&rows)
            .filter(|(_, t)| t.is_none())
            .map(|(p, _)| p.clone())
            .collect();
        (extract_summary(&prose), SummarySource::Extracted)
    };
    let found = entities::find(&plain, dateline.as_deref());
    let when = match (ctx.date, raw.when) {
        (Some(d), _) => When::Day(d),
        (None, Some(w)) => w,
        (None, None) => When::Day(ctx.today),
    };
    let day = match when {
        When::Day(d) => d,
        When::Time(t) => ctx.timezone.localize(&t).date_naive(),
    };
    let name = ctx.source_name.map(str::to_string).or(raw.source_name);
    // Only web links reach a page's href: `javascript:`, `data:` and the like are dropped.
    let url = ctx
        .source_url
        .map(str::to_string)
        .or(raw.url)
        .filter(|u| is_web_url(u));
    let source = match (name, url) {
        (Some(name), url) => Some(Source { name, url }),
        (None, Some(url)) => Some(Source {
            name: host_of(&url),
            url: Some(url),
        }),
        (None, None) => None,
    };
    let body = paragraphs.join("\n\n");
    Normalized {
        slug: slugify(&title),
        id: content_id(&title, &body),
        title,
        dateline,
        paragraphs,
        summary,
        summary_source,
        quotes: found.quotes,
        entities: found.entities,
        when,
        day,
        source,
        topic: raw.topic,
        boilerplate,
        authors: raw.authors,
        image: raw.image.filter(|u| is_web_url(u)),
        extractor: raw.extractor,
    }
}

fn is_web_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .trim_start_matches("www.")
        .to_string()
}

/// The file slug of a headline ([`crate::ids::slug_from_title`]), `article` when it has none.
pub(crate) fn slugify(title: &str) -> String {
    let slug = crate::ids::slug_from_title(title);
    if slug.is_empty() {
        "article".to_string()
    } else {
        slug
    }
}

/// The stable id: xxh3-64 (fixed seed 0) of the title and the Markdown body.
pub(crate) fn content_id(title: &str, body: &str) -> String {
    let text = format!("{title}\n\n{body}");
    crate::ids::hex_id(text.as_bytes())
}

/// The summary of an article that opens with a table: its first three rows that hold figures,
/// each as its words read (`Shr 47 cts vs 31 cts`); a section label before a row leads it
/// (`Six mths: Shr 1.02 dlrs vs 88 cts`).
fn brief_summary(rows: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut section: Option<String> = None;
    for row in rows {
        let text = table::plain(row);
        if !text.split_whitespace().any(table::is_figure) {
            section = Some(text);
            continue;
        }
        out.push(match section.take() {
            Some(s) => format!("{s}: {text}"),
            None => text,
        });
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// Picks 2–3 sentences that best cover the article: each sentence is scored by how frequent its
/// words are in the whole article (average of normalized term frequencies), with a bonus for
/// the lead paragraph; quotes and very short or long sentences are passed over. The chosen
/// sentences keep their order and their exact text.
pub(crate) fn extract_summary(paragraphs: &[String]) -> Vec<String> {
    // Words are counted by their xxh3 hash: no string per word.
    let mut freq: FxHashMap<u64, f64> = FxHashMap::default();
    for p in paragraphs {
        tokens::for_each_content_word(p, |w| {
            *freq.entry(xxh3_64(w.as_bytes())).or_default() += 1.0;
        });
    }
    let max = freq.values().copied().fold(1.0, f64::max);
    let mut candidates: Vec<(usize, f64, &str)> = Vec::new();
    let mut n = 0;
    for (pi, p) in paragraphs.iter().enumerate() {
        for s in tokens::sentences(p) {
            let wc = tokens::count_whitespace_separated(s);
            // Quoted speech says what someone claims, not what happened.
            let quoted = s.contains(['“', '”', '"']);
            if !quoted && (6..=60).contains(&wc) {
                let mut sum = 0.0;
                let mut words = 0;
                tokens::for_each_content_word(s, |w| {
                    sum += freq.get(&xxh3_64(w.as_bytes())).copied().unwrap_or(0.0) / max;
                    words += 1;
                });
                let base = sum / words.max(1) as f64;
                let lead = match pi {
                    0 => 0.3,
                    1 => 0.1,
                    _ => 0.0,
                };
                candidates.push((n, base + lead, s));
            }
            n += 1;
        }
    }
    let mut best = candidates.clone();
    best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    best.truncate(3);
    if best.len() == 3 && best.iter().map(|c| c.2.len()).sum::<usize>() > 700 {
        best.truncate(2);
    }
    best.sort_by_key(|c| c.0);
    if best.is_empty() {
        // Nothing sentence-like: fall back to the first paragraph's first sentence.
        return paragraphs
            .first()
            .and_then(|p| tokens::sentences(p).first().map(|s| s.to_string()))
            .into_iter()
            .collect();
    }
    best.into_iter().map(|c| c.2.to_string()).collect()
}

#[cfg(test)]
mod tests;
