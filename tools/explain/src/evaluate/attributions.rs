//! Step 1 of `explain evaluate`: the IG attributions of the explained rows
//! under each baseline (built by [`inputs::baseline`] with reference rows
//! from the training split only).

use anyhow::{Context, Result};
use glassbox_autodiff::Tensor;
use glassbox_glt::attribution_eval::{mean_abs, row_orders};
use glassbox_glt::Model;
use glassbox_ig::{Baseline, IgConfig};
use indicatif::ProgressBar;
use ndarray::{Array2, Axis, Ix2};

use crate::inputs;

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
    let parts = inputs::explain_in_parts(model, x, baseline, cfg, bar).with_context(|| format!("{name} baseline"))?;
    let worst =
        parts.iter().flat_map(|p| &p.relative_delta).filter(|d| d.is_finite()).fold(0.0f64, |w, d| w.max(d.abs()));
    let parts: Vec<Array2<f64>> =
        parts.into_iter().map(|p| p.attributions.into_dimensionality::<Ix2>()).collect::<Result<_, _>>()?;
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
