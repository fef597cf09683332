//! Shared kernels that split large tensors across rayon threads.
//!
//! Determinism: every output element is computed by exactly one thread with
//! the same arithmetic whatever the thread count. Element-wise kernels are
//! trivially so. Reductions keep ndarray's own association order (they are
//! bit-for-bit [`ndarray::ArrayBase::sum_axis`]): a sum along the fastest
//! axis is one `lane.sum()` per output element, and a sum over a leading
//! axis accumulates the rows in order `((0 + r₀) + r₁) + …`, split across
//! threads by blocks of *columns* ([`COLUMN_BLOCK`]), never of rows. So no
//! split point ever enters the arithmetic.
//!
//! Fast paths work on `as_slice()` of standard-layout tensors, in chunks of
//! a fixed size ([`CHUNK_LEN`] elements, or whole lanes); any other layout
//! goes through `ndarray::Zip` (parallel above [`PARALLEL_MIN_LEN`]).

use std::mem::MaybeUninit;

use ndarray::{ArrayViewD, ArrayViewMut1, Axis, IxDyn, Zip};
use rayon::prelude::*;

use crate::pool;
use crate::vector::wide;
use crate::{Real, Tensor};

/// Tensors with at least this many elements are processed in parallel.
pub(crate) const PARALLEL_MIN_LEN: usize = 1 << 15;
/// Elements per parallel task of the slice kernels (scheduling only).
pub(crate) const CHUNK_LEN: usize = 1 << 14;
/// Columns per parallel task of a column sum (scheduling only).
const COLUMN_BLOCK: usize = 16;

/// Runs `f(start, chunk)` over `out` cut into chunks of `chunk` elements
/// (the last may be shorter), in parallel when `out` is large; small
/// tensors are one call `f(0, out)`.
pub(crate) fn for_chunks<T: Send>(out: &mut [T], chunk: usize, f: impl Fn(usize, &mut [T]) + Sync + Send) {
    let chunk = chunk.max(1);
    if out.len() >= PARALLEL_MIN_LEN && out.len() > chunk {
        out.par_chunks_mut(chunk).enumerate().for_each(|(i, c)| f(i * chunk, c));
    } else {
        f(0, out);
    }
}

/// A chunk length holding whole lanes of `lane` elements.
pub(crate) fn lane_chunk(lane: usize) -> usize {
    lane.max(1) * (CHUNK_LEN / lane.max(1)).max(1)
}

/// `f` applied to every element.
pub(crate) fn par_map<T: Real>(x: &Tensor<T>, f: impl Fn(T) -> T + Sync + Send) -> Tensor<T> {
    match x.as_slice() {
        Some(src) => fill(x.raw_dim(), CHUNK_LEN, |start, len| src[start..start + len].iter().map(|&v| f(v))),
        None if x.len() >= PARALLEL_MIN_LEN => Zip::from(x).par_map_collect(|&v| f(v)),
        None => x.mapv(f),
    }
}

/// A new standard-layout tensor of shape `dim`, written chunk by chunk
/// (chunks of `chunk` elements, in parallel when large, see [`for_chunks`])
/// from the values `f(start, len)` yields for the chunk at `start`, without
/// zeroing the buffer first.
///
/// # Panics
/// If `f` yields fewer than `len` values for a chunk.
pub(crate) fn fill<T: Real, I: Iterator<Item = T>>(
    dim: IxDyn,
    chunk: usize,
    f: impl Fn(usize, usize) -> I + Sync + Send,
) -> Tensor<T> {
    let mut out = pool::uninit::<T>(dim);
    for_chunks(out.as_slice_mut().expect("fresh array is contiguous"), chunk, |start, o| {
        let len = o.len();
        let written = wide(
            #[inline(always)]
            || o.iter_mut().zip(f(start, len)).map(|(o, v)| *o = MaybeUninit::new(v)).count(),
        );
        assert_eq!(written, len, "fill: a chunk was not fully written");
    });
    // SAFETY: `for_chunks` hands every element to exactly one chunk, and
    // each chunk was fully written (asserted above; a panic never reaches
    // this line).
    unsafe { out.assume_init() }
}

