//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong in glassbox-glt, each with one clear line.
#[derive(Debug, thiserror::Error)]
pub enum GltError {
    /// Invalid hyper-parameters.
    #[error("invalid model configuration: {0}")]
    Config(String),
    /// Data that cannot be used.
    #[error(transparent)]
    Data(#[from] crate::data::DataError),
    /// Input whose shape does not fit the model.
    #[error("{0}")]
    Shape(String),
    /// Training could not proceed.
    #[error("training failed: {0}")]
    Training(String),
    /// Writing a file failed (the message names the file).
    #[error("{0}")]
    Write(std::io::Error),
    /// Reading or writing a model file failed.
    #[error("{path}: {message}")]
    ModelFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}
