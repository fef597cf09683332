//! `--out x.json` (SPEC §6 schema) and `--out x.csv` (one line per row).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Result};
use glassbox::cli::write_atomic;
use serde::Serialize;
use serde_json::{json, Value};

use crate::report::RowResult;

/// What the whole run explained.
pub struct RunInfo<'a> {
    /// Model file.
    pub model: String,
    /// Target class name.
    pub target: &'a str,
    /// `probability` or `logit`.
    pub output: &'a str,
    /// Quadrature rule.
    pub method: &'a str,
    /// Steps (the first count in tolerance mode).
    pub steps: usize,
    /// Baseline kind.
    pub baseline_kind: &'a str,
    /// Number of baselines.
    pub baseline_count: usize,
    /// Feature names.
    pub features: &'a [String],
    /// `Some(T)` in sequence mode.
    pub seq_len: Option<usize>,
    /// `--global` results, if asked.
    pub global: Option<Value>,
}

fn shaped(values: &[f64], seq_len: Option<usize>) -> Value {
    match seq_len {
        Some(t) if t > 0 => Value::Array(values.chunks(values.len() / t).map(|c| json!(c)).collect()),
        _ => json!(values),
    }
}

#[derive(Serialize)]
struct JsonRow {
    index: usize,
    ids: BTreeMap<String, String>,
    probabilities: Vec<f64>,
    predicted_class: usize,
    output: f64,
    baseline_output: f64,
    delta: f64,
    relative_delta: Option<f64>,
    steps: usize,
    converged: bool,
    values: Value,
    attributions: Value,
    group_attributions: BTreeMap<String, f64>,
}

/// The JSON document of SPEC §6.
pub fn json_document(info: &RunInfo<'_>, rows: &[RowResult]) -> Value {
    let rows: Vec<JsonRow> = rows
        .iter()
        .map(|r| JsonRow {
            index: r.index,
            ids: r.ids.iter().cloned().collect(),
            probabilities: r.probabilities.clone(),
            predicted_class: r.predicted_class,
            output: r.output,
            baseline_output: r.baseline_output,
            delta: r.delta,
            relative_delta: r.relative_delta.is_finite().then_some(r.relative_delta),
            steps: r.steps,
            converged: r.converged,
            values: shaped(&r.values, info.seq_len),
            attributions: shaped(&r.attributions, info.seq_len),
            group_attributions: r.groups.iter().cloned().collect(),
        })
        .collect();
    json!({
        "model": info.model,
        "target": info.target,
        "output": info.output,
        "method": info.method,
        "steps": info.steps,
        "baseline": {"kind": info.baseline_kind, "count": info.baseline_count},
        "features": info.features,
        "rows": rows,
        "global": info.global.clone().unwrap_or(Value::Null),
    })
}

/// Writes `--out` by its extension.
pub fn write(path: &Path, info: &RunInfo<'_>, rows: &[RowResult], names: &[String]) -> Result<()> {
    let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let bytes = match ext.as_str() {
        "json" => serde_json::to_vec_pretty(&json_document(info, rows))?,
        "csv" => csv_bytes(rows, names)?,
        _ => bail!("--out {}: the file must end in .json or .csv", path.display()),
    };
    write_atomic(path, &bytes)?;
    Ok(())
}

fn csv_bytes(rows: &[RowResult], names: &[String]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let id_names: Vec<String> =
        rows.first().map(|r| r.ids.iter().map(|(k, _)| k.clone()).collect()).unwrap_or_default();
    let mut header: Vec<String> = vec!["index".into()];
    header.extend(id_names.iter().cloned());
    header.extend(["predicted_class", "output", "baseline_output", "delta", "relative_delta"].map(String::from));
    header.extend(names.iter().map(|n| format!("ig:{n}")));
    w.write_record(&header)?;
    for r in rows {
        let mut rec = vec![r.index.to_string()];
        rec.extend(r.ids.iter().map(|(_, v)| v.clone()));
        rec.extend([
            r.predicted_class.to_string(),
            r.output.to_string(),
            r.baseline_output.to_string(),
            r.delta.to_string(),
            r.relative_delta.to_string(),
        ]);
        rec.extend(r.attributions.iter().map(|a| a.to_string()));
        w.write_record(&rec)?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}
