//! Unit tests of `config`.

use super::*;

fn load(text: &str) -> Result<Config> {
    Config::from_toml(
        Path::new("/site"),
        Path::new("briefing.toml"),
        text,
        BuildOptions::default(),
    )
}

#[test]
fn unknown_key_is_located() {
    let err = load("title = \"x\"\nbase_url = \"https://e.org\"\ncolour = 1\n").unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.starts_with("briefing.toml:3:1: unknown field `colour`"),
        "{msg}"
    );
}

#[test]
fn base_url_gets_trailing_slash_and_other_topic_comes_last() {
    let c = load("title = \"x\"\nbase_url = \"https://e.org/news\"\n[[topics]]\nslug = \"a\"\nname = \"A\"\n").unwrap();
    assert_eq!(c.base_url, "https://e.org/news/");
    assert_eq!(
        c.topics.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(),
        ["a", "other"]
    );
}

#[test]
fn timezones_named_and_fixed() {
    assert!(matches!(
        SiteTimezone::parse("Europe/Brussels"),
        Some(SiteTimezone::Named(_))
    ));
    assert!(
        matches!(SiteTimezone::parse("+05:30"), Some(SiteTimezone::Fixed(o)) if o.local_minus_utc() == 19800)
    );
    assert!(SiteTimezone::parse("Mars/Olympus").is_none());
    let err = load("title = \"x\"\nbase_url = \"https://e.org\"\ntimezone = \"Mars/Olympus\"\n")
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("briefing.toml:3:12: unknown timezone `Mars/Olympus`"),
        "{err}"
    );
}
