//! Small file-system helpers whose errors always name the path. Nothing else lives here.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

pub fn read_to_string(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io(path, e))
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io(path, e))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(path, e))
}

/// Writes `bytes` to `path` so that no reader ever sees half of them, even if the process is
/// killed: into a hidden temporary file beside it (`.briefing-*`, skipped by every walk of
/// content/), then renamed over `path`. The file gets ordinary permissions (0644 on Unix, not
/// the temp file's 0600); missing parent folders are created. The one atomic write of the
/// crate (articles and state files of ingest and fetch, `init` and `new`); the build's output
/// folder is staged whole instead (`output`).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = staged(path, bytes)?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// `bytes` in a hidden temporary file beside `path` (its parent folders created), ready to be
/// renamed over it; dropped unrenamed, the file is deleted.
fn staged(path: &Path, bytes: &[u8]) -> Result<tempfile::NamedTempFile> {
    use std::io::Write as _;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".briefing-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut tmp = builder
        .tempfile_in(parent)
        .map_err(|e| Error::io(parent, e))?;
    tmp.write_all(bytes).map_err(|e| Error::io(tmp.path(), e))?;
    Ok(tmp)
}

/// Writes a batch of files all or nothing, each as [`write_atomic`] does: every file is first
/// written to a hidden temporary file beside its place (several at once), and only when all
/// of them are ready are they renamed into place, in order. When a file cannot be written the
/// error names the first such file in batch order and nothing is changed; when a rename fails
/// half way, the files already placed are taken back (new ones removed, replaced ones given
/// their old bytes again). Missing parent folders are created and may stay behind, empty.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<()> {
    use rayon::prelude::*;
    let staged: Vec<Result<(tempfile::NamedTempFile, Option<Vec<u8>>)>> = files
        .par_iter()
        .map(|(path, bytes)| {
            let tmp = staged(path, bytes)?;
            let old = match std::fs::read(path) {
                Ok(old) => Some(old),
                // Nothing to give back: no file, or a folder the rename will refuse to replace.
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
                    ) =>
                {
                    None
                }
                Err(e) => return Err(Error::io(path, e)),
            };
            Ok((tmp, old))
        })
        .collect();
    // Collected in batch order: the first error is the first file that failed, every run;
    // dropping the staged files deletes their temporary files.
    let staged: Vec<_> = staged.into_iter().collect::<Result<_>>()?;
    let mut placed: Vec<(&Path, Option<Vec<u8>>)> = Vec::with_capacity(files.len());
    for ((path, _), (tmp, old)) in files.iter().zip(staged) {
        if let Err(e) = tmp.persist(path) {
            for (path, old) in placed.into_iter().rev() {
                // Best effort: the error that stopped the batch is the one to report.
                let _ = match old {
                    Some(old) => write_atomic(path, &old),
                    None => std::fs::remove_file(path).map_err(|e| Error::io(path, e)),
                };
            }
            return Err(Error::io(path, e.error));
        }
        placed.push((path, old));
    }
    Ok(())
}

pub fn rename(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|e| Error::io(from, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rename_failing_half_way_takes_back_the_files_already_placed() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("a/new.md");
        let replaced = dir.path().join("replaced.md");
        let blocked = dir.path().join("blocked.md");
        std::fs::write(&replaced, "old text\n").unwrap();
        // A folder with something in it where a file should go: its temporary file can be
        // written, but it cannot be renamed over the folder.
        std::fs::create_dir_all(blocked.join("inside")).unwrap();
        let files: Vec<(PathBuf, &[u8])> = vec![
            (new.clone(), b"new text\n"),
            (replaced.clone(), b"new text\n"),
            (blocked.clone(), b"new text\n"),
        ];
        let err = write_all_atomic(&files).unwrap_err().to_string();
        assert!(err.contains("blocked.md"), "{err}");
        assert!(!new.exists());
        assert_eq!(std::fs::read_to_string(&replaced).unwrap(), "old text\n");
        assert!(blocked.join("inside").is_dir());
        let hidden: Vec<_> = walkdir::WalkDir::new(dir.path())
            .into_iter()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".briefing-"))
            .collect();
        assert!(hidden.is_empty(), "temporary files left: {hidden:?}");
        // Without the folder in the way, the batch is written whole.
        std::fs::remove_dir_all(&blocked).unwrap();
        write_all_atomic(&files).unwrap();
        for path in [&new, &replaced, &blocked] {
            assert_eq!(std::fs::read_to_string(path).unwrap(), "new text\n");
        }
    }
}
