//! The tokenizer: standardised features `z` to tokens, `[CLS]` first.
//!
//! - Tabular, `z ∈ R^{N×F}`: `token_f = z_f·W[f,:] + B[f,:]`
//!   (`W, B ∈ R^{F×d}`), so `F + 1` tokens.
//! - Sequence, `z ∈ R^{N×T×F}`: `token_t = z_t·W + b + P[t,:]`
//!   (`W ∈ R^{F×d}`, `b ∈ R^d`, `P ∈ R^{T×d}`), so `T + 1` tokens.
//!
//! In both modes row `W[f,:]` is the only path from feature `f` into the
//! model: when the group lasso sets it to zero, feature `f` has no effect.

use glassbox_autodiff::{Real, Tensor, Var};
use ndarray::IxDyn;

use super::Pass;
use crate::params::{Init, ParamLayout};

/// Feature tokenizer with a learned `[CLS]` token.
#[derive(Clone, Debug)]
pub struct Tokenizer {
    weight: usize,
    bias: usize,
    cls: usize,
    /// Positional embeddings (sequence mode only).
    position: Option<usize>,
}

impl Tokenizer {
    /// Tabular mode: `tokenizer.weight [F,d]`, `tokenizer.bias [F,d]`,
    /// `cls [d]`.
    pub fn tabular(layout: &mut ParamLayout, features: usize, d: usize) -> Self {
        let init = Init::Uniform(1.0 / (d as f64).sqrt());
        Tokenizer {
            weight: layout.add("tokenizer.weight", &[features, d], init, false),
            bias: layout.add("tokenizer.bias", &[features, d], init, false),
            cls: layout.add("cls", &[d], init, false),
            position: None,
        }
    }

    /// Sequence mode: `tokenizer.weight [F,d]`, `tokenizer.bias [d]`,
    /// `position [T,d]`, `cls [d]`.
    pub fn sequence(layout: &mut ParamLayout, features: usize, seq_len: usize, d: usize) -> Self {
        let init = Init::Uniform(1.0 / (d as f64).sqrt());
        Tokenizer {
            weight: layout.add(
                "tokenizer.weight",
                &[features, d],
                Init::Uniform(1.0 / (features as f64).sqrt()),
                false,
            ),
            bias: layout.add("tokenizer.bias", &[d], Init::Zeros, false),
            position: Some(layout.add("position", &[seq_len, d], init, false)),
            cls: layout.add("cls", &[d], init, false),
        }
    }

    /// Index of `W` (the group-lasso rows) in the layout.
    pub fn weight_index(&self) -> usize {
        self.weight
    }

    /// `z [N, F] → [N, F+1, d]` or `z [N, T, F] → [N, T+1, d]`.
    pub fn forward<T: Real>(&self, z: &Var<T>, pass: &Pass<'_, T>) -> Var<T> {
        let (w, b) = (pass.p(self.weight), pass.p(self.bias));
        let tokens = match self.position {
            None => z.feature_affine(w, b),               // z[n,f]·W[f,:] + B[f,:]
            Some(p) => z.matmul(w).add(b).add(pass.p(p)), // [N,T,F]·[F,d] + [d] + [T,d]
        };
        let (n, d) = (z.shape()[0], w.shape()[1]);
        let cls = Var::constant(Tensor::zeros(IxDyn(&[n, 1, d]))).add(&pass.p(self.cls).reshape(&[1, 1, d]));
        Var::concat(&[cls, tokens], 1)
    }
}
