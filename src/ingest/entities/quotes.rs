//! Quotes and their speakers: text in quotation marks of at least five words, the speaker
//! from the sentence around it or the previous quote, pronouns and titles resolved to the
//! person named nearest.

use super::*;

static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"“([^”]+)”|"([^"]+)""#).expect("valid regex"));
static SPEAKER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*,?\s*(?:(?:said|says|added|adds|told\s+\w+|noted|explained|according\s+to)\s+(?P<named>(?:the|an?)\s+[\w\-]+(?:\s+[\w\-]+)?|[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*)*)|(?P<subj>he|she|they|[A-Z][\w’'.\-]*(?:\s+(?:for\s+|of\s+)?[A-Z][\w’'.\-]*)*)\s+(?:said|says|added|adds|told|noted|explained|stated|wrote))\b").expect("valid regex")
});
pub(super) static SPEAKER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<subj>[A-Z][\w’'.\-]*(?:\s+[A-Z][\w’'.\-]*)*|[Hh]e|[Ss]he|[Tt]hey)(?:,[^,“”\x22]{1,80},)?\s+(?:said|says|added|told\s+\w+)\s*[:,]?\s*$").expect("valid regex")
});

pub(super) fn compile_patterns() {
    LazyLock::force(&QUOTED);
    LazyLock::force(&SPEAKER_AFTER);
    LazyLock::force(&SPEAKER_BEFORE);
}

pub(super) fn quotes(paragraphs: &[String], text: &str, people: &[String]) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut offset = 0;
    for p in paragraphs {
        let mut previous: Option<String> = None;
        for caps in QUOTED.captures_iter(p) {
            let whole = caps.get(0).expect("match");
            let inner = caps
                .get(1)
                .or_else(|| caps.get(2))
                .expect("one group")
                .as_str();
            let inner = inner.trim().trim_end_matches(',').trim();
            if inner.split_whitespace().count() < 5 {
                continue;
            }
            let after = &p[whole.end()..];
            let before = &p[..whole.start()];
            let found = SPEAKER_AFTER
                .captures(after)
                .and_then(|c| {
                    c.name("named")
                        .or_else(|| c.name("subj"))
                        .map(|m| m.as_str().to_string())
                })
                .or_else(|| {
                    may_end_with_a_speaker(before)
                        .then(|| SPEAKER_BEFORE.captures(before))
                        .flatten()
                        .map(|c| c["subj"].to_string())
                });
            let at = offset + whole.start();
            let speaker = found
                .map(|s| resolve(&s, text, at, people))
                .or_else(|| previous.clone());
            previous = speaker.clone();
            // Only what someone said, in whole sentences: a quoted fragment (“to provide …”)
            // or a quote without a speaker is part of the prose, not a quote to show apart.
            if speaker.is_some() && starts_a_sentence(inner) {
                out.push(Quote {
                    text: inner.to_string(),
                    speaker,
                });
            }
        }
        offset += p.len() + 2;
    }
    out
}

/// Whether [`SPEAKER_BEFORE`] can match `before`: it ends with `said`, `says`, `added` or
/// `told` and a word, then at most whitespace, one `:` or `,`, and whitespace. Checked first
/// because the pattern, anchored at the end, is costly to run on every paragraph with a quote.
pub(super) fn may_end_with_a_speaker(before: &str) -> bool {
    let tail = before.trim_end();
    let tail = tail.strip_suffix([':', ',']).map_or(tail, str::trim_end);
    tail.ends_with("said")
        || tail.ends_with("says")
        || tail.ends_with("added")
        || tail.contains("told")
}

/// A quoted passage that opens like a sentence: a capital letter or a digit (after an
/// opening ellipsis or bracket, if any). A fragment quoted mid-sentence starts in lower case.
pub(super) fn starts_a_sentence(quoted: &str) -> bool {
    quoted
        .trim_start_matches(['…', '.', '[', '(', '‘', '\'', ' '])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Turns what the text calls the speaker into a name where the article allows it.
pub(super) fn resolve(said: &str, text: &str, at: usize, people: &[String]) -> String {
    let lower = said.to_lowercase();
    if matches!(lower.as_str(), "he" | "she" | "they") {
        // The person mentioned last before the quote.
        let before = &text[..at];
        let nearest = people
            .iter()
            .filter_map(|p| {
                let surname = p.rsplit(' ').next().unwrap_or(p);
                before.rfind(surname).map(|i| (i, p))
            })
            .max_by_key(|(i, _)| *i);
        return nearest.map_or_else(|| said.to_string(), |(_, p)| p.clone());
    }
    if let Some(role) = lower
        .strip_prefix("the ")
        .or_else(|| lower.strip_prefix("a "))
    {
        // The person named right after that title somewhere in the article.
        let Ok(re) = Regex::new(&format!("(?i){}", regex::escape(role))) else {
            return said.to_string();
        };
        for m in re.find_iter(text) {
            let end = (m.start() + 80).min(text.len());
            let end = (end..=text.len())
                .find(|&e| text.is_char_boundary(e))
                .unwrap_or(text.len());
            let window = &text[m.start()..end];
            if let Some(p) = people.iter().find(|p| window.contains(p.as_str())) {
                return p.clone();
            }
        }
        return said.to_string();
    }
    let words: Vec<&str> = said.split_whitespace().collect();
    let name = person_name(&words).unwrap_or_else(|| said.to_string());
    if !name.contains(' ')
        && let Some(full) = people.iter().find(|p| p.ends_with(&format!(" {name}")))
    {
        return full.clone();
    }
    name
}
