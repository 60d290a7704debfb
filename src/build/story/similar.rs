//! How alike two articles are: TF-IDF vectors of each article's title, summary, lead and
//! entities, compared by cosine, and for every article its most similar others.
//!
//! Two weightings of the same counts serve two questions. *Related coverage* asks "what else
//! is about this?": topic words matter, so the inverse document frequency is damped
//! ([`RELATED`]: `idf^0.4`) and a company name counts as one word. *Story threads* ask "is this
//! the same story?": the rare words and the actors matter, so the full idf is used and
//! organizations and people count three times ([`STORY`]).
//!
//! The cost must stay small beside the rest of a build, so three things are bounded:
//!
//! - the text read: the title, the summary and the first [`LEAD_BYTES`] of the body's text
//!   (news puts the story in its lead; the whole body would cost as much as the search index);
//! - each vector keeps its [`TERMS`] heaviest terms;
//! - looking for neighbours walks, for an article's [`QUERY_TERMS`] heaviest terms, the
//!   [`POSTINGS`] articles where that term weighs most. The [`CANDIDATES`] best found are
//!   then scored exactly, on all kept terms.
//!
//! Words are the project's tokenizer's (`ingest::tokens`: lower-case, stopwords dropped, plurals
//! folded; found by the faster scanner of [`super::words`]), so "related" and ingest's
//! classifier read the same words; numbers are left out
//! (a figure says nothing about what a story is about). Everything is deterministic: terms
//! are hashed with a fixed function, and every order ties on an index.

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::entities::Kind;
use super::words;
use crate::build::content::Article;
use crate::build::markdown;

/// Bytes of body text read after the title and summary.
pub(crate) const LEAD_BYTES: usize = 1000;
/// Terms kept per article vector.
const TERMS: usize = 32;
/// Terms of an article (its heaviest) used to look for its neighbours.
const QUERY_TERMS: usize = 16;
/// Articles walked per term when looking for neighbours.
const POSTINGS: usize = 40;
/// Neighbours scored exactly per article.
pub(crate) const CANDIDATES: usize = 60;

/// How counts become weights.
pub(crate) struct Weights {
    /// A title word counts as this many words of the body.
    title: f32,
    /// An organization or person counts as this many words.
    actor: f32,
    /// A place counts as this many words.
    place: f32,
    /// The idf is raised to this power.
    idf_power: f32,
}

/// For related coverage (tuned on Reuters-21578, docs/quality.md).
pub(crate) const RELATED: Weights = Weights {
    title: 1.0,
    actor: 1.0,
    place: 1.0,
    idf_power: 0.4,
};

/// For story threads (tuned on the synthetic follow-ups, docs/quality.md).
pub(crate) const STORY: Weights = Weights {
    title: 2.0,
    actor: 3.0,
    place: 1.0,
    idf_power: 1.0,
};

/// The sparse unit vectors of every article under one weighting, one after another: article
/// `i`'s terms, in order, and their weights are at `starts[i]..starts[i + 1]` of `terms` and
/// `weights`. Flat, with no allocation per article and no padding between a term and its
/// weight: a build holds two of every article's vectors at once.
pub(crate) struct Vectors {
    starts: Vec<usize>,
    terms: Vec<u64>,
    weights: Vec<f32>,
}

impl Vectors {
    fn with_capacity(articles: usize) -> Vectors {
        Vectors {
            starts: {
                let mut starts = Vec::with_capacity(articles + 1);
                starts.push(0);
                starts
            },
            terms: Vec::new(),
            weights: Vec::new(),
        }
    }

    /// Appends the next article's vector: (term, weight), ordered by term.
    fn push(&mut self, vector: impl IntoIterator<Item = (u64, f32)>) {
        for (t, w) in vector {
            self.terms.push(t);
            self.weights.push(w);
        }
        self.starts.push(self.terms.len());
    }

    /// Article `i`'s vector: its terms, in order, and their weights.
    pub(crate) fn get(&self, i: usize) -> (&[u64], &[f32]) {
        let range = self.starts[i]..self.starts[i + 1];
        (&self.terms[range.clone()], &self.weights[range])
    }
}

