//! The 2-D product `C ← S + A·B` behind [`Var::matmul`](crate::Var::matmul)
//! and [`Var::linear`](crate::Var::linear): one matrixmultiply GEMM call
//! per block, on strided views (a transposed operand is a view with
//! swapped strides, never a copy). `A [m, k]`, `B [k, n]`, `C [m, n]`;
//! the start `S` ([`Start`]) is zero, a bias on every row, or a bias plus
//! a residual `R [m, n]`, written into `C` first so that the GEMM adds the
//! product to it (β = 1) and no separate add pass follows.
//!
//! Determinism: a large product is split into one row block per rayon
//! thread (at least [`MIN_ROW_BLOCK`] rows each), or, when it has too few
//! rows (a weight gradient `Aᵀ·G`, `m` = d), into one column block per
//! thread (at least [`MIN_COL_BLOCK`] columns each). Neither can change a
//! bit: matrixmultiply sums every output element over `k` in blocks of a
//! fixed size (`kc`, which depends on neither `m` nor `n`) with the same
//! micro-kernel, edge tiles included, so an element's arithmetic is the
//! same in any block, and the start is element-wise
//! (`row_blocks_give_the_bits_of_one_gemm` and
//! `column_blocks_give_the_bits_of_one_gemm` pin this). Results are
//! bitwise identical for any number of threads.

use std::mem::MaybeUninit;

use ndarray::{s, Array2, ArrayView2, ArrayViewMut2, Axis, Ix2, IxDyn};
use rayon::prelude::*;

use crate::pool;
use crate::Real;

/// The fewest rows a parallel block of a 2-D product gets.
pub const MIN_ROW_BLOCK: usize = 64;
/// The fewest columns a parallel column block of a 2-D product gets.
pub const MIN_COL_BLOCK: usize = 16;
/// Products with fewer multiply-adds than this run as one GEMM call.
const PARALLEL_MIN_MACS: usize = 1 << 20;

/// What `C` holds before the product is added to it.
#[derive(Clone, Copy)]
pub(crate) enum Start<'a, T> {
    /// Nothing: `C ← A·B` (β = 0, `C` is never read).
    Zero,
    /// `b [n]` on every row: `C_ij ← b_j + (A·B)_ij`.
    Bias(&'a [T]),
    /// `b [n]` plus a residual `R [m, n]`:
    /// `C_ij ← (R_ij + b_j) + (A·B)_ij` (the product added in
    /// matrixmultiply's blocks of `k`, as with a bias).
    BiasResidual(&'a [T], ArrayView2<'a, T>),
}

impl<'a, T: Real> Start<'a, T> {
    /// The start of rows `r` of `C`.
    fn rows(self, r: std::ops::Range<usize>) -> Self {
        match self {
            Start::BiasResidual(b, res) => Start::BiasResidual(b, res.slice_move(s![r, ..])),
            other => other,
        }
    }

    /// The start of columns `c` of `C`.
    fn columns(self, c: std::ops::Range<usize>) -> Self {
        match self {
            Start::Zero => Start::Zero,
            Start::Bias(b) => Start::Bias(&b[c]),
            Start::BiasResidual(b, res) => Start::BiasResidual(&b[c.clone()], res.slice_move(s![.., c])),
        }
    }

    /// Writes the start into every element of `c` (nothing for
    /// [`Start::Zero`]); returns the GEMM's β.
    fn write(self, mut c: ArrayViewMut2<'_, MaybeUninit<T>>) -> T {
        let n = c.ncols();
        match self {
            Start::Zero => return T::zero(),
            Start::Bias(b) => {
                assert_eq!(b.len(), n, "bias length");
                match c.as_slice_mut() {
                    // A fresh output: rows as plain slices (a copy per row),
                    // not ndarray's element-by-element row iterators.
                    Some(flat) => {
                        for row in flat.chunks_exact_mut(n) {
                            for (o, &b) in row.iter_mut().zip(b) {
                                o.write(b);
                            }
                        }
                    }
                    None => {
                        for mut row in c.rows_mut() {
                            row.iter_mut().zip(b).for_each(|(o, &b)| *o = MaybeUninit::new(b));
                        }
                    }
                }
            }
            Start::BiasResidual(b, res) => {
                assert!(b.len() == n && res.dim() == c.dim(), "bias and residual shapes");
                for (mut row, r) in c.rows_mut().into_iter().zip(res.rows()) {
                    match (row.as_slice_mut(), r.as_slice()) {
                        (Some(o), Some(r)) => {
                            for ((o, &r), &b) in o.iter_mut().zip(r).zip(b) {
                                o.write(r + b);
                            }
                        }
                        _ => row.iter_mut().zip(r).zip(b).for_each(|((o, &r), &b)| *o = MaybeUninit::new(r + b)),
                    }
                }
            }
        }
        T::one()
    }
}

