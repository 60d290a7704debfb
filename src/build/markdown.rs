//! Markdown body → HTML with pulldown-cmark, plus the numbers pages show (word count, reading
//! time). Headings get ids (de-duplicated per article); raw HTML is escaped unless the site
//! allows it. This module knows nothing about files or front matter.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Words read per minute, for the reading time shown on pages.
const WORDS_PER_MINUTE: usize = 220;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub word_count: usize,
    /// Whole minutes, at least 1.
    pub reading_time: usize,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders `body`. `allow_html` keeps raw HTML blocks and inline tags; otherwise they are
/// shown as text. Footnote anchors are prefixed with `id_prefix` so that several articles on
/// one page cannot collide.
pub fn render(body: &str, allow_html: bool, id_prefix: &str) -> Rendered {
    let mut events: Vec<Event<'_>> = Parser::new_ext(body, options()).collect();
    let mut word_count = 0;
    let mut used_ids: Vec<String> = Vec::new();
    // Links can't nest: one flag is enough to drop the end of a link whose start was dropped.
    let mut dropped_link = false;
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Text(t) | Event::Code(t) => word_count += count_words(t),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let base = match id {
                    Some(given) => given.to_string(),
                    None => heading_slug(&events[i + 1..]),
                };
                let unique = unique_id(&base, &mut used_ids);
                events[i] = Event::Start(Tag::Heading {
                    level: demote(*level),
                    id: Some(CowStr::from(unique)),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                });
            }
            Event::End(TagEnd::Heading(level)) => {
                events[i] = Event::End(TagEnd::Heading(demote(*level)))
            }
            Event::Html(h) | Event::InlineHtml(h) if !allow_html => {
                events[i] = Event::Text(h.clone())
            }
            Event::Start(Tag::Link { dest_url, .. }) if !is_safe_url(dest_url) => {
                events[i] = Event::Text(CowStr::from(""));
                dropped_link = true;
            }
            Event::End(TagEnd::Link) if dropped_link => {
                events[i] = Event::Text(CowStr::from(""));
                dropped_link = false;
            }
            Event::Start(Tag::Image { dest_url, .. }) if !is_safe_url(dest_url) => {
                // The alt text that follows stays, as plain text.
                events[i] = Event::Text(CowStr::from(""));
                dropped_link = true;
            }
            Event::End(TagEnd::Image) if dropped_link => {
                events[i] = Event::Text(CowStr::from(""));
                dropped_link = false;
            }
            Event::FootnoteReference(label) => {
                events[i] =
                    Event::FootnoteReference(CowStr::from(format!("{id_prefix}fn-{label}")));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                events[i] = Event::Start(Tag::FootnoteDefinition(CowStr::from(format!(
                    "{id_prefix}fn-{label}"
                ))));
            }
            _ => {}
        }
        i += 1;
    }
    let mut html = String::with_capacity(body.len() + body.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if allow_html {
        html = sanitize(&html);
    }
    let reading_time = word_count.div_ceil(WORDS_PER_MINUTE).max(1);
    Rendered {
        html,
        word_count,
        reading_time,
    }
}

/// Whitespace-separated tokens holding at least one letter or digit (so a lone dash or
/// bullet is not a word).
fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count();
    }
    // The same count a byte at a time (every body's text goes through here). ASCII
    // whitespace as `char::is_whitespace` has it: space and \t \n \x0b \x0c \r.
    let mut count = 0;
    let mut alnum = false;
    for &b in text.as_bytes() {
        if b == b' ' || (b'\t'..=b'\r').contains(&b) {
            count += usize::from(alnum);
            alnum = false;
        } else {
            alnum |= b.is_ascii_alphanumeric();
        }
    }
    count + usize::from(alnum)
}

/// Links and images may point at the web, at e-mail, or within the site; never at
/// `javascript:`, `vbscript:` or `data:` URLs, which run or smuggle code in a reader's browser.
fn is_safe_url(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    !(lower.starts_with("javascript:")
        || lower.starts_with("vbscript:")
        || lower.starts_with("data:"))
}

