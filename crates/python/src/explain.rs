//! Attributions, global importance, charts and the evaluation for Python:
//! settings dicts → the library's request types, results → numpy arrays.
//! The numbers are the explainer crate's, so they equal the CLI's bit for bit.

use std::path::PathBuf;

use glassbox_evaluation::{evaluate_table, extra_columns, EvaluationRequest, Silent, Truth};
use glassbox_explainer::{attribution_chart, png_bytes, GlobalImportance, Parts, RowResult, Table, ROWS_PER_PART};
use glassbox_glt::inputs::check_rows;
use glassbox_glt::{Model, ModelInputs};
use glassbox_ig::{Baseline, IgConfig};
use numpy::{IntoPyArray, PyReadonlyArrayDyn};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde_json::Value;

use crate::convert::{array, shaped};
use crate::errors::Failure;
use crate::threads;

fn item<'py, T: for<'a> FromPyObject<'a, 'py>>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<T>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => {
            v.extract().map(Some).map_err(|_| Failure::value(format!("{key}: {v} has the wrong type")).into())
        }
        _ => Ok(None),
    }
}

/// Quadrature, tolerance, target, output and precision from the explainer's
/// settings: the CLI's own [`glassbox_explainer::ig_config`], with the
/// tolerance as Python passes it (`rel` or `(rel, abs)`).
pub fn ig_config(
    method: &str,
    steps: usize,
    tolerance: Option<Vec<f64>>,
    max_evaluations: Option<usize>,
    output: &str,
    precision: &str,
) -> Result<IgConfig, Failure> {
    let tolerance = match tolerance.as_deref() {
        None => None,
        Some([rel]) => Some((*rel, None)),
        Some([rel, abs]) => Some((*rel, Some(*abs))),
        Some(t) => return Err(Failure::value(format!("tolerance takes rel or (rel, abs), not {} numbers", t.len()))),
    };
    glassbox_explainer::ig_config(method, steps, tolerance, max_evaluations, output, precision)
        .map_err(|e| Failure::value(e.to_string()))
}

fn settings_config(s: &Bound<'_, PyDict>) -> PyResult<IgConfig> {
    let method: String = item(s, "method")?.unwrap_or_else(|| "adaptive".into());
    let output: String = item(s, "output")?.unwrap_or_else(|| "probability".into());
    let precision: String = item(s, "precision")?.unwrap_or_else(|| "auto".into());
    let mut cfg = ig_config(
        &method,
        item(s, "steps")?.unwrap_or(50),
        item(s, "tolerance")?,
        item(s, "max_evaluations")?,
        &output,
        &precision,
    )?;
    cfg.target = item(s, "target")?.unwrap_or(1);
    Ok(cfg)
}

fn rows_of(model: &Model, d: &Bound<'_, PyDict>, key: &str) -> PyResult<ndarray::ArrayD<f64>> {
    let a: PyReadonlyArrayDyn<'_, f64> =
        item(d, key)?.ok_or_else(|| Failure::value(format!("baseline: no '{key}' rows")))?;
    let a = array(&a);
    check_rows(a.shape(), &model.glt.row_shape()).map_err(Failure::from)?;
    Ok(ModelInputs::impute(a, &model.scaler).x)
}

/// A baseline spec dict (`kind`, rows, reference, weights, count, seed) → an ig [`Baseline`].
pub fn baseline(model: &Model, d: &Bound<'_, PyDict>) -> PyResult<Baseline> {
    let kind: String = item(d, "kind")?.unwrap_or_else(|| "zero".into());
    let count = || -> PyResult<usize> { Ok(item(d, "count")?.unwrap_or(10)) };
    let seed = || -> PyResult<u64> { Ok(item(d, "seed")?.unwrap_or(0)) };
    Ok(match kind.as_str() {
        "zero" => Baseline::Zero,
        "mean" => Baseline::Mean(model.scaler.mean.clone()),
        "rows" => Baseline::Rows(rows_of(model, d, "rows")?),
        "background" => {
            Baseline::Background { reference: rows_of(model, d, "reference")?, count: count()?, seed: seed()? }
        }
        "weighted" => Baseline::Weighted {
            reference: rows_of(model, d, "reference")?,
            weights: item(d, "weights")?.ok_or_else(|| Failure::value("baseline: no weights"))?,
            count: count()?,
            seed: seed()?,
        },
        k => {
            return Err(Failure::value(format!(
                "baselines kind '{k}' must be zero, mean, rows, background or weighted"
            ))
            .into())
        }
    })
}

