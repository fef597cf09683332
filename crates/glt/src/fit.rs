//! Mini-batch training of the GLT: AdamW on the weighted cross-entropy,
//! the group-lasso proximal step after every optimizer step, dropout in
//! training only, early stopping on validation loss (best weights kept).
//! A penalised fit (λ > 0) instead stops once its *support has settled*
//! ([`settled`]): for `settle` epochs the kept groups have not changed, and
//! at the rate each kept group's norm fell over those epochs none would
//! reach zero within the epochs the point has left. A penalised point is
//! there to find a support (the relaxed refit, [`crate::refit`], then fits
//! the weights without shrinkage), so its validation loss, which moves by
//! several per cent from epoch to epoch under dropout, is not waited for.
//!
//! Determinism: batches are a seeded shuffle per epoch and each step's
//! dropout RNG is seeded from (seed, epoch, step), so the same data and
//! seed give bitwise the same parameters for any thread count.

use std::sync::Arc;

use glassbox_autodiff::{Tape, Tensor, Var};
use ndarray::{Array2, Axis};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::examples::Examples;
use crate::group_lasso::GroupLasso;
use crate::layers::Pass;
use crate::optim::AdamW;
use crate::params::constants;
use crate::scaler::Scaler;
use crate::Glt;

/// Rows per inference chunk when evaluating.
const EVAL_CHUNK: usize = 1024;

fn default_settle() -> usize {
    5
}

/// Optimisation settings (SPEC §3 defaults).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FitOptions {
    /// Maximum epochs (200).
    pub epochs: usize,
    /// Mini-batch size (256).
    pub batch_size: usize,
    /// AdamW learning rate (1e-3).
    pub lr: f64,
    /// AdamW weight decay (1e-5), on linear weights only.
    pub weight_decay: f64,
    /// Epochs without validation-loss improvement before stopping (15).
    pub patience: usize,
    /// Seed of shuffling and dropout.
    pub seed: u64,
    /// Epochs over which a penalised fit's support must be settled to stop
    /// early (5; 0 = never: run `epochs_per_point`).
    #[serde(default = "default_settle")]
    pub settle: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { epochs: 200, batch_size: 256, lr: 1e-3, weight_decay: 1e-5, patience: 15, seed: 0, settle: 5 }
    }
}

/// What one call of [`fit`] produced.
#[derive(Clone, Debug)]
pub struct Fitted {
    /// The parameters of the best validation epoch.
    pub params: Vec<Tensor<f32>>,
    /// Validation loss of those parameters.
    pub val_loss: f64,
    /// Epochs run.
    pub epochs_run: usize,
    /// Mean training loss per epoch.
    pub train_losses: Vec<f64>,
    /// Validation loss per epoch.
    pub val_losses: Vec<f64>,
    /// Groups with non-zero tokenizer rows after each epoch.
    pub kept_groups: Vec<usize>,
    /// `‖W_g‖_F` of every group after each epoch (`[epochs][groups]`).
    pub group_norms: Vec<Vec<f64>>,
}

/// What [`Problem::fit`] reports after each epoch.
#[derive(Clone, Copy, Debug)]
pub struct EpochEnd {
    /// 0-based epoch.
    pub epoch: usize,
    /// Mean training loss.
    pub train_loss: f64,
    /// Validation loss.
    pub val_loss: f64,
    /// Validation ROC-AUC (binary) or accuracy (multi-class).
    pub val_score: f64,
    /// Groups with non-zero tokenizer rows.
    pub kept_groups: usize,
}

