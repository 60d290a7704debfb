//! The dump segmenter on small dumps written for these tests.

use super::*;

const BODY_A: [&str; 3] = [
    "OSLO: Nordlys Telecom and Cirrus Cloud on Monday agreed a partnership to run edge computing sites for industrial customers across Norway.",
    "The companies said the partnership would start with ten sites next year, with specifics yet to be agreed.",
    "Nordlys shares rose 3 percent after the announcement.",
];
const BODY_B: [&str; 3] = [
    "LIMA — A copper miner signed a deal to reprocess old tailings from two closed mines in the Andes.",
    "The project will recover copper and zinc that earlier plants left behind, the company said.",
    "Local officials welcomed the plan, saying it would also make the old dams safer.",
];

fn dump(lines: &[&str]) -> String {
    lines.join("\n")
}

fn titles(p: &Parsed) -> Vec<&str> {
    p.articles
        .iter()
        .map(|a| a.title.as_deref().unwrap())
        .collect()
}

#[test]
fn body_then_headline_then_bullets_then_headline_then_body() {
    let mut lines: Vec<&str> = BODY_A.to_vec();
    lines.extend([
        "Nordlys and Cirrus team up on edge computing",
        "Nordlys and Cirrus team up on edge computing",
        "- The partnership starts with ten sites next year",
        "Copper miner to reprocess Andean tailings",
    ]);
    lines.extend(BODY_B);
    let p = parse(&dump(&lines)).unwrap();
    assert_eq!(
        titles(&p),
        [
            "Nordlys and Cirrus team up on edge computing",
            "Copper miner to reprocess Andean tailings"
        ]
    );
    assert_eq!(
        p.articles[0].bullets,
        ["The partnership starts with ten sites next year"]
    );
    assert!(p.articles[1].bullets.is_empty());
    assert_eq!(p.articles[0].paragraphs.len(), 3);
    assert_eq!(p.articles[1].paragraphs.len(), 3);
}

#[test]
fn a_headline_goes_with_the_bullets_under_it_when_its_own_words_do_not_decide() {
    // The first headline shares no word with either body: on its own it would go to the
    // body after it. The bullets under it restate the first body, and take it along.
    let mut lines: Vec<&str> = BODY_A.to_vec();
    lines.extend([
        "Fjord firms shake hands",
        "- The partnership would start with ten sites next year",
        "Copper miner to reprocess Andean tailings",
    ]);
    lines.extend(BODY_B);
    let p = parse(&dump(&lines)).unwrap();
    assert_eq!(
        titles(&p),
        [
            "Fjord firms shake hands",
            "Copper miner to reprocess Andean tailings"
        ]
    );
    assert_eq!(p.articles[0].bullets.len(), 1);
}

#[test]
fn headline_bullets_body_layout() {
    let mut lines = vec![
        "Copper miner to reprocess Andean tailings",
        "- The project will recover copper and zinc left behind",
    ];
    lines.extend(BODY_B);
    lines.push("Nordlys and Cirrus team up on edge computing");
    lines.extend(BODY_A);
    let p = parse(&dump(&lines)).unwrap();
    assert_eq!(
        titles(&p),
        [
            "Copper miner to reprocess Andean tailings",
            "Nordlys and Cirrus team up on edge computing"
        ]
    );
    assert_eq!(p.articles[0].bullets.len(), 1);
    assert!(p.articles[1].bullets.is_empty());
}

#[test]
fn a_dateline_starts_a_new_body_without_any_headline_between() {
    let mut lines = vec!["Nordlys and Cirrus team up on edge computing"];
    lines.extend(BODY_A);
    lines.extend(BODY_B);
    lines.push("Copper miner to reprocess Andean tailings");
    let p = parse(&dump(&lines)).unwrap();
    assert_eq!(
        titles(&p),
        [
            "Nordlys and Cirrus team up on edge computing",
            "Copper miner to reprocess Andean tailings"
        ]
    );
}