/// `Model.explain`: attributions and checks of rows that are already model
/// inputs (imputed, with their missing mask).
pub fn explain<'py>(
    py: Python<'py>,
    model: &std::sync::Arc<Model>,
    x: PyReadonlyArrayDyn<'py, f64>,
    missing: PyReadonlyArrayDyn<'py, bool>,
    baseline_spec: &Bound<'py, PyDict>,
    settings: &Bound<'py, PyDict>,
    n_threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let cfg = settings_config(settings)?;
    if cfg.target >= model.class_names.len() {
        return Err(Failure::value(format!("target {} is not a class of the model", cfg.target)).into());
    }
    let classes = vec![cfg.target];
    let mut all = explain_classes(py, model, x, missing, baseline_spec, cfg, classes, n_threads)?;
    Ok(all.pop().expect("one class"))
}

/// `Model.explain_all`: every class of the model in one shared pass
/// (`target="all"`): one result dict per class, in class order, each
/// bitwise [`explain`]'s for that class.
pub fn explain_all<'py>(
    py: Python<'py>,
    model: &std::sync::Arc<Model>,
    x: PyReadonlyArrayDyn<'py, f64>,
    missing: PyReadonlyArrayDyn<'py, bool>,
    baseline_spec: &Bound<'py, PyDict>,
    settings: &Bound<'py, PyDict>,
    n_threads: Option<usize>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let cfg = settings_config(settings)?;
    let classes = (0..model.class_names.len()).collect();
    explain_classes(py, model, x, missing, baseline_spec, cfg, classes, n_threads)
}

#[allow(clippy::too_many_arguments)]
fn explain_classes<'py>(
    py: Python<'py>,
    model: &std::sync::Arc<Model>,
    x: PyReadonlyArrayDyn<'py, f64>,
    missing: PyReadonlyArrayDyn<'py, bool>,
    baseline_spec: &Bound<'py, PyDict>,
    cfg: IgConfig,
    classes: Vec<usize>,
    n_threads: Option<usize>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let base = baseline(model, baseline_spec)?;
    let x = array(&x);
    check_rows(x.shape(), &model.glt.row_shape()).map_err(Failure::from)?;
    let missing: Vec<bool> = missing.as_array().iter().copied().collect();
    if missing.len() != x.len() {
        return Err(Failure::value("the missing mask does not have the rows' shape").into());
    }
    let shape = x.shape().to_vec();
    let n_rows = shape[0];
    let inputs = ModelInputs { x, missing };
    let model = std::sync::Arc::clone(model);
    let wanted = classes.clone();
    let (rows, k) = threads::run(py, n_threads, move || {
        let mut rows = Vec::with_capacity(n_rows * wanted.len());
        let mut k = 0;
        for part in Parts::new(&model, &inputs, &base, &cfg, ROWS_PER_PART)?.targets(wanted) {
            let part = part?;
            k = part.baselines;
            rows.extend(part.rows);
        }
        Ok((rows, k))
    })?;
    classes
        .iter()
        .map(|&c| {
            let mine: Vec<&RowResult> = rows.iter().filter(|r| r.target == c).collect();
            result_dict(py, &mine, &shape, k)
        })
        .collect()
}

/// One class's results as the dict `Explanation` reads.
fn result_dict<'py>(py: Python<'py>, rows: &[&RowResult], shape: &[usize], k: usize) -> PyResult<Bound<'py, PyDict>> {
    let n = rows.len();
    let classes = rows.first().map_or(0, |r| r.probabilities.len());
    let groups = rows.first().map_or(0, |r| r.groups.len());
    let out = PyDict::new(py);
    let flat = |f: &dyn Fn(&RowResult) -> Vec<f64>| rows.iter().flat_map(|r| f(r)).collect::<Vec<f64>>();
    out.set_item("attributions", shaped(py, shape, flat(&|r| r.attributions.clone()))?)?;
    out.set_item("values", shaped(py, shape, flat(&|r| r.values.clone()))?)?;
    out.set_item("missing", shaped(py, shape, rows.iter().flat_map(|r| r.missing.clone()).collect())?)?;
    out.set_item("probabilities", shaped(py, &[n, classes], flat(&|r| r.probabilities.clone()))?)?;
    out.set_item("groups", shaped(py, &[n, groups], flat(&|r| r.groups.iter().map(|g| g.1).collect()))?)?;
    out.set_item("output", flat(&|r| vec![r.output]).into_pyarray(py))?;
    out.set_item("delta", flat(&|r| vec![r.delta]).into_pyarray(py))?;
    out.set_item("relative_delta", flat(&|r| vec![r.relative_delta]).into_pyarray(py))?;
    out.set_item("baseline_output", rows.first().map_or(f64::NAN, |r| r.baseline_output))?;
    out.set_item("evaluations", rows.iter().map(|r| r.evaluations as i64).collect::<Vec<_>>().into_pyarray(py))?;
    out.set_item("converged", rows.iter().map(|r| r.converged).collect::<Vec<_>>().into_pyarray(py))?;
    out.set_item("predicted", rows.iter().map(|r| r.predicted_class as i64).collect::<Vec<_>>().into_pyarray(py))?;
    out.set_item("baselines", k)?;
    Ok(out)
}

