//! Step 1 of the evaluation: the IG attributions of the explained rows
//! under one baseline (reference rows from the training split only), and
//! the global ranking they give (mean |IG|, [`GlobalImportance`]).

use glassbox_explainer::{BaselineSpec, ExplainRequest, GlobalImportance, Prepared, Table};
use glassbox_glt::Model;
use glassbox_ig::IgConfig;
use ndarray::{Array2, Ix2};

use crate::deletion::row_orders;
use crate::error::EvaluationError;

/// One baseline's attributions of the explained rows.
#[derive(Clone, Debug)]
pub struct BaselineRun {
    /// Baseline name.
    pub name: String,
    /// `[N, F]` attributions.
    pub attributions: Array2<f64>,
    /// Mean |IG| per feature.
    pub importance: Vec<f64>,
    /// `[K, F]` the baseline rows used (K = 1 for zero and mean).
    pub baseline_rows: Array2<f64>,
    /// max_n |δ_n| / |F(x_n) − F(x')| over finite values (completeness check).
    pub max_relative_delta: f64,
}

impl BaselineRun {
    /// Explains `rows` of `table` against `spec`; `advance(rows)` after each part.
    pub fn run(
        model: &Model,
        table: &Table,
        rows: &[usize],
        name: &str,
        spec: BaselineSpec,
        cfg: &IgConfig,
        advance: &dyn Fn(usize),
    ) -> Result<Self, EvaluationError> {
        let wrap = |source| EvaluationError::Baseline { name: name.to_string(), source: Box::new(source) };
        let request = ExplainRequest::new(rows.to_vec(), spec, cfg.clone());
        let prepared = Prepared::new(model, table, &request).map_err(wrap)?;
        let mut results = Vec::with_capacity(rows.len());
        for part in prepared.parts(model, table, &request).map_err(wrap)? {
            let part = part.map_err(wrap)?;
            advance(part.rows.len());
            results.extend(part.rows);
        }
        let worst =
            results.iter().map(|r| r.relative_delta).filter(|d| d.is_finite()).fold(0.0f64, |w, d| w.max(d.abs()));
        let f = model.feature_names.len();
        let flat: Vec<f64> = results.iter().flat_map(|r| r.attributions.iter().copied()).collect();
        let attributions =
            Array2::from_shape_vec((results.len(), f), flat).map_err(|e| EvaluationError::Encode(e.to_string()))?;
        let importance = GlobalImportance::of(model, &results).map_err(wrap)?.mean_abs;
        let baseline_rows = prepared
            .baseline()
            .resolve(&[f])
            .map_err(|e| wrap(e.into()))?
            .into_dimensionality::<Ix2>()
            .map_err(|e| EvaluationError::Encode(e.to_string()))?;
        Ok(BaselineRun { name: name.to_string(), attributions, importance, baseline_rows, max_relative_delta: worst })
    }

    /// Each row's features by decreasing signed attribution.
    pub fn row_orders(&self) -> Vec<Vec<usize>> {
        row_orders(self.attributions.view())
    }
}
