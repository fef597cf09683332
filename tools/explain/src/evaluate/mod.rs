//! `explain evaluate`: which baseline explains best? Flags →
//! [`glassbox_evaluation::evaluate`] → tables on stdout and, with
//! `--out-dir`, the charts, `evaluation.json` and `evaluation.csv`.

mod charts;
mod tables;

use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use glassbox::cli::{progress_bar, set_threads, BaselineArgs, DataArgs, IntegrationArgs, RunArgs};
use glassbox_evaluation::{evaluate, EvaluationRequest, Phase, Progress, Truth};
use glassbox_glt::Model;
use indicatif::ProgressBar;

/// Flags of `explain evaluate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Model file (binary, tabular).
    #[arg(long)]
    model: PathBuf,
    /// Table (.csv, .parquet, .arrow/.feather/.ipc) with the model's features and label: the table it was trained on
    /// (the same split is rebuilt from the model's seed).
    #[arg(long)]
    data: PathBuf,
    /// Rankings to compare, from zero, mean, background, weighted, random
    /// (default: all; weighted only with --weight-column).
    #[arg(long, value_delimiter = ',')]
    rankings: Vec<String>,
    /// Largest k (top-k features) for retraining, deletion and agreement.
    #[arg(long, default_value_t = 15)]
    k_max: usize,
    /// Validation-split rows explained per baseline.
    #[arg(long, default_value_t = 200)]
    explain_rows: usize,
    #[command(flatten)]
    baselines: BaselineArgs,
    #[command(flatten)]
    integration: IntegrationArgs,
    /// Ground truth from `synth --truth` (its "importance" per feature).
    #[arg(long)]
    truth: Option<PathBuf>,
    /// λ of the retrained models (default: the λ the model's training chose).
    #[arg(long)]
    retrain_lambda: Option<f64>,
    /// Skip the top-k retraining (rankings, deletion and agreement only).
    #[arg(long)]
    no_retrain: bool,
    /// Folder for charts, evaluation.json and evaluation.csv.
    #[arg(long)]
    out_dir: Option<PathBuf>,
    /// Chart format: png or svg.
    #[arg(long, default_value = "png")]
    format: String,
    #[command(flatten)]
    run: RunArgs,
    #[command(flatten)]
    reading: DataArgs,
}

/// Progress bars for the evaluation's phases.
struct Bars {
    quiet: bool,
    bar: Mutex<Option<ProgressBar>>,
}

impl Progress for Bars {
    fn start(&self, phase: Phase, total: usize) {
        let template = match phase {
            Phase::Explaining => "explaining [{bar:30}] {pos}/{len} rows×baselines {elapsed_precise}",
            Phase::Retraining => "retraining [{bar:30}] {pos}/{len} models {elapsed_precise}",
        };
        *self.bar.lock().expect("bar") = Some(progress_bar(total as u64, self.quiet, template));
    }
    fn advance(&self, _: Phase, by: usize) {
        self.bar.lock().expect("bar").as_ref().inspect(|b| b.inc(by as u64));
    }
    fn finish(&self, _: Phase) {
        self.bar.lock().expect("bar").take().inspect(ProgressBar::finish_and_clear);
    }
}

/// Runs the evaluation.
pub fn run(a: Args) -> Result<()> {
    set_threads(a.run.threads).map_err(anyhow::Error::msg)?;
    let b = &a.baselines;
    let rankings = EvaluationRequest::rankings_or_all(&a.rankings, b.weight_column.as_deref())?;
    if !["png", "svg"].contains(&a.format.as_str()) {
        bail!("--format '{}' must be png or svg", a.format);
    }
    if a.k_max == 0 {
        bail!("--k-max must be at least 1");
    }
    if a.explain_rows == 0 {
        bail!("--explain-rows must be at least 1");
    }
    let ig = a.integration.ig_config().map_err(anyhow::Error::msg)?;
    if let Some(dir) = &a.out_dir {
        // Early, so that a bad folder, or one whose files are the inputs, fails before minutes of work.
        std::fs::create_dir_all(dir).with_context(|| format!("--out-dir {}", dir.display()))?;
        let mut plan = glassbox::data::OutputPlan::default();
        plan.input("--model", &a.model).input("--data", &a.data);
        if let Some(t) = &a.truth {
            plan.input("--truth", t);
        }
        for name in ["evaluation.json", "evaluation.csv"] {
            plan.output("--out-dir", &dir.join(name), &[])?;
        }
    }
    let model = Model::load(&a.model)?;
    let truth = a.truth.as_ref().map(|p| Truth::load(p, &model.feature_names)).transpose()?;
    let request = EvaluationRequest {
        rankings,
        k_max: a.k_max,
        explain_rows: a.explain_rows,
        baselines: b.baselines,
        background_filter: b.background_filter.clone(),
        weight_column: b.weight_column.clone(),
        ig,
        truth,
        retrain_lambda: a.retrain_lambda,
        retrain: !a.no_retrain,
        seed: b.seed,
    };
    let bars = Bars { quiet: a.run.quiet, bar: Mutex::new(None) };
    let evaluation =
        evaluate(&model, &a.model.display().to_string(), &a.data, &a.reading.missing_values(), &request, &bars)?;
    println!("{}", tables::render(&evaluation, &evaluation.background_reference));
    if let Some(dir) = &a.out_dir {
        evaluation.write(dir)?;
        let written = charts::write_all(dir, &a.format, &evaluation)?;
        println!("wrote {} charts, evaluation.json and evaluation.csv to {}", written, dir.display());
    }
    Ok(())
}
