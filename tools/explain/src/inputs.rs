//! From the CSV to model inputs: the model's features in its order, id
//! columns, windows in sequence mode, missing values imputed with the
//! training mean, and the baseline rows.

use std::path::Path;

use anyhow::{bail, Context, Result};
use glassbox_autodiff::Tensor;
use glassbox_glt::data::{load_csv, sequence_windows, Dataset, LoadOptions};
use glassbox_glt::Model;
use glassbox_ig::{explain, Baseline, Explanation, IgConfig};
use indicatif::ProgressBar;

/// The loaded table and the model inputs of every row.
pub struct Inputs {
    /// The table.
    pub data: Dataset,
    /// `[N, F]` or `[N, T, F]`, imputed.
    pub x: Tensor<f64>,
    /// Whether each input cell was missing (imputed), same shape as `x`.
    pub missing: Vec<bool>,
}

fn header(path: &Path) -> Result<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().from_path(path).with_context(|| format!("{}", path.display()))?;
    let headers = reader.headers().with_context(|| format!("{}: cannot read the header", path.display()))?;
    Ok(headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect())
}

/// Loads `path` for `model`, keeping `extra` columns as strings.
pub fn load(model: &Model, path: &Path, ids: &[String], extra: &[String]) -> Result<Inputs> {
    let columns = header(path)?;
    let cfg = &model.report.config;
    let label = columns.contains(&cfg.label).then(|| cfg.label.clone());
    let mut extra: Vec<String> = extra.to_vec();
    extra.extend(cfg.sequence_by.iter().chain(&cfg.order_by).cloned());
    extra.retain(|c| Some(c) != label.as_ref());
    extra.sort();
    extra.dedup();
    let opts = LoadOptions {
        label,
        ids: ids.iter().filter(|c| columns.contains(c)).cloned().collect(),
        extra,
        required_features: Some(model.feature_names.clone()),
        class_names: Some(model.class_names.clone()),
        ..LoadOptions::default()
    };
    let data = load_csv(path, &opts)?;
    let (mut x, missing_raw) = match (&cfg.sequence_by, &cfg.order_by) {
        (Some(by), Some(order)) => {
            let seq_len = model.glt.row_shape()[0];
            let (keys, order_col) =
                (data.extra_column(by).unwrap_or_default(), data.extra_column(order).unwrap_or_default());
            let w = sequence_windows(data.x.view(), keys, order_col, seq_len, &model.scaler.mean)?.into_dyn();
            let m = w.iter().map(|v| v.is_nan()).collect();
            (w, m)
        }
        _ => (data.x.clone().into_dyn(), data.x.iter().map(|v| v.is_nan()).collect()),
    };
    model.scaler.impute(&mut x);
    Ok(Inputs { data, x, missing: missing_raw })
}

/// Rows whose `column` equals `value` (label values are compared by class
/// name).
pub fn matching_rows(data: &Dataset, column: &str, value: &str, label: &str) -> Result<Vec<usize>> {
    if column == label {
        let Some(labels) = &data.labels else { bail!("--background-filter: the data has no {label} column") };
        let Some(class) = data.class_names.iter().position(|c| c == value) else {
            bail!("--background-filter: {value} is not a class of the model (classes: {})", data.class_names.join(", "))
        };
        return Ok((0..labels.len()).filter(|&r| labels[r] == class).collect());
    }
    let values = data
        .extra_column(column)
        .or_else(|| data.id_column(column))
        .with_context(|| format!("--background-filter: no column {column} in {}", data.path.display()))?;
    Ok(values.iter().enumerate().filter(|(_, v)| v.as_str() == value).map(|(r, _)| r).collect())
}

/// Reads a `--weight-column` as non-negative numbers.
pub fn weights(data: &Dataset, column: &str, rows: &[usize]) -> Result<Vec<f64>> {
    let values = data
        .extra_column(column)
        .with_context(|| format!("--weight-column: no column {column} in {}", data.path.display()))?;
    rows.iter()
        .map(|&r| match values[r].trim().parse::<f64>() {
            Ok(w) if w.is_finite() && w >= 0.0 => Ok(w),
            _ => bail!("{}: row {r}, column {column}: weight '{}' is not a number ≥ 0", data.path.display(), values[r]),
        })
        .collect()
}

