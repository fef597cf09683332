//! The per-head maps of [`super`], kept transposed (`S` rows of keys,
//! one column per query, `sp` columns with the padding), and what runs on
//! them: the operand transpose, the softmax and its backward down the
//! columns, the dropout mask, and the task's scratch rows.

use super::Dims;
use crate::small_gemm::{Slot, LANES};
use crate::Real;

/// A sequence's `[S_q, d]` rows transposed into `out` (`d` rows of `sp`
/// columns; the padding columns are left as they are, zero).
pub(super) fn transpose<T: Real>(x: &[T], dims: Dims, out: &mut [T]) {
    for (j, row) in x.chunks_exact(dims.d).enumerate() {
        for (o, &v) in out[j..].iter_mut().step_by(dims.sp).zip(row) {
            *o = v;
        }
    }
}

/// Scratch rows of one task: a transposed operand (`d` rows of `sp`),
/// the head's map, the masked map (`S` rows of `sp` each) and the column
/// reductions ([`LANES`] + 1 rows of `sp`).
pub(super) struct Scratch<T> {
    pub transposed: Vec<T>,
    pub map: Vec<T>,
    pub masked: Vec<T>,
    pub columns: Vec<T>,
}

impl<T: Real> Scratch<T> {
    pub(super) fn new(dims: Dims) -> Self {
        let rows = |r: usize| vec![T::zero(); r * dims.sp];
        Scratch { transposed: rows(dims.d), map: rows(dims.s), masked: rows(dims.s), columns: rows(LANES + 1) }
    }
}

/// `sums[..sp] ← Σ_{k<S} a[k]·b[k]` for rows `a[k], b[k]` of `sp`,
/// column by column, in the order of a lane-parallel sum along one row:
/// [`LANES`] partial sums by `k mod LANES`, each from zero in increasing
/// `k`, then halves added pairwise ([`fold_partial_sums`], as
/// [`crate::vector::tree_sum`]). `sums` holds [`LANES`] rows of `sp`;
/// every column is independent, so the work is whole vectors with no sum
/// across lanes.
#[inline(always)]
fn column_dots<T: Real>(a: &[T], b: &[T], sp: usize, sums: &mut [T]) {
    for v in sums.iter_mut() {
        *v = T::zero();
    }
    for (k, (row, b)) in a.chunks_exact(sp).zip(b.chunks_exact(sp)).enumerate() {
        let acc = &mut sums[(k % LANES) * sp..(k % LANES + 1) * sp];
        for ((o, &x), &y) in acc.iter_mut().zip(row).zip(b) {
            *o += x * y;
        }
    }
    fold_partial_sums(sums, sp);
}

/// Adds [`LANES`] rows of `sp` partial sums into the first, halves
/// pairwise: row `l` gets row `l + w` for `w = LANES/2, …, 1`.
#[inline(always)]
fn fold_partial_sums<T: Real>(sums: &mut [T], sp: usize) {
    let mut width = LANES / 2;
    while width > 0 {
        let (lo, hi) = sums.split_at_mut(width * sp);
        for (o, &x) in lo.iter_mut().zip(&hi[..width * sp]) {
            *o += x;
        }
        width /= 2;
    }
}

/// `pᵀ ← softmax(c·xᵀ)` for scores stored transposed (`S` rows of keys,
/// `sp` columns of queries), written into `out`; `x` is left holding
/// the exponentials. Per column, the maximum and the sum run down the
/// rows, so every step is a whole vector of queries, and the sum is
/// taken as the exponentials are written (the order of
/// [`column_dots`]: partial sums by `k mod LANES`, then
/// [`fold_partial_sums`]). The maximum is exact in any order, so the bits
/// are those of a row-wise softmax with lane-parallel partial sums.
/// `columns` holds [`LANES`] + 1 rows of `sp`. Plain `for` loops
/// throughout: an iterator's `fold` may stay a call compiled for the
/// baseline, outside [`crate::vector::wide`]'s vector unit.
#[inline(always)]
pub(super) fn softmax_columns<T: Real, O: Slot<T>>(x: &mut [T], sp: usize, scale: T, columns: &mut [T], out: &mut [O]) {
    let (sums, max) = columns.split_at_mut(LANES * sp);
    for v in max.iter_mut() {
        *v = T::neg_infinity();
    }
    for row in x.chunks_exact_mut(sp) {
        for (v, m) in row.iter_mut().zip(max.iter_mut()) {
            *v *= scale;
            *m = m.max(*v);
        }
    }
    for v in sums.iter_mut() {
        *v = T::zero();
    }
    for (k, row) in x.chunks_exact_mut(sp).enumerate() {
        let acc = &mut sums[(k % LANES) * sp..(k % LANES + 1) * sp];
        for ((v, &m), t) in row.iter_mut().zip(max.iter()).zip(acc) {
            *v = (*v - m).exp_inline();
            *t += *v;
        }
    }
    fold_partial_sums(sums, sp);
    for (orow, row) in out.chunks_exact_mut(sp).zip(x.chunks_exact(sp)) {
        for ((o, &v), &t) in orow.iter_mut().zip(row).zip(&sums[..sp]) {
            o.set(v / t);
        }
    }
}

