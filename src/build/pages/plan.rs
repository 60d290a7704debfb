//! The page plan: which pages exist, at which path, with which template.

use super::*;

/// Plans every page of the site; `theme` says which optional pages the theme can render.
pub fn plan<'a>(
    config: &'a Config,
    digest: &'a Digest,
    story: &'a Story,
    theme: ThemePages,
) -> Site<'a> {
    let topic_refs: Vec<TopicRef> = digest
        .topics
        .iter()
        .map(|t| TopicRef {
            slug: t.slug.clone(),
            name: t.name.clone(),
            description: t.description.clone(),
            url: topic_url(&t.slug, 1),
        })
        .collect();
    let edition_refs: Vec<EditionRef> = digest
        .editions
        .iter()
        .map(|e| EditionRef {
            date: e.day.to_string(),
            date_display: date_display(e.day),
            url: edition_url(e.day),
            email_url: email_url(e.day),
            count: e.articles.len(),
        })
        .collect();
    let mut article_topic = vec![0; digest.articles.len()];
    for (t, group) in digest.topics.iter().enumerate() {
        for &i in &group.articles {
            article_topic[i] = t;
        }
    }
    let mut article_edition = vec![0; digest.articles.len()];
    for (e, edition) in digest.editions.iter().enumerate() {
        for &i in &edition.articles {
            article_edition[i] = e;
        }
    }

    let mut pages = vec![
        Page {
            path: "index.html".into(),
            template: "index.html",
            kind: PageKind::Home,
        },
        Page {
            path: "topics/index.html".into(),
            template: "topics.html",
            kind: PageKind::Topics,
        },
        Page {
            path: "archive/index.html".into(),
            template: "archive.html",
            kind: PageKind::Archive,
        },
        Page {
            path: "404.html".into(),
            template: "404.html",
            kind: PageKind::NotFound,
        },
    ];
    if config.search.enabled {
        pages.push(Page {
            path: "search/index.html".into(),
            template: "search.html",
            kind: PageKind::Search,
        });
    }
    for (e, r) in edition_refs.iter().enumerate() {
        pages.push(Page {
            path: r.url.clone(),
            template: "edition.html",
            kind: PageKind::Edition(e),
        });
        if theme.email {
            pages.push(Page {
                path: r.email_url.clone(),
                template: "email.html",
                kind: PageKind::Email(e),
            });
        }
    }
    for (t, group) in digest.topics.iter().enumerate() {
        for page in 1..=page_count(group, config.paginate_by) {
            pages.push(Page {
                path: topic_url(&group.slug, page),
                template: "topic.html",
                kind: PageKind::Topic { topic: t, page },
            });
        }
    }
    for (i, a) in digest.articles.iter().enumerate() {
        pages.push(Page {
            path: article_url(a),
            template: "article.html",
            kind: PageKind::Article(i),
        });
    }
    if theme.entities {
        pages.push(Page {
            path: ENTITIES_URL.into(),
            template: "entities.html",
            kind: PageKind::Entities,
        });
        for (k, e) in story.entities.iter().enumerate() {
            pages.push(Page {
                path: entity_url(&e.slug),
                template: "entity.html",
                kind: PageKind::Entity(k),
            });
        }
    }
    Site {
        config,
        digest,
        story,
        theme,
        topic_ref_values: topic_refs.iter().map(Value::from_serializable).collect(),
        edition_ref_values: edition_refs.iter().map(Value::from_serializable).collect(),
        topic_refs,
        edition_refs,
        article_topic,
        article_edition,
        view_values: Shared::new(digest.articles.len()),
        story_ref_values: Shared::new(digest.articles.len()),
        pages,
    }
}

pub(crate) fn page_count(group: &TopicGroup, per_page: usize) -> usize {
    group.articles.len().div_ceil(per_page).max(1)
}
