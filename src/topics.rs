//! `briefing topics`: the configured topics, in the site's order, with how many articles of
//! `content/` each one holds — an inventory of the files, drafts counted apart. Which articles
//! a build publishes is `digest`'s decision, not this module's.

use crate::build::content;
use crate::config::{Config, OTHER_TOPIC};
use crate::error::Result;

/// One topic and its articles in `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicCount {
    pub slug: String,
    pub name: String,
    /// Articles that are not drafts.
    pub articles: usize,
    pub drafts: usize,
}

/// Every configured topic (and `other`, when some article has no topic), with its counts.
/// Reading `content/` reports every bad file, as a build would.
pub fn count(config: &Config) -> Result<Vec<TopicCount>> {
    let articles = content::load(config)?.articles;
    let mut counts: Vec<TopicCount> = config
        .topics
        .iter()
        .map(|t| TopicCount {
            slug: t.slug.clone(),
            name: t.name.clone(),
            articles: 0,
            drafts: 0,
        })
        .collect();
    for a in &articles {
        // `content` only lets configured topics and `other` through.
        if let Some(c) = counts.iter_mut().find(|c| c.slug == a.topic) {
            if a.draft {
                c.drafts += 1;
            } else {
                c.articles += 1;
            }
        }
    }
    counts.retain(|c| c.slug != OTHER_TOPIC || c.articles + c.drafts > 0);
    Ok(counts)
}