/// Whether a penalised fit's support has settled after its last epoch,
/// with `remaining` epochs of its budget left: over the last `settle`
/// epochs the number of kept groups has not changed, and no kept group is
/// on course to zero within `remaining` epochs at the rate its norm fell
/// over the window, `n_g / ((n_g⁰ − n_g)/settle) > remaining` for every
/// kept group falling (`n_g⁰` its norm `settle` epochs before).
/// `group_norms` is `[epochs][groups]`, `kept_groups` one count per epoch.
/// A fit whose every group is zero has settled at once: nothing is left to
/// shrink, the empty support is never a model to choose, and the λ path
/// stops there.
///
/// ```
/// use glassbox_glt::fit::settled;
/// let steady = vec![vec![1.0, 0.5]; 7];
/// assert!(settled(&[2; 7], &steady, 5, 40));
/// // A group losing 0.05 per epoch from 0.5 reaches zero in 6 more epochs:
/// let falling: Vec<Vec<f64>> = (0..7).map(|e| vec![1.0, 0.55 - 0.05 * e as f64]).collect();
/// assert!(!settled(&[2; 7], &falling, 5, 40));
/// assert!(settled(&[2; 7], &falling, 5, 3), "but not within the 3 epochs left");
/// assert!(settled(&[3, 0], &[vec![0.2, 0.1, 0.3], vec![0.0; 3]], 5, 40), "every group zero");
/// ```
pub fn settled(kept_groups: &[usize], group_norms: &[Vec<f64>], settle: usize, remaining: usize) -> bool {
    let n = group_norms.len();
    if settle == 0 || kept_groups.len() != n {
        return false;
    }
    if kept_groups.last() == Some(&0) {
        return true;
    }
    if n <= settle {
        return false;
    }
    let kept = &kept_groups[n - settle - 1..];
    if !kept.iter().all(|&k| k == kept[0]) {
        return false;
    }
    let (before, now) = (&group_norms[n - settle - 1], &group_norms[n - 1]);
    before.iter().zip(now).filter(|(_, &b)| b > 0.0).all(|(&a, &b)| {
        let fall = (a - b) / settle as f64;
        fall <= 0.0 || b / fall > remaining as f64
    })
}

/// A fit between two epochs: everything the next epoch needs.
#[derive(Clone, Debug)]
pub struct FitState {
    /// The parameters after the last epoch.
    pub params: Vec<Tensor<f32>>,
    /// The optimizer's moments and step count.
    pub adam: AdamW,
    /// The best (or, penalised, the latest) result so far.
    pub best: Fitted,
    /// Epochs since the best validation loss.
    pub since_best: usize,
    /// The epoch to run next.
    pub next_epoch: usize,
}

/// Everything a training run shares: the architecture, the scaler, the
/// data and the class weights.
pub struct Problem<'a> {
    /// The architecture.
    pub glt: &'a Glt,
    /// The fitted scaler.
    pub scaler: &'a Scaler,
    /// Training rows.
    pub train: &'a Examples,
    /// Validation rows (early stopping).
    pub val: &'a Examples,
    /// Cross-entropy class weights (`[C]`).
    pub class_weights: Vec<f32>,
}

/// Balanced class weights `w_c = N / (C·N_c)` (as scikit-learn's
/// `class_weight="balanced"`); absent classes get weight 0.
pub fn balanced_class_weights(y: &[usize], n_classes: usize) -> Vec<f32> {
    let mut counts = vec![0usize; n_classes];
    y.iter().for_each(|&c| counts[c] += 1);
    counts.iter().map(|&n| if n == 0 { 0.0 } else { y.len() as f32 / (n_classes * n) as f32 }).collect()
}

