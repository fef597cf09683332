//! glassbox-glt: the Group Lasso Transformer (SPEC §3) on glassbox-autodiff:
//! layers, the model, group-lasso training with exact zeros, data loading,
//! metrics and model files.
//!
//! - [`Glt`]: the architecture; [`layers`] its parts; [`params`] their
//!   named tensors; [`scaler::Scaler`] the stored standardisation.
//! - [`group_lasso::GroupLasso`]: penalty and proximal step;
//!   [`optim::AdamW`]; [`train`] the mini-batch loop; [`lambda_path`] the
//!   `--lambda auto` path; [`training::train`] the whole run.
//! - [`attribution_eval`]: rankings, top-k retraining, deletion curves and
//!   agreement (`explain evaluate`).
//! - [`data`]: CSV, globs, groups files, windows, splits; [`metrics`];
//!   [`model_file::Model`]: the trained model and its file.

pub mod attribution_eval;
mod config;
pub mod data;
mod error;
pub mod evaluate;
pub mod examples;
pub mod explain;
pub mod group_lasso;
pub mod lambda_path;
pub mod layers;
pub mod metrics;
mod model;
pub mod model_file;
pub mod optim;
pub mod params;
pub mod report;
pub mod scaler;
pub mod train;
pub mod training;

pub use config::{GltConfig, InputMode};
pub use error::GltError;
pub use model::Glt;
pub use model_file::Model;
