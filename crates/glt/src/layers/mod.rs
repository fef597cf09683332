//! The layers of the GLT. Each holds the indices of its parameters in the
//! model's [`crate::params::ParamLayout`] and runs on a [`Pass`]: the
//! parameter values for this forward pass plus, in training, dropout.

mod attention;
mod encoder_block;
mod feed_forward;
mod linear;
mod tokenizer;

pub use attention::MultiHeadAttention;
pub use encoder_block::EncoderBlock;
pub use feed_forward::FeedForward;
pub use linear::{LayerNorm, Linear};
pub use tokenizer::Tokenizer;

use glassbox_autodiff::{dropout_mask, Real, Tensor, Var};
use rand_chacha::ChaCha8Rng;

/// One forward pass: the parameters (layout order) and, when training,
/// the dropout probability with the pass's seeded RNG.
pub struct Pass<'a, T: Real> {
    /// Parameter values in layout order.
    pub params: &'a [Var<T>],
    /// `Some((p, rng))` in training; `None` in inference (no dropout).
    pub dropout: Option<(f64, ChaCha8Rng)>,
}

impl<'a, T: Real> Pass<'a, T> {
    /// An inference pass (no dropout).
    pub fn eval(params: &'a [Var<T>]) -> Self {
        Pass { params, dropout: None }
    }

    /// Parameter `i`.
    pub fn p(&self, i: usize) -> &Var<T> {
        &self.params[i]
    }

    /// Whether this pass draws dropout masks (training with `p > 0`).
    pub fn draws_dropout(&self) -> bool {
        matches!(&self.dropout, Some((p, _)) if *p > 0.0)
    }

    /// Dropout in training, identity in inference.
    pub fn dropout(&mut self, x: &Var<T>) -> Var<T> {
        match &mut self.dropout {
            Some((p, rng)) if *p > 0.0 => x.dropout(*p, rng),
            _ => x.clone(),
        }
    }

    /// The dropout mask of a tensor of `shape` in training (drawn as
    /// [`Pass::dropout`] would draw it), `None` in inference.
    pub fn dropout_mask(&mut self, shape: &[usize]) -> Option<Tensor<T>> {
        match &mut self.dropout {
            Some((p, rng)) if *p > 0.0 => Some(dropout_mask(shape, *p, rng)),
            _ => None,
        }
    }
}
