//! glassbox-glt: the Group Lasso Transformer (SPEC §3) on glassbox-autodiff:
//! layers, the model, group-lasso training with exact zeros, data loading,
//! metrics and model files.

mod config;
pub mod data;
mod error;
pub mod group_lasso;
pub mod layers;
pub mod metrics;
mod model;
pub mod optim;
pub mod params;
pub mod scaler;

pub use config::{GltConfig, InputMode};
pub use error::GltError;
pub use model::Glt;
