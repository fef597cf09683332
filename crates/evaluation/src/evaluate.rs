//! The whole evaluation (issue 6; Bardhan et al., "Constructing sensible
//! baselines for Integrated Gradients"):
//!
//! 1. explain up to `explain_rows` validation-split rows with each
//!    baseline (zero, mean, background, weighted; reference rows from the
//!    training split) and rank the features by mean |IG|; a seeded random
//!    ranking is the control;
//! 2. deletion curves: each row's top-k features take the baseline's
//!    values; the mean drop of the explained output, against a random order;
//! 3. top-k retraining (ROAR) of every ranking, k = 1…K, in parallel;
//! 4. with a [`Truth`]: OpenXAI feature / rank agreement with it.

use std::path::Path;
use std::time::Instant;

use glassbox_data::MissingValues;
use glassbox_explainer::{Background, BaselineSpec, Table};
use glassbox_glt::train::{split_for, LambdaChoice, TrainSpec};
use glassbox_glt::{InputMode, Model};
use glassbox_ig::IgConfig;

use crate::baseline_run::BaselineRun;
use crate::deletion::random_orders;
use crate::error::{request, EvaluationError};
use crate::measure::{deletion_curves, retrain_top_k};
use crate::ranking::random_ranking;
use crate::results::{Evaluation, RankingResult, Timing};
use crate::retrain::TopKRetrainer;
use crate::truth::Truth;
use crate::{BASELINES, RANDOM};

/// What to evaluate and how.
#[derive(Clone, Debug)]
pub struct EvaluationRequest {
    /// Rankings to compare, among [`BASELINES`] and [`RANDOM`] (see
    /// [`EvaluationRequest::rankings_or_all`]).
    pub rankings: Vec<String>,
    /// Largest k for retraining, deletion and agreement.
    pub k_max: usize,
    /// Validation rows explained per baseline.
    pub explain_rows: usize,
    /// `K` of the background / weighted baselines.
    pub baselines: usize,
    /// `COL=VALUE` reference rows (default: label = first class).
    pub background_filter: Option<String>,
    /// Event-weight column: the weighted baseline and the significance Z.
    pub weight_column: Option<String>,
    /// The integration (adaptive or a fixed rule; see
    /// [`glassbox_explainer::Integration`]) and output (the target is class 1).
    pub ig: IgConfig,
    /// The ground truth, if any.
    pub truth: Option<Truth>,
    /// λ of the retrained models (default: the model's).
    pub retrain_lambda: Option<f64>,
    /// Run the top-k retraining.
    pub retrain: bool,
    /// Seed of the random control and of the baseline draws.
    pub seed: u64,
}

impl EvaluationRequest {
    /// The rankings asked for, validated; all of them when none is named
    /// (`weighted` only with a weight column).
    pub fn rankings_or_all(asked: &[String], weight_column: Option<&str>) -> Result<Vec<String>, EvaluationError> {
        if asked.is_empty() {
            let mut all: Vec<String> = BASELINES.iter().map(|s| s.to_string()).collect();
            if weight_column.is_none() {
                all.retain(|r| r != "weighted");
            }
            all.push(RANDOM.into());
            return Ok(all);
        }
        let mut out: Vec<String> = Vec::new();
        for r in asked {
            if !BASELINES.contains(&r.as_str()) && r != RANDOM {
                return request(format!("--rankings '{r}' must be among zero, mean, background, weighted, random"));
            }
            if r == "weighted" && weight_column.is_none() {
                return request("--rankings weighted needs --weight-column COL");
            }
            if !out.contains(r) {
                out.push(r.clone());
            }
        }
        Ok(out)
    }
}

/// A phase of the evaluation, for progress bars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Rows × baselines explained.
    Explaining,
    /// Models retrained.
    Retraining,
}

/// Progress callbacks (`Sync`: retraining runs in parallel).
pub trait Progress: Sync {
    /// A phase with `total` steps begins.
    fn start(&self, phase: Phase, total: usize);
    /// `by` more steps are done.
    fn advance(&self, phase: Phase, by: usize);
    /// The phase ended.
    fn finish(&self, phase: Phase);
}

/// No progress reports.
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _: Phase, _: usize) {}
    fn advance(&self, _: Phase, _: usize) {}
    fn finish(&self, _: Phase) {}
}

/// The columns besides the model's features that an evaluation reads:
/// the weight column, the split key and the background filter's column.
pub fn extra_columns(model: &Model, req: &EvaluationRequest) -> Vec<String> {
    let spec = TrainSpec::from_report(&model.report);
    let filter = Background { filter: req.background_filter.clone(), among: None };
    let mut extra: Vec<String> = req.weight_column.iter().chain(&spec.split_by).cloned().collect();
    extra.extend(filter.column().map(str::to_string));
    extra
}

/// Runs the evaluation of a binary tabular `model` on the table at
/// `data_path` (the table it was trained on: the split is rebuilt from the
/// model's seed), read with the missing-value tokens `na`. `model_name`
/// names the model in the record.
pub fn evaluate(
    model: &Model,
    model_name: &str,
    data_path: &Path,
    na: &MissingValues,
    req: &EvaluationRequest,
    progress: &dyn Progress,
) -> Result<Evaluation, EvaluationError> {
    check_model(model, model_name)?;
    let table = Table::load_with(model, data_path, &[], &extra_columns(model, req), na)?;
    evaluate_table(model, model_name, &table, req, progress)
}