/// `S + A·B` for 2-D views (see the module docs); a large product is
/// split into one row block per rayon thread, or one column block per
/// thread when it has few rows.
pub(crate) fn gemm_2d<T: Real>(a: ArrayView2<'_, T>, b: ArrayView2<'_, T>, start: Start<'_, T>) -> Array2<T> {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    // Written, never read, by the GEMMs below.
    let mut out = pool::uninit::<T>(IxDyn(&[m, n])).into_dimensionality::<Ix2>().expect("2-D");
    let threads = rayon::current_num_threads();
    let rows = m.div_ceil(threads).max(MIN_ROW_BLOCK);
    let cols = n.div_ceil(threads).next_multiple_of(MIN_COL_BLOCK);
    if m * k * n < PARALLEL_MIN_MACS || threads == 1 || (rows >= m && cols >= n) {
        gemm_into(a, b, out.view_mut(), start);
    } else if rows < m {
        let blocks: Vec<_> = out.axis_chunks_iter_mut(Axis(0), rows).collect();
        blocks.into_par_iter().enumerate().for_each(|(i, c)| {
            let r = i * rows..i * rows + c.nrows();
            gemm_into(a.slice(s![r.clone(), ..]), b, c, start.rows(r));
        });
    } else {
        let blocks: Vec<_> = out.axis_chunks_iter_mut(Axis(1), cols).collect();
        blocks.into_par_iter().enumerate().for_each(|(i, c)| {
            let r = i * cols..i * cols + c.ncols();
            gemm_into(a, b.slice(s![.., r.clone()]), c, start.columns(r));
        });
    }
    // SAFETY: the row or column blocks cover the output and `gemm_into`
    // writes every element of its block.
    unsafe { out.assume_init() }
}

