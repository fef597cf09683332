//! CSV loading (SPEC §5): column roles, globs, missing values, labels and every error kind.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use glassbox_data::{load_csv, DataError, LoadOptions};

/// Writes `text` to a fresh file in the temp directory and returns its path.
fn temp_csv(tag: &str, text: &[u8]) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("glassbox-data-load-{}-{n}-{tag}.csv", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn labelled(label: &str) -> LoadOptions {
    LoadOptions { label: Some(label.into()), ..Default::default() }
}

/// Loads `text` and returns the error message (panics if loading succeeds).
fn load_err(tag: &str, text: &str, opts: &LoadOptions) -> (DataError, String) {
    let path = temp_csv(tag, text.as_bytes());
    let err = load_csv(&path, opts).expect_err("loading should fail");
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "message should name the file: {msg}");
    assert!(!msg.contains('\n'), "message should be one line: {msg}");
    std::fs::remove_file(&path).ok();
    (err, msg)
}

#[test]
fn fixture_with_roles_globs_and_missing_values() {
    let opts = LoadOptions {
        label: Some("fracture".into()),
        features: vec!["Wagon_*".into(), "Axle?_Temp".into()],
        exclude: vec!["Wagon_Twist10m".into()],
        ids: vec!["section".into()],
        extra: vec!["run_date".into()],
        ..Default::default()
    };
    let d = load_csv(&fixture("rail_small.csv"), &opts).unwrap();
    assert_eq!(d.feature_names, ["Wagon_Speed", "Wagon_Twist3m", "Axle1_Temp", "Axle2_Temp"]);
    assert_eq!(d.rows(), 6);
    assert_eq!(d.x.dim(), (6, 4));
    // Whitespace around a number is trimmed.
    assert_eq!(d.x[[4, 0]], 90.1);
    assert_eq!(d.x[[1, 1]], 0.15);
    // "NaN" at row 2 of Axle2_Temp and "NA" at row 4 of Axle1_Temp are missing.
    assert!(d.x[[2, 3]].is_nan());
    assert!(d.x[[4, 2]].is_nan());
    assert_eq!(d.missing, [0, 0, 1, 1]);
    assert_eq!(d.total_missing(), 2);
    assert_eq!(d.labels.as_deref(), Some(&[0, 0, 1, 0, 0, 1][..]));
    assert_eq!(d.class_names, ["0", "1"]);
    assert_eq!(d.class_counts(), [4, 2]);
    assert_eq!(d.id_column("section").unwrap(), ["S01", "S01", "S02", "S02", "S03", "S03"]);
    assert_eq!(d.extra_column("run_date").unwrap()[5], "2024-02-09");
    assert!(d.extra_column("section").is_none(), "ids are not extra columns");
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
}

#[test]
fn default_feature_set_is_every_unused_column_in_file_order() {
    let opts = LoadOptions {
        label: Some("fracture".into()),
        ids: vec!["section".into()],
        extra: vec!["run_date".into()],
        exclude: vec!["*Twist*".into(), "No_Such_*".into()],
        ..Default::default()
    };
    let d = load_csv(&fixture("rail_small.csv"), &opts).unwrap();
    assert_eq!(d.feature_names, ["Wagon_Speed", "Axle1_Temp", "Axle2_Temp", "Rail_Profile"]);
    // The twist-10m gap at row 1 is excluded with its column; only the two temperature gaps count.
    assert_eq!(d.missing, [0, 1, 1, 0]);
    assert_eq!(d.warnings.len(), 1);
    assert!(d.warnings[0].contains("\"No_Such_*\""), "{:?}", d.warnings);
}

#[test]
fn required_features_fix_order_and_ignore_globs() {
    let opts = LoadOptions {
        label: None,
        features: vec!["Nothing_matches_*".into()],
        exclude: vec!["*".into()],
        ids: vec!["section".into()],
        required_features: Some(vec!["Rail_Profile".into(), "Wagon_Speed".into()]),
        ..Default::default()
    };
    let d = load_csv(&fixture("rail_small.csv"), &opts).unwrap();
    assert_eq!(d.feature_names, ["Rail_Profile", "Wagon_Speed"]);
    assert_eq!(d.x.row(0).to_vec(), [0.8, 81.5]);
    assert!(d.labels.is_none());

    let opts = LoadOptions { required_features: Some(vec!["Wagon_Speed".into(), "Wagon_Yaw".into()]), ..opts };
    let err = load_csv(&fixture("rail_small.csv"), &opts).unwrap_err().to_string();
    assert!(err.contains("\"Wagon_Yaw\"") && err.contains("model feature"), "{err}");
}

