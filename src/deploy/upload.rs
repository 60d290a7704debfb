//! Carrying out a plan: uploads tier by tier (a tier starts only when the one before is
//! complete), `jobs` requests at a time, then the deletions, then the manifest. Every object
//! is sent with one PUT: the store makes it visible whole or not at all, so an interrupted
//! deploy leaves old and new files side by side but never half a file.

use futures_util::{StreamExt, TryStreamExt};
use object_store::{Attribute, Attributes, ObjectStore, PutOptions, PutPayload};

use super::local::{self, LocalFile, MANIFEST};
use super::plan::{Plan, Tier};
use super::remote::{DIGEST_KEY, Manifest, ManifestEntry, Store};
use crate::error::{Error, Result};
use crate::progress::Progress;

/// One finished upload: index into the local files, bytes sent, the ETag the store gave.
pub(super) struct Sent {
    pub index: usize,
    pub bytes: u64,
    pub etag: Option<String>,
}

/// Uploads every file of `plan`, in tier order.
pub(super) async fn uploads(
    store: &Store,
    files: &[LocalFile],
    plan: &Plan,
    jobs: usize,
    progress: &dyn Progress,
) -> Result<Vec<Sent>> {
    let mut sent = Vec::with_capacity(plan.uploads.len());
    for tier in Tier::ALL {
        let group: Vec<usize> = plan
            .uploads
            .iter()
            .filter(|u| u.tier == tier)
            .map(|u| u.index)
            .collect();
        let done: Vec<Sent> = futures_util::stream::iter(group)
            .map(|index| async move {
                let s = put(store, &files[index]).await?;
                progress.advance();
                Ok::<_, Error>(Sent {
                    index,
                    bytes: s.0,
                    etag: s.1,
                })
            })
            .buffer_unordered(jobs)
            .try_collect()
            .await?;
        sent.extend(done);
    }
    Ok(sent)
}

async fn put(store: &Store, file: &LocalFile) -> Result<(u64, Option<String>)> {
    let body = local::body(file)?;
    let bytes = body.len() as u64;
    let mut attributes = Attributes::new();
    attributes.insert(
        Attribute::ContentType,
        file.headers.content_type.clone().into(),
    );
    attributes.insert(
        Attribute::CacheControl,
        file.headers.cache_control.clone().into(),
    );
    if let Some(encoding) = file.headers.content_encoding {
        attributes.insert(Attribute::ContentEncoding, encoding.into());
    }
    attributes.insert(
        Attribute::Metadata(DIGEST_KEY.into()),
        file.digest.clone().into(),
    );
    let options = PutOptions {
        attributes,
        ..Default::default()
    };
    let path = store.path(&file.rel)?;
    let result = store
        .s3
        .put_opts(&path, PutPayload::from(body), options)
        .await
        .map_err(|e| store.error(&format!("uploading `{}`", file.rel), e))?;
    Ok((bytes, result.e_tag))
}

/// Deletes `rels` (bulk requests where the store has them).
pub(super) async fn deletes(store: &Store, rels: &[String], progress: &dyn Progress) -> Result<()> {
    let paths: Vec<object_store::Result<object_store::path::Path>> = rels
        .iter()
        .map(|r| store.path(r))
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .map(Ok)
        .collect();
    store
        .s3
        .delete_stream(futures_util::stream::iter(paths).boxed())
        .map_ok(|_| progress.advance())
        .try_collect::<Vec<()>>()
        .await
        .map_err(|e| store.error("deleting files that are gone", e))?;
    Ok(())
}

/// Writes the manifest (see `remote`) when it differs from the one read.
pub(super) async fn manifest(store: &Store, old: &Manifest, new: Manifest) -> Result<bool> {
    if old.version == new.version && old.objects == new.objects {
        return Ok(false);
    }
    let json = serde_json::to_vec(&new).expect("the manifest serializes");
    let mut attributes = Attributes::new();
    attributes.insert(Attribute::ContentType, "application/json".into());
    attributes.insert(Attribute::CacheControl, "no-store".into());
    let options = PutOptions {
        attributes,
        ..Default::default()
    };
    store
        .s3
        .put_opts(&store.path(MANIFEST)?, PutPayload::from(json), options)
        .await
        .map_err(|e| store.error("writing the deploy manifest", e))?;
    Ok(true)
}

/// The manifest after a deploy: the digest and ETag of every local file, from the upload
/// that sent it or from the listing that found it unchanged.
pub(super) fn next_manifest<'a>(
    files: &[LocalFile],
    unchanged: impl Iterator<Item = (usize, Option<&'a String>)>,
    sent: &[Sent],
) -> Manifest {
    let mut objects = std::collections::BTreeMap::new();
    let known = unchanged
        .map(|(i, etag)| (i, etag.cloned()))
        .chain(sent.iter().map(|s| (s.index, s.etag.clone())));
    for (index, etag) in known {
        if let Some(etag) = etag {
            objects.insert(
                files[index].rel.clone(),
                ManifestEntry {
                    digest: files[index].digest.clone(),
                    etag,
                },
            );
        }
    }
    Manifest {
        version: 1,
        objects,
    }
}
