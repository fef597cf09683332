//! The architecture's hyper-parameters (SPEC §3 defaults).

use serde::{Deserialize, Serialize};

use crate::GltError;

/// The largest token width `d_model`.
pub const MAX_D_MODEL: usize = 4096;
/// The largest FFN width `d_ff`.
pub const MAX_D_FF: usize = 16384;
/// The most encoder blocks.
pub const MAX_BLOCKS: usize = 64;
/// The longest sequence window `T`.
pub const MAX_WINDOW: usize = 4096;
/// The most input features `F` (each is a token).
pub const MAX_FEATURES: usize = 100_000;
/// The most classes `C`.
pub const MAX_CLASSES: usize = 100_000;

/// How rows enter the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputMode {
    /// One row `x ∈ R^F`.
    Tabular,
    /// The last `seq_len` records of an entity, `X ∈ R^{T×F}`.
    Sequence {
        /// `T`.
        seq_len: usize,
    },
}

/// GLT sizes and regularisation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GltConfig {
    /// Tabular or sequence input.
    pub mode: InputMode,
    /// Number of input features `F`.
    pub n_features: usize,
    /// Token width `d` (default 64).
    pub d_model: usize,
    /// Attention heads (default 4).
    pub n_heads: usize,
    /// Encoder blocks (default 3).
    pub n_blocks: usize,
    /// FFN hidden width (default 128).
    pub d_ff: usize,
    /// Output classes `C` (2 for binary).
    pub n_classes: usize,
    /// Dropout probability in training (default 0.1).
    pub dropout: f64,
    /// Layer-norm ε (1e-5).
    pub layer_norm_eps: f64,
}

impl GltConfig {
    /// SPEC §3 defaults for a tabular model.
    ///
    /// ```
    /// let c = glassbox_glt::GltConfig::tabular(30, 2);
    /// assert_eq!((c.d_model, c.n_heads, c.n_blocks, c.d_ff), (64, 4, 3, 128));
    /// ```
    pub fn tabular(n_features: usize, n_classes: usize) -> Self {
        GltConfig {
            mode: InputMode::Tabular,
            n_features,
            d_model: 64,
            n_heads: 4,
            n_blocks: 3,
            d_ff: 128,
            n_classes,
            dropout: 0.1,
            layer_norm_eps: 1e-5,
        }
    }

    /// SPEC §3 defaults for a sequence model over windows of `seq_len`.
    pub fn sequence(n_features: usize, seq_len: usize, n_classes: usize) -> Self {
        GltConfig { mode: InputMode::Sequence { seq_len }, ..Self::tabular(n_features, n_classes) }
    }

    /// `T` (1 for a tabular model).
    pub fn seq_len(&self) -> usize {
        match self.mode {
            InputMode::Tabular => 1,
            InputMode::Sequence { seq_len } => seq_len,
        }
    }

    /// Checks that the sizes make a model: each within its cap
    /// ([`MAX_D_MODEL`], [`MAX_D_FF`], [`MAX_BLOCKS`], [`MAX_WINDOW`],
    /// [`MAX_FEATURES`], [`MAX_CLASSES`]; how much memory training a
    /// configuration needs is [`crate::footprint`]'s part), `n_heads | d_model`,
    /// `layer_norm_eps` positive and finite, dropout in `[0, 1)`.
    ///
    /// ```
    /// let mut c = glassbox_glt::GltConfig::tabular(3, 2);
    /// assert!(c.validate().is_ok());
    /// c.layer_norm_eps = -1.0;
    /// assert!(c.validate().unwrap_err().to_string().contains("layer_norm_eps"));
    /// ```
    pub fn validate(&self) -> Result<(), GltError> {
        let bad = |why: String| Err(GltError::Config(why));
        let caps = [
            ("features", self.n_features, MAX_FEATURES),
            ("classes", self.n_classes, MAX_CLASSES),
            ("d_model", self.d_model, MAX_D_MODEL),
            ("d_ff", self.d_ff, MAX_D_FF),
            ("blocks", self.n_blocks, MAX_BLOCKS),
            ("window", self.seq_len(), MAX_WINDOW),
        ];
        if let Some((what, value, cap)) = caps.into_iter().find(|(_, v, cap)| v > cap) {
            return bad(format!("{what} {value} is above the cap of {cap}; use at most {cap}"));
        }
        if self.n_features == 0 {
            return bad("the model needs at least one feature".into());
        }
        if self.n_classes < 2 {
            return bad(format!("the label has {} class(es); at least 2 are needed", self.n_classes));
        }
        if self.d_model == 0 || self.n_heads == 0 || self.d_model % self.n_heads != 0 {
            return bad(format!("d_model {} must be a positive multiple of n_heads {}", self.d_model, self.n_heads));
        }
        if self.d_ff == 0 {
            return bad("d_ff must be positive".into());
        }
        if !(0.0..1.0).contains(&self.dropout) {
            return bad(format!("dropout {} must be in [0, 1)", self.dropout));
        }
        if !(self.layer_norm_eps.is_finite() && self.layer_norm_eps > 0.0) {
            return bad(format!("layer_norm_eps {} must be a positive finite number", self.layer_norm_eps));
        }
        if let InputMode::Sequence { seq_len: 0 } = self.mode {
            return bad("the sequence window must be at least 1".into());
        }
        Ok(())
    }
}
