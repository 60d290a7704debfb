//! `briefing check`: everything a build validates (config, content, templates), plus every
//! internal link and `#anchor` of the rendered site — without writing any output. Each
//! problem names the file it comes from: the article's Markdown file for links in article
//! bodies, else the template of the page.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use regex::Regex;

use crate::error::Diagnostic;

/// A rendered page to check: its output path, where its text comes from, and its HTML.
pub struct PageToCheck {
    pub path: String,
    pub origin: PathBuf,
    pub html: String,
}

/// Checks the links of `pages` against the set of all output files (pages included).
pub fn links(pages: &[PageToCheck], other_files: &HashSet<String>) -> Vec<Diagnostic> {
    let attr = Regex::new(r#"\s(?:href|src)\s*=\s*"([^"]*)""#).expect("valid regex");
    let id = Regex::new(r#"\sid\s*=\s*"([^"]*)""#).expect("valid regex");
    let ids: HashMap<&str, HashSet<String>> = pages
        .iter()
        .map(|p| {
            (
                p.path.as_str(),
                id.captures_iter(&p.html).map(|c| unescape(&c[1])).collect(),
            )
        })
        .collect();
    let exists = |path: &str| ids.contains_key(path) || other_files.contains(path);
    let mut problems = Vec::new();
    for page in pages {
        for cap in attr.captures_iter(&page.html) {
            let link = unescape(&cap[1]);
            if let Some(message) = check_link(&page.path, &link, &exists, &ids) {
                problems.push(Diagnostic::new(
                    &page.origin,
                    format!("in {}: {message}", page.path),
                ));
            }
        }
    }
    problems.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    problems.dedup();
    problems
}

fn check_link(
    from: &str,
    link: &str,
    exists: &impl Fn(&str) -> bool,
    ids: &HashMap<&str, HashSet<String>>,
) -> Option<String> {
    let lower = link.to_ascii_lowercase();
    if lower.starts_with("javascript:") {
        return Some(format!("link `{link}` runs script"));
    }
    if lower.contains("://")
        || lower.starts_with("//")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("data:")
    {
        return None;
    }
    if link.starts_with('/') {
        return Some(format!(
            "link `{link}` is root-absolute; internal links must be relative"
        ));
    }
    let (path_part, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (link, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let target = if path_part.is_empty() {
        from.to_string()
    } else {
        match resolve(from, path_part) {
            Some(t) => t,
            None => return Some(format!("link `{link}` leaves the site")),
        }
    };
    let target = if target.is_empty()
        || target.ends_with('/')
        || !exists(&target) && exists(&format!("{target}/index.html"))
    {
        format!(
            "{}{}index.html",
            target,
            if target.is_empty() || target.ends_with('/') {
                ""
            } else {
                "/"
            }
        )
    } else {
        target
    };
    if !exists(&target) {
        return Some(format!("broken link `{link}`: {target} does not exist"));
    }
    match (fragment, ids.get(target.as_str())) {
        (Some(f), Some(page_ids)) if !f.is_empty() && !page_ids.contains(f) => Some(format!(
            "broken anchor `{link}`: {target} has no element with id \"{f}\""
        )),
        _ => None,
    }
}

/// `from`'s folder joined with a relative `link`; `None` when it climbs above the root.
fn resolve(from: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if link.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> PageToCheck {
        PageToCheck {
            path: path.into(),
            origin: PathBuf::from(format!("src-of-{path}")),
            html: html.into(),
        }
    }

    #[test]
    fn finds_broken_links_and_anchors() {
        let pages = vec![
            page(
                "index.html",
                r#"<a href="a/index.html#top">ok</a> <a href="a/">dir</a> <a href="b/index.html">x</a>"#,
            ),
            page(
                "a/index.html",
                r#"<h2 id="top">T</h2><a href="../index.html#nope">bad anchor</a><a href="/abs">abs</a>"#,
            ),
        ];
        let problems = links(&pages, &HashSet::new());
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 3, "{text:#?}");
        assert!(text.iter().any(|t| t.contains("src-of-index.html: in index.html: broken link `b/index.html`")));
        assert!(
            text.iter()
                .any(|t| t.contains("broken anchor `../index.html#nope`"))
        );
        assert!(text.iter().any(|t| t.contains("root-absolute")));
    }

    #[test]
    fn resolve_relative_paths() {
        assert_eq!(
            resolve("2026/11/26/x/index.html", "../../../../style.css").as_deref(),
            Some("style.css")
        );
        assert_eq!(resolve("index.html", "../x"), None);
    }
}
