//! The affine layer `y = x·Wᵀ + b` as one op: `x [.., in]`, `W [out, in]`
//! (PyTorch's layout, read through a transposed view), `b [out]` →
//! `y [.., out]`. The bias is written into the output first and the GEMM
//! adds the product to it (β = 1), so there is no separate broadcast add
//! and no second `[.., out]` tensor.
//!
//! With a residual `r [.., out]` (a transformer's skip connection),
//! `y = r + x·Wᵀ + b` is the same op: `r + b` is written first, so the
//! residual add costs no pass of its own and no tape node.
//!
//! Backward, with `G = ∂y` as `[M, out]` rows: `∂x = G·W`, `∂W = Gᵀ·x`,
//! `∂b = Σ_rows G` (rows summed in order, column blocks in parallel, as
//! the broadcast add's backward did), `∂r = G` (the gradient itself,
//! moved, not copied). Each is computed only if needed, and `x` is kept
//! on the tape only when `W` is tracked (it serves `∂W` alone).

use ndarray::{Array1, IxDyn};

use crate::gemm::{gemm_2d, Start};
use crate::layout::{into_standard, standard_slice};
use crate::ops::matmul::{as_rows, count_product};
use crate::parallel::column_sums;
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
        self.affine(weight, bias, None)
    }

    /// `r + x·Wᵀ + b` over the last axis, computed as `(r + b) + x·Wᵀ`
    /// (see the module docs): a linear layer and the residual add after
    /// it, in one pass. `r` has the output's shape `[.., out]`.
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::array;
    /// let x = Var::constant(array![[1.0f64, 2.0]].into_dyn());
    /// let w = Var::constant(array![[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]].into_dyn());
    /// let b = Var::constant(array![0.5, 0.0, -4.0].into_dyn());
    /// let r = Var::constant(array![[10.0, 20.0, 30.0]].into_dyn());
    /// assert_eq!(x.linear_residual(&w, &b, &r).value(), &array![[11.5, 23.0, 30.0]].into_dyn());
    /// ```
    ///
    /// # Panics
    /// As [`Var::linear`], and if `r` is not the output's shape.
    pub fn linear_residual(&self, weight: &Var<T>, bias: &Var<T>, residual: &Var<T>) -> Var<T> {
        self.affine(weight, bias, Some(residual))
    }

    /// `x·Wᵀ + b`, plus `r` when given.
    fn affine(&self, weight: &Var<T>, bias: &Var<T>, residual: Option<&Var<T>>) -> Var<T> {
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
        if let Some(r) = residual {
            assert_eq!(r.shape(), out_shape, "linear_residual: residual shape for output {out_shape:?}");
        }
        let w2 = w.view().into_dimensionality().expect("2-D");
        let bias_values = b.as_standard_layout();
        let bias_values = bias_values.as_slice().expect("standard layout");
        let residual_rows = residual.map(|r| as_rows(r.value().view()));
        let start = match &residual_rows {
            Some(r) => Start::BiasResidual(bias_values, r.view()),
            None => Start::Bias(bias_values),
        };
        count_product();
        let y = gemm_2d(as_rows(x.view()).view(), w2.t(), start);
        let y = y.into_shape_with_order(IxDyn(&out_shape)).expect("same element count");
        let mut inputs = vec![self, weight, bias];
        inputs.extend(residual);
        // x is kept only for ∂W: with a constant weight (IG's input-only
        // backward) the tape does not hold the layer's input.
        let x_shape = x.shape().to_vec();
        let saved_x = weight.requires_grad().then_some(x);
        let saved = saved_x.iter().cloned().collect();
        record_saving(y, &inputs, saved, move |g, needs| {
            let g = into_standard(g);
            let g2 = as_rows(g.view());
            let w2 = w.view().into_dimensionality().expect("2-D");
            let dx = needs[0].then(|| {
                count_product();
                gemm_2d(g2.view(), w2, Start::Zero).into_shape_with_order(IxDyn(&x_shape)).expect("x's element count")
            });
            let dw = needs[1].then(|| {
                let x = saved_x.as_ref().expect("x is kept when the weight is tracked");
                count_product();
                gemm_2d(g2.view().reversed_axes(), as_rows(x.view()).view(), Start::Zero).into_dyn()
            });
            let db = needs[2].then(|| Array1::from(column_sums(standard_slice(&g), d_out, None)).into_dyn());
            drop(g2);
            let mut grads = vec![dx, dw, db];
            if needs.len() > 3 {
                grads.push(needs[3].then_some(g)); // ∂r = G
            }
            grads
        })
    }
}
