//! `_native.Model`: a trained GLT (the contents of a `.glt` file) with the
//! calls the Python layer builds on — files, names, inputs from a table,
//! probabilities, and (in `explain.rs`) attributions and evaluation.

use std::path::PathBuf;
use std::sync::Arc;

use glassbox_explainer::{feature_labels, predicted_class, target_class, threshold, Table};
use glassbox_glt::inputs::check_rows;
use glassbox_glt::{Model, ModelInputs};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyArrayDyn, PyReadonlyArray2, PyReadonlyArrayDyn};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

use crate::convert::{array, columns, shaped};
use crate::errors::Failure;
use crate::{explain, threads};

/// A trained Group Lasso Transformer.
#[pyclass(name = "Model", module = "glassbox._native", frozen)]
pub struct PyModel {
    /// The model (shared with calls running without the GIL).
    pub inner: Arc<Model>,
}

impl PyModel {
    /// Wraps a model.
    pub fn new(model: Model) -> Self {
        PyModel { inner: Arc::new(model) }
    }
}

/// `(x, missing)` as numpy arrays of the inputs' shape.
type Inputs<'py> = (Bound<'py, PyArrayDyn<f64>>, Bound<'py, PyArrayDyn<bool>>);

fn inputs_to_numpy(py: Python<'_>, inputs: ModelInputs) -> PyResult<Inputs<'_>> {
    let shape = inputs.x.shape().to_vec();
    Ok((inputs.x.into_pyarray(py), shaped(py, &shape, inputs.missing)?))
}

#[pymethods]
impl PyModel {
    /// Reads a `.glt` file (FileNotFoundError, ModelFileError).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        if let Err(e) = std::fs::metadata(&path) {
            if e.kind() == std::io::ErrorKind::NotFound {
                return Err(Failure::NotFound(format!("{}: no such model file", path.display())).into());
            }
        }
        let model = py.detach(|| Model::load(&path)).map_err(Failure::from)?;
        Ok(PyModel::new(model))
    }

    /// Parses a model file's bytes; `name` names them in errors.
    #[staticmethod]
    fn from_bytes(py: Python<'_>, data: Vec<u8>, name: &str) -> PyResult<Self> {
        let path = PathBuf::from(name);
        let model = py.detach(|| Model::from_bytes(&data, &path)).map_err(Failure::from)?;
        Ok(PyModel::new(model))
    }

    /// The `.glt` bytes (what `train` writes).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.inner.to_bytes().map_err(Failure::from)?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// Writes the `.glt` file atomically.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let model = Arc::clone(&self.inner);
        py.detach(move || model.save(&path)).map_err(|e| Failure::from(e).into())
    }

    /// Writes the safetensors export (PyTorch conventions).
    fn to_safetensors(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let model = Arc::clone(&self.inner);
        py.detach(move || model.save_safetensors(&path)).map_err(|e| Failure::from(e).into())
    }

    #[getter]
    fn feature_names(&self) -> Vec<String> {
        self.inner.feature_names.clone()
    }

    /// One name per attribution cell (`f@t-1`, … in sequence mode).
    #[getter]
    fn labels(&self) -> Vec<String> {
        feature_labels(&self.inner)
    }

    #[getter]
    fn class_names(&self) -> Vec<String> {
        self.inner.class_names.clone()
    }

    #[getter]
    fn group_names(&self) -> Vec<String> {
        self.inner.groups.names.clone()
    }

    #[getter]
    fn group_members(&self) -> Vec<Vec<usize>> {
        self.inner.groups.members.clone()
    }

    /// The id columns the model was trained with.
    #[getter]
    fn id_columns(&self) -> Vec<String> {
        self.inner.report.config.ids.clone()
    }

    #[getter]
    fn row_shape(&self) -> Vec<usize> {
        self.inner.glt.row_shape()
    }

    /// The training report (SPEC §6 JSON).
    #[getter]
    fn report_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner.report).map_err(|e| Failure::value(e.to_string()).into())
    }

    /// A class by name or index, as `explain --target`.
    fn target_class(&self, target: &str) -> PyResult<usize> {
        target_class(&self.inner, Some(target)).map_err(|e| Failure::from(e).into())
    }

    /// Model inputs of a table's rows: `(x [N, ..row] imputed, missing mask)`.
    fn inputs<'py>(&self, py: Python<'py>, names: Vec<String>, cols: &Bound<'py, PyList>) -> PyResult<Inputs<'py>> {
        let cols = columns(cols)?;
        let model = Arc::clone(&self.inner);
        let table = py
            .detach(move || Table::from_columns(&model, "<table>".as_ref(), &names, &cols, &[], &[]))
            .map_err(Failure::from)?;
        inputs_to_numpy(py, table.inputs)
    }

    /// Raw rows `[N, ..row]` (NaN = missing): `(imputed rows, missing mask)`.
    fn rows<'py>(&self, py: Python<'py>, x: PyReadonlyArrayDyn<'py, f64>) -> PyResult<Inputs<'py>> {
        let x = array(&x);
        check_rows(x.shape(), &self.inner.glt.row_shape()).map_err(Failure::from)?;
        inputs_to_numpy(py, ModelInputs::impute(x, &self.inner.scaler))
    }

    /// Class probabilities `[N, C]` of model rows.
    #[pyo3(signature = (x, n_threads=None))]
    fn predict_proba<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArrayDyn<'py, f64>,
        n_threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyArray2<f64>>> {
        let x = array(&x);
        let model = Arc::clone(&self.inner);
        let p = threads::run(py, n_threads, move || Ok(model.probabilities(&x)?))?;
        Ok(p.into_pyarray(py))
    }

    /// Predicted class index per row (binary: at the validation-tuned threshold).
    fn predicted_class<'py>(
        &self,
        py: Python<'py>,
        probabilities: PyReadonlyArray2<'py, f64>,
    ) -> Bound<'py, PyArray1<i64>> {
        let t = threshold(&self.inner);
        let p = probabilities.as_array();
        let v: Vec<i64> = p.rows().into_iter().map(|r| predicted_class(&r.to_vec(), t) as i64).collect();
        v.into_pyarray(py)
    }

    /// Integrated Gradients of model rows (see `explain.rs`).
    #[pyo3(signature = (x, missing, baseline, settings, n_threads=None))]
    fn explain<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArrayDyn<'py, f64>,
        missing: PyReadonlyArrayDyn<'py, bool>,
        baseline: &Bound<'py, PyDict>,
        settings: &Bound<'py, PyDict>,
        n_threads: Option<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        explain::explain(py, &self.inner, x, missing, baseline, settings, n_threads)
    }

    /// Every class in one shared pass (`target="all"`): one result per
    /// class, in class order (see `explain.rs`).
    #[pyo3(signature = (x, missing, baseline, settings, n_threads=None))]
    fn explain_all<'py>(
        &self,
        py: Python<'py>,
        x: PyReadonlyArrayDyn<'py, f64>,
        missing: PyReadonlyArrayDyn<'py, bool>,
        baseline: &Bound<'py, PyDict>,
        settings: &Bound<'py, PyDict>,
        n_threads: Option<usize>,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        explain::explain_all(py, &self.inner, x, missing, baseline, settings, n_threads)
    }

    /// The baseline rows `[K, ..row]` a baseline spec resolves to (the
    /// seeded draws done): what Spark ships to its tasks.
    fn baseline_rows<'py>(&self, py: Python<'py>, spec: &Bound<'py, PyDict>) -> PyResult<Bound<'py, PyArrayDyn<f64>>> {
        let b = explain::baseline(&self.inner, spec)?;
        let rows = b.resolve(&self.inner.glt.row_shape()).map_err(Failure::from)?;
        Ok(rows.into_pyarray(py))
    }

    /// Global importance of attributions `[N, ..row]` with predicted classes.
    fn global_importance<'py>(
        &self,
        py: Python<'py>,
        values: PyReadonlyArrayDyn<'py, f64>,
        predicted: Vec<usize>,
    ) -> PyResult<Bound<'py, PyDict>> {
        explain::global_importance(py, &self.inner, values, predicted)
    }

    /// `explain evaluate` on a table; returns `evaluation.json`'s text.
    #[pyo3(signature = (names, cols, settings_json, n_threads=None))]
    fn evaluate(
        &self,
        py: Python<'_>,
        names: Vec<String>,
        cols: &Bound<'_, PyList>,
        settings_json: &str,
        n_threads: Option<usize>,
    ) -> PyResult<String> {
        explain::evaluate(py, &self.inner, names, columns(cols)?, settings_json, n_threads)
    }
}
