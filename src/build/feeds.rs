//! Machine-readable outputs built from the digest: Atom, RSS 2.0 and JSON Feed 1.1 (site-wide
//! and one Atom feed per topic), `sitemap.xml` and `robots.txt`. Feeds are written with the
//! `atom_syndication` and `rss` crates and serde_json, never templated, so they are always
//! well-formed. All URLs here are absolute, from `base_url`.

use atom_syndication as atom;
use chrono::{DateTime, FixedOffset};
use serde_json::json;

use crate::build::content::Article;
use crate::build::pages::{self, PageKind, Site};
use crate::config::{Config, FeedFormat};
use crate::error::Result;

/// A generated file: path relative to the output folder, and its bytes.
pub type File = (String, Vec<u8>);

/// Every feed, the sitemap and robots.txt of `site`.
pub fn write_all(site: &Site<'_>) -> Result<Vec<File>> {
    let config = site.config;
    let latest: Vec<usize> = (0..site.digest.articles.len().min(config.feeds.limit)).collect();
    let mut files = Vec::new();
    for format in &config.feeds.formats {
        files.push(match format {
            FeedFormat::Atom => (
                "atom.xml".to_string(),
                atom_feed(site, &latest, None, "atom.xml")?,
            ),
            FeedFormat::Rss => ("rss.xml".to_string(), rss_feed(site, &latest)?),
            FeedFormat::Json => ("feed.json".to_string(), json_feed(site, &latest)?),
        });
    }
    if config.feeds.formats.contains(&FeedFormat::Atom) {
        for (t, group) in site.digest.topics.iter().enumerate() {
            let path = topic_feed_path(&group.slug);
            let items: Vec<usize> = group
                .articles
                .iter()
                .copied()
                .take(config.feeds.limit)
                .collect();
            files.push((path.clone(), atom_feed(site, &items, Some(t), &path)?));
        }
    }
    files.push(("sitemap.xml".to_string(), sitemap(site)));
    files.push((
        "robots.txt".to_string(),
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            config.base_url
        )
        .into_bytes(),
    ));
    Ok(files)
}

pub fn topic_feed_path(slug: &str) -> String {
    format!("topics/{slug}/atom.xml")
}

/// A stable, globally unique entry id that survives changes of base_url.
fn entry_id(config: &Config, a: &Article) -> String {
    let host = config
        .base_url
        .split("://")
        .nth(1)
        .unwrap_or("")
        .split('/')
        .next()
        .unwrap_or("briefing");
    format!("tag:{host},{}:{}", a.day.format("%Y-%m-%d"), a.id)
}

fn summary_text(a: &Article) -> String {
    a.summary.join(" ")
}

/// The summary as HTML for feed fields that readers render as HTML (RSS `description`): the
/// same sanitized inline HTML the pages show (`Article::summary_html`: Markdown code,
/// emphasis and web links; any markup in the text escaped), as a list. An article without a
/// summary is described by its title's HTML.
fn summary_html(a: &Article) -> String {
    if a.summary.is_empty() {
        return a.title_html().into_owned();
    }
    let mut html = String::from("<ul>");
    for bullet in a.summary_html() {
        html.push_str("<li>");
        html.push_str(&bullet);
        html.push_str("</li>");
    }
    html.push_str("</ul>");
    html
}

fn newest(site: &Site<'_>, items: &[usize]) -> DateTime<FixedOffset> {
    items
        .iter()
        .map(|&i| site.digest.articles[i].published)
        .max()
        .unwrap_or_else(|| site.digest.articles[0].published)
}

