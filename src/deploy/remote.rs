//! The remote side of a deploy: opening the bucket of a target with credentials from the
//! environment or the AWS files, counting the requests made, listing what is under the
//! prefix and finding each object's digest.
//!
//! Digests live in each object's metadata (`x-amz-meta-briefing-digest`), which a listing
//! does not return. Asking every object with HEAD would cost one request per file on every
//! deploy, so the last deploy also leaves a small manifest object (`.briefing-deploy.json`)
//! mapping each path to its digest *and the ETag the store gave that upload*. An object whose
//! listed ETag still matches is known; any other (changed by someone else, uploaded by an
//! interrupted deploy that never wrote its manifest) is asked with HEAD. The manifest is a
//! cache only: deleting it costs requests, never correctness.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{HttpClient, HttpConnector, HttpError, HttpRequest, HttpResponse};
use object_store::client::{HttpService, ReqwestConnector};
use object_store::path::Path as ObjectPath;
use object_store::{
    Attribute, BackoffConfig, ClientOptions, GetOptions, ObjectStore, ObjectStoreExt, RetryConfig,
};
use serde::{Deserialize, Serialize};

use super::local::MANIFEST;
use super::plan::Remote;
use super::target::Target;
use crate::error::{Error, Result};

/// The metadata key of the digest (sent as `x-amz-meta-briefing-digest`).
pub const DIGEST_KEY: &str = "briefing-digest";

/// Requests sent to the store, by kind (retries included).
#[derive(Debug, Default, Serialize, Clone, Copy, PartialEq, Eq)]
pub struct Requests {
    pub list: u64,
    pub get: u64,
    pub head: u64,
    pub put: u64,
    pub delete: u64,
    pub other: u64,
}

impl Requests {
    pub fn total(&self) -> u64 {
        self.list + self.get + self.head + self.put + self.delete + self.other
    }
}

#[derive(Debug, Default)]
struct Counters {
    list: AtomicU64,
    get: AtomicU64,
    head: AtomicU64,
    put: AtomicU64,
    delete: AtomicU64,
    other: AtomicU64,
}

/// An HTTP service that counts each request, then hands it to reqwest.
#[derive(Debug)]
struct Counting {
    inner: HttpClient,
    counters: Arc<Counters>,
}

#[async_trait::async_trait]
impl HttpService for Counting {
    async fn call(&self, req: HttpRequest) -> std::result::Result<HttpResponse, HttpError> {
        let c = &self.counters;
        let query = req.uri().query().unwrap_or("");
        let counter = match req.method().as_str() {
            "GET" if query.contains("list-type=") => &c.list,
            "GET" => &c.get,
            "HEAD" => &c.head,
            "PUT" => &c.put,
            "DELETE" => &c.delete,
            // Bulk deletion is a POST with `?delete`.
            "POST" if query.starts_with("delete") => &c.delete,
            _ => &c.other,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        self.inner.execute(req).await
    }
}

#[derive(Debug)]
struct CountingConnector(Arc<Counters>);

impl HttpConnector for CountingConnector {
    fn connect(&self, options: &ClientOptions) -> object_store::Result<HttpClient> {
        let inner = ReqwestConnector::default().connect(options)?;
        Ok(HttpClient::new(Counting {
            inner,
            counters: self.0.clone(),
        }))
    }
}

/// An opened target: the store client and the request counters.
pub struct Store {
    pub s3: AmazonS3,
    pub target: Target,
    counters: Arc<Counters>,
}

impl Store {
    pub fn requests(&self) -> Requests {
        let c = &self.counters;
        let n = |a: &AtomicU64| a.load(Ordering::Relaxed);
        Requests {
            list: n(&c.list),
            get: n(&c.get),
            head: n(&c.head),
            put: n(&c.put),
            delete: n(&c.delete),
            other: n(&c.other),
        }
    }

    pub fn path(&self, rel: &str) -> Result<ObjectPath> {
        let key = self.target.key(rel);
        ObjectPath::parse(&key)
            .map_err(|e| Error::Refused(format!("`{key}` cannot be an object key: {e}")))
    }

