//! The inverted index and its files. Words are grouped by their first three letters (the
//! shortest query word), and a group whose postings would make a large file is split by the
//! next letter, again and again, until each chunk is small or holds one word: a query word
//! needs the chunks whose key it starts with, or which start with it — one chunk for a
//! whole word, a handful for a short prefix. The layout of a group depends on that group's
//! words alone, so an edit rewrites the chunks of the words it touches and no others.
//!
//! Chunk file `search/t/<key>.js`: `briefingSearchChunk("key",["word","gaps","weights",…]);`
//! where `gaps` are the base-36 differences between successive document numbers, comma
//! separated, and `weights` one base-36 digit (1–z) per posting. A key ending in `_` holds the
//! one word equal to the key without it (its longer words went to deeper chunks).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::{Doc, MAX_WEIGHT, MIN_WORD, STOPWORDS, Words};
use crate::build::feeds::File;
use crate::build::pages::Site;
use crate::error::Result;

/// A chunk grows past this estimate of its bytes (before compression) only when it holds a
/// single word. About 20 KB gzip-compressed.
const CHUNK_BYTES: usize = 48_000;
/// Chunk keys stop growing here; longer words share their chunk.
const MAX_KEY: usize = 12;
/// Documents per fragment file.
pub(crate) const BLOCK: usize = 8;
/// Postings pack the document number above the weight's bits.
const WEIGHT_BITS: u32 = 6;

/// A group's root and its words with their postings, in order.
type Group<'a> = (&'a str, Vec<(&'a str, &'a [u32])>);

/// Word → postings (`doc << WEIGHT_BITS | weight`, by document number), for every word.
#[derive(Default)]
pub(crate) struct Index {
    words: BTreeMap<Box<str>, Vec<u32>>,
    pub docs: usize,
}

fn pack(doc: usize, weight: u8) -> u32 {
    debug_assert!(weight <= MAX_WEIGHT);
    ((doc as u32) << WEIGHT_BITS) | u32::from(weight)
}

fn doc_of(posting: u32) -> usize {
    (posting >> WEIGHT_BITS) as usize
}

/// The group of a word: its first `MIN_WORD` bytes (words are ASCII, never shorter).
pub(super) fn root(word: &str) -> &str {
    &word[..MIN_WORD]
}

impl Index {
    /// The index of documents `words` (numbered by position).
    pub fn build(words: &[&Words]) -> Index {
        let mut index = Index::default();
        index.extend(words);
        index
    }

    /// Adds documents `words`, numbered after those already in the index, inverted in
    /// parallel over contiguous ranges of documents whose lists are then appended in order.
    /// A full build adds a batch of documents at a time, so that only one batch's word lists
    /// are held at once.
    pub fn extend(&mut self, words: &[&Words]) {
        let first = self.docs;
        let merged = words
            .par_iter()
            .enumerate()
            .fold(FxHashMap::<&str, Vec<u32>>::default, |mut map, (n, w)| {
                for (word, weight) in w.iter() {
                    map.entry(word).or_default().push(pack(first + n, weight));
                }
                map
            })
            .reduce(FxHashMap::default, |mut left, right| {
                // `left` holds the lower document numbers: appending keeps lists sorted.
                if left.is_empty() {
                    return right;
                }
                for (word, mut list) in right {
                    left.entry(word).or_default().append(&mut list);
                }
                left
            });
        for (word, mut list) in merged {
            match self.words.get_mut(word) {
                // Earlier documents first: appending keeps the list sorted.
                Some(held) => held.append(&mut list),
                None => {
                    self.words.insert(Box::from(word), list);
                }
            }
        }
        self.docs += words.len();
    }

    /// Every word with its postings, in word order.
    pub(super) fn words(&self) -> impl Iterator<Item = (&str, &[u32])> {
        self.words.iter().map(|(w, l)| (&**w, l.as_slice()))
    }

