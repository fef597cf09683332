//! cargo-fuzz target `parquet`: [`glassbox::fuzzing::parquet`] on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| glassbox::fuzzing::parquet(data));