#[test]
fn fixed_class_names_from_a_model() {
    let path = temp_csv("fixed", b"a,y\n1,yes\n2,no\n3,yes\n");
    let opts = LoadOptions { class_names: Some(vec!["yes".into(), "no".into()]), ..labelled("y") };
    let d = load_csv(&path, &opts).unwrap();
    assert_eq!(d.labels.unwrap(), [0, 1, 0]);
    assert_eq!(d.class_names, ["yes", "no"]);
    let opts = LoadOptions { class_names: Some(vec!["yes".into()]), ..labelled("y") };
    let err = load_csv(&path, &opts).unwrap_err().to_string();
    assert!(err.contains("row 1") && err.contains("\"no\""), "{err}");
}

#[test]
fn class_names_sort_numerically_or_lexicographically() {
    let path = temp_csv("num", b"a,y\n1,10\n2,2\n3,1\n4,2\n");
    let d = load_csv(&path, &labelled("y")).unwrap();
    assert_eq!(d.class_names, ["1", "2", "10"]);
    assert_eq!(d.labels.unwrap(), [2, 1, 0, 1]);

    let path = temp_csv("text", b"a,y\n1,signal\n2,background\n3,Signal\n");
    let d = load_csv(&path, &labelled("y")).unwrap();
    assert_eq!(d.class_names, ["Signal", "background", "signal"]);
    assert_eq!(d.labels.unwrap(), [2, 1, 0]);
}

#[test]
fn quoting_bom_blank_lines_and_missing_markers() {
    let text = "\u{feff}\"id\", a ,b\n\"x, 1\",1.5,\n\n  \ny,\"2\",nan\nz,N/A,-3e2\n";
    let path = temp_csv("misc", text.as_bytes());
    let opts = LoadOptions { ids: vec!["id".into()], ..Default::default() };
    let d = load_csv(&path, &opts).unwrap();
    assert_eq!(d.feature_names, ["a", "b"]);
    assert_eq!(d.id_column("id").unwrap(), ["x, 1", "y", "z"]);
    assert_eq!(d.rows(), 3, "blank and whitespace-only lines are not rows");
    assert_eq!(d.x[[1, 0]], 2.0);
    assert_eq!(d.x[[2, 1]], -300.0);
    assert_eq!(d.missing, [1, 2]);
}

#[test]
fn glob_matching_no_column_is_an_error_naming_it() {
    let opts = LoadOptions { features: vec!["Wagon_*".into(), "Loco_*".into()], ..labelled("y") };
    let (err, msg) = load_err("noglob", "Wagon_Speed,y\n1,0\n", &opts);
    assert!(matches!(err, DataError::UnmatchedFeature { .. }));
    assert!(msg.contains("\"Loco_*\"") && msg.contains("Wagon_Speed"), "{msg}");
}

#[test]
fn non_numeric_cell_names_row_column_and_text() {
    let text = "Wagon_Speed,Wagon_Twist,y\n80,0.1,0\n81,0.2,1\nfast,0.3,0\n";
    let (err, msg) = load_err("nonnum", text, &LoadOptions { features: vec!["Wagon_*".into()], ..labelled("y") });
    assert!(matches!(err, DataError::NonNumeric { row: 2, .. }), "{err:?}");
    assert!(msg.contains("row 2") && msg.contains("\"Wagon_Speed\"") && msg.contains("\"fast\""), "{msg}");
    assert!(msg.contains("--exclude Wagon_Speed") && !msg.contains("--id"), "{msg}");
}

