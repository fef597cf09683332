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
    /// A finite input value that f32, the model's precision, cannot hold.
    #[error("{}row {row}, column {column:?}: {value:e} is beyond the ±3.4e38 range of the model's f32 (as it is, or standardised by the training mean and spread); rescale the column (for example to other units)", table_prefix(table))]
    OutOfRange {
        /// The table the row came from, when known.
        table: Option<PathBuf>,
        /// The row (from 0, as `--rows` counts).
        row: usize,
        /// The feature.
        column: String,
        /// The value.
        value: f64,
    },
    /// A training checkpoint that cannot be used or written.
    #[error("--checkpoint {}: {message}", path.display())]
    Checkpoint {
        /// The folder or file.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// Reading or writing a model file failed.
    #[error("{path}: {message}")]
    ModelFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}

/// An I/O error's text without the OS error number ("Is a directory", not
/// "Is a directory (os error 21)"), for messages that name the file.
pub(crate) fn io_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn table_prefix(table: &Option<PathBuf>) -> String {
    table.as_ref().map(|p| format!("{}: ", p.display())).unwrap_or_default()
}