/// Raw HTML kept by `allow_html` still goes through ammonia: ordinary markup stays, scripts,
/// event handlers and script URLs go.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

/// A one-line field — a title or a summary bullet — rendered as inline Markdown: the HTML to
/// show on pages and in emails, and the plain text a reader sees (for `<title>`, meta and
/// OpenGraph tags, feeds and the search index). One rule for every place a summary appears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inline {
    pub html: String,
    pub text: String,
}

/// The HTML of an [`Inline`] as a loaded article keeps it: nothing when it is the plain text
/// escaped, as for most titles and summary bullets (no code, emphasis or links), so that an
/// archive does not hold each of them twice (#16). [`Markup::html`] gives it back either way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Markup(Option<Box<str>>);

/// The markup of a field without any: its HTML is its text escaped.
pub static PLAIN: Markup = Markup(None);

impl Markup {
    /// `inline` as its plain text and the HTML to keep beside it.
    pub fn split(inline: Inline) -> (String, Markup) {
        let mut escaped = String::with_capacity(inline.html.len());
        push_escaped(&mut escaped, &inline.text);
        let html = (escaped != inline.html).then(|| inline.html.into_boxed_str());
        (inline.text, Markup(html))
    }

    /// The HTML of the field whose plain text is `text`.
    pub fn html<'a>(&'a self, text: &str) -> Cow<'a, str> {
        match &self.0 {
            Some(html) => Cow::Borrowed(html),
            None => {
                let mut html = String::with_capacity(text.len() + 8);
                push_escaped(&mut html, text);
                Cow::Owned(html)
            }
        }
    }
}

/// Renders `source` as inline Markdown: code spans, emphasis, strong emphasis,
/// strikethrough and, when `links` is set, links to `http(s)://` and `mailto:` addresses
/// (any other link keeps only its text). Raw HTML is shown as text, never passed through;
/// an image shows its alt text. Line breaks count as spaces, and what would start a block
/// (`# `, `- `, `1. `, `> `, a link definition) is taken as written.
pub fn inline(source: &str, links: bool) -> Inline {
    let line = source.split_whitespace().collect::<Vec<_>>().join(" ");
    let line = escape_block_start(&line);
    let mut html = String::with_capacity(line.len() + 16);
    let mut text = String::with_capacity(line.len());
    // Links can't nest: one flag is enough to drop the end of a link whose start was dropped.
    let mut open_link = false;
    for event in Parser::new_ext(&line, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                push_escaped(&mut html, &t);
                text.push_str(&t);
            }
            Event::Code(t) => {
                html.push_str("<code>");
                push_escaped(&mut html, &t);
                html.push_str("</code>");
                text.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak => {
                html.push(' ');
                text.push(' ');
            }
            Event::Start(Tag::Emphasis) => html.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => html.push_str("</em>"),
            Event::Start(Tag::Strong) => html.push_str("<strong>"),
            Event::End(TagEnd::Strong) => html.push_str("</strong>"),
            Event::Start(Tag::Strikethrough) => html.push_str("<del>"),
            Event::End(TagEnd::Strikethrough) => html.push_str("</del>"),
            Event::Start(Tag::Link { dest_url, .. }) if links && is_web_or_mail(&dest_url) => {
                html.push_str("<a href=\"");
                let _ = pulldown_cmark_escape::escape_href(&mut html, &dest_url);
                html.push_str("\">");
                open_link = true;
            }
            Event::End(TagEnd::Link) if open_link => {
                html.push_str("</a>");
                open_link = false;
            }
            // Paragraphs, dropped links, images (their alt text is kept as Text): no markup.
            _ => {}
        }
    }
    Inline {
        html: html.trim_end().to_string(),
        text: text.trim().to_string(),
    }
}

fn push_escaped(html: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(html, text);
}