fn atom_feed(
    site: &Site<'_>,
    items: &[usize],
    topic: Option<usize>,
    self_path: &str,
) -> Result<Vec<u8>> {
    let config = site.config;
    let (title, alternate) = match topic {
        Some(t) => {
            let r = &site.topic_refs[t];
            (
                format!("{} — {}", config.title, r.name),
                site.permalink(&r.url),
            )
        }
        None => (config.title.clone(), config.base_url.clone()),
    };
    let entries = items
        .iter()
        .map(|&i| {
            let a = &site.digest.articles[i];
            let mut links = vec![atom::Link {
                href: site.permalink(&pages::article_url(a)),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            }];
            if let Some(url) = a.source.as_ref().and_then(|s| s.url.clone()) {
                links.push(atom::Link {
                    href: url,
                    rel: "via".into(),
                    title: a.source.as_ref().map(|s| s.name.clone()),
                    ..Default::default()
                });
            }
            let topic_ref = site.topic_refs.iter().find(|r| r.slug == a.topic);
            Ok(atom::Entry {
                title: atom::Text::plain(a.title.clone()),
                id: entry_id(config, a),
                updated: a.published,
                published: Some(a.published),
                authors: a
                    .source
                    .iter()
                    .map(|s| atom::Person {
                        name: s.name.clone(),
                        ..Default::default()
                    })
                    .collect(),
                links,
                categories: topic_ref
                    .map(|r| atom::Category {
                        term: r.slug.clone(),
                        label: Some(r.name.clone()),
                        ..Default::default()
                    })
                    .into_iter()
                    .collect(),
                summary: (!a.summary.is_empty()).then(|| atom::Text::plain(summary_text(a))),
                content: Some(atom::Content {
                    value: Some(a.html(config)?.into_owned()),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
                ..Default::default()
            })
        })
        .collect::<Result<_>>()?;
    let feed = atom::Feed {
        title: atom::Text::plain(title),
        id: format!("{}{}", config.base_url, self_path),
        updated: newest(site, items),
        authors: vec![atom::Person {
            name: config.title.clone(),
            ..Default::default()
        }],
        links: vec![
            atom::Link {
                href: alternate,
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Default::default()
            },
            atom::Link {
                href: format!("{}{}", config.base_url, self_path),
                rel: "self".into(),
                mime_type: Some("application/atom+xml".into()),
                ..Default::default()
            },
        ],
        subtitle: (!config.description.is_empty())
            .then(|| atom::Text::plain(config.description.clone())),
        lang: Some(config.language.clone()),
        entries,
        ..Default::default()
    };
    // `write_to` starts with its own XML declaration.
    Ok(feed
        .write_to(Vec::new())
        .expect("writing to a Vec cannot fail"))
}

fn rss_feed(site: &Site<'_>, items: &[usize]) -> Result<Vec<u8>> {
    let config = site.config;
    let items = items
        .iter()
        .map(|&i| {
            let a = &site.digest.articles[i];
            let topic_ref = site.topic_refs.iter().find(|r| r.slug == a.topic);
            Ok(rss::Item {
                title: Some(a.title.clone()),
                link: Some(site.permalink(&pages::article_url(a))),
                description: Some(summary_html(a)),
                guid: Some(rss::Guid {
                    value: entry_id(config, a),
                    permalink: false,
                }),
                pub_date: Some(a.published.to_rfc2822()),
                categories: topic_ref
                    .map(|r| rss::Category {
                        name: r.name.clone(),
                        domain: None,
                    })
                    .into_iter()
                    .collect(),
                source: a.source.as_ref().and_then(|s| {
                    s.url.clone().map(|url| rss::Source {
                        url,
                        title: Some(s.name.clone()),
                    })
                }),
                content: Some(a.html(config)?.into_owned()),
                ..Default::default()
            })
        })
        .collect::<Result<_>>()?;
    let channel = rss::Channel {
        title: config.title.clone(),
        link: config.base_url.clone(),
        description: if config.description.is_empty() {
            config.title.clone()
        } else {
            config.description.clone()
        },
        language: Some(config.language.clone()),
        last_build_date: Some(site.digest.articles[0].published.to_rfc2822()),
        atom_ext: Some(rss::extension::atom::AtomExtension {
            links: vec![rss::extension::atom::Link {
                href: format!("{}rss.xml", config.base_url),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Default::default()
            }],
        }),
        items,
        ..Default::default()
    };
    let mut out = Vec::new();
    channel
        .pretty_write_to(&mut out, b' ', 1)
        .expect("writing to a Vec cannot fail");
    Ok(out)
}

fn json_feed(site: &Site<'_>, items: &[usize]) -> Result<Vec<u8>> {
    let config = site.config;
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|&i| -> Result<serde_json::Value> {
            let a = &site.digest.articles[i];
            let topic = site
                .topic_refs
                .iter()
                .find(|r| r.slug == a.topic)
                .map(|r| r.name.clone());
            let mut item = json!({
                "id": entry_id(config, a),
                "url": site.permalink(&pages::article_url(a)),
                "title": a.title,
                "content_html": a.html(config)?,
                "date_published": a.published.to_rfc3339(),
                "tags": topic.into_iter().chain(a.tags.iter().cloned()).collect::<Vec<_>>(),
            });
            if !a.summary.is_empty() {
                item["summary"] = json!(summary_text(a));
            }
            if let Some(s) = &a.source {
                item["authors"] = json!([{ "name": s.name }]);
                if let Some(url) = &s.url {
                    item["external_url"] = json!(url);
                }
            }
            Ok(item)
        })
        .collect::<Result<_>>()?;
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": config.base_url,
        "feed_url": format!("{}feed.json", config.base_url),
        "description": config.description,
        "language": config.language,
        "items": items,
    });
    let mut out = serde_json::to_vec_pretty(&feed).expect("JSON values serialize");
    out.push(b'\n');
    Ok(out)
}

/// Every HTML page but the 404 page, with the day it last changed.
fn sitemap(site: &Site<'_>) -> Vec<u8> {
    let newest_day = site.digest.articles[0].day;
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in &site.pages {
        let lastmod = match page.kind {
            PageKind::NotFound | PageKind::Email(_) => continue,
            PageKind::Article(i) => site.digest.articles[i].day,
            PageKind::Entity(k) => site.story.entities[k]
                .articles
                .first()
                .map_or(newest_day, |&i| site.digest.articles[i].day),
            PageKind::Edition(e) => site.digest.editions[e].day,
            PageKind::Topic { topic, .. } => site.digest.topics[topic]
                .articles
                .first()
                .map_or(newest_day, |&i| site.digest.articles[i].day),
            _ => newest_day,
        };
        out.push_str("<url><loc>");
        pulldown_cmark_escape::escape_html(&mut out, &site.permalink(&page.path))
            .expect("String writes cannot fail");
        out.push_str("</loc><lastmod>");
        out.push_str(&lastmod.to_string());
        out.push_str("</lastmod></url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}
