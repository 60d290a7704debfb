//! Word and sentence splitting shared by the ingest stages (headline attachment, summaries,
//! classification, de-duplication). It only cuts text into pieces; it never changes the text
//! that ends up in an article.

use std::borrow::Cow;
use std::sync::LazyLock;

use rustc_hash::FxHashSet;

/// Words that carry no topic: left out of overlap scores and term weights.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "but", "by", "can", "could", "did", "do", "for", "from", "had", "has", "have", "he", "her",
    "his", "i", "if", "in", "into", "is", "it", "its", "last", "more", "most", "new", "no", "not",
    "of", "on", "one", "or", "our", "out", "over", "said", "says", "she", "so", "some", "than",
    "that", "the", "their", "them", "there", "these", "they", "this", "those", "through", "to",
    "two", "under", "up", "us", "was", "we", "were", "what", "when", "which", "while", "who",
    "will", "with", "would", "year", "you",
];

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "corp", "inc", "ltd", "co", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "no", "gen",
    "gov", "sen", "rep", "prof", "u.s", "u.k", "e.g", "i.e", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft",
];

/// Lower-cased words (letters and digits; `’s` dropped), in order, stopwords included.
#[cfg(test)]
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each of [`words`] in turn, without allocating a string per word.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut lower = String::new();
    for w in raw_words(text) {
        let w = w.trim_matches(|c| c == '\'' || c == '’');
        let w = w
            .strip_suffix("’s")
            .or_else(|| w.strip_suffix("'s"))
            .unwrap_or(w);
        if w.is_empty() {
            continue;
        }
        if w.is_ascii() {
            lower.clear();
            lower.push_str(w);
            lower.make_ascii_lowercase();
            f(&lower);
        } else {
            // `str::to_lowercase`, not per char: it knows a final sigma.
            f(&w.to_lowercase());
        }
    }
}

/// The [`words`] of an article's title and then its body, cut once and shared by the stages
/// that read them (classification, de-duplication): the words joined by single spaces, and
/// where each starts.
pub(crate) struct Words {
    joined: String,
    starts: Vec<usize>,
    /// How many of the words are the title's.
    title: usize,
}

impl Words {
    pub fn of(title: &str, body: &str) -> Words {
        let mut joined = String::with_capacity(title.len() + body.len() + 1);
        let mut starts = Vec::with_capacity(body.len() / 5 + 8);
        let mut title_words = 0;
        for (i, text) in [title, body].into_iter().enumerate() {
            for_each_word(text, |w| {
                if !starts.is_empty() {
                    joined.push(' ');
                }
                starts.push(joined.len());
                joined.push_str(w);
            });
            if i == 0 {
                title_words = starts.len();
            }
        }
        Words {
            joined,
            starts,
            title: title_words,
        }
    }

    /// All the words, joined by single spaces.
    pub fn joined(&self) -> &str {
        &self.joined
    }

    /// Where each word starts in [`Words::joined`].
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The `i`-th word.
    pub fn get(&self, i: usize) -> &str {
        let end = self.starts.get(i + 1).map_or(self.joined.len(), |&e| e - 1);
        &self.joined[self.starts[i]..end]
    }

    /// The title's words, then the body's.
    pub fn split(&self) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
        (0..self.title, self.title..self.starts.len())
    }
}

/// `text.split_whitespace().count()`, without the iterator's per-char work on ASCII text.
pub(crate) fn count_whitespace_separated(text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b < 0x80 {
            ((b as char).is_whitespace(), 1)
        } else {
            let c = text[i..].chars().next().expect("a char boundary");
            (c.is_whitespace(), c.len_utf8())
        };
        if !space && !in_word {
            count += 1;
        }
        in_word = !space;
        i += len;
    }
    count
}

/// The non-empty runs of letters, digits and apostrophes (`'` and `’`).
fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        // Skip to the next word character, then to the end of the word; ASCII by table.
        let start = loop {
            let &b = bytes.get(i)?;
            if b < 0x80 {
                if ASCII_WORD[b as usize] {
                    break i;
                }
                i += 1;
            } else {
                let c = text[i..].chars().next().expect("a char boundary");
                if is_word_char(c) {
                    break i;
                }
                i += c.len_utf8();
            }
        };
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                if !ASCII_WORD[b as usize] {
                    break;
                }
                i += 1;
            } else {
                let c = text[i..].chars().next().expect("a char boundary");
                if !is_word_char(c) {
                    break;
                }
                i += c.len_utf8();
            }
        }
        Some(&text[start..i])
    })
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b as u8 == b'\'';
        b += 1;
    }
    table
};

