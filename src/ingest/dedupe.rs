//! Near-duplicate detection: word 5-shingles of title and body, summarized by a 128-value
//! MinHash signature (xxh3 with fixed seeds, so signatures are the same on every run). Two
//! articles whose estimated Jaccard similarity reaches [`THRESHOLD`] tell the same story.
//! Deciding what to do with a duplicate is `ingest::plan`'s job, not this module's.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::tokens;

const SHINGLE: usize = 5;
const HASHES: usize = 128;
/// Lightly edited copies of a story score 0.6–0.9; different stories on the same subject stay
/// well under 0.2.
pub(crate) const THRESHOLD: f64 = 0.5;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Signature([u64; HASHES]);

impl Default for Signature {
    /// The signature of nothing: shares no value with any text's.
    fn default() -> Signature {
        Signature([u64::MAX; HASHES])
    }
}

impl Signature {
    pub fn of(title: &str, body: &str) -> Signature {
        Signature::of_words(&tokens::Words::of(title, body))
    }

    /// The signature of an article's words, cut once for every stage (see [`tokens::Words`]).
    pub fn of_words(words: &tokens::Words) -> Signature {
        // A shingle is one slice of the joined words, hashed without building a string.
        let joined = words.joined();
        let starts = words.starts();
        let shingle = |k: usize| {
            let end = starts.get(k + SHINGLE).map_or(joined.len(), |&e| e - 1);
            xxh3_64_with_seed(&joined.as_bytes()[starts[k]..end], 0)
        };
        let mut shingles: Vec<u64> = if starts.len() < SHINGLE {
            vec![xxh3_64_with_seed(joined.as_bytes(), 0)]
        } else {
            (0..=starts.len() - SHINGLE).map(shingle).collect()
        };
        // A repeated shingle cannot change a minimum.
        shingles.sort_unstable();
        shingles.dedup();
        Signature(min_hashes(&shingles))
    }

    /// Estimated Jaccard similarity of the two shingle sets. (The batch asks [`Index::best`],
    /// which gives the same figure.)
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn similarity(&self, other: &Signature) -> f64 {
        self.same(other) as f64 / HASHES as f64
    }

    /// How many of the [`HASHES`] positions hold the same value in both signatures.
    fn same(&self, other: &Signature) -> usize {
        self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count()
    }
}

/// The value each of the [`HASHES`] permutations xors into a shingle hash before mixing.
const SEEDS: [u64; HASHES] = {
    let mut seeds = [0; HASHES];
    let mut i = 0;
    while i < HASHES {
        seeds[i] = (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        i += 1;
    }
    seeds
};

/// The fewest equal values that make two signatures near-duplicates: the least `n` with
/// `n / HASHES ≥ THRESHOLD`, computed as [`Signature::similarity`] computes it.
const MIN_SAME: usize = {
    let mut n = 0;
    while (n as f64) / (HASHES as f64) < THRESHOLD {
        n += 1;
    }
    n
};

/// How many positions the index holds: a signature that shares at least [`MIN_SAME`] of the
/// [`HASHES`] values with another differs in at most `HASHES − MIN_SAME` positions, so it
/// shares a value in one of any `HASHES − MIN_SAME + 1` of them (the first ones here). Every
/// near-duplicate is thus found from these positions alone.
const INDEXED: usize = HASHES - MIN_SAME + 1;

/// Signatures of articles, indexed by their values at the first [`INDEXED`] positions: a
/// look-up finds every signature that can be a near-duplicate of the one asked about, without
/// comparing it with every signature (the batch would be quadratic).
#[derive(Default)]
pub(crate) struct Index {
    /// (position, value) → the latest entry of `entries` with that value at that position.
    heads: FxHashMap<(u8, u64), u32>,
    /// (slot in `signatures`, the previous entry with the same position and value, or `NONE`).
    entries: Vec<(u32, u32)>,
    /// The signatures inserted, with their ids.
    signatures: Vec<(usize, Signature)>,
}

const NONE: u32 = u32::MAX;
// Positions are stored as `u8`.
const _: () = assert!(HASHES <= 256);

// A signature that shares no value with another has similarity 0: never a duplicate.
const _: () = assert!(MIN_SAME > 0 && MIN_SAME <= HASHES);

impl Index {
    pub fn insert(&mut self, id: usize, sig: &Signature) {
        let slot = u32::try_from(self.signatures.len()).expect("under 2^32 signatures");
        for (pos, &v) in sig.0[..INDEXED].iter().enumerate() {
            let entry = u32::try_from(self.entries.len()).expect("under 2^32 entries");
            let previous = self.heads.insert((pos as u8, v), entry).unwrap_or(NONE);
            self.entries.push((slot, previous));
        }
        self.signatures.push((id, sig.clone()));
    }

    /// The most similar signature inserted so far whose similarity reaches [`THRESHOLD`], and
    /// its similarity as [`Signature::similarity`] gives it (the lowest id among equals);
    /// `None` when there is none.
    pub fn best(&self, sig: &Signature) -> Option<(usize, f64)> {
        let mut slots: Vec<u32> = Vec::new();
        for (pos, &v) in sig.0[..INDEXED].iter().enumerate() {
            let mut at = self.heads.get(&(pos as u8, v)).copied().unwrap_or(NONE);
            while at != NONE {
                let (slot, previous) = self.entries[at as usize];
                slots.push(slot);
                at = previous;
            }
        }
        slots.sort_unstable();
        slots.dedup();
        slots
            .into_iter()
            .map(|slot| {
                let (id, other) = &self.signatures[slot as usize];
                (*id, sig.same(other))
            })
            .filter(|&(_, same)| same >= MIN_SAME)
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(id, n)| (id, n as f64 / HASHES as f64))
    }
}

