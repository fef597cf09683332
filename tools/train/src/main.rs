//! `train`: fits a Group Lasso Transformer on a CSV table (SPEC §3, §6),
//! writes the model file and, with `--report`, the training report.
//!
//! ```text
//! train --data data.csv --label Tc_target --groups models/railway-groups.toml \
//!       --id Tc_BaseCode,Tc_SectionBreakStartKM,Tc_date --lambda auto --out model.glt --report report.json
//! ```

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Parser;
use glassbox::cli::{error_line, fail, parse_args, progress_bar, set_threads, write_atomic, DataArgs};
use glassbox_data::{load_table, FeatureGroups, LoadOptions};
use glassbox_data::{OutputPlan, StagedFiles};
use glassbox_glt::checkpoint::Checkpoints;
use glassbox_glt::lambda_path::PathOptions;
use glassbox_glt::metrics::Metrics;
use glassbox_glt::sizing::{SizeDefaults, MEDIUM_TABLE_ROWS, SMALL_TABLE_ROWS};
use glassbox_glt::train::{train_with_checkpoints, LambdaChoice, Progress, SequenceSpec, TrainSpec};
use glassbox_glt::{GltConfig, InputMode};

/// Train a Group Lasso Transformer on a table (CSV, Parquet or Arrow IPC).
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Table file: .csv (with a header row), .parquet, or Arrow IPC (.arrow, .feather, .ipc).
    #[arg(long)]
    data: PathBuf,
    /// Label column (class per row).
    #[arg(long)]
    label: String,
    /// Feature columns, by name or glob (default: every other column).
    #[arg(long, value_delimiter = ',')]
    features: Vec<String>,
    /// Columns (names or globs) to leave out of the features.
    #[arg(long, value_delimiter = ',')]
    exclude: Vec<String>,
    /// Id columns carried into reports (never features).
    #[arg(long, value_delimiter = ',')]
    id: Vec<String>,
    /// Groups file (TOML `[groups]`); default: one group per feature.
    #[arg(long)]
    groups: Option<PathBuf>,
    /// Group-lasso strength: `auto` (λ path) or a number ≥ 0.
    #[arg(long, default_value = "auto")]
    lambda: String,
    /// Sequence mode: the entity column (e.g. the track section).
    #[arg(long, requires_all = ["order_by", "window"])]
    sequence_by: Option<String>,
    /// Sequence mode: the column records are ordered by (dates or numbers).
    #[arg(long, requires = "sequence_by")]
    order_by: Option<String>,
    /// Sequence mode: records per window (T, at most 4096).
    #[arg(long, requires = "sequence_by")]
    window: Option<usize>,
    /// Keep all rows of one value of this column in one split.
    #[arg(long)]
    split_by: Option<String>,
    /// Maximum epochs of the dense fit and of the refit [default: 200; 100 under 2,000 rows].
    #[arg(long)]
    epochs: Option<usize>,
    /// Seed of initialisation, splits, shuffling and dropout.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads (default: one per core; at most 4 per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Where to write the model file (.glt).
    #[arg(long)]
    out: PathBuf,
    /// Where to write the training report (.json).
    #[arg(long)]
    report: Option<PathBuf>,
    /// Save a checkpoint to this folder after every epoch (and λ-path point); see --resume.
    #[arg(long, value_name = "DIR")]
    checkpoint: Option<PathBuf>,
    /// Continue the run whose checkpoint is in --checkpoint DIR (same data and flags): the model is bitwise the one an uninterrupted run gives.
    #[arg(long, requires = "checkpoint")]
    resume: bool,
    /// Token width d (at most 4096, and what fits the machine's memory with the other sizes) [default: 64; 32 under 20,000 rows].
    #[arg(long)]
    d_model: Option<usize>,
    /// Attention heads (must divide --d-model) [default: 4].
    #[arg(long)]
    heads: Option<usize>,
    /// Encoder blocks (at most 64) [default: 3; 2 under 20,000 rows].
    #[arg(long)]
    blocks: Option<usize>,
    /// FFN hidden width (at most 16384) [default: 128; 64 under 20,000 rows].
    #[arg(long)]
    d_ff: Option<usize>,
    /// Mini-batch size.
    #[arg(long, default_value_t = 256)]
    batch_size: usize,
    /// AdamW learning rate.
    #[arg(long, default_value_t = 1e-3)]
    lr: f64,
    /// Early-stopping patience (epochs).
    #[arg(long, default_value_t = 15)]
    patience: usize,
    /// Points of the λ path after the dense fit.
    #[arg(long, default_value_t = 8)]
    path_points: usize,
    /// Maximum epochs per λ-path point (each stops earlier once its kept groups have settled, see --settle) [default: 20; 15 under 2,000 rows].
    #[arg(long)]
    path_epochs: Option<usize>,
    /// A λ-path point stops once its kept groups have not changed for this many epochs and none is on course to zero within the point's remaining epochs (0: run --path-epochs).
    #[arg(long, default_value_t = 5)]
    settle: usize,
    /// No relaxed refit: keep the penalised model, and choose the λ-path point by penalised validation scores (by default each candidate support is refit with λ = 0 and the sparsest that scores within 0.005 of the best is kept).
    #[arg(long)]
    no_refit: bool,
    /// Do not weight classes by inverse frequency.
    #[arg(long)]
    unbalanced: bool,
    /// No progress bars.
    #[arg(long)]
    quiet: bool,
    #[command(flatten)]
    reading: DataArgs,
}

