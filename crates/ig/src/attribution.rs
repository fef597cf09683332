//! `explain`: Integrated Gradients of many rows against a [`Baseline`],
//! with convergence deltas, a choice of precision, and three integrations:
//! a fixed rule (the default in this version: Gauss–Legendre, 50 steps,
//! Captum's numbers), tolerance mode (doubles the step count per row), and
//! the adaptive engine (`IgConfig::adaptive`, see `adaptive.rs`).

use glassbox_autodiff::Tensor;
use ndarray::Axis;

use crate::adaptive::{adaptive, AdaptiveSpec};
use crate::explainable::{Explainable, Output};
use crate::integrate::{integrate_targets, PassResult, PassSpec};
use crate::{Baseline, IgError, Method};

/// The precision of the whole pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// f32 (the model's own precision).
    #[default]
    F32,
    /// f64 (parameters converted; for checks and tight deltas).
    F64,
}

/// `tolerance` mode: per row, double the steps until `|δ|/|ΔF| < rel`.
///
/// The test is relative only, so a row with `ΔF ≈ 0` may never pass it;
/// [`crate::Convergence`] (`|δ| ≤ max(rel·|ΔF|, abs)`) is the criterion of
/// the adaptive engine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    /// Relative delta to reach.
    pub rel: f64,
    /// The largest step count tried.
    pub max_steps: usize,
}

/// IG settings (SPEC §4 defaults: Gauss–Legendre, 50 steps, probability).
#[derive(Clone, Debug, PartialEq)]
pub struct IgConfig {
    /// Quadrature rule.
    pub method: Method,
    /// Steps `n` (the first `n` in tolerance mode).
    pub steps: usize,
    /// Explained class.
    pub target: usize,
    /// Probability or logit.
    pub output: Output,
    /// f32 or f64.
    pub precision: Precision,
    /// Bytes of tape the chunks running at once (one per thread) may use
    /// (default 256 MiB); a chunk holds at most
    /// [`CHUNK_POINTS`](crate::integrate::CHUNK_POINTS) points whatever the budget.
    pub memory_budget: usize,
    /// Tolerance mode, if any.
    pub tolerance: Option<Tolerance>,
    /// The adaptive engine, if `Some` (then `method`, `steps` are unused
    /// and `tolerance` must be `None`). Default `None`: the fixed rule.
    pub adaptive: Option<AdaptiveSpec>,
}

impl Default for IgConfig {
    fn default() -> Self {
        IgConfig {
            method: Method::GaussLegendre,
            steps: 50,
            target: 1,
            output: Output::Probability,
            precision: Precision::F32,
            memory_budget: 256 << 20,
            tolerance: None,
            adaptive: None,
        }
    }
}

/// Attributions and their checks, per explained row.
#[derive(Clone, Debug)]
pub struct Explanation {
    /// `[R, ..row]`, in the model's input units (raw features).
    pub attributions: Tensor<f64>,
    /// `F(x_r)`.
    pub output: Vec<f64>,
    /// `mean_k F(b_k)` (the same for every row).
    pub baseline_output: f64,
    /// `δ_r = Σ_i IG_ri − (F(x_r) − mean_k F(b_k))`.
    pub delta: Vec<f64>,
    /// `|δ_r| / |F(x_r) − mean_k F(b_k)|` (0 when both are 0, ∞ when only
    /// the denominator is).
    pub relative_delta: Vec<f64>,
    /// Steps used per row (the last `n` tried in tolerance mode; adaptive:
    /// gradient evaluations per path, `evaluations / K`).
    pub steps: Vec<usize>,
    /// Whether the row met the tolerance (always true for a fixed rule;
    /// adaptive: `|δ| ≤ τ` and error estimate `≤ τ`,
    /// `τ = max(rel·|ΔF|, abs)`).
    pub converged: Vec<bool>,
    /// Gradient evaluations spent per row, summed over its `K` paths and
    /// every pass (fixed: `K·n`; tolerance mode: `K·Σ n` over the step
    /// counts tried; adaptive: 15 per panel evaluated).
    pub evaluations: Vec<usize>,
    /// Forward-only evaluations of the adaptive scan per row (`K·(M + 1)`;
    /// 0 for the fixed rules). `F(x)` and `F(b_k)` are not counted.
    pub forward_evaluations: Vec<usize>,
    /// The adaptive engine's error estimate per row (mean over paths of the
    /// sum of panel errors, output units); NaN for the fixed rules.
    pub error_estimate: Vec<f64>,
    /// Number of baselines `K`.
    pub baselines: usize,
    /// Chunks run (all passes).
    pub chunks: usize,
    /// Leaf gradients computed (one per chunk: the input, never a
    /// parameter).
    pub gradients_computed: usize,
}

fn relative(delta: f64, diff: f64) -> f64 {
    if diff != 0.0 {
        (delta / diff).abs()
    } else if delta == 0.0 {
        0.0
    } else {
        f64::INFINITY
    }
}