fn check_model(model: &Model, model_name: &str) -> Result<(), EvaluationError> {
    if model.glt.config.mode != InputMode::Tabular {
        return request(format!("{model_name}: evaluate supports tabular models only (this one is a sequence model)"));
    }
    if model.class_names.len() != 2 {
        return request(format!(
            "{model_name}: evaluate needs a binary model (this one has {} classes)",
            model.class_names.len()
        ));
    }
    Ok(())
}

/// [`evaluate`] on a loaded [`Table`] (with the label and the
/// [`extra_columns`]), e.g. one built from a DataFrame.
pub fn evaluate_table(
    model: &Model,
    model_name: &str,
    table: &Table,
    req: &EvaluationRequest,
    progress: &dyn Progress,
) -> Result<Evaluation, EvaluationError> {
    let start = Instant::now();
    check_model(model, model_name)?;
    let mut spec = TrainSpec::from_report(&model.report);
    let lambda = match req.retrain_lambda {
        Some(l) if !(l >= 0.0 && l.is_finite()) => {
            return request(format!("--retrain-lambda {l} must be a number ≥ 0"))
        }
        Some(l) => l,
        None => model.report.lambda,
    };
    spec.lambda = LambdaChoice::Fixed(lambda);
    let filter = Background { filter: req.background_filter.clone(), among: None };
    if table.data.labels.is_none() {
        return request(format!(
            "{}: no label column {} (evaluate retrains and scores)",
            table.data.path.display(),
            spec.label
        ));
    }
    let split = split_for(&table.data, &spec)?;
    let n_features = model.feature_names.len();
    let k_max = req.k_max.min(n_features);
    let explained: Vec<usize> = split.validation.iter().copied().take(req.explain_rows).collect();
    let weights = match &req.weight_column {
        Some(c) => Some(glassbox_explainer::weights(&table.data, c, &(0..table.rows()).collect::<Vec<_>>())?),
        None => None,
    };

    // 1. Attributions and rankings per baseline.
    let target = 1;
    let cfg = IgConfig { target, ..req.ig.clone() };
    let background = Background { among: Some(("training-split".into(), split.train.clone())), ..filter };
    let reference_rows = background.rows(model, &table.data)?.len();
    let (column, value) = background.column_value(model)?;
    let background_reference = format!("{reference_rows} training rows with {column} = {value}");
    let names: Vec<&str> = BASELINES.iter().copied().filter(|b| req.rankings.iter().any(|r| r == b)).collect();
    progress.start(Phase::Explaining, names.len() * explained.len());
    let mut runs: Vec<BaselineRun> = Vec::new();
    for name in &names {
        let spec =
            BaselineSpec::parse(name, background.clone(), req.weight_column.as_deref(), req.baselines, req.seed, None)?;
        let advance = |by: usize| progress.advance(Phase::Explaining, by);
        runs.push(BaselineRun::run(model, table, &explained, name, spec, &cfg, &advance)?);
    }
    progress.finish(Phase::Explaining);
    let attribution_seconds = start.elapsed().as_secs_f64();
    let mut rankings: Vec<RankingResult> =
        runs.iter().map(|r| RankingResult::from_importance(&r.name, &r.importance, &model.feature_names)).collect();
    if req.rankings.iter().any(|r| r == RANDOM) {
        rankings.push(RankingResult::random(random_ranking(n_features, req.seed), &model.feature_names));
    }

    // 2. Deletion curves, each against a random order with the same values.
    let t = Instant::now();
    let random_rows = random_orders(explained.len(), n_features, req.seed);
    let x = table.inputs.select(&explained).x;
    let deletion = deletion_curves(model, &x, &runs, &random_rows, k_max, cfg.output, target)?;
    let deletion_seconds = t.elapsed().as_secs_f64();

    // 3. Ground-truth agreement.
    let agreement = req.truth.as_ref().map(|t| t.agreement(&rankings, &runs, &random_rows, k_max));

    // 4. Top-k retraining, every distinct feature set once, in parallel.
    let t = Instant::now();
    let retraining = if req.retrain {
        let retrainer = TopKRetrainer::new(&table.data, &model.groups, spec, weights)?;
        let started = |n: usize| progress.start(Phase::Retraining, n);
        let advance = || progress.advance(Phase::Retraining, 1);
        let r = retrain_top_k(&retrainer, &rankings, k_max, lambda, &started, &advance)?;
        progress.finish(Phase::Retraining);
        Some(r)
    } else {
        None
    };
    let retraining_seconds = t.elapsed().as_secs_f64();

    let mut evaluation = Evaluation {
        model: model_name.to_string(),
        data: table.data.path.display().to_string(),
        target: model.class_names[target].clone(),
        output: cfg.output.name().into(),
        method: glassbox_explainer::method_name(&cfg).into(),
        steps: cfg.adaptive.is_none().then_some(cfg.steps),
        k_max,
        seed: req.seed,
        explained_rows: explained.len(),
        background_rows: reference_rows,
        baselines_drawn: req.baselines,
        weight_column: req.weight_column.clone(),
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
        background_reference,
    };
    evaluation.summary = evaluation.summarise();
    Ok(evaluation)
}
