//! Inverted dropout: `y = x ⊙ m / (1 − p)` with `mᵢ ~ Bernoulli(1 − p)`
//! drawn from the caller's seeded RNG; backward `∂x = g ⊙ m / (1 − p)`.
//! The expected value of `y` is `x`, so inference simply skips the op.

use rand::Rng;

use ndarray::IxDyn;

use crate::parallel::broadcast_zip;
use crate::tape::record;
use crate::{Real, Tensor, Var};

/// An inverted-dropout mask of `shape`: each element 0 with probability
/// `p`, else `1/(1 − p)`, drawn from `rng` in row-major order (one `f64`
/// per element, as [`Var::dropout`] draws them).
///
/// # Panics
/// If `p` is not in `[0, 1)`.
pub fn dropout_mask<T: Real, R: Rng + ?Sized>(shape: &[usize], p: f64, rng: &mut R) -> Tensor<T> {
    assert!((0.0..1.0).contains(&p), "dropout probability {p} not in [0, 1)");
    let keep = T::c(1.0 / (1.0 - p));
    Tensor::from_shape_simple_fn(IxDyn(shape), || if rng.random::<f64>() < p { T::zero() } else { keep })
}

impl<T: Real> Var<T> {
    /// Zeroes each element with probability `p` and scales the rest by
    /// `1/(1 − p)`; `p = 0` returns the input unchanged.
    ///
    /// # Panics
    /// If `p` is not in `[0, 1)`.
    pub fn dropout<R: Rng + ?Sized>(&self, p: f64, rng: &mut R) -> Var<T> {
        assert!((0.0..1.0).contains(&p), "dropout probability {p} not in [0, 1)");
        if p == 0.0 {
            return self.clone();
        }
        let shape = self.shape().to_vec();
        let mask = dropout_mask(&shape, p, rng);
        let y = broadcast_zip(self.value(), &mask, &shape, |x, m| x * m);
        record(y, &[self], move |g, _| vec![Some(broadcast_zip(&g, &mask, &shape, |g, m| g * m))])
    }
}