    /// Puts document `doc`'s postings as `new` has them where `old` was (either may be
    /// absent), adding the groups of the words whose posting changed to `touched`: a word
    /// kept with the same weight touches nothing.
    pub(super) fn replace(
        &mut self,
        doc: usize,
        old: Option<&Words>,
        new: Option<&Words>,
        touched: &mut BTreeSet<String>,
    ) {
        let mut kept: FxHashSet<&str> = FxHashSet::default();
        for (word, weight) in new.into_iter().flat_map(Words::iter) {
            let posting = pack(doc, weight);
            let list = match self.words.get_mut(word) {
                Some(list) => list,
                None => self.words.entry(Box::from(word)).or_default(),
            };
            match list.binary_search_by_key(&doc, |&p| doc_of(p)) {
                Ok(k) if list[k] == posting => {}
                Ok(k) => {
                    list[k] = posting;
                    touched.insert(root(word).to_string());
                }
                Err(k) => {
                    list.insert(k, posting);
                    touched.insert(root(word).to_string());
                }
            }
            kept.insert(word);
        }
        for (word, _) in old.into_iter().flat_map(Words::iter) {
            if kept.contains(word) {
                continue;
            }
            let Some(list) = self.words.get_mut(word) else {
                continue;
            };
            if let Ok(k) = list.binary_search_by_key(&doc, |&p| doc_of(p)) {
                list.remove(k);
                touched.insert(root(word).to_string());
                if list.is_empty() {
                    self.words.remove(word);
                }
            }
        }
    }

    /// The words of group `root`, in order.
    fn group(&self, root: &str) -> Vec<(&str, &[u32])> {
        self.words
            .range::<str, _>((std::ops::Bound::Included(root), std::ops::Bound::Unbounded))
            .take_while(|(w, _)| w.starts_with(root))
            .map(|(w, l)| (&**w, l.as_slice()))
            .collect()
    }

    /// Every group, in order.
    fn groups(&self) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for (w, l) in &self.words {
            let r = root(w);
            match groups.last_mut() {
                Some((last, list)) if *last == r => list.push((w, l)),
                _ => groups.push((r, vec![(w, l)])),
            }
        }
        groups
    }

    /// Every chunk file, in order, as [`Index::write_chunk_files`] writes them.
    #[cfg(test)]
    pub fn chunk_files(&self) -> Vec<File> {
        written(|write| self.write_chunk_files(write))
    }

    /// The chunk files of groups `roots` (every group when `None`), made in parallel, with
    /// each group's keys.
    pub(super) fn chunks_by_group(
        &self,
        roots: Option<&BTreeSet<String>>,
    ) -> Vec<(String, Vec<File>)> {
        let groups = match roots {
            None => self.groups(),
            Some(roots) => roots.iter().map(|r| (r.as_str(), self.group(r))).collect(),
        };
        groups
            .into_par_iter()
            .map(|(root, words)| (root.to_string(), group_files(&words)))
            .collect()
    }

    /// The chunk files of every group, each handed to `write` as soon as it is made (in
    /// parallel: a large archive's chunk files are never all held at once); each file's path
    /// and size, in order.
    pub fn write_chunk_files(
        &self,
        write: &(dyn Fn(File) -> Result<()> + Sync),
    ) -> Result<Vec<(String, usize)>> {
        write_groups(
            self.groups().into_iter().map(|(_, words)| words).collect(),
            write,
        )
    }

    /// The chunk keys, in order.
    #[cfg(test)]
    fn keys(&self) -> Vec<String> {
        self.chunk_files()
            .into_iter()
            .map(|(path, _)| key_of(&path).to_string())
            .collect()
    }
}

