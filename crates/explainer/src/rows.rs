//! The explain loop over model inputs: rows in parts of a bounded size
//! (for progress and memory), each part one [`glassbox_ig::explain`] call
//! (several classes: one [`glassbox_ig::explain_targets`] call, one
//! result per row and class, row-major then class),
//! then per row the probabilities, the predicted class, `F(x)`, the
//! baseline's `F`, the completeness delta `δ = Σᵢ IGᵢ − (F(x) − F(x'))`,
//! the values, the missing mask, the attributions and their group sums
//! `Σ_{f ∈ g} IG_f` (summed over time steps in sequence mode).

use glassbox_autodiff::Tensor;
use glassbox_glt::{Model, ModelInputs};
use glassbox_ig::aggregate::{per_feature, per_group};
use glassbox_ig::{explain_targets, Baseline, IgConfig};
use ndarray::Axis;
use serde::Serialize;

use crate::classes::{predicted_class, threshold};
use crate::error::ExplainError;
use crate::function::GltFunction;

/// Rows per part by default (results do not depend on it).
pub const ROWS_PER_PART: usize = 32;

/// One explained row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RowResult {
    /// Row number (in the table, from 0; for raw arrays the position).
    pub index: usize,
    /// Id column values (empty for raw arrays).
    pub ids: Vec<(String, String)>,
    /// Class probabilities `[C]`.
    pub probabilities: Vec<f64>,
    /// Predicted class (binary: at the validation-tuned threshold).
    pub predicted_class: usize,
    /// The explained class (index) this result is for.
    pub target: usize,
    /// `F(x)`.
    pub output: f64,
    /// Mean `F` over the baselines.
    pub baseline_output: f64,
    /// Convergence delta `δ`.
    pub delta: f64,
    /// `|δ| / |F(x) − F(x')|`.
    pub relative_delta: f64,
    /// Steps used (fixed rules: `n`, the last tried in doubling mode;
    /// adaptive: gradient evaluations per baseline path).
    pub steps: usize,
    /// Gradient evaluations spent on the row, over all `K` baseline paths
    /// (fixed: `K·n`; doubling: `K·Σn`; adaptive: 15 per panel).
    pub evaluations: usize,
    /// Tolerance met (always true for a fixed rule; adaptive:
    /// `|δ| ≤ max(rel·|ΔF|, abs)` within the cap).
    pub converged: bool,
    /// Input values, imputed, flattened row-major (`T·F` in sequence mode).
    pub values: Vec<f64>,
    /// Whether each value was missing and imputed with the training mean.
    pub missing: Vec<bool>,
    /// Attributions, flattened like `values`.
    pub attributions: Vec<f64>,
    /// `(group, Σ attributions of its features)` in the model's group order.
    pub groups: Vec<(String, f64)>,
}

/// One part of the rows, explained.
#[derive(Clone, Debug)]
pub struct Part {
    /// The part's rows.
    pub rows: Vec<RowResult>,
    /// Number of baselines `K`.
    pub baselines: usize,
    /// The baseline's kind (`zero`, `mean`, `background`, `weighted`, `rows`).
    pub baseline_kind: &'static str,
}

/// Explains model inputs part by part: an iterator of [`Part`]s.
pub struct Parts<'a> {
    model: &'a Model,
    function: GltFunction<'a>,
    inputs: &'a ModelInputs,
    baseline: &'a Baseline,
    cfg: &'a IgConfig,
    threshold: Option<f64>,
    rows_per_part: usize,
    next: usize,
    classes: Vec<usize>,
}

impl<'a> Parts<'a> {
    /// Prepares the parts of `inputs` (imputed `[N, ..row]`, see
    /// [`ModelInputs::impute`] for raw arrays). Probabilities and
    /// attributions are computed part by part (a row's values do not
    /// depend on the part it is in), so memory holds one part's work.
    pub fn new(
        model: &'a Model,
        inputs: &'a ModelInputs,
        baseline: &'a Baseline,
        cfg: &'a IgConfig,
        rows_per_part: usize,
    ) -> Result<Self, ExplainError> {
        Ok(Parts {
            model,
            function: GltFunction::new(model),
            inputs,
            baseline,
            cfg,
            threshold: threshold(model),
            rows_per_part: rows_per_part.max(1),
            next: 0,
            classes: vec![cfg.target],
        })
    }

