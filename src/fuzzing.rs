//! The fuzzing entry points (issue 14): each takes arbitrary bytes, must
//! never panic, and checks what must hold of whatever it accepts. The
//! cargo-fuzz targets in `fuzz/` call them, and `tests/fuzz_corpus.rs`
//! replays the committed corpora through them on stable.

use std::path::Path;

use crate::data::{load_csv_from_reader, FeatureGroups, LoadOptions};
use crate::glt::Model;

/// A model file's bytes: an error, or a model that runs (its outputs may
/// overflow for extreme weights: IG refuses those) and writes itself back to a file that loads as the same model.
pub fn model_file(data: &[u8]) {
    let Ok(model) = Model::from_bytes(data, Path::new("fuzz.glt")) else { return };
    let bytes = model.to_bytes().expect("a loaded model encodes");
    let again = Model::from_bytes(&bytes, Path::new("again.glt")).expect("a re-encoded model loads");
    assert_eq!(again.to_bytes().expect("encodes"), bytes);
    let mut shape = vec![2];
    shape.extend(model.glt.row_shape());
    if shape.iter().product::<usize>() <= 1 << 16 {
        let x = crate::autodiff::Tensor::<f64>::zeros(ndarray_shape(&shape));
        let _ = model.probabilities(&x);
    }
}

fn ndarray_shape(shape: &[usize]) -> crate::autodiff::ndarray::IxDyn {
    crate::autodiff::ndarray::IxDyn(shape)
}

/// A CSV table with column roles chosen by the first byte: a label `y`,
/// features by glob, an id and an exclude pattern. Whatever loads has one
/// value per row and feature, and finite or missing cells only.
pub fn csv_load(data: &[u8]) {
    let Some((&mode, text)) = data.split_first() else { return };
    let opts = LoadOptions {
        label: (mode & 1 == 1).then(|| "y".to_string()),
        features: if mode & 2 == 2 { vec!["a*".into(), "b".into()] } else { Vec::new() },
        exclude: if mode & 4 == 4 { vec!["?z".into()] } else { Vec::new() },
        ids: if mode & 8 == 8 { vec!["id".into()] } else { Vec::new() },
        ..LoadOptions::default()
    };
    if let Ok(d) = load_csv_from_reader(text, Path::new("fuzz.csv"), &opts) {
        assert_eq!(d.x.shape(), [d.rows(), d.feature_names.len()]);
        assert!(d.x.iter().all(|v| v.is_finite() || v.is_nan()));
        if let Some(labels) = &d.labels {
            assert!(labels.iter().all(|&c| c < d.class_names.len()));
        }
    }
}

/// A groups file against a fixed list of features: whatever loads is a
/// partition of them.
pub fn groups_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let features: Vec<String> =
        ["Wagon_Twist14m", "Wagon_Twist2m", "Wagon_Speed", "a", "b", "a1"].map(String::from).to_vec();
    if let Ok((g, _)) = FeatureGroups::from_toml(text, "fuzz.toml", &features) {
        g.validate(features.len(), "fuzz.toml").expect("a loaded grouping partitions the features");
    }
}

/// A `--rows` list against a 1,000-row table: whatever parses is in range.
pub fn rows(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(rows) = crate::explainer::parse_rows(text, 1000) {
        assert!(!rows.is_empty() && rows.iter().all(|&r| r < 1000));
    }
}

/// A Parquet file's bytes (written to a file of this process: the reader
/// takes paths): an error, or columns of equal length.
pub fn parquet(data: &[u8]) {
    let dir = if Path::new("/dev/shm").is_dir() { Path::new("/dev/shm").to_path_buf() } else { std::env::temp_dir() };
    let path = dir.join(format!("glassbox-fuzz-{}.parquet", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok((names, columns)) = crate::data::read_columnar(&path) {
        assert_eq!(names.len(), columns.len());
        if let Some(first) = columns.first() {
            assert!(columns.iter().all(|c| c.len() == first.len()));
        }
    }
    let _ = std::fs::remove_file(&path);
}
