//! Random draws on the seeded ChaCha8 stream.
//!
//! Only the uniform draw `u ~ U[0, 1)` comes from `rand`; every other
//! distribution is written out here so the generative model is visible:
//!
//! - normal (Box–Muller, one draw per call): `z = √(−2 ln(1 − u₁)) · cos(2π u₂)`;
//! - exponential with mean `m`: `x = −m · ln(1 − u)`;
//! - truncated normal on `[−limit, limit]`: redraw `sd · z` until it falls inside;
//! - Bernoulli(p): `u < p`.
//!
//! Every call consumes a fixed number of uniforms (except the rejection loop),
//! so a given seed gives the same sequence on every run.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::f64::consts::{PI, TAU};

/// The generator's random stream.
pub struct Sampler {
    rng: ChaCha8Rng,
}

impl Sampler {
    /// A stream fixed by `seed` alone.
    pub fn new(seed: u64) -> Self {
        Sampler { rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// `u ~ U[0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    /// `U[lo, hi)`.
    pub fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// An integer uniform on `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.random_range(lo..=hi)
    }

    /// Standard normal `z ~ N(0, 1)` by Box–Muller.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]: the log is finite
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (TAU * u2).cos()
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.uniform()).ln()
    }

    /// `N(0, sd²)` truncated to `[−limit, limit]` (rejection; `limit` must be
    /// well inside the bulk, here ≥ 1 sd, so the loop ends quickly).
    pub fn truncated_normal(&mut self, sd: f64, limit: f64) -> f64 {
        loop {
            let x = sd * self.normal();
            if x.abs() <= limit {
                return x;
            }
        }
    }

    /// An angle uniform on `[−π, π)`.
    pub fn angle(&mut self) -> f64 {
        self.between(-PI, PI)
    }

    /// `true` with probability `p`.
    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// An index drawn with probability proportional to `weights[i]`.
    pub fn categorical(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.uniform() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// Wraps an angle into `(−π, π]`.
pub fn wrap_angle(a: f64) -> f64 {
    let mut x = a.rem_euclid(TAU); // [0, 2π)
    if x > PI {
        x -= TAU;
    }
    x
}
