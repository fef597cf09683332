//! Indexing ops: `slice` and `select` along an axis, `gather_rows`,
//! `concat`. Backward scatters the gradient into zeros of the input's shape
//! (adding where a row was gathered more than once), or splits it.

use std::ops::Range;

use ndarray::{Axis, IxDyn, Slice};

use crate::layout::{standard_slice, to_owned};
use crate::ops::shape::zeros_like_with;
use crate::parallel::{for_chunks, lane_chunk, PARALLEL_MIN_LEN};
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
        let y = to_owned(self.value().slice_axis(Axis(axis), sl));
        let shape = self.shape().to_vec();
        record(y, &[self], move |g, _| {
            vec![Some(zeros_like_with(&shape, axis, |z, ax| z.slice_axis_mut(ax, sl).assign(&g)))]
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
        let y = to_owned(self.value().index_axis(Axis(axis), index));
        let shape = self.shape().to_vec();
        record(y, &[self], move |g, _| {
            vec![Some(zeros_like_with(&shape, axis, |z, ax| z.index_axis_mut(ax, index).assign(&g)))]
        })
    }

    /// Rows `indices` of axis 0, in that order (repeats allowed):
    /// `y[i] = x[indices[i]]`; backward `∂x[j] = Σ_{i: indices[i] = j} g[i]`,
    /// summed from zero in increasing `i` (destination rows in parallel).
    ///
    /// # Panics
    /// If an index is out of bounds.
    pub fn gather_rows(&self, indices: &[usize]) -> Var<T> {
        let rows = self.shape().first().copied().unwrap_or(0);
        assert!(indices.iter().all(|&i| i < rows), "gather_rows: index out of 0..{rows}");
        let x = self.value();
        let width = x.len().checked_div(rows).unwrap_or(0);
        let y = match x.as_slice().filter(|_| x.ndim() >= 2 && width > 0 && indices.len() * width >= PARALLEL_MIN_LEN) {
            Some(src) => {
                let mut shape = x.shape().to_vec();
                shape[0] = indices.len();
                let mut y = Tensor::<T>::zeros(IxDyn(&shape));
                let dst = y.as_slice_mut().expect("fresh array is contiguous");
                for_chunks(dst, lane_chunk(width), |start, c| {
                    for (row, &j) in c.chunks_mut(width).zip(&indices[start / width..]) {
                        row.copy_from_slice(&src[j * width..(j + 1) * width]);
                    }
                });
                y
            }
            None => x.select(Axis(0), indices),
        };
        let (shape, indices) = (self.shape().to_vec(), indices.to_vec());
        record(y, &[self], move |g, _| vec![Some(scatter_rows(&g, &indices, &shape))])
    }

    /// Concatenation along `axis`, in standard layout (ndarray's
    /// `concatenate` puts `axis` outermost in memory, and every op after
    /// a tokenizer's concat then copied its input back).
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::array;
    /// let a = Var::constant(array![[[1.0f64, 2.0]], [[3.0, 4.0]]].into_dyn()); // [2, 1, 2]
    /// let b = Var::constant(array![[[5.0, 6.0], [7.0, 8.0]], [[9.0, 10.0], [11.0, 12.0]]].into_dyn());
    /// let y = Var::concat(&[a, b], 1);
    /// assert_eq!(y.shape(), [2, 3, 2]);
    /// assert!(y.value().is_standard_layout());
    /// assert_eq!(y.value().as_slice().unwrap(), &[1.0, 2.0, 5.0, 6.0, 7.0, 8.0, 3.0, 4.0, 9.0, 10.0, 11.0, 12.0]);
    /// ```
    ///
    /// # Panics
    /// If `parts` is empty or the other axes differ.
    pub fn concat(parts: &[Var<T>], axis: usize) -> Var<T> {
        assert!(!parts.is_empty(), "concat of nothing");
        let first = parts[0].shape();
        assert!(
            axis < first.len()
                && parts.iter().all(|p| {
                    let s = p.shape();
                    s.len() == first.len() && s[..axis] == first[..axis] && s[axis + 1..] == first[axis + 1..]
                }),
            "concat on axis {axis}: {:?}",
            parts.iter().map(Var::shape).collect::<Vec<_>>()
        );
        let y = concat_standard(parts, axis);
        let lens: Vec<usize> = parts.iter().map(|p| p.shape()[axis]).collect();
        let refs: Vec<&Var<T>> = parts.iter().collect();
        record(y, &refs, move |g, needs| {
            let mut start = 0;
            lens.iter()
                .zip(needs)
                .map(|(&len, &need)| {
                    let piece = need.then(|| to_owned(g.slice_axis(Axis(axis), Slice::from(start..start + len))));
                    start += len;
                    piece
                })
                .collect()
        })
    }
}

/// The parts laid side by side along `axis` in a standard-layout tensor:
/// for each index of the axes before `axis`, each part's contiguous block
/// of `len × (the axes after)` elements in turn.
fn concat_standard<T: Real>(parts: &[Var<T>], axis: usize) -> Tensor<T> {
    let mut shape = parts[0].shape().to_vec();
    shape[axis] = parts.iter().map(|p| p.shape()[axis]).sum();
    let (outer, inner) = (shape[..axis].iter().product::<usize>(), shape[axis + 1..].iter().product::<usize>());
    let values: Vec<_> = parts.iter().map(Var::shared_standard).collect();
    let mut out = Vec::with_capacity(shape.iter().product());
    for o in 0..outer {
        for v in &values {
            let block = v.shape()[axis] * inner;
            out.extend_from_slice(&standard_slice(v)[o * block..(o + 1) * block]);
        }
    }
    Tensor::from_shape_vec(IxDyn(&shape), out).expect("the parts' elements fill the shape")
}

/// `∂x[j] = Σ_{i: indices[i] = j} g[i]` into zeros of `shape`: each row
/// accumulates from zero in increasing `i`, whatever runs in parallel.
fn scatter_rows<T: Real>(g: &Tensor<T>, indices: &[usize], shape: &[usize]) -> Tensor<T> {
    let width = g.len().checked_div(indices.len()).unwrap_or(0);
    let Some(gs) = g.as_slice().filter(|_| g.ndim() >= 2 && width > 0 && g.len() >= PARALLEL_MIN_LEN) else {
        return zeros_like_with(shape, 0, |z, ax| {
            for (i, &j) in indices.iter().enumerate() {
                let mut row = z.index_axis_mut(ax, j);
                row += &g.index_axis(ax, i);
            }
        });
    };
    // Sources grouped by destination row, in increasing order within a row.
    let mut order: Vec<usize> = (0..indices.len()).collect();
    order.sort_by_key(|&i| indices[i]); // stable: ties keep increasing i
    let mut first = vec![0usize; shape[0] + 1];
    for &j in indices {
        first[j + 1] += 1;
    }
    for j in 0..shape[0] {
        first[j + 1] += first[j];
    }
    let mut z = Tensor::<T>::zeros(IxDyn(shape));
    let dst = z.as_slice_mut().expect("fresh array is contiguous");
    for_chunks(dst, lane_chunk(width), |start, c| {
        for (r, row) in c.chunks_mut(width).enumerate() {
            let j = start / width + r;
            for &i in &order[first[j]..first[j + 1]] {
                row.iter_mut().zip(&gs[i * width..(i + 1) * width]).for_each(|(z, &g)| *z += g);
            }
        }
    });
    z
}
