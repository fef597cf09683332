//! The architecture's hyper-parameters (SPEC §3 defaults).

use serde::{Deserialize, Serialize};

use crate::GltError;

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

    /// Checks that the sizes make a model.
    pub fn validate(&self) -> Result<(), GltError> {
        let bad = |why: String| Err(GltError::Config(why));
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
        if let InputMode::Sequence { seq_len: 0 } = self.mode {
            return bad("the sequence window must be at least 1".into());
        }
        Ok(())
    }
}
