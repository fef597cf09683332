//! The position-wise feed-forward network:
//! `FFN(h) = GELU(h·W_upᵀ + b_up)·W_downᵀ + b_down`, `d → d_ff → d`,
//! GELU in its tanh form, dropout after the activation in training.

use glassbox_autodiff::{Real, Var};

use super::{Linear, Pass};
use crate::params::ParamLayout;

/// `Linear(d→d_ff) → GELU → Linear(d_ff→d)`.
#[derive(Clone, Debug)]
pub struct FeedForward {
    up: Linear,
    down: Linear,
}

impl FeedForward {
    /// Registers `{name}.up` and `{name}.down`.
    pub fn new(layout: &mut ParamLayout, name: &str, d: usize, d_ff: usize) -> Self {
        FeedForward {
            up: Linear::new(layout, &format!("{name}.up"), d, d_ff),
            down: Linear::new(layout, &format!("{name}.down"), d_ff, d),
        }
    }

    /// `[.., d] → [.., d]`.
    pub fn forward<T: Real>(&self, h: &Var<T>, pass: &mut Pass<'_, T>) -> Var<T> {
        self.forward_residual(h, None, pass)
    }

    /// `r + FFN(h)` when a residual `r [.., d]` is given (added in the
    /// down projection's pass), else `FFN(h)`.
    pub fn forward_residual<T: Real>(&self, h: &Var<T>, residual: Option<&Var<T>>, pass: &mut Pass<'_, T>) -> Var<T> {
        let hidden = pass.dropout(&self.up.forward(h, pass).gelu());
        self.down.forward_residual(&hidden, residual, pass)
    }
}