    /// A message for a failed request: which target, and what to do about it.
    pub fn error(&self, what: &str, e: object_store::Error) -> Error {
        describe(&self.target, what, e)
    }
}

/// Where the target lives, for messages: `s3://bucket/prefix/ at endpoint`.
pub fn location(target: &Target) -> String {
    match &target.endpoint {
        Some(e) => format!("{} at {e}", target.url()),
        None => target.url(),
    }
}

fn describe(target: &Target, what: &str, e: object_store::Error) -> Error {
    let text = e.to_string();
    let head = format!("deploy target `{}` ({})", target.name, location(target));
    let hint = if text.contains("NoSuchBucket") || text.contains("bucket does not exist") {
        format!(
            "the bucket `{}` does not exist (or this key cannot see it)",
            target.bucket
        )
    } else if text.contains("InvalidAccessKeyId")
        || text.contains("SignatureDoesNotMatch")
        || text.contains("No such key")
        || matches!(
            e,
            object_store::Error::Unauthenticated { .. }
                | object_store::Error::PermissionDenied { .. }
        )
    {
        "the store refused the credentials: check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) and the key's rights on the bucket".into()
    } else if text.contains("error sending request") || text.contains("timed out") {
        format!("{what} failed: the store cannot be reached (network error, retried with backoff)")
    } else {
        format!("{what} failed")
    };
    Error::Refused(format!("{head}: {hint}\n  caused by: {text}"))
}

/// Opens the bucket of `target`. Credentials: the environment (`AWS_ACCESS_KEY_ID`,
/// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, web identity and container variables),
/// else the profile `AWS_PROFILE` (or `default`) of the AWS credentials and config files.
pub fn open(target: &Target) -> Result<Store> {
    let counters = Arc::new(Counters::default());
    let mut builder = AmazonS3Builder::from_env()
        .with_bucket_name(&target.bucket)
        .with_http_connector(CountingConnector(counters.clone()))
        .with_retry(RetryConfig {
            backoff: BackoffConfig {
                init_backoff: Duration::from_millis(200),
                max_backoff: Duration::from_secs(10),
                base: 2.0,
            },
            max_retries: 6,
            retry_timeout: Duration::from_secs(120),
        })
        .with_client_options(
            ClientOptions::new()
                .with_connect_timeout(Duration::from_secs(10))
                .with_timeout(Duration::from_secs(120)),
        );
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".into());
    let files = aws_files(&profile);
    let has_env_credentials = env("AWS_ACCESS_KEY_ID").is_some()
        || env("AWS_WEB_IDENTITY_TOKEN_FILE").is_some()
        || env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_some()
        || env("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some();
    if !has_env_credentials {
        match (
            files.get("aws_access_key_id"),
            files.get("aws_secret_access_key"),
        ) {
            (Some(id), Some(secret)) => {
                builder = builder
                    .with_access_key_id(id)
                    .with_secret_access_key(secret);
                if let Some(token) = files.get("aws_session_token") {
                    builder = builder.with_token(token);
                }
            }
            _ => {
                return Err(Error::Refused(format!(
                    "deploy target `{}`: no credentials. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a profile of ~/.aws/credentials (profile `{profile}` has no keys)",
                    target.name
                )));
            }
        }
    }
    let region = target
        .region
        .clone()
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| files.get("region").cloned())
        .unwrap_or_else(|| "us-east-1".into());
    builder = builder.with_region(region);
    if let Some(endpoint) = &target.endpoint {
        let endpoint = if target.force_path_style {
            endpoint.clone()
        } else {
            // Virtual-hosted style: the bucket is part of the host name.
            let (scheme, host) = endpoint.split_once("://").expect("validated endpoint");
            format!("{scheme}://{}.{host}", target.bucket)
        };
        builder = builder
            .with_allow_http(endpoint.starts_with("http://"))
            .with_endpoint(endpoint);
    }
    builder = builder.with_virtual_hosted_style_request(!target.force_path_style);
    let s3 = builder.build().map_err(|e| {
        Error::Refused(format!(
            "deploy target `{}`: cannot configure the S3 client: {e}",
            target.name
        ))
    })?;
    Ok(Store {
        s3,
        target: target.clone(),
        counters,
    })
}

/// Keys of one profile of the AWS credentials file, then its config file (the credentials
/// file wins). Missing files are no error: the environment may have what is needed.
fn aws_files(profile: &str) -> BTreeMap<String, String> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let path = |var: &str, default: &str| {
        std::env::var_os(var)
            .map(std::path::PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(default)))
    };
    let mut out = BTreeMap::new();
    let config_section = if profile == "default" {
        "default".to_string()
    } else {
        format!("profile {profile}")
    };
    for (file, section) in [
        (path("AWS_CONFIG_FILE", "config"), config_section.as_str()),
        (path("AWS_SHARED_CREDENTIALS_FILE", "credentials"), profile),
    ] {
        if let Some(text) = file.and_then(|f| std::fs::read_to_string(f).ok()) {
            out.extend(ini_section(&text, section));
        }
    }
    out
}

