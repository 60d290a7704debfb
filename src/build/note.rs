//! Edition notes: the editor's few lines that open a day's edition, written by hand in
//! `content/<YYYY-MM-DD>/_edition.md`. This module owns the rule telling a note file from an
//! article file ([`is_note`], used by `content`, ingest and the preview's cache) and reads
//! one note; attaching notes to editions is `digest`'s job. A note is never an article: it is
//! not in topic pages, feeds, search or article counts.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::build::content;
use crate::build::frontmatter::{self, DateField};
use crate::build::markdown;
use crate::config::Config;
use crate::error::Diagnostic;

/// The file name of an edition note.
pub const NOTE_FILE: &str = "_edition.md";

/// Whether the content file at `path` is an edition note rather than an article.
pub fn is_note(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == NOTE_FILE)
}

/// The front-matter fields of a note. Unknown keys are errors, as in articles.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoteMatter {
    title: Option<String>,
    date: Option<DateField>,
    #[serde(default)]
    summary: Vec<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// One edition's note, validated, with its body rendered.
#[derive(Debug, Clone)]
pub struct EditionNote {
    /// Path relative to the site root, for messages.
    pub path: PathBuf,
    /// The edition it opens.
    pub day: NaiveDate,
    /// The day's headline.
    pub title: Option<String>,
    pub summary: Vec<String>,
    pub draft: bool,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The note itself, as HTML.
    pub html: String,
}

/// Checks the note `text` read from `path` (listed by `content::list`): its errors are
/// located as an article's are.
pub(crate) fn load(
    config: &Config,
    path: &Path,
    text: &str,
) -> Result<EditionNote, Vec<Diagnostic>> {
    let shown = config.display_path(path);
    let text = frontmatter::normalize_newlines(text);
    let split = frontmatter::split(&text).map_err(|d| vec![d.in_file(&shown)])?;
    let matter: NoteMatter = if split.matter.trim().is_empty() {
        NoteMatter::default()
    } else {
        frontmatter::parse_as(&split).map_err(|d| vec![d.in_file(&shown)])?
    };
    let at = |key: &str, msg: String| {
        let (l, c) = frontmatter::key_position(split.matter, key)
            .map(|(l, c)| (l + split.matter_line_offset, c))
            .unwrap_or((1, 1));
        vec![Diagnostic::at(&shown, l, c, msg)]
    };
    let title = match matter.title.as_deref().map(str::trim) {
        Some("") => return Err(at("title", "`title` is empty".into())),
        t => t.map(str::to_string),
    };
    let folder_day = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| NaiveDate::parse_from_str(&n.to_string_lossy(), "%Y-%m-%d").ok());
    let date_day = match &matter.date {
        Some(d) => {
            let t = content::parse_date(d, config).map_err(|m| at("date", m))?;
            Some(config.timezone.localize(&t).date_naive())
        }
        None => None,
    };
    let day = match (folder_day, date_day) {
        (Some(f), Some(d)) if f != d => {
            return Err(at(
                "date",
                format!(
                    "`date` is {d} but the note is in the folder of {f}; a note opens its folder's edition (remove `date` or move the file)"
                ),
            ));
        }
        (Some(day), _) | (None, Some(day)) => day,
        (None, None) => {
            return Err(vec![Diagnostic::new(
                &shown,
                "an edition note needs its day: put it in a content/YYYY-MM-DD/ folder, or give `date`",
            )]);
        }
    };
    let rendered = markdown::render(split.body, config.markdown.allow_html, "edition-note-");
    Ok(EditionNote {
        path: shown,
        day,
        title,
        summary: matter.summary,
        draft: matter.draft,
        extra: matter.extra,
        html: rendered.html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_edition_file_name_is_a_note() {
        assert!(is_note(Path::new("content/2026-11-26/_edition.md")));
        assert!(is_note(Path::new("_edition.md")));
        assert!(!is_note(Path::new("content/2026-11-26/edition.md")));
        assert!(!is_note(Path::new("content/2026-11-26/_edition.md/x.md")));
        assert!(!is_note(Path::new("content/_edition/a.md")));
    }
}
