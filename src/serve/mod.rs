//! `briefing serve`: the local preview. It wraps the build — through
//! [`briefing::incremental::Session`], which knows nothing about serving — and adds a file
//! server ([`http`]), a watcher ([`watch`]) and a reload channel.
//!
//! The preview is built into a temporary folder (removed on exit), never into `public/`, so a
//! preview with drafts or a local `base_url` cannot end up in a deploy. A change under
//! `content/` updates only the files it touches; any other change (config, templates, themes,
//! static files) starts a new session with a full build. Either way a failed rebuild writes
//! nothing, so the last good build stays on disk and is still served; the error is printed
//! here and shown over every HTML page ([`inject`]). Like `main.rs`, this module talks to the
//! terminal.

mod builder;
mod http;
mod inject;
mod watch;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use briefing::config::CONFIG_FILE;
use briefing::{BuildOptions, Error};
use notify_debouncer_full::DebounceEventResult;
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch as channel};

use crate::cli::ServeArgs;
use builder::{Builder, Scope};

pub(crate) const DEFAULT_PORT: u16 = 1111;
/// How many ports after the default are tried when it is busy (an explicit `--port` is not moved).
const PORT_TRIES: u16 = 10;
/// How long open connections may delay the exit after Ctrl-C.
const GRACE: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy)]
pub(crate) struct Verbosity {
    pub quiet: bool,
    pub verbose: bool,
}

/// The outcome of the latest build, as pages see it.
#[derive(Debug, Clone)]
pub(crate) struct Status {
    /// When this server started: pages from an earlier server never match a current tag.
    pub epoch: u128,
    /// Counts finished builds, failed ones included.
    pub generation: u64,
    /// The error of the latest build, if it failed.
    pub error: Option<String>,
    /// Whether any build has succeeded: only then is there a last good build to show.
    pub good_build: bool,
}

impl Status {
    /// Identifies a build; a page reloads when the server announces another one.
    pub fn tag(&self) -> String {
        format!("{}.{}", self.epoch, self.generation)
    }
}

pub(crate) fn run(root: &Path, args: &ServeArgs, verbosity: Verbosity) -> Result<(), Error> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Error::Refused(format!(
            "{}: not found; run `briefing init` to create a site, or pass --root",
            root.join(CONFIG_FILE).display()
        )));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::server("cannot start the preview server", e))?;
    runtime.block_on(serve(root, args, verbosity))
}

async fn serve(root: &Path, args: &ServeArgs, verbosity: Verbosity) -> Result<(), Error> {
    let listener = listen(args).await?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::server("cannot read the server address", e))?;
    let url = site_url(addr);
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone who can reach this machine on port {} can read the preview, drafts included",
            args.bind,
            addr.port()
        );
    }

    let parent = preview_parent();
    let preview = tempfile::Builder::new()
        .prefix("briefing-serve-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io(&parent, e))?;
    let output = std::fs::canonicalize(preview.path())
        .map_err(|e| Error::io(preview.path(), e))?
        .join("site");
    let mut builder = Builder {
        session: None,
        root: root.to_path_buf(),
        options: BuildOptions {
            output: Some(output.clone()),
            base_url: Some(url.clone()),
            drafts: args.drafts,
            ..Default::default()
        },
        verbosity,
        built_once: false,
    };
    let (shutdown_tx, shutdown_rx) = channel::channel(false);
    let on_signal = shutdown_tx.clone();
    let left = preview.path().to_path_buf();
    tokio::spawn(async move {
        stop_signal().await;
        let _ = on_signal.send(true);
        stop_signal().await;
        eprintln!("stopping now; {} is left behind", left.display());
        std::process::exit(130);
    });
    // Watch first: an edit made during the first build must cause a rebuild.
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let watched_root = std::fs::canonicalize(root).map_err(|e| Error::io(root, e))?;
    let watcher = watch::Watcher::start(&watched_root, events_tx)
        .map_err(|e| Error::server(format!("cannot watch {}", root.display()), e))?;
    let first = builder.build(Scope::Full).await;

    let epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let (status_tx, status_rx) = channel::channel(Status {
        epoch,
        generation: 1,
        good_build: first.is_ok(),
        error: first.err(),
    });

    if !verbosity.quiet {
        eprintln!("watching {}", watcher.describe());
        eprintln!(
            "preview files in {} (public/ is not touched)",
            output.display()
        );
    }
    eprintln!(
        "serving {} at {url} (Ctrl-C to stop)",
        watched_root.display()
    );
    if args.open
        && let Err(e) = open::that_detached(&url)
    {
        eprintln!("warning: could not open a browser: {e}");
    }

    let rebuilds = tokio::spawn(rebuild_loop(
        builder,
        watcher,
        watched_root,
        events_rx,
        status_tx,
        shutdown_rx.clone(),
    ));
    let site = http::Site {
        root: output,
        status: status_rx,
        shutdown: shutdown_rx.clone(),
    };
    let server = axum::serve(listener, http::router(site))
        .with_graceful_shutdown(stopped(shutdown_rx.clone()));
    let served = tokio::select! {
        result = server => result.map_err(|e| Error::server("the preview server stopped", e)),
        () = async { stopped(shutdown_rx).await; tokio::time::sleep(GRACE).await } => {
            eprintln!("some connections did not close; stopping anyway");
            Ok(())
        }
    };
    let _ = shutdown_tx.send(true);
    // Waits for a build in progress, so that it does not write into a removed folder.
    let mut rebuilds = rebuilds;
    tokio::select! {
        _ = &mut rebuilds => {}
        () = tokio::time::sleep(Duration::from_millis(200)) => {
            eprintln!("waiting for the build in progress to finish (Ctrl-C again to stop at once)");
            let _ = rebuilds.await;
        }
    }
    preview
        .close()
        .map_err(|e| Error::server("could not remove the preview folder", e))?;
    if !verbosity.quiet {
        eprintln!("stopped");
    }
    served
}

