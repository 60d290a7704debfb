//! Finding the article text of an HTML page: site chrome is cut out of the DOM first
//! ([`strip_chrome`]), then a Readability port (dom_smoothie) picks the main block, which is
//! sanitized (ammonia: the page is untrusted), turned into Markdown (dom_query) and cleaned
//! line by line ([`super::lines`]). Metadata (title, dates, authors, image) is not read here
//! but in [`super::meta`], from the untouched page.
//!
//! Precision first: what is *not* article text is decided by structure (tags, ARIA roles,
//! class and id words, link density) and by the wording of short lines, never by site.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use dom_query::{Document, NodeId, NodeRef};
use dom_smoothie::{Readability, ReadabilityError};
use regex::Regex;

use super::lines::{self, Cleaned};

/// Readability resolves relative links against the page URL and refuses to run without one.
const PLACEHOLDER_URL: &str = "https://localhost/";

/// Which way the body was found; shown in the ingest report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extractor {
    /// Readability on the page with its chrome cut out (the usual case).
    Cleaned,
    /// Readability on the whole page: the cleaned page had no article-like block left.
    Readability,
    /// No article-like block at all: every paragraph of the page, chrome cut out.
    Paragraphs,
}

impl Extractor {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Extractor::Cleaned => "readability+chrome-cut",
            Extractor::Readability => "readability",
            Extractor::Paragraphs => "page-paragraphs",
        }
    }
}

/// The article text of a page.
#[derive(Debug)]
pub(crate) struct Extracted {
    /// Readability's guess at the title (metadata is preferred when the page has it).
    pub title: String,
    pub paragraphs: Vec<String>,
    /// Bylines and date lines taken out of the text, for the metadata's last resort.
    pub bylines: Vec<String>,
    pub date_lines: Vec<String>,
    pub extractor: Extractor,
}

/// Extracts the article from `doc`, the parsed `html` (read for metadata already: it is cut
/// up here); `url` is the page's absolute URL and `headline` its metadata's title, when known.
pub(crate) fn extract(
    doc: Document,
    html: &str,
    url: Option<&str>,
    headline: Option<&str>,
) -> Result<Extracted, String> {
    let url = url.unwrap_or(PLACEHOLDER_URL);
    let title_hint = doc.select("title").text().trim().to_string();
    let cut = strip_chrome(&doc);
    let cleaned = readability(doc, url);
    let (title, content, extractor) = match cleaned {
        Ok(Some(found)) => (found.0, found.1, Extractor::Cleaned),
        Ok(None) | Err(ReadabilityError::GrabFailed) => {
            match readability(Document::from(html), url) {
                Ok(Some(found)) => (found.0, found.1, Extractor::Readability),
                Ok(None) | Err(ReadabilityError::GrabFailed) => {
                    let page = Document::from(html);
                    strip_chrome(&page);
                    let paragraphs: Vec<String> = page
                        .select("p")
                        .iter()
                        .map(|p| p.html().to_string())
                        .collect();
                    (title_hint, paragraphs.join("\n"), Extractor::Paragraphs)
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        Err(e) => return Err(e.to_string()),
    };
    let Cleaned {
        paragraphs,
        bylines,
        date_lines,
    } = lines::clean(super::to_paragraphs(&content), headline.unwrap_or(&title));
    // The text's own lines first, then what the cut chrome said.
    Ok(Extracted {
        title,
        paragraphs,
        bylines: bylines.into_iter().chain(cut.bylines).collect(),
        date_lines: date_lines.into_iter().chain(cut.dates).collect(),
        extractor,
    })
}

/// The body Markdown after the first stage(s) only, for the evaluation: Readability on the
/// page as it is (`cut: false`) or on the page with its chrome cut, without line cleaning.
pub(crate) fn partial(html: &str, cut: bool) -> Result<String, String> {
    let doc = Document::from(html);
    if cut {
        strip_chrome(&doc);
    }
    let mut reader =
        Readability::with_document(doc, Some(PLACEHOLDER_URL), None).map_err(|e| e.to_string())?;
    let article = reader.parse().map_err(|e| e.to_string())?;
    Ok(super::to_paragraphs(&article.content).join("\n\n"))
}

/// Fewer words than this in Readability's pick: treat it as no pick.
const MIN_PICK_WORDS: usize = 40;

/// Readability's title and content HTML, `None` when its pick is too small to be an article.
fn readability(doc: Document, url: &str) -> Result<Option<(String, String)>, ReadabilityError> {
    let mut reader = Readability::with_document(doc, Some(url), None)?;
    let article = reader.parse()?;
    let words = article.text_content.split_whitespace().count();
    if words < MIN_PICK_WORDS {
        return Ok(None);
    }
    Ok(Some((article.title, article.content.to_string())))
}

/// Elements that are never article text, whatever page they are on.
const CHROME_TAGS: &str = "script, style, noscript, template, svg, canvas, iframe, object, \
    embed, video, audio, form, button, select, textarea, input, label, nav, aside, footer, \
    figcaption, dialog, menu, img, picture, source, [hidden], [aria-hidden=true], \
    [role=navigation], [role=complementary], [role=contentinfo], [role=dialog], \
    [role=alertdialog], [role=menu], [role=toolbar], [itemprop=author], [rel=author]";

/// A class or id word that marks chrome: share bars, bylines, captions, related lists, ads…
static CHROME_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^(?:
            share|shares|sharing|sharebar|sharetools|social|socials|newsletter|newsletters
          | subscribe|subscription|signup|related|recommended|recommendations|recirc
          | recirculation|byline|bylines|author|authors|caption|captions|credit|credits
          | promo|promos|promoted|advert|adverts|advertisement|advertising|ad|ads|adslot
          | adunit|sponsor|sponsored|comment|comments|breadcrumb|breadcrumbs|tags|tagline
          | timestamp|toolbar|popup|modal|cookie|cookies|outbrain|taboola|trending|popular
          | bio|disclaimer|meta|dateline_?meta|published|updated|pubdate|nav|navigation
          | menu|sidebar|widget|widgets|footer|header|masthead|paywall|donate|slideshow
          | carousel|gallery|readmore|more|next|prev|previous|pagination|pager
          | rating|reactions|follow|overlay|skip|sronly|visuallyhidden|print|email
          | teaser|teasers|headlines|latest|topics|keywords|categories|hidden
        )$",
    )
    .expect("valid regex")
});

