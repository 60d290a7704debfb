//! Author names from a byline or a metadata field: "By Ann Reed and Tom Bell, Staff
//! Writers" → `["Ann Reed", "Tom Bell"]`. "By" and roles go; names keep their spelling.

use std::sync::LazyLock;

use regex::Regex;

/// Leading "By", "Written by", "Von", … and the separators between names.
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:written|words|story|reporting|text|posted|published|compiled|edited)\s+by|by|von|por|par)[\s:]+",
    )
    .expect("valid regex")
});

static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:,|;|\||/|&|\band\b|\bund\b|\by\b|\bet\b|\s[-–—]\s)\s*")
        .expect("valid regex")
});

/// Words that make a part of a byline a role, a desk or a date, not a name.
static ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\b(?:
            staff|writer|writers|reporter|reporters|correspondent|correspondents|editor|editors
          | contributor|contributing|columnist|producer|analyst|journalist|photographer|desk
          | senior|chief|special|national|political|business|science|technology|tech|sports?
          | associate|assistant|freelance|guest|team|bureau|updated|published|posted|min|read
          | about|more|view|all|posts|articles|stories|follow|contact|email|share|profile|bio
          | name|commented|comments?|reply|replies
        )\b|\d",
    )
    .expect("valid regex")
});

/// Cleans bylines or metadata author fields into a list of distinct names.
pub(crate) fn clean(bylines: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in bylines {
        let line = crate::ingest::normalize::clean_line(line);
        let line = LEAD.replace(line.trim(), "");
        for part in SEPARATOR.split(&line) {
            let name = part
                .trim()
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'' && c != '’')
                .trim();
            let name = strip_trailer(name);
            if name.is_empty() || ROLE.is_match(name) || !looks_like_name(name) {
                continue;
            }
            if !out.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                out.push(name.to_string());
            }
        }
    }
    out
}

/// An agency or a weekday run on after a name ("ERIC TUCKER Associated Press", "Jeff Foust
/// Monday") when the byline's pieces were not separated.
fn strip_trailer(name: &str) -> &str {
    static TRAILER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\s+(?:associated\s+press|the\s+associated\s+press|reuters|afp|ap|monday|tuesday|wednesday|thursday|friday|saturday|sunday)$",
        )
        .expect("valid regex")
    });
    match TRAILER.find(name) {
        Some(m) if name[..m.start()].split_whitespace().count() >= 2 => &name[..m.start()],
        _ => name,
    }
}

/// One to five words, starting with a capital letter, no URL or e-mail.
fn looks_like_name(s: &str) -> bool {
    let words = s.split_whitespace().count();
    (1..=5).contains(&words)
        && s.chars().next().is_some_and(char::is_uppercase)
        && !s.contains(['@', ':', '/'])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        clean(&[s.to_string()])
    }

    #[test]
    fn by_and_roles_go() {
        assert_eq!(names("By Ann Reed and Tom Bell"), ["Ann Reed", "Tom Bell"]);
        assert_eq!(names("By ANN REED, Staff Writer"), ["ANN REED"]);
        assert_eq!(names("Written by: Ann Reed | Nov 19, 2019"), ["Ann Reed"]);
        assert_eq!(
            names("Ann Reed, Tom Bell & Li Wei"),
            ["Ann Reed", "Tom Bell", "Li Wei"]
        );
        assert_eq!(names("By Reuters"), ["Reuters"]);
        assert_eq!(names("Ann Reed - Science Correspondent"), ["Ann Reed"]);
        assert!(names("https://example.org/ann").is_empty());
        assert_eq!(
            names("By Mark Allen and Jan Moreno | Nov 19, 2019"),
            ["Mark Allen", "Jan Moreno"]
        );
        assert_eq!(names("By ERIC TUCKER Associated Press"), ["ERIC TUCKER"]);
        assert_eq!(names("Jeff Foust Monday"), ["Jeff Foust"]);
        assert!(names("About the Author").is_empty());
        assert!(names("View all posts").is_empty());
    }
}