#[test]
fn without_features_non_numeric_columns_are_left_out_and_listed() {
    // A date and a code column (the code is numeric in its first rows), an inf only in a
    // text column (no error: the column is left out), missing tokens in a kept column.
    let text = "date,code,speed,note,y\n2024-01-02,17,80,inf,0\n2024-01-03,A7,NA,x,1\n2024-01-04,,82,,0\n";
    let path = temp_csv("numeric-only", text.as_bytes());
    let d = load_csv(&path, &labelled("y")).unwrap();
    assert_eq!(d.feature_names, ["speed"]);
    assert_eq!(
        d.x.column(0).iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
        [80.0f64, f64::NAN, 82.0].map(f64::to_bits)
    );
    assert_eq!(d.missing, [1]);
    assert_eq!(d.warnings, ["non-numeric columns left out of the features: date, code, note"]);
    // The same table in memory: the same data set, the same warning.
    let (names, cols) = glassbox_data::read_csv_columns(&path).unwrap();
    let m = glassbox_data::load_columns(&path, &names, &cols, &labelled("y")).unwrap();
    assert_eq!((m.feature_names, m.warnings, m.missing), (d.feature_names, d.warnings, d.missing));
    // An inf in a column that stays is still an error naming row and column.
    let (err, msg) = load_err("numeric-only-inf", "date,speed,y\nd1,80,0\nd2,-inf,1\n", &labelled("y"));
    assert!(matches!(err, DataError::Infinite { row: 1, .. }) && msg.contains("\"speed\""), "{msg}");
    // Nothing numeric left.
    let (err, _) = load_err("numeric-only-none", "date,y\nd1,0\nd2,1\n", &labelled("y"));
    assert!(matches!(err, DataError::NoFeatures { .. }), "{err:?}");
    // Named features: a non-numeric cell is an error, as before.
    let opts = LoadOptions { features: vec!["code".into()], ..labelled("y") };
    let (err, msg) = load_err("numeric-only-named", text, &opts);
    assert!(matches!(err, DataError::NonNumeric { row: 1, .. }) && msg.contains("\"code\""), "{msg}");
    std::fs::remove_file(&path).ok();
}

#[test]
fn every_pandas_missing_token_is_missing() {
    let tokens = glassbox_data::PANDAS_NA_VALUES;
    let mut text = String::from("a,y\n");
    for t in tokens {
        text.push_str(&format!("\"{t}\",0\n"));
    }
    text.push_str(" null ,1\n1.5,1\n");
    let path = temp_csv("tokens", text.as_bytes());
    let d = load_csv(&path, &labelled("y")).unwrap();
    assert_eq!(d.rows(), tokens.len() + 2);
    assert_eq!(d.missing, [tokens.len() + 1], "every token, trimmed, is missing");
    assert_eq!(d.x[[tokens.len() + 1, 0]], 1.5);
    std::fs::remove_file(&path).ok();
    // Case matters, as in pandas: NAN and Null are not missing values.
    for t in ["NAN", "Null", "none"] {
        let (err, _) = load_err(
            "token-case",
            &format!("a,y\n{t},0\n1,1\n"),
            &LoadOptions { features: vec!["a".into()], ..labelled("y") },
        );
        assert!(matches!(err, DataError::NonNumeric { row: 0, .. }), "{t}: {err:?}");
    }
}

#[test]
fn na_values_replace_the_list() {
    let na = glassbox_data::MissingValues::parse_list("-999");
    let opts = LoadOptions { features: vec!["a".into()], na_values: na.clone(), ..labelled("y") };
    let path = temp_csv("na-values", b"a,y\n-999,0\n,1\n2,0\n");
    let d = load_csv(&path, &opts).unwrap();
    assert_eq!(d.missing, [2]);
    assert_eq!(d.x[[2, 0]], 2.0);
    std::fs::remove_file(&path).ok();
    let (err, msg) = load_err("na-values-na", "a,y\n-999,0\nNA,1\n", &opts);
    assert!(matches!(err, DataError::NonNumeric { row: 1, .. }) && msg.contains("\"NA\""), "{msg}");
    // The label too: -999 is a missing label, NA a class.
    let (err, _) = load_err("na-values-label", "a,y\n1,-999\n2,1\n", &opts);
    assert!(matches!(err, DataError::MissingLabel { row: 0, .. }), "{err:?}");
    let path = temp_csv("na-values-label-na", b"a,y\n1,NA\n2,1\n");
    assert_eq!(load_csv(&path, &opts).unwrap().class_names, ["1", "NA"]);
    // In-memory text columns follow the same list.
    let cols = [
        glassbox_data::Column::Text(vec![Some("-999".into()), Some("3".into())]),
        glassbox_data::Column::Numbers(vec![0.0, 1.0]),
    ];
    let names = ["a".to_string(), "y".into()];
    let m = glassbox_data::load_columns(&path, &names, &cols, &opts).unwrap();
    assert_eq!(m.missing, [1]);
    std::fs::remove_file(&path).ok();
}

