//! JSON Lines: one JSON object per line with `title` and one of `body`, `text` or `content`;
//! optional `date`, `url`, `source` (a name, or `{name, url}`), `topic`, `summary` (a list of
//! bullets or one string) and `dateline`. Other keys are ignored (exports carry many). A bad
//! line is reported with its line number and skipped; the other lines go on.

use serde_json::{Map, Value};

use super::normalize::When;
use super::{Parsed, RawArticle};
use crate::config::{Config, OTHER_TOPIC};

use super::{SourceError, problem};

pub(crate) fn parse(text: &str, config: &Config) -> Result<Parsed, SourceError> {
    let mut parsed = Parsed::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        match record(line, config) {
            Ok(mut a) => {
                a.line = Some(i + 1);
                parsed.articles.push(a);
            }
            Err(m) => parsed
                .warnings
                .push(problem(Some(i + 1), format!("{m}; line skipped"))),
        }
    }
    if parsed.articles.is_empty() {
        let first = parsed
            .warnings
            .first()
            .map(|w| format!(" (line {}: {})", w.line.unwrap_or(0), w.message))
            .unwrap_or_default();
        return Err(problem(
            None,
            format!("no recognizable article: no valid JSON Lines record{first}"),
        ));
    }
    Ok(parsed)
}

fn record(line: &str, config: &Config) -> Result<RawArticle, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not valid JSON: {e}"))?;
    let obj = value.as_object().ok_or("expected a JSON object")?;
    let title = text_field(obj, "title")?
        .filter(|t| !t.trim().is_empty())
        .ok_or("missing `title`")?;
    let mut body = None;
    for key in ["body", "text", "content"] {
        if let Some(b) = text_field(obj, key)?.filter(|b| !b.trim().is_empty()) {
            body = Some(b);
            break;
        }
    }
    let body = body.ok_or("missing text: expected `body`, `text` or `content`")?;
    let when = match text_field(obj, "date")? {
        Some(d) => Some(parse_date(&d, config).ok_or_else(|| {
            format!("invalid `date` `{d}`: expected YYYY-MM-DD or an RFC 3339 date-time")
        })?),
        None => None,
    };
    let topic = match text_field(obj, "topic")? {
        Some(t) if t == OTHER_TOPIC || t.is_empty() => None,
        Some(t) if config.topic(&t).is_some() => Some(t),
        Some(t) => {
            return Err(format!(
                "unknown `topic` `{t}`, expected one of: {}",
                config.topic_slugs().join(", ")
            ));
        }
        None => None,
    };
    let (source_name, source_url) = match obj.get("source") {
        None | Some(Value::Null) => (None, None),
        Some(Value::String(s)) => (Some(s.clone()), None),
        Some(Value::Object(o)) => (text_field(o, "name")?, text_field(o, "url")?),
        Some(_) => {
            return Err("`source` must be a string or an object with `name` and `url`".into());
        }
    };
    let bullets = match obj.get("summary") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or("`summary` items must be strings")
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("`summary` must be a string or a list of strings".into()),
    };
    Ok(RawArticle {
        title: Some(title),
        paragraphs: paragraphs(&body),
        bullets,
        dateline: text_field(obj, "dateline")?.filter(|d| !d.trim().is_empty()),
        when,
        url: text_field(obj, "url")?.or(source_url),
        source_name,
        topic,
        ..RawArticle::default()
    })
}

