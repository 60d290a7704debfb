//! How alike two articles are: TF-IDF vectors of each article's title, summary, lead and
//! entities, compared by cosine, and for every article its most similar others.
//!
//! The cost must stay small beside the rest of a build (10,000 articles: a few hundred
//! milliseconds at most), so three things are bounded:
//!
//! - the text read: the title, the summary and the first [`LEAD_BYTES`] of the body's text
//!   (news puts the story in its lead; the whole body would cost as much as the search index);
//! - each vector keeps its [`TERMS`] heaviest terms;
//! - looking for neighbours walks, per term, the [`POSTINGS`] articles where that term weighs
//!   most. The [`CANDIDATES`] best found are then scored exactly.
//!
//! Words are the project's tokenizer (`ingest::tokens`: lower-case, stopwords dropped, plurals
//! folded), so "related" and ingest's classifier read the same words. Everything is
//! deterministic: terms are hashed with a fixed function, and every order ties on an index.

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

use super::entities::Kind;
use crate::content::Article;
use crate::ingest::tokens;
use crate::markdown;

/// Bytes of body text read after the title and summary.
pub(crate) const LEAD_BYTES: usize = 1500;
/// Terms kept per article vector.
const TERMS: usize = 24;
/// Articles walked per term when looking for neighbours.
const POSTINGS: usize = 128;
/// Neighbours scored exactly per article.
pub(crate) const CANDIDATES: usize = 20;
/// A title word counts as this many words of the body.
const TITLE_WEIGHT: f32 = 2.0;
/// An organization or person counts as this many words; a place as one.
const ACTOR_WEIGHT: f32 = 3.0;

/// A sparse vector: (term, weight), ordered by term.
pub(crate) type Vector = Vec<(u64, f32)>;

/// The term of an entity key: kept apart from words by the seed.
pub(crate) fn entity_term(key: &str) -> u64 {
    xxh3_64_with_seed(key.as_bytes(), 1)
}

/// Raw term counts of one article, by term.
pub(crate) fn counts(a: &Article, entities: &[(Kind, String, &str)]) -> Vector {
    let mut terms: Vec<(u64, f32)> = Vec::with_capacity(256);
    let mut add = |text: &str, weight: f32| {
        tokens::for_each_content_word(text, |w| {
            terms.push((xxh3_64(tokens::singular(w).as_bytes()), weight))
        });
    };
    add(&a.title, TITLE_WEIGHT);
    for point in &a.summary {
        add(point, 1.0);
    }
    let mut budget = LEAD_BYTES;
    markdown::text_runs(&a.html, |text| {
        let cut = floor_char_boundary(text, budget);
        add(&text[..cut], 1.0);
        budget -= cut;
        budget > 0
    });
    for (kind, key, _) in entities {
        let weight = if *kind == Kind::Place {
            1.0
        } else {
            ACTOR_WEIGHT
        };
        terms.push((entity_term(key), weight));
    }
    terms.sort_unstable_by_key(|t| t.0);
    let mut out: Vector = Vec::with_capacity(terms.len() / 2);
    for (t, w) in terms {
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 += w,
            _ => out.push((t, w)),
        }
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

/// TF-IDF weights (`(1 + ln tf) · ln(N / df)`), unit length, pruned to the [`TERMS`] heaviest.
/// Terms of a single article relate nothing and are dropped.
pub(crate) fn weigh(counts: &[Vector]) -> Vec<Vector> {
    let mut all: Vec<u64> = counts.iter().flat_map(|v| v.iter().map(|t| t.0)).collect();
    all.par_sort_unstable();
    let mut df: Vec<(u64, u32)> = Vec::with_capacity(all.len() / 4);
    for t in all {
        match df.last_mut() {
            Some(last) if last.0 == t => last.1 += 1,
            _ => df.push((t, 1)),
        }
    }
    let n = counts.len() as f32;
    counts
        .par_iter()
        .map(|v| {
            let mut out: Vector = v
                .iter()
                .filter_map(|&(t, tf)| {
                    let d = df[df.binary_search_by_key(&t, |x| x.0).expect("counted")].1;
                    (d > 1).then(|| (t, (1.0 + tf.ln()) * (n / d as f32).ln()))
                })
                .filter(|t| t.1 > 0.0)
                .collect();
            let norm = out.iter().map(|t| t.1 * t.1).sum::<f32>().sqrt();
            out.iter_mut().for_each(|t| t.1 /= norm);
            if out.len() > TERMS {
                out.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
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
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0f32; n], Vec::<u32>::new()),
            |(acc, touched), d| {
                for &(t, w) in &vectors[d] {
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
                let mut found: Vec<(usize, f32)> = touched
                    .drain(..)
                    .map(|d2| {
                        let s = std::mem::take(&mut acc[d2 as usize]);
                        (d2 as usize, s)
                    })
                    .filter(|&(d2, _)| d2 != d)
                    .collect();
                let order =
                    |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                if found.len() > CANDIDATES {
                    found.select_nth_unstable_by(CANDIDATES, order);
                    found.truncate(CANDIDATES);
                }
                for f in &mut found {
                    f.1 = cosine(&vectors[d], &vectors[f.0]);
                }
                found.retain(|f| f.1 > 0.0);
                found.sort_unstable_by(order);
                found
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
        let counts = vec![
            vec![(1, 1.0), (2, 3.0)],
            vec![(1, 1.0), (3, 1.0)],
            vec![(4, 1.0)],
        ];
        let w = weigh(&counts);
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
