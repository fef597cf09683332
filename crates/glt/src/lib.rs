//! glassbox-glt: the Group Lasso Transformer (SPEC §3) on glassbox-autodiff:
//! layers, the model, group-lasso training with exact zeros, metrics and
//! model files. Data loading is [`glassbox_data`] (re-exported as [`data`]).
//!
//! - [`Glt`] ([`architecture`]): the architecture; [`layers`] its parts;
//!   [`params`] their named tensors; [`scaler::Scaler`] the stored
//!   standardisation.
//! - [`group_lasso::GroupLasso`]: penalty and proximal step;
//!   [`optim::AdamW`]; [`fit`] the mini-batch loop ([`fit::Problem::fit`]);
//!   [`lambda_path`] the `--lambda auto` path; [`refit`] the relaxed refit
//!   on the chosen support; [`train::train`] the whole run.
//! - [`scoring`]: validation scores, the tuned threshold and held-out
//!   metrics; [`metrics`] the measures themselves; [`report`] what a run
//!   records.
//! - [`Model`] ([`model`]): the trained model, its inputs
//!   ([`inputs::ModelInputs`], one preparation path for training and use),
//!   probabilities and logits; [`model_file`] its byte format.

pub mod architecture;
pub mod checkpoint;
mod config;
mod error;
pub mod examples;
pub mod fit;
pub mod footprint;
pub mod group_lasso;
pub mod inputs;
pub mod lambda_path;
pub mod layers;
pub mod metrics;
pub mod model;
mod model_check;
pub mod model_file;
pub mod optim;
pub mod params;
pub mod refit;
pub mod report;
mod safetensors_export;
pub mod scaler;
pub mod scoring;
pub mod sizing;
pub mod train;

pub use architecture::Glt;
pub use config::{GltConfig, InputMode, MAX_BLOCKS, MAX_CLASSES, MAX_D_FF, MAX_D_MODEL, MAX_FEATURES, MAX_WINDOW};
pub use error::GltError;
pub use glassbox_data as data;
pub use inputs::ModelInputs;
pub use model::Model;
