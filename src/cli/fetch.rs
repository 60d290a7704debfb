//! `briefing fetch` on the terminal: runs the library's fetch, prints one line per source and
//! then what ingest decided, and turns the outcome into the documented exit code.

use std::io::Write as _;
use std::process::ExitCode;

use briefing::fetch::{FetchOptions, FetchReport, Outcome};
use briefing::{BuildOptions, Config, Error};

use crate::cli::{Cli, FetchArgs};

/// Exit code when some sources failed; the others were written.
pub const SOME_SOURCES_FAILED: u8 = 3;

pub fn run(cli: &Cli, args: &FetchArgs) -> Result<ExitCode, Error> {
    let config = Config::load(&cli.root, BuildOptions::default())?;
    if config.sources.is_empty() {
        return Err(Error::Refused(
            "no [[sources]] in briefing.toml: add one (name, url) to fetch it; see README, `briefing fetch`"
                .into(),
        ));
    }
    let options = FetchOptions {
        sources: args.sources.clone(),
        dry_run: args.dry_run,
        since: args.since,
    };
    let progress = crate::cli::terminal::ProgressBar::new(cli.quiet, "analysing", "articles");
    let result = briefing::fetch::fetch_with_progress(&config, &options, &progress);
    progress.finish();
    let report = result?;
    if args.json {
        let json = serde_json::to_string_pretty(&report.json()).expect("report serializes");
        println!("{json}");
    }
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    let _ = write_report(&mut err, &report, cli.quiet).and_then(|()| err.flush());
    drop(err);
    if !report.ingest.articles.is_empty() || !report.ingest.warnings.is_empty() {
        crate::print_ingest_report(&report.ingest, cli.quiet);
    }
    Ok(if report.failed() > 0 {
        ExitCode::from(SOME_SOURCES_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_report(
    err: &mut impl std::io::Write,
    report: &FetchReport,
    quiet: bool,
) -> std::io::Result<()> {
    let count = |o| report.sources.iter().filter(|s| s.outcome == o).count();
    // Failures are shown even with -q: they change the exit code.
    for s in report
        .sources
        .iter()
        .filter(|s| s.outcome == Outcome::Failed)
    {
        writeln!(
            err,
            "{}: source `{}` failed ({}): {}",
            crate::cli::terminal::warning_label(),
            s.name,
            s.failure.unwrap_or("error"),
            s.reason.as_deref().unwrap_or("")
        )?;
    }
    if quiet {
        return Ok(());
    }
    writeln!(
        err,
        "fetch: {} source{}: {} fetched, {} not modified, {} failed; {} request{}, {}{}",
        report.sources.len(),
        crate::suffix_s(report.sources.len()),
        count(Outcome::Fetched),
        count(Outcome::NotModified),
        count(Outcome::Failed),
        report.requests,
        crate::suffix_s(report.requests),
        human_bytes(report.bytes),
        if report.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    )?;
    for s in &report.sources {
        let what = match s.outcome {
            Outcome::Fetched => format!(
                "{} article{}: {} new, {} updated, {} unchanged, {} duplicate, {} protected",
                s.articles,
                crate::suffix_s(s.articles),
                s.new,
                s.updated,
                s.unchanged,
                s.duplicate,
                s.protected
            ),
            Outcome::NotModified => "not modified".to_string(),
            Outcome::Failed => format!(
                "FAILED ({}): {}",
                s.failure.unwrap_or("error"),
                s.reason.as_deref().unwrap_or("")
            ),
        };
        writeln!(err, "  {:<24} {what}", s.name)?;
        for w in &s.warnings {
            writeln!(err, "    {}: {w}", crate::cli::terminal::warning_label())?;
        }
    }
    Ok(())
}

fn human_bytes(n: u64) -> String {
    if n < 1024 {
        format!("{n} B")
    } else if n < 1024 * 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    }
}