/// [`fill`] for two tensors of the same shape written together from the
/// pairs `f(start, len)` yields (a value and its derivative, say).
///
/// # Panics
/// If `f` yields fewer than `len` pairs for a chunk.
pub(crate) fn fill_pair<T: Real, I: Iterator<Item = (T, T)>>(
    dim: IxDyn,
    chunk: usize,
    f: impl Fn(usize, usize) -> I + Sync + Send,
) -> (Tensor<T>, Tensor<T>) {
    let (mut a, mut b) = (pool::uninit::<T>(dim.clone()), pool::uninit::<T>(dim));
    let run = |start: usize, a: &mut [MaybeUninit<T>], b: &mut [MaybeUninit<T>]| {
        let len = a.len();
        let written = wide(
            #[inline(always)]
            || {
                a.iter_mut()
                    .zip(b.iter_mut())
                    .zip(f(start, len))
                    .map(|((a, b), (x, y))| (*a, *b) = (MaybeUninit::new(x), MaybeUninit::new(y)))
                    .count()
            },
        );
        assert_eq!(written, len, "fill_pair: a chunk was not fully written");
    };
    let (sa, sb) =
        (a.as_slice_mut().expect("fresh array is contiguous"), b.as_slice_mut().expect("fresh array is contiguous"));
    let chunk = chunk.max(1);
    if sa.len() >= PARALLEL_MIN_LEN && sa.len() > chunk {
        sa.par_chunks_mut(chunk).zip(sb.par_chunks_mut(chunk)).enumerate().for_each(|(i, (a, b))| run(i * chunk, a, b));
    } else {
        run(0, sa, sb);
    }
    // SAFETY: the chunks of `a` and `b` cover both buffers and each was
    // fully written (asserted above; a panic never reaches this line).
    unsafe { (a.assume_init(), b.assume_init()) }
}

/// `x ← f(x)` element-wise, in place.
pub(crate) fn map_inplace<T: Real>(x: &mut Tensor<T>, f: impl Fn(T) -> T + Sync + Send) {
    if let Some(s) = x.as_slice_memory_order_mut() {
        for_chunks(s, CHUNK_LEN, |_, c| {
            wide(
                #[inline(always)]
                || c.iter_mut().for_each(|v| *v = f(*v)),
            )
        });
    } else if x.len() >= PARALLEL_MIN_LEN {
        Zip::from(x).par_for_each(|v| *v = f(*v));
    } else {
        x.mapv_inplace(f);
    }
}

/// `a ← f(a, b)` element-wise, in place, for `b` of `a`'s shape.
pub(crate) fn zip_inplace<T: Real>(a: &mut Tensor<T>, b: &Tensor<T>, f: impl Fn(T, T) -> T + Sync + Send) {
    assert_eq!(a.shape(), b.shape(), "zip_inplace: shapes differ");
    let same_layout = a.strides() == b.strides() || (a.is_standard_layout() && b.is_standard_layout());
    if let (true, Some(bs), true) = (same_layout, b.as_slice_memory_order(), a.as_slice_memory_order().is_some()) {
        let s = a.as_slice_memory_order_mut().expect("contiguous");
        for_chunks(s, CHUNK_LEN, |start, c| {
            wide(
                #[inline(always)]
                || c.iter_mut().zip(&bs[start..]).for_each(|(x, &y)| *x = f(*x, y)),
            )
        });
    } else if a.len() >= PARALLEL_MIN_LEN {
        Zip::from(a).and(b).par_for_each(|x, &y| *x = f(*x, y));
    } else {
        Zip::from(a).and(b).for_each(|x, &y| *x = f(*x, y));
    }
}

