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

    /// `eˣ` as plain arithmetic the compiler can inline and vectorise (see
    /// [`exp_f32`]); `f64` keeps the standard library's `exp` (gradient
    /// checks want its accuracy, and f64 is not the fast path).
    fn exp_inline(self) -> Self {
        self.exp()
    }
}

/// `eˣ` for `f32` without a libm call, so loops over it vectorise: with
/// `n = round(x·log₂e)` and `r = x − n·ln 2` (ln 2 split in two parts so
/// `n·C₁` is exact), `eʳ ≈ 1 + r + r²·p(r)` with Cephes' degree-5
/// minimax `p` (relative error about 1e-7 on `|r| ≤ ½ ln 2`), scaled by
/// `2ⁿ = 2·2ⁿ⁻¹` built from its bits (so `n = 128` still works).
/// `e⁰ = 1` exactly; `x > ln(f32::MAX)` gives `+∞`, `x < −86` gives 0
/// (true values below 4.5e-38, near the subnormal range), NaN stays NaN.
#[inline(always)]
pub fn exp_f32(x: f32) -> f32 {
    const HI: f32 = 88.722_83; // ln(f32::MAX)
    const LO: f32 = -86.0;
    const LOG2E: f32 = std::f32::consts::LOG2_E;
    const ROUND: f32 = 12_582_912.0; // 1.5·2²³: adding and subtracting it rounds to an integer
    const C1: f32 = 355.0 / 512.0; // 0.693359375, exact
    const C2: f32 = -2.121_944_4e-4;
    let xc = x.clamp(LO, HI);
    let t = xc * LOG2E + ROUND; // 1.5·2²³ + n: n sits in the low mantissa bits
    let n = t - ROUND;
    let r = xc - n * C1 - n * C2;
    let p = ((((1.987_569_2e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r + 1.666_666_5e-1)
        * r
        + 5e-1;
    let y = p * (r * r) + r + 1.0;
    // 2ⁿ⁻¹ from n's bits in t (integer ops only, so this vectorises).
    let scale = f32::from_bits(t.to_bits().wrapping_sub(ROUND.to_bits()).wrapping_add(126) << 23);
    let e = (y + y) * scale;
    if x > HI {
        f32::INFINITY
    } else if x < LO {
        0.0
    } else if x.is_nan() {
        x
    } else {
        e
    }
}

macro_rules! impl_real {
    ($t:ty, $gemm:path, $exp:path) => {
        impl Real for $t {
            #[inline(always)]
            fn exp_inline(self) -> Self {
                $exp(self)
            }

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

impl_real!(f32, matrixmultiply::sgemm, exp_f32);
impl_real!(f64, matrixmultiply::dgemm, f64::exp);

#[cfg(test)]
mod tests {
    use super::exp_f32;

    /// Within 2 ulp of the correctly rounded `eˣ` (from f64) over the range
    /// where the result is normal, exact at 0, and the documented edges.
    #[test]
    fn exp_f32_is_accurate() {
        let mut worst = 0u32;
        let mut x = -86.0f32;
        while x < 88.72 {
            let (ours, exact) = (exp_f32(x), (x as f64).exp() as f32);
            worst = worst.max(ours.to_bits().abs_diff(exact.to_bits()));
            x += 0.000_37 * (1.0 + x.abs());
        }
        assert!(worst <= 2, "worst error {worst} ulp");
        assert_eq!(exp_f32(0.0), 1.0);
        assert_eq!(exp_f32(-0.0), 1.0);
        assert_eq!(exp_f32(88.8), f32::INFINITY);
        assert_eq!(exp_f32(f32::INFINITY), f32::INFINITY);
        assert_eq!(exp_f32(-87.0), 0.0);
        assert_eq!(exp_f32(f32::NEG_INFINITY), 0.0);
        assert!(exp_f32(f32::NAN).is_nan());
        let top = exp_f32(88.722_83); // near f32::MAX, through the 2·2ⁿ⁻¹ scaling
        assert!(top.is_finite() && top.to_bits().abs_diff(((88.722_83f32 as f64).exp() as f32).to_bits()) <= 2);
    }
}