/// `∂xᵀ ← c·pᵀ ⊙ (∂xᵀ − colsum(∂xᵀ ⊙ pᵀ))`, softmax then the scale
/// backward, for maps stored transposed as in [`softmax_columns`].
#[inline(always)]
pub(super) fn softmax_backward_columns<T: Real>(dx: &mut [T], p: &[T], sp: usize, scale: T, columns: &mut [T]) {
    let sums = &mut columns[..LANES * sp];
    column_dots(dx, p, sp, sums);
    for (row, prow) in dx.chunks_exact_mut(sp).zip(p.chunks_exact(sp)) {
        for ((g, &p), &dot) in row.iter_mut().zip(prow).zip(&sums[..sp]) {
            *g = p * (*g - dot) * scale;
        }
    }
}

/// `out[k][q] ← pᵀ[k][q]·m[q][k]` for a transposed map `pᵀ` (rows of
/// `sp`) and an unpadded query-major mask `m [S_q, S]`; padding 0.
pub(super) fn masked<T: Real>(pt: &[T], m: &[T], dims: Dims, out: &mut [T]) {
    let (s, sq, sp) = (dims.s, dims.sq, dims.sp);
    for (k, (o, p)) in out.chunks_exact_mut(sp).zip(pt.chunks_exact(sp)).enumerate() {
        for q in 0..sq {
            o[q] = p[q] * m[q * s + k];
        }
        for o in &mut o[sq..] {
            *o = T::zero();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vector::{tree_sum, wide};

    /// `softmax_columns` is, bit for bit, the documented row-wise softmax
    /// of each query column: scale, maximum, `exp(x − max)`, the sum in
    /// [`LANES`] partial sums by key index then [`tree_sum`], a division;
    /// for key counts below, at and off the lane count, on both paths.
    #[test]
    fn softmax_columns_has_the_documented_bits() {
        for (s, sq) in [(5usize, 3usize), (16, 16), (31, 31), (40, 17)] {
            let sp = sq.next_multiple_of(LANES);
            let scores: Vec<f32> = (0..s * sp).map(|i| (((i * 37 + s) % 101) as f32 - 50.0) * 0.091).collect();
            let scale = 0.25f32;
            let mut want = vec![0f32; s * sp];
            for q in 0..sp {
                let max = (0..s).map(|k| scores[k * sp + q] * scale).fold(f32::NEG_INFINITY, f32::max);
                let e: Vec<f32> = (0..s).map(|k| (scores[k * sp + q] * scale - max).exp_inline()).collect();
                let mut acc = [0f32; LANES];
                for (k, &v) in e.iter().enumerate() {
                    acc[k % LANES] += v;
                }
                let total = tree_sum(acc);
                for k in 0..s {
                    want[k * sp + q] = e[k] / total;
                }
            }
            for vector in [false, true] {
                let (mut x, mut columns, mut out) = (scores.clone(), vec![0f32; (LANES + 1) * sp], vec![0f32; s * sp]);
                let mut run = || softmax_columns(&mut x, sp, scale, &mut columns, &mut out);
                if vector {
                    wide(run)
                } else {
                    run()
                }
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&out), bits(&want), "S {s}, S_q {sq}, vector {vector}");
            }
        }
    }
}
