//! Story threads: a story followed from day to day. Each article is linked to the earlier
//! article it follows up, if any: the most similar article of the previous
//! [`WINDOW_DAYS`] days that either names one of the same organizations or people and is
//! at least [`WITH_ACTOR`] similar, or is at least [`TEXT_ONLY`] similar without one.
//! A thread is a group of articles joined by such links (two or more articles).

use chrono::{Datelike, NaiveDate};

/// How far back a follow-up looks for the story it continues.
pub(crate) const WINDOW_DAYS: i32 = 14;
/// Similarity needed when the two articles share an organization or person.
pub(crate) const WITH_ACTOR: f32 = 0.20;
/// Similarity needed when they share none.
pub(crate) const TEXT_ONLY: f32 = 0.55;

/// What linking needs to know of one article.
pub(crate) struct Node<'a> {
    /// Its day, as [`day_number`] gives it.
    pub day: i32,
    /// Terms of its organizations and people, sorted.
    pub actors: &'a [u64],
}

/// A day as the number [`in_window`] compares: days since the common era (a subtraction
/// instead of chrono's date arithmetic, for the hundreds of thousands of candidate pairs).
pub(crate) fn day_number(day: NaiveDate) -> i32 {
    day.num_days_from_ce()
}

/// Whether an article of day `later` can follow up one of day `earlier` (both as
/// [`day_number`]s): an earlier day, at most [`WINDOW_DAYS`] before.
pub(crate) fn in_window(later: i32, earlier: i32) -> bool {
    (1..=WINDOW_DAYS).contains(&(later - earlier))
}

/// The earlier article that article `a` follows up, if any, from its most similar articles
/// `neighbours` (index, similarity as the same story), best first; `nodes` are all articles.
pub(crate) fn follow_up(
    a: &Node<'_>,
    neighbours: &[(usize, f32)],
    nodes: &[Node<'_>],
) -> Option<usize> {
    neighbours
        .iter()
        .filter(|&&(c, score)| {
            let c = &nodes[c];
            in_window(a.day, c.day)
                && (score >= TEXT_ONLY || (score >= WITH_ACTOR && shares(a.actors, c.actors)))
        })
        // Neighbours come best first: the first that qualifies is the best.
        .map(|&(c, _)| c)
        .next()
}

fn shares(a: &[u64], b: &[u64]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Groups linked articles into threads. Returns per article its thread, and the threads,
/// each as article indices in descending order (indices run newest first, so this is
/// oldest first), ordered by their newest article.
pub(crate) fn group(follows: &[Option<usize>]) -> (Vec<Option<usize>>, Vec<Vec<usize>>) {
    let n = follows.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for (a, f) in follows.iter().enumerate() {
        if let Some(b) = *f {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            // The lower index (newer article) stays the root: deterministic whatever the order.
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            parent[hi] = lo;
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = find(&mut parent, i);
        members[r].push(i);
    }
    let mut thread_of = vec![None; n];
    let mut threads = Vec::new();
    for mut list in members.into_iter().filter(|m| m.len() > 1) {
        list.reverse();
        for &i in &list {
            thread_of[i] = Some(threads.len());
        }
        threads.push(list);
    }
    (thread_of, threads)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> i32 {
        day_number(NaiveDate::from_ymd_opt(2026, 11, d).unwrap())
    }

    #[test]
    fn follow_ups_need_an_earlier_day_within_the_window_and_enough_evidence() {
        let shared = [7u64];
        let none: [u64; 0] = [];
        // Indices run newest first, as in the digest.
        let node = |d: u32, actors| Node {
            day: day(d),
            actors,
        };
        let nodes = [
            node(20, &shared[..]),
            node(18, &shared[..]),
            node(20, &shared[..]),
            node(19, &none[..]),
        ];
        // Same day as 2 (too close), then 1 with a shared actor: follows 1.
        assert_eq!(follow_up(&nodes[0], &[(2, 0.9), (1, 0.3)], &nodes), Some(1));
        assert_eq!(
            follow_up(&nodes[1], &[(0, 0.3)], &nodes),
            None,
            "a later day"
        );
        assert_eq!(follow_up(&nodes[2], &[], &nodes), None);
        // Similar enough only with a shared actor, and it has none.
        assert_eq!(follow_up(&nodes[3], &[(1, 0.3)], &nodes), None);
        // Similar enough without one.
        assert_eq!(follow_up(&nodes[3], &[(1, 0.6)], &nodes), Some(1));
        let nodes = [node(30, &shared[..]), node(1, &shared[..])];
        assert_eq!(
            follow_up(&nodes[0], &[(1, 0.99)], &nodes),
            None,
            "29 days apart"
        );
    }

    #[test]
    fn day_numbers_count_days_across_months_and_years() {
        let d = |y, m, d| day_number(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(d(2026, 3, 1) - d(2026, 2, 28), 1);
        assert_eq!(d(2025, 1, 1) - d(2024, 12, 18), 14);
        assert!(in_window(d(2025, 1, 1), d(2024, 12, 18)));
        assert!(!in_window(d(2025, 1, 1), d(2024, 12, 17)), "15 days");
        assert!(!in_window(d(2025, 1, 1), d(2025, 1, 1)), "the same day");
        assert!(!in_window(d(2024, 12, 31), d(2025, 1, 1)), "a later day");
    }

    #[test]
    fn linked_articles_form_one_thread_oldest_first() {
        // 0 follows 2, 2 follows 4; 1 and 3 stand alone; 5 follows 3.
        let (of, threads) = group(&[Some(2), None, Some(4), None, None, Some(3)]);
        assert_eq!(threads, [vec![4, 2, 0], vec![5, 3]]);
        assert_eq!(of, [Some(0), None, Some(0), Some(1), Some(0), Some(1)]);
    }
}
