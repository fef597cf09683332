//! The adaptive engine: per (row, baseline) path, gradient evaluations go
//! where the integrand `g(α) = ∇F(b + α(x − b))` changes, until the row's
//! completeness gap and error estimate meet a [`Convergence`] criterion.
//!
//! Why: a fixed rule spends `n` nodes uniformly. On a saturated model the
//! explained probability can go from 0.001 to 0.99 within `Δα ≈ 0.007`;
//! 50 Gauss–Legendre nodes about 0.03 apart then see one or two points of
//! the transition and miss `F(x) − F(b)` by up to several times itself.
//!
//! The algorithm, for every path `p = (r, k)`, `d = x_r − b_k`:
//!
//! 1. **Scan** (forward only, no tape): `F` at `α = j/M`, `j = 0..=M`
//!    (`M = AdaptiveSpec::scan`, default 32), all paths in one batched
//!    pass. The steps `v_j = |F_{j+1} − F_j|`, `V = Σ v_j`, place the first
//!    panels: a step carrying more than `V/4` (8× its uniform share) is a
//!    panel of its own, and each run of the other steps is one panel. A
//!    flat or smooth path gets one panel `[0, 1]`; a transition narrower
//!    than `1/M` gets a panel of width `1/M` (or two), with one panel for
//!    each stretch on either side.
//! 2. **Panels**: on `[a, b]`, G7/K15 ([`crate::kronrod`]) with 15 gradient
//!    evaluations; `K = (b − a)Σ k_j g(α_j)` is the panel's integral (a
//!    vector, one entry per feature) and its error is
//!    `e = max(Σ_i |d_i·(K_i − G_i)|, |Σ_i d_i K_i − (F(b) − F(a))|)`, in
//!    output units: the first term covers every feature of the gradient,
//!    the second is the panel's own completeness gap (`F` at the panel ends
//!    is known: from the scan, or the midpoint node `t = ½` of the parent
//!    panel, so it costs nothing), which catches a transition that all 15
//!    nodes miss.
//! 3. **Rounds**: per row, `IG_r = mean_k d_k ⊙ Σ_panels K` (panels left to
//!    right, paths in baseline order, f64), the gap
//!    `δ_r = Σ_i IG_ri − (F(x_r) − mean_k F(b_k))`, the error
//!    `E_r = mean_k Σ_panels e`, and the tolerance
//!    `τ_r = max(rel·|F(x_r) − mean_k F(b_k)|, abs)`. A row is done when
//!    `E_r ≤ τ_r` (resolvable errors only) and `|δ_r| ≤ τ_r` (then
//!    `converged`). Otherwise its
//!    panels (all paths) are bisected worst error first until the error
//!    left in the others is `≤ τ_r/2`, or at least the worst one when only
//!    `|δ_r|` is over. All new panels of a round, over all rows and paths,
//!    go through one chunked batched pass ([`crate::integrate::gradient_map`]).
//! 4. **Cap**: a row may spend `K·max_evaluations` gradient evaluations
//!    (15 per panel evaluated, bisected ones included). A round never
//!    starts bisections past it; a row that cannot refine further stops
//!    with `converged = false` (never a loop). Non-finite `F` or gradients
//!    are an [`IgError::NonFinite`].
//!
//! **Several classes** ([`crate::explain_targets`]): the decisions above
//! are taken per class, exactly as for that class alone (its own scan,
//! panels, errors, bisections and cap); what is shared is the work. `F`
//! and the scan come from one forward for every class, and each round
//! evaluates the union of the classes' new panels (a panel two classes
//! both want, e.g. `[0, 1]` on a flat path, once) with one forward and one
//! backward per class that wants any panel of the chunk. A class reads
//! only its own panels' sums, and a point's gradient does not depend on
//! its chunk, so every class's result is bitwise its result alone.
//!
//! Determinism: a point's gradient does not depend on its chunk, panels sum
//! their nodes in node order, paths their panels left to right, rows their
//! paths in baseline order, all in f64, and every decision depends only on
//! those values: the same bits for any thread count and memory budget.

use glassbox_autodiff::Tensor;
use ndarray::Axis;

use crate::explainable::{Explainable, Float, Output};
use crate::integrate::{gradient_map_targets, outputs_targets, path_outputs_targets, Group, PointSpec};
use crate::kronrod::{GaussKronrod, NODES};
use crate::panels::{non_finite, panel_sums, ClassRun, Rules};
use crate::IgError;

