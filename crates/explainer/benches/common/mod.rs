//! What the IG benches share: the default model (SPEC §3 defaults on
//! [`FEATURES`] features, 2 classes, untrained), its rows, and raw
//! `matrixmultiply::sgemm` (the reference the pass's products are timed
//! against).

use glassbox_autodiff::Tensor;
use glassbox_glt::data::FeatureGroups;
use glassbox_glt::fit::FitOptions;
use glassbox_glt::lambda_path::PathOptions;
use glassbox_glt::metrics::{Metrics, MulticlassMetrics};
use glassbox_glt::report::{TrainingConfig, TrainingReport};
use glassbox_glt::scaler::Scaler;
use glassbox_glt::{Glt, GltConfig, Model};
use ndarray::{Array2, IxDyn};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Features of the default model.
pub const FEATURES: usize = 30;

/// The default GLT on [`FEATURES`] features, seed-initialised weights.
pub fn default_model() -> Model {
    let glt = Glt::new(GltConfig::tabular(FEATURES, 2)).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let x = Array2::from_shape_fn((2000, FEATURES), |_| rng.random_range(-2.0..2.0f64));
    let names: Vec<String> = (0..FEATURES).map(|f| format!("f{f}")).collect();
    let none = Metrics::Multiclass(MulticlassMetrics { accuracy: 0.0, macro_f1: 0.0 });
    let report = TrainingReport {
        metrics: none.clone(),
        validation: none,
        selected_features: names.clone(),
        dropped_features: vec![],
        groups: vec![],
        lambda: 0.0,
        path: vec![],
        lambda_max: None,
        missing: vec![0; FEATURES],
        epochs_run: vec![],
        refit: None,
        relaxed: vec![],
        config: TrainingConfig {
            model: glt.config.clone(),
            fit: FitOptions::default(),
            lambda_mode: "0".into(),
            path: PathOptions::default(),
            balanced_class_weights: true,
            refit: false,
            split_by: None,
            split_rows: [0, 0, 0],
            label: "y".into(),
            ids: vec![],
            sequence_by: None,
            order_by: None,
        },
        seed: 1,
    };
    Model {
        params: glt.layout.init(7),
        groups: FeatureGroups::singletons(&names),
        scaler: Scaler::fit(x.view()),
        feature_names: names,
        class_names: vec!["0".into(), "1".into()],
        report,
        glt,
    }
}

/// `n` rows of features uniform on [−2, 2) (seed 2).
pub fn rows(n: usize) -> Tensor<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    Tensor::from_shape_fn(IxDyn(&[n, FEATURES]), |_| rng.random_range(-2.0..2.0))
}

/// `C [m, n] = A [m, k] · B [k, n]`, row-major, by `matrixmultiply::sgemm`.
pub fn sgemm(m: usize, k: usize, n: usize, a: &[f32], b: &[f32], c: &mut [f32]) {
    unsafe {
        matrixmultiply::sgemm(
            m,
            k,
            n,
            1.0,
            a.as_ptr(),
            k as isize,
            1,
            b.as_ptr(),
            n as isize,
            1,
            0.0,
            c.as_mut_ptr(),
            n as isize,
            1,
        )
    }
}
