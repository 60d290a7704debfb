//! Which body each headline and bullet belongs to, by evidence: the share of a headline's
//! words found in a body, and how well a bullet restates one of its sentences.

use super::*;

/// A headline's or bullets' bodies on either side and the evidence for each (see [`attach`]).
type Sides = (Option<usize>, Option<usize>, f64, f64);

/// For every block, the index of the body block it belongs to.
pub(super) fn attach(blocks: &[Block], words: &[Words], bodies: &[usize]) -> Vec<usize> {
    let mut owner: Vec<usize> = (0..blocks.len()).collect();
    let neighbours = |i: usize| {
        let at = bodies.partition_point(|&b| b < i);
        let prev = at.checked_sub(1).map(|k| bodies[k]);
        let next = bodies[at..].iter().find(|&&b| b > i).copied();
        (prev, next)
    };
    // The evidence of every headline and bullet block for the bodies before and after it
    // needs no decision: worked out in parallel, `(prev, next, score for prev, score for
    // next)`, the scores when both bodies exist.
    let sides: Vec<Option<Sides>> = (0..blocks.len())
        .into_par_iter()
        .map(|i| {
            let score: fn(&Words, &Words) -> f64 = match blocks[i].kind {
                Kind::Head => headline_score,
                Kind::Bullet => bullet_score,
                Kind::Para => return None,
            };
            let (prev, next) = neighbours(i);
            let (sp, sn) = match (prev, next) {
                (Some(p), Some(n)) => (score(&words[i], &words[p]), score(&words[i], &words[n])),
                _ => (0.0, 0.0),
            };
            Some((prev, next, sp, sn))
        })
        .collect();
    let pick = |(prev, next, sp, sn): Sides, tie: Option<usize>| match (prev, next) {
        (Some(p), Some(n)) => {
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
        let side = sides[i].expect("a headline block has sides");
        owner[i] = pick(side, None);
        // Right under a table, a sentence-case line that shares at least as much with the
        // table as with the story after it is a note of the table's story, not a headline.
        if let (Some(p), Some(_), sp, sn) = side
            && p + 1 == i
            && blocks[p].rows.last() == Some(&true)
            && blocks[i].lines.iter().all(|(_, l)| is_note(l))
            && sp >= sn
        {
            owner[i] = p;
        }
    }
    for i in (0..blocks.len()).filter(|&i| blocks[i].kind == Kind::Bullet) {
        let side = sides[i].expect("a bullet block has sides");
        let beside_head = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .find(|&j| blocks.get(j).is_some_and(|b| b.kind == Kind::Head))
            .map(|j| owner[j]);
        owner[i] = pick(side, beside_head.or(side.0));
        // Bullets right after a headline are that headline's summary, in both layouts that
        // have them ([body, headline, bullets] and [headline, bullets, body]). Bullets restate
        // whole sentences, which is far stronger evidence than a headline's few words: when
        // they clearly point at one body, their headline goes there too.
        if let (Some(_), Some(_), sp, sn) = side
            && i > 0
            && blocks[i - 1].kind == Kind::Head
            && (sp - sn).abs() >= 0.2
        {
            owner[i - 1] = owner[i];
        }
    }
    // A body left without any headline takes the headline group right next to it when the
    // body that group went to has another one (`[table, title, title][title, body]`).
    // `heads[b]`: how many headline blocks body `b` owns, kept up to date as they move (a
    // count per body instead of a scan of every block for every body).
    let mut heads = vec![0usize; blocks.len()];
    for (i, &o) in owner.iter().enumerate() {
        if blocks[i].kind == Kind::Head {
            heads[o] += 1;
        }
    }
    for &b in bodies {
        if heads[b] > 0 {
            continue;
        }
        // Bullets under a headline sit between it and the body: look past them.
        let before = match b.checked_sub(1) {
            Some(j) if blocks[j].kind == Kind::Bullet => j.checked_sub(1),
            j => j,
        };
        // Headline `j` itself is one of the headlines its body owns: that body must own
        // another.
        let beside = [Some(b + 1), before]
            .into_iter()
            .flatten()
            .find(|&j| blocks.get(j).is_some_and(|h| h.kind == Kind::Head) && heads[owner[j]] > 1);
        if let Some(j) = beside {
            let from = owner[j];
            owner[j] = b;
            heads[from] -= 1;
            heads[b] += 1;
            // Its bullets come along.
            if j + 2 == b && owner[j + 1] == from {
                owner[j + 1] = b;
                if blocks[j + 1].kind == Kind::Head {
                    heads[from] -= 1;
                    heads[b] += 1;
                }
            }
        }
    }
    owner
}

/// A line that may be a note under a table: a few words or more, not all capitalized as a
/// headline is.
pub(super) fn is_note(line: &str) -> bool {
    line.split_whitespace().nth(3).is_some() && !table::capitalized(line)
}

/// The content words of a block, worked out once: per line for headlines and bullets; for
/// a body, in the whole and per sentence.
pub(super) struct Words {
    pub(super) lines: Vec<WordSet>,
    pub(super) whole: WordSet,
    pub(super) sentences: Vec<WordSet>,
}

impl Words {
    pub(super) fn of(block: &Block) -> Words {
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
pub(super) struct WordSet(pub(super) Vec<u64>);

pub(super) fn word_set(text: &str) -> WordSet {
    let mut hashes = Vec::new();
    tokens::for_each_content_word(text, |w| hashes.push(xxh3_64(w.as_bytes())));
    hashes.sort_unstable();
    hashes.dedup();
    WordSet(hashes)
}

/// Share of the headline's words that occur in the body (best line of the group).
pub(super) fn headline_score(heads: &Words, body: &Words) -> f64 {
    heads
        .lines
        .iter()
        .map(|h| overlap(h, &body.whole))
        .fold(0.0, f64::max)
}

/// How well the bullets restate the body: for each bullet, the best share of its words found
/// in one sentence of the body; averaged over the bullets.
pub(super) fn bullet_score(bullets: &Words, body: &Words) -> f64 {
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

pub(super) fn overlap(part: &WordSet, whole: &WordSet) -> f64 {
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
