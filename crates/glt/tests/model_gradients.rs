//! The full GLT (scaler → tokenizer → blocks → head) passes gradcheck in
//! f64 toward the raw input and every parameter, in both input modes.

use glassbox_autodiff::{gradcheck, Tensor, Var};
use glassbox_glt::layers::Pass;
use glassbox_glt::scaler::Scaler;
use glassbox_glt::{Glt, GltConfig};
use ndarray::IxDyn;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn small(config: GltConfig) -> GltConfig {
    GltConfig { d_model: 8, n_heads: 2, n_blocks: 2, d_ff: 12, ..config }
}

fn raw_input(shape: &[usize], seed: u64) -> Tensor<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Raw units: feature f has mean 10·f and spread f + 1.
    Tensor::from_shape_fn(IxDyn(shape), |i| {
        let f = i[shape.len() - 1] as f64;
        10.0 * f + (f + 1.0) * rng.random_range(-1.5..1.5)
    })
}

fn check(glt: &Glt, x: Tensor<f64>, dropout: Option<f64>) {
    let f = glt.config.n_features;
    let scaler = Scaler {
        mean: (0..f).map(|i| 10.0 * i as f64).collect(),
        std: (0..f).map(|i| i as f64 + 1.0).collect(),
        missing: vec![0; f],
    };
    let mut inputs = vec![x];
    // Perturb the init so layer norms and biases are not at special values.
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    inputs.extend(glt.layout.init(5).into_iter().map(|p| p.mapv(|v| f64::from(v) + rng.random_range(-0.2..0.2))));
    let report = gradcheck(
        |v: &[Var<f64>]| {
            let mut pass = Pass { params: &v[1..], dropout: dropout.map(|p| (p, ChaCha8Rng::seed_from_u64(3))) };
            glt.logits_raw(&scaler, &v[0], &mut pass)
        },
        &inputs,
        1e-5,
        1e-6,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.errors.len(), glt.layout.specs.len() + 1);
    assert!(report.max_error < 1e-6, "{report:?}");
}

#[test]
fn tabular_glt_input_and_parameter_gradients() {
    let glt = Glt::new(small(GltConfig::tabular(4, 2))).unwrap();
    check(&glt, raw_input(&[3, 4], 1), None);
}

#[test]
fn tabular_glt_gradients_with_dropout_mask() {
    let glt = Glt::new(small(GltConfig::tabular(3, 3))).unwrap();
    check(&glt, raw_input(&[2, 3], 2), Some(0.2));
}

#[test]
fn sequence_glt_input_and_parameter_gradients() {
    let glt = Glt::new(small(GltConfig::sequence(3, 4, 2))).unwrap();
    check(&glt, raw_input(&[2, 4, 3], 3), None);
}

#[test]
fn parameter_names_follow_the_safetensors_convention() {
    let glt = Glt::new(small(GltConfig::sequence(3, 4, 2))).unwrap();
    let names: Vec<&str> = glt.layout.specs.iter().map(|s| s.name.as_str()).collect();
    for expected in [
        "tokenizer.weight",
        "tokenizer.bias",
        "position",
        "cls",
        "blocks.1.attn.o.weight",
        "blocks.0.ffn.up.bias",
        "head_norm.weight",
        "head.bias",
    ] {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let shape = |n: &str| glt.layout.specs[glt.layout.index(n).unwrap()].shape.clone();
    assert_eq!(shape("blocks.0.ffn.up.weight"), vec![12, 8]); // [d_ff, d]: PyTorch [out, in]
    assert_eq!(shape("tokenizer.bias"), vec![8]);
    assert_eq!(shape("position"), vec![4, 8]);
}
