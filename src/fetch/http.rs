//! The HTTP client: one reqwest client (rustls, gzip and brotli, our User-Agent, connect and
//! total timeouts, at most 5 redirects with loops detected and every hop checked by
//! [`safety`](super::safety)), a body read in chunks up to `[fetch] max_bytes`, conditional
//! requests, retries with backoff on transient failures (`Retry-After` honoured on 429 and
//! 503), robots.txt per origin cached for the run, and the manners of [`Politeness`].
//! It returns bytes and headers; what they mean is the caller's business.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{
    CONTENT_LENGTH, CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    RETRY_AFTER,
};
use reqwest::{StatusCode, Url};
use tokio::sync::OnceCell;

use super::politeness::Politeness;
use super::robots::Robots;
use super::safety::Policy;
use super::sources::FetchSettings;
use super::state::Validators;

/// Redirects followed at most, per request.
const MAX_REDIRECTS: usize = 5;

/// Why a request did not give a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Failure {
    /// An HTTP error status (after retries, for the transient ones).
    Status(u16),
    Timeout,
    TooLarge,
    /// Disallowed by the host's robots.txt.
    Robots,
    /// Refused by the address policy, or not http(s).
    Refused,
    TooManyRedirects,
    RedirectLoop,
    /// Connection failed, reset, DNS, TLS.
    Network,
    /// `429`/`503` with a `Retry-After` longer than we wait.
    RateLimited,
    /// The run's request budget is used up.
    Budget,
    /// The body is not what the source's kind says (not a feed, not an article).
    Content,
}

impl Failure {
    /// Worth asking again later in this run.
    fn transient(&self) -> bool {
        match self {
            Failure::Status(s) => *s == 408 || *s == 429 || *s >= 500,
            Failure::Timeout | Failure::Network => true,
            _ => false,
        }
    }

