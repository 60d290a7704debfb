//! `[[sources]]` and `[fetch]` in `briefing.toml`: what `briefing fetch` collects and how
//! politely. Only the types and their checks live here; `config` reads the file and calls
//! [`validate`], so a bad source is reported as `briefing.toml:line:col: …` like any other key.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use crate::config::Topic;
use crate::error::Diagnostic;

/// How a source's response is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// RSS, Atom or JSON Feed: every item is an article.
    Feed,
    /// One HTML page holding one article.
    Page,
    /// Decided by the response: its content type, then its first bytes.
    #[default]
    Auto,
}

/// One `[[sources]]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub kind: Kind,
    /// Topic for this source's articles that the classifier cannot place.
    #[serde(default)]
    pub topic: Option<String>,
    /// Feed items carry only a teaser: fetch each item's link and extract the article.
    #[serde(default)]
    pub full_text: bool,
    /// At most this many items of the feed per run (the first ones, newest first in practice).
    #[serde(default = "default_max_items")]
    pub max_items: usize,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn default_max_items() -> usize {
    50
}
fn yes() -> bool {
    true
}

/// `[fetch]`: the HTTP client and its manners. Every field has a default.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FetchSettings {
    /// Sent with every request; `{version}` is replaced by briefing's version.
    pub user_agent: String,
    /// Requests in flight at once, all hosts together.
    pub concurrency: usize,
    /// Requests in flight at once to one host.
    pub per_host: usize,
    /// Seconds between the starts of two requests to the same host.
    pub delay: f64,
    /// Seconds to establish a connection.
    pub connect_timeout: f64,
    /// Seconds for a whole request, body included.
    pub timeout: f64,
    /// Largest body accepted (after decompression), in bytes.
    pub max_bytes: u64,
    /// Requests one run makes at most, robots.txt and retries included.
    pub max_requests: usize,
    /// Further attempts after a transient failure (timeout, connection error, 5xx, 429).
    pub retries: u32,
    /// Seconds before the first retry; doubled for each further one.
    pub backoff: f64,
    /// The longest `Retry-After` (seconds) that is waited for; a longer one fails the source.
    pub max_retry_after: f64,
    /// `host:port` pairs that links found in fetched content may reach even though they are
    /// loopback, private or link-local addresses (see README, "Safety").
    pub allow_private: Vec<String>,
}

impl Default for FetchSettings {
    fn default() -> Self {
        FetchSettings {
            user_agent: "briefing/{version} (static site generator; daily news briefing)".into(),
            concurrency: 8,
            per_host: 2,
            delay: 1.0,
            connect_timeout: 10.0,
            timeout: 30.0,
            max_bytes: 5 * 1024 * 1024,
            max_requests: 2000,
            retries: 2,
            backoff: 1.0,
            max_retry_after: 120.0,
            allow_private: Vec::new(),
        }
    }
}

impl FetchSettings {
    pub fn user_agent(&self) -> String {
        self.user_agent
            .replace("{version}", env!("CARGO_PKG_VERSION"))
    }
    pub(crate) fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s.max(0.0))
    }
}

