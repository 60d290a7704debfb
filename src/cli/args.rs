//! Command-line arguments (clap derive). Turning them into a [`briefing::Config`] happens in
//! `main`, through `Config::load`; this module only describes the interface (`--help`, the
//! shell completions and the man page are all made from it).

use std::net::IpAddr;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "briefing",
    version,
    about = "Build a daily news briefing website from Markdown articles"
)]
pub struct Cli {
    /// The site folder (holding briefing.toml)
    #[arg(long, global = true, default_value = ".", value_name = "DIR", help_heading = GLOBAL)]
    pub root: PathBuf,
    /// Print only errors
    #[arg(short, long, global = true, conflicts_with = "verbose", help_heading = GLOBAL)]
    pub quiet: bool,
    /// Print more: per-stage timings
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into public/ (or --output), all or nothing
    #[command(
        after_help = "Example:\n  briefing build --base-url https://example.org/news/ --as-of 2026-11-25"
    )]
    Build(BuildArgs),
    /// Validate config, content, templates and every internal link and #anchor; write nothing
    #[command(after_help = "Example:\n  briefing check && briefing build")]
    Check(CheckArgs),
    /// Normalize raw articles (text dumps, HTML pages, feeds, JSON Lines) into content/
    #[command(
        after_help = "Examples:\n  briefing ingest dump.txt --source-name \"Gulf Wire\"\n  briefing ingest feed.xml page.html --dry-run --json\n  curl -s https://example.org/feed | briefing ingest - --format feed"
    )]
    Ingest(IngestArgs),
    /// Fetch the configured [[sources]] (feeds, pages) over HTTP and ingest what is new
    #[command(
        after_help = "Examples:\n  briefing fetch && briefing build\n  briefing fetch --source \"Metals Daily\" --dry-run --json\n\nExit codes: 0 every source ok (fetched or not modified), 3 some sources failed (the\nothers were still written; the failed ones are tried again next run), 1 a config error."
    )]
    Fetch(FetchArgs),
    /// Preview the site: build it, serve it locally, rebuild and reload the browser on changes
    #[command(
        after_help = "Example:\n  briefing serve --port 8080 --open\n\nThe preview is built into a temporary folder; public/ is not touched."
    )]
    Serve(ServeArgs),
    /// Create a new site: a commented briefing.toml, a sample article, templates/
    #[command(after_help = "Example:\n  briefing init mysite && cd mysite && briefing serve")]
    Init(InitArgs),
    /// Write a new article (a draft) into content/<date>/<slug>.md, or with --edition the day's
    /// edition note into content/<date>/_edition.md
    #[command(
        after_help = "Examples:\n  briefing new \"Lithium prices fall\" --topic raw-materials --date 2026-11-26\n  briefing new --edition \"Three things matter today\" --date 2026-11-26"
    )]
    New(NewArgs),
    /// Publish public/ to S3-compatible object storage: changed files only, pages last, deletions after
    #[command(
        after_help = "Examples:\n  briefing build && briefing deploy --dry-run\n  briefing deploy --target production --json\n\nCredentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or an AWS profile (AWS_PROFILE), never from briefing.toml."
    )]
    Deploy(DeployArgs),
    /// List the configured topics with their number of articles
    Topics,
    /// Print shell completions for bash, zsh, fish, powershell or elvish
    #[command(
        after_help = "Examples:\n  briefing completions bash > ~/.local/share/bash-completion/completions/briefing\n  briefing completions zsh > ~/.zfunc/_briefing\n  briefing completions fish > ~/.config/fish/completions/briefing.fish"
    )]
    Completions(CompletionsArgs),
    /// Write the manual pages (briefing.1 and one per command), made from the same definitions as --help
    #[command(
        after_help = "Example:\n  briefing man ~/.local/share/man/man1 && man briefing-build"
    )]
    Man(ManArgs),
}

/// The help heading of the options every command takes.
const GLOBAL: &str = "Global options";

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Folder to write the pages into (created if missing)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The [[deploy]] target by name (needed when briefing.toml has several)
    #[arg(long, value_name = "NAME")]
    pub target: Option<String>,
    /// Compare and report; upload and delete nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse to delete more remote files than this (default: 5% of the remote, at least 10)
    #[arg(long, value_name = "N")]
    pub max_deletes: Option<usize>,
    /// Delete however many remote files are gone from public/
    #[arg(long)]
    pub force: bool,
    /// Print the report as JSON on stdout
    #[arg(long)]
    pub json: bool,
    /// Requests in flight at once
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create (default: the current folder, which must be empty)
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The headline (with --edition: the day's headline, optional)
    #[arg(required_unless_present = "edition")]
    pub title: Option<String>,
    /// Topic slug from briefing.toml
    #[arg(long, value_name = "SLUG", conflicts_with = "edition")]
    pub topic: Option<String>,
    /// Write the day's edition note (content/<date>/_edition.md) instead of an article
    #[arg(long)]
    pub edition: bool,
    /// The article's day (default: today in the site's time zone)
    #[arg(long, value_parser = parse_day, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check drafts too
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (default 1111, or the next free one); 0 lets the system pick
    #[arg(long, value_name = "PORT")]
    pub port: Option<u16>,
    /// Address to listen on; anything but loopback exposes the preview to the network
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDRESS")]
    pub bind: IpAddr,
    /// Open the site in the default browser once it is served
    #[arg(long)]
    pub open: bool,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default: public/ in the site folder)
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Override base_url from briefing.toml
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Leave out articles dated after this day, to rebuild a past day's site
    #[arg(long, value_parser = parse_day, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    /// Replace a non-empty output folder that briefing did not write
    #[arg(long)]
    pub force: bool,
    /// Render every page, ignoring the build cache kept in the output folder
    #[arg(long)]
    pub full: bool,
}

pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("`{s}` is not a date YYYY-MM-DD: {e}"))
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or folders to ingest (a folder: every file of a known type in it); `-` reads
    /// standard input; an http(s) URL is fetched
    #[arg(required = true, value_name = "SOURCE")]
    pub sources: Vec<PathBuf>,
    /// Input format (auto: by extension, then by content)
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    pub format: FormatArg,
    /// Date of the articles (default: the source's own date, else today in the site's time zone)
    #[arg(long, value_parser = parse_day, value_name = "YYYY-MM-DD")]
    pub date: Option<NaiveDate>,
    /// Name of the outlet the articles come from
    #[arg(long, value_name = "NAME")]
    pub source_name: Option<String>,
    /// URL of the original article
    #[arg(long, value_name = "URL")]
    pub source_url: Option<String>,
    /// Put every article in this topic instead of classifying it
    #[arg(long, value_name = "SLUG")]
    pub topic: Option<String>,
    /// Decide everything, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print the normalized articles as a JSON array on stdout
    #[arg(long)]
    pub json: bool,
    /// Rewrite files even when they were edited by hand
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    Auto,
    Text,
    Html,
    Feed,
    Jsonl,
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Only this source (its `name` in briefing.toml); repeat for several
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Fetch and decide, but write nothing (neither content/ nor the fetch state)
    #[arg(long)]
    pub dry_run: bool,
    /// Print the report (sources and articles) as JSON on stdout
    #[arg(long)]
    pub json: bool,
    /// Leave out feed items dated before this day (YYYY-MM-DD)
    #[arg(long, value_parser = parse_day)]
    pub since: Option<NaiveDate>,
}
