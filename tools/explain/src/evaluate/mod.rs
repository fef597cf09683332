//! `explain evaluate`: which baseline explains best? (issue 6; Bardhan et
//! al., "Constructing sensible baselines for Integrated Gradients").
//!
//! 1. Explain `--explain-rows` rows of the validation split with each
//!    baseline (zero, mean, background, weighted) and rank the features by
//!    mean |IG|; a seeded random ranking is the control.
//! 2. Deletion curves: each row's top-k features (by its own attributions)
//!    take the baseline's values; the mean drop of the explained output.
//! 3. Top-k retraining (ROAR): the model's hyper-parameters and seed on the
//!    top-k features of each ranking, k = 1…K, scored on the test split
//!    (accuracy, ROC-AUC, weighted significance Z), in parallel.
//! 4. With `--truth`: OpenXAI feature / rank agreement with the generator's
//!    importance ranking.
//!
//! Tables on stdout; with `--out-dir` the charts, `evaluation.json` and
//! `evaluation.csv` (every number behind the charts).

mod attributions;
mod charts;
mod measure;
mod results;
mod tables;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use glassbox::cli::{progress_bar, set_threads};
use glassbox_glt::attribution_eval::{random_orders, random_ranking, TopKRetrainer};
use glassbox_glt::training::{split_for, LambdaChoice, TrainSpec};
use glassbox_glt::{InputMode, Model};
use glassbox_ig::{IgConfig, Method, Output};
use ndarray::Axis;

use crate::inputs;
use attributions::BaselineRun;
use results::{Evaluation, RankingResult, Timing};

/// Attribution baselines compared, in report order.
const BASELINES: [&str; 4] = ["zero", "mean", "background", "weighted"];
/// Name of the control ranking.
pub const RANDOM: &str = "random";

/// Flags of `explain evaluate`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Model file (binary, tabular).
    #[arg(long)]
    model: PathBuf,
    /// CSV with the model's features and label: the table it was trained on
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
    /// Number of background/weighted baselines K.
    #[arg(long, default_value_t = 10)]
    baselines: usize,
    /// Reference rows for background/weighted baselines, from the training
    /// split: COL=VALUE (default: label = first class).
    #[arg(long)]
    background_filter: Option<String>,
    /// Event-weight column: the weighted baseline and the significance Z.
    #[arg(long)]
    weight_column: Option<String>,
    /// Quadrature: gausslegendre, riemann_left, riemann_right, riemann_middle, riemann_trapezoid.
    #[arg(long, default_value = "gausslegendre")]
    method: String,
    /// Integration steps.
    #[arg(long, default_value_t = 50)]
    steps: usize,
    /// Explained output of class 1: probability or logit.
    #[arg(long, default_value = "probability")]
    output: String,
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
    /// Seed of the random control and of the baseline draws.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Only the tables, no progress bars.
    #[arg(long)]
    quiet: bool,
}

/// The rankings asked for, validated.
fn chosen_rankings(a: &Args) -> Result<Vec<String>> {
    if a.rankings.is_empty() {
        let mut all: Vec<String> = BASELINES.iter().map(|s| s.to_string()).collect();
        if a.weight_column.is_none() {
            all.retain(|r| r != "weighted");
        }
        all.push(RANDOM.into());
        return Ok(all);
    }
    let mut out: Vec<String> = Vec::new();
    for r in &a.rankings {
        if !BASELINES.contains(&r.as_str()) && r != RANDOM {
            bail!("--rankings '{r}' must be among zero, mean, background, weighted, random");
        }
        if r == "weighted" && a.weight_column.is_none() {
            bail!("--rankings weighted needs --weight-column COL");
        }
        if !out.contains(r) {
            out.push(r.clone());
        }
    }
    Ok(out)
}