#[test]
fn boilerplate_crlf_nbsp_and_trailing_blank_lines() {
    let mut lines = vec![
        "Advertisement",
        "Nordlys and Cirrus team up on edge computing",
        "Share this article",
    ];
    lines.extend(BODY_A);
    lines.extend(["Follow us on X", "Updated 3 hours ago", "", "  "]);
    let text = dump(&lines)
        .replace('\n', "\r\n")
        .replace("Nordlys shares", "Nordlys\u{a0}shares")
        + "\r\n\r\n";
    let p = parse(&text).unwrap();
    assert_eq!(p.boilerplate, 4);
    assert_eq!(p.articles.len(), 1);
    assert_eq!(
        p.articles[0].paragraphs[2],
        "Nordlys shares rose 3 percent after the announcement."
    );
    assert_eq!(p.articles[0].line, Some(2));
}

#[test]
fn windows_1252_and_utf16_are_decoded() {
    let (text, enc) = decode(b"Caf\xe9 \x93quoted\x94 \x96 dash");
    assert_eq!(text, "Café “quoted” – dash");
    assert_eq!(enc, Some("windows-1252"));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("Hi".encode_utf16().flat_map(|u| u.to_le_bytes()))
        .collect();
    assert_eq!(decode(&utf16), ("Hi".to_string(), Some("UTF-16LE")));
    assert_eq!(decode("plain ü".as_bytes()), ("plain ü".to_string(), None));
}

#[test]
fn a_body_s_words_are_its_sentences_words() {
    let lines: Vec<(usize, String)> = BODY_A
        .iter()
        .chain(&["Mr. J. Smith said: “It’s done.” (Reuters) - Shares rose 2.5 percent."])
        .map(|l| (1, l.to_string()))
        .collect();
    let joined: Vec<String> = lines.iter().map(|(_, l)| l.clone()).collect();
    let body = Block {
        kind: Kind::Para,
        rows: vec![false; lines.len()],
        lines,
        dateline: None,
    };
    assert_eq!(Words::of(&body).whole.0, word_set(&joined.join(" ")).0);
}

#[test]
fn bad_input_is_refused() {
    assert!(check("  \n\n ").unwrap_err().message.contains("empty"));
    assert_eq!(check("ok\nbad\0line").unwrap_err().line, Some(2));
    let long = format!("a\n{}", "x".repeat(MAX_LINE + 1));
    assert_eq!(check(&long).unwrap_err().line, Some(2));
    assert!(
        parse("Just a headline\nAnother headline")
            .unwrap_err()
            .message
            .contains("no recognizable article")
    );
}

#[test]
fn body_without_headline_gets_its_first_sentence_and_a_warning() {
    let p = parse(&dump(&BODY_B)).unwrap();
    assert_eq!(
        titles(&p),
        [
            "A copper miner signed a deal to reprocess old tailings from two closed mines in the Andes"
        ]
    );
    assert_eq!(p.warnings.len(), 1);
}

const BRIEF: [&str; 6] = [
    "Harbourline Shipping Corp 3rd Qtr Net",
    "BERGEN, Nov 24 - Shr 52 cts vs 40 cts",
    "Net 6,310,000 vs 4,870,000",
    "Nine mths",
    "Shr 1.48 dlrs vs 1.21 dlrs",
    "Pay Jan 15",
];

#[test]
fn a_headline_over_rows_is_one_brief_between_prose_stories() {
    let mut lines = vec!["Nordlys and Cirrus team up on edge computing"];
    lines.extend(BODY_A);
    lines.extend(BRIEF);
    lines.push("Copper miner to reprocess Andean tailings");
    lines.extend(BODY_B);
    let p = parse(&dump(&lines)).unwrap();
    assert_eq!(
        titles(&p),
        [
            "Nordlys and Cirrus team up on edge computing",
            "Harbourline Shipping Corp 3rd Qtr Net",
            "Copper miner to reprocess Andean tailings"
        ]
    );
    let brief = &p.articles[1];
    assert_eq!(brief.dateline.as_deref(), Some("BERGEN, Nov 24 -"));
    assert_eq!(brief.paragraphs.len(), 1);
    let rows: Vec<String> = ["Shr 52 cts vs 40 cts"]
        .into_iter()
        .chain(BRIEF[2..].iter().copied())
        .map(str::to_string)
        .collect();
    assert_eq!(brief.tables, [(0, rows)]);
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
}

