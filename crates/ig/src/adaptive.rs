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
//! Determinism: a point's gradient does not depend on its chunk, panels sum
//! their nodes in node order, paths their panels left to right, rows their
//! paths in baseline order, all in f64, and every decision depends only on
//! those values: the same bits for any thread count and memory budget.

use glassbox_autodiff::Tensor;
use ndarray::Axis;

use crate::explainable::{Explainable, Float, Output};
use crate::integrate::{gradient_map, outputs, path_outputs, Group, PointSpec};
use crate::kronrod::{GaussKronrod, MIDPOINT, NODES};
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

/// One evaluated panel of a path.
#[derive(Clone, Debug)]
struct Panel {
    lo: f64,
    hi: f64,
    f_lo: f64,
    f_hi: f64,
    /// `F` at the midpoint (the K15 node `t = ½`).
    f_mid: f64,
    /// `(hi − lo)·Σ k_j g_j`, one per feature.
    integral: Vec<f64>,
    /// `max(Σ|d ⊙ (K − G)|, |d·K − ΔF_panel|)`.
    error: f64,
    /// `error`, or 0 when it is at the precision's rounding level (no
    /// bisection can lower it).
    resolvable: f64,
}

/// One panel's reductions, computed inside its chunk: `Σ_j k_j g_j`,
/// `Σ_j (k_j − γ_j) g_j`, `Σ_j k_j Σ_i |d_i g_ij|`, `F(mid)`.
struct PanelSums {
    kronrod: Vec<f64>,
    difference: Vec<f64>,
    magnitude: f64,
    f_mid: f64,
    finite: bool,
}

/// A panel waiting for its 15 gradients.
#[derive(Clone, Copy, Debug)]
struct Todo {
    path: usize,
    lo: f64,
    hi: f64,
    f_lo: f64,
    f_hi: f64,
}

/// The first panels from scan values `f[0..=m]` at `α = j/m`: every step
/// `j` with `v_j = |f_{j+1} − f_j| > V/4` (`V = Σ v_j`; a quarter of the
/// variation in `1/m` of the path) is a panel of its own, and each maximal
/// run of the other steps is one panel. Returns `(lo, hi, f_lo, f_hi)`.
fn initial_panels(f: &[f64]) -> Vec<(f64, f64, f64, f64)> {
    let m = f.len() - 1;
    let alpha = |j: usize| if j == m { 1.0 } else { j as f64 / m as f64 };
    let steps: Vec<f64> = f.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let total: f64 = steps.iter().sum();
    let steep: Vec<bool> = steps.iter().map(|&v| v > total * STEEP).collect();
    let mut panels = Vec::new();
    let mut start = 0;
    for j in 1..=m {
        if j == m || steep[j] || steep[j - 1] {
            panels.push((alpha(start), alpha(j), f[start], f[j]));
            start = j;
        }
    }
    panels
}

/// The share of a path's scanned variation that makes one scan step a
/// panel of its own.
const STEEP: f64 = 0.25;

fn non_finite(what: &str, row: usize) -> IgError {
    IgError::NonFinite { what: what.into(), row: Some(row) }
}

