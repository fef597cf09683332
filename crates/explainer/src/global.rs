//! Global importance over explained rows (SPEC §4): per attribution cell
//! `mean_r |IG_r,f|` and `mean_{r: ŷ_r = c} IG_r,f` per predicted class
//! `c`, and per group `mean_r |Σ_{f ∈ g} IG_r,f|`.

use std::collections::BTreeMap;

use glassbox_autodiff::Tensor;
use glassbox_glt::Model;
use glassbox_ig::aggregate::{global, per_feature, per_group};
use ndarray::{Axis, IxDyn};
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::ExplainError;
use crate::rows::RowResult;

/// Importance over many rows, in the model's order (cells as
/// [`crate::feature_labels`], groups as `model.groups`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GlobalImportance {
    /// Rows summarised.
    pub rows: usize,
    /// Mean |IG| per attribution cell.
    pub mean_abs: Vec<f64>,
    /// Mean IG per cell, per predicted class (`[C][cells]`; empty for a
    /// class no row is predicted as).
    pub mean_by_predicted_class: Vec<Vec<f64>>,
    /// Rows per predicted class.
    pub rows_by_predicted_class: Vec<usize>,
    /// Mean |group sum| per group.
    pub groups_mean_abs: Vec<f64>,
}

impl GlobalImportance {
    /// Summarises explained rows of `model` (at least one).
    ///
    /// ```
    /// # let model = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
    /// use glassbox_ig::{Baseline, IgConfig};
    /// let x = ndarray::Array2::<f64>::ones((3, model.feature_names.len())).into_dyn();
    /// let rows = glassbox_explainer::explain_array(&model, &x, &Baseline::Zero, &IgConfig::default())?;
    /// let g = glassbox_explainer::GlobalImportance::of(&model, &rows)?;
    /// assert!((g.mean_abs[0] - rows[0].attributions[0].abs()).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(model: &Model, rows: &[RowResult]) -> Result<Self, ExplainError> {
        let mut shape = vec![rows.len()];
        shape.extend(model.glt.row_shape());
        let flat: Vec<f64> = rows.iter().flat_map(|r| r.attributions.iter().copied()).collect();
        let all =
            ndarray::ArrayD::from_shape_vec(IxDyn(&shape), flat).map_err(|e| ExplainError::Encode(e.to_string()))?;
        let predicted: Vec<usize> = rows.iter().map(|r| r.predicted_class).collect();
        Self::of_attributions(model, &all, &predicted)
    }

    /// The same from attributions `[N, ..row]` and the predicted class of
    /// each row (e.g. an explanation held as arrays).
    pub fn of_attributions(model: &Model, all: &Tensor<f64>, predicted: &[usize]) -> Result<Self, ExplainError> {
        glassbox_glt::inputs::check_rows(all.shape(), &model.glt.row_shape())?;
        if predicted.len() != all.shape()[0] || predicted.iter().any(|&c| c >= model.class_names.len()) {
            return Err(ExplainError::Request(format!(
                "{} predicted classes (each below {}) are needed for {} rows",
                all.shape()[0],
                model.class_names.len(),
                all.shape()[0]
            )));
        }
        let g = global(all, predicted, model.class_names.len())?;
        let per_g = per_group(&per_feature(all)?, &model.groups.members)?;
        let groups_mean_abs = per_g.mapv(f64::abs).mean_axis(Axis(0)).map(|m| m.to_vec()).unwrap_or_default();
        Ok(GlobalImportance {
            rows: all.shape()[0],
            mean_abs: g.mean_abs,
            mean_by_predicted_class: g.mean_by_class,
            rows_by_predicted_class: g.rows_by_class,
            groups_mean_abs,
        })
    }

    /// `(cell label, mean |IG|)` pairs.
    pub fn named(&self, labels: &[String]) -> Vec<(String, f64)> {
        labels.iter().cloned().zip(self.mean_abs.iter().copied()).collect()
    }

    /// `(group, mean |group sum|)` pairs.
    pub fn named_groups(&self, model: &Model) -> Vec<(String, f64)> {
        model.groups.names.iter().cloned().zip(self.groups_mean_abs.iter().copied()).collect()
    }

    /// The `"global"` object of the SPEC §6 JSON document (names as keys).
    pub fn to_json(&self, model: &Model, labels: &[String]) -> Value {
        let by_class: serde_json::Map<String, Value> = model
            .class_names
            .iter()
            .zip(&self.mean_by_predicted_class)
            .map(|(c, v)| (c.clone(), json!(labels.iter().cloned().zip(v.iter().copied()).collect::<BTreeMap<_, _>>())))
            .collect();
        json!({
            "rows": self.rows,
            "mean_abs": self.named(labels).into_iter().collect::<BTreeMap<_, _>>(),
            "mean_by_predicted_class": by_class,
            "rows_by_predicted_class": model.class_names.iter().cloned().zip(self.rows_by_predicted_class.iter().copied()).collect::<BTreeMap<_, _>>(),
            "groups_mean_abs": self.named_groups(model).into_iter().collect::<BTreeMap<_, _>>(),
        })
    }
}
