//! One row's chart (SPEC §6): horizontal bars of the top 15 attributions
//! by |IG|, labelled `feature = value`, red for positive, blue for
//! negative; and the same for any named values (groups, global importance).

use std::path::{Path, PathBuf};

use crate::error::ExplainError;
use crate::rows::RowResult;

/// Bars in a chart.
pub const TOP: usize = 15;

/// A value with 4 significant digits: plain for ordinary magnitudes,
/// scientific for tiny or huge ones (curvatures of 1e-4 must not print
/// as 0).
///
/// ```
/// assert_eq!(glassbox_explainer::fmt_value(0.5), "0.5000");
/// assert_eq!(glassbox_explainer::fmt_value(1e-4), "1.000e-4");
/// ```
pub fn fmt_value(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(1e-2..1e6).contains(&a) {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

/// Indices of the `top` largest |values|, largest first (ties: lower index).
///
/// ```
/// assert_eq!(glassbox_explainer::top_indices(&[0.1, -3.0, 2.0, 3.0], 3), [1, 3, 2]);
/// ```
pub fn top_indices(values: &[f64], top: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[b].abs().total_cmp(&values[a].abs()).then(a.cmp(&b)));
    idx.truncate(top);
    idx
}

/// `base` with `-suffix` before the extension (`chart.png` → `chart-row3.png`).
pub fn with_suffix(base: &Path, suffix: &str) -> PathBuf {
    let stem = base.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = base.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    base.with_file_name(format!("{stem}-{suffix}{ext}"))
}

/// The top [`TOP`] of `values` as signed bars, to `path` (.png or .svg).
pub fn bars(path: &Path, title: &str, x_label: &str, names: &[String], values: &[f64]) -> Result<(), ExplainError> {
    bars_top(path, title, x_label, names, values, TOP)
}

/// The `top` largest |values| as signed bars, to `path` (.png or .svg).
pub fn bars_top(
    path: &Path,
    title: &str,
    x_label: &str,
    names: &[String],
    values: &[f64],
    top: usize,
) -> Result<(), ExplainError> {
    let idx = top_indices(values, top);
    let labels: Vec<String> = idx.iter().map(|&i| names[i].clone()).collect();
    let vals: Vec<f64> = idx.iter().map(|&i| values[i]).collect();
    Ok(glassbox_plot::signed_bars(path, title, x_label, &labels, &vals)?)
}

/// One row's chart: the top 15 attributions, labelled `cell = value`;
/// `labels` from [`crate::feature_labels`], `what` e.g. `"probability
/// (zero baseline)"`.
pub fn row_chart(path: &Path, r: &RowResult, labels: &[String], what: &str) -> Result<(), ExplainError> {
    attribution_chart(path, r.index, labels, &r.values, &r.attributions, what, TOP)
}

/// The chart of row `index` from its values and attributions (flattened
/// like `labels`), with the `top` largest |attributions|.
pub fn attribution_chart(
    path: &Path,
    index: usize,
    labels: &[String],
    values: &[f64],
    attributions: &[f64],
    what: &str,
    top: usize,
) -> Result<(), ExplainError> {
    if labels.len() != values.len() || labels.len() != attributions.len() {
        return Err(ExplainError::Request(format!(
            "{} labels, {} values and {} attributions: one of each per cell",
            labels.len(),
            values.len(),
            attributions.len()
        )));
    }
    let names: Vec<String> = labels.iter().zip(values).map(|(n, v)| format!("{n} = {}", fmt_value(*v))).collect();
    let title = format!("Row {index}: attributions to {what}");
    bars_top(path, &title, "Integrated Gradients attribution", &names, attributions, top)
}

/// [`row_chart`] as PNG bytes.
pub fn row_chart_png(r: &RowResult, labels: &[String], what: &str) -> Result<Vec<u8>, ExplainError> {
    png_bytes(|path| row_chart(path, r, labels, what))
}

/// What `draw` writes to a PNG path, as bytes (drawn through a temporary file).
pub fn png_bytes(draw: impl FnOnce(&Path) -> Result<(), ExplainError>) -> Result<Vec<u8>, ExplainError> {
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("glassbox-chart-{}-{n}.png", std::process::id()));
    let drawn = draw(&path);
    let bytes =
        drawn.and_then(|()| std::fs::read(&path).map_err(|e| ExplainError::Encode(format!("{}: {e}", path.display()))));
    let _ = std::fs::remove_file(&path);
    bytes
}

/// A chart of named values (groups, global importance).
pub fn named_chart(path: &Path, title: &str, x_label: &str, rows: &[(String, f64)]) -> Result<(), ExplainError> {
    let (names, values): (Vec<String>, Vec<f64>) = rows.iter().cloned().unzip();
    bars(path, title, x_label, &names, &values)
}
