//! RSS, Atom and JSON Feed documents (read by feed-rs): every item with a title and some text
//! is an article; its HTML is sanitized and converted like a page's (`html::to_paragraphs`).
//! Items without a title or text are reported and skipped.

use super::html::to_paragraphs;
use super::normalize::When;
use super::{Parsed, RawArticle};

type SourceError = (Option<usize>, String);

pub(crate) fn parse(bytes: &[u8]) -> Result<Parsed, SourceError> {
    let (text, _) = super::text::decode(bytes);
    if let Some(line) = misplaced_declaration(&text) {
        return Err((
            Some(line),
            "not a valid RSS, Atom or JSON feed: an XML declaration (`<?xml … ?>`) may only open the document".into(),
        ));
    }
    let feed = feed_rs::parser::parse(&*short_declaration(from_declaration(bytes)))
        .map_err(|e| (None, format!("not a valid RSS, Atom or JSON feed: {e}")))?;
    let site = feed
        .title
        .as_ref()
        .map(|t| plain(&t.content))
        .filter(|t| !t.is_empty());
    let mut parsed = Parsed::default();
    for (i, entry) in feed.entries.into_iter().enumerate() {
        let title = entry
            .title
            .as_ref()
            .map(|t| plain(&t.content))
            .unwrap_or_default();
        let html = entry
            .content
            .and_then(|c| c.body)
            .or(entry.summary.map(|s| s.content))
            .unwrap_or_default();
        let paragraphs = to_paragraphs(&html);
        if title.is_empty() || paragraphs.is_empty() {
            parsed.warnings.push((
                None,
                format!("item {} has no title or no text; skipped", i + 1),
            ));
            continue;
        }
        parsed.articles.push(RawArticle {
            title: Some(title),
            paragraphs,
            markdown: true,
            when: entry
                .published
                .or(entry.updated)
                .map(|t| When::Time(t.fixed_offset())),
            url: entry.links.first().map(|l| l.href.clone()),
            source_name: site.clone(),
            ..RawArticle::default()
        });
    }
    if parsed.articles.is_empty() {
        return Err((
            None,
            "no recognizable article: the feed has no item with a title and text".into(),
        ));
    }
    Ok(parsed)
}

/// The line of an XML declaration that does not open the document. Such a document is not
/// well-formed XML, and the XML reader under feed-rs (quick-xml 0.42) panics on one that names
/// an encoding (found by the `feed_decode` fuzz target), so it is refused before parsing.
/// Comments and CDATA sections may hold the text freely.
fn misplaced_declaration(text: &str) -> Option<usize> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let offset = text.len() - body.len();
    let mut rest = body;
    let mut at = 0;
    while let Some(i) = rest.find('<') {
        let tail = &rest[i..];
        let skip = if let Some(inner) = tail.strip_prefix("<![CDATA[") {
            inner.find("]]>").map_or(tail.len(), |e| 9 + e + 3)
        } else if let Some(inner) = tail.strip_prefix("<!--") {
            inner.find("-->").map_or(tail.len(), |e| 4 + e + 3)
        } else if let Some(after) = tail.strip_prefix("<?xml") {
            let is_declaration = after.is_empty()
                || after.starts_with("?>")
                || after.starts_with(|c: char| c.is_ascii_whitespace());
            if is_declaration && at + i > 0 {
                let before = &text[..offset + at + i];
                return Some(before.matches('\n').count() + 1);
            }
            5
        } else {
            1
        };
        at += i + skip;
        rest = &rest[i + skip..];
    }
    None
}

/// The document from its XML declaration on, when only blank lines (and a UTF-8 byte-order
/// mark) come before it. Feeds written by careless templates often start with a newline;
/// XML does not allow anything before the declaration, and the XML reader under feed-rs
/// (quick-xml 0.42) panics when one that names an encoding comes after such a prefix (found
/// by the `feed_decode` fuzz target), so the prefix is dropped before parsing.
fn from_declaration(bytes: &[u8]) -> &[u8] {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    if start > 0 && body[start..].starts_with(b"<?xml") {
        &body[start..]
    } else {
        bytes
    }
}

