//! Global importance over explained rows (SPEC §4): per attribution cell
//! `mean_r |IG_r,f|` and `mean_{r: ŷ_r = c} IG_r,f` per predicted class
//! `c`, and per group `mean_r |Σ_{f ∈ g} IG_r,f|`.

use std::collections::BTreeMap;

use glassbox_autodiff::Tensor;
use glassbox_glt::Model;
use glassbox_ig::aggregate::{per_feature, per_group, GlobalSums};
use ndarray::Axis;
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
        let mut sums = GlobalAccumulator::new(model);
        for r in rows {
            sums.add(r)?;
        }
        Ok(sums.finish())
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
        let per_g = per_group(&per_feature(all)?, &model.groups.members)?;
        let mut sums = GlobalAccumulator::new(model);
        for ((row, &c), g) in all.axis_iter(Axis(0)).zip(predicted).zip(per_g.axis_iter(Axis(0))) {
            sums.add_cells(row.iter().copied(), c, g.iter().copied());
        }
        Ok(sums.finish())
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

/// [`GlobalImportance`] built up one explained row at a time (rows that
/// arrive part by part need not be kept): running sums in row order, so
/// the result is bitwise [`GlobalImportance::of`] over the same rows.
///
/// ```
/// # let model = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
/// use glassbox_explainer::{explain_array, GlobalAccumulator, GlobalImportance};
/// use glassbox_ig::{Baseline, IgConfig};
/// let x = ndarray::Array2::<f64>::ones((3, model.feature_names.len())).into_dyn();
/// let rows = explain_array(&model, &x, &Baseline::Zero, &IgConfig::default())?;
/// let mut sums = GlobalAccumulator::new(&model);
/// for r in &rows {
///     sums.add(r)?;
/// }
/// let g = sums.finish();
/// let direct = rows.iter().map(|r| r.attributions[0].abs()).sum::<f64>() / 3.0; // mean |IG| of cell 0
/// assert!((g.mean_abs[0] - direct).abs() <= 1e-12 * direct.max(1e-300));
/// assert_eq!(g, GlobalImportance::of(&model, &rows)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct GlobalAccumulator {
    cells: GlobalSums,
    groups_abs: Vec<f64>,
    width: usize,
}

impl GlobalAccumulator {
    /// Empty sums for the rows of `model`.
    pub fn new(model: &Model) -> Self {
        let width = model.glt.row_shape().iter().product();
        GlobalAccumulator {
            cells: GlobalSums::new(width, model.class_names.len()),
            groups_abs: vec![0.0; model.groups.names.len()],
            width,
        }
    }

    /// Adds one explained row of the model.
    pub fn add(&mut self, r: &RowResult) -> Result<(), ExplainError> {
        let classes = self.cells.classes();
        if r.attributions.len() != self.width || r.groups.len() != self.groups_abs.len() || r.predicted_class >= classes
        {
            return Err(ExplainError::Request(format!(
                "row {}: {} attributions, {} groups and class {} do not fit the model ({} cells, {} groups, {classes} classes)",
                r.index,
                r.attributions.len(),
                r.groups.len(),
                r.predicted_class,
                self.width,
                self.groups_abs.len()
            )));
        }
        self.add_cells(r.attributions.iter().copied(), r.predicted_class, r.groups.iter().map(|(_, v)| *v));
        Ok(())
    }

    fn add_cells(&mut self, cells: impl IntoIterator<Item = f64>, class: usize, groups: impl IntoIterator<Item = f64>) {
        self.cells.add(cells, class);
        self.groups_abs.iter_mut().zip(groups).for_each(|(s, v)| *s += v.abs());
    }

    /// Rows added.
    pub fn rows(&self) -> usize {
        self.cells.rows()
    }

    /// The importance over the rows added.
    pub fn finish(self) -> GlobalImportance {
        let rows = self.cells.rows();
        let g = self.cells.finish();
        GlobalImportance {
            rows,
            mean_abs: g.mean_abs,
            mean_by_predicted_class: g.mean_by_class,
            rows_by_predicted_class: g.rows_by_class,
            groups_mean_abs: self.groups_abs.into_iter().map(|s| s / rows.max(1) as f64).collect(),
        }
    }
}
