//! Writing the site: every file goes into a fresh temporary folder beside the output folder,
//! which replaces the old output only when everything was written. A failed build therefore
//! leaves the previous output exactly as it was. This module also refuses output folders
//! that would destroy something (the site itself, content/, a folder briefing did not make).
//!
//! Crash safety: a build holds a lock on the output's parent folder from the moment it
//! creates its staging folder until the new output is in place, so two builds of one output
//! never overlap, and any staging folder found under the lock belongs to a build that died:
//! it is removed at once. The old output is deleted from a `.briefing-old-*` folder that its
//! deleting thread keeps locked; an unlocked one was left by a killed process and is removed
//! too. On Linux the swap is one `renameat2(RENAME_EXCHANGE)`, so the output folder is always
//! a whole old or a whole new tree; elsewhere it is two renames.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::build::pages::Page;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::fs;

/// Written into every output folder, so that a later build knows it may replace it.
pub const MARKER: &str = ".briefing-output";

/// `briefing build`'s cache: what each page was rendered from
/// ([`crate::build::incremental::stored`]).
pub const CACHE: &str = ".briefing-cache";

/// The files briefing keeps in an output folder for itself, not part of the site: `deploy`
/// leaves them out, and so should any other upload.
pub const BOOKKEEPING: [&str; 2] = [MARKER, CACHE];

/// A folder being filled; dropped without `commit`, it is removed.
pub struct Staging {
    dir: Option<tempfile::TempDir>,
    target: PathBuf,
    /// The output's lock, held until the new output is in place.
    _lock: OutputLock,
}

/// An exclusive `flock` on the output's parent folder. A lock on a folder (not a lock file)
/// leaves nothing behind when the process dies: the kernel drops it with the process.
struct OutputLock(#[allow(dead_code)] std::fs::File);

impl OutputLock {
    fn acquire(parent: &Path, target: &Path) -> Result<OutputLock> {
        let dir = std::fs::File::open(parent).map_err(|e| Error::io(parent, e))?;
        match dir.try_lock() {
            Ok(()) => Ok(OutputLock(dir)),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Refused(format!(
                "{}: another briefing build is writing this output folder right now; nothing was written, run the build again when it has finished",
                target.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(parent, e)),
        }
    }
}

impl Staging {
    /// Checks that `config.output_dir` may be replaced and creates the staging folder beside it.
    pub fn new(config: &Config) -> Result<Staging> {
        let target = config.output_dir.clone();
        check_target(config, &target)?;
        let parent = target.parent().ok_or_else(|| {
            Error::Refused(format!("{}: not a usable output folder", target.display()))
        })?;
        fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let lock = OutputLock::acquire(parent, &target)?;
        remove_leftovers(parent, &name);
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
            _lock: lock,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir
            .as_ref()
            .expect("staging folder exists until commit")
            .path()
    }

    /// Makes the folders of every page and file to come, then writes `files`: what a build
    /// does before its pages render (in parallel) into the folders made here.
    pub fn prepare(&self, pages: &[Page], files: &[&(String, Vec<u8>)]) -> Result<()> {
        self.create_dirs(
            pages
                .iter()
                .map(|p| p.path.as_str())
                .chain(files.iter().map(|(n, _)| n.as_str())),
        )?;
        self.write_files(files)
    }

    /// Creates every parent folder of `files` once, before parallel writes. In parallel
    /// too: a large site has a folder per article (`create_dir_all` accepts a parent that
    /// another thread made meanwhile).
    fn create_dirs<'a>(&self, files: impl IntoIterator<Item = &'a str>) -> Result<()> {
        use rayon::prelude::*;
        let dirs: BTreeSet<&str> = files
            .into_iter()
            .filter_map(|f| f.rsplit_once('/').map(|(d, _)| d))
            .collect();
        dirs.into_par_iter()
            .try_for_each(|d| fs::create_dir_all(&self.path().join(d)))
    }

    /// Writes `files` (in parallel); of two with the same name, the later one wins (the site's
    /// static files over the theme's).
    fn write_files(&self, files: &[&(String, Vec<u8>)]) -> Result<()> {
        use rayon::prelude::*;
        let mut last: std::collections::HashMap<&str, usize> = Default::default();
        for (k, (name, _)) in files.iter().enumerate() {
            last.insert(name, k);
        }
        files
            .par_iter()
            .enumerate()
            .filter(|(k, (name, _))| last[name.as_str()] == *k)
            .try_for_each(|(_, (name, bytes))| self.write(name, bytes))
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        fs::write(&self.path().join(rel), bytes)
    }

    /// [`Staging::write`], making the file's folder first if [`Staging::prepare`] did not.
    pub fn write_new(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if let Some((dir, _)) = rel.rsplit_once('/') {
            fs::create_dir_all(&self.path().join(dir))?;
        }
        self.write(rel, bytes)
    }

    /// Swaps the staged folder in place of the target. The old output is moved into a
    /// locked `.briefing-old-*` folder and deleted there on a background thread (see
    /// [`OldOutput`]): deleting ten thousand files takes longer than the swap. The output
    /// lock is released once the new output is in place.
    pub fn commit(mut self) -> Result<OldOutput> {
        let dir = self.dir.take().expect("commit once").keep();
        let parent = self.target.parent().expect("checked in new");
        if !self.target.exists() {
            if let Err(e) = fs::rename(&dir, &self.target) {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(e);
            }
            return Ok(OldOutput(None));
        }
        let holder = OldHolder::create(parent)?;
        let old = holder.path.join("old");
        match exchange(&dir, &self.target) {
            // `dir` now holds the old output. Should moving it aside fail, the new output is
            // in place all the same and the next build removes the leftover.
            Ok(true) => {
                let _ = std::fs::rename(&dir, &old);
            }
            Ok(false) => {
                fs::rename(&self.target, &old)?;
                if let Err(e) = fs::rename(&dir, &self.target) {
                    let _ = std::fs::rename(&old, &self.target);
                    let _ = std::fs::remove_dir_all(&dir);
                    return Err(e);
                }
            }
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                return Err(Error::io(&self.target, e));
            }
        }
        // A failure leaves an unlocked `.briefing-old-*` folder, which the next build removes.
        let deletion = std::thread::spawn(move || holder.delete());
        Ok(OldOutput(Some(deletion)))
    }
}

