//! The offline search index: plain JavaScript files loaded with `<script src>` (which, unlike
//! `fetch`, also works from `file://`), split so that a query downloads what it needs and no
//! more, however large the archive:
//!
//! - `search/index.js`, a small manifest: the chunk names, the number of documents, where each
//!   month starts (for recency) and the tokenizer's settings;
//! - `search/t/<key>.js`, the postings of the words that start with `key` (at least three
//!   letters, longer where a prefix holds many postings; see [`index`]);
//! - `search/f/<n>.js`, what a result shows (title, link, date, topic, summary, the start of
//!   the text) for a block of consecutive documents, loaded only for the results on screen.
//!
//! This file owns what a document is to the index and how its words are found and weighted
//! (the same rules as the client's, in `search.js`); [`index`] owns the inverted index and
//! the files; the preview keeps a [`live::Live`] between rebuilds.
//!
//! Documents are numbered oldest first, so that the daily case — new articles — appends to
//! the index instead of renumbering it.

mod index;
mod live;
mod spill;

use chrono::NaiveDate;
use rayon::prelude::*;
use std::borrow::Cow;
use std::hash::Hasher;

use rustc_hash::FxHashMap;

use crate::build::content::Article;
use crate::build::feeds::File;
use crate::build::pages::{self, Site, kind_label};
use crate::config::Config;
use crate::error::Result;

pub(crate) use live::Live;

/// The manifest's path in the output: the file a query loads first, which names every chunk
/// (deploy uploads it after the chunks and fragments it names).
pub const MANIFEST: &str = "search/index.js";

/// Words shorter than this are not indexed (the client ignores them too).
const MIN_WORD: usize = 3;

/// Very common English words: indexing them would only make chunks bigger.
const STOPWORDS: &[&str] = &[
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was",
    "one", "our", "out", "has", "have", "his", "how", "its", "may", "new", "now", "she", "that",
    "this", "with", "from", "they", "will", "would", "there", "their", "what", "about", "which",
    "when", "were", "been", "than", "them", "then", "these", "some", "into", "also", "said",
    "more", "other", "over", "such", "who", "while", "after", "before", "being",
];

/// How much of a document's text its fragment carries, for the snippet under a result.
const EXCERPT_CHARS: usize = 700;

/// One searchable document, as a result shows it: an article or, after the articles, an
/// entity page (see [`article_order`]) — the index does not care what a document is.
#[derive(Debug, Clone)]
pub(crate) struct Doc<'a> {
    pub title: &'a str,
    /// Relative to the site root.
    pub url: String,
    /// ISO date for `<time datetime>`, and the date as the site shows it; empty when undated.
    pub date: String,
    pub date_display: String,
    /// The topic's name (or another label of what the document is).
    pub topic: Cow<'a, str>,
    pub summary: &'a [String],
    /// The start of the text, for the snippet.
    pub text: String,
}

impl<'a> Doc<'a> {
    pub(crate) fn of_article(site: &'a Site<'_>, a: &'a Article) -> Result<Doc<'a>> {
        Ok(Doc::with_body(site, a, &a.html(site.config)?))
    }

    /// Article `a`'s document, its body being `html`.
    fn with_body(site: &'a Site<'_>, a: &'a Article, html: &str) -> Doc<'a> {
        let topic = site
            .topic_refs
            .iter()
            .find(|r| r.slug == a.topic)
            .map_or("", |r| r.name.as_str());
        Doc {
            title: &a.title,
            url: pages::article_url(a),
            date: a.day.to_string(),
            date_display: pages::date_display(a.day),
            topic: Cow::Borrowed(topic),
            summary: &a.summary,
            text: html_excerpt(html, EXCERPT_CHARS),
        }
    }

    /// Document `i` of [`article_order`].
    pub(crate) fn at(site: &'a Site<'_>, i: usize) -> Result<Doc<'a>> {
        match i.checked_sub(site.digest.articles.len()) {
            None => Doc::of_article(site, &site.digest.articles[i]),
            Some(k) => Ok(Doc::of_entity(site, k)),
        }
    }

    /// Entity `k`'s page.
    fn of_entity(site: &'a Site<'_>, k: usize) -> Doc<'a> {
        // An entity page: its name, what it is and how many articles name it; no date.
        let e = &site.story.entities[k];
        let n = e.articles.len();
        let plural = if n == 1 { "" } else { "s" };
        Doc {
            title: &e.name,
            url: pages::entity_url(&e.slug),
            date: String::new(),
            date_display: String::new(),
            topic: Cow::Owned(format!("{} · {n} article{plural}", kind_label(e.kind))),
            summary: &[],
            text: String::new(),
        }
    }
}

