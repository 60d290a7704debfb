//! Front-matter splitting and parsing (YAML and TOML) on arbitrary text: a located error or
//! a value, never a panic; error positions stay inside the input.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // As `content` reads files: line breaks normalized first.
    let text = briefing::frontmatter::normalize_newlines(text);
    let lines = text.lines().count().max(1);
    match briefing::frontmatter::split(&text) {
        Ok(split) => {
            if let Err(e) = briefing::frontmatter::parse(&split) {
                let line = e.line.expect("front matter errors have a line");
                assert!(line >= 1 && line <= lines + 1, "line {line} outside the input ({lines} lines)");
            }
        }
        Err(e) => assert_eq!((e.line, e.column), (Some(1), Some(1))),
    }
});
