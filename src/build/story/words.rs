//! The terms story analysis reads from a text, found quickly: exactly the words of
//! `ingest::tokens::for_each_content_word` (lower-case, `'s` dropped, no stopwords, more than
//! one character), without those holding a digit, with plurals folded by `tokens::singular`,
//! each hashed. The tokenizer walks a text once per call through an iterator of iterators and
//! lower-cases into a fresh buffer per word; this scanner handles runs of ASCII itself (almost
//! every word of an English archive) and hands any run holding another character to the
//! tokenizer, so the two cannot disagree.

use rustc_hash::FxHashMap;
use xxhash_rust::xxh3::xxh3_64;

use crate::ingest::tokens;

/// Word bytes of the tokenizer's scanner: ASCII letters, digits and `'`.
const ASCII_WORD: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric() || b as u8 == b'\'';
        b += 1;
    }
    table
};

/// The hash of a term, as story vectors key it.
pub(crate) fn term(word: &str) -> u64 {
    xxh3_64(word.as_bytes())
}

/// Calls `f` with the term of each content word of `text` (see the module documentation).
#[cfg(test)]
pub(crate) fn for_each_term(text: &str, f: impl FnMut(u64)) {
    Scanner::default().for_each_term(text, f);
}

/// Runs of ASCII seen so far and what each gave (a term, or nothing for a stopword, a number
/// or a single letter): an archive repeats its words, and a lookup costs a third of reading
/// a word again. One per thread, kept from article to article.
#[derive(Default)]
pub(crate) struct Scanner {
    /// Runs of up to 8 bytes (most words), packed into a number (never 0: word bytes are not
    /// NUL), in a table of [`SHORT_SLOTS`] by that number's hash; a run meeting another in
    /// its slot takes the slot. Empty until first used.
    short: Vec<(u64, Option<u64>)>,
    /// Longer runs.
    known: FxHashMap<Box<str>, Option<u64>>,
    lower: String,
}

/// Slots of the table of short runs (384 KiB).
const SHORT_BITS: u32 = 14;
const SHORT_SLOTS: usize = 1 << SHORT_BITS;

/// The bytes of a run of 1 to 8 bytes starting at `at` in `bytes`, as a number.
fn pack(bytes: &[u8], at: usize, len: usize) -> u64 {
    debug_assert!((1..=8).contains(&len));
    match bytes.get(at..at + 8) {
        Some(eight) => {
            let all = u64::from_le_bytes(eight.try_into().expect("8 bytes"));
            all & (u64::MAX >> (64 - 8 * len))
        }
        None => bytes[at..at + len]
            .iter()
            .rev()
            .fold(0, |key, &b| key << 8 | u64::from(b)),
    }
}

/// Runs remembered per scanner at most; past that it starts again (memory stays bounded
/// whatever the archive's vocabulary).
const KNOWN_RUNS: usize = 1 << 17;

impl Scanner {
    /// [`for_each_term`] with this scanner's memory.
    pub(crate) fn for_each_term(&mut self, text: &str, mut f: impl FnMut(u64)) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 && !ASCII_WORD[b as usize] {
                i += 1;
                continue;
            }
            // A run of word characters: the tokenizer's raw word.
            let start = i;
            let mut ascii = true;
            while i < bytes.len() {
                let b = bytes[i];
                if b < 0x80 {
                    if !ASCII_WORD[b as usize] {
                        break;
                    }
                    i += 1;
                } else {
                    let c = text[i..].chars().next().expect("a char boundary");
                    if !(c.is_alphanumeric() || c == '\'' || c == '’') {
                        break;
                    }
                    ascii = false;
                    i += c.len_utf8();
                }
            }
            if i == start {
                // A character that is not a word character: skip it whole.
                i += text[i..]
                    .chars()
                    .next()
                    .expect("a char boundary")
                    .len_utf8();
                continue;
            }
            let run = &text[start..i];
            if ascii && run.len() <= 8 {
                if self.short.is_empty() {
                    self.short = vec![(0, None); SHORT_SLOTS];
                }
                let key = pack(bytes, start, run.len());
                let slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - SHORT_BITS)) as usize;
                let entry = &mut self.short[slot];
                if entry.0 != key {
                    *entry = (key, ascii_word(run, &mut self.lower));
                }
                if let Some(t) = entry.1 {
                    f(t);
                }
            } else if ascii {
                let found = match self.known.get(run) {
                    Some(&found) => found,
                    None => {
                        let found = ascii_word(run, &mut self.lower);
                        if self.known.len() >= KNOWN_RUNS {
                            self.known.clear();
                        }
                        self.known.insert(run.into(), found);
                        found
                    }
                };
                if let Some(t) = found {
                    f(t);
                }
            } else {
                // The run is one raw word to the tokenizer too: the same words come out.
                tokens::for_each_content_word(run, |w| {
                    if !w.bytes().any(|b| b.is_ascii_digit()) {
                        f(term(&tokens::singular(w)));
                    }
                });
            }
        }
    }
}

