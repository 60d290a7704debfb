//! The local side of a deploy: the files of `public/` with the headers each will be served
//! with, its upload tier and its digest. Also the refusals: a missing or empty output
//! folder, or one that `briefing build` did not write, is never deployed (deleting the
//! remote copy of a whole site because of a wrong folder is the failure to avoid).

use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};

use super::plan::Tier;
use super::target::Target;
use crate::build::output::{BOOKKEEPING, MARKER};
use crate::error::{Error, Result};

/// One file of the site as it will be uploaded.
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// Site-relative path, `/`-separated (`2026/11/26/magnet-line/index.html`).
    pub rel: String,
    pub path: PathBuf,
    /// Size on disk.
    pub size: u64,
    pub headers: Headers,
    pub tier: Tier,
    /// Hex SHA-256 of the file's bytes and its headers: what the remote object's metadata
    /// must hold for the object to count as up to date.
    pub digest: String,
}

/// The HTTP headers an object is stored with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headers {
    pub content_type: String,
    pub cache_control: String,
    /// `Some("gzip")` when the bytes are uploaded gzip-compressed.
    pub content_encoding: Option<&'static str>,
}

/// Name of the object, at the top of the target's prefix, that caches the digests of the
/// last deploy (see `remote`). It is never part of the site and never deleted by the plan.
pub const MANIFEST: &str = ".briefing-deploy.json";

/// Every file of `dir` (the build's output) with its headers, tier and digest, sorted by path.
pub fn scan(dir: &Path, target: &Target) -> Result<Vec<LocalFile>> {
    check_output(dir)?;
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            Error::io(&path, e.into())
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel_path = entry
            .path()
            .strip_prefix(dir)
            .expect("walkdir stays inside");
        let rel = rel_path
            .to_str()
            .ok_or_else(|| {
                Error::Refused(format!(
                    "{}: the file name is not UTF-8, so it cannot be an object key",
                    entry.path().display()
                ))
            })?
            .replace(std::path::MAIN_SEPARATOR, "/");
        if BOOKKEEPING.contains(&rel.as_str()) {
            continue;
        }
        if rel == MANIFEST {
            return Err(Error::Refused(format!(
                "{}: this name is reserved for the deploy's own record; rename the file",
                entry.path().display()
            )));
        }
        if rel.split('/').any(|s| s.chars().any(char::is_control)) {
            return Err(Error::Refused(format!(
                "{}: a control character in the file name cannot be part of an object key",
                entry.path().display()
            )));
        }
        found.push((entry.into_path(), rel));
    }
    // Reading and hashing ten thousand pages is the slow part of a no-change deploy.
    use rayon::prelude::*;
    let files: Vec<LocalFile> = found
        .into_par_iter()
        .map(|(path, rel)| prepare(&path, rel, target))
        .collect::<Result<_>>()?;
    if files.is_empty() {
        return Err(Error::Refused(format!(
            "{}: the site is empty; run `briefing build` first",
            dir.display()
        )));
    }
    Ok(files)
}

/// Refuses folders that are not a complete briefing build.
fn check_output(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Err(Error::Refused(format!(
            "{}: not found; run `briefing build` before `briefing deploy`",
            dir.display()
        )));
    }
    if !dir.is_dir() {
        return Err(Error::Refused(format!(
            "{}: not a folder; nothing to deploy",
            dir.display()
        )));
    }
    if !dir.join(MARKER).is_file() {
        return Err(Error::Refused(format!(
            "{}: not written by `briefing build` (no {MARKER} file); refusing to deploy it",
            dir.display()
        )));
    }
    Ok(())
}

fn prepare(path: &Path, rel: String, target: &Target) -> Result<LocalFile> {
    let bytes = crate::fs::read(path)?;
    let headers = headers_for(&rel, target);
    let tier = Tier::of(&rel);
    Ok(LocalFile {
        digest: digest(&bytes, &headers),
        size: bytes.len() as u64,
        rel,
        path: path.to_path_buf(),
        headers,
        tier,
    })
}

