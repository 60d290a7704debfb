//! HTML pages: the article text is found by [`extract`] (site chrome cut out of the DOM, a
//! Readability port, line cleaning in [`lines`]), sanitized with ammonia (the page is
//! untrusted) and converted to Markdown with dom_query. Title, dates, authors, lead image,
//! site name and URL come from the page's own metadata ([`meta`]), bylines and date lines
//! in the text being the last resort. Feeds reuse [`to_paragraphs`] for their items' HTML.

mod authors;
mod dateline;
mod extract;
mod lines;
mod meta;

use chrono::Datelike as _;
use dom_query::Document;

use super::normalize::When;
use super::{Parsed, RawArticle};

use super::{SourceError, problem};

/// Fewer words than this in the extracted text: the page holds no article.
const MIN_ARTICLE_WORDS: usize = 25;

pub(crate) fn parse(html: &str) -> Result<Parsed, SourceError> {
    let page = Document::from(html);
    let meta = meta::read(&page);
    let found = extract::extract(page, html, meta.url.as_deref(), meta.headline.as_deref())
        .map_err(|e| problem(None, e))?;
    let mut warnings = Vec::new();
    if found.extractor == extract::Extractor::Paragraphs {
        warnings.push(problem(
            None,
            "no main article block found; using all paragraphs of the page".to_string(),
        ));
    }
    let title = meta
        .headline
        .as_deref()
        .map(|h| super::normalize::clean_line(&decode_entities(h)))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| found.title.trim().to_string());
    let mut paragraphs = found.paragraphs;
    let dateline = paragraphs.first_mut().and_then(|first| {
        let (place, rest) = dateline::split(first)?;
        *first = rest;
        Some(place)
    });
    if paragraphs.is_empty() || title.is_empty() {
        return Err(problem(
            None,
            "no recognizable article: the page has no title or no text".into(),
        ));
    }
    // Navigation, a cookie banner or a login form is not an article.
    let words: usize = paragraphs
        .iter()
        .map(|p| p.split_whitespace().count())
        .sum();
    if words < MIN_ARTICLE_WORDS {
        return Err(problem(
            None,
            format!(
                "no recognizable article: the page's main text has {words} words (at least {MIN_ARTICLE_WORDS} expected)"
            ),
        ));
    }
    let publisher = meta.publisher.filter(|s| !s.trim().is_empty());
    // The first byline that names someone: later ones belong to related stories or comments.
    let mut authors = if meta.authors.is_empty() {
        found
            .bylines
            .iter()
            .map(|b| authors::clean(std::slice::from_ref(b)))
            .find(|names| !names.is_empty())
            .unwrap_or_default()
    } else {
        meta.authors
    };
    // The site credited as an author ("Cleveland.com") is the source, not a byline.
    authors.retain(|a| {
        let key = a.to_lowercase();
        !key.contains(".com") && publisher.as_deref().is_none_or(|p| p.to_lowercase() != key)
    });
    let when = [meta.published.as_deref(), meta.modified.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(parse_when)
        .chain(found.date_lines.iter().filter_map(|l| meta::text_date(l)))
        .find(plausible);
    let article = RawArticle {
        title: Some(title),
        paragraphs,
        markdown: true,
        when,
        dateline,
        url: meta.url,
        source_name: publisher,
        authors,
        image: meta.image,
        extractor: Some(found.extractor.name()),
        ..RawArticle::default()
    };
    Ok(Parsed {
        articles: vec![article],
        boilerplate: 0,
        warnings,
    })
}

/// A stage of article extraction, for `examples/eval.rs`. Not a stable API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtractionStage {
    /// dom_smoothie alone: Readability on the page as it is.
    Readability,
    /// Readability on the page with its chrome cut, no line cleaning.
    ChromeCut,
    /// What ingest does (before normalization): chrome cut, Readability, line cleaning,
    /// dateline split off.
    Full,
}

/// The body Markdown one stage of extraction finds in `html`, or why it found none.
#[doc(hidden)]
pub fn extract_stage(html: &str, stage: ExtractionStage) -> Result<String, String> {
    match stage {
        ExtractionStage::Readability => extract::partial(html, false),
        ExtractionStage::ChromeCut => extract::partial(html, true),
        ExtractionStage::Full => parse(html)
            .map(|p| p.articles[0].paragraphs.join("\n\n"))
            .map_err(|e| e.message),
    }
}

/// Placeholder dates (`0001-01-01`) and the like are not publication dates.
fn plausible(when: &When) -> bool {
    let year = match when {
        When::Day(d) => d.year(),
        When::Time(t) => t.year(),
    };
    year >= 1900
}

/// Metadata text is sometimes escaped twice (`&#8216;Title&#8217;`): decode what is left.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let fragment = Document::fragment(format!("<p>{}</p>", s.replace('<', "&lt;")));
    fragment.select("p").text().to_string()
}

/// Untrusted HTML → sanitized → Markdown paragraphs (split at blank lines).
pub(crate) fn to_paragraphs(html: &str) -> Vec<String> {
    let clean = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string();
    let markdown = Document::from(clean.as_str()).md(None).to_string();
    markdown
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// `2026-11-26T08:00:00+01:00`, `2026-11-26T08:00:00Z`, `2026-11-26T08:00:00+0100` or a
/// bare `2026-11-26` (a time without a zone keeps only its day).
pub(crate) fn parse_when(s: &str) -> Option<When> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(When::Time(t));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%z",
    ] {
        if let Ok(t) = chrono::DateTime::parse_from_str(s, format) {
            return Some(When::Time(t));
        }
    }
    s.get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(When::Day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html><head><title>Chipmakers pool designs | Tech Wire</title>
<meta property="og:site_name" content="Tech Wire">
<meta property="article:published_time" content="2026-11-20T08:30:00+01:00">
<link rel="canonical" href="https://wire.example/chips">
</head><body><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav>
<article><h1>Chipmakers pool designs</h1>
<p>SEOUL: Two chipmakers agreed on Monday to pool their designs for memory used in artificial intelligence servers, the companies said in a joint statement.</p>
<p>The partnership covers <b>high-bandwidth memory</b> and packaging, and will run for five years.<script>alert(1)</script></p>
<p onclick="steal()">Analysts said the deal could cut costs for both firms as demand for servers keeps growing.</p>
</article><footer>Copyright</footer></body></html>"#;

    #[test]
    fn page_metadata_and_sanitized_markdown() {
        let p = parse(PAGE).unwrap();
        let a = &p.articles[0];
        assert!(
            a.title
                .as_deref()
                .unwrap()
                .starts_with("Chipmakers pool designs"),
            "{:?}",
            a.title
        );
        assert_eq!(a.source_name.as_deref(), Some("Tech Wire"));
        assert_eq!(a.url.as_deref(), Some("https://wire.example/chips"));
        assert!(matches!(a.when, Some(When::Time(_))));
        let all = a.paragraphs.join("\n");
        assert_eq!(a.dateline.as_deref(), Some("Seoul"));
        assert!(a.paragraphs[0].starts_with("Two chipmakers"), "{all}");
        assert!(all.contains("**high-bandwidth memory**"), "{all}");
        assert!(
            !all.contains("alert") && !all.contains("steal") && !all.contains("Copyright"),
            "{all}"
        );
    }

    #[test]
    fn dates_in_both_shapes() {
        assert!(matches!(parse_when("2026-11-20"), Some(When::Day(_))));
        assert!(matches!(
            parse_when("2026-11-20T08:30:00Z"),
            Some(When::Time(_))
        ));
        assert_eq!(parse_when("last week"), None);
    }
}
