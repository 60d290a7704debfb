//! Topic classification. Every configured topic gets a score in 0..1 from two kinds of
//! evidence, combined as independent chances (`1 − (1 − k)(1 − l)`):
//!
//! - **keywords** (`k`): each keyword of the topic in `briefing.toml`, and the topic's name as
//!   a phrase, found in the article adds to `K` (title hits count three times, at most three
//!   hits per keyword; a final plural `s` is ignored); each word of the topic's name and
//!   description adds half as much. `k = K / (K + 4)`, so one keyword hit gives 0.2, four 0.5.
//!   Keywords are how a site starts; once content/ holds `n` articles of the topic they weigh
//!   `10 / (10 + n)` as much (half with ten articles), and the archive speaks instead.
//! - **learned** (`l`): the cosine similarity `c` between the article's TF-IDF vector and the
//!   centroid of the articles already in content/ with that topic, set against the typical
//!   similarity `m` of the archive's own articles to their topic's centroid (the median):
//!   `l = c / (c + m/2)`. An article as close to a topic as its typical article gets 0.67,
//!   one half as close 0.5, a quarter as close 0.33, an unrelated one next to nothing. The site's own archive thus
//!   teaches the classifier its vocabulary, and the threshold means the same whatever the
//!   archive's size or style.
//!
//! The best topic wins when its score reaches [`THRESHOLD`]; otherwise the article is "other".

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use super::tokens::{self, Words};
use crate::config::{Config, OTHER_TOPIC};

pub(crate) const THRESHOLD: f64 = 0.35;

/// How many archive articles of a topic count as much as its keywords: with `n` of them the
/// keyword evidence is scaled by `KEYWORD_TRUST / (KEYWORD_TRUST + n)`.
const KEYWORD_TRUST: f64 = 10.0;

/// A document the classifier learns from: an article of content/ with its topic.
pub(crate) struct Example<'a> {
    pub topic: &'a str,
    pub text: String,
}

/// A term vector: term ids (see `Classifier::terms`) and weights.
type Vector = FxHashMap<u32, f64>;

pub(crate) struct Classifier {
    /// The configured topics, in config order.
    topics: Vec<Topic>,
    /// Every distinct keyword phrase of the topics, as the hashes of its stems (see [`stem`]).
    phrases: Vec<Vec<u64>>,
    /// The phrases by the hash of their first stem: an article's words are looked up once each.
    by_first: FxHashMap<u64, Vec<u32>>,
    /// Every term of the archive's articles, numbered.
    terms: FxHashMap<Box<str>, u32>,
    /// By term id.
    idf: Vec<f64>,
    docs: usize,
    /// Whether any topic has archive articles (otherwise no article vector is needed).
    learned: bool,
    /// The median cosine between an archive article and its own topic's centroid: what
    /// "as close as a typical article of the topic" means for this archive.
    typical: f64,
}

struct Topic {
    slug: String,
    /// Indexes into `Classifier::phrases`, with weights.
    keywords: Vec<(usize, f64)>,
    /// Archive articles of the topic.
    examples: usize,
    /// The normalized sum of their TF-IDF vectors, when there are any.
    centroid: Option<Vector>,
}

/// The decision for one article.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decision {
    /// A configured slug, or `other`.
    pub topic: String,
    /// Score of the chosen topic (of the best one when the result is `other`).
    pub score: f64,
}

