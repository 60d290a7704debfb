//! The preview's search index, kept between rebuilds and patched with the articles that
//! changed; the files it regenerates are made by the same functions as a full build's.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::{FxHashMap, FxHashSet};

use super::index::*;
use super::*;

/// The search index of the preview, kept between rebuilds: an update patches the postings
/// of the documents that changed and regenerates the chunks of the groups their words are in,
/// their fragment blocks and the manifest. The files are those of a full build (the same
/// functions make them).
#[derive(Default)]
pub(crate) struct Live {
    /// Article versions in index order.
    order: Vec<u64>,
    index: Index,
    /// Per group: its chunk files' paths, hashes and sizes.
    groups: BTreeMap<String, Vec<(String, u64, usize)>>,
    /// Per fragment block: its file's hash.
    blocks: Vec<u64>,
    /// The words of the documents after the articles (entity pages), by version.
    extra: FxHashMap<u64, Words>,
}

/// What an update gives the preview: files to compare with the output and write, and the
/// files it did not regenerate (path and hash of the bytes the output holds).
pub(crate) struct Update {
    pub regenerated: Vec<File>,
    pub kept: Vec<(String, u64)>,
}

impl Live {
    /// Brings the index up to date with `site`; `versions[i]` is the version of article `i`,
    /// `words` holds the words of every current and previous version. `full` regenerates
    /// every file (the output's state is unknown). `hash` is the hash the caller keeps of
    /// file bytes.
    pub fn update(
        &mut self,
        site: &Site<'_>,
        versions: &[u64],
        words: &FxHashMap<u64, Words>,
        full: bool,
        hash: fn(&[u8]) -> u64,
    ) -> Result<Update> {
        let order = article_order(site);
        let extra = super::extra_documents(site);
        let new: Vec<u64> = order
            .iter()
            .map(|&i| {
                versions
                    .get(i)
                    .copied()
                    .unwrap_or_else(|| extra[i - versions.len()].0)
            })
            .collect();
        // Entity pages' words, current and previous (whose postings an update removes).
        let mut extra_words: FxHashMap<u64, Words> = extra.into_iter().collect();
        for (v, w) in self.extra.drain() {
            extra_words.entry(v).or_insert(w);
        }
        let words_of = |v: &u64| words.get(v).unwrap_or_else(|| &extra_words[v]);
        let changed: Vec<usize> = (0..new.len().max(self.order.len()))
            .filter(|&n| self.order.get(n) != new.get(n))
            .collect();
        let rebuild = full || changed.len() > 64 + new.len() / 8;
        let mut touched = BTreeSet::new();
        if rebuild {
            let list: Vec<&Words> = new.iter().map(words_of).collect();
            self.index = Index::build(&list);
            self.groups.clear();
        } else {
            for &n in &changed {
                let old = self.order.get(n).map(words_of);
                let now = new.get(n).map(words_of);
                self.index.replace(n, old, now, &mut touched);
            }
            self.index.docs = new.len();
        }
        let current: FxHashSet<u64> = new[versions.len().min(new.len())..]
            .iter()
            .copied()
            .collect();
        extra_words.retain(|v, _| current.contains(v));
        self.extra = extra_words;
        self.order = new;

        let mut regenerated = Vec::new();
        let groups = self.index.chunks_by_group((!rebuild).then_some(&touched));
        for (root, files) in groups {
            let record: Vec<(String, u64, usize)> = files
                .iter()
                .map(|(p, b)| (p.clone(), hash(b), b.len()))
                .collect();
            if record.is_empty() {
                self.groups.remove(&root);
            } else {
                self.groups.insert(root, record);
            }
            regenerated.extend(files);
        }

        let count = order.len().div_ceil(BLOCK);
        let blocks: Option<BTreeSet<usize>> =
            (!rebuild).then(|| changed.iter().map(|n| n / BLOCK).collect());
        let fragments = fragment_files(site, &order, blocks.as_ref())?;
        self.blocks.resize(count, 0);
        for (path, bytes) in &fragments {
            let b: usize = path
                .trim_start_matches("search/f/")
                .trim_end_matches(".js")
                .parse()
                .expect("a block number");
            self.blocks[b] = hash(bytes);
        }
        regenerated.extend(fragments);

        let chunks = self.groups.values().flatten();
        let days = super::days(site, &order);
        regenerated.push(manifest_file(
            self.index.docs,
            chunks.map(|(p, _, len)| (p.as_str(), *len)),
            &days,
        ));

        let fresh: BTreeSet<&str> = regenerated.iter().map(|(p, _)| p.as_str()).collect();
        let mut kept: Vec<(String, u64)> = self
            .groups
            .values()
            .flatten()
            .filter(|(p, _, _)| !fresh.contains(p.as_str()))
            .map(|(p, h, _)| (p.clone(), *h))
            .collect();
        kept.extend(
            self.blocks
                .iter()
                .enumerate()
                .map(|(b, &h)| (fragment_path(b), h))
                .filter(|(p, _)| !fresh.contains(p.as_str())),
        );
        Ok(Update { regenerated, kept })
    }
}
