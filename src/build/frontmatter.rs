//! Splitting a content file into front matter and body, and deserializing the front matter
//! (YAML between `---` lines or TOML between `+++` lines) into [`FrontMatter`].
//! Errors carry line and column counted from the top of the *file*, not of the block.
//! Meaning (dates, topics, defaults) is given to the fields by `content`, not here.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::Diagnostic;

/// Which syntax the front matter is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// The parts of a content file.
#[derive(Debug)]
pub struct Split<'a> {
    pub format: Format,
    /// The text between the delimiter lines.
    pub matter: &'a str,
    /// Number of lines before `matter` (the opening delimiter line).
    pub matter_line_offset: usize,
    pub body: &'a str,
    /// 1-based line on which the body starts.
    pub body_line: usize,
}

/// Line breaks as editors show them: CRLF and lone CR (old Mac files) become LF, so that the
/// lines we count are the lines the YAML parser counts, and the lines the user sees.
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Finds the front-matter block. The file must start with `---` or `+++` on its own line
/// and the same delimiter must close it.
pub fn split(text: &str) -> Result<Split<'_>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("");
    let (format, delim) = match first_line.trim_end() {
        "---" => (Format::Yaml, "---"),
        "+++" => (Format::Toml, "+++"),
        _ => {
            return Err(located(
                1,
                1,
                "expected front matter: the file must start with a `---` (YAML) or `+++` (TOML) line",
            ));
        }
    };
    let start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = start;
    for (line_no, line) in (2..).zip(text[start..].split_inclusive('\n')) {
        if line.trim_end() == delim {
            let matter = &text[start..offset];
            let body_start = offset + line.len();
            return Ok(Split {
                format,
                matter,
                matter_line_offset: 1,
                body: &text[body_start..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(located(
        1,
        1,
        format!(
            "front matter opened with `{delim}` on line 1 is never closed (no closing `{delim}` line)"
        ),
    ))
}

/// A place and the outlet that carried the story.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Entities {
    #[serde(default)]
    pub organizations: Vec<String>,
    #[serde(default)]
    pub people: Vec<String>,
    #[serde(default)]
    pub places: Vec<String>,
}

impl Entities {
    pub fn is_empty(&self) -> bool {
        self.organizations.is_empty() && self.people.is_empty() && self.places.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SummarySource {
    Given,
    Extracted,
}

/// A date as written: YAML gives a string, TOML a datetime value (or a string).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum DateField {
    Toml(toml::value::Datetime),
    Text(String),
}

impl DateField {
    pub fn as_text(&self) -> String {
        match self {
            DateField::Toml(d) => d.to_string(),
            DateField::Text(s) => s.trim().to_string(),
        }
    }
}

/// The front-matter fields of the content contract (see README). Unknown keys are errors;
/// free data belongs under `extra`. `title` and `date` are optional here so that their absence
/// is reported by `content` with a clear message.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<DateField>,
    pub topic: Option<String>,
    pub dateline: Option<String>,
    #[serde(default)]
    pub summary: Vec<String>,
    pub summary_source: Option<SummarySource>,
    pub source: Option<Source>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub quotes: Vec<Quote>,
    #[serde(default)]
    pub entities: Entities,
    /// Author names, as a byline shows them.
    #[serde(default)]
    pub author: Vec<String>,
    /// The lead image's URL (shown by templates, never downloaded).
    pub image: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub id: Option<String>,
    #[serde(default)]
    pub draft: bool,
    /// The editor's lead story of its edition (set by hand, never by ingest).
    #[serde(default)]
    pub lead: bool,
    /// The editor's order within the article's topic section: lower first (never set by ingest).
    pub weight: Option<i64>,
    #[serde(default)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Front matter is metadata: anything bigger is a mistake (or an attack on the parser).
const MAX_MATTER_BYTES: usize = 1024 * 1024;

/// Parses the front matter of `split`, with errors located in the whole file.
pub fn parse(split: &Split<'_>) -> Result<FrontMatter, Diagnostic> {
    if split.matter.trim().is_empty() && split.matter.len() <= MAX_MATTER_BYTES {
        return Err(located(
            1,
            1,
            "front matter is empty: missing field `title`",
        ));
    }
    parse_as(split)
}

/// Parses the front matter of `split` into `T` (articles' [`FrontMatter`], edition notes'
/// fields), with the same size limit and errors located in the whole file.
pub fn parse_as<T: DeserializeOwned>(split: &Split<'_>) -> Result<T, Diagnostic> {
    if split.matter.len() > MAX_MATTER_BYTES {
        return Err(located(
            1,
            1,
            format!(
                "front matter is {} KB; the limit is {} KB (put long text in the body)",
                split.matter.len() / 1024,
                MAX_MATTER_BYTES / 1024
            ),
        ));
    }
    match split.format {
        Format::Yaml => parse_yaml(split.matter, split.matter_line_offset),
        Format::Toml => parse_toml(split.matter, split.matter_line_offset),
    }
}

fn parse_yaml<T: DeserializeOwned>(matter: &str, line_offset: usize) -> Result<T, Diagnostic> {
    serde_saphyr::from_str(matter).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((1, 1));
        let line = line.max(1);
        // The parser notices an unclosed quote where the quoted text runs into something it
        // cannot be; the writer needs the line where the quote opens.
        if let Some((open_line, open_col)) = crate::hints::unclosed_yaml_quote(matter)
            && open_line <= line
        {
            return located(
                open_line + line_offset,
                open_col,
                format!(
                    "this quoted value is never closed: add the closing quote at the end of line {}",
                    open_line + line_offset
                ),
            );
        }
        located(
            line + line_offset,
            column.max(1),
            crate::hints::explain(&yaml_message(&e)),
        )
    })
}

/// serde-saphyr's plain rendering is `message at line L column C`; we print the location
/// ourselves, file-relative, so keep only the message.
fn yaml_message(e: &serde_saphyr::Error) -> String {
    let options = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
    let text = e.render_with_options(options);
    let first = text.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let cut = strip_location_suffix(first);
    cut.to_string()
}

fn strip_location_suffix(msg: &str) -> &str {
    let msg = match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    // Some messages are prefixed instead: `line 3 column 8: message`.
    if let Some(rest) = msg.strip_prefix("line ")
        && let Some(i) = rest.find(": ")
    {
        return &rest[i + 2..];
    }
    msg
}

fn parse_toml<T: DeserializeOwned>(matter: &str, line_offset: usize) -> Result<T, Diagnostic> {
    toml::from_str(matter).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| crate::config::line_col(matter, s.start))
            .unwrap_or((1, 1));
        located(
            line + line_offset,
            column,
            crate::hints::explain(e.message().trim()),
        )
    })
}

