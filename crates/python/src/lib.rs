//! `glassbox._native`: the compiled core of the Python package — a thin
//! pyo3 layer over the Rust crates (glassbox-glt's model and training,
//! glassbox-explainer's explain pipeline, glassbox-evaluation). The Python
//! layer (`python/glassbox`) gives it scikit-learn's and Captum's shapes.
//!
//! Every long call releases the GIL and runs on a local thread pool
//! ([`threads::run`]); every error is a Python exception with the CLI's
//! one-line message ([`errors`]); no panic crosses into Python.

mod convert;
mod errors;
mod explain;
mod fit;
mod model;
mod threads;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("ModelFileError", m.py().get_type::<errors::ModelFileError>())?;
    m.add_class::<model::PyModel>()?;
    m.add_function(wrap_pyfunction!(fit::fit, m)?)?;
    m.add_function(wrap_pyfunction!(convert::read_table, m)?)?;
    m.add_function(wrap_pyfunction!(explain::row_chart, m)?)?;
    Ok(())
}
