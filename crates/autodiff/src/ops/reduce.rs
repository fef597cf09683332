//! Sums and means over axes. Backward: the gradient of the reduced value is
//! broadcast back over the reduced axes (divided by their size for means).

use ndarray::{Axis, IxDyn};

use crate::layout::to_standard;
use crate::parallel::sum_axis;
use crate::tape::record;
use crate::{Real, Tensor, Var};

impl<T: Real> Var<T> {
    /// Sum over the given axes, which are removed.
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::array;
    /// let x = Var::constant(array![[1.0, 2.0], [3.0, 4.0]].into_dyn());
    /// assert_eq!(x.sum_axes(&[0]).value(), &array![4.0, 6.0].into_dyn());
    /// assert_eq!(x.sum_axes(&[0, 1]).value()[[]], 10.0);
    /// ```
    ///
    /// # Panics
    /// If an axis is out of range or repeated.
    pub fn sum_axes(&self, axes: &[usize]) -> Var<T> {
        let mut sorted = axes.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert!(
            sorted.len() == axes.len() && sorted.last().is_none_or(|&a| a < self.ndim()),
            "sum_axes: axes {axes:?} invalid for shape {:?}",
            self.shape()
        );
        // Last axis first, as ndarray's `sum_axis` would, without cloning
        // the input (see `parallel::sum_axis` for the fixed order).
        let y: Tensor<T> = match sorted.split_last() {
            None => self.value().clone(),
            Some((&last, rest)) => {
                rest.iter().rev().fold(sum_axis(self.value().view(), last), |y, &a| sum_axis(y.view(), a))
            }
        };
        let shape = self.shape().to_vec();
        record(y, &[self], move |g, _| {
            let mut g = g.view();
            for &a in &sorted {
                g.insert_axis_inplace(Axis(a));
            }
            vec![Some(to_standard(g.broadcast(IxDyn(&shape)).expect("reduced axes broadcast back")))]
        })
    }

    /// Mean over the given axes, which are removed.
    pub fn mean_axes(&self, axes: &[usize]) -> Var<T> {
        let count: usize = axes.iter().map(|&a| self.shape().get(a).copied().unwrap_or(1)).product();
        self.sum_axes(axes).div_scalar(T::from_usize(count).expect("count fits"))
    }

    /// Sum over one axis, which is removed.
    pub fn sum_axis(&self, axis: usize) -> Var<T> {
        self.sum_axes(&[axis])
    }

    /// Mean over one axis, which is removed.
    pub fn mean_axis(&self, axis: usize) -> Var<T> {
        self.mean_axes(&[axis])
    }

    /// Sum of all elements (a 0-D value).
    pub fn sum_all(&self) -> Var<T> {
        self.sum_axes(&(0..self.ndim()).collect::<Vec<_>>())
    }

    /// Mean of all elements (a 0-D value).
    pub fn mean_all(&self) -> Var<T> {
        self.mean_axes(&(0..self.ndim()).collect::<Vec<_>>())
    }
}
