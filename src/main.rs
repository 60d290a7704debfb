//! The `briefing` binary: parses arguments, calls the library, and is the only place (with
//! the preview server) that talks to the terminal.

mod cli;

use std::process::ExitCode;
use std::time::Instant;

use briefing::{BuildOptions, Config, Error};
use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report_error(&e);
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
            let report = briefing::build(&config)?;
            if cli.verbose {
                for (stage, took) in &report.timings {
                    eprintln!("  {stage:<14} {:>8.1} ms", took.as_secs_f64() * 1000.0);
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
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn report_error(e: &Error) {
    match e {
        Error::Input(diags) => {
            for d in diags {
                eprintln!("error: {d}");
            }
            if diags.len() > 1 {
                eprintln!("{} problems; nothing was written", diags.len());
            }
        }
        other => eprintln!("error: {other}"),
    }
}
