//! Inverted dropout: `y = x ⊙ m / (1 − p)` with `mᵢ ~ Bernoulli(1 − p)`
//! drawn from the caller's seeded RNG; backward `∂x = g ⊙ m / (1 − p)`.
//! The expected value of `y` is `x`, so inference simply skips the op.

use std::mem::MaybeUninit;

use ndarray::IxDyn;
use rand::Rng;

use crate::parallel::{broadcast_zip, for_chunks};
use crate::pool;
use crate::tape::record;
use crate::vector::wide;
use crate::{Real, Tensor, Var};

/// Elements per parallel task and per block of quarters (a multiple of 4;
/// any size gives the same mask).
const CHUNK: usize = 4096;

/// SplitMix64's output for counter `w` under `key` (Steele, Lea and Flood,
/// 2014): `z = key + (w + 1)·γ`, then two xor-shift-multiply rounds. A
/// stateless hash of the counter, so any element can be drawn on its own.
#[inline(always)]
fn splitmix64(key: u64, w: u64) -> u64 {
    let mut z = key.wrapping_add(w.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An inverted-dropout mask of `shape`: each element 0 with probability
/// `p` (rounded to a multiple of 2⁻¹⁶), else `1/(1 − p)`.
///
/// One 64-bit key is drawn from `rng`; element `i` (row-major) is decided
/// by `u`, the `(i mod 4)`-th 16-bit quarter (lowest first) of
/// `splitmix64(key, ⌊i/4⌋)`: zero iff `u < round(p·2¹⁶)`. Each element is
/// a function of its index and the key alone, so chunks are drawn in
/// parallel and the mask never depends on the thread count.
///
/// # Panics
/// If `p` is not in `[0, 1)`.
///
/// ```
/// use glassbox_autodiff::dropout_mask;
/// use rand::SeedableRng;
/// let draw = |seed| dropout_mask::<f32, _>(&[64, 300], 0.25, &mut rand_chacha::ChaCha8Rng::seed_from_u64(seed));
/// let m = draw(1);
/// assert_eq!(m, draw(1));
/// assert_ne!(m, draw(2));
/// assert!(m.iter().all(|&v| v == 0.0 || v == 1.0 / 0.75));
/// let dropped = m.iter().filter(|&&v| v == 0.0).count() as f64 / m.len() as f64;
/// assert!((dropped - 0.25).abs() < 0.01, "{dropped}");
/// ```
pub fn dropout_mask<T: Real, R: Rng + ?Sized>(shape: &[usize], p: f64, rng: &mut R) -> Tensor<T> {
    assert!((0.0..1.0).contains(&p), "dropout probability {p} not in [0, 1)");
    let keep = T::c(1.0 / (1.0 - p));
    let cut = (p * 65_536.0).round() as u32;
    let key: u64 = rng.random();
    let mut mask = pool::uninit::<T>(IxDyn(shape));
    let values = mask.as_slice_mut().expect("fresh tensors are standard");
    // Chunks start at multiples of CHUNK (or at 0), so at whole words.
    for_chunks(values, CHUNK, |start, out| {
        wide(
            #[inline(always)]
            || draw(key, cut, keep, start, out),
        )
    });
    // SAFETY: `for_chunks` hands every element to exactly one call of
    // `draw`, which writes every element it is given.
    unsafe { mask.assume_init() }
}

/// Writes mask elements `start..start + out.len()` (`start` a multiple of
/// 4) in blocks: the words' hashes into their 16-bit quarters, then one
/// threshold per element; two plain loops that vectorise.
#[inline(always)]
fn draw<T: Real>(key: u64, cut: u32, keep: T, start: usize, out: &mut [MaybeUninit<T>]) {
    let mut quarters = [0u16; CHUNK];
    for (b, block) in out.chunks_mut(CHUNK).enumerate() {
        let first = (start + b * CHUNK) / 4;
        let words = block.len().div_ceil(4);
        for (w, q) in quarters[..4 * words].chunks_exact_mut(4).enumerate() {
            let bits = splitmix64(key, (first + w) as u64);
            q.copy_from_slice(&[bits as u16, (bits >> 16) as u16, (bits >> 32) as u16, (bits >> 48) as u16]);
        }
        for (v, &u) in block.iter_mut().zip(&quarters) {
            v.write(if u32::from(u) < cut { T::zero() } else { keep });
        }
    }
}

impl<T: Real> Var<T> {
    /// Zeroes each element with probability `p` and scales the rest by
    /// `1/(1 − p)`; `p = 0` returns the input unchanged.
    ///
    /// # Panics
    /// If `p` is not in `[0, 1)`.
    pub fn dropout<R: Rng + ?Sized>(&self, p: f64, rng: &mut R) -> Var<T> {
        assert!((0.0..1.0).contains(&p), "dropout probability {p} not in [0, 1)");
        if p == 0.0 {
            return self.clone();
        }
        let shape = self.shape().to_vec();
        let mask = dropout_mask(&shape, p, rng);
        let y = broadcast_zip(self.value(), &mask, &shape, |x, m| x * m);
        record(y, &[self], move |g, _| vec![Some(broadcast_zip(&g, &mask, &shape, |g, m| g * m))])
    }
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    /// Element `i` straight from the definition (no blocks, no threads).
    fn by_definition(i: usize, key: u64, p: f64) -> f32 {
        let u = (splitmix64(key, (i / 4) as u64) >> (16 * (i % 4))) & 0xffff;
        if u < (p * 65_536.0).round() as u64 {
            0.0
        } else {
            (1.0 / (1.0 - p)) as f32
        }
    }

    #[test]
    fn every_element_is_the_definition_whatever_the_blocks_and_threads() {
        // Lengths below and above the parallel threshold, not multiples of 4 or of CHUNK.
        for (shape, p) in [(vec![3usize, 5, 7], 0.1), (vec![9], 0.5), (vec![1001, 37], 0.3), (vec![70_001], 0.2)] {
            for threads in [1, 2] {
                let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
                let mut rng = ChaCha8Rng::seed_from_u64(5);
                let key: u64 = rng.clone().random();
                let mask = pool.install(|| dropout_mask::<f32, _>(&shape, p, &mut rng));
                assert_eq!(mask.shape(), &shape[..]);
                for (i, v) in mask.iter().enumerate() {
                    assert_eq!(v.to_bits(), by_definition(i, key, p).to_bits(), "{shape:?}, element {i}");
                }
            }
        }
    }
}
