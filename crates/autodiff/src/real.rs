//! [`Real`]: the scalar types a tensor may hold (`f32`, `f64`), and the GEMM
//! kernel each one dispatches to.

use std::fmt::{Debug, Display};
use std::iter::Sum;
use std::ops::{AddAssign, DivAssign, MulAssign, SubAssign};

use ndarray::{LinalgScalar, ScalarOperand};
use num_traits::{Float, FromPrimitive};

/// A floating-point element type: `f32` (models) or `f64` (gradient checks).
///
/// Besides arithmetic it knows its GEMM kernel, so [`crate::Var::matmul`] is
/// written once for both precisions.
pub trait Real:
    Float
    + LinalgScalar
    + ScalarOperand
    + FromPrimitive
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + Sum
    + Default
    + Debug
    + Display
    + Send
    + Sync
    + 'static
{
    /// `c ← α·a·b + β·c` for an `m×k` matrix `a` and a `k×n` matrix `b`
    /// given by pointers and element strides (row stride `rs`, column
    /// stride `cs`), as in `matrixmultiply::sgemm`/`dgemm`.
    ///
    /// # Safety
    /// The pointers and strides must describe valid, non-overlapping (for
    /// `c`) storage of the stated shapes.
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemm(
        m: usize,
        k: usize,
        n: usize,
        alpha: Self,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        beta: Self,
        c: *mut Self,
        rsc: isize,
        csc: isize,
    );

    /// Converts an `f64` constant (exact for `f64`, rounded for `f32`).
    fn c(x: f64) -> Self {
        Self::from_f64(x).expect("every f64 converts to a float type")
    }
}

macro_rules! impl_real {
    ($t:ty, $gemm:path) => {
        impl Real for $t {
            unsafe fn gemm(
                m: usize,
                k: usize,
                n: usize,
                alpha: Self,
                a: *const Self,
                rsa: isize,
                csa: isize,
                b: *const Self,
                rsb: isize,
                csb: isize,
                beta: Self,
                c: *mut Self,
                rsc: isize,
                csc: isize,
            ) {
                // SAFETY: forwarded from the caller's contract.
                unsafe { $gemm(m, k, n, alpha, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc) }
            }
        }
    };
}

impl_real!(f32, matrixmultiply::sgemm);
impl_real!(f64, matrixmultiply::dgemm);
