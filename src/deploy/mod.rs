//! `briefing deploy`: puts the built site (`public/`) on S3-compatible object storage,
//! changed files only. The steps: read and hash the local files (`local`), list the remote
//! objects and find their digests (`remote`), decide what to send and delete (`plan`, a pure
//! function), then send it in an order that never shows readers a link to a missing file
//! (`upload`). Configuration of the targets is in `target`. Nothing here prints.

pub mod local;
pub mod plan;
pub mod remote;
pub mod target;
mod upload;

use std::collections::HashMap;
use std::time::Instant;

use serde::Serialize;

pub use remote::Requests;
pub use target::{Target, TargetFile};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::progress::Progress;
use plan::{Reason, Tier, Want};

/// What the command line asks of one deploy.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    /// The `[[deploy]]` table by name; `None` when there is only one.
    pub target: Option<String>,
    /// Decide everything, change nothing on the remote.
    pub dry_run: bool,
    /// Refuse to delete more than this many objects; `None`: [`default_max_deletes`].
    pub max_deletes: Option<usize>,
    /// Delete however many objects the plan says.
    pub force: bool,
    /// Requests in flight at once.
    pub jobs: usize,
}

impl Default for DeployOptions {
    fn default() -> Self {
        DeployOptions {
            target: None,
            dry_run: false,
            max_deletes: None,
            force: false,
            jobs: 16,
        }
    }
}

/// Without `--max-deletes`: a twentieth of what the remote holds, and at least 10. A daily
/// deploy deletes a handful of pages; deleting more is most likely a wrong folder or prefix.
pub fn default_max_deletes(remote_objects: usize) -> usize {
    (remote_objects / 20).max(10)
}

/// What a deploy did (or, with `dry_run`, would do).
#[derive(Debug, Serialize)]
pub struct DeployReport {
    pub target: String,
    /// `s3://bucket/prefix/` (and the endpoint).
    pub location: String,
    pub dry_run: bool,
    pub local_files: usize,
    /// Objects found under the prefix (the deploy's manifest not counted).
    pub remote_objects: usize,
    /// Objects whose metadata had to be read, because the manifest did not vouch for them.
    pub remote_asked: usize,
    /// In upload order.
    pub uploads: Vec<Uploaded>,
    pub deletes: Vec<String>,
    pub unchanged: usize,
    /// Bytes sent in uploads (compressed size for gzip files); for a dry run, the file sizes.
    pub bytes: u64,
    pub manifest_written: bool,
    pub requests: Requests,
    pub seconds: f64,
}

#[derive(Debug, Serialize)]
pub struct Uploaded {
    pub path: String,
    pub tier: Tier,
    pub reason: Reason,
    pub bytes: u64,
    pub content_type: String,
    pub cache_control: String,
    pub content_encoding: Option<&'static str>,
}

/// Deploys `config.output_dir` to the chosen target. `progress` hears of every upload and
/// deletion.
pub fn deploy(
    config: &Config,
    options: &DeployOptions,
    progress: &dyn Progress,
) -> Result<DeployReport> {
    let started = Instant::now();
    let target = target::select(&config.deploy, options.target.as_deref())?;
    // Everything local is checked before the first request.
    let files = local::scan(&config.output_dir, target)?;
    let store = remote::open(target)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Refused(format!("cannot start the deploy's network runtime: {e}")))?;
    let mut report = runtime.block_on(run(&store, &files, options, progress))?;
    report.requests = store.requests();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

async fn run(
    store: &remote::Store,
    files: &[local::LocalFile],
    options: &DeployOptions,
    progress: &dyn Progress,
) -> Result<DeployReport> {
    let jobs = options.jobs.max(1);
    let listed = remote::list(store).await?;
    let manifest = remote::read_manifest(store).await?;
    let (remote_entries, asked) = remote::digests(store, &listed, &manifest, jobs).await?;
    let wants: Vec<Want<'_>> = files
        .iter()
        .map(|f| Want {
            rel: &f.rel,
            digest: &f.digest,
            tier: f.tier,
        })
        .collect();
    let plan = plan::plan(&wants, &remote_entries);

    let max_deletes = options
        .max_deletes
        .unwrap_or_else(|| default_max_deletes(remote_entries.len()));
    if plan.deletes.len() > max_deletes && !options.force {
        let shown: Vec<&str> = plan.deletes.iter().take(5).map(String::as_str).collect();
        return Err(Error::Refused(format!(
            "deploy target `{}`: refusing to delete {} of {} remote files (the limit is {max_deletes}), e.g. {}{}. Nothing was changed. If this is right, run again with --force or a higher --max-deletes",
            store.target.name,
            plan.deletes.len(),
            remote_entries.len(),
            shown.join(", "),
            if plan.deletes.len() > shown.len() {
                ", …"
            } else {
                ""
            },
        )));
    }

    let mut report = DeployReport {
        target: store.target.name.clone(),
        location: remote::location(&store.target),
        dry_run: options.dry_run,
        local_files: files.len(),
        remote_objects: remote_entries.len(),
        remote_asked: asked,
        uploads: Vec::new(),
        deletes: plan.deletes.clone(),
        unchanged: plan.unchanged,
        bytes: 0,
        manifest_written: false,
        requests: Requests::default(),
        seconds: 0.0,
    };
    let uploaded = |index: usize, bytes: u64, reason| {
        let f = &files[index];
        Uploaded {
            path: f.rel.clone(),
            tier: f.tier,
            reason,
            bytes,
            content_type: f.headers.content_type.clone(),
            cache_control: f.headers.cache_control.clone(),
            content_encoding: f.headers.content_encoding,
        }
    };
    if options.dry_run {
        report.uploads = plan
            .uploads
            .iter()
            .map(|u| uploaded(u.index, files[u.index].size, u.reason))
            .collect();
        report.bytes = report.uploads.iter().map(|u| u.bytes).sum();
        return Ok(report);
    }

    progress.start(plan.uploads.len() + plan.deletes.len());
    let sent = upload::uploads(store, files, &plan, jobs, progress).await?;
    if !plan.deletes.is_empty() {
        upload::deletes(store, &plan.deletes, progress).await?;
    }
    let etags: HashMap<&str, Option<&String>> = listed
        .iter()
        .map(|l| (l.rel.as_str(), l.etag.as_ref()))
        .collect();
    let uploading: std::collections::HashSet<usize> =
        plan.uploads.iter().map(|u| u.index).collect();
    let unchanged = files
        .iter()
        .enumerate()
        .filter(|(i, _)| !uploading.contains(i))
        .filter_map(|(i, f)| etags.get(f.rel.as_str()).map(|e| (i, *e)));
    let next = upload::next_manifest(files, unchanged, &sent);
    report.manifest_written = upload::manifest(store, &manifest, next).await?;

    let reasons: HashMap<usize, Reason> =
        plan.uploads.iter().map(|u| (u.index, u.reason)).collect();
    let mut order: HashMap<usize, usize> = HashMap::new();
    for (pos, u) in plan.uploads.iter().enumerate() {
        order.insert(u.index, pos);
    }
    let mut sent = sent;
    sent.sort_by_key(|s| order[&s.index]);
    report.uploads = sent
        .iter()
        .map(|s| uploaded(s.index, s.bytes, reasons[&s.index]))
        .collect();
    report.bytes = sent.iter().map(|s| s.bytes).sum();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_guard_is_a_small_share_of_the_remote() {
        assert_eq!(default_max_deletes(0), 10);
        assert_eq!(default_max_deletes(100), 10);
        assert_eq!(default_max_deletes(30_000), 1_500);
    }
}
