//! Parsed articles (and edition notes) kept between rebuilds, keyed by file path and checked
//! by modification time and size: a refresh lists `content/` again but parses only files that
//! are new or changed, and forgets deleted ones. An article's version is a hash of its path
//! and bytes (`content::version_of`); page fingerprints ([`super::fingerprint`]) are made of
//! versions, so saving a file unchanged renders nothing. Errors are those of `content::load`,
//! word for word; files with errors are not kept, so they are read again.
//!
//! File times are coarse (a few milliseconds on Linux): a file written twice within one tick
//! keeps its time. So a stamp is trusted only when the file was older than [`SETTLE`] when it
//! was taken; a younger one is read and hashed again (not parsed, unless the bytes differ).

use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::build::content::{self, Item};
use crate::config::Config;
use crate::error::{Diagnostic, Result};

/// What tells a changed file from an unchanged one without reading it.
type Stamp = (SystemTime, u64);

/// How old a file must be for its stamp to be trusted (far above file time granularity).
const SETTLE: Duration = Duration::from_secs(1);

struct Entry {
    stamp: Stamp,
    /// When `stamp` was taken.
    checked: SystemTime,
    item: Item,
    version: u64,
}

impl Entry {
    fn trusted(&self, now: Stamp) -> bool {
        self.stamp == now
            && self
                .checked
                .duration_since(self.stamp.0)
                .is_ok_and(|age| age > SETTLE)
    }
}

/// A loaded article or note and the version of its file's contents.
pub(crate) type Versioned = (Item, u64);

#[derive(Default)]
pub(crate) struct Articles {
    entries: FxHashMap<PathBuf, Entry>,
    /// Files that failed to load, with their errors: read again on every refresh.
    broken: FxHashMap<PathBuf, Vec<Diagnostic>>,
    /// The last listing of `content/` went without errors, so `entries` and `broken` hold
    /// every file: a refresh may look only at the files the watcher names.
    listed: bool,
}

impl Articles {
    /// Every article of `content/` as it is now on disk, reading only what changed since the
    /// last refresh, and the number of files parsed. With `changed` (site-relative paths
    /// reported by a file watcher) only those files are looked at; without it, or when a
    /// folder changed, `content/` is listed again and every file's stamp checked.
    pub fn refresh(
        &mut self,
        config: &Config,
        changed: Option<&[PathBuf]>,
    ) -> Result<(Vec<Versioned>, usize)> {
        let named = match changed {
            Some(changed) if self.listed => self.named_files(config, changed),
            _ => None,
        };
        let (paths, errors, trust_stamps) = match named {
            Some(paths) => (paths, Vec::new(), false),
            None => {
                self.listed = false;
                let (paths, errors) = content::list(config)?;
                self.listed = errors.is_empty();
                let all: FxHashSet<&Path> = paths.iter().map(PathBuf::as_path).collect();
                self.entries.retain(|p, _| all.contains(p.as_path()));
                self.broken.retain(|p, _| all.contains(p.as_path()));
                (paths, errors, true)
            }
        };
        let parsed = self.check(config, &paths, trust_stamps);
        if self.entries.is_empty() && self.broken.is_empty() {
            // Only a listing says why there is nothing (no folder, no articles).
            self.listed = false;
            return self.refresh(config, None);
        }
        let loaded = self
            .entries
            .values()
            .map(|e| Ok((e.item.clone(), e.version)));
        let failed = self.broken.values().map(|d| Err(d.clone()));
        let articles = content::gather(loaded.chain(failed), errors)?;
        Ok((articles, parsed))
    }

