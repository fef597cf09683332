//! glassbox-glt: the Group Lasso Transformer (SPEC §3) on glassbox-autodiff:
//! layers, the model, group-lasso training with exact zeros, data loading,
//! metrics and model files.

pub mod data;
pub mod metrics;
