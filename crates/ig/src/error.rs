//! The crate's error type.

/// What can go wrong when explaining.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IgError {
    /// A step count the method cannot use.
    #[error("{0}")]
    Steps(String),
    /// Invalid settings (target class, budget, tolerance...).
    #[error("{0}")]
    Config(String),
    /// Inputs or baselines of the wrong shape.
    #[error("{0}")]
    Shape(String),
    /// Baselines that cannot be drawn (empty reference set, bad weights).
    #[error("{0}")]
    Baseline(String),
    /// `F` or its gradient is not finite somewhere on a path (the adaptive
    /// engine refuses to call such a row converged).
    #[error("{0}")]
    NonFinite(String),
}