fn lambda_choice(a: &Args, sized: &SizeDefaults) -> Result<LambdaChoice> {
    if a.lambda == "auto" {
        if a.path_points == 0 {
            bail!("--path-points must be at least 1");
        }
        return Ok(LambdaChoice::Auto(PathOptions {
            points: a.path_points,
            min_ratio: 0.01,
            epochs_per_point: a.path_epochs.unwrap_or(sized.epochs_per_point),
        }));
    }
    match a.lambda.parse::<f64>() {
        Ok(l) if l.is_finite() && l >= 0.0 => Ok(LambdaChoice::Fixed(l)),
        _ => bail!("--lambda '{}' must be 'auto' or a number ≥ 0", a.lambda),
    }
}

fn run(a: Args) -> Result<()> {
    set_threads(a.threads).map_err(anyhow::Error::msg)?;
    // Every output checked before any work: extension, folder, not an input or another output.
    let mut plan = OutputPlan::default();
    plan.input("--data", &a.data);
    if let Some(g) = &a.groups {
        plan.input("--groups", g);
    }
    plan.output("--out", &a.out, &["glt"])?;
    if let Some(r) = &a.report {
        plan.output("--report", r, &["json"])?;
    }
    for (flag, v) in [
        ("--epochs", a.epochs),
        ("--batch-size", Some(a.batch_size)),
        ("--d-model", a.d_model),
        ("--heads", a.heads),
        ("--blocks", a.blocks),
        ("--d-ff", a.d_ff),
    ] {
        if v == Some(0) {
            bail!("{flag} must be at least 1");
        }
    }
    if !(a.lr > 0.0 && a.lr.is_finite()) {
        bail!("--lr must be a positive number");
    }
    lambda_choice(&a, &SizeDefaults::STANDARD)?;
    // The architecture's caps before the data is read (features and classes are checked after),
    // with the flags given and the size defaults for the rest.
    let check_sizes = |sized: &SizeDefaults| -> Result<GltConfig> {
        let sizes = GltConfig {
            d_model: a.d_model.unwrap_or(sized.d_model),
            n_heads: a.heads.unwrap_or(sized.n_heads),
            n_blocks: a.blocks.unwrap_or(sized.n_blocks),
            d_ff: a.d_ff.unwrap_or(sized.d_ff),
            ..GltConfig::tabular(1, 2)
        };
        for (flag, value, cap) in [
            ("--d-model", sizes.d_model, glassbox_glt::MAX_D_MODEL),
            ("--d-ff", sizes.d_ff, glassbox_glt::MAX_D_FF),
            ("--blocks", sizes.n_blocks, glassbox_glt::MAX_BLOCKS),
            ("--window", a.window.unwrap_or(1), glassbox_glt::MAX_WINDOW),
        ] {
            if value > cap {
                bail!("{flag} {value} is above the cap of {cap}; use {flag} {cap} or less");
            }
        }
        let sizes = match a.window {
            Some(seq_len) => GltConfig { mode: InputMode::Sequence { seq_len }, ..sizes },
            None => sizes,
        };
        sizes.validate()?;
        Ok(sizes)
    };
    check_sizes(&SizeDefaults::STANDARD)?;
    check_sizes(&SizeDefaults::SMALL)?;
    let mut checkpoints = a.checkpoint.as_deref().map(|dir| Checkpoints::open(dir, a.resume)).transpose()?;
    if let Some(c) = &checkpoints {
        plan.output("--checkpoint", c.file(), &[])?;
        if a.resume && !c.resumed() && !a.quiet {
            eprintln!("--resume: {} holds no checkpoint yet; starting from the beginning", c.file().display());
        }
    }
    let sequence = match (&a.sequence_by, &a.order_by, a.window) {
        (Some(by), Some(order_by), Some(window)) => {
            Some(SequenceSpec { by: by.clone(), order_by: order_by.clone(), window })
        }
        _ => None,
    };
    let mut extra: Vec<String> = a.split_by.iter().cloned().collect();
    if let Some(s) = &sequence {
        extra.extend([s.by.clone(), s.order_by.clone()]);
    }
    extra.sort();
    extra.dedup();
    let opts = LoadOptions {
        label: Some(a.label.clone()),
        features: a.features.clone(),
        exclude: a.exclude.clone(),
        ids: a.id.clone(),
        extra,
        na_values: a.reading.missing_values(),
        ..LoadOptions::default()
    };
    let data = load_table(&a.data, &opts)?;
    for w in &data.warnings {
        eprintln!("warning: {w}");
    }
    let groups = match &a.groups {
        Some(path) => {
            let (groups, warnings) = FeatureGroups::load(path, &data.feature_names)?;
            warnings.iter().for_each(|w| eprintln!("warning: {w}"));
            groups
        }
        None => FeatureGroups::singletons(&data.feature_names),
    };
    let missing: usize = data.missing.iter().sum();
    if !a.quiet {
        eprintln!(
            "{}: {} rows, {} features in {} groups, classes {:?}, {missing} missing cells",
            a.data.display(),
            data.rows(),
            data.n_features(),
            groups.len(),
            data.class_names
        );
    }
    let sized = SizeDefaults::for_rows(data.rows());
    let sizes = check_sizes(&sized)?;
    let epochs = a.epochs.unwrap_or(sized.epochs);
    if sized != SizeDefaults::STANDARD && !a.quiet {
        let band = if sized.is_small() { SMALL_TABLE_ROWS } else { MEDIUM_TABLE_ROWS };
        eprintln!(
            "a table under {band} rows: d_model {}, {} blocks, d_ff {}, {epochs} epochs, unless given by flags",
            sizes.d_model, sizes.n_blocks, sizes.d_ff
        );
    }
    let mut spec = TrainSpec::new(&a.label);
    sized.apply(&mut spec);
    // The flags given win over the size defaults.
    (spec.model.d_model, spec.model.n_heads) = (sizes.d_model, sizes.n_heads);
    (spec.model.n_blocks, spec.model.d_ff) = (sizes.n_blocks, sizes.d_ff);
    spec.fit.epochs = epochs;
    spec.fit.batch_size = a.batch_size;
    spec.fit.lr = a.lr;
    spec.fit.patience = a.patience;
    spec.fit.seed = a.seed;
    spec.fit.settle = a.settle;
    spec.lambda = lambda_choice(&a, &sized)?;
    spec.refit = !a.no_refit;
    spec.balanced = !a.unbalanced;
    spec.split_by = a.split_by.clone();
    spec.sequence = sequence;

    let bar = progress_bar(epochs as u64, a.quiet, "{msg} [{bar:24}] epoch {pos}/{len} {elapsed_precise}");
    let quiet = a.quiet;
    let score_name = if data.class_names.len() == 2 { "ROC-AUC" } else { "accuracy" };
    let model = train_with_checkpoints(&data, groups, &spec, checkpoints.as_mut(), &mut |p| match p {
        Progress::Epoch { phase, epochs, end } => {
            bar.set_length(epochs as u64);
            bar.set_position(end.epoch as u64 + 1);
            bar.set_message(format!(
                "{phase:>11}  groups {:>3}  val {score_name} {:.4}  loss {:.4}",
                end.kept_groups, end.val_score, end.val_loss
            ));
        }
        Progress::Path(point) => {
            if !quiet {
                bar.suspend(|| {
                    eprintln!(
                        "λ = {:<10.4} groups kept {:>3}  val ROC-AUC {}  val loss {:.4}  ({} epochs)",
                        point.lambda,
                        point.selected_groups.len(),
                        point.val_roc_auc.map_or("n/a".into(), |v| format!("{v:.4}")),
                        point.val_loss,
                        point.epochs
                    )
                });
            }
        }
    })?;
    bar.finish_and_clear();
    // The model and a report in its folder are staged, then moved into place one after the other.
    let folder = |p: &std::path::Path| p.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let mut stage = StagedFiles::new(&folder(&a.out))?;
    model.save(&stage.path(&a.out)).with_context(|| format!("--out {}", a.out.display()))?;
    if let Some(path) = &a.report {
        let json = serde_json::to_vec_pretty(&model.report).context("encoding the report")?;
        if folder(path) == folder(&a.out) {
            std::fs::write(stage.path(path), &json).with_context(|| format!("--report {}", path.display()))?;
        } else {
            write_atomic(path, &json)?;
        }
    }
    stage.commit()?;
    if let Some(c) = checkpoints {
        c.remove()?;
    }
    let r = &model.report;
    match &r.metrics {
        Metrics::Binary(m) => println!(
            "held-out: ROC-AUC {}  PR-AUC {}  F1 {:.4}  accuracy {:.4}  (threshold {:.4})",
            m.roc_auc.map_or("n/a".into(), |v| format!("{v:.4}")),
            m.pr_auc.map_or("n/a".into(), |v| format!("{v:.4}")),
            m.f1,
            m.accuracy,
            m.threshold
        ),
        Metrics::Multiclass(m) => println!("held-out: accuracy {:.4}  macro-F1 {:.4}", m.accuracy, m.macro_f1),
    }
    if let Some(refit) = &r.refit {
        println!(
            "refit with λ = 0 on the {} kept groups ({} epochs): val {score_name} {:.4} against {:.4} penalised; kept the {} model",
            refit.groups_kept,
            refit.epochs,
            refit.refit.val_score,
            refit.penalised.val_score,
            if refit.kept { "refit" } else { "penalised" }
        );
    }
    println!("λ = {}: {} features kept, {} dropped", r.lambda, r.selected_features.len(), r.dropped_features.len());
    if !r.dropped_features.is_empty() {
        println!("dropped: {}", r.dropped_features.join(", "));
    }
    println!("model written to {}", a.out.display());
    Ok(())
}

fn main() {
    let args: Args = parse_args();
    if let Err(e) = run(args) {
        fail(error_line(e.as_ref()));
    }
}