/// Where background / weighted baselines are drawn from: the rows whose
/// `COL=VALUE` filter matches (default: the label is the first class),
/// optionally only among some rows (e.g. a training split).
#[derive(Clone, Copy, Debug, Default)]
pub struct Background<'a> {
    /// `--background-filter COL=VALUE`.
    pub filter: Option<&'a str>,
    /// Only these rows (sorted), described as e.g. `"training-split"`.
    pub among: Option<(&'a str, &'a [usize])>,
}

impl Background<'_> {
    /// The filter's column and value.
    pub fn column_value<'m>(&'m self, model: &'m Model) -> Result<(&'m str, &'m str)> {
        match self.filter {
            Some(f) => f.split_once('=').with_context(|| format!("--background-filter '{f}' must look like COL=VALUE")),
            None => Ok((model.report.config.label.as_str(), model.class_names[0].as_str())),
        }
    }

    /// The matching rows (never empty).
    pub fn rows(&self, model: &Model, data: &Dataset) -> Result<Vec<usize>> {
        let (column, value) = self.column_value(model)?;
        let mut rows = matching_rows(data, column, value, &model.report.config.label)?;
        if let Some((_, among)) = self.among {
            rows.retain(|r| among.binary_search(r).is_ok());
        }
        if rows.is_empty() {
            let which = self.among.map_or(String::new(), |(name, _)| format!("{name} "));
            bail!("--background-filter {column}={value}: no {which}row of {} matches", data.path.display());
        }
        Ok(rows)
    }
}

/// The IG baseline the flags ask for.
#[allow(clippy::too_many_arguments)]
pub fn baseline(
    kind: &str,
    model: &Model,
    inputs: &Inputs,
    background: Background<'_>,
    weight_column: Option<&str>,
    count: usize,
    seed: u64,
    file: Option<&Path>,
) -> Result<Baseline> {
    let reference = || -> Result<(Tensor<f64>, Vec<usize>)> {
        let rows = background.rows(model, &inputs.data)?;
        Ok((inputs.x.select(ndarray::Axis(0), &rows), rows))
    };
    Ok(match kind {
        "zero" => Baseline::Zero,
        "mean" => Baseline::Mean(model.scaler.mean.clone()),
        "background" => Baseline::Background { reference: reference()?.0, count, seed },
        "weighted" => {
            let column = weight_column.context("--baseline weighted needs --weight-column COL")?;
            let (reference, rows) = reference()?;
            Baseline::Weighted { weights: weights(&inputs.data, column, &rows)?, reference, count, seed }
        }
        "file" => {
            let path = file.context("--baseline file needs --baseline-file FILE")?;
            let b = load(model, path, &[], &[])?;
            Baseline::Rows(b.x)
        }
        other => bail!("--baseline '{other}' must be one of zero, mean, background, weighted, file"),
    })
}

/// Rows explained per call (progress granularity; results do not depend on it).
const ROWS_PER_CALL: usize = 32;

/// Explains the rows of `x` against `baseline` in parts of
/// [`ROWS_PER_CALL`] rows, advancing `bar` after each.
pub fn explain_in_parts(
    model: &Model,
    x: &Tensor<f64>,
    baseline: &Baseline,
    cfg: &IgConfig,
    bar: &ProgressBar,
) -> Result<Vec<Explanation>> {
    let f = model.explainable();
    let n = x.shape()[0];
    (0..n)
        .step_by(ROWS_PER_CALL)
        .map(|start| {
            let end = (start + ROWS_PER_CALL).min(n);
            let part = explain(&f, &x.slice_axis(ndarray::Axis(0), (start..end).into()).to_owned(), baseline, cfg)?;
            bar.inc((end - start) as u64);
            Ok(part)
        })
        .collect()
}
