//! The training report (SPEC §6 `train --report`), also stored in the
//! model file and printed by `inspect`.

use serde::{Deserialize, Serialize};

use crate::fit::FitOptions;
use crate::lambda_path::{PathOptions, PathPoint};
use crate::metrics::Metrics;
use crate::refit::RefitReport;
use crate::GltConfig;

/// One feature group after training.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupReport {
    /// Group name.
    pub name: String,
    /// Its features.
    pub features: Vec<String>,
    /// `‖W_g‖_F` of its tokenizer rows.
    pub norm: f64,
    /// Whether the rows are non-zero (the features are used).
    pub selected: bool,
}

/// How the model was trained.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingConfig {
    /// Architecture.
    pub model: GltConfig,
    /// Optimisation.
    pub fit: FitOptions,
    /// `"auto"` or the fixed λ.
    pub lambda_mode: String,
    /// The λ path's layout (auto mode).
    pub path: PathOptions,
    /// Whether classes were weighted `N / (C·N_c)`.
    pub balanced_class_weights: bool,
    /// Whether a penalised choice was refit with λ = 0 on its support.
    #[serde(default)]
    pub refit: bool,
    /// Column whose values were kept within one split, if any.
    pub split_by: Option<String>,
    /// Rows in train / validation / test.
    pub split_rows: [usize; 3],
    /// Label column.
    pub label: String,
    /// Id columns (carried into explanations by default).
    #[serde(default)]
    pub ids: Vec<String>,
    /// Sequence mode: the entity column.
    #[serde(default)]
    pub sequence_by: Option<String>,
    /// Sequence mode: the order column.
    #[serde(default)]
    pub order_by: Option<String>,
}

/// Everything a user needs to judge a trained model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingReport {
    /// Held-out (test split) metrics: nothing was tuned on them.
    pub metrics: Metrics,
    /// Features whose group survived the lasso.
    pub selected_features: Vec<String>,
    /// Features whose group is exactly zero.
    pub dropped_features: Vec<String>,
    /// Every group with its norm.
    pub groups: Vec<GroupReport>,
    /// The λ of the kept model.
    pub lambda: f64,
    /// The λ path (auto mode; empty otherwise).
    pub path: Vec<PathPoint>,
    /// λ_max of the path (auto mode).
    pub lambda_max: Option<f64>,
    /// Validation metrics of the kept model.
    pub validation: Metrics,
    /// Training-set missing cells per feature.
    pub missing: Vec<usize>,
    /// Epochs run per fit: the dense (or fixed-λ) fit, each λ-path point
    /// by increasing λ, then the refits (in the order run).
    pub epochs_run: Vec<usize>,
    /// The relaxed refit: both models' scores, and which was kept.
    #[serde(default)]
    pub refit: Option<RefitReport>,
    /// With `--lambda auto`: the supports the relaxed choice refit, in the
    /// order run ([`crate::refit::choose_relaxed`]).
    #[serde(default)]
    pub relaxed: Vec<crate::refit::RelaxedProbe>,
    /// Training settings.
    pub config: TrainingConfig,
    /// The seed.
    pub seed: u64,
}
