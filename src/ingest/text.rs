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
use super::{Parsed, RawArticle, table, tokens};

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
pub(crate) fn check(text: &str) -> Result<(), (Option<usize>, String)> {
    if text.trim().is_empty() {
        return Err((
            None,
            "is empty (nothing but whitespace); expected at least one article".into(),
        ));
    }
    for (i, line) in text.split('\n').enumerate() {
        if line.contains('\0') {
            return Err((
                Some(i + 1),
                "contains a NUL byte; this looks like a binary file, not text".into(),
            ));
        }
        if line.len() > MAX_LINE {
            return Err((
                Some(i + 1),
                format!(
                    "line is {} bytes long; lines over 1 MB are refused",
                    line.len()
                ),
            ));
        }
    }
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    if controls * 20 > text.chars().count() {
        return Err((
            None,
            "is mostly control characters; this looks like a binary file, not text".into(),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Para,
    Head,
    Bullet,
}

#[derive(Debug)]
struct Block {
    kind: Kind,
    /// (1-based line number, text): cleaned, or for a table row trimmed with its own spacing.
    lines: Vec<(usize, String)>,
    /// Per line of a body: whether it is a table row (see `table`).
    rows: Vec<bool>,
    /// The dateline a body opened with on a table row (`PLACE, Feb 26 -`), taken off the row.
    dateline: Option<String>,
}

fn kind_of(line: &str) -> Kind {
    if bullet_text(line).is_some_and(|rest| !rest.is_empty()) {
        return Kind::Bullet;
    }
    let words = line.split_whitespace().count();
    let core = line.trim_end_matches(['"', '”', '’', '\'', ')']);
    let ends_like_sentence = (line.ends_with(['.', ',', ';', ':'])
        || line.ends_with("--")
        || line.ends_with(" -")
        || line.ends_with(".”")
        || line.ends_with(".\""))
        // A headline may end with an abbreviation (`… Trade Deal With U.S.`).
        && !(core.ends_with('.') && table::ends_with_abbreviation(core) && table::title_cased(line));
    let starts_well = line.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '“' | '"' | '‘' | '<' | '(')
    });
    // A line wholly in brackets is an aside (`(Acme Holdings Inc)`), not a headline.
    let aside = line.starts_with('(') && line.ends_with(')');
    if words <= 20
        && line.chars().count() <= 160
        && !ends_like_sentence
        && !aside
        && starts_well
        && split_dateline(line).is_none()
    {
        Kind::Head
    } else {
        Kind::Para
    }
}

/// One line of a dump as first read.
struct Line<'a> {
    n: usize,
    /// The line trimmed, with its own spacing (table columns).
    raw: &'a str,
    clean: String,
    kind: Kind,
    row: bool,
    /// The dateline prefix of a body's first line (`PLACE, Feb 26 - `), in `clean`.
    dateline: Option<usize>,
    /// Boilerplate was dropped right before this line.
    after_boilerplate: bool,
    /// A bullet that is an item of a list inside a body (its text is `clean`, without marker).
    list: bool,
}

impl Line<'_> {
    /// The line without its dateline: cleaned, and with its own spacing.
    fn rest(&self) -> (&str, &str) {
        match self.dateline {
            Some(len) => {
                let skip = self.clean[..len].split_whitespace().count();
                (&self.clean[len..], skip_words(self.raw, skip))
            }
            None => (&self.clean, self.raw),
        }
    }
}

/// `text` after its first `n` words (and the whitespace after them).
fn skip_words(text: &str, n: usize) -> &str {
    let mut rest = text.trim_start();
    for _ in 0..n {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest = rest[end..].trim_start();
    }
    rest
}