/// `f(a, b)` element-wise with NumPy broadcasting to `shape` (which both
/// operands must broadcast to). The result is laid out as ndarray's own
/// `&a ∘ &b` would be (standard layout for standard-layout operands).
pub(crate) fn broadcast_zip<T: Real>(
    a: &Tensor<T>,
    b: &Tensor<T>,
    shape: &[usize],
    f: impl Fn(T, T) -> T + Sync + Send,
) -> Tensor<T> {
    let len: usize = shape.iter().product();
    if len >= PARALLEL_MIN_LEN {
        // Row kernels: one operand is the whole standard-layout output shape,
        // the other a standard-layout suffix of it (a bias, a same-shape term).
        if let (Some(full), Some(part)) = (a.as_slice(), b.as_slice()) {
            if a.shape() == shape && is_suffix(b.shape(), shape) {
                return rows(full, part, shape, &f);
            }
        }
        if let (Some(part), Some(full)) = (a.as_slice(), b.as_slice()) {
            if b.shape() == shape && is_suffix(a.shape(), shape) {
                return rows(full, part, shape, |y, x| f(x, y));
            }
        }
    }
    let dim = IxDyn(shape);
    let (av, bv) = (a.broadcast(dim.clone()).expect("broadcasts"), b.broadcast(dim).expect("broadcasts"));
    let zip = Zip::from(&av).and(&bv);
    if len >= PARALLEL_MIN_LEN {
        zip.par_map_collect(|&x, &y| f(x, y))
    } else {
        zip.map_collect(|&x, &y| f(x, y))
    }
}

/// Whether `part` (leading 1s ignored) equals the trailing axes of `shape`.
fn is_suffix(part: &[usize], shape: &[usize]) -> bool {
    let lead = part.iter().take_while(|&&n| n == 1).count();
    let part = &part[lead..];
    part.len() <= shape.len() && shape[shape.len() - part.len()..] == *part
}

/// `f(full[i], part[i mod |part|])` into a new standard-layout tensor.
fn rows<T: Real>(full: &[T], part: &[T], shape: &[usize], f: impl Fn(T, T) -> T + Sync + Send) -> Tensor<T> {
    let n = part.len().max(1);
    if n == full.len() {
        // Same shape: plain element-wise chunks.
        return fill(IxDyn(shape), CHUNK_LEN, |start, len| {
            full[start..start + len].iter().zip(&part[start..]).map(|(&x, &y)| f(x, y))
        });
    }
    fill(IxDyn(shape), lane_chunk(n), |start, len| {
        full[start..start + len].chunks(n).flat_map(|x| x.iter().zip(part).map(|(&x, &y)| f(x, y)))
    })
}

