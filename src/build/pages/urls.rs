//! Where pages live: the output path of each kind of page, relative to the site root and
//! ending in `index.html`, and the `root` prefix that reaches the top from a page.

use chrono::Datelike;

use super::*;

pub fn article_url(a: &Article) -> String {
    format!("{}/{}/index.html", day_path(a.day), a.slug)
}

pub fn edition_url(day: NaiveDate) -> String {
    format!("{}/index.html", day_path(day))
}

pub fn email_url(day: NaiveDate) -> String {
    format!("{}/email.html", day_path(day))
}

/// `YYYY/MM/DD`, as `day.format("%Y/%m/%d")` writes it (asked for every link to an article
/// or edition: without chrono's format parser).
fn day_path(day: NaiveDate) -> String {
    match day.year() {
        y @ 0..=9999 => format!("{y:04}/{:02}/{:02}", day.month(), day.day()),
        _ => day.format("%Y/%m/%d").to_string(),
    }
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
    // `day.format("%A, %-d %B %Y")`, without chrono's format parser (asked for every
    // article of every list).
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const WEEKDAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    match day.year() {
        y @ 0..=9999 => format!(
            "{}, {} {} {y:04}",
            WEEKDAYS[day.weekday().num_days_from_monday() as usize],
            day.day(),
            MONTHS[day.month0() as usize]
        ),
        _ => day.format("%A, %-d %B %Y").to_string(),
    }
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
    fn dates_are_written_as_chrono_formats_them() {
        let mut day = NaiveDate::from_ymd_opt(1999, 12, 20).unwrap();
        for _ in 0..800 {
            assert_eq!(day_path(day), day.format("%Y/%m/%d").to_string());
            assert_eq!(date_display(day), day.format("%A, %-d %B %Y").to_string());
            day = day.succ_opt().unwrap();
        }
        for day in [
            NaiveDate::from_ymd_opt(12, 3, 4).unwrap(),
            NaiveDate::from_ymd_opt(-44, 3, 15).unwrap(),
            NaiveDate::from_ymd_opt(12345, 6, 7).unwrap(),
        ] {
            assert_eq!(day_path(day), day.format("%Y/%m/%d").to_string());
            assert_eq!(date_display(day), day.format("%A, %-d %B %Y").to_string());
        }
    }

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