/// How often one term occurs in one article, by where.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Count {
    term: u64,
    title: u16,
    text: u16,
    actor: u16,
    place: u16,
}

/// The term counts of one article, packed: a build holds those of every article at once
/// (#16). Each count is its term's 8 bytes, then one byte `field << 6 | n` when the term was
/// found `n` times (1 to 63) in one field only (title, text, organization or person, place:
/// most terms, a word of the text once or twice), else a 0 byte and the four numbers in two
/// bytes each: 9 bytes a count for most instead of 16.
#[derive(Debug, Clone, Default)]
pub(crate) struct Counts(Box<[u8]>);

impl Counts {
    fn pack(counts: &[Count]) -> Counts {
        let mut bytes = Vec::with_capacity(counts.len() * 9);
        for c in counts {
            bytes.extend_from_slice(&c.term.to_le_bytes());
            let fields = [c.title, c.text, c.actor, c.place];
            let mut used = fields.iter().enumerate().filter(|(_, n)| **n > 0);
            match (used.next(), used.next()) {
                (Some((field, &n)), None) if n < 64 => bytes.push((field as u8) << 6 | n as u8),
                _ => {
                    bytes.push(0);
                    for n in fields {
                        bytes.extend_from_slice(&n.to_le_bytes());
                    }
                }
            }
        }
        Counts(bytes.into_boxed_slice())
    }

    /// The counts, in the order they were packed.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Count> + '_ {
        let mut rest = &self.0[..];
        std::iter::from_fn(move || {
            let (term, tail) = rest.split_first_chunk::<8>()?;
            let (&tag, tail) = tail.split_first().expect("a tag after each term");
            let mut c = Count {
                term: u64::from_le_bytes(*term),
                ..Count::default()
            };
            rest = if tag == 0 {
                let (fields, tail) = tail.split_first_chunk::<8>().expect("four numbers");
                let n = |k: usize| u16::from_le_bytes([fields[2 * k], fields[2 * k + 1]]);
                (c.title, c.text, c.actor, c.place) = (n(0), n(1), n(2), n(3));
                tail
            } else {
                let n = u16::from(tag & 63);
                match tag >> 6 {
                    0 => c.title = n,
                    1 => c.text = n,
                    2 => c.actor = n,
                    _ => c.place = n,
                }
                tail
            };
            Some(c)
        })
    }
}

/// The term of an entity key: kept apart from words by the seed.
pub(crate) fn entity_term(key: &str) -> u64 {
    xxh3_64_with_seed(key.as_bytes(), 1)
}

/// Scratch space of [`counts`], kept by a thread from article to article.
#[derive(Default)]
pub(crate) struct Scratch {
    scanner: words::Scanner,
    /// Open addressing by term: 0 is a free slot, `k + 1` the `k`-th count of `found`.
    slots: Vec<u32>,
    /// The slots taken by the current article.
    used: Vec<u32>,
    found: Vec<Count>,
}

