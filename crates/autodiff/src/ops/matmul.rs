//! Matrix products over the last two axes, through matrixmultiply's
//! runtime-dispatched SIMD GEMM on strided views: a transposed operand is a
//! view with swapped strides, never a copy.
//!
//! Shapes: `[.., m, k] · [k, n] → [.., m, n]` (a weight shared by every
//! row; leading axes merge into `m`, one GEMM), and
//! `[B.., m, k] · [B.., k, n] → [B.., m, n]` (batched; batch items run in
//! parallel with rayon). Backward of `C = A·B`: `∂A = ∂C·Bᵀ`,
//! `∂B = Aᵀ·∂C` (summed over the batch when `B` is shared).
//!
//! Determinism: each output element is computed by exactly one GEMM call.
//! Batched products run one call per batch item. A large 2-D product is
//! split into one row block per rayon thread (at least [`MIN_ROW_BLOCK`]
//! rows each), or, when it has too few rows (a weight gradient `Aᵀ·G`,
//! `m` = d), into one column block per thread (at least
//! [`MIN_COL_BLOCK`] columns each). Neither can change a bit: matrixmultiply
//! sums every output element over `k` in blocks of a fixed size (`kc`, which
//! depends on neither `m` nor `n`) with the same micro-kernel, edge tiles
//! included, so an element's arithmetic is the same in any block
//! (`row_blocks_give_the_bits_of_one_gemm` and
//! `column_blocks_give_the_bits_of_one_gemm` pin this). Results are
//! bitwise identical for any number of threads.

use std::cell::Cell;
use std::mem::MaybeUninit;
use std::sync::Arc;

use ndarray::{Array2, ArrayView2, ArrayViewD, ArrayViewMut2, Axis, CowArray, Ix2, IxDyn};
use rayon::prelude::*;

use crate::parallel::to_standard;
use crate::pool;
use crate::tape::record_saving;
use crate::{Real, Tensor, Var};

/// The fewest rows a parallel block of a 2-D product gets.
pub const MIN_ROW_BLOCK: usize = 64;
/// The fewest columns a parallel column block of a 2-D product gets.
pub const MIN_COL_BLOCK: usize = 16;
/// Products with fewer multiply-adds than this run as one GEMM call.
const PARALLEL_MIN_MACS: usize = 1 << 20;

thread_local! {
    static PRODUCTS: Cell<u64> = const { Cell::new(0) };
}

/// How many matrix products (forward or backward, 2-D or batched) the
/// calling thread has run. Used to prove that a backward pass skips the
/// products of untracked operands.
pub fn products_run() -> u64 {
    PRODUCTS.with(Cell::get)
}

/// Counts one product run by the calling thread (see [`products_run`]).
pub(crate) fn count_product() {
    PRODUCTS.with(|c| c.set(c.get() + 1));
}

impl<T: Real> Var<T> {
    /// Matrix product over the last two axes (see the module docs for the
    /// shapes).
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::array;
    /// let a = Var::constant(array![[1.0f32, 2.0], [3.0, 4.0]].into_dyn());
    /// let b = Var::constant(array![[1.0f32], [1.0]].into_dyn());
    /// assert_eq!(a.matmul(&b).value(), &array![[3.0f32], [7.0]].into_dyn());
    /// ```
    ///
    /// # Panics
    /// If the inner dimensions differ, an operand has fewer than 2 axes, or
    /// batched operands have different batch shapes.
    pub fn matmul(&self, other: &Var<T>) -> Var<T> {
        let (a, b) = (self.shared(), other.shared());
        let out = product(a.view(), b.view());
        record_saving(out, &[self, other], vec![Arc::clone(&a), Arc::clone(&b)], move |g, needs| {
            let da = needs[0].then(|| product(g.view(), transposed(b.view())));
            let db = needs[1].then(|| {
                if b.ndim() == 2 {
                    let (a2, g2) = (as_rows(a.view()), as_rows(g.view()));
                    product(a2.view().reversed_axes().into_dyn(), g2.view().into_dyn())
                } else {
                    product(transposed(a.view()), g.view())
                }
            });
            vec![da, db]
        })
    }
}

