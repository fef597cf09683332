//! Inverted dropout: `y = x ⊙ m / (1 − p)` with `mᵢ ~ Bernoulli(1 − p)`
//! drawn from the caller's seeded RNG; backward `∂x = g ⊙ m / (1 − p)`.
//! The expected value of `y` is `x`, so inference simply skips the op.

use rand::Rng;
use rayon::prelude::*;

use ndarray::IxDyn;

use crate::parallel::broadcast_zip;
use crate::tape::record;
use crate::vector::wide;
use crate::{Real, Tensor, Var};

/// Elements per parallel task (any size gives the same mask).
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
    let cut = (p * 65_536.0).round() as u64;
    let key: u64 = rng.random();
    let mut mask = Tensor::<T>::zeros(IxDyn(shape));
    let values = mask.as_slice_mut().expect("fresh tensors are standard");
    values.par_chunks_mut(CHUNK).enumerate().for_each(|(c, chunk)| {
        wide(
            #[inline(always)]
            || {
                // Two plain loops (hash, then threshold) that vectorise.
                let first = (c * CHUNK / 4) as u64;
                let mut words = [0u64; CHUNK / 4];
                words.iter_mut().enumerate().for_each(|(w, word)| *word = splitmix64(key, first + w as u64));
                for (quad, &bits) in chunk.chunks_mut(4).zip(&words) {
                    for (q, v) in quad.iter_mut().enumerate() {
                        let u = (bits >> (16 * q)) & 0xffff;
                        *v = if u < cut { T::zero() } else { keep };
                    }
                }
            },
        )
    });
    mask
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
