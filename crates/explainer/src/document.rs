//! The results as files: the SPEC §6 JSON document (`explain --out
//! x.json`) and the CSV (one line per row: index, ids, predicted class,
//! F(x), baseline F, δ, relative δ, gradient evaluations, converged, then
//! `ig:<cell>` per attribution cell).
//!
//! `--target all` (docs/spec-additions.md): one entry per row and class,
//! row-major then class. JSON: `"target": "all"`, each row entry with its
//! own `"target": "<class>"`, and `"global"` an object keyed by class
//! name; CSV: a `target` column (the class name) after the ids.

use std::collections::BTreeMap;

use glassbox_glt::Model;
use glassbox_ig::{AdaptiveSpec, IgConfig};
use serde::Serialize;
use serde_json::{json, Value};

use crate::classes::{feature_labels, seq_len, Target};
use crate::error::ExplainError;
use crate::request::Explained;
use crate::rows::RowResult;

/// What the run explained, for the document's header.
#[derive(Clone, Debug)]
pub struct RunInfo {
    /// The model file, as given.
    pub model: String,
    /// The explained class, or every class.
    pub target: Target,
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
            target: Target::One(cfg.target),
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

/// A row entry of the document: [`row_json`], with the explained class's
/// name as `"target"` when every class is explained (`classes` given).
pub(crate) fn row_entry(r: &RowResult, seq_len: Option<usize>, classes: Option<&[String]>) -> Value {
    let mut v = row_json(r, seq_len);
    if let (Some(names), Value::Object(map)) = (classes, &mut v) {
        map.insert("target".into(), json!(names[r.target]));
    }
    v
}

/// The `"global"` value: one object, per class under its name with
/// `--target all`, or `null`.
fn global_json(model: &Model, info: &RunInfo, e: &Explained) -> Value {
    let labels = feature_labels(model);
    match info.target {
        Target::All if !e.global_per_class.is_empty() => Value::Object(
            model
                .class_names
                .iter()
                .zip(&e.global_per_class)
                .map(|(c, g)| (c.clone(), g.to_json(model, &labels)))
                .collect(),
        ),
        _ => e.global.as_ref().map_or(Value::Null, |g| g.to_json(model, &labels)),
    }
}

/// The SPEC §6 JSON document: `{"model","target","output","method",
/// "steps","baseline":{"kind","count"},"features","rows":[..],"global"}`;
/// adaptive: `"method": "adaptive"`, `"steps": null`, and
/// `"tolerance": {"rel","abs"}`, `"max_evaluations"`; every class
/// (`info.target` [`Target::All`]): `"target": "all"`, a `"target"` per
/// row entry and `"global": {"<class>": {..}}`.
pub fn json_document(model: &Model, info: &RunInfo, e: &Explained) -> Value {
    let (t, all) = (seq_len(model), info.target == Target::All);
    let mut doc = json!({
        "model": info.model,
        "target": info.target.name(model),
        "output": info.output,
        "method": info.method,
        "steps": info.steps,
        "baseline": {"kind": e.baseline_kind, "count": e.baselines},
        "features": model.feature_names,
        "rows": e.rows.iter().map(|r| row_entry(r, t, all.then_some(&model.class_names[..]))).collect::<Vec<_>>(),
        "global": global_json(model, info, e),
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

/// [`csv_header`] with a `target` column after the ids (`--target all`).
pub fn csv_header_per_class(id_names: &[String], labels: &[String]) -> Vec<String> {
    let mut header = csv_header(id_names, labels);
    header.insert(1 + id_names.len(), "target".into());
    header
}

/// [`csv_record`] with the explained class's name after the ids, in the
/// order of [`csv_header_per_class`].
pub fn csv_record_per_class(r: &RowResult, class_names: &[String]) -> Vec<String> {
    let mut rec = csv_record(r);
    rec.insert(1 + r.ids.len(), class_names[r.target].clone());
    rec
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
