//! The trained model (SPEC §3, §5): the architecture, its parameters,
//! the feature names and groups, the scaler, the class names and the
//! training report; how a table becomes its inputs ([`Model::inputs`]), and
//! its probabilities and logits. The file format is in [`crate::model_file`].

use glassbox_autodiff::Tensor;
use ndarray::Array2;

use crate::data::{Dataset, FeatureGroups};
use crate::inputs::{check_rows, model_inputs, ModelInputs, SequenceSpec};
use crate::report::TrainingReport;
use crate::scaler::Scaler;
use crate::{Glt, GltError};

/// A trained GLT with everything needed to use and explain it.
#[derive(Clone, Debug)]
pub struct Model {
    /// The architecture (rebuilt from the config on load).
    pub glt: Glt,
    /// Parameter values in layout order.
    pub params: Vec<Tensor<f32>>,
    /// Input feature names, in model order.
    pub feature_names: Vec<String>,
    /// The feature groups of the lasso.
    pub groups: FeatureGroups,
    /// Standardisation fitted on the training rows.
    pub scaler: Scaler,
    /// Label values, in class-index order.
    pub class_names: Vec<String>,
    /// How it was trained and how well it does.
    pub report: TrainingReport,
}

impl Model {
    /// Sequence mode: the key and order columns and the window `T` the
    /// model was trained with (`None` for a tabular model).
    pub fn sequence(&self) -> Option<SequenceSpec> {
        SequenceSpec::of_report(&self.report)
    }

    /// The model inputs of every row of `data` (its features in the model's
    /// order): windows in sequence mode, missing values imputed with the
    /// training mean, and the missing mask. A sequence model needs the
    /// sequence and order columns among `data`'s extra columns (an error
    /// naming the column otherwise).
    pub fn inputs(&self, data: &Dataset) -> Result<ModelInputs, GltError> {
        model_inputs(data, self.sequence().as_ref(), &self.scaler)
    }

    /// Class probabilities `[N, C]` of raw rows (`[N, F]` or `[N, T, F]`,
    /// missing values as NaN), computed in f32 without a tape.
    pub fn probabilities(&self, x: &Tensor<f64>) -> Result<Array2<f64>, GltError> {
        Ok(crate::fit::softmax_rows(&self.logits_f32(x)?))
    }

    /// Logits `[N, C]` of raw rows, as [`Model::probabilities`] computes them.
    pub fn logits(&self, x: &Tensor<f64>) -> Result<Array2<f64>, GltError> {
        Ok(self.logits_f32(x)?.mapv(f64::from))
    }

    fn logits_f32(&self, x: &Tensor<f64>) -> Result<Array2<f32>, GltError> {
        check_rows(x.shape(), &self.glt.row_shape())?;
        crate::inputs::check_f32_range(x.view(), &self.feature_names, None)?;
        crate::inputs::check_scaled_range(x.view(), &self.scaler, &self.feature_names, None)?;
        let mut x = x.clone();
        self.scaler.impute(&mut x);
        Ok(crate::fit::logits_chunked(&self.glt, &self.scaler, &self.params, &x.mapv(|v| v as f32)))
    }
}
