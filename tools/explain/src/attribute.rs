//! The default command: explain rows of a data set with Integrated
//! Gradients (per-row reports, groups, global importance, charts, JSON/CSV).
//! Flags → [`glassbox_explainer`] → print and write.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use glassbox::cli::{models_dir, progress_bar, set_threads, BaselineArgs, DataArgs, IntegrationArgs, RunArgs};
use glassbox::data::{OutputPlan, StagedFiles};
use glassbox_explainer::{
    explain_parts, feature_labels, named_chart, row_chart, target_class, with_suffix, AttributionWriter, Background,
    BaselineSpec, ConvergenceTally, ExplainError, ExplainRequest, GltFunction, RowList, RunInfo, Table,
};
use glassbox_glt::Model;
use glassbox_ig::verify_gradients;
use ndarray::Axis;

use crate::report;

/// Flags of the default command (explain rows).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Model file (default: the shipped demo model).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Table with the model's feature columns: .csv, .parquet, .arrow/.feather/.ipc (default: the demo rows).
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
    /// Baseline: zero, mean, background, weighted or file.
    #[arg(long, default_value = "zero")]
    baseline: String,
    /// CSV of explicit baseline rows (with --baseline file).
    #[arg(long)]
    baseline_file: Option<PathBuf>,
    #[command(flatten)]
    integration: IntegrationArgs,
    #[command(flatten)]
    baselines: BaselineArgs,
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
    /// Write attributions: .json, .csv or .parquet (one row per explained row).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Check the autodiff input gradients against finite differences.
    #[arg(long)]
    verify_gradients: bool,
    /// Exit with an error (after writing every output) when a row did not converge.
    #[arg(long)]
    strict: bool,
    /// Id columns to show (default: the model's).
    #[arg(long, value_delimiter = ',')]
    id: Vec<String>,
    #[command(flatten)]
    run: RunArgs,
    #[command(flatten)]
    reading: DataArgs,
}

/// Rows printed in full.
const PRINTED_ROWS: usize = 20;

