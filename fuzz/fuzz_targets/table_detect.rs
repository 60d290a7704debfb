//! Table detection in text dumps on arbitrary bytes: figure lines, comparison rows (`… vs …`),
//! column gaps and dotted leaders found among prose and headlines, then written as Markdown
//! tables or lists by normalize, and each body rendered to HTML. It must never panic or hang,
//! and a body must never be empty.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    thread_local! { static CONFIG: briefing::Config = common::config(); }
    CONFIG.with(|c| {
        if let Ok(bodies) = briefing::ingest::fuzz_dump_bodies(c, data) {
            for body in bodies {
                let html = briefing::markdown::render(&body, false, "fuzz").html;
                assert!(!body.trim().is_empty() || html.trim().is_empty());
            }
        }
    });
});