    /// Explains every class of `classes` (instead of `cfg.target`) in one
    /// shared pass per part: each part then holds, per row, one
    /// [`RowResult`] per class in this order (row-major, then class),
    /// each bitwise the result of explaining that class alone.
    ///
    /// ```
    /// # let model = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
    /// use glassbox_explainer::Parts;
    /// use glassbox_glt::ModelInputs;
    /// use glassbox_ig::{Baseline, IgConfig};
    /// let x = ndarray::Array2::<f64>::ones((2, model.feature_names.len())).into_dyn();
    /// let inputs = ModelInputs::impute(x, &model.scaler);
    /// let cfg = IgConfig::default();
    /// let part = Parts::new(&model, &inputs, &Baseline::Zero, &cfg, 8)?.targets(vec![0, 1]).next().unwrap()?;
    /// let order: Vec<(usize, usize)> = part.rows.iter().map(|r| (r.index, r.target)).collect();
    /// assert_eq!(order, [(0, 0), (0, 1), (1, 0), (1, 1)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn targets(mut self, classes: Vec<usize>) -> Self {
        self.classes = classes;
        self
    }

    /// The explained classes, in order.
    pub fn classes(&self) -> &[usize] {
        &self.classes
    }

    /// Rows in all.
    pub fn len(&self) -> usize {
        self.inputs.x.shape()[0]
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn part(&self, start: usize, end: usize) -> Result<Part, ExplainError> {
        let x = &self.inputs.x;
        let width = x.len() / x.shape()[0].max(1);
        let part = x.slice_axis(Axis(0), (start..end).into()).to_owned();
        // The probabilities (a forward and a softmax) run beside the pass,
        // not before it: for one row they fill a thread's wait for the last
        // block.
        let (probabilities, all) = rayon::join(
            || self.model.probabilities(&part),
            || explain_targets(&self.function, &part, self.baseline, self.cfg, &self.classes),
        );
        let probabilities = probabilities?;
        let all = all.map_err(|e| e.map_row(|j| start + j))?;
        let per_g: Vec<_> = all
            .iter()
            .map(|e| per_group(&per_feature(&e.attributions)?, &self.model.groups.members))
            .collect::<Result<_, _>>()?;
        let mut rows = Vec::with_capacity((end - start) * all.len());
        for j in 0..end - start {
            let i = start + j;
            let p = probabilities.row(j).to_vec();
            let predicted = predicted_class(&p, self.threshold);
            for ((e, per_g), &target) in all.iter().zip(&per_g).zip(&self.classes) {
                rows.push(RowResult {
                    index: i,
                    ids: Vec::new(),
                    predicted_class: predicted,
                    target,
                    probabilities: p.clone(),
                    output: e.output[j],
                    baseline_output: e.baseline_output,
                    delta: e.delta[j],
                    relative_delta: e.relative_delta[j],
                    steps: e.steps[j],
                    evaluations: e.evaluations[j],
                    converged: e.converged[j],
                    values: x.index_axis(Axis(0), i).iter().copied().collect(),
                    missing: self.inputs.missing[i * width..(i + 1) * width].to_vec(),
                    attributions: e.attributions.index_axis(Axis(0), j).iter().copied().collect(),
                    groups: self.model.groups.names.iter().cloned().zip(per_g.row(j).iter().copied()).collect(),
                });
            }
        }
        let baselines = all.first().map_or(0, |e| e.baselines);
        Ok(Part { rows, baselines, baseline_kind: self.baseline.kind() })
    }
}
impl Iterator for Parts<'_> {
    type Item = Result<Part, ExplainError>;

    fn next(&mut self) -> Option<Self::Item> {
        let n = self.len();
        if self.next >= n {
            return None;
        }
        let (start, end) = (self.next, (self.next + self.rows_per_part).min(n));
        self.next = end;
        Some(self.part(start, end))
    }
}

/// Explains raw rows `x [N, ..row]` (the model's units, NaN = missing,
/// imputed with the training mean) against `baseline`: the entry point
/// for arrays (Python, Spark). Row `index` is the position in `x`.
///
/// ```
/// # let model = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
/// use glassbox_ig::{Baseline, IgConfig};
/// let mut x = ndarray::Array2::<f64>::from_elem((2, model.feature_names.len()), f64::NAN);
/// x[[0, 0]] = 1.5;
/// let rows = glassbox_explainer::explain_array(&model, &x.into_dyn(), &Baseline::Zero, &IgConfig::default())?;
/// assert!(rows[1].missing.iter().all(|&m| m) && !rows[0].missing[0]);
/// let r = &rows[0];
/// let sum: f64 = r.attributions.iter().sum();
/// assert!((sum - (r.output - r.baseline_output) - r.delta).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn explain_array(
    model: &Model,
    x: &Tensor<f64>,
    baseline: &Baseline,
    cfg: &IgConfig,
) -> Result<Vec<RowResult>, ExplainError> {
    glassbox_glt::inputs::check_rows(x.shape(), &model.glt.row_shape())?;
    let inputs = ModelInputs::impute(x.clone(), &model.scaler);
    let mut rows = Vec::with_capacity(x.shape()[0]);
    for part in Parts::new(model, &inputs, baseline, cfg, ROWS_PER_PART)? {
        rows.extend(part?.rows);
    }
    Ok(rows)
}
