//! The Group Lasso Transformer as one differentiable function of the raw
//! input: scaler → tokenizer → `n_blocks` pre-norm encoder blocks →
//! `LN(h_CLS)` → linear head → logits `[N, C]` (SPEC §3).

use glassbox_autodiff::{Real, Var};

use crate::layers::{EncoderBlock, LayerNorm, Linear, Pass, Tokenizer};
use crate::params::ParamLayout;
use crate::scaler::Scaler;
use crate::{GltConfig, GltError, InputMode};

/// The architecture: layers and the layout of their parameters. The
/// parameter values live apart (a `&[Var<T>]` per pass), so one `Glt`
/// serves training (tape leaves), inference and explanation (constants)
/// in f32 or f64.
///
/// ```
/// use glassbox_autodiff::{Tensor, Var};
/// use glassbox_glt::{Glt, GltConfig, layers::Pass, params::constants};
/// let glt = Glt::new(GltConfig { d_model: 8, n_heads: 2, d_ff: 16, n_blocks: 1, ..GltConfig::tabular(3, 2) }).unwrap();
/// let params = constants::<f32>(&glt.layout.init(1));
/// let z = Var::constant(Tensor::<f32>::zeros(vec![5, 3]));
/// assert_eq!(glt.logits(&z, &mut Pass::eval(&params)).shape(), &[5, 2]);
/// ```
#[derive(Clone, Debug)]
pub struct Glt {
    /// Hyper-parameters.
    pub config: GltConfig,
    /// Names, shapes and initialisation of the parameters.
    pub layout: ParamLayout,
    tokenizer: Tokenizer,
    blocks: Vec<EncoderBlock>,
    head_norm: LayerNorm,
    head: Linear,
}

impl Glt {
    /// Builds the layers for a configuration.
    pub fn new(config: GltConfig) -> Result<Self, GltError> {
        config.validate()?;
        let (f, d) = (config.n_features, config.d_model);
        let eps = config.layer_norm_eps;
        let mut layout = ParamLayout::default();
        let tokenizer = match config.mode {
            InputMode::Tabular => Tokenizer::tabular(&mut layout, f, d),
            InputMode::Sequence { seq_len } => Tokenizer::sequence(&mut layout, f, seq_len, d),
        };
        let blocks = (0..config.n_blocks)
            .map(|i| EncoderBlock::new(&mut layout, &format!("blocks.{i}"), d, config.n_heads, config.d_ff, eps))
            .collect();
        let head_norm = LayerNorm::new(&mut layout, "head_norm", d, eps);
        let head = Linear::new(&mut layout, "head", d, config.n_classes);
        Ok(Glt { config, layout, tokenizer, blocks, head_norm, head })
    }

    /// Layout index of the tokenizer weight `W [F, d]`, whose rows the
    /// group lasso acts on.
    pub fn tokenizer_weight(&self) -> usize {
        self.tokenizer.weight_index()
    }

    /// The input shape of one row: `[F]` or `[T, F]`.
    pub fn row_shape(&self) -> Vec<usize> {
        match self.config.mode {
            InputMode::Tabular => vec![self.config.n_features],
            InputMode::Sequence { seq_len } => vec![seq_len, self.config.n_features],
        }
    }

    /// Logits `[N, C]` from standardised input `z` (`[N, F]` or `[N, T, F]`).
    ///
    /// Only the [CLS] row of the last block reaches the head, so without
    /// dropout that block runs on row 0 alone
    /// ([`EncoderBlock::forward_first`]: the same values, about a quarter
    /// of the block's products). A training pass keeps the whole block, so
    /// its dropout masks are drawn as always.
    pub fn logits<T: Real>(&self, z: &Var<T>, pass: &mut Pass<'_, T>) -> Var<T> {
        let mut h = self.tokenizer.forward(z, pass);
        let last_on_cls = !pass.draws_dropout();
        for (i, block) in self.blocks.iter().enumerate() {
            h = match last_on_cls && i + 1 == self.blocks.len() {
                true => block.forward_first(&h, pass),
                false => block.forward(&h, pass),
            };
        }
        let cls = h.select(1, 0);
        self.head.forward(&self.head_norm.forward(&cls, pass), pass)
    }

    /// Logits from raw feature values (missing values already imputed):
    /// the scaler is the first op, so gradients are in the user's units.
    pub fn logits_raw<T: Real>(&self, scaler: &Scaler, x: &Var<T>, pass: &mut Pass<'_, T>) -> Var<T> {
        self.logits(&scaler.apply(x), pass)
    }
}

#[cfg(test)]
mod tests {
    use glassbox_autodiff::{Real, Tape, Tensor, Var};
    use ndarray::IxDyn;

    use super::*;
    use crate::params::constants;

    /// The logits with every block whole, as a training pass runs them.
    fn whole<T: Real>(glt: &Glt, z: &Var<T>, pass: &mut Pass<'_, T>) -> Var<T> {
        let mut h = glt.tokenizer.forward(z, pass);
        for block in &glt.blocks {
            h = block.forward(&h, pass);
        }
        glt.head.forward(&glt.head_norm.forward(&h.select(1, 0), pass), pass)
    }

    /// An inference pass (last block on the [CLS] row alone) gives the
    /// logits and the input gradients of the whole blocks, bit for bit,
    /// in both precisions and both input modes.
    fn same_as_whole<T: Real>(config: GltConfig, shape: &[usize]) {
        let glt = Glt::new(GltConfig { d_model: 16, n_heads: 2, d_ff: 24, n_blocks: 2, ..config }).unwrap();
        let params = constants::<T>(&glt.layout.init(7));
        let len = shape.iter().product();
        let values = (0..len).map(|k: usize| T::c(((k * 37) % 23) as f64 / 7.0 - 1.5)).collect();
        let z = Tensor::<T>::from_shape_vec(IxDyn(shape), values).unwrap();
        let run = |shortcut: bool| {
            let tape = Tape::new();
            let x = tape.leaf(z.clone());
            let mut pass = Pass::eval(&params);
            let y = if shortcut { glt.logits(&x, &mut pass) } else { whole(&glt, &x, &mut pass) };
            let seed = Tensor::<T>::from_shape_fn(IxDyn(y.shape()), |i| T::c(i[1] as f64 - 0.5));
            let g = y.backward_with(seed).get(&x).unwrap().clone();
            (y.value().clone(), g)
        };
        let ((y1, g1), (y2, g2)) = (run(true), run(false));
        let bits = |t: &Tensor<T>| t.iter().map(|v| v.to_f64().unwrap().to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&y1), bits(&y2));
        assert_eq!(bits(&g1), bits(&g2));
        assert!(g1.iter().any(|v| *v != T::zero()));
    }

    #[test]
    fn the_last_block_on_the_cls_row_changes_no_bit() {
        same_as_whole::<f32>(GltConfig::tabular(5, 3), &[4, 5]);
        same_as_whole::<f64>(GltConfig::tabular(5, 3), &[4, 5]);
        same_as_whole::<f32>(GltConfig::sequence(3, 6, 2), &[3, 6, 3]);
        same_as_whole::<f64>(GltConfig::sequence(3, 6, 2), &[3, 6, 3]);
    }
}
