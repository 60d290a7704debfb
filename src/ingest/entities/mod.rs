//! Quotes and named entities of an article, by small transparent rules (no model):
//!
//! - **organizations**: runs of capitalized words containing an organization word (`Forum`,
//!   `Commission`, `Union`, `Corp.` …); company suffixes are dropped (`Microsoft Corp.` → `Microsoft`).
//! - **people**: two or three capitalized words after a title (`Chief Executive`, `Minister`,
//!   `Ambassador` …), before `said`/`says`/`added`, after `said`, or followed by `, <lower-case
//!   description>`; never a place, month or organization word.
//! - **places**: the dateline and names from a small built-in gazetteer (countries, regions,
//!   large cities).
//! - **quotes**: text in quotation marks of at least five words; the speaker comes from
//!   `“…,” said X`, `“…,” X said`, `X said: “…”`, or the previous quote in the paragraph.
//!   Pronouns and descriptions (`she`, `the ambassador`) resolve to the person named nearest
//!   before / next to that title; a surname alone resolves to the full name.
//!
//! It reads paragraphs and returns data; it never changes the text.

use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashSet;

use crate::build::frontmatter::{Entities, Quote};

mod quotes;

use quotes::quotes;

const ORG_WORDS: &[&str] = &[
    "Agency",
    "Airlines",
    "Association",
    "Authority",
    "Bank",
    "Board",
    "Chamber",
    "Commission",
    "Committee",
    "Company",
    "Corp",
    "Corporation",
    "Council",
    "Court",
    "Delegation",
    "Department",
    "Federation",
    "Forum",
    "Foundation",
    "Fund",
    "Group",
    "Holdings",
    "Inc",
    "Institute",
    "Ltd",
    "Ministry",
    "Motors",
    "Organisation",
    "Organization",
    "Parliament",
    "Party",
    "Plc",
    "Project",
    "Reuters",
    "Services",
    "Systems",
    "Technologies",
    "Union",
    "University",
];
/// Legal-form words dropped from the end of organization names (`Microsoft Corp.` →
/// `Microsoft`); the build's entity pages normalize hand-written names with the same list.
pub(crate) const COMPANY_SUFFIXES: &[&str] = &[
    "Corp",
    "Corporation",
    "Inc",
    "Ltd",
    "Co",
    "Plc",
    "LLC",
    "AG",
    "SA",
];
const TITLE_WORDS: &[&str] = &[
    "Ambassador",
    "CEO",
    "Chair",
    "Chairman",
    "Chairwoman",
    "Chancellor",
    "Chief",
    "Commissioner",
    "Deputy",
    "Director",
    "Dr",
    "Executive",
    "Governor",
    "King",
    "Minister",
    "Mr",
    "Mrs",
    "Ms",
    "President",
    "Prime",
    "Prince",
    "Professor",
    "Secretary",
    "Senator",
    "Spokesman",
    "Spokeswoman",
    "Vice",
];
const CONNECTORS: &[&str] = &["of", "for", "on", "de", "van", "von", "bin", "al", "da"];
const NOT_NAMES: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "The",
    "This",
    "That",
    "These",
    "But",
    "And",
    "For",
    "From",
    "In",
    "On",
    "At",
    "It",
    "Its",
    "Analysts",
    "Shares",
    "European",
    "Asian",
    "American",
    "African",
    "Japanese",
    "Chinese",
    "Saudi",
    "British",
    "French",
    "German",
    "Kingdom",
    "Vision",
    "Act",
    "Critical",
    "Raw",
    "Materials",
    "Green",
    "Team",
];
/// Countries, regions and large cities; multi-word names first so they win over their parts.
const PLACES: &str = "Saudi Arabia|United States|United Kingdom|United Arab Emirates|South Korea|North Korea|South Africa|New Zealand|Hong Kong|New York|San Francisco|Los Angeles|Middle East|Latin America|Southeast Asia|Rio de Janeiro|Sao Paulo|Abu Dhabi|New Delhi|\
Afghanistan|Africa|Albania|Algeria|Argentina|Asia|Australia|Austria|Bahrain|Bangladesh|Beijing|Belgium|Berlin|Bolivia|Brazil|Brussels|Bulgaria|Cairo|Canada|Chile|China|Colombia|Croatia|Cyprus|Czechia|Denmark|Dubai|Egypt|Estonia|Ethiopia|Europe|Finland|France|Frankfurt|Geneva|Germany|Ghana|Greece|Hungary|India|Indonesia|Iran|Iraq|Ireland|Israel|Istanbul|Italy|Jakarta|Japan|Jordan|Kazakhstan|Kenya|Kuwait|Lagos|Latvia|Lisbon|Lithuania|London|Luxembourg|Madrid|Malaysia|Mexico|Milan|Morocco|Moscow|Mumbai|Netherlands|Nigeria|Norway|Oman|Oslo|Ostrava|Pakistan|Paris|Peru|Philippines|Poland|Portugal|Porto|Qatar|Redmond|Riyadh|Romania|Rome|Russia|Santiago|Seoul|Serbia|Shanghai|Singapore|Slovakia|Slovenia|Spain|Stockholm|Sweden|Switzerland|Sydney|Taiwan|Thailand|Tokyo|Toronto|Turkey|Ukraine|Vienna|Vietnam|Warsaw|Washington|Zambia|Zimbabwe|Zurich";

