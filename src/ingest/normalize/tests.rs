//! Unit tests of `ingest::normalize`.

use super::*;

#[test]
fn every_dateline_form() {
    let cases = [
        (
            "SAN FRANCISCO: Microsoft said",
            "San Francisco",
            "Microsoft said",
        ),
        ("RIYADH: The dialogue", "Riyadh", "The dialogue"),
        ("LONDON (Reuters) - Shares fell", "London", "Shares fell"),
        ("NEW YORK, March 3 - Stocks rose", "New York", "Stocks rose"),
        (
            "WASHINGTON — The Senate voted",
            "Washington",
            "The Senate voted",
        ),
        ("ST. LOUIS, Mo. - A plant", "St. Louis", "A plant"),
        ("AL-KHOBAR: Work began", "Al-Khobar", "Work began"),
        ("SÃO PAULO - Prices rose", "São Paulo", "Prices rose"),
        ("PORTLAND, Ore., Feb 26 - Red Lion", "Portland", "Red Lion"),
        (
            "ROCHESTER, N.Y., Feb 26 - Champion",
            "Rochester",
            "Champion",
        ),
        ("VANCOUVER, British Columbia, March 3 - A", "Vancouver", "A"),
        ("AMSTERDAM, 2 March - The bank", "Amsterdam", "The bank"),
        (
            "OAKLAND , N.J., March 2 - Diagnostic",
            "Oakland",
            "Diagnostic",
        ),
        ("Oklahoma City, March 3 - Shares", "Oklahoma City", "Shares"),
        (
            "DALLAS/FORT WORTH (Reuters) - AMR",
            "Dallas/Fort Worth",
            "AMR",
        ),
    ];
    for (text, place, rest) in cases {
        let (p, r) = split_dateline(text).unwrap_or_else(|| panic!("no dateline in {text:?}"));
        assert_eq!((p.as_str(), r), (place, rest), "{text}");
    }
}

#[test]
fn no_dateline_in_ordinary_sentences() {
    for text in [
        "The deal - worth $1bn - closed.",
        "AI: the next step",
        "Sony shares jumped: 11 percent",
        "EU – Saudi talks",
        "Apple, Google - the rivals agreed",
        "Shares rose, March 3 - a record",
    ] {
        assert!(split_dateline(text).is_none(), "{text}");
    }
}

#[test]
fn boilerplate_lines() {
    for line in [
        "Advertisement",
        "Share this article",
        "Follow us on X",
        "Read more: Sony’s new console",
        "Subscribe to our newsletter",
        "Updated 3 hours ago",
        "ADVERTISEMENT",
    ] {
        assert!(is_boilerplate(line), "{line}");
    }
    for line in [
        "Shares rose on the news.",
        "Readers subscribed in droves, the firm said.",
        "Sharon Smith spoke.",
    ] {
        assert!(!is_boilerplate(line), "{line}");
    }
}

#[test]
fn whitespace_is_normalized_but_text_kept() {
    assert_eq!(
        clean_line("  EU\u{a0}–\u{a0}Saudi   “talks”\t "),
        "EU – Saudi “talks”"
    );
}

#[test]
fn clean_lines_are_recognized() {
    // Every ASCII character inside, before and after a word, and doubled.
    let ascii: Vec<String> = (0u8..128)
        .flat_map(|b| {
            let c = b as char;
            [
                format!("a{c}b"),
                format!("{c}ab"),
                format!("ab{c}"),
                format!("a{c}{c}b"),
            ]
        })
        .collect();
    for line in ascii.iter().map(String::as_str).chain([
        "",
        " ",
        "a",
        "a b",
        " a",
        "a ",
        "a  b",
        "a\tb",
        "a\u{a0}b",
        "a\u{2003}b",
        "a\u{202f}b",
        "a\u{2007}b",
        "a\u{85}b",
        "a\u{b}b",
        "a\u{1f}b",
        "São “Paulo” – x",
        "São  Paulo",
        " São",
    ]) {
        // What clean_line does when the line is not already clean.
        let cleaned = line
            .split(|c: char| {
                c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' || c == '\u{2007}'
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(is_clean(line), cleaned == line, "{line:?}");
        assert_eq!(clean_line(line), cleaned, "{line:?}");
    }
}

#[test]
fn slugs_are_ascii_bounded_and_cut_between_words() {
    assert_eq!(
        slugify("First EU–Saudi roundtable on critical raw materials"),
        "first-eu-saudi-roundtable-on-critical-raw-materials"
    );
    let long = slugify(&"word ".repeat(40));
    assert!(
        long.len() <= MAX_SLUG && !long.ends_with('-') && long.ends_with("word"),
        "{long}"
    );
    assert_eq!(slugify("東京"), "dong-jing");
    assert_eq!(slugify("!!!"), "article");
}

#[test]
fn summary_takes_two_or_three_sentences_in_order() {
    let paras = vec![
        "The miners agreed to share a smelter in the north of the country. The smelter opens next year."
            .to_string(),
        "“We are glad,” said the chief.".to_string(),
        "The smelter will process copper and nickel from three mines near the coast.".to_string(),
        "Weather was fine.".to_string(),
    ];
    let s = extract_summary(&paras);
    assert!((2..=3).contains(&s.len()), "{s:?}");
    assert_eq!(
        s[0],
        "The miners agreed to share a smelter in the north of the country."
    );
    assert!(s.iter().all(|x| !x.starts_with('“')));
}

#[test]
fn block_markers_are_escaped() {
    assert_eq!(escape_block_start("# not a heading"), "\\# not a heading");
    assert_eq!(escape_block_start("1. first"), "\\1. first");
    assert_eq!(escape_block_start("Plain text"), "Plain text");
}

#[test]
fn ids_are_stable() {
    assert_eq!(content_id("A", "b"), content_id("A", "b"));
    assert_ne!(content_id("A", "b"), content_id("A", "c"));
    assert_eq!(content_id("A", "b").len(), 16);
}
