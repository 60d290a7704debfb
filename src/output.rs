//! Writing the site: every file goes into a fresh temporary folder beside the output folder,
//! which replaces the old output only when everything was written. A failed build therefore
//! leaves the previous output exactly as it was. This module also refuses output folders
//! that would destroy something (the site itself, content/, a folder briefing did not make).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::fs;
use crate::pages::Page;

/// Written into every output folder, so that a later build knows it may replace it.
pub const MARKER: &str = ".briefing-output";

/// A folder being filled; dropped without `commit`, it is removed.
pub struct Staging {
    dir: Option<tempfile::TempDir>,
    target: PathBuf,
}

impl Staging {
    /// Checks that `config.output_dir` may be replaced and creates the staging folder beside it.
    pub fn new(config: &Config) -> Result<Staging> {
        let target = config.output_dir.clone();
        check_target(config, &target)?;
        let parent = target.parent().ok_or_else(|| {
            Error::Usage(format!("{}: not a usable output folder", target.display()))
        })?;
        fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        remove_stale(parent, &name);
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.tmp-"))
            .tempdir_in(parent)
            .map_err(|e| Error::io(parent, e))?;
        fs::write(
            &dir.path().join(MARKER),
            b"This folder was written by briefing build; the next build replaces it.\n",
        )?;
        Ok(Staging {
            dir: Some(dir),
            target,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir
            .as_ref()
            .expect("staging folder exists until commit")
            .path()
    }

    /// Creates every parent folder of `files` once, before parallel writes.
    pub fn create_dirs<'a>(&self, files: impl IntoIterator<Item = &'a str>) -> Result<()> {
        let dirs: BTreeSet<&str> = files
            .into_iter()
            .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d))
            .collect();
        for d in dirs {
            fs::create_dir_all(&self.path().join(d))?;
        }
        Ok(())
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        fs::write(&self.path().join(rel), bytes)
    }

    /// Swaps the staged folder in place of the target: the old output is moved aside first
    /// and deleted only after the new one is in place, on a background thread (see
    /// [`OldOutput`]): deleting ten thousand files takes longer than the swap.
    pub fn commit(mut self) -> Result<OldOutput> {
        let dir = self.dir.take().expect("commit once").keep();
        let old = if self.target.exists() {
            let parent = self.target.parent().expect("checked in new");
            let aside = tempfile::Builder::new()
                .prefix(".briefing-old-")
                .tempdir_in(parent)
                .map_err(|e| Error::io(parent, e))?
                .keep();
            let aside = aside.join("old");
            fs::rename(&self.target, &aside)?;
            Some(aside)
        } else {
            None
        };
        if let Err(e) = fs::rename(&dir, &self.target) {
            if let Some(old) = &old {
                let _ = std::fs::rename(old, &self.target);
            }
            let _ = std::fs::remove_dir_all(&dir);
            return Err(e);
        }
        let deletion = old.map(|old| {
            let holder = old.parent().expect("aside has a parent").to_path_buf();
            // A failure leaves a `.briefing-old-*` folder, which a later build removes.
            std::thread::spawn(move || {
                let _ = std::fs::remove_dir_all(&holder);
            })
        });
        Ok(OldOutput(deletion))
    }
}

/// The previous output of a committed build, being deleted in the background. Dropping this
/// waits until it is gone, so a process that drops it before exiting never leaves half a tree
/// behind; a server can drop it on another thread and announce the new site at once.
#[derive(Debug)]
#[must_use = "dropping it waits for the old output to be deleted"]
pub struct OldOutput(Option<std::thread::JoinHandle<()>>);

impl Drop for OldOutput {
    fn drop(&mut self) {
        if let Some(deletion) = self.0.take() {
            let _ = deletion.join();
        }
    }
}

/// Replaces one file of a live output folder (the preview's), atomically: a reader sees the
/// old bytes or the new ones, never a half-written file. Used by incremental rebuilds, which
/// update the few files a change touches instead of swapping the whole folder.
pub(crate) fn replace_file(root: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let target = root.join(rel);
    let dir = target
        .parent()
        .expect("output files are inside the output folder");
    fs::create_dir_all(dir)?;
    // Created like `fs::write` creates files (permissions from the umask, as in a full
    // build), under a name no other writer uses.
    let temp = dir.join(format!(
        ".briefing-new-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut f| f.write_all(bytes));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io(&temp, e));
    }
    std::fs::rename(&temp, &target).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io(&target, e)
    })
}

/// Removes one file of a live output folder, and the folders it leaves empty (a full build
/// would not have made them).
pub(crate) fn remove_file(root: &Path, rel: &str) -> Result<()> {
    let target = root.join(rel);
    match std::fs::remove_file(&target) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(&target, e)),
    }
    let mut dir = target.parent();
    while let Some(d) = dir.filter(|d| *d != root) {
        // Fails when the folder still holds something: that is where to stop.
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

/// Staging and set-aside folders of builds that were killed (SIGKILL, power loss) never
/// reach `commit`: remove those older than an hour, so that they do not pile up. Younger
/// ones may belong to a build running right now.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}.tmp-");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if !(file_name.starts_with(&staging) || file_name.starts_with(".briefing-old-")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age.as_secs() > 3600);
        if old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A whole site written the all-or-nothing way: `files` as they are and every page rendered
/// by `render` (given its index and the page, in parallel) go into a new staging folder, which then replaces the output.
/// Shared by `briefing build` and the preview's full rebuilds.
pub fn write_site<'a>(
    config: &Config,
    pages: &[Page],
    files: &[&'a (String, Vec<u8>)],
    render: &(dyn Fn(usize, &Page) -> Result<String> + Sync),
) -> Result<OldOutput> {
    use rayon::prelude::*;
    let staging = Staging::new(config)?;
    staging.create_dirs(
        pages
            .iter()
            .map(|p| p.path.as_str())
            .chain(files.iter().map(|(n, _)| n.as_str())),
    )?;
    for (name, bytes) in files {
        staging.write(name, bytes)?;
    }
    pages
        .par_iter()
        .enumerate()
        .try_for_each(|(i, page)| staging.write(&page.path, render(i, page)?.as_bytes()))?;
    staging.commit()
}

/// Refuses output folders that a build must never replace.
fn check_target(config: &Config, target: &Path) -> Result<()> {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let root = canon(&config.root);
    let target_c = canon(target);
    if root.starts_with(&target_c) {
        return Err(Error::Usage(format!(
            "refusing to write the site into {}: it is the site folder or one of its parents, and building would replace it",
            target.display()
        )));
    }
    let content = canon(&config.content_dir());
    if target_c.starts_with(&content) {
        return Err(Error::Usage(format!(
            "refusing to write the site into {}: it is inside content/, where articles live",
            target.display()
        )));
    }
    for kept in ["templates", "themes", "static"] {
        let dir = canon(&config.root.join(kept));
        if target_c.starts_with(&dir) {
            return Err(Error::Usage(format!(
                "refusing to write the site into {}: it is inside {kept}/",
                target.display()
            )));
        }
    }
    if target.is_file() {
        return Err(Error::Usage(format!(
            "{}: exists and is a file, not an output folder",
            target.display()
        )));
    }
    if target.is_dir() && !config.force && !target.join(MARKER).exists() {
        let mut entries = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?;
        if entries.next().is_some() {
            return Err(Error::Usage(format!(
                "refusing to replace {}: it is not empty and was not written by briefing (use --force to replace it)",
                target.display()
            )));
        }
    }
    Ok(())
}
