//! Reading only the rows a request needs (issue 16) gives the same
//! explanations, bit for bit, as reading the whole table — for CSV and
//! Parquet, with zero, mean, background (label filter and an extra-column
//! filter) and weighted baselines — and still names the file's rows in
//! errors, refuses rows past the end, and does not read past the last
//! listed row of a CSV file.

use std::path::{Path, PathBuf};

use glassbox_data::{read_csv_columns, write_parquet, Column, MissingValues, OutColumn};
use glassbox_explainer::{explain_table, Background, BaselineSpec, ExplainRequest, RowList, RowResult, Table};
use glassbox_glt::Model;

const ROWS: usize = 240;

fn model() -> Model {
    Model::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/railway-demo.glt")).unwrap()
}

/// A 240-row table from the 12 demo rows: numbers scaled per row, one
/// missing cell per 7 rows, a weight column `w` and a text column `zone`.
fn table(dir: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let demo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/railway-demo.csv");
    let (mut names, columns) = read_csv_columns(&demo).unwrap();
    let mut cells: Vec<Vec<String>> = (0..ROWS)
        .map(|r| {
            let scale = 1.0 + 0.003 * r as f64;
            columns
                .iter()
                .enumerate()
                .map(|(c, col)| match col {
                    Column::Numbers(v) if names[c] != "Tc_target" => {
                        if c == 5 + r % 7 && r % 7 == 0 {
                            String::new()
                        } else {
                            format!("{}", v[r % 12] * scale)
                        }
                    }
                    col => col.text(r % 12),
                })
                .collect()
        })
        .collect();
    names.extend(["w".to_string(), "zone".to_string()]);
    for (r, row) in cells.iter_mut().enumerate() {
        row.push(format!("{}", r % 5));
        row.push(if r % 3 == 0 { "B".into() } else { "A".into() });
    }
    std::fs::create_dir_all(dir).unwrap();
    (names, cells)
}

fn write_csv(path: &Path, names: &[String], cells: &[Vec<String>]) {
    let mut s = names.join(",") + "\n";
    for row in cells {
        s += &(row.join(",") + "\n");
    }
    std::fs::write(path, s).unwrap();
}

fn write_pq(path: &Path, names: &[String], cells: &[Vec<String>]) {
    let columns = (0..names.len())
        .map(|c| {
            let text: Vec<String> = cells.iter().map(|r| r[c].clone()).collect();
            let numbers: Option<Vec<f64>> =
                text.iter().map(|t| if t.is_empty() { Some(f64::NAN) } else { t.parse().ok() }).collect();
            let column = match numbers {
                Some(v) if names[c] != "Tc_target" => OutColumn::Float(v),
                _ => OutColumn::Text(text),
            };
            (names[c].clone(), column)
        })
        .collect::<Vec<_>>();
    write_parquet(path, &columns).unwrap();
}

fn dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("glassbox-read-rows-{name}-{}", std::process::id()))
}

/// Every number of a row as bits, with its row number and ids.
fn bits(r: &RowResult) -> (usize, Vec<(String, String)>, Vec<u64>) {
    let mut v: Vec<u64> =
        [r.output, r.baseline_output, r.delta, r.relative_delta].iter().map(|x| x.to_bits()).collect();
    v.extend(r.probabilities.iter().chain(&r.values).chain(&r.attributions).map(|x| x.to_bits()));
    v.extend(r.groups.iter().map(|g| g.1.to_bits()));
    v.push(r.predicted_class as u64);
    (r.index, r.ids.clone(), v)
}

fn baselines() -> Vec<BaselineSpec> {
    let bg = |filter: Option<&str>| Background { filter: filter.map(str::to_string), among: None };
    vec![
        BaselineSpec::Zero,
        BaselineSpec::Mean,
        BaselineSpec::Background { background: bg(None), count: 4, seed: 3 },
        BaselineSpec::Background { background: bg(Some("zone=B")), count: 5, seed: 1 },
        BaselineSpec::Weighted { background: bg(Some("Tc_target=1")), column: Some("w".into()), count: 3, seed: 2 },
    ]
}

