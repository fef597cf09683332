//! Indexing ops: `slice` and `select` along an axis, `gather_rows`,
//! `concat`. Backward scatters the gradient into zeros of the input's shape
//! (adding where a row was gathered more than once), or splits it.

use std::ops::Range;

use ndarray::{Axis, Slice};

use crate::ops::shape::zeros_like_with;
use crate::tape::record;
use crate::{Real, Tensor, Var};

impl<T: Real> Var<T> {
    /// Elements `range` along `axis` (the axis is kept).
    ///
    /// # Panics
    /// If the range is out of bounds.
    pub fn slice(&self, axis: usize, range: Range<usize>) -> Var<T> {
        assert!(
            axis < self.ndim() && range.start <= range.end && range.end <= self.shape()[axis],
            "slice: {range:?} on axis {axis} of {:?}",
            self.shape()
        );
        let sl = Slice::from(range);
        let y = self.value().slice_axis(Axis(axis), sl).to_owned();
        let shape = self.shape().to_vec();
        record(y, &[self], move |g, _| {
            vec![Some(zeros_like_with(&shape, axis, |z, ax| z.slice_axis_mut(ax, sl).assign(g)))]
        })
    }

    /// Element `index` along `axis` (the axis is removed).
    ///
    /// # Panics
    /// If the index is out of bounds.
    pub fn select(&self, axis: usize, index: usize) -> Var<T> {
        assert!(
            axis < self.ndim() && index < self.shape()[axis],
            "select: {index} on axis {axis} of {:?}",
            self.shape()
        );
        let y = self.value().index_axis(Axis(axis), index).to_owned();
        let shape = self.shape().to_vec();
        record(y, &[self], move |g, _| {
            vec![Some(zeros_like_with(&shape, axis, |z, ax| z.index_axis_mut(ax, index).assign(g)))]
        })
    }

    /// Rows `indices` of axis 0, in that order (repeats allowed):
    /// `y[i] = x[indices[i]]`; backward `∂x[j] = Σ_{i: indices[i] = j} g[i]`.
    ///
    /// # Panics
    /// If an index is out of bounds.
    pub fn gather_rows(&self, indices: &[usize]) -> Var<T> {
        let rows = self.shape().first().copied().unwrap_or(0);
        assert!(indices.iter().all(|&i| i < rows), "gather_rows: index out of 0..{rows}");
        let y = self.value().select(Axis(0), indices);
        let (shape, indices) = (self.shape().to_vec(), indices.to_vec());
        record(y, &[self], move |g, _| {
            vec![Some(zeros_like_with(&shape, 0, |z, ax| {
                for (i, &j) in indices.iter().enumerate() {
                    let mut row = z.index_axis_mut(ax, j);
                    row += &g.index_axis(ax, i);
                }
            }))]
        })
    }

    /// Concatenation along `axis`.
    ///
    /// # Panics
    /// If `parts` is empty or the other axes differ.
    pub fn concat(parts: &[Var<T>], axis: usize) -> Var<T> {
        assert!(!parts.is_empty(), "concat of nothing");
        let views: Vec<_> = parts.iter().map(|p| p.value().view()).collect();
        let y = ndarray::concatenate(Axis(axis), &views).unwrap_or_else(|e| {
            panic!("concat on axis {axis}: {e} ({:?})", parts.iter().map(Var::shape).collect::<Vec<_>>())
        });
        let lens: Vec<usize> = parts.iter().map(|p| p.shape()[axis]).collect();
        let refs: Vec<&Var<T>> = parts.iter().collect();
        record(y, &refs, move |g, needs| {
            let mut start = 0;
            lens.iter()
                .zip(needs)
                .map(|(&len, &need)| {
                    let piece = need
                        .then(|| -> Tensor<T> { g.slice_axis(Axis(axis), Slice::from(start..start + len)).to_owned() });
                    start += len;
                    piece
                })
                .collect()
        })
    }
}
