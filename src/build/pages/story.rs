//! Template data of story following (README "Template variables"): related coverage, the
//! story timeline and linked entity names on article pages, entity pages and their index.
//! What is related or in a thread is decided by [`crate::build::story`]; this only shapes it.

use serde::Serialize;
use tera::{Context, Value};

use super::{EntityRef, Site, StoryRef, edition_url, entity_url};
use crate::build::story::Kind;

/// What an entity is, as its page and its search result say it (`Organization`).
pub(crate) fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::Organization => "Organization",
        Kind::Person => "Person",
        Kind::Place => "Place",
    }
}

/// Articles shown before and after an article in its story timeline.
const TIMELINE: usize = 5;

#[derive(Serialize)]
struct Timeline {
    /// Earlier articles of the thread ([`StoryRef`]s), oldest first (the latest [`TIMELINE`]).
    earlier: Vec<Value>,
    /// Later articles of the thread ([`StoryRef`]s), oldest first (the first [`TIMELINE`]).
    later: Vec<Value>,
    /// Articles in the whole thread, this one included.
    count: usize,
}

#[derive(Serialize)]
struct Mention<'a> {
    name: &'a str,
    /// The entity page, or null when the name has none.
    url: Option<String>,
}

#[derive(Serialize)]
struct Mentions<'a> {
    organizations: Vec<Mention<'a>>,
    people: Vec<Mention<'a>>,
    places: Vec<Mention<'a>>,
}

#[derive(Serialize)]
struct EntityPage<'a> {
    #[serde(flatten)]
    reference: EntityRef<'a>,
    /// `Organization`, `Person` or `Place`.
    kind_label: &'static str,
}

#[derive(Serialize)]
struct Day<'a> {
    date: String,
    date_display: String,
    /// The edition of that day.
    url: String,
    articles: Vec<StoryRef<'a>>,
}

#[derive(Serialize)]
pub(super) struct Group<'a> {
    kind: Kind,
    label: &'static str,
    entities: Vec<EntityRef<'a>>,
}

impl<'a> Site<'a> {
    /// `related`, `story` and `mentions` of article `i`'s page.
    pub(super) fn story_context(&self, ctx: &mut Context, i: usize) {
        let refs = |list: &[usize]| -> Vec<Value> {
            list.iter().map(|&j| self.story_ref_value(j)).collect()
        };
        let related = self.story.related.get(i).map_or(&[][..], Vec::as_slice);
        ctx.insert_value("related", Value::from(refs(related)));
        let (earlier, later) = self.story.thread_around(i);
        let timeline = (!earlier.is_empty() || !later.is_empty()).then(|| Timeline {
            earlier: refs(&earlier[earlier.len().saturating_sub(TIMELINE)..]),
            later: refs(&later[..later.len().min(TIMELINE)]),
            count: earlier.len() + later.len() + 1,
        });
        ctx.insert("story", &timeline);
        let e = &self.digest.articles[i].entities;
        let names = |list: &'a [String]| -> Vec<Mention<'a>> {
            list.iter()
                .map(|name| Mention {
                    name,
                    url: self
                        .story
                        .entity_of(name)
                        .filter(|_| self.theme.entities)
                        .map(|k| entity_url(&self.story.entities[k].slug)),
                })
                .collect()
        };
        ctx.insert(
            "mentions",
            &Mentions {
                organizations: names(&e.organizations),
                people: names(&e.people),
                places: names(&e.places),
            },
        );
    }

    pub fn entity_ref(&self, k: usize) -> EntityRef<'_> {
        let e = &self.story.entities[k];
        EntityRef {
            name: &e.name,
            slug: &e.slug,
            kind: e.kind,
            url: entity_url(&e.slug),
            count: e.articles.len(),
        }
    }

    /// `entity` and `days` of entity page `k`.
    pub(super) fn entity_context(&self, ctx: &mut Context, k: usize) {
        let e = &self.story.entities[k];
        ctx.insert(
            "entity",
            &EntityPage {
                reference: self.entity_ref(k),
                kind_label: kind_label(e.kind),
            },
        );
        let mut days: Vec<Day<'_>> = Vec::new();
        for &i in &e.articles {
            let day = self.digest.articles[i].day;
            let date = day.to_string();
            if days.last().is_none_or(|d| d.date != date) {
                days.push(Day {
                    date,
                    date_display: super::date_display(day),
                    url: edition_url(day),
                    articles: Vec::new(),
                });
            }
            days.last_mut()
                .expect("pushed")
                .articles
                .push(self.story_ref(i));
        }
        ctx.insert("days", &days);
    }

    /// The entities index: organizations, people, places, each by name.
    pub(super) fn entity_groups(&self) -> Vec<Group<'_>> {
        [Kind::Organization, Kind::Person, Kind::Place]
            .into_iter()
            .map(|kind| {
                let mut entities: Vec<EntityRef<'_>> = (0..self.story.entities.len())
                    .filter(|&k| self.story.entities[k].kind == kind)
                    .map(|k| self.entity_ref(k))
                    .collect();
                entities.sort_by(|a, b| {
                    a.name
                        .to_lowercase()
                        .cmp(&b.name.to_lowercase())
                        .then(a.slug.cmp(b.slug))
                });
                Group {
                    kind,
                    label: kind.plural(),
                    entities,
                }
            })
            .filter(|g| !g.entities.is_empty())
            .collect()
    }
}