/// Words that say what a text is about: no stopwords, no single characters.
pub(crate) fn content_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_content_word(text, |w| out.push(w.to_string()));
    out
}

/// Calls `f` with each of [`content_words`] in turn, without allocating a string per word.
pub(crate) fn for_each_content_word(text: &str, mut f: impl FnMut(&str)) {
    for_each_word(text, |w| {
        if is_content_word(w) {
            f(w)
        }
    });
}

pub(crate) fn is_content_word(w: &str) -> bool {
    // More than one character: the first is at most 4 bytes long.
    (w.len() > 4 || w.chars().nth(1).is_some()) && !is_stopword(w)
}

pub(crate) fn is_stopword(w: &str) -> bool {
    static SET: LazyLock<FxHashSet<&'static str>> =
        LazyLock::new(|| STOPWORDS.iter().copied().collect());
    // Most words are ruled out by their length and first letter, before hashing.
    let Some(&first) = w.as_bytes().first() else {
        return false;
    };
    w.len() <= LONGEST_STOPWORD
        && first.is_ascii_lowercase()
        && STOPWORD_INITIALS[w.len()] & (1 << (first - b'a')) != 0
        && SET.contains(w)
}

/// For each length, the first letters of the stopwords of that length (bit 0 is `a`).
const STOPWORD_INITIALS: [u32; LONGEST_STOPWORD + 1] = {
    let mut table = [0; LONGEST_STOPWORD + 1];
    let mut i = 0;
    while i < STOPWORDS.len() {
        let w = STOPWORDS[i].as_bytes();
        assert!(w[0].is_ascii_lowercase());
        table[w.len()] |= 1 << (w[0] - b'a');
        i += 1;
    }
    table
};

const LONGEST_STOPWORD: usize = longest(STOPWORDS);

/// The length in bytes of the longest of `words`: the length test that rules out most words
/// before a stop-word set is asked (here and in the search index's own list).
pub(crate) const fn longest(words: &[&str]) -> usize {
    let mut longest = 0;
    let mut i = 0;
    while i < words.len() {
        if words[i].len() > longest {
            longest = words[i].len();
        }
        i += 1;
    }
    longest
}

/// A lower-case word with a plural ending removed (`companies` → `company`, `chips` → `chip`),
/// so that the singular and plural of a word count as one term. Borrowed unless it changes.
pub(crate) fn singular(w: &str) -> Cow<'_, str> {
    if let Some(s) = w.strip_suffix("ies").filter(|s| s.len() > 2) {
        Cow::Owned(format!("{s}y"))
    } else if let Some(s) = w
        .strip_suffix('s')
        .filter(|s| s.len() > 2 && !s.ends_with('s'))
    {
        Cow::Borrowed(s)
    } else {
        Cow::Borrowed(w)
    }
}

