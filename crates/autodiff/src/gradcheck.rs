//! `gradcheck`: compares the tape's gradients with central differences in
//! f64, like `torch.autograd.gradcheck`.
//!
//! A non-scalar output `y = f(x₁..xₙ)` is projected on a fixed random
//! direction `r` (seeded, entries in [−1, 1]), `s = Σ r ⊙ y`, so one
//! backward gives `∂s/∂xᵢ = Jᵢᵀ r` and any error in a Jacobian shows up
//! (with probability 1). The numeric gradient of each element is the
//! central difference `D(h) = (s(x + h·eⱼ) − s(x − h·eⱼ)) / 2h` refined by
//! one Richardson step, `(4·D(ε/2) − D(ε)) / 3`, which cancels the `h²`
//! error term: truncation error `O(ε⁴)`, so steep functions (a layer norm
//! of a nearly constant row) are checked as tightly as flat ones. Inputs
//! are constants there (no tape).
//!
//! The error of input `i` is `max_j |aⱼ − nⱼ| / max(‖aᵢ‖∞, ‖nᵢ‖∞, 10⁻³·G)`,
//! where `G` is the largest gradient entry over all inputs: relative to
//! the input's own gradient scale, so tiny entries do not inflate it, but
//! never to a scale under `G/1000`, where central differences measure
//! their own round-off (an input with an exactly zero gradient, such as a
//! key bias under softmax, is judged against `G/1000`). If every gradient
//! is zero the absolute error is used.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::{Tape, Tensor, Var};

/// The outcome of a passing check.
#[derive(Debug, Clone, PartialEq)]
pub struct GradcheckReport {
    /// The error of each input (see the module docs).
    pub errors: Vec<f64>,
    /// The largest of `errors`.
    pub max_error: f64,
}

/// Why a check failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GradcheckError {
    /// An analytic gradient disagrees with the numeric one.
    #[error("input {input}, element {index}: analytic {analytic:e} vs numeric {numeric:e} (error {error:e} > tolerance {tol:e})")]
    Mismatch {
        /// Which input.
        input: usize,
        /// Flat index of the worst element.
        index: usize,
        /// The tape's gradient there.
        analytic: f64,
        /// The central difference there.
        numeric: f64,
        /// The input's error.
        error: f64,
        /// The tolerance.
        tol: f64,
    },
    /// The function returned values that are not finite.
    #[error("the function's output is not finite at the given inputs")]
    NotFinite,
}

