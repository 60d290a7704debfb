//! Wire tables: telling figure lines and table rows apart from prose and headlines by their
//! shape, and writing a run of rows as Markdown (a table when the columns line up, else a list).
//!
//! Shapes, never vocabulary of one source: a comparison row (`Shr 47 cts vs 31 cts`), a row
//! whose columns are separated by runs of spaces or tabs (`Wheat   2.55   2.40`), a label with
//! a dotted leader (`Copper ........ 1,204`), and — only next to such rows — short figure
//! lines (`Pay April 2`, `Six mths`). Where a line goes in the dump is `text`'s job; turning
//! rows into Markdown is this module's.

use std::sync::LazyLock;

use regex::Regex;

/// The header of a comparison table: a row is `label | this period | last period`.
const COMPARISON_HEADER: [&str; 3] = ["Item", "This period", "Last period"];

/// Number words that stand for a figure in wire copy (`Shr one dlr vs 73 cts`).
const NUMBER_WORDS: &[&str] = &[
    "nil", "none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "half",
];

/// A word that is (or holds) a figure: digits, or a number word.
pub(crate) fn is_figure(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_digit())
        || word
            .split('-')
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .any(|w| NUMBER_WORDS.iter().any(|n| w.eq_ignore_ascii_case(n)))
}

/// A short sentence that is mostly figures (`Maize Mar 48.0, total 48.0 (nil).`): a row
/// written with a final period.
pub(crate) fn is_figure_sentence(line: &str) -> bool {
    at_most_words(line, 10) && line.split_whitespace().filter(|w| is_figure(w)).count() >= 2
}

/// Whether `line` has at most `n` words, without counting past `n + 1`: most lines these
/// shape tests see are paragraphs of a hundred words, ruled out by their length first.
fn at_most_words(line: &str, n: usize) -> bool {
    line.split_whitespace().nth(n).is_none()
}

/// Four or more words that start with a letter, all capitalized: how headlines are written,
/// and table rows are not (`Shr 47 cts`, `Net profit 1.2 mln`).
pub(crate) fn title_cased(line: &str) -> bool {
    let mut n = 0;
    let words: Vec<&str> = line.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        // A word before a number is a date or a label with its figure (`April 30`, `Revs 5`).
        if words
            .get(i + 1)
            .is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit()))
        {
            continue;
        }
        let Some(c) = w.chars().find(|c| c.is_alphanumeric() || *c == '<') else {
            continue;
        };
        if c.is_alphabetic() {
            if !c.is_uppercase() {
                return false;
            }
            n += 1;
        }
    }
    n >= 4
}

/// Two or more words that start with a letter, all capitalized (`Uap Makes Acquisitions`): a
/// short headline, where a short row reads `Loans not given`.
pub(crate) fn capitalized(line: &str) -> bool {
    let words: Vec<char> = line
        .split_whitespace()
        .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
        .filter(|c| c.is_alphabetic())
        .collect();
    words.len() >= 2 && words.iter().all(|c| c.is_uppercase())
}

/// `… U.S.`, `… n.a.`: the last word has a period inside it as well as at its end, so the
/// final period does not end a sentence.
pub(crate) fn ends_with_abbreviation(line: &str) -> bool {
    line.split_whitespace()
        .next_back()
        .and_then(|w| w.strip_suffix('.'))
        .is_some_and(|w| w.contains('.'))
}

/// `vs`, `vs.` or `versus` as a word between two non-empty sides.
fn comparison_at(words: &[&str]) -> Option<usize> {
    let at = words
        .iter()
        .rposition(|w| matches!(w.to_ascii_lowercase().as_str(), "vs" | "vs." | "versus"))?;
    (at > 0 && at + 1 < words.len()).then_some(at)
}

/// The cells of a row whose columns are separated by runs of two or more spaces, or tabs. A
/// gap after the end of a sentence (`rose.  Then`) is a typist's double space, not a column.
pub(crate) fn cells(line: &str) -> Vec<&str> {
    let line = line.trim();
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' || bytes[i] == b'\t' {
            let gap_start = i;
            while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
                i += 1;
            }
            let wide = i - gap_start >= 2 || line[gap_start..i].contains('\t');
            let after_sentence = line[..gap_start].ends_with(['.', '!', '?'])
                && line[i..].starts_with(|c: char| c.is_uppercase());
            if wide && !after_sentence && i < bytes.len() {
                out.push(line[start..gap_start].trim());
                start = i;
            }
        } else {
            i += 1;
        }
    }
    if start < line.len() {
        out.push(line[start..].trim());
    }
    out.retain(|c| !c.is_empty());
    out
}

