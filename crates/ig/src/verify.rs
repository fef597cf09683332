//! `explain --verify-gradients`: the autodiff input gradient of `F` at a
//! row against central differences in f64 (glassbox-autodiff's
//! `gradcheck`, Richardson-refined), reported as the max relative error.

use glassbox_autodiff::{gradcheck, GradcheckError, Tensor, Var};

use crate::explainable::{Explainable, Output};
use crate::IgError;

/// Max relative error of `∂F/∂x` at `row` (shape `..row`), in f64.
pub fn verify_gradients<M: Explainable + ?Sized>(
    model: &M,
    row: &Tensor<f64>,
    target: usize,
    output: Output,
) -> Result<f64, IgError> {
    let shape = model.row_shape();
    if row.shape() != shape.as_slice() {
        return Err(IgError::Shape(format!("row of shape {:?}; the model's rows are {shape:?}", row.shape())));
    }
    let f = |v: &[Var<f64>]| output.of(&model.forward_f64(&v[0].unsqueeze(0)), target);
    match gradcheck(f, std::slice::from_ref(row), 1e-5, f64::INFINITY) {
        Ok(report) => Ok(report.max_error),
        Err(GradcheckError::Mismatch { error, .. }) => Ok(error),
        Err(GradcheckError::NotFinite) => Err(IgError::Config("the model's output is not finite at this row".into())),
    }
}
