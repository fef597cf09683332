//! `softmax` and `log_softmax` along one axis, stable for any finite logits
//! (the lane maximum is subtracted before exponentiating).
//!
//! Along a lane `x ∈ Rⁿ`: `softmax(x)ᵢ = e^{xᵢ−m} / Σⱼ e^{xⱼ−m}` with
//! `m = maxⱼ xⱼ`, and `log_softmax(x)ᵢ = xᵢ − m − ln Σⱼ e^{xⱼ−m}`.
//! Backward: `softmax: ∂x = y ⊙ (g − Σ g⊙y)`; `log_softmax:
//! ∂x = g − softmax(x)·Σ g`.

use std::sync::Arc;

use ndarray::{ArrayViewMut1, Axis, Zip};

use crate::tape::record;
use crate::{Real, Tensor, Var};

/// Writes `x − m − ln Σ e^{x−m}` into `lane` (which holds `x`).
pub(crate) fn log_softmax_lane<T: Real>(mut lane: ArrayViewMut1<'_, T>) {
    let m = lane.fold(T::neg_infinity(), |m, &v| m.max(v));
    let lse = lane.iter().map(|&v| (v - m).exp()).sum::<T>().ln();
    lane.mapv_inplace(|v| v - m - lse);
}

impl<T: Real> Var<T> {
    /// Softmax along `axis`.
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::array;
    /// let p = Var::constant(array![[1e4f32, 0.0]].into_dyn()).softmax(1);
    /// assert_eq!(p.value(), &array![[1.0f32, 0.0]].into_dyn());
    /// ```
    pub fn softmax(&self, axis: usize) -> Var<T> {
        let mut y = self.value().clone();
        for mut lane in y.lanes_mut(Axis(axis)) {
            let m = lane.fold(T::neg_infinity(), |m, &v| m.max(v));
            lane.mapv_inplace(|v| (v - m).exp());
            let s = lane.sum();
            lane.mapv_inplace(|v| v / s);
        }
        let y = Arc::new(y);
        let yv = Arc::clone(&y);
        record(y, &[self], move |g, _| {
            let dot = (g * &*yv).sum_axis(Axis(axis)).insert_axis(Axis(axis));
            vec![Some(&*yv * &(g - &dot))]
        })
    }

    /// Log-softmax along `axis`.
    pub fn log_softmax(&self, axis: usize) -> Var<T> {
        let mut y = self.value().clone();
        y.lanes_mut(Axis(axis)).into_iter().for_each(log_softmax_lane);
        let y = Arc::new(y);
        let yv = Arc::clone(&y);
        record(y, &[self], move |g, _| {
            let gsum = g.sum_axis(Axis(axis)).insert_axis(Axis(axis));
            let mut dx: Tensor<T> = g.clone();
            Zip::from(&mut dx).and(&*yv).and_broadcast(&gsum).for_each(|d, &y, &s| *d -= y.exp() * s);
            vec![Some(dx)]
        })
    }
}
