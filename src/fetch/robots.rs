//! robots.txt (RFC 9309), as far as a fetcher of a few pages a day needs it: the groups for
//! our product token (else `*`), `Allow`/`Disallow` with `*` and `$`, the longest match wins
//! and `Allow` wins a tie. A missing file (4xx) allows everything; a server error or an
//! unreachable file disallows everything, as the RFC asks. Fetching and caching it per run is
//! the client's job (`http`). Small enough to own rather than add a crate for.

/// The rules that apply to us on one host.
#[derive(Debug, Clone, Default)]
pub(crate) struct Robots {
    /// (allow?, pattern)
    rules: Vec<(bool, String)>,
    /// Everything is disallowed (robots.txt unreachable or a server error).
    closed: bool,
}

impl Robots {
    pub(crate) fn allow_all() -> Robots {
        Robots::default()
    }

    pub(crate) fn disallow_all() -> Robots {
        Robots {
            rules: Vec::new(),
            closed: true,
        }
    }

    /// The rules of `text` for the user agent whose product token is `agent` (e.g. `briefing`).
    pub(crate) fn parse(text: &str, agent: &str) -> Robots {
        let agent = agent.to_ascii_lowercase();
        let mut ours = Vec::new();
        let mut any = Vec::new();
        let mut group_agents: Vec<String> = Vec::new();
        let mut in_rules = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        group_agents.clear();
                        in_rules = false;
                    }
                    group_agents.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    // An empty Disallow allows everything: no rule.
                    if value.is_empty() {
                        continue;
                    }
                    let rule = (key == "allow", value.to_string());
                    if group_agents.contains(&agent) {
                        ours.push(rule.clone());
                    }
                    if group_agents.iter().any(|a| a == "*") {
                        any.push(rule);
                    }
                }
                _ => {}
            }
        }
        let has_own_group = text.lines().any(|l| {
            let l = l
                .split('#')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            l.strip_prefix("user-agent:")
                .map(str::trim)
                .is_some_and(|a| a == agent)
        });
        Robots {
            rules: if has_own_group { ours } else { any },
            closed: false,
        }
    }

    /// May `path` (with its query) be fetched?
    pub(crate) fn allows(&self, path: &str) -> bool {
        if self.closed {
            return false;
        }
        if path == "/robots.txt" {
            return true;
        }
        let best = self
            .rules
            .iter()
            .filter(|(_, pattern)| matches(pattern, path))
            .max_by_key(|(allow, pattern)| (pattern.len(), *allow));
        best.is_none_or(|(allow, _)| *allow)
    }
}

/// A robots.txt path pattern: a prefix, `*` for any run of characters, `$` for the end.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut rest = path;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 && anchored {
            return rest.ends_with(part);
        } else {
            let Some(at) = rest.find(part) else {
                return false;
            };
            rest = &rest[at + part.len()..];
        }
    }
    !anchored || rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_group_wins_over_the_star_group() {
        let txt = "User-agent: *\nDisallow: /\n\nUser-agent: Briefing\nDisallow: /private/\nAllow: /private/ok\n";
        let r = Robots::parse(txt, "briefing");
        assert!(r.allows("/news/a"));
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/ok.html"));
        let other = Robots::parse(txt, "otherbot");
        assert!(!other.allows("/news/a"));
    }

    #[test]
    fn wildcards_anchors_and_empty_rules() {
        let r = Robots::parse(
            "user-agent: *\ndisallow: /*.pdf$\ndisallow: /tmp*/x\ndisallow:\n",
            "briefing",
        );
        assert!(!r.allows("/files/a.pdf"));
        assert!(r.allows("/files/a.pdf?x=1"));
        assert!(!r.allows("/tmp1/x"));
        assert!(r.allows("/tmp1/y"));
        assert!(Robots::parse("", "briefing").allows("/"));
        assert!(!Robots::disallow_all().allows("/a"));
    }

    #[test]
    fn agents_grouped_together_share_rules() {
        let r = Robots::parse(
            "User-agent: a\nUser-agent: briefing\nDisallow: /x\nUser-agent: b\nDisallow: /\n",
            "briefing",
        );
        assert!(!r.allows("/x/1"));
        assert!(r.allows("/y"));
    }
}
