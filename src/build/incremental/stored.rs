//! The build cache of `briefing build`: a file in the output folder (`output::CACHE`,
//! `.briefing-cache`, which `deploy` leaves out), recording what each page was rendered from
//! (its fingerprint, [`super::fingerprint`]) and how its file looked when written (size,
//! modification time, inode). The next build renders only pages whose fingerprint changed,
//! or whose file in the output is not as it was written (edited or deleted by hand), and hard
//! links the others from the old output into its staging folder (copies them where linking
//! fails). Everything else is as in a full build: the staging folder replaces the output in
//! one swap, so a failed build leaves the old output and its cache as they were.
//!
//! The cache is written into the staging folder last, so it is swapped in with the output it
//! describes and never disagrees with it. Its key holds what every page depends on: the
//! briefing executable (version and a hash of its bytes), `briefing.toml` and the command
//! line options that change the site (`--base-url`, `--drafts`, `--as-of`), the templates,
//! and the `site` variable. When any of them changed, or the cache is missing, unreadable
//! or damaged, or `--full` was given, every page is rendered; that is never an error.
//!
//! The format is text: a first line naming the format, four key lines, one line per page
//! (`fingerprint size mtime inode path`), and a last line with a hash of everything before
//! it, so that a truncated or damaged file is recognised.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::build::feeds::File;
use crate::build::output::{CACHE as FILE, OldOutput, Staging};
use crate::build::templates::Templates;
use crate::build::{CacheUse, Planned, Stopwatch, render_page};
use crate::config::Config;
use crate::error::Result;
use crate::progress::Progress;

use super::fingerprint::Fingerprints;

/// The first line of the file; another version of the format is not read.
const FORMAT: &str = "briefing build cache 1";

/// What a file of the output looked like when the build wrote it: a file changed since
/// (edited, replaced or deleted) looks different.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    size: u64,
    /// Modification time, nanoseconds since the epoch.
    mtime: i128,
    /// The inode (0 where the system has none).
    inode: u64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let mtime = match meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        };
        #[cfg(unix)]
        let inode = std::os::unix::fs::MetadataExt::ino(&meta);
        #[cfg(not(unix))]
        let inode = 0;
        Some(Stamp {
            size: meta.len(),
            mtime,
            inode,
        })
    }
}

/// What every page depends on besides its fingerprint; a change of any part renders all pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    /// The briefing executable: its version and bytes.
    binary: u64,
    /// `briefing.toml` and the options that change the site.
    config: u64,
    templates: u64,
    /// The `site` variable and the optional pages ([`super::site_hash`]).
    site: u64,
}

const KEY_NAMES: [&str; 4] = ["binary", "config", "templates", "site"];

impl Key {
    /// `Err` says why no key can be made (the executable cannot be read): then
    /// the build renders everything and writes no cache.
    fn of(
        config: &Config,
        templates: &Templates,
        planned: &Planned<'_, '_>,
    ) -> std::result::Result<Key, String> {
        let binary = binary_hash()?;
        // The text the config was read from, not the file again: the key describes the build.
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&config.source_hash.to_le_bytes());
        let options = format!(
            "\0base_url={}\0drafts={}\0as_of={:?}",
            config.base_url, config.drafts, config.as_of
        );
        h.update(options.as_bytes());
        Ok(Key {
            binary,
            config: h.digest(),
            templates: templates.fingerprint(),
            site: super::site_hash(planned),
        })
    }

    fn parts(&self) -> [u64; 4] {
        [self.binary, self.config, self.templates, self.site]
    }

    /// What changed between `self` (the cache's) and `now`, for the verbose output.
    fn changed(&self, now: &Key) -> Option<&'static str> {
        let reasons = [
            "briefing itself changed (another version or build of the binary)",
            "briefing.toml or the build options (--base-url, --drafts, --as-of) changed",
            "the templates changed",
            "the `site` variable changed (topics, feeds, search, entity pages)",
        ];
        let (old, new) = (self.parts(), now.parts());
        (0..4).find(|&k| old[k] != new[k]).map(|k| reasons[k])
    }
}

