//! The default command: explain rows of a data set with Integrated
//! Gradients (per-row reports, groups, global importance, charts, JSON/CSV).

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use glassbox::cli::{models_dir, progress_bar, set_threads};
use glassbox_glt::metrics::Metrics;
use glassbox_glt::{InputMode, Model};
use glassbox_ig::aggregate::{global, per_feature, per_group};
use glassbox_ig::{verify_gradients, IgConfig, Method, Output, Precision, Tolerance};
use ndarray::Axis;
use serde_json::json;

use crate::report::RowResult;
use crate::{charts, inputs, output, report, rows};

/// Flags of the default command (explain rows).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Model file (default: the shipped demo model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// CSV with the model's feature columns (default: the demo rows).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Rows to explain, from 0 in file order: `0,3,10-20` (default: all).
    #[arg(long, conflicts_with = "all")]
    rows: Option<String>,
    /// Explain every row.
    #[arg(long)]
    all: bool,
    /// Explained class, by name or index (default: class index 1).
    #[arg(long)]
    target: Option<String>,
    /// Explained output: probability or logit.
    #[arg(long, default_value = "probability")]
    output: String,
    /// Baseline: zero, mean, background, weighted or file.
    #[arg(long, default_value = "zero")]
    baseline: String,
    /// Reference rows for background/weighted baselines: COL=VALUE (default: label = first class).
    #[arg(long)]
    background_filter: Option<String>,
    /// Weight column for the weighted baseline.
    #[arg(long)]
    weight_column: Option<String>,
    /// Number of background/weighted baselines K.
    #[arg(long, default_value_t = 10)]
    baselines: usize,
    /// CSV of explicit baseline rows (with --baseline file).
    #[arg(long)]
    baseline_file: Option<PathBuf>,
    /// Quadrature: gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid.
    #[arg(long, default_value = "gausslegendre")]
    method: String,
    /// Integration steps.
    #[arg(long, default_value_t = 50)]
    steps: usize,
    /// Double the steps per row until |δ|/|ΔF| is below this.
    #[arg(long)]
    tolerance: Option<f64>,
    /// The largest step count tolerance mode tries.
    #[arg(long, default_value_t = 1600)]
    max_steps: usize,
    /// Features shown per row.
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Also report attributions per feature group.
    #[arg(long)]
    groups: bool,
    /// Also report global importance over the explained rows.
    #[arg(long)]
    global: bool,
    /// Bar chart(s) of the top 15: .png or .svg.
    #[arg(long)]
    plot: Option<PathBuf>,
    /// Write attributions: .json or .csv.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Precision of the pass: f32 or f64.
    #[arg(long, default_value = "f32")]
    precision: String,
    /// Check the autodiff input gradients against finite differences.
    #[arg(long)]
    verify_gradients: bool,
    /// Id columns to show (default: the model's).
    #[arg(long, value_delimiter = ',')]
    id: Vec<String>,
    /// Seed for drawing baselines.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Only the reports, no progress bars.
    #[arg(long)]
    quiet: bool,
}

/// Rows printed in full.
const PRINTED_ROWS: usize = 20;

pub fn feature_labels(model: &Model) -> Vec<String> {
    match model.glt.config.mode {
        InputMode::Tabular => model.feature_names.clone(),
        InputMode::Sequence { seq_len } => (0..seq_len)
            .flat_map(|t| {
                let lag = seq_len - 1 - t;
                model
                    .feature_names
                    .iter()
                    .map(move |f| if lag == 0 { format!("{f}@t") } else { format!("{f}@t-{lag}") })
            })
            .collect(),
    }
}

pub fn target_class(model: &Model, target: Option<&str>) -> Result<usize> {
    let classes = &model.class_names;
    match target {
        None => Ok(1.min(classes.len() - 1)),
        Some(t) => classes
            .iter()
            .position(|c| c == t)
            .or_else(|| t.parse::<usize>().ok().filter(|&i| i < classes.len()))
            .with_context(|| format!("--target '{t}' is not a class of the model (classes: {})", classes.join(", "))),
    }
}

