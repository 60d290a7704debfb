//! Unit tests of `build::search`.

use super::*;

fn words(mut c: Counter) -> Vec<(String, u8)> {
    let w = c.take_words();
    let mut v: Vec<(String, u8)> = w.iter().map(|(w, q)| (w.to_string(), q)).collect();
    v.sort();
    v
}

#[test]
fn words_are_folded_and_filtered() {
    assert_eq!(
        words_of("The Zürich Lithium-deal, and AI"),
        ["deal", "lithium", "zurich"]
    );
}

#[test]
fn html_tags_and_entities_are_not_words() {
    let mut c = Counter {
        field: 2,
        ..Counter::default()
    };
    c.add_html("<p>Cobalt &amp; nickel&#39;s</p><h2 id=\"section-x\">Copper</h2>");
    let names: Vec<String> = words(c).into_iter().map(|(w, _)| w).collect();
    assert_eq!(names, ["cobalt", "copper", "nickel"]);
}

#[test]
fn a_title_word_weighs_more_than_a_body_word_and_repetition_saturates() {
    let mut c = Counter::default();
    c.add_text("Lithium deal for the miners of the north");
    c.field = 2;
    c.add_text("copper copper copper copper copper copper copper copper nickel deal");
    let w: FxHashMap<String, u8> = words(c).into_iter().collect();
    assert!(w["lithium"] > w["nickel"], "{w:?}");
    assert!(w["copper"] > w["nickel"], "{w:?}");
    assert!(w["deal"] > w["lithium"], "title and body: {w:?}");
    assert!(w.values().all(|&q| (1..=MAX_WEIGHT).contains(&q)));
}

#[test]
fn excerpts_are_text_cut_at_a_word() {
    let html = "<p>Cobalt &amp; <em>nickel</em> prices</p>\n<ul><li>rose</li><li>fell</li></ul>";
    assert_eq!(html_excerpt(html, 100), "Cobalt & nickel prices rose fell");
    assert_eq!(html_excerpt(html, 18), "Cobalt & nickel …");
    assert_eq!(html_excerpt("<p>one two three four</p>", 9), "one two …");
    assert_eq!(
        html_excerpt("<p>&lt;IMG “”“&gt; said &amp“”</p>", 100),
        "<IMG “”“> said &amp“”"
    );
    assert_eq!(
        html_excerpt("<p>a &lt;b&gt; &#x41;&#66;</p>", 100),
        "a <b> AB"
    );
}

#[test]
fn a_word_is_one_word_however_it_was_read() {
    // Words of up to 16 bytes are packed into one integer, read from the text when 16 bytes
    // follow their start and copied otherwise (near the end of the text); longer words take
    // another path. Case, length and place must not split a word into two entries.
    let long = "Electrification"; // 15 bytes
    let sixteen = "Internationalise"; // 16 bytes
    let seventeen = "Internationalised"; // 17 bytes
    let text = format!(
        "{long} {sixteen} {seventeen} ELECTRIFICATION internationalise INTERNATIONALISED \
         Zinc0 zinc0 {long} {sixteen} {seventeen}"
    );
    let mut c = Counter::default();
    c.add_text(&text);
    // The same words again at the very end of another text, where fewer than 16 bytes follow.
    c.add_text("zinc0");
    c.add_text(sixteen);
    let counted: Vec<(String, [u16; FIELDS])> = c
        .entries
        .iter()
        .map(|e| {
            let word = String::from_utf8(c.arena[e.0 as usize..e.1 as usize].to_vec()).unwrap();
            (word, e.2)
        })
        .collect();
    assert_eq!(
        counted,
        [
            ("electrification".to_string(), [3, 0, 0]),
            ("internationalise".to_string(), [4, 0, 0]),
            ("internationalised".to_string(), [3, 0, 0]),
            ("zinc0".to_string(), [3, 0, 0]),
        ]
    );
}