/// Reads the lines of a dump: kind by shape, then table rows by their neighbours.
fn read_lines(text: &str) -> (Vec<Line<'_>>, usize) {
    let mut lines: Vec<Line> = Vec::new();
    let mut boilerplate = 0;
    let mut dropped = false;
    for (i, raw) in text.split('\n').enumerate() {
        let clean = clean_line(raw);
        if clean.is_empty() {
            continue;
        }
        if is_boilerplate(&clean) {
            boilerplate += 1;
            dropped = true;
            continue;
        }
        let mut kind = kind_of(&clean);
        let (clean, dateline) = if kind == Kind::Bullet {
            (bullet_text(&clean).unwrap_or_default().to_string(), None)
        } else {
            let at = split_dateline(&clean).map(|(_, rest)| clean.len() - rest.len());
            (clean, at)
        };
        let mut line = Line {
            n: i + 1,
            raw: raw.trim(),
            clean,
            kind,
            row: false,
            dateline,
            after_boilerplate: std::mem::take(&mut dropped),
            list: false,
        };
        if kind != Kind::Bullet && table::is_row(line.rest().1) {
            kind = Kind::Para;
            line.kind = kind;
            line.row = true;
        }
        lines.push(line);
    }
    // A body that opens on a short figure line followed by more (`PLACE - Shr not given`,
    // `Loss 5.1 mln`) opens a table.
    for i in 0..lines.len().saturating_sub(1) {
        if lines[i].kind == Kind::Para
            && !lines[i].row
            && lines[i].dateline.is_some()
            && opens_table(lines[i].rest().0)
            && figure_line_in_table(&lines, i + 1)
        {
            lines[i].row = true;
        }
    }
    // Two different figure lines in a row under a body line start a table there (`Payable
    // April 20`, `Record April 8`): a headline stands alone, or is repeated.
    for i in 1..lines.len().saturating_sub(1) {
        let (before, line, next) = (&lines[i - 1], &lines[i], &lines[i + 1]);
        let figure = |l: &Line| {
            l.kind == Kind::Head && l.dateline.is_none() && table::is_figure_line(&l.clean)
        };
        if before.kind == Kind::Para
            && !line.after_boilerplate
            && figure(line)
            && ((figure(next) && next.clean != line.clean) || (next.row && next.dateline.is_none()))
            && !lines.get(i + 2).is_some_and(|n| n.kind == Kind::Bullet)
        {
            lines[i].kind = Kind::Para;
            lines[i].row = true;
        }
    }
    // Short figure lines right after a row continue the table (`Pay April 2`, `Six mths`)
    // unless they are a headline by layout: repeated, or with bullets under them.
    for i in 1..lines.len() {
        if figure_line_in_table(&lines, i) {
            lines[i].kind = Kind::Para;
            lines[i].row = true;
        }
    }
    // One or two lines between a body line and the rows they introduce are the table's intro
    // (in sentence case: `Projections in mln tonnes include`) and header (capitalized:
    // `FOURTH QTR 1986 JANUARY 1987`): a headline is followed by its story, not by rows.
    for i in 1..lines.len().saturating_sub(1) {
        let run = (1..=2).find(|&k| {
            lines
                .get(i + k)
                .is_some_and(|r| r.row && r.dateline.is_none())
                && lines[i..i + k]
                    .iter()
                    .all(|l| l.kind == Kind::Head && !l.after_boilerplate)
        });
        if let Some(k) = run
            && lines[i - 1].kind == Kind::Para
        {
            for l in &mut lines[i..i + k] {
                l.kind = Kind::Para;
                l.row = table::capitalized(&l.clean);
            }
        }
    }
    // Notes under a table (`Note: 1986 includes a gain of …`, `Figures are unaudited`) are
    // prose of that story, not headlines: in sentence case, and not followed by what follows a
    // headline (a dateline, bullets, the same line again).
    // `NOTE: …` or `YEAR - …` under a table reads like a `PLACE: ` dateline but starts no
    // article either.
    // Notes run a few lines at most: farther down, a dateline opens the next story again.
    let mut since_table = usize::MAX;
    for i in 1..lines.len() {
        let before = &lines[i - 1];
        since_table = if before.row || table::is_comparison_sentence(before.rest().0) {
            0
        } else if before.kind == Kind::Para && before.dateline.is_none() {
            since_table.saturating_add(1)
        } else {
            usize::MAX
        };
        let after_table = since_table <= 2;
        if let Some(at) = lines[i].dateline
            && after_table
            && !lines[i].after_boilerplate
            && lines[i].clean[..at].split_whitespace().count() <= 2
        {
            lines[i].dateline = None;
        }
        let next = lines.get(i + 1);
        if lines[i].kind == Kind::Head
            && after_table
            && !lines[i].after_boilerplate
            && !table::capitalized(&lines[i].clean)
            && !next.is_some_and(|n| {
                n.dateline.is_some() || n.kind == Kind::Bullet || n.clean == lines[i].clean
            })
        {
            lines[i].kind = Kind::Para;
        }
    }
    // Bullets right under a body line (not under a headline, as a summary is) are a list in
    // that body: an item each, like table rows.
    for i in 1..lines.len() {
        if lines[i].kind == Kind::Bullet
            && lines[i - 1].kind == Kind::Para
            && !lines[i].after_boilerplate
        {
            lines[i].kind = Kind::Para;
            lines[i].row = true;
            lines[i].list = true;
        }
    }
    (lines, boilerplate)
}

