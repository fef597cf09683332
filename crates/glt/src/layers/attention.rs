//! Multi-head self-attention: for `h ∈ R^{N×S×d}` and `H` heads of size
//! `d_h = d/H`, `Q = hW_qᵀ + b_q` (likewise K, V) split into heads,
//! `A = softmax(QKᵀ/√d_h)` over keys (dropout on `A` in training), and
//! `MHA(h) = concat_heads(A·V)·W_oᵀ + b_o`. The per-head part is one
//! autodiff op, [`Var::attention`].

use glassbox_autodiff::{Real, Var};

use super::{Linear, Pass};
use crate::params::ParamLayout;

/// Multi-head self-attention with q/k/v/o projections (with bias).
#[derive(Clone, Debug)]
pub struct MultiHeadAttention {
    q: Linear,
    k: Linear,
    v: Linear,
    o: Linear,
    heads: usize,
}

impl MultiHeadAttention {
    /// Registers `{name}.{q,k,v,o}.{weight,bias}`.
    ///
    /// # Panics
    /// If `heads` does not divide `d` (the config is validated before).
    pub fn new(layout: &mut ParamLayout, name: &str, d: usize, heads: usize) -> Self {
        assert!(heads > 0 && d % heads == 0, "d_model {d} is not a multiple of n_heads {heads}");
        let mut lin = |p: &str| Linear::new(layout, &format!("{name}.{p}"), d, d);
        MultiHeadAttention { q: lin("q"), k: lin("k"), v: lin("v"), o: lin("o"), heads }
    }

    /// `[N, S, d] → [N, S, d]`.
    pub fn forward<T: Real>(&self, h: &Var<T>, pass: &mut Pass<'_, T>) -> Var<T> {
        self.attend(h, h, None, pass)
    }

    /// Queries from `rows [N, S_q, d]`, keys and values from `h [N, S, d]`
    /// → `[N, S_q, d]`, plus `residual [N, S_q, d]` when given (added in
    /// the output projection's pass, [`Var::linear_residual`]). Fewer
    /// queries than keys (the [CLS] row alone) give those rows of the
    /// whole attention, bit for bit: every product is per row and the
    /// attention per query.
    pub(super) fn attend<T: Real>(
        &self,
        rows: &Var<T>,
        h: &Var<T>,
        residual: Option<&Var<T>>,
        pass: &mut Pass<'_, T>,
    ) -> Var<T> {
        let (n, sq, s) = (h.shape()[0], rows.shape()[1], h.shape()[1]);
        let q = self.q.forward(rows, pass);
        let k = self.k.forward(h, pass);
        let v = self.v.forward(h, pass);
        let mask = pass.dropout_mask(&[n, self.heads, sq, s]);
        let ctx = q.attention(&k, &v, self.heads, mask);
        self.o.forward_residual(&ctx, residual, pass)
    }
}
