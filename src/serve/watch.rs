//! Watching the site's sources with notify + notify-debouncer-full, and deciding which events
//! are worth a rebuild. Watched: `briefing.toml` (through a non-recursive watch of the site
//! folder, so that editors replacing the file by rename are seen) and `content/`, `templates/`,
//! `themes/`, `static/` recursively, picked up again when they are created later.
//! Never watched: the output folder (the preview builds outside the site anyway) — a build
//! must not trigger the next one. Reads (`Access` events) and editor temp files are ignored.
//! This module decides nothing about building or serving.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use briefing::config::CONFIG_FILE;
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer,
};
use tokio::sync::mpsc::UnboundedSender;

/// Quiet time after the last event before a batch is handed over. Long enough to cover an
/// editor's write-temp-then-rename save, short enough not to be felt.
pub(crate) const DEBOUNCE: Duration = Duration::from_millis(50);

/// The source folders of a site, watched recursively.
pub(crate) const WATCHED_DIRS: [&str; 4] = ["content", "templates", "themes", "static"];

/// The live watch. Dropping it stops watching, so the server keeps it for its whole run.
pub(crate) struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Starts watching `root` (canonical); batches of events are sent to `tx`.
    pub fn start(root: &Path, tx: UnboundedSender<DebounceEventResult>) -> notify::Result<Watcher> {
        let mut debouncer = new_debouncer(DEBOUNCE, None, move |batch| {
            // The receiver is gone only while the server shuts down.
            let _ = tx.send(batch);
        })?;
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut watcher = Watcher {
            debouncer,
            root: root.to_path_buf(),
            watched: BTreeSet::new(),
        };
        watcher.refresh()?;
        Ok(watcher)
    }

    /// Watches source folders that appeared since the last call; forgets those that are gone.
    pub fn refresh(&mut self) -> notify::Result<()> {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            if path.is_dir() {
                if self.watched.insert(dir) {
                    self.debouncer.watch(&path, RecursiveMode::Recursive)?;
                }
            } else if self.watched.remove(dir) {
                // The kernel already dropped the watch of a deleted folder; this only tidies up.
                let _ = self.debouncer.unwatch(&path);
            }
        }
        Ok(())
    }

    /// The folders and files being watched, relative to the site, for the terminal.
    pub fn describe(&self) -> String {
        let mut parts = vec![CONFIG_FILE.to_string()];
        parts.extend(self.watched.iter().map(|d| format!("{d}/")));
        parts.join(", ")
    }
}

/// The site-relative paths in `events` that should trigger a rebuild, sorted and unique.
/// A rescan request (the kernel dropped events) yields `.`: something changed, we do not know what.
pub(crate) fn changed_paths(root: &Path, events: &[DebouncedEvent]) -> Vec<PathBuf> {
    let mut out = BTreeSet::new();
    for event in events {
        if event.need_rescan() {
            out.insert(PathBuf::from("."));
            continue;
        }
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        for path in &event.paths {
            if let Ok(rel) = path.strip_prefix(root)
                && is_source(rel)
            {
                out.insert(rel.to_path_buf());
            }
        }
    }
    out.into_iter().collect()
}

/// Whether every changed path is under `content/`: then an incremental rebuild is enough.
/// Config, templates, themes and static files are read only by a full build.
pub(crate) fn only_content(changed: &[PathBuf]) -> bool {
    changed
        .iter()
        .all(|p| p.components().next() == Some(Component::Normal("content".as_ref())))
}

/// Whether a site-relative path is one of the site's sources (and not an editor's temp file,
/// nor hidden: hidden files and folders are no part of the site, see [`briefing::ids`]).
fn is_source(rel: &Path) -> bool {
    if rel
        .components()
        .any(|c| briefing::ids::is_hidden(c.as_os_str()))
    {
        return false;
    }
    let mut parts = rel.components();
    let first = match parts.next() {
        Some(Component::Normal(first)) => first,
        _ => return false,
    };
    let top_level_config = first == CONFIG_FILE && parts.next().is_none();
    let in_source_dir = WATCHED_DIRS.iter().any(|d| first == *d);
    if !(top_level_config || in_source_dir) {
        return false;
    }
    match rel.file_name().and_then(|n| n.to_str()) {
        Some(name) => !is_editor_temp(name),
        None => false,
    }
}