/// Whether the rest of a body's first line (after its dateline) can open a table: a figure
/// line, a few words (`Shr not given`), or a comparison too long for a row.
fn opens_table(rest: &str) -> bool {
    table::is_figure_line(rest)
        || (rest.split_whitespace().count() <= 4 && !table::capitalized(rest))
        || table::is_long_comparison(rest)
}

/// Whether line `i` is a short figure line that continues the table on the line before it.
fn figure_line_in_table(lines: &[Line], i: usize) -> bool {
    let line = &lines[i];
    let before = i.checked_sub(1).map(|j| &lines[j]);
    let next = lines.get(i + 1);
    line.kind == Kind::Head
        && !line.after_boilerplate
        && line.dateline.is_none()
        && before.is_some_and(|b| {
            let (rest, _) = b.rest();
            let intro = b.kind == Kind::Para
                && !b.row
                && (rest.ends_with([':', ',', '-']) || table::is_figure_sentence(rest));
            // Between two rows: a table's header or section (`Average rates of all banks`).
            let inside = b.row
                && b.dateline.is_none()
                && next.is_some_and(|n| n.row && n.dateline.is_none());
            // A few words under a row (`Loans not given`) continue it too.
            let short = b.row
                && line.clean.split_whitespace().count() <= 4
                && !table::capitalized(&line.clean);
            let header = table::cells(line.raw).len() >= 2
                && next.is_some_and(|n| n.row && n.dateline.is_none());
            inside
                || (table::is_figure_line(&line.clean) || header || short)
                    && (b.row || intro || (b.dateline.is_some() && opens_table(rest)))
        })
        && !next.is_some_and(|n| n.kind == Kind::Bullet || n.clean == line.clean)
}

fn bullet_text(line: &str) -> Option<&str> {
    ["- ", "• ", "* ", "· ", "▪ "]
        .iter()
        .find_map(|m| line.strip_prefix(m))
        .map(str::trim)
}

