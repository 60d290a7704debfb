//! What `briefing fetch` does with a feed's response body, on arbitrary bytes: charset
//! decoding (byte-order mark, the `Content-Type` header, the XML declaration, UTF-8 or
//! Windows-1252) and then ingest's feed reader. An input that starts with a line
//! `Content-Type: …` has that line used as the response header and the rest as the body.
//! It must return an item count or an error message, never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    thread_local! { static CONFIG: briefing::Config = common::config(); }
    CONFIG.with(|c| {
        let _ = briefing::fetch::fuzz_decode_feed(c, data);
    });
});
