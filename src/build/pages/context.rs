//! The data each template receives (README "Template variables"): the shared views of
//! topics, editions, articles and names, and the context of every kind of page.

use std::borrow::Cow;

use super::*;

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
    pub title_html: Cow<'a, str>,
    pub url: String,
    pub date: String,
    pub date_display: String,
    pub published: String,
    pub dateline: Option<&'a str>,
    /// A [`TopicRef`].
    pub topic: Value,
    /// Plain text bullets; `summary_html` holds the same bullets as HTML.
    pub summary: &'a [String],
    pub summary_html: Vec<Cow<'a, str>>,
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
    /// An [`EditionRef`].
    pub edition: Value,
    /// The earlier article this one follows up (a story thread, a [`StoryRef`]), or null.
    pub follow_up: Option<Value>,
}

/// A short reference to another article: related coverage, story timelines, follow-ups.
#[derive(Debug, Clone, Serialize)]
pub struct StoryRef<'a> {
    pub title: &'a str,
    pub url: String,
    pub date: String,
    pub date_display: String,
    /// A [`TopicRef`].
    pub topic: Value,
}

/// An entity as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct EntityRef<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub kind: crate::build::story::Kind,
    pub url: String,
    pub count: usize,
}

impl<'a> Site<'a> {
    pub fn article_view(&self, i: usize) -> ArticleView<'_> {
        let a = &self.digest.articles[i];
        ArticleView {
            id: &a.id,
            slug: &a.slug,
            title: &a.title,
            title_html: a.title_html(),
            url: article_url(a),
            date: a.day.to_string(),
            date_display: date_display(a.day),
            published: a.published.to_rfc3339(),
            dateline: a.dateline.as_deref(),
            topic: self.topic_ref_values[self.article_topic[i]].clone(),
            summary: &a.summary,
            summary_html: a.summary_html(),
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
            edition: self.edition_ref_values[self.article_edition[i]].clone(),
            follow_up: self
                .story
                .follows
                .get(i)
                .copied()
                .flatten()
                .map(|j| self.story_ref_value(j)),
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
            topic: self.topic_ref_values[self.article_topic[i]].clone(),
        }
    }

    /// [`Site::story_ref`] as a template value, made once per article and build: from the
    /// values of the article's [`ArticleView`] when it is kept (the same fields, shared by
    /// reference count instead of formatted and copied again), else serialized.
    pub fn story_ref_value(&self, i: usize) -> Value {
        self.story_ref_values.get(i, || {
            match self
                .view_values
                .get_kept(i, || Value::from_serializable(&self.article_view(i)))
            {
                Some(view) => story_ref_of_view(&view),
                None => Value::from_serializable(&self.story_ref(i)),
            }
        })
    }

    /// The index into `edition_refs` of article `i`'s edition.
    pub(crate) fn edition_of(&self, i: usize) -> usize {
        self.article_edition[i]
    }

    /// Article `i`'s [`ArticleView`] as a Tera value: serialized once per build, then shared.
    fn view_value(&self, i: usize) -> Value {
        self.view_values
            .get(i, || Value::from_serializable(&self.article_view(i)))
    }

    fn views(&self, indices: &[usize]) -> Vec<Value> {
        indices.iter().map(|&i| self.view_value(i)).collect()
    }

    /// The variables of `page` (README "Template variables"), without `site` (global).
    pub fn context(&self, page: &Page) -> crate::error::Result<Context> {
        let mut ctx = Context::new();
        let root = match page.kind {
            PageKind::Email(_) => self.config.base_url.clone(),
            _ => root_prefix(&page.path),
        };
        ctx.insert("root", &root);
        if page.kind == PageKind::NotFound {
            // 404.html sits at the top of the site, so its `root` is "" and it works opened
            // from disk; a host serves it at any address, where the theme's base element (set
            // to this path) makes the same relative links reach the top of the site.
            ctx.insert("base_path", base_path(&self.config.base_url));
        }
        ctx.insert("page_kind", page.kind.name());
        ctx.insert("permalink", &self.permalink(&page.path));
        match page.kind {
            PageKind::Home => ctx.insert("edition", &self.edition_context(0)),
            PageKind::Edition(e) | PageKind::Email(e) => {
                ctx.insert("edition", &self.edition_context(e))
            }
            PageKind::Article(i) => {
                ctx.insert_value("article", self.view_value(i));
                let html = self.digest.articles[i].html(self.config)?;
                ctx.insert_value("content", Value::safe_string(&html));
                self.story_context(&mut ctx, i);
            }
            PageKind::Entity(k) => self.entity_context(&mut ctx, k),
            PageKind::Entities => ctx.insert("groups", &self.entity_groups()),
            PageKind::Topic { topic, page: n } => self.topic_context(&mut ctx, topic, n),
            PageKind::Topics => ctx.insert("topics", &self.topics_context()),
            PageKind::Archive => ctx.insert("months", &self.archive_context()),
            PageKind::Search | PageKind::NotFound => {}
        }
        Ok(ctx)
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
            lead: edition.lead.map(|i| self.view_value(i)),
            sections,
            prev: self.edition_refs.get(e + 1),
            next: e.checked_sub(1).map(|n| &self.edition_refs[n]),
        }
    }

    /// The articles of page `page` (from 1) of topic `t`.
    fn topic_page_articles(&self, t: usize, page: usize) -> &[usize] {
        let all = &self.digest.topics[t].articles;
        let per_page = self.config.paginate_by;
        let start = ((page - 1) * per_page).min(all.len());
        &all[start..(start + per_page).min(all.len())]
    }

    /// How many articles `page` shows with their whole template value (a topic page's
    /// articles; an edition's are a day's few): a page of tens of thousands needs memory for
    /// each of them while it renders, so such pages are rendered one at a time (#16).
    pub(crate) fn articles_shown(&self, page: &Page) -> usize {
        match page.kind {
            PageKind::Topic { topic, page } => self.topic_page_articles(topic, page).len(),
            _ => 0,
        }
    }

    fn topic_context(&self, ctx: &mut Context, t: usize, page: usize) {
        let group = &self.digest.topics[t];
        let pages = page_count(group, self.config.paginate_by);
        let slice = self.topic_page_articles(t, page);
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
                latest: g.articles.first().map(|&i| self.view_value(i)),
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

/// The [`StoryRef`] of an article from its [`ArticleView`]'s value: the fields they share
/// (same names, same values: both are made from the article by [`Site`]).
fn story_ref_of_view(view: &Value) -> Value {
    #[derive(Serialize)]
    struct Shared {
        title: Value,
        url: Value,
        date: Value,
        date_display: Value,
        topic: Value,
    }
    let map = view.as_map().expect("an ArticleView is a map");
    let field = |name: &'static str| {
        map.get(&tera::value::Key::Str(name))
            .cloned()
            .expect("a field of ArticleView")
    };
    Value::from_serializable(&Shared {
        title: field("title"),
        url: field("url"),
        date: field("date"),
        date_display: field("date_display"),
        topic: field("topic"),
    })
}

