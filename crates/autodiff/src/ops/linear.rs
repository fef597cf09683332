//! The affine layer `y = x·Wᵀ + b` as one op: `x [.., in]`, `W [out, in]`
//! (PyTorch's layout, read through a transposed view), `b [out]` →
//! `y [.., out]`. The bias is written into the output first and the GEMM
//! adds the product to it (β = 1), so there is no separate broadcast add
//! and no second `[.., out]` tensor.
//!
//! Backward, with `G = ∂y` as `[M, out]` rows: `∂x = G·W`, `∂W = Gᵀ·x`,
//! `∂b = Σ_rows G` (rows summed in order, column blocks in parallel, as
//! the broadcast add's backward did). Each is computed only if needed.

use std::sync::Arc;

use ndarray::{Array1, IxDyn};

use crate::ops::matmul::{as_rows, count_product, gemm_2d};
use crate::parallel::{column_sums, to_standard};
use crate::tape::record_saving;
use crate::{Real, Var};

impl<T: Real> Var<T> {
    /// `x·Wᵀ + b` over the last axis (see the module docs).
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::array;
    /// let x = Var::constant(array![[1.0f64, 2.0]].into_dyn());
    /// let w = Var::constant(array![[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]].into_dyn()); // [out = 3, in = 2]
    /// let b = Var::constant(array![0.5, 0.0, -4.0].into_dyn());
    /// assert_eq!(x.linear(&w, &b).value(), &array![[1.5, 3.0, 0.0]].into_dyn());
    /// ```
    ///
    /// # Panics
    /// If `W` is not `[out, in]` for `x`'s last axis `in`, or `b` not `[out]`.
    pub fn linear(&self, weight: &Var<T>, bias: &Var<T>) -> Var<T> {
        let (x, w, b) = (self.shared(), weight.shared(), bias.shared());
        let d_in = *x.shape().last().expect("linear: input needs at least one axis");
        assert!(
            w.ndim() == 2 && w.shape()[1] == d_in && b.shape() == [w.shape()[0]],
            "linear: input {:?}, weight {:?}, bias {:?}",
            x.shape(),
            w.shape(),
            b.shape()
        );
        let d_out = w.shape()[0];
        let mut out_shape = x.shape().to_vec();
        *out_shape.last_mut().expect("checked above") = d_out;
        let w2 = w.view().into_dimensionality().expect("2-D");
        let bias_values = b.as_standard_layout();
        count_product();
        let y = gemm_2d(as_rows(x.view()).view(), w2.t(), Some(bias_values.as_slice().expect("standard layout")));
        let y = y.into_shape_with_order(IxDyn(&out_shape)).expect("same element count");
        record_saving(y, &[self, weight, bias], vec![Arc::clone(&x)], move |g, needs| {
            let g = if g.is_standard_layout() { g } else { to_standard(g.view()) };
            let g2 = as_rows(g.view());
            let w2 = w.view().into_dimensionality().expect("2-D");
            let dx = needs[0].then(|| {
                count_product();
                gemm_2d(g2.view(), w2, None).into_shape_with_order(IxDyn(x.shape())).expect("x's element count")
            });
            let dw = needs[1].then(|| {
                count_product();
                gemm_2d(g2.view().reversed_axes(), as_rows(x.view()).view(), None).into_dyn()
            });
            let db =
                needs[2].then(|| Array1::from(column_sums(g.as_slice().expect("standard"), d_out, None)).into_dyn());
            vec![dx, dw, db]
        })
    }
}