/// Cuts a dump into articles. Errors are `(line, message)`.
pub(crate) fn parse(text: &str) -> Result<Parsed, (Option<usize>, String)> {
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
    let words: usize = bodies
        .iter()
        .flat_map(|&i| &blocks[i].lines)
        .map(|(_, l)| l.split_whitespace().count())
        .sum();
    // A brief (a headline over a few rows of figures) is an article however few its words.
    let brief = bodies.iter().any(|&i| blocks[i].rows.iter().any(|&r| r))
        && blocks.iter().any(|b| b.kind == Kind::Head);
    if bodies.is_empty() || (words < MIN_WORDS && !brief) {
        return Err((
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
    Ok(Parsed {
        articles,
        boilerplate,
        warnings,
    })
}

/// For every block, the index of the body block it belongs to.
fn attach(blocks: &[Block], words: &[Words], bodies: &[usize]) -> Vec<usize> {
    let mut owner: Vec<usize> = (0..blocks.len()).collect();
    let neighbours = |i: usize| {
        let at = bodies.partition_point(|&b| b < i);
        let prev = at.checked_sub(1).map(|k| bodies[k]);
        let next = bodies[at..].iter().find(|&&b| b > i).copied();
        (prev, next)
    };
    let pick = |prev: Option<usize>,
                next: Option<usize>,
                score: &dyn Fn(usize) -> f64,
                tie: Option<usize>| match (prev, next) {
        (Some(p), Some(n)) => {
            let (sp, sn) = (score(p), score(n));
            if (sp - sn).abs() < 0.1 {
                tie.unwrap_or(n)
            } else if sp > sn {
                p
            } else {
                n
            }
        }
        (Some(p), None) => p,
        (None, Some(n)) => n,
        (None, None) => unreachable!("there is at least one body"),
    };
    for i in (0..blocks.len()).filter(|&i| blocks[i].kind == Kind::Head) {
        let (prev, next) = neighbours(i);
        owner[i] = pick(prev, next, &|b| headline_score(&words[i], &words[b]), None);
        // Right under a table, a sentence-case line that shares at least as much with the
        // table as with the story after it is a note of the table's story, not a headline.
        if let (Some(p), Some(n)) = (prev, next)
            && p + 1 == i
            && blocks[p].rows.last() == Some(&true)
            && blocks[i].lines.iter().all(|(_, l)| is_note(l))
            && headline_score(&words[i], &words[p]) >= headline_score(&words[i], &words[n])
        {
            owner[i] = p;
        }
    }
    for i in (0..blocks.len()).filter(|&i| blocks[i].kind == Kind::Bullet) {
        let (prev, next) = neighbours(i);
        let beside_head = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .find(|&j| blocks.get(j).is_some_and(|b| b.kind == Kind::Head))
            .map(|j| owner[j]);
        owner[i] = pick(
            prev,
            next,
            &|b| bullet_score(&words[i], &words[b]),
            beside_head.or(prev),
        );
        // Bullets right after a headline are that headline's summary, in both layouts that
        // have them ([body, headline, bullets] and [headline, bullets, body]). Bullets restate
        // whole sentences, which is far stronger evidence than a headline's few words: when
        // they clearly point at one body, their headline goes there too.
        if let (Some(p), Some(n)) = (prev, next)
            && i > 0
            && blocks[i - 1].kind == Kind::Head
        {
            let (sp, sn) = (
                bullet_score(&words[i], &words[p]),
                bullet_score(&words[i], &words[n]),
            );
            if (sp - sn).abs() >= 0.2 {
                owner[i - 1] = owner[i];
            }
        }
    }
    // A body left without any headline takes the headline group right next to it when the
    // body that group went to has another one (`[table, title, title][title, body]`).
    for &b in bodies {
        if owner
            .iter()
            .enumerate()
            .any(|(i, &o)| o == b && blocks[i].kind == Kind::Head)
        {
            continue;
        }
        // Bullets under a headline sit between it and the body: look past them.
        let before = match b.checked_sub(1) {
            Some(j) if blocks[j].kind == Kind::Bullet => j.checked_sub(1),
            j => j,
        };
        let beside = [Some(b + 1), before].into_iter().flatten().find(|&j| {
            blocks.get(j).is_some_and(|h| h.kind == Kind::Head) && {
                let other = owner[j];
                (0..blocks.len())
                    .filter(|&i| i != j && owner[i] == other && blocks[i].kind == Kind::Head)
                    .count()
                    > 0
            }
        });
        if let Some(j) = beside {
            let from = owner[j];
            owner[j] = b;
            // Its bullets come along.
            if j + 2 == b && owner[j + 1] == from {
                owner[j + 1] = b;
            }
        }
    }
    owner
}

/// A line that may be a note under a table: a few words or more, not all capitalized as a
/// headline is.
fn is_note(line: &str) -> bool {
    line.split_whitespace().count() >= 4 && !table::capitalized(line)
}

/// The content words of a block, worked out once: per line for headlines and bullets; for
/// a body, in the whole and per sentence.
struct Words {
    lines: Vec<WordSet>,
    whole: WordSet,
    sentences: Vec<WordSet>,
}

impl Words {
    fn of(block: &Block) -> Words {
        let (whole, sentences) = if block.kind == Kind::Para {
            // A table's rows count as one sentence: bullets made from a table restate rows.
            let mut pieces: Vec<String> = Vec::new();
            let mut in_table = false;
            for ((_, l), &row) in block.lines.iter().zip(&block.rows) {
                match (row, in_table) {
                    (true, true) => {
                        let last = pieces.last_mut().expect("a table is open");
                        last.push(' ');
                        last.push_str(l);
                    }
                    (true, false) => pieces.push(l.clone()),
                    (false, _) => {
                        pieces.extend(tokens::sentences(l).into_iter().map(str::to_string))
                    }
                }
                in_table = row;
            }
            let sentences: Vec<WordSet> = pieces.iter().map(|p| word_set(p)).collect();
            // Sentences are cut at spaces, so their words together are the body's words.
            let mut whole: Vec<u64> = sentences.iter().flat_map(|s| &s.0).copied().collect();
            whole.sort_unstable();
            whole.dedup();
            (WordSet(whole), sentences)
        } else {
            (WordSet::default(), Vec::new())
        };
        let lines = if block.kind == Kind::Para {
            Vec::new()
        } else {
            block.lines.iter().map(|(_, l)| word_set(l)).collect()
        };
        Words {
            lines,
            whole,
            sentences,
        }
    }
}

/// Distinct content words as sorted xxh3 hashes: the same overlaps as sets of strings (a
/// 64-bit collision aside), without a string per word.
#[derive(Default)]
struct WordSet(Vec<u64>);

fn word_set(text: &str) -> WordSet {
    let mut hashes = Vec::new();
    tokens::for_each_content_word(text, |w| hashes.push(xxh3_64(w.as_bytes())));
    hashes.sort_unstable();
    hashes.dedup();
    WordSet(hashes)
}

/// Share of the headline's words that occur in the body (best line of the group).
fn headline_score(heads: &Words, body: &Words) -> f64 {
    heads
        .lines
        .iter()
        .map(|h| overlap(h, &body.whole))
        .fold(0.0, f64::max)
}

/// How well the bullets restate the body: for each bullet, the best share of its words found
/// in one sentence of the body; averaged over the bullets.
fn bullet_score(bullets: &Words, body: &Words) -> f64 {
    let scores: Vec<f64> = bullets
        .lines
        .iter()
        .map(|bw| {
            body.sentences
                .iter()
                .map(|s| overlap(bw, s))
                .fold(0.0, f64::max)
        })
        .collect();
    scores.iter().sum::<f64>() / scores.len().max(1) as f64
}

fn overlap(part: &WordSet, whole: &WordSet) -> f64 {
    if part.0.is_empty() {
        return 0.0;
    }
    let shared = part
        .0
        .iter()
        .filter(|h| whole.0.binary_search(h).is_ok())
        .count();
    shared as f64 / part.0.len() as f64
}

/// `members`: the blocks that belong to `body`, in order.
fn assemble(
    blocks: &[Block],
    words: &[Words],
    body: usize,
    members: &[usize],
    warnings: &mut Vec<(Option<usize>, String)>,
) -> RawArticle {
    let mine = |kind: Kind| {
        members
            .iter()
            .copied()
            .filter(move |&i| blocks[i].kind == kind)
    };
    let bw = &words[body].whole;
    let mut heads: Vec<(usize, &str, f64)> = mine(Kind::Head)
        .flat_map(|i| blocks[i].lines.iter().zip(&words[i].lines))
        .map(|((n, h), hw)| (*n, h.as_str(), overlap(hw, bw)))
        .collect();
    heads.dedup_by(|a, b| a.1 == b.1);
    // Lines right under a table that ends this body may be its notes: a headline elsewhere
    // wins over them.
    let block = &blocks[body];
    let under_table = |n: usize| {
        block.rows.last() == Some(&true)
            && members.contains(&(body + 1))
            && blocks[body + 1].lines.iter().any(|(m, _)| *m == n)
    };
    let note_like = |&(n, h, _): &(usize, &str, f64)| under_table(n) && is_note(h);
    let headlines = heads.iter().filter(|h| !note_like(h)).count();
    let best = heads
        .iter()
        .enumerate()
        .filter(|(_, h)| headlines == 0 || !note_like(h))
        .max_by(|a, b| a.1.2.total_cmp(&b.1.2).then(b.0.cmp(&a.0)))
        .map(|(i, _)| i);
    let first_line = block.lines[0].0;
    let title = match best {
        Some(i) => heads[i].1.to_string(),
        None => {
            warnings.push((
                Some(first_line),
                "no headline found for the article starting here; its first sentence is used as title".into(),
            ));
            // Prose if there is any: a table row is a headline only when nothing else is.
            let prose = block.lines.iter().zip(&block.rows).find(|(_, r)| !**r);
            match prose {
                Some(((_, first), _)) => {
                    let first = split_dateline(first).map_or(first.as_str(), |(_, rest)| rest);
                    tokens::sentences(first)
                        .first()
                        .map_or_else(String::new, |s| s.trim_end_matches('.').to_string())
                }
                None => table::plain(&block.lines[0].1),
            }
        }
    };
    // Lines right under a table that ends the body, in sentence case and not its title, are
    // its notes (`Company is 40 pct owned by …`): kept as paragraphs, not dropped.
    let notes: Vec<&(usize, String)> = match members.iter().find(|&&i| i == body + 1) {
        Some(&after) if block.rows.last() == Some(&true) => blocks[after]
            .lines
            .iter()
            .filter(|(_, l)| *l != title && is_note(l))
            .collect(),
        _ => Vec::new(),
    };
    for (n, h, _) in &heads {
        if *h != title && !notes.iter().any(|(m, _)| m == n) {
            warnings.push((
                Some(*n),
                format!("headline-like line not used: the article at line {first_line} is titled `{title}`"),
            ));
        }
    }
    // Consecutive rows make one table, in place among the paragraphs.
    let mut paragraphs: Vec<String> = Vec::new();
    let mut tables: Vec<(usize, Vec<String>)> = Vec::new();
    let mut in_table = false;
    for ((_, text), &row) in block.lines.iter().zip(&block.rows) {
        match (row, in_table) {
            (true, true) => tables
                .last_mut()
                .expect("a table is open")
                .1
                .push(text.clone()),
            (true, false) => {
                tables.push((paragraphs.len(), vec![text.clone()]));
                paragraphs.push(String::new());
            }
            (false, _) => paragraphs.push(text.clone()),
        }
        in_table = row;
    }
    paragraphs.extend(notes.iter().map(|(_, l)| l.clone()));
    for (at, rows) in &tables {
        paragraphs[*at] = rows
            .iter()
            .map(|r| table::plain(r))
            .collect::<Vec<_>>()
            .join("\n");
    }
    let bullets = mine(Kind::Bullet)
        .flat_map(|i| blocks[i].lines.iter().map(|(_, b)| b.clone()))
        .collect();
    RawArticle {
        line: Some(
            heads
                .iter()
                .map(|h| h.0)
                .chain([first_line])
                .min()
                .unwrap_or(first_line),
        ),
        title: Some(title),
        paragraphs,
        tables,
        dateline: block.dateline.clone(),
        bullets,
        ..RawArticle::default()
    }
}

#[cfg(test)]
mod tests {
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
        assert!(check("  \n\n ").unwrap_err().1.contains("empty"));
        assert_eq!(check("ok\nbad\0line").unwrap_err().0, Some(2));
        let long = format!("a\n{}", "x".repeat(MAX_LINE + 1));
        assert_eq!(check(&long).unwrap_err().0, Some(2));
        assert!(
            parse("Just a headline\nAnother headline")
                .unwrap_err()
                .1
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
}