/// Runs `f` on every lane of `y` along `axis`, in parallel when large.
pub(crate) fn for_lanes<T: Real>(y: &mut Tensor<T>, axis: usize, f: impl Fn(ArrayViewMut1<'_, T>) + Sync + Send) {
    let lane = y.shape()[axis];
    if axis + 1 == y.ndim() && y.is_standard_layout() {
        let s = y.as_slice_mut().expect("standard layout");
        for_chunks(s, lane_chunk(lane), |_, c| c.chunks_mut(lane.max(1)).for_each(|l| f(ArrayViewMut1::from(l))));
    } else if y.len() >= PARALLEL_MIN_LEN {
        Zip::from(y.lanes_mut(Axis(axis))).par_for_each(f);
    } else {
        y.lanes_mut(Axis(axis)).into_iter().for_each(f);
    }
}

/// The sum of a contiguous lane in the order `ArrayBase::sum` uses for
/// one (so the bits are ndarray's): eight partial sums `p_j` over
/// `x[8i + j]` for the whole blocks of 8, then
/// `(((0 + (p₀+p₄)) + (p₁+p₅)) + (p₂+p₆)) + (p₃+p₇)`, then the last
/// `len mod 8` elements in order. Written out and `#[inline(always)]` so
/// it runs inside the caller's [`wide`] loop instead of as a call
/// compiled for the baseline.
#[inline(always)]
pub(crate) fn lane_sum<T: Real>(lane: &[T]) -> T {
    let blocks = lane.chunks_exact(8);
    let rest = blocks.remainder();
    let mut p = [T::zero(); 8];
    for block in blocks {
        for (p, &x) in p.iter_mut().zip(block) {
            *p += x;
        }
    }
    let mut acc = T::zero();
    for j in 0..4 {
        acc += p[j] + p[j + 4];
    }
    for &x in rest {
        acc += x;
    }
    acc
}

/// `v.sum_axis(axis)`, bit for bit, in parallel when large.
pub(crate) fn sum_axis<T: Real>(v: ArrayViewD<'_, T>, axis: usize) -> Tensor<T> {
    if v.len() < PARALLEL_MIN_LEN {
        return v.sum_axis(Axis(axis));
    }
    let n = v.ndim();
    // ndarray's `min_stride_axis`: the last axis of least |stride|.
    let min_stride = if n == 1 { 0 } else { (0..n).rev().min_by_key(|&i| v.strides()[i].abs()).expect("n ≥ 2") };
    if axis == min_stride {
        return Zip::from(v.lanes(Axis(axis))).par_map_collect(|lane| lane.sum());
    }
    match (axis, v.as_slice()) {
        (0, Some(s)) => {
            let out = column_sums(s, v.len() / v.shape()[0].max(1), None);
            Tensor::from_shape_vec(IxDyn(&v.shape()[1..]), out).expect("one sum per column")
        }
        _ => v.sum_axis(Axis(axis)),
    }
}

/// Column sums `Σ_r a[r, c]` (or `Σ_r a[r, c]·b[r, c]`) of row-major
/// `[rows, cols]` data, each accumulated from zero over the rows in order,
/// as ndarray's `sum_axis(Axis(0))` does. Columns are split across threads.
pub(crate) fn column_sums<T: Real>(a: &[T], cols: usize, b: Option<&[T]>) -> Vec<T> {
    let mut out = vec![T::zero(); cols];
    if cols == 0 {
        return out;
    }
    let block = |c0: usize, acc: &mut [T]| {
        let w = acc.len();
        for (r, row) in a.chunks_exact(cols).enumerate() {
            let row = &row[c0..c0 + w];
            match b {
                None => acc.iter_mut().zip(row).for_each(|(s, &x)| *s += x),
                Some(b) => {
                    let brow = &b[r * cols + c0..r * cols + c0 + w];
                    acc.iter_mut().zip(row).zip(brow).for_each(|((s, &x), &y)| *s += x * y);
                }
            }
        }
    };
    // At most 8 blocks of at least COLUMN_BLOCK columns: wide rows are read
    // in long runs (a width that depends on `cols` only, never on threads).
    let width = (cols / 8).next_multiple_of(COLUMN_BLOCK).max(COLUMN_BLOCK);
    if a.len() >= PARALLEL_MIN_LEN && cols > width {
        out.par_chunks_mut(width).enumerate().for_each(|(i, acc)| block(i * width, acc));
    } else {
        block(0, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::ArrayView1;

    /// The parallel sum keeps ndarray's association order bit for bit, for
    /// every axis and for standard, permuted and sliced layouts.
    #[test]
    fn sum_axis_gives_the_bits_of_ndarray() {
        let t = Tensor::<f32>::from_shape_fn(IxDyn(&[40, 36, 50]), |i| {
            (((i[0] * 131 + i[1] * 71 + i[2] * 17) % 1009) as f32 / 1009.0 - 0.5) * 1.7
        });
        let permuted = t.view().permuted_axes(IxDyn(&[2, 0, 1]));
        let sliced = t.slice_axis(Axis(1), ndarray::Slice::from(0..36).step_by(2));
        for v in [t.view(), permuted, sliced] {
            for axis in 0..3 {
                let (ours, theirs) = (sum_axis(v.view(), axis), v.sum_axis(Axis(axis)));
                assert_eq!(ours.shape(), theirs.shape());
                assert!(ours.iter().zip(&theirs).all(|(a, b)| a.to_bits() == b.to_bits()), "axis {axis}");
            }
        }
    }

    /// `lane_sum` gives `ArrayBase::sum`'s bits for lanes of every length
    /// around the blocks of 8, on the baseline and the widest vector path.
    #[test]
    fn lane_sum_gives_the_bits_of_ndarray() {
        for len in 0..100usize {
            let lane: Vec<f32> = (0..len).map(|i| (((i * 37 + len) % 101) as f32 - 50.0) * 0.0137).collect();
            let theirs = ArrayView1::from(&lane[..]).sum().to_bits();
            assert_eq!(lane_sum(&lane).to_bits(), theirs, "len {len}");
            let vector = wide(
                #[inline(always)]
                || lane_sum(&lane),
            );
            assert_eq!(vector.to_bits(), theirs, "len {len}, vector path");
        }
    }
}
