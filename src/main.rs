//! The `briefing` binary: parses arguments, calls the library, and is the only place (with
//! the preview server) that talks to the terminal.

mod cli;
mod serve;

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
                    "built {} articles in {} editions: {} pages, {} files in {} ({:.2} s)",
                    report.articles,
                    report.editions,
                    report.pages,
                    report.files,
                    config.output_dir.display(),
                    started.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::Serve(args) => serve::run(&cli.root, args, serve::Verbosity { quiet: cli.quiet, verbose: cli.verbose }),
    }
}

pub(crate) fn report_error(e: &Error) {
    match e {
        Error::Input(diags) => {
            for d in diags {
                eprintln!("error: {d}");
            }
            if diags.len() > 1 {
                eprintln!("{} errors; nothing was written", diags.len());
            }
        }
        other => eprintln!("error: {other}"),
    }
}
