//! The `briefing` binary: parses arguments, calls the library, and is the only place (with
//! the preview server) that talks to the terminal.

mod cli;
mod serve;
mod terminal;

use std::process::ExitCode;
use std::time::Instant;

use briefing::ingest::{InputFormat, Status};
use briefing::{BuildOptions, Config, Error, IngestOptions, IngestReport};
use clap::Parser;

use cli::{Cli, Command, FormatArg};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            terminal::report_error(&e, &cli.root);
            ExitCode::from(1)
        }
    }
}

fn run(cli: &Cli) -> Result<(), Error> {
    match &cli.command {
        Command::Build(args) => {
            let started = Instant::now();
            let options = BuildOptions {
                output: args.output.clone(),
                base_url: args.base_url.clone(),
                drafts: args.drafts,
                as_of: args.as_of,
                force: args.force,
            };
            let config = Config::load(&cli.root, options)?;
            let progress = terminal::ProgressBar::new(cli.quiet, "rendering", "pages");
            let result = briefing::build_with_progress(&config, &progress);
            progress.finish();
            let report = result?;
            if cli.verbose {
                for (stage, took) in &report.timings {
                    eprintln!("  {stage:<18} {:>8.1} ms", took.as_secs_f64() * 1000.0);
                }
            }
            if !cli.quiet {
                eprintln!(
                    "built {} in {}: {} pages, {} files in {} ({:.2} s)",
                    plural(report.articles, "article"),
                    plural(report.editions, "edition"),
                    report.pages,
                    report.files,
                    config.output_dir.display(),
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::Init(args) => {
            let dir = args.dir.clone().unwrap_or_else(|| cli.root.clone());
            let report = briefing::scaffold::init(&dir, chrono::Utc::now().date_naive())?;
            if !cli.quiet {
                for f in &report.files {
                    eprintln!("  wrote {}", report.root.join(f).display());
                }
                eprintln!(
                    "\nA new briefing is ready. Next steps:\n  cd {}\n  briefing serve        # preview at http://127.0.0.1:1111/\n  briefing new \"Headline\" --topic raw-materials\n  briefing build        # write the site into public/",
                    report.root.display()
                );
            }
            Ok(())
        }
        Command::New(args) => {
            let config = Config::load(&cli.root, BuildOptions::default())?;
            let today = config
                .timezone
                .localize(&chrono::Utc::now().fixed_offset())
                .date_naive();
            let path = briefing::scaffold::new_article(
                &config,
                &args.title,
                args.topic.as_deref(),
                args.date.unwrap_or(today),
            )?;
            println!("{}", path.display());
            Ok(())
        }
        Command::Check(args) => {
            let options = BuildOptions {
                drafts: args.drafts,
                ..Default::default()
            };
            let config = Config::load(&cli.root, options)?;
            let report = briefing::check(&config)?;
            if !cli.quiet {
                eprintln!(
                    "ok: {} articles, {} pages, {} links checked; nothing written",
                    report.articles, report.pages, report.links_checked
                );
            }
            Ok(())
        }
        Command::Ingest(args) => {
            let config = Config::load(&cli.root, BuildOptions::default())?;
            let options = IngestOptions {
                sources: args.sources.clone(),
                format: match args.format {
                    FormatArg::Auto => InputFormat::Auto,
                    FormatArg::Text => InputFormat::Text,
                    FormatArg::Html => InputFormat::Html,
                    FormatArg::Feed => InputFormat::Feed,
                    FormatArg::Jsonl => InputFormat::Jsonl,
                },
                date: args.date,
                source_name: args.source_name.clone(),
                source_url: args.source_url.clone(),
                topic: args.topic.clone(),
                dry_run: args.dry_run,
                force: args.force,
            };
            let progress = terminal::ProgressBar::new(cli.quiet, "analysing", "articles");
            let result = briefing::ingest::ingest_with_progress(&config, &options, &progress);
            progress.finish();
            let report = result?;
            if args.json {
                let json =
                    serde_json::to_string_pretty(&report.articles).expect("report serializes");
                println!("{json}");
            }
            print_ingest_report(&report, cli.quiet);
            Ok(())
        }
        Command::Deploy(args) => deploy(cli, args),
        Command::Serve(args) => serve::run(
            &cli.root,
            args,
            serve::Verbosity {
                quiet: cli.quiet,
                verbose: cli.verbose,
            },
        ),
    }
}

fn deploy(cli: &Cli, args: &cli::DeployArgs) -> Result<(), Error> {
    let config = Config::load(&cli.root, BuildOptions::default())?;
    let options = briefing::deploy::DeployOptions {
        target: args.target.clone(),
        dry_run: args.dry_run,
        max_deletes: args.max_deletes,
        force: args.force,
        jobs: usize::from(args.jobs),
    };
    let progress = terminal::ProgressBar::new(cli.quiet || args.json, "deploying", "files");
    let result = briefing::deploy::deploy(&config, &options, &progress);
    progress.finish();
    let report = result?;
    if args.json {
        let json = serde_json::to_string_pretty(&report).expect("report serializes");
        println!("{json}");
    }
    if !cli.quiet {
        terminal::print_deploy_report(&report, cli.verbose);
    }
    Ok(())
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn print_ingest_report(report: &IngestReport, quiet: bool) {
    // One line per warning and per article, thousands for a big dump: buffered, not a
    // write(2) per piece of each line. Failing to print to stderr is not worth an error.
    use std::io::Write as _;
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    let _ = write_ingest_report(&mut err, report, quiet).and_then(|()| err.flush());
}

fn write_ingest_report(
    err: &mut impl std::io::Write,
    report: &IngestReport,
    quiet: bool,
) -> std::io::Result<()> {
    for w in &report.warnings {
        writeln!(err, "{}: {w}", terminal::warning_label())?;
    }
    if quiet {
        return Ok(());
    }
    let n = |s| report.count(s);
    writeln!(
        err,
        "ingest: {} source{}, {} article{} found: {} written, {} updated, {} unchanged, {} duplicate{}, {} protected; {} boilerplate line{} dropped{}",
        report.sources,
        suffix_s(report.sources),
        report.articles.len(),
        suffix_s(report.articles.len()),
        n(Status::Written),
        n(Status::Updated),
        n(Status::Unchanged),
        n(Status::Duplicate),
        suffix_s(n(Status::Duplicate)),
        n(Status::Protected),
        report.boilerplate,
        suffix_s(report.boilerplate),
        if report.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        },
    )?;
    for a in &report.articles {
        let status = match (a.status, report.dry_run) {
            (Status::Written, true) => "would write",
            (Status::Updated, true) => "would update",
            (Status::Written, false) => "written",
            (Status::Updated, false) => "updated",
            (Status::Unchanged, _) => "unchanged",
            (Status::Duplicate, _) => "duplicate",
            (Status::Protected, _) => "protected",
        };
        let status = if a.status == Status::Duplicate {
            "duplicate of"
        } else {
            status
        };
        writeln!(
            err,
            "  {status:<12} {}  [{} {:.3}]  {:?} ({})",
            a.path, a.topic, a.topic_score, a.title, a.origin
        )?;
    }
    Ok(())
}

/// `s` for counts other than one.
fn suffix_s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
