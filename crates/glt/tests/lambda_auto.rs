//! `--lambda auto` on data where the label depends on 4 of 20 features:
//! validation ROC-AUC ≥ 0.95, the 4 true features kept, at least 12 of the
//! 16 noise features zeroed, and zeroed groups exactly 0.0.

#[path = "common_synthetic.rs"]
mod synthetic;

use glassbox_glt::data::FeatureGroups;
use glassbox_glt::metrics::Metrics;
use glassbox_glt::train::train;

#[test]
fn lambda_auto_keeps_the_four_true_features_and_drops_the_noise() {
    let data = synthetic::four_of_twenty(4000, 1);
    let groups = FeatureGroups::singletons(&data.feature_names);
    let spec = synthetic::small_spec(synthetic::auto_path(), 7);
    let t = std::time::Instant::now();
    let model = train(&data, groups, &spec, &mut |p| {
        if let glassbox_glt::train::Progress::Path(p) = p {
            eprintln!(
                "λ={:.4} auc={:?} loss={:.4} groups={}",
                p.lambda,
                p.val_roc_auc,
                p.val_loss,
                p.selected_groups.len()
            );
        }
    })
    .unwrap();
    let r = &model.report;
    eprintln!(
        "{:.1}s λ_max={:?} chosen λ={} selected={:?}",
        t.elapsed().as_secs_f64(),
        r.lambda_max,
        r.lambda,
        r.selected_features
    );
    let Metrics::Binary(val) = &r.validation else { panic!("binary") };
    assert!(val.roc_auc.unwrap() >= 0.95, "validation ROC-AUC {:?}", val.roc_auc);
    for f in synthetic::INFORMATIVE {
        assert!(
            r.selected_features.contains(&data.feature_names[f]),
            "true feature {f} dropped: {:?}",
            r.selected_features
        );
    }
    let noise_dropped = r.dropped_features.len();
    assert!(noise_dropped >= 12, "only {noise_dropped} noise features dropped: kept {:?}", r.selected_features);
    // Dropped groups are exact zeros in every tokenizer entry.
    let w = &model.params[model.glt.tokenizer_weight()];
    for name in &r.dropped_features {
        let f = data.feature_names.iter().position(|n| n == name).unwrap();
        assert!(w.index_axis(ndarray::Axis(0), f).iter().all(|v| v.to_bits() == 0), "{name} not exactly zero");
    }
}
