//! From a loaded table to a trained [`Model`]: split, scaler, inputs
//! (rows or sequence windows), a dense fit, the λ path (or one fixed λ),
//! the relaxed refit on the chosen support ([`crate::refit`]), the
//! validation-tuned threshold and the held-out report.

use glassbox_autodiff::Tensor;
use ndarray::{Axis, IxDyn};

use crate::checkpoint::Checkpoints;
use crate::data::{grouped_split, stratified_split, Dataset, FeatureGroups, Split};
use crate::examples::Examples;
pub use crate::fit::FitOptions;
use crate::fit::{balanced_class_weights, EpochEnd, Fitted, Problem};
use crate::group_lasso::GroupLasso;
pub use crate::inputs::SequenceSpec;
use crate::inputs::{extra, model_inputs};
use crate::lambda_path::{choose, run_path, PathOptions, PathPoint};
use crate::refit::{choose_relaxed, score, RefitReport};
use crate::report::{GroupReport, TrainingConfig, TrainingReport};
use crate::scaler::Scaler;
use crate::scoring::{metrics, tuned_threshold, validation_scores};
use crate::Model;
use crate::{Glt, GltConfig, GltError, InputMode};

/// Train / validation / test fractions (SPEC §3).
pub const SPLIT_FRACTIONS: (f64, f64, f64) = (0.70, 0.15, 0.15);

/// How λ is chosen.
#[derive(Clone, Debug, PartialEq)]
pub enum LambdaChoice {
    /// One fit with this λ (0 = no penalty).
    Fixed(f64),
    /// A dense fit, then the λ path (SPEC §3 `--lambda auto`).
    Auto(PathOptions),
}

/// Everything `train` needs besides the data.
#[derive(Clone, Debug)]
pub struct TrainSpec {
    /// Label column name (for the report).
    pub label: String,
    /// Architecture sizes; `mode`, `n_features` and `n_classes` are set
    /// from the data.
    pub model: GltConfig,
    /// Optimisation.
    pub fit: FitOptions,
    /// λ choice.
    pub lambda: LambdaChoice,
    /// Balanced class weights (default on).
    pub balanced: bool,
    /// Keep all rows of one value of this extra column in one split.
    pub split_by: Option<String>,
    /// Sequence mode, if any.
    pub sequence: Option<SequenceSpec>,
    /// Refit the chosen support with λ = 0 ([`crate::refit`]; default on).
    pub refit: bool,
}

impl TrainSpec {
    /// SPEC §3 defaults for a label column.
    pub fn new(label: &str) -> Self {
        TrainSpec {
            label: label.to_string(),
            model: GltConfig::tabular(1, 2),
            fit: FitOptions::default(),
            lambda: LambdaChoice::Auto(PathOptions::default()),
            balanced: true,
            split_by: None,
            sequence: None,
            refit: true,
        }
    }
}

/// Progress of a training run, for progress bars.
#[derive(Clone, Debug)]
pub enum Progress<'a> {
    /// An epoch of a fit ended.
    Epoch {
        /// `"dense"`, `"λ=…"` (on the path, or the fixed λ) or `"refit"`.
        phase: &'a str,
        /// Maximum epochs of this fit.
        epochs: usize,
        /// The epoch's losses, validation score and kept groups.
        end: &'a EpochEnd,
    },
    /// A point of the λ path was recorded.
    Path(&'a PathPoint),
}

impl TrainSpec {
    /// The hyper-parameters a model was trained with (its report's), with λ
    /// fixed at the report's chosen value: what retraining the same model on
    /// other features needs (`explain evaluate`).
    pub fn from_report(report: &TrainingReport) -> Self {
        let cfg = &report.config;
        let sequence = SequenceSpec::of_report(report);
        TrainSpec {
            label: cfg.label.clone(),
            model: cfg.model.clone(),
            fit: cfg.fit.clone(),
            lambda: LambdaChoice::Fixed(report.lambda),
            balanced: cfg.balanced_class_weights,
            split_by: cfg.split_by.clone(),
            sequence,
            refit: cfg.refit,
        }
    }