/// SHA-256 over the bytes and the headers, so that a changed rule (a new Cache-Control)
/// uploads the files it affects again even when their bytes are the same.
pub fn digest(bytes: &[u8], headers: &Headers) -> String {
    let mut h = Sha256::new();
    h.update(bytes);
    for part in [
        headers.content_type.as_str(),
        headers.cache_control.as_str(),
        headers.content_encoding.unwrap_or(""),
    ] {
        h.update([0u8]);
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes to upload: the file, gzip-compressed when its headers say so. Compression runs
/// again at upload time rather than being kept for the whole deploy: a big site does not fit
/// in memory twice.
pub fn body(file: &LocalFile) -> Result<Vec<u8>> {
    let bytes = crate::fs::read(&file.path)?;
    if digest(&bytes, &file.headers) != file.digest {
        return Err(Error::Refused(format!(
            "{}: changed while deploying (is a build running?); run `briefing deploy` again",
            file.path.display()
        )));
    }
    Ok(match file.headers.content_encoding {
        Some(_) => gzip(&bytes),
        None => bytes,
    })
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::best(),
    );
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// Content type, cache policy and encoding of `rel`: the target's rules first, then defaults.
pub fn headers_for(rel: &str, target: &Target) -> Headers {
    let content_type = target
        .rule_value(rel, |r| r.content_type.clone())
        .unwrap_or_else(|| content_type(rel));
    let cache_control = target
        .rule_value(rel, |r| r.cache_control.clone())
        .unwrap_or_else(|| cache_control(rel).to_string());
    let gzip = target.rule_value(rel, |r| r.gzip).unwrap_or(target.gzip);
    Headers {
        content_encoding: (gzip && compressible(&content_type)).then_some("gzip"),
        content_type,
        cache_control,
    }
}

fn extension(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// The `Content-Type` of every kind of file a briefing site holds; text types carry their
/// charset (briefing writes UTF-8), feeds their own media types.
pub fn content_type(rel: &str) -> String {
    let utf8 = |t: &str| format!("{t}; charset=utf-8");
    match (file_name(rel), extension(rel).as_str()) {
        ("atom.xml", _) => utf8("application/atom+xml"),
        ("rss.xml", _) => utf8("application/rss+xml"),
        ("feed.json", _) => utf8("application/feed+json"),
        (_, "html" | "htm") => utf8("text/html"),
        (_, "css") => utf8("text/css"),
        (_, "js" | "mjs") => utf8("text/javascript"),
        (_, "json" | "map") => utf8("application/json"),
        (_, "webmanifest") => utf8("application/manifest+json"),
        (_, "xml" | "xsl") => utf8("application/xml"),
        (_, "txt") => utf8("text/plain"),
        (_, "md") => utf8("text/markdown"),
        (_, "csv") => utf8("text/csv"),
        (_, "svg") => utf8("image/svg+xml"),
        (_, "png") => "image/png".into(),
        (_, "jpg" | "jpeg") => "image/jpeg".into(),
        (_, "gif") => "image/gif".into(),
        (_, "webp") => "image/webp".into(),
        (_, "avif") => "image/avif".into(),
        (_, "ico") => "image/x-icon".into(),
        (_, "woff2") => "font/woff2".into(),
        (_, "woff") => "font/woff".into(),
        (_, "ttf") => "font/ttf".into(),
        (_, "otf") => "font/otf".into(),
        (_, "wasm") => "application/wasm".into(),
        (_, "pdf") => "application/pdf".into(),
        _ => {
            let guess = mime_guess::from_path(rel).first_or_octet_stream();
            if guess.type_() == mime_guess::mime::TEXT {
                utf8(guess.essence_str())
            } else {
                guess.essence_str().to_string()
            }
        }
    }
}

/// A year for files whose name carries a content hash (they never change under that name),
/// five minutes for what a daily site changes (pages, feeds, sitemap, search index), an hour
/// for the theme's other assets.
pub fn cache_control(rel: &str) -> &'static str {
    const SHORT: &str = "public, max-age=300";
    const HOUR: &str = "public, max-age=3600";
    const IMMUTABLE: &str = "public, max-age=31536000, immutable";
    if fingerprinted(rel) {
        return IMMUTABLE;
    }
    match extension(rel).as_str() {
        "html" | "htm" | "xml" | "json" | "txt" => SHORT,
        _ if rel.starts_with("search/") => SHORT,
        _ => HOUR,
    }
}

/// `style.3f9a1c2b.css`, `app-5d41402abc4b2a76.js`: a name part of at least 8 hex digits.
fn fingerprinted(rel: &str) -> bool {
    let name = file_name(rel);
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    stem.split(['.', '-', '_']).skip(1).any(|part| {
        part.len() >= 8
            && part.bytes().all(|b| b.is_ascii_hexdigit())
            && part.bytes().any(|b| b.is_ascii_digit())
    })
}

/// Types worth compressing: text, and the binary formats that are not compressed already.
fn compressible(content_type: &str) -> bool {
    let t = content_type.split(';').next().unwrap_or("").trim();
    t.starts_with("text/")
        || t.ends_with("+xml")
        || t.ends_with("+json")
        || matches!(
            t,
            "application/json"
                | "application/xml"
                | "application/wasm"
                | "image/x-icon"
                | "font/ttf"
                | "font/otf"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::test_config;

    fn target(extra: &str) -> Target {
        let c = test_config(&format!(
            "title = \"x\"\nbase_url = \"https://e.org/\"\n[[deploy]]\nname = \"t\"\nurl = \"s3://b-1\"\n{extra}"
        ));
        c.deploy[0].clone()
    }

    #[test]
    fn content_types_of_what_briefing_writes() {
        for (rel, want) in [
            ("index.html", "text/html; charset=utf-8"),
            ("2026/11/26/x/index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("search.js", "text/javascript; charset=utf-8"),
            ("search/2026-11.js", "text/javascript; charset=utf-8"),
            ("atom.xml", "application/atom+xml; charset=utf-8"),
            (
                "topics/raw-materials/atom.xml",
                "application/atom+xml; charset=utf-8",
            ),
            ("rss.xml", "application/rss+xml; charset=utf-8"),
            ("feed.json", "application/feed+json; charset=utf-8"),
            ("sitemap.xml", "application/xml; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("data/x.json", "application/json; charset=utf-8"),
            ("favicon.svg", "image/svg+xml; charset=utf-8"),
            ("img/a.PNG", "image/png"),
            ("img/a.jpeg", "image/jpeg"),
            ("img/a.webp", "image/webp"),
            ("fonts/a.woff2", "font/woff2"),
            ("fonts/a.woff", "font/woff"),
            ("favicon.ico", "image/x-icon"),
            ("files/a.bin", "application/octet-stream"),
        ] {
            assert_eq!(content_type(rel), want, "{rel}");
        }
    }

    #[test]
    fn cache_policies() {
        assert_eq!(cache_control("index.html"), "public, max-age=300");
        assert_eq!(cache_control("atom.xml"), "public, max-age=300");
        assert_eq!(cache_control("feed.json"), "public, max-age=300");
        assert_eq!(cache_control("sitemap.xml"), "public, max-age=300");
        assert_eq!(cache_control("search/index.js"), "public, max-age=300");
        assert_eq!(cache_control("style.css"), "public, max-age=3600");
        assert_eq!(
            cache_control("assets/style.3f9a1c2b.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control("app-5d41402abc4b2a76.js"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("deadbeefcafe.css"), "public, max-age=3600");
        assert_eq!(cache_control("img/facade.png"), "public, max-age=3600");
    }

    #[test]
    fn rules_override_defaults_field_by_field_and_gzip_only_text() {
        let t = target(
            "gzip = true\n[[deploy.rules]]\npattern = \"**/*.html\"\ncache_control = \"no-cache\"\n[[deploy.rules]]\npattern = \"*\"\ncache_control = \"ignored for html\"\ncontent_type = \"text/html; charset=utf-8\"\n[[deploy.rules]]\npattern = \"raw/**\"\ngzip = false\n",
        );
        let h = headers_for("2026/11/26/x/index.html", &t);
        assert_eq!(h.cache_control, "no-cache");
        assert_eq!(h.content_type, "text/html; charset=utf-8");
        assert_eq!(h.content_encoding, Some("gzip"));
        // `*` does not cross folders: the second rule is for top-level files only.
        let h = headers_for("LICENSE", &t);
        assert_eq!(h.content_type, "text/html; charset=utf-8");
        assert_eq!(h.cache_control, "ignored for html");
        assert_eq!(headers_for("img/a.png", &t).content_encoding, None);
        assert_eq!(headers_for("raw/a.txt", &t).content_encoding, None);
        assert_eq!(
            headers_for("search/x.js", &t).content_encoding,
            Some("gzip")
        );
    }

    #[test]
    fn digest_covers_bytes_and_headers() {
        let t = target("");
        let h = headers_for("a.html", &t);
        let d = digest(b"<p>x</p>", &h);
        assert_eq!(d.len(), 64);
        assert_ne!(d, digest(b"<p>y</p>", &h));
        let mut h2 = h.clone();
        h2.cache_control = "no-cache".into();
        assert_ne!(d, digest(b"<p>x</p>", &h2));
    }

    #[test]
    fn refuses_missing_empty_and_foreign_folders() {
        let t = target("");
        let dir = tempfile::tempdir().unwrap();
        let public = dir.path().join("public");
        let e = scan(&public, &t).unwrap_err().to_string();
        assert!(
            e.ends_with("public: not found; run `briefing build` before `briefing deploy`"),
            "{e}"
        );
        std::fs::create_dir(&public).unwrap();
        std::fs::write(public.join("index.html"), "x").unwrap();
        let e = scan(&public, &t).unwrap_err().to_string();
        assert!(
            e.contains("not written by `briefing build` (no .briefing-output file)"),
            "{e}"
        );
        std::fs::remove_file(public.join("index.html")).unwrap();
        std::fs::write(public.join(MARKER), "x").unwrap();
        // The build's cache is not part of the site either.
        std::fs::write(public.join(crate::build::output::CACHE), "x").unwrap();
        let e = scan(&public, &t).unwrap_err().to_string();
        assert!(e.contains("the site is empty"), "{e}");
        std::fs::create_dir_all(public.join("a/b")).unwrap();
        std::fs::write(public.join("a/b/index.html"), "<p>").unwrap();
        let files = scan(&public, &t).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].rel, "a/b/index.html");
    }

    #[test]
    fn gzip_body_round_trips() {
        let t = target("gzip = true\n");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MARKER), "").unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>hello hello hello</p>").unwrap();
        let f = &scan(dir.path(), &t).unwrap()[0];
        let gz = body(f).unwrap();
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&gz[..]), &mut out)
            .unwrap();
        assert_eq!(out, "<p>hello hello hello</p>");
        std::fs::write(dir.path().join("index.html"), "changed").unwrap();
        assert!(
            body(f)
                .unwrap_err()
                .to_string()
                .contains("changed while deploying")
        );
    }
}
