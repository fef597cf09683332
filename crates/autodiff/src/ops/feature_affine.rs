//! A per-feature affine map, a tabular tokenizer's embedding, as one op:
//! `z [N, F]`, `W, B [F, d]` → `y [N, F, d]` with
//! `y[n, f, :] = z[n, f]·W[f, :] + B[f, :]`.
//!
//! The same arithmetic as `z.unsqueeze(2).mul(W).add(B)` (a product, then
//! a sum, each rounded), without the broadcast product's element-by-element
//! walk and without its `[N, F, d]` intermediate. Backward, with
//! `G = ∂y`: `∂z[n, f] = Σ_j G[n, f, j]·W[f, j]` (summed as ndarray sums
//! a lane, and not summed at all when `d = 1`, so the bits are those of
//! the composed ops),
//! `∂W[f, j] = Σ_n G[n, f, j]·z[n, f]` and `∂B[f, j] = Σ_n G[n, f, j]`
//! (each from zero over `n` in order, as the broadcasts' backward summed
//! them).

use std::sync::Arc;

use ndarray::{Array2, IxDyn};

use crate::layout::{into_standard, standard_slice};
use crate::parallel::{column_sums, lane_sum};
use crate::pool;
use crate::tape::record_saving;
use crate::vector::wide;
use crate::{Real, Var};

impl<T: Real> Var<T> {
    /// `y[n, f, :] = z[n, f]·W[f, :] + B[f, :]` for `z = self [N, F]` and
    /// `W, B [F, d]` (see the module docs).
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::array;
    /// let z = Var::constant(array![[2.0f64, -1.0]].into_dyn()); // [N = 1, F = 2]
    /// let w = Var::constant(array![[1.0, 0.5, 0.0], [3.0, 0.0, 1.0]].into_dyn()); // [F, d = 3]
    /// let b = Var::constant(array![[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]].into_dyn());
    /// let y = z.feature_affine(&w, &b);
    /// assert_eq!(y.value(), &array![[[2.0, 2.0, 2.0], [-2.0, 1.0, 0.0]]].into_dyn());
    /// ```
    ///
    /// # Panics
    /// If `z` is not 2-D or `W`, `B` are not both `[F, d]` for its `F`.
    pub fn feature_affine(&self, weight: &Var<T>, bias: &Var<T>) -> Var<T> {
        let (zs, ws) = (self.shape(), weight.shape());
        assert!(
            zs.len() == 2 && ws.len() == 2 && ws[0] == zs[1] && bias.shape() == ws,
            "feature_affine: z must be [N, F] and W, B both [F, d]; got z {zs:?}, W {ws:?}, B {:?}",
            bias.shape()
        );
        let (n, f, d) = (zs[0], zs[1], ws[1]);
        let (z, w, b) = (self.shared_standard(), weight.shared_standard(), bias.shared_standard());
        let (zv, wv, bv) = (standard_slice(&z), standard_slice(&w), standard_slice(&b));
        let mut y = pool::uninit::<T>(IxDyn(&[n, f, d]));
        let out = y.as_slice_mut().expect("fresh array is contiguous");
        if d > 0 {
            wide(
                #[inline(always)]
                || {
                    for (i, (row, &x)) in out.chunks_exact_mut(d).zip(zv).enumerate() {
                        let j = (i % f) * d;
                        for ((o, &w), &b) in row.iter_mut().zip(&wv[j..j + d]).zip(&bv[j..j + d]) {
                            o.write(x * w + b);
                        }
                    }
                },
            );
        }
        // SAFETY: the rows of `d` elements, one per `(n, f)`, tile `y`,
        // and each is written in full; with `d = 0` there is nothing to write.
        let y = unsafe { y.assume_init() };
        let saved = vec![Arc::clone(&z), Arc::clone(&w)];
        record_saving(y, &[self, weight, bias], saved, move |g, needs| {
            let g = into_standard(g);
            let (gs, zv, wv) = (standard_slice(&g), standard_slice(&z), standard_slice(&w));
            let dz = needs[0].then(|| {
                let mut dz = vec![T::zero(); n * f];
                if d > 0 {
                    wide(
                        #[inline(always)]
                        || {
                            let mut prod = vec![T::zero(); d];
                            for (i, (dz, gr)) in dz.iter_mut().zip(gs.chunks_exact(d)).enumerate() {
                                let j = (i % f) * d;
                                for ((p, &g), &w) in prod.iter_mut().zip(gr).zip(&wv[j..j + d]) {
                                    *p = g * w;
                                }
                                // A lane of one is not summed at all by the
                                // composed ops (`sum_to_shape` keeps an axis
                                // that already has length 1): `g·w`, not
                                // `0 + g·w`, which differ for −0.
                                *dz = if d == 1 { prod[0] } else { lane_sum(&prod) };
                            }
                        },
                    );
                }
                Array2::from_shape_vec((n, f), dz).expect("one sum per (n, f)").into_dyn()
            });
            let dw = needs[1].then(|| {
                let mut acc = vec![T::zero(); f * d];
                for (gn, zn) in gs.chunks_exact((f * d).max(1)).zip(zv.chunks_exact(f.max(1))) {
                    for ((a, gr), &x) in acc.chunks_exact_mut(d.max(1)).zip(gn.chunks_exact(d.max(1))).zip(zn) {
                        a.iter_mut().zip(gr).for_each(|(a, &g)| *a += g * x);
                    }
                }
                Array2::from_shape_vec((f, d), acc).expect("[F, d]").into_dyn()
            });
            let db = needs[2]
                .then(|| Array2::from_shape_vec((f, d), column_sums(gs, f * d, None)).expect("[F, d]").into_dyn());
            vec![dz, dw, db]
        })
    }
}
