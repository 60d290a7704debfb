//! An HTML page's own metadata, in order of trust: JSON-LD (`NewsArticle`, `Article` and
//! kin: headline, dates, authors, publisher, image), then OpenGraph / `article:*` and other
//! `<meta>` tags, then `<time datetime>`. The text itself (bylines, date lines) is the last
//! resort and is read by the caller. Read from the untouched page, before chrome is cut.

use std::sync::LazyLock;

use chrono::NaiveDate;
use dom_query::Document;
use regex::Regex;
use serde_json::Value;

use crate::ingest::When;

/// What the page says about its article. Every field is optional: pages say little.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct PageMeta {
    pub headline: Option<String>,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub authors: Vec<String>,
    pub publisher: Option<String>,
    pub image: Option<String>,
    pub url: Option<String>,
}

/// `@type`s whose object describes the article itself.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "BackgroundNewsArticle",
    "AskPublicNewsArticle",
    "BlogPosting",
    "LiveBlogPosting",
    "SocialMediaPosting",
    "TechArticle",
    "Report",
    "ScholarlyArticle",
];

/// Reads the page's metadata.
pub(crate) fn read(doc: &Document) -> PageMeta {
    let mut m = json_ld(doc).unwrap_or_default();
    let meta = |sel: &str| -> Option<String> {
        doc.select(sel)
            .iter()
            .filter_map(|n| n.attr("content"))
            .map(|v| v.trim().to_string())
            .find(|v| !v.is_empty())
    };
    if m.headline.is_none() {
        m.headline = meta("meta[property='og:title'], meta[name='twitter:title']");
    }
    if m.published.is_none() {
        m.published = meta(
            "meta[property='article:published_time'], meta[name='article:published_time'], \
             meta[itemprop=datePublished], meta[name=pubdate], meta[name=publishdate], \
             meta[name=date], meta[name='dc.date'], meta[name='DC.date.issued'], \
             meta[name='dcterms.created'], meta[name='parsely-pub-date'], \
             meta[name='sailthru.date'], meta[property='og:published_time']",
        )
        .or_else(|| time_element(doc));
    }
    if m.modified.is_none() {
        m.modified = meta(
            "meta[property='article:modified_time'], meta[property='og:updated_time'], \
             meta[itemprop=dateModified], meta[name='last-modified']",
        );
    }
    if m.authors.is_empty() {
        let named =
            meta("meta[name=author], meta[name='parsely-author'], meta[name='sailthru.author']")
                .or_else(|| meta("meta[property='article:author']"))
                .filter(|a| !looks_like_url(a));
        if let Some(a) = named {
            m.authors = super::authors::clean(&[a]);
        }
    }
    if m.publisher.is_none() {
        m.publisher = meta("meta[property='og:site_name'], meta[name='application-name']");
    }
    if m.image.is_none() {
        m.image = meta(
            "meta[property='og:image'], meta[property='og:image:url'], \
             meta[property='og:image:secure_url'], meta[name='twitter:image'], \
             meta[name='twitter:image:src']",
        );
    }
    m.image = m.image.and_then(|u| web_url(&u));
    m.url = m.url.and_then(|u| web_url(&u)).or_else(|| {
        doc.select("link[rel=canonical]")
            .attr("href")
            .and_then(|u| web_url(&u))
            .or_else(|| meta("meta[property='og:url']").and_then(|u| web_url(&u)))
    });
    m
}

/// The first `<time datetime>` that marks publication, else the first one in the page.
fn time_element(doc: &Document) -> Option<String> {
    let pick = |sel: &str| {
        doc.select(sel)
            .iter()
            .filter_map(|n| n.attr("datetime"))
            .map(|v| v.trim().to_string())
            .find(|v| v.len() >= 10)
    };
    pick("time[itemprop=datePublished], time[pubdate], time[class*=publish]")
        .or_else(|| pick("time[datetime]"))
}

fn looks_like_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//")
}

/// An absolute `http(s)` URL (protocol-relative ones become `https:`), else nothing.
fn web_url(u: &str) -> Option<String> {
    let u = u.trim();
    if u.starts_with("//") {
        return Some(format!("https:{u}"));
    }
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        .then(|| u.to_string())
        .filter(|u| !u.contains(char::is_whitespace) && !u.contains(['"', '<', '>']))
}

/// The article object of the page's JSON-LD blocks, if any.
fn json_ld(doc: &Document) -> Option<PageMeta> {
    for script in doc.select("script[type='application/ld+json']").iter() {
        let text = script.text();
        let text = text
            .trim()
            .trim_start_matches("<![CDATA[")
            .trim_end_matches("]]>")
            .trim();
        let Ok(value) = serde_json::from_str::<Value>(text) else {
            continue;
        };
        if let Some(article) = find_article(&value, 0) {
            return Some(from_article(article));
        }
    }
    None
}

/// Depth-first search through arrays, `@graph` and `mainEntity` for an article object.
fn find_article(v: &Value, depth: usize) -> Option<&Value> {
    if depth > 6 {
        return None;
    }
    match v {
        Value::Array(items) => items.iter().find_map(|i| find_article(i, depth + 1)),
        Value::Object(o) => {
            if types(v).iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                return Some(v);
            }
            ["@graph", "mainEntity", "mainEntityOfPage"]
                .iter()
                .filter_map(|k| o.get(*k))
                .find_map(|x| find_article(x, depth + 1))
        }
        _ => None,
    }
}

fn types(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.rsplit('/').next().unwrap_or(s).to_string()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.rsplit('/').next().unwrap_or(s).to_string())
            .collect(),
        _ => Vec::new(),
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(|x| text(Some(x))),
        Value::Object(o) => text(o.get("name").or_else(|| o.get("@value"))),
        _ => None,
    }
}