/// The running executable's version and a hash of its bytes, read once per process, a
/// buffer at a time (a debug build of briefing is hundreds of megabytes).
fn binary_hash() -> std::result::Result<u64, String> {
    static HASH: OnceLock<std::result::Result<u64, String>> = OnceLock::new();
    HASH.get_or_init(|| {
        use std::io::Read;
        let exe = std::env::current_exe()
            .map_err(|e| format!("cannot find briefing's executable: {e}"))?;
        let unreadable =
            |e: std::io::Error| format!("cannot read briefing's executable {}: {e}", exe.display());
        let mut file = std::fs::File::open(&exe).map_err(unreadable)?;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&[0]);
        let mut buffer = vec![0; 1 << 20];
        loop {
            match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => h.update(&buffer[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(unreadable(e)),
            }
        }
        Ok(h.digest())
    })
    .clone()
}

/// One page as the cache records it.
#[derive(Debug, Clone, Copy)]
struct Entry {
    print: u64,
    stamp: Stamp,
}

/// The cache read from an output folder.
struct Cache {
    key: Key,
    pages: FxHashMap<String, Entry>,
}

impl Cache {
    /// The cache of the output folder `dir`, or why there is none to use.
    fn read(dir: &Path) -> std::result::Result<Cache, String> {
        let path = dir.join(FILE);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!("no build cache ({FILE}) in {}", dir.display()));
            }
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        Cache::parse(&bytes)
            .ok_or_else(|| format!("{} is damaged or incomplete; it is ignored", path.display()))
    }

    fn parse(bytes: &[u8]) -> Option<Cache> {
        let text = std::str::from_utf8(bytes).ok()?;
        let body_end = text.strip_suffix('\n')?.rfind('\n')? + 1;
        let (body, last) = text.split_at(body_end);
        let sum = u64::from_str_radix(last.strip_prefix("end ")?.strip_suffix('\n')?, 16).ok()?;
        if sum != xxhash_rust::xxh3::xxh3_64(body.as_bytes()) {
            return None;
        }
        let mut lines = body.lines();
        if lines.next()? != FORMAT {
            return None;
        }
        let mut key = [0u64; 4];
        for (part, name) in key.iter_mut().zip(KEY_NAMES) {
            let value = lines.next()?.strip_prefix(name)?.strip_prefix(' ')?;
            *part = u64::from_str_radix(value, 16).ok()?;
        }
        let key = Key {
            binary: key[0],
            config: key[1],
            templates: key[2],
            site: key[3],
        };
        let mut pages = FxHashMap::default();
        for line in lines {
            let mut fields = line.splitn(5, ' ');
            let mut next = || fields.next();
            let print = u64::from_str_radix(next()?, 16).ok()?;
            let size = next()?.parse().ok()?;
            let mtime = next()?.parse().ok()?;
            let inode = next()?.parse().ok()?;
            let path = next()?.to_string();
            let stamp = Stamp { size, mtime, inode };
            pages.insert(path, Entry { print, stamp });
        }
        Some(Cache { key, pages })
    }

    /// The file's bytes: `pages` as (path, fingerprint, stamp of the file written).
    fn serialize<'p>(key: &Key, pages: impl Iterator<Item = (&'p str, u64, Stamp)>) -> String {
        let mut out = String::new();
        out.push_str(FORMAT);
        out.push('\n');
        for (name, part) in KEY_NAMES.iter().zip(key.parts()) {
            let _ = writeln!(out, "{name} {part:016x}");
        }
        for (path, print, s) in pages {
            // Page paths come from slugs; one with a line break is left out (rendered again).
            if !path.contains(['\n', '\r']) {
                let _ = writeln!(
                    out,
                    "{print:016x} {} {} {} {path}",
                    s.size, s.mtime, s.inode
                );
            }
        }
        let sum = xxhash_rust::xxh3::xxh3_64(out.as_bytes());
        let _ = writeln!(out, "end {sum:016x}");
        out
    }
}

