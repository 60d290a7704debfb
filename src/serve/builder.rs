//! Running builds for the preview: the incremental [`Session`] is kept between rebuilds and
//! given the changed paths when only `content/` changed; any other change starts a new
//! session (a full build). Builds run off the async threads; each is reported on the terminal.

use std::path::PathBuf;
use std::time::Instant;

use briefing::incremental::Session;
use briefing::{BuildOptions, BuildReport, Config, Error};

use super::Verbosity;

/// What a rebuild must look at again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Only these paths under `content/` changed (site-relative): the session updates what
    /// they touch.
    Content(Vec<PathBuf>),
    /// Everything: config and templates are read again by a new session.
    Full,
}

/// Runs builds off the async threads, keeps the incremental session between them, and reports
/// each build on the terminal.
pub(crate) struct Builder {
    /// `None` before the first build and after a change that needs a full one.
    pub session: Option<Session>,
    pub root: PathBuf,
    pub options: BuildOptions,
    pub verbosity: Verbosity,
    /// Whether a build has succeeded yet (before that there is no last good build to serve).
    pub built_once: bool,
}

impl Builder {
    /// Returns the error text for the overlay when the build fails.
    pub async fn build(&mut self, scope: Scope) -> Result<(), String> {
        let (session, changed) = match scope {
            Scope::Content(changed) => (self.session.take(), changed),
            Scope::Full => (None, Vec::new()),
        };
        let (root, options) = (self.root.clone(), self.options.clone());
        let started = Instant::now();
        let (session, result) = tokio::task::spawn_blocking(move || {
            let mut session = match session {
                Some(s) => s,
                None => match Config::load(&root, options).and_then(Session::new) {
                    Ok(s) => s,
                    Err(e) => return (None, Err(e)),
                },
            };
            let result = session.update_paths(&changed);
            (Some(session), result)
        })
        .await
        .unwrap_or_else(|e| {
            let e = Error::server("the build stopped unexpectedly", e);
            (None, Err(e))
        });
        self.session = session;
        let took = started.elapsed();
        match result {
            Ok(mut report) => {
                self.built_once = true;
                if let Some(old) = report.old_output.take() {
                    // Deleting a replaced tree must not hold back the reload.
                    tokio::task::spawn_blocking(move || drop(old));
                }
                if self.verbosity.verbose {
                    for (stage, t) in &report.timings {
                        eprintln!("  {stage:<18} {:>8.1} ms", t.as_secs_f64() * 1000.0);
                    }
                }
                if !self.verbosity.quiet {
                    eprintln!("{} in {} ms", summary(&report), took.as_millis());
                    for line in crate::cli::terminal::left_out(&report.left_out, None) {
                        eprintln!("{line}");
                    }
                }
                Ok(())
            }
            Err(e) => {
                let problems = crate::cli::terminal::report_error(&e, &self.root);
                let serving = if self.built_once {
                    "still serving the last good build"
                } else {
                    "no site to serve yet: every page shows this error until a build succeeds"
                };
                let count = if problems > 1 {
                    format!(" ({problems} problems)")
                } else {
                    String::new()
                };
                eprintln!(
                    "build failed after {} ms{count}; {serving}",
                    took.as_millis()
                );
                Err(e.to_string())
            }
        }
    }
}

/// `built 10000 articles in 400 editions: 6 of 10417 pages rendered, 9 files written`.
fn summary(report: &BuildReport) -> String {
    let head = format!(
        "built {} in {}",
        crate::plural(report.articles, "article"),
        crate::plural(report.editions, "edition")
    );
    match report.changes {
        Some(c) if c.rendered < report.pages || c.removed > 0 => {
            let removed = if c.removed > 0 {
                format!(", {} removed", c.removed)
            } else {
                String::new()
            };
            format!(
                "{head}: {} of {} pages rendered, {} files written{removed}",
                c.rendered, report.pages, c.written
            )
        }
        _ => format!("{head}: {} pages", report.pages),
    }
}
