//! RSS, Atom and JSON Feed documents (read by feed-rs): every item with a title and some text
//! is an article; its HTML is sanitized and converted like a page's (`html::to_paragraphs`).
//! Items without a title or text are reported and skipped.

use super::html::to_paragraphs;
use super::normalize::When;
use super::{Parsed, RawArticle};

use super::{SourceError, problem};

/// A feed file's bytes as UTF-8 (`charset`: byte-order mark, then the XML declaration, then
/// UTF-8 or Windows-1252), its declaration rewritten to say UTF-8; blank lines before the
/// declaration (careless templates print them) are dropped. Returns the encoding when it was
/// not UTF-8.
pub(crate) fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    let (text, encoding) = super::charset::decode(from_declaration(bytes), None);
    (
        text,
        (encoding != encoding_rs::UTF_8).then(|| encoding.name()),
    )
}

/// Parses a feed already decoded to UTF-8 by [`decode`] (or by fetch, from its response).
pub(crate) fn parse(text: &str) -> Result<Parsed, SourceError> {
    check_declarations(text)?;
    let feed = feed_rs::parser::parse(text.as_bytes())
        .map_err(|e| problem(None, format!("not a valid RSS, Atom or JSON feed: {e}")))?;
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
            parsed.warnings.push(problem(
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
        return Err(problem(
            None,
            "no recognizable article: the feed has no item with a title and text".into(),
        ));
    }
    Ok(parsed)
}

/// Refuses an XML declaration that does not open the document, and one naming an encoding
/// other than UTF-8 (the text is UTF-8 by now). The document is read with the XML reader
/// feed-rs itself uses (quick-xml, configured the same way), so what counts as a declaration
/// is exactly what feed-rs would see: quick-xml 0.42 switches its decoder on a declaration's
/// encoding and panics when that happens after its first 64 bytes (found three ways by the
/// `feed_decode` fuzz target: a late declaration, a long one, one hidden from a simpler
/// scanner by a quote in a broken tag). A well-formed feed has one declaration, first, and
/// after decoding it says UTF-8.
fn check_declarations(text: &str) -> Result<(), SourceError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::NsReader::from_str(text);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.trim_markup_names_in_closing_tags = true;
    config.trim_text(false);
    let mut first = true;
    loop {
        let at = reader.buffer_position() as usize;
        let line = || text[..at.min(text.len())].matches('\n').count() + 1;
        match reader.read_event() {
            Ok(Event::Eof) => return Ok(()),
            // feed-rs reads on after an ill-formed construct, and so does this check; a
            // reader that stopped moving has nothing more to show.
            Err(_) if reader.buffer_position() as usize == at => return Ok(()),
            Err(_) => {}
            Ok(Event::Decl(decl)) => {
                if !first {
                    return Err(problem(
                        Some(line()),
                        "not a valid RSS, Atom or JSON feed: an XML declaration (`<?xml … ?>`) may only open the document".into(),
                    ));
                }
                if decl.encoder().is_some_and(|e| e != encoding_rs::UTF_8) {
                    return Err(problem(
                        Some(line()),
                        "not a valid RSS, Atom or JSON feed: a malformed XML declaration (write it `<?xml version=\"1.0\" encoding=\"…\"?>`, at the very start)".into(),
                    ));
                }
                first = false;
            }
            Ok(Event::Text(t)) if t.trim_ascii().is_empty() => {}
            Ok(_) => first = false,
        }
    }
}

/// The document from its XML declaration on, when only blank lines (and a UTF-8 byte-order
/// mark) come before it. XML allows nothing before the declaration, but feeds written by
/// careless templates often start with a newline; the declaration is then still read for
/// the document's encoding.
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

/// Feed titles may carry markup or entities; keep only their text.
fn plain(s: &str) -> String {
    let doc = dom_query::Document::from(format!("<p>{s}</p>").as_str());
    super::normalize::clean_line(&doc.select("p").text())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a feed file goes through on ingest: decoding, then the reader.
    fn read(bytes: &[u8]) -> Result<Parsed, SourceError> {
        parse(&decode(bytes).0)
    }

    #[test]
    fn a_long_declaration_naming_latin1_is_read_not_a_panic() {
        let long = format!(
            "<?xml version=\"1.0\" {} encoding=\"ISO-8859-1\" standalone=\"yes\"?>\n<rss version=\"2.0\"><channel><title>T</title><link>https://e.org/</link><description>d</description><item><title>Zinc stocks fall</title><description>Zinc stocks in exchange warehouses fell for a fifth week, traders said on Friday.</description></item></channel></rss>",
            " ".repeat(40)
        );
        assert_eq!(read(long.as_bytes()).unwrap().articles.len(), 1);
    }

    #[test]
    fn blank_lines_before_the_declaration_are_dropped_not_a_panic() {
        let feed = b"\n\n<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<rss version=\"2.0\"><channel><title>T</title><link>https://e.org/</link><description>d</description><item><title>Nickel output rises at Sudbury caf\xe9</title><description>Smelters raised nickel output for a third month running, the producers' group said on Tuesday.</description></item></channel></rss>";
        let (text, encoding) = decode(feed);
        assert_eq!(encoding, Some("windows-1252"));
        let parsed = parse(&text).unwrap();
        assert_eq!(
            parsed.articles[0].title.as_deref(),
            Some("Nickel output rises at Sudbury café")
        );
        assert_eq!(from_declaration(b"\xEF\xBB\xBF \n<?xml?>"), b"<?xml?>");
        assert_eq!(from_declaration(b"<rss/>"), b"<rss/>");
        assert_eq!(from_declaration(b" <rss/>"), b" <rss/>");
    }

    #[test]
    fn a_declaration_hidden_by_a_broken_tag_is_refused_not_a_panic() {
        // The third `feed_decode` find, shortened: a quote left open in the start tag swallows
        // the `<!--`, so the later declaration is markup to the XML reader.
        let feed = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"\"1.0\" enc\n<!--8859-1\"?>\n<feed><title>head</title>\n<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<feed><title>M\u{e9}taux</title></feed>";
        let err = parse(feed).unwrap_err();
        assert!(err.message.contains("not a valid"), "{}", err.message);
    }

    #[test]
    fn rss_items_become_articles() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Metals Daily</title><link>https://metals.example/</link><description>d</description>
<item><title>Nickel smelter restarts</title><link>https://metals.example/nickel</link><pubDate>Tue, 24 Nov 2026 07:00:00 GMT</pubDate>
<description>&lt;p&gt;The smelter restarted after a month of repairs.&lt;/p&gt;&lt;p&gt;Output will reach full capacity in March.&lt;/p&gt;</description></item>
<item><title></title><description></description></item>
</channel></rss>"#;
        let p = parse(rss).unwrap();
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
        let late = b"<rss version=\"2.0\"><channel><title>T</title>\n<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><item><title>A</title><description>b</description></item></channel></rss>";
        let err = read(late).unwrap_err();
        assert_eq!(err.line, Some(2));
        assert!(
            err.message.contains("may only open the document"),
            "{}",
            err.message
        );
        // Comments, CDATA and other processing instructions may hold the text freely.
        let fine = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><!-- <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?> --><?xml-stylesheet href=\"a\"?><item><title>Cobalt</title><description><![CDATA[<p>A feed may quote <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?> in its text.</p>]]></description></item></channel></rss>";
        assert_eq!(parse(fine).unwrap().articles.len(), 1);
    }

    #[test]
    fn not_a_feed() {
        assert!(
            read(b"<html><body>hi</body></html>")
                .unwrap_err()
                .message
                .contains("not a valid")
        );
    }
}