fn pass<M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    b: &Tensor<f64>,
    cfg: &IgConfig,
    n: usize,
    targets: &[usize],
) -> Result<Vec<PassResult>, IgError> {
    let (alphas, weights) = cfg.method.nodes(n)?;
    let spec = PassSpec {
        alphas: &alphas,
        weights: &weights,
        target: cfg.target,
        output: cfg.output,
        memory_budget: cfg.memory_budget,
    };
    match cfg.precision {
        Precision::F32 => integrate_targets::<f32, M>(model, x, b, &spec, targets),
        Precision::F64 => integrate_targets::<f64, M>(model, x, b, &spec, targets),
    }
}

/// Explains rows `x [R, ..row]` (raw values, no missing) against
/// `baseline`.
///
/// ```
/// use glassbox_autodiff::Var;
/// use glassbox_ig::{explain, Baseline, Explainable, IgConfig, Output, Precision};
/// use ndarray::array;
///
/// /// F(x) = 2·x₀ − x₁ (one output).
/// struct Linear;
/// impl Explainable for Linear {
///     fn row_shape(&self) -> Vec<usize> { vec![2] }
///     fn n_outputs(&self) -> usize { 1 }
///     fn forward_f32(&self, x: &Var<f32>) -> Var<f32> { x.matmul(&Var::constant(array![[2.0f32], [-1.0]].into_dyn())) }
///     fn forward_f64(&self, x: &Var<f64>) -> Var<f64> { x.matmul(&Var::constant(array![[2.0], [-1.0]].into_dyn())) }
/// }
/// let cfg = IgConfig { target: 0, output: Output::Logit, precision: Precision::F64, ..IgConfig::default() };
/// let e = explain(&Linear, &array![[3.0, 4.0]].into_dyn(), &Baseline::Zero, &cfg).unwrap();
/// // IG of a linear model is (x − x')·w.
/// assert!((e.attributions[[0, 0]] - 6.0).abs() < 1e-12 && (e.attributions[[0, 1]] + 4.0).abs() < 1e-12);
/// assert!(e.delta[0].abs() < 1e-12);
/// ```
pub fn explain<M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baseline: &Baseline,
    cfg: &IgConfig,
) -> Result<Explanation, IgError> {
    let mut all = explain_targets(model, x, baseline, cfg, &[cfg.target])?;
    Ok(all.pop().expect("one explanation per target"))
}

