//! cargo-fuzz target `csv_load`: [`glassbox::fuzzing::csv_load`] on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| glassbox::fuzzing::csv_load(data));
