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
    pub fn logits<T: Real>(&self, z: &Var<T>, pass: &mut Pass<'_, T>) -> Var<T> {
        let mut h = self.tokenizer.forward(z, pass);
        for block in &self.blocks {
            h = block.forward(&h, pass);
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