/// The document with an XML declaration short enough for the XML reader under feed-rs:
/// quick-xml 0.42 sniffs the encoding from its first 64 bytes and panics when a declaration
/// naming another encoding ends after them (found by the `feed_decode` fuzz target). A long
/// or non-ASCII declaration is replaced by `<?xml version="1.0" encoding="…"?>` with the same
/// encoding name (dropping `standalone` and the like, which no feed reader needs), or by no
/// declaration when it names no usable encoding.
fn short_declaration(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    use std::borrow::Cow;
    const LIMIT: usize = 58;
    let Some(end) = bytes
        .strip_prefix(b"<?xml")
        .and_then(|rest| rest.windows(2).take(4096).position(|w| w == b"?>"))
        .map(|i| 5 + i + 2)
    else {
        return Cow::Borrowed(bytes);
    };
    let declaration = &bytes[..end];
    if declaration.len() <= LIMIT && declaration.is_ascii() {
        return Cow::Borrowed(bytes);
    }
    let name = declaration
        .windows(9)
        .position(|w| w == b"encoding=")
        .and_then(|i| {
            let value = &declaration[i + 9..];
            let quote = *value.first()?;
            (quote == b'"' || quote == b'\'').then_some(())?;
            let len = value[1..].iter().position(|&b| b == quote)?;
            Some(&value[1..1 + len])
        })
        .filter(|n| {
            !n.is_empty()
                && n.len() <= 30
                && n.iter()
                    .all(|b| b.is_ascii_alphanumeric() || b"._-:".contains(b))
        });
    let mut out = match name {
        Some(n) => [b"<?xml version=\"1.0\" encoding=\"".as_slice(), n, b"\"?>"].concat(),
        None => Vec::new(),
    };
    out.extend_from_slice(&bytes[end..]);
    Cow::Owned(out)
}

/// Feed titles may carry markup or entities; keep only their text.
fn plain(s: &str) -> String {
    let doc = dom_query::Document::from(format!("<p>{s}</p>").as_str());
    super::normalize::clean_line(&doc.select("p").text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_declaration_is_shortened_not_a_panic() {
        let long = format!(
            "<?xml version=\"1.0\" {} encoding=\"ISO-8859-1\" standalone=\"yes\"?>\n<rss version=\"2.0\"><channel><title>T</title><link>https://e.org/</link><description>d</description><item><title>Zinc stocks fall</title><description>Zinc stocks in exchange warehouses fell for a fifth week, traders said on Friday.</description></item></channel></rss>",
            " ".repeat(40)
        );
        assert_eq!(parse(long.as_bytes()).unwrap().articles.len(), 1);
        assert!(
            short_declaration(long.as_bytes())
                .starts_with(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss")
        );
        let short = b"<?xml version=\"1.0\"?><rss/>";
        assert_eq!(&*short_declaration(short), short.as_slice());
    }

    #[test]
    fn blank_lines_before_the_declaration_are_dropped_not_a_panic() {
        let feed = "\n\n<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\"><channel><title>T</title><link>https://e.org/</link><description>d</description><item><title>Nickel output rises</title><description>Smelters raised nickel output for a third month running, the producers' group said on Tuesday.</description></item></channel></rss>";
        let parsed = parse(feed.as_bytes()).unwrap();
        assert_eq!(parsed.articles.len(), 1);
        assert_eq!(from_declaration(b"\xEF\xBB\xBF \n<?xml?>"), b"<?xml?>");
        assert_eq!(from_declaration(b"<rss/>"), b"<rss/>");
        assert_eq!(from_declaration(b" <rss/>"), b" <rss/>");
    }

    #[test]
    fn rss_items_become_articles() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Metals Daily</title><link>https://metals.example/</link><description>d</description>
<item><title>Nickel smelter restarts</title><link>https://metals.example/nickel</link><pubDate>Tue, 24 Nov 2026 07:00:00 GMT</pubDate>
<description>&lt;p&gt;The smelter restarted after a month of repairs.&lt;/p&gt;&lt;p&gt;Output will reach full capacity in March.&lt;/p&gt;</description></item>
<item><title></title><description></description></item>
</channel></rss>"#;
        let p = parse(rss.as_bytes()).unwrap();
        assert_eq!(p.articles.len(), 1);
        assert_eq!(p.warnings.len(), 1);
        let a = &p.articles[0];
        assert_eq!(a.title.as_deref(), Some("Nickel smelter restarts"));
        assert_eq!(
            a.paragraphs,
            [
                "The smelter restarted after a month of repairs.",
                "Output will reach full capacity in March."
            ]
        );
        assert_eq!(a.source_name.as_deref(), Some("Metals Daily"));
        assert_eq!(a.url.as_deref(), Some("https://metals.example/nickel"));
        assert!(matches!(a.when, Some(When::Time(_))));
    }

    #[test]
    fn a_declaration_after_the_start_is_refused_not_a_panic() {
        let late = "<rss version=\"2.0\"><channel><title>T</title>\n<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><item><title>A</title><description>b</description></item></channel></rss>";
        let err = parse(late.as_bytes()).unwrap_err();
        assert_eq!(err.0, Some(2));
        assert!(err.1.contains("may only open the document"), "{}", err.1);
        assert_eq!(
            misplaced_declaration("\u{feff}\n <?xml version=\"1.0\"?><rss/>"),
            None
        );
        assert_eq!(
            misplaced_declaration(
                "<?xml version=\"1.0\"?><rss><![CDATA[<?xml x?>]]><!-- <?xml --><?xml-stylesheet href=\"a\"?></rss>"
            ),
            None
        );
    }

    #[test]
    fn not_a_feed() {
        assert!(
            parse(b"<html><body>hi</body></html>")
                .unwrap_err()
                .1
                .contains("not a valid")
        );
    }
}