/// Checks `f`'s gradients at `inputs` with step `eps`, failing if any
/// input's error exceeds `tol`.
///
/// ```
/// use glassbox_autodiff::{gradcheck, Var};
/// use ndarray::array;
/// let x = array![[0.3, -1.2], [2.0, 0.5]].into_dyn();
/// let report = gradcheck(|v: &[Var<f64>]| v[0].tanh().mul(&v[0]), &[x], 1e-6, 1e-6).unwrap();
/// assert!(report.max_error < 1e-6);
/// ```
pub fn gradcheck<F>(f: F, inputs: &[Tensor<f64>], eps: f64, tol: f64) -> Result<GradcheckReport, GradcheckError>
where
    F: Fn(&[Var<f64>]) -> Var<f64>,
{
    let tape = Tape::new();
    let leaves: Vec<Var<f64>> = inputs.iter().map(|x| tape.leaf(x.clone())).collect();
    let y = f(&leaves);
    if y.value().iter().any(|v| !v.is_finite()) {
        return Err(GradcheckError::NotFinite);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(0x6772_6164);
    let r = y.value().map(|_| rng.random_range(-1.0..=1.0));
    let grads = y.backward_with(r.clone());
    let project = |xs: &[Tensor<f64>]| -> f64 {
        let consts: Vec<Var<f64>> = xs.iter().cloned().map(Var::constant).collect();
        (f(&consts).value() * &r).sum()
    };

    let mut pairs = Vec::with_capacity(inputs.len());
    for (i, x) in inputs.iter().enumerate() {
        let analytic = grads.get(&leaves[i]).cloned().unwrap_or_else(|| Tensor::zeros(x.raw_dim()));
        pairs.push((analytic, numeric_gradient(&project, inputs, i, eps)));
    }
    let max_abs = |t: &mut dyn Iterator<Item = &f64>| t.fold(0.0f64, |m, v| m.max(v.abs()));
    let global = pairs.iter().map(|(a, n)| max_abs(&mut a.iter().chain(n))).fold(0.0, f64::max);
    let mut errors = Vec::with_capacity(inputs.len());
    for (i, (analytic, numeric)) in pairs.iter().enumerate() {
        let scale = max_abs(&mut analytic.iter().chain(numeric)).max(1e-3 * global);
        let denom = if scale > 0.0 { scale } else { 1.0 };
        let (index, worst) = analytic
            .iter()
            .zip(numeric)
            .map(|(a, n)| (a - n).abs() / denom)
            .enumerate()
            .fold((0, 0.0f64), |best, (j, e)| if e > best.1 || e.is_nan() { (j, e) } else { best });
        if worst.is_nan() || worst > tol {
            return Err(GradcheckError::Mismatch {
                input: i,
                index,
                analytic: analytic.iter().nth(index).copied().unwrap_or(f64::NAN),
                numeric: numeric.get(index).copied().unwrap_or(f64::NAN),
                error: worst,
                tol,
            });
        }
        errors.push(worst);
    }
    let max_error = errors.iter().copied().fold(0.0, f64::max);
    Ok(GradcheckReport { errors, max_error })
}

/// Richardson-refined central differences of `project` toward every
/// element of input `i`.
fn numeric_gradient(project: &dyn Fn(&[Tensor<f64>]) -> f64, inputs: &[Tensor<f64>], i: usize, eps: f64) -> Vec<f64> {
    let mut point: Vec<Tensor<f64>> = inputs.to_vec();
    (0..inputs[i].len())
        .map(|j| {
            let mut at = |delta: f64| {
                let cell = point[i].iter_mut().nth(j).expect("j < len");
                let orig = *cell;
                *cell = orig + delta;
                let s = project(&point);
                *point[i].iter_mut().nth(j).expect("j < len") = orig;
                s
            };
            let mut central = |h: f64| (at(h) - at(-h)) / (2.0 * h);
            let (coarse, fine) = (central(eps), central(eps / 2.0));
            (4.0 * fine - coarse) / 3.0
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tape::record;
    use ndarray::array;

    /// `y = x²` with a backward that is off by 0.1% (`2.002·x`).
    fn square_with_wrong_gradient(x: &Var<f64>) -> Var<f64> {
        let xv = x.shared();
        record(x.value().mapv(|v| v * v), &[x], move |g, _| vec![Some(g * &xv.mapv(|v| 2.002 * v))])
    }

    #[test]
    fn a_wrong_backward_rule_is_caught() {
        let x = array![0.5, -1.0, 2.0].into_dyn();
        let err = gradcheck(|v| square_with_wrong_gradient(&v[0]), &[x], 1e-5, 1e-6).unwrap_err();
        match err {
            GradcheckError::Mismatch { input: 0, error, .. } => assert!((error - 1e-3).abs() < 1e-6, "{error}"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_missing_gradient_is_caught() {
        // The output depends on x but the recorded op claims it does not.
        let f = |v: &[Var<f64>]| record(v[0].value().mapv(f64::exp), &[&v[0]], |_, _| vec![None]);
        assert!(gradcheck(f, &[array![1.0].into_dyn()], 1e-5, 1e-6).is_err());
    }

    #[test]
    fn a_non_finite_output_is_reported() {
        let err = gradcheck(|v| v[0].log(), &[array![-1.0].into_dyn()], 1e-5, 1e-6).unwrap_err();
        assert_eq!(err, GradcheckError::NotFinite);
    }
}