/// The site's documents in index order: the articles, oldest first (for each, its index into
/// `site.digest.articles`), then the entity pages when the site has them (entity `k` is
/// `articles.len() + k`).
pub(crate) fn article_order(site: &Site<'_>) -> Vec<usize> {
    let n = site.digest.articles.len();
    let entities = if site.theme.entities {
        site.story.entities.len()
    } else {
        0
    };
    (0..n).rev().chain(n..n + entities).collect()
}

/// The day of each document in index order, for the manifest's month table. Entity pages are
/// as current as the newest article (they list it), so they rank as recent.
fn days(site: &Site<'_>, order: &[usize]) -> Vec<NaiveDate> {
    let articles = &site.digest.articles;
    order
        .iter()
        .map(|&i| articles.get(i).unwrap_or(&articles[0]).day)
        .collect()
}

/// The documents after the articles (entity pages) in index order, each with its words and a
/// version: a hash of what the index and its fragment hold of it, which changes when they do
/// (the preview then rewrites its files).
pub(crate) fn extra_documents(site: &Site<'_>) -> Vec<(u64, Words)> {
    let n = site.digest.articles.len();
    let mut counter = Counter::default();
    article_order(site)[n..]
        .iter()
        .map(|&i| {
            let doc = Doc::of_entity(site, i - n);
            let mut h = rustc_hash::FxHasher::default();
            for part in ["entity", doc.title, &doc.url, &doc.topic] {
                h.write(part.as_bytes());
                h.write_u8(0);
            }
            (h.finish(), Words::of_title(doc.title, &mut counter))
        })
        .collect()
}

/// Every search file of a full build, each handed to `write` once made, so that a large
/// archive's files are not all held at once (#16). Returns how many there were.
pub fn write_all(site: &Site<'_>, write: &(dyn Fn(File) -> Result<()> + Sync)) -> Result<usize> {
    let order = article_order(site);
    let n = site.digest.articles.len();
    // The words of a batch of documents at a time, added to the index and dropped: what
    // stays is the postings (#16). Each body is rendered once for its words and its fragment
    // (twice when it is not kept: see `Article::html`). Past a budget the postings are
    // written out and merged at the end (`spill`).
    let mut index = spill::Spilling::new();
    let mut count = 0;
    for (k, batch) in order.chunks(WORDS_BATCH).enumerate() {
        let words: Vec<Vec<Words>> = batch
            .par_chunks(index::BLOCK)
            .enumerate()
            .map_init(Counter::default, |counter, (b, docs)| {
                let (words, docs): (Vec<Words>, Vec<Doc>) = docs
                    .iter()
                    .map(|&i| match site.digest.articles.get(i) {
                        Some(a) => {
                            let html = a.html(site.config)?;
                            Ok((
                                Words::with_body(a, &html, counter),
                                Doc::with_body(site, a, &html),
                            ))
                        }
                        None => {
                            let doc = Doc::of_entity(site, i - n);
                            Ok((Words::of_title(doc.title, counter), doc))
                        }
                    })
                    .collect::<Result<Vec<_>>>()?
                    .into_iter()
                    .unzip();
                let block = k * (WORDS_BATCH / index::BLOCK) + b;
                write(index::fragment_file(block, &docs))?;
                Ok(words)
            })
            .collect::<Result<_>>()?;
        count += words.len();
        index.extend(&words.iter().flatten().collect::<Vec<_>>())?;
    }
    // Consumes the index: its postings are freed once the chunk files are made.
    let sizes = index.write_chunk_files(write)?;
    count += sizes.len();
    // The postings of every word are freed: their memory goes back before pages render.
    crate::memory::release_freed();
    let sizes = sizes.iter().map(|(p, n)| (p.as_str(), *n));
    write(index::manifest_file(
        order.len(),
        sizes,
        &days(site, &order),
    ))?;
    Ok(count + 1)
}