/// `Model.global_importance`: what `explain --global` reports.
pub fn global_importance<'py>(
    py: Python<'py>,
    model: &Model,
    values: PyReadonlyArrayDyn<'py, f64>,
    predicted: Vec<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let g = GlobalImportance::of_attributions(model, &array(&values), &predicted).map_err(Failure::from)?;
    let out = PyDict::new(py);
    out.set_item("mean_abs", g.mean_abs)?;
    out.set_item("mean_by_class", g.mean_by_predicted_class)?;
    out.set_item("rows_by_class", g.rows_by_predicted_class)?;
    out.set_item("groups_mean_abs", g.groups_mean_abs)?;
    Ok(out)
}

/// One row's bar chart: PNG bytes, and the file at `path` (.png or .svg) when given.
#[pyfunction]
#[pyo3(signature = (labels, values, attributions, index, what, top, path=None))]
#[allow(clippy::too_many_arguments)]
pub fn row_chart<'py>(
    py: Python<'py>,
    labels: Vec<String>,
    values: Vec<f64>,
    attributions: Vec<f64>,
    index: usize,
    what: String,
    top: usize,
    path: Option<PathBuf>,
) -> PyResult<Bound<'py, PyBytes>> {
    if top == 0 {
        return Err(Failure::value("top must be at least 1").into());
    }
    let draw = |p: &std::path::Path| attribution_chart(p, index, &labels, &values, &attributions, &what, top);
    let png = py.detach(|| -> Result<Vec<u8>, Failure> {
        if let Some(p) = &path {
            let ext = p.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            if ext != "png" && ext != "svg" {
                return Err(Failure::value(format!("{}: the chart file must end in .png or .svg", p.display())));
            }
            draw(p)?;
        }
        Ok(png_bytes(draw)?)
    })?;
    Ok(PyBytes::new(py, &png))
}

/// `glassbox.evaluate`'s core: the settings JSON → an [`EvaluationRequest`].
fn evaluation_request(model: &Model, settings: &str) -> Result<EvaluationRequest, Failure> {
    let s: Value = serde_json::from_str(settings).map_err(|e| Failure::value(format!("settings: {e}")))?;
    let text = |k: &str| s.get(k).and_then(Value::as_str).map(str::to_string);
    let number = |k: &str, d: u64| s.get(k).and_then(Value::as_u64).unwrap_or(d) as usize;
    let asked: Vec<String> = s
        .get("rankings")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let weight_column = text("weight_column");
    let mut ig = ig_config(
        &text("method").unwrap_or_else(|| "adaptive".into()),
        number("steps", 50),
        None,
        None,
        &text("output").unwrap_or_else(|| "probability".into()),
        &text("precision").unwrap_or_else(|| "auto".into()),
    )?;
    ig.target = 1;
    let truth = match s.get("truth").filter(|t| !t.is_null()) {
        Some(t) => {
            let doc = serde_json::json!({ "importance": t }).to_string();
            Some(Truth::parse(&doc, "truth", &model.feature_names)?)
        }
        None => None,
    };
    for (k, min) in [("k_max", "k_max"), ("explain_rows", "explain_rows"), ("baselines", "baselines")] {
        if number(k, 1) == 0 {
            return Err(Failure::value(format!("{min} must be at least 1")));
        }
    }
    Ok(EvaluationRequest {
        rankings: EvaluationRequest::rankings_or_all(&asked, weight_column.as_deref())?,
        k_max: number("k_max", 15),
        explain_rows: number("explain_rows", 200),
        baselines: number("baselines", 10),
        background_filter: text("background_filter"),
        weight_column,
        ig,
        truth,
        retrain_lambda: s.get("retrain_lambda").and_then(Value::as_f64),
        retrain: s.get("retrain").and_then(Value::as_bool).unwrap_or(true),
        seed: s.get("seed").and_then(Value::as_u64).unwrap_or(0),
    })
}

/// `Model.evaluate`: the evaluation of `explain evaluate` on an in-memory table.
pub fn evaluate(
    py: Python<'_>,
    model: &std::sync::Arc<Model>,
    names: Vec<String>,
    cols: Vec<glassbox_data::Column>,
    settings: &str,
    n_threads: Option<usize>,
) -> PyResult<String> {
    let req = evaluation_request(model, settings)?;
    let model = std::sync::Arc::clone(model);
    threads::run(py, n_threads, move || {
        let extra = extra_columns(&model, &req);
        let table = Table::from_columns(&model, "<table>".as_ref(), &names, &cols, &[], &extra)?;
        let e = evaluate_table(&model, "<model>", &table, &req, &Silent)?;
        let json = e.to_json()?;
        String::from_utf8(json).map_err(|e| Failure::value(e.to_string()))
    })
}
