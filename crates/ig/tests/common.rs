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
