//! Plain-text dumps: decoding (UTF-8, UTF-16 with BOM, else Windows-1252), refusing what is
//! not text, and cutting a dump that holds several articles into [`RawArticle`]s.
//!
//! A dump has one paragraph per line and no separators. Each line is a *paragraph* (long, or
//! ending like a sentence), a *headline* (short, no final period), a *bullet* (`- …`) or
//! boilerplate (dropped and counted). Runs of paragraphs are bodies; a paragraph that opens
//! with a dateline starts a new body. Headlines and bullets then go to the body before or after
//! them **by evidence**: the share of a headline's words found in the body, and how well each
//! bullet restates one of the body's sentences. Only on a tie does position decide (headline →
//! the body after it, bullets → the body of their headline, else the body before them).

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::normalize::{clean_line, is_boilerplate, split_dateline};
use super::{Parsed, RawArticle, SourceError, problem, table, tokens};

/// The longest line we accept (the limit): longer is not a scraped paragraph.
pub(crate) const MAX_LINE: usize = 1024 * 1024;
/// A dump whose bodies have fewer words than this holds no article.
const MIN_WORDS: usize = 20;

/// Bytes to text. Returns the text and, when it was not UTF-8, the encoding used.
pub(crate) fn decode(bytes: &[u8]) -> (String, Option<&'static str>) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        let note = (enc != encoding_rs::UTF_8).then(|| enc.name());
        return (text.into_owned(), note);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Some("windows-1252"))
        }
    }
}

/// Refuses input that is empty, binary or has absurdly long lines: `(line, message)`.
pub(crate) fn check(text: &str) -> Result<(), SourceError> {
    if text.trim().is_empty() {
        return Err(problem(
            None,
            "is empty (nothing but whitespace); expected at least one article".into(),
        ));
    }
    // One search for a NUL over the whole text spares one per line.
    let nul = text.as_bytes().contains(&0);
    for (i, line) in text.split('\n').enumerate() {
        if nul && line.contains('\0') {
            return Err(problem(
                Some(i + 1),
                "contains a NUL byte; this looks like a binary file, not text".into(),
            ));
        }
        if line.len() > MAX_LINE {
            return Err(problem(
                Some(i + 1),
                format!(
                    "line is {} bytes long; lines over 1 MB are refused",
                    line.len()
                ),
            ));
        }
    }
    if control_chars(text) * 20 > char_count(text) {
        return Err(problem(
            None,
            "is mostly control characters; this looks like a binary file, not text".into(),
        ));
    }
    Ok(())
}

/// `text.chars().count()`, by bytes: every byte but a UTF-8 continuation byte starts a char.
fn char_count(text: &str) -> usize {
    text.bytes().filter(|&b| (b as i8) >= -0x40).count()
}

/// The control characters of `text` (`char::is_control`: U+0000–U+001F and U+007F–U+009F)
/// other than line breaks, tabs and form feeds, by bytes: U+0080–U+009F are encoded as `C2 80`
/// to `C2 9F`.
fn control_chars(text: &str) -> usize {
    let bytes = text.as_bytes();
    let ascii = bytes
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)) || b == 0x7f)
        .count();
    let c1 = if bytes.contains(&0xc2) {
        bytes
            .windows(2)
            .filter(|w| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1]))
            .count()
    } else {
        0
    };
    ascii + c1
}

mod assemble;
mod evidence;
mod lines;
#[cfg(test)]
mod tests;

use assemble::*;
use evidence::*;
use lines::*;

/// Cuts a dump into articles. Errors are `(line, message)`.
pub(crate) fn parse(text: &str) -> Result<Parsed, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (lines, boilerplate) = read_lines(text);
    let mut blocks: Vec<Block> = Vec::new();
    for line in lines {
        let new_body = line.kind == Kind::Para && line.dateline.is_some();
        // A table row keeps its spacing; its dateline goes to the article.
        let (text, dateline) = match (line.row, line.dateline) {
            (true, Some(at)) => (
                line.rest().1.to_string(),
                Some(line.clean[..at].trim().to_string()),
            ),
            (true, None) if line.list => (line.clean, None),
            (true, None) => (line.raw.to_string(), None),
            (false, _) => (line.clean, None),
        };
        match blocks.last_mut() {
            // Repeats of one headline make one group; another headline starts its own.
            Some(b)
                if b.kind == line.kind
                    && !new_body
                    && (b.kind != Kind::Head || b.lines.last().is_some_and(|l| l.1 == text)) =>
            {
                b.lines.push((line.n, text));
                b.rows.push(line.row);
            }
            _ => blocks.push(Block {
                kind: line.kind,
                lines: vec![(line.n, text)],
                rows: vec![line.row],
                dateline,
            }),
        }
    }
    let bodies: Vec<usize> = (0..blocks.len())
        .filter(|&i| blocks[i].kind == Kind::Para)
        .collect();
    // Whether the bodies have `MIN_WORDS` words: counted no further.
    let enough_words = bodies
        .iter()
        .flat_map(|&i| &blocks[i].lines)
        .flat_map(|(_, l)| l.split_whitespace())
        .nth(MIN_WORDS - 1)
        .is_some();
    // A brief (a headline over a few rows of figures) is an article however few its words.
    let brief = bodies.iter().any(|&i| blocks[i].rows.iter().any(|&r| r))
        && blocks.iter().any(|b| b.kind == Kind::Head);
    if bodies.is_empty() || (!enough_words && !brief) {
        return Err(problem(
            None,
            "no recognizable article: expected paragraphs of text, one per line, with a headline"
                .into(),
        ));
    }
    let words: Vec<Words> = blocks.par_iter().map(Words::of).collect();
    let owner = attach(&blocks, &words, &bodies);
    // The blocks of each body, in order.
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); blocks.len()];
    for (i, &o) in owner.iter().enumerate() {
        members[o].push(i);
    }
    let mut warnings = Vec::new();
    let articles = bodies
        .iter()
        .map(|&b| assemble(&blocks, &words, b, &members[b], &mut warnings))
        .collect();
    super::drop_on_pool((blocks, words));
    Ok(Parsed {
        articles,
        boilerplate,
        warnings,
    })
}