/// Splits a paragraph into sentences. A sentence ends at `.`, `!` or `?` (plus closing quotes)
/// followed by a space and an upper-case letter, digit or opening quote, unless the period
/// ends a known abbreviation or an initial.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    // Byte offsets: `.`, `!` and `?` are ASCII and never part of another character.
    let mut i = 0;
    while let Some(at) = bytes[i..]
        .iter()
        .position(|b| matches!(b, b'.' | b'!' | b'?'))
    {
        let pos = i + at;
        let mut j = pos + 1;
        let mut rest = text[j..].chars();
        // Past the closing quotes and brackets.
        let next = loop {
            match rest.next() {
                Some(c @ ('”' | '"' | '’' | '\'' | ')')) => j += c.len_utf8(),
                other => break other,
            }
        };
        let next_is_space = next.is_some_and(char::is_whitespace);
        let after = text[j..].chars().find(|c| !c.is_whitespace());
        let starts_new = after.is_some_and(|c| {
            c.is_uppercase() || c.is_ascii_digit() || matches!(c, '“' | '"' | '‘')
        });
        if next_is_space
            && starts_new
            && !(bytes[pos] == b'.' && is_abbreviation(&text[start..pos]))
        {
            out.push(text[start..j].trim());
            start = j;
        }
        i = j;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

fn is_abbreviation(before: &str) -> bool {
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    let lower = last.to_lowercase();
    let single_initial = last.chars().count() == 1 && last.chars().all(char::is_uppercase);
    single_initial || ABBREVIATIONS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stopword_is_one_and_its_neighbours_are_not() {
        for w in STOPWORDS {
            assert!(is_stopword(w), "{w}");
            assert!(!is_stopword(&format!("{w}x")), "{w}x");
            assert!(!is_stopword(&format!("x{w}")), "x{w}");
        }
        for w in ["", "The", "thé", "0", "zz", "thoughtful"] {
            assert!(!is_stopword(w), "{w}");
        }
    }

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        let mut sorted = STOPWORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOPWORDS);
    }

    #[test]
    fn words_drop_possessives_and_punctuation() {
        assert_eq!(
            words("Microsoft’s cloud, Sony's chips — AI."),
            ["microsoft", "cloud", "sony", "chips", "ai"]
        );
        assert_eq!(
            content_words("The deal is in its early stages"),
            ["deal", "early", "stages"]
        );
    }

    /// The straightforward definition of [`words`], which the scanner must match.
    fn words_by_split(text: &str) -> Vec<String> {
        text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
            .map(|w| {
                let w = w.trim_matches(|c| c == '\'' || c == '’');
                let w = w
                    .strip_suffix("’s")
                    .or_else(|| w.strip_suffix("'s"))
                    .unwrap_or(w);
                w.to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect()
    }

    #[test]
    fn the_word_scanner_matches_splitting() {
        for text in [
            "",
            "  ,;  ",
            "Microsoft’s cloud, Sony's chips — AI. 'Quoted' ’’s x's ’s",
            "São Paulo, ÖSTERREICH: ΟΔΟΣ Σ; 東京 2.5% co-operate naïve İstanbul",
            "rock'n'roll students' ‘single’ “double” l’été d’Artagnan 3'4\"",
            "\u{a0}NBSP\u{a0}and\u{2007}figure spaces\u{202f}x",
        ] {
            assert_eq!(words(text), words_by_split(text), "{text:?}");
            let content: Vec<String> = words_by_split(text)
                .into_iter()
                .filter(|w| w.chars().count() > 1 && STOPWORDS.binary_search(&w.as_str()).is_err())
                .collect();
            assert_eq!(content_words(text), content, "{text:?}");
        }
    }

    #[test]
    fn whitespace_separated_counts_match_split_whitespace() {
        for text in [
            "",
            "   ",
            "one",
            " two  words ",
            "tab\tnew\nline\x0bvt\x0cff\rcr",
            "nbsp\u{a0}em\u{2003}space　ideographic naïve",
        ] {
            assert_eq!(
                count_whitespace_separated(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    /// [`sentences`] as first written, over a list of characters: the scanner must match it.
    fn sentences_by_chars(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (pos, c) = chars[i];
            if matches!(c, '.' | '!' | '?') {
                let mut j = i + 1;
                while j < chars.len() && matches!(chars[j].1, '”' | '"' | '’' | '\'' | ')') {
                    j += 1;
                }
                let next_is_space = j < chars.len() && chars[j].1.is_whitespace();
                let after = chars[j..]
                    .iter()
                    .map(|&(_, c)| c)
                    .find(|c| !c.is_whitespace());
                let starts_new = after.is_some_and(|c| {
                    c.is_uppercase() || c.is_ascii_digit() || matches!(c, '“' | '"' | '‘')
                });
                if next_is_space && starts_new && !(c == '.' && is_abbreviation(&text[start..pos]))
                {
                    let end = chars[j].0;
                    out.push(text[start..end].trim());
                    start = end;
                }
                i = j;
            } else {
                i += 1;
            }
        }
        let rest = text[start..].trim();
        if !rest.is_empty() {
            out.push(rest);
        }
        out
    }

    #[test]
    fn the_sentence_scanner_matches_the_char_list() {
        for text in [
            "",
            ".",
            "?! ",
            "Hi. There",
            "It rose.” Then it fell... And so? “Yes!” he said.) Ok",
            "Mr. Smith met Dr. Ödön Wöhler in São Paulo. Él dijo: ¿sí? 2.5 pct. 3 more.’ ’ X",
            "ends with a dot.",
            "Ünïcode. Ärger!\u{a0}Neu. ‘Quoted’ start. “Double” start.",
            "J. Smith left. U.S. officials said. The end.\n\nNext paragraph? Yes.",
        ] {
            assert_eq!(sentences(text), sentences_by_chars(text), "{text:?}");
        }
    }

    #[test]
    fn sentences_respect_abbreviations_and_quotes() {
        let s = sentences(
            "Microsoft Corp. and Sony Corp. agreed. “It is big,” he said. Shares rose 2.5 percent. J. Smith left.",
        );
        assert_eq!(
            s,
            [
                "Microsoft Corp. and Sony Corp. agreed.",
                "“It is big,” he said.",
                "Shares rose 2.5 percent.",
                "J. Smith left."
            ]
        );
        let s = sentences("“We are ready.” The talks end today.");
        assert_eq!(s, ["“We are ready.”", "The talks end today."]);
    }
}