static LEADER: LazyLock<Regex> = LazyLock::new(|| {
    // A label, a run of dots (or `. . .`, or an ellipsis character), then a short figure.
    Regex::new(r"^(?P<label>\S.*?)\s?(?:\.{3,}|(?:\.\s){2,}\.|…+)\s*(?P<value>\S+(?:\s\S+){0,2})$")
        .expect("valid regex")
});

/// Compiles the dotted-leader pattern now (see `ingest::compile_patterns_ahead`).
pub(crate) fn compile_patterns() {
    LazyLock::force(&LEADER);
}

/// A dotted-leader row: `(label, value)`.
fn leader(line: &str) -> Option<(&str, &str)> {
    let m = LEADER.captures(line)?;
    let (label, value) = (m.name("label")?.as_str(), m.name("value")?.as_str());
    let ok = label.split_whitespace().count() <= 8
        && value.split_whitespace().any(is_figure)
        && !label.ends_with(['.', '!', '?']);
    ok.then_some((label.trim(), value.trim()))
}

/// A comparison row: short, `… vs …` with a figure, and not a sentence or a headline.
fn is_comparison(line: &str) -> bool {
    // At most 120 chars is at most 480 bytes.
    if line.len() > 4 * 120 || line.chars().count() > 120 || !at_most_words(line, 16) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    comparison_at(&words).is_some()
        && words.iter().any(|w| is_figure(w))
        && (!line.ends_with('.') || ends_with_abbreviation(line))
        && !title_cased(line)
}

/// A comparison with more words than a row has (`Qtly div from income 5.1 cts vs 3.0 dlrs
/// in prior qtr including …`), not written as a sentence.
pub(crate) fn is_long_comparison(line: &str) -> bool {
    if !at_most_words(line, 30) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() <= 30
        && comparison_at(&words).is_some()
        && words.iter().any(|w| is_figure(w))
        && !line.ends_with('.')
}

/// A comparison written as a sentence (`Net profit 305 mln vs 258 mln.`): prose to show, but
/// still a line of figures that a note may follow.
pub(crate) fn is_comparison_sentence(line: &str) -> bool {
    line.strip_suffix('.').is_some_and(is_comparison)
}

/// A figure followed by the earlier one in brackets (`CD rates 4.27 pct (4.32)`,
/// `Sorghum nil (nil)`): a row comparing two periods.
fn is_bracketed_comparison(line: &str) -> bool {
    if !at_most_words(line, 12) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some((last, before)) = words.split_last() else {
        return false;
    };
    words.len() <= 12
        && last.starts_with('(')
        && last.ends_with(')')
        && is_figure(last)
        && before.iter().any(|w| is_figure(w))
        && !title_cased(line)
}

/// Whether `raw` (a line with its own spacing) is a table row by its shape alone.
pub(crate) fn is_row(raw: &str) -> bool {
    let line = raw.trim();
    if line.is_empty() || line.chars().count() > 160 {
        return false;
    }
    if is_comparison(line) || is_bracketed_comparison(line) || leader(line).is_some() {
        return true;
    }
    let cells = cells(line);
    cells.len() >= 2
        && cells.iter().all(|c| c.split_whitespace().count() <= 6)
        && !(cells.len() == 2 && title_cased(line))
}