/// Swap, backup and probe files that editors write next to the file being saved.
fn is_editor_temp(name: &str) -> bool {
    name.ends_with('~')
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name == ".DS_Store"
        || name.starts_with(".goutputstream-")
        || [
            ".swp",
            ".swo",
            ".swx",
            ".kate-swp",
            ".crswap",
            ".tmp",
            ".bak",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_changes_allow_an_incremental_rebuild() {
        let paths = |list: &[&str]| list.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert!(only_content(&paths(&[
            "content/2026-11-26/a.md",
            "content"
        ])));
        assert!(!only_content(&paths(&[
            "content/a.md",
            "templates/base.html"
        ])));
        assert!(!only_content(&paths(&["briefing.toml"])));
        assert!(!only_content(&paths(&["."])));
    }
    use notify::event::{
        AccessKind, AccessMode, CreateKind, DataChange, Flag, ModifyKind, RenameMode,
    };
    use notify::{Event, EventKind};
    use std::time::Instant;

    fn event(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        DebouncedEvent::new(e, Instant::now())
    }

    fn changed(events: &[DebouncedEvent]) -> Vec<String> {
        changed_paths(Path::new("/site"), events)
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
    }

    #[test]
    fn edits_to_sources_count() {
        let events = [
            event(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["/site/content/2026-11-26/a.md"],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/site/static/logo.svg"],
            ),
            event(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["/site/briefing.toml"],
            ),
            event(
                EventKind::Remove(notify::event::RemoveKind::File),
                &["/site/templates/article.html"],
            ),
        ];
        assert_eq!(
            changed(&events),
            [
                "briefing.toml",
                "content/2026-11-26/a.md",
                "static/logo.svg",
                "templates/article.html"
            ]
        );
    }

    #[test]
    fn reads_output_and_other_files_do_not() {
        let events = [
            event(
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                &["/site/content/a.md"],
            ),
            event(
                EventKind::Access(AccessKind::Open(AccessMode::Any)),
                &["/site/templates/base.html"],
            ),
            event(EventKind::Create(CreateKind::Folder), &["/site/public"]),
            event(
                EventKind::Create(CreateKind::Folder),
                &["/site/.public.tmp-x1"],
            ),
            event(EventKind::Modify(ModifyKind::Any), &["/site/README.md"]),
            event(
                EventKind::Modify(ModifyKind::Any),
                &["/site/briefing.toml.bak"],
            ),
            event(
                EventKind::Modify(ModifyKind::Any),
                &["/elsewhere/content/a.md"],
            ),
        ];
        assert!(changed(&events).is_empty(), "{:?}", changed(&events));
    }

    #[test]
    fn editor_temp_files_are_ignored_but_rename_saves_count() {
        let events = [
            event(
                EventKind::Create(CreateKind::File),
                &["/site/content/.a.md.swp"],
            ),
            event(EventKind::Create(CreateKind::File), &["/site/content/4913"]),
            event(
                EventKind::Create(CreateKind::File),
                &["/site/content/a.md~"],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/site/content/.#a.md"],
            ),
            // What ingest and fetch write beside the articles: hidden, not content.
            event(
                EventKind::Modify(ModifyKind::Any),
                &["/site/content/.ingest-state.json"],
            ),
            event(
                EventKind::Create(CreateKind::File),
                &["/site/content/2026-11-26/.briefing-x1y2z3"],
            ),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/site/content/.goutputstream-XYZ", "/site/content/a.md"],
            ),
        ];
        assert_eq!(changed(&events), ["content/a.md"]);
    }

    #[test]
    fn rescan_means_rebuild() {
        let rescan = DebouncedEvent::new(
            Event::new(EventKind::Other).set_flag(Flag::Rescan),
            Instant::now(),
        );
        assert_eq!(changed(&[rescan]), ["."]);
    }
}