/// Runs the evaluation.
pub fn run(a: Args) -> Result<()> {
    let start = Instant::now();
    set_threads(a.threads).map_err(anyhow::Error::msg)?;
    let rankings_asked = chosen_rankings(&a)?;
    if !["png", "svg"].contains(&a.format.as_str()) {
        bail!("--format '{}' must be png or svg", a.format);
    }
    if a.k_max == 0 {
        bail!("--k-max must be at least 1");
    }
    if a.explain_rows == 0 {
        bail!("--explain-rows must be at least 1");
    }
    let method: Method = a.method.parse().map_err(|e| anyhow::anyhow!("--method: {e}"))?;
    let output: Output = a.output.parse().map_err(|e| anyhow::anyhow!("--output: {e}"))?;
    if a.steps < method.min_steps() {
        bail!("--steps {}: {method} needs at least {}", a.steps, method.min_steps());
    }
    let model = Model::load(&a.model)?;
    if model.glt.config.mode != InputMode::Tabular {
        bail!("{}: evaluate supports tabular models only (this one is a sequence model)", a.model.display());
    }
    if model.class_names.len() != 2 {
        bail!(
            "{}: evaluate needs a binary model (this one has {} classes)",
            a.model.display(),
            model.class_names.len()
        );
    }
    let truth = match &a.truth {
        Some(p) => Some(results::Truth::load(p, &model.feature_names)?),
        None => None,
    };
    let mut spec = TrainSpec::from_report(&model.report);
    let lambda = match a.retrain_lambda {
        Some(l) if !(l >= 0.0 && l.is_finite()) => bail!("--retrain-lambda {l} must be a number ≥ 0"),
        Some(l) => l,
        None => model.report.lambda,
    };
    spec.lambda = LambdaChoice::Fixed(lambda);
    let mut extra: Vec<String> = a.weight_column.iter().chain(&spec.split_by).cloned().collect();
    if let Some(f) = &a.background_filter {
        extra.push(f.split_once('=').map_or(f.as_str(), |(c, _)| c).to_string());
    }
    if let Some(dir) = &a.out_dir {
        // Early, so that a bad folder fails before minutes of work.
        std::fs::create_dir_all(dir).with_context(|| format!("--out-dir {}", dir.display()))?;
    }
    let inputs = inputs::load(&model, &a.data, &[], &extra)?;
    if inputs.data.labels.is_none() {
        bail!("{}: no label column {} (evaluate retrains and scores)", a.data.display(), spec.label);
    }
    let split = split_for(&inputs.data, &spec)?;
    let n_features = model.feature_names.len();
    let k_max = a.k_max.min(n_features);
    let explained: Vec<usize> = split.validation.iter().copied().take(a.explain_rows).collect();
    let x = inputs.x.select(Axis(0), &explained);
    let weights = match &a.weight_column {
        Some(c) => Some(inputs::weights(&inputs.data, c, &(0..inputs.data.rows()).collect::<Vec<_>>())?),
        None => None,
    };

    // 1. Attributions and rankings per baseline.
    let target = 1;
    let cfg = IgConfig { method, steps: a.steps, target, output, ..IgConfig::default() };
    let background =
        inputs::Background { filter: a.background_filter.as_deref(), among: Some(("training-split", &split.train)) };
    let reference_rows = background.rows(&model, &inputs.data)?.len();
    let (column, value) = background.column_value(&model)?;
    let reference = format!("{reference_rows} training rows with {column} = {value}");
    let baseline_names: Vec<&str> =
        BASELINES.iter().copied().filter(|b| rankings_asked.iter().any(|r| r == b)).collect();
    let bar = progress_bar(
        (baseline_names.len() * explained.len()) as u64,
        a.quiet,
        "explaining [{bar:30}] {pos}/{len} rows×baselines {elapsed_precise}",
    );
    let mut runs: Vec<BaselineRun> = Vec::new();
    for name in &baseline_names {
        let weight_column = a.weight_column.as_deref();
        let baseline = inputs::baseline(name, &model, &inputs, background, weight_column, a.baselines, a.seed, None)?;
        runs.push(attributions::run(&model, &x, name, &baseline, &cfg, &bar)?);
    }
    bar.finish_and_clear();
    let attribution_seconds = start.elapsed().as_secs_f64();
    let mut rankings: Vec<RankingResult> =
        runs.iter().map(|r| RankingResult::from_importance(&r.name, &r.importance, &model.feature_names)).collect();
    if rankings_asked.iter().any(|r| r == RANDOM) {
        rankings.push(RankingResult::random(random_ranking(n_features, a.seed), &model.feature_names));
    }

    // 2. Deletion curves, each against a random order with the same values.
    let t = Instant::now();
    let random_rows = random_orders(explained.len(), n_features, a.seed);
    let deletion = measure::deletion_curves(&model, &x, &runs, &random_rows, k_max, output, target)?;
    let deletion_seconds = t.elapsed().as_secs_f64();

    // 3. Ground-truth agreement.
    let agreement = truth.as_ref().map(|t| t.agreement(&rankings, &runs, &random_rows, k_max));

    // 4. Top-k retraining, every distinct feature set once, in parallel.
    let t = Instant::now();
    let retraining = if a.no_retrain {
        None
    } else {
        let retrainer = TopKRetrainer::new(&inputs.data, &model.groups, spec, weights)?;
        Some(measure::retrain_top_k(&retrainer, &rankings, k_max, lambda, a.quiet)?)
    };
    let retraining_seconds = t.elapsed().as_secs_f64();

    let mut evaluation = Evaluation {
        model: a.model.display().to_string(),
        data: a.data.display().to_string(),
        target: model.class_names[target].clone(),
        output: output.name().into(),
        method: method.name().into(),
        steps: a.steps,
        k_max,
        seed: a.seed,
        explained_rows: explained.len(),
        background_rows: reference_rows,
        baselines_drawn: a.baselines,
        weight_column: a.weight_column.clone(),
        features: model.feature_names.clone(),
        completeness: runs.iter().map(|r| (r.name.clone(), r.max_relative_delta)).collect(),
        rankings,
        deletion,
        retraining,
        truth: agreement,
        summary: Vec::new(),
        seconds: Timing {
            attributions: attribution_seconds,
            deletion: deletion_seconds,
            retraining: retraining_seconds,
            total: start.elapsed().as_secs_f64(),
        },
    };
    evaluation.summary = evaluation.summarise();
    println!("{}", tables::render(&evaluation, &reference));
    if let Some(dir) = &a.out_dir {
        results::write(dir, &evaluation)?;
        let written = charts::write_all(dir, &a.format, &evaluation)?;
        println!("wrote {} charts, evaluation.json and evaluation.csv to {}", written, dir.display());
    }
    Ok(())
}