/// A seed for step `step` of epoch `epoch` (SplitMix64 of the mix).
pub(crate) fn derive_seed(seed: u64, epoch: u64, step: u64) -> u64 {
    let mut z = seed ^ epoch.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ step.wrapping_mul(0xD1B5_4A32_D192_ED03);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Problem<'_> {
    /// Logits `[N, C]` of a set of rows (no tape, chunked).
    pub fn logits(&self, params: &[Tensor<f32>], rows: &Examples) -> Array2<f32> {
        logits_chunked(self.glt, self.scaler, params, &rows.x)
    }

    /// Class-weighted mean cross-entropy of logits (as the training loss).
    pub fn loss(&self, logits: &Array2<f32>, y: &[usize]) -> f64 {
        let (mut num, mut den) = (0.0f64, 0.0f64);
        for (row, &t) in logits.axis_iter(Axis(0)).zip(y) {
            let m = row.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            let lse = f64::from(m) + row.iter().map(|&v| f64::from(v - m).exp()).sum::<f64>().ln();
            let w = f64::from(self.class_weights[t]);
            num += w * (lse - f64::from(row[t]));
            den += w;
        }
        if den > 0.0 {
            num / den
        } else {
            f64::NAN
        }
    }

    /// Trains from `params` with group-lasso strength `lasso.lambda` for at
    /// most `epochs` epochs, stopping after `patience` epochs without a new
    /// best validation loss (penalised: once settled); `on_epoch` sees
    /// each epoch's end. An unpenalised fit (λ = 0, also the refit on a
    /// support) returns its best epoch; a penalised fit returns its last,
    /// because the shrinkage the penalty is there to make raises the
    /// validation loss, and restoring the best epoch would undo it.
    pub fn fit(
        &self,
        params: Vec<Tensor<f32>>,
        lasso: &GroupLasso,
        opts: &FitOptions,
        epochs: usize,
        on_epoch: &mut dyn FnMut(&EpochEnd),
    ) -> Fitted {
        let start = self.start(params, lasso, opts);
        self.fit_from(start, lasso, opts, epochs, on_epoch, &mut |_| true)
    }

    /// The state of a fit before its first epoch: fresh AdamW moments, the
    /// proximal step applied once when penalised, the starting validation
    /// loss as the best so far.
    pub fn start(&self, params: Vec<Tensor<f32>>, lasso: &GroupLasso, opts: &FitOptions) -> FitState {
        let w_idx = self.glt.tokenizer_weight();
        let adam = AdamW::new(&params, opts.lr, opts.weight_decay);
        let mut params = params;
        if lasso.constrains() {
            lasso.prox(&mut params[w_idx], opts.lr);
        }
        let val_loss = self.loss(&self.logits(&params, self.val), &self.val.y);
        let best = Fitted {
            params: params.clone(),
            val_loss,
            epochs_run: 0,
            train_losses: vec![],
            val_losses: vec![],
            kept_groups: vec![],
            group_norms: vec![],
        };
        FitState { params, adam, best, since_best: 0, next_epoch: 0 }
    }

    /// [`Problem::fit`] from a saved `state` (a fresh [`Problem::start`] or
    /// a checkpoint): `on_state` sees the state after every epoch that does
    /// not end the fit (returning `false` stops the fit there), and resuming from any of them gives bitwise the
    /// same result as not stopping (each epoch's shuffle and dropout are
    /// seeded from the epoch number, not from a running generator).
    pub fn fit_from(
        &self,
        state: FitState,
        lasso: &GroupLasso,
        opts: &FitOptions,
        epochs: usize,
        on_epoch: &mut dyn FnMut(&EpochEnd),
        on_state: &mut dyn FnMut(&FitState) -> bool,
    ) -> Fitted {
        let FitState { params, mut adam, mut best, mut since_best, next_epoch } = state;
        let mut params: Vec<Arc<Tensor<f32>>> = params.into_iter().map(Arc::new).collect();
        let unwrap = |p: &[Arc<Tensor<f32>>]| p.iter().map(|t| (**t).clone()).collect::<Vec<_>>();
        let mut order = Vec::new();
        for epoch in next_epoch..epochs {
            let train_loss = self.run_epoch(&mut params, &mut adam, lasso, opts, epoch, &mut order);
            let current = unwrap(&params);
            let logits = self.logits(&current, self.val);
            let val_loss = self.loss(&logits, &self.val.y);
            let (auc, accuracy) = crate::scoring::validation_scores(&softmax_rows(&logits), &self.val.y);
            let norms = lasso.norms(&current[self.glt.tokenizer_weight()]);
            let kept_groups = crate::group_lasso::support_of(&norms).iter().filter(|&&k| k).count();
            best.train_losses.push(train_loss);
            best.val_losses.push(val_loss);
            best.kept_groups.push(kept_groups);
            best.group_norms.push(norms);
            best.epochs_run = epoch + 1;
            let val_score = auc.unwrap_or(accuracy);
            on_epoch(&EpochEnd { epoch, train_loss, val_loss, val_score, kept_groups });
            let improved = val_loss < best.val_loss;
            if improved || lasso.shrinks() {
                best.params = current.clone();
            }
            if lasso.shrinks() && settled(&best.kept_groups, &best.group_norms, opts.settle, epochs - epoch - 1) {
                break;
            }
            if improved {
                (best.val_loss, since_best) = (val_loss, 0);
            } else {
                since_best += 1;
                if since_best >= opts.patience {
                    break;
                }
            }
            if epoch + 1 < epochs {
                let state = FitState {
                    params: current,
                    adam: adam.clone(),
                    best: best.clone(),
                    since_best,
                    next_epoch: epoch + 1,
                };
                if !on_state(&state) {
                    break;
                }
            }
        }
        if lasso.shrinks() {
            best.val_loss = *best.val_losses.last().unwrap_or(&best.val_loss);
        }
        best
    }

    /// One epoch over the training rows in a seeded order (`order` is
    /// scratch space): per mini-batch a forward with dropout, the weighted
    /// cross-entropy, a backward toward every parameter, an AdamW step and
    /// the proximal step. Returns the mean training loss.
    pub fn run_epoch(
        &self,
        params: &mut [Arc<Tensor<f32>>],
        adam: &mut AdamW,
        lasso: &GroupLasso,
        opts: &FitOptions,
        epoch: usize,
        order: &mut Vec<usize>,
    ) -> f64 {
        let decay: Vec<bool> = self.glt.layout.specs.iter().map(|s| s.decay).collect();
        let w_idx = self.glt.tokenizer_weight();
        order.clear();
        order.extend(0..self.train.len());
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(derive_seed(opts.seed, epoch as u64, u64::MAX)));
        let (mut loss_sum, mut weight_sum) = (0.0, 0.0);
        for (step, batch) in order.chunks(opts.batch_size.max(1)).enumerate() {
            let rows = self.train.rows(batch);
            let grads = {
                let tape = Tape::new();
                let leaves: Vec<Var<f32>> = params.iter().map(|p| tape.leaf_shared(Arc::clone(p))).collect();
                let rng = ChaCha8Rng::seed_from_u64(derive_seed(opts.seed, epoch as u64, step as u64));
                let mut pass = Pass { params: &leaves, dropout: Some((self.glt.config.dropout, rng)) };
                let logits = self.glt.logits_raw(self.scaler, &Var::constant(rows.x), &mut pass);
                let loss = logits.cross_entropy(&rows.y, Some(&self.class_weights));
                let w: f64 = rows.y.iter().map(|&t| f64::from(self.class_weights[t])).sum();
                loss_sum += f64::from(loss.value()[[]]) * w;
                weight_sum += w;
                let mut g = loss.backward();
                leaves.iter().map(|l| g.take(l)).collect::<Vec<_>>()
            };
            let mut refs: Vec<&mut Tensor<f32>> = params.iter_mut().map(Arc::make_mut).collect();
            adam.step(&mut refs, &grads, &decay);
            if lasso.constrains() {
                lasso.prox(refs[w_idx], opts.lr);
            }
        }
        loss_sum / weight_sum.max(f64::MIN_POSITIVE)
    }

    /// Class probabilities `[N, C]` (softmax of the logits, in f64).
    pub fn probabilities(&self, params: &[Tensor<f32>], rows: &Examples) -> Array2<f64> {
        softmax_rows(&self.logits(params, rows))
    }
}

