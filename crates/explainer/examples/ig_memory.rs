//! Explains N random rows with the default GLT (30 features, 50
//! Gauss–Legendre steps, mean baseline) and prints the time taken, for
//! peak-memory measurements with `/usr/bin/time -v`:
//!
//! ```text
//! cargo build --release -p glassbox-explainer --example ig_memory
//! /usr/bin/time -v target/release/examples/ig_memory 10000        # rows [budget MiB, default 256]
//! ```

use glassbox_autodiff::Tensor;
use glassbox_explainer::GltFunction;
use glassbox_glt::scaler::Scaler;
use glassbox_glt::{Glt, GltConfig};
use glassbox_ig::{explain, Baseline, IgConfig};
use ndarray::{Array2, IxDyn};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn main() {
    let rows: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let budget_mib: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(256);
    let glt = Glt::new(GltConfig::tabular(30, 2)).expect("valid config");
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let train = Array2::from_shape_fn((1000, 30), |_| rng.random_range(-2.0..2.0f64));
    let model = glassbox_glt::Model {
        params: glt.layout.init(3),
        groups: glassbox_glt::data::FeatureGroups::singletons(&(0..30).map(|f| format!("f{f}")).collect::<Vec<_>>()),
        scaler: Scaler::fit(train.view()),
        feature_names: (0..30).map(|f| format!("f{f}")).collect(),
        class_names: vec!["0".into(), "1".into()],
        report: serde_json::from_str(include_str!("report_stub.json")).expect("stub report"),
        glt,
    };
    let x: Tensor<f64> = Tensor::from_shape_fn(IxDyn(&[rows, 30]), |_| rng.random_range(-2.0..2.0));
    let t = std::time::Instant::now();
    let e = explain(
        &GltFunction::new(&model),
        &x,
        &Baseline::Mean(model.scaler.mean.clone()),
        &IgConfig { memory_budget: budget_mib << 20, ..IgConfig::default() },
    )
    .expect("explain");
    let worst = e.relative_delta.iter().copied().fold(0.0, f64::max);
    println!(
        "{rows} rows in {:.1} s ({:.1} rows/s), {} chunks, worst relative delta {worst:.2e}",
        t.elapsed().as_secs_f64(),
        rows as f64 / t.elapsed().as_secs_f64(),
        e.chunks
    );
}
