//! Step 1 of `explain evaluate`: the baselines (reference rows from the
//! training split only) and the IG attributions of the explained rows under
//! each of them.

use anyhow::{bail, Context, Result};
use glassbox_autodiff::Tensor;
use glassbox_glt::attribution_eval::{mean_abs, row_orders};
use glassbox_glt::Model;
use glassbox_ig::{explain, Baseline, IgConfig};
use indicatif::ProgressBar;
use ndarray::{Array2, Axis, Ix2};

use crate::inputs::{self, Inputs};

/// Rows explained per call (progress granularity; results do not depend on it).
const ROWS_PER_CALL: usize = 32;

/// The background reference: training-split rows matching the filter.
pub struct Reference {
    /// Row indices into the table.
    pub rows: Vec<usize>,
    /// `"label = 0"`-style description for the report.
    pub describe: String,
}

/// Training-split rows matching `filter` (`COL=VALUE`; default: the label is
/// the first class).
pub fn reference_rows(model: &Model, inputs: &Inputs, train: &[usize], filter: Option<&str>) -> Result<Reference> {
    let label = &model.report.config.label;
    let (column, value) = match filter {
        Some(f) => f.split_once('=').with_context(|| format!("--background-filter '{f}' must look like COL=VALUE"))?,
        None => (label.as_str(), model.class_names[0].as_str()),
    };
    let matching = inputs::matching_rows(&inputs.data, column, value, label)?;
    let rows: Vec<usize> = train.iter().copied().filter(|r| matching.binary_search(r).is_ok()).collect();
    if rows.is_empty() {
        bail!("--background-filter {column}={value}: no training-split row of {} matches", inputs.data.path.display());
    }
    Ok(Reference { describe: format!("{} training rows with {column} = {value}", rows.len()), rows })
}

/// The IG baseline called `name`.
pub fn baseline(
    name: &str,
    model: &Model,
    inputs: &Inputs,
    reference: &Reference,
    weight_column: Option<&str>,
    count: usize,
    seed: u64,
) -> Result<Baseline> {
    let rows = || inputs.x.select(Axis(0), &reference.rows);
    Ok(match name {
        "zero" => Baseline::Zero,
        "mean" => Baseline::Mean(model.scaler.mean.clone()),
        "background" => Baseline::Background { reference: rows(), count, seed },
        "weighted" => {
            let column = weight_column.context("the weighted baseline needs --weight-column COL")?;
            let weights = inputs::weights(&inputs.data, column, &reference.rows)?;
            Baseline::Weighted { reference: rows(), weights, count, seed }
        }
        other => bail!("unknown baseline {other}"),
    })
}

/// One baseline's attributions of the explained rows.
pub struct BaselineRun {
    /// Baseline name.
    pub name: String,
    /// `[N, F]` attributions.
    pub attributions: Array2<f64>,
    /// Mean |IG| per feature.
    pub importance: Vec<f64>,
    /// `[K, F]` the baseline rows used (K = 1 for zero and mean).
    pub baseline_rows: Array2<f64>,
    /// max_n |δ_n| / |F(x_n) − F(x')| (completeness check of the run).
    pub max_relative_delta: f64,
}

impl BaselineRun {
    /// Each row's features by decreasing signed attribution.
    pub fn row_orders(&self) -> Vec<Vec<usize>> {
        row_orders(self.attributions.view())
    }
}

/// Explains the `[N, F]` rows `x` against `baseline`.
pub fn run(
    model: &Model,
    x: &Tensor<f64>,
    name: &str,
    baseline: &Baseline,
    cfg: &IgConfig,
    bar: &ProgressBar,
) -> Result<BaselineRun> {
    let f = model.explainable();
    let n = x.shape()[0];
    let mut parts = Vec::new();
    let mut worst = 0.0f64;
    for start in (0..n).step_by(ROWS_PER_CALL) {
        let end = (start + ROWS_PER_CALL).min(n);
        let part = explain(&f, &x.slice_axis(Axis(0), (start..end).into()).to_owned(), baseline, cfg)
            .with_context(|| format!("{name} baseline"))?;
        worst = part.relative_delta.iter().filter(|d| d.is_finite()).fold(worst, |w, d| w.max(d.abs()));
        parts.push(part.attributions.into_dimensionality::<Ix2>()?);
        bar.inc((end - start) as u64);
    }
    let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
    let attributions = ndarray::concatenate(Axis(0), &views)?;
    let baseline_rows = baseline.resolve(&[x.shape()[1]])?.into_dimensionality::<Ix2>()?;
    Ok(BaselineRun {
        name: name.to_string(),
        importance: mean_abs(attributions.view()),
        attributions,
        baseline_rows,
        max_relative_delta: worst,
    })
}
