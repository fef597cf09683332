//! Shape ops: `reshape`, `permute`, `transpose`, `unsqueeze`. They move no
//! arithmetic; the backward undoes the move (reshape back, inverse
//! permutation).

use ndarray::{Axis, IxDyn};

use crate::layout::{into_standard, to_standard};
use crate::tape::record;
use crate::{Real, Tensor, Var};

impl<T: Real> Var<T> {
    /// The same elements, in row-major order, with a new shape.
    ///
    /// # Panics
    /// If the element counts differ.
    pub fn reshape(&self, shape: &[usize]) -> Var<T> {
        let n: usize = shape.iter().product();
        assert_eq!(n, self.value().len(), "reshape: {:?} to {shape:?} changes the element count", self.shape());
        let y = reshaped(to_standard(self.value().view()), shape);
        let back = self.shape().to_vec();
        record(y, &[self], move |g, _| vec![Some(row_major(g, &back))])
    }

    /// Axes reordered: output axis `i` is input axis `axes[i]`. The data is
    /// copied once in memory order; only the strides change (the backward
    /// permutes the gradient's strides back, with no copy).
    ///
    /// # Panics
    /// If `axes` is not a permutation of `0..ndim`.
    pub fn permute(&self, axes: &[usize]) -> Var<T> {
        let mut inverse = vec![usize::MAX; axes.len()];
        for (i, &a) in axes.iter().enumerate() {
            assert!(a < axes.len() && inverse[a] == usize::MAX, "permute: {axes:?} is not a permutation");
            inverse[a] = i;
        }
        assert_eq!(axes.len(), self.ndim(), "permute: {axes:?} for shape {:?}", self.shape());
        let y = self.value().clone().permuted_axes(IxDyn(axes));
        record(y, &[self], move |g, _| vec![Some(g.permuted_axes(IxDyn(&inverse)))])
    }

    /// Axes `a` and `b` swapped.
    pub fn transpose(&self, a: usize, b: usize) -> Var<T> {
        let mut axes: Vec<usize> = (0..self.ndim()).collect();
        axes.swap(a, b);
        self.permute(&axes)
    }

    /// A new axis of length 1 at `axis`.
    pub fn unsqueeze(&self, axis: usize) -> Var<T> {
        let mut shape = self.shape().to_vec();
        shape.insert(axis, 1);
        self.reshape(&shape)
    }
}

/// `t`'s elements in row-major order, shaped as `shape` (copies only if
/// `t` is not already in standard layout).
fn row_major<T: Real>(t: Tensor<T>, shape: &[usize]) -> Tensor<T> {
    reshaped(into_standard(t), shape)
}

/// A standard-layout `t` with a new shape of the same element count.
fn reshaped<T: Real>(t: Tensor<T>, shape: &[usize]) -> Tensor<T> {
    if t.shape() == shape {
        return t;
    }
    t.into_shape_with_order(IxDyn(shape)).expect("standard layout reshapes")
}

/// Used by the index ops: the gradient of a selected piece scattered into
/// zeros of the input's shape along `axis`.
pub(crate) fn zeros_like_with<T: Real>(
    shape: &[usize],
    axis: usize,
    f: impl FnOnce(&mut Tensor<T>, Axis),
) -> Tensor<T> {
    let mut z = Tensor::<T>::zeros(IxDyn(shape));
    f(&mut z, Axis(axis));
    z
}
