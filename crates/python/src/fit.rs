//! `_native.fit`: `train`'s run on an in-memory table — the same
//! [`TrainSpec`] from the same settings, so a DataFrame and its CSV file give
//! bitwise the same model. Settings use the Python parameter names.

use glassbox_data::{load_columns, Column, FeatureGroups, LoadOptions};
use glassbox_glt::lambda_path::PathOptions;
use glassbox_glt::sizing::SizeDefaults;
use glassbox_glt::train::{train, LambdaChoice, TrainSpec};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::convert::columns;
use crate::errors::Failure;
use crate::model::PyModel;
use crate::threads;

/// The name of the split-key column added for `split_by`.
const SPLIT_COLUMN: &str = "split_by";
/// The largest token width, head count, block count and FFN width accepted.
const MAX_WIDTH: usize = 4096;

fn setting<'py, T: for<'a> FromPyObject<'a, 'py>>(s: &Bound<'py, PyDict>, key: &str, default: T) -> PyResult<T> {
    match s.get_item(key)? {
        Some(v) if !v.is_none() => {
            v.extract().map_err(|_| Failure::value(format!("{key}: {v} has the wrong type")).into())
        }
        _ => Ok(default),
    }
}

/// The run's settings for a table of `rows` rows: what `s` gives, the
/// size defaults ([`SizeDefaults`]) for the rest.
fn spec(label: &str, s: &Bound<'_, PyDict>, rows: usize) -> PyResult<TrainSpec> {
    let mut spec = TrainSpec::new(label);
    let sized = SizeDefaults::for_rows(rows);
    sized.apply(&mut spec);
    for (name, v) in [
        ("d_model", &mut spec.model.d_model),
        ("n_heads", &mut spec.model.n_heads),
        ("n_blocks", &mut spec.model.n_blocks),
        ("d_ff", &mut spec.model.d_ff),
        ("epochs", &mut spec.fit.epochs),
        ("batch_size", &mut spec.fit.batch_size),
    ] {
        *v = setting(s, name, *v)?;
        if *v == 0 {
            return Err(Failure::value(format!("{name} must be at least 1")).into());
        }
        if name != "epochs" && name != "batch_size" && *v > MAX_WIDTH {
            return Err(Failure::value(format!("{name} = {v} is larger than {MAX_WIDTH}")).into());
        }
    }
    spec.fit.lr = setting(s, "lr", spec.fit.lr)?;
    if !(spec.fit.lr > 0.0 && spec.fit.lr.is_finite()) {
        return Err(Failure::value("learning_rate must be a positive number").into());
    }
    spec.fit.patience = setting(s, "patience", spec.fit.patience)?;
    spec.fit.seed = setting(s, "seed", spec.fit.seed)?;
    spec.balanced = setting(s, "balanced", true)?;
    spec.refit = setting(s, "refit", true)?;
    spec.fit.settle = setting(s, "settle", spec.fit.settle)?;
    let lambda: String = setting(s, "lambda", "auto".to_string())?;
    spec.lambda = if lambda == "auto" {
        let points: usize = setting(s, "path_points", 8)?;
        if points == 0 {
            return Err(Failure::value("path_points must be at least 1").into());
        }
        LambdaChoice::Auto(PathOptions {
            points,
            min_ratio: PathOptions::default().min_ratio,
            epochs_per_point: setting(s, "path_epochs", sized.epochs_per_point)?,
        })
    } else {
        match lambda.parse::<f64>() {
            Ok(l) if l.is_finite() && l >= 0.0 => LambdaChoice::Fixed(l),
            _ => return Err(Failure::value(format!("penalty '{lambda}' must be 'auto' or a number ≥ 0")).into()),
        }
    };
    Ok(spec)
}

/// Trains a GLT on named columns with labels (and optionally a split key
/// per row); `groups` is a TOML path or a mapping name → feature globs.
#[pyfunction]
#[pyo3(signature = (names, cols, labels, label_name, settings, groups=None, split_by=None, n_threads=None))]
#[allow(clippy::too_many_arguments)]
pub fn fit(
    py: Python<'_>,
    mut names: Vec<String>,
    cols: &Bound<'_, PyList>,
    labels: Vec<String>,
    label_name: String,
    settings: &Bound<'_, PyDict>,
    groups: Option<&Bound<'_, PyAny>>,
    split_by: Option<Vec<String>>,
    n_threads: Option<usize>,
) -> PyResult<PyModel> {
    let mut cols: Vec<Column> = columns(cols)?;
    let spec_base = spec(&label_name, settings, labels.len())?;
    let split_name = SPLIT_COLUMN.to_string();
    for extra in std::iter::once(&label_name).chain(split_by.as_ref().map(|_| &split_name)) {
        if names.contains(extra) {
            return Err(Failure::value(format!("X already has a column named {extra:?}: rename it")).into());
        }
    }
    names.push(label_name.clone());
    cols.push(Column::Text(labels.into_iter().map(Some).collect()));
    let mut spec = spec_base;
    let mut opts = LoadOptions { label: Some(label_name), ..LoadOptions::default() };
    if let Some(keys) = split_by {
        names.push(SPLIT_COLUMN.into());
        cols.push(Column::Text(keys.into_iter().map(Some).collect()));
        opts.extra.push(SPLIT_COLUMN.into());
        spec.split_by = Some(SPLIT_COLUMN.into());
    }
    enum Groups {
        Singletons,
        File(std::path::PathBuf),
        Toml(String),
    }
    let groups = match groups {
        None => Groups::Singletons,
        Some(g) if g.is_none() => Groups::Singletons,
        Some(g) => match g.extract::<String>() {
            Ok(path) => Groups::File(path.into()),
            Err(_) => {
                let bad = || Failure::value("groups: expected a TOML path or a mapping name → list of features");
                let mut map: Vec<(String, Vec<String>)> = Vec::new();
                for item in g.call_method0("items").map_err(|_| bad())?.try_iter()? {
                    map.push(item?.extract().map_err(|_| bad())?);
                }
                let mut toml = String::from("[groups]\n");
                for (name, members) in map {
                    let quoted: Vec<String> = members.iter().map(|m| serde_json::json!(m).to_string()).collect();
                    toml.push_str(&format!("{} = [{}]\n", serde_json::json!(name), quoted.join(", ")));
                }
                Groups::Toml(toml)
            }
        },
    };
    let (model, warnings) = threads::run(py, n_threads, move || {
        let data = load_columns("<table>".as_ref(), &names, &cols, &opts)?;
        let mut warnings = data.warnings.clone();
        let groups = match groups {
            Groups::Singletons => FeatureGroups::singletons(&data.feature_names),
            Groups::File(p) => {
                let (g, w) = FeatureGroups::load(&p, &data.feature_names)?;
                warnings.extend(w);
                g
            }
            Groups::Toml(t) => {
                let (g, w) = FeatureGroups::from_toml(&t, "groups", &data.feature_names)?;
                warnings.extend(w);
                g
            }
        };
        Ok::<_, Failure>((train(&data, groups, &spec, &mut |_| {})?, warnings))
    })?;
    if !warnings.is_empty() {
        let w = py.get_type::<pyo3::exceptions::PyUserWarning>();
        PyErr::warn(py, &w, &std::ffi::CString::new(warnings.join("; ")).unwrap_or_default(), 1)?;
    }
    Ok(PyModel::new(model))
}
