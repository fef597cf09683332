//! `--lambda auto`: a dense fit, then λ raised geometrically with warm
//! starts up to λ_max, recording each point. The path proposes supports;
//! which one is kept is the relaxed refit's choice ([`crate::refit`]), or,
//! without the refit, the sparsest point whose penalised validation score
//! is within [`AUC_SLACK`] of the path's best ([`choose`]).
//!
//! **A path that costs what it needs.** Each point stops once its support
//! has settled ([`crate::fit::settled`]); the path stops once every group is zero; after
//! two points in a row that keep the same groups the next grid point is
//! skipped (a flat stretch); and where one step drops two or more groups,
//! the geometric midpoint `√(λ_a·λ_b)` is fitted too (from the lower
//! point's parameters), at most [`PathOptions::points`]`/2` times, so the
//! supports in between are not missed.
//!
//! **λ_max** is computed, not guessed: the smallest λ at which the proximal
//! step keeps every group at zero. With the tokenizer weight `W = 0` and
//! the other parameters at the dense fit, the optimizer's update of group
//! `g` is `η·u_g` with AdamW's normalised direction
//! `u = E[∇W] / (√E[∇W²] + ε)` (moments over one epoch of mini-batches, as
//! Adam's `m̂/√v̂` estimates them). The prox step
//! `W_g ← max(0, 1 − η·λ·√p_g/‖W_g‖)·W_g` returns the group to zero iff
//! `‖η·u_g‖ ≤ η·λ·√p_g`, so `λ_max = max_g ‖u_g‖_F / √p_g`. (With plain
//! gradient descent this reduces to the textbook `max_g ‖∇_g L(0)‖/√p_g`;
//! under Adam the raw gradient would be in the wrong units, since the prox
//! step uses the Adam learning rate as η, SPEC §3.)

use glassbox_autodiff::{Tape, Tensor, Var};
use ndarray::Axis;

use crate::examples::Examples;
use crate::fit::{FitOptions, Fitted, Problem};
use crate::group_lasso::GroupLasso;
use crate::layers::Pass;
use crate::params::constants;

/// Models within this much validation ROC-AUC of the best are "as good".
pub const AUC_SLACK: f64 = 0.005;

/// One point of the λ path.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PathPoint {
    /// λ (0 for the dense fit).
    pub lambda: f64,
    /// Names of the groups with non-zero tokenizer rows.
    pub selected_groups: Vec<String>,
    /// Validation ROC-AUC (binary models).
    pub val_roc_auc: Option<f64>,
    /// Validation accuracy.
    pub val_accuracy: f64,
    /// Validation loss (class-weighted cross-entropy).
    pub val_loss: f64,
    /// Epochs this point's fit ran.
    #[serde(default)]
    pub epochs: usize,
}

impl PathPoint {
    /// The validation score the choices compare: ROC-AUC (binary) or accuracy.
    pub fn score(&self) -> f64 {
        self.val_roc_auc.unwrap_or(self.val_accuracy)
    }
}

/// λ_max at the given (dense) parameters; see the module docs.
pub fn lambda_max(problem: &Problem<'_>, params: &[Tensor<f32>], groups: &[Vec<usize>], batch_size: usize) -> f64 {
    let w_idx = problem.glt.tokenizer_weight();
    let mut consts: Vec<Var<f32>> = constants(params);
    let w_shape = params[w_idx].raw_dim();
    let (mut sum, mut sum_sq, mut batches) =
        (Tensor::<f64>::zeros(w_shape.clone()), Tensor::<f64>::zeros(w_shape.clone()), 0.0);
    let order: Vec<usize> = (0..problem.train.len()).collect();
    for batch in order.chunks(batch_size.max(1)) {
        let rows: Examples = problem.train.rows(batch);
        let tape = Tape::new();
        consts[w_idx] = tape.leaf(Tensor::zeros(w_shape.clone()));
        let logits = problem.glt.logits_raw(problem.scaler, &Var::constant(rows.x), &mut Pass::eval(&consts));
        let g = logits.cross_entropy(&rows.y, Some(&problem.class_weights)).backward();
        let gw = g.get(&consts[w_idx]).expect("the loss depends on W").mapv(f64::from);
        sum += &gw;
        sum_sq += &gw.mapv(|v| v * v);
        batches += 1.0;
    }
    let u = (&sum / batches) / (sum_sq.mapv(|v| (v / batches).sqrt()) + 1e-8);
    groups
        .iter()
        .map(|g| {
            let sq: f64 = g.iter().map(|&f| u.index_axis(Axis(0), f).iter().map(|v| v * v).sum::<f64>()).sum();
            sq.sqrt() / (g.len() as f64).sqrt()
        })
        .fold(0.0, f64::max)
}

/// The outcome of a path.
#[derive(Clone, Debug)]
pub struct PathResult {
    /// Every point by increasing λ, dense fit first.
    pub points: Vec<PathPoint>,
    /// Every point's parameters, in the order of `points`.
    pub params: Vec<Vec<Tensor<f32>>>,
    /// λ_max.
    pub lambda_max: f64,
    /// Fits run after the dense one (the phases `1..=fits`).
    pub fits: usize,
}