fn both_ways(path: &Path) {
    let m = model();
    let ids = m.report.config.ids.clone();
    let extra = vec!["w".to_string(), "zone".to_string()];
    let na = MissingValues::default();
    let whole = Table::load_with(&m, path, &ids, &extra, &na).unwrap();
    let ig = glassbox_explainer::Integration { method: "riemann_trapezoid".into(), steps: 16, ..Default::default() }
        .ig_config()
        .unwrap();
    for spec in ["150,3,7-9,3", "0", "239", "100-119"] {
        let list = RowList::parse(spec).unwrap();
        for baseline in baselines() {
            let selection = baseline.selection(&m, &list).unwrap();
            let part = Table::load_rows(&m, path, &ids, &extra, &na, Some(&selection)).unwrap();
            assert!(part.rows() < whole.rows(), "{spec}: {} of {} rows loaded", part.rows(), whole.rows());
            let rows = list.rows(part.total().unwrap_or(list.last() + 1)).unwrap();
            let request = ExplainRequest::new(rows.clone(), baseline.clone(), ig.clone());
            let a = explain_table(&m, &whole, &request, &mut |_, _| {}).unwrap();
            let b = explain_table(&m, &part, &request, &mut |_, _| {}).unwrap();
            assert_eq!(a.rows.iter().map(bits).collect::<Vec<_>>(), b.rows.iter().map(bits).collect::<Vec<_>>());
            assert_eq!(b.rows.iter().map(|r| r.index).collect::<Vec<_>>(), rows, "{spec} {baseline:?}");
            assert!(b.rows.iter().all(|r| !r.ids.is_empty()));
        }
    }
}

#[test]
fn csv_part_explains_like_the_whole_table() {
    let d = dir("csv");
    let (names, cells) = table(&d);
    let path = d.join("t.csv");
    write_csv(&path, &names, &cells);
    both_ways(&path);
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn parquet_part_explains_like_the_whole_table() {
    let d = dir("pq");
    let (names, cells) = table(&d);
    let path = d.join("t.parquet");
    write_pq(&path, &names, &cells);
    both_ways(&path);
    std::fs::remove_dir_all(&d).ok();
}

fn load(path: &Path, spec: &str, baseline: &BaselineSpec) -> Result<Table, String> {
    let m = model();
    let selection = baseline.selection(&m, &RowList::parse(spec).unwrap()).unwrap();
    let extra = vec!["zone".to_string()];
    Table::load_rows(&m, path, &[], &extra, &MissingValues::default(), Some(&selection)).map_err(|e| e.to_string())
}

#[test]
fn a_csv_file_is_read_no_further_than_the_last_listed_row() {
    let d = dir("stop");
    let (names, mut cells) = table(&d);
    cells[200][5] = "oops".into();
    cells[230][5] = "still text".into();
    let path = d.join("t.csv");
    write_csv(&path, &names, &cells);
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("x,y\n"); // a ragged row
    std::fs::write(&path, text).unwrap();
    let t = load(&path, "5,10-12", &BaselineSpec::Zero).unwrap();
    assert_eq!((t.rows(), t.total()), (4, None));
    // Row 201 needs no parsing of row 200; row 200 itself is an error naming it.
    assert_eq!(load(&path, "201", &BaselineSpec::Zero).unwrap().rows(), 1);
    let e = load(&path, "200", &BaselineSpec::Zero).unwrap_err();
    assert!(e.contains("row 200, column \"Wagon_Twist2m\": \"oops\" is not a number"), "{e}");
    // A background filter reads every row but parses only the matching ones (row 200 is zone A).
    let bg = BaselineSpec::Background {
        background: Background { filter: Some("zone=B".into()), among: None },
        count: 2,
        seed: 0,
    };
    let e = load(&path, "0", &bg).unwrap_err();
    assert!(e.contains("row 240 has 2 fields"), "{e}");
    std::fs::remove_dir_all(&d).ok();
}

#[test]
fn rows_past_the_end_and_bad_rows_are_named_as_in_the_file() {
    let d = dir("end");
    let (names, mut cells) = table(&d);
    cells[150][5] = "oops".into();
    let (csv, pq) = (d.join("t.csv"), d.join("t.parquet"));
    write_csv(&csv, &names, &cells);
    write_pq(&pq, &names, &cells);
    for path in [&csv, &pq] {
        let list = RowList::parse("3,300").unwrap();
        let t = load(path, "3,300", &BaselineSpec::Mean).unwrap();
        assert_eq!(t.total(), Some(ROWS), "{}", path.display());
        let e = list.rows(t.total().unwrap()).unwrap_err().to_string();
        assert!(e.contains("row 300 is past the end (the table has 240 rows, numbered 0 to 239)"), "{e}");
        let e = load(path, "2,150", &BaselineSpec::Zero).unwrap_err();
        assert!(e.contains("row 150, column \"Wagon_Twist2m\""), "{}: {e}", path.display());
        // Row 150 not needed: not parsed.
        assert_eq!(load(path, "149,151", &BaselineSpec::Zero).unwrap().rows(), 2);
    }
    std::fs::remove_dir_all(&d).ok();
}
