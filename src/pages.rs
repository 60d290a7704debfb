//! Planning the site: which pages exist, at which output path, with which template, and the
//! data each template receives (README "Template variables"). Every internal URL here is
//! relative to the site root and ends in `index.html`; templates prefix it with `root`.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tera::{Context, Value};

use crate::config::Config;
use crate::content::Article;
use crate::digest::{Digest, Edition, TopicGroup};
use crate::frontmatter::{Entities, Quote, Source, SummarySource};
use crate::note::EditionNote;
use crate::story::Story;

mod story;

/// What a page shows. Contexts are built from it at render time, in parallel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Home,
    Edition(usize),
    /// The edition as one self-contained page for newsletter tools: absolute links.
    Email(usize),
    Article(usize),
    Topic {
        topic: usize,
        page: usize,
    },
    Topics,
    Archive,
    Search,
    NotFound,
    /// The page of an entity (index into `Story::entities`).
    Entity(usize),
    /// The index of entity pages.
    Entities,
}

/// The pages a theme may leave out: the site gets them only when the theme has their template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ThemePages {
    /// `email.html`: each edition also gets its email version.
    pub email: bool,
    /// `entity.html` and `entities.html`: entity pages and their index.
    pub entities: bool,
}

impl ThemePages {
    pub fn of(templates: &crate::templates::Templates) -> ThemePages {
        ThemePages {
            email: templates.has("email.html"),
            entities: templates.has("entity.html") && templates.has("entities.html"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Output path relative to the output folder, `/`-separated.
    pub path: String,
    pub template: &'static str,
    pub kind: PageKind,
}

impl PageKind {
    fn name(&self) -> &'static str {
        match self {
            PageKind::Home => "home",
            PageKind::Edition(_) => "edition",
            PageKind::Email(_) => "email",
            PageKind::Article(_) => "article",
            PageKind::Topic { .. } => "topic",
            PageKind::Topics => "topics",
            PageKind::Archive => "archive",
            PageKind::Search => "search",
            PageKind::NotFound => "404",
            PageKind::Entity(_) => "entity",
            PageKind::Entities => "entities",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TopicRef {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EditionRef {
    pub date: String,
    pub date_display: String,
    pub url: String,
    pub email_url: String,
    pub count: usize,
}

/// What templates see of an article (besides its HTML body).
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    /// Plain text; `title_html` is the same title with its inline Markdown as HTML.
    pub title: &'a str,
    pub title_html: &'a str,
    pub url: String,
    pub date: String,
    pub date_display: String,
    pub published: String,
    pub dateline: Option<&'a str>,
    pub topic: &'a TopicRef,
    /// Plain text bullets; `summary_html` holds the same bullets as HTML.
    pub summary: &'a [String],
    pub summary_html: &'a [String],
    pub summary_source: Option<SummarySource>,
    pub source: Option<&'a Source>,
    pub sources: &'a [Source],
    pub quotes: &'a [Quote],
    /// The quotes not found in the body (what the article page shows apart).
    pub pull_quotes: &'a [Quote],
    pub entities: &'a Entities,
    pub author: &'a [String],
    pub image: Option<&'a str>,
    pub tags: &'a [String],
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    pub word_count: usize,
    pub reading_time: usize,
    pub edition: &'a EditionRef,
    /// The earlier article this one follows up (a story thread), or null.
    pub follow_up: Option<StoryRef<'a>>,
}

/// A short reference to another article: related coverage, story timelines, follow-ups.
#[derive(Debug, Clone, Serialize)]
pub struct StoryRef<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: String,
    pub date_display: String,
    pub topic: &'a TopicRef,
}

/// An entity as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct EntityRef<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub kind: crate::story::Kind,
    pub url: String,
    pub count: usize,
}

/// The planned site: the digest plus everything derived once and shared by many pages.
pub struct Site<'a> {
    pub config: &'a Config,
    pub digest: &'a Digest,
    pub story: &'a Story,
    /// The optional pages planned.
    pub theme: ThemePages,
    pub topic_refs: Vec<TopicRef>,
    pub edition_refs: Vec<EditionRef>,
    /// Per article: index into `topic_refs` and into `edition_refs`.
    article_topic: Vec<usize>,
    article_edition: Vec<usize>,
    pub pages: Vec<Page>,
}

pub fn article_url(a: &Article) -> String {
    format!("{}/{}/index.html", day_path(a.day), a.slug)
}

pub fn edition_url(day: NaiveDate) -> String {
    format!("{}/index.html", day_path(day))
}

pub fn email_url(day: NaiveDate) -> String {
    format!("{}/email.html", day_path(day))
}

/// `YYYY/MM/DD`, as `day.format("%Y/%m/%d")` writes it (asked for every link to an article
/// or edition: without chrono's format parser).
fn day_path(day: NaiveDate) -> String {
    match day.year() {
        y @ 0..=9999 => format!("{y:04}/{:02}/{:02}", day.month(), day.day()),
        _ => day.format("%Y/%m/%d").to_string(),
    }
}

pub fn entity_url(slug: &str) -> String {
    format!("entities/{slug}/index.html")
}

pub const ENTITIES_URL: &str = "entities/index.html";

pub fn topic_url(slug: &str, page: usize) -> String {
    if page <= 1 {
        format!("topics/{slug}/index.html")
    } else {
        format!("topics/{slug}/page/{page}/index.html")
    }
}

pub fn date_display(day: NaiveDate) -> String {
    // `day.format("%A, %-d %B %Y")`, without chrono's format parser (asked for every
    // article of every list).
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const WEEKDAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    match day.year() {
        y @ 0..=9999 => format!(
            "{}, {} {} {y:04}",
            WEEKDAYS[day.weekday().num_days_from_monday() as usize],
            day.day(),
            MONTHS[day.month0() as usize]
        ),
        _ => day.format("%A, %-d %B %Y").to_string(),
    }
}

/// `../` once per folder level of `path`, so that `root + url` reaches any page.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

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
        topic_refs,
        edition_refs,
        article_topic,
        article_edition,
        pages,
    }
}

