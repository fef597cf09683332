//! The one error type of this crate.

use std::path::PathBuf;

/// Why a chart could not be drawn or written. Every message is one line.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// Nothing to draw (no bars, no series, no points, no panels).
    #[error("nothing to plot: {0} is empty")]
    Empty(String),
    /// `labels` and `values` (or a panel's) differ in length.
    #[error("{what}: {labels} labels but {values} values")]
    LengthMismatch {
        /// Which input (e.g. `bars`, `panel "zero"`).
        what: String,
        /// Number of labels.
        labels: usize,
        /// Number of values.
        values: usize,
    },
    /// A value is NaN or infinite.
    #[error("{what} #{index} is {value}: charts need finite numbers")]
    NonFinite {
        /// Which input (e.g. `bar value`, `series "mean" point`).
        what: String,
        /// Position of the bad value in its input (from 0).
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// A value so large that the axis range around it would overflow.
    #[error("{what} #{index} is {value:e}: charts need magnitudes up to 1e300")]
    OutOfRange {
        /// Which input (e.g. `bar value`, `series "mean" point x`).
        what: String,
        /// Position of the bad value in its input (from 0).
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// The path's extension is neither `.png` nor `.svg`.
    #[error("cannot write chart {}: unsupported file type (use .png or .svg)", .path.display())]
    UnsupportedFormat {
        /// The requested output path.
        path: PathBuf,
    },
    /// Creating, writing or renaming the output file failed.
    #[error("cannot write chart {}: {source}", .path.display())]
    Io {
        /// The requested output path.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The embedded font could not be registered with plotters.
    #[error("embedded chart font (DejaVu Sans) could not be loaded")]
    Font,
    /// plotters reported an error while drawing.
    #[error("cannot draw chart {}: {message}", .path.display())]
    Draw {
        /// The requested output path.
        path: PathBuf,
        /// plotters' message, flattened to one line.
        message: String,
    },
}
