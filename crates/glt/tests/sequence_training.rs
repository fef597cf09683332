//! Sequence mode end to end: windows of each key's last T records, the
//! split kept by key, and a label that only history can explain
//! (`y = [a_t − a_{t−2} > 1]` for a random walk `a`).

#[path = "common_synthetic.rs"]
mod synthetic;

use glassbox_glt::data::{Dataset, FeatureGroups};
use glassbox_glt::fit::FitOptions;
use glassbox_glt::metrics::Metrics;
use glassbox_glt::train::{train, LambdaChoice, SequenceSpec};
use glassbox_glt::InputMode;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn random_walks(keys: usize, records: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let rows = keys * records;
    let (mut x, mut labels) = (Array2::<f64>::zeros((rows, 3)), Vec::with_capacity(rows));
    let (mut key_col, mut order_col) = (Vec::new(), Vec::new());
    // Rows are stored newest-first per key, interleaved across keys, so the
    // loader's order (not file order) must define the windows.
    let mut walks = vec![vec![0.0f64; records]; keys];
    for walk in walks.iter_mut() {
        for t in 1..records {
            walk[t] = walk[t - 1] + rng.random_range(-1.7..1.7);
        }
    }
    for t in (0..records).rev() {
        for (k, walk) in walks.iter().enumerate() {
            let r = key_col.len();
            x[[r, 0]] = walk[t];
            x[[r, 1]] = rng.random_range(-1.0..1.0);
            x[[r, 2]] = 5.0 + rng.random_range(-2.0..2.0);
            labels.push(usize::from(t >= 2 && walk[t] - walk[t - 2] > 1.0));
            key_col.push(format!("section-{k}"));
            order_col.push(format!("2024-01-{:02}", t + 1));
        }
    }
    Dataset {
        path: "walks.csv".into(),
        feature_names: vec!["a".into(), "noise".into(), "level".into()],
        x,
        labels: Some(labels),
        class_names: vec!["0".into(), "1".into()],
        ids: vec![],
        extra: vec![("key".into(), key_col), ("date".into(), order_col)],
        missing: vec![0; 3],
        warnings: vec![],
    }
}

#[test]
fn sequence_model_learns_a_label_that_needs_history() {
    let data = random_walks(60, 30, 4);
    let mut spec = synthetic::small_spec(LambdaChoice::Fixed(0.0), 2);
    spec.fit = FitOptions { epochs: 30, ..spec.fit };
    spec.sequence = Some(SequenceSpec { by: "key".into(), order_by: "date".into(), window: 3 });
    let model = train(&data, FeatureGroups::singletons(&data.feature_names), &spec, &mut |_| {}).unwrap();
    assert_eq!(model.glt.config.mode, InputMode::Sequence { seq_len: 3 });
    let r = &model.report;
    assert_eq!(r.config.split_by.as_deref(), Some("key"), "sequence mode splits by its key by default");
    let Metrics::Binary(test) = &r.metrics else { panic!("binary") };
    eprintln!("sequence test ROC-AUC {:?}", test.roc_auc);
    assert!(test.roc_auc.unwrap() > 0.9, "held-out ROC-AUC {:?}", test.roc_auc);

    // The same label from single rows (tabular) is close to chance: the
    // sequence model's gain comes from the window.
    let mut tabular = synthetic::small_spec(LambdaChoice::Fixed(0.0), 2);
    tabular.fit = FitOptions { epochs: 30, ..tabular.fit };
    tabular.split_by = Some("key".into());
    let flat = train(&data, FeatureGroups::singletons(&data.feature_names), &tabular, &mut |_| {}).unwrap();
    let Metrics::Binary(flat_test) = &flat.report.metrics else { panic!("binary") };
    eprintln!("tabular test ROC-AUC {:?}", flat_test.roc_auc);
    assert!(flat_test.roc_auc.unwrap() < test.roc_auc.unwrap() - 0.1);
}