/// How many documents' words a full build holds at once before adding them to the index (a
/// whole number of fragment files).
const WORDS_BATCH: usize = 1024 * index::BLOCK;

/// The indexed words of one document with their weights: title, summary (and dateline) and
/// body, counted per field and combined as in BM25F (title weighted most). Finding them is
/// most of the index's cost, so the preview keeps them per article between rebuilds. Stored
/// as one space-separated string and one weight byte per word: two allocations per document.
#[derive(Debug, Clone)]
pub(crate) struct Words {
    words: Box<str>,
    weights: Box<[u8]>,
}

/// Fields of a document: title, summary (with the dateline), body.
const FIELDS: usize = 3;
/// How much one occurrence counts in each field.
const BOOST: [f32; FIELDS] = [5.0, 2.0, 1.0];
/// Typical field lengths in indexed words. Fixed, not the collection's averages, so that a
/// document's weights depend on the document alone (an edit changes its own postings only).
const TYPICAL_LEN: [f32; FIELDS] = [8.0, 40.0, 500.0];
/// How much a field's length dampens its words. Not the body's: news bodies are of similar
/// lengths, and this way an added paragraph changes the weights of its own words only (the
/// preview then rewrites the chunks of those words, not of every word of the article).
const BM25_B: [f32; FIELDS] = [0.75, 0.75, 0.0];
const BM25_K1: f32 = 2.0;
/// Weights are quantized to 1..=35 (one base-36 digit in the chunk files).
pub(crate) const MAX_WEIGHT: u8 = 35;

impl Words {
    /// The words of `a`, counted in `counter` (reused between documents: a thread keeps one,
    /// so that counting allocates nothing once it has grown).
    pub(crate) fn of(config: &Config, a: &Article, counter: &mut Counter) -> Result<Words> {
        Ok(Words::with_body(a, &a.html(config)?, counter))
    }

    /// [`Words::of`] `a`, its body being `html`.
    fn with_body(a: &Article, html: &str, counter: &mut Counter) -> Words {
        counter.field = 0;
        counter.add_text(&a.title);
        counter.field = 1;
        for bullet in &a.summary {
            counter.add_text(bullet);
        }
        counter.add_text(a.dateline.as_deref().unwrap_or(""));
        counter.field = 2;
        counter.add_html(html);
        counter.take_words()
    }

    /// The words of a document that is only a title (an entity page: its name).
    pub(crate) fn of_title(title: &str, counter: &mut Counter) -> Words {
        counter.field = 0;
        counter.add_text(title);
        counter.take_words()
    }

    /// How many words (postings in the index).
    pub(crate) fn len(&self) -> usize {
        self.weights.len()
    }

    /// `(word, weight)` pairs, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.words
            .split(' ')
            .filter(|w| !w.is_empty())
            .zip(self.weights.iter().copied())
    }
}

/// Lower-case, accent-free words as the client computes them from a query.
pub fn words_of(text: &str) -> Vec<String> {
    let mut counter = Counter::default();
    counter.add_text(text);
    let mut words: Vec<String> = counter
        .entries
        .iter()
        .map(|e| &counter.arena[e.0 as usize..e.1 as usize])
        .filter(|w| !is_stopword(w))
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    words.sort_unstable();
    words
}

/// Counts the words of a document per field, found again by their lower-cased bytes: a word
/// of up to 16 bytes (nearly all of them) is its own key, packed into a `u128`, so that
/// finding it hashes one integer and compares one; longer words are looked up by a lower-cased
/// copy. The words themselves are kept one after another (`arena`): counting a document allocates
/// nothing once the counter's buffers have grown.
#[derive(Default)]
pub(crate) struct Counter {
    /// Packed lower-cased word ([`pack_lower`]) → its entry.
    short: FxHashMap<u128, u32>,
    /// Lower-cased words longer than 16 bytes → their entry.
    long: FxHashMap<String, u32>,
    /// Per distinct word: its place in `arena` and its occurrences per field.
    entries: Vec<(u32, u32, [u16; FIELDS])>,
    /// The distinct words, lower-cased ASCII letters and digits, one after another.
    arena: Vec<u8>,
    lens: [u32; FIELDS],
    field: usize,
    buf: String,
}

