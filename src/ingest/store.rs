//! content/ as ingest sees it: reading the existing articles (for learning and
//! de-duplication), rendering front matter as YAML, and writing files atomically.
//!
//! **Hand-edit protection.** Every file ingest writes is recorded with the xxh3 hash of its
//! bytes in `content/.ingest-state.json` (a hidden file, ignored by the build). A file whose
//! bytes no longer match that record (edited by hand), or that ingest never wrote, is *not
//! owned*: ingest does not rewrite it unless `--force` is given. The state file is only a
//! guard: deleting it makes every file "hand-made", which errs on the safe side.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::build::frontmatter::{self, DateField, FrontMatter, Source};
use crate::config::Config;
use crate::error::{Diagnostic, Result};

pub(crate) const STATE_FILE: &str = ".ingest-state.json";

/// An article file already in content/.
pub(crate) struct Existing {
    /// Path relative to content/, with `/`.
    pub rel: String,
    pub text: String,
    pub matter: FrontMatter,
    /// Everything after the closing front-matter line, byte for byte.
    pub raw_body: String,
}

/// Reads every article file under content/ (every `.md` file but the editor's edition notes,
/// which ingest never reads, writes or touches). Files that cannot be read or parsed are
/// returned as warnings: they take no part in learning or de-duplication, and
/// `content::load` (build, check) reports them as errors anyway.
pub(crate) fn load_archive(config: &Config) -> (Vec<Existing>, Vec<Diagnostic>) {
    let dir = config.content_dir();
    let mut found = Vec::new();
    let mut warnings = Vec::new();
    if !dir.is_dir() {
        return (found, warnings);
    }
    let (paths, errors) = crate::build::content::find_files(config, &dir);
    warnings.extend(errors.into_iter().map(|d| Diagnostic {
        message: format!("skipped: {}", d.message),
        ..d
    }));
    for path in &paths {
        if crate::build::note::is_note(path) {
            continue;
        }
        let shown = config.display_path(path);
        let rel = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let skipped = |m: String| {
            Diagnostic::new(
                &shown,
                format!("skipped for de-duplication and learning: {m}"),
            )
        };
        let text = match crate::build::content::read_text(path) {
            Ok(t) => t,
            Err(m) => {
                warnings.push(skipped(m));
                continue;
            }
        };
        let parsed = frontmatter::split(&text)
            .and_then(|s| frontmatter::parse(&s).map(|m| (m, s.body.to_string())));
        match parsed {
            Ok((matter, raw_body)) => found.push(Existing {
                rel,
                text: text.clone(),
                matter,
                raw_body,
            }),
            Err(d) => warnings.push(skipped(format!(
                "line {}: {}",
                d.line.unwrap_or(1),
                d.message
            ))),
        }
    }
    (found, warnings)
}

/// `content/.ingest-state.json`: what ingest last wrote to each file.
/// A JSON state file under content/ (`name`), or the empty state when there is none. A file
/// that does not parse is ignored with a warning saying what follows (`consequence`).
pub(crate) fn load_state_file<T: Default + serde::de::DeserializeOwned>(
    config: &Config,
    name: &str,
    consequence: &str,
) -> (T, Option<Diagnostic>) {
    let path = config.content_dir().join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => match serde_json::from_str(&text) {
            Ok(state) => (state, None),
            Err(e) => (
                T::default(),
                Some(Diagnostic::new(
                    config.display_path(&path),
                    format!("ignored ({e}); {consequence}"),
                )),
            ),
        },
        Err(_) => (T::default(), None),
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct State {
    /// Path relative to content/ → xxh3-64 of the bytes written.
    pub files: BTreeMap<String, String>,
}

impl State {
    pub fn load(config: &Config) -> (State, Option<Diagnostic>) {
        load_state_file(
            config,
            STATE_FILE,
            "every article is treated as edited by hand",
        )
    }

    /// Ingest wrote `rel` and nobody changed it since.
    pub fn owns(&self, rel: &str, text: &str) -> bool {
        self.files.get(rel).is_some_and(|h| *h == hash(text))
    }
}

pub(crate) fn hash(text: &str) -> String {
    crate::ids::hex_id(text.as_bytes())
}

/// One file to write: path relative to content/ and its whole text.
#[derive(Debug, Clone)]
pub(crate) struct Write {
    pub rel: String,
    pub text: String,
}

/// Writes every file and the state file recording their hashes as one batch, all or
/// nothing ([`crate::fs::write_all_atomic`]): when one cannot be written, neither the
/// articles nor the state file change, and the error names the first file that failed.
pub(crate) fn commit(config: &Config, writes: &[Write]) -> Result<()> {
    if writes.is_empty() {
        return Ok(());
    }
    let dir = config.content_dir();
    let (mut state, _) = State::load(config);
    for w in writes {
        state.files.insert(w.rel.clone(), hash(&w.text));
    }
    let json = serde_json::to_string_pretty(&state).expect("state serializes") + "\n";
    let files: Vec<(std::path::PathBuf, &[u8])> = writes
        .iter()
        .map(|w| (dir.join(&w.rel), w.text.as_bytes()))
        .chain([(dir.join(STATE_FILE), json.as_bytes())])
        .collect();
    crate::fs::write_all_atomic(&files)
}

/// The whole file: YAML front matter in the contract's key order, then `raw_body` as is.
pub(crate) fn render(m: &FrontMatter, raw_body: &str) -> String {
    let mut y = String::from("---\n");
    let q = |s: &str| serde_json::to_string(s).expect("strings serialize");
    let list = |items: &[String]| {
        format!(
            "[{}]",
            items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
        )
    };
    if let Some(t) = &m.title {
        y += &format!("title: {}\n", q(t));
    }
    if let Some(d) = &m.date {
        let text = d.as_text();
        let plain = text.len() >= 10
            && text.as_bytes()[4] == b'-'
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ":-+.TZ ".contains(c));
        y += &format!("date: {}\n", if plain { text } else { q(&text) });
    }
    for (key, value) in [("topic", &m.topic), ("dateline", &m.dateline)] {
        if let Some(v) = value {
            y += &format!("{key}: {}\n", q(v));
        }
    }
    if !m.summary.is_empty() {
        y += "summary:\n";
        for s in &m.summary {
            y += &format!("  - {}\n", q(s));
        }
    }
    if let Some(s) = m.summary_source {
        y += &format!(
            "summary_source: {}\n",
            serde_json::to_value(s)
                .expect("enum")
                .as_str()
                .unwrap_or_default()
        );
    }
    if let Some(s) = &m.source {
        y += &format!("source:\n{}", source_lines(s, "  ", q));
    }
    if !m.sources.is_empty() {
        y += "sources:\n";
        for s in &m.sources {
            y += &source_lines(s, "    ", q).replacen("    ", "  - ", 1);
        }
    }
    if !m.quotes.is_empty() {
        y += "quotes:\n";
        for quote in &m.quotes {
            y += &format!("  - text: {}\n", q(&quote.text));
            if let Some(s) = &quote.speaker {
                y += &format!("    speaker: {}\n", q(s));
            }
        }
    }
    if !m.entities.is_empty() {
        let e = &m.entities;
        y += &format!(
            "entities:\n  organizations: {}\n  people: {}\n  places: {}\n",
            list(&e.organizations),
            list(&e.people),
            list(&e.places)
        );
    }
    if !m.author.is_empty() {
        y += &format!("author: {}\n", list(&m.author));
    }
    if let Some(image) = &m.image {
        y += &format!("image: {}\n", q(image));
    }
    if !m.tags.is_empty() {
        y += &format!("tags: {}\n", list(&m.tags));
    }
    if let Some(id) = &m.id {
        y += &format!("id: {}\n", q(id));
    }
    if m.draft {
        y += "draft: true\n";
    }
    // The editor's fields: ingest never sets them, only keeps them.
    if m.lead {
        y += "lead: true\n";
    }
    if let Some(w) = m.weight {
        y += &format!("weight: {w}\n");
    }
    if !m.extra.is_empty() {
        // JSON is valid YAML flow syntax.
        y += &format!(
            "extra: {}\n",
            serde_json::to_string(&m.extra).expect("json serializes")
        );
    }
    y += "---\n";
    y + raw_body
}