/// 1-based line and column (within `matter`) of the value of the top-level `key`: written at
/// the start of a line (`key: …` in YAML, `key = …` in TOML), before any TOML table header.
/// A key of the same name nested deeper (`extra: { date: … }`, a `[extra]` table) is not it.
/// Used to locate our own checks of a parsed field.
pub fn key_position(matter: &str, key: &str) -> Option<(usize, usize)> {
    for (i, line) in matter.lines().enumerate() {
        if line.starts_with('[') {
            // A TOML table: what follows is not top level.
            return None;
        }
        let Some(rest) = line.strip_prefix(key) else {
            continue;
        };
        let after = rest.trim_start();
        if let Some(value) = after.strip_prefix('=').or_else(|| after.strip_prefix(':')) {
            let value_start = value.len() - value.trim_start().len();
            let col = key.len() + (rest.len() - after.len()) + 1 + value_start + 1;
            return Some((i + 1, col));
        }
    }
    None
}

/// A problem at `line`, `column` of the text being parsed (its file is named by the caller).
fn located(line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::here(Some(line), Some(column), message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_position_finds_the_top_level_key() {
        assert_eq!(key_position("a: 1\ntopic: foo\n", "topic"), Some((2, 8)));
        assert_eq!(key_position("x = 1\ndate = 2026\n", "date"), Some((2, 8)));
        // The same name nested deeper, or in a TOML table, is another key.
        let yaml = "extra:\n  date: soon\ndate: 2026-13-45\n";
        assert_eq!(key_position(yaml, "date"), Some((3, 7)));
        assert_eq!(
            key_position("title = \"T\"\n[extra]\ndate = 1\n", "date"),
            None
        );
        assert_eq!(key_position("dated: 1\n", "date"), None);
    }

    fn parse_text(text: &str) -> Result<FrontMatter, Diagnostic> {
        parse(&split(text)?)
    }

    #[test]
    fn yaml_and_toml_read_the_same_fields() {
        let y = parse_text("---\ntitle: A\ndate: 2026-11-26\ntopic: raw-materials\n---\nbody\n")
            .unwrap();
        let t = parse_text(
            "+++\ntitle = \"A\"\ndate = 2026-11-26\ntopic = \"raw-materials\"\n+++\nbody\n",
        )
        .unwrap();
        assert_eq!(y.title, t.title);
        assert_eq!(y.date.unwrap().as_text(), "2026-11-26");
        assert_eq!(t.date.unwrap().as_text(), "2026-11-26");
        assert_eq!(y.topic.as_deref(), Some("raw-materials"));
    }

    #[test]
    fn unknown_field_is_located_in_the_file() {
        let e = parse_text("---\ntitle: A\ntitel: B\n---\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(1)), "{e:?}");
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
        let e = parse_text("+++\ntitle = \"A\"\ntitel = \"B\"\n+++\n").unwrap_err();
        assert_eq!((e.line, e.column), (Some(3), Some(1)), "{e:?}");
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
    }

    #[test]
    fn unclosed_and_missing_front_matter() {
        let e = split("---\ntitle: A\nbody\n").unwrap_err();
        assert!(e.message.contains("never closed"));
        let e = split("title: A\n").unwrap_err();
        assert!(e.message.contains("must start with"));
    }

    #[test]
    fn body_line_counts_from_file_top() {
        let s = split("---\ntitle: A\n---\nbody\n").unwrap();
        assert_eq!(s.body_line, 4);
        assert_eq!(s.body, "body\n");
    }

    #[test]
    fn lone_carriage_returns_count_as_line_breaks() {
        // Found by the front_matter fuzz target: YAML counts a lone CR as a line break.
        let text = normalize_newlines("---\rtitle: A\rdate: 2026-11-26\rtitel: x\r---\rBody\r");
        let e = parse_text(&text).unwrap_err();
        assert_eq!((e.line, e.column), (Some(4), Some(1)), "{e:?}");
    }

    #[test]
    fn wrong_type_is_located() {
        let e = parse_text("---\ntitle: A\ndraft: maybe\n---\n").unwrap_err();
        assert_eq!(e.line, Some(3), "{e:?}");
    }
}
