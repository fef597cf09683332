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
    /// `F`, its gradient or an attribution is not finite (no row with a
    /// non-finite value is ever reported, converged or not).
    #[error("{what} is not finite{}; the model overflows on this input (check its values and the baseline)", row.map(|r| format!(" on row {r}")).unwrap_or_default())]
    NonFinite {
        /// What is not finite (`F(x)`, `F at a baseline`, `an attribution`, …).
        what: String,
        /// The row (from 0, in the rows passed to `explain`), when one row is at fault.
        row: Option<usize>,
    },
}

impl IgError {
    /// The same error with its row renumbered by `map` (callers that
    /// explain a slice of their rows report their own row numbers).
    pub fn map_row(self, map: impl FnOnce(usize) -> usize) -> Self {
        match self {
            IgError::NonFinite { what, row } => IgError::NonFinite { what, row: row.map(map) },
            other => other,
        }
    }
}
