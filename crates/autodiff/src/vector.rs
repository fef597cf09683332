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
