//! Integrated Gradients on a trained GLT: completeness, the trapezoid
//! rule's O(1/n²) delta, dummy (lasso-zeroed) features get exactly 0,
//! implementation invariance under permuted heads and FFN units, and
//! input-only gradients.

#[path = "../../glt/tests/common_synthetic.rs"]
mod synthetic;

use std::sync::OnceLock;

use glassbox_autodiff::Tensor;
use glassbox_explainer::GltFunction;
use glassbox_glt::data::FeatureGroups;
use glassbox_glt::fit::FitOptions;
use glassbox_glt::train::{train, LambdaChoice};
use glassbox_glt::Model;
use glassbox_ig::{explain, Baseline, IgConfig, Method, Precision};
use ndarray::{s, Axis};

/// One lasso-trained model shared by the tests (trained once).
fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let data = synthetic::four_of_twenty(3000, 21);
        let mut spec = synthetic::small_spec(LambdaChoice::Fixed(1.7), 3);
        spec.model.n_blocks = 2;
        spec.fit = FitOptions { epochs: 25, ..spec.fit };
        train(&data, FeatureGroups::singletons(&data.feature_names), &spec, &mut |_| {}).unwrap()
    })
}

fn rows(n: usize) -> Tensor<f64> {
    synthetic::four_of_twenty(n, 77).x.into_dyn()
}

fn mean_baseline(m: &Model) -> Baseline {
    Baseline::Mean(m.scaler.mean.clone())
}

#[test]
fn completeness_with_50_gauss_legendre_steps() {
    let m = model();
    let x = rows(40);
    let e = explain(&GltFunction::new(m), &x, &mean_baseline(m), &IgConfig::default()).unwrap();
    let worst = e.relative_delta.iter().copied().fold(0.0, f64::max);
    eprintln!("f32 pass: worst relative delta over 40 rows {worst:e}");
    assert!(worst < 1e-3, "worst relative delta {worst}");
    assert_eq!(e.gradients_computed, e.chunks, "only the input's gradient is ever computed");
}

#[test]
fn trapezoid_delta_shrinks_as_one_over_n_squared() {
    let m = model();
    let x = rows(6);
    let delta = |n: usize| -> f64 {
        let cfg =
            IgConfig { method: Method::RiemannTrapezoid, steps: n, precision: Precision::F64, ..IgConfig::default() };
        let e = explain(&GltFunction::new(m), &x, &mean_baseline(m), &cfg).unwrap();
        e.delta.iter().map(|d| d.abs()).sum()
    };
    // h = 1/(n−1) halves from n to 2n − 1. From 33 points on the h² term
    // leads (at 9 and 17 points the h⁴ terms still move the ratio).
    let (d1, d2, d3) = (delta(33), delta(65), delta(129));
    eprintln!("trapezoid deltas {d1:e} {d2:e} {d3:e}");
    for ratio in [d1 / d2, d2 / d3] {
        assert!((3.0..5.5).contains(&ratio), "ratio {ratio}");
    }
}

#[test]
fn features_of_zeroed_groups_get_exactly_zero() {
    let m = model();
    let dropped = &m.report.dropped_features;
    assert!(
        !dropped.is_empty() && dropped.len() < 20,
        "the lasso should drop some, not all: {:?}",
        m.report.selected_features
    );
    let e = explain(&GltFunction::new(m), &rows(20), &Baseline::Zero, &IgConfig::default()).unwrap();
    for name in dropped {
        let f = m.feature_names.iter().position(|n| n == name).unwrap();
        assert!(e.attributions.index_axis(Axis(1), f).iter().all(|&v| v == 0.0), "{name} has non-zero attribution");
    }
    let kept = m.feature_names.iter().position(|n| n == &m.report.selected_features[0]).unwrap();
    assert!(e.attributions.index_axis(Axis(1), kept).iter().any(|&v| v != 0.0));
}

/// The same function with attention heads and FFN hidden units reordered.
fn permuted(m: &Model, heads: &[usize], hidden: &[usize]) -> Model {
    let mut out = m.clone();
    let c = &m.glt.config;
    let dh = c.d_model / c.n_heads;
    let row_of = |i: usize| heads[i / dh] * dh + i % dh;
    let idx = |name: &str| m.glt.layout.index(name).unwrap();
    for b in 0..c.n_blocks {
        for p in ["q", "k", "v"] {
            let (w, bias) = (idx(&format!("blocks.{b}.attn.{p}.weight")), idx(&format!("blocks.{b}.attn.{p}.bias")));
            let order: Vec<usize> = (0..c.d_model).map(row_of).collect();
            out.params[w] = m.params[w].select(Axis(0), &order);
            out.params[bias] = m.params[bias].select(Axis(0), &order);
        }
        let o = idx(&format!("blocks.{b}.attn.o.weight"));
        out.params[o] = m.params[o].select(Axis(1), &(0..c.d_model).map(row_of).collect::<Vec<_>>());
        let (up, up_b, down) = (
            idx(&format!("blocks.{b}.ffn.up.weight")),
            idx(&format!("blocks.{b}.ffn.up.bias")),
            idx(&format!("blocks.{b}.ffn.down.weight")),
        );
        out.params[up] = m.params[up].select(Axis(0), hidden);
        out.params[up_b] = m.params[up_b].select(Axis(0), hidden);
        out.params[down] = m.params[down].select(Axis(1), hidden);
    }
    out
}

#[test]
fn implementation_invariance_under_permuted_heads_and_hidden_units() {
    let m = model();
    let hidden: Vec<usize> = (0..m.glt.config.d_ff).rev().collect();
    let twin = permuted(m, &[1, 0], &hidden);
    assert_ne!(twin.params, m.params, "the twin's parameters really differ");
    let x = rows(8);
    let cfg = IgConfig { precision: Precision::F64, ..IgConfig::default() };
    let (a, b) = (
        explain(&GltFunction::new(m), &x, &mean_baseline(m), &cfg).unwrap(),
        explain(&GltFunction::new(&twin), &x, &mean_baseline(m), &cfg).unwrap(),
    );
    let scale = a.attributions.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    let diff = a.attributions.iter().zip(&b.attributions).fold(0.0f64, |s, (p, q)| s.max((p - q).abs()));
    eprintln!("implementation invariance: max |Δ| / max |IG| = {:e}", diff / scale);
    assert!(diff <= 1e-6 * scale, "attributions differ by {diff} (scale {scale})");
    assert!(a.attributions.slice(s![.., ..]).iter().any(|&v| v != 0.0));
}

#[test]
fn explaining_is_bitwise_identical_for_one_and_two_threads() {
    let m = model();
    let x = rows(12);
    let run = |threads| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| {
            explain(&GltFunction::new(m), &x, &mean_baseline(m), &IgConfig::default()).unwrap().attributions
        })
    };
    let (one, two) = (run(1), run(2));
    assert!(one.iter().zip(&two).all(|(p, q)| p.to_bits() == q.to_bits()));
}