impl Counter {
    fn add_text(&mut self, text: &str) {
        // A byte scanner: runs of ASCII letters and digits are words; a run that holds
        // non-ASCII bytes (accents, typographic apostrophes, other scripts) takes the slow path.
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !WORD_BYTE[bytes[i] as usize] {
                i += 1;
                continue;
            }
            let start = i;
            let mut high = 0u8;
            while i < bytes.len() && WORD_BYTE[bytes[i] as usize] {
                high |= bytes[i];
                i += 1;
            }
            // Runs start and end at ASCII bytes or the ends of `text`: valid char boundaries.
            let run = &text[start..i];
            if high < 0x80 {
                // Most words: read as one 16-byte load from the text when it has 16 bytes
                // from the word's start on.
                match bytes.get(start..start + 16) {
                    Some(window) if (MIN_WORD..=16).contains(&run.len()) => {
                        let window: [u8; 16] = window.try_into().expect("16 bytes");
                        self.add_short(u128::from_le_bytes(window), run.len());
                    }
                    _ => self.add_word(run),
                }
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
        crate::build::markdown::text_runs(html, |text| {
            self.add_text(text);
            true
        });
    }

    /// Counts `word`, ASCII letters and digits (both scanners give nothing else).
    fn add_word(&mut self, word: &str) {
        if word.len() < MIN_WORD {
            return;
        }
        if word.len() <= 16 {
            let mut bytes = [0u8; 16];
            bytes[..word.len()].copy_from_slice(word.as_bytes());
            self.add_short(u128::from_le_bytes(bytes), word.len());
            return;
        }
        self.lens[self.field] += 1;
        self.buf.clear();
        self.buf.push_str(word);
        self.buf.make_ascii_lowercase();
        let k = match self.long.get(self.buf.as_str()) {
            Some(&k) => k,
            None => {
                let k = push_entry(&mut self.entries, &mut self.arena, self.buf.as_bytes());
                self.long.insert(self.buf.clone(), k);
                k
            }
        };
        self.count(k);
    }

    /// Counts a word of 3 to 16 ASCII letters and digits: its bytes are the low `len` bytes
    /// of `raw` (little-endian), whatever follows them is ignored.
    fn add_short(&mut self, raw: u128, len: usize) {
        self.lens[self.field] += 1;
        let key = pack_lower(raw, len);
        let k = match self.short.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => *e.get(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let lower = key.to_le_bytes();
                *slot.insert(push_entry(
                    &mut self.entries,
                    &mut self.arena,
                    &lower[..len],
                ))
            }
        };
        self.count(k);
    }

    fn count(&mut self, k: u32) {
        let counts = &mut self.entries[k as usize].2;
        counts[self.field] = counts[self.field].saturating_add(1);
    }

    /// The document's words without stop words, each with its weight; the counter is left
    /// empty for the next document.
    fn take_words(&mut self) -> Words {
        let mut norm = [0f32; FIELDS];
        for f in 0..FIELDS {
            norm[f] = 1.0 - BM25_B[f] + BM25_B[f] * self.lens[f] as f32 / TYPICAL_LEN[f];
        }
        let mut words = Vec::with_capacity(self.arena.len() + self.entries.len());
        let mut weights = Vec::with_capacity(self.entries.len());
        for &(start, end, counts) in &self.entries {
            let word = &self.arena[start as usize..end as usize];
            if is_stopword(word) {
                continue;
            }
            let tf: f32 = (0..FIELDS)
                .map(|f| BOOST[f] * f32::from(counts[f]) / norm[f])
                .sum();
            let w = tf / (tf + BM25_K1);
            let q = (w * f32::from(MAX_WEIGHT)).round() as u8;
            if !words.is_empty() {
                words.push(b' ');
            }
            words.extend_from_slice(word);
            weights.push(q.clamp(1, MAX_WEIGHT));
        }
        self.short.clear();
        self.long.clear();
        self.entries.clear();
        self.arena.clear();
        self.lens = [0; FIELDS];
        self.field = 0;
        Words {
            // Checked once per document, not per word.
            words: String::from_utf8(words)
                .expect("ASCII letters and digits")
                .into_boxed_str(),
            weights: weights.into_boxed_slice(),
        }
    }
}

/// Bytes of the index's words (ASCII letters and digits), and every non-ASCII byte: runs of
/// these are what [`Counter::add_text`] reads.
const WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b >= 0x80;
        b += 1;
    }
    table
};

