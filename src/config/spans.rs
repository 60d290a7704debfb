//! Where a value is written in briefing.toml, from the TOML parser's own spans: a check of
//! ours (a bad slug in the third `[[topics]]` table, a source's URL) points at the line and
//! column of the value it is about, not at the first line that happens to hold the same key.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::line_col;

/// One step of a path into the document: a key of a table, or an index into an array of
/// tables (`[[topics]]`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

pub(crate) use Step::{Index, Key};

/// 1-based line and column of the value at `path` (e.g. `[Key("topics"), Index(2),
/// Key("slug")]`). When the last key is not written (a default), its table is pointed at
/// instead; `None` when the text does not parse or an earlier step is not there.
pub(crate) fn position(text: &str, path: &[Step<'_>]) -> Option<(usize, usize)> {
    let root = DeTable::parse(text).ok()?;
    let mut table: &DeTable<'_> = root.get_ref();
    let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
    let mut found: Option<std::ops::Range<usize>> = None;
    for (n, step) in path.iter().enumerate() {
        let value = match (step, array) {
            (Step::Key(key), None) => table.get(*key),
            (Step::Index(i), Some(items)) => items.get(*i),
            _ => None,
        };
        let Some(value) = value else {
            // Only the last step may be missing (a value left to its default).
            return if n + 1 == path.len() {
                found.map(|span| line_col(text, span.start))
            } else {
                None
            };
        };
        found = Some(value.span());
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            DeValue::Array(items) => array = Some(items.as_ref()),
            _ => {}
        }
    }
    found.map(|span| line_col(text, span.start))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "title = \"T\"\n\n[[topics]]\nslug = \"a\"\n\n[[topics]]\nslug = \"b\"\n\n[[topics]]\nname = \"C\"\nslug  =  \"Bad Slug\"\n\n[entities]\nmin_articles = 0\n";

    #[test]
    fn each_table_of_an_array_has_its_own_lines() {
        assert_eq!(position(TEXT, &[Key("title")]), Some((1, 9)));
        assert_eq!(
            position(TEXT, &[Key("topics"), Index(0), Key("slug")]),
            Some((4, 8))
        );
        assert_eq!(
            position(TEXT, &[Key("topics"), Index(1), Key("slug")]),
            Some((7, 8))
        );
        assert_eq!(
            position(TEXT, &[Key("topics"), Index(2), Key("slug")]),
            Some((11, 10))
        );
        assert_eq!(
            position(TEXT, &[Key("entities"), Key("min_articles")]),
            Some((14, 16))
        );
    }

    #[test]
    fn a_value_not_written_points_at_its_table() {
        let (line, _) = position(TEXT, &[Key("topics"), Index(2), Key("weight")]).unwrap();
        assert!((9..=11).contains(&line), "{line}");
        assert_eq!(position(TEXT, &[Key("nothing")]), None);
        assert_eq!(position("not = = toml", &[Key("not")]), None);
    }

    fn config_error(text: &str) -> String {
        let e = crate::config::Config::from_toml(
            std::path::Path::new("/s"),
            std::path::Path::new("briefing.toml"),
            text,
            crate::BuildOptions::default(),
        )
        .expect_err("an invalid config");
        e.to_string()
    }

    #[test]
    fn a_bad_slug_in_the_third_topic_table_is_reported_at_its_own_line() {
        let topics = "[[topics]]\nslug = \"a\"\nname = \"A\"\n\n[[topics]]\nslug = \"b\"\nname = \"B\"\n\n[[topics]]\nname = \"C\"\nslug = \"Not A Slug\"\n";
        let text = format!("title = \"T\"\nbase_url = \"https://example.org/\"\n\n{topics}");
        assert_eq!(
            config_error(&text),
            "briefing.toml:14:8: topic slug `Not A Slug` must be lowercase letters, digits and dashes, and not `other`"
        );
        let twice = text.replace("Not A Slug", "a");
        assert_eq!(
            config_error(&twice),
            "briefing.toml:14:8: topic slug `a` is defined twice"
        );
    }
}
