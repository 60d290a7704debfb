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

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use super::entities::Kind;
use super::words;
use crate::build::content::Article;
use crate::build::markdown;

/// Bytes of body text read after the title and summary.
pub(crate) const LEAD_BYTES: usize = 1500;
/// Terms kept per article vector.
const TERMS: usize = 32;
/// Terms of an article (its heaviest) used to look for its neighbours.
const QUERY_TERMS: usize = 16;
/// Articles walked per term when looking for neighbours.
const POSTINGS: usize = 64;
/// Neighbours scored exactly per article.
pub(crate) const CANDIDATES: usize = 30;

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

/// A sparse vector: (term, weight), ordered by term.
pub(crate) type Vector = Vec<(u64, f32)>;

/// How often one term occurs in one article, by where. Small (24 bytes): a build holds one
/// per distinct term of every article at once.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Count {
    term: u64,
    /// Articles holding the term (filled in by [`frequencies`]).
    df: u32,
    title: u16,
    text: u16,
    actor: u16,
    place: u16,
}

/// The term of an entity key: kept apart from words by the seed.
pub(crate) fn entity_term(key: &str) -> u64 {
    xxh3_64_with_seed(key.as_bytes(), 1)
}

/// Term counts of one article, by term.
pub(crate) fn counts(
    a: &Article,
    entities: &[(Kind, String, &str)],
    scanner: &mut words::Scanner,
) -> Vec<Count> {
    // (term, where) pairs: small to sort; folded into one Count per term after.
    const TITLE: u8 = 0;
    const TEXT: u8 = 1;
    const ACTOR: u8 = 2;
    const PLACE: u8 = 3;
    let mut terms: Vec<(u64, u8)> = Vec::with_capacity(320);
    let mut add = |text: &str, at: u8| {
        scanner.for_each_term(text, |t| terms.push((t, at)));
    };
    add(&a.title, TITLE);
    for point in &a.summary {
        add(point, TEXT);
    }
    let mut budget = LEAD_BYTES;
    markdown::text_runs(&a.html, |text| {
        let cut = floor_char_boundary(text, budget);
        add(&text[..cut], TEXT);
        budget -= cut;
        budget > 0
    });
    for (kind, key, _) in entities {
        terms.push((
            entity_term(key),
            if *kind == Kind::Place { PLACE } else { ACTOR },
        ));
    }
    // By term alone: the order of one term's places does not change its counts.
    terms.sort_unstable_by_key(|t| t.0);
    let distinct = 1 + terms.windows(2).filter(|w| w[0].0 != w[1].0).count();
    let mut out: Vec<Count> = Vec::with_capacity(distinct.min(terms.len()));
    for (term, at) in terms {
        if out.last().is_none_or(|last| last.term != term) {
            out.push(Count {
                term,
                ..Count::default()
            });
        }
        let c = out.last_mut().expect("pushed");
        let n = match at {
            TITLE => &mut c.title,
            TEXT => &mut c.text,
            ACTOR => &mut c.actor,
            _ => &mut c.place,
        };
        *n = n.saturating_add(1);
    }
    out
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

/// In how many articles each term occurs, by term.
pub(crate) struct Frequencies {
    articles: usize,
}

/// Counts the articles holding each term and records it in every [`Count`].
pub(crate) fn frequencies(counts: &mut [Vec<Count>]) -> Frequencies {
    let mut all: Vec<u64> = counts
        .iter()
        .flat_map(|v| v.iter().map(|t| t.term))
        .collect();
    all.par_sort_unstable();
    let mut df: Vec<(u64, u32)> = Vec::with_capacity(all.len() / 4);
    for t in all {
        match df.last_mut() {
            Some(last) if last.0 == t => last.1 += 1,
            _ => df.push((t, 1)),
        }
    }
    counts.par_iter_mut().for_each(|v| {
        // Both lists are ordered by term: one merge, no search per term.
        let mut k = 0;
        for c in v.iter_mut() {
            while df[k].0 < c.term {
                k += 1;
            }
            c.df = df[k].1;
        }
    });
    Frequencies {
        articles: counts.len(),
    }
}

/// TF-IDF weights (`(1 + ln tf) · ln(N / df)^p`), unit length, pruned to the [`TERMS`]
/// heaviest. Terms of a single article relate nothing and are dropped.
pub(crate) fn weigh(counts: &[Vec<Count>], f: &Frequencies, w: &Weights) -> Vec<Vector> {
    let n = f.articles as f32;
    // The idf depends on the document frequency only: one power per possible value.
    let idf: Vec<f32> = (0..=f.articles)
        .map(|d| (n / d.max(1) as f32).ln().max(0.0).powf(w.idf_power))
        .collect();
    // Counts and weights are whole numbers, and so is `tf`: `1 + ln tf` of the common ones
    // looked up (the same expression, computed once).
    let damp: Vec<f32> = (0..64).map(|k| 1.0 + (k as f32).ln()).collect();
    let damped = |tf: f32| match damp.get(tf as usize) {
        Some(&v) if tf == (tf as usize) as f32 => v,
        _ => 1.0 + tf.ln(),
    };
    counts
        .par_iter()
        .map(|v| {
            let mut out: Vector = v
                .iter()
                .filter_map(|c| {
                    let d = c.df;
                    let tf = f32::from(c.title) * w.title
                        + f32::from(c.text)
                        + f32::from(c.actor) * w.actor
                        + f32::from(c.place) * w.place;
                    let idf = idf[d as usize];
                    (d > 1 && idf > 0.0).then(|| (c.term, damped(tf) * idf))
                })
                .collect();
            let norm = out.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
            out.iter_mut().for_each(|t| t.1 /= norm);
            if out.len() > TERMS {
                // The order is total (terms are distinct): the heaviest TERMS are one set.
                out.select_nth_unstable_by(TERMS, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                out.truncate(TERMS);
                out.sort_unstable_by_key(|t| t.0);
            }
            out
        })
        .collect()
}

/// The cosine of two unit vectors (of their kept terms).
pub(crate) fn cosine(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// For every article, up to [`CANDIDATES`] others with a positive similarity, most similar
/// first (equal scores: lower index first).
pub(crate) fn neighbours(vectors: &[Vector]) -> Vec<Vec<(usize, f32)>> {
    // Postings: per term, the articles holding it, heaviest first, cut at POSTINGS.
    let mut entries: Vec<(u64, f32, u32)> = vectors
        .iter()
        .enumerate()
        .flat_map(|(d, v)| v.iter().map(move |&(t, w)| (t, w, d as u32)))
        .collect();
    entries
        .par_sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(&b.2)));
    let mut terms: Vec<u64> = Vec::new();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    while start < entries.len() {
        let t = entries[start].0;
        let mut end = start;
        while end < entries.len() && entries[end].0 == t {
            end += 1;
        }
        terms.push(t);
        spans.push((start, (end - start).min(POSTINGS)));
        start = end;
    }
    let n = vectors.len();
    let queries: Vec<Vector> = vectors
        .par_iter()
        .map(|v| {
            let mut q = v.clone();
            if q.len() > QUERY_TERMS {
                // Heaviest first (scores are summed in this order).
                let order =
                    |a: &(u64, f32), b: &(u64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                q.select_nth_unstable_by(QUERY_TERMS, order);
                q.truncate(QUERY_TERMS);
                q.sort_unstable_by(order);
            }
            q
        })
        .collect();
    (0..n)
        .into_par_iter()
        // Each job allocates one score array of `n` floats: not too many jobs.
        .with_min_len(256)
        .map_init(
            || (vec![0f32; n], Vec::<u32>::new(), Vec::<(usize, f32)>::new()),
            |(acc, touched, found), d| {
                for &(t, w) in &queries[d] {
                    let k = terms.binary_search(&t).expect("indexed");
                    let (s, len) = spans[k];
                    for &(_, w2, d2) in &entries[s..s + len] {
                        let slot = &mut acc[d2 as usize];
                        if *slot == 0.0 {
                            touched.push(d2);
                        }
                        *slot += w * w2;
                    }
                }
                // Scratch buffers are reused: an article of a small-vocabulary archive touches
                // thousands of others, and only the best few are kept.
                found.clear();
                found.extend(
                    touched
                        .drain(..)
                        .map(|d2| (d2 as usize, std::mem::take(&mut acc[d2 as usize])))
                        .filter(|&(d2, _)| d2 != d),
                );
                let order =
                    |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                if found.len() > CANDIDATES {
                    found.select_nth_unstable_by(CANDIDATES, order);
                    found.truncate(CANDIDATES);
                }
                let mut best: Vec<(usize, f32)> = found
                    .iter()
                    .map(|&(d2, _)| (d2, cosine(&vectors[d], &vectors[d2])))
                    .filter(|f| f.1 > 0.0)
                    .collect();
                best.sort_unstable_by(order);
                best
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[(u64, f32)]) -> Vector {
        let norm = v.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
        v.iter().map(|&(t, w)| (t, w / norm)).collect()
    }

    #[test]
    fn neighbours_are_ranked_by_cosine_and_never_the_article_itself() {
        let vectors = vec![
            unit(&[(1, 1.0), (2, 1.0)]),
            unit(&[(1, 1.0), (2, 1.0), (3, 0.2)]),
            unit(&[(2, 1.0), (3, 1.0)]),
            unit(&[(4, 1.0)]),
        ];
        let n = neighbours(&vectors);
        assert_eq!(n[0].iter().map(|x| x.0).collect::<Vec<_>>(), [1, 2]);
        assert!((n[0][0].1 - cosine(&vectors[0], &vectors[1])).abs() < 1e-6);
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
        let counts = vec![
            vec![c(1, 1), c(2, 3)],
            vec![c(1, 1), c(3, 1)],
            vec![c(4, 1)],
        ];
        let mut counts = counts;
        let f = frequencies(&mut counts);
        let w = weigh(&counts, &f, &STORY);
        assert_eq!(w[0].iter().map(|t| t.0).collect::<Vec<_>>(), [1]);
        assert!((w[0][0].1 - 1.0).abs() < 1e-6);
        assert!(w[2].is_empty());
    }

    #[test]
    fn lead_cut_keeps_whole_characters() {
        assert_eq!(floor_char_boundary("aé", 2), 1);
        assert_eq!(floor_char_boundary("ab", 5), 2);
    }
}
