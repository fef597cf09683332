//! Rows ready for the model: raw feature values with missing values imputed,
//! `[N, F]` (tabular) or `[N, T, F]` (sequence windows), and class labels.

use glassbox_autodiff::Tensor;
use ndarray::Axis;

use crate::GltError;

/// A set of examples.
#[derive(Clone, Debug, PartialEq)]
pub struct Examples {
    /// Raw inputs, first axis = rows.
    pub x: Tensor<f32>,
    /// Class index per row.
    pub y: Vec<usize>,
}

impl Examples {
    /// Pairs inputs with labels.
    pub fn new(x: Tensor<f32>, y: Vec<usize>) -> Result<Self, GltError> {
        if x.ndim() < 2 || x.shape()[0] != y.len() {
            return Err(GltError::Shape(format!("{} labels for inputs of shape {:?}", y.len(), x.shape())));
        }
        Ok(Examples { x, y })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The rows `idx`, in that order.
    pub fn rows(&self, idx: &[usize]) -> Examples {
        Examples { x: self.x.select(Axis(0), idx), y: idx.iter().map(|&i| self.y[i]).collect() }
    }
}
