//! glassbox-evaluation: which attribution explains best? The measurements
//! of `explain evaluate`, as a library (after Bardhan et al., "Constructing sensible baselines for Integrated
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

//!
//! [`evaluate`] runs them all on a model and its table ([`EvaluationRequest`]
//! → [`Evaluation`], progress through [`Progress`]); [`BaselineRun`] is one
//! baseline's attributions, [`deletion_curves`] and [`retrain_top_k`] the
//! measurements over all of them, [`Truth`] the generator's importance;
//! [`Evaluation::to_json`], [`Evaluation::to_csv`] and [`Evaluation::write`]
//! the result files.

pub mod agreement;
mod baseline_run;
pub mod deletion;
mod error;
mod evaluate;
mod files;
mod measure;
pub mod ranking;
mod results;
pub mod retrain;
mod truth;

pub use agreement::{feature_agreement, rank_agreement};
pub use baseline_run::BaselineRun;
pub use deletion::{curve_area, deletion_curve, random_orders, row_orders};
pub use error::EvaluationError;
pub use evaluate::{evaluate, evaluate_table, extra_columns, EvaluationRequest, Phase, Progress, Silent};
pub use measure::{deletion_curves, retrain_top_k};
pub use ranking::{random_ranking, rank_by_importance};
pub use results::{
    AgreementPoint, Deletion, Evaluation, RankingResult, RetrainPoint, Retraining, Summary, Timing, TruthAgreement,
};
pub use retrain::{distinct_subsets, TopKRetrainer, TopKScore};
pub use truth::Truth;

/// Attribution baselines compared, in report order.
pub const BASELINES: [&str; 4] = ["zero", "mean", "background", "weighted"];
/// Name of the control ranking.
pub const RANDOM: &str = "random";
