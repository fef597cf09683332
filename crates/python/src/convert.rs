//! Between Python values and the Rust crates' types: table columns (numpy
//! float64 arrays or lists of `str`/`None`), n-d arrays, and the crates'
//! errors classified as [`Failure`]s.

use std::path::Path;

use glassbox_data::{read_csv_columns, Column, DataError};
use glassbox_evaluation::EvaluationError;
use glassbox_explainer::ExplainError;
use glassbox_glt::GltError;
use ndarray::{ArrayD, IxDyn};
use numpy::{IntoPyArray, PyArrayDyn, PyReadonlyArray1, PyReadonlyArrayDyn};
use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::errors::{one_line, Failure};

/// Python table columns → [`Column`]s.
pub fn columns(list: &Bound<'_, PyList>) -> PyResult<Vec<Column>> {
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            if let Ok(a) = item.extract::<PyReadonlyArray1<'_, f64>>() {
                return Ok(Column::Numbers(a.as_array().to_vec()));
            }
            item.extract::<Vec<Option<String>>>().map(Column::Text).map_err(|_| {
                Failure::value(format!("column {i}: expected a float64 array or a list of str/None")).into()
            })
        })
        .collect()
}

/// A numpy array (any shape) → an owned f64 array.
pub fn array(a: &PyReadonlyArrayDyn<'_, f64>) -> ArrayD<f64> {
    a.as_array().to_owned()
}

/// An owned array → numpy.
pub fn to_numpy<'py, T: numpy::Element>(py: Python<'py>, a: ArrayD<T>) -> Bound<'py, PyArrayDyn<T>> {
    a.into_pyarray(py)
}

/// A flat vector with `shape` → numpy.
pub fn shaped<'py, T: numpy::Element>(
    py: Python<'py>,
    shape: &[usize],
    v: Vec<T>,
) -> PyResult<Bound<'py, PyArrayDyn<T>>> {
    let a =
        ArrayD::from_shape_vec(IxDyn(shape), v).map_err(|e| Failure::value(format!("internal shape error: {e}")))?;
    Ok(to_numpy(py, a))
}

fn data(e: &DataError) -> Failure {
    match e {
        DataError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => Failure::NotFound(one_line(e)),
        _ => Failure::Value(one_line(e)),
    }
}

fn glt(e: &GltError) -> Failure {
    match e {
        GltError::Data(d) => data(d),
        GltError::ModelFile { .. } => Failure::ModelFile(one_line(e)),
        _ => Failure::Value(one_line(e)),
    }
}

impl From<DataError> for Failure {
    fn from(e: DataError) -> Self {
        data(&e)
    }
}

impl From<GltError> for Failure {
    fn from(e: GltError) -> Self {
        glt(&e)
    }
}

impl From<ExplainError> for Failure {
    fn from(e: ExplainError) -> Self {
        match &e {
            ExplainError::Model(g) => glt(g),
            ExplainError::Data(d) => data(d),
            _ => Failure::Value(one_line(&e)),
        }
    }
}

impl From<glassbox_ig::IgError> for Failure {
    fn from(e: glassbox_ig::IgError) -> Self {
        Failure::Value(one_line(&e))
    }
}

impl From<EvaluationError> for Failure {
    fn from(e: EvaluationError) -> Self {
        match &e {
            EvaluationError::Model(g) => glt(g),
            EvaluationError::Explain(x) => match x {
                ExplainError::Model(g) => glt(g),
                ExplainError::Data(d) => data(d),
                _ => Failure::Value(one_line(&e)),
            },
            _ => Failure::Value(one_line(&e)),
        }
    }
}

/// `glassbox.read_csv`'s core: a CSV file as named columns, read by the
/// CLI's own reader (numbers where every present cell is one).
#[pyfunction]
pub fn read_table<'py>(py: Python<'py>, path: std::path::PathBuf) -> PyResult<(Vec<String>, Bound<'py, PyList>)> {
    let (names, cols) = py.detach(|| read_csv_columns(Path::new(&path))).map_err(Failure::from)?;
    let list = PyList::empty(py);
    for c in cols {
        match c {
            Column::Numbers(v) => list.append(v.into_pyarray(py))?,
            Column::Text(v) => list.append(v)?,
        }
    }
    Ok((names, list))
}
