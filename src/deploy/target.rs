//! The `[[deploy]]` tables of `briefing.toml`: where a site goes (bucket, prefix, endpoint,
//! region, addressing style) and how its files are served (per-glob `Cache-Control` and
//! `Content-Type` overrides, gzip). Validated once, with errors located in the file.
//! Credentials are deliberately not part of this: they come from the environment or the AWS
//! credentials files when the store is opened (see `remote`).

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::config::line_col;
use crate::error::{Diagnostic, Error, Result};

/// One `[[deploy]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFile {
    name: Spanned<String>,
    url: Spanned<String>,
    #[serde(default)]
    endpoint: Option<Spanned<String>>,
    #[serde(default)]
    region: Option<Spanned<String>>,
    #[serde(default)]
    force_path_style: bool,
    #[serde(default)]
    gzip: bool,
    #[serde(default)]
    rules: Vec<RuleFile>,
    // Named here only to refuse them with a useful message instead of "unknown field".
    #[serde(default)]
    access_key_id: Option<Spanned<toml::Value>>,
    #[serde(default)]
    secret_access_key: Option<Spanned<toml::Value>>,
    #[serde(default)]
    session_token: Option<Spanned<toml::Value>>,
}

/// One `[[deploy.rules]]` table as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    pattern: Spanned<String>,
    #[serde(default)]
    cache_control: Option<Spanned<String>>,
    #[serde(default)]
    content_type: Option<Spanned<String>>,
    #[serde(default)]
    gzip: Option<bool>,
}

/// A validated deploy target.
#[derive(Debug, Clone)]
pub struct Target {
    pub name: String,
    pub bucket: String,
    /// Key prefix inside the bucket, without leading or trailing `/`; empty for the root.
    pub prefix: String,
    /// For stores other than AWS: `https://host[:port]`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub force_path_style: bool,
    /// Precompress text files and upload them with `Content-Encoding: gzip`.
    pub gzip: bool,
    pub rules: Vec<Rule>,
}

/// Header overrides for the files whose site-relative path matches `pattern`.
#[derive(Debug, Clone)]
pub struct Rule {
    pub pattern: String,
    matcher: globset::GlobMatcher,
    pub cache_control: Option<String>,
    pub content_type: Option<String>,
    pub gzip: Option<bool>,
}

impl Rule {
    pub fn matches(&self, key: &str) -> bool {
        self.matcher.is_match(key)
    }
}

impl Target {
    /// `s3://bucket/prefix/`, for messages.
    pub fn url(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3://{}/", self.bucket)
        } else {
            format!("s3://{}/{}/", self.bucket, self.prefix)
        }
    }

    /// The object key of a site-relative path.
    pub fn key(&self, rel: &str) -> String {
        if self.prefix.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.prefix)
        }
    }

    /// The first value a matching rule sets for a header, in the order of the rules.
    pub fn rule_value<T>(&self, key: &str, field: impl Fn(&Rule) -> Option<T>) -> Option<T> {
        self.rules.iter().filter(|r| r.matches(key)).find_map(field)
    }
}

/// Validates every `[[deploy]]` table of `briefing.toml` (`text` is the file, for locations).
pub(crate) fn validate(files: Vec<TargetFile>, path: &Path, text: &str) -> Result<Vec<Target>> {
    let mut targets: Vec<Target> = Vec::new();
    for file in files {
        let name = file.name.clone();
        let target = validate_one(file, path, text)?;
        if targets.iter().any(|t| t.name == target.name) {
            return Err(at(
                path,
                text,
                &name,
                format!("deploy target `{}` is defined twice", target.name),
            ));
        }
        targets.push(target);
    }
    Ok(targets)
}

fn at<T>(path: &Path, text: &str, spanned: &Spanned<T>, message: String) -> Error {
    let (line, col) = line_col(text, spanned.span().start);
    Error::input(Diagnostic::at(path, line, col, message))
}