pub(crate) fn page_count(group: &TopicGroup, per_page: usize) -> usize {
    group.articles.len().div_ceil(per_page).max(1)
}

impl<'a> Site<'a> {
    pub fn article_view(&self, i: usize) -> ArticleView<'_> {
        let a = &self.digest.articles[i];
        ArticleView {
            id: &a.id,
            slug: &a.slug,
            title: &a.title,
            title_html: &a.title_html,
            url: article_url(a),
            date: a.day.to_string(),
            date_display: date_display(a.day),
            published: a.published.to_rfc3339(),
            dateline: a.dateline.as_deref(),
            topic: &self.topic_refs[self.article_topic[i]],
            summary: &a.summary,
            summary_html: &a.summary_html,
            summary_source: a.summary_source,
            source: a.source.as_ref(),
            sources: &a.sources,
            quotes: &a.quotes,
            pull_quotes: &a.pull_quotes,
            entities: &a.entities,
            author: &a.author,
            image: a.image.as_deref(),
            tags: &a.tags,
            extra: &a.extra,
            word_count: a.word_count,
            reading_time: a.reading_time,
            edition: &self.edition_refs[self.article_edition[i]],
            follow_up: self
                .story
                .follows
                .get(i)
                .copied()
                .flatten()
                .map(|j| self.story_ref(j)),
        }
    }

    /// A short reference to article `i`.
    pub fn story_ref(&self, i: usize) -> StoryRef<'_> {
        let a = &self.digest.articles[i];
        StoryRef {
            title: &a.title,
            url: article_url(a),
            date: a.day.to_string(),
            date_display: date_display(a.day),
            topic: &self.topic_refs[self.article_topic[i]],
        }
    }

    /// The index into `edition_refs` of article `i`'s edition.
    pub(crate) fn edition_of(&self, i: usize) -> usize {
        self.article_edition[i]
    }

    fn views(&self, indices: &[usize]) -> Vec<ArticleView<'_>> {
        indices.iter().map(|&i| self.article_view(i)).collect()
    }

    /// The variables of `page` (README "Template variables"), without `site` (global).
    pub fn context(&self, page: &Page) -> Context {
        let mut ctx = Context::new();
        let root = match page.kind {
            PageKind::NotFound | PageKind::Email(_) => self.config.base_url.clone(),
            _ => root_prefix(&page.path),
        };
        ctx.insert("root", &root);
        ctx.insert("page_kind", page.kind.name());
        ctx.insert("permalink", &self.permalink(&page.path));
        match page.kind {
            PageKind::Home => ctx.insert("edition", &self.edition_context(0)),
            PageKind::Edition(e) | PageKind::Email(e) => {
                ctx.insert("edition", &self.edition_context(e))
            }
            PageKind::Article(i) => {
                ctx.insert("article", &self.article_view(i));
                ctx.insert_value("content", Value::safe_string(&self.digest.articles[i].html));
                self.story_context(&mut ctx, i);
            }
            PageKind::Entity(k) => self.entity_context(&mut ctx, k),
            PageKind::Entities => ctx.insert("groups", &self.entity_groups()),
            PageKind::Topic { topic, page: n } => self.topic_context(&mut ctx, topic, n),
            PageKind::Topics => ctx.insert("topics", &self.topics_context()),
            PageKind::Archive => ctx.insert("months", &self.archive_context()),
            PageKind::Search | PageKind::NotFound => {}
        }
        ctx
    }

    /// Absolute URL of an output path, for canonical links, feeds and sitemaps.
    pub fn permalink(&self, path: &str) -> String {
        let path = path.strip_suffix("index.html").unwrap_or(path);
        format!("{}{}", self.config.base_url, path)
    }

    fn edition_context(&self, e: usize) -> EditionContext<'_> {
        let edition: &Edition = &self.digest.editions[e];
        let sections = self
            .digest
            .sections(edition)
            .into_iter()
            .map(|(t, list)| Section {
                topic: self
                    .topic_refs
                    .iter()
                    .find(|r| r.slug == t.slug)
                    .expect("topic planned"),
                articles: self.views(&list),
            })
            .collect();
        EditionContext {
            reference: &self.edition_refs[e],
            note: edition.note.as_deref().map(NoteView::of),
            lead: edition.lead.map(|i| self.article_view(i)),
            sections,
            prev: self.edition_refs.get(e + 1),
            next: e.checked_sub(1).map(|n| &self.edition_refs[n]),
        }
    }

    fn topic_context(&self, ctx: &mut Context, t: usize, page: usize) {
        let group = &self.digest.topics[t];
        let per_page = self.config.paginate_by;
        let pages = page_count(group, per_page);
        let start = (page - 1) * per_page;
        let slice = &group.articles
            [start.min(group.articles.len())..(start + per_page).min(group.articles.len())];
        ctx.insert(
            "topic",
            &TopicContext {
                reference: &self.topic_refs[t],
                count: group.articles.len(),
            },
        );
        ctx.insert("articles", &self.views(slice));
        ctx.insert(
            "paginator",
            &Paginator {
                page,
                pages,
                prev: (page > 1).then(|| topic_url(&group.slug, page - 1)),
                next: (page < pages).then(|| topic_url(&group.slug, page + 1)),
            },
        );
    }

    fn topics_context(&self) -> Vec<TopicSummary<'_>> {
        self.digest
            .topics
            .iter()
            .zip(&self.topic_refs)
            .map(|(g, r)| TopicSummary {
                reference: r,
                count: g.articles.len(),
                latest: g.articles.first().map(|&i| self.article_view(i)),
            })
            .collect()
    }

    fn archive_context(&self) -> Vec<Month<'_>> {
        let mut months: Vec<Month<'_>> = Vec::new();
        for (edition, r) in self.digest.editions.iter().zip(&self.edition_refs) {
            let key = edition.day.format("%Y-%m").to_string();
            match months.last_mut() {
                Some(m) if m.month == key => m.editions.push(r),
                _ => months.push(Month {
                    label: edition.day.format("%B %Y").to_string(),
                    month: key,
                    editions: vec![r],
                }),
            }
        }
        months
    }
}

