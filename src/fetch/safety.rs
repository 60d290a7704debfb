//! Where fetch may go. The configured sources are trusted: the user chose them, wherever
//! they live. A URL found *inside* fetched content (a feed item's link, a redirect) is not:
//! it may reach a loopback, private, link-local or otherwise non-public address only when it
//! has the same host and port as the source it was found in (a feed on an intranet linking
//! to its own pages), or when that `host:port` is listed in `[fetch] allow_private`.
//! Everything else non-public is refused, so a feed cannot make briefing probe the machine it
//! runs on or its network (another port on 127.0.0.1, 169.254.169.254, 10.x, …).
//!
//! Host names are checked when they are resolved (a resolver that drops non-public addresses
//! for any name that is not a configured source's host or allowed), so a name that resolves
//! to 127.0.0.1 is caught too, at the moment of connecting: no check-then-use gap.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use reqwest::Url;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// The addresses fetch may reach through links found in content.
#[derive(Debug, Clone, Default)]
pub(crate) struct Policy {
    /// `host:port` (host lower-cased, IPv6 without brackets) always allowed.
    allowed: HashSet<(String, u16)>,
    /// Host names of configured sources: they may resolve to anything.
    trusted_names: HashSet<String>,
}

impl Policy {
    pub(crate) fn new<'a>(
        allow_private: &[String],
        source_urls: impl IntoIterator<Item = &'a str>,
    ) -> Policy {
        let allowed = allow_private
            .iter()
            .filter_map(|s| parse_host_port(s))
            .collect();
        let trusted_names = source_urls
            .into_iter()
            .filter_map(|u| Url::parse(u).ok())
            .filter_map(|u| u.host_str().map(str::to_ascii_lowercase))
            .collect();
        Policy {
            allowed,
            trusted_names,
        }
    }

    /// May `link`, found in content fetched from `source`, be followed?
    pub(crate) fn check_link(&self, link: &Url, source: &Url) -> Result<(), String> {
        if !matches!(link.scheme(), "http" | "https") {
            return Err(format!(
                "refused: `{link}` is not an http(s) URL; only http and https are fetched"
            ));
        }
        let Some(ip) = literal_ip(link) else {
            if is_localhost_name(link) && !self.same_or_allowed(link, source) {
                return Err(refusal(link, "loopback"));
            }
            // Other names are checked by the resolver when they are looked up.
            return Ok(());
        };
        match class(ip) {
            None => Ok(()),
            Some(_) if self.same_or_allowed(link, source) => Ok(()),
            Some(c) => Err(refusal(link, c)),
        }
    }

    fn same_or_allowed(&self, link: &Url, source: &Url) -> bool {
        let key = |u: &Url| {
            u.host_str().map(|h| {
                (
                    h.trim_matches(['[', ']']).to_ascii_lowercase(),
                    u.port_or_known_default().unwrap_or(0),
                )
            })
        };
        let link_key = key(link);
        link_key.is_some()
            && (link_key == key(source) || link_key.is_some_and(|k| self.allowed.contains(&k)))
    }

    /// The DNS resolver for the HTTP client: names that are neither a configured source's
    /// host nor allowed get only their public addresses.
    pub(crate) fn resolver(&self) -> Arc<Guarded> {
        Arc::new(Guarded {
            policy: self.clone(),
        })
    }
}

fn refusal(link: &Url, class: &str) -> String {
    format!(
        "refused: `{link}` is a {class} address, found in content from another address (allow it with [fetch] allow_private = [\"host:port\"])"
    )
}

fn literal_ip(url: &Url) -> Option<IpAddr> {
    url.host_str()?.trim_matches(['[', ']']).parse().ok()
}

fn is_localhost_name(url: &Url) -> bool {
    url.host_str().is_some_and(|h| {
        let h = h.trim_end_matches('.').to_ascii_lowercase();
        h == "localhost" || h.ends_with(".localhost")
    })
}

/// The kind of non-public address `ip` is, or `None` for a public one.
pub(crate) fn class(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(a) => class_v4(a),
        IpAddr::V6(a) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                return class_v4(v4);
            }
            let first = a.segments()[0];
            if a.is_loopback() {
                Some("loopback")
            } else if a.is_unspecified() {
                Some("unspecified")
            } else if first & 0xfe00 == 0xfc00 {
                Some("private")
            } else if first & 0xffc0 == 0xfe80 {
                Some("link-local")
            } else if a.is_multicast() {
                Some("multicast")
            } else {
                None
            }
        }
    }
}