/// The chunk files of whole groups (each group's words sorted, as [`group_files`] takes them),
/// made in parallel and handed to `write` as soon as each is made; their paths and sizes, in
/// order.
pub(super) fn write_groups(
    groups: Vec<Vec<(&str, &[u32])>>,
    write: &(dyn Fn(File) -> Result<()> + Sync),
) -> Result<Vec<(String, usize)>> {
    let sizes: Vec<Vec<(String, usize)>> = groups
        .into_par_iter()
        .map(|words| {
            group_files(&words)
                .into_iter()
                .map(|file| {
                    let size = (file.0.clone(), file.1.len());
                    write(file)?;
                    Ok(size)
                })
                .collect()
        })
        .collect::<Result<_>>()?;
    Ok(sizes.into_iter().flatten().collect())
}

/// The files that `make` hands to its writer, in the order of the paths and sizes it
/// returns (each size checked): chunk files as a build writes them, for tests.
#[cfg(test)]
pub(super) fn written(
    make: impl FnOnce(&(dyn Fn(File) -> Result<()> + Sync)) -> Result<Vec<(String, usize)>>,
) -> Vec<File> {
    let made = std::sync::Mutex::new(FxHashMap::default());
    let sizes = make(&|(path, bytes)| {
        made.lock().expect("not poisoned").insert(path, bytes);
        Ok(())
    })
    .expect("writing to memory");
    let mut made = made.into_inner().expect("not poisoned");
    sizes
        .into_iter()
        .map(|(path, size)| {
            let bytes = made.remove(&path).expect("written");
            assert_eq!(bytes.len(), size);
            (path, bytes)
        })
        .collect()
}

/// The chunk files of one group's `words` (sorted, sharing their first `MIN_WORD` bytes).
fn group_files(words: &[(&str, &[u32])]) -> Vec<File> {
    let mut chunks = Vec::new();
    if !words.is_empty() {
        layout(words, MIN_WORD, &mut chunks);
    }
    chunks
        .into_iter()
        .map(|(key, range)| chunk_file(&key, &words[range]))
        .collect()
}

/// Splits `words` (sorted, sharing their first `len` bytes) into chunks: `(key, range)`.
fn layout(words: &[(&str, &[u32])], len: usize, out: &mut Vec<(String, std::ops::Range<usize>)>) {
    let start = out.last().map_or(0, |(_, r)| r.end);
    let key = &words[0].0[..len];
    let bytes: usize = words.iter().map(|(w, l)| w.len() + 6 + l.len() * 3).sum();
    if bytes <= CHUNK_BYTES || len >= MAX_KEY || words.len() == 1 {
        out.push((key.to_string(), start..start + words.len()));
        return;
    }
    let mut i = 0;
    if words[0].0.len() == len {
        out.push((format!("{key}_"), start..start + 1));
        i = 1;
    }
    while i < words.len() {
        let next = words[i].0.as_bytes()[len];
        let n = words[i..]
            .iter()
            .take_while(|(w, _)| w.as_bytes()[len] == next)
            .count();
        layout(&words[i..i + n], len + 1, out);
        i += n;
    }
}

fn chunk_path(key: &str) -> String {
    format!("search/t/{key}.js")
}

pub(crate) fn key_of(path: &str) -> &str {
    path.trim_start_matches("search/t/").trim_end_matches(".js")
}

fn chunk_file(key: &str, words: &[(&str, &[u32])]) -> File {
    let postings: usize = words.iter().map(|(_, l)| l.len()).sum();
    let mut out = String::with_capacity(64 + words.len() * 16 + postings * 4);
    out.push_str("briefingSearchChunk(\"");
    out.push_str(key);
    out.push_str("\",[");
    for (k, (word, list)) in words.iter().enumerate() {
        if k > 0 {
            out.push(',');
        }
        // Words are [a-z0-9]: no JSON escaping needed.
        out.push('"');
        out.push_str(word);
        out.push_str("\",\"");
        let mut prev = 0;
        for (j, &p) in list.iter().enumerate() {
            if j > 0 {
                out.push(',');
            }
            push_base36(&mut out, doc_of(p) - prev);
            prev = doc_of(p);
        }
        out.push_str("\",\"");
        for &p in *list {
            push_base36(&mut out, (p & ((1 << WEIGHT_BITS) - 1)) as usize);
        }
        out.push('"');
    }
    out.push_str("]);\n");
    (chunk_path(key), out.into_bytes())
}

