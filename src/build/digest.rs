//! Grouping: published articles → daily editions and topics. Drafts and articles after
//! `--as-of` are left out here. The editor's hand is applied here too: each edition gets its
//! note and its lead story, and its sections follow the articles' weights. The result is
//! plain data indexed into `articles`; URLs and page contexts are planned by `pages`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::build::content::Article;
use crate::build::note::EditionNote;
use crate::config::{Config, OTHER_TOPIC};
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
    /// What was left out, so that the terminal can say so.
    pub left_out: LeftOut,
}

/// Articles that were read but are not published by this build.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LeftOut {
    /// Marked `draft: true`, and `--drafts` not given.
    pub drafts: usize,
    /// Dated after `--as-of` (drafts among them are counted as drafts).
    pub after_as_of: usize,
}

#[derive(Debug)]
pub struct Edition {
    pub day: NaiveDate,
    /// Indices into `Digest::articles`, newest first.
    pub articles: Vec<usize>,
    /// The article marked `lead: true`, shown first and outside the sections.
    pub lead: Option<usize>,
    /// The editor's note (`_edition.md`).
    pub note: Option<Arc<EditionNote>>,
}

#[derive(Debug)]
pub struct TopicGroup {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// Indices into `Digest::articles`, newest first.
    pub articles: Vec<usize>,
}

/// Groups `articles` for `config` (drafts, `--as-of`) and gives each edition its note.
pub fn assemble(
    config: &Config,
    mut articles: Vec<Arc<Article>>,
    notes: Vec<Arc<EditionNote>>,
) -> Result<Digest> {
    let mut left_out = LeftOut::default();
    articles.retain(|a| {
        if a.draft && !config.drafts {
            left_out.drafts += 1;
            false
        } else if config.as_of.is_some_and(|day| a.day > day) {
            left_out.after_as_of += 1;
            false
        } else {
            true
        }
    });
    if articles.is_empty() {
        return Err(Error::Refused(
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
                lead: None,
                note: None,
            }),
        }
    }
    edit(config, &articles, &mut editions, notes)?;

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
        left_out,
    })
}