impl Classifier {
    pub fn new(config: &Config, examples: &[Example<'_>]) -> Classifier {
        let mut phrases: Vec<Vec<u64>> = Vec::new();
        let mut phrase_ids: FxHashMap<Vec<u64>, usize> = FxHashMap::default();
        let mut topics: Vec<Topic> = config
            .topics
            .iter()
            .filter(|t| t.slug != OTHER_TOPIC)
            .map(|t| Topic {
                slug: t.slug.clone(),
                keywords: keywords_of(t)
                    .into_iter()
                    .map(|(k, w)| {
                        let id = *phrase_ids.entry(k.clone()).or_insert_with(|| {
                            phrases.push(k);
                            phrases.len() - 1
                        });
                        (id, w)
                    })
                    .collect(),
                examples: 0,
                centroid: None,
            })
            .collect();
        let mut by_first: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
        for (id, p) in phrases.iter().enumerate() {
            by_first.entry(p[0]).or_default().push(id as u32);
        }
        let mut terms: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let bags: Vec<(&str, Vec<(u32, f64)>)> = examples
            .iter()
            .map(|e| (e.topic, term_counts(&e.text, &mut terms)))
            .collect();
        let mut df = vec![0usize; terms.len()];
        for (_, bag) in &bags {
            for &(term, _) in bag {
                df[term as usize] += 1;
            }
        }
        let docs = bags.len();
        let idf = df.into_iter().map(|n| idf(docs, n)).collect();
        let mut c = Classifier {
            topics: Vec::new(),
            phrases,
            by_first,
            terms,
            idf,
            docs,
            learned: false,
            typical: 1.0,
        };
        let weighed: Vec<(usize, Vec<(u32, f64)>)> = bags
            .iter()
            .filter_map(|(topic, bag)| {
                let at = topics.iter().position(|t| t.slug == *topic)?;
                Some((at, c.weigh(bag.iter().map(|&(t, n)| (Some(t), n)))))
            })
            .collect();
        let mut sums: Vec<Option<Vector>> = vec![None; topics.len()];
        for (at, v) in &weighed {
            topics[*at].examples += 1;
            let entry = sums[*at].get_or_insert_default();
            for &(t, w) in v {
                *entry.entry(t).or_default() += w;
            }
        }
        for (topic, sum) in topics.iter_mut().zip(sums) {
            topic.centroid = sum.map(|mut v| {
                let norm = v.values().map(|w| w * w).sum::<f64>().sqrt();
                if norm > 0.0 {
                    v.values_mut().for_each(|w| *w /= norm);
                }
                v
            });
        }
        let mut own: Vec<f64> = weighed
            .iter()
            .map(|(at, v)| cosine(v, topics[*at].centroid.as_ref().expect("summed above")))
            .collect();
        if !own.is_empty() {
            own.sort_by(f64::total_cmp);
            c.typical = own[own.len() / 2].max(0.05);
        }
        c.learned = topics.iter().any(|t| t.centroid.is_some());
        c.topics = topics;
        c
    }

    /// Score of every configured topic, in config order, for an article's words (title first).
    pub fn scores(&self, words: &Words) -> Vec<(String, f64)> {
        let phrase_hits = self.phrase_hits(words);
        let vector = if self.learned {
            self.vector(words)
        } else {
            Vec::new()
        };
        self.topics
            .iter()
            .map(|topic| {
                let hits: f64 = topic
                    .keywords
                    .iter()
                    .map(|&(k, w)| {
                        let (title, body) = phrase_hits[k];
                        w * (3 * title + body).min(3) as f64
                    })
                    .sum();
                // Keywords are a first guess; a topic's own archive soon knows better.
                let n = topic.examples as f64;
                let keyword = hits / (hits + 4.0) * KEYWORD_TRUST / (KEYWORD_TRUST + n);
                let learned = topic.centroid.as_ref().map_or(0.0, |c| {
                    let cos = cosine(&vector, c);
                    cos / (cos + self.typical / 2.0)
                });
                (topic.slug.clone(), 1.0 - (1.0 - keyword) * (1.0 - learned))
            })
            .collect()
    }

    pub fn classify(&self, words: &Words) -> Decision {
        let scores = self.scores(words);
        let best = scores
            .iter()
            .fold(None::<&(String, f64)>, |best, s| match best {
                Some(b) if b.1 >= s.1 => Some(b),
                _ => Some(s),
            });
        match best {
            Some((slug, score)) if *score >= THRESHOLD => Decision {
                topic: slug.clone(),
                score: round(*score),
            },
            Some((_, score)) => Decision {
                topic: OTHER_TOPIC.into(),
                score: round(*score),
            },
            None => Decision {
                topic: OTHER_TOPIC.into(),
                score: 0.0,
            },
        }
    }

    /// The score of one given topic (for `--topic`, which overrides the decision).
    pub fn score_of(&self, words: &Words, topic: &str) -> f64 {
        round(
            self.scores(words)
                .into_iter()
                .find(|(s, _)| s == topic)
                .map_or(0.0, |(_, s)| s),
        )
    }

    /// For each phrase of `phrases`, its occurrences among the title's and the body's stems.
    fn phrase_hits(&self, words: &Words) -> Vec<(usize, usize)> {
        let mut hits = vec![(0, 0); self.phrases.len()];
        if self.phrases.is_empty() {
            return hits;
        }
        let mut buf = String::new();
        let stems: Vec<u64> = (0..words.len())
            .map(|i| stem(words.get(i), &mut buf))
            .collect();
        let (title, body) = words.split();
        for (range, in_title) in [(title, true), (body, false)] {
            let part = &stems[range];
            for (i, h) in part.iter().enumerate() {
                let Some(candidates) = self.by_first.get(h) else {
                    continue;
                };
                for &p in candidates {
                    let phrase = &self.phrases[p as usize];
                    if part[i..].starts_with(phrase) {
                        let slot = &mut hits[p as usize];
                        if in_title {
                            slot.0 += 1;
                        } else {
                            slot.1 += 1;
                        }
                    }
                }
            }
        }
        hits
    }

    /// The article's normalized TF-IDF vector; terms the archive never had are left out of it
    /// (no centroid has them) but count in its norm.
    fn vector(&self, words: &Words) -> Vec<(u32, f64)> {
        let mut at: FxHashMap<&str, usize> = FxHashMap::default();
        let mut counts: Vec<(Option<u32>, f64)> = Vec::new();
        for i in 0..words.len() {
            let w = words.get(i);
            if !tokens::is_content_word(w) {
                continue;
            }
            let k = *at.entry(w).or_insert_with(|| {
                counts.push((self.terms.get(w).copied(), 0.0));
                counts.len() - 1
            });
            counts[k].1 += 1.0;
        }
        self.weigh(counts.into_iter())
    }

    /// TF-IDF weights of term counts, normalized to length 1; only the terms with an id kept.
    fn weigh(&self, counts: impl Iterator<Item = (Option<u32>, f64)>) -> Vec<(u32, f64)> {
        let unseen = idf(self.docs, 0);
        let mut norm = 0.0;
        let mut v = Vec::new();
        for (t, n) in counts {
            let w = (1.0 + f64::ln(n)) * t.map_or(unseen, |t| self.idf[t as usize]);
            norm += w * w;
            if let Some(t) = t {
                v.push((t, w));
            }
        }
        let norm = f64::sqrt(norm);
        if norm > 0.0 {
            v.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        v
    }
}

fn idf(docs: usize, df: usize) -> f64 {
    ((docs as f64 + 1.0) / (df as f64 + 1.0)).ln() + 1.0
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Content-word counts of an archive text, numbering new terms in `terms`.
fn term_counts(text: &str, terms: &mut FxHashMap<Box<str>, u32>) -> Vec<(u32, f64)> {
    let mut at: FxHashMap<u32, usize> = FxHashMap::default();
    let mut bag: Vec<(u32, f64)> = Vec::new();
    tokens::for_each_content_word(text, |w| {
        let next = terms.len() as u32;
        let id = match terms.get(w) {
            Some(&id) => id,
            None => {
                terms.insert(w.into(), next);
                next
            }
        };
        let k = *at.entry(id).or_insert_with(|| {
            bag.push((id, 0.0));
            bag.len() - 1
        });
        bag[k].1 += 1.0;
    });
    bag
}

fn cosine(a: &[(u32, f64)], b: &Vector) -> f64 {
    a.iter()
        .map(|(t, w)| w * b.get(t).copied().unwrap_or(0.0))
        .sum::<f64>()
        .clamp(0.0, 1.0)
}

/// A topic's keyword phrases, as stem hashes, with their weights.
fn keywords_of(t: &crate::config::Topic) -> Vec<(Vec<u64>, f64)> {
    let mut out: Vec<(Vec<u64>, f64)> = t.keywords.iter().map(|k| (stems(k), 1.0)).collect();
    out.push((stems(&t.name), 1.0));
    let mut buf = String::new();
    for w in tokens::content_words(&format!("{} {}", t.name, t.description)) {
        out.push((vec![stem(&w, &mut buf)], 0.5));
    }
    out.retain(|(k, _)| !k.is_empty());
    out.dedup();
    out
}

/// The stems of a text's words (see [`stem`]).
fn stems(text: &str) -> Vec<u64> {
    let mut buf = String::new();
    let mut out = Vec::new();
    tokens::for_each_word(text, |w| out.push(stem(w, &mut buf)));
    out
}

/// A lower-case word with a plural ending removed (`companies` → `company`, `chips` → `chip`,
/// see [`tokens::singular`]), as a hash: phrases are compared as sequences of these.
fn stem(w: &str, buf: &mut String) -> u64 {
    if let Some(s) = w.strip_suffix("ies").filter(|s| s.len() > 2) {
        buf.clear();
        buf.push_str(s);
        buf.push('y');
        return xxh3_64(buf.as_bytes());
    }
    xxh3_64(tokens::singular(w).as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(title: &str, body: &str) -> Words {
        Words::of(title, body)
    }

    fn config() -> Config {
        let toml = r#"title = "t"
base_url = "https://e.org/"
[[topics]]
slug = "tech"
name = "Tech"
keywords = ["cloud", "chip", "artificial intelligence"]
[[topics]]
slug = "mining"
name = "Mining"
keywords = ["lithium", "mine"]
"#;
        crate::config::test_config(toml)
    }

    #[test]
    fn keywords_decide_without_an_archive() {
        let c = Classifier::new(&config(), &[]);
        let d = c.classify(&words(
            "Chip firms sign cloud deal",
            "The chips will run artificial intelligence in the cloud.",
        ));
        assert_eq!(d.topic, "tech");
        assert!(d.score > 0.5, "{d:?}");
        let d = c.classify(&words(
            "Storm closes roads",
            "Heavy rain closed roads across the region.",
        ));
        assert_eq!(
            d,
            Decision {
                topic: "other".into(),
                score: 0.0
            }
        );
    }

    #[test]
    fn the_archive_teaches_words_the_keywords_lack() {
        let examples = [
            Example {
                topic: "mining",
                text: "Smelter expands copper refining as ore grades fall".into(),
            },
            Example {
                topic: "mining",
                text: "New smelter processes copper ore from the north".into(),
            },
            Example {
                topic: "tech",
                text: "Software makers agree on a browser standard".into(),
            },
        ];
        let with = Classifier::new(&config(), &examples);
        let without = Classifier::new(&config(), &[]);
        let (title, body) = (
            "Copper smelter opens",
            "The smelter will refine copper ore.",
        );
        assert_eq!(without.classify(&words(title, body)).topic, "other");
        let d = with.classify(&words(title, body));
        assert_eq!(d.topic, "mining", "{d:?}");
    }

    #[test]
    fn a_large_archive_outweighs_keywords_and_unrelated_text_stays_other() {
        let mut examples = Vec::new();
        for i in 0..20 {
            examples.push(Example {
                topic: "mining",
                text: format!("Smelter {i} refines copper ore as grades fall at the pit"),
            });
            examples.push(Example {
                topic: "tech",
                text: format!("Software maker {i} ships a browser update for laptops"),
            });
        }
        let c = Classifier::new(&config(), &examples);
        // "cloud" is a tech keyword, but everything else says smelting.
        let d = c.classify(&words(
            "Cloud over the copper smelter",
            "Ore grades fall and the smelter refines less copper.",
        ));
        assert_eq!(d.topic, "mining", "{d:?}");
        let d = c.classify(&words(
            "Storm closes roads",
            "Heavy rain closed roads across the region.",
        ));
        assert_eq!(d.topic, "other", "{d:?}");
    }

    #[test]
    fn phrases_and_plurals() {
        let c = Classifier::new(&config(), &[]);
        let hits = c.phrase_hits(&words(
            "Chips for the cloud",
            "Artificial intelligence chips and one chip; two clouds, artificial and intelligence",
        ));
        let of = |phrase: &str| hits[c.phrases.iter().position(|p| *p == stems(phrase)).unwrap()];
        assert_eq!(of("artificial intelligence"), (0, 1));
        assert_eq!(of("chip"), (1, 2));
        assert_eq!(of("cloud"), (1, 1));
        assert_eq!(stems("two companies"), stems("two company"));
    }
}
