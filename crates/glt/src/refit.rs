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
//! The refit model is kept when its validation score (ROC-AUC, or accuracy
//! for multi-class) is at least the penalised model's; either way the
//! report records both, on validation and on the held-out test rows
//! ([`RefitReport`]). The refit never keeps a group the path dropped.

use glassbox_autodiff::Tensor;
use serde::{Deserialize, Serialize};

use crate::examples::Examples;
use crate::fit::Problem;
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
