//! The relaxed (debiased) refit.
//!
//! The group lasso selects *and* shrinks: the penalty `λ·Σ_g √p_g·‖W_g‖_F`
//! that sets the noise groups to zero also pulls the kept groups' weights
//! toward zero, which costs held-out accuracy (shrinkage bias). The relaxed
//! lasso separates the two: the λ path picks the support
//! `S = {g : ‖W_g‖_F > 0}`, then the model is refit with `λ = 0` from the
//! chosen point's parameters, every group outside `S` held at exact zero
//! after every step ([`crate::group_lasso::GroupLasso::on_support`]), and early-stopped on the
//! validation loss like the dense fit (best epoch kept).
//!
//! **Which support (the relaxed lasso's choice).** Penalised scores rank
//! supports unfairly: the sparser a point, the larger its λ and the more
//! its kept weights are shrunk, so "the sparsest point within 0.005 of the
//! best" would pick dense models. [`choose_relaxed`] scores supports by
//! their refits instead: the path's distinct supports (between the dense
//! one and the empty one), ordered from densest to sparsest, are searched
//! by bisection for the sparsest whose refit validation score is within
//! [`AUC_SLACK`] of the best seen (the dense fit's included). The search
//! assumes that along a path of nested supports the refit score falls as
//! groups go, and costs `⌈log₂(k + 1)⌉` refits for `k` supports; each
//! refit is recorded ([`RelaxedProbe`]). When no support is as good as the
//! dense fit, the dense fit is kept.
//!
//! A refit starts from a fitted point, whose validation loss is already
//! near its best: it stops after [`REFIT_PATIENCE`] epochs without a new
//! best (or the run's patience, if lower).
//!
//! With a fixed λ the one support is refit, and the refit is kept when its
//! validation score (ROC-AUC, or accuracy for multi-class) is at least the
//! penalised model's. Either way the report records both models, on
//! validation and on the held-out test rows ([`RefitReport`]). The refit
//! never keeps a group the path dropped.

use glassbox_autodiff::Tensor;
use serde::{Deserialize, Serialize};

use crate::examples::Examples;
use crate::fit::{FitOptions, Fitted, Problem};
use crate::lambda_path::{PathPoint, AUC_SLACK};
use crate::metrics::Metrics;
use crate::scoring::{metrics, tuned_threshold, validation_scores};

/// A model's validation and held-out (test) metrics, each at the threshold
/// tuned on validation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// On the validation rows (what the choices were made on).
    pub validation: Metrics,
    /// On the test rows (nothing was tuned on them).
    pub test: Metrics,
    /// The validation ROC-AUC (binary) or accuracy.
    pub val_score: f64,
}

/// Scores `params` on validation and test.
pub fn score(problem: &Problem<'_>, params: &[Tensor<f32>], test: &Examples) -> Scored {
    let val_probs = problem.probabilities(params, problem.val);
    let threshold = tuned_threshold(&val_probs, &problem.val.y);
    let (auc, accuracy) = validation_scores(&val_probs, &problem.val.y);
    Scored {
        validation: metrics(&val_probs, &problem.val.y, threshold),
        test: metrics(&problem.probabilities(params, test), &test.y, threshold),
        val_score: auc.unwrap_or(accuracy),
    }
}

/// What the refit changed: both models' scores and which one was kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefitReport {
    /// Whether the refit model is the one kept (its validation score is at
    /// least the penalised model's).
    pub kept: bool,
    /// Epochs the refit ran.
    pub epochs: usize,
    /// Groups in the support (the same for both models).
    pub groups_kept: usize,
    /// The penalised model (the λ path's choice, or the fixed λ).
    pub penalised: Scored,
    /// The refit model.
    pub refit: Scored,
}

impl RefitReport {
    /// Compares the two models; the refit is kept on a tie.
    pub fn new(penalised: Scored, refit: Scored, epochs: usize, groups_kept: usize) -> Self {
        RefitReport { kept: refit.val_score >= penalised.val_score, epochs, groups_kept, penalised, refit }
    }
}

/// Epochs without a new best validation loss before a refit stops.
pub const REFIT_PATIENCE: usize = 5;

