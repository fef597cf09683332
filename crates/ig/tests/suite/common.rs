//! Small functions with known attributions, as `Explainable` models.

#![allow(dead_code)]

use glassbox_autodiff::{Real, Tensor, Var};
use glassbox_ig::Explainable;
use ndarray::IxDyn;

/// A model from a generic function, one instance per precision.
pub struct Func {
    pub row: Vec<usize>,
    pub outputs: usize,
    pub f32: fn(&Var<f32>) -> Var<f32>,
    pub f64: fn(&Var<f64>) -> Var<f64>,
}

impl Explainable for Func {
    fn row_shape(&self) -> Vec<usize> {
        self.row.clone()
    }
    fn n_outputs(&self) -> usize {
        self.outputs
    }
    fn forward_f32(&self, x: &Var<f32>) -> Var<f32> {
        (self.f32)(x)
    }
    fn forward_f64(&self, x: &Var<f64>) -> Var<f64> {
        (self.f64)(x)
    }
    fn bytes_per_row(&self) -> usize {
        256
    }
}

fn constant<T: Real>(shape: &[usize], v: &[f64]) -> Var<T> {
    Var::constant(Tensor::from_shape_vec(IxDyn(shape), v.iter().map(|&x| T::c(x)).collect()).unwrap())
}

pub const W: [f64; 3] = [0.5, -2.0, 3.0];
pub const B: f64 = 0.25;

/// `F(x) = w·x + b` as one logit.
pub fn linear<T: Real>(x: &Var<T>) -> Var<T> {
    x.matmul(&constant(&[3, 1], &W)).add_scalar(T::c(B))
}

/// `F(x) = x₀·x₁` as one logit.
pub fn product<T: Real>(x: &Var<T>) -> Var<T> {
    x.select(1, 0).mul(&x.select(1, 1)).unsqueeze(1)
}

/// Two logits of a small tanh network symmetric in x₀ and x₁:
/// `z = tanh(x₀ + x₁ + 0.5x₂)·[1, −1] + tanh(x₀·x₁)·[0.3, 0.7] + sin-free terms`.
pub fn symmetric<T: Real>(x: &Var<T>) -> Var<T> {
    let (a, b, c) = (x.select(1, 0), x.select(1, 1), x.select(1, 2));
    let h1 = a.add(&b).add(&c.mul_scalar(T::c(0.5))).tanh().unsqueeze(1);
    let h2 = a.mul(&b).tanh().unsqueeze(1);
    h1.matmul(&constant(&[1, 2], &[1.0, -1.0])).add(&h2.matmul(&constant(&[1, 2], &[0.3, 0.7])))
}

/// A smooth 3-class network on `[T = 2, F = 3]` rows (sequence-shaped).
pub fn sequence_net<T: Real>(x: &Var<T>) -> Var<T> {
    let n = x.shape()[0];
    let flat = x.reshape(&[n, 6]);
    let w1 = constant(
        &[6, 4],
        &[
            0.3, -0.2, 0.5, 0.1, -0.4, 0.6, 0.2, -0.3, 0.7, 0.1, -0.5, 0.2, 0.1, 0.4, -0.6, 0.3, -0.2, 0.5, 0.3, -0.1,
            0.6, -0.3, 0.2, 0.4,
        ],
    );
    let w2 = constant(&[4, 3], &[0.5, -0.4, 0.2, -0.3, 0.6, 0.1, 0.2, 0.3, -0.5, 0.4, -0.2, 0.3]);
    flat.matmul(&w1).gelu().matmul(&w2)
}

pub fn model(row: &[usize], outputs: usize, f32: fn(&Var<f32>) -> Var<f32>, f64: fn(&Var<f64>) -> Var<f64>) -> Func {
    Func { row: row.to_vec(), outputs, f32, f64 }
}

/// `F(x) = σ((w·x − c)/s)` as the single output (explain it with
/// `Output::Logit`). Along the straight path from `b` to `x` it is a
/// logistic in α of width `s/(w·(x − b))`, and the exact IG is
/// `IG_i = (x_i − b_i)·w_i/(w·(x − b))·(F(x) − F(b))`.
pub struct Logistic {
    pub w: Vec<f64>,
    pub c: f64,
    pub s: f64,
}