fn class_v4(a: Ipv4Addr) -> Option<&'static str> {
    let [x, y, ..] = a.octets();
    if a.is_loopback() {
        Some("loopback")
    } else if a.is_private() || (x == 100 && (64..128).contains(&y)) {
        // 100.64/10 is carrier-grade NAT: private too.
        Some("private")
    } else if a.is_link_local() {
        Some("link-local")
    } else if a.is_unspecified() || x == 0 {
        Some("unspecified")
    } else if a.is_broadcast() || a.is_multicast() || x >= 240 {
        Some("reserved")
    } else {
        None
    }
}

/// `host:port`, `[v6]:port` → (lower-cased host without brackets, port).
pub(crate) fn parse_host_port(s: &str) -> Option<(String, u16)> {
    let (host, port) = s.trim().rsplit_once(':')?;
    let port = port.parse().ok()?;
    let host = host.trim_matches(['[', ']']).to_ascii_lowercase();
    (!host.is_empty()).then_some((host, port))
}

/// A resolver that keeps non-public addresses away from names fetch was not told to trust.
pub(crate) struct Guarded {
    policy: Policy,
}

impl Resolve for Guarded {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let trusted = self.policy.trusted_names.contains(&host)
            || self.policy.allowed.iter().any(|(h, _)| *h == host);
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let kept: Vec<SocketAddr> = found
                .iter()
                .copied()
                .filter(|a| trusted || class(a.ip()).is_none())
                .collect();
            if kept.is_empty() && !found.is_empty() {
                let msg = format!(
                    "refused: `{host}` resolves only to non-public addresses ({}), and it is not a configured source's host",
                    found[0].ip()
                );
                let stopped = super::http::Stopped(super::http::FetchError::new(
                    super::http::Failure::Refused,
                    msg,
                ));
                return Err(Box::new(stopped) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn address_classes() {
        let c = |s: &str| class(s.parse().unwrap());
        assert_eq!(c("127.0.0.1"), Some("loopback"));
        assert_eq!(c("10.1.2.3"), Some("private"));
        assert_eq!(c("192.168.0.1"), Some("private"));
        assert_eq!(c("169.254.169.254"), Some("link-local"));
        assert_eq!(c("100.100.0.1"), Some("private"));
        assert_eq!(c("::1"), Some("loopback"));
        assert_eq!(c("fe80::1"), Some("link-local"));
        assert_eq!(c("fd00::1"), Some("private"));
        assert_eq!(c("::ffff:127.0.0.1"), Some("loopback"));
        assert_eq!(c("93.184.216.34"), None);
        assert_eq!(c("2606:4700::1111"), None);
    }

    #[test]
    fn links_to_other_private_addresses_are_refused_unless_allowed() {
        let source = url("http://127.0.0.1:8000/feed.xml");
        let p = Policy::new(&[], ["http://127.0.0.1:8000/feed.xml"]);
        assert!(
            p.check_link(&url("http://127.0.0.1:8000/a"), &source)
                .is_ok()
        );
        let e = p
            .check_link(&url("http://127.0.0.1:9000/a"), &source)
            .unwrap_err();
        assert!(e.contains("loopback"), "{e}");
        assert!(
            p.check_link(&url("http://10.0.0.1/a"), &source)
                .unwrap_err()
                .contains("private")
        );
        assert!(
            p.check_link(&url("http://localhost:9000/"), &source)
                .is_err()
        );
        assert!(
            p.check_link(&url("https://news.example/a"), &source)
                .is_ok()
        );
        assert!(p.check_link(&url("file:///etc/passwd"), &source).is_err());
        let p = Policy::new(&["127.0.0.1:9000".into()], []);
        assert!(
            p.check_link(&url("http://127.0.0.1:9000/a"), &source)
                .is_ok()
        );
        let public = url("https://news.example/feed");
        assert!(p.check_link(&url("http://[::1]:80/"), &public).is_err());
    }

    #[tokio::test]
    async fn the_resolver_keeps_loopback_only_for_trusted_names() {
        use std::str::FromStr;
        let name = || Name::from_str("localhost").unwrap();
        let untrusted = Policy::new(&[], ["https://news.example/feed"]).resolver();
        let err = untrusted.resolve(name()).await.err().expect("refused");
        assert!(
            err.to_string()
                .contains("refused: `localhost` resolves only to non-public addresses"),
            "{err}"
        );
        let trusted = Policy::new(&[], ["http://localhost:8080/feed"]).resolver();
        let addrs: Vec<SocketAddr> = trusted.resolve(name()).await.unwrap().collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }
}
