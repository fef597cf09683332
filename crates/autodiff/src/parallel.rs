//! Element-wise kernels that split large tensors across rayon threads.
//! Each output element is computed by exactly one thread with the same
//! arithmetic, so results do not depend on the thread count.

use ndarray::Zip;

use crate::{Real, Tensor};

/// Tensors with at least this many elements are processed in parallel.
pub(crate) const PARALLEL_MIN_LEN: usize = 1 << 15;

/// `f` applied to every element.
pub(crate) fn par_map<T: Real>(x: &Tensor<T>, f: impl Fn(T) -> T + Sync) -> Tensor<T> {
    if x.len() >= PARALLEL_MIN_LEN {
        Zip::from(x).par_map_collect(|&v| f(v))
    } else {
        x.mapv(f)
    }
}

/// `a ⊙ b` for tensors of one shape.
pub(crate) fn par_mul<T: Real>(a: &Tensor<T>, b: &Tensor<T>) -> Tensor<T> {
    if a.len() >= PARALLEL_MIN_LEN {
        Zip::from(a).and(b).par_map_collect(|&x, &y| x * y)
    } else {
        a * b
    }
}