/// Term counts of one article (whose body is `html`), one per distinct term, in the order the
/// terms first occur.
pub(crate) fn counts(
    a: &Article,
    html: &str,
    entities: &[(Kind, String, &str)],
    scratch: &mut Scratch,
) -> Counts {
    const TITLE: u8 = 0;
    const TEXT: u8 = 1;
    const ACTOR: u8 = 2;
    const PLACE: u8 = 3;
    // A word has two characters or more, so a text of `b` bytes holds at most `b / 2`; with
    // twice as many slots, the table is at most half full.
    let bytes = a.title.len() + a.summary.iter().map(String::len).sum::<usize>() + LEAD_BYTES;
    let most = bytes / 2 + entities.len();
    let Scratch {
        scanner,
        slots,
        used,
        found,
    } = scratch;
    // Slots are left free after each article: only a short table is cleared.
    let size = (2 * most).next_power_of_two().max(64);
    if slots.len() < size {
        slots.clear();
        slots.resize(size, 0);
    }
    found.clear();
    used.clear();
    let mask = size - 1;
    let mut add = |term: u64, at: u8| {
        // Terms are hashes: their low bits are as good as any.
        let mut i = term as usize & mask;
        let k = loop {
            match slots[i] {
                0 => {
                    found.push(Count {
                        term,
                        ..Count::default()
                    });
                    slots[i] = found.len() as u32;
                    used.push(i as u32);
                    break found.len() - 1;
                }
                s if found[s as usize - 1].term == term => break s as usize - 1,
                _ => i = (i + 1) & mask,
            }
        };
        let c = &mut found[k];
        let n = match at {
            TITLE => &mut c.title,
            TEXT => &mut c.text,
            ACTOR => &mut c.actor,
            _ => &mut c.place,
        };
        *n = n.saturating_add(1);
    };
    scanner.for_each_term(&a.title, |t| add(t, TITLE));
    for point in &a.summary {
        scanner.for_each_term(point, |t| add(t, TEXT));
    }
    let mut budget = LEAD_BYTES;
    markdown::text_runs(html, |text| {
        let cut = floor_char_boundary(text, budget);
        scanner.for_each_term(&text[..cut], |t| add(t, TEXT));
        budget -= cut;
        budget > 0
    });
    for (kind, key, _) in entities {
        add(
            entity_term(key),
            if *kind == Kind::Place { PLACE } else { ACTOR },
        );
    }
    for &i in used.iter() {
        slots[i as usize] = 0;
    }
    Counts::pack(found)
}

