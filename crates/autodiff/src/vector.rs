//! Runtime dispatch of hot loops to the widest vector instructions the CPU
//! has (AVX-512 F/DQ/BW/VL, else AVX2, else the baseline SSE2 the crate is compiled
//! for).
//!
//! [`wide`] runs a closure inside a function compiled with the wider target
//! features; the closure and the `#[inline(always)]` helpers it calls are
//! inlined there, so their loops vectorise 8 or 16 lanes wide. No FMA is
//! enabled and Rust never contracts `a * b + c`, so every path computes
//! the same IEEE operations in the same order: the bits do not depend on
//! which path runs (nor on the machine, for these loops).

use crate::small_gemm::LANES;
use crate::Real;

/// The sum of [`LANES`] partial sums, halves added pairwise (a fixed order).
#[inline(always)]
pub(crate) fn tree_sum<T: Real>(mut acc: [T; LANES]) -> T {
    let mut width = LANES / 2;
    while width > 0 {
        for l in 0..width {
            acc[l] += acc[l + width];
        }
        width /= 2;
    }
    acc[0]
}

/// `Σ_i f(a_i, b_i)` over two lanes of equal length in a fixed order that
/// vectorises: [`LANES`] partial sums, `acc[i mod LANES]`, each from zero
/// in increasing `i`, then [`tree_sum`]. A plain left fold is one chain of
/// dependent additions (64 of them wait on each other for a lane of 64);
/// this is `⌈len/LANES⌉`.
///
/// # Panics
/// If the lanes differ in length.
#[inline(always)]
pub(crate) fn sum_by_lanes<T: Real>(a: &[T], b: &[T], f: impl Fn(T, T) -> T) -> T {
    assert_eq!(a.len(), b.len(), "sum_by_lanes: lanes of different lengths");
    let mut acc = [T::zero(); LANES];
    let (ab, bb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (ar, br) = (ab.remainder(), bb.remainder());
    for (x, y) in ab.zip(bb) {
        for l in 0..LANES {
            acc[l] += f(x[l], y[l]);
        }
    }
    for (l, (&x, &y)) in ar.iter().zip(br).enumerate() {
        acc[l] += f(x, y);
    }
    tree_sum(acc)
}

/// Runs `f` compiled for the widest available vector unit.
#[inline(always)]
pub(crate) fn wide<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vl")
        {
            // SAFETY: the CPU supports these AVX-512 subsets (checked just
            // above), the only requirement of calling a function compiled
            // for them.
            return unsafe { avx512(f) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2 (checked just above).
            return unsafe { avx2(f) };
        }
    }
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512bw,avx512vl")]
unsafe fn avx512<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn avx2<R>(f: impl FnOnce() -> R) -> R {
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sum_by_lanes` is the documented order: partial sums by `i mod LANES`,
    /// then halves pairwise, for lengths below, at and off the lane count,
    /// on every vector path.
    #[test]
    fn sum_by_lanes_has_the_documented_order() {
        for len in [0usize, 1, 5, 16, 31, 64, 100] {
            let a: Vec<f32> = (0..len).map(|i| ((i * 37 % 101) as f32 - 50.0) * 0.013).collect();
            let b: Vec<f32> = (0..len).map(|i| ((i * 11 % 29) as f32 - 14.0) * 0.17).collect();
            let mut acc = [0.0f32; LANES];
            for i in 0..len {
                acc[i % LANES] += a[i] * b[i];
            }
            let mut width = LANES / 2;
            while width > 0 {
                for l in 0..width {
                    acc[l] += acc[l + width];
                }
                width /= 2;
            }
            assert_eq!(wide(|| sum_by_lanes(&a, &b, |x, y| x * y)).to_bits(), acc[0].to_bits(), "len {len}");
            assert_eq!(sum_by_lanes(&a, &b, |x, y| x * y).to_bits(), acc[0].to_bits(), "len {len}, baseline path");
        }
    }
}
