//! Page fingerprints: a hash of everything a page's template context is made of, computed
//! without building the context. Two builds give a page the same fingerprint only when its
//! context is the same, so an incremental rebuild renders exactly the pages whose fingerprint
//! changed. What goes in mirrors `pages::Site::context`:
//!
//! - an article as templates see it (`ArticleView`) = its file's version + its edition's
//!   reference (day and article count) + the version of the article it follows up;
//! - an article page = its view + its related articles, story timeline and which of its
//!   entity names have a page (all from [`crate::build::story`], which can change when *another*
//!   article changes);
//! - an entity page = the entity and its articles; the entities index = every entity;
//! - an edition = its reference, its articles in order, its lead, its note's contents, and
//!   the previous and next editions' references (sections follow from the articles' topics
//!   and weights, which are part of their versions);
//! - a topic page = the topic, the page number, the topic's article count and its slice of
//!   articles; the topics index = per topic its count and latest article; the archive = every
//!   edition reference.
//!
//! The `site` variable (title, topic list, feed links) and the templates are the same for every
//! page; the caller compares those separately and renders everything when they change.
//!
//! Hashed with xxh3 (not `DefaultHasher`, whose output Rust does not promise to keep), as
//! `briefing build` keeps fingerprints between runs in its cache ([`super::stored`]). `Hash`
//! implementations of std types may still change between compilers: that cache's key holds
//! a hash of the briefing executable, so a rebuilt binary starts from a full build.

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3 as Hash64;

use crate::build::pages::{Page, PageKind, Site, page_count};

/// Fingerprints the pages of one planned site.
pub(crate) struct Fingerprints<'s, 'a> {
    site: &'s Site<'a>,
    /// Per article of the digest: the version of its file's contents.
    versions: &'s [u64],
}

impl<'s, 'a> Fingerprints<'s, 'a> {
    pub fn new(site: &'s Site<'a>, versions: &'s [u64]) -> Self {
        debug_assert_eq!(site.digest.articles.len(), versions.len());
        Fingerprints { site, versions }
    }

    pub fn page(&self, page: &Page) -> u64 {
        let mut h = Hash64::new();
        page.path.hash(&mut h);
        page.template.hash(&mut h);
        let digest = self.site.digest;
        match page.kind {
            PageKind::Home => {
                h.write_u8(0);
                self.edition(&mut h, 0);
            }
            PageKind::Edition(e) => {
                h.write_u8(1);
                self.edition(&mut h, e);
            }
            PageKind::Email(e) => {
                h.write_u8(2);
                self.edition(&mut h, e);
            }
            PageKind::Article(i) => {
                h.write_u8(3);
                self.view(&mut h, i);
                self.story_of(&mut h, i);
            }
            PageKind::Entity(k) => {
                h.write_u8(9);
                let e = &self.site.story.entities[k];
                (&e.slug, &e.name, e.kind).hash(&mut h);
                for &i in &e.articles {
                    self.versions[i].hash(&mut h);
                }
            }
            PageKind::Entities => {
                h.write_u8(10);
                for e in &self.site.story.entities {
                    (&e.slug, &e.name, e.kind, e.articles.len()).hash(&mut h);
                }
            }
            PageKind::Topic { topic, page } => {
                h.write_u8(4);
                let group = &digest.topics[topic];
                let per_page = self.site.config.paginate_by;
                (topic, page, group.articles.len()).hash(&mut h);
                page_count(group, per_page).hash(&mut h);
                let start = ((page - 1) * per_page).min(group.articles.len());
                let end = (start + per_page).min(group.articles.len());
                for &i in &group.articles[start..end] {
                    self.view(&mut h, i);
                }
            }
            PageKind::Topics => {
                h.write_u8(5);
                for group in &digest.topics {
                    group.articles.len().hash(&mut h);
                    if let Some(&i) = group.articles.first() {
                        self.view(&mut h, i);
                    }
                }
            }
            PageKind::Archive => {
                h.write_u8(6);
                for e in 0..digest.editions.len() {
                    self.edition_ref(&mut h, Some(e));
                }
            }
            PageKind::Search => h.write_u8(7),
            PageKind::NotFound => h.write_u8(8),
        }
        h.finish()
    }

    fn view(&self, h: &mut Hash64, i: usize) {
        self.versions[i].hash(h);
        self.edition_ref(h, Some(self.site.edition_of(i)));
        let follows = self.site.story.follows.get(i).copied().flatten();
        follows.map(|j| self.versions[j]).hash(h);
    }

    /// What the story analysis gives article `i`'s page.
    fn story_of(&self, h: &mut Hash64, i: usize) {
        let story = self.site.story;
        let versions = |list: &[usize], h: &mut Hash64| {
            list.len().hash(h);
            for &j in list {
                self.versions[j].hash(h);
            }
        };
        versions(story.related.get(i).map_or(&[], Vec::as_slice), h);
        let (earlier, later) = story.thread_around(i);
        versions(earlier, h);
        versions(later, h);
        let e = &self.site.digest.articles[i].entities;
        for name in e.organizations.iter().chain(&e.people).chain(&e.places) {
            story
                .entity_of(name)
                .map(|k| &story.entities[k].slug)
                .hash(h);
        }
    }

    fn edition_ref(&self, h: &mut Hash64, e: Option<usize>) {
        match e.and_then(|e| self.site.digest.editions.get(e)) {
            Some(edition) => (edition.day, edition.articles.len()).hash(h),
            None => h.write_u8(0xff),
        }
    }

    fn edition(&self, h: &mut Hash64, e: usize) {
        self.edition_ref(h, Some(e));
        let edition = &self.site.digest.editions[e];
        for &i in &edition.articles {
            self.view(h, i);
        }
        edition.lead.hash(h);
        match &edition.note {
            Some(n) => {
                h.write_u8(1);
                (&n.title, &n.summary, &n.html).hash(h);
                serde_json::to_string(&n.extra)
                    .expect("json serializes")
                    .hash(h);
            }
            None => h.write_u8(0),
        }
        self.edition_ref(h, Some(e + 1));
        self.edition_ref(h, e.checked_sub(1));
    }
}