pub fn run(a: Args) -> Result<()> {
    set_threads(a.threads).map_err(anyhow::Error::msg)?;
    let (model_path, data_path) = match (&a.model, &a.data) {
        (Some(m), Some(d)) => (m.clone(), d.clone()),
        (None, None) => (models_dir().join("railway-demo.glt"), models_dir().join("railway-demo.csv")),
        (Some(_), None) => bail!("--data is required with --model"),
        (None, Some(_)) => bail!("--model is required with --data"),
    };
    for (flag, path, allowed) in [("--plot", &a.plot, ["png", "svg"]), ("--out", &a.out, ["json", "csv"])] {
        if let Some(p) = path {
            let ext = p.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            if !allowed.contains(&ext.as_str()) {
                bail!("{flag} {}: the file must end in .{} or .{}", p.display(), allowed[0], allowed[1]);
            }
        }
    }
    let model = Model::load(&model_path)?;
    let method: Method = a.method.parse().map_err(|e| anyhow::anyhow!("--method: {e}"))?;
    let output: Output = a.output.parse().map_err(|e| anyhow::anyhow!("--output: {e}"))?;
    let precision = match a.precision.as_str() {
        "f32" => Precision::F32,
        "f64" => Precision::F64,
        p => bail!("--precision '{p}' must be f32 or f64"),
    };
    if a.steps < method.min_steps() {
        bail!("--steps {}: {method} needs at least {}", a.steps, method.min_steps());
    }
    let tolerance = match a.tolerance {
        Some(t) if !(t > 0.0 && t.is_finite()) => bail!("--tolerance must be a positive number"),
        Some(t) => Some(Tolerance { rel: t, max_steps: a.max_steps.max(a.steps) }),
        None => None,
    };
    let target = target_class(&model, a.target.as_deref())?;
    let ids = if a.id.is_empty() { model.report.config.ids.clone() } else { a.id.clone() };
    let mut extra: Vec<String> = a.weight_column.iter().cloned().collect();
    if let Some(f) = &a.background_filter {
        extra.push(f.split_once('=').map_or(f.as_str(), |(c, _)| c).to_string());
    }
    let inputs = inputs::load(&model, &data_path, &ids, &extra)?;
    let n = inputs.data.rows();
    let rows = match &a.rows {
        Some(spec) => rows::parse_rows(spec, n)?,
        None => (0..n).collect(),
    };
    let baseline = inputs::baseline(
        &a.baseline,
        &model,
        &inputs,
        inputs::Background { filter: a.background_filter.as_deref(), among: None },
        a.weight_column.as_deref(),
        a.baselines,
        a.seed,
        a.baseline_file.as_deref(),
    )?;
    let cfg = IgConfig { method, steps: a.steps, target, output, precision, tolerance, ..IgConfig::default() };
    let f = model.explainable();
    let x = inputs.x.select(Axis(0), &rows);
    let probs = model.probabilities(&x)?;
    let threshold = match &model.report.metrics {
        Metrics::Binary(m) if model.class_names.len() == 2 => Some(m.threshold),
        _ => None,
    };

    let bar = progress_bar(rows.len() as u64, a.quiet, "explaining [{bar:30}] {pos}/{len} rows {elapsed_precise}");
    let mut attributions = Vec::with_capacity(rows.len());
    let parts = inputs::explain_in_parts(&model, &x, &baseline, &cfg, &bar)?;
    bar.finish_and_clear();
    let labels = feature_labels(&model);
    let row_len = labels.len();
    let mut results = Vec::with_capacity(rows.len());
    let mut i = 0;
    for part in &parts {
        let per_f = per_feature(&part.attributions)?;
        let per_g = per_group(&per_f, &model.groups.members)?;
        for j in 0..part.output.len() {
            let r = rows[i];
            let p = probs.row(i).to_vec();
            let predicted = match threshold {
                Some(t) => usize::from(p[1] >= t),
                None => (0..p.len()).fold(0, |b, c| if p[c] > p[b] { c } else { b }),
            };
            let start = r * row_len;
            results.push(RowResult {
                index: r,
                ids: inputs.data.ids.iter().map(|(k, v)| (k.clone(), v[r].clone())).collect(),
                probabilities: p,
                predicted_class: predicted,
                output: part.output[j],
                baseline_output: part.baseline_output,
                delta: part.delta[j],
                relative_delta: part.relative_delta[j],
                steps: part.steps[j],
                converged: part.converged[j],
                values: x.index_axis(Axis(0), i).iter().copied().collect(),
                missing: inputs.missing[start..start + row_len].to_vec(),
                attributions: part.attributions.index_axis(Axis(0), j).iter().copied().collect(),
                groups: model.groups.names.iter().cloned().zip(per_g.row(j).iter().copied()).collect(),
            });
            attributions.push(part.attributions.index_axis(Axis(0), j).to_owned());
            i += 1;
        }
    }

    let what = format!("{} ({} baseline)", output.name(), baseline.kind());
    for r in results.iter().take(PRINTED_ROWS) {
        println!("{}", report::row_text(r, &labels, &model.class_names, target, output.name(), a.top));
        if a.groups {
            println!(
                "{}",
                report::ranked_table(
                    &format!("Row {}: attribution per group", r.index),
                    "Attribution",
                    &r.groups,
                    a.top
                )
            );
        }
    }
    if results.len() > PRINTED_ROWS {
        println!("({} more rows explained; see --out for all of them)", results.len() - PRINTED_ROWS);
    }

    let mut global_json = None;
    let mut global_rows = Vec::new();
    let mut group_rows = Vec::new();
    if a.global && !results.is_empty() {
        let views: Vec<_> = attributions.iter().map(|t| t.view()).collect();
        let all = ndarray::stack(Axis(0), &views)?;
        let predicted: Vec<usize> = results.iter().map(|r| r.predicted_class).collect();
        let g = global(&all, &predicted, model.class_names.len())?;
        global_rows = labels.iter().cloned().zip(g.mean_abs.iter().copied()).collect();
        println!(
            "{}",
            report::ranked_table(
                &format!("Global importance over {} rows: mean |IG|", results.len()),
                "Mean |IG|",
                &global_rows,
                a.top
            )
        );
        let per_g = per_group(&per_feature(&all)?, &model.groups.members)?;
        group_rows = model
            .groups
            .names
            .iter()
            .cloned()
            .zip(per_g.mapv(f64::abs).mean_axis(Axis(0)).unwrap().iter().copied())
            .collect();
        if a.groups {
            println!(
                "{}",
                report::ranked_table("Global importance per group: mean |IG|", "Mean |IG|", &group_rows, a.top)
            );
        }
        let by_class: serde_json::Map<String, serde_json::Value> = model
            .class_names
            .iter()
            .zip(&g.mean_by_class)
            .map(|(c, v)| {
                (
                    c.clone(),
                    json!(labels.iter().cloned().zip(v.iter().copied()).collect::<std::collections::BTreeMap<_, _>>()),
                )
            })
            .collect();
        global_json = Some(json!({
            "rows": results.len(),
            "mean_abs": global_rows.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
            "mean_by_predicted_class": by_class,
            "rows_by_predicted_class": model.class_names.iter().cloned().zip(g.rows_by_class.iter().copied()).collect::<std::collections::BTreeMap<_, _>>(),
            "groups_mean_abs": group_rows.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
        }));
    }

    if a.verify_gradients {
        let mut worst = 0.0f64;
        for (i, r) in results.iter().enumerate().take(10) {
            let e = verify_gradients(&f, &x.index_axis(Axis(0), i).to_owned(), target, output)?;
            println!(
                "gradient check, row {}: max relative error {e:.2e} (autodiff vs central differences, f64)",
                r.index
            );
            worst = worst.max(e);
        }
        if worst > 1e-4 {
            bail!("gradient check failed: max relative error {worst:.2e} exceeds 1e-4");
        }
    }

    if let Some(path) = &a.plot {
        for r in &results {
            let p =
                if results.len() == 1 { path.clone() } else { charts::with_suffix(path, &format!("row{}", r.index)) };
            charts::row_chart(&p, r, &labels, &what)?;
        }
        if a.global && !global_rows.is_empty() {
            charts::named_chart(
                &charts::with_suffix(path, "global"),
                "Global importance (mean |IG|)",
                "mean |IG|",
                &global_rows,
            )?;
        }
        if a.groups {
            if a.global && !group_rows.is_empty() {
                charts::named_chart(
                    &charts::with_suffix(path, "groups"),
                    "Group importance (mean |IG|)",
                    "mean |IG|",
                    &group_rows,
                )?;
            } else if let Some(r) = results.first() {
                charts::named_chart(
                    &charts::with_suffix(path, "groups"),
                    &format!("Row {}: attribution per group", r.index),
                    "attribution",
                    &r.groups,
                )?;
            }
        }
    }
    if let Some(path) = &a.out {
        let info = output::RunInfo {
            model: model_path.display().to_string(),
            target: &model.class_names[target],
            output: output.name(),
            method: method.name(),
            steps: a.steps,
            baseline_kind: baseline.kind(),
            baseline_count: parts.first().map_or(0, |p| p.baselines),
            features: &model.feature_names,
            seq_len: match model.glt.config.mode {
                InputMode::Sequence { seq_len } => Some(seq_len),
                InputMode::Tabular => None,
            },
            global: global_json,
        };
        output::write(path, &info, &results, &labels)?;
    }
    Ok(())
}