    /// Short name for reports and `--json`.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Failure::Status(_) => "http-status",
            Failure::Timeout => "timeout",
            Failure::TooLarge => "too-large",
            Failure::Robots => "robots.txt",
            Failure::Refused => "refused",
            Failure::TooManyRedirects => "too-many-redirects",
            Failure::RedirectLoop => "redirect-loop",
            Failure::Network => "network",
            Failure::RateLimited => "rate-limited",
            Failure::Budget => "request-budget",
            Failure::Content => "content",
        }
    }

    /// A failure the next run may well not see (the source is failed, not degraded).
    pub(crate) fn is_temporary(&self) -> bool {
        self.transient() || matches!(self, Failure::RateLimited | Failure::Budget)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct FetchError {
    pub failure: Failure,
    pub message: String,
}

impl FetchError {
    pub(crate) fn new(failure: Failure, message: impl Into<String>) -> Self {
        FetchError {
            failure,
            message: message.into(),
        }
    }
}

/// A response with a body.
#[derive(Debug)]
pub(crate) struct Body {
    /// Where the body came from, after redirects.
    pub url: Url,
    pub content_type: Option<String>,
    pub validators: Validators,
    pub bytes: Vec<u8>,
}

pub(crate) enum Got {
    Fresh(Body),
    NotModified,
}

pub(crate) struct Fetcher {
    client: reqwest::Client,
    polite: Politeness,
    settings: FetchSettings,
    /// The product token robots.txt groups are matched against.
    agent: String,
    robots: Mutex<HashMap<String, Arc<OnceCell<Robots>>>>,
    bytes: AtomicU64,
}

impl Fetcher {
    pub(crate) fn new(settings: &FetchSettings, policy: &Policy) -> Result<Fetcher, String> {
        let hop_policy = policy.clone();
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            let previous = attempt.previous();
            if previous.iter().any(|u| u == attempt.url()) {
                let msg = format!("redirect loop: {} was already visited", attempt.url());
                return attempt.error(Stopped(FetchError::new(Failure::RedirectLoop, msg)));
            }
            if previous.len() > MAX_REDIRECTS {
                let msg = format!("more than {MAX_REDIRECTS} redirects");
                return attempt.error(Stopped(FetchError::new(Failure::TooManyRedirects, msg)));
            }
            let first = previous.first().cloned();
            match first.map(|f| hop_policy.check_link(attempt.url(), &f)) {
                Some(Err(msg)) => attempt.error(Stopped(FetchError::new(Failure::Refused, msg))),
                _ => attempt.follow(),
            }
        });
        let user_agent = settings.user_agent();
        let client = reqwest::Client::builder()
            .user_agent(&user_agent)
            .connect_timeout(FetchSettings::secs(settings.connect_timeout))
            .timeout(FetchSettings::secs(settings.timeout))
            .redirect(redirects)
            .dns_resolver(policy.resolver())
            .gzip(true)
            .brotli(true)
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {e}"))?;
        let agent = user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or("briefing")
            .to_ascii_lowercase();
        Ok(Fetcher {
            client,
            polite: Politeness::new(
                settings.concurrency,
                settings.per_host,
                FetchSettings::secs(settings.delay),
                settings.max_requests,
            ),
            settings: settings.clone(),
            agent,
            robots: Mutex::new(HashMap::new()),
            bytes: AtomicU64::new(0),
        })
    }

    pub(crate) fn requests(&self) -> usize {
        self.polite.used()
    }

    pub(crate) fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::SeqCst)
    }

    /// GET `url`, conditionally when `validators` are given; retried on transient failures.
    pub(crate) async fn get(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Got, FetchError> {
        let host = url.host_str().unwrap_or("").to_ascii_lowercase();
        let mut attempt = 0;
        loop {
            let permit = self
                .polite
                .permit(&host)
                .await
                .map_err(|m| FetchError::new(Failure::Budget, m))?;
            let result = self.once(url, validators).await;
            drop(permit);
            let (error, retry_after) = match result {
                Ok(got) => return Ok(got),
                Err(e) => e,
            };
            if !error.failure.transient() || attempt >= self.settings.retries {
                return Err(error);
            }
            let backoff = FetchSettings::secs(self.settings.backoff) * 2u32.pow(attempt);
            let wait = match retry_after {
                Some(w) if w > FetchSettings::secs(self.settings.max_retry_after) => {
                    return Err(FetchError::new(
                        Failure::RateLimited,
                        format!(
                            "{} and Retry-After asks for {} s, longer than [fetch] max_retry_after",
                            error.message,
                            w.as_secs()
                        ),
                    ));
                }
                Some(w) => {
                    self.polite.defer(&host, w).await;
                    w.max(backoff)
                }
                None => backoff,
            };
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One request: the result, and on failure the `Retry-After` the server gave.
    async fn once(
        &self,
        url: &Url,
        validators: Option<&Validators>,
    ) -> Result<Got, (FetchError, Option<Duration>)> {
        let mut request = self.client.get(url.clone());
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header(IF_NONE_MATCH, etag);
            }
            if let Some(lm) = &v.last_modified {
                request = request.header(IF_MODIFIED_SINCE, lm);
            }
        }
        let mut response = request.send().await.map_err(|e| (client_error(&e), None))?;
        let status = response.status();
        let final_url = response.url().clone();
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Got::NotModified);
        }
        if !status.is_success() {
            let retry_after = retry_after(response.headers());
            let reason = status.canonical_reason().unwrap_or("");
            return Err((
                FetchError::new(
                    Failure::Status(status.as_u16()),
                    format!("HTTP {} {reason}", status.as_u16())
                        .trim_end()
                        .to_string(),
                ),
                retry_after,
            ));
        }
        let headers = response.headers().clone();
        let got_validators = Validators {
            etag: header(&headers, ETAG),
            last_modified: header(&headers, LAST_MODIFIED),
        };
        // Some servers answer 200 with the very ETag we sent: nothing changed.
        if let Some(v) = validators
            && got_validators.etag.is_some()
            && v.etag == got_validators.etag
        {
            return Ok(Got::NotModified);
        }
        let cap = self.settings.max_bytes;
        let too_large = || {
            (
                FetchError::new(
                    Failure::TooLarge,
                    format!("the body is larger than [fetch] max_bytes = {cap} bytes"),
                ),
                None,
            )
        };
        let declared: Option<u64> = header(&headers, CONTENT_LENGTH).and_then(|l| l.parse().ok());
        // A compressed body's declared length is not its size; only trust it uncompressed.
        if declared.is_some_and(|l| l > cap) && !headers.contains_key("content-encoding") {
            return Err(too_large());
        }
        let mut bytes = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    self.bytes.fetch_add(chunk.len() as u64, Ordering::SeqCst);
                    if bytes.len() as u64 + chunk.len() as u64 > cap {
                        return Err(too_large());
                    }
                    bytes.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err((client_error(&e), None)),
            }
        }
        Ok(Got::Fresh(Body {
            url: final_url,
            content_type: header(&headers, CONTENT_TYPE),
            validators: got_validators,
            bytes,
        }))
    }

    /// Does the host's robots.txt let us fetch `url`? Read once per origin and run.
    pub(crate) async fn robots_allow(&self, url: &Url) -> bool {
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut map = self.robots.lock().expect("robots cache lock");
            map.entry(origin.clone()).or_default().clone()
        };
        let robots = cell
            .get_or_init(|| async {
                let Ok(robots_url) = Url::parse(&format!("{origin}/robots.txt")) else {
                    return Robots::allow_all();
                };
                match self.get(&robots_url, None).await {
                    Ok(Got::Fresh(body)) => {
                        Robots::parse(&String::from_utf8_lossy(&body.bytes), &self.agent)
                    }
                    Ok(Got::NotModified) => Robots::allow_all(),
                    Err(e) => match e.failure {
                        Failure::Status(s) if (400..500).contains(&s) && s != 429 => {
                            Robots::allow_all()
                        }
                        _ => Robots::disallow_all(),
                    },
                }
            })
            .await;
        let path = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        };
        robots.allows(&path)
    }
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// `Retry-After: 120` or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = header(headers, RETRY_AFTER)?;
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(&value).ok()?;
    let secs = (when.timestamp() - chrono::Utc::now().timestamp()).max(0);
    Some(Duration::from_secs(secs as u64))
}

/// Our own reason for stopping a request inside reqwest (a redirect hop refused, the DNS
/// resolver refusing an address), carried through reqwest's error as its source.
#[derive(Debug)]
pub(crate) struct Stopped(pub FetchError);

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for Stopped {}

/// A client error as a failure kind and a message with its causes.
fn client_error(e: &reqwest::Error) -> FetchError {
    let mut message = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if let Some(Stopped(ours)) = s.downcast_ref::<Stopped>() {
            return ours.clone();
        }
        let text = s.to_string();
        if !message.contains(&text) {
            message = format!("{message}: {text}");
        }
        source = s.source();
    }
    if e.is_timeout() {
        FetchError::new(Failure::Timeout, format!("timed out ({message})"))
    } else {
        FetchError::new(Failure::Network, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn transient_failures_are_retried() {
        assert!(Failure::Status(503).transient());
        assert!(Failure::Status(429).transient());
        assert!(!Failure::Status(404).transient());
        assert!(Failure::Timeout.transient());
        assert!(!Failure::TooLarge.transient());
    }
}