#[derive(Serialize)]
struct Section<'a> {
    topic: &'a TopicRef,
    /// [`ArticleView`]s.
    articles: Vec<Value>,
}

#[derive(Serialize)]
struct EditionContext<'a> {
    #[serde(flatten)]
    reference: &'a EditionRef,
    /// The editor's note, if the day has one.
    note: Option<NoteView<'a>>,
    /// The lead story, outside the sections.
    lead: Option<Value>,
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
    latest: Option<Value>,
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
    use crate::build::{content, digest};
    use crate::config::BuildOptions;

    #[test]
    fn a_story_ref_made_from_the_article_view_is_the_serialized_story_ref() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("briefing.toml"),
            "title = \"t\"\nbase_url = \"https://e.org/\"\n\
             [[topics]]\nslug = \"world\"\nname = \"World & more\"\ndescription = \"<d>\"\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        for (name, front) in [
            (
                "a.md",
                "title: \"Rates & <b>bonds</b>\"\ndate: 2026-11-26\ntopic: world",
            ),
            ("b.md", "title: Other\ndate: 2026-11-25T08:00:00+01:00"),
        ] {
            std::fs::write(
                dir.path().join("content").join(name),
                format!("---\n{front}\n---\nBody.\n"),
            )
            .unwrap();
        }
        let config = Config::load(dir.path(), BuildOptions::default()).unwrap();
        let loaded = content::load(&config).unwrap();
        let digest = digest::assemble(&config, loaded.articles, loaded.notes).unwrap();
        let story = Story::default();
        let theme = ThemePages {
            email: true,
            entities: true,
        };
        let site = plan(&config, &digest, &story, theme);
        for i in 0..digest.articles.len() {
            let serialized = Value::from_serializable(&site.story_ref(i));
            assert_eq!(site.story_ref_value(i), serialized, "article {i}");
            // Made before the view or after it: the same.
            assert_eq!(story_ref_of_view(&site.view_value(i)), serialized);
        }
    }
}