/// A name, a `{name}` object or a list of them.
fn names(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) if !looks_like_url(s) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().flat_map(|x| names(Some(x))).collect(),
        Some(Value::Object(o)) => names(o.get("name")),
        _ => Vec::new(),
    }
}

/// An image given as a URL, an `ImageObject` or a list of either.
fn image(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Array(a) => a.iter().find_map(|x| image(Some(x))),
        Value::Object(o) => image(o.get("url").or_else(|| o.get("contentUrl"))),
        _ => None,
    }
}

fn from_article(a: &Value) -> PageMeta {
    let url = a
        .get("url")
        .and_then(Value::as_str)
        .or_else(|| a.get("mainEntityOfPage").and_then(Value::as_str))
        .or_else(|| {
            a.get("mainEntityOfPage")
                .and_then(|m| m.get("@id"))
                .and_then(Value::as_str)
        })
        .map(str::to_string);
    PageMeta {
        headline: text(a.get("headline")).or_else(|| text(a.get("name"))),
        published: text(a.get("datePublished")).or_else(|| text(a.get("dateCreated"))),
        modified: text(a.get("dateModified")),
        authors: super::authors::clean(&names(a.get("author").or_else(|| a.get("creator")))),
        publisher: text(a.get("publisher")),
        image: image(a.get("image").or_else(|| a.get("thumbnailUrl"))),
        url,
    }
}

static TEXT_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\b(?:
            (?P<y1>(?:19|20)\d\d)-(?P<m1>\d\d)-(?P<d1>\d\d)
          | (?P<mon2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)
          | (?P<d3>\d{1,2})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon3>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?P<y3>(?:19|20)\d\d)
        )\b",
    )
    .expect("valid regex")
});

/// The day a date line of the text names: `Nov 19, 2019`, `19 November 2019`, `2019-11-19`.
pub(crate) fn text_date(line: &str) -> Option<When> {
    let c = TEXT_DATE.captures(line)?;
    let month = |m: &str| {
        MONTHS
            .iter()
            .position(|p| m.to_ascii_lowercase().starts_with(p))
            .map(|i| i as u32 + 1)
    };
    let num = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, m, d) = if let Some(y) = num("y1") {
        (y, num("m1")?, num("d1")?)
    } else if let Some(y) = num("y2") {
        (y, month(c.name("mon2")?.as_str())?, num("d2")?)
    } else {
        (num("y3")?, month(c.name("mon3")?.as_str())?, num("d3")?)
    };
    NaiveDate::from_ymd_opt(y as i32, m, d).map(When::Day)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_comes_first_then_meta_tags() {
        let doc = Document::from(
            r#"<html><head>
            <meta property="og:title" content="OG title">
            <meta property="og:image" content="https://img.example/og.jpg">
            <meta property="article:published_time" content="2026-01-01T00:00:00Z">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"Site"},
              {"@type":["NewsArticle"],"headline":"LD headline","datePublished":"2026-03-03T09:00:00+01:00",
               "author":[{"@type":"Person","name":"By Ann Reed"},{"@type":"Person","name":"Tom Bell, Staff Writer"}],
               "publisher":{"@type":"Organization","name":"The Harbour Times"},
               "image":{"@type":"ImageObject","url":"https://img.example/lead.jpg"}}]}</script>
            </head><body></body></html>"#,
        );
        let m = read(&doc);
        assert_eq!(m.headline.as_deref(), Some("LD headline"));
        assert_eq!(m.published.as_deref(), Some("2026-03-03T09:00:00+01:00"));
        assert_eq!(m.authors, ["Ann Reed", "Tom Bell"]);
        assert_eq!(m.publisher.as_deref(), Some("The Harbour Times"));
        assert_eq!(m.image.as_deref(), Some("https://img.example/lead.jpg"));
    }

    #[test]
    fn meta_tags_then_time_element() {
        let doc = Document::from(
            r#"<html><head><meta property="og:title" content="OG title">
            <meta name="author" content="Ann Reed">
            <meta property="og:image" content="/relative.jpg">
            <meta property="og:site_name" content="Harbour Times"></head>
            <body><time datetime="2026-03-03">March 3</time></body></html>"#,
        );
        let m = read(&doc);
        assert_eq!(m.headline.as_deref(), Some("OG title"));
        assert_eq!(m.published.as_deref(), Some("2026-03-03"));
        assert_eq!(m.authors, ["Ann Reed"]);
        assert_eq!(m.publisher.as_deref(), Some("Harbour Times"));
        assert_eq!(m.image, None, "a relative image URL is not kept");
    }

    #[test]
    fn dates_in_text() {
        let day = |y, m, d| Some(When::Day(NaiveDate::from_ymd_opt(y, m, d).unwrap()));
        assert_eq!(
            text_date("Updated 10:07 AM EST, Nov 19, 2019"),
            day(2019, 11, 19)
        );
        assert_eq!(
            text_date("Posted: Fri 6:45 PM, Feb 16, 2018 |"),
            day(2018, 2, 16)
        );
        assert_eq!(text_date("18 NOV 2019"), day(2019, 11, 18));
        assert_eq!(text_date("1987-04-02"), day(1987, 4, 2));
        assert_eq!(text_date("Last week"), None);
    }

    #[test]
    fn broken_json_ld_is_skipped() {
        let doc = Document::from(
            r#"<script type="application/ld+json">{"@type": "NewsArticle", </script>
            <meta property="og:title" content="Fine">"#,
        );
        assert_eq!(read(&doc).headline.as_deref(), Some("Fine"));
    }
}