fn floor_char_boundary(text: &str, at: usize) -> usize {
    if at >= text.len() {
        return text.len();
    }
    let mut i = at;
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// In how many articles each term occurs.
pub(crate) struct Frequencies {
    articles: usize,
    /// Term → articles holding it.
    df: FxHashMap<u64, u32>,
}

/// Counts the articles holding each term: one map per share of the articles, in parallel,
/// then added up (sums: the order does not matter).
pub(crate) fn frequencies(counts: &[Cow<'_, Counts>]) -> Frequencies {
    let share = counts
        .len()
        .div_ceil(2 * rayon::current_num_threads())
        .max(1);
    let df = counts
        .par_chunks(share)
        .map(|chunk| {
            let mut df: FxHashMap<u64, u32> = FxHashMap::default();
            for c in chunk.iter().flat_map(|v| v.iter()) {
                *df.entry(c.term).or_default() += 1;
            }
            df
        })
        .reduce(FxHashMap::default, |a, b| {
            let (mut big, small) = if a.len() >= b.len() { (a, b) } else { (b, a) };
            for (t, n) in small {
                *big.entry(t).or_default() += n;
            }
            big
        });
    Frequencies {
        articles: counts.len(),
        df,
    }
}

/// Articles weighed at a time: the counts of one batch are dropped (when owned) as soon as
/// its vectors are made, so that a build never holds every article's counts and vectors at
/// once.
const WEIGH_BATCH: usize = 4096;

/// TF-IDF weights (`(1 + ln tf) · ln(N / df)^p`) of every article under each of the weightings
/// `w`, unit length, pruned to the [`TERMS`] heaviest, ordered by term. Terms of a single
/// article relate nothing and are dropped. Owned counts are dropped as they are used.
pub(crate) fn weigh<const K: usize>(
    counts: Vec<Cow<'_, Counts>>,
    f: &Frequencies,
    w: [&Weights; K],
) -> [Vectors; K] {
    let n = f.articles as f32;
    // The idf depends on the document frequency only: one power per possible value.
    let idf: [Vec<f32>; K] = w.map(|w| {
        (0..=f.articles)
            .map(|d| (n / d.max(1) as f32).ln().max(0.0).powf(w.idf_power))
            .collect()
    });
    // Counts and weights are whole numbers, and so is `tf`: `1 + ln tf` of the common ones
    // looked up (the same expression, computed once).
    let damp: Vec<f32> = (0..64).map(|k| 1.0 + (k as f32).ln()).collect();
    let damped = |tf: f32| match damp.get(tf as usize) {
        Some(&v) if tf == (tf as usize) as f32 => v,
        _ => 1.0 + tf.ln(),
    };
    let vectors_of =
        |(kept, ranked): &mut (Vec<(Count, u32)>, Vec<u128>), v: &Counts| -> [Vec<(u64, f32)>; K] {
            // The document frequency of each term, looked up once for all weightings.
            kept.clear();
            kept.extend(v.iter().filter_map(|c| {
                let d = f.df.get(&c.term).copied().unwrap_or(0);
                (d > 1).then_some((c, d))
            }));
            std::array::from_fn(|k| {
                let w = w[k];
                // Each weight as one number, smallest first: heaviest first, then the lower term
                // (weights are positive: their bits order as they do). The order is total: the
                // heaviest TERMS are one set.
                ranked.clear();
                // The norm of all the terms, before pruning (in f64: the terms come in the order
                // of the article's words, and the sum must not depend on it).
                let mut norm = 0f64;
                for &(c, d) in kept.iter() {
                    let idf = idf[k][d as usize];
                    if idf > 0.0 {
                        let tf = f32::from(c.title) * w.title
                            + f32::from(c.text)
                            + f32::from(c.actor) * w.actor
                            + f32::from(c.place) * w.place;
                        let x = damped(tf) * idf;
                        norm += f64::from(x * x);
                        ranked.push(u128::from(heaviest_first(x)) << 64 | u128::from(c.term));
                    }
                }
                let norm = norm.sqrt() as f32;
                if ranked.len() > TERMS {
                    ranked.select_nth_unstable(TERMS);
                    ranked.truncate(TERMS);
                }
                // Ordered by term (the low half).
                ranked.sort_unstable_by_key(|&r| r as u64);
                ranked
                    .iter()
                    .map(|&r| (r as u64, weight_of((r >> 64) as u32) / norm))
                    .collect()
            })
        };
    let mut all: [Vectors; K] = std::array::from_fn(|_| Vectors::with_capacity(counts.len()));
    let mut counts = counts.into_iter();
    loop {
        let batch: Vec<Cow<'_, Counts>> = counts.by_ref().take(WEIGH_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let made: Vec<[Vec<(u64, f32)>; K]> = batch
            .into_par_iter()
            .map_init(
                || (Vec::new(), Vec::new()),
                |scratch, v| vectors_of(scratch, &v),
            )
            .collect();
        for vectors in made {
            for (k, v) in vectors.into_iter().enumerate() {
                all[k].push(v);
            }
        }
        // The batch's counts are freed: their memory goes back instead of staying beside the
        // vectors.
        crate::memory::release_freed();
    }
    all
}

/// The cosine of two unit vectors (of their kept terms).
pub(crate) fn cosine((at, aw): (&[u64], &[f32]), (bt, bw): (&[u64], &[f32])) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < at.len() && j < bt.len() {
        match at[i].cmp(&bt[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += aw[i] * bw[j];
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// A positive weight or score as a number that sorts the heaviest first: the bits of a
/// positive `f32` order as its values do, and inverted they order the other way. The ranks of
/// the weightings and of the candidate search put it above a tie-breaker, in one integer.
fn heaviest_first(w: f32) -> u32 {
    !w.to_bits()
}

/// The weight [`heaviest_first`] made `key` from.
fn weight_of(key: u32) -> f32 {
    f32::from_bits(!key)
}

/// For every article, up to [`CANDIDATES`] others with a positive similarity, most similar
/// first (equal scores: lower index first), handed to `pick` (with the article's index),
/// whose answers come back in article order: the lists are not all held at once.
pub(crate) fn neighbours<R: Send>(
    vectors: Vectors,
    pick: impl Fn(usize, &[(usize, f32)]) -> R + Sync,
) -> Vec<R> {
    // Every term gets a slot (in the order first met): the candidate search and the exact
    // cosines below read each entry as (slot, weight), four bytes and four instead of eight
    // and four (the exact cosines read 60 other articles' entries per article).
    let Vectors {
        starts: offsets,
        terms,
        weights,
    } = vectors;
    let mut slot_of: FxHashMap<u64, u32> = FxHashMap::default();
    let mut sizes: Vec<usize> = Vec::new();
    let slots: Vec<u32> = terms
        .iter()
        .map(|&t| {
            let next = sizes.len() as u32;
            let s = *slot_of.entry(t).or_insert(next);
            if s == next {
                sizes.push(0);
            }
            sizes[s as usize] += 1;
            s
        })
        .collect();
    drop(slot_of);
    drop(terms);
    let mut starts: Vec<usize> = Vec::with_capacity(sizes.len() + 1);
    starts.push(0);
    for &n in &sizes {
        starts.push(starts.last().expect("one") + n);
    }
    let n = offsets.len() - 1;
    // Postings: per slot, (weight, article) of the articles holding the term.
    let mut postings: Vec<(f32, u32)> = vec![(0.0, 0); slots.len()];
    let mut fill = starts.clone();
    for d in 0..n {
        for e in offsets[d]..offsets[d + 1] {
            let s = slots[e] as usize;
            postings[fill[s]] = (weights[e], d as u32);
            fill[s] += 1;
        }
    }
    drop(fill);
    // Each term's postings heaviest first (equal weights: lower index first), cut at POSTINGS.
    let heaviest = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    let mut lists: Vec<&mut [(f32, u32)]> = Vec::with_capacity(sizes.len());
    let mut rest = postings.as_mut_slice();
    for &n in &sizes {
        let (list, tail) = rest.split_at_mut(n);
        lists.push(list);
        rest = tail;
    }
    lists.par_iter_mut().with_min_len(1024).for_each(|list| {
        if list.len() > POSTINGS {
            list.select_nth_unstable_by(POSTINGS, heaviest);
        }
        let len = list.len().min(POSTINGS);
        list[..len].sort_unstable_by(heaviest);
    });
    drop(lists);
    let terms = sizes.len();
    (0..n)
        .into_par_iter()
        // Each job allocates one score array of `n` floats and one weight per term: not too
        // many jobs.
        .with_min_len(256)
        .map_init(
            || {
                (
                    vec![0f32; n],
                    vec![0f32; terms],
                    Vec::<u32>::new(),
                    Vec::<u64>::new(),
                    Vec::<u64>::new(),
                    Vec::<(usize, f32)>::new(),
                )
            },
            |(acc, weight, touched, found, query, best), d| {
                let own = offsets[d]..offsets[d + 1];
                // The query: the QUERY_TERMS heaviest terms, heaviest first (scores are
                // summed in this order).
                // Equal weights: the lower term first (entries come in term order). Each as
                // one number, smallest first: the weight's bits inverted (weights are
                // positive: their bits order as they do), then the entry's place.
                query.clear();
                query.extend(
                    weights[own.clone()]
                        .iter()
                        .enumerate()
                        .map(|(k, &w)| u64::from(heaviest_first(w)) << 32 | k as u64),
                );
                if query.len() > QUERY_TERMS {
                    query.select_nth_unstable(QUERY_TERMS);
                    query.truncate(QUERY_TERMS);
                }
                query.sort_unstable();
                for &rank in query.iter() {
                    let e = own.start + rank as u32 as usize;
                    let (s, w) = (slots[e] as usize, weights[e]);
                    let len = (starts[s + 1] - starts[s]).min(POSTINGS);
                    for &(w2, d2) in &postings[starts[s]..starts[s] + len] {
                        let slot = &mut acc[d2 as usize];
                        if *slot == 0.0 {
                            touched.push(d2);
                        }
                        *slot += w * w2;
                    }
                }
                // Scratch buffers are reused: an article of a small-vocabulary archive touches
                // a thousand others, and only the best few are kept. Each as one number,
                // smallest first: higher score first, then lower index.
                found.clear();
                found.extend(touched.drain(..).filter_map(|d2| {
                    let score = std::mem::take(&mut acc[d2 as usize]);
                    (d2 as usize != d)
                        .then(|| u64::from(heaviest_first(score)) << 32 | u64::from(d2))
                }));
                if found.len() > CANDIDATES {
                    found.select_nth_unstable(CANDIDATES);
                    found.truncate(CANDIDATES);
                }
                // Exact cosines: this article's weights spread by slot, each candidate's
                // entries read against them (in term order, the order `cosine` sums in).
                for e in own.clone() {
                    weight[slots[e] as usize] = weights[e];
                }
                best.clear();
                best.extend(
                    found
                        .iter()
                        .map(|&rank| {
                            let d2 = rank as u32 as usize;
                            let range = offsets[d2]..offsets[d2 + 1];
                            let sum = slots[range.clone()]
                                .iter()
                                .zip(&weights[range])
                                // A term the article lacks adds 0: the same sum as `cosine`'s.
                                .fold(0.0, |sum, (&s, &w2)| sum + weight[s as usize] * w2);
                            (d2, sum)
                        })
                        .filter(|f| f.1 > 0.0),
                );
                for e in own {
                    weight[slots[e] as usize] = 0.0;
                }
                best.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                pick(d, best.as_slice())
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(vectors: &[&[(u64, f32)]]) -> Vectors {
        let mut all = Vectors::with_capacity(vectors.len());
        for v in vectors {
            let norm = v.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
            all.push(v.iter().map(|&(t, w)| (t, w / norm)));
        }
        all
    }

    #[test]
    fn neighbours_are_ranked_by_cosine_and_never_the_article_itself() {
        let vectors: &[&[(u64, f32)]] = &[
            &[(1, 1.0), (2, 1.0)],
            &[(1, 1.0), (2, 1.0), (3, 0.2)],
            &[(2, 1.0), (3, 1.0)],
            &[(4, 1.0)],
        ];
        let expected = cosine(unit(vectors).get(0), unit(vectors).get(1));
        let n = neighbours(unit(vectors), |i, best| (i, best.to_vec()));
        assert_eq!(n.iter().map(|x| x.0).collect::<Vec<_>>(), [0, 1, 2, 3]);
        let n: Vec<Vec<(usize, f32)>> = n.into_iter().map(|x| x.1).collect();
        assert_eq!(n[0].iter().map(|x| x.0).collect::<Vec<_>>(), [1, 2]);
        assert!((n[0][0].1 - expected).abs() < 1e-6);
        assert_eq!(n[2].iter().map(|x| x.0).collect::<Vec<_>>(), [1, 0]);
        assert!(n[3].is_empty(), "nothing shares a term with it");
    }

    #[test]
    fn terms_of_one_article_are_dropped_and_weights_are_unit_length() {
        let c = |term: u64, text: u16| Count {
            term,
            text,
            ..Count::default()
        };
        let counts = [
            vec![c(2, 3), c(1, 1)],
            vec![c(1, 1), c(3, 1)],
            vec![c(4, 1)],
        ];
        let counts: Vec<Cow<'_, Counts>> =
            counts.iter().map(|c| Cow::Owned(Counts::pack(c))).collect();
        let f = frequencies(&counts);
        let [r, s] = weigh(counts, &f, [&RELATED, &STORY]);
        for w in [r, s] {
            assert_eq!(w.get(0).0, [1]);
            assert!((w.get(0).1[0] - 1.0).abs() < 1e-6);
            assert!(w.get(2).0.is_empty());
        }
    }

    #[test]
    fn packed_counts_read_back_as_counted() {
        let c = |term: u64, [title, text, actor, place]: [u16; 4]| Count {
            term,
            title,
            text,
            actor,
            place,
        };
        let counts = [
            c(u64::MAX, [0, 1, 0, 0]),
            c(0, [1, 0, 0, 0]),
            c(7, [0, 0, 63, 0]),
            c(8, [0, 0, 0, 64]),
            c(9, [2, 3, 0, 0]),
            c(10, [0, 0, 1, 1]),
            c(11, [u16::MAX, 0, 0, 0]),
            c(1 << 40, [0, 0, 0, 1]),
        ];
        let packed = Counts::pack(&counts);
        assert_eq!(packed.iter().collect::<Vec<_>>(), counts);
        assert_eq!(
            packed.0.len(),
            9 * 4 + 17 * 4,
            "one byte for a single field under 64"
        );
        assert_eq!(Counts::pack(&[]).iter().count(), 0);
    }

    #[test]
    fn lead_cut_keeps_whole_characters() {
        assert_eq!(floor_char_boundary("aé", 2), 1);
        assert_eq!(floor_char_boundary("ab", 5), 2);
    }
}
