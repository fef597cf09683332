//! Replays the committed fuzzing corpora (`fuzz/corpus/<target>/*`: the
//! seeds and what `cargo fuzz` kept) through the fuzzing entry points on
//! stable: seconds, not the long runs (`fuzz/Cargo.toml` has the command).

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        run(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n > 0, "{target}: empty corpus");
}

#[test]
fn model_file_corpus() {
    replay("model_file", glassbox::fuzzing::model_file);
}

#[test]
fn csv_load_corpus() {
    replay("csv_load", glassbox::fuzzing::csv_load);
}

#[test]
fn groups_toml_corpus() {
    replay("groups_toml", glassbox::fuzzing::groups_toml);
}

#[test]
fn rows_corpus() {
    replay("rows", glassbox::fuzzing::rows);
}

#[test]
fn parquet_corpus() {
    replay("parquet", glassbox::fuzzing::parquet);
}
