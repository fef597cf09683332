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
//! Batched products run one call per batch item; 2-D products go through
//! [`crate::gemm::gemm_2d`], whose row or column blocks give the bits of
//! one call. Results are bitwise identical for any number of threads.

use std::cell::Cell;
use std::mem::MaybeUninit;
use std::sync::Arc;

use ndarray::{ArrayViewD, CowArray, Ix2, IxDyn};
use rayon::prelude::*;

use crate::gemm::{gemm_2d, Start};
use crate::layout::to_standard;
use crate::pool;
use crate::tape::record_saving;
use crate::{Real, Tensor, Var};

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
            gemm_2d(a.into_dimensionality().expect("2-D"), b.into_dimensionality().expect("2-D"), Start::Zero)
        } else {
            gemm_2d(as_rows(a).view(), b.into_dimensionality().expect("2-D"), Start::Zero)
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
