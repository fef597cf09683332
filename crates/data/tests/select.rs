//! Reading only some rows (`load_table_rows`, issue 16): the kept rows are
//! those of the whole table, bit for bit, for CSV, Parquet and Arrow; a CSV
//! file is read no further than the last listed row; rows that are not kept
//! are not parsed; errors name the file's rows.

use std::path::{Path, PathBuf};

use glassbox_data::{
    load_table_rows, load_table_with, read_table_columns, write_parquet, Dataset, LoadOptions, MissingValues,
    OutColumn, RowSelection,
};
use proptest::prelude::*;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// As a trained model reads a table: its features and classes are fixed
/// (from the data, they would be those of the kept rows).
fn opts(_: &[String]) -> LoadOptions {
    LoadOptions {
        label: Some("y".into()),
        ids: vec!["id".into()],
        extra: vec!["zone".into()],
        required_features: Some(vec!["a".into(), "b".into()]),
        class_names: Some(vec!["0".into(), "1".into()]),
        ..Default::default()
    }
}

/// `id,a,b,zone,y` rows: `a` with a missing cell every 5 rows, `zone` A/B/C.
fn table_text(rows: usize) -> String {
    let mut s = "id,a,b,zone,y\n".to_string();
    for r in 0..rows {
        let a = if r % 5 == 0 { String::new() } else { format!("{}", r as f64 * 0.37 - 3.1) };
        s += &format!("r{r}, {a} ,{},{},{}\n", (r * r) % 17, ["A", "B", "C"][r % 3], r % 2);
    }
    s
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("glassbox-select-{}-{name}", std::process::id()))
}

fn rows_of(whole: &Dataset, rows: &[usize]) -> Dataset {
    whole.select_rows(rows).unwrap()
}

fn same(a: &Dataset, b: &Dataset) {
    let bits = |d: &Dataset| d.x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(a.feature_names, b.feature_names);
    assert_eq!(bits(a), bits(b));
    assert_eq!((&a.labels, &a.class_names, &a.ids, &a.extra), (&b.labels, &b.class_names, &b.ids, &b.extra));
    assert_eq!(a.missing, b.missing);
}

#[test]
fn ranges_merge_and_match() {
    let s = RowSelection::ranges([(5, 9), (0, 0), (10, 12), (20, 19)]);
    assert_eq!(s.listed(), [(0, 0), (5, 12)]);
    assert_eq!(s.last_listed(), Some(12));
    assert!(s.keeps(0, None) && s.keeps(12, None) && !s.keeps(13, None) && !s.keeps(3, None));
    let s = s.or_matching("y", "1");
    assert!(s.keeps(13, Some("1")) && s.keeps(13, Some("1.0")) && !s.keeps(13, Some("0")) && !s.keeps(13, None));
}

fn check_all_formats(rows: usize, selection: &RowSelection) {
    let csv = temp(&format!("{rows}.csv"));
    std::fs::write(&csv, table_text(rows)).unwrap();
    let (names, columns) = read_table_columns(&csv, &MissingValues::default()).unwrap();
    let pq = temp(&format!("{rows}.parquet"));
    let out: Vec<(String, OutColumn)> = names
        .iter()
        .zip(&columns)
        .map(|(n, c)| {
            let col = match c {
                glassbox_data::Column::Numbers(v) => OutColumn::Float(v.clone()),
                glassbox_data::Column::Text(v) => {
                    OutColumn::Text(v.iter().map(|t| t.clone().unwrap_or_default()).collect())
                }
            };
            (n.clone(), col)
        })
        .collect();
    write_parquet(&pq, &out).unwrap();
    for path in [&csv, &pq] {
        let whole = load_table_with(path, &mut opts).unwrap();
        let part = load_table_rows(path, &mut opts, Some(selection)).unwrap();
        let expected: Vec<usize> = (0..rows).filter(|&r| selection.keeps(r, Some(&whole.extra[0].1[r]))).collect();
        assert_eq!(part.rows, expected, "{}", path.display());
        same(&part.data, &rows_of(&whole, &expected));
    }
    std::fs::remove_file(&csv).ok();
    std::fs::remove_file(&pq).ok();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn kept_rows_are_the_whole_tables_rows(
        rows in 1usize..60,
        ranges in proptest::collection::vec((0usize..70, 0usize..8), 1..4),
        zone in proptest::option::of(0usize..3),
    ) {
        let mut s = RowSelection::ranges(ranges.iter().map(|&(a, n)| (a, a + n)));
        if let Some(z) = zone {
            s = s.or_matching("zone", ["A", "B", "C"][z]);
        }
        check_all_formats(rows, &s);
    }
}

#[test]
fn csv_reading_stops_after_the_last_listed_row() {
    let path = temp("stop.csv");
    let mut text = table_text(20);
    text += "r20,not a number,1,A,0\nr21,1,2\n\"unbalanced\n";
    std::fs::write(&path, &text).unwrap();
    let part = load_table_rows(&path, &mut opts, Some(&RowSelection::ranges([(3, 4), (19, 19)]))).unwrap();
    assert_eq!((part.rows, part.total), (vec![3, 4, 19], None));
    // Reading on meets the bad rows, named as the file numbers them.
    let e = load_table_rows(&path, &mut opts, Some(&RowSelection::ranges([(20, 20)]))).unwrap_err().to_string();
    assert!(e.contains("row 20, column \"a\": \"not a number\" is not a number"), "{e}");
    // Row 20 is not needed for row 21, so not parsed; row 21 is ragged.
    let e = load_table_rows(&path, &mut opts, Some(&RowSelection::ranges([(21, 21)]))).unwrap_err().to_string();
    assert!(e.contains("row 21 has 3 fields but the header has 5"), "{e}");
    std::fs::remove_file(&path).ok();
}

#[test]
fn rows_past_the_end_are_not_kept_and_the_size_is_known() {
    let path = temp("end.csv");
    std::fs::write(&path, table_text(10)).unwrap();
    let part = load_table_rows(&path, &mut opts, Some(&RowSelection::ranges([(8, 30)]))).unwrap();
    assert_eq!((part.rows, part.total), (vec![8, 9], Some(10)));
    let part = load_table_rows(&path, &mut opts, Some(&RowSelection::ranges([(30, 30)]))).unwrap();
    assert_eq!((part.data.rows(), part.total), (0, Some(10)));
    let pq = fixture("mixed.parquet");
    let whole = load_table_with(&pq, &mut |_| LoadOptions::default()).unwrap();
    let part =
        load_table_rows(&pq, &mut |_| LoadOptions::default(), Some(&RowSelection::ranges([(1, 1 << 20)]))).unwrap();
    assert_eq!(part.total, Some(whole.rows()));
    assert_eq!(part.rows, (1..whole.rows()).collect::<Vec<_>>());
    std::fs::remove_file(&path).ok();
}

#[test]
fn a_label_error_names_the_files_row() {
    let path = temp("label.csv");
    let mut lines: Vec<String> = table_text(10).lines().map(str::to_string).collect();
    lines[8].pop();
    lines[8].push('7'); // row 7's label
    std::fs::write(&path, lines.join("\n")).unwrap();
    let e = load_table_rows(&path, &mut opts, Some(&RowSelection::ranges([(2, 2), (7, 7)]))).unwrap_err();
    assert!(e.to_string().contains("row 7, label column \"y\": \"7\" is not one of the classes"), "{e}");
    std::fs::remove_file(&path).ok();
}
