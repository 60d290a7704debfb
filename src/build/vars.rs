//! The `site` variable every template receives.

use serde::Serialize;

use crate::build::pages::{Site, TopicRef};
use crate::config::{self, Config};

/// The `site` variable every template receives.
#[derive(Serialize)]
pub(crate) struct SiteVars<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    topics: &'a [TopicRef],
    feeds: FeedLinks,
    search: bool,
    /// The entity pages are planned (`entities/index.html`).
    entities: bool,
}

#[derive(Serialize)]
struct FeedLinks {
    atom: Option<&'static str>,
    rss: Option<&'static str>,
    json: Option<&'static str>,
}

impl<'a> SiteVars<'a> {
    pub(crate) fn new(config: &'a Config, site: &'a Site<'a>) -> Self {
        let has = |f| config.feeds.formats.contains(&f);
        SiteVars {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            language: &config.language,
            topics: &site.topic_refs,
            feeds: FeedLinks {
                atom: has(config::FeedFormat::Atom).then_some("atom.xml"),
                rss: has(config::FeedFormat::Rss).then_some("rss.xml"),
                json: has(config::FeedFormat::Json).then_some("feed.json"),
            },
            search: config.search.enabled,
            entities: site.theme.entities,
        }
    }
}
