//! `explain`: Integrated Gradients of many rows against a [`Baseline`],
//! with convergence deltas, an optional tolerance mode that doubles the
//! step count per row, and a choice of precision.

use glassbox_autodiff::Tensor;
use ndarray::Axis;

use crate::explainable::{Explainable, Output};
use crate::integrate::{integrate, PassResult, PassSpec};
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
    /// Bytes of tape one chunk may use (default 256 MiB).
    pub memory_budget: usize,
    /// Tolerance mode, if any.
    pub tolerance: Option<Tolerance>,
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
    /// Steps used per row.
    pub steps: Vec<usize>,
    /// Whether the row met the tolerance (always true without one).
    pub converged: Vec<bool>,
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
) -> Result<PassResult, IgError> {
    let (alphas, weights) = cfg.method.nodes(n)?;
    let spec = PassSpec {
        alphas: &alphas,
        weights: &weights,
        target: cfg.target,
        output: cfg.output,
        memory_budget: cfg.memory_budget,
    };
    match cfg.precision {
        Precision::F32 => integrate::<f32, M>(model, x, b, &spec),
        Precision::F64 => integrate::<f64, M>(model, x, b, &spec),
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
    if cfg.memory_budget == 0 {
        return Err(IgError::Config("the memory budget must be positive".into()));
    }
    if let Some(t) = cfg.tolerance {
        if t.rel.is_nan() || t.rel <= 0.0 || t.max_steps < cfg.steps {
            return Err(IgError::Config(format!("tolerance {} must be > 0 with a step cap ≥ {}", t.rel, cfg.steps)));
        }
    }
    let b = baseline.resolve(&model.row_shape())?;
    let rows = x.shape().first().copied().unwrap_or(0);
    let mut e = Explanation {
        attributions: Tensor::zeros(x.raw_dim()),
        output: vec![0.0; rows],
        baseline_output: 0.0,
        delta: vec![0.0; rows],
        relative_delta: vec![0.0; rows],
        steps: vec![cfg.steps; rows],
        converged: vec![true; rows],
        baselines: b.shape()[0],
        chunks: 0,
        gradients_computed: 0,
    };
    let mut pending: Vec<usize> = (0..rows).collect();
    let mut n = cfg.steps;
    while !pending.is_empty() {
        let sub = x.select(Axis(0), &pending);
        let res = pass(model, &sub, &b, cfg, n)?;
        e.chunks += res.chunks;
        e.gradients_computed += res.gradients_computed;
        e.baseline_output = res.baseline_output;
        let mut next = Vec::new();
        for (i, &r) in pending.iter().enumerate() {
            let attr = res.attributions.index_axis(Axis(0), i);
            let delta = attr.sum() - (res.output[i] - res.baseline_output);
            let rel = relative(delta, res.output[i] - res.baseline_output);
            e.attributions.index_axis_mut(Axis(0), r).assign(&attr);
            (e.output[r], e.delta[r], e.relative_delta[r], e.steps[r]) = (res.output[i], delta, rel, n);
            if let Some(t) = cfg.tolerance {
                let met = rel < t.rel;
                e.converged[r] = met;
                if !met && n * 2 <= t.max_steps {
                    next.push(r);
                }
            }
        }
        pending = next;
        n *= 2;
    }
    Ok(e)
}
