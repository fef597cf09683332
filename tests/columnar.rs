//! Columnar data end to end (SPEC §5, §6): the same table as CSV and as
//! Parquet (written by pyarrow: crates/data/tests/fixtures/make_parquet.py)
//! trains the same model, byte for byte, and gets the same attributions;
//! `explain --out x.parquet` writes the documented table; `--na-values`.

mod common;

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use common::{ok, repo, run, temp_dir};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;

const TRAIN: [&str; 22] = [
    "--label",
    "y",
    "--id",
    "section",
    "--lambda",
    "0.01",
    "--d-model",
    "8",
    "--heads",
    "2",
    "--blocks",
    "1",
    "--d-ff",
    "16",
    "--epochs",
    "6",
    "--path-points",
    "1",
    "--seed",
    "2",
    "--quiet",
    "--threads",
];

fn fixture(name: &str) -> String {
    repo().join("crates/data/tests/fixtures").join(name).display().to_string()
}

fn train(data: &str, out: &str, dir: &Path) -> String {
    let args = [&["--data", data, "--out", out][..], &TRAIN, &["1"]].concat();
    let o = run("train", &args, dir);
    assert!(o.status.success(), "train {data}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn csv_and_parquet_give_the_same_model_and_attributions() {
    let dir = temp_dir("columnar");
    let (csv, parquet) = (fixture("mixed.csv"), fixture("mixed.parquet"));
    let stderr = train(&csv, "csv.glt", &dir);
    // Numeric-only selection: the date, timestamp and code columns are left out, in one line.
    let listed: Vec<&str> = stderr.lines().filter(|l| l.contains("left out of the features")).collect();
    assert_eq!(listed, ["warning: non-numeric columns left out of the features: run_date, stamp, code"], "{stderr}");
    let stderr_parquet = train(&parquet, "parquet.glt", &dir);
    assert!(stderr_parquet.contains("left out of the features: run_date, stamp, code"), "{stderr_parquet}");
    train(&fixture("mixed.feather"), "feather.glt", &dir);
    let model = std::fs::read(dir.join("csv.glt")).unwrap();
    assert!(model == std::fs::read(dir.join("parquet.glt")).unwrap(), "CSV and Parquet models differ");
    assert!(model == std::fs::read(dir.join("feather.glt")).unwrap(), "CSV and Feather models differ");

    let explain = |data: &str, out: &str| {
        ok(
            "explain",
            &["--model", "csv.glt", "--data", data, "--rows", "0-9,390-399", "--out", out, "--quiet", "--threads", "1"],
            &dir,
        )
    };
    assert_eq!(explain(&csv, "csv.json"), explain(&parquet, "parquet.json"), "the text reports differ");
    let read = |name: &str| std::fs::read(dir.join(name)).unwrap();
    assert!(read("csv.json") == read("parquet.json"), "the JSON attributions differ");

    // --out x.parquet: one row per explained row, the documented columns.
    explain(&parquet, "a.parquet");
    let json: Value = serde_json::from_slice(&read("csv.json")).unwrap();
    let file = std::fs::File::open(dir.join("a.parquet")).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let names: Vec<String> = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
    let features: Vec<String> = serde_json::from_value(json["features"].clone()).unwrap();
    let mut expected: Vec<String> = ["index", "section", "predicted_class", "output", "baseline_output", "delta"]
        .into_iter()
        .chain(["relative_delta", "steps", "evaluations", "converged"])
        .map(String::from)
        .collect();
    expected.extend(features.iter().map(|f| format!("ig_{f}")));
    assert_eq!(names, expected);
    let batches: Vec<_> = builder.build().unwrap().collect::<Result<_, _>>().unwrap();
    let batch = arrow_select_concat(&batches);
    assert_eq!(batch.num_rows(), 20);
    let index = batch.column(0).as_primitive::<Int64Type>();
    let rows = json["rows"].as_array().unwrap();
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(index.value(i), r["index"].as_i64().unwrap());
        assert_eq!(batch.column(1).as_string::<i32>().value(i), r["ids"]["section"].as_str().unwrap());
        let output = batch.column(3).as_primitive::<Float64Type>().value(i);
        assert_eq!(output, r["output"].as_f64().unwrap());
        for (j, a) in r["attributions"].as_array().unwrap().iter().enumerate() {
            assert_eq!(batch.column(10 + j).as_primitive::<Float64Type>().value(i), a.as_f64().unwrap());
        }
    }
    assert_eq!(batch.column(8).as_primitive::<Int64Type>().value(0), rows[0]["evaluations"].as_i64().unwrap());
    assert!(batch.column(9).as_boolean().value(0));
}

/// The batches of a small file as one (the writer writes one row group).
fn arrow_select_concat(batches: &[arrow_array::RecordBatch]) -> arrow_array::RecordBatch {
    assert_eq!(batches.len(), 1);
    batches[0].clone()
}

#[test]
fn na_values_replace_the_missing_tokens_in_every_tool() {
    let dir = temp_dir("na-values");
    let mut text = String::from("section,a,b,y\n");
    for i in 0..60 {
        let a = if i % 7 == 0 { "-999".to_string() } else { format!("{}", i % 5) };
        text.push_str(&format!("S{},{a},{},{}\n", i % 4, (i * 3) % 11, i % 2));
    }
    std::fs::write(dir.join("sentinel.csv"), &text).unwrap();
    std::fs::write(dir.join("na.csv"), text.replacen("-999", "NA", 1)).unwrap();
    let args = |data: &'static str, extra: &[&'static str]| {
        [&["--data", data, "--out", "m.glt"][..], &TRAIN[..TRAIN.len() - 1], extra].concat()
    };
    let o = run("train", &args("sentinel.csv", &["--na-values", "-999"]), &dir);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run("train", &args("sentinel.csv", &[]), &dir);
    assert!(o.status.success(), "-999 is a number by default");
    // Without --features the column with "NA" would be left out (not numeric); named, it is an error.
    let o = run("train", &args("na.csv", &["--na-values", "-999", "--features", "a,b"]), &dir);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("row 0, column \"a\"") && err.contains("\"NA\""), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    // explain and explain evaluate take the flag too.
    let o = run("explain", &["--model", "m.glt", "--data", "na.csv", "--na-values", "-999", "--quiet"], &dir);
    assert!(!String::from_utf8_lossy(&o.stderr).is_empty() && !o.status.success());
    ok("explain", &["--model", "m.glt", "--data", "na.csv", "--quiet", "--rows", "0"], &dir);
    let o = run("explain", &["evaluate", "--model", "m.glt", "--data", "na.csv", "--na-values", "-999"], &dir);
    assert!(String::from_utf8_lossy(&o.stderr).contains("\"NA\""), "{}", String::from_utf8_lossy(&o.stderr));
    // An unknown extension: one line naming the file and the supported extensions.
    std::fs::write(dir.join("t.xlsx"), "x").unwrap();
    let o = run("train", &args("t.xlsx", &[]), &dir);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("t.xlsx") && err.contains(".csv, .parquet, .arrow, .feather, .ipc"), "{err}");
    let o = run("explain", &["--model", "m.glt", "--data", "na.csv", "--out", "a.xlsx"], &dir);
    assert!(String::from_utf8_lossy(&o.stderr).contains(".json, .csv or .parquet"));
}