/// The fit options of a refit: the run's, with patience at most
/// [`REFIT_PATIENCE`].
pub fn refit_options(opts: &FitOptions) -> FitOptions {
    FitOptions { patience: opts.patience.min(REFIT_PATIENCE), ..opts.clone() }
}

/// One support the relaxed choice refit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelaxedProbe {
    /// λ of the path point whose support (and parameters) the refit started from.
    pub lambda: f64,
    /// Groups in the support.
    pub groups_kept: usize,
    /// Validation score of the refit (ROC-AUC, or accuracy for multi-class).
    pub val_score: f64,
    /// Epochs the refit ran.
    pub epochs: usize,
}

/// What [`choose_relaxed`] found.
#[derive(Clone, Debug)]
pub struct RelaxedChoice {
    /// The chosen path point (`None`: the dense fit).
    pub point: Option<usize>,
    /// The chosen point's refit (`None` with the dense fit).
    pub refit: Option<Fitted>,
    /// Every refit run, in the order run.
    pub probes: Vec<RelaxedProbe>,
}

/// The path's candidate supports for the relaxed choice: for each distinct
/// set of kept groups other than the dense fit's and the empty one, its
/// first (smallest-λ) point, ordered from the most groups to the fewest.
///
/// ```
/// use glassbox_glt::lambda_path::PathPoint;
/// use glassbox_glt::refit::relaxed_candidates;
/// let point = |lambda: f64, groups: &[&str]| PathPoint {
///     lambda,
///     selected_groups: groups.iter().map(|g| g.to_string()).collect(),
///     val_roc_auc: Some(0.9),
///     val_accuracy: 0.9,
///     val_loss: 0.3,
///     epochs: 5,
/// };
/// let path = [point(0.0, &["a", "b", "c"]), point(1.0, &["a", "b", "c"]), point(2.0, &["a", "b"]),
///             point(3.0, &["a", "b"]), point(4.0, &["a"]), point(5.0, &[])];
/// assert_eq!(relaxed_candidates(&path), vec![2, 4]);
/// ```
pub fn relaxed_candidates(points: &[PathPoint]) -> Vec<usize> {
    let Some(dense) = points.first() else { return Vec::new() };
    let mut seen: Vec<&Vec<String>> = vec![&dense.selected_groups];
    let mut out = Vec::new();
    for (i, p) in points.iter().enumerate().skip(1) {
        if !p.selected_groups.is_empty() && !seen.contains(&&p.selected_groups) {
            seen.push(&p.selected_groups);
            out.push(i);
        }
    }
    // Stable: equal sizes stay in λ order.
    out.sort_by_key(|&i| std::cmp::Reverse(points[i].selected_groups.len()));
    out
}

/// The relaxed lasso's choice of support (see the module docs): bisection
/// over [`relaxed_candidates`] with `refit(point) → (refit, validation
/// score)`, against the dense fit's validation score `dense_score`.
pub fn choose_relaxed<E>(
    points: &[PathPoint],
    dense_score: f64,
    refit: &mut dyn FnMut(usize) -> Result<(Fitted, f64), E>,
) -> Result<RelaxedChoice, E> {
    let candidates = relaxed_candidates(points);
    let mut best = dense_score;
    let mut tried: Vec<(usize, f64, Fitted)> = Vec::new();
    let (mut lo, mut hi) = (0, candidates.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        let (fitted, score) = refit(candidates[mid])?;
        best = best.max(score);
        let as_good = score >= best - AUC_SLACK;
        tried.push((mid, score, fitted));
        if as_good {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    let probes = tried
        .iter()
        .map(|(c, score, f)| RelaxedProbe {
            lambda: points[candidates[*c]].lambda,
            groups_kept: points[candidates[*c]].selected_groups.len(),
            val_score: *score,
            epochs: f.epochs_run,
        })
        .collect();
    // The sparsest refit as good as the best seen; none: the dense fit.
    let chosen = tried.into_iter().filter(|(_, score, _)| *score >= best - AUC_SLACK).max_by_key(|(c, _, _)| *c);
    Ok(match chosen {
        Some((c, _, fitted)) => RelaxedChoice { point: Some(candidates[c]), refit: Some(fitted), probes },
        None => RelaxedChoice { point: None, refit: None, probes },
    })
}
