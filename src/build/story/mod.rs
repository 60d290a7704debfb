//! Following stories across editions: for every article its related coverage, the story
//! thread it belongs to and the article it follows up, and the entity pages of the site.
//! Computed once per build from the grouped articles ([`Digest`]) and returned as plain data
//! for the page planner; nothing here knows about templates or URLs.
//!
//! - [`similar`]: TF-IDF vectors of title, summary, lead and entities, weighted for topic
//!   (related coverage) and for the story (threads), and each article's nearest neighbours;
//! - [`threads`]: follow-up links between days and the threads they make;
//! - [`entities`]: names normalized into entities, and which get a page.

pub mod entities;
mod similar;
mod threads;
mod words;

use std::borrow::Cow;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::build::digest::Digest;
use crate::config::Config;
use crate::error::Result;
pub use entities::{Entity, Kind};

/// What the story analysis found, indexed like `Digest::articles`.
#[derive(Debug, Default)]
pub struct Story {
    /// Per article: related articles, most related first (at most `[related] count`).
    pub related: Vec<Vec<usize>>,
    /// Per article: the earlier article it follows up.
    pub follows: Vec<Option<usize>>,
    /// Per article: the index of its thread in `threads`.
    pub thread_of: Vec<Option<usize>>,
    /// Threads of two or more articles, each oldest first.
    pub threads: Vec<Vec<usize>>,
    /// Entities named by at least `[entities] min_articles` articles, by slug.
    pub entities: Vec<Entity>,
    /// Entity slug → index into `entities`.
    by_slug: FxHashMap<String, usize>,
    /// The normalized `[entities] stop` names.
    stop: FxHashSet<String>,
}

/// Each article's term counts by file version, kept by the preview between rebuilds so that
/// a rebuild reads the words of the articles that changed only. Counts depend on the article
/// alone (and on `[entities] stop`, which a preview session does not change).
#[derive(Default)]
pub struct Terms(FxHashMap<u64, similar::Counts>);

/// Analyses the articles of `digest` (see the module documentation).
pub fn analyse(config: &Config, digest: &Digest) -> Result<Story> {
    analyse_with(config, digest, None)
}

/// [`analyse`], taking the term counts of article versions `versions` (one per article of
/// `digest`) from `terms` when it has them; `terms` is left holding the counts of these
/// versions only.
pub fn analyse_kept(
    config: &Config,
    digest: &Digest,
    versions: &[u64],
    terms: &mut Terms,
) -> Result<Story> {
    analyse_with(config, digest, Some((versions, terms)))
}

/// An error when an article's body, no longer kept, cannot be rendered again
/// ([`crate::build::content::Article::html`]).
fn analyse_with(
    config: &Config,
    digest: &Digest,
    mut kept: Option<(&[u64], &mut Terms)>,
) -> Result<Story> {
    // The bench's baseline (Cargo.toml, feature `no-story`): the same build without the
    // analysis.
    if cfg!(feature = "no-story") {
        return Ok(Story::default());
    }
    let stop: FxHashSet<String> = config
        .entities
        .stop
        .iter()
        .map(|s| entities::key(s))
        .collect();
    let articles = &digest.articles;
    let mentions: Vec<Vec<(Kind, String, &str)>> = articles
        .par_iter()
        .map(|a| entities::mentions(a, &stop))
        .collect();
    // Counts already known are taken out of `kept` (and put back below with the new ones).
    let known: Vec<Option<similar::Counts>> = match kept.as_mut() {
        Some((versions, terms)) => {
            debug_assert_eq!(versions.len(), articles.len());
            versions.iter().map(|v| terms.0.remove(v)).collect()
        }
        None => Vec::new(),
    };
    let fresh: Vec<Option<similar::Counts>> = articles
        .par_iter()
        .zip(&mentions)
        .enumerate()
        .map_init(
            similar::Scratch::default,
            |scratch, (i, (a, m))| match known.get(i).and_then(Option::as_ref) {
                Some(_) => Ok(None),
                None => Ok(Some(similar::counts(a, &a.html(config)?, m, scratch))),
            },
        )
        .collect::<Result<_>>()?;
    // Counts counted here are owned (and dropped as they are weighed) unless `kept` keeps
    // them for the next rebuild.
    let fresh: Vec<Cow<'_, similar::Counts>> = match kept {
        None => fresh
            .into_iter()
            .map(|c| Cow::Owned(c.expect("counted when none known")))
            .collect(),
        Some((versions, terms)) => {
            terms.0.clear();
            terms.0.extend(
                versions
                    .iter()
                    .copied()
                    .zip(fresh.into_iter().zip(known))
                    .map(|(v, (fresh, known))| (v, fresh.or(known).expect("counted or known"))),
            );
            versions
                .iter()
                .map(|v| Cow::Borrowed(&terms.0[v]))
                .collect()
        }
    };
    let frequencies = similar::frequencies(&fresh);
    let [topical, specific] =
        similar::weigh(fresh, &frequencies, [&similar::RELATED, &similar::STORY]);
    drop(frequencies);
    let days: Vec<i32> = articles
        .iter()
        .map(|a| threads::day_number(a.day))
        .collect();
    let actors: Vec<Vec<u64>> = mentions
        .iter()
        .map(|m| {
            let mut terms: Vec<u64> = m
                .iter()
                .filter(|(kind, _, _)| *kind != Kind::Place)
                .map(|(_, key, _)| similar::entity_term(key))
                .collect();
            terms.sort_unstable();
            terms
        })
        .collect();
    let nodes: Vec<threads::Node<'_>> = (0..articles.len())
        .map(|i| threads::Node {
            day: days[i],
            actors: &actors[i],
        })
        .collect();
    // Per article, from its nearest neighbours (most related first): its related coverage,
    // and the article it follows up among the same candidates scored as the same story (those
    // a follow-up link could join only: most candidates are from other weeks).
    let picked: Vec<(Vec<usize>, Option<usize>)> = similar::neighbours(topical, |i, list| {
        let mut scored: Vec<(usize, f32)> = list
            .iter()
            .filter(|&&(j, _)| threads::in_window(days[i], days[j]))
            .map(|&(j, _)| (j, similar::cosine(specific.get(i), specific.get(j))))
            .collect();
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let related = list
            .iter()
            .take(config.related.count)
            .map(|&(j, _)| j)
            .collect();
        (related, threads::follow_up(&nodes[i], &scored, &nodes))
    });
    drop(specific);
    let (related, follows): (Vec<Vec<usize>>, Vec<Option<usize>>) = picked.into_iter().unzip();
    let (thread_of, threads) = threads::group(&follows);
    let entities = entities::index(&mentions, articles, config.entities.min_articles);
    let by_slug = entities
        .iter()
        .enumerate()
        .map(|(k, e)| (e.slug.clone(), k))
        .collect();
    Ok(Story {
        related,
        follows,
        thread_of,
        threads,
        entities,
        by_slug,
        stop,
    })
}

impl Story {
    /// The entity page of a name as an article writes it, if it has one.
    pub fn entity_of(&self, name: &str) -> Option<usize> {
        let key = entities::key(name);
        if self.stop.contains(&key) {
            return None;
        }
        self.by_slug.get(&key).copied()
    }

    /// The other articles of article `i`'s thread: (earlier, later), each oldest first.
    pub fn thread_around(&self, i: usize) -> (&[usize], &[usize]) {
        match self.thread_of.get(i).copied().flatten() {
            Some(t) => {
                let list = &self.threads[t];
                let at = list.iter().position(|&x| x == i).expect("a member");
                (&list[..at], &list[at + 1..])
            }
            None => (&[], &[]),
        }
    }
}
