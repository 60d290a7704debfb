//! Reading a dump line by line: what each line is by its shape (paragraph, headline,
//! bullet), its dateline, boilerplate, and which lines are the rows of a table.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Para,
    Head,
    Bullet,
}

#[derive(Debug)]
pub(super) struct Block {
    pub(super) kind: Kind,
    /// (1-based line number, text): cleaned, or for a table row trimmed with its own spacing.
    pub(super) lines: Vec<(usize, String)>,
    /// Per line of a body: whether it is a table row (see `table`).
    pub(super) rows: Vec<bool>,
    /// The dateline a body opened with on a table row (`PLACE, Feb 26 -`), taken off the row.
    pub(super) dateline: Option<String>,
}

pub(super) fn kind_of(line: &str) -> Kind {
    if bullet_text(line).is_some_and(|rest| !rest.is_empty()) {
        return Kind::Bullet;
    }
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
    // At most 20 words, counted no further.
    if line.split_whitespace().nth(20).is_none()
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
pub(super) struct Line<'a> {
    pub(super) n: usize,
    /// The line trimmed, with its own spacing (table columns).
    pub(super) raw: &'a str,
    pub(super) clean: String,
    pub(super) kind: Kind,
    pub(super) row: bool,
    /// The dateline prefix of a body's first line (`PLACE, Feb 26 - `), in `clean`.
    pub(super) dateline: Option<usize>,
    /// Boilerplate was dropped right before this line.
    pub(super) after_boilerplate: bool,
    /// A bullet that is an item of a list inside a body (its text is `clean`, without marker).
    pub(super) list: bool,
}

impl Line<'_> {
    /// The line without its dateline: cleaned, and with its own spacing.
    pub(super) fn rest(&self) -> (&str, &str) {
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
pub(super) fn skip_words(text: &str, n: usize) -> &str {
    let mut rest = text.trim_start();
    for _ in 0..n {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest = rest[end..].trim_start();
    }
    rest
}

/// What one line of a dump is by its own shape, before its neighbours are looked at.
enum Shape<'a> {
    Blank,
    Boilerplate,
    Line(Line<'a>),
}

/// The shape of line `n` (1-based): everything about a line that needs no other line.
fn shape_of(n: usize, raw: &str) -> Shape<'_> {
    let clean = clean_line(raw);
    if clean.is_empty() {
        return Shape::Blank;
    }
    if is_boilerplate(&clean) {
        return Shape::Boilerplate;
    }
    let kind = kind_of(&clean);
    let (clean, dateline) = if kind == Kind::Bullet {
        (bullet_text(&clean).unwrap_or_default().to_string(), None)
    } else {
        let at = split_dateline(&clean).map(|(_, rest)| clean.len() - rest.len());
        (clean, at)
    };
    let mut line = Line {
        n,
        raw: raw.trim(),
        clean,
        kind,
        row: false,
        dateline,
        after_boilerplate: false,
        list: false,
    };
    if kind != Kind::Bullet && table::is_row(line.rest().1) {
        line.kind = Kind::Para;
        line.row = true;
    }
    Shape::Line(line)
}

/// Reads the lines of a dump: kind by shape (each line on its own, in parallel), then table
/// rows by their neighbours.
pub(super) fn read_lines(text: &str) -> (Vec<Line<'_>>, usize) {
    let raw: Vec<&str> = text.split('\n').collect();
    let shapes: Vec<Shape> = raw
        .par_iter()
        .enumerate()
        .map(|(i, raw)| shape_of(i + 1, raw))
        .collect();
    let mut lines: Vec<Line> = Vec::with_capacity(shapes.len());
    let mut boilerplate = 0;
    let mut dropped = false;
    for shape in shapes {
        match shape {
            Shape::Blank => {}
            Shape::Boilerplate => {
                boilerplate += 1;
                dropped = true;
            }
            Shape::Line(mut line) => {
                line.after_boilerplate = std::mem::take(&mut dropped);
                lines.push(line);
            }
        }
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
pub(super) fn opens_table(rest: &str) -> bool {
    table::is_figure_line(rest)
        || (rest.split_whitespace().nth(4).is_none() && !table::capitalized(rest))
        || table::is_long_comparison(rest)
}

/// Whether line `i` is a short figure line that continues the table on the line before it.
pub(super) fn figure_line_in_table(lines: &[Line], i: usize) -> bool {
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

pub(super) fn bullet_text(line: &str) -> Option<&str> {
    ["- ", "• ", "* ", "· ", "▪ "]
        .iter()
        .find_map(|m| line.strip_prefix(m))
        .map(str::trim)
}
