//! HTML ingest on arbitrary bytes: decoding, metadata (JSON-LD, meta tags, `<time>`), chrome
//! cutting, Readability, sanitizing, Markdown and line cleaning, datelines. It must return an
//! article count or an error message, never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    thread_local! { static CONFIG: briefing::Config = common::config(); }
    CONFIG.with(|c| {
        let _ = briefing::ingest::fuzz_parse(c, data, briefing::ingest::InputFormat::Html);
    });
});
