//! One article file: its front matter checked field by field, its Markdown rendered, its
//! dates, URLs and id validated, every problem located in the file.

use super::*;

pub(super) fn load_article(
    config: &Config,
    path: &Path,
    text: &str,
) -> std::result::Result<Article, Vec<Diagnostic>> {
    let shown = config.display_path(path);
    let text = frontmatter::normalize_newlines(text);
    let split = frontmatter::split(&text).map_err(|d| vec![d.in_file(&shown)])?;
    let fm = frontmatter::parse(&split).map_err(|d| vec![d.in_file(&shown)])?;
    let position = |key: &str| {
        frontmatter::key_position(split.matter, key)
            .map(|(l, c)| (l + split.matter_line_offset, c))
            .unwrap_or((1, 1))
    };
    let mut problems = Vec::new();
    let at = |key: &str, msg: String| {
        let (l, c) = position(key);
        Diagnostic::at(&shown, l, c, msg)
    };

    let title = match fm.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        Some(_) => {
            problems.push(at("title", "`title` is empty".into()));
            String::new()
        }
        None => {
            problems.push(Diagnostic::at(&shown, 1, 1, "missing field `title`"));
            String::new()
        }
    };
    let published = match &fm.date {
        Some(d) => match parse_date(d, config) {
            Ok(t) => Some(t),
            Err(m) => {
                problems.push(at("date", m));
                None
            }
        },
        None => {
            problems.push(Diagnostic::at(
                &shown,
                1,
                1,
                "missing field `date` (YYYY-MM-DD or an RFC 3339 date-time)",
            ));
            None
        }
    };
    let topic = match fm.topic.as_deref().map(str::trim) {
        None | Some("") => OTHER_TOPIC.to_string(),
        Some(t) if config.topic(t).is_some() => t.to_string(),
        Some(t) => {
            problems.push(at("topic", config.check_topic(t).unwrap_err()));
            String::new()
        }
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = slug::slugify(&stem);
    if slug.is_empty() {
        problems.push(Diagnostic::new(
            &shown,
            "the file name gives an empty URL slug; name it after the title, e.g. my-story.md",
        ));
    }
    let urls = fm
        .source
        .iter()
        .map(|s| ("source", s))
        .chain(fm.sources.iter().map(|s| ("sources", s)));
    for (key, source) in urls {
        if let Some(msg) = check_url("source url", source.url.as_deref()) {
            let url = source.url.as_deref().unwrap_or_default();
            let (l, c) = value_position(split.matter, key, url)
                .map(|(l, c)| (l + split.matter_line_offset, c))
                .unwrap_or_else(|| position(key));
            problems.push(Diagnostic::at(&shown, l, c, msg));
        }
    }
    if let Some(id) = fm.id.as_deref()
        && let Some(msg) = check_id(id)
    {
        problems.push(at("id", msg));
    }
    if let Some(msg) = check_url("image", fm.image.as_deref()) {
        problems.push(at("image", msg));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let published = published.expect("date checked above");
    let day = config.timezone.localize(&published).date_naive();
    let id = fm.id.clone().unwrap_or_else(|| stable_id(&shown));
    let rendered = render_body(config, &slug, split.body);
    let pull_quotes = quotes_not_in(&fm.quotes, split.body);
    let body = Body::new(split.body, rendered.html);
    Ok(build_article(
        fm,
        shown,
        slug,
        title,
        day,
        published,
        topic,
        id,
        (
            body,
            rendered.word_count,
            rendered.reading_time,
            pull_quotes,
        ),
    ))
}

#[allow(clippy::too_many_arguments)]
fn build_article(
    fm: FrontMatter,
    path: PathBuf,
    slug: String,
    title: String,
    day: NaiveDate,
    published: DateTime<FixedOffset>,
    topic: String,
    id: String,
    (body, word_count, reading_time, pull_quotes): (Body, usize, usize, Vec<Quote>),
) -> Article {
    let (title, title_markup) = Markup::split(markdown::inline(&title, false));
    let (summary, summary_markup): (Vec<String>, Vec<Markup>) = fm
        .summary
        .iter()
        .map(|s| Markup::split(markdown::inline(s, true)))
        .unzip();
    // No bullet with markup: none kept.
    let summary_markup = match summary_markup.iter().all(|m| *m == markdown::PLAIN) {
        true => Box::default(),
        false => summary_markup.into_boxed_slice(),
    };
    Article {
        path,
        slug,
        title,
        title_markup,
        day,
        published,
        topic,
        dateline: fm
            .dateline
            .map(|d| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        summary,
        summary_markup,
        summary_source: fm.summary_source,
        source: fm.source,
        sources: fm.sources,
        quotes: fm.quotes,
        pull_quotes,
        entities: fm.entities,
        author: fm
            .author
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        image: fm
            .image
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty()),
        tags: fm.tags,
        id,
        draft: fm.draft,
        lead: fm.lead,
        weight: fm.weight.unwrap_or(0),
        extra: fm.extra,
        body,
        word_count,
        reading_time,
    }
}

/// The quotes whose words do not appear in `body`. Whitespace, curly or straight apostrophes
/// and the quote's final punctuation (a quoted sentence's `.` is a `,` before `she said`) do not
/// count.
fn quotes_not_in(quotes: &[Quote], body: &str) -> Vec<Quote> {
    if quotes.is_empty() {
        return Vec::new();
    }
    let words = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace(['’', '‘'], "'")
    };
    let body = words(body);
    quotes
        .iter()
        .filter(|q| {
            let text = words(&q.text);
            let text = text.trim_end_matches(['.', ',', '!', '?', ';', ':', '…']);
            !body.contains(text)
        })
        .cloned()
        .collect()
}

