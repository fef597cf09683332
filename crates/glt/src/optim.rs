//! AdamW (decoupled weight decay, as `torch.optim.AdamW`):
//! `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`,
//! `p ← p − η·(m̂/(√v̂ + ε) + λ_wd·p)` with `m̂ = m/(1−β₁ᵗ)`, `v̂ = v/(1−β₂ᵗ)`;
//! decay only where the parameter's spec asks for it.

use glassbox_autodiff::Tensor;
use ndarray::Zip;

/// AdamW state for a list of parameters.
#[derive(Clone, Debug)]
pub struct AdamW {
    /// Learning rate `η`.
    pub lr: f64,
    /// Decoupled weight decay `λ_wd`.
    pub weight_decay: f64,
    beta1: f64,
    beta2: f64,
    eps: f64,
    step: i32,
    m: Vec<Tensor<f32>>,
    v: Vec<Tensor<f32>>,
}

impl AdamW {
    /// Fresh state (zero moments) for parameters of these shapes.
    pub fn new(params: &[Tensor<f32>], lr: f64, weight_decay: f64) -> Self {
        let zeros = || params.iter().map(|p| Tensor::zeros(p.raw_dim())).collect();
        AdamW { lr, weight_decay, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 0, m: zeros(), v: zeros() }
    }

    /// The step count and the first and second moments (for checkpoints).
    pub fn moments(&self) -> (i32, &[Tensor<f32>], &[Tensor<f32>]) {
        (self.step, &self.m, &self.v)
    }

    /// State restored from [`AdamW::moments`].
    pub fn with_moments(lr: f64, weight_decay: f64, step: i32, m: Vec<Tensor<f32>>, v: Vec<Tensor<f32>>) -> Self {
        AdamW { step, m, v, ..AdamW::new(&[], lr, weight_decay) }
    }

    /// One update of every parameter that has a gradient.
    pub fn step(&mut self, params: &mut [&mut Tensor<f32>], grads: &[Option<Tensor<f32>>], decay: &[bool]) {
        self.step += 1;
        let (b1, b2) = (self.beta1, self.beta2);
        let c1 = (1.0 - b1.powi(self.step)) as f32;
        let c2 = (1.0 - b2.powi(self.step)) as f32;
        let (lr, eps) = (self.lr as f32, self.eps as f32);
        for (i, p) in params.iter_mut().enumerate() {
            let Some(g) = &grads[i] else { continue };
            let wd = if decay[i] { (self.lr * self.weight_decay) as f32 } else { 0.0 };
            let (b1, b2) = (b1 as f32, b2 as f32);
            Zip::from(&mut **p).and(&mut self.m[i]).and(&mut self.v[i]).and(g).for_each(|p, m, v, &g| {
                *m = b1 * *m + (1.0 - b1) * g;
                *v = b2 * *v + (1.0 - b2) * g * g;
                *p -= wd * *p + lr * (*m / c1) / ((*v / c2).sqrt() + eps);
            });
        }
    }
}