/// Only absolute web and e-mail links make sense in a summary, which is shown on many pages
/// and in feeds: a relative link would point somewhere else on each.
fn is_web_or_mail(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// A backslash before what would open a block (heading, list item, quote, thematic break,
/// fence, link reference definition), so that a one-line field renders as written.
fn escape_block_start(line: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    let bytes = line.as_bytes();
    let first = bytes.first().copied().unwrap_or(b' ');
    let second = bytes.get(1).copied().unwrap_or(b' ');
    let escape_first = match first {
        b'#' | b'>' => true,
        b'-' | b'+' | b'*' if second == b' ' || bytes.len() == 1 => true,
        b'-' | b'*' | b'_' => line.chars().all(|c| c == first as char || c == ' '),
        b'`' | b'~' => line.starts_with("```") || line.starts_with("~~~"),
        b'[' => line.find("]:").is_some_and(|i| !line[..i].contains(']')),
        b'=' => true,
        _ => false,
    };
    if escape_first {
        return Cow::Owned(format!("\\{line}"));
    }
    // `1. ` or `1) ` opens an ordered list.
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && matches!(bytes.get(digits + 1), None | Some(b' '))
    {
        return Cow::Owned(format!("{}\\{}", &line[..digits], &line[digits..]));
    }
    Cow::Borrowed(line)
}

/// The page's `<h1>` is the article title, so body headings start at `<h2>`.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    }
}