/// Where the preview folder goes: the per-user runtime folder when there is one (private, and
/// usually in memory, which makes rebuilds of large sites much faster), else the temp folder.
fn preview_parent() -> PathBuf {
    match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() && dir.is_dir() => dir,
        _ => std::env::temp_dir(),
    }
}

/// Binds `--bind:--port`; without `--port`, moves on from a busy default port and says so.
async fn listen(args: &ServeArgs) -> Result<TcpListener, Error> {
    let (first, tries) = match args.port {
        Some(port) => (port, 1),
        None => (DEFAULT_PORT, PORT_TRIES),
    };
    for port in (first..).take(usize::from(tries)) {
        match TcpListener::bind((args.bind, port)).await {
            Ok(listener) => {
                if port != first {
                    eprintln!("port {first} is in use; using port {port} instead");
                }
                return Ok(listener);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => {
                return Err(Error::server(
                    format!("cannot listen on {}", SocketAddr::new(args.bind, port)),
                    e,
                ));
            }
        }
    }
    let which = if tries == 1 {
        format!("port {first} is")
    } else {
        format!("ports {first} to {} are all", first + tries - 1)
    };
    Err(Error::Refused(format!(
        "{which} already in use on {} (is another `briefing serve` running?); pass --port N for another port, or --port 0 for any free one",
        args.bind
    )))
}

/// The URL to print and to use as the preview's `base_url`; an unspecified bind address is
/// reached through loopback.
fn site_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// Rebuilds after each batch of relevant changes (batches that arrive during a build are
/// merged into the next one) and announces every finished build to the pages.
async fn rebuild_loop(
    mut builder: Builder,
    mut watcher: watch::Watcher,
    root: PathBuf,
    mut events: mpsc::UnboundedReceiver<DebounceEventResult>,
    status: channel::Sender<Status>,
    mut shutdown: channel::Receiver<bool>,
) {
    loop {
        let batch = tokio::select! {
            batch = events.recv() => match batch { Some(b) => b, None => return },
            _ = shutdown.changed() => return,
        };
        let mut changed = Vec::new();
        collect(&root, batch, &mut changed);
        while let Ok(more) = events.try_recv() {
            collect(&root, more, &mut changed);
        }
        if changed.is_empty() {
            continue;
        }
        changed.sort();
        changed.dedup();
        if let Err(e) = watcher.refresh() {
            eprintln!("warning: watching new folders failed: {e}");
        }
        if !builder.verbosity.quiet {
            let more = if changed.len() > 1 {
                format!(" and {} more", changed.len() - 1)
            } else {
                String::new()
            };
            eprintln!("changed: {}{more}", changed[0].display());
        }
        let scope = if watch::only_content(&changed) {
            Scope::Content(changed)
        } else {
            Scope::Full
        };
        let outcome = builder.build(scope).await;
        status.send_modify(|s| {
            s.generation += 1;
            s.good_build |= outcome.is_ok();
            s.error = outcome.err();
        });
    }
}

fn collect(root: &Path, batch: DebounceEventResult, into: &mut Vec<PathBuf>) {
    match batch {
        Ok(events) => into.extend(watch::changed_paths(root, &events)),
        Err(errors) => {
            for e in errors {
                eprintln!("warning: file watching: {e}");
            }
        }
    }
}

async fn stopped(mut shutdown: channel::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// Ctrl-C; on Unix also SIGTERM (what process managers and test harnesses send) and SIGHUP
/// (the terminal was closed). Each stops the server the same way, removing the preview folder.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let (Ok(mut term), Ok(mut hangup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
                _ = hangup.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspecified_bind_addresses_are_shown_as_loopback() {
        assert_eq!(
            site_url("0.0.0.0:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(site_url("[::]:8080".parse().unwrap()), "http://[::1]:8080/");
        assert_eq!(
            site_url("192.168.1.5:1111".parse().unwrap()),
            "http://192.168.1.5:1111/"
        );
    }
}