/// What [`find`] returns.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub quotes: Vec<Quote>,
    pub entities: Entities,
}

/// Finds quotes and entities in plain (unescaped) paragraphs.
pub(crate) fn find(paragraphs: &[String], dateline: Option<&str>) -> Found {
    let text = paragraphs.join("\n\n");
    let mut entities = Entities::default();
    for run in runs(&text) {
        classify_run(&text, &run, &mut entities);
    }
    entities.places = places(&text, dateline);
    // A surname alone is not a second person.
    let people = entities.people.clone();
    entities.people.retain(|p| {
        !people
            .iter()
            .any(|q| q != p && q.ends_with(&format!(" {p}")))
    });
    let quotes = quotes(paragraphs, &text, &entities.people);
    for q in &quotes {
        if let Some(s) = &q.speaker
            && s.chars().next().is_some_and(char::is_uppercase)
        {
            push_unique(&mut entities.people, s);
        }
    }
    Found { quotes, entities }
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if !item.is_empty() && !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

/// A run of capitalized words (with connectors between them), and where it sits.
struct Run<'a> {
    words: Vec<&'a str>,
    start: usize,
    end: usize,
}

/// The words of a text, as `[\p{L}\p{N}][\p{L}\p{N}.’'\-–&]*` would find them (a letter or
/// digit, then letters, digits and `.’'-–&`), as byte ranges. A scanner rather than that regex:
/// it runs over every article's whole text and was most of the time spent on entities.
fn words(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    // The character at `i` and its length; `first`: may it start a word, else continue one.
    let class = move |i: usize, first: bool| -> (bool, usize) {
        let b = bytes[i];
        if b < 0x80 {
            let ok = b.is_ascii_alphanumeric() || !first && matches!(b, b'.' | b'\'' | b'-' | b'&');
            return (ok, 1);
        }
        let c = text[i..].chars().next().expect("a char boundary");
        let ok = is_letter_or_number(c) || !first && matches!(c, '’' | '–');
        (ok, c.len_utf8())
    };
    std::iter::from_fn(move || {
        let start = loop {
            if i >= bytes.len() {
                return None;
            }
            let (ok, n) = class(i, true);
            if ok {
                break i;
            }
            i += n;
        };
        while i < bytes.len() {
            let (ok, n) = class(i, false);
            if !ok {
                break;
            }
            i += n;
        }
        Some((start, i))
    })
}

/// `\p{L}` or `\p{N}`. Both lie within `char::is_alphanumeric`, which also takes some marks;
/// the rare non-ASCII letter is checked against the exact classes.
static EXACT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\A[\p{L}\p{N}]\z").expect("valid regex"));

fn is_letter_or_number(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() && EXACT.is_match(c.encode_utf8(&mut [0; 4]))
}

fn runs(text: &str) -> Vec<Run<'_>> {
    let mut out = Vec::new();
    let mut current: Option<Run> = None;
    let mut pending_connector: Option<&str> = None;
    let mut last_end = 0;
    for (start, end) in words(text) {
        let gap = &text[last_end..start];
        let breaks = current.is_some() && gap.chars().any(|c| !c.is_whitespace());
        last_end = end;
        let raw = &text[start..end];
        let possessive = raw.ends_with("’s") || raw.ends_with("'s");
        let word = strip_all(strip_all(raw, "’s"), "'s").trim_end_matches('.');
        if breaks {
            out.extend(current.take());
            pending_connector = None;
        }
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        if capital {
            let run = current.get_or_insert_with(|| Run {
                words: Vec::new(),
                start,
                end,
            });
            run.words.extend(pending_connector.take());
            run.words.push(word);
            run.end = start + word.len();
            if possessive || raw.ends_with('.') && word.len() > 2 {
                out.extend(current.take());
            }
        } else if current.is_some() && pending_connector.is_none() && CONNECTORS.contains(&word) {
            pending_connector = Some(word);
        } else {
            out.extend(current.take());
            pending_connector = None;
        }
    }
    out.extend(current);
    out
}

