//! Parquet and Arrow IPC tables (SPEC §5): the fixtures written by pyarrow
//! (`tests/fixtures/make_parquet.py`) load into the same Dataset as their CSV.

use std::path::{Path, PathBuf};

use glassbox_data::{load_table, table_header, DataError, Dataset, LoadOptions, MissingValues};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn bits(d: &Dataset) -> Vec<u64> {
    d.x.iter().map(|v| v.to_bits()).collect()
}

fn same(a: &Dataset, b: &Dataset) {
    assert_eq!(a.feature_names, b.feature_names);
    assert_eq!(bits(a), bits(b), "x differs bit for bit");
    assert_eq!(a.labels, b.labels);
    assert_eq!(a.class_names, b.class_names);
    assert_eq!(a.ids, b.ids);
    assert_eq!(a.extra, b.extra);
    assert_eq!(a.missing, b.missing);
    assert_eq!(a.warnings, b.warnings);
}

#[test]
fn parquet_and_arrow_load_as_their_csv() {
    let opts = LoadOptions {
        label: Some("y".into()),
        ids: vec!["section".into(), "stamp".into()],
        extra: vec!["run_date".into()],
        ..Default::default()
    };
    let csv = load_table(&fixture("mixed.csv"), &opts).unwrap();
    // The default feature set: numeric columns only; the code column is listed.
    assert_eq!(csv.feature_names, ["speed", "twist", "temp", "count", "flag"]);
    assert_eq!(csv.warnings, ["non-numeric columns left out of the features: code"]);
    assert_eq!(csv.rows(), 400);
    assert!(csv.missing[0] > 0 && csv.missing[3] > 0, "nullable columns have nulls: {:?}", csv.missing);
    assert!(csv.id_column("stamp").unwrap()[0].contains('T'), "timestamps as ISO text");
    for name in ["mixed.parquet", "mixed.arrow", "mixed.feather"] {
        let d = load_table(&fixture(name), &opts).unwrap();
        same(&csv, &d);
        assert_eq!(table_header(&fixture(name)).unwrap(), table_header(&fixture("mixed.csv")).unwrap(), "{name}");
    }
    // Explicit features, a model's exact list, and a date as the order column.
    let opts = LoadOptions {
        required_features: Some(vec!["flag".into(), "speed".into()]),
        class_names: Some(vec!["0".into(), "1".into()]),
        ..opts
    };
    same(&load_table(&fixture("mixed.csv"), &opts).unwrap(), &load_table(&fixture("mixed.parquet"), &opts).unwrap());
}

#[test]
fn a_non_numeric_parquet_feature_cell_names_row_and_column() {
    let opts = LoadOptions { label: Some("y".into()), features: vec!["a".into()], ..Default::default() };
    let err = load_table(&fixture("bad.parquet"), &opts).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, DataError::NonNumeric { row: 2, .. }), "{err:?}");
    assert!(msg.contains("bad.parquet") && msg.contains("row 2, column \"a\"") && msg.contains("\"x3\""), "{msg}");
    assert!(!msg.contains('\n'));
    // Without --features the text column is left out — and nothing numeric is left.
    let opts = LoadOptions { label: Some("y".into()), ..Default::default() };
    assert!(matches!(load_table(&fixture("bad.parquet"), &opts), Err(DataError::NoFeatures { .. })));
    // Text cells of a Parquet file follow the missing-value list, as CSV cells do.
    let opts = LoadOptions {
        label: Some("y".into()),
        features: vec!["a".into()],
        na_values: MissingValues::parse_list("x3"),
        ..Default::default()
    };
    assert_eq!(load_table(&fixture("bad.parquet"), &opts).unwrap().missing, [1]);
}

#[test]
fn unknown_extensions_and_bad_files_are_one_line_errors() {
    let opts = LoadOptions { label: Some("y".into()), ..Default::default() };
    let msg = load_table(Path::new("data.xlsx"), &opts).unwrap_err().to_string();
    assert!(msg.contains("data.xlsx") && msg.contains(".csv, .parquet, .arrow, .feather, .ipc"), "{msg}");
    assert!(table_header(Path::new("data")).is_err());
    // A CSV renamed .parquet, a truncated Parquet file.
    let dir = std::env::temp_dir().join(format!("glassbox-columnar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("fake.parquet");
    std::fs::write(&fake, "a,y\n1,0\n").unwrap();
    let cut = dir.join("cut.arrow");
    let bytes = std::fs::read(fixture("mixed.arrow")).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    for p in [&fake, &cut] {
        let msg = load_table(p, &opts).unwrap_err().to_string();
        assert!(msg.contains(&p.display().to_string()) && !msg.contains('\n'), "{msg}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A 64 KiB file (found by the `parquet` fuzz target) whose footer declares a
/// schema list so long that parquet 59.3 would allocate 7.3 GB decoding it.
/// The footer walk refuses it before the decoder runs.
#[test]
fn a_footer_that_declares_more_than_the_file_holds_is_refused() {
    let opts = LoadOptions { label: Some("y".into()), ..Default::default() };
    let path = fixture("footer-bomb.parquet");
    let msg = load_table(&path, &opts).unwrap_err().to_string();
    assert!(msg.contains("footer-bomb.parquet") && !msg.contains('\n'), "{msg}");
    assert!(table_header(&path).is_err());
}
