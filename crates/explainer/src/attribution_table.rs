//! `explain --out x.parquet`: the attributions as a table, one row per
//! explained row (documented in docs/spec-additions.md):
//! `index`, the id columns, `predicted_class`, `output`, `baseline_output`,
//! `delta`, `relative_delta`, `steps`, `evaluations`, `converged`, then `ig_<feature>` per
//! feature (sequence mode: `ig_<feature>@t-k`, `ig_<feature>@t`).

use glassbox_data::OutColumn;

use crate::error::ExplainError;
use crate::rows::RowResult;

/// The named columns of the attribution table; `labels` are the attribution
/// cells' names ([`feature_labels`](crate::feature_labels)).
pub fn attribution_columns(rows: &[RowResult], labels: &[String]) -> Vec<(String, OutColumn)> {
    let float = |f: fn(&RowResult) -> f64| OutColumn::Float(rows.iter().map(f).collect());
    let mut columns = vec![("index".to_string(), OutColumn::Int(rows.iter().map(|r| r.index as i64).collect()))];
    for (k, name) in crate::document::id_names(rows).into_iter().enumerate() {
        columns.push((name, OutColumn::Text(rows.iter().map(|r| r.ids[k].1.clone()).collect())));
    }
    columns.extend([
        ("predicted_class".to_string(), OutColumn::Int(rows.iter().map(|r| r.predicted_class as i64).collect())),
        ("output".to_string(), float(|r| r.output)),
        ("baseline_output".to_string(), float(|r| r.baseline_output)),
        ("delta".to_string(), float(|r| r.delta)),
        ("relative_delta".to_string(), float(|r| r.relative_delta)),
        ("steps".to_string(), OutColumn::Int(rows.iter().map(|r| r.steps as i64).collect())),
        ("evaluations".to_string(), OutColumn::Int(rows.iter().map(|r| r.evaluations as i64).collect())),
        ("converged".to_string(), OutColumn::Bool(rows.iter().map(|r| r.converged).collect())),
    ]);
    for (j, label) in labels.iter().enumerate() {
        columns.push((format!("ig_{label}"), OutColumn::Float(rows.iter().map(|r| r.attributions[j]).collect())));
    }
    columns
}

/// The attribution table as Parquet bytes.
pub fn attributions_parquet(rows: &[RowResult], labels: &[String]) -> Result<Vec<u8>, ExplainError> {
    Ok(glassbox_data::parquet_bytes(&attribution_columns(rows, labels))?)
}