#[test]
fn infinite_values_are_errors_naming_row_and_column() {
    for (cell, row) in [("inf", 1), ("-inf", 0), ("1e400", 1), ("-Infinity", 0)] {
        let text = if row == 0 {
            format!("a,Wagon_Speed,y\n1,{cell},0\n2,3,1\n")
        } else {
            format!("a,Wagon_Speed,y\n1,2,0\n2,{cell},1\n")
        };
        let (err, msg) = load_err("inf", &text, &labelled("y"));
        assert!(matches!(err, DataError::Infinite { .. }), "{cell}: {err:?}");
        assert!(msg.contains(&format!("row {row}")) && msg.contains("\"Wagon_Speed\""), "{msg}");
        assert!(msg.contains(cell), "{msg}");
    }
}

#[test]
fn missing_label_names_the_row() {
    for marker in ["", "NA", "nan"] {
        let (err, msg) = load_err("nolabel", &format!("a,fracture\n1,0\n2,1\n3,{marker}\n"), &labelled("fracture"));
        assert!(matches!(err, DataError::MissingLabel { row: 2, .. }), "{err:?}");
        assert!(msg.contains("row 2") && msg.contains("\"fracture\""), "{msg}");
    }
}

#[test]
fn header_problems() {
    let (err, msg) = load_err("dup", "a,b,a,y\n1,2,3,0\n", &labelled("y"));
    assert!(matches!(err, DataError::DuplicateColumn { first: 0, second: 2, .. }), "{err:?}");
    assert!(msg.contains("\"a\""), "{msg}");

    let (err, _) = load_err("empty", "", &labelled("y"));
    assert!(matches!(err, DataError::EmptyFile { .. }), "{err:?}");
    let (err, _) = load_err("blank", "\n\n", &labelled("y"));
    assert!(matches!(err, DataError::EmptyFile { .. }), "{err:?}");

    let (err, msg) = load_err("headeronly", "a,b,y\n", &labelled("y"));
    assert!(matches!(err, DataError::NoRows { .. }), "{err:?}");
    assert!(msg.contains("no data rows"), "{msg}");

    let (err, msg) = load_err("emptyname", "a,,y\n1,2,0\n", &labelled("y"));
    assert!(matches!(err, DataError::EmptyColumnName { index: 1, .. }), "{err:?}");
    assert!(msg.contains("column 1"), "{msg}");
}

#[test]
fn ragged_row_names_the_row() {
    let (err, msg) = load_err("ragged", "a,b,y\n1,2,0\n3,4,1\n5,0\n6,7,0\n", &labelled("y"));
    assert!(matches!(err, DataError::RaggedRow { row: 2, found: 2, expected: 3, .. }), "{err:?}");
    assert!(msg.contains("row 2"), "{msg}");
    // Too many fields too.
    let (_, msg) = load_err("ragged2", "a,b,y\n1,2,0,9\n", &labelled("y"));
    assert!(msg.contains("row 0") && msg.contains("4 fields"), "{msg}");
}

#[test]
fn missing_columns_name_their_role() {
    let text = "a,b,y\n1,2,0\n";
    let (_, msg) = load_err("nolabelcol", text, &labelled("fracture"));
    assert!(msg.contains("label") && msg.contains("\"fracture\"") && msg.contains("\"a\""), "{msg}");
    let (_, msg) = load_err("noid", text, &LoadOptions { ids: vec!["section".into()], ..labelled("y") });
    assert!(msg.contains("id") && msg.contains("\"section\""), "{msg}");
    let (_, msg) = load_err("noextra", text, &LoadOptions { extra: vec!["date".into()], ..labelled("y") });
    assert!(msg.contains("extra") && msg.contains("\"date\""), "{msg}");
}