impl Logistic {
    fn f<T: Real>(&self, x: &Var<T>) -> Var<T> {
        let n = self.w.len();
        let scaled: Vec<f64> = self.w.iter().map(|w| w / self.s).collect();
        x.matmul(&constant(&[n, 1], &scaled)).add_scalar(T::c(-self.c / self.s)).sigmoid()
    }

    /// `F` in f64, directly.
    pub fn value(&self, x: &[f64]) -> f64 {
        let z: f64 = self.w.iter().zip(x).map(|(w, v)| w * v).sum::<f64>();
        1.0 / (1.0 + (-(z - self.c) / self.s).exp())
    }

    /// The closed-form IG of `x` against `b`.
    pub fn exact_ig(&self, x: &[f64], b: &[f64]) -> Vec<f64> {
        let wd: f64 = self.w.iter().zip(x.iter().zip(b)).map(|(w, (x, b))| w * (x - b)).sum();
        let df = self.value(x) - self.value(b);
        self.w.iter().zip(x.iter().zip(b)).map(|(w, (x, b))| (x - b) * w / wd * df).collect()
    }
}

impl Explainable for Logistic {
    fn row_shape(&self) -> Vec<usize> {
        vec![self.w.len()]
    }
    fn n_outputs(&self) -> usize {
        1
    }
    fn forward_f32(&self, x: &Var<f32>) -> Var<f32> {
        self.f(x)
    }
    fn forward_f64(&self, x: &Var<f64>) -> Var<f64> {
        self.f(x)
    }
    fn bytes_per_row(&self) -> usize {
        256
    }
}

/// A deliberately saturated 2-layer net on `[F = 6]` rows with two logits
/// `[0, z]` (so the class-1 probability is `σ(z)`):
/// `z = tanh(x·W₁ + b₁)·w₂ − tanh(b₁)·w₂ − 7` (`w₂ ∝ gain`, `W₁ ∝ sharpness`),
/// weights from a fixed formula, so `F(0) = σ(−7) ≈ 0.001` and a path from the zero
/// baseline to a row with `z > 0` crosses a transition (narrow for a
/// large gain).
/// With `gain = 12`, `|z| > 10` on most rows of [`saturated_rows`]; with
/// `gain = 0.5` the same net is smooth.
pub struct Net {
    pub gain: f64,
    pub sharpness: f64,
}

pub const NET_F: usize = 6;
const NET_H: usize = 5;

impl Net {
    fn f<T: Real>(&self, x: &Var<T>) -> Var<T> {
        let w1: Vec<f64> = (0..NET_F * NET_H).map(|i| ((i as f64) * 1.37 + 0.4).sin() * self.sharpness).collect();
        let b1: Vec<f64> = (0..NET_H).map(|j| ((j as f64) * 0.91).cos() * 0.5).collect();
        let w2: Vec<f64> = (0..NET_H).map(|j| ((j as f64) * 2.3 + 1.0).sin() * self.gain).collect();
        let h = x.matmul(&constant(&[NET_F, NET_H], &w1)).add(&constant(&[1, NET_H], &b1)).tanh();
        let z = h.matmul(&constant(&[NET_H, 1], &w2)).add_scalar(T::c(
            -7.0 - self.gain * b1.iter().zip(&w2).map(|(b, w)| b.tanh() * w / self.gain).sum::<f64>(),
        ));
        z.matmul(&constant(&[1, 2], &[0.0, 1.0]))
    }
}

impl Explainable for Net {
    fn row_shape(&self) -> Vec<usize> {
        vec![NET_F]
    }
    fn n_outputs(&self) -> usize {
        2
    }
    fn forward_f32(&self, x: &Var<f32>) -> Var<f32> {
        self.f(x)
    }
    fn forward_f64(&self, x: &Var<f64>) -> Var<f64> {
        self.f(x)
    }
    fn bytes_per_row(&self) -> usize {
        1024
    }
}

/// `n` rows of [`NET_F`] features in about [−2, 2], from a fixed formula.
pub fn saturated_rows(n: usize) -> Tensor<f64> {
    Tensor::from_shape_fn(vec![n, NET_F], |i| ((i[0] * NET_F + i[1]) as f64 * 0.618_034 * 7.0).sin() * 2.0)
}
