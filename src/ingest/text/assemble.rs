//! One article from a body and the headlines and bullets attached to it.

use super::*;

/// `members`: the blocks that belong to `body`, in order.
pub(super) fn assemble(
    blocks: &[Block],
    words: &[Words],
    body: usize,
    members: &[usize],
    warnings: &mut Vec<SourceError>,
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
            warnings.push(problem(
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
            warnings.push(problem(
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