#[derive(Serialize)]
struct Section<'a> {
    topic: &'a TopicRef,
    articles: Vec<ArticleView<'a>>,
}

#[derive(Serialize)]
struct EditionContext<'a> {
    #[serde(flatten)]
    reference: &'a EditionRef,
    /// The editor's note, if the day has one.
    note: Option<NoteView<'a>>,
    /// The lead story, outside the sections.
    lead: Option<ArticleView<'a>>,
    sections: Vec<Section<'a>>,
    prev: Option<&'a EditionRef>,
    next: Option<&'a EditionRef>,
}

/// What templates see of an edition note (`edition.note`).
#[derive(Serialize)]
struct NoteView<'a> {
    title: Option<&'a str>,
    summary: &'a [String],
    extra: &'a serde_json::Map<String, serde_json::Value>,
    /// The note's body as HTML.
    content: &'a str,
}

impl<'a> NoteView<'a> {
    fn of(n: &'a EditionNote) -> Self {
        NoteView {
            title: n.title.as_deref(),
            summary: &n.summary,
            extra: &n.extra,
            content: &n.html,
        }
    }
}

#[derive(Serialize)]
struct TopicContext<'a> {
    #[serde(flatten)]
    reference: &'a TopicRef,
    count: usize,
}

#[derive(Serialize)]
struct Paginator {
    page: usize,
    pages: usize,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct TopicSummary<'a> {
    #[serde(flatten)]
    reference: &'a TopicRef,
    count: usize,
    latest: Option<ArticleView<'a>>,
}

#[derive(Serialize)]
struct Month<'a> {
    month: String,
    label: String,
    editions: Vec<&'a EditionRef>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_formats_them() {
        let mut day = NaiveDate::from_ymd_opt(1999, 12, 20).unwrap();
        for _ in 0..800 {
            assert_eq!(day_path(day), day.format("%Y/%m/%d").to_string());
            assert_eq!(date_display(day), day.format("%A, %-d %B %Y").to_string());
            day = day.succ_opt().unwrap();
        }
        for day in [
            NaiveDate::from_ymd_opt(12, 3, 4).unwrap(),
            NaiveDate::from_ymd_opt(-44, 3, 15).unwrap(),
            NaiveDate::from_ymd_opt(12345, 6, 7).unwrap(),
        ] {
            assert_eq!(day_path(day), day.format("%Y/%m/%d").to_string());
            assert_eq!(date_display(day), day.format("%A, %-d %B %Y").to_string());
        }
    }

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("2026/11/26/index.html"), "../../../");
        assert_eq!(root_prefix("2026/11/26/story/index.html"), "../../../../");
        assert_eq!(root_prefix("topics/a/page/2/index.html"), "../../../../");
    }

    #[test]
    fn urls() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 6).unwrap();
        assert_eq!(edition_url(day), "2026/11/06/index.html");
        assert_eq!(date_display(day), "Friday, 6 November 2026");
        assert_eq!(
            topic_url("raw-materials", 1),
            "topics/raw-materials/index.html"
        );
        assert_eq!(
            topic_url("raw-materials", 3),
            "topics/raw-materials/page/3/index.html"
        );
    }
}