/// Places the file of a page whose fingerprint is unchanged into the staging folder: a hard
/// link to the old output's file (a copy where linking fails), if that file is still as the
/// cache recorded it. The stamp of the file placed, or `None` when the page must be rendered.
fn reuse(old: &Path, staged: &Path, recorded: Stamp) -> Option<Stamp> {
    match std::fs::hard_link(old, staged) {
        // The link is the old file itself: its stamp is the old file's, taken after linking,
        // so a change made meanwhile is seen too.
        Ok(()) => {
            let now = Stamp::of(staged);
            if now == Some(recorded) {
                return now;
            }
            let _ = std::fs::remove_file(staged);
            None
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        // Another file system, or one without hard links.
        Err(_) => {
            if Stamp::of(old) != Some(recorded) {
                return None;
            }
            std::fs::copy(old, staged).ok()?;
            Stamp::of(staged)
        }
    }
}

/// Writes the planned site into a staging folder that replaces the output, as a full build
/// does, but renders only the pages the output's cache cannot vouch for; then writes the new
/// cache, last. `versions` are the digest's articles' ([`super::Versions`]); `files` the
/// static and generated files, written as they are, and a writer of more generated files
/// (the search index's), which it calls with a function that writes one into the staging
/// folder; it returns how many it wrote, as this function does after the rest.
pub(crate) fn write_site(
    config: &Config,
    templates: &Templates,
    planned: &Planned<'_, '_>,
    versions: &[u64],
    (files, more): (Vec<File>, &MoreFiles<'_>),
    progress: &dyn Progress,
    watch: &mut Stopwatch,
) -> Result<(OldOutput, CacheUse, usize)> {
    let site = planned.site;
    let pages = &site.pages;
    // With the output's lock held: no other build replaces the output while its files are
    // being linked.
    let staging = Staging::new(config)?;
    let key = Key::of(config, templates, planned);
    let previous = match &key {
        Err(why) => Err(why.clone()),
        Ok(_) if config.full => Err("--full".to_string()),
        Ok(key) => Cache::read(&config.output_dir).and_then(|cache| match cache.key.changed(key) {
            Some(why) => Err(why.to_string()),
            None => Ok(cache),
        }),
    };
    watch.lap("cache key+read");
    let prints = Fingerprints::new(site, versions);
    let prints: Vec<u64> = pages.par_iter().map(|p| prints.page(p)).collect();
    watch.lap("fingerprints");

    staging.prepare(pages, &files.iter().collect::<Vec<_>>())?;
    // Written: the feeds need not stay in memory while pages render.
    drop(files);
    watch.lap("folders+files");
    let more = more(&|(name, bytes)| staging.write_new(&name, &bytes), watch)?;
    progress.start(pages.len());
    let done = std::sync::atomic::AtomicUsize::new(0);
    let place = |k: usize| -> Result<(Option<Stamp>, bool)> {
        let (page, print) = (&pages[k], prints[k]);
        let staged = staging.path().join(&page.path);
        let recorded = previous
            .as_ref()
            .ok()
            .and_then(|cache| cache.pages.get(&page.path))
            .filter(|entry| entry.print == print);
        let reused = recorded
            .and_then(|entry| reuse(&config.output_dir.join(&page.path), &staged, entry.stamp));
        let placed = match reused {
            Some(stamp) => (Some(stamp), true),
            None => {
                let html = render_page(templates, planned, page)?;
                staging.write(&page.path, html.as_bytes())?;
                (Stamp::of(&staged), false)
            }
        };
        progress.advance();
        // What rendering freed goes back as it goes: see `crate::memory`.
        if done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % RELEASE_EVERY
            == RELEASE_EVERY - 1
        {
            crate::memory::release_freed();
        }
        Ok(placed)
    };
    // Pages showing very many articles (a topic page of a large archive) render one at a time
    // beside the others, so that at most one of them holds its articles' values (#16).
    let (one_by_one, others): (Vec<usize>, Vec<usize>) =
        (0..pages.len()).partition(|&k| site.articles_shown(&pages[k]) > MANY_ARTICLES);
    let (alone, together) = rayon::join(
        || {
            one_by_one
                .iter()
                .map(|&k| place(k))
                .collect::<Result<Vec<_>>>()
        },
        || {
            others
                .par_iter()
                .map(|&k| place(k))
                .collect::<Result<Vec<_>>>()
        },
    );
    let mut placed = vec![(None, false); pages.len()];
    for (k, p) in one_by_one
        .into_iter()
        .zip(alone?)
        .chain(others.into_iter().zip(together?))
    {
        placed[k] = p;
    }
    let reused = placed.iter().filter(|(_, r)| *r).count();
    watch.lap("render+link pages");

    if let Ok(key) = &key {
        let entries =
            pages
                .iter()
                .zip(&prints)
                .zip(&placed)
                .filter_map(|((page, &print), (stamp, _))| {
                    Some((page.path.as_str(), print, (*stamp)?))
                });
        staging.write(FILE, Cache::serialize(key, entries).as_bytes())?;
    }
    let old = staging.commit()?;
    watch.lap("cache+swap");
    Ok((
        old,
        CacheUse {
            rendered: pages.len() - reused,
            reused,
            full_because: previous.err(),
        },
        more,
    ))
}

/// A page showing more articles than this is rendered alone (see [`write_site`]): its values
/// take a few KB an article.
const MANY_ARTICLES: usize = 4096;

/// Pages rendered between two [`crate::memory::release_freed`] calls.
const RELEASE_EVERY: usize = 16_384;

/// What [`write_site`] calls to write generated files made while it writes (see there).
pub(crate) type MoreFiles<'a> =
    dyn Fn(&(dyn Fn(File) -> Result<()> + Sync), &mut Stopwatch) -> Result<usize> + 'a;

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> String {
        let key = Key {
            binary: 1,
            config: 2,
            templates: 3,
            site: 4,
        };
        let stamp = Stamp {
            size: 10,
            mtime: 1_700_000_000_123_456_789,
            inode: 42,
        };
        let pages = [
            ("index.html", 0xabc, stamp),
            ("2026/11/26/a file/index.html", u64::MAX, stamp),
            ("bad\nname.html", 7, stamp),
        ];
        Cache::serialize(&key, pages.into_iter())
    }

    #[test]
    fn the_cache_reads_back_what_was_written() {
        let cache = Cache::parse(sample().as_bytes()).expect("parses");
        assert_eq!(cache.key.parts(), [1, 2, 3, 4]);
        assert_eq!(
            cache.pages.len(),
            2,
            "the path with a line break is left out"
        );
        let e = cache.pages["2026/11/26/a file/index.html"];
        assert_eq!((e.print, e.stamp.size, e.stamp.inode), (u64::MAX, 10, 42));
        assert_eq!(e.stamp.mtime, 1_700_000_000_123_456_789);
    }

    #[test]
    fn damaged_caches_are_not_read() {
        let good = sample();
        assert!(Cache::parse(good.as_bytes()).is_some());
        for cut in [0, 1, 20, good.len() / 2, good.len() - 1] {
            assert!(
                Cache::parse(&good.as_bytes()[..cut]).is_none(),
                "cut at {cut}"
            );
        }
        let flipped = good.replacen("index.html", "index.htm!", 1);
        assert!(Cache::parse(flipped.as_bytes()).is_none());
        assert!(Cache::parse(b"\xff\xfe garbage\nend 0\n").is_none());
        let other_format = good.replacen(FORMAT, "briefing build cache 0", 1);
        assert!(Cache::parse(other_format.as_bytes()).is_none());
    }
}
