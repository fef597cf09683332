//! A pre-norm encoder block:
//! `h ← h + Drop(MHA(LN₁(h)))`, then `h ← h + Drop(FFN(LN₂(h)))`.

use glassbox_autodiff::{Real, Var};

use super::{FeedForward, LayerNorm, MultiHeadAttention, Pass};
use crate::params::ParamLayout;

/// Pre-norm transformer encoder block.
#[derive(Clone, Debug)]
pub struct EncoderBlock {
    attn_norm: LayerNorm,
    attn: MultiHeadAttention,
    ffn_norm: LayerNorm,
    ffn: FeedForward,
}

impl EncoderBlock {
    /// Registers `{name}.attn_norm`, `{name}.attn`, `{name}.ffn_norm`,
    /// `{name}.ffn`.
    pub fn new(layout: &mut ParamLayout, name: &str, d: usize, heads: usize, d_ff: usize, eps: f64) -> Self {
        EncoderBlock {
            attn_norm: LayerNorm::new(layout, &format!("{name}.attn_norm"), d, eps),
            attn: MultiHeadAttention::new(layout, &format!("{name}.attn"), d, heads),
            ffn_norm: LayerNorm::new(layout, &format!("{name}.ffn_norm"), d, eps),
            ffn: FeedForward::new(layout, &format!("{name}.ffn"), d, d_ff),
        }
    }

    /// `[N, S, d] → [N, S, d]`.
    pub fn forward<T: Real>(&self, h: &Var<T>, pass: &mut Pass<'_, T>) -> Var<T> {
        self.run(h, false, pass)
    }

    /// The first token's ([CLS]) output alone, `[N, S, d] → [N, 1, d]`:
    /// the layer norm, keys and values over every token, then the query,
    /// the residual stream and the FFN on row 0 only. Row 0 of
    /// [`EncoderBlock::forward`], bit for bit, at about a quarter of its
    /// products for 25 tokens (the K and V projections stay whole).
    pub fn forward_first<T: Real>(&self, h: &Var<T>, pass: &mut Pass<'_, T>) -> Var<T> {
        self.run(h, true, pass)
    }

    /// The block on every row, or on row 0 alone (`first`).
    fn run<T: Real>(&self, h: &Var<T>, first: bool, pass: &mut Pass<'_, T>) -> Var<T> {
        let normed = self.attn_norm.forward(h, pass);
        let (rows, h) = match first {
            true => (normed.slice(1, 0..1), h.slice(1, 0..1)),
            false => (normed.clone(), h.clone()),
        };
        let h = residual(&h, pass, |r, pass| self.attn.attend(&rows, &normed, r, pass));
        let normed = self.ffn_norm.forward(&h, pass);
        residual(&h, pass, |r, pass| self.ffn.forward_residual(&normed, r, pass))
    }
}

/// `h + Drop(sublayer(·))`. In training with dropout, the sublayer's
/// output is dropped out and then added; otherwise (inference, IG) the
/// sublayer gets `h` as its residual and adds it in its last product's
/// pass: `(h + b) + x·Wᵀ`, one pass and no tape node for the add.
fn residual<T: Real>(
    h: &Var<T>,
    pass: &mut Pass<'_, T>,
    sublayer: impl FnOnce(Option<&Var<T>>, &mut Pass<'_, T>) -> Var<T>,
) -> Var<T> {
    match pass.draws_dropout() {
        true => {
            let out = sublayer(None, pass);
            h.add(&pass.dropout(&out))
        }
        false => sublayer(Some(h), pass),
    }
}
