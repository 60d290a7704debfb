//! Unit tests of `build::search::index`.

use super::*;

/// Reads chunk files back: word → [(doc, weight)].
pub(crate) fn decode(files: &[File]) -> BTreeMap<String, Vec<(usize, u8)>> {
    let mut out = BTreeMap::new();
    for (path, bytes) in files {
        if !path.starts_with("search/t/") {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        let json = text
            .trim_end()
            .strip_suffix(");")
            .unwrap()
            .split_once(',')
            .unwrap()
            .1;
        let flat: Vec<String> = serde_json::from_str(json).unwrap();
        for t in flat.chunks(3) {
            let mut doc = 0;
            let gaps = t[1]
                .split(',')
                .map(|g| usize::from_str_radix(g, 36).unwrap());
            let weights = t[2].chars().map(|c| c.to_digit(36).unwrap() as u8);
            let list = gaps
                .zip(weights)
                .map(|(g, w)| {
                    doc += g;
                    (doc, w)
                })
                .collect();
            assert!(out.insert(t[0].clone(), list).is_none(), "{} twice", t[0]);
        }
    }
    out
}

fn words(list: &[(&str, u8)]) -> Words {
    Words {
        words: list
            .iter()
            .map(|(w, _)| *w)
            .collect::<Vec<_>>()
            .join(" ")
            .into(),
        weights: list.iter().map(|(_, q)| *q).collect(),
    }
}

#[test]
fn every_word_finds_its_documents_with_their_weights() {
    let docs = [
        words(&[("lithium", 30), ("cobalt", 5)]),
        words(&[("cobalt", 7), ("copper", 1)]),
        words(&[("lithium", 2)]),
    ];
    let refs: Vec<&Words> = docs.iter().collect();
    let index = Index::build(&refs);
    let back = decode(&index.chunk_files());
    assert_eq!(back["lithium"], [(0, 30), (2, 2)]);
    assert_eq!(back["cobalt"], [(0, 5), (1, 7)]);
    assert_eq!(back["copper"], [(1, 1)]);
    assert_eq!(back.len(), 3);
}

#[test]
fn big_groups_split_by_the_next_letter_and_keys_cover_every_word() {
    // 10,000 documents with "compact" and "company" in each, "comp" and "come" in some.
    let docs: Vec<Words> = (0..10_000)
        .map(|n| {
            let mut w = vec![("compact", 3), ("company", 4)];
            if n % 3 == 0 {
                w.push(("comp", 2));
            }
            if n % 7 == 0 {
                w.push(("come", 9));
            }
            words(&w)
        })
        .collect();
    let refs: Vec<&Words> = docs.iter().collect();
    let index = Index::build(&refs);
    let keys = index.keys();
    assert_eq!(keys, ["come", "comp_", "compac", "compan"], "{keys:?}");
    let back = decode(&index.chunk_files());
    assert_eq!(back["comp"].len(), 3334);
    assert_eq!(back["company"].len(), 10_000);
    assert_eq!(back["come"].len(), 1429);
}

#[test]
fn postings_are_patched_in_place() {
    let a = words(&[("lithium", 30), ("cobalt", 5)]);
    let b = words(&[("cobalt", 7)]);
    let b2 = words(&[("nickel", 7)]);
    let mut index = Index::build(&[&a, &b]);
    let mut touched = BTreeSet::new();
    index.replace(1, Some(&b), Some(&b2), &mut touched);
    let fresh = Index::build(&[&a, &b2]);
    assert_eq!(index.words, fresh.words);
    assert_eq!(touched.into_iter().collect::<Vec<_>>(), ["cob", "nic"]);
    // The same words with one weight changed: only that word's group.
    let a2 = words(&[("lithium", 30), ("cobalt", 6)]);
    let mut touched = BTreeSet::new();
    index.replace(0, Some(&a), Some(&a2), &mut touched);
    assert_eq!(index.words, Index::build(&[&a2, &b2]).words);
    assert_eq!(touched.into_iter().collect::<Vec<_>>(), ["cob"]);
    // A document removed from the end.
    let mut touched = BTreeSet::new();
    index.replace(1, Some(&b2), None, &mut touched);
    assert_eq!(index.words, Index::build(&[&a2]).words);
}

#[test]
fn base36() {
    let mut s = String::new();
    push_base36(&mut s, 0);
    push_base36(&mut s, 35);
    push_base36(&mut s, 36);
    assert_eq!(s, "0z10");
}
