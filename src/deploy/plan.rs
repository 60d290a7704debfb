//! What a deploy has to do, decided without touching the network: the remote listing and
//! the local files go in, ordered uploads and deletions come out. A pure function, so that
//! its one safety promise is easy to test and fuzz: **a file that exists locally is never
//! deleted.**

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::local::MANIFEST;

/// Upload groups, in the order a deploy sends them: every file a page links to is in place
/// before the page, and the pages readers arrive on (home, feeds, sitemap) go last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tier {
    /// Styles, scripts, images, fonts and search shards.
    Asset,
    /// `search/index.js`, which names the shards: after them.
    SearchIndex,
    /// `YYYY/MM/DD/<slug>/index.html`.
    Article,
    /// Edition, topic, archive and other listing pages, topic feeds.
    List,
    /// The home page, the site feeds, the sitemap and robots.txt.
    Front,
}

impl Tier {
    pub const ALL: [Tier; 5] = [
        Tier::Asset,
        Tier::SearchIndex,
        Tier::Article,
        Tier::List,
        Tier::Front,
    ];

    /// The tier of a site-relative path, from the URL layout `pages` and `feeds` write.
    pub fn of(rel: &str) -> Tier {
        match rel {
            "index.html" | "atom.xml" | "rss.xml" | "feed.json" | "sitemap.xml" | "robots.txt" => {
                return Tier::Front;
            }
            crate::build::search::MANIFEST => return Tier::SearchIndex,
            _ => {}
        }
        let parts: Vec<&str> = rel.split('/').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if let [y, m, d, _slug, "index.html"] = parts.as_slice()
            && digits(y, 4)
            && digits(m, 2)
            && digits(d, 2)
        {
            return Tier::Article;
        }
        let ext = rel.rsplit_once('.').map_or("", |(_, e)| e);
        match ext {
            "html" | "htm" | "xml" | "json" | "txt" => Tier::List,
            _ => Tier::Asset,
        }
    }
}

/// A local file as the plan sees it.
#[derive(Debug, Clone, Copy)]
pub struct Want<'a> {
    pub rel: &'a str,
    pub digest: &'a str,
    pub tier: Tier,
}

/// A remote object under the target's prefix, `rel` relative to it. `digest` is `None` when
/// the object carries none (uploaded by another tool): it is then uploaded again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    pub rel: String,
    pub digest: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Not on the remote.
    New,
    /// On the remote with other bytes or headers, or with no digest.
    Changed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upload {
    /// Index into the local files given to [`plan`].
    pub index: usize,
    pub tier: Tier,
    pub reason: Reason,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// In upload order: by tier, then by path.
    pub uploads: Vec<Upload>,
    /// Remote paths that no local file has, sorted.
    pub deletes: Vec<String>,
    /// Local files the remote already has, byte for byte and header for header.
    pub unchanged: usize,
}

