//! The results as files: the SPEC §6 JSON document (`explain --out
//! x.json`) and the CSV (one line per row: index, ids, predicted class,
//! F(x), baseline F, δ, relative δ, gradient evaluations, converged, then
//! `ig:<cell>` per attribution cell).

use std::collections::BTreeMap;

use glassbox_glt::Model;
use glassbox_ig::{AdaptiveSpec, IgConfig};
use serde::Serialize;
use serde_json::{json, Value};

use crate::classes::{feature_labels, seq_len};
use crate::error::ExplainError;
use crate::request::Explained;
use crate::rows::RowResult;

/// What the run explained, for the document's header.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The model file, as given.
    pub model: String,
    /// Explained class index.
    pub target: usize,
    /// `probability` or `logit`.
    pub output: String,
    /// `adaptive` or the fixed rule's name.
    pub method: String,
    /// Steps of a fixed rule (the first count in doubling mode).
    pub steps: usize,
    /// The adaptive engine's settings (`None` for a fixed rule).
    pub adaptive: Option<AdaptiveSpec>,
}

impl RunInfo {
    /// The header of a run of `cfg` on the model file `model`.
    pub fn new(model: &str, cfg: &IgConfig) -> Self {
        RunInfo {
            model: model.into(),
            target: cfg.target,
            output: cfg.output.name().into(),
            method: crate::method_name(cfg).into(),
            steps: cfg.steps,
            adaptive: cfg.adaptive,
        }
    }
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
    evaluations: usize,
    converged: bool,
    values: Value,
    attributions: Value,
    group_attributions: BTreeMap<String, f64>,
}

/// One row as in the document (`[T][F]` values and attributions in
/// sequence mode; a non-finite relative delta is `null`).
pub fn row_json(r: &RowResult, seq_len: Option<usize>) -> Value {
    json!(JsonRow {
        index: r.index,
        ids: r.ids.iter().cloned().collect(),
        probabilities: r.probabilities.clone(),
        predicted_class: r.predicted_class,
        output: r.output,
        baseline_output: r.baseline_output,
        delta: r.delta,
        relative_delta: r.relative_delta.is_finite().then_some(r.relative_delta),
        steps: r.steps,
        evaluations: r.evaluations,
        converged: r.converged,
        values: shaped(&r.values, seq_len),
        attributions: shaped(&r.attributions, seq_len),
        group_attributions: r.groups.iter().cloned().collect(),
    })
}

/// The SPEC §6 JSON document: `{"model","target","output","method",
/// "steps","baseline":{"kind","count"},"features","rows":[..],"global"}`;
/// adaptive: `"method": "adaptive"`, `"steps": null`, and
/// `"tolerance": {"rel","abs"}`, `"max_evaluations"`.
pub fn json_document(model: &Model, info: &RunInfo, e: &Explained) -> Value {
    let t = seq_len(model);
    let mut doc = json!({
        "model": info.model,
        "target": model.class_names[info.target],
        "output": info.output,
        "method": info.method,
        "steps": info.steps,
        "baseline": {"kind": e.baseline_kind, "count": e.baselines},
        "features": model.feature_names,
        "rows": e.rows.iter().map(|r| row_json(r, t)).collect::<Vec<_>>(),
        "global": e.global.as_ref().map_or(Value::Null, |g| g.to_json(model, &feature_labels(model))),
    });
    if let (Some(spec), Value::Object(map)) = (info.adaptive, &mut doc) {
        map.insert("steps".into(), Value::Null);
        map.insert("tolerance".into(), json!({"rel": spec.convergence.rel, "abs": spec.convergence.abs}));
        map.insert("max_evaluations".into(), json!(spec.max_evaluations));
    }
    doc
}

/// The CSV header: `index,<ids>,predicted_class,output,baseline_output,
/// delta,relative_delta,evaluations,converged,ig:<cell>…`.
pub fn csv_header(id_names: &[String], labels: &[String]) -> Vec<String> {
    let mut header: Vec<String> = vec!["index".into()];
    header.extend(id_names.iter().cloned());
    header.extend(
        ["predicted_class", "output", "baseline_output", "delta", "relative_delta", "evaluations", "converged"]
            .map(String::from),
    );
    header.extend(labels.iter().map(|n| format!("ig:{n}")));
    header
}

/// One row's CSV record, in the order of [`csv_header`].
pub fn csv_record(r: &RowResult) -> Vec<String> {
    let mut rec = vec![r.index.to_string()];
    rec.extend(r.ids.iter().map(|(_, v)| v.clone()));
    rec.extend([
        r.predicted_class.to_string(),
        r.output.to_string(),
        r.baseline_output.to_string(),
        r.delta.to_string(),
        r.relative_delta.to_string(),
        r.evaluations.to_string(),
        r.converged.to_string(),
    ]);
    rec.extend(r.attributions.iter().map(|a| a.to_string()));
    rec
}

/// The id column names of rows (those of the first row).
pub(crate) fn id_names(rows: &[RowResult]) -> Vec<String> {
    rows.first().map(|r| r.ids.iter().map(|(k, _)| k.clone()).collect()).unwrap_or_default()
}

/// The CSV bytes: the [`csv_header`], then one [`csv_record`] per row.
pub fn csv_bytes(rows: &[RowResult], labels: &[String]) -> Result<Vec<u8>, ExplainError> {
    let enc = |e: csv::Error| ExplainError::Encode(e.to_string());
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(csv_header(&id_names(rows), labels)).map_err(enc)?;
    for r in rows {
        w.write_record(csv_record(r)).map_err(enc)?;
    }
    w.into_inner().map_err(|e| ExplainError::Encode(e.to_string()))
}
