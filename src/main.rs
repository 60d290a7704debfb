//! The `briefing` binary: parses arguments, calls the library, and is the only place (with
//! the preview server) that talks to the terminal.

mod cli;
mod serve;

use cli::{fetch as fetch_cmd, terminal};

use std::process::ExitCode;
use std::time::Instant;

use briefing::ingest::{InputFormat, Status};
use briefing::{BuildOptions, Config, Error, IngestOptions, IngestReport};
use clap::Parser;

use cli::{Cli, Command, FormatArg};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Fetch(args) => fetch_cmd::run(&cli, args),
        _ => run(&cli).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let problems = terminal::report_error(&e, &cli.root);
            if let Some(tail) = failure_tail(&cli.command, problems) {
                eprintln!("{tail}");
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// The last line of a failed run: how many problems, and what was (not) written.
fn failure_tail(command: &Command, problems: usize) -> Option<String> {
    let count = plural(problems, "problem");
    match command {
        Command::Build(args) => {
            let output = args
                .output
                .as_ref()
                .map_or_else(|| "public/".to_string(), |p| p.display().to_string());
            Some(format!("{count}; nothing was written, {output} unchanged"))
        }
        Command::Ingest(args) if !args.dry_run => Some(format!("{count}; nothing was written")),
        _ if problems > 1 => Some(count),
        _ => None,
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
                full: args.full,
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
                if let Some(cache) = &report.cache {
                    eprintln!(
                        "  cache: {} rendered, {} reused from the previous output",
                        plural(cache.rendered, "page"),
                        plural(cache.reused, "page")
                    );
                    if let Some(why) = &cache.full_because {
                        eprintln!("  cache: every page rendered: {why}");
                    }
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
                for line in terminal::left_out(&report.left_out, config.as_of) {
                    eprintln!("{line}");
                }
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
            let date = args.date.unwrap_or(today);
            let path = if args.edition {
                briefing::scaffold::new_edition_note(&config, args.title.as_deref(), date)?
            } else {
                let title = args.title.as_deref().expect("clap requires a title");
                briefing::scaffold::new_article(&config, title, args.topic.as_deref(), date)?
            };
            println!("{}", path.display());
            if !cli.quiet {
                eprintln!(
                    "written as a draft: builds leave it out until you delete `draft: true` (or pass --drafts)"
                );
            }
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
                    "ok: {}, {} pages, {} links checked; nothing written",
                    plural(report.articles, "article"),
                    report.pages,
                    report.links_checked
                );
                for line in terminal::left_out(&report.left_out, None) {
                    eprintln!("{line}");
                }
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
            // The process ends here: freeing every article's strings one by one took ~4 % of
            // a large ingest's CPU time, on one core, for memory the exit returns anyway.
            std::mem::forget(report);
            Ok(())
        }
        Command::Topics => {
            let config = Config::load(&cli.root, BuildOptions::default())?;
            print_topics(&briefing::topics::count(&config)?);
            Ok(())
        }
        Command::Completions(args) => {
            use clap::CommandFactory as _;
            use std::io::Write as _;
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "briefing", &mut script);
            // `| head` closing the pipe early is not an error worth a message.
            match std::io::stdout().write_all(&script) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Error::Refused(format!("cannot write the completions: {e}")))
                }
                _ => Ok(()),
            }
        }
        Command::Man(args) => {
            use clap::CommandFactory as _;
            let command = Cli::command();
            let mut pages = vec!["briefing.1".to_string()];
            pages.extend(
                command
                    .get_subcommands()
                    .map(|c| format!("briefing-{}.1", c.get_name())),
            );
            std::fs::create_dir_all(&args.dir).map_err(|e| Error::io(&args.dir, e))?;
            clap_mangen::generate_to(command, &args.dir).map_err(|e| Error::io(&args.dir, e))?;
            if !cli.quiet {
                for page in &pages {
                    eprintln!("  wrote {}", args.dir.join(page).display());
                }
            }
            Ok(())
        }
        Command::Fetch(_) => unreachable!("`fetch` has its own exit codes; handled in main"),
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

/// `briefing topics`: one line per topic, in the site's order, on stdout (for scripts too).
fn print_topics(topics: &[briefing::topics::TopicCount]) {
    let slug_width = topics.iter().map(|t| t.slug.len()).max().unwrap_or(0);
    let name_width = topics
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0);
    for t in topics {
        let drafts = if t.drafts > 0 {
            format!(" (and {})", plural(t.drafts, "draft"))
        } else {
            String::new()
        };
        println!(
            "{:<slug_width$}  {:<name_width$}  {}{drafts}",
            t.slug,
            t.name,
            plural(t.articles, "article")
        );
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
    if report.read.len() > 1 {
        for (source, found) in &report.read {
            writeln!(err, "  read {source}: {}", plural(*found, "article"))?;
        }
    }
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
        // HTML pages: which way the body was found.
        let body_by = a
            .extractor
            .as_deref()
            .map(|e| format!("; body by {e}"))
            .unwrap_or_default();
        writeln!(
            err,
            "  {status:<12} {}  [{} {:.3}]  {:?} ({}{body_by})",
            a.path, a.topic, a.topic_score, a.title, a.origin
        )?;
    }
    Ok(())
}

/// `s` for counts other than one.
fn suffix_s(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
