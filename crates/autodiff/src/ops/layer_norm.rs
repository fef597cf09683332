//! Layer normalisation over the last axis, one op with its own backward.
//!
//! For each lane `x ∈ R^d`: `μ = Σx/d`, `σ² = Σ(x−μ)²/d`,
//! `r = 1/√(σ² + ε)`, `x̂ = (x−μ)·r`, `y = x̂ ⊙ γ + β` with `γ, β ∈ R^d`.
//! Backward, with `ĝ = g ⊙ γ`:
//! `∂x = r·(ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂))`, `∂γ = Σ_lanes g ⊙ x̂`,
//! `∂β = Σ_lanes g`.

use ndarray::{Axis, Zip};

use crate::tape::record;
use crate::{Real, Tensor, Var};

impl<T: Real> Var<T> {
    /// `layer_norm(x [.., d], γ [d], β [d], ε)` (see the module docs).
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
        let last = Axis(self.ndim() - 1);
        let n = T::from_usize(d).expect("lane length fits");
        let mut xhat: Tensor<T> = self.value().clone();
        let mut rstd = Vec::with_capacity(xhat.len() / d.max(1));
        for mut lane in xhat.lanes_mut(last) {
            let mean = lane.sum() / n;
            let var = lane.fold(T::zero(), |acc, &v| acc + (v - mean) * (v - mean)) / n;
            let r = (var + eps).sqrt().recip();
            lane.mapv_inplace(|v| (v - mean) * r);
            rstd.push(r);
        }
        let y = &xhat * gamma.value() + beta.value();
        let gamma_v = gamma.shared();
        record(y, &[self, gamma, beta], move |g, needs| {
            let dx = needs[0].then(|| {
                let mut dx: Tensor<T> = g * &*gamma_v;
                for ((mut ghat, xh), &r) in dx.lanes_mut(last).into_iter().zip(xhat.lanes(last)).zip(&rstd) {
                    let mean_g = ghat.sum() / n;
                    let mean_gx = Zip::from(&ghat).and(&xh).fold(T::zero(), |acc, &a, &b| acc + a * b) / n;
                    Zip::from(&mut ghat).and(&xh).for_each(|v, &xh| *v = r * (*v - mean_g - xh * mean_gx));
                }
                dx
            });
            let lanes = |t: Tensor<T>| t.into_shape_with_order((g.len() / d.max(1), d)).expect("lanes");
            let dgamma = needs[1].then(|| lanes(g * &xhat).sum_axis(Axis(0)).into_dyn());
            let dbeta = needs[2].then(|| lanes(g.as_standard_layout().into_owned()).sum_axis(Axis(0)).into_dyn());
            vec![dx, dgamma, dbeta]
        })
    }
}