fn heading_slug(rest: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in rest {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    let s = slug::slugify(&text);
    if s.is_empty() { "section".into() } else { s }
}

fn unique_id(base: &str, used: &mut Vec<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.push(candidate.clone());
    candidate
}

/// Calls `f` with the runs of text of rendered HTML, in order: tags and character references
/// (`&amp;`) are skipped, as neither holds a word. `f` returns `false` to stop early.
pub(crate) fn text_runs(html: &str, mut f: impl FnMut(&str) -> bool) {
    // Byte searches (memchr): `<`, `&`, `>` and `;` are ASCII, so every cut is at a char
    // boundary. The search index reads every body through here: it must be fast.
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        if !f(&rest[..i]) {
            return;
        }
        let close = if rest.as_bytes()[i] == b'<' {
            b'>'
        } else {
            b';'
        };
        rest = match memchr::memchr(close, &rest.as_bytes()[i..]) {
            Some(end) => &rest[i + end + 1..],
            None => "",
        };
    }
    f(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids_and_h1_is_demoted() {
        let r = render("# Top\n\n## Top\n\ntext here", false, "");
        assert!(r.html.contains("<h2 id=\"top\">Top</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"top-1\">Top</h2>"), "{}", r.html);
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let r = render("<script>alert(1)</script>\n\nhi <b>x</b>", false, "");
        assert!(!r.html.contains("<script>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
        let r = render("hi <b>x</b>", true, "");
        assert!(r.html.contains("<b>x</b>"), "{}", r.html);
    }

    #[test]
    fn words_are_counted_as_whitespace_separated_tokens_with_a_letter_or_digit() {
        for text in [
            "",
            "   ",
            "one two  three",
            " lead and trail ",
            "a - b -- c \u{2014} d",
            "tab\tnew\nline\x0bvt\x0cff\rcr",
            "x\u{a0}y caf\u{e9} \u{201c}q\u{201d} 5%",
            "--- *** 1 ",
        ] {
            let by_split = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            assert_eq!(count_words(text), by_split, "{text:?}");
        }
    }

    #[test]
    fn words_and_reading_time() {
        let body = "word ".repeat(450);
        let r = render(&body, false, "");
        assert_eq!(r.word_count, 450);
        assert_eq!(r.reading_time, 3);
        assert_eq!(render("", false, "").reading_time, 1);
    }

    #[test]
    fn script_urls_are_dropped_but_their_text_stays() {
        let r = render(
            "[click](javascript:alert(1)) and ![pic](data:image/png;base64,AAAA) and [ok](https://e.org/)",
            false,
            "",
        );
        assert!(!r.html.contains("javascript:"), "{}", r.html);
        assert!(!r.html.contains("data:"), "{}", r.html);
        assert!(r.html.contains("click"), "{}", r.html);
        assert!(r.html.contains("pic"), "{}", r.html);
        assert!(
            r.html.contains("<a href=\"https://e.org/\">ok</a>"),
            "{}",
            r.html
        );
        let r = render("[x]( JaVaScRiPt:alert(1))", false, "");
        assert!(
            !r.html.to_ascii_lowercase().contains("javascript"),
            "{}",
            r.html
        );
    }

    #[test]
    fn allowed_raw_html_is_still_sanitized() {
        let r = render(
            "<table><tr><td onclick=\"alert(1)\">cell</td></tr></table>\n\n<script>alert(2)</script>\n\n## Kept {#kept}",
            true,
            "",
        );
        assert!(r.html.contains("<td>cell</td>"), "{}", r.html);
        assert!(
            !r.html.contains("onclick") && !r.html.contains("<script"),
            "{}",
            r.html
        );
        assert!(r.html.contains("id=\"kept\""), "{}", r.html);
    }

    #[test]
    fn inline_fields_render_code_emphasis_and_web_links_only() {
        let r = inline(
            "Run `briefing build` for *all* of **it**, ~~not~~ [docs](https://e.org/a?b=1&c=2)",
            true,
        );
        assert_eq!(
            r.html,
            "Run <code>briefing build</code> for <em>all</em> of <strong>it</strong>, <del>not</del> <a href=\"https://e.org/a?b=1&amp;c=2\">docs</a>"
        );
        assert_eq!(r.text, "Run briefing build for all of it, not docs");
        // Titles take no links; script and relative links keep only their text.
        assert_eq!(inline("[a](https://e.org/) b", false).html, "a b");
        assert_eq!(inline("[x](javascript:alert(1))", true).html, "x");
        assert_eq!(inline("[x](../y/index.html)", true).html, "x");
    }

    #[test]
    fn markup_is_kept_only_where_the_html_is_not_the_text_escaped() {
        for (source, kept) in [
            ("Oil & gas \"talks\" in <Riyadh>", false),
            ("Plain words only", false),
            ("A `code` span", true),
            ("*Emphasis* here", true),
            ("See [the report](https://example.org/r)", true),
        ] {
            let whole = inline(source, true);
            let (text, markup) = Markup::split(whole.clone());
            assert_eq!(text, whole.text, "{source}");
            assert_eq!(markup != PLAIN, kept, "{source}");
            assert_eq!(markup.html(&text), whole.html, "{source}");
        }
    }

    #[test]
    fn inline_fields_never_pass_raw_html() {
        let r = inline("<script>alert(1)</script> & <b onclick=x>b</b>", true);
        assert_eq!(
            r.html,
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b onclick=x&gt;b&lt;/b&gt;"
        );
        assert_eq!(r.text, "<script>alert(1)</script> & <b onclick=x>b</b>");
        let r = inline("![<img src=x onerror=alert(1)>](https://e.org/i.png)", true);
        assert_eq!(r.html, "&lt;img src=x onerror=alert(1)&gt;");
        let r = inline("<div>block</div>", true);
        assert_eq!(r.html, "&lt;div&gt;block&lt;/div&gt;");
    }

    #[test]
    fn block_syntax_at_the_start_is_taken_as_written() {
        for line in [
            "# Not a heading",
            "- not a list",
            "1. not a list",
            "2026) a year",
            "> not a quote",
            "---",
            "[label]: https://e.org/",
            "```",
        ] {
            let r = inline(line, true);
            assert_eq!(r.text, line, "{line}");
        }
        assert_eq!(inline("*Breaking*: x", true).html, "<em>Breaking</em>: x");
        assert_eq!(inline("two\nlines", true).text, "two lines");
    }

    #[test]
    fn footnotes_are_prefixed() {
        let r = render("A[^1].\n\n[^1]: Note.", false, "a-");
        assert!(r.html.contains("a-fn-1"), "{}", r.html);
    }
}