/// Accepts `YYYY-MM-DD` (the day itself, midnight on the site's clock), an RFC 3339
/// date-time with offset, or `YYYY-MM-DD HH:MM[:SS]` on the site's clock.
pub fn parse_date(
    field: &DateField,
    config: &Config,
) -> std::result::Result<DateTime<FixedOffset>, String> {
    let text = field.as_text();
    if let Ok(day) = NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        return Ok(config.timezone.start_of(day));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(&text) {
        return Ok(t);
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&text, fmt) {
            return Ok(config.timezone.from_local(&naive));
        }
    }
    // Say *why* a date-shaped value is wrong (2026-02-30, month 13, …).
    let head = text.get(..10).unwrap_or(&text);
    let reason = match NaiveDate::parse_from_str(head, "%Y-%m-%d") {
        Err(e) if head.len() == 10 && head.as_bytes()[4] == b'-' => format!(": {e}"),
        _ => String::new(),
    };
    Err(format!(
        "invalid date `{text}`{reason}; expected YYYY-MM-DD or an RFC 3339 date-time such as 2026-11-26T08:30:00+01:00"
    ))
}

/// Source links end up in `href`s and the image in `og:image`: only web URLs are accepted
/// (no `javascript:`, `data:`). `what` names the field in the message.
fn check_url(what: &str, url: Option<&str>) -> Option<String> {
    let u = url?;
    let lower = u.trim().to_ascii_lowercase();
    let web = lower.starts_with("http://") || lower.starts_with("https://");
    (!web).then(|| format!("{what} `{u}` must start with http:// or https://"))
}

/// Where `value` is written in the front matter, at or after the line of `key`: a bad URL is
/// reported on the line that holds it (`url:` inside a `source:` block), not on `source:`.
fn value_position(matter: &str, key: &str, value: &str) -> Option<(usize, usize)> {
    if value.is_empty() {
        return None;
    }
    let (first, _) = frontmatter::key_position(matter, key)?;
    matter
        .lines()
        .enumerate()
        .skip(first - 1)
        .find_map(|(i, line)| {
            line.find(value)
                .map(|c| (i + 1, line[..c].chars().count() + 1))
        })
}

/// An `id` is a name, not a path: letters, digits, `-`, `_` and `.`, never `..`. Ids written
/// by ingest are hex; a hand-written id must not smuggle a folder change into anything that
/// ever uses it in a path.
fn check_id(id: &str) -> Option<String> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if id.is_empty() || !id.chars().all(allowed) || id.contains("..") {
        Some(format!(
            "invalid id `{id}`: use only letters, digits, `-`, `_` and `.` (no `..`, no slashes), or leave `id` out and one is made from the file's path"
        ))
    } else {
        None
    }
}

/// A stable id from the file's site-relative path (xxh3, fixed seed), used when the front
/// matter has none: it survives rebuilds and edits of the text.
fn stable_id(path: &Path) -> String {
    let key = path.to_string_lossy().replace('\\', "/");
    crate::ids::hex_id(key.as_bytes())
}
