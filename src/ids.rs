//! How things are named, one rule each: the slug a headline gives an article file (used by
//! `briefing new` and by ingest, so one title always gets one slug), the 16-hex-digit xxh3 ids
//! (article ids from a path or from title and body, the hand-edit hashes of ingest), and what
//! counts as a content file under `content/` (used by the build, ingest, the incremental
//! cache and the preview's watcher).

use std::ffi::OsStr;
use std::path::Path;

/// The longest slug a headline gives, in bytes (ASCII).
pub const MAX_SLUG: usize = 80;

/// The ASCII slug of a headline, at most [`MAX_SLUG`] characters, cut between words (never in
/// the middle of one, unless a single word is longer than that); empty when the headline has
/// no letter or digit.
pub fn slug_from_title(title: &str) -> String {
    let full = slug::slugify(title);
    if full.len() <= MAX_SLUG {
        return full;
    }
    let cut = full[..=MAX_SLUG].rfind('-').unwrap_or(MAX_SLUG);
    full[..cut].trim_end_matches('-').to_string()
}

/// A stable id: xxh3-64 with the fixed seed 0, as 16 lowercase hex digits. The same bytes
/// give the same id on every machine and in every version.
pub fn hex_id(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// Whether a file name is hidden (starts with `.`): hidden files and folders under
/// `content/` (editor swap files, `.git`, the state files of ingest and fetch) are not
/// content.
pub fn is_hidden(name: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(b".")
}

/// Whether `path` names a content file by its extension: Markdown, `.md`. (Hidden files are
/// skipped by the walk, see [`is_hidden`]; `_edition.md` is a content file too, a note.)
pub fn is_content_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "md")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_bounded_and_cut_between_words() {
        assert_eq!(
            slug_from_title("First EU–Saudi roundtable on critical raw materials"),
            "first-eu-saudi-roundtable-on-critical-raw-materials"
        );
        let long = slug_from_title(&"word ".repeat(40));
        assert!(long.len() <= MAX_SLUG && long.ends_with("word"), "{long}");
        // A headline of 81+ characters is cut before the word that crosses the limit.
        let title =
            "Lithium refiners in Portugal and Spain agree a shared permit process for new plants";
        let slug = slug_from_title(title);
        assert_eq!(
            slug,
            "lithium-refiners-in-portugal-and-spain-agree-a-shared-permit-process-for-new"
        );
        assert!(slug.len() <= MAX_SLUG);
        assert_eq!(slug_from_title(&"x".repeat(100)).len(), MAX_SLUG);
        assert_eq!(slug_from_title("東京"), "dong-jing");
        assert_eq!(slug_from_title("!!!"), "");
    }

    #[test]
    fn ids_are_16_hex_digits_of_xxh3() {
        assert_eq!(hex_id(b""), "2d06800538d394c2");
        assert_eq!(hex_id(b"content/2026-11-26/a.md").len(), 16);
    }

    #[test]
    fn content_files_are_markdown_and_not_hidden() {
        assert!(is_content_file(Path::new("content/2026-11-26/a.md")));
        assert!(!is_content_file(Path::new("content/2026-11-26/a.txt")));
        assert!(is_hidden(OsStr::new(".ingest-state.json")));
        assert!(!is_hidden(OsStr::new("a.md")));
    }
}