impl<T: Real> Var<T> {
    /// `a·bᵀ` over the last two axes, with `b` read through a transposed
    /// view (no copy): `[.., m, k] · [n, k]ᵀ → [.., m, n]`, or batched
    /// `[B.., m, k] · [B.., n, k]ᵀ`. This is `torch.nn.functional.linear`'s
    /// product for a weight stored `[out, in]`. Backward: `∂a = g·b`,
    /// `∂b = gᵀ·a` (summed over the batch when `b` is shared).
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::array;
    /// let x = Var::constant(array![[1.0f64, 2.0]].into_dyn());
    /// let w = Var::constant(array![[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]].into_dyn()); // [out = 3, in = 2]
    /// assert_eq!(x.matmul_t(&w).value(), &array![[1.0, 3.0, 4.0]].into_dyn());
    /// ```
    pub fn matmul_t(&self, other: &Var<T>) -> Var<T> {
        let (a, b) = (self.shared(), other.shared());
        let out = product(a.view(), transposed(b.view()));
        record_saving(out, &[self, other], vec![Arc::clone(&a), Arc::clone(&b)], move |g, needs| {
            let da = needs[0].then(|| product(g.view(), b.view()));
            let db = needs[1].then(|| {
                if b.ndim() == 2 {
                    let (a2, g2) = (as_rows(a.view()), as_rows(g.view()));
                    product(g2.view().reversed_axes().into_dyn(), a2.view().into_dyn())
                } else {
                    product(transposed(g.view()), a.view())
                }
            });
            vec![da, db]
        })
    }
}

