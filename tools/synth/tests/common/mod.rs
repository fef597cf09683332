//! Helpers shared by the integration tests: run the `synth` binary, read its files.
#![allow(dead_code)] // each test file uses a different subset

use std::path::PathBuf;
use std::process::{Command, Output};

/// A fresh scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("synth-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `synth` with the arguments.
pub fn synth(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_synth")).args(args).output().expect("run synth")
}

/// Runs `synth KIND --rows N --seed S --out DIR/NAME.csv --truth DIR/NAME.json --quiet`,
/// asserts success and returns the two paths.
pub fn generate(dir: &std::path::Path, kind: &str, rows: usize, seed: u64, name: &str) -> (PathBuf, PathBuf) {
    let csv = dir.join(format!("{name}.csv"));
    let json = dir.join(format!("{name}.json"));
    let out = synth(&[
        kind,
        "--rows",
        &rows.to_string(),
        "--seed",
        &seed.to_string(),
        "--out",
        csv.to_str().unwrap(),
        "--truth",
        json.to_str().unwrap(),
        "--quiet",
    ]);
    assert!(out.status.success(), "synth failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "--quiet printed: {}", String::from_utf8_lossy(&out.stderr));
    (csv, json)
}

/// A CSV file's header and rows as strings.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn read(path: &std::path::Path) -> Self {
        let mut reader = csv::Reader::from_path(path).unwrap();
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
        Table { header, rows }
    }

    pub fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"))
    }

    /// The present (non-empty) values of a numeric column, optionally only rows where `filter` holds.
    pub fn values(&self, name: &str, filter: impl Fn(&[String]) -> bool) -> Vec<f64> {
        let c = self.col(name);
        self.rows.iter().filter(|r| filter(r) && !r[c].is_empty()).map(|r| r[c].parse().unwrap()).collect()
    }
}

pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

pub fn sd(x: &[f64]) -> f64 {
    let m = mean(x);
    (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64).sqrt()
}

pub fn json(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

pub fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}