/// Logits `[N, C]` of raw inputs (imputed), in chunks of [`EVAL_CHUNK`]
/// rows, without a tape.
pub fn logits_chunked(glt: &Glt, scaler: &Scaler, params: &[Tensor<f32>], x: &Tensor<f32>) -> Array2<f32> {
    let consts: Vec<Var<f32>> = constants(params);
    let n = x.shape()[0];
    let mut out = Array2::<f32>::zeros((n, glt.config.n_classes));
    for start in (0..n).step_by(EVAL_CHUNK) {
        let end = (start + EVAL_CHUNK).min(n);
        let chunk = Var::constant(x.slice_axis(Axis(0), ndarray::Slice::from(start..end)).to_owned());
        let logits = glt.logits_raw(scaler, &chunk, &mut Pass::eval(&consts));
        let l2 = logits.value().view().into_dimensionality::<ndarray::Ix2>().expect("logits are [N, C]");
        out.slice_mut(ndarray::s![start..end, ..]).assign(&l2);
    }
    out
}

/// Row-wise softmax in f64.
pub fn softmax_rows(logits: &Array2<f32>) -> Array2<f64> {
    let mut p = logits.mapv(f64::from);
    for mut row in p.axis_iter_mut(Axis(0)) {
        let m = row.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        row.mapv_inplace(|v| (v - m).exp());
        let s = row.sum();
        row.mapv_inplace(|v| v / s);
    }
    p
}