fn source_lines(s: &Source, indent: &str, q: impl Fn(&str) -> String) -> String {
    let mut out = format!("{indent}name: {}\n", q(&s.name));
    if let Some(u) = &s.url {
        out += &format!("{indent}url: {}\n", q(u));
    }
    out
}

/// The date as written in front matter.
pub(crate) fn date_field(text: String) -> DateField {
    DateField::Text(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::frontmatter::{Entities, Quote, SummarySource};

    #[test]
    fn rendered_front_matter_parses_back_to_the_same_fields() {
        let m = FrontMatter {
            title: Some("EU–Saudi \"talks\": yes".into()),
            date: Some(date_field("2026-11-26".into())),
            topic: Some("raw-materials".into()),
            dateline: Some("Riyadh".into()),
            summary: vec!["no".into(), "One: two".into()],
            summary_source: Some(SummarySource::Extracted),
            source: Some(Source {
                name: "Wire".into(),
                url: Some("https://e.org/a".into()),
            }),
            sources: vec![
                Source {
                    name: "Other".into(),
                    url: None,
                },
                Source {
                    name: "Third".into(),
                    url: Some("https://t.org".into()),
                },
            ],
            quotes: vec![Quote {
                text: "We agree,\nfully".into(),
                speaker: Some("Ada Okafor".into()),
            }],
            entities: Entities {
                organizations: vec!["EU".into()],
                people: vec![],
                places: vec!["Riyadh".into()],
            },
            id: Some("0123456789abcdef".into()),
            lead: true,
            weight: Some(-2),
            ..FrontMatter::default()
        };
        let text = render(&m, "\nBody.\n");
        let split = frontmatter::split(&text).unwrap();
        let back = frontmatter::parse(&split).unwrap();
        assert_eq!(back.title, m.title);
        assert_eq!(back.date.unwrap().as_text(), "2026-11-26");
        assert_eq!(back.summary, m.summary);
        assert_eq!(back.sources, m.sources);
        assert_eq!(back.source, m.source);
        assert_eq!(back.quotes, m.quotes);
        assert_eq!(back.entities, m.entities);
        assert_eq!(back.id, m.id);
        assert_eq!((back.lead, back.weight), (true, Some(-2)));
        assert_eq!(split.body, "\nBody.\n");
        // Rendering what was parsed gives the same bytes: updates of ingest's own files are stable.
        let again = FrontMatter {
            date: Some(date_field("2026-11-26".into())),
            ..back
        };
        assert_eq!(render(&again, split.body), text);
    }

    #[test]
    fn ownership_follows_the_recorded_hash() {
        let mut s = State::default();
        s.files.insert("d/a.md".into(), hash("one"));
        assert!(s.owns("d/a.md", "one"));
        assert!(!s.owns("d/a.md", "one, edited"));
        assert!(!s.owns("d/b.md", "one"));
    }
}
