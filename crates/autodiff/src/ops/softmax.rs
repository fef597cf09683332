//! `softmax` and `log_softmax` along one axis, stable for any finite logits
//! (the lane maximum is subtracted before exponentiating).
//!
//! Along a lane `x ∈ Rⁿ`: `softmax(x)ᵢ = e^{xᵢ−m} / Σⱼ e^{xⱼ−m}` with
//! `m = maxⱼ xⱼ`, and `log_softmax(x)ᵢ = xᵢ − m − ln Σⱼ e^{xⱼ−m}`.
//! Backward: `softmax: ∂x = y ⊙ (g − Σ g⊙y)`; `log_softmax:
//! ∂x = g − softmax(x)·Σ g`.

use std::sync::Arc;

use ndarray::{ArrayView1, ArrayViewMut1, Axis, Zip};

use crate::layout::standard_slice;
use crate::parallel::{for_chunks, for_lanes, lane_chunk, lane_sum};
use crate::tape::record_saving;
use crate::{Real, Tensor, Var};

/// Writes `x − m − ln Σ e^{x−m}` into `lane` (which holds `x`).
pub(crate) fn log_softmax_lane<T: Real>(mut lane: ArrayViewMut1<'_, T>) {
    let m = lane.fold(T::neg_infinity(), |m, &v| m.max(v));
    let lse = lane.iter().map(|&v| (v - m).exp_inline()).sum::<T>().ln();
    lane.mapv_inplace(|v| v - m - lse);
}

/// Writes `e^{x−m} / Σ e^{x−m}` into `lane` (which holds `x`).
fn softmax_lane<T: Real>(mut lane: ArrayViewMut1<'_, T>) {
    let m = lane.fold(T::neg_infinity(), |m, &v| m.max(v));
    lane.mapv_inplace(|v| (v - m).exp_inline());
    let s = lane.sum();
    lane.mapv_inplace(|v| v / s);
}

/// `x` with `f` applied to every lane along `axis`, lanes in parallel. A
/// standard-layout input along its last axis is copied chunk by chunk
/// inside the parallel tasks (no separate clone pass); any other input is
/// cloned with its strides, as the op always did.
fn lanes_of<T: Real>(x: &Tensor<T>, axis: usize, f: impl Fn(ArrayViewMut1<'_, T>) + Sync + Send) -> Tensor<T> {
    let lane = x.shape()[axis];
    match x.as_slice().filter(|_| axis + 1 == x.ndim()) {
        Some(src) => {
            let mut y = Tensor::<T>::zeros(x.raw_dim());
            let dst = y.as_slice_mut().expect("fresh array is contiguous");
            for_chunks(dst, lane_chunk(lane), |start, c| {
                c.copy_from_slice(&src[start..start + c.len()]);
                c.chunks_mut(lane.max(1)).for_each(|l| f(ArrayViewMut1::from(l)));
            });
            y
        }
        None => {
            let mut y = x.clone();
            for_lanes(&mut y, axis, f);
            y
        }
    }
}

/// Whether the backward can run lane by lane over contiguous slices: `y`
/// and `g` in standard layout and `axis` the last one.
fn contiguous_lanes<T: Real>(y: &Tensor<T>, g: &Tensor<T>, axis: usize) -> bool {
    axis + 1 == y.ndim() && y.is_standard_layout() && g.is_standard_layout()
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
        let y = Arc::new(lanes_of(self.value(), axis, softmax_lane));
        let yv = Arc::clone(&y);
        record_saving(y, &[self], vec![Arc::clone(&yv)], move |mut g, _| {
            if !contiguous_lanes(&yv, &g, axis) {
                let dot = (&g * &*yv).sum_axis(Axis(axis)).insert_axis(Axis(axis));
                return vec![Some(&*yv * &(g - &dot))];
            }
            // Per lane: dot = Σ g⊙y (summed as ndarray sums the lane), then
            // g ← y ⊙ (g − dot), in place.
            let n = yv.shape()[axis].max(1);
            let ys = standard_slice(&yv);
            let gs = g.as_slice_mut().expect("standard layout");
            for_chunks(gs, lane_chunk(n), |start, c| {
                let mut prod = vec![T::zero(); n];
                for (gl, yl) in c.chunks_mut(n).zip(ys[start..].chunks(n)) {
                    prod.iter_mut().zip(&*gl).zip(yl).for_each(|((p, &g), &y)| *p = g * y);
                    let dot = lane_sum(&prod);
                    gl.iter_mut().zip(yl).for_each(|(g, &y)| *g = y * (*g - dot));
                }
            });
            vec![Some(g)]
        })
    }

    /// Log-softmax along `axis`.
    pub fn log_softmax(&self, axis: usize) -> Var<T> {
        let y = Arc::new(lanes_of(self.value(), axis, log_softmax_lane));
        let yv = Arc::clone(&y);
        record_saving(y, &[self], vec![Arc::clone(&yv)], move |mut g, _| {
            if !contiguous_lanes(&yv, &g, axis) {
                let gsum = g.sum_axis(Axis(axis)).insert_axis(Axis(axis));
                Zip::from(&mut g).and(&*yv).and_broadcast(&gsum).for_each(|d, &y, &s| *d -= y.exp_inline() * s);
                return vec![Some(g)];
            }
            // Per lane: s = Σ g, then g ← g − e^y·s, in place.
            let n = yv.shape()[axis].max(1);
            let ys = standard_slice(&yv);
            let gs = g.as_slice_mut().expect("standard layout");
            for_chunks(gs, lane_chunk(n), |start, c| {
                for (gl, yl) in c.chunks_mut(n).zip(ys[start..].chunks(n)) {
                    let s = ArrayView1::from(&*gl).sum();
                    gl.iter_mut().zip(yl).for_each(|(g, &y)| *g -= y.exp_inline() * s);
                }
            });
            vec![Some(g)]
        })
    }
}
