//! How the binary talks to the terminal: colours (only on a terminal, never with NO_COLOR)
//! and error reports with a snippet of the offending line under each located problem.

use std::io::IsTerminal;
use std::path::Path;

use briefing::{Diagnostic, Error};

/// Whether stderr gets ANSI colours: a terminal, and NO_COLOR unset or empty
/// (https://no-color.org).
pub fn colours() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn paint(text: &str, code: &str) -> String {
    if colours() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

pub fn error_label() -> String {
    paint("error", "1;31")
}

pub fn warning_label() -> String {
    paint("warning", "1;33")
}

/// Prints an error; located problems get the line they point at, with a caret. Returns the
/// number of problems printed (the caller says what that means for its output).
pub fn report_error(e: &Error, root: &Path) -> usize {
    match e {
        Error::Input(diags) => {
            for d in diags {
                eprintln!("{}: {d}", error_label());
                if let Some(snippet) = snippet(d, root) {
                    eprint!("{snippet}");
                }
            }
            diags.len()
        }
        other => {
            eprintln!("{}: {other}", error_label());
            1
        }
    }
}

/// What a build left out, one line each, so that no article disappears without a word:
/// `1 draft left out (--drafts to include)`.
pub fn left_out(l: &briefing::digest::LeftOut, as_of: Option<chrono::NaiveDate>) -> Vec<String> {
    let mut lines = Vec::new();
    if l.drafts > 0 {
        let s = if l.drafts == 1 { "" } else { "s" };
        lines.push(format!(
            "{} draft{s} left out (--drafts to include)",
            l.drafts
        ));
    }
    if l.after_as_of > 0 {
        let s = if l.after_as_of == 1 { "" } else { "s" };
        let day = as_of.map_or_else(String::new, |d| format!(" {d}"));
        lines.push(format!(
            "{} article{s} dated after{day} left out (--as-of)",
            l.after_as_of
        ));
    }
    lines
}

fn snippet(d: &Diagnostic, root: &Path) -> Option<String> {
    let line_no = d.line?;
    let path = if d.path.is_absolute() {
        d.path.clone()
    } else {
        root.join(&d.path)
    };
    let text = std::fs::read(&path).ok()?;
    let text = String::from_utf8_lossy(&text);
    let line = text.lines().nth(line_no - 1)?;
    if line.len() > 200 {
        return None;
    }
    let width = line_no.to_string().len();
    let col = d.column.unwrap_or(1).max(1);
    let pad: String = line
        .chars()
        .take(col - 1)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let bar = paint("|", "1;34");
    Some(format!(
        "{:width$} {bar}\n{} {bar} {line}\n{:width$} {bar} {pad}{}\n",
        "",
        paint(&line_no.to_string(), "1;34"),
        "",
        paint("^", "1;31"),
    ))
}

/// A progress bar for builds and ingests, drawn on stderr only when it is a terminal, only when not
/// `--quiet`, and only once the build has run for a second (short builds print nothing but
/// their summary line).
pub struct ProgressBar {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    wanted: bool,
    shown: std::sync::atomic::AtomicBool,
}

impl ProgressBar {
    /// `verb`: what is being done ("rendering"); `unit`: what is counted ("pages").
    pub fn new(quiet: bool, verb: &'static str, unit: &str) -> Self {
        let bar = indicatif::ProgressBar::hidden();
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{msg}} [{{bar:30}}] {{pos}}/{{len}} {unit} ({{per_sec}})"
            ))
            .expect("valid template")
            .progress_chars("=> "),
        );
        bar.set_message(verb);
        ProgressBar {
            bar,
            started: std::time::Instant::now(),
            wanted: !quiet && std::io::stderr().is_terminal(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl briefing::Progress for ProgressBar {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
    }

    fn advance(&self) {
        self.bar.inc(1);
        if self.wanted
            && self.started.elapsed().as_secs_f64() > 1.0
            && !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed)
        {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

/// The summary of `briefing deploy` on stderr; each planned change too for a dry run or with
/// `-v`.
pub fn print_deploy_report(report: &briefing::deploy::DeployReport, verbose: bool) {
    use std::io::Write as _;
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    let (up, del) = if report.dry_run {
        ("would upload", "would delete")
    } else {
        ("uploaded", "deleted")
    };
    if report.dry_run || verbose {
        for u in &report.uploads {
            let _ = writeln!(
                err,
                "  {up:<13} {} ({} bytes, {})",
                u.path, u.bytes, u.content_type
            );
        }
        for d in &report.deletes {
            let _ = writeln!(err, "  {del:<13} {d}");
        }
    }
    let r = &report.requests;
    let _ = writeln!(
        err,
        "deploy to {} ({}): {} {} ({} bytes), {} {}, {} unchanged of {} local files; {} requests ({} list, {} get, {} head, {} put, {} delete) in {:.2} s{}",
        report.target,
        report.location,
        report.uploads.len(),
        up,
        report.bytes,
        report.deletes.len(),
        del,
        report.unchanged,
        report.local_files,
        r.total(),
        r.list,
        r.get,
        r.head,
        r.put,
        r.delete,
        report.seconds,
        if report.dry_run {
            " (dry run: nothing changed)"
        } else {
            ""
        },
    );
    let _ = err.flush();
}
