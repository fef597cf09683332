//! The default command: explain rows of a data set with Integrated
//! Gradients (per-row reports, groups, global importance, charts, JSON/CSV).
//! Flags → [`glassbox_explainer`] → print and write.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use glassbox::cli::{models_dir, progress_bar, set_threads, BaselineArgs, DataArgs, IntegrationArgs, RunArgs};
use glassbox::data::{OutputPlan, StagedFiles};
use glassbox_explainer::{
    explain_parts, feature_labels, named_chart, row_chart, with_suffix, AttributionWriter, Background, BaselineSpec,
    ConvergenceTally, ExplainError, ExplainRequest, GltFunction, RowList, RunInfo, Table, Target,
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
    /// Explained class, by name or index (default: class index 1), or `all` (every class, one shared pass).
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
    let target = Target::parse(&model, a.target.as_deref())?;
    if let Target::One(c) = target {
        cfg.target = c;
    }
    let classes = target.classes(&model);
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
    let all_classes = target == Target::All;
    let request = ExplainRequest { global: a.global, all_classes, ..ExplainRequest::new(rows, baseline, cfg.clone()) };
    let n = request.rows.len();
    let labels = feature_labels(&model);
    let (names, output) = (&model.class_names, cfg.output.name());

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
                .with_context(|| format!("--out {}", path.display()))?
                .target(&model, target);
            Some((path, stage, writer))
        }
        None => None,
    };
    let bar = progress_bar(n as u64, a.run.quiet, "explaining [{bar:30}] {pos}/{len} rows {elapsed_precise}");
    let (mut kept, mut tally) = (Vec::new(), ConvergenceTally::per_row(classes.len()));
    let printed = PRINTED_ROWS * classes.len();
    let run = explain_parts(&model, &table, &request, &mut |part| -> Result<()> {
        if let (Some(path), Some(stage)) = (&a.plot, plots.as_mut()) {
            let what = format!("{output} ({} baseline)", part.baseline_kind);
            for r in &part.rows {
                let p = chart_path(path, n, all_classes.then(|| names[r.target].as_str()), r.index);
                row_chart(&stage.path(&p), r, &labels, &what).with_context(|| format!("--plot {}", p.display()))?;
            }
        }
        if let Some((path, _, writer)) = out.as_mut() {
            writer.write(&part.rows).with_context(|| format!("--out {}", path.display()))?;
        }
        tally.add(&part.rows);
        bar.inc(part.rows.len() as u64);
        kept.extend(part.rows.into_iter().take(printed.saturating_sub(kept.len())));
        Ok(())
    })?;
    bar.finish_and_clear();

    for r in &kept {
        println!("{}", report::row_text(r, &labels, names, r.target, output, a.top));
        if a.groups {
            let of = if all_classes { format!(" (class {})", names[r.target]) } else { String::new() };
            let title = format!("Row {}: attribution per group{of}", r.index);
            println!("{}", report::ranked_table(&title, "Attribution", &r.groups, a.top));
        }
    }
    let kept_rows = kept.len() / classes.len();
    if n > kept_rows {
        println!("({} more rows explained; see --out for all of them)", n - kept_rows);
    }
    let missed = tally.finish();
    if let Some(m) = &missed {
        let line = report::not_converged_line(m, &cfg);
        println!("{line}\n");
        eprintln!("{line}");
    }
    // Global importance per explained class (one class: no class in titles
    // or file names, as before `--target all`).
    let globals: Vec<(Option<&str>, &glassbox_explainer::GlobalImportance)> = if all_classes {
        names.iter().map(String::as_str).map(Some).zip(&run.global_per_class).collect()
    } else {
        run.global.iter().map(|g| (None, g)).collect()
    };
    let global_tables: Vec<_> = globals.iter().map(|(c, g)| (*c, g.named(&labels), g.named_groups(&model))).collect();
    for (class, global_rows, group_rows) in &global_tables {
        let of = class.map(|c| format!(", class {c}")).unwrap_or_default();
        let title = format!("Global importance over {n} rows{of}: mean |IG|");
        println!("{}", report::ranked_table(&title, "Mean |IG|", global_rows, a.top));
        if a.groups {
            let title = format!("Global importance per group{of}: mean |IG|");
            println!("{}", report::ranked_table(&title, "Mean |IG|", group_rows, a.top));
        }
    }

    if a.verify_gradients {
        let mut checked: Vec<usize> = kept.iter().map(|r| r.index).collect();
        checked.dedup();
        checked.truncate(10);
        let (f, x) = (GltFunction::new(&model), table.select(&checked)?.x);
        let mut worst = 0.0f64;
        for (i, row) in checked.iter().enumerate() {
            for &c in &classes {
                let err = verify_gradients(&f, &x.index_axis(Axis(0), i).to_owned(), c, cfg.output)?;
                let of = if all_classes { format!(", class {}", names[c]) } else { String::new() };
                println!(
                    "gradient check, row {row}{of}: max relative error {err:.2e} (autodiff vs central differences, f64)"
                );
                worst = worst.max(err);
            }
        }
        if worst > 1e-4 {
            bail!("gradient check failed: max relative error {worst:.2e} exceeds 1e-4");
        }
    }

    if let (Some(path), Some(stage)) = (&a.plot, plots.as_mut()) {
        let mut plot = |p: &Path, draw: &dyn Fn(&Path) -> Result<(), ExplainError>| {
            draw(&stage.path(p)).with_context(|| format!("--plot {}", p.display()))
        };
        let suffix = |what: &str, class: Option<&str>| match class {
            Some(c) => format!("{what}-{}", file_safe(c)),
            None => what.to_string(),
        };
        for (class, global_rows, group_rows) in &global_tables {
            let of = class.map(|c| format!(", class {c}")).unwrap_or_default();
            if a.global && !global_rows.is_empty() {
                let p = with_suffix(path, &suffix("global", *class));
                let title = format!("Global importance{of} (mean |IG|)");
                plot(&p, &|to| named_chart(to, &title, "mean |IG|", global_rows))?;
            }
            if a.groups && !group_rows.is_empty() {
                let p = with_suffix(path, &suffix("groups", *class));
                let title = format!("Group importance{of} (mean |IG|)");
                plot(&p, &|to| named_chart(to, &title, "mean |IG|", group_rows))?;
            }
        }
        if a.groups && (!a.global || global_tables.is_empty()) {
            let first = kept.first().map_or(0, |r| r.index);
            for r in kept.iter().take_while(|r| r.index == first) {
                let class = all_classes.then(|| names[r.target].as_str());
                let p = with_suffix(path, &suffix("groups", class));
                let of = class.map(|c| format!(" (class {c})")).unwrap_or_default();
                let title = format!("Row {}: attribution per group{of}", r.index);
                plot(&p, &|to| named_chart(to, &title, "attribution", &r.groups))?;
            }
        }
    }
    if let Some((path, stage, writer)) = out {
        let info = RunInfo { target, ..RunInfo::new(&model_path.display().to_string(), &cfg) };
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

/// A row's chart file: `path` for one row of one class, `-row<i>` per
/// row, `-<class>` per class (`--target all`; `-row<i>-<class>` for many
/// rows).
fn chart_path(path: &Path, rows: usize, class: Option<&str>, index: usize) -> PathBuf {
    match (rows, class) {
        (1, None) => path.to_path_buf(),
        (1, Some(c)) => with_suffix(path, &file_safe(c)),
        (_, None) => with_suffix(path, &format!("row{index}")),
        (_, Some(c)) => with_suffix(path, &format!("row{index}-{}", file_safe(c))),
    }
}

/// A class name as part of a file name: letters, digits, `-`, `_` and
/// `.` kept, anything else `_`.
fn file_safe(name: &str) -> String {
    name.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect()
}
