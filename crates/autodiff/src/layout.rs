//! Memory layout: tensors as the kernels read them. Most kernels work on
//! the plain row-major slice of a standard-layout tensor
//! ([`standard_slice`]). [`into_standard`] makes an owned tensor standard,
//! copying only when its layout is another (a transpose, a slice of
//! tokens); [`to_standard`] copies a view into standard layout as cheaply
//! as its layout allows, and [`to_owned`] copies a view keeping a
//! contiguous one's strides.

use ndarray::{ArrayViewD, ArrayViewMutD, Dimension, Ix2, Ix3, Ix4, Zip};

use crate::parallel::PARALLEL_MIN_LEN;
use crate::{Real, Tensor};

/// `v` copied into a new standard-layout tensor. A standard-layout source is
/// one `memcpy` (cheaper than zeroing a buffer to copy into it in parallel); a
/// small one whose last axis is contiguous (a slice of tokens, the [CLS]
/// row) is copied a row at a time; any other strided one is gathered,
/// in parallel when large, with fixed-rank indexing for up to four axes.
pub(crate) fn to_standard<T: Real>(v: ArrayViewD<'_, T>) -> Tensor<T> {
    if v.is_standard_layout() {
        return v.to_owned();
    }
    if v.len() < PARALLEL_MIN_LEN {
        return match v.strides().last() == Some(&1) {
            true => copy_rows(v),
            false => v.as_standard_layout().into_owned(),
        };
    }
    let mut out = Tensor::<T>::zeros(v.raw_dim());
    fn gather<T: Real, D: Dimension>(out: ArrayViewMutD<'_, T>, v: ArrayViewD<'_, T>) {
        let (out, v) = (out.into_dimensionality::<D>().expect("rank"), v.into_dimensionality::<D>().expect("rank"));
        Zip::from(out).and(v).par_for_each(|o, &x| *o = x);
    }
    match v.ndim() {
        2 => gather::<T, Ix2>(out.view_mut(), v),
        3 => gather::<T, Ix3>(out.view_mut(), v),
        4 => gather::<T, Ix4>(out.view_mut(), v),
        _ => Zip::from(&mut out).and(&v).par_for_each(|o, &x| *o = x),
    }
    out
}

/// `v`, whose last axis is contiguous, copied a whole row (lane of the
/// last axis) at a time into standard layout: ndarray's own copy of a
/// strided view goes element by element through its index iterator.
fn copy_rows<T: Real>(v: ArrayViewD<'_, T>) -> Tensor<T> {
    let mut out = Vec::with_capacity(v.len());
    for row in v.rows() {
        out.extend_from_slice(row.to_slice().expect("the last axis is contiguous"));
    }
    Tensor::from_shape_vec(v.raw_dim(), out).expect("as many elements as the view")
}

/// `v.to_owned()`: a view contiguous in memory keeps its strides (one
/// `memcpy`), any other is copied into standard layout ([`to_standard`]).
pub(crate) fn to_owned<T: Real>(v: ArrayViewD<'_, T>) -> Tensor<T> {
    match v.as_slice_memory_order().is_some() {
        true => v.to_owned(),
        false => to_standard(v),
    }
}

/// `t` in standard layout: `t` itself when it already is, else a copy
/// ([`to_standard`]).
pub(crate) fn into_standard<T: Real>(t: Tensor<T>) -> Tensor<T> {
    match t.is_standard_layout() {
        true => t,
        false => to_standard(t.view()),
    }
}

/// A standard-layout tensor's elements in row-major order. The callers
/// made the tensor standard ([`into_standard`], `Var::shared_standard`, a
/// fresh pool buffer) or checked that it is, so any other layout is a bug
/// and panics.
pub(crate) fn standard_slice<T>(t: &Tensor<T>) -> &[T] {
    t.as_slice().expect("standard layout")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{Axis, IxDyn};

    /// A strided view whose last axis is contiguous (the [CLS] row, a
    /// slice of tokens) is copied a row at a time into the same values in
    /// standard layout; `to_owned` keeps a contiguous view's values.
    #[test]
    fn strided_views_are_copied_into_standard_layout() {
        let t = Tensor::<f32>::from_shape_fn(IxDyn(&[5, 7, 3]), |i| (i[0] * 100 + i[1] * 10 + i[2]) as f32);
        let sliced = t.slice_axis(Axis(1), ndarray::Slice::from(2..5));
        let transposed = t.view().permuted_axes(IxDyn(&[0, 2, 1]));
        for v in [sliced, transposed, t.view()] {
            for copy in [to_standard(v.view()), to_owned(v.view())] {
                assert_eq!(copy, v);
                assert!(copy.as_slice_memory_order().is_some());
            }
            assert!(to_standard(v.view()).is_standard_layout());
        }
    }

    /// `into_standard` keeps a standard tensor's buffer and copies any
    /// other layout; `standard_slice` reads the row-major elements.
    #[test]
    fn into_standard_copies_only_other_layouts() {
        let t = Tensor::<f32>::from_shape_fn(IxDyn(&[3, 4]), |i| (i[0] * 10 + i[1]) as f32);
        let copy = t.clone();
        let ptr = copy.as_ptr();
        assert_eq!(into_standard(copy).as_ptr(), ptr, "a standard tensor is not copied");
        let transposed = into_standard(t.reversed_axes());
        assert!(transposed.is_standard_layout());
        assert_eq!(standard_slice(&transposed), &[0., 10., 20., 1., 11., 21., 2., 12., 22., 3., 13., 23.]);
    }
}