/// The editor's hand: each edition's lead story and note. Only published ones count (a
/// draft lead or note may wait beside the live one); two of either on one day are an error
/// naming both files. A note for a day without published articles waits for its edition.
fn edit(
    config: &Config,
    articles: &[Arc<Article>],
    editions: &mut [Edition],
    mut notes: Vec<Arc<EditionNote>>,
) -> Result<()> {
    let mut errors = Vec::new();
    for edition in editions.iter_mut() {
        // Oldest first, so that the later file is the one reported.
        for &i in edition.articles.iter().rev().filter(|&&i| articles[i].lead) {
            match edition.lead {
                None => edition.lead = Some(i),
                Some(first) => errors.push(Diagnostic::new(
                    &articles[i].path,
                    format!(
                        "a second lead story for {}: {} is already `lead: true`; an edition has at most one lead",
                        edition.day,
                        articles[first].path.display()
                    ),
                )),
            }
        }
    }
    notes.retain(|n| config.drafts || !n.draft);
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    let position: HashMap<NaiveDate, usize> = editions
        .iter()
        .enumerate()
        .map(|(e, ed)| (ed.day, e))
        .collect();
    for n in notes {
        let Some(&e) = position.get(&n.day) else {
            continue;
        };
        match &editions[e].note {
            None => editions[e].note = Some(n),
            Some(first) => errors.push(Diagnostic::new(
                &n.path,
                format!(
                    "a second edition note for {}: {} is already that day's note",
                    n.day,
                    first.path.display()
                ),
            )),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(errors))
    }
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
    /// Articles of an edition but its lead, grouped by topic, in the site's topic order;
    /// within a topic by the editor's `weight` (lower first), then newest first.
    pub fn sections<'a>(&'a self, edition: &'a Edition) -> Vec<(&'a TopicGroup, Vec<usize>)> {
        self.topics
            .iter()
            .filter_map(|t| {
                let mut list: Vec<usize> = edition
                    .articles
                    .iter()
                    .copied()
                    .filter(|&i| self.articles[i].topic == t.slug && Some(i) != edition.lead)
                    .collect();
                // Stable: equal weights keep the newest-first order.
                list.sort_by_key(|&i| self.articles[i].weight);
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

    fn group(config: &Config, articles: Vec<Arc<Article>>) -> Result<Digest> {
        assemble(config, articles, Vec::new())
    }

    fn article(slug: &str, when: &str, topic: &str, draft: bool) -> Arc<Article> {
        let published: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(when).unwrap();
        Arc::new(Article {
            path: PathBuf::from(format!("content/{slug}.md")),
            slug: slug.into(),
            title: slug.into(),
            title_markup: Default::default(),
            day: published.date_naive(),
            published,
            topic: topic.into(),
            dateline: None,
            summary: vec![],
            summary_markup: Default::default(),
            summary_source: None,
            source: None,
            sources: vec![],
            quotes: vec![],
            pull_quotes: vec![],
            entities: Default::default(),
            author: vec![],
            image: None,
            tags: vec![],
            id: slug.into(),
            draft,
            lead: false,
            weight: 0,
            extra: Default::default(),
            body: crate::build::content::Body::new("", String::new()),
            word_count: 0,
            reading_time: 1,
        })
    }

    #[test]
    fn groups_by_day_newest_first_and_by_topic() {
        let d = group(
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
        let d = group(&config(BuildOptions::default()), list()).unwrap();
        assert_eq!(d.articles.len(), 2);
        assert_eq!(
            d.left_out,
            LeftOut {
                drafts: 1,
                after_as_of: 0
            }
        );
        let d = group(
            &config(BuildOptions {
                drafts: true,
                ..Default::default()
            }),
            list(),
        )
        .unwrap();
        assert_eq!(d.articles.len(), 3);
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 24);
        let d = group(
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
        assert_eq!(
            d.left_out,
            LeftOut {
                drafts: 1,
                after_as_of: 1
            }
        );
    }

    #[test]
    fn same_slug_same_day_is_an_error() {
        let mut b = article("x", "2026-11-24T12:00:00Z", "a", false);
        Arc::make_mut(&mut b).path = PathBuf::from("content/other/x.md");
        let err = group(
            &config(BuildOptions::default()),
            vec![article("x", "2026-11-24T10:00:00Z", "a", false), b],
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("same output path 2026/11/24/x/"),
            "{err}"
        );
    }

    fn edited(slug: &str, when: &str, lead: bool, weight: i64) -> Arc<Article> {
        let mut a = article(slug, when, "a", false);
        let m = Arc::make_mut(&mut a);
        (m.lead, m.weight) = (lead, weight);
        a
    }

    fn slugs(d: &Digest, list: &[usize]) -> Vec<String> {
        list.iter().map(|&i| d.articles[i].slug.clone()).collect()
    }

    #[test]
    fn the_lead_leaves_its_section_and_weights_order_the_rest() {
        let d = group(
            &config(BuildOptions::default()),
            vec![
                edited("old", "2026-11-25T08:00:00Z", false, 0),
                edited("new", "2026-11-25T12:00:00Z", false, 0),
                edited("heavy", "2026-11-25T13:00:00Z", false, 5),
                edited("light", "2026-11-25T07:00:00Z", false, -1),
                edited("lead", "2026-11-25T06:00:00Z", true, 0),
            ],
        )
        .unwrap();
        let e = &d.editions[0];
        assert_eq!(e.lead.map(|i| d.articles[i].slug.as_str()), Some("lead"));
        let sections = d.sections(e);
        assert_eq!(slugs(&d, &sections[0].1), ["light", "new", "old", "heavy"]);
        // Topic pages stay newest first, lead included.
        assert_eq!(
            slugs(&d, &d.topics[0].articles),
            ["heavy", "new", "old", "light", "lead"]
        );
    }

    #[test]
    fn two_leads_on_one_day_name_both_files() {
        let err = group(
            &config(BuildOptions::default()),
            vec![
                edited("one", "2026-11-25T08:00:00Z", true, 0),
                edited("two", "2026-11-25T12:00:00Z", true, 0),
                edited("other-day", "2026-11-24T12:00:00Z", true, 0),
            ],
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            err,
            "content/two.md: a second lead story for 2026-11-25: content/one.md is already `lead: true`; an edition has at most one lead"
        );
    }
}
