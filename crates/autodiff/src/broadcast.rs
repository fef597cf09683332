//! Broadcasting, NumPy style: shapes are aligned at their last axis and an
//! axis of length 1 stretches to any length. The backward of a broadcast is
//! a sum over the stretched axes ([`sum_to_shape`]).

use ndarray::{ArrayViewD, Axis, IxDyn};

use crate::layout::to_owned;
use crate::parallel::sum_axis;
use crate::{Real, Tensor};

/// The shape two shapes broadcast to, or `None` if they are incompatible.
///
/// ```
/// use glassbox_autodiff::broadcast_shape;
/// assert_eq!(broadcast_shape(&[4, 1, 3], &[5, 1]), Some(vec![4, 5, 3]));
/// assert_eq!(broadcast_shape(&[2, 3], &[4]), None);
/// ```
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let dim = |s: &[usize], i: usize| if i + s.len() >= n { s[i + s.len() - n] } else { 1 };
    (0..n)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// Sums a gradient of a broadcast result back to the shape of one operand:
/// leading axes the operand lacks are summed away, and axes where the
/// operand has length 1 are summed with the axis kept.
///
/// ```
/// use glassbox_autodiff::sum_to_shape;
/// use ndarray::{array, ArrayD};
/// let g: ArrayD<f64> = ArrayD::ones(vec![2, 3]);
/// assert_eq!(sum_to_shape(g.clone(), &[3]), array![2.0, 2.0, 2.0].into_dyn());
/// assert_eq!(sum_to_shape(g, &[2, 1]), array![[3.0], [3.0]].into_dyn());
/// ```
pub fn sum_to_shape<T: Real>(grad: Tensor<T>, shape: &[usize]) -> Tensor<T> {
    if grad.shape() == shape {
        return grad;
    }
    reduce_to_shape(grad.view(), shape)
}

/// [`sum_to_shape`] of a borrowed gradient (copied only if nothing is
/// summed). Same association order as summing axis by axis with ndarray's
/// `sum_axis` (see `parallel::sum_axis`), so the bits do not depend on the
/// thread count.
pub(crate) fn reduce_to_shape<T: Real>(grad: ArrayViewD<'_, T>, shape: &[usize]) -> Tensor<T> {
    let mut g: Option<Tensor<T>> = None;
    while g.as_ref().map_or(grad.ndim(), Tensor::ndim) > shape.len() {
        g = Some(sum_axis(g.as_ref().map_or(grad.view(), |t| t.view()), 0));
    }
    for (axis, &len) in shape.iter().enumerate() {
        let current = g.as_ref().map_or(grad.view(), |t| t.view());
        if len == 1 && current.shape()[axis] != 1 {
            g = Some(sum_axis(current, axis).insert_axis(Axis(axis)));
        }
    }
    let g = g.unwrap_or_else(|| to_owned(grad));
    debug_assert_eq!(g.shape(), shape);
    g.into_shape_with_order(IxDyn(shape)).expect("same element count")
}
