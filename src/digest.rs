//! Grouping: published articles → daily editions and topics. Drafts and articles after
//! `--as-of` are left out here. The result is plain data indexed into `articles`; URLs and
//! page contexts are planned by `pages`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::{Config, OTHER_TOPIC};
use crate::content::Article;
use crate::error::{Diagnostic, Error, Result};

#[derive(Debug)]
pub struct Digest {
    /// Newest first (by publication time, then title). Shared, so that the preview server can
    /// keep parsed articles between rebuilds and regroup them without copying.
    pub articles: Vec<Arc<Article>>,
    /// Newest first.
    pub editions: Vec<Edition>,
    /// Configured topics in order, then `other` if any article has no topic.
    pub topics: Vec<TopicGroup>,
}

#[derive(Debug)]
pub struct Edition {
    pub day: NaiveDate,
    /// Indices into `Digest::articles`, newest first.
    pub articles: Vec<usize>,
}

#[derive(Debug)]
pub struct TopicGroup {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Indices into `Digest::articles`, newest first.
    pub articles: Vec<usize>,
}

/// Groups `articles` for `config` (drafts, `--as-of`).
pub fn assemble(config: &Config, mut articles: Vec<Arc<Article>>) -> Result<Digest> {
    articles.retain(|a| (config.drafts || !a.draft) && config.as_of.is_none_or(|day| a.day <= day));
    if articles.is_empty() {
        return Err(Error::Usage(
            "nothing to publish: every article is a draft (use --drafts) or dated after --as-of"
                .into(),
        ));
    }
    articles.sort_by(|a, b| {
        b.published
            .cmp(&a.published)
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.path.cmp(&b.path))
    });
    check_unique_urls(&articles)?;

    let mut editions: Vec<Edition> = Vec::new();
    let mut by_day: Vec<(NaiveDate, usize)> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.day, i))
        .collect();
    // Publication order and day order can differ only when offsets differ; group by day, newest first.
    by_day.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (day, i) in by_day {
        match editions.last_mut() {
            Some(e) if e.day == day => e.articles.push(i),
            _ => editions.push(Edition {
                day,
                articles: vec![i],
            }),
        }
    }

    let mut topics: Vec<TopicGroup> = config
        .topics
        .iter()
        .map(|t| TopicGroup {
            slug: t.slug.clone(),
            name: t.name.clone(),
            description: t.description.clone(),
            articles: Vec::new(),
        })
        .collect();
    let position: HashMap<&str, usize> = config
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
    for (i, a) in articles.iter().enumerate() {
        // `content` only lets configured topics and `other` through.
        topics[position[a.topic.as_str()]].articles.push(i);
    }
    topics.retain(|t| t.slug != OTHER_TOPIC || !t.articles.is_empty());
    Ok(Digest {
        articles,
        editions,
        topics,
    })
}

/// Two files whose article would be written to the same URL (same day, same slug) are an
/// error naming both: silently dropping one would lose a story.
fn check_unique_urls(articles: &[Arc<Article>]) -> Result<()> {
    let mut seen: HashMap<(NaiveDate, &str), &Article> = HashMap::new();
    let mut errors = Vec::new();
    for a in articles {
        if let Some(first) = seen.insert((a.day, a.slug.as_str()), a) {
            errors.push(Diagnostic::new(
                &a.path,
                format!(
                    "same output path {}/{}/ as {}: two articles on one day need different file names",
                    a.day.format("%Y/%m/%d"),
                    a.slug,
                    first.path.display()
                ),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(errors))
    }
}

impl Digest {
    /// Articles of an edition grouped by topic, in the site's topic order.
    pub fn sections<'a>(&'a self, edition: &'a Edition) -> Vec<(&'a TopicGroup, Vec<usize>)> {
        self.topics
            .iter()
            .filter_map(|t| {
                let list: Vec<usize> = edition
                    .articles
                    .iter()
                    .copied()
                    .filter(|&i| self.articles[i].topic == t.slug)
                    .collect();
                (!list.is_empty()).then_some((t, list))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BuildOptions;
    use chrono::{DateTime, FixedOffset};
    use std::path::{Path, PathBuf};

    fn config(options: BuildOptions) -> Config {
        let toml = "title = \"t\"\nbase_url = \"https://e.org/\"\n[[topics]]\nslug = \"a\"\nname = \"A\"\n";
        Config::from_toml(Path::new("/s"), Path::new("briefing.toml"), toml, options).unwrap()
    }

    fn article(slug: &str, when: &str, topic: &str, draft: bool) -> Arc<Article> {
        let published: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(when).unwrap();
        Arc::new(Article {
            path: PathBuf::from(format!("content/{slug}.md")),
            slug: slug.into(),
            title: slug.into(),
            day: published.date_naive(),
            published,
            topic: topic.into(),
            dateline: None,
            summary: vec![],
            summary_source: None,
            source: None,
            sources: vec![],
            quotes: vec![],
            entities: Default::default(),
            author: vec![],
            image: None,
            tags: vec![],
            id: slug.into(),
            draft,
            extra: Default::default(),
            html: String::new(),
            word_count: 0,
            reading_time: 1,
        })
    }

    #[test]
    fn groups_by_day_newest_first_and_by_topic() {
        let d = assemble(
            &config(BuildOptions::default()),
            vec![
                article("x", "2026-11-24T10:00:00Z", "a", false),
                article("y", "2026-11-25T10:00:00Z", "other", false),
                article("z", "2026-11-25T12:00:00Z", "a", false),
            ],
        )
        .unwrap();
        let days: Vec<String> = d.editions.iter().map(|e| e.day.to_string()).collect();
        assert_eq!(days, ["2026-11-25", "2026-11-24"]);
        assert_eq!(
            d.editions[0]
                .articles
                .iter()
                .map(|&i| d.articles[i].slug.as_str())
                .collect::<Vec<_>>(),
            ["z", "y"]
        );
        assert_eq!(
            d.topics
                .iter()
                .map(|t| t.articles.len())
                .collect::<Vec<_>>(),
            [2, 1]
        );
        let sections = d.sections(&d.editions[0]);
        assert_eq!(
            sections
                .iter()
                .map(|(t, _)| t.slug.as_str())
                .collect::<Vec<_>>(),
            ["a", "other"]
        );
    }

    #[test]
    fn drafts_and_as_of() {
        let list = || {
            vec![
                article("x", "2026-11-24T10:00:00Z", "a", false),
                article("d", "2026-11-24T11:00:00Z", "a", true),
                article("z", "2026-11-25T12:00:00Z", "a", false),
            ]
        };
        let d = assemble(&config(BuildOptions::default()), list()).unwrap();
        assert_eq!(d.articles.len(), 2);
        let d = assemble(
            &config(BuildOptions {
                drafts: true,
                ..Default::default()
            }),
            list(),
        )
        .unwrap();
        assert_eq!(d.articles.len(), 3);
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 24);
        let d = assemble(
            &config(BuildOptions {
                as_of,
                ..Default::default()
            }),
            list(),
        )
        .unwrap();
        assert_eq!(
            d.articles
                .iter()
                .map(|a| a.slug.as_str())
                .collect::<Vec<_>>(),
            ["x"]
        );
    }

    #[test]
    fn same_slug_same_day_is_an_error() {
        let mut b = article("x", "2026-11-24T12:00:00Z", "a", false);
        Arc::make_mut(&mut b).path = PathBuf::from("content/other/x.md");
        let err = assemble(
            &config(BuildOptions::default()),
            vec![article("x", "2026-11-24T10:00:00Z", "a", false), b],
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("same output path 2026/11/24/x/"),
            "{err}"
        );
    }
}
