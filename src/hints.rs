//! Turning the parsers' messages into a writer's words: serde's type names (`usize`, `u16`,
//! `f64`) become "a whole number" and "a number", an unknown key gets the nearest known key
//! as a suggestion, and an unclosed quote is found on the line where it opens. Used for both
//! front matter (YAML, TOML) and `briefing.toml`. Locating an error is the caller's job; this
//! module only rewords and points at the opening quote.

/// Rewrites a serde/parser message for a reader: Rust type names become plain words, and an
/// `unknown field` gets a `did you mean` for a known key that is a likely typo.
pub(crate) fn explain(message: &str) -> String {
    let mut text = plain_types(message);
    if let Some(suggestion) = suggest_field(&text) {
        text.push_str(&format!("; did you mean `{suggestion}`?"));
    }
    text
}

/// serde names the Rust type it wanted; a writer of front matter or config wants words.
fn plain_types(message: &str) -> String {
    const WHOLE: [&str; 10] = [
        "usize", "u8", "u16", "u32", "u64", "isize", "i8", "i16", "i32", "i64",
    ];
    let mut out = message.to_string();
    if let Some(at) = out.rfind("expected ") {
        let start = at + "expected ".len();
        let word: String = out[start..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let plain = if WHOLE.contains(&word.as_str()) {
            Some("a whole number")
        } else if word == "f32" || word == "f64" {
            Some("a number")
        } else {
            None
        };
        if let Some(plain) = plain {
            out.replace_range(start..start + word.len(), plain);
        }
    }
    out
}

/// For `unknown field `titel`, expected one of `title`, `date`, …` (TOML's and YAML's
/// wording, with or without backticks around the known keys): the known key nearest to the
/// unknown one, if it is close enough to be a typo.
fn suggest_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let list = rest
        .split_once("expected one of")
        .map(|(_, l)| l)
        .or_else(|| rest.split_once("expected ").map(|(_, l)| l))?
        .replace(" or ", "|");
    let known = list
        .split([',', '|'])
        .map(|k| k.trim().trim_matches('`').trim())
        .filter(|k| !k.is_empty() && !k.contains(' '));
    nearest(unknown, known)
}

/// The candidate with the smallest edit distance to `word` (case-insensitive), when that
/// distance is small for the word's length: one edit for short keys, up to a third of longer
/// ones.
pub(crate) fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .map(|c| (distance(&word, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring letters (`titel` → `title` is one edit).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// In YAML that failed to parse: the line and column (1-based, within `matter`) of a quoted
/// value that is never closed. A quoted value may legally run over several lines, so a quote
/// counts as unclosed only when a new `key:` line at the key's indentation (or the end of the
/// front matter) comes before its closing quote: that is where the writer meant the value to
/// end. Only asked after a parse error.
pub(crate) fn unclosed_yaml_quote(matter: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = matter.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let Some(col) = value_start(line) else {
            i += 1;
            continue;
        };
        let quote = match line[col..].chars().next() {
            Some(q @ ('"' | '\'')) => q,
            _ => {
                i += 1;
                continue;
            }
        };
        if closes(&line[col + 1..], quote) {
            i += 1;
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let mut j = i + 1;
        loop {
            match lines.get(j) {
                None => return Some((i + 1, line[..col].chars().count() + 1)),
                Some(next) if starts_key(next, indent) => {
                    return Some((i + 1, line[..col].chars().count() + 1));
                }
                Some(next) if closes(next, quote) => break,
                Some(_) => j += 1,
            }
        }
        i = j + 1;
    }
    None
}

/// A `key:` line indented no deeper than `indent`, or a `- ` item at that depth.
fn starts_key(line: &str, indent: usize) -> bool {
    let trimmed = line.trim_start();
    let own = line.len() - trimmed.len();
    if trimmed.is_empty() || own > indent {
        return false;
    }
    let key_end = trimmed.find(':').unwrap_or(0);
    trimmed.starts_with("- ")
        || (key_end > 0
            && trimmed[..key_end]
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            && trimmed[key_end + 1..]
                .chars()
                .next()
                .is_none_or(char::is_whitespace))
}

/// Byte offset of the value on a `key: value` or `- value` line, if there is one.
fn value_start(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') {
        return None;
    }
    let indent = line.len() - trimmed.len();
    let after = if let Some(rest) = trimmed.strip_prefix("- ") {
        indent + 2 + (rest.len() - rest.trim_start().len())
    } else {
        let colon = trimmed.find(": ")?;
        let key = &trimmed[..colon];
        if key.contains(['"', '\'', '{', '[']) {
            return None;
        }
        let rest = &trimmed[colon + 2..];
        indent + colon + 2 + (rest.len() - rest.trim_start().len())
    };
    (after < line.len()).then_some(after)
}

/// Whether a quoted scalar whose body starts with `rest` is closed on this line.
fn closes(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            ('"', '\\') => {
                chars.next();
            }
            ('\'', '\'') if chars.peek() == Some(&'\'') => {
                chars.next();
            }
            (q, c) if c == q => return true,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_type_names_become_words() {
        assert_eq!(
            explain("invalid type: string \"ten\", expected usize"),
            "invalid type: string \"ten\", expected a whole number"
        );
        assert_eq!(
            explain("invalid type: string \"x\", expected f64"),
            "invalid type: string \"x\", expected a number"
        );
        assert_eq!(
            explain("invalid value: expected u16 in range"),
            "invalid value: expected a whole number in range"
        );
        assert_eq!(explain("expected usual things"), "expected usual things");
    }

    #[test]
    fn unknown_fields_get_the_nearest_known_key() {
        assert_eq!(
            explain("unknown field `titel`, expected one of `title`, `date`, `topic`"),
            "unknown field `titel`, expected one of `title`, `date`, `topic`; did you mean `title`?"
        );
        // serde-saphyr lists the keys without backticks.
        assert!(
            explain("unknown field `sumary`, expected one of title, date, summary, summary_source")
                .ends_with("did you mean `summary`?")
        );
        // Nothing close: no guess.
        assert_eq!(
            explain("unknown field `colour`, expected one of `title`, `date`"),
            "unknown field `colour`, expected one of `title`, `date`"
        );
        assert!(
            explain("unknown field `basee_url`, expected `title` or `base_url`")
                .ends_with("; did you mean `base_url`?")
        );
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(distance("titel", "title"), 1);
        assert_eq!(distance("dat", "date"), 1);
        assert_eq!(distance("topic", "topic"), 0);
        assert_eq!(distance("abc", "xyz"), 3);
    }

    #[test]
    fn the_unclosed_quote_is_found_where_it_opens() {
        let matter = "title: \"An open quote\ndate: 2026-11-26\nsummary:\n  - \"fine\"\n";
        assert_eq!(unclosed_yaml_quote(matter), Some((1, 8)));
        let matter = "title: ok\nsummary:\n  - 'it''s open\n";
        assert_eq!(unclosed_yaml_quote(matter), Some((3, 5)));
        let matter = "title: \"closed \\\" inside\"\nquote: 'it''s'\n# \"comment\n";
        assert_eq!(unclosed_yaml_quote(matter), None);
        // A quoted value over two lines is fine; the open one after it is found.
        let matter =
            "title: \"one\n  two\"\ndate: 2026-11-26\ndateline: \"Paris\nsummary:\n  - \"a\"\n";
        assert_eq!(unclosed_yaml_quote(matter), Some((4, 11)));
    }
}