#[test]
fn rows_figure_lines_and_colon_lines_are_never_headlines() {
    for line in [
        "Shr 52 cts vs 40 cts",
        "Barley      1.62     1.58",
        "Copper cathodes ........ 1,204",
        "Prices were as follows:",
        "Average waiting time this week --",
        "(Harbourline Holdings Inc)",
    ] {
        let lines = vec![
            "Copper miner to reprocess Andean tailings",
            BODY_B[0],
            line,
            BODY_B[1],
        ];
        let p = parse(&dump(&lines)).unwrap();
        assert_eq!(
            titles(&p),
            ["Copper miner to reprocess Andean tailings"],
            "{line}"
        );
        assert_eq!(p.articles[0].paragraphs.len(), 3, "{line}");
    }
}

#[test]
fn a_note_under_a_table_stays_and_a_headline_after_it_finds_its_body() {
    // [brief, headline, headline] then [headline, body]: the brief's headline group is
    // not taken by the next story, and `NOTE:` is no `PLACE:` dateline.
    let mut lines = vec![
        "HAMAR, Nov 24 - Qtly div 18 cts vs 16 cts prior",
        "Pay Jan 15",
        "Record Dec 20",
        "NOTE: Fjellkraft Energi ASA.",
        "Fjellkraft Raises Quarterly Dividend",
        "Fjellkraft Raises Quarterly Dividend",
        "Copper miner to reprocess Andean tailings",
    ];
    lines.extend(BODY_B);
    let p = parse(&dump(&lines)).unwrap();
    assert_eq!(
        titles(&p),
        [
            "Fjellkraft Raises Quarterly Dividend",
            "Copper miner to reprocess Andean tailings"
        ]
    );
    let div = &p.articles[0];
    assert_eq!(div.paragraphs.len(), 2);
    assert_eq!(div.tables[0].1.len(), 3);
    assert_eq!(div.paragraphs[1], "NOTE: Fjellkraft Energi ASA.");
}

#[test]
fn column_rows_keep_their_spacing_inside_prose() {
    let lines = [
        "Ore prices steady at three western ports",
        "PERTH: Iron ore prices at three export ports were little changed this week, a broker said.",
        "Port          Fines      Lump",
        "Dampier       104.50     112.00",
        "Traders said lump premiums widened because high grade material was scarce.",
    ];
    let p = parse(&dump(&lines)).unwrap();
    assert_eq!(p.articles.len(), 1);
    let a = &p.articles[0];
    assert_eq!(a.paragraphs.len(), 3);
    assert_eq!(
        a.tables,
        [(1, vec![lines[2].to_string(), lines[3].to_string()])]
    );
}

#[test]
fn control_chars_and_char_count_by_bytes_match_chars() {
    let texts = [
        "plain text\nwith lines\r\n\tand a form feed \u{c}",
        "bell \u{7} escape \u{1b} delete \u{7f} C1 \u{80} \u{85} \u{9f} not C1 \u{a0} \u{c2}",
        "Ünïcödé, “quotes” — and ¢ (C2 A2), 日本語, 🦀\u{0}",
        "",
    ];
    for text in texts {
        let by_chars = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
            .count();
        assert_eq!(control_chars(text), by_chars, "{text:?}");
        assert_eq!(char_count(text), text.chars().count(), "{text:?}");
    }
    assert_eq!(control_chars(texts[1]), 6);
}
