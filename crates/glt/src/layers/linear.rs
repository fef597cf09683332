//! `Linear` (`y = x·Wᵀ + b`, `W ∈ R^{out×in}`, PyTorch's layout) and
//! `LayerNorm` over the last axis.

use glassbox_autodiff::{Real, Var};

use super::Pass;
use crate::params::{Init, ParamLayout};

/// `y = x·Wᵀ + b` on the last axis: `[.., in] → [.., out]`.
#[derive(Clone, Debug)]
pub struct Linear {
    weight: usize,
    bias: usize,
}

impl Linear {
    /// Registers `{name}.weight [out, in]` (uniform ±1/√in, decayed) and
    /// `{name}.bias [out]` (zeros).
    pub fn new(layout: &mut ParamLayout, name: &str, d_in: usize, d_out: usize) -> Self {
        let bound = 1.0 / (d_in as f64).sqrt();
        Linear {
            weight: layout.add(format!("{name}.weight"), &[d_out, d_in], Init::Uniform(bound), true),
            bias: layout.add(format!("{name}.bias"), &[d_out], Init::Zeros, false),
        }
    }

    /// Applies the layer.
    pub fn forward<T: Real>(&self, x: &Var<T>, pass: &Pass<'_, T>) -> Var<T> {
        self.forward_residual(x, None, pass)
    }

    /// `r + x·Wᵀ + b` when a residual `r [.., out]` is given (the add done
    /// in the product's own pass, [`Var::linear_residual`]), else
    /// `x·Wᵀ + b`.
    pub fn forward_residual<T: Real>(&self, x: &Var<T>, residual: Option<&Var<T>>, pass: &Pass<'_, T>) -> Var<T> {
        let (w, b) = (pass.p(self.weight), pass.p(self.bias));
        match residual {
            Some(r) => x.linear_residual(w, b, r),
            None => x.linear(w, b),
        }
    }
}

/// Layer normalisation over the last axis with learned `γ, β ∈ R^d`.
#[derive(Clone, Debug)]
pub struct LayerNorm {
    weight: usize,
    bias: usize,
    eps: f64,
}

impl LayerNorm {
    /// Registers `{name}.weight` (ones) and `{name}.bias` (zeros), `[d]`.
    pub fn new(layout: &mut ParamLayout, name: &str, d: usize, eps: f64) -> Self {
        LayerNorm {
            weight: layout.add(format!("{name}.weight"), &[d], Init::Ones, false),
            bias: layout.add(format!("{name}.bias"), &[d], Init::Zeros, false),
            eps,
        }
    }

    /// Applies the layer.
    pub fn forward<T: Real>(&self, x: &Var<T>, pass: &Pass<'_, T>) -> Var<T> {
        x.layer_norm(pass.p(self.weight), pass.p(self.bias), T::c(self.eps))
    }
}
