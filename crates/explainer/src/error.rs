//! The crate's error type: lower errors wrapped, plus bad requests.

/// Everything that can go wrong while explaining, each one clear line.
#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    /// The model or its inputs.
    #[error(transparent)]
    Model(#[from] glassbox_glt::GltError),
    /// Loading the table.
    #[error(transparent)]
    Data(#[from] glassbox_data::DataError),
    /// Integrated Gradients itself.
    #[error(transparent)]
    Ig(#[from] glassbox_ig::IgError),
    /// Drawing a chart.
    #[error(transparent)]
    Plot(#[from] glassbox_plot::PlotError),
    /// Encoding results.
    #[error("{0}")]
    Encode(String),
    /// A request that cannot be served (the message names the option, as
    /// the command line spells it).
    #[error("{0}")]
    Request(String),
    /// An integration setting that cannot be used, by its name
    /// (`method`, `steps`, `tolerance`, `max_evaluations`, `output`,
    /// `precision`; the command line shows it as `--max-evaluations`, …).
    #[error("{setting} {message}")]
    Setting {
        /// The setting's name.
        setting: &'static str,
        /// What is wrong with its value (one line).
        message: String,
    },
}

pub(crate) fn request<T>(message: impl Into<String>) -> Result<T, ExplainError> {
    Err(ExplainError::Request(message.into()))
}