/// When a row's integral is good enough: `|δ| ≤ max(rel·|ΔF|, abs)`, `ΔF`
/// the output difference `F(x) − F(x')` being attributed.
///
/// The absolute floor keeps the test meaningful when `ΔF ≈ 0` (a purely
/// relative one can never be met there). Defaults: `rel = 1e-3`,
/// `abs = 1e-6` (suited to probabilities; raise `abs` for logits of large
/// magnitude).
///
/// ```
/// use glassbox_ig::Convergence;
/// let c = Convergence::default();
/// assert_eq!(c.tolerance(0.5), 5e-4);
/// assert_eq!(c.tolerance(1e-9), 1e-6); // the absolute floor
/// assert!(c.met(4e-4, 0.5) && !c.met(6e-4, 0.5) && c.met(-1e-7, 0.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Convergence {
    /// Relative tolerance on `|δ|/|ΔF|`.
    pub rel: f64,
    /// Absolute tolerance on `|δ|`, in output units.
    pub abs: f64,
}

impl Default for Convergence {
    fn default() -> Self {
        Convergence { rel: 1e-3, abs: 1e-6 }
    }
}

impl Convergence {
    /// `max(rel·|diff|, abs)`.
    pub fn tolerance(&self, diff: f64) -> f64 {
        (self.rel * diff.abs()).max(self.abs)
    }

    /// `|delta| ≤ tolerance(diff)` (false for a non-finite delta).
    pub fn met(&self, delta: f64, diff: f64) -> bool {
        delta.abs() <= self.tolerance(diff)
    }

    /// Errors unless `rel ≥ 0`, `abs ≥ 0`, both finite, one positive.
    pub fn validate(&self) -> Result<(), IgError> {
        let ok = |v: f64| v.is_finite() && v >= 0.0;
        if !ok(self.rel) || !ok(self.abs) || (self.rel == 0.0 && self.abs == 0.0) {
            return Err(IgError::Config(format!(
                "convergence needs finite rel ≥ 0 and abs ≥ 0, not both 0 (got rel {}, abs {})",
                self.rel, self.abs
            )));
        }
        Ok(())
    }
}

/// Settings of the adaptive engine ([`crate::IgConfig::adaptive`]).
///
/// ```
/// use glassbox_ig::AdaptiveSpec;
/// let s = AdaptiveSpec::default();
/// assert_eq!((s.convergence.rel, s.convergence.abs, s.max_evaluations, s.scan), (1e-3, 1e-6, 2000, 32));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AdaptiveSpec {
    /// The stopping criterion (default rel 1e-3, abs 1e-6).
    pub convergence: Convergence,
    /// Gradient evaluations allowed per (row, baseline) path (default
    /// 2 000); a row with `K` baselines may spend `K·max_evaluations`, on
    /// whichever of its paths need them. At least 15 (one panel).
    pub max_evaluations: usize,
    /// Intervals `M` of the forward-only scan (`M + 1` forward evaluations
    /// per path; default 32).
    pub scan: usize,
}

impl Default for AdaptiveSpec {
    fn default() -> Self {
        AdaptiveSpec { convergence: Convergence::default(), max_evaluations: 2000, scan: 32 }
    }
}

impl AdaptiveSpec {
    /// Errors on settings the engine cannot use.
    pub fn validate(&self) -> Result<(), IgError> {
        self.convergence.validate()?;
        if self.max_evaluations < NODES {
            return Err(IgError::Config(format!(
                "max_evaluations {} is below one panel ({NODES} evaluations)",
                self.max_evaluations
            )));
        }
        if self.scan == 0 {
            return Err(IgError::Config("the adaptive scan needs at least 1 interval".into()));
        }
        Ok(())
    }
}

/// What the adaptive engine computed.
#[derive(Clone, Debug)]
pub(crate) struct AdaptiveResult {
    pub attributions: Tensor<f64>,
    pub output: Vec<f64>,
    pub baseline_output: f64,
    pub delta: Vec<f64>,
    pub error: Vec<f64>,
    pub converged: Vec<bool>,
    pub evaluations: Vec<usize>,
    pub forward_evaluations: Vec<usize>,
    pub chunks: usize,
    pub gradients_computed: usize,
}

