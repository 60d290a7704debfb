//! The offline search index: written at build time as plain JavaScript files loaded with
//! `<script src>` (which, unlike `fetch`, also works from `file://`). One shard per month keeps
//! each file small however many years the briefing runs; the page loads the newest shard
//! first. Each shard holds the article records and an inverted index of the words of title,
//! summary and body, with delta-encoded base-36 postings.

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap, FxHashSet};

use rayon::prelude::*;

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
    /// `[title, url, date (YYYY-MM-DD), topic name, [summary bullets], date as pages show
    /// it]` per article, newest first; all plain text.
    docs: Vec<Doc>,
    /// word → comma-separated base-36 gaps between document numbers.
    words: BTreeMap<String, String>,
}

/// `search/index.js` and one `search/<YYYY-MM>.js` per month of articles.
pub fn write_all(site: &Site<'_>) -> Vec<File> {
    let months = months(site);
    let mut files = Vec::with_capacity(months.len() + 1);
    for (name, indices) in &months {
        let words: Vec<Words> = indices
            .par_iter()
            .map(|&i| Words::of(&site.digest.articles[i]))
            .collect();
        let words: Vec<&Words> = words.iter().collect();
        files.push(shard_file(site, name, indices, &words));
    }
    let mut names: Vec<String> = months.into_iter().map(|(name, _)| name).collect();
    if let Some(shard) = entity_shard(site) {
        files.push(shard);
        names.insert(0, ENTITY_SHARD.into());
    }
    files.push(manifest_file(names));
    files
}

/// The shard of the entity pages (listed first in the manifest, so loaded first).
pub(crate) const ENTITY_SHARD: &str = "entities";

/// `search/entities.js`: one record per entity page (name, url, day of its newest article,
/// kind and article count), indexed by the words of its name. None without entity pages.
pub(crate) fn entity_shard(site: &Site<'_>) -> Option<File> {
    let entities = &site.story.entities;
    if !site.theme.entities || entities.is_empty() {
        return None;
    }
    let mut docs = Vec::with_capacity(entities.len());
    let mut postings: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (n, e) in entities.iter().enumerate() {
        let newest = e.articles.first().map(|&i| site.digest.articles[i].day);
        let kind = match e.kind {
            crate::story::Kind::Organization => "Organization",
            crate::story::Kind::Person => "Person",
            crate::story::Kind::Place => "Place",
        };
        let count = e.articles.len();
        docs.push((
            e.name.clone(),
            pages::entity_url(&e.slug),
            newest.map(|d| d.to_string()).unwrap_or_default(),
            format!(
                "{kind}, {count} article{}",
                if count == 1 { "" } else { "s" }
            ),
            Vec::new(),
            newest
                .map(pages::date_display)
                .unwrap_or_default(),
        ));
        for w in words_of(&e.name) {
            postings.entry(w).or_default().push(n);
        }
    }
    let words = postings
        .into_iter()
        .map(|(w, list)| (w, encode_postings(&list)))
        .collect();
    let json = serde_json::to_string(&Shard { docs, words }).expect("shards serialize");
    Some((
        format!("search/{ENTITY_SHARD}.js"),
        format!("briefingSearchShard(\"{ENTITY_SHARD}\",{json});\n").into_bytes(),
    ))
}

/// Indices of the site's articles by month (`YYYY-MM`), newest month first; each month's
/// articles in site order (newest first). Each month is one shard.
pub(crate) fn months(site: &Site<'_>) -> Vec<(String, Vec<usize>)> {
    let mut months: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, a) in site.digest.articles.iter().enumerate() {
        months
            .entry(a.day.format("%Y-%m").to_string())
            .or_default()
            .push(i);
    }
    months.into_iter().rev().collect()
}

/// `search/<name>.js` of the articles `indices`; `words[k]` are the words of `indices[k]`.
pub(crate) fn shard_file(site: &Site<'_>, name: &str, indices: &[usize], words: &[&Words]) -> File {
    let shard = build_shard(site, indices, words);
    let json = serde_json::to_string(&shard).expect("shards serialize");
    (
        format!("search/{name}.js"),
        format!("briefingSearchShard(\"{name}\",{json});\n").into_bytes(),
    )
}

/// `search/index.js`: the shard names, newest first.
pub(crate) fn manifest_file(shards: Vec<String>) -> File {
    let manifest = Manifest {
        shards,
        min_word: MIN_WORD,
        stopwords: STOPWORDS,
    };
    let json = serde_json::to_string(&manifest).expect("manifest serializes");
    (
        "search/index.js".into(),
        format!("window.BRIEFING_SEARCH={json};\n").into_bytes(),
    )
}

/// The distinct indexed words of one article (title, summary, dateline, body), in no
/// particular order. Finding them is most of the index's cost, so the preview server keeps
/// them per article between rebuilds. Stored as one space-separated string: one allocation
/// per article instead of one per word.
#[derive(Debug, Clone)]
pub(crate) struct Words(Box<str>);