fn validate_one(file: TargetFile, path: &Path, text: &str) -> Result<Target> {
    let err = |s: &Spanned<String>, m: String| at(path, text, s, m);
    if let Some(secret) = [
        &file.access_key_id,
        &file.secret_access_key,
        &file.session_token,
    ]
    .into_iter()
    .flatten()
    .next()
    {
        return Err(at(
            path,
            text,
            secret,
            "credentials do not belong in briefing.toml (it is usually committed): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment, or use a profile of ~/.aws/credentials (AWS_PROFILE)".into(),
        ));
    }
    let name = file.name.get_ref().trim().to_string();
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(err(
            &file.name,
            format!(
                "deploy target name `{}` must be a non-empty word without spaces",
                file.name.get_ref()
            ),
        ));
    }
    let (bucket, prefix) = parse_url(file.url.get_ref()).map_err(|m| err(&file.url, m))?;
    let endpoint = match &file.endpoint {
        Some(e) => {
            let v = e.get_ref().trim_end_matches('/');
            let rest = v
                .strip_prefix("https://")
                .or_else(|| v.strip_prefix("http://"));
            match rest {
                Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => {
                    Some(v.to_string())
                }
                _ => {
                    return Err(err(
                        e,
                        format!(
                            "endpoint `{}` must be http(s)://host[:port], without a path (the bucket comes from `url`)",
                            e.get_ref()
                        ),
                    ));
                }
            }
        }
        None => None,
    };
    let region = match &file.region {
        Some(r)
            if r.get_ref().is_empty()
                || !r
                    .get_ref()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            return Err(err(
                r,
                format!(
                    "region `{}` is not a region name such as eu-west-1",
                    r.get_ref()
                ),
            ));
        }
        Some(r) => Some(r.get_ref().clone()),
        None => None,
    };
    let mut rules = Vec::new();
    for rule in file.rules {
        rules.push(validate_rule(rule, path, text)?);
    }
    Ok(Target {
        name,
        bucket,
        prefix,
        endpoint,
        region,
        force_path_style: file.force_path_style,
        gzip: file.gzip,
        rules,
    })
}

fn validate_rule(rule: RuleFile, path: &Path, text: &str) -> Result<Rule> {
    let err = |s: &Spanned<String>, m: String| at(path, text, s, m);
    let pattern = rule.pattern.get_ref().trim_start_matches('/').to_string();
    let matcher = globset::GlobBuilder::new(&pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| {
            err(
                &rule.pattern,
                format!(
                    "pattern `{}` is not a glob: {}",
                    rule.pattern.get_ref(),
                    e.kind()
                ),
            )
        })?
        .compile_matcher();
    let header = |v: &Option<Spanned<String>>, what: &str| -> Result<Option<String>> {
        match v {
            Some(s) if !header_value_ok(s.get_ref()) => Err(err(
                s,
                format!(
                    "{what} `{}` is not a valid header value",
                    s.get_ref().escape_debug()
                ),
            )),
            Some(s) => Ok(Some(s.get_ref().trim().to_string())),
            None => Ok(None),
        }
    };
    let cache_control = header(&rule.cache_control, "cache_control")?;
    let content_type = header(&rule.content_type, "content_type")?;
    if let (Some(ct), Some(s)) = (&content_type, &rule.content_type)
        && !ct.split(';').next().is_some_and(|t| {
            let mut parts = t.trim().split('/');
            matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if !a.is_empty() && !b.is_empty())
        })
    {
        return Err(err(s, format!("content_type `{ct}` must look like type/subtype, e.g. text/html; charset=utf-8")));
    }
    Ok(Rule {
        pattern,
        matcher,
        cache_control,
        content_type,
        gzip: rule.gzip,
    })
}

/// Printable ASCII, not empty: what every store accepts in a header.
fn header_value_ok(v: &str) -> bool {
    !v.trim().is_empty() && v.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// `s3://bucket/optional/prefix` → (bucket, prefix without surrounding slashes).
pub(crate) fn parse_url(url: &str) -> std::result::Result<(String, String), String> {
    let rest = url.strip_prefix("s3://").ok_or_else(|| {
        format!("url `{url}` must start with s3:// (s3://bucket or s3://bucket/prefix)")
    })?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let bucket_ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && bucket
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric());
    if !bucket_ok {
        return Err(format!(
            "url `{url}`: `{bucket}` is not a bucket name (3 to 63 lowercase letters, digits, dots and dashes)"
        ));
    }
    let prefix = prefix.trim_matches('/');
    if !prefix.is_empty()
        && prefix
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == ".." || s.chars().any(|c| c.is_control()))
    {
        return Err(format!(
            "url `{url}`: the prefix `{prefix}` has an empty, `.` or `..` part"
        ));
    }
    Ok((bucket.to_string(), prefix.to_string()))
}

