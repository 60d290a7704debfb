//! The deploy plan on arbitrary local trees × remote listings (decoded from the bytes by
//! `briefing::deploy::plan::fuzz_check`): it must never delete a file that exists locally,
//! nor the deploy's manifest, and must upload exactly what differs, in tier order.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    briefing::deploy::plan::fuzz_check(data);
});