/// Checks what serde cannot: URLs, unique names, known topics, sane limits. `text` is the
/// file, to locate the offending value.
pub(crate) fn validate(
    path: &Path,
    text: &str,
    sources: &[Source],
    settings: &FetchSettings,
    topics: &[Topic],
) -> Result<(), Diagnostic> {
    let at = |index: usize, key: &str, message: String| {
        let (line, col) = source_key_position(text, index, key).unwrap_or((1, 1));
        Diagnostic::at(path, line, col, message)
    };
    let mut names = std::collections::HashSet::new();
    for (i, s) in sources.iter().enumerate() {
        if s.name.trim().is_empty() {
            return Err(at(i, "name", "source name must not be empty".into()));
        }
        if !names.insert(s.name.as_str()) {
            return Err(at(
                i,
                "name",
                format!("source name `{}` is used twice", s.name),
            ));
        }
        if let Err(m) = check_url(&s.url) {
            return Err(at(i, "url", format!("source `{}`: {m}", s.name)));
        }
        if let Some(t) = &s.topic
            && let Err(message) = crate::config::check_topic(topics, t)
        {
            return Err(at(i, "topic", format!("source `{}`: {message}", s.name)));
        }
        if s.max_items == 0 {
            return Err(at(
                i,
                "max_items",
                format!("source `{}`: max_items must be at least 1", s.name),
            ));
        }
        if s.full_text && s.kind == Kind::Page {
            return Err(at(
                i,
                "full_text",
                format!(
                    "source `{}`: full_text applies to feeds, not to kind = \"page\"",
                    s.name
                ),
            ));
        }
    }
    let setting = |key: &str, message: &str| {
        let at = [
            crate::config::spans::Key("fetch"),
            crate::config::spans::Key(key),
        ];
        let (line, col) = crate::config::spans::position(text, &at).unwrap_or((1, 1));
        Diagnostic::at(path, line, col, format!("[fetch] {key} {message}"))
    };
    if settings.concurrency == 0 {
        return Err(setting("concurrency", "must be at least 1"));
    }
    if settings.per_host == 0 {
        return Err(setting("per_host", "must be at least 1"));
    }
    if settings.retries > 10 {
        return Err(setting("retries", "must be at most 10"));
    }
    if settings.max_bytes == 0 {
        return Err(setting("max_bytes", "must be at least 1"));
    }
    for (key, value) in [
        ("delay", settings.delay),
        ("connect_timeout", settings.connect_timeout),
        ("timeout", settings.timeout),
        ("backoff", settings.backoff),
        ("max_retry_after", settings.max_retry_after),
    ] {
        if !value.is_finite() || !(0.0..=86_400.0).contains(&value) {
            return Err(setting(
                key,
                "must be a number of seconds between 0 and 86400",
            ));
        }
    }
    if settings.timeout == 0.0 || settings.connect_timeout == 0.0 {
        return Err(setting("timeout", "and connect_timeout must be above 0"));
    }
    for hp in &settings.allow_private {
        if crate::fetch::safety::parse_host_port(hp).is_none() {
            return Err(setting(
                "allow_private",
                &format!("entry `{hp}` is not `host:port`"),
            ));
        }
    }
    Ok(())
}

/// An http(s) URL with a host.
pub(crate) fn check_url(url: &str) -> Result<reqwest::Url, String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "`{url}`: only http and https URLs can be fetched, not `{}:`",
            parsed.scheme()
        ));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{url}` has no host"));
    }
    Ok(parsed)
}

/// Line and column of `key = …` inside the `index`-th `[[sources]]` table (from the TOML
/// parser's spans).
fn source_key_position(text: &str, index: usize, key: &str) -> Option<(usize, usize)> {
    use crate::config::spans::{Index, Key, position};
    position(text, &[Key("sources"), Index(index), Key(key)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_located_inside_the_right_table() {
        let text = "title = \"x\"\n[[sources]]\nname = \"a\"\nurl = \"https://a.example/\"\n\n[[sources]]\nname = \"a\"\nurl = \"ftp://b\"\n[fetch]\nname = 1\n";
        assert_eq!(source_key_position(text, 0, "name"), Some((3, 8)));
        assert_eq!(source_key_position(text, 1, "name"), Some((7, 8)));
        assert_eq!(source_key_position(text, 1, "url"), Some((8, 7)));
        assert_eq!(source_key_position(text, 2, "name"), None);
    }

    #[test]
    fn only_web_urls_with_a_host() {
        assert!(check_url("https://a.example/feed").is_ok());
        assert!(
            check_url("file:///etc/passwd")
                .unwrap_err()
                .contains("only http")
        );
        assert!(check_url("news").unwrap_err().contains("not a URL"));
    }
}
