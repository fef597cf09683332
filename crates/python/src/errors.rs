//! Rust errors as Python exceptions, with the CLI's one-line message:
//! `FileNotFoundError` for a missing file, `glassbox.ModelFileError` for a
//! corrupted, truncated or foreign model file, `ValueError` for every other
//! bad input. A panic never crosses into Python: [`guarded`] turns it into
//! a `RuntimeError` naming it as a bug.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::exceptions::{PyFileNotFoundError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;

pyo3::create_exception!(
    _native,
    ModelFileError,
    PyValueError,
    "A model file that is not a glassbox model, or is corrupted, truncated or of an unknown version."
);

/// What went wrong, classified for Python.
#[derive(Debug)]
pub enum Failure {
    /// A file that does not exist.
    NotFound(String),
    /// A model file that cannot be read as a model.
    ModelFile(String),
    /// Any other bad input.
    Value(String),
}

impl Failure {
    /// A `ValueError` with this message.
    pub fn value(message: impl Into<String>) -> Self {
        Failure::Value(message.into())
    }
}

impl From<Failure> for PyErr {
    fn from(f: Failure) -> PyErr {
        match f {
            Failure::NotFound(m) => PyFileNotFoundError::new_err(m),
            Failure::ModelFile(m) => ModelFileError::new_err(m),
            Failure::Value(m) => PyValueError::new_err(m),
        }
    }
}

/// One line: the error and its causes, as the CLI prints them.
pub fn one_line(e: &dyn std::error::Error) -> String {
    let mut line = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        source = s.source();
    }
    line.replace('\n', " ")
}

/// Runs `f`, turning a panic into a `RuntimeError` (never a Python-level
/// `PanicException`).
pub fn guarded<T>(f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(PyRuntimeError::new_err(format!("internal error in glassbox (please report it): {what}")))
        }
    }
}