/// Byline elements: their text names the authors.
const BYLINE_TAGS: &str = "[itemprop=author], [rel=author], [class*=byline], [class*=Byline], \
    [class*=author], [class*=Author]";

/// Elements that may hold the publication date as text.
const DATE_TAGS: &str = "time, [class*=date], [class*=Date], [class*=time], [class*=Time], \
    [class*=publish], [class*=Publish], [class*=updated]";

/// Bylines longer than this are not bylines (an author box with a biography).
const MAX_BYLINE_WORDS: usize = 12;

/// What the page said in the chrome that was cut: the metadata's last resort.
#[derive(Debug, Default)]
pub(crate) struct Cut {
    pub bylines: Vec<String>,
    pub dates: Vec<String>,
}

/// Cuts site chrome out of `doc` in place: chrome elements by tag and role, and elements whose
/// class or id names chrome — unless they hold the page's main text block. Returns the text
/// of the byline and date elements, for the metadata.
pub(crate) fn strip_chrome(doc: &Document) -> Cut {
    // Comment forms and threads name their own "authors"; dates there come after the page's.
    let short = |sel: &str, max: usize, names: bool| -> Vec<String> {
        doc.select(sel)
            .nodes()
            .iter()
            .filter(|n| !(names && in_form_or_comments(n)))
            .map(spaced_text)
            .filter(|t| (1..=max).contains(&word_count(t)))
            .collect()
    };
    let cut = Cut {
        bylines: short(BYLINE_TAGS, MAX_BYLINE_WORDS, true),
        dates: short(DATE_TAGS, 16, false),
    };
    doc.select(CHROME_TAGS).remove();
    // Figures hold images, captions and credits; a figure around a table keeps the table.
    for figure in doc.select("figure").nodes() {
        if figure.find(&["table"]).is_empty() {
            figure.remove_from_parent();
        }
    }
    let Some(main) = main_block(doc) else {
        return cut;
    };
    let protected: HashSet<NodeId> = std::iter::once(main.id)
        .chain(main.ancestors_it(None).map(|n| n.id))
        .collect();
    let mut doomed = Vec::new();
    for node in doc.select("[class], [id]").nodes() {
        // Table structure is the table's, whatever its classes say (`player-row`).
        if protected.contains(&node.id)
            || node.is("tr, td, th, thead, tbody, tfoot, caption, col, colgroup")
            || !names_chrome(node)
        {
            continue;
        }
        // A long paragraph is text whatever its class says (`class="lead-author-note"`).
        if node.has_name("p") && word_count(&node.text()) > 60 {
            continue;
        }
        doomed.push(*node);
    }
    for node in doomed {
        node.remove_from_parent();
    }
    cut
}