/// A word of 3 to 16 ASCII letters and digits, lower-cased, as one integer: its bytes in
/// order (the low `len` bytes of `raw`), zero-padded. Distinct words give distinct keys (no
/// word holds a zero byte), and for these bytes setting bit 5 is lower-casing (it maps `A`–`Z`
/// to `a`–`z` and leaves letters and digits as they are).
fn pack_lower(raw: u128, len: usize) -> u128 {
    debug_assert!((MIN_WORD..=16).contains(&len));
    let word = u128::MAX >> (8 * (16 - len));
    (raw | u128::from_le_bytes([0x20; 16])) & word
}

/// Adds a new distinct word, ASCII letters and digits, to a counter's entries (its place in
/// `arena`, no occurrences yet).
fn push_entry(
    entries: &mut Vec<(u32, u32, [u16; FIELDS])>,
    arena: &mut Vec<u8>,
    word: &[u8],
) -> u32 {
    let k = entries.len() as u32;
    let start = arena.len() as u32;
    arena.extend_from_slice(word);
    entries.push((start, arena.len() as u32, [0; FIELDS]));
    k
}

fn is_stopword(w: &[u8]) -> bool {
    // Asked once per distinct word of every document: a set, after a length test that most
    // words fail.
    static SET: std::sync::LazyLock<rustc_hash::FxHashSet<&'static [u8]>> =
        std::sync::LazyLock::new(|| STOPWORDS.iter().map(|w| w.as_bytes()).collect());
    w.len() <= LONGEST_STOPWORD && SET.contains(w)
}

const LONGEST_STOPWORD: usize = crate::ingest::tokens::longest(STOPWORDS);

/// The first `max` bytes (about) of the text of rendered HTML, whitespace collapsed, cut at
/// a word boundary with "…" when there is more. Text is copied a word at a time.
fn html_excerpt(html: &str, max: usize) -> String {
    let mut out = String::with_capacity(max + 8);
    let mut space = false;
    let mut cut = false;
    let mut rest = html;
    while !rest.is_empty() && out.len() < max {
        let i = rest.find(['<', '&']).unwrap_or(rest.len());
        cut |= push_words(&mut out, &rest[..i], &mut space, max);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |e| e + 1);
            // Block boundaries separate words; inline tags (<em>) do not.
            let tag = rest[1..end].trim_start_matches('/');
            if ["p", "li", "h", "blockquote", "br", "div", "td", "tr"]
                .iter()
                .any(|b| tag.starts_with(b))
            {
                space = true;
            }
            rest = &rest[end..];
        } else if rest.starts_with('&') {
            // Bytes, not chars: a reference is short and ASCII, the text after `&` may not be.
            let end = rest.as_bytes()[..rest.len().min(12)]
                .iter()
                .position(|&b| b == b';');
            match end.and_then(|e| decode_entity(&rest[1..e]).map(|c| (e, c))) {
                Some((e, c)) => {
                    let mut buf = [0; 4];
                    push_words(&mut out, c.encode_utf8(&mut buf), &mut space, max);
                    rest = &rest[e + 1..];
                }
                None => {
                    push_words(&mut out, "&", &mut space, max);
                    rest = &rest[1..];
                }
            }
        }
    }
    if cut || (out.len() >= max && has_text(rest)) {
        if let Some(cut) = out.rfind(' ') {
            out.truncate(cut);
        }
        out.push_str(" …");
    }
    out
}

/// Appends the words of `text` to `out`, one space between words, while `out` is shorter
/// than `max`; `space` carries a pending separator between calls. True when words were left.
fn push_words(out: &mut String, text: &str, space: &mut bool, max: usize) -> bool {
    if text.starts_with(char::is_whitespace) {
        *space = true;
    }
    let mut rest_is_text = false;
    for word in text.split_whitespace() {
        if out.len() >= max {
            rest_is_text = true;
            break;
        }
        if *space && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        *space = true;
    }
    if !rest_is_text {
        *space = text.ends_with(char::is_whitespace) || (text.is_empty() && *space);
    }
    rest_is_text
}

/// Whether `html` holds any text outside its tags.
fn has_text(html: &str) -> bool {
    let mut in_tag = false;
    html.chars().any(|c| {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => return true,
            _ => {}
        }
        false
    })
}

/// The character references pulldown-cmark and ammonia write.
fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests;