fn text_field(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{key}` must be a string")),
    }
}

fn parse_date(d: &str, config: &Config) -> Option<When> {
    if let Some(w) = super::html::parse_when(d)
        .filter(|_| d.trim().len() == 10 || chrono::DateTime::parse_from_rfc3339(d.trim()).is_ok())
    {
        return Some(w);
    }
    // A local time without offset is on the site's clock.
    [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(d.trim(), f).ok())
    .map(|naive| When::Time(config.timezone.from_local(&naive)))
}

/// Paragraphs of a plain body: blank-line separated blocks; else, for wire copy that is hard
/// wrapped with indented paragraph starts, the indented lines; else one paragraph per line.
/// Wrapped lines inside a paragraph are joined with a space.
pub(crate) fn paragraphs(body: &str) -> Vec<String> {
    let body = body.replace("\r\n", "\n");
    let join = |lines: &[&str]| {
        lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let indented = |l: &str| l.starts_with("    ") || l.starts_with('\t');
    let mut blocks: Vec<Vec<&str>> = vec![Vec::new()];
    for l in body.lines() {
        if l.trim().is_empty() {
            blocks.push(Vec::new());
        } else {
            blocks.last_mut().expect("one block").push(l);
        }
    }
    blocks.retain(|b| !b.is_empty());
    let single = blocks.len() == 1;
    let mut out = Vec::new();
    for block in blocks {
        if block.iter().skip(1).any(|l| indented(l)) {
            // Wire copy: an indented line starts a paragraph.
            let mut start = 0;
            for i in 1..=block.len() {
                if i == block.len() || indented(block[i]) {
                    out.push(join(&block[start..i]));
                    start = i;
                }
            }
        } else if single && !hard_wrapped(&block) {
            // One paragraph per line, as exports without blank lines have it.
            out.extend(block.iter().map(|l| l.trim().to_string()));
        } else {
            out.push(join(&block));
        }
    }
    out.into_iter().filter(|b| !b.is_empty()).collect()
}

/// Lines cut at a fixed width rather than at paragraph ends: most of them (the last aside) stop
/// in the middle of a sentence.
fn hard_wrapped(lines: &[&str]) -> bool {
    if lines.len() < 2 {
        return false;
    }
    let cut = lines[..lines.len() - 1]
        .iter()
        .filter(|l| {
            !l.trim_end()
                .ends_with(['.', '!', '?', ':', '"', '”', '’', ')'])
        })
        .count();
    cut * 2 >= lines.len() - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let toml = "title = \"t\"\nbase_url = \"https://e.org/\"\n[[topics]]\nslug = \"tech\"\nname = \"Tech\"\n";
        crate::config::test_config(toml)
    }

    #[test]
    fn good_and_bad_lines() {
        let text = [
            r#"{"title": "A", "body": "One.\n\nTwo.", "date": "2026-11-20", "source": {"name": "W", "url": "https://w.example/a"}, "topic": "tech", "summary": ["s1", "s2"]}"#,
            r#"{"title": "B"}"#,
            "not json",
            "",
            r#"{"title": "C", "text": "Body", "topic": "sports"}"#,
            r#"{"title": "D", "content": "Body", "date": "2026-11-20T09:00:00"}"#,
        ]
        .join("\n");
        let p = parse(&text, &config()).unwrap();
        assert_eq!(p.articles.len(), 2);
        let a = &p.articles[0];
        assert_eq!(
            (a.line, a.paragraphs.len(), a.bullets.len()),
            (Some(1), 2, 2)
        );
        assert_eq!(a.url.as_deref(), Some("https://w.example/a"));
        assert_eq!(a.topic.as_deref(), Some("tech"));
        assert!(matches!(p.articles[1].when, Some(When::Time(_))));
        let lines: Vec<Option<usize>> = p.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(2), Some(3), Some(5)]);
        assert!(
            p.warnings[0].message.contains("missing text"),
            "{:?}",
            p.warnings
        );
        assert!(
            p.warnings[2].message.contains("unknown `topic` `sports`"),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn wire_copy_paragraphs() {
        let body = "Showers continued in\nthe cocoa zone.\n    The dry period means\nlate arrivals.\n    Arrivals rose.";
        assert_eq!(
            paragraphs(body),
            [
                "Showers continued in the cocoa zone.",
                "The dry period means late arrivals.",
                "Arrivals rose."
            ]
        );
        assert_eq!(paragraphs("One.\nTwo."), ["One.", "Two."]);
    }

    #[test]
    fn hard_wrapped_text_is_one_paragraph_and_blank_lines_still_split() {
        let body = "Red Lion Inns said its\nboard approved a cash distribution\nof 48 cts a unit.";
        assert_eq!(
            paragraphs(body),
            ["Red Lion Inns said its board approved a cash distribution of 48 cts a unit."]
        );
        let body = "Shares rose in\nearly trade.\n\n    Shr 12 cts\n    Net 1.2 mln\n\nThe end.";
        assert_eq!(
            paragraphs(body),
            [
                "Shares rose in early trade.",
                "Shr 12 cts",
                "Net 1.2 mln",
                "The end."
            ]
        );
    }

    #[test]
    fn all_bad_is_an_error() {
        let e = parse("{\"title\": 3}\n", &config()).unwrap_err();
        assert!(
            e.message.contains("line 1: `title` must be a string"),
            "{}",
            e.message
        );
    }
}
