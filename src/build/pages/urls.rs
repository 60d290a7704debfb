//! Where pages live: the output path of each kind of page, relative to the site root and
//! ending in `index.html`, and the `root` prefix that reaches the top from a page.

use super::*;

pub fn article_url(a: &Article) -> String {
    format!("{}/{}/index.html", a.day.format("%Y/%m/%d"), a.slug)
}

pub fn edition_url(day: NaiveDate) -> String {
    format!("{}/index.html", day.format("%Y/%m/%d"))
}

pub fn email_url(day: NaiveDate) -> String {
    format!("{}/email.html", day.format("%Y/%m/%d"))
}

pub fn entity_url(slug: &str) -> String {
    format!("entities/{slug}/index.html")
}

pub const ENTITIES_URL: &str = "entities/index.html";

pub fn topic_url(slug: &str, page: usize) -> String {
    if page <= 1 {
        format!("topics/{slug}/index.html")
    } else {
        format!("topics/{slug}/page/{page}/index.html")
    }
}

pub fn date_display(day: NaiveDate) -> String {
    day.format("%A, %-d %B %Y").to_string()
}

/// The path part of a base URL (`https://example.org/briefing/` → `/briefing/`).
pub fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}

/// `../` once per folder level of `path`, so that `root + url` reaches any page.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_is_the_path_of_the_base_url() {
        assert_eq!(base_path("https://example.org/briefing/"), "/briefing/");
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("http://127.0.0.1:8000/"), "/");
    }

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("2026/11/26/index.html"), "../../../");
        assert_eq!(root_prefix("2026/11/26/story/index.html"), "../../../../");
        assert_eq!(root_prefix("topics/a/page/2/index.html"), "../../../../");
    }

    #[test]
    fn urls() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 6).unwrap();
        assert_eq!(edition_url(day), "2026/11/06/index.html");
        assert_eq!(date_display(day), "Friday, 6 November 2026");
        assert_eq!(
            topic_url("raw-materials", 1),
            "topics/raw-materials/index.html"
        );
        assert_eq!(
            topic_url("raw-materials", 3),
            "topics/raw-materials/page/3/index.html"
        );
    }
}
