//! A generated data set where the label depends on 4 of 20 features (the
//! rest pure noise), in raw units of different scales.

#![allow(dead_code)]

use glassbox_glt::data::Dataset;
use glassbox_glt::lambda_path::PathOptions;
use glassbox_glt::train::FitOptions;
use glassbox_glt::training::{LambdaChoice, TrainSpec};
use glassbox_glt::GltConfig;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const INFORMATIVE: [usize; 4] = [0, 5, 10, 15];

/// `rows` rows of 20 features `x_f = 10·f + (f + 1)·ε`; with standardised
/// `z`, `s = 2z₀ − 2z₅ + 1.5z₁₀ + z₁₅·(1 + 0.5·z₀)` and `y = [s + 0.3·ε > 1]`.
pub fn four_of_twenty(rows: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut normal = move || -> f64 {
        // Box–Muller from two uniforms (deterministic, no extra crate).
        let (u, v): (f64, f64) = (rng.random_range(1e-12..1.0), rng.random());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    };
    let mut x = Array2::<f64>::zeros((rows, 20));
    let mut labels = Vec::with_capacity(rows);
    for r in 0..rows {
        let z: Vec<f64> = (0..20).map(|_| normal()).collect();
        for f in 0..20 {
            x[[r, f]] = 10.0 * f as f64 + (f as f64 + 1.0) * z[f];
        }
        let s = 2.0 * z[0] - 2.0 * z[5] + 1.5 * z[10] + z[15] * (1.0 + 0.5 * z[0]);
        labels.push(usize::from(s + 0.3 * normal() > 1.0));
    }
    Dataset {
        path: "four_of_twenty.csv".into(),
        feature_names: (0..20).map(|f| format!("f{f:02}")).collect(),
        x,
        labels: Some(labels),
        class_names: vec!["0".into(), "1".into()],
        ids: vec![],
        extra: vec![],
        missing: vec![0; 20],
        warnings: vec![],
    }
}

/// A small, fast model and schedule for tests.
pub fn small_spec(lambda: LambdaChoice, seed: u64) -> TrainSpec {
    TrainSpec {
        model: GltConfig { d_model: 16, n_heads: 2, n_blocks: 1, d_ff: 32, ..GltConfig::tabular(1, 2) },
        fit: FitOptions { epochs: 40, batch_size: 128, lr: 3e-3, patience: 8, seed, ..FitOptions::default() },
        lambda,
        ..TrainSpec::new("y")
    }
}

pub fn auto_path() -> LambdaChoice {
    LambdaChoice::Auto(PathOptions { points: 8, min_ratio: 0.01, epochs_per_point: 15 })
}