/// `text.trim_end_matches(suffix)` without building a substring searcher (once per word).
fn strip_all<'a>(mut text: &'a str, suffix: &str) -> &'a str {
    while let Some(rest) = text.strip_suffix(suffix) {
        text = rest;
    }
    text
}

fn classify_run(text: &str, run: &Run<'_>, entities: &mut Entities) {
    let words = &run.words;
    let has_title = words.iter().any(|w| TITLE_WORDS.contains(w));
    if !has_title && words.iter().any(|w| ORG_WORDS.contains(w)) {
        let mut ws: &[&str] = words;
        while let Some((first, rest)) = ws.split_first()
            && (*first == "The" || CONNECTORS.contains(first))
        {
            ws = rest;
        }
        while let Some((last, rest)) = ws.split_last()
            && (COMPANY_SUFFIXES.contains(last) || CONNECTORS.contains(last))
        {
            ws = rest;
        }
        if !ws.is_empty() {
            push_unique(&mut entities.organizations, &ws.join(" "));
        }
        return;
    }
    if let Some(name) = person_name(words) {
        let before = &text[..run.start];
        let after = &text[run.end..];
        let titled = has_title
            || last_words(before, 5)
                .iter()
                .any(|w| TITLE_WORDS.contains(&w.as_str()));
        let said = SAID_AFTER.is_match(after) || before.trim_end().ends_with("said");
        if titled || said {
            push_unique(&mut entities.people, &name);
        }
    }
}

static SAID_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\s+(?:said|says|added|told|noted)\b|,\s+(?:a|an|the|who|[a-z]+-?[a-z]*\s+(?:director|minister|chief|head|executive|analyst)|deputy|chief|head|director|minister|president|spokesman|spokeswoman|together)\b)").expect("valid regex")
});

/// The name part of a run: the words after its last title word, of which the last two (three
/// when the middle one is an initial). `None` when they cannot be a person's name.
fn person_name(words: &[&str]) -> Option<String> {
    let after_title = match words.iter().rposition(|w| TITLE_WORDS.contains(w)) {
        Some(i) => &words[i + 1..],
        None => words,
    };
    let name: Vec<&str> = after_title
        .iter()
        .copied()
        .filter(|w| !CONNECTORS.contains(w))
        .collect();
    let take = if name.len() >= 3 && name[name.len() - 2].trim_end_matches('.').len() == 1 {
        3
    } else {
        2
    };
    if name.len() < 2 {
        return None;
    }
    let name = &name[name.len() - take.min(name.len())..];
    let place_like = |w: &&str| PLACE_WORDS.contains(*w);
    let bad = name.iter().any(|w| {
        NOT_NAMES.contains(w)
            || ORG_WORDS.contains(w)
            || place_like(w)
            || w.chars().all(|c| !c.is_lowercase())
            || w.chars().any(|c| c.is_ascii_digit())
    });
    (!bad).then(|| name.join(" "))
}

/// Every word of every name in [`PLACES`].
static PLACE_WORDS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| PLACES.split('|').flat_map(|p| p.split(' ')).collect());

fn last_words(text: &str, n: usize) -> Vec<String> {
    let ws: Vec<String> = text
        .split_whitespace()
        .rev()
        .take(n)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .collect();
    ws
}

static GAZETTEER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\b(?:{PLACES})\b")).expect("valid regex"));

/// Compiles the patterns of names, places and quotes now instead of at their first use (see
/// `ingest::compile_patterns_ahead`).
pub(crate) fn compile_patterns() {
    LazyLock::force(&EXACT);
    LazyLock::force(&SAID_AFTER);
    LazyLock::force(&GAZETTEER);
    LazyLock::force(&PLACE_WORDS);
    quotes::compile_patterns();
}

fn places(text: &str, dateline: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(d) = dateline {
        push_unique(&mut out, d);
    }
    for m in GAZETTEER.find_iter(text) {
        // "Washington-based" is still a place; "Saudi Arabia" was matched whole.
        push_unique(&mut out, m.as_str());
    }
    out
}

#[cfg(test)]
mod tests;
