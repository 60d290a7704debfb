//! Unit tests of `ingest::entities`.

use super::quotes::{SPEAKER_BEFORE, may_end_with_a_speaker};
use super::*;

fn found(paragraphs: &[&str]) -> Found {
    let ps: Vec<String> = paragraphs.iter().map(|s| s.to_string()).collect();
    find(&ps, None)
}

#[test]
fn speakers_after_and_before_the_quote() {
    let f = found(&[
        "“We have worked together for many years,” Acme Chief Executive Jane Doe said in a statement. “It will grow our cloud business.”",
        "“The mine will open in spring next year,” said Okafor.",
        "Minister for Mines Ada Okafor, speaking in Lagos, welcomed it.",
        "Ben Stone, a senior analyst, said: “The numbers are better than we feared.”",
        "“This is only the first step for both sides,” she added.",
    ]);
    let pairs: Vec<(&str, Option<&str>)> = f
        .quotes
        .iter()
        .map(|q| (q.text.as_str(), q.speaker.as_deref()))
        .collect();
    assert_eq!(
        pairs[0],
        ("We have worked together for many years", Some("Jane Doe"))
    );
    assert_eq!(
        pairs[1],
        ("It will grow our cloud business.", Some("Jane Doe"))
    );
    assert_eq!(
        pairs[2],
        ("The mine will open in spring next year", Some("Ada Okafor"))
    );
    assert_eq!(
        pairs[3],
        ("The numbers are better than we feared.", Some("Ben Stone"))
    );
    assert_eq!(pairs[4].1, Some("Ben Stone"));
}

#[test]
fn descriptions_resolve_to_the_titled_person() {
    let f = found(&[
        "The talks were opened by the Ambassador to the Kingdom, Christophe Farnaud, together with officials.",
        "“International cooperation is indispensable to secure supply,” said the ambassador.",
    ]);
    assert_eq!(f.quotes[0].speaker.as_deref(), Some("Christophe Farnaud"));
}

#[test]
fn organizations_people_places() {
    let f = found(&[
        "Microsoft Corp. and Sony Corp. said the European Commission and the Future Minerals Forum met in Riyadh, Saudi Arabia.",
        "Satya Nadella said the Redmond, Washington-based firm would grow. Japan’s Sony agreed.",
    ]);
    assert_eq!(
        f.entities.organizations,
        [
            "Microsoft",
            "Sony",
            "European Commission",
            "Future Minerals Forum"
        ]
    );
    assert_eq!(f.entities.people, ["Satya Nadella"]);
    assert_eq!(
        f.entities.places,
        ["Riyadh", "Saudi Arabia", "Redmond", "Washington", "Japan"]
    );
}

#[test]
fn the_word_scanner_finds_what_the_word_pattern_finds() {
    let pattern = Regex::new(r"[\p{L}\p{N}][\p{L}\p{N}.’'\-–&]*").unwrap();
    for text in [
        "",
        "Microsoft Corp. and Sony’s AI-chips – R&D 2.5% ...x 'quoted' --",
        "SÃO PAULO — Ærø İstanbul ΟΔΟΣ 東京 ½ Ⅻ e\u{301}clair \u{345}x naïve d’Artagnan–Smith",
        "“Quoted,” said Al-Babtain. (Reuters) - … 3–4 ’’ &&a",
    ] {
        let expected: Vec<(usize, usize)> = pattern
            .find_iter(text)
            .map(|m| (m.start(), m.end()))
            .collect();
        assert_eq!(words(text).collect::<Vec<_>>(), expected, "{text:?}");
    }
}

#[test]
fn suffixes_are_stripped_like_trim_end_matches() {
    for w in ["Sony’s", "Sony's’s", "’s’s", "s", "Corp.", "", "’"] {
        for suffix in ["’s", "'s"] {
            assert_eq!(strip_all(w, suffix), w.trim_end_matches(suffix), "{w:?}");
        }
    }
}

#[test]
fn the_speaker_check_never_skips_a_speaker_before_a_quote() {
    for before in [
        "John Smith said: ",
        "John Smith said, ",
        "John Smith said ",
        "He says",
        "She added\u{3000}:\t",
        "Jane Doe, the chief executive, told reporters: ",
        "They told Reuters,",
        "The minister said:: ",
        "The minister said ,, ",
        "Nothing to see here. ",
        "Officials said on Monday ",
    ] {
        if SPEAKER_BEFORE.is_match(before) {
            assert!(may_end_with_a_speaker(before), "{before:?}");
        }
    }
    assert!(!may_end_with_a_speaker("Nothing to see here. "));
}

#[test]
fn fragments_and_quotes_without_a_speaker_are_not_quotes() {
    let f = found(&[
        "The firm aims “to provide highly intuitive and user-friendly AI experiences.” \
         “We will ship the first devices next spring,” said Jane Doe. \
         “Nobody knows who wrote this sentence in the report at all.”",
    ]);
    assert_eq!(f.quotes.len(), 2, "{:?}", f.quotes);
    assert_eq!(
        f.quotes[0].text,
        "We will ship the first devices next spring"
    );
    assert_eq!(f.quotes[0].speaker.as_deref(), Some("Jane Doe"));
    // The next quote of the same paragraph is taken as the same speaker's.
    assert_eq!(f.quotes[1].speaker.as_deref(), Some("Jane Doe"));
    let f = found(&["Officials promised “a fair and open process for every bidder,” he said."]);
    assert!(f.quotes.is_empty(), "{:?}", f.quotes);
    let f = found(&["A report called it “a long overdue step for the whole region.”"]);
    assert!(f.quotes.is_empty(), "{:?}", f.quotes);
}

#[test]
fn short_scare_quotes_are_not_quotes() {
    assert!(
        found(&["The so-called “green deal” passed."])
            .quotes
            .is_empty()
    );
}
