//! The one way a table becomes model inputs, for training (before a model
//! exists: scaler and mode known) and for every trained model
//! ([`crate::Model::inputs`]): the model's features per row, `[N, F]`, or in
//! sequence mode the windows of the last `T` records of each key,
//! `[N, T, F]` (short histories padded with the training mean); then the
//! missing mask `m = isnan(x)` and imputation `x ← mean` where `m`.

use glassbox_autodiff::Tensor;
use ndarray::Dimension;

use crate::data::{sequence_windows, DataError, Dataset};
use crate::report::TrainingReport;
use crate::scaler::Scaler;
use crate::{GltError, InputMode};

/// Sequence mode: windows of the last `window` records of each key.
#[derive(Clone, Debug, PartialEq)]
pub struct SequenceSpec {
    /// Entity column (e.g. the track section).
    pub by: String,
    /// Order column (dates or numbers).
    pub order_by: String,
    /// `T`.
    pub window: usize,
}

impl SequenceSpec {
    /// The sequence mode a model was trained with, from its report.
    pub fn of_report(report: &TrainingReport) -> Option<Self> {
        let cfg = &report.config;
        match (&cfg.sequence_by, &cfg.order_by, cfg.model.mode) {
            (Some(by), Some(order_by), InputMode::Sequence { seq_len }) => {
                Some(SequenceSpec { by: by.clone(), order_by: order_by.clone(), window: seq_len })
            }
            _ => None,
        }
    }
}

/// Model inputs of a table's rows.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelInputs {
    /// `[N, F]` or `[N, T, F]` raw values, missing values imputed with the
    /// training mean.
    pub x: Tensor<f64>,
    /// Whether each cell of `x` was missing before imputation (row-major,
    /// `x.len()` entries).
    pub missing: Vec<bool>,
}

impl ModelInputs {
    /// Imputes raw rows `[N, ..row]` (missing = NaN) with `scaler`'s mean,
    /// recording the missing mask.
    ///
    /// ```
    /// use glassbox_glt::inputs::ModelInputs;
    /// use glassbox_glt::scaler::Scaler;
    /// let scaler = Scaler { mean: vec![2.0, 5.0], std: vec![1.0, 1.0], missing: vec![0, 0] };
    /// let raw = ndarray::array![[1.0, f64::NAN]].into_dyn();
    /// let i = ModelInputs::impute(raw, &scaler);
    /// assert_eq!(i.x.iter().copied().collect::<Vec<_>>(), [1.0, 5.0]);
    /// assert_eq!(i.missing, [false, true]);
    /// ```
    pub fn impute(mut x: Tensor<f64>, scaler: &Scaler) -> Self {
        let missing = x.iter().map(|v| v.is_nan()).collect();
        scaler.impute(&mut x);
        ModelInputs { x, missing }
    }

    /// The rows `rows` (in that order).
    pub fn select(&self, rows: &[usize]) -> ModelInputs {
        let width = self.x.len() / self.x.shape()[0].max(1);
        let missing = rows.iter().flat_map(|&r| self.missing[r * width..(r + 1) * width].iter().copied()).collect();
        ModelInputs { x: self.x.select(ndarray::Axis(0), rows), missing }
    }
}

/// The inputs of every row of `data` for a model with `scaler` and, in
/// sequence mode, `sequence` (whose columns must be among `data`'s extra
/// columns: [`DataError::NotLoaded`] naming the column otherwise).
pub fn model_inputs(data: &Dataset, sequence: Option<&SequenceSpec>, scaler: &Scaler) -> Result<ModelInputs, GltError> {
    let raw: Tensor<f64> = match sequence {
        None => data.x.clone().into_dyn(),
        Some(seq) => {
            let (keys, order) = (extra(data, &seq.by, "sequence")?, extra(data, &seq.order_by, "order")?);
            sequence_windows(data.x.view(), keys, order, seq.window, &scaler.mean)?.into_dyn()
        }
    };
    check_f32_range(data.x.view().into_dyn(), &data.feature_names, Some(&data.path))?;
    check_scaled_range(data.x.view().into_dyn(), scaler, &data.feature_names, Some(&data.path))?;
    Ok(ModelInputs::impute(raw, scaler))
}