impl Words {
    pub(crate) fn of(a: &Article) -> Words {
        let mut words = WordSet::default();
        for text in [
            a.title.as_str(),
            &a.summary.join(" "),
            a.dateline.as_deref().unwrap_or(""),
        ] {
            words.add_text(text);
        }
        words.add_html(&a.html);
        Words(words.into_words().join(" ").into_boxed_str())
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split(' ').filter(|w| !w.is_empty())
    }
}

/// One search result, serialized as a JSON array to keep shards small.
type Doc = (String, String, String, String, Vec<String>, String);

fn build_shard(site: &Site<'_>, indices: &[usize], words: &[&Words]) -> Shard {
    let docs = indices
        .iter()
        .map(|&i| {
            let a: &Article = &site.digest.articles[i];
            let topic = site
                .topic_refs
                .iter()
                .find(|r| r.slug == a.topic)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            (
                a.title.clone(),
                pages::article_url(a),
                a.day.to_string(),
                topic,
                a.summary.clone(),
                pages::date_display(a.day),
            )
        })
        .collect();
    let mut postings: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (n, doc_words) in words.iter().enumerate() {
        for w in doc_words.iter() {
            postings.entry(w).or_default().push(n);
        }
    }
    let mut words: Vec<(&str, Vec<usize>)> = postings.into_iter().collect();
    words.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let words = words
        .into_iter()
        .map(|(w, list)| (w.to_string(), encode_postings(&list)))
        .collect();
    Shard { docs, words }
}

/// Lower-case, accent-free words as the client computes them from a query.
pub fn words_of(text: &str) -> Vec<String> {
    let mut set = WordSet::default();
    set.add_text(text);
    let mut words = set.into_words();
    words.sort_unstable();
    words
}

/// The distinct indexable words of one article. Lower-casing happens in a reused buffer so
/// that only new words allocate.
#[derive(Default)]
struct WordSet {
    seen: FxHashSet<String>,
    buf: String,
    stopwords_seen: bool,
}

impl WordSet {
    fn add_text(&mut self, text: &str) {
        // A byte scanner: runs of ASCII letters and digits are words; a run that holds
        // non-ASCII bytes (accents, typographic apostrophes, other scripts) takes the slow path.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !(bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80) {
                i += 1;
                continue;
            }
            let start = i;
            let mut ascii = true;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] >= 0x80) {
                ascii &= bytes[i] < 0x80;
                i += 1;
            }
            // Runs start and end at ASCII bytes or the ends of `text`: valid char boundaries.
            let run = &text[start..i];
            if ascii {
                self.add_word(run);
            } else {
                self.add_unicode(run);
            }
        }
    }

    fn add_unicode(&mut self, run: &str) {
        for token in run.split(|c: char| !c.is_alphanumeric()) {
            if token.is_ascii() {
                self.add_word(token);
            } else {
                let folded = deunicode::deunicode(token);
                for part in folded.split(|c: char| !c.is_ascii_alphanumeric()) {
                    self.add_word(part);
                }
            }
        }
    }

    /// The text of rendered HTML: tags and character references (`&amp;`) are skipped.
    fn add_html(&mut self, html: &str) {
        crate::markdown::text_runs(html, |text| {
            self.add_text(text);
            true
        });
    }

    fn add_word(&mut self, word: &str) {
        if word.len() < MIN_WORD {
            return;
        }
        self.buf.clear();
        self.buf.push_str(word);
        self.buf.make_ascii_lowercase();
        // Stop words are frequent: once met, they sit in `seen` too (and are removed in
        // `into_words`), so each is compared against the list only once per article.
        if !self.seen.contains(self.buf.as_str()) {
            self.seen.insert(self.buf.clone());
            if is_stopword(&self.buf) {
                self.stopwords_seen = true;
            }
        }
    }

    /// The article's words without stop words, in no particular order (the shard sorts
    /// the whole vocabulary once).
    fn into_words(mut self) -> Vec<String> {
        if self.stopwords_seen {
            for w in STOPWORDS {
                self.seen.remove(*w);
            }
        }
        self.seen.into_iter().collect()
    }
}

fn is_stopword(w: &str) -> bool {
    // The list is short; a binary search over a sorted copy would not pay off below ~100.
    STOPWORDS.contains(&w)
}

fn encode_postings(list: &[usize]) -> String {
    let mut out = String::with_capacity(list.len() * 3);
    let mut prev = 0;
    for (k, &n) in list.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        push_base36(&mut out, n - prev);
        prev = n;
    }
    out
}

fn push_base36(out: &mut String, mut n: usize) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 13];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[n % 36];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.push_str(std::str::from_utf8(&buf[i..]).expect("ascii digits"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_and_filtered() {
        assert_eq!(
            words_of("The Zürich Lithium-deal, and AI"),
            ["deal", "lithium", "zurich"]
        );
    }

    #[test]
    fn postings_are_delta_encoded_in_base36() {
        assert_eq!(encode_postings(&[0, 5, 41, 42]), "0,5,10,1");
    }

    #[test]
    fn html_tags_and_entities_are_not_words() {
        let mut set = WordSet::default();
        set.add_html("<p>Cobalt &amp; nickel&#39;s</p><h2 id=\"section-x\">Copper</h2>");
        let mut words = set.into_words();
        words.sort();
        assert_eq!(words, ["cobalt", "copper", "nickel"]);
    }
}