/// For each signature of a batch (`None`: an article that is not de-duplicated), the earlier
/// signatures of the batch whose similarity with it reaches [`THRESHOLD`]: `(index,
/// similarity)`, by index. These are the signatures an [`Index`] holding every earlier one
/// would find, worked out for the whole batch at once and in parallel: for each indexed
/// position, the signatures sorted by their value there, so that the ones sharing a value sit
/// side by side; the pairs found that way are then compared whole.
pub(crate) fn earlier_near_duplicates(batch: &[Option<&Signature>]) -> Vec<Vec<(usize, f64)>> {
    let index = |k: usize| u32::try_from(k).expect("under 2^32 articles");
    let mut pairs: Vec<(u32, u32)> = (0..INDEXED)
        .into_par_iter()
        .flat_map_iter(|pos| {
            let mut values: Vec<(u64, u32)> = batch
                .iter()
                .enumerate()
                .filter_map(|(k, s)| s.map(|s| (s.0[pos], index(k))))
                .collect();
            values.sort_unstable();
            let mut found = Vec::new();
            for run in values.chunk_by(|a, b| a.0 == b.0) {
                // (later, earlier): runs are sorted by index.
                for (i, &(_, later)) in run.iter().enumerate() {
                    found.extend(run[..i].iter().map(|&(_, earlier)| (later, earlier)));
                }
            }
            found
        })
        .collect();
    pairs.par_sort_unstable();
    pairs.dedup();
    let found: Vec<(usize, Vec<(usize, f64)>)> = pairs
        .chunk_by(|a, b| a.0 == b.0)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|group| {
            let later = group[0].0 as usize;
            let sig = batch[later].expect("only signatures are paired");
            let near = group
                .iter()
                .filter_map(|&(_, earlier)| {
                    let other = batch[earlier as usize].expect("only signatures are paired");
                    let same = sig.same(other);
                    (same >= MIN_SAME).then(|| (earlier as usize, same as f64 / HASHES as f64))
                })
                .collect();
            (later, near)
        })
        .collect();
    let mut near = vec![Vec::new(); batch.len()];
    for (later, list) in found {
        near[later] = list;
    }
    near
}

/// For each permutation, the least permuted shingle hash. This loop is most of the cost of a
/// signature; it is the same arithmetic on 128 independent lanes, so it is compiled a second
/// time for AVX-512 (64-bit vector multiply and minimum) and that copy is used when the CPU has
/// it. Both give the same values.
fn min_hashes(shingles: &[u64]) -> [u64; HASHES] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512dq")
    {
        // SAFETY: the CPU has the features `min_hashes_avx512` is compiled for.
        return unsafe { min_hashes_avx512(shingles) };
    }
    min_hashes_portable(shingles)
}