/// The last two axes swapped (a view).
fn transposed<T>(mut v: ArrayViewD<'_, T>) -> ArrayViewD<'_, T> {
    let n = v.ndim();
    v.swap_axes(n - 2, n - 1);
    v
}

/// `[.., m, k]` as a `[M, k]` matrix: a view when the axes merge in place
/// (GEMM reads any strides, and packing makes its arithmetic independent of
/// them), else a standard-layout copy.
pub(crate) fn as_rows<T: Real>(v: ArrayViewD<'_, T>) -> CowArray<'_, T, Ix2> {
    let k = v.shape()[v.ndim() - 1];
    let rows = v.len().checked_div(k).unwrap_or(0);
    match v.clone().into_shape_with_order((rows, k)) {
        Ok(view) => view.into(),
        Err(_) => to_standard(v).into_shape_with_order((rows, k)).expect("standard layout reshapes").into(),
    }
}

fn product<T: Real>(a: ArrayViewD<'_, T>, b: ArrayViewD<'_, T>) -> Tensor<T> {
    assert!(a.ndim() >= 2 && b.ndim() >= 2, "matmul: operands {:?} and {:?} need 2+ axes", a.shape(), b.shape());
    let (k, kb) = (a.shape()[a.ndim() - 1], b.shape()[b.ndim() - 2]);
    assert_eq!(k, kb, "matmul: inner dimensions of {:?} and {:?} differ", a.shape(), b.shape());
    count_product();
    let m = a.shape()[a.ndim() - 2];
    let n = b.shape()[b.ndim() - 1];
    let mut out_shape = a.shape()[..a.ndim() - 2].to_vec();
    if b.ndim() == 2 {
        out_shape.extend([m, n]);
        let a2 = if a.ndim() == 2 {
            gemm_2d(a.into_dimensionality().expect("2-D"), b.into_dimensionality().expect("2-D"), None)
        } else {
            gemm_2d(as_rows(a).view(), b.into_dimensionality().expect("2-D"), None)
        };
        return a2.into_shape_with_order(IxDyn(&out_shape)).expect("same element count");
    }
    assert_eq!(
        a.shape()[..a.ndim() - 2],
        b.shape()[..b.ndim() - 2],
        "matmul: batch shapes of {:?} and {:?} differ",
        a.shape(),
        b.shape()
    );
    out_shape.extend([m, n]);
    let (sa, sb) = (MatrixStack::new(&a), MatrixStack::new(&b));
    // The output is not zeroed first: with β = 0 matrixmultiply never reads
    // C, and every element is written below.
    let mut out = pool::uninit::<T>(IxDyn(&out_shape));
    if m * n > 0 {
        let slice = out.as_slice_mut().expect("fresh array is contiguous");
        let (sa, sb) = (&sa, &sb); // capture the stacks whole (they are Sync), not their pointer fields
        slice.par_chunks_mut(m * n).enumerate().for_each(|(i, c)| {
            if k == 0 {
                c.fill(MaybeUninit::new(T::zero()));
                return;
            }
            // SAFETY: offsets and strides address elements of `a` and `b`,
            // which are borrowed for this call; `c` is this item's own m×n
            // output chunk (row stride n), written without being read (β = 0).
            unsafe {
                T::gemm(
                    m,
                    k,
                    n,
                    T::one(),
                    sa.ptr.offset(sa.offsets[i]),
                    sa.rs,
                    sa.cs,
                    sb.ptr.offset(sb.offsets[i]),
                    sb.rs,
                    sb.cs,
                    T::zero(),
                    c.as_mut_ptr().cast::<T>(),
                    n as isize,
                    1,
                )
            }
        });
    }
    // SAFETY: every item's m×n chunk was written above (by its GEMM, or with
    // zeros when k = 0), and the chunks cover the whole output.
    unsafe { out.assume_init() }
}

/// A stack of matrices inside one strided array: item `i` starts at
/// `ptr + offsets[i]` and has row/column strides `rs`, `cs`. Any batch
/// strides work (permuted and transposed views included), so batched
/// products never copy their operands.
struct MatrixStack<T> {
    ptr: *const T,
    offsets: Vec<isize>,
    rs: isize,
    cs: isize,
}

// SAFETY: a stack only reads the array it was made from, which outlives it
// and is not mutated meanwhile (it is borrowed by `product`).
unsafe impl<T: Sync> Sync for MatrixStack<T> {}

impl<T> MatrixStack<T> {
    fn new(v: &ArrayViewD<'_, T>) -> Self {
        let nd = v.ndim();
        let (shape, strides) = (&v.shape()[..nd - 2], &v.strides()[..nd - 2]);
        let mut offsets = vec![0isize];
        for (&len, &stride) in shape.iter().zip(strides) {
            offsets = offsets.iter().flat_map(|&o| (0..len).map(move |i| o + i as isize * stride)).collect();
        }
        MatrixStack { ptr: v.as_ptr(), offsets, rs: v.strides()[nd - 2], cs: v.strides()[nd - 1] }
    }
}

/// `A·B` (plus `bias` on every row) for 2-D views; a large product is
/// split into one row block per rayon thread, or one column block per
/// thread when it has few rows.
pub(crate) fn gemm_2d<T: Real>(a: ArrayView2<'_, T>, b: ArrayView2<'_, T>, bias: Option<&[T]>) -> Array2<T> {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    // Written, never read, by the GEMMs below.
    let mut out = pool::uninit::<T>(IxDyn(&[m, n])).into_dimensionality::<Ix2>().expect("2-D");
    let threads = rayon::current_num_threads();
    let rows = m.div_ceil(threads).max(MIN_ROW_BLOCK);
    let cols = n.div_ceil(threads).next_multiple_of(MIN_COL_BLOCK);
    if m * k * n < PARALLEL_MIN_MACS || threads == 1 || (rows >= m && cols >= n) {
        gemm_into(a, b, out.view_mut(), bias);
    } else if rows < m {
        let blocks: Vec<_> = out.axis_chunks_iter_mut(Axis(0), rows).collect();
        blocks.into_par_iter().enumerate().for_each(|(i, c)| {
            let start = i * rows;
            gemm_into(a.slice(ndarray::s![start..start + c.nrows(), ..]), b, c, bias);
        });
    } else {
        let blocks: Vec<_> = out.axis_chunks_iter_mut(Axis(1), cols).collect();
        blocks.into_par_iter().enumerate().for_each(|(i, c)| {
            let (start, end) = (i * cols, i * cols + c.ncols());
            gemm_into(a, b.slice(ndarray::s![.., start..end]), c, bias.map(|b| &b[start..end]));
        });
    }
    // SAFETY: the row or column blocks cover the output and `gemm_into`
    // writes every element of its block.
    unsafe { out.assume_init() }
}

/// `c ← a·b`, or `c ← a·b + bias` on every row, one GEMM call on the
/// views' own strides. `c` may be uninitialised: every element is written
/// (the bias first, then the GEMM adds to it with β = 1; without a bias,
/// β = 0 and nothing is read).
fn gemm_into<T: Real>(
    a: ArrayView2<'_, T>,
    b: ArrayView2<'_, T>,
    mut c: ArrayViewMut2<'_, MaybeUninit<T>>,
    bias: Option<&[T]>,
) {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    debug_assert_eq!((b.nrows(), c.nrows(), c.ncols()), (k, m, n));
    if m == 0 || n == 0 {
        return;
    }
    if let Some(bias) = bias {
        assert_eq!(bias.len(), n, "bias length");
        match c.as_slice_mut() {
            // A fresh output: rows as plain slices (a copy per row), not
            // ndarray's element-by-element row iterators.
            Some(flat) => {
                for row in flat.chunks_exact_mut(n) {
                    for (o, &b) in row.iter_mut().zip(bias) {
                        o.write(b);
                    }
                }
            }
            None => {
                for mut row in c.rows_mut() {
                    row.iter_mut().zip(bias).for_each(|(o, &b)| *o = MaybeUninit::new(b));
                }
            }
        }
    }
    if k == 0 {
        if bias.is_none() {
            c.fill(MaybeUninit::new(T::zero()));
        }
        return;
    }
    let beta = if bias.is_some() { T::one() } else { T::zero() };
    let (sa, sb, sc) = (a.strides(), b.strides(), c.strides());
    let (rsc, csc) = (sc[0], sc[1]);
    // SAFETY: the pointers and strides come from live ndarray views of the
    // stated shapes, and `c` is a unique mutable view, read (β = 1) only
    // after the bias was written to every element.
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
    use ndarray::s;

    /// The values of an array built from initialised elements.
    fn init(a: &Array2<MaybeUninit<f32>>) -> Vec<f32> {
        // SAFETY: the tests only build these arrays with `MaybeUninit::new`.
        a.iter().map(|v| unsafe { v.assume_init() }).collect()
    }

    fn filled(m: usize, n: usize, salt: usize) -> Array2<f32> {
        Array2::from_shape_fn((m, n), |(i, j)| (((i * 131 + j * 71 + salt) % 1009) as f32 / 1009.0 - 0.5) * 1.7)
    }

    /// Row blocks of any size, at any offset, give the bits of one whole
    /// GEMM: matrixmultiply's blocking along k does not depend on m and
    /// edge tiles use the same kernel. This is what lets the row split
    /// follow the thread count without changing any result.
    #[test]
    fn row_blocks_give_the_bits_of_one_gemm() {
        for &(m, k, n) in &[(1000, 300, 70), (517, 64, 129), (97, 1030, 33)] {
            let (a, b) = (filled(m, k, 1), filled(k, n, 2));
            let mut whole = Array2::from_elem((m, n), MaybeUninit::new(0.0f32));
            gemm_into(a.view(), b.view(), whole.view_mut(), None);
            for rows in [1, 7, 64, 100, 333] {
                let mut split = Array2::from_elem((m, n), MaybeUninit::new(0.0f32));
                for start in (0..m).step_by(rows) {
                    let end = (start + rows).min(m);
                    gemm_into(a.slice(s![start..end, ..]), b.view(), split.slice_mut(s![start..end, ..]), None);
                }
                let same = init(&whole).iter().zip(init(&split)).all(|(x, y)| x.to_bits() == y.to_bits());
                assert!(same, "{m}x{k}x{n} split every {rows} rows differs");
            }
        }
    }

    /// Column blocks of any size, at any offset, give the bits of one whole
    /// GEMM too (the split used for products with few rows), with a bias
    /// as well (written row by row into the contiguous whole, through
    /// ndarray's rows into the strided blocks).
    #[test]
    fn column_blocks_give_the_bits_of_one_gemm() {
        for &(m, k, n) in &[(64, 8192, 64), (70, 300, 1030), (33, 1030, 97)] {
            let (a, b) = (filled(k, m, 3), filled(k, n, 4)); // A = aᵀ, read strided
            let bias = filled(1, n, 5).into_raw_vec_and_offset().0;
            for with_bias in [false, true] {
                let bias_of = |r: std::ops::Range<usize>| with_bias.then(|| &bias[r]);
                let mut whole = Array2::from_elem((m, n), MaybeUninit::new(0.0f32));
                gemm_into(a.t(), b.view(), whole.view_mut(), bias_of(0..n));
                for cols in [1, 7, 16, 32, 100, 333] {
                    let mut split = Array2::from_elem((m, n), MaybeUninit::new(0.0f32));
                    for start in (0..n).step_by(cols) {
                        let end = (start + cols).min(n);
                        let c = split.slice_mut(s![.., start..end]);
                        gemm_into(a.t(), b.slice(s![.., start..end]), c, bias_of(start..end));
                    }
                    let same = init(&whole).iter().zip(init(&split)).all(|(x, y)| x.to_bits() == y.to_bits());
                    assert!(same, "{m}x{k}x{n} split every {cols} columns differs (bias: {with_bias})");
                }
            }
        }
    }
}
