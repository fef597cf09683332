//! Layer normalisation over the last axis, one op with its own backward.
//!
//! For each lane `x ∈ R^d`: `μ = Σx/d`, `σ² = Σ(x−μ)²/d`,
//! `r = 1/√(σ² + ε)`, `x̂ = (x−μ)·r`, `y = x̂ ⊙ γ + β` with `γ, β ∈ R^d`.
//! Backward, with `ĝ = g ⊙ γ`:
//! `∂x = r·(ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂))`, `∂γ = Σ_lanes g ⊙ x̂`,
//! `∂β = Σ_lanes g`.

use std::mem::MaybeUninit;
use std::sync::Arc;

use ndarray::Array1;

use rayon::prelude::*;

use crate::layout::{into_standard, standard_slice};
use crate::parallel::{column_sums, for_chunks, lane_chunk, lane_sum, PARALLEL_MIN_LEN};
use crate::pool;
use crate::tape::record_saving;
use crate::vector::{sum_by_lanes, wide};
use crate::{Real, Var};

impl<T: Real> Var<T> {
    /// `layer_norm(x [.., d], γ [d], β [d], ε)` (see the module docs).
    ///
    /// Lanes run in parallel; each lane's sums keep one fixed order
    /// (`μ` as ndarray sums a lane, `σ²` and the backward's `mean(ĝ ⊙ x̂)`
    /// in 16 partial sums, `sum_by_lanes`), and `∂γ`, `∂β` sum
    /// the lanes in order, column blocks in parallel, so the result does not
    /// depend on the thread count.
    ///
    /// # Panics
    /// If `γ` or `β` is not `[d]`.
    pub fn layer_norm(&self, gamma: &Var<T>, beta: &Var<T>, eps: T) -> Var<T> {
        let d = *self.shape().last().expect("layer_norm needs at least one axis");
        assert!(
            gamma.shape() == [d] && beta.shape() == [d],
            "layer_norm: γ {:?} and β {:?} must be [{d}]",
            gamma.shape(),
            beta.shape()
        );
        let n = T::from_usize(d).expect("lane length fits");
        let (gamma_v, beta_v): (Vec<T>, Vec<T>) =
            (gamma.value().iter().copied().collect(), beta.value().iter().copied().collect());
        // x̂ and y in standard layout, lanes in parallel. A lane's mean sums
        // it as ndarray sums a lane (unrolled when the input's lanes are
        // contiguous, else left to right); its variance in 16 partial sums.
        let contiguous = d <= 1 || self.value().strides().last() == Some(&1);
        let x = self.value().as_standard_layout(); // a view if already standard
                                                   // x̂ and y are written lane by lane into unzeroed buffers.
        let (mut xhat, mut y) = (pool::uninit::<T>(x.raw_dim()), pool::uninit::<T>(x.raw_dim()));
        let mut rstd = vec![T::zero(); x.len().checked_div(d).unwrap_or(0)];
        let run = |x: &[T], xh: &mut [MaybeUninit<T>], y: &mut [MaybeUninit<T>], rs: &mut [T]| {
            wide(
                #[inline(always)]
                || {
                    let lanes = x.chunks_exact(d).zip(xh.chunks_exact_mut(d)).zip(y.chunks_exact_mut(d)).zip(rs);
                    for (((x, xh), y), r_out) in lanes {
                        let sum = if contiguous { lane_sum(x) } else { x.iter().fold(T::zero(), |acc, &v| acc + v) };
                        let mean = sum / n;
                        let var = sum_by_lanes(x, x, |v, _| (v - mean) * (v - mean)) / n;
                        let r = (var + eps).sqrt().recip();
                        for ((((xh, y), &v), &g), &b) in xh.iter_mut().zip(y).zip(x).zip(&gamma_v).zip(&beta_v) {
                            let h = (v - mean) * r;
                            *xh = MaybeUninit::new(h);
                            *y = MaybeUninit::new(h * g + b);
                        }
                        *r_out = r;
                    }
                },
            )
        };
        let (src, xs, ys) = (
            x.as_slice().expect("standard layout"),
            xhat.as_slice_mut().expect("fresh array is contiguous"),
            y.as_slice_mut().expect("fresh array is contiguous"),
        );
        if d > 0 && src.len() >= PARALLEL_MIN_LEN {
            let chunk = lane_chunk(d);
            (src.par_chunks(chunk), xs.par_chunks_mut(chunk), ys.par_chunks_mut(chunk), rstd.par_chunks_mut(chunk / d))
                .into_par_iter()
                .for_each(|(x, xh, y, rs)| run(x, xh, y, rs));
        } else if d > 0 {
            run(src, xs, ys, &mut rstd);
        }
        // SAFETY: the lanes of `x` (d elements each) and the chunks above
        // tile `x̂` and `y` exactly (chunks hold whole lanes), and `run`
        // writes every element of every lane; with d = 0 both are empty.
        let (xhat, y) = unsafe { (Arc::new(xhat.assume_init()), y.assume_init()) };
        record_saving(y, &[self, gamma, beta], vec![Arc::clone(&xhat)], move |g, needs| {
            let mut g = into_standard(g);
            let (gs, xs) = (standard_slice(&g), standard_slice(&xhat));
            // ∂γ = Σ_lanes g ⊙ x̂ and ∂β = Σ_lanes g, lanes summed in order.
            let dgamma = needs[1].then(|| Array1::from(column_sums(gs, d, Some(xs))).into_dyn());
            let dbeta = needs[2].then(|| Array1::from(column_sums(gs, d, None)).into_dyn());
            let dx = needs[0].then(|| {
                // Per lane, in place: ĝ = g ⊙ γ, then
                // ∂x = r·(ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂)).
                let gs = g.as_slice_mut().expect("standard layout");
                for_chunks(gs, lane_chunk(d), |start, c| {
                    wide(
                        #[inline(always)]
                        || {
                            let lanes = c.chunks_mut(d.max(1)).zip(xs[start..].chunks(d.max(1)));
                            for ((gl, xh), &r) in lanes.zip(&rstd[start / d.max(1)..]) {
                                gl.iter_mut().zip(&gamma_v).for_each(|(v, &w)| *v *= w);
                                let mean_g = lane_sum(gl) / n;
                                let mean_gx = sum_by_lanes(gl, xh, |a, b| a * b) / n;
                                gl.iter_mut().zip(xh).for_each(|(v, &xh)| *v = r * (*v - mean_g - xh * mean_gx));
                            }
                        },
                    )
                });
                g
            });
            vec![dx, dgamma, dbeta]
        })
    }
}
