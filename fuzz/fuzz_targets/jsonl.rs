//! JSON Lines ingest on arbitrary bytes: bad lines are warnings, everything else an error
//! message; never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    thread_local! { static CONFIG: briefing::Config = common::config(); }
    CONFIG.with(|c| {
        let _ = briefing::ingest::fuzz_parse(c, data, briefing::ingest::InputFormat::Jsonl);
    });
});