/// Refuses a value whose standardised `z = (x − mean)/std` f32 cannot
/// hold (a value within f32's range, over a tiny spread):
/// [`GltError::OutOfRange`] as [`check_f32_range`].
pub fn check_scaled_range(
    x: ndarray::ArrayViewD<'_, f64>,
    scaler: &Scaler,
    feature_names: &[String],
    source: Option<&std::path::Path>,
) -> Result<(), GltError> {
    let beyond = x.indexed_iter().find(|(i, v)| {
        let j = i[i.ndim() - 1];
        v.is_finite() && ((*v - scaler.mean[j]) / scaler.std[j]).abs() > f64::from(f32::MAX)
    });
    match beyond {
        None => Ok(()),
        Some((i, &value)) => Err(GltError::OutOfRange {
            table: source.map(|p| p.to_path_buf()),
            row: i[0],
            column: feature_names.get(i[i.ndim() - 1]).cloned().unwrap_or_default(),
            value,
        }),
    }
}

/// Refuses a finite value that the model's f32 cannot hold (`|v| > f32::MAX`
/// would become ±inf and every output NaN): [`GltError::OutOfRange`] naming
/// the first such row (from 0) and feature. `x` is `[N, ..row]` with the
/// features on the last axis.
///
/// ```
/// use glassbox_glt::inputs::check_f32_range;
/// let names = ["a".to_string(), "b".to_string()];
/// assert!(check_f32_range(ndarray::array![[1e38, f64::NAN]].view().into_dyn(), &names, None).is_ok());
/// let e = check_f32_range(ndarray::array![[0.0, 1.0], [0.0, -1e39]].view().into_dyn(), &names, None).unwrap_err();
/// assert!(e.to_string().starts_with("row 1, column \"b\""), "{e}");
/// ```
pub fn check_f32_range(
    x: ndarray::ArrayViewD<'_, f64>,
    feature_names: &[String],
    source: Option<&std::path::Path>,
) -> Result<(), GltError> {
    let f = feature_names.len().max(1);
    let per_row = x.len() / x.shape().first().copied().unwrap_or(1).max(1);
    match x.iter().position(|v| v.is_finite() && v.abs() > f64::from(f32::MAX)) {
        None => Ok(()),
        Some(i) => Err(GltError::OutOfRange {
            table: source.map(|p| p.to_path_buf()),
            row: i / per_row.max(1),
            column: feature_names.get(i % f).cloned().unwrap_or_else(|| format!("#{}", i % f)),
            value: x.iter().nth(i).copied().unwrap_or(f64::NAN),
        }),
    }
}

/// An extra (string) column of `data` that a role needs
/// ([`DataError::NotLoaded`] naming it if it was not loaded).
pub fn extra<'d>(data: &'d Dataset, name: &str, role: &'static str) -> Result<&'d [String], GltError> {
    data.extra_column(name)
        .ok_or_else(|| GltError::Data(DataError::NotLoaded { path: data.path.clone(), name: name.to_string(), role }))
}

/// Checks that a batch of shape `[N, ..row]` fits a model whose rows have
/// shape `row` (`[F]` or `[T, F]`).
///
/// ```
/// use glassbox_glt::inputs::check_rows;
/// assert!(check_rows(&[4, 3], &[3]).is_ok());
/// assert!(check_rows(&[4, 2, 3], &[3]).unwrap_err().to_string().contains("do not fit"));
/// ```
pub fn check_rows(shape: &[usize], row: &[usize]) -> Result<(), GltError> {
    if shape.len() != row.len() + 1 || shape[1..] != row[..] {
        return Err(GltError::Shape(format!(
            "rows of shape {:?} do not fit the model's {:?}",
            shape.get(1..).unwrap_or(&[]),
            row
        )));
    }
    Ok(())
}