/// Swaps two folders in one step where the system can (Linux `renameat2` with
/// `RENAME_EXCHANGE`): `Ok(true)` when swapped, `Ok(false)` when the system or file system
/// cannot, so the caller falls back to two renames.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "NUL in path"))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

/// A `.briefing-old-*` folder holding a replaced output, locked while it exists so that
/// other builds leave it to its deleting thread.
struct OldHolder {
    path: PathBuf,
    _lock: std::fs::File,
}

impl OldHolder {
    fn create(parent: &Path) -> Result<OldHolder> {
        let path = tempfile::Builder::new()
            .prefix(".briefing-old-")
            .tempdir_in(parent)
            .map_err(|e| Error::io(parent, e))?
            .keep();
        let lock = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
        lock.lock().map_err(|e| Error::io(&path, e))?;
        Ok(OldHolder { path, _lock: lock })
    }

    fn delete(self) {
        let _ = std::fs::remove_dir_all(&self.path);
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

/// Removes what killed builds (SIGKILL, power loss) left beside the output. Called with the
/// output lock held, so a staging folder of this output belongs to no running build; a
/// `.briefing-old-*` folder is removed unless its deleting thread still holds its lock.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let staging = format!(".{name}.tmp-");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if file_name.starts_with(&staging) {
            let _ = std::fs::remove_dir_all(&path);
        } else if file_name.starts_with(".briefing-old-") {
            let unlocked = std::fs::File::open(&path).is_ok_and(|f| f.try_lock().is_ok());
            if unlocked {
                let _ = std::fs::remove_dir_all(&path);
            }
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
    staging.prepare(pages, files)?;
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
        return Err(Error::Refused(format!(
            "refusing to write the site into {}: it is the site folder or one of its parents, and building would replace it",
            target.display()
        )));
    }
    let content = canon(&config.content_dir());
    if target_c.starts_with(&content) {
        return Err(Error::Refused(format!(
            "refusing to write the site into {}: it is inside content/, where articles live",
            target.display()
        )));
    }
    for kept in ["templates", "themes", "static"] {
        let dir = canon(&config.root.join(kept));
        if target_c.starts_with(&dir) {
            return Err(Error::Refused(format!(
                "refusing to write the site into {}: it is inside {kept}/",
                target.display()
            )));
        }
    }
    if target.is_file() {
        return Err(Error::Refused(format!(
            "{}: exists and is a file, not an output folder",
            target.display()
        )));
    }
    if target.is_dir() && !config.force && !target.join(MARKER).exists() {
        let mut entries = std::fs::read_dir(target).map_err(|e| Error::io(target, e))?;
        if entries.next().is_some() {
            return Err(Error::Refused(format!(
                "refusing to replace {}: it is not empty and was not written by briefing (use --force to replace it)",
                target.display()
            )));
        }
    }
    Ok(())
}
