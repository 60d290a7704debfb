//! Planning the site: which pages exist, at which output path, with which template, and the
//! data each template receives (README "Template variables"). Every internal URL here is
//! relative to the site root and ends in `index.html`; templates prefix it with `root`.

use chrono::NaiveDate;
use serde::Serialize;
use tera::{Context, Value};

use crate::build::content::Article;
use crate::build::digest::{Digest, Edition, TopicGroup};
use crate::build::frontmatter::{Entities, Quote, Source, SummarySource};
use crate::build::note::EditionNote;
use crate::build::story::Story;
use crate::config::Config;

mod context;
mod plan;
mod story;
mod urls;

pub use context::{ArticleView, EditionRef, EntityRef, StoryRef, TopicRef};
pub(crate) use plan::page_count;
pub use plan::plan;
pub(crate) use story::kind_label;
pub use urls::*;

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
    pub fn of(templates: &crate::build::templates::Templates) -> ThemePages {
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

/// One template value per article, made the first time a page needs it and kept for the
/// other pages that show the article, for the first [`Shared::KEPT`] articles asked for; the
/// values of the others are made again each time (a large archive would otherwise hold one
/// value per article until its last page is written: #16). The pages are the same either way.
pub(crate) struct Shared {
    values: Vec<std::sync::OnceLock<Value>>,
    kept: std::sync::atomic::AtomicUsize,
}

impl Shared {
    /// How many values are kept: all of them up to ~30,000 articles, a few KB each.
    const KEPT: usize = 32_768;

    fn new(articles: usize) -> Shared {
        Shared {
            values: (0..articles).map(|_| Default::default()).collect(),
            kept: Default::default(),
        }
    }

    /// Article `i`'s value: the one kept, or `make`'s (kept if there is room).
    fn get(&self, i: usize, make: impl FnOnce() -> Value) -> Value {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(v) = self.values[i].get() {
            return v.clone();
        }
        let v = make();
        if self.kept.fetch_add(1, Relaxed) < Self::KEPT {
            if self.values[i].set(v.clone()).is_err() {
                // Another page made it at the same time: its value is kept, and counted.
                self.kept.fetch_sub(1, Relaxed);
            }
        } else {
            self.kept.fetch_sub(1, Relaxed);
        }
        v
    }

    /// Article `i`'s value when it is kept or there is room to keep it (then made with `make`
    /// and kept); `None` when the value would not be kept.
    fn get_kept(&self, i: usize, make: impl FnOnce() -> Value) -> Option<Value> {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(v) = self.values[i].get() {
            return Some(v.clone());
        }
        (self.kept.load(Relaxed) < Self::KEPT).then(|| self.get(i, make))
    }
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
    /// `topic_refs` and `edition_refs` as template values, made once and shared by every
    /// article's view (a view is a few KB less than with its own copies: #16).
    topic_ref_values: Vec<Value>,
    edition_ref_values: Vec<Value>,
    /// Per article: index into `topic_refs` and into `edition_refs`.
    article_topic: Vec<usize>,
    article_edition: Vec<usize>,
    /// Per article: its [`ArticleView`] as a Tera value, made the first time a page needs it
    /// and shared by every page that lists the article (Tera values are reference-counted).
    view_values: Shared,
    /// Per article: its [`StoryRef`] as a template value, made the first time a page lists
    /// it (an article is related coverage on several pages; values are reference-counted).
    story_ref_values: Shared,
    pub pages: Vec<Page>,
}
