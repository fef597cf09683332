//! Multi-head self-attention: for `h ∈ R^{N×S×d}` and `H` heads of size
//! `d_h = d/H`, `Q = hW_qᵀ + b_q` (likewise K, V) split into heads,
//! `A = softmax(QKᵀ/√d_h)` over keys (dropout on `A` in training), and
//! `MHA(h) = concat_heads(A·V)·W_oᵀ + b_o`.

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
        let (n, s, d) = (h.shape()[0], h.shape()[1], h.shape()[2]);
        let dh = d / self.heads;
        let heads = |x: Var<T>| x.reshape(&[n, s, self.heads, dh]).permute(&[0, 2, 1, 3]); // [N, H, S, d_h]
        let q = heads(self.q.forward(h, pass));
        let k = heads(self.k.forward(h, pass));
        let v = heads(self.v.forward(h, pass));
        let scores = q.matmul_t(&k).mul_scalar(T::c(1.0 / (dh as f64).sqrt())); // [N, H, S, S]
        let attn = pass.dropout(&scores.softmax(3));
        let ctx = attn.matmul(&v).permute(&[0, 2, 1, 3]).reshape(&[n, s, d]);
        self.o.forward(&ctx, pass)
    }
}
