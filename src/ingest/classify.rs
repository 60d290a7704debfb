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

use std::collections::HashMap;

use super::tokens;
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

type Vector = HashMap<String, f64>;

/// A topic's keyword phrases (stemmed words) with their weights.
type Keywords = Vec<(Vec<String>, f64)>;

pub(crate) struct Classifier {
    topics: Vec<(String, Keywords)>,
    idf: HashMap<String, f64>,
    docs: usize,
    centroids: HashMap<String, Vector>,
    /// Archive articles per topic.
    examples: HashMap<String, usize>,
    /// The median cosine between an archive article and its own topic's centroid: what
    /// "as close as a typical article of the topic" means for this archive.
    typical: f64,
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
        let topics = config
            .topics
            .iter()
            .filter(|t| t.slug != OTHER_TOPIC)
            .map(|t| (t.slug.clone(), keywords_of(t)))
            .collect();
        let bags: Vec<(&str, Vector)> = examples
            .iter()
            .map(|e| (e.topic, term_counts(&e.text)))
            .collect();
        let mut df: HashMap<String, usize> = HashMap::new();
        for (_, bag) in &bags {
            for term in bag.keys() {
                *df.entry(term.clone()).or_default() += 1;
            }
        }
        let docs = bags.len();
        let idf = df.into_iter().map(|(t, n)| (t, idf(docs, n))).collect();
        let mut c = Classifier {
            topics,
            idf,
            docs,
            centroids: HashMap::new(),
            examples: HashMap::new(),
            typical: 1.0,
        };
        let weighed: Vec<(&str, Vector)> = bags
            .iter()
            .filter(|(topic, _)| *topic != OTHER_TOPIC)
            .map(|(topic, bag)| (*topic, c.weigh(bag)))
            .collect();
        let mut sums: HashMap<String, Vector> = HashMap::new();
        for (topic, v) in &weighed {
            *c.examples.entry(topic.to_string()).or_default() += 1;
            let entry = sums.entry(topic.to_string()).or_default();
            for (t, w) in v {
                *entry.entry(t.clone()).or_default() += w;
            }
        }
        c.centroids = sums
            .into_iter()
            .map(|(topic, v)| (topic, normalized(v)))
            .collect();
        let mut own: Vec<f64> = weighed
            .iter()
            .map(|(topic, v)| cosine(v, &c.centroids[*topic]))
            .collect();
        if !own.is_empty() {
            own.sort_by(f64::total_cmp);
            c.typical = own[own.len() / 2].max(0.05);
        }
        c
    }

    /// Score of every configured topic, in config order.
    pub fn scores(&self, title: &str, body: &str) -> Vec<(String, f64)> {
        let title_words = stems(title);
        let body_words = stems(body);
        let vector = self.weigh(&term_counts(&format!("{title}\n{body}")));
        self.topics
            .iter()
            .map(|(slug, keywords)| {
                let hits: f64 = keywords
                    .iter()
                    .map(|(k, w)| {
                        w * (3 * count_phrase(&title_words, k) + count_phrase(&body_words, k))
                            .min(3) as f64
                    })
                    .sum();
                // Keywords are a first guess; a topic's own archive soon knows better.
                let n = self.examples.get(slug).copied().unwrap_or(0) as f64;
                let keyword = hits / (hits + 4.0) * KEYWORD_TRUST / (KEYWORD_TRUST + n);
                let learned = self.centroids.get(slug).map_or(0.0, |c| {
                    let cos = cosine(&vector, c);
                    cos / (cos + self.typical / 2.0)
                });
                (slug.clone(), 1.0 - (1.0 - keyword) * (1.0 - learned))
            })
            .collect()
    }

    pub fn classify(&self, title: &str, body: &str) -> Decision {
        let scores = self.scores(title, body);
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
    pub fn score_of(&self, title: &str, body: &str, topic: &str) -> f64 {
        round(
            self.scores(title, body)
                .into_iter()
                .find(|(s, _)| s == topic)
                .map_or(0.0, |(_, s)| s),
        )
    }

    fn weigh(&self, counts: &Vector) -> Vector {
        let unseen = idf(self.docs, 0);
        let v = counts
            .iter()
            .map(|(t, n)| {
                (
                    t.clone(),
                    (1.0 + n.ln()) * self.idf.get(t).copied().unwrap_or(unseen),
                )
            })
            .collect();
        normalized(v)
    }
}

fn idf(docs: usize, df: usize) -> f64 {
    ((docs as f64 + 1.0) / (df as f64 + 1.0)).ln() + 1.0
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn term_counts(text: &str) -> Vector {
    let mut bag = Vector::new();
    for w in tokens::content_words(text) {
        *bag.entry(w).or_default() += 1.0;
    }
    bag
}

fn normalized(mut v: Vector) -> Vector {
    let norm = v.values().map(|w| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        v.values_mut().for_each(|w| *w /= norm);
    }
    v
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    a.iter()
        .map(|(t, w)| w * b.get(t).copied().unwrap_or(0.0))
        .sum::<f64>()
        .clamp(0.0, 1.0)
}

fn keywords_of(t: &crate::config::Topic) -> Keywords {
    let mut out: Keywords = t.keywords.iter().map(|k| (stems(k), 1.0)).collect();
    out.push((stems(&t.name), 1.0));
    for w in tokens::content_words(&format!("{} {}", t.name, t.description)) {
        out.push((vec![tokens::singular(&w).into_owned()], 0.5));
    }
    out.retain(|(k, _)| !k.is_empty());
    out.dedup();
    out
}

/// Lower-case words with a plural ending removed (`companies` → `company`, `chips` → `chip`).
fn stems(text: &str) -> Vec<String> {
    tokens::words(text)
        .iter()
        .map(|w| tokens::singular(w).into_owned())
        .collect()
}

/// Occurrences of the word sequence `phrase` in `words`.
fn count_phrase(words: &[String], phrase: &[String]) -> usize {
    if phrase.is_empty() || words.len() < phrase.len() {
        return 0;
    }
    words.windows(phrase.len()).filter(|w| w == &phrase).count()
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let d = c.classify(
            "Chip firms sign cloud deal",
            "The chips will run artificial intelligence in the cloud.",
        );
        assert_eq!(d.topic, "tech");
        assert!(d.score > 0.5, "{d:?}");
        let d = c.classify(
            "Storm closes roads",
            "Heavy rain closed roads across the region.",
        );
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
        assert_eq!(without.classify(title, body).topic, "other");
        let d = with.classify(title, body);
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
        let d = c.classify(
            "Cloud over the copper smelter",
            "Ore grades fall and the smelter refines less copper.",
        );
        assert_eq!(d.topic, "mining", "{d:?}");
        let d = c.classify(
            "Storm closes roads",
            "Heavy rain closed roads across the region.",
        );
        assert_eq!(d.topic, "other", "{d:?}");
    }

    #[test]
    fn phrases_and_plurals() {
        let words = stems("Artificial intelligence chips and one chip; two companies");
        assert_eq!(count_phrase(&words, &stems("artificial intelligence")), 1);
        assert_eq!(count_phrase(&words, &stems("chip")), 2);
        assert_eq!(count_phrase(&words, &stems("company")), 1);
    }
}
