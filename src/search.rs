//! The offline search index: written at build time as plain JavaScript files loaded with
//! `<script src>` (which, unlike `fetch`, also works from `file://`). One shard per year keeps
//! each file small however many years the briefing runs; the page loads the newest shard
//! first. Each shard holds the article records and an inverted index of the words of title,
//! summary and body, with delta-encoded base-36 postings.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::content::Article;
use crate::feeds::File;
use crate::pages::{self, Site};

/// Words shorter than this are not indexed (the client ignores them too).
const MIN_WORD: usize = 3;

/// Very common English words: indexing them would only make shards bigger.
const STOPWORDS: &[&str] = &[
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was",
    "one", "our", "out", "has", "have", "his", "how", "its", "may", "new", "now", "she", "that",
    "this", "with", "from", "they", "will", "would", "there", "their", "what", "about", "which",
    "when", "were", "been", "than", "them", "then", "these", "some", "into", "also", "said",
    "more", "other", "over", "such", "who", "while", "after", "before", "being",
];

#[derive(Serialize)]
struct Manifest<'a> {
    /// Shard names, newest first.
    shards: Vec<String>,
    min_word: usize,
    stopwords: &'a [&'a str],
}

#[derive(Serialize)]
struct Shard {
    /// `[title, url, date, topic name, summary]` per article, newest first.
    docs: Vec<[String; 5]>,
    /// word → comma-separated base-36 gaps between document numbers.
    words: BTreeMap<String, String>,
}

/// `search/index.js` and one `search/<year>.js` per year of articles.
pub fn write_all(site: &Site<'_>) -> Vec<File> {
    let mut years: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, a) in site.digest.articles.iter().enumerate() {
        years
            .entry(chrono::Datelike::year(&a.day))
            .or_default()
            .push(i);
    }
    let mut files = Vec::new();
    let mut names = Vec::new();
    for (year, indices) in years.iter().rev() {
        let name = year.to_string();
        let shard = build_shard(site, indices);
        let json = serde_json::to_string(&shard).expect("shards serialize");
        files.push((
            format!("search/{name}.js"),
            format!("briefingSearchShard(\"{name}\",{json});\n").into_bytes(),
        ));
        names.push(name);
    }
    let manifest = Manifest {
        shards: names,
        min_word: MIN_WORD,
        stopwords: STOPWORDS,
    };
    let json = serde_json::to_string(&manifest).expect("manifest serializes");
    files.push((
        "search/index.js".into(),
        format!("window.BRIEFING_SEARCH={json};\n").into_bytes(),
    ));
    files
}

fn build_shard(site: &Site<'_>, indices: &[usize]) -> Shard {
    let mut postings: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut docs = Vec::with_capacity(indices.len());
    for (n, &i) in indices.iter().enumerate() {
        let a: &Article = &site.digest.articles[i];
        let topic = site
            .topic_refs
            .iter()
            .find(|r| r.slug == a.topic)
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let summary = a.summary.join(" ");
        let mut words = Vec::new();
        for text in [
            a.title.as_str(),
            summary.as_str(),
            a.dateline.as_deref().unwrap_or(""),
        ] {
            words.extend(words_of(text));
        }
        words.extend(words_of(&strip_tags(&a.html)));
        words.sort_unstable();
        words.dedup();
        for w in words {
            postings.entry(w).or_default().push(n);
        }
        docs.push([
            a.title.clone(),
            pages::article_url(a),
            a.day.to_string(),
            topic,
            summary,
        ]);
    }
    let words = postings
        .into_iter()
        .map(|(w, list)| (w, encode_postings(&list)))
        .collect();
    Shard { docs, words }
}

/// Lower-case, accent-free words as the client computes them from a query.
pub fn words_of(text: &str) -> Vec<String> {
    deunicode::deunicode(text)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= MIN_WORD && !STOPWORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// The text of rendered HTML: tags dropped, the few entities pulldown-cmark writes decoded.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn encode_postings(list: &[usize]) -> String {
    let mut out = String::new();
    let mut prev = 0;
    for (k, &n) in list.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        out.push_str(&base36(n - prev));
        prev = n;
    }
    out
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".into();
    }
    let mut buf = Vec::new();
    while n > 0 {
        buf.push(DIGITS[n % 36]);
        n /= 36;
    }
    buf.reverse();
    String::from_utf8(buf).expect("ascii digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_filtered() {
        assert_eq!(
            words_of("The Zürich Lithium-deal, and AI"),
            ["zurich", "lithium", "deal"]
        );
    }

    #[test]
    fn postings_are_delta_encoded_in_base36() {
        assert_eq!(encode_postings(&[0, 5, 41, 42]), "0,5,10,1");
    }

    #[test]
    fn tags_are_stripped() {
        assert_eq!(
            strip_tags("<p>A &amp; B</p><h2 id=\"x\">C</h2>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["A", "&", "B", "C"]
        );
    }
}
