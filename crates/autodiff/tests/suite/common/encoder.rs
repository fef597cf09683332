//! A one-block pre-norm transformer encoder written directly on the ops,
//! shared by the composite gradcheck, the frozen-parameter test, the
//! determinism test and the encoder benchmark.
//!
//! `x [B, T, d] → y = x₁ + FFN(LN₂(x₁))`, `x₁ = x + MHA(LN₁(x))`, with
//! `MHA(h) = concat_heads(softmax(q·kᵀ/√d_h)·v)·W_o + b_o`,
//! `FFN(h) = GELU(h·W₁ + b₁)·W₂ + b₂`.

#![allow(dead_code)]

use glassbox_autodiff::{Real, Tensor, Var};
use ndarray::IxDyn;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Sizes of the block.
#[derive(Clone, Copy, Debug)]
pub struct Dims {
    pub d: usize,
    pub heads: usize,
    pub d_ff: usize,
}

/// Parameter names and shapes, in the order `encoder_block` takes them.
pub fn param_shapes(dims: Dims) -> Vec<(&'static str, Vec<usize>)> {
    let Dims { d, d_ff, .. } = dims;
    vec![
        ("ln1.weight", vec![d]),
        ("ln1.bias", vec![d]),
        ("wq", vec![d, d]),
        ("bq", vec![d]),
        ("wk", vec![d, d]),
        ("bk", vec![d]),
        ("wv", vec![d, d]),
        ("bv", vec![d]),
        ("wo", vec![d, d]),
        ("bo", vec![d]),
        ("ln2.weight", vec![d]),
        ("ln2.bias", vec![d]),
        ("w1", vec![d, d_ff]),
        ("b1", vec![d_ff]),
        ("w2", vec![d_ff, d]),
        ("b2", vec![d]),
    ]
}

/// Random tensor with entries uniform in `[-scale, scale]`.
pub fn random<T: Real>(shape: &[usize], scale: f64, rng: &mut ChaCha8Rng) -> Tensor<T> {
    Tensor::from_shape_fn(IxDyn(shape), |_| T::c(rng.random_range(-scale..=scale)))
}

/// Seeded parameters (layer-norm weights near 1).
pub fn init_params<T: Real>(dims: Dims, seed: u64) -> Vec<Tensor<T>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    param_shapes(dims)
        .into_iter()
        .map(|(name, shape)| {
            let fan_in = shape[0] as f64;
            let t: Tensor<T> = random(&shape, 1.0 / fan_in.sqrt(), &mut rng);
            if name.ends_with("norm.weight") || name.starts_with("ln") && name.ends_with("weight") {
                t.mapv(|v| v + T::one())
            } else {
                t
            }
        })
        .collect()
}

/// The block on `x [B, T, d]` with parameters `p` (see `param_shapes`).
pub fn encoder_block<T: Real>(x: &Var<T>, p: &[Var<T>], dims: Dims) -> Var<T> {
    let (b, t) = (x.shape()[0], x.shape()[1]);
    let Dims { d, heads, .. } = dims;
    let dh = d / heads;
    let eps = T::c(1e-5);

    let h = x.layer_norm(&p[0], &p[1], eps);
    let split = |v: Var<T>| v.reshape(&[b, t, heads, dh]).permute(&[0, 2, 1, 3]);
    let q = split(h.matmul(&p[2]).add(&p[3]));
    let k = h.matmul(&p[4]).add(&p[5]).reshape(&[b, t, heads, dh]).permute(&[0, 2, 3, 1]);
    let v = split(h.matmul(&p[6]).add(&p[7]));
    let scores = q.matmul(&k).mul_scalar(T::c(1.0 / (dh as f64).sqrt()));
    let ctx = scores.softmax(3).matmul(&v).permute(&[0, 2, 1, 3]).reshape(&[b, t, d]);
    let x1 = x.add(&ctx.matmul(&p[8]).add(&p[9]));

    let h2 = x1.layer_norm(&p[10], &p[11], eps);
    let ffn = h2.matmul(&p[12]).add(&p[13]).gelu().matmul(&p[14]).add(&p[15]);
    x1.add(&ffn)
}

/// Multiply-adds ×2 of one forward pass (the matrix products only).
pub fn forward_flops(b: usize, t: usize, dims: Dims) -> f64 {
    let Dims { d, d_ff, .. } = dims;
    let rows = (b * t) as f64;
    let linear = rows * (4.0 * (d * d) as f64 + 2.0 * (d * d_ff) as f64);
    let attention = (b * t * t) as f64 * 2.0 * d as f64;
    2.0 * (linear + attention)
}