pub fn run(a: Args) -> Result<()> {
    set_threads(a.run.threads).map_err(anyhow::Error::msg)?;
    let (model_path, data_path) = match (&a.model, &a.data) {
        (Some(m), Some(d)) => (m.clone(), d.clone()),
        (None, None) => (models_dir().join("railway-demo.glt"), models_dir().join("railway-demo.csv")),
        (Some(_), None) => bail!("--data is required with --model"),
        (None, Some(_)) => bail!("--model is required with --data"),
    };
    // Every output checked before any work: extension, folder, not an input.
    let mut plan = OutputPlan::default();
    plan.input("--model", &model_path).input("--data", &data_path);
    if let Some(f) = &a.baseline_file {
        plan.input("--baseline-file", f);
    }
    if let Some(p) = &a.plot {
        plan.output("--plot", p, &["png", "svg"])?;
    }
    if let Some(p) = &a.out {
        plan.output("--out", p, &["json", "csv", "parquet"])?;
    }
    let model = Model::load(&model_path)?;
    let mut cfg = a.integration.ig_config().map_err(anyhow::Error::msg)?;
    cfg.target = target_class(&model, a.target.as_deref())?;
    let b = &a.baselines;
    let background = Background { filter: b.background_filter.clone(), among: None };
    let ids = if a.id.is_empty() { model.report.config.ids.clone() } else { a.id.clone() };
    let extra: Vec<String> = b.weight_column.iter().cloned().chain(background.column().map(str::to_string)).collect();
    let baseline = BaselineSpec::parse(
        &a.baseline,
        background,
        b.weight_column.as_deref(),
        b.baselines,
        b.seed,
        a.baseline_file.clone(),
    )?;
    // With --rows, only the rows the request needs are read (issue 16).
    let listed = a.rows.as_deref().map(RowList::parse).transpose()?;
    let selection = listed.as_ref().map(|l| baseline.selection(&model, l)).transpose()?;
    let na = a.reading.missing_values();
    let table = Table::load_rows(&model, &data_path, &ids, &extra, &na, selection.as_ref())?;
    if let Some(id) = a.id.iter().find(|id| !table.data.ids.iter().any(|(name, _)| name == *id)) {
        bail!("--id {id}: {} has no column {id:?}", data_path.display());
    }
    let rows = match &listed {
        // Read no further than the last listed row, the table has at least that many.
        Some(l) => l.rows(table.total().unwrap_or(l.last() + 1))?,
        None => (0..table.rows()).collect(),
    };
    let request = ExplainRequest { global: a.global, ..ExplainRequest::new(rows, baseline, cfg.clone()) };
    let n = request.rows.len();
    let labels = feature_labels(&model);
    let (classes, output) = (&model.class_names, cfg.output.name());

    // Outputs are written part by part into staging folders beside them and
    // moved into place once all were written (nothing is clobbered on an
    // error); only the printed rows are kept, so memory does not grow with
    // the row count.
    let folder = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut plots = a.plot.as_deref().map(|p| StagedFiles::new(&folder(p))).transpose()?;
    let mut out = match &a.out {
        Some(path) => {
            let mut stage = StagedFiles::new(&folder(path))?;
            let writer = AttributionWriter::create(&model, &stage.path(path), &stage.scratch(path))
                .with_context(|| format!("--out {}", path.display()))?;
            Some((path, stage, writer))
        }
        None => None,
    };
    let bar = progress_bar(n as u64, a.run.quiet, "explaining [{bar:30}] {pos}/{len} rows {elapsed_precise}");
    let (mut kept, mut tally) = (Vec::new(), ConvergenceTally::default());
    let run = explain_parts(&model, &table, &request, &mut |part| -> Result<()> {
        if let (Some(path), Some(stage)) = (&a.plot, plots.as_mut()) {
            let what = format!("{output} ({} baseline)", part.baseline_kind);
            for r in &part.rows {
                let p = if n == 1 { path.clone() } else { with_suffix(path, &format!("row{}", r.index)) };
                row_chart(&stage.path(&p), r, &labels, &what).with_context(|| format!("--plot {}", p.display()))?;
            }
        }
        if let Some((path, _, writer)) = out.as_mut() {
            writer.write(&part.rows).with_context(|| format!("--out {}", path.display()))?;
        }
        tally.add(&part.rows);
        bar.inc(part.rows.len() as u64);
        kept.extend(part.rows.into_iter().take(PRINTED_ROWS.saturating_sub(kept.len())));
        Ok(())
    })?;
    bar.finish_and_clear();

    for r in &kept {
        println!("{}", report::row_text(r, &labels, classes, cfg.target, output, a.top));
        if a.groups {
            let title = format!("Row {}: attribution per group", r.index);
            println!("{}", report::ranked_table(&title, "Attribution", &r.groups, a.top));
        }
    }
    if n > kept.len() {
        println!("({} more rows explained; see --out for all of them)", n - kept.len());
    }
    let missed = tally.finish();
    if let Some(m) = &missed {
        let line = report::not_converged_line(m, &cfg);
        println!("{line}\n");
        eprintln!("{line}");
    }
    let (global_rows, group_rows) =
        run.global.as_ref().map_or_else(Default::default, |g| (g.named(&labels), g.named_groups(&model)));
    if run.global.is_some() {
        let title = format!("Global importance over {n} rows: mean |IG|");
        println!("{}", report::ranked_table(&title, "Mean |IG|", &global_rows, a.top));
        if a.groups {
            let title = "Global importance per group: mean |IG|";
            println!("{}", report::ranked_table(title, "Mean |IG|", &group_rows, a.top));
        }
    }

    if a.verify_gradients {
        let checked: Vec<usize> = kept.iter().take(10).map(|r| r.index).collect();
        let (f, x) = (GltFunction::new(&model), table.select(&checked)?.x);
        let mut worst = 0.0f64;
        for (i, row) in checked.iter().enumerate() {
            let err = verify_gradients(&f, &x.index_axis(Axis(0), i).to_owned(), cfg.target, cfg.output)?;
            println!("gradient check, row {row}: max relative error {err:.2e} (autodiff vs central differences, f64)");
            worst = worst.max(err);
        }
        if worst > 1e-4 {
            bail!("gradient check failed: max relative error {worst:.2e} exceeds 1e-4");
        }
    }

    if let (Some(path), Some(stage)) = (&a.plot, plots.as_mut()) {
        let mut plot = |p: &Path, draw: &dyn Fn(&Path) -> Result<(), ExplainError>| {
            draw(&stage.path(p)).with_context(|| format!("--plot {}", p.display()))
        };
        let mean_abs = "Global importance (mean |IG|)";
        if a.global && !global_rows.is_empty() {
            let p = with_suffix(path, "global");
            plot(&p, &|to| named_chart(to, mean_abs, "mean |IG|", &global_rows))?;
        }
        let p = with_suffix(path, "groups");
        if a.groups && a.global && !group_rows.is_empty() {
            plot(&p, &|to| named_chart(to, "Group importance (mean |IG|)", "mean |IG|", &group_rows))?;
        } else if let Some(r) = kept.first().filter(|_| a.groups) {
            let title = format!("Row {}: attribution per group", r.index);
            plot(&p, &|to| named_chart(to, &title, "attribution", &r.groups))?;
        }
    }
    if let Some((path, stage, writer)) = out {
        let info = RunInfo::new(&model_path.display().to_string(), &cfg);
        writer.finish(&model, &info, &run).with_context(|| format!("--out {}", path.display()))?;
        stage.commit()?;
    }
    if let Some(stage) = plots {
        stage.commit()?;
    }
    if let Some(m) = missed.filter(|_| a.strict) {
        bail!("--strict: {} of {} rows did not converge (outputs written)", m.rows.len(), m.of);
    }
    Ok(())
}
