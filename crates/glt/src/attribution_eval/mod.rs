//! Which attribution explains best? The measurements of `explain evaluate`
//! (after Bardhan et al., "Constructing sensible baselines for Integrated
//! Gradients", and OpenXAI's agreement metrics):
//!
//! - [`ranking`]: a global ranking of the features from mean |IG| over
//!   explained rows, and a seeded random ranking as the control;
//! - [`retrain`]: ROAR-style top-k retraining: the model's own
//!   hyper-parameters and seed on the top-k features of a ranking, scored on
//!   the held-out split (accuracy, ROC-AUC, weighted significance Z);
//! - [`deletion`]: deletion curves without retraining: replace each row's
//!   top-k features by the baseline's values and record the drop of the
//!   explained output;
//! - [`agreement`]: feature and rank agreement of two top-k lists (e.g. an
//!   attribution ranking against a generator's ground truth).

pub mod agreement;
pub mod deletion;
pub mod ranking;
pub mod retrain;

pub use agreement::{feature_agreement, rank_agreement};
pub use deletion::{curve_area, deletion_curve, random_orders, row_orders};
pub use ranking::{mean_abs, random_ranking, rank_by_importance};
pub use retrain::{distinct_subsets, TopKRetrainer, TopKScore};