#[test]
fn no_features_left() {
    let opts = LoadOptions { exclude: vec!["*".into()], ..labelled("y") };
    let (err, _) = load_err("nofeat", "a,b,y\n1,2,0\n", &opts);
    assert!(matches!(err, DataError::NoFeatures { .. }), "{err:?}");
    let opts = LoadOptions { ids: vec!["a".into()], ..labelled("y") };
    let (err, _) = load_err("nofeat2", "a,y\n1,0\n", &opts);
    assert!(matches!(err, DataError::NoFeatures { .. }), "{err:?}");
}

#[test]
fn bad_patterns_and_io_errors() {
    let path = temp_csv("badglob", b"a,y\n1,0\n");
    let err = load_csv(&path, &LoadOptions { features: vec!["".into()], ..labelled("y") }).unwrap_err();
    assert!(matches!(err, DataError::BadGlob { .. }), "{err:?}");

    let missing = std::env::temp_dir().join("glassbox-data-load-does-not-exist.csv");
    let err = load_csv(&missing, &labelled("y")).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }));
    assert!(err.to_string().contains("glassbox-data-load-does-not-exist.csv"), "{err}");
}

#[test]
fn invalid_utf8_names_the_row() {
    let path = temp_csv("utf8", b"a,y\n1,0\n2,\xff\xfe\n");
    let err = load_csv(&path, &labelled("y")).unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, DataError::Csv { row: Some(1), .. }), "{err:?}");
    assert!(msg.contains("row 1") && msg.contains("UTF-8"), "{msg}");
}

#[test]
fn select_rows_keeps_classes_and_recounts_missing() {
    let d = load_csv(
        &fixture("rail_small.csv"),
        &LoadOptions { ids: vec!["section".into(), "run_date".into()], ..labelled("fracture") },
    )
    .unwrap();
    let part = d.select_rows(&[5, 2]).unwrap();
    assert_eq!(part.id_column("section").unwrap(), ["S03", "S02"]);
    assert_eq!(part.labels.as_deref(), Some(&[1, 1][..]));
    assert_eq!(part.class_names, d.class_names);
    let speed = part.feature_index("Wagon_Speed").unwrap();
    assert_eq!(part.x[[0, speed]], 88.7);
    let axle2 = part.feature_index("Axle2_Temp").unwrap();
    assert_eq!(part.missing[axle2], 1);
    assert_eq!(part.total_missing(), 1);
    assert!(matches!(d.select_rows(&[6]), Err(DataError::RowOutOfRange { row: 6, rows: 6 })));
}

mod never_panics {
    use glassbox_data::{load_csv_from_reader, LoadOptions};
    use proptest::prelude::*;

    proptest! {
        /// Arbitrary CSV-ish bytes and column choices give a dataset or an error, never a panic,
        /// and every error is one line.
        #[test]
        fn arbitrary_input(
            bytes in prop::collection::vec(prop::sample::select(b"a1b,\n\"  NAe-.9\xff\r".to_vec()), 0..80),
            label in prop::option::of(prop::sample::select(vec!["a", "b", "1"])),
            glob in prop::option::of(prop::sample::select(vec!["*", "a*", "?", "b"])),
        ) {
            let opts = LoadOptions {
                label: label.map(String::from),
                features: glob.into_iter().map(String::from).collect(),
                ..Default::default()
            };
            match load_csv_from_reader(&bytes[..], "fuzz.csv".as_ref(), &opts) {
                Ok(d) => {
                    prop_assert_eq!(d.x.nrows(), d.rows());
                    prop_assert_eq!(d.missing.len(), d.feature_names.len());
                    if let Some(l) = &d.labels {
                        prop_assert!(l.iter().all(|&c| c < d.class_names.len()));
                    }
                }
                Err(e) => {
                    let msg = e.to_string();
                    prop_assert!(msg.starts_with("fuzz.csv") && !msg.contains('\n'), "{}", msg);
                }
            }
        }
    }
}

#[test]
fn hint_quotes_awkward_column_names() {
    let opts = LoadOptions { features: vec!["Speed*".into()], ..labelled("y") };
    let (_, msg) = load_err("awkward", "\"Speed [km/h]\nfront\",y\nfast,0\n", &opts);
    assert!(!msg.contains('\n'), "{msg}");
    assert!(msg.contains("--exclude \"Speed [km/h]\\nfront\""), "{msg}");
}