fn push_base36(out: &mut String, mut n: usize) {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n < 36 {
        // Every weight and most gaps: one digit.
        out.push(char::from(DIGITS[n]));
        return;
    }
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

pub(super) fn fragment_path(block: usize) -> String {
    format!("search/f/{block}.js")
}

/// The fragment files of `blocks` (every block when `None`): what results show, for
/// documents `order` (indices into the site's articles, in index order).
pub(crate) fn fragment_files(
    site: &Site<'_>,
    order: &[usize],
    blocks: Option<&BTreeSet<usize>>,
) -> Result<Vec<File>> {
    let count = order.len().div_ceil(BLOCK);
    let blocks: Vec<usize> = match blocks {
        None => (0..count).collect(),
        Some(b) => b.iter().copied().filter(|&b| b < count).collect(),
    };
    blocks
        .into_par_iter()
        .map(|b| {
            let docs: Vec<Doc> = order[b * BLOCK..((b + 1) * BLOCK).min(order.len())]
                .iter()
                .map(|&i| Doc::at(site, i))
                .collect::<Result<_>>()?;
            Ok(fragment_file(b, &docs))
        })
        .collect()
}

pub(super) fn fragment_file(block: usize, docs: &[Doc]) -> File {
    let rows: Vec<_> = docs
        .iter()
        .map(|d| {
            (
                &d.title,
                &d.url,
                &d.date,
                &d.date_display,
                &d.topic,
                &d.summary,
                &d.text,
            )
        })
        .collect();
    let json = serde_json::to_string(&rows).expect("fragments serialize");
    (
        fragment_path(block),
        format!("briefingSearchFragments({block},{json});\n").into_bytes(),
    )
}

#[derive(Serialize)]
struct Manifest<'a> {
    docs: usize,
    /// Documents per fragment file.
    block: usize,
    /// Chunk keys, space separated, in order.
    chunks: String,
    /// Each chunk's size in KiB (uncompressed, rounded up), base 36, space separated: the
    /// client bounds what a short prefix downloads.
    sizes: String,
    /// `[YYYY-MM, first document]`, oldest first: the month of a document, for recency.
    months: Vec<(String, usize)>,
    min_word: usize,
    max_weight: u8,
    stopwords: &'a [&'a str],
}

/// `search/index.js`: `chunks` are the chunk files' paths and sizes in order, `days` the
/// documents' days in index order.
pub(crate) fn manifest_file<'p>(
    docs: usize,
    chunks: impl Iterator<Item = (&'p str, usize)>,
    days: &[NaiveDate],
) -> File {
    let (mut keys, mut sizes) = (String::new(), String::new());
    for (path, len) in chunks {
        if !keys.is_empty() {
            keys.push(' ');
            sizes.push(' ');
        }
        keys.push_str(key_of(path));
        push_base36(&mut sizes, len.div_ceil(1024));
    }
    let mut months: Vec<(String, usize)> = Vec::new();
    let mut last = None;
    for (n, d) in days.iter().enumerate() {
        let m = (d.year(), d.month());
        if last != Some(m) {
            months.push((d.format("%Y-%m").to_string(), n));
            last = Some(m);
        }
    }
    let manifest = Manifest {
        docs,
        block: BLOCK,
        chunks: keys,
        sizes,
        months,
        min_word: MIN_WORD,
        max_weight: MAX_WEIGHT,
        stopwords: STOPWORDS,
    };
    let json = serde_json::to_string(&manifest).expect("manifest serializes");
    (
        super::MANIFEST.into(),
        format!("window.BRIEFING_SEARCH={json};\n").into_bytes(),
    )
}

#[cfg(test)]
mod tests;
