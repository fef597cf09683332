//! `--plot chart.png|chart.svg`: the top-15 bar chart of each explained row
//! (`chart-row<N>.png` when several rows are explained), and with
//! `--groups` / `--global` their own charts beside it
//! (`chart-groups.png`, `chart-global.png`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::report::{fmt_value, top_indices, RowResult};

/// Bars in a chart.
pub const TOP: usize = 15;

/// `base` with `-suffix` before the extension.
pub fn with_suffix(base: &Path, suffix: &str) -> PathBuf {
    let stem = base.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = base.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    base.with_file_name(format!("{stem}-{suffix}{ext}"))
}

fn bars(path: &Path, title: &str, x_label: &str, names: &[String], values: &[f64]) -> Result<()> {
    let idx = top_indices(values, TOP);
    let labels: Vec<String> = idx.iter().map(|&i| names[i].clone()).collect();
    let vals: Vec<f64> = idx.iter().map(|&i| values[i]).collect();
    glassbox_plot::signed_bars(path, title, x_label, &labels, &vals)
        .with_context(|| format!("--plot {}", path.display()))
}

/// One row's chart: the top 15 attributions, labelled `feature = value`.
pub fn row_chart(path: &Path, r: &RowResult, names: &[String], what: &str) -> Result<()> {
    let labels: Vec<String> = names.iter().zip(&r.values).map(|(n, v)| format!("{n} = {}", fmt_value(*v))).collect();
    let title = format!("Row {}: attributions to {what}", r.index);
    bars(path, &title, "Integrated Gradients attribution", &labels, &r.attributions)
}

/// A chart of named values (groups, global importance).
pub fn named_chart(path: &Path, title: &str, x_label: &str, rows: &[(String, f64)]) -> Result<()> {
    let (names, values): (Vec<String>, Vec<f64>) = rows.iter().cloned().unzip();
    bars(path, title, x_label, &names, &values)
}