/// How a path is laid out.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PathOptions {
    /// Points after the dense fit (default 8).
    pub points: usize,
    /// The first λ is `lambda_max · min_ratio` (default 0.01).
    pub min_ratio: f64,
    /// Maximum epochs per point after the dense fit (default 20).
    pub epochs_per_point: usize,
}

impl Default for PathOptions {
    fn default() -> Self {
        PathOptions { points: 8, min_ratio: 0.01, epochs_per_point: 20 }
    }
}

/// The λ grid: `points` values from `λ_max·min_ratio` to `λ_max`, geometric.
pub fn lambda_grid(lambda_max: f64, path: &PathOptions) -> Vec<f64> {
    let k = path.points.max(1);
    (0..k)
        .map(|i| if k == 1 { lambda_max } else { lambda_max * path.min_ratio.powf(1.0 - i as f64 / (k - 1) as f64) })
        .collect()
}

/// The fit of one point of the path: `(point, warm start, lasso) → fitted`.
pub type PointFit<'a, E> = dyn FnMut(usize, Vec<Tensor<f32>>, &GroupLasso) -> Result<Fitted, E> + 'a;

/// Runs the path from a dense fit; `on_point` sees each recorded point.
/// The fit of each point, `fit(phase, warm start, lasso)` (phases from 1 in
/// the order fitted, at most `path.epochs_per_point` epochs), is the
/// caller's: training with checkpoints replays finished points and resumes
/// the one in progress. Points are returned by increasing λ.
#[allow(clippy::too_many_arguments)]
pub fn run_path<E>(
    problem: &Problem<'_>,
    dense: Fitted,
    groups: &[Vec<usize>],
    group_names: &[String],
    opts: &FitOptions,
    path: &PathOptions,
    on_point: &mut dyn FnMut(&PathPoint),
    fit: &mut PointFit<'_, E>,
) -> Result<PathResult, E> {
    let w_idx = problem.glt.tokenizer_weight();
    let lmax = lambda_max(problem, &dense.params, groups, opts.batch_size);
    let record = |lambda: f64, fitted: &Fitted| {
        let norms = GroupLasso::new(lambda, groups.to_vec()).norms(&fitted.params[w_idx]);
        let probs = problem.probabilities(&fitted.params, problem.val);
        let (auc, acc) = crate::scoring::validation_scores(&probs, &problem.val.y);
        PathPoint {
            lambda,
            selected_groups: group_names
                .iter()
                .zip(crate::group_lasso::support_of(&norms))
                .filter(|(_, kept)| *kept)
                .map(|(g, _)| g.clone())
                .collect(),
            val_roc_auc: auc,
            val_accuracy: acc,
            val_loss: fitted.val_loss,
            epochs: fitted.epochs_run,
        }
    };
    let mut fits: Vec<(PathPoint, Vec<Tensor<f32>>)> = vec![(record(0.0, &dense), dense.params)];
    on_point(&fits[0].0);
    let mut phase = 0;
    let mut fit_point = |lambda: f64, start: Vec<Tensor<f32>>, fits: &mut Vec<(PathPoint, Vec<Tensor<f32>>)>| {
        phase += 1;
        let fitted = fit(phase, start, &GroupLasso::new(lambda, groups.to_vec()))?;
        let point = record(lambda, &fitted);
        on_point(&point);
        fits.push((point, fitted.params));
        Ok::<_, E>(fits.len() - 1)
    };
    let grid = lambda_grid(lmax, path);
    let (mut refinements, mut flat, mut current, mut i) = (path.points / 2, 0, 0, 0);
    while i < grid.len() {
        let latest = fit_point(grid[i], fits[current].1.clone(), &mut fits)?;
        let (before, after) = (fits[current].0.selected_groups.len(), fits[latest].0.selected_groups.len());
        if before >= after + 2 && refinements > 0 && current > 0 {
            refinements -= 1;
            let middle = (fits[current].0.lambda * grid[i]).sqrt();
            fit_point(middle, fits[current].1.clone(), &mut fits)?;
        }
        if after == 0 {
            break;
        }
        flat = if before == after { flat + 1 } else { 0 };
        current = latest;
        // Two points in a row with the same groups: a flat stretch, skip a grid point (never λ_max).
        i += if flat >= 2 && i + 2 < grid.len() { 2 } else { 1 };
    }
    fits.sort_by(|a, b| a.0.lambda.total_cmp(&b.0.lambda));
    let (points, params): (Vec<PathPoint>, Vec<Vec<Tensor<f32>>>) = fits.into_iter().unzip();
    Ok(PathResult { params, points, lambda_max: lmax, fits: phase })
}

/// The sparsest point whose validation score (ROC-AUC, or accuracy for
/// multi-class) is within [`AUC_SLACK`] of the best; ties go to larger λ.
pub fn choose(points: &[PathPoint]) -> usize {
    let best = points.iter().map(PathPoint::score).fold(f64::NEG_INFINITY, f64::max);
    (0..points.len())
        .filter(|&i| points[i].score() >= best - AUC_SLACK)
        .min_by(|&a, &b| {
            let (pa, pb) = (&points[a], &points[b]);
            pa.selected_groups.len().cmp(&pb.selected_groups.len()).then(pb.lambda.total_cmp(&pa.lambda))
        })
        .unwrap_or(0)
}
