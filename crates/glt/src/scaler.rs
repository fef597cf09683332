//! The scaler stored in the model: `z = (x − mean) / std` per feature,
//! fitted on the training rows. Missing values (NaN) are ignored by the fit
//! and replaced by the training mean before the model sees them (so their
//! `z = 0`); a constant or all-missing column gets `std = 1`.

use glassbox_autodiff::{Real, Tensor, Var};
use ndarray::{ArrayView2, Axis, IxDyn};
use serde::{Deserialize, Serialize};

/// Per-feature standardisation (population standard deviation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaler {
    /// Training mean of each feature (missing values skipped).
    pub mean: Vec<f64>,
    /// Training standard deviation (1 for constant columns).
    pub std: Vec<f64>,
    /// How many training cells of each feature were missing.
    pub missing: Vec<usize>,
}

impl Scaler {
    /// Fits on raw rows `[N, F]`.
    ///
    /// ```
    /// use glassbox_glt::scaler::Scaler;
    /// use ndarray::array;
    /// let s = Scaler::fit(array![[1.0, 5.0], [3.0, 5.0], [f64::NAN, 5.0]].view());
    /// assert_eq!((s.mean.clone(), s.std.clone(), s.missing.clone()), (vec![2.0, 5.0], vec![1.0, 1.0], vec![1, 0]));
    /// ```
    pub fn fit(x: ArrayView2<'_, f64>) -> Self {
        let mut s = Scaler { mean: Vec::new(), std: Vec::new(), missing: Vec::new() };
        for col in x.axis_iter(Axis(1)) {
            let present: Vec<f64> = col.iter().copied().filter(|v| !v.is_nan()).collect();
            let n = present.len() as f64;
            let mean = if present.is_empty() { 0.0 } else { present.iter().sum::<f64>() / n };
            let var =
                if present.is_empty() { 0.0 } else { present.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n };
            let std = var.sqrt();
            s.mean.push(mean);
            s.std.push(if std > 1e-12 * mean.abs().max(1.0) { std } else { 1.0 });
            s.missing.push(col.len() - present.len());
        }
        s
    }

    /// Replaces missing values (NaN) by the training mean; the last axis of
    /// `x` is the feature axis.
    pub fn impute(&self, x: &mut Tensor<f64>) {
        let last = Axis(x.ndim() - 1);
        for mut lane in x.lanes_mut(last) {
            for (v, &m) in lane.iter_mut().zip(&self.mean) {
                if v.is_nan() {
                    *v = m;
                }
            }
        }
    }

    /// `z = (x − mean)/std` along the last axis, differentiable in `x`.
    pub fn apply<T: Real>(&self, x: &Var<T>) -> Var<T> {
        let f = self.mean.len();
        let c = |v: &[f64]| Var::constant(Tensor::from_shape_fn(IxDyn(&[f]), |i| T::c(v[i[0]])));
        x.sub(&c(&self.mean)).div(&c(&self.std))
    }
}
