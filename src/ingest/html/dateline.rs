//! The dateline of a web article: the place line opening its first paragraph ("SEOUL: ",
//! "LONDON (Reuters) - ", "Dekalb, Ill. — ", "*Paris, France —* "). Besides the forms every
//! reader knows ([`split_dateline`]), pages set it apart with emphasis and write it in title
//! case with an agency or a region, which a sentence opening never looks like.

use std::sync::LazyLock;

use regex::Regex;

use crate::ingest::normalize::split_dateline;

/// Title-case place with an agency, or with a region and an en or em dash:
/// `London (Reuters) - `, `Hanoi, Vietnam (AP) — `, `Dekalb, Ill. — `, `Paris, France – `.
static TITLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^
        (?P<place>\p{Lu}[\p{L}.'’\-]*(?:\s\p{Lu}[\p{L}.'’\-]*){0,3})
        (?P<region>(?:,\s\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*){0,2}){0,2})
        (?:
            (?:,\s(?:[A-Z][a-z]{2,8}\.?\s\d{1,2}|\d{1,2}\s[A-Z][a-z]{2,8}\.?))?\s\((?:[A-Z][A-Za-z&.]*(?:\s[A-Z][A-Za-z&.]*)*)\)\s?(?:[-–—]{1,2}|:)\s
          | \s?[–—]\s
        )",
    )
    .expect("valid regex")
});

/// An emphasized opening that ends in a dash or colon: `**LONDON —** `, `*Dekalb, Ill. —* `.
static EMPHASIZED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\*\*|\*|__|_)(?P<inner>[^*_\n]{3,60}?)(?:\*\*|\*|__|_)\s*(?:[-–—:]\s*)?(?:\*\*|\*|__|_)?\s+",
    )
        .expect("valid regex")
});

/// Splits a leading dateline off `paragraph`: the place and the rest of the paragraph.
pub(crate) fn split(paragraph: &str) -> Option<(String, String)> {
    if let Some((place, rest)) = split_emphasized(paragraph) {
        return Some((place, rest));
    }
    if let Some((place, rest)) = split_dateline(paragraph) {
        return Some((place, rest.to_string()));
    }
    let m = TITLED.captures(paragraph)?;
    let rest = &paragraph[m.get(0)?.end()..];
    // With only a dash, a region and a capital after the dash are required: "Apple – the
    // rivals" is a sentence.
    let dash_only = !m[0].contains('(');
    if dash_only
        && (m["region"].is_empty()
            || !rest.starts_with(|c: char| c.is_uppercase() || "‘“'\"".contains(c)))
    {
        return None;
    }
    (!rest.trim().is_empty()).then(|| (m["place"].to_string(), rest.to_string()))
}

/// `*Dekalb, Ill. —* Mike Glass threw…` → `("Dekalb", "Mike Glass threw…")`.
fn split_emphasized(paragraph: &str) -> Option<(String, String)> {
    let m = EMPHASIZED.captures(paragraph)?;
    let whole = m.get(0)?.as_str();
    if !whole.contains(['-', '–', '—', ':']) {
        return None;
    }
    let inner = m["inner"]
        .trim()
        .trim_end_matches(['-', '–', '—', ':', ' ']);
    let probe = format!("{inner} — X");
    // Emphasis sets a place apart, but "*Note:*" is a label: title case needs a region.
    let (place, _) = split_dateline(&probe).or_else(|| {
        let c = TITLED.captures(&probe)?;
        (!c["region"].is_empty() || c[0].contains('(')).then(|| (c["place"].to_string(), ""))
    })?;
    let rest = paragraph[whole.len()..].trim_start();
    (!rest.is_empty()).then(|| (place, rest.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_common_form() {
        let cases = [
            ("SEOUL: Two chipmakers agreed", "Seoul"),
            ("LONDON (Reuters) - Shares fell", "London"),
            ("LONDON (Reuters) — Shares fell", "London"),
            ("PORT LOUIS - Mauritius has", "Port Louis"),
            ("PORT LOUIS – Mauritius has", "Port Louis"),
            ("HANOI, Vietnam — The minister", "Hanoi"),
            ("NEW YORK, March 3 (Reuters) - Stocks rose", "New York"),
            ("London (Reuters) - Shares fell", "London"),
            ("Hanoi, Vietnam (AP) — The minister", "Hanoi"),
            ("Dekalb, Ill. — Mike Glass threw", "Dekalb"),
            ("Paris, France – The museum", "Paris"),
            ("New York, March 3 (Reuters) - Stocks rose", "New York"),
            ("*Dekalb, Ill. —* Mike Glass threw", "Dekalb"),
            ("**SEOUL:** Two chipmakers agreed", "Seoul"),
        ];
        for (text, place) in cases {
            let (p, rest) = split(text).unwrap_or_else(|| panic!("no dateline in {text:?}"));
            assert_eq!(p, place, "{text}");
            assert!(
                rest.starts_with(|c: char| c.is_uppercase()),
                "{text} → {rest:?}"
            );
        }
    }

    #[test]
    fn sentences_are_not_datelines() {
        for text in [
            "Apple – the rivals agreed to talk.",
            "Apple, Google - the rivals agreed",
            "The deal - worth $1bn - closed.",
            "*Note:* the figures are estimates.",
            "Shares rose, March 3 - a record",
        ] {
            assert_eq!(split(text), None, "{text}");
        }
    }
}
