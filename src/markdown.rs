//! Markdown body → HTML with pulldown-cmark, plus the numbers pages show (word count, reading
//! time). Headings get ids (de-duplicated per article); raw HTML is escaped unless the site
//! allows it. This module knows nothing about files or front matter.

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
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
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
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        if !f(&rest[..i]) {
            return;
        }
        let close = if rest.as_bytes()[i] == b'<' { '>' } else { ';' };
        rest = match rest[i..].find(close) {
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
    fn footnotes_are_prefixed() {
        let r = render("A[^1].\n\n[^1]: Note.", false, "a-");
        assert!(r.html.contains("a-fn-1"), "{}", r.html);
    }
}
