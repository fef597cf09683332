//! Generated data sets whose label depends on a few features (the rest
//! pure noise), in raw units of different scales: 4 of 20 and 3 of 15.

#![allow(dead_code)]

use glassbox_glt::data::Dataset;
use glassbox_glt::fit::FitOptions;
use glassbox_glt::lambda_path::PathOptions;
use glassbox_glt::train::{LambdaChoice, TrainSpec};
use glassbox_glt::GltConfig;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub const INFORMATIVE: [usize; 4] = [0, 5, 10, 15];

/// A seeded standard-normal source: Box–Muller from two uniforms
/// (deterministic, no extra crate).
fn normal_source(seed: u64) -> impl FnMut() -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    move || {
        let (u, v): (f64, f64) = (rng.random_range(1e-12..1.0), rng.random());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// `rows` rows of `features` features in raw units, `x_f = offset(f) +
/// scale(f)·z_f` with `z` standard normal, and the binary label
/// `label(z, ε)` (ε a further standard normal), as a [`Dataset`] named
/// `name` with features `f00`, `f01`, ….
fn generated(
    name: &str,
    rows: usize,
    features: usize,
    seed: u64,
    offset: impl Fn(usize) -> f64,
    scale: impl Fn(usize) -> f64,
    label: impl Fn(&[f64], f64) -> bool,
) -> Dataset {
    let mut normal = normal_source(seed);
    let mut x = Array2::<f64>::zeros((rows, features));
    let mut labels = Vec::with_capacity(rows);
    for r in 0..rows {
        let z: Vec<f64> = (0..features).map(|_| normal()).collect();
        for f in 0..features {
            x[[r, f]] = offset(f) + scale(f) * z[f];
        }
        labels.push(usize::from(label(&z, normal())));
    }
    Dataset {
        path: format!("{name}.csv").into(),
        feature_names: (0..features).map(|f| format!("f{f:02}")).collect(),
        x,
        labels: Some(labels),
        class_names: vec!["0".into(), "1".into()],
        ids: vec![],
        extra: vec![],
        missing: vec![0; features],
        warnings: vec![],
    }
}

/// `rows` rows of 20 features `x_f = 10·f + (f + 1)·ε`; with standardised
/// `z`, `s = 2z₀ − 2z₅ + 1.5z₁₀ + z₁₅·(1 + 0.5·z₀)` and `y = [s + 0.3·ε > 1]`.
pub fn four_of_twenty(rows: usize, seed: u64) -> Dataset {
    generated(
        "four_of_twenty",
        rows,
        20,
        seed,
        |f| 10.0 * f as f64,
        |f| f as f64 + 1.0,
        |z, e| 2.0 * z[0] - 2.0 * z[5] + 1.5 * z[10] + z[15] * (1.0 + 0.5 * z[0]) + 0.3 * e > 1.0,
    )
}

/// The informative features of [`three_of_fifteen`].
pub const THREE_INFORMATIVE: [usize; 3] = [2, 7, 11];

/// `rows` rows of 15 features `x_f = 5·f + (1 + f/3)·ε`; with standardised
/// `z`, `s = 1.5z₂ − 1.5z₇ + z₁₁·(1 + 0.5·z₂)` and `y = [s + 0.5·ε > 0.5]`.
pub fn three_of_fifteen(rows: usize, seed: u64) -> Dataset {
    generated(
        "three_of_fifteen",
        rows,
        15,
        seed,
        |f| 5.0 * f as f64,
        |f| 1.0 + f as f64 / 3.0,
        |z, e| 1.5 * z[2] - 1.5 * z[7] + z[11] * (1.0 + 0.5 * z[2]) + 0.5 * e > 0.5,
    )
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