/// Compares the local files with the remote listing. Local paths listed twice count once
/// (the first); the deploy's own manifest object is neither compared nor deleted.
pub fn plan(local: &[Want<'_>], remote: &[Remote]) -> Plan {
    let remote_digests: HashMap<&str, Option<&str>> = remote
        .iter()
        .map(|r| (r.rel.as_str(), r.digest.as_deref()))
        .collect();
    let mut seen: HashSet<&str> = HashSet::with_capacity(local.len());
    let mut out = Plan::default();
    for (index, want) in local.iter().enumerate() {
        if !seen.insert(want.rel) {
            continue;
        }
        let reason = match remote_digests.get(want.rel) {
            None => Reason::New,
            Some(Some(d)) if *d == want.digest => {
                out.unchanged += 1;
                continue;
            }
            Some(_) => Reason::Changed,
        };
        out.uploads.push(Upload {
            index,
            tier: want.tier,
            reason,
        });
    }
    out.uploads
        .sort_by(|a, b| (a.tier, local[a.index].rel).cmp(&(b.tier, local[b.index].rel)));
    let mut deletes: Vec<String> = remote
        .iter()
        .map(|r| r.rel.as_str())
        .filter(|rel| *rel != MANIFEST && !seen.contains(rel))
        .map(str::to_string)
        .collect();
    deletes.sort();
    deletes.dedup();
    out.deletes = deletes;
    out
}

/// For the `deploy_plan` fuzz target and its regression test: decodes `data` into a local
/// tree and a remote listing over a small set of colliding names (each byte: side, name,
/// digest), plans, and panics if the plan breaks a promise: deleting a local file or the
/// manifest, uploading an unchanged file, skipping a changed one, or leaving tier order.
pub fn fuzz_check(data: &[u8]) {
    const NAMES: [&str; 16] = [
        "index.html",
        "atom.xml",
        "style.css",
        "search/index.js",
        "search/2026-11.js",
        "2026/11/26/a/index.html",
        "2026/11/26/b/index.html",
        "2026/11/26/index.html",
        "topics/x/index.html",
        "topics/x/atom.xml",
        "a",
        "A",
        "a/",
        "",
        MANIFEST,
        "é/ü.html",
    ];
    const DIGESTS: [&str; 4] = ["d0", "d1", "d2", "d3"];
    let mut local: Vec<Want<'_>> = Vec::new();
    let mut remote: Vec<Remote> = Vec::new();
    for &b in data {
        let rel = NAMES[usize::from(b >> 2) % NAMES.len()];
        let digest = DIGESTS[usize::from(b & 3)];
        if b & 0x80 == 0 {
            if rel != MANIFEST {
                local.push(Want {
                    rel,
                    digest,
                    tier: Tier::of(rel),
                });
            }
        } else {
            remote.push(Remote {
                rel: rel.to_string(),
                digest: (b & 3 != 3).then(|| digest.to_string()),
            });
        }
    }
    let p = plan(&local, &remote);
    let local_rels: HashSet<&str> = local.iter().map(|w| w.rel).collect();
    for d in &p.deletes {
        assert!(!local_rels.contains(d.as_str()), "deletes local file {d:?}");
        assert_ne!(d, MANIFEST, "deletes the manifest");
        assert!(
            remote.iter().any(|r| &r.rel == d),
            "deletes {d:?}, which is not remote"
        );
    }
    assert!(
        p.deletes.windows(2).all(|w| w[0] < w[1]),
        "deletes not sorted and unique"
    );
    assert_eq!(
        p.uploads.len() + p.unchanged,
        local_rels.len(),
        "a local file is neither uploaded nor unchanged"
    );
    let last_digest: HashMap<&str, Option<&str>> = remote
        .iter()
        .map(|r| (r.rel.as_str(), r.digest.as_deref()))
        .collect();
    for u in &p.uploads {
        let w = local[u.index];
        assert_ne!(
            last_digest.get(w.rel),
            Some(&Some(w.digest)),
            "uploads unchanged {:?}",
            w.rel
        );
    }
    assert!(
        p.uploads.windows(2).all(|x| x[0].tier <= x[1].tier),
        "uploads out of tier order"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want<'a>(rel: &'a str, digest: &'a str) -> Want<'a> {
        Want {
            rel,
            digest,
            tier: Tier::of(rel),
        }
    }

    fn remote(rel: &str, digest: Option<&str>) -> Remote {
        Remote {
            rel: rel.into(),
            digest: digest.map(str::to_string),
        }
    }

    #[test]
    fn tiers_follow_the_site_layout() {
        for (rel, tier) in [
            ("style.css", Tier::Asset),
            ("favicon.svg", Tier::Asset),
            ("search.js", Tier::Asset),
            ("search/2026-11.js", Tier::Asset),
            ("search/index.js", Tier::SearchIndex),
            ("2026/11/26/magnet-line/index.html", Tier::Article),
            ("2026/11/26/index.html", Tier::List),
            ("2026/11/26/email.html", Tier::List),
            ("topics/raw-materials/index.html", Tier::List),
            ("topics/raw-materials/page/2/index.html", Tier::List),
            ("topics/raw-materials/atom.xml", Tier::List),
            ("archive/index.html", Tier::List),
            ("search/index.html", Tier::List),
            ("404.html", Tier::List),
            ("index.html", Tier::Front),
            ("atom.xml", Tier::Front),
            ("rss.xml", Tier::Front),
            ("feed.json", Tier::Front),
            ("sitemap.xml", Tier::Front),
            ("robots.txt", Tier::Front),
        ] {
            assert_eq!(Tier::of(rel), tier, "{rel}");
        }
    }

    #[test]
    fn uploads_new_and_changed_in_tier_order_and_deletes_the_rest() {
        let local = [
            want("index.html", "h2"),
            want("2026/11/26/a/index.html", "a1"),
            want("style.css", "s1"),
            want("2026/11/26/index.html", "e2"),
            want("search/index.js", "i1"),
        ];
        let remote = [
            remote("index.html", Some("h1")),
            remote("2026/11/26/a/index.html", Some("a1")),
            remote("2026/11/26/index.html", None),
            remote("2026/11/25/old/index.html", Some("o")),
            remote(MANIFEST, None),
        ];
        let p = plan(&local, &remote);
        let order: Vec<(&str, Reason)> = p
            .uploads
            .iter()
            .map(|u| (local[u.index].rel, u.reason))
            .collect();
        assert_eq!(
            order,
            [
                ("style.css", Reason::New),
                ("search/index.js", Reason::New),
                ("2026/11/26/index.html", Reason::Changed),
                ("index.html", Reason::Changed),
            ]
        );
        assert_eq!(p.deletes, ["2026/11/25/old/index.html"]);
        assert_eq!(p.unchanged, 1);
    }

    #[test]
    fn nothing_to_do_when_everything_matches() {
        let local = [want("a.html", "1"), want("b.css", "2")];
        let remote = [remote("a.html", Some("1")), remote("b.css", Some("2"))];
        let p = plan(&local, &remote);
        assert!(p.uploads.is_empty() && p.deletes.is_empty());
        assert_eq!(p.unchanged, 2);
    }

    #[test]
    fn never_deletes_a_local_file_even_with_duplicates_on_either_side() {
        let local = [
            want("a.html", "1"),
            want("a.html", "2"),
            want("b.html", "3"),
        ];
        let remote = [
            remote("a.html", Some("9")),
            remote("a.html", Some("1")),
            remote("c.html", None),
            remote("c.html", None),
        ];
        let p = plan(&local, &remote);
        assert_eq!(p.deletes, ["c.html"]);
        assert!(
            p.uploads.iter().all(|u| u.index != 1),
            "the first copy counts"
        );
    }

    #[test]
    fn the_fuzz_invariants_hold_on_pseudo_random_inputs() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for len in 0..400 {
            let data: Vec<u8> = (0..len % 60)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            fuzz_check(&data);
        }
    }
}