/// [`explain`] for several classes at once (`cfg.target` is not used):
/// one [`Explanation`] per class of `targets`, in that order, each
/// bitwise equal to [`explain`] with `cfg.target` set to that class
/// (attributions, outputs, deltas, steps, evaluations, convergence). The
/// work is shared: per chunk one forward and one backward per class.
///
/// - Fixed rule: the same nodes for every class; `C` classes cost one
///   forward and `C` backwards per chunk instead of `C` of each.
/// - Tolerance mode: each class doubles its own rows; a pass runs on the
///   rows some class still needs, and a class keeps only its own rows'
///   results (a row's values do not depend on the other rows of a pass).
/// - Adaptive: every decision (panels, bisections, cap) is the class's
///   own; each round evaluates the union of the classes' new panels once.
///
/// `chunks` is the count of the shared passes the class took part in and
/// `gradients_computed` its own backwards; both may differ from a run of
/// that class alone (the adaptive union has other chunk boundaries).
///
/// ```
/// use glassbox_autodiff::Var;
/// use glassbox_ig::{explain, explain_targets, Baseline, Explainable, IgConfig, Output, Precision};
/// use ndarray::array;
///
/// /// Three classes, logits x·W.
/// struct Three;
/// const W: [[f64; 3]; 2] = [[1.0, -2.0, 0.5], [0.0, 1.0, -1.0]];
/// impl Explainable for Three {
///     fn row_shape(&self) -> Vec<usize> { vec![2] }
///     fn n_outputs(&self) -> usize { 3 }
///     fn forward_f32(&self, x: &Var<f32>) -> Var<f32> { x.matmul(&Var::constant(ndarray::arr2(&W).mapv(|v| v as f32).into_dyn())) }
///     fn forward_f64(&self, x: &Var<f64>) -> Var<f64> { x.matmul(&Var::constant(ndarray::arr2(&W).into_dyn())) }
/// }
/// let cfg = IgConfig { output: Output::Probability, precision: Precision::F64, ..IgConfig::default() };
/// let x = array![[1.0, 2.0], [-0.5, 0.3]].into_dyn();
/// let all = explain_targets(&Three, &x, &Baseline::Zero, &cfg, &[0, 1, 2])?;
/// for (t, e) in all.iter().enumerate() {
///     let alone = explain(&Three, &x, &Baseline::Zero, &IgConfig { target: t, ..cfg.clone() })?;
///     assert_eq!((&e.attributions, &e.delta), (&alone.attributions, &alone.delta));
/// }
/// # Ok::<(), glassbox_ig::IgError>(())
/// ```
pub fn explain_targets<M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baseline: &Baseline,
    cfg: &IgConfig,
    targets: &[usize],
) -> Result<Vec<Explanation>, IgError> {
    if cfg.memory_budget == 0 {
        return Err(IgError::Config("the memory budget must be positive".into()));
    }
    if targets.is_empty() {
        return Err(IgError::Config("no target class to explain".into()));
    }
    if let Some(spec) = cfg.adaptive {
        if cfg.tolerance.is_some() {
            return Err(IgError::Config("tolerance mode and the adaptive engine are exclusive".into()));
        }
        spec.validate()?;
        let b = baseline.resolve(&model.row_shape())?;
        let k = b.shape()[0];
        let all = match cfg.precision {
            Precision::F32 => adaptive::<f32, M>(model, x, &b, &spec, targets, cfg.output, cfg.memory_budget),
            Precision::F64 => adaptive::<f64, M>(model, x, &b, &spec, targets, cfg.output, cfg.memory_budget),
        }?;
        return all
            .into_iter()
            .map(|res| {
                let relative_delta =
                    res.delta.iter().zip(&res.output).map(|(&d, &f)| relative(d, f - res.baseline_output)).collect();
                check_finite(Explanation {
                    attributions: res.attributions,
                    output: res.output,
                    baseline_output: res.baseline_output,
                    delta: res.delta,
                    relative_delta,
                    steps: res.evaluations.iter().map(|e| e / k).collect(),
                    converged: res.converged,
                    evaluations: res.evaluations,
                    forward_evaluations: res.forward_evaluations,
                    error_estimate: res.error,
                    baselines: k,
                    chunks: res.chunks,
                    gradients_computed: res.gradients_computed,
                })
            })
            .collect();
    }
    if let Some(t) = cfg.tolerance {
        if t.rel.is_nan() || t.rel <= 0.0 || t.max_steps < cfg.steps {
            return Err(IgError::Config(format!("tolerance {} must be > 0 with a step cap ≥ {}", t.rel, cfg.steps)));
        }
    }
    let b = baseline.resolve(&model.row_shape())?;
    let rows = x.shape().first().copied().unwrap_or(0);
    let empty = Explanation {
        attributions: Tensor::zeros(x.raw_dim()),
        output: vec![0.0; rows],
        baseline_output: 0.0,
        delta: vec![0.0; rows],
        relative_delta: vec![0.0; rows],
        steps: vec![cfg.steps; rows],
        converged: vec![true; rows],
        evaluations: vec![0; rows],
        forward_evaluations: vec![0; rows],
        error_estimate: vec![f64::NAN; rows],
        baselines: b.shape()[0],
        chunks: 0,
        gradients_computed: 0,
    };
    let mut all = vec![empty; targets.len()];
    // pending[t]: the rows class t still doubles.
    let mut pending: Vec<Vec<bool>> = vec![vec![true; rows]; targets.len()];
    let mut n = cfg.steps;
    loop {
        let union: Vec<usize> = (0..rows).filter(|&r| pending.iter().any(|p| p[r])).collect();
        if union.is_empty() {
            break;
        }
        let active: Vec<usize> = (0..targets.len()).filter(|&t| pending[t].iter().any(|&p| p)).collect();
        let classes: Vec<usize> = active.iter().map(|&t| targets[t]).collect();
        let sub = x.select(Axis(0), &union);
        let results = pass(model, &sub, &b, cfg, n, &classes)?;
        for (&t, res) in active.iter().zip(results) {
            let (e, pend) = (&mut all[t], &mut pending[t]);
            e.chunks += res.chunks;
            e.gradients_computed += res.gradients_computed;
            e.baseline_output = res.baseline_output;
            for (i, &r) in union.iter().enumerate() {
                if !pend[r] {
                    continue;
                }
                let attr = res.attributions.index_axis(Axis(0), i);
                let delta = attr.sum() - (res.output[i] - res.baseline_output);
                let rel = relative(delta, res.output[i] - res.baseline_output);
                e.attributions.index_axis_mut(Axis(0), r).assign(&attr);
                (e.output[r], e.delta[r], e.relative_delta[r], e.steps[r]) = (res.output[i], delta, rel, n);
                e.evaluations[r] += n * e.baselines;
                pend[r] = false;
                if let Some(tol) = cfg.tolerance {
                    let met = rel < tol.rel;
                    e.converged[r] = met;
                    // A non-finite row is refused below, not doubled to the cap.
                    pend[r] = !met && rel.is_finite() && n * 2 <= tol.max_steps;
                }
            }
        }
        n *= 2;
    }
    all.into_iter().map(check_finite).collect()
}

/// Refuses an explanation with a non-finite `F(x)`, baseline output,
/// attribution or delta (a model that overflows on the row: never reported
/// as converged).
fn check_finite(e: Explanation) -> Result<Explanation, IgError> {
    if !e.baseline_output.is_finite() {
        return Err(IgError::NonFinite { what: "F at a baseline".into(), row: None });
    }
    for r in 0..e.output.len() {
        let what = if !e.output[r].is_finite() {
            "F(x)"
        } else if e.attributions.index_axis(Axis(0), r).iter().any(|v| !v.is_finite()) {
            "an attribution (the gradient on the path)"
        } else if !e.delta[r].is_finite() {
            "the completeness delta"
        } else {
            continue;
        };
        return Err(IgError::NonFinite { what: what.into(), row: Some(r) });
    }
    Ok(e)
}
