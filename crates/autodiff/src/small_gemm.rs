//! A direct kernel for the many tiny products of attention (per head and
//! sequence: `S×d_h · d_h×S`, `S×S · S×d_h`, with S ≈ 32, d_h ≈ 16), where
//! a general GEMM spends more time packing its operands than multiplying.
//!
//! `C = A·B` with `A` read through any strides, `B` and `C` row-major with
//! any leading dimension. `C` is cut into register blocks, each
//! accumulated over `p = 0, 1, …, k−1`: panels of 2·[`LANES`] columns in
//! blocks of 4 rows, then a panel of [`LANES`] columns in blocks of 8
//! rows, so that a block holds eight independent 512-bit accumulators
//! (the callers run it inside [`crate::vector::wide`]; with four, as
//! before, each register's chain of dependent FMAs left the units half
//! idle; the forward and backward of 10 sequences of 31 tokens, 4 heads
//! of 16, on one thread: 385–423 → 336–363 µs in alternating runs of
//! `cargo bench -p glassbox-autodiff --bench attention`, fastest of 4,000
//! calls 235 → 213 µs; under AVX2, 280 → 285 µs). A
//! remainder of 8 or 4 columns (a head of width 8) gets a panel of that
//! width, leftover rows blocks of 4, 2 and 1, and only the last 0–3
//! columns are summed one by one.
//!
//! Determinism: every element is `((0 + a₀b₀) + a₁b₁) + …`, summed over `p`
//! in increasing order from zero, in the blocked, the single-row and the
//! scalar tail paths alike; so the bits depend on neither the blocking nor
//! the vector width.

use std::mem::MaybeUninit;

use crate::Real;

/// Columns per register block (one 512-bit register of f32).
pub(crate) const LANES: usize = 16;

/// An output element: a plain value or an uninitialised slot, written once.
pub(crate) trait Slot<T> {
    /// Stores `v`.
    fn set(&mut self, v: T);
}

impl<T> Slot<T> for T {
    #[inline(always)]
    fn set(&mut self, v: T) {
        *self = v;
    }
}

impl<T> Slot<T> for MaybeUninit<T> {
    #[inline(always)]
    fn set(&mut self, v: T) {
        self.write(v);
    }
}

/// A strided matrix operand: element `(i, p)` is `data[i·rs + p·cs]`.
#[derive(Clone, Copy)]
pub(crate) struct Strided<'a, T> {
    pub data: &'a [T],
    pub rs: usize,
    pub cs: usize,
}

impl<T: Copy> Strided<'_, T> {
    #[inline(always)]
    fn at(&self, i: usize, p: usize) -> T {
        self.data[i * self.rs + p * self.cs]
    }
}

/// `c[i·ldc + j] = Σ_p a(i, p)·b[p·ldb + j]` for `i < m`, `j < n`, `p < k`
/// (every element of that `m×n` window of `c` is written, none is read).
///
/// # Panics
/// If an operand is too short for the stated shapes.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn small_gemm<T: Real, O: Slot<T>>(
    m: usize,
    k: usize,
    n: usize,
    a: Strided<'_, T>,
    b: &[T],
    ldb: usize,
    c: &mut [O],
    ldc: usize,
) {
    let mut j0 = 0;
    while j0 + 2 * LANES <= n {
        panel::<T, O, 4, { 2 * LANES }>(j0, m, k, a, b, ldb, c, ldc);
        j0 += 2 * LANES;
    }
    if j0 + LANES <= n {
        panel::<T, O, 8, LANES>(j0, m, k, a, b, ldb, c, ldc);
        j0 += LANES;
    }
    if j0 + 8 <= n {
        panel::<T, O, 8, 8>(j0, m, k, a, b, ldb, c, ldc);
        j0 += 8;
    }
    if j0 + 4 <= n {
        panel::<T, O, 8, 4>(j0, m, k, a, b, ldb, c, ldc);
        j0 += 4;
    }
    for j in j0..n {
        for i in 0..m {
            let s = (0..k).fold(T::zero(), |s, p| s + a.at(i, p) * b[p * ldb + j]);
            c[i * ldc + j].set(s);
        }
    }
}

/// Columns `j0..j0 + W` of the product, rows in blocks of `R`, then of 4,
/// 2 and 1 for the remainder.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn panel<T: Real, O: Slot<T>, const R: usize, const W: usize>(
    j0: usize,
    m: usize,
    k: usize,
    a: Strided<'_, T>,
    b: &[T],
    ldb: usize,
    c: &mut [O],
    ldc: usize,
) {
    let mut i = 0;
    while i + R <= m {
        block::<T, O, R, W>(i, j0, k, a, b, ldb, c, ldc);
        i += R;
    }
    if R > 4 && i + 4 <= m {
        block::<T, O, 4, W>(i, j0, k, a, b, ldb, c, ldc);
        i += 4;
    }
    if i + 2 <= m {
        block::<T, O, 2, W>(i, j0, k, a, b, ldb, c, ldc);
        i += 2;
    }
    if i < m {
        block::<T, O, 1, W>(i, j0, k, a, b, ldb, c, ldc);
    }
}

/// The `R×W` block of `C` at `(i0, j0)`: `acc[r][w] = Σ_p a(i0+r, p)·b[p, j0+w]`,
/// summed over `p` in increasing order, then written.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn block<T: Real, O: Slot<T>, const R: usize, const W: usize>(
    i0: usize,
    j0: usize,
    k: usize,
    a: Strided<'_, T>,
    b: &[T],
    ldb: usize,
    c: &mut [O],
    ldc: usize,
) {
    let mut acc = [[T::zero(); W]; R];
    for p in 0..k {
        let brow: &[T; W] = b[p * ldb + j0..p * ldb + j0 + W].try_into().expect("W long");
        for (r, acc) in acc.iter_mut().enumerate() {
            let x = a.at(i0 + r, p);
            for (s, &y) in acc.iter_mut().zip(brow) {
                *s += x * y;
            }
        }
    }
    for (r, acc) in acc.iter().enumerate() {
        let out = &mut c[(i0 + r) * ldc + j0..(i0 + r) * ldc + j0 + W];
        out.iter_mut().zip(acc).for_each(|(o, &v)| o.set(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape, blocked or not, gives the bits of the plain triple loop
    /// summing over `p` in order, for a transposed `A` too.
    #[test]
    fn matches_the_plain_loop_bit_for_bit() {
        let val = |i: usize, salt: usize| (((i * 131 + salt * 71) % 1009) as f32 / 1009.0 - 0.5) * 1.7;
        for &(m, k, n) in
            &[(31, 16, 32), (31, 31, 16), (31, 31, 8), (31, 8, 29), (5, 3, 4), (1, 7, 17), (9, 1, 33), (4, 0, 16)]
        {
            let a: Vec<f32> = (0..m * k).map(|i| val(i, 1)).collect();
            let b: Vec<f32> = (0..k * n).map(|i| val(i, 2)).collect();
            for (rs, cs) in [(k, 1), (1, m)] {
                let op = Strided { data: &a, rs, cs };
                let mut c = vec![f32::NAN; m * n];
                crate::vector::wide(|| small_gemm(m, k, n, op, &b, n, &mut c, n));
                for i in 0..m {
                    for j in 0..n {
                        let want = (0..k).fold(0.0f32, |s, p| s + op.at(i, p) * b[p * n + j]);
                        assert_eq!(c[i * n + j].to_bits(), want.to_bits(), "{m}x{k}x{n} ({i}, {j})");
                    }
                }
            }
        }
    }
}
