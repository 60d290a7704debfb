//! briefing: a static site generator for daily news briefings.
//!
//! The library runs the stages in order and returns what happened; it never prints.
//! [`build`] owns the stage order (`content::load` → `digest::assemble` → `story::analyse` →
//! `pages::plan` → render → `output` write) and runs it for `briefing build`, `check` and the
//! preview's [`incremental::Session`], which keeps what it read and wrote so that a rebuild
//! redoes only what a change touches. `ingest` turns raw sources into content files, `fetch`
//! collects them from the web, `deploy` publishes the output. This file only declares and
//! re-exports.

pub mod build;
pub mod config;
pub mod deploy;
pub mod error;
pub mod fetch;
pub mod ids;
pub mod ingest;
pub mod progress;
pub mod scaffold;
pub mod topics;

mod fs;
mod hints;
mod memory;

pub use build::{
    BuildReport, CacheUse, Changes, CheckReport, build, build_with_progress, check, content,
    digest, feeds, frontmatter, incremental, markdown, note, output, pages, search, story,
    templates,
};
pub use config::{BuildOptions, Config};
pub use error::{Diagnostic, Error, Result};
pub use ingest::{IngestOptions, IngestReport, ingest};
pub use progress::Progress;