/// Picks the target named `name`, or the only one.
pub(crate) fn select<'a>(targets: &'a [Target], name: Option<&str>) -> Result<&'a Target> {
    let names = || {
        targets
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match name {
        Some(n) => targets.iter().find(|t| t.name == n).ok_or_else(|| {
            Error::Usage(if targets.is_empty() {
                format!("no deploy target `{n}`: briefing.toml has no [[deploy]] table")
            } else {
                format!(
                    "no deploy target `{n}` in briefing.toml; the targets are: {}",
                    names()
                )
            })
        }),
        None => match targets {
            [] => Err(Error::Refused(
                "briefing.toml has no [[deploy]] table; add one (see README, \"Deploying\")".into(),
            )),
            [only] => Ok(only),
            _ => Err(Error::Refused(format!(
                "briefing.toml has several deploy targets; choose one with --target ({})",
                names()
            ))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::test_config;

    fn load(extra: &str) -> Result<crate::Config> {
        crate::Config::from_toml(
            Path::new("/s"),
            Path::new("briefing.toml"),
            &format!("title = \"x\"\nbase_url = \"https://e.org/\"\n{extra}"),
            Default::default(),
        )
    }

    #[test]
    fn urls_split_into_bucket_and_prefix() {
        assert_eq!(parse_url("s3://news").unwrap(), ("news".into(), "".into()));
        assert_eq!(
            parse_url("s3://news/daily/site/").unwrap(),
            ("news".into(), "daily/site".into())
        );
        assert!(
            parse_url("https://news")
                .unwrap_err()
                .contains("must start with s3://")
        );
        assert!(
            parse_url("s3://News")
                .unwrap_err()
                .contains("not a bucket name")
        );
        assert!(parse_url("s3://news/a//b").unwrap_err().contains("empty"));
        assert!(parse_url("s3://news/../b").unwrap_err().contains("`..`"));
    }

    #[test]
    fn a_full_target_is_read() {
        let c = test_config(
            "title = \"x\"\nbase_url = \"https://e.org/\"\n[[deploy]]\nname = \"garage\"\nurl = \"s3://site/news\"\nendpoint = \"http://127.0.0.1:3900/\"\nregion = \"garage\"\nforce_path_style = true\ngzip = true\n[[deploy.rules]]\npattern = \"**/*.woff2\"\ncache_control = \"public, max-age=604800\"\n",
        );
        let t = &c.deploy[0];
        assert_eq!(t.name, "garage");
        assert_eq!((t.bucket.as_str(), t.prefix.as_str()), ("site", "news"));
        assert_eq!(t.endpoint.as_deref(), Some("http://127.0.0.1:3900"));
        assert_eq!(t.key("index.html"), "news/index.html");
        assert!(t.gzip && t.force_path_style);
        assert!(t.rules[0].matches("fonts/a.woff2"));
        assert!(!t.rules[0].matches("fonts/a.woff"));
    }

    #[test]
    fn credentials_in_the_file_are_refused_with_their_location() {
        let err =
            load("[[deploy]]\nname = \"s3\"\nurl = \"s3://b-1\"\nsecret_access_key = \"abc\"\n")
                .unwrap_err()
                .to_string();
        assert!(
            err.starts_with("briefing.toml:6:21: credentials do not belong in briefing.toml"),
            "{err}"
        );
    }

    #[test]
    fn bad_values_are_located() {
        let err = load(
            "[[deploy]]\nname = \"s3\"\nurl = \"s3://b-1\"\n[[deploy.rules]]\npattern = \"a[\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("briefing.toml:7:11: pattern `a[` is not a glob"),
            "{err}"
        );
        let err = load("[[deploy]]\nname = \"s3\"\nurl = \"s3://b-1\"\nendpoint = \"ftp://x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("briefing.toml:6:12: endpoint `ftp://x` must be"),
            "{err}"
        );
        let err = load("[[deploy]]\nname = \"s3\"\nurl = \"s3://b-1\"\n[[deploy.rules]]\npattern = \"*\"\ncontent_type = \"html\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("briefing.toml:8:16: content_type `html` must look like"),
            "{err}"
        );
        let err = load("[[deploy]]\nname = \"a\"\nurl = \"s3://b-1\"\n[[deploy]]\nname = \"a\"\nurl = \"s3://b-2\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("briefing.toml:7:8: deploy target `a` is defined twice"),
            "{err}"
        );
        let err = load("[[deploy]]\nname = \"a\"\nurl = \"s3://b-1\"\nbucket = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `bucket`"), "{err}");
    }

    #[test]
    fn selecting_a_target() {
        let c = test_config(
            "title = \"x\"\nbase_url = \"https://e.org/\"\n[[deploy]]\nname = \"a\"\nurl = \"s3://b-1\"\n[[deploy]]\nname = \"b\"\nurl = \"s3://b-2\"\n",
        );
        assert_eq!(select(&c.deploy, Some("b")).unwrap().bucket, "b-2");
        let e = select(&c.deploy, None).unwrap_err().to_string();
        assert!(e.contains("choose one with --target (a, b)"), "{e}");
        let e = select(&c.deploy, Some("c")).unwrap_err().to_string();
        assert!(e.contains("no deploy target `c`"), "{e}");
        assert!(
            select(&[], None)
                .unwrap_err()
                .to_string()
                .contains("no [[deploy]] table")
        );
    }
}