#[inline(always)]
fn min_hashes_portable(shingles: &[u64]) -> [u64; HASHES] {
    let mut sig = [u64::MAX; HASHES];
    for &s in shingles {
        for (m, seed) in sig.iter_mut().zip(SEEDS) {
            *m = (*m).min(mix(s ^ seed));
        }
    }
    sig
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
fn min_hashes_avx512(shingles: &[u64]) -> [u64; HASHES] {
    min_hashes_portable(shingles)
}

/// SplitMix64 finalizer: a cheap, fixed permutation of 64-bit values.
#[inline(always)]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "A copper miner signed a deal on Monday to reprocess old tailings from two closed mines in the Andes. \
        The project will recover copper and zinc that earlier plants left behind, the company said. \
        Local officials welcomed the plan, saying it would also make the old dams safer for the villages below. \
        Work is due to start next spring and to run for at least eight years.";

    #[test]
    fn identical_and_lightly_edited_copies_match() {
        let a = Signature::of("Miner to reprocess tailings", STORY);
        assert_eq!(a.similarity(&a), 1.0);
        let edited = STORY
            .replace("on Monday", "on Tuesday")
            .replace("Local officials", "Regional officials");
        let b = Signature::of("Copper miner will reprocess Andean tailings", &edited);
        assert!(a.similarity(&b) >= THRESHOLD, "{}", a.similarity(&b));
    }

    #[test]
    fn the_index_finds_what_comparing_with_every_signature_finds() {
        let texts = [
            STORY.to_string(),
            STORY.replace("on Monday", "on Tuesday"),
            STORY.replace("copper", "nickel").replace("Andes", "Alps"),
            "Two cloud providers agreed to share a fibre backbone.".to_string(),
            STORY.to_string(),
            STORY.replace("Local officials", "Regional officials"),
            STORY[..STORY.len() / 2].to_string(),
            STORY.replace("the", "a"),
        ];
        let sigs: Vec<Signature> = texts.iter().map(|t| Signature::of("T", t)).collect();
        let mut index = Index::default();
        assert_eq!(index.best(&sigs[0]), None);
        let mut below = 0;
        for (i, s) in sigs.iter().enumerate() {
            let brute = (0..i)
                .map(|j| (j, sigs[j].similarity(s)))
                .filter(|(_, x)| *x >= THRESHOLD)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            below += (0..i)
                .filter(|&j| (0.0..THRESHOLD).contains(&sigs[j].similarity(s)))
                .count();
            assert_eq!(index.best(s), brute, "signature {i}");
            index.insert(i, s);
        }
        // Pairs on both sides of the threshold were asked about.
        assert!(below > 0);
        // The exact copy finds the first of the equals.
        assert_eq!(index.best(&sigs[4]), Some((0, 1.0)));
    }

    #[test]
    fn the_batch_search_finds_what_the_index_finds() {
        let texts = [
            STORY.to_string(),
            STORY.replace("on Monday", "on Tuesday"),
            "Two cloud providers agreed to share a fibre backbone.".to_string(),
            STORY.to_string(),
            STORY.replace("Local officials", "Regional officials"),
            STORY[..STORY.len() / 2].to_string(),
            "Two cloud providers agreed to share a fibre backbone.".to_string(),
            STORY.replace("the", "a"),
        ];
        let sigs: Vec<Signature> = texts.iter().map(|t| Signature::of("T", t)).collect();
        // Article 3 is left out of de-duplication.
        let batch: Vec<Option<&Signature>> = sigs
            .iter()
            .enumerate()
            .map(|(k, s)| (k != 3).then_some(s))
            .collect();
        let near = earlier_near_duplicates(&batch);
        for (k, s) in batch.iter().enumerate() {
            let Some(s) = s else {
                assert!(near[k].is_empty());
                continue;
            };
            let mut expected = Vec::new();
            for (j, other) in batch[..k].iter().enumerate() {
                let mut one = Index::default();
                if let Some(other) = other {
                    one.insert(j, other);
                }
                expected.extend(one.best(s));
            }
            assert_eq!(near[k], expected, "signature {k}");
        }
        // The copies and light edits found their originals; the short story found its copy.
        assert_eq!(near[1], vec![(0, near[1][0].1)]);
        assert_eq!(near[6], vec![(2, 1.0)]);
        assert!(near[2].is_empty());
    }

    #[test]
    fn near_duplicates_share_an_indexed_position() {
        assert_eq!(MIN_SAME, 64);
        // Equal in exactly MIN_SAME positions, all after the indexed ones but one.
        let a = Signature(std::array::from_fn(|i| i as u64));
        let mut b = a.clone();
        for (i, v) in b.0.iter_mut().enumerate() {
            if i < INDEXED - 1 {
                *v += 1000;
            }
        }
        assert_eq!(a.similarity(&b), MIN_SAME as f64 / HASHES as f64);
        let mut index = Index::default();
        index.insert(7, &a);
        assert_eq!(index.best(&b), Some((7, 0.5)));
        // One fewer equal value: not a near-duplicate.
        b.0[INDEXED - 1] += 1000;
        assert_eq!(index.best(&b), None);
    }

    #[test]
    fn signatures_do_not_depend_on_how_the_text_is_cut_into_title_and_body() {
        let words = "one two three four five six seven";
        assert_eq!(
            Signature::of("One two", "three four five six seven"),
            Signature::of(words, "")
        );
        assert_eq!(Signature::of("", ""), Signature::of("", "!?"));
        assert_ne!(Signature::of("", ""), Signature::default());
    }

    #[test]
    fn every_compiled_copy_gives_the_same_minimums() {
        let shingles: Vec<u64> = (0..300u64).map(|i| mix(i * 7 + 1)).collect();
        let expected: Vec<u64> = SEEDS
            .iter()
            .map(|seed| shingles.iter().map(|s| mix(s ^ seed)).min().unwrap())
            .collect();
        assert_eq!(min_hashes(&shingles).to_vec(), expected);
        assert_eq!(min_hashes_portable(&shingles).to_vec(), expected);
    }

    #[test]
    fn different_stories_do_not_match() {
        let a = Signature::of("Miner to reprocess tailings", STORY);
        let other = "Two cloud providers agreed to share a fibre backbone between their data centres in the north. \
            The companies said the deal would cut costs and speed up links for customers in the region.";
        let b = Signature::of("Clouds share a backbone", other);
        assert!(a.similarity(&b) < 0.2, "{}", a.similarity(&b));
    }
}