/// The term of one raw word of ASCII letters, digits and `'`, if it has one; `lower` is
/// scratch space.
fn ascii_word(run: &str, lower: &mut String) -> Option<u64> {
    let w = run.trim_matches('\'');
    let w = w.strip_suffix("'s").unwrap_or(w);
    // Content words have two characters or more (and an empty word is none).
    if w.len() < 2 || w.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    lower.clear();
    lower.push_str(w);
    lower.make_ascii_lowercase();
    if tokens::is_stopword(lower) {
        return None;
    }
    // `tokens::singular`, without its allocation for `-ies`.
    let b = lower.as_bytes();
    let n = b.len();
    let hash = if n > 5 && lower.ends_with("ies") {
        lower.truncate(n - 3);
        lower.push('y');
        xxh3_64(lower.as_bytes())
    } else if n > 3 && b[n - 1] == b's' && b[n - 2] != b's' {
        xxh3_64(&b[..n - 1])
    } else {
        xxh3_64(b)
    };
    Some(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What story analysis read before this scanner: the tokenizer, word by word.
    fn by_tokenizer(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        tokens::for_each_content_word(text, |w| {
            if !w.bytes().any(|b| b.is_ascii_digit()) {
                out.push(term(&tokens::singular(w)));
            }
        });
        out
    }

    fn by_scanner(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        for_each_term(text, |t| out.push(t));
        // A scanner that has met the words before gives the same terms.
        let mut scanner = Scanner::default();
        for _ in 0..2 {
            let mut again = Vec::new();
            scanner.for_each_term(text, |t| again.push(t));
            assert_eq!(again, out, "{text:?}");
        }
        out
    }

    #[test]
    fn the_scanner_finds_the_tokenizers_terms() {
        let long = format!("short {} word", "x".repeat(80));
        for text in [
            "",
            "  ,;  ",
            "Microsoft’s cloud, Sony's chips — AI. 'Quoted' ’’s x's ’s 's s' ''",
            "São Paulo, ÖSTERREICH: ΟΔΟΣ Σ; 東京 2.5% co-operate naïve İstanbul",
            "rock'n'roll students' ‘single’ “double” l’été d’Artagnan 3'4\"",
            "\u{a0}NBSP\u{a0}and\u{2007}figure spaces\u{202f}x",
            "Companies, COMPANIES, lies, ties, series, bus, buses, glass, gas, as, is, us, ies, xies",
            "The UK and the US; an EU deal; G7 G20 covid19 5G 2024's",
            "agencies' plans’ analysts's boss's THE Through THROUGH year Years",
            &long,
        ] {
            assert_eq!(by_scanner(text), by_tokenizer(text), "{text:?}");
        }
    }

    /// The same on real news text: every file of the shared corpora that is there.
    #[test]
    #[ignore = "reads ../shared/corpus (a few seconds; `SHARED=dir` elsewhere); run with --ignored"]
    fn the_scanner_finds_the_tokenizers_terms_in_the_shared_corpora() {
        // `SHARED` names the shared folder when it is not beside the checkout.
        let shared = std::env::var_os("SHARED").map_or_else(
            || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
            std::path::PathBuf::from,
        );
        let root = shared.join("corpus");
        let mut files = 0;
        for entry in walkdir::WalkDir::new(&root).into_iter().flatten() {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(entry.path()) else {
                continue;
            };
            files += 1;
            assert_eq!(by_scanner(&text), by_tokenizer(&text), "{:?}", entry.path());
        }
        assert!(files > 0, "no corpus under {root:?}");
    }
}
