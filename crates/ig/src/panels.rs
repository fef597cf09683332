//! One class's run of the adaptive engine (see `adaptive.rs` for the
//! algorithm): its first panels from the scan, its evaluated panels per
//! path, and per round the assembly of every touched row, the test and
//! the choice of bisections. The batched gradient evaluation is not here:
//! the driver evaluates the union of the classes' panels and hands each
//! class the sums of its own.

use glassbox_autodiff::Tensor;
use ndarray::Axis;

use crate::adaptive::{AdaptiveResult, Convergence};
use crate::integrate::Group;
use crate::kronrod::{GaussKronrod, MIDPOINT, NODES};
use crate::IgError;

/// What every class's run shares: sizes, the criterion and the rule.
pub(crate) struct Rules {
    /// Rows `R`.
    pub rows: usize,
    /// Baselines `K`.
    pub baselines: usize,
    /// Cells per row.
    pub row_len: usize,
    /// The stopping criterion.
    pub convergence: Convergence,
    /// Gradient evaluations a row may spend (`K·max_evaluations`).
    pub budget: usize,
    /// The precision's machine epsilon.
    pub eps: f64,
    /// `d_p = x_r − b_k` per path `p = r·K + k`.
    pub diffs: Vec<Vec<f64>>,
    /// The G7/K15 pair.
    pub rule: GaussKronrod,
    /// `k_j − γ_j` per node.
    pub difference: [f64; NODES],
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
pub(crate) struct PanelSums {
    kronrod: Vec<f64>,
    difference: Vec<f64>,
    magnitude: f64,
    f_mid: f64,
    finite: bool,
}

/// A panel waiting for its 15 gradients.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Todo {
    pub path: usize,
    pub lo: f64,
    pub hi: f64,
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

pub(crate) fn non_finite(what: &str, row: usize) -> IgError {
    IgError::NonFinite { what: what.into(), row: Some(row) }
}

/// The reductions of one panel's 15 gradients `grads [15, row_len]` and
/// outputs `f [15]` (the reduce of the batched pass).
pub(crate) fn panel_sums(rules: &Rules, g: &Group, grads: &[f64], f: &[f64]) -> PanelSums {
    let row_len = rules.row_len;
    let d = &rules.diffs[g.row * rules.baselines + g.baseline];
    let mut s = PanelSums {
        kronrod: vec![0.0; row_len],
        difference: vec![0.0; row_len],
        magnitude: 0.0,
        f_mid: f[MIDPOINT],
        finite: f.iter().all(|v| v.is_finite()),
    };
    for (j, point) in grads.chunks(row_len.max(1)).enumerate() {
        let (kw, dw) = (rules.rule.kronrod[j], rules.difference[j]);
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
}

/// One class's state: its result so far, its panels per path and the
/// panels waiting for the next round.
pub(crate) struct ClassRun {
    pub res: AdaptiveResult,
    panels: Vec<Vec<Panel>>,
    pub todo: Vec<Todo>,
}

impl ClassRun {
    /// The run of a class with outputs `out [R]`, `F` at the baselines
    /// `base [K]` and scan values `scan [R·K·(m + 1)]`: its first panels
    /// (one panel `[0, 1]` per path of a row whose scan panels would pass
    /// the row's cap).
    pub fn start(rules: &Rules, x: &Tensor<f64>, out: Vec<f64>, base: &[f64], scan: &[f64], m: usize) -> Self {
        let (r, k) = (rules.rows, rules.baselines);
        let mut todo = Vec::new();
        for row in 0..r {
            let cuts: Vec<Vec<(f64, f64, f64, f64)>> = (0..k)
                .map(|kk| initial_panels(&scan[(row * k + kk) * (m + 1)..(row * k + kk + 1) * (m + 1)]))
                .collect();
            let many = cuts.iter().map(Vec::len).sum::<usize>() * NODES > rules.budget;
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
        let res = AdaptiveResult {
            attributions: Tensor::zeros(x.raw_dim()),
            output: out,
            baseline_output: base.iter().sum::<f64>() / k as f64,
            delta: vec![0.0; r],
            error: vec![0.0; r],
            converged: vec![false; r],
            evaluations: vec![0; r],
            forward_evaluations: vec![k * (m + 1); r],
            chunks: 0,
            gradients_computed: 0,
        };
        ClassRun { res, panels: vec![Vec::new(); r * k], todo }
    }

    /// Takes the sums of this round's panels (`sums[i]` for `todo[i]`),
    /// assembles and tests every touched row and sets the next round's
    /// panels (the halves of the bisected ones).
    pub fn round(&mut self, rules: &Rules, sums: &[&PanelSums]) -> Result<(), IgError> {
        let (k, row_len) = (rules.baselines, rules.row_len);
        let mut touched = Vec::new();
        for (t, s) in self.todo.iter().zip(sums) {
            let row = t.path / k;
            if !s.finite {
                return Err(non_finite("F or its gradient along the path", row));
            }
            let w = t.hi - t.lo;
            let d = &rules.diffs[t.path];
            let integral: Vec<f64> = s.kronrod.iter().map(|v| w * v).collect();
            let kg: f64 = d.iter().zip(&s.difference).map(|(di, v)| (di * w * v).abs()).sum();
            let along: f64 = d.iter().zip(&integral).map(|(di, v)| di * v).sum();
            let gap = along - (t.f_hi - t.f_lo);
            let error = kg.max(gap.abs());
            // The rounding level of the precision (QUADPACK's 50·ε·∫|f|).
            let floor = 50.0 * rules.eps * (w * s.magnitude + t.f_lo.abs() + t.f_hi.abs());
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
            let list = &mut self.panels[t.path];
            let at = list.partition_point(|q| q.lo < p.lo);
            list.insert(at, p);
            self.res.evaluations[row] += NODES;
            if touched.last() != Some(&row) {
                touched.push(row);
            }
        }
        touched.dedup();

        let res = &mut self.res;
        let panels = &self.panels;
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
                attr.iter_mut().zip(&rules.diffs[path]).zip(&g).for_each(|((a, di), gv)| *a += di * gv / k as f64);
            }
            let (error, resolvable) = (error / k as f64, resolvable / k as f64);
            let diff_f = res.output[row] - res.baseline_output;
            let delta = attr.iter().sum::<f64>() - diff_f;
            let tol = rules.convergence.tolerance(diff_f);
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
                if enough || res.evaluations[row] + 2 * NODES * (chosen + 1) > rules.budget {
                    break;
                }
                bisect.push((path, i));
                left -= e;
            }
        }
        // Replace bisected panels by their halves (indices descending per
        // path so earlier removals do not shift later ones).
        bisect.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut halves = Vec::with_capacity(bisect.len() * 2);
        for (path, i) in bisect {
            let p = self.panels[path].remove(i);
            let mid = p.lo + (p.hi - p.lo) * 0.5;
            halves.push(Todo { path, lo: p.lo, hi: mid, f_lo: p.f_lo, f_hi: p.f_mid });
            halves.push(Todo { path, lo: mid, hi: p.hi, f_lo: p.f_mid, f_hi: p.f_hi });
        }
        halves.sort_by(|a, b| a.path.cmp(&b.path).then(a.lo.total_cmp(&b.lo)));
        self.todo = halves;
        Ok(())
    }
}