/// The adaptive pass for rows `x [R, ..row]` and baselines `b [K, ..row]`.
pub(crate) fn adaptive<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    spec: &AdaptiveSpec,
    target: usize,
    output: Output,
    memory_budget: usize,
) -> Result<AdaptiveResult, IgError> {
    spec.validate()?;
    let (r, k) = (x.shape()[0], baselines.shape()[0]);
    let row_len: usize = model.row_shape().iter().product();
    let rule = GaussKronrod::new();
    let diff_w = rule.difference();
    let eps = T::epsilon().to_f64().unwrap_or(f64::EPSILON);

    // F(x_r), F(b_k) exactly as the fixed pass computes them.
    let eval_chunk = (memory_budget / model.bytes_per_row().max(1)).max(1);
    let out = outputs::<T, M>(model, x, target, output, eval_chunk);
    let base = outputs::<T, M>(model, baselines, target, output, eval_chunk);
    let baseline_output = base.iter().sum::<f64>() / k as f64;
    if let Some(row) = out.iter().position(|v| !v.is_finite()) {
        return Err(non_finite("F(x)", row));
    }
    if !baseline_output.is_finite() {
        return Err(IgError::NonFinite { what: "F at a baseline".into(), row: None });
    }

    // 1. Scan.
    let paths: Vec<(usize, usize)> = (0..r * k).map(|p| (p / k, p % k)).collect();
    let m = spec.scan;
    let alphas: Vec<f64> = (0..=m).map(|j| j as f64 / m as f64).collect();
    let scan = path_outputs::<T, M>(model, x, baselines, &paths, &alphas, target, output, memory_budget)?;
    if let Some(i) = scan.iter().position(|v| !v.is_finite()) {
        return Err(non_finite("F along the path", i / (m + 1) / k));
    }
    let budget = k * spec.max_evaluations;
    let mut todo = Vec::new();
    for row in 0..r {
        let cuts: Vec<Vec<(f64, f64, f64, f64)>> =
            (0..k).map(|kk| initial_panels(&scan[(row * k + kk) * (m + 1)..(row * k + kk + 1) * (m + 1)])).collect();
        let many = cuts.iter().map(Vec::len).sum::<usize>() * NODES > budget;
        for (kk, c) in cuts.into_iter().enumerate() {
            let path = row * k + kk;
            if many {
                let f = &scan[path * (m + 1)..(path + 1) * (m + 1)];
                todo.push(Todo { path, lo: 0.0, hi: 1.0, f_lo: f[0], f_hi: f[m] });
            } else {
                todo.extend(c.into_iter().map(|(lo, hi, f_lo, f_hi)| Todo { path, lo, hi, f_lo, f_hi }));
            }
        }
    }

    let mut res = AdaptiveResult {
        attributions: Tensor::zeros(x.raw_dim()),
        output: out.clone(),
        baseline_output,
        delta: vec![0.0; r],
        error: vec![0.0; r],
        converged: vec![false; r],
        evaluations: vec![0; r],
        forward_evaluations: vec![k * (m + 1); r],
        chunks: 0,
        gradients_computed: 0,
    };
    let mut panels: Vec<Vec<Panel>> = vec![Vec::new(); r * k];
    let diffs: Vec<Vec<f64>> = paths
        .iter()
        .map(|&(row, kk)| {
            let (xr, bk) = (x.index_axis(Axis(0), row), baselines.index_axis(Axis(0), kk));
            xr.iter().zip(bk.iter()).map(|(a, b)| a - b).collect()
        })
        .collect();

    while !todo.is_empty() {
        // 2. All new panels of the round in one batched pass.
        let groups: Vec<Group> =
            todo.iter().map(|t| Group { row: t.path / k, baseline: t.path % k, lo: t.lo, hi: t.hi }).collect();
        let points = PointSpec { nodes: &rule.nodes, seeds: &[1.0; NODES], target, output, memory_budget };
        let sums = gradient_map::<T, M, _, _>(model, x, baselines, &groups, &points, |g, grads, f| {
            let d = &diffs[g.row * k + g.baseline];
            let mut s = PanelSums {
                kronrod: vec![0.0; row_len],
                difference: vec![0.0; row_len],
                magnitude: 0.0,
                f_mid: f[MIDPOINT],
                finite: f.iter().all(|v| v.is_finite()),
            };
            for (j, point) in grads.chunks(row_len.max(1)).enumerate() {
                let (kw, dw) = (rule.kronrod[j], diff_w[j]);
                let mut along = 0.0;
                for (i, &v) in point.iter().enumerate() {
                    s.kronrod[i] += kw * v;
                    s.difference[i] += dw * v;
                    along += (d[i] * v).abs();
                }
                s.magnitude += kw * along;
            }
            s.finite &= s.magnitude.is_finite() && s.kronrod.iter().chain(&s.difference).all(|v| v.is_finite());
            s
        })?;
        res.chunks += sums.chunks;
        res.gradients_computed += sums.gradients_computed;
        let mut touched = Vec::new();
        for (t, s) in todo.iter().zip(&sums.results) {
            let row = t.path / k;
            if !s.finite {
                return Err(non_finite("F or its gradient along the path", row));
            }
            let w = t.hi - t.lo;
            let d = &diffs[t.path];
            let integral: Vec<f64> = s.kronrod.iter().map(|v| w * v).collect();
            let kg: f64 = d.iter().zip(&s.difference).map(|(di, v)| (di * w * v).abs()).sum();
            let along: f64 = d.iter().zip(&integral).map(|(di, v)| di * v).sum();
            let gap = along - (t.f_hi - t.f_lo);
            let error = kg.max(gap.abs());
            // The rounding level of the precision (QUADPACK's 50·ε·∫|f|).
            let floor = 50.0 * eps * (w * s.magnitude + t.f_lo.abs() + t.f_hi.abs());
            let p = Panel {
                lo: t.lo,
                hi: t.hi,
                f_lo: t.f_lo,
                f_hi: t.f_hi,
                f_mid: s.f_mid,
                integral,
                error,
                resolvable: if error > floor { error } else { 0.0 },
            };
            let list = &mut panels[t.path];
            let at = list.partition_point(|q| q.lo < p.lo);
            list.insert(at, p);
            res.evaluations[row] += NODES;
            if touched.last() != Some(&row) {
                touched.push(row);
            }
        }
        touched.dedup();

        // 3. Per touched row: assemble, test, choose bisections.
        let mut bisect: Vec<(usize, usize)> = Vec::new(); // (path, panel index)
        for &row in &touched {
            let mut attr = vec![0.0f64; row_len];
            let (mut error, mut resolvable) = (0.0, 0.0);
            for kk in 0..k {
                let path = row * k + kk;
                let mut g = vec![0.0f64; row_len];
                for p in &panels[path] {
                    g.iter_mut().zip(&p.integral).for_each(|(a, v)| *a += v);
                    error += p.error;
                    resolvable += p.resolvable;
                }
                attr.iter_mut().zip(&diffs[path]).zip(&g).for_each(|((a, di), gv)| *a += di * gv / k as f64);
            }
            let (error, resolvable) = (error / k as f64, resolvable / k as f64);
            let diff_f = out[row] - baseline_output;
            let delta = attr.iter().sum::<f64>() - diff_f;
            let tol = spec.convergence.tolerance(diff_f);
            res.attributions.index_axis_mut(Axis(0), row).iter_mut().zip(&attr).for_each(|(d, v)| *d = *v);
            (res.delta[row], res.error[row]) = (delta, error);
            let gap_ok = delta.abs() <= tol;
            if resolvable <= tol && gap_ok {
                res.converged[row] = true;
                continue;
            }
            // Worst first; ties by path then position (deterministic).
            let mut cands: Vec<(f64, usize, usize)> = (0..k)
                .flat_map(|kk| {
                    let path = row * k + kk;
                    panels[path].iter().enumerate().filter_map(move |(i, p)| {
                        let mid = p.lo + (p.hi - p.lo) * 0.5;
                        let e = if gap_ok { p.resolvable } else { p.error };
                        (mid > p.lo && mid < p.hi && e > 0.0).then_some((e / k as f64, path, i))
                    })
                })
                .collect();
            cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
            let mut left = resolvable;
            for (chosen, (e, path, i)) in cands.into_iter().enumerate() {
                // Enough chosen (at least one when only the gap is over),
                // or the next one would pass the row's cap.
                let enough = left <= tol / 2.0 && (gap_ok || chosen > 0);
                if enough || res.evaluations[row] + 2 * NODES * (chosen + 1) > budget {
                    break;
                }
                bisect.push((path, i));
                left -= e;
            }
        }
        todo.clear();
        // Replace bisected panels by their halves (indices descending per
        // path so earlier removals do not shift later ones).
        bisect.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut halves = Vec::with_capacity(bisect.len() * 2);
        for (path, i) in bisect {
            let p = panels[path].remove(i);
            let mid = p.lo + (p.hi - p.lo) * 0.5;
            halves.push(Todo { path, lo: p.lo, hi: mid, f_lo: p.f_lo, f_hi: p.f_mid });
            halves.push(Todo { path, lo: mid, hi: p.hi, f_lo: p.f_mid, f_hi: p.f_hi });
        }
        halves.sort_by(|a, b| a.path.cmp(&b.path).then(a.lo.total_cmp(&b.lo)));
        todo = halves;
    }
    Ok(res)
}