/// `key = value` lines of the `[section]` of an INI file (the AWS files' format).
pub(crate) fn ini_section(text: &str, section: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || line.starts_with(';') || line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name.trim() == section;
            continue;
        }
        if inside && let Some((k, v)) = line.split_once('=') {
            out.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    out
}

/// What the last completed deploy recorded: path → (digest, ETag of that upload).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub objects: BTreeMap<String, ManifestEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManifestEntry {
    pub digest: String,
    pub etag: String,
}

/// A listed object: path under the prefix, size, ETag.
#[derive(Debug, Clone)]
pub struct Listed {
    pub rel: String,
    pub etag: Option<String>,
}

/// Everything under the target's prefix, paths relative to it.
pub async fn list(store: &Store) -> Result<Vec<Listed>> {
    let prefix =
        (!store.target.prefix.is_empty()).then(|| ObjectPath::from(store.target.prefix.as_str()));
    let strip = if store.target.prefix.is_empty() {
        String::new()
    } else {
        format!("{}/", store.target.prefix)
    };
    let metas: Vec<object_store::ObjectMeta> = store
        .s3
        .list(prefix.as_ref())
        .try_collect()
        .await
        .map_err(|e| store.error("listing the bucket", e))?;
    Ok(metas
        .into_iter()
        .filter_map(|m| {
            let rel = m.location.as_ref().strip_prefix(&strip)?.to_string();
            Some(Listed { rel, etag: m.e_tag })
        })
        .collect())
}

/// The manifest of the last deploy, if there is a readable one.
pub async fn read_manifest(store: &Store) -> Result<Manifest> {
    let path = store.path(MANIFEST)?;
    match store.s3.get(&path).await {
        Ok(got) => {
            let bytes = got
                .bytes()
                .await
                .map_err(|e| store.error("reading the deploy manifest", e))?;
            // A damaged manifest only means asking every object.
            Ok(serde_json::from_slice(&bytes).unwrap_or_default())
        }
        Err(object_store::Error::NotFound { .. }) => Ok(Manifest::default()),
        Err(e) => Err(store.error("reading the deploy manifest", e)),
    }
}

/// The digest of every listed object: from the manifest when its ETag still matches, else
/// from the object's metadata (HEAD, `jobs` at a time). Returns the remote entries and how
/// many objects had to be asked.
pub async fn digests(
    store: &Store,
    listed: &[Listed],
    manifest: &Manifest,
    jobs: usize,
) -> Result<(Vec<Remote>, usize)> {
    let mut remote = Vec::with_capacity(listed.len());
    let mut ask = Vec::new();
    for l in listed {
        if l.rel == MANIFEST {
            continue;
        }
        match (manifest.objects.get(&l.rel), &l.etag) {
            (Some(m), Some(etag)) if &m.etag == etag => remote.push(Remote {
                rel: l.rel.clone(),
                digest: Some(m.digest.clone()),
            }),
            _ => ask.push(l.rel.clone()),
        }
    }
    let asked = ask.len();
    let heads: Vec<Option<Remote>> = futures_util::stream::iter(ask)
        .map(|rel| head_digest(store, rel))
        .buffer_unordered(jobs)
        .try_collect()
        .await?;
    remote.extend(heads.into_iter().flatten());
    Ok((remote, asked))
}

/// The digest in one object's metadata; `None` when the object is gone since the listing.
async fn head_digest(store: &Store, rel: String) -> Result<Option<Remote>> {
    let path = store.path(&rel)?;
    match store
        .s3
        .get_opts(&path, GetOptions::new().with_head(true))
        .await
    {
        Ok(r) => Ok(Some(Remote {
            digest: r
                .attributes
                .get(&Attribute::Metadata(DIGEST_KEY.into()))
                .map(|v| v.as_ref().to_string()),
            rel,
        })),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(store.error(&format!("reading the metadata of `{rel}`"), e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_sections_are_read_by_name() {
        let text = "# comment\n[default]\naws_access_key_id = A\n\n[profile site]\nregion = eu-west-1\n[site]\nAWS_Secret_Access_Key = S = 2\n";
        assert_eq!(
            ini_section(text, "default")
                .get("aws_access_key_id")
                .unwrap(),
            "A"
        );
        assert_eq!(
            ini_section(text, "profile site").get("region").unwrap(),
            "eu-west-1"
        );
        assert_eq!(
            ini_section(text, "site")
                .get("aws_secret_access_key")
                .unwrap(),
            "S = 2"
        );
        assert!(ini_section(text, "other").is_empty());
    }
}
