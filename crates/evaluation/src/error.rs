//! The crate's error type.

/// Everything that can go wrong in an evaluation, each one clear line
/// (with its cause chain).
#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    /// Explaining under one baseline failed.
    #[error("{name} baseline")]
    Baseline {
        /// The baseline.
        name: String,
        /// Why.
        #[source]
        source: Box<glassbox_explainer::ExplainError>,
    },
    /// Loading the table, baselines or explaining.
    #[error(transparent)]
    Explain(#[from] glassbox_explainer::ExplainError),
    /// Retraining on a feature subset failed.
    #[error("top-k retraining")]
    Retraining(#[source] glassbox_glt::GltError),
    /// The model or its split.
    #[error(transparent)]
    Model(#[from] glassbox_glt::GltError),
    /// Writing the result files.
    #[error("{0}")]
    Write(std::io::Error),
    /// Encoding the result files.
    #[error("{0}")]
    Encode(String),
    /// A request that cannot be served (the message names the option).
    #[error("{0}")]
    Request(String),
}

pub(crate) fn request<T>(message: impl Into<String>) -> Result<T, EvaluationError> {
    Err(EvaluationError::Request(message.into()))
}
