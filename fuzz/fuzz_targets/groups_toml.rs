//! cargo-fuzz target `groups_toml`: [`glassbox::fuzzing::groups_toml`] on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| glassbox::fuzzing::groups_toml(data));
