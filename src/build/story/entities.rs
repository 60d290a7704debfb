//! Entities across the site: the organizations, people and places that articles name in
//! their front matter (`entities:`), normalized so that one name is one entity
//! (`Microsoft Corp.`, `Microsoft` and `MICROSOFT` are one). Finding names in article text is
//! ingest's job; this module only counts and groups what the front matter says.

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::build::content::Article;
use crate::ingest::entities::COMPANY_SUFFIXES;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Organization,
    Person,
    Place,
}

impl Kind {
    /// The heading a list of this kind has (`Organizations`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Organization => "Organizations",
            Kind::Person => "People",
            Kind::Place => "Places",
        }
    }
}

/// An entity named by at least `[entities] min_articles` articles: it gets a page.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The normalized name, made URL-safe: the page is `entities/<slug>/index.html`.
    pub slug: String,
    /// The name as articles write it most often (legal-form suffix dropped).
    pub name: String,
    /// The kind most articles give it.
    pub kind: Kind,
    /// Indices into `Digest::articles`, newest first.
    pub articles: Vec<usize>,
}

/// The entities of one article: `(kind, key, name as written)`, each key once.
pub(crate) fn mentions<'a>(
    a: &'a Article,
    stop: &FxHashSet<String>,
) -> Vec<(Kind, String, &'a str)> {
    let e = &a.entities;
    let lists = [
        (Kind::Organization, &e.organizations),
        (Kind::Person, &e.people),
        (Kind::Place, &e.places),
    ];
    let mut seen = FxHashSet::default();
    let mut out = Vec::new();
    for (kind, names) in lists {
        for name in names {
            let key = key(name);
            if !key.is_empty() && !stop.contains(&key) && seen.insert(key.clone()) {
                out.push((kind, key, name.as_str()));
            }
        }
    }
    out
}

/// The normalized name of an entity, which is also its page's slug: legal-form suffixes
/// (`Corp.`, `Inc`, `Ltd`, …, the list ingest strips) and a leading `The` are dropped, then
/// the name is made lower-case ASCII with dashes (`The Microsoft Corp.` → `microsoft`).
pub fn key(name: &str) -> String {
    slug::slugify(
        display_name(name)
            .trim_start_matches("The ")
            .trim_start_matches("the "),
    )
}

/// `name` without trailing legal-form words and punctuation (`Sony Group Corp.` → `Sony Group`).
fn display_name(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.len() > 1 {
        let last = words[words.len() - 1].trim_end_matches(['.', ',']);
        if COMPANY_SUFFIXES
            .iter()
            .any(|s| s.eq_ignore_ascii_case(last))
        {
            words.pop();
        } else {
            break;
        }
    }
    words
        .join(" ")
        .trim_end_matches([',', ';', ':'])
        .trim()
        .to_string()
}

/// The entities named by at least `min_articles` of `articles`, ordered by slug.
/// `mentions[i]` are the mentions of `articles[i]`.
pub(crate) fn index(
    mentions: &[Vec<(Kind, String, &str)>],
    articles: &[Arc<Article>],
    min_articles: usize,
) -> Vec<Entity> {
    debug_assert_eq!(mentions.len(), articles.len());
    #[derive(Default)]
    struct Tally {
        articles: Vec<usize>,
        kinds: FxHashMap<Kind, usize>,
        names: FxHashMap<String, usize>,
    }
    let mut tallies: FxHashMap<&str, Tally> = FxHashMap::default();
    for (i, list) in mentions.iter().enumerate() {
        for (kind, key, name) in list {
            let t = tallies.entry(key.as_str()).or_default();
            t.articles.push(i);
            *t.kinds.entry(*kind).or_default() += 1;
            *t.names.entry(display_name(name)).or_default() += 1;
        }
    }
    let mut entities: Vec<Entity> = tallies
        .into_iter()
        .filter(|(_, t)| t.articles.len() >= min_articles)
        .map(|(key, t)| Entity {
            slug: key.to_string(),
            // The most frequent; among equals the shortest, then the first in order.
            name: t
                .names
                .into_iter()
                .min_by(|a, b| {
                    b.1.cmp(&a.1)
                        .then(a.0.len().cmp(&b.0.len()))
                        .then(a.0.cmp(&b.0))
                })
                .map(|(n, _)| n)
                .expect("an entity has a name"),
            kind: t
                .kinds
                .into_iter()
                .min_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)))
                .map(|(k, _)| k)
                .expect("an entity has a kind"),
            articles: t.articles,
        })
        .collect();
    entities.sort_by(|a, b| a.slug.cmp(&b.slug));
    entities
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_case_and_articles_do_not_make_another_entity() {
        for name in [
            "Microsoft",
            "Microsoft Corp.",
            "Microsoft Corp",
            "MICROSOFT CORP.",
            "Microsoft Corporation",
            "The Microsoft Corp.",
            "Microsoft Inc.,",
        ] {
            assert_eq!(key(name), "microsoft", "{name}");
        }
        assert_eq!(key("Sony Group Corp."), "sony-group");
        assert_eq!(key("European Commission"), "european-commission");
        assert_eq!(key("Société Générale SA"), "societe-generale");
        // A name that is only a legal form stays itself rather than vanishing.
        assert_eq!(key("Co"), "co");
        assert_eq!(key("The Hague"), "hague");
        assert_eq!(key("  "), "");
    }

    #[test]
    fn display_names_drop_the_suffix_only() {
        assert_eq!(display_name("Sony Group Corp."), "Sony Group");
        assert_eq!(display_name("Kestrel Foundry Ltd,"), "Kestrel Foundry");
        assert_eq!(display_name("Turki Al-Babtain"), "Turki Al-Babtain");
    }
}