    /// The content files among `changed` that exist, plus the broken ones; deleted files are
    /// forgotten here. `None` when a folder changed (or anything unclear): list everything.
    fn named_files(&mut self, config: &Config, changed: &[PathBuf]) -> Option<Vec<PathBuf>> {
        let mut files: Vec<PathBuf> = self.broken.keys().cloned().collect();
        for rel in changed {
            let mut parts = rel.components();
            if parts.next() != Some(Component::Normal("content".as_ref())) {
                continue;
            }
            let rest: Vec<Component> = parts.collect();
            if rest.is_empty() {
                return None;
            }
            // `content::list` skips hidden files and folders.
            if rest.iter().any(|c| crate::ids::is_hidden(c.as_os_str())) {
                continue;
            }
            let path = config.root.join(rel);
            match std::fs::metadata(&path) {
                Ok(meta) if meta.is_file() => {
                    if crate::ids::is_content_file(&path) {
                        files.push(path);
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    self.entries.retain(|p, _| !p.starts_with(&path));
                    self.broken.retain(|p, _| !p.starts_with(&path));
                    files.retain(|p| !p.starts_with(&path));
                }
                _ => return None,
            }
        }
        files.sort();
        files.dedup();
        Some(files)
    }

    /// Loads those of `paths` that changed; returns how many were parsed. With
    /// `trust_stamps`, a file whose stamp is unchanged (and trusted) is not even read.
    fn check(&mut self, config: &Config, paths: &[PathBuf], trust_stamps: bool) -> usize {
        // Stat before reading: a file written after its stat is seen as changed next time.
        let checked = SystemTime::now();
        let stamps: Vec<Option<Stamp>> = paths.par_iter().map(|p| stamp(p)).collect();
        let unsure: Vec<usize> = (0..paths.len())
            .filter(|&k| match (self.entries.get(&paths[k]), stamps[k]) {
                (Some(e), Some(now)) => !(trust_stamps && e.trusted(now)),
                _ => true,
            })
            .collect();
        let read: Vec<(usize, Option<content::FileResult>, u64)> = unsure
            .par_iter()
            .map(|&k| {
                // One read: hashed always, parsed only when its version is new.
                let read = content::read_file(config, &paths[k]);
                let version = read.version;
                let known = self.entries.get(&paths[k]).map(|e| e.version);
                let parsed = (known != Some(version) || stamps[k].is_none())
                    .then(|| read.parse(config, &paths[k]));
                (k, parsed, version)
            })
            .collect();
        let mut parsed = 0;
        for (k, result, version) in read {
            let path = &paths[k];
            let fresh = |item| Entry {
                stamp: stamps[k].expect("a file that was read has a stamp"),
                checked,
                item,
                version,
            };
            match result {
                None => {
                    let old = self.entries.remove(path).expect("known above");
                    self.entries.insert(path.clone(), fresh(old.item));
                }
                Some(Ok(item)) => {
                    parsed += 1;
                    self.broken.remove(path);
                    self.entries.insert(path.clone(), fresh(item));
                }
                Some(Err(problems)) => {
                    parsed += 1;
                    self.entries.remove(path);
                    self.broken.insert(path.clone(), problems);
                }
            }
        }
        parsed
    }
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BuildOptions;

    fn site() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("briefing.toml"),
            "title = \"t\"\nbase_url = \"https://e.org/\"\n",
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("content")).unwrap();
        let config = Config::load(dir.path(), BuildOptions::default()).unwrap();
        (dir, config)
    }

    fn write(dir: &Path, name: &str, title: &str) {
        let text = format!("---\ntitle: \"{title}\"\ndate: 2026-11-26\n---\nBody.\n");
        std::fs::write(dir.join("content").join(name), text).unwrap();
    }

    #[test]
    fn only_changed_files_are_parsed_again() {
        let (dir, config) = site();
        write(dir.path(), "a.md", "A");
        write(dir.path(), "b.md", "B");
        let mut cache = Articles::default();
        let (first, parsed) = cache.refresh(&config, None).unwrap();
        assert_eq!(parsed, 2);
        let (same, parsed) = cache.refresh(&config, None).unwrap();
        assert_eq!(parsed, 0, "files just written are hashed again, not parsed");
        assert_eq!(
            first.iter().map(|a| a.1).collect::<Vec<_>>(),
            same.iter().map(|a| a.1).collect::<Vec<_>>()
        );
        write(dir.path(), "b.md", "B, longer");
        std::fs::remove_file(dir.path().join("content/a.md")).unwrap();
        let (after, parsed) = cache.refresh(&config, None).unwrap();
        assert_eq!(parsed, 1);
        assert_eq!(after.len(), 1);
        let Item::Article(b) = &after[0].0 else {
            panic!("an article")
        };
        assert_eq!(b.title, "B, longer");
        assert_ne!(after[0].1, first[1].1);
    }

    #[test]
    fn broken_files_fail_like_a_full_load_and_are_read_again() {
        let (dir, config) = site();
        write(dir.path(), "a.md", "A");
        std::fs::write(dir.path().join("content/b.md"), "---\ntitel: x\n---\n").unwrap();
        let mut cache = Articles::default();
        let err = cache.refresh(&config, None).unwrap_err().to_string();
        assert_eq!(err, content::load(&config).unwrap_err().to_string());
        write(dir.path(), "b.md", "B");
        let (articles, _) = cache.refresh(&config, None).unwrap();
        assert_eq!(articles.len(), 2);
    }
}
