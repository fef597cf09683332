//! cargo-fuzz target `rows`: [`glassbox::fuzzing::rows`] on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| glassbox::fuzzing::rows(data));