/// Inside a form or a comment thread.
fn in_form_or_comments(node: &NodeRef) -> bool {
    std::iter::once(*node)
        .chain(node.ancestors_it(None))
        .any(|a| {
            a.has_name("form")
                || a.class()
                    .is_some_and(|c| c.to_ascii_lowercase().contains("comment"))
                || a.id_attr()
                    .is_some_and(|i| i.to_ascii_lowercase().contains("comment"))
        })
}

/// The element's text with its text pieces kept apart (`<span>Ann Reed</span><span>AP</span>`
/// is "Ann Reed AP", not "Ann ReedAP").
fn spaced_text(node: &NodeRef) -> String {
    let pieces: Vec<String> = node
        .descendants_it()
        .filter(|n| n.is_text())
        .map(|n| n.text().to_string())
        .collect();
    crate::ingest::normalize::clean_line(&pieces.join(" "))
}

/// Whether the element's class or id words name chrome (`share-bar`, `articleByline`).
fn names_chrome(node: &NodeRef) -> bool {
    let mut names = String::new();
    if let Some(c) = node.class() {
        names.push_str(&c);
    }
    names.push(' ');
    if let Some(i) = node.id_attr() {
        names.push_str(&i);
    }
    split_name_words(&names).any(|w| CHROME_WORD.is_match(&w))
}

/// `articleByline share-bar__item` → `article`, `byline`, `share`, `bar`, `item`.
fn split_name_words(names: &str) -> impl Iterator<Item = String> + '_ {
    names
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            let mut words = Vec::new();
            let mut cur = String::new();
            let mut prev_lower = false;
            for c in w.chars() {
                if c.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
                cur.push(c.to_ascii_lowercase());
            }
            if !cur.is_empty() {
                words.push(cur);
            }
            words
        })
}

/// The element holding the most paragraph text directly (the crude main block that chrome
/// removal must never touch).
fn main_block<'a>(doc: &'a Document) -> Option<NodeRef<'a>> {
    let mut words: Vec<(NodeId, usize)> = Vec::new();
    let mut slot: HashMap<NodeId, usize> = HashMap::new();
    for p in doc.select("p").nodes() {
        let n = word_count(&p.text());
        if n < 8 {
            continue;
        }
        let Some(parent) = p.parent() else { continue };
        let i = *slot.entry(parent.id).or_insert_with(|| {
            words.push((parent.id, 0));
            words.len() - 1
        });
        words[i].1 += n;
    }
    // The first of equals wins, so the result does not depend on hashing.
    let best = words.iter().rev().max_by_key(|(_, w)| *w)?.0;
    Some(NodeRef::new(best, &doc.tree))
}

pub(crate) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names_are_split_into_words() {
        let words: Vec<String> = split_name_words("articleByline share-bar__item x2").collect();
        assert_eq!(words, ["article", "byline", "share", "bar", "item", "x2"]);
    }

    #[test]
    fn chrome_is_cut_but_the_main_block_stays() {
        let doc = Document::from(
            r#"<body><div class="post-meta-wrapper"><article class="article-body">
            <p class="byline">By Ann Reed</p>
            <p>The first paragraph of the story has more than eight words in it.</p>
            <div class="share-tools">Share on X</div>
            <p>The second paragraph of the story has more than eight words too.</p>
            </article></div><div class="related-links"><p>Another story entirely, with eight words or more.</p></div></body>"#,
        );
        strip_chrome(&doc);
        let text = doc.select("body").text().to_string();
        assert!(text.contains("first paragraph") && text.contains("second paragraph"));
        assert!(!text.contains("Ann Reed"), "{text}");
        assert!(!text.contains("Share on"), "{text}");
        assert!(!text.contains("Another story"), "{text}");
    }
}
