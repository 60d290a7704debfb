//! Word and sentence splitting shared by the ingest stages (headline attachment, summaries,
//! classification, de-duplication). It only cuts text into pieces; it never changes the text
//! that ends up in an article.

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
pub(crate) fn words(text: &str) -> Vec<String> {
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

/// Words that say what a text is about: no stopwords, no single characters.
pub(crate) fn content_words(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|w| w.chars().count() > 1 && !is_stopword(w))
        .collect()
}

pub(crate) fn is_stopword(w: &str) -> bool {
    STOPWORDS.binary_search(&w).is_ok()
}

/// Splits a paragraph into sentences. A sentence ends at `.`, `!` or `?` (plus closing quotes)
/// followed by a space and an upper-case letter, digit or opening quote, unless the period
/// ends a known abbreviation or an initial.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
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
            if next_is_space && starts_new && !(c == '.' && is_abbreviation(&text[start..pos])) {
                let end = chars[j].0;
                out.push(text[start..end].trim());
                start = end;
            }
            i = j;
        } else {
            i += 1;
        }
        let _ = pos;
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