    /// The column whose values are kept within one split, if any (the
    /// sequence key in sequence mode).
    pub fn split_key(&self) -> Option<&str> {
        self.split_by.as_deref().or(self.sequence.as_ref().map(|s| s.by.as_str()))
    }
}

/// The train / validation / test split [`train`] uses for `data` (a function
/// of the labels, the split key and the seed only, so retraining on other
/// features of the same table keeps it).
pub fn split_for(data: &Dataset, spec: &TrainSpec) -> Result<Split, GltError> {
    let labels = data
        .labels
        .as_ref()
        .ok_or_else(|| GltError::Training(format!("{}: no label column was loaded", data.path.display())))?;
    Ok(match spec.split_key() {
        Some(col) => grouped_split(labels, extra(data, col, "split")?, SPLIT_FRACTIONS, spec.fit.seed)?,
        None => stratified_split(labels, SPLIT_FRACTIONS, spec.fit.seed)?,
    })
}

/// Trains a GLT on `data` (labels required) with feature `groups`.
pub fn train(
    data: &Dataset,
    groups: FeatureGroups,
    spec: &TrainSpec,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Model, GltError> {
    train_with_checkpoints(data, groups, spec, None, progress)
}

/// [`train`], saving a checkpoint after every epoch to `checkpoints` (and
/// resuming from the one it holds): the model is bitwise the same as an
/// uninterrupted run's ([`crate::checkpoint`]).
pub fn train_with_checkpoints(
    data: &Dataset,
    groups: FeatureGroups,
    spec: &TrainSpec,
    mut checkpoints: Option<&mut Checkpoints>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Model, GltError> {
    let labels = data
        .labels
        .as_ref()
        .ok_or_else(|| GltError::Training(format!("{}: no label column was loaded", data.path.display())))?;
    groups.validate(data.n_features(), "groups")?;
    let seed = spec.fit.seed;
    let split_key = spec.split_key();
    let split = split_for(data, spec)?;
    let scaler = Scaler::fit(data.x.select(Axis(0), &split.train).view());

    let mut config = spec.model.clone();
    config.n_features = data.n_features();
    config.n_classes = data.class_names.len();
    config.mode = match &spec.sequence {
        None => InputMode::Tabular,
        Some(seq) => InputMode::Sequence { seq_len: seq.window },
    };
    config.validate()?;
    let batch = spec.fit.batch_size.min(split.train.len()).max(1);
    crate::footprint::check_training_memory(&config, batch, crate::footprint::memory_budget())?;
    let x = model_inputs(data, spec.sequence.as_ref(), &scaler)?.x;
    let x = x.mapv(|v| v as f32);
    let part = |rows: &[usize]| Examples::new(x.select(Axis(0), rows), rows.iter().map(|&r| labels[r]).collect());
    let (train_set, val_set, test_set) = (part(&split.train)?, part(&split.validation)?, part(&split.test)?);

    let glt = Glt::new(config)?;
    let class_weights = if spec.balanced {
        balanced_class_weights(&train_set.y, glt.config.n_classes)
    } else {
        vec![1.0; glt.config.n_classes]
    };
    let problem = Problem { glt: &glt, scaler: &scaler, train: &train_set, val: &val_set, class_weights };
    let group_rows = groups.members.clone();
    let group_names = groups.names.clone();

    if let Some(c) = checkpoints.as_deref_mut() {
        let bits: Vec<u8> = data.x.iter().flat_map(|v| v.to_bits().to_le_bytes()).collect();
        let settings = format!("{spec:?} {:?} {:?} {:?} {:?}", groups, data.feature_names, data.labels, data.extra);
        c.bind(crate::checkpoint::fingerprint(&[settings.as_bytes(), &bits]))?;
    }
    // One fit of the run (phase 0: dense or fixed λ; 1..: the λ path's
    // points), replayed or resumed from the checkpoints when they hold it.
    let mut run_phase = |phase: usize,
                         start: Vec<Tensor<f32>>,
                         lasso: &GroupLasso,
                         epochs: usize,
                         opts: &FitOptions,
                         on_epoch: &mut dyn FnMut(&EpochEnd)|
     -> Result<Fitted, GltError> {
        let Some(c) = checkpoints.as_deref_mut() else {
            return Ok(problem.fit(start, lasso, opts, epochs, on_epoch));
        };
        if let Some(done) = c.finished(phase)? {
            return Ok(done);
        }
        let state = match c.in_progress(phase, opts)? {
            Some(state) => state,
            None => problem.start(start, lasso, opts),
        };
        let mut failed = None;
        // A checkpoint that cannot be written stops the run at once (its point is not to lose work).
        let fitted = problem.fit_from(state, lasso, opts, epochs, on_epoch, &mut |s| {
            failed = c.save_state(s).err();
            failed.is_none()
        });
        if let Some(e) = failed {
            return Err(e);
        }
        c.finish(phase, &fitted)?;
        Ok(fitted)
    };

    let init = glt.layout.init(seed);
    let refit_opts = crate::refit::refit_options(&spec.fit);
    // The refit of `start`'s support: λ = 0, the other groups held at zero; and the support's size.
    let on_support = |start: &[Tensor<f32>], lambda: f64| {
        let keep = GroupLasso::new(lambda, group_rows.clone()).support(&start[glt.tokenizer_weight()]);
        (GroupLasso::on_support(group_rows.clone(), &keep), keep.iter().filter(|&&k| k).count())
    };
    // A penalised model against its refit: the report, and the better one's parameters.
    let keep_better = |penalised: Vec<Tensor<f32>>, refit: Fitted, groups_kept: usize| {
        let report = RefitReport::new(
            score(&problem, &penalised, &test_set),
            score(&problem, &refit.params, &test_set),
            refit.epochs_run,
            groups_kept,
        );
        (if report.kept { refit.params } else { penalised }, Some(report))
    };
    let mut epochs_run = Vec::new();
    let mut relaxed = Vec::new();
    let (params, lambda, path, lambda_max, refit) = match &spec.lambda {
        LambdaChoice::Fixed(lambda) => {
            let lasso = GroupLasso::new(*lambda, group_rows.clone());
            let phase = format!("λ={lambda}");
            let fitted = run_phase(0, init, &lasso, spec.fit.epochs, &spec.fit, &mut |end| {
                progress(Progress::Epoch { phase: &phase, epochs: spec.fit.epochs, end })
            })?;
            epochs_run.push(fitted.epochs_run);
            // The relaxed refit of a penalised fit: λ = 0 on its support.
            if spec.refit && *lambda > 0.0 {
                let (lasso, kept) = on_support(&fitted.params, *lambda);
                let refit = run_phase(1, fitted.params.clone(), &lasso, spec.fit.epochs, &refit_opts, &mut |end| {
                    progress(Progress::Epoch { phase: "refit", epochs: spec.fit.epochs, end })
                })?;
                epochs_run.push(refit.epochs_run);
                let (params, report) = keep_better(fitted.params, refit, kept);
                (params, *lambda, Vec::new(), None, report)
            } else {
                (fitted.params, *lambda, Vec::new(), None, None)
            }
        }
        LambdaChoice::Auto(path_opts) => {
            let dense_lasso = GroupLasso::new(0.0, group_rows.clone());
            let dense = run_phase(0, init, &dense_lasso, spec.fit.epochs, &spec.fit, &mut |end| {
                progress(Progress::Epoch { phase: "dense", epochs: spec.fit.epochs, end })
            })?;
            epochs_run.push(dense.epochs_run);
            // The path reports points and its fits' epochs through one progress callback.
            let path_progress = std::cell::RefCell::new(&mut *progress);
            let mut fit_point = |point: usize, start: Vec<Tensor<f32>>, lasso: &GroupLasso| {
                let phase = format!("λ={:.3e}", lasso.lambda);
                run_phase(point, start, lasso, path_opts.epochs_per_point, &spec.fit, &mut |end| {
                    (*path_progress.borrow_mut())(Progress::Epoch {
                        phase: &phase,
                        epochs: path_opts.epochs_per_point,
                        end,
                    })
                })
            };
            let result = run_path(
                &problem,
                dense,
                &group_rows,
                &group_names,
                &spec.fit,
                path_opts,
                &mut |p| (*path_progress.borrow_mut())(Progress::Path(p)),
                &mut fit_point,
            )?;
            epochs_run.extend(result.points[1..].iter().map(|p| p.epochs));
            let points = result.points;
            let (chosen, params, refit) = if spec.refit {
                // The relaxed lasso: supports compared by their refits (crate::refit).
                let mut phase = result.fits;
                let choice = choose_relaxed(&points, points[0].score(), &mut |i| {
                    phase += 1;
                    let label = format!("refit {}", points[i].selected_groups.len());
                    let (lasso, _) = on_support(&result.params[i], points[i].lambda);
                    let start = result.params[i].clone();
                    let fitted = run_phase(phase, start, &lasso, spec.fit.epochs, &refit_opts, &mut |end| {
                        progress(Progress::Epoch { phase: &label, epochs: spec.fit.epochs, end })
                    })?;
                    let (auc, accuracy) =
                        validation_scores(&problem.probabilities(&fitted.params, &val_set), &val_set.y);
                    Ok::<_, GltError>((fitted, auc.unwrap_or(accuracy)))
                })?;
                epochs_run.extend(choice.probes.iter().map(|p| p.epochs));
                relaxed = choice.probes;
                match (choice.point, choice.refit) {
                    (Some(i), Some(fitted)) => {
                        let (params, report) =
                            keep_better(result.params[i].clone(), fitted, points[i].selected_groups.len());
                        (i, params, report)
                    }
                    _ => (0, result.params[0].clone(), None),
                }
            } else {
                let chosen = choose(&points);
                (chosen, result.params[chosen].clone(), None)
            };
            (params, points[chosen].lambda, points, Some(result.lambda_max), refit)
        }
    };

    let val_probs = problem.probabilities(&params, &val_set);
    let threshold = tuned_threshold(&val_probs, &val_set.y);
    let test_probs = problem.probabilities(&params, &test_set);
    let lasso = GroupLasso::new(lambda, group_rows);
    let norms = lasso.norms(&params[glt.tokenizer_weight()]);
    let member_names = groups.member_names(&data.feature_names);
    let group_reports: Vec<GroupReport> = group_names
        .iter()
        .zip(&member_names)
        .zip(&norms)
        .map(|((name, features), &norm)| GroupReport {
            name: name.clone(),
            features: features.clone(),
            norm,
            selected: norm > 0.0,
        })
        .collect();
    let (selected, dropped): (Vec<&GroupReport>, Vec<&GroupReport>) = group_reports.iter().partition(|g| g.selected);
    let names_of = |gs: Vec<&GroupReport>| {
        let mut v: Vec<String> = gs.into_iter().flat_map(|g| g.features.clone()).collect();
        v.sort_by_key(|f| data.feature_index(f));
        v
    };
    let report = TrainingReport {
        metrics: metrics(&test_probs, &test_set.y, threshold),
        validation: metrics(&val_probs, &val_set.y, threshold),
        selected_features: names_of(selected),
        dropped_features: names_of(dropped),
        groups: group_reports,
        lambda,
        path,
        lambda_max,
        missing: scaler.missing.clone(),
        epochs_run,
        refit,
        relaxed,
        config: TrainingConfig {
            model: glt.config.clone(),
            fit: spec.fit.clone(),
            lambda_mode: match &spec.lambda {
                LambdaChoice::Fixed(l) => l.to_string(),
                LambdaChoice::Auto(_) => "auto".into(),
            },
            path: match &spec.lambda {
                LambdaChoice::Auto(p) => p.clone(),
                LambdaChoice::Fixed(_) => PathOptions::default(),
            },
            balanced_class_weights: spec.balanced,
            refit: spec.refit,
            split_by: split_key.map(str::to_string),
            split_rows: split.sizes(),
            label: spec.label.clone(),
            ids: data.ids.iter().map(|(name, _)| name.clone()).collect(),
            sequence_by: spec.sequence.as_ref().map(|s| s.by.clone()),
            order_by: spec.sequence.as_ref().map(|s| s.order_by.clone()),
        },
        seed,
    };
    debug_assert_eq!(params.iter().map(|p| p.raw_dim()).collect::<Vec<IxDyn>>().len(), glt.layout.specs.len());
    Ok(Model {
        glt,
        params,
        feature_names: data.feature_names.clone(),
        groups,
        scaler,
        class_names: data.class_names.clone(),
        report,
    })
}