/// The adaptive pass for rows `x [R, ..row]` and baselines `b [K, ..row]`,
/// for every class of `targets` (one [`AdaptiveResult`] each, in order).
pub(crate) fn adaptive<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    spec: &AdaptiveSpec,
    targets: &[usize],
    output: Output,
    memory_budget: usize,
) -> Result<Vec<AdaptiveResult>, IgError> {
    spec.validate()?;
    let (r, k) = (x.shape()[0], baselines.shape()[0]);
    let row_len: usize = model.row_shape().iter().product();
    let gk = GaussKronrod::new();

    // F(x_r), F(b_k) exactly as the fixed pass computes them.
    let eval_chunk = (memory_budget / model.bytes_per_row().max(1)).max(1);
    let outs = outputs_targets::<T, M>(model, x, targets, output, eval_chunk);
    let bases = outputs_targets::<T, M>(model, baselines, targets, output, eval_chunk);
    for (out, base) in outs.iter().zip(&bases) {
        if let Some(row) = out.iter().position(|v| !v.is_finite()) {
            return Err(non_finite("F(x)", row));
        }
        if !(base.iter().sum::<f64>() / k as f64).is_finite() {
            return Err(IgError::NonFinite { what: "F at a baseline".into(), row: None });
        }
    }

    // 1. Scan, every class from one forward.
    let paths: Vec<(usize, usize)> = (0..r * k).map(|p| (p / k, p % k)).collect();
    let m = spec.scan;
    let alphas: Vec<f64> = (0..=m).map(|j| j as f64 / m as f64).collect();
    let scans = path_outputs_targets::<T, M>(model, x, baselines, &paths, &alphas, targets, output, memory_budget)?;
    let rules = Rules {
        rows: r,
        baselines: k,
        row_len,
        convergence: spec.convergence,
        budget: k * spec.max_evaluations,
        eps: T::epsilon().to_f64().unwrap_or(f64::EPSILON),
        diffs: paths
            .iter()
            .map(|&(row, kk)| {
                let (xr, bk) = (x.index_axis(Axis(0), row), baselines.index_axis(Axis(0), kk));
                xr.iter().zip(bk.iter()).map(|(a, b)| a - b).collect()
            })
            .collect(),
        difference: gk.difference(),
        rule: gk,
    };
    let mut runs = Vec::with_capacity(targets.len());
    for ((out, base), scan) in outs.into_iter().zip(bases).zip(&scans) {
        if let Some(i) = scan.iter().position(|v| !v.is_finite()) {
            return Err(non_finite("F along the path", i / (m + 1) / k));
        }
        runs.push(ClassRun::start(&rules, x, out, &base, scan, m));
    }

    while runs.iter().any(|c| !c.todo.is_empty()) {
        // 2. The union of every class's new panels in one batched pass.
        let key = |path: usize, lo: f64, hi: f64| (path, lo.to_bits(), hi.to_bits());
        let mut keys: Vec<(usize, u64, u64)> =
            runs.iter().flat_map(|c| c.todo.iter().map(|t| key(t.path, t.lo, t.hi))).collect();
        keys.sort_unstable();
        keys.dedup();
        let groups: Vec<Group> = keys
            .iter()
            .map(|&(path, lo, hi)| Group {
                row: path / k,
                baseline: path % k,
                lo: f64::from_bits(lo),
                hi: f64::from_bits(hi),
            })
            .collect();
        let index: Vec<Vec<usize>> = runs
            .iter()
            .map(|c| {
                c.todo.iter().map(|t| keys.binary_search(&key(t.path, t.lo, t.hi)).expect("in the union")).collect()
            })
            .collect();
        let mut wanted = vec![vec![false; targets.len()]; groups.len()];
        for (c, idx) in index.iter().enumerate() {
            idx.iter().for_each(|&g| wanted[g][c] = true);
        }
        let points =
            PointSpec { nodes: &rules.rule.nodes, seeds: &[1.0; NODES], target: targets[0], output, memory_budget };
        let sums = gradient_map_targets::<T, M, _, _, _>(
            model,
            x,
            baselines,
            &groups,
            &points,
            targets,
            |g, c| wanted[g][c],
            |_, g, grads, f| panel_sums(&rules, g, grads, f),
        )?;
        // 3. Per class, its own panels: assemble, test, choose bisections.
        for (c, run) in runs.iter_mut().enumerate().filter(|(_, run)| !run.todo.is_empty()) {
            run.res.chunks += sums.chunks;
            run.res.gradients_computed += sums.gradients_computed[c];
            let mine: Vec<_> = index[c].iter().map(|&g| sums.results[g][c].as_ref().expect("wanted")).collect();
            run.round(&rules, &mine)?;
        }
    }
    Ok(runs.into_iter().map(|c| c.res).collect())
}
