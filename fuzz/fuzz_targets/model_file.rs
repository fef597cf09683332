//! cargo-fuzz target `model_file`: [`glassbox::fuzzing::model_file`] on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| glassbox::fuzzing::model_file(data));
