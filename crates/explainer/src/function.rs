//! The GLT as an Integrated-Gradients function (glassbox-ig's
//! [`Explainable`]): raw rows `[N, F]` or `[N, T, F]` → logits `[N, C]`,
//! scaler included, with the parameters as constants so a backward toward
//! the input never computes a parameter gradient.

use std::sync::{Arc, OnceLock};

use glassbox_autodiff::{Tensor, Var};
use glassbox_ig::Explainable;

use glassbox_glt::layers::Pass;
use glassbox_glt::{InputMode, Model};

/// A trained model, ready to explain (parameters shared in f32 and f64,
/// each converted on the first forward in that precision: a fixed-rule
/// run never builds the f64 copy).
pub struct GltFunction<'a> {
    model: &'a Model,
    params32: OnceLock<Vec<Arc<Tensor<f32>>>>,
    params64: OnceLock<Vec<Arc<Tensor<f64>>>>,
}

impl<'a> GltFunction<'a> {
    /// The model as an IG function of raw, imputed inputs `[N, ..row]`.
    ///
    /// ```
    /// let model = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
    /// use glassbox_ig::Explainable;
    /// let f = glassbox_explainer::GltFunction::new(&model);
    /// assert_eq!(f.row_shape(), [model.feature_names.len()]);
    /// # Ok::<(), glassbox_glt::GltError>(())
    /// ```
    pub fn new(model: &'a Model) -> Self {
        GltFunction { model, params32: OnceLock::new(), params64: OnceLock::new() }
    }
}

impl Explainable for GltFunction<'_> {
    fn row_shape(&self) -> Vec<usize> {
        self.model.glt.row_shape()
    }

    fn n_outputs(&self) -> usize {
        self.model.glt.config.n_classes
    }

    fn forward_f32(&self, x: &Var<f32>) -> Var<f32> {
        let shared = self.params32.get_or_init(|| self.model.params.iter().map(|p| Arc::new(p.clone())).collect());
        let params: Vec<Var<f32>> = shared.iter().map(|p| Var::constant_shared(Arc::clone(p))).collect();
        self.model.glt.logits_raw(&self.model.scaler, x, &mut Pass::eval(&params))
    }

    fn forward_f64(&self, x: &Var<f64>) -> Var<f64> {
        let shared =
            self.params64.get_or_init(|| self.model.params.iter().map(|p| Arc::new(p.mapv(f64::from))).collect());
        let params: Vec<Var<f64>> = shared.iter().map(|p| Var::constant_shared(Arc::clone(p))).collect();
        self.model.glt.logits_raw(&self.model.scaler, x, &mut Pass::eval(&params))
    }

    /// Tape per row, f64 worst case: per block about `16·S·d + 3·S·d_ff +
    /// 3·H·S²` values (projections, head copies, attention maps, FFN
    /// activations and derivatives), twice over for the backward.
    fn bytes_per_row(&self) -> usize {
        let c = &self.model.glt.config;
        let s = match c.mode {
            InputMode::Tabular => c.n_features + 1,
            InputMode::Sequence { seq_len } => seq_len + 1,
        };
        let per_block = 16 * s * c.d_model + 3 * s * c.d_ff + 3 * c.n_heads * s * s;
        8 * 2 * (c.n_blocks.max(1) * per_block + 4 * s * c.d_model)
    }
}