/// A short figure line (`Pay April 2`, `Revs 10.7 mln`, `Six mths`, `Year`): part of a table
/// when it sits next to rows, a headline never.
pub(crate) fn is_figure_line(line: &str) -> bool {
    // At most 60 chars is at most 240 bytes.
    if line.len() > 4 * 60 || !at_most_words(line, 8) {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 8
        && line.chars().count() <= 60
        && !line.ends_with('.')
        && (words.len() <= 2 || words.iter().any(|w| is_figure(w)))
        && !title_cased(line)
}

/// One row, split into its parts.
#[derive(Debug, PartialEq)]
enum Row<'a> {
    /// `label | this period | last period`
    Comparison([&'a str; 3]),
    /// A label alone (`Six mths`): a section of a comparison table.
    Section(&'a str),
    /// Columns separated by gaps or a dotted leader.
    Columns(Vec<&'a str>),
    /// Anything else: shown as a list item.
    Other,
}

fn parse_row(line: &str) -> Row<'_> {
    let line = line.trim();
    if let Some((label, value)) = leader(line) {
        return Row::Columns(vec![label, value]);
    }
    let cells = cells(line);
    if cells.len() >= 2 {
        return Row::Columns(cells);
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if let Some(at) = comparison_at(&words)
        && let Some(split) = value_start(&words[..at], &words[at + 1..])
    {
        let span = |from: &str, to: &str| {
            let a = from.as_ptr() as usize - line.as_ptr() as usize;
            let b = to.as_ptr() as usize - line.as_ptr() as usize + to.len();
            &line[a..b]
        };
        return Row::Comparison([
            span(words[0], words[split - 1]),
            span(words[split], words[at - 1]),
            span(words[at + 1], words[words.len() - 1]),
        ]);
    }
    let section = words.len() <= 2 || (words.len() == 3 && !words.iter().any(|w| is_figure(w)));
    if section && !line.ends_with(':') {
        return Row::Section(line);
    }
    Row::Other
}

/// Where the figure starts on the left of `vs`: at the word the right side starts with when
/// that is a word (`loss 5 cts vs loss 3 cts`), else at the first figure. The label before it
/// must not be empty.
fn value_start(left: &[&str], right: &[&str]) -> Option<usize> {
    let first = right.first()?;
    let at = if !is_figure(first) && first.chars().all(char::is_alphabetic) {
        left.iter()
            .rposition(|w| w.eq_ignore_ascii_case(first))
            .or_else(|| left.iter().position(|w| is_figure(w)))?
    } else {
        left.iter().position(|w| is_figure(w))?
    };
    (at > 0).then_some(at)
}

/// A table cell: `|` escaped, and nothing Markdown would read as emphasis at its edges.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|")
}

/// Backslash-escapes a list item's start so the row shows as written.
fn item(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.replace('\\', "\\\\");
    match text.chars().next() {
        Some('#' | '>' | '-' | '+' | '*' | '|' | '=' | '`' | '~') => format!("\\{text}"),
        Some(c) if c.is_ascii_digit() => {
            // `1. ` or `1) ` would start an ordered list inside the item.
            let digits = text.chars().take_while(char::is_ascii_digit).count();
            if text[digits..].starts_with(['.', ')']) {
                format!("{}\\{}", &text[..digits], &text[digits..])
            } else {
                text
            }
        }
        _ => text,
    }
}

/// The rows of one table as Markdown: a table when they line up (every row a comparison or a
/// section label, or every row with the same number of columns), else a list, one row per item.
/// Rows keep their order and their words.
pub(crate) fn to_markdown(rows: &[String]) -> String {
    let parsed: Vec<Row> = rows.iter().map(|r| parse_row(r)).collect();
    let comparisons = parsed
        .iter()
        .all(|r| matches!(r, Row::Comparison(_) | Row::Section(_)))
        && parsed.iter().any(|r| matches!(r, Row::Comparison(_)));
    if comparisons {
        let mut out = table_line(COMPARISON_HEADER.iter().map(|h| h.to_string()));
        out.push_str("\n|---|---:|---:|");
        for r in &parsed {
            let cells = match r {
                Row::Comparison(c) => c.map(cell),
                Row::Section(s) => [format!("**{}**", cell(s)), String::new(), String::new()],
                _ => unreachable!("checked above"),
            };
            out.push('\n');
            out.push_str(&table_line(cells.into_iter()));
        }
        return out;
    }
    let widths: Vec<usize> = parsed
        .iter()
        .map(|r| match r {
            Row::Columns(c) => c.len(),
            _ => 0,
        })
        .collect();
    if rows.len() >= 2 && widths[0] >= 2 && widths.iter().all(|&w| w == widths[0]) {
        let mut out = String::new();
        for (i, r) in parsed.iter().enumerate() {
            let Row::Columns(c) = r else {
                unreachable!("checked above")
            };
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&table_line(c.iter().map(|x| cell(x))));
            if i == 0 {
                out.push_str("\n|");
                out.push_str(&"---|".repeat(c.len()));
            }
        }
        return out;
    }
    rows.iter()
        .map(|r| format!("- {}", item(r)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn table_line(cells: impl Iterator<Item = String>) -> String {
    let mut out = String::from("|");
    for c in cells {
        out.push(' ');
        out.push_str(&c);
        out.push_str(" |");
    }
    out
}

/// A row as plain text for summaries and entities: its words, single-spaced.
pub(crate) fn plain(row: &str) -> String {
    row.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn rows_by_shape() {
        for line in [
            "Shr 52 cts vs 40 cts",
            "Net profit 3,120,000 vs loss 415,000",
            "Sales 88.4 mln vs 91.2 mln",
            "Shr two cts vs n.a.",
            "Oper shr loss four cts versus profit 11 cts",
            "Barley      1.62     1.58",
            "Oats\t0.97\t1.01",
            "Average deposit rates 4.27 pct (4.32)",
            "NORTHPORT        nil          12,400",
            "Copper cathodes ........ 1,204",
            "Zinc . . . . 880 tonnes",
        ] {
            assert!(is_row(line), "{line}");
        }
        for line in [
            "Harbour Board Approves 40 Mln Dlr Dredging Plan",
            "Rivals Meet Again: Lakers Vs Celtics 102 To 99 Tonight",
            "The board said sales rose to 88 mln dlrs vs 91 mln a year earlier, and it expects a recovery next spring.",
            "Profits fell.  The company blamed the weather.",
            "The mine, which opened in 1990, employs 400 people",
            "Wait for it...",
        ] {
            assert!(!is_row(line), "{line}");
        }
    }

    #[test]
    fn figure_lines_are_short_and_hold_a_figure() {
        for line in [
            "Pay April 2",
            "Record March 20",
            "Six mths",
            "Year",
            "Revs 10.7 mln",
        ] {
            assert!(is_figure_line(line), "{line}");
        }
        for line in [
            "Harbour Board Approves 40 Mln Dlr Dredging Plan",
            "Dredging work starts on the north quay in May",
            "Shares rose 4 pct.",
        ] {
            assert!(!is_figure_line(line), "{line}");
        }
    }

    #[test]
    fn comparison_rows_become_a_three_column_table_with_sections() {
        let md = to_markdown(&rows(&[
            "Shr 52 cts vs 40 cts",
            "Net loss 1,200,000 vs loss 950,000",
            "Nine mths",
            "Shr one dlr vs 87 cts",
        ]));
        assert_eq!(
            md,
            "| Item | This period | Last period |\n\
             |---|---:|---:|\n\
             | Shr | 52 cts | 40 cts |\n\
             | Net | loss 1,200,000 | loss 950,000 |\n\
             | **Nine mths** |  |  |\n\
             | Shr | one dlr | 87 cts |"
        );
    }

    #[test]
    fn aligned_columns_become_a_table_and_ragged_rows_a_list() {
        assert_eq!(
            to_markdown(&rows(&[
                "Port    Wheat   Maize",
                "Ardmore   1.20   0.95",
                "Kelso   1.31   n/a"
            ])),
            "| Port | Wheat | Maize |\n|---|---|---|\n| Ardmore | 1.20 | 0.95 |\n| Kelso | 1.31 | n/a |"
        );
        assert_eq!(
            to_markdown(&rows(&[
                "Qtly div 12 cts vs 12 cts prior",
                "Pay May 4",
                "Record | April 20"
            ])),
            "- Qtly div 12 cts vs 12 cts prior\n- Pay May 4\n- Record | April 20"
        );
        assert_eq!(
            to_markdown(&rows(&["1. first", "# two"])),
            "- 1\\. first\n- \\# two"
        );
    }

    #[test]
    fn cells_split_at_wide_gaps_only() {
        assert_eq!(cells("  Due: 27    35 "), ["Due: 27", "35"]);
        assert_eq!(
            cells("North End:  13 hrs      15 hrs"),
            ["North End:", "13 hrs", "15 hrs"]
        );
        assert_eq!(cells("Rose.  Then fell"), ["Rose.  Then fell"]);
        assert_eq!(cells("a\tb"), ["a", "b"]);
    }
}