/// `c ← start + a·b`, one GEMM call on the views' own strides. `c` may be
/// uninitialised: every element is written (the start first, then the
/// GEMM adds to it with β = 1; from [`Start::Zero`], β = 0 and nothing is
/// read).
fn gemm_into<T: Real>(
    a: ArrayView2<'_, T>,
    b: ArrayView2<'_, T>,
    mut c: ArrayViewMut2<'_, MaybeUninit<T>>,
    start: Start<'_, T>,
) {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    debug_assert_eq!((b.nrows(), c.nrows(), c.ncols()), (k, m, n));
    if m == 0 || n == 0 {
        return;
    }
    let beta = start.write(c.view_mut());
    if k == 0 {
        if beta == T::zero() {
            c.fill(MaybeUninit::new(T::zero()));
        }
        return;
    }
    let (sa, sb, sc) = (a.strides(), b.strides(), c.strides());
    let (rsc, csc) = (sc[0], sc[1]);
    // SAFETY: the pointers and strides come from live ndarray views of the
    // stated shapes, and `c` is a unique mutable view, read (β = 1) only
    // after the start was written to every element.
    unsafe {
        T::gemm(
            m,
            k,
            n,
            T::one(),
            a.as_ptr(),
            sa[0],
            sa[1],
            b.as_ptr(),
            sb[0],
            sb[1],
            beta,
            c.as_mut_ptr().cast::<T>(),
            rsc,
            csc,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values of an array built from initialised elements.
    fn init(a: &Array2<MaybeUninit<f32>>) -> Vec<f32> {
        // SAFETY: the tests only build these arrays with `MaybeUninit::new`.
        a.iter().map(|v| unsafe { v.assume_init() }).collect()
    }

    fn filled(m: usize, n: usize, salt: usize) -> Array2<f32> {
        Array2::from_shape_fn((m, n), |(i, j)| (((i * 131 + j * 71 + salt) % 1009) as f32 / 1009.0 - 0.5) * 1.7)
    }

    fn same_bits(a: &Array2<MaybeUninit<f32>>, b: &Array2<MaybeUninit<f32>>) -> bool {
        init(a).iter().zip(init(b)).all(|(x, y)| x.to_bits() == y.to_bits())
    }

    /// Row blocks of any size, at any offset, give the bits of one whole
    /// GEMM: matrixmultiply's blocking along k does not depend on m and
    /// edge tiles use the same kernel. This is what lets the row split
    /// follow the thread count without changing any result. With a bias
    /// and a residual too (the residual read through a transposed view in
    /// the last shape).
    #[test]
    fn row_blocks_give_the_bits_of_one_gemm() {
        for &(m, k, n) in &[(1000, 300, 70), (517, 64, 129), (97, 1030, 33)] {
            let (a, b) = (filled(m, k, 1), filled(k, n, 2));
            let (bias, res, res_t) = (filled(1, n, 5).into_raw_vec_and_offset().0, filled(m, n, 6), filled(n, m, 7));
            let starts = [
                Start::Zero,
                Start::Bias(&bias),
                Start::BiasResidual(&bias, res.view()),
                Start::BiasResidual(&bias, res_t.t()),
            ];
            for start in starts {
                let mut whole = Array2::from_elem((m, n), MaybeUninit::new(0.0f32));
                gemm_into(a.view(), b.view(), whole.view_mut(), start);
                for rows in [1, 7, 64, 100, 333] {
                    let mut split = Array2::from_elem((m, n), MaybeUninit::new(0.0f32));
                    for lo in (0..m).step_by(rows) {
                        let r = lo..(lo + rows).min(m);
                        let c = split.slice_mut(s![r.clone(), ..]);
                        gemm_into(a.slice(s![r.clone(), ..]), b.view(), c, start.rows(r));
                    }
                    assert!(same_bits(&whole, &split), "{m}x{k}x{n} split every {rows} rows differs");
                }
            }
        }
    }

    /// Column blocks of any size, at any offset, give the bits of one whole
    /// GEMM too (the split used for products with few rows), with a bias
    /// and a residual as well (written row by row into the contiguous
    /// whole, through ndarray's rows into the strided blocks).
    #[test]
    fn column_blocks_give_the_bits_of_one_gemm() {
        for &(m, k, n) in &[(64, 8192, 64), (70, 300, 1030), (33, 1030, 97)] {
            let (a, b) = (filled(k, m, 3), filled(k, n, 4)); // A = aᵀ, read strided
            let (bias, res) = (filled(1, n, 5).into_raw_vec_and_offset().0, filled(m, n, 6));
            for start in [Start::Zero, Start::Bias(&bias), Start::BiasResidual(&bias, res.view())] {
                let mut whole = Array2::from_elem((m, n), MaybeUninit::new(0.0f32));
                gemm_into(a.t(), b.view(), whole.view_mut(), start);
                for cols in [1, 7, 16, 32, 100, 333] {
                    let mut split = Array2::from_elem((m, n), MaybeUninit::new(0.0f32));
                    for lo in (0..n).step_by(cols) {
                        let c = lo..(lo + cols).min(n);
                        let out = split.slice_mut(s![.., c.clone()]);
                        gemm_into(a.t(), b.slice(s![.., c.clone()]), out, start.columns(c));
                    }
                    assert!(same_bits(&whole, &split), "{m}x{k}x{n} split every {cols} columns differs");
                }
            }
        }
    }

    /// The start is what it says: `(R + b) + A·B`, element by element, with
    /// `R` contiguous or read through a transpose, and plain `A·B` from
    /// zero (against a naive triple loop in f64).
    #[test]
    fn start_is_added_before_the_product() {
        let (m, k, n) = (37, 64, 29);
        let (a, b) = (filled(m, k, 8), filled(k, n, 9));
        let (bias, res) = (filled(1, n, 10).into_raw_vec_and_offset().0, filled(m, n, 11));
        let res_t = res.t().as_standard_layout().into_owned(); // [n, m]: read back through its transpose
        let starts = [
            Start::Zero,
            Start::Bias(&bias),
            Start::BiasResidual(&bias, res.view()),
            Start::BiasResidual(&bias, res_t.t()),
        ];
        for (i, start) in starts.into_iter().enumerate() {
            let mut c = Array2::from_elem((m, n), MaybeUninit::new(f32::NAN));
            gemm_into(a.view(), b.view(), c.view_mut(), start);
            let c = init(&c);
            for r in 0..m {
                for j in 0..n {
                    let dot: f64 = (0..k).map(|t| a[[r, t]] as f64 * b[[t, j]] as f64).sum();
                    let s = [0.0, bias[j] as f64, (res[[r, j]] + bias[j]) as f64][i.min(2)];
                    let got = c[r * n + j] as f64;
                    assert!((got - (s + dot)).abs() < 1e-4, "start {i} at ({r}, {j}): {got} vs {}", s + dot);
                }
            }
        }
    }
}
