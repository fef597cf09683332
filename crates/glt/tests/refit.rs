//! The relaxed refit and the λ path's economy: the refit keeps exactly the
//! support the path chose (never a dropped group, whose rows stay exact
//! zeros), the relaxed choice bisects to the sparsest support as good as
//! the best, the report records both models, points come by increasing λ
//! within their epoch budgets, and the whole run is bitwise the same for
//! 1 and 2 threads.

#[path = "common_synthetic.rs"]
mod synthetic;

use glassbox_glt::data::FeatureGroups;
use glassbox_glt::fit::{settled, Fitted};
use glassbox_glt::lambda_path::{PathOptions, PathPoint, AUC_SLACK};
use glassbox_glt::refit::{choose_relaxed, relaxed_candidates};
use glassbox_glt::train::{train, LambdaChoice};
use ndarray::Axis;

fn path(points: usize, epochs_per_point: usize) -> LambdaChoice {
    LambdaChoice::Auto(PathOptions { points, min_ratio: 0.01, epochs_per_point })
}

#[test]
fn the_refit_keeps_the_chosen_support_and_its_exact_zeros() {
    let data = synthetic::three_of_fifteen(2000, 4);
    let groups = FeatureGroups::singletons(&data.feature_names);
    let model = train(&data, groups, &synthetic::small_spec(path(8, 15), 3), &mut |_| {}).unwrap();
    let r = &model.report;
    let refit = r.refit.as_ref().expect("a penalised choice is refit");
    let chosen = r.path.iter().find(|p| p.lambda == r.lambda).expect("the kept λ is a path point");
    assert!(r.lambda > 0.0, "this data set has noise features for the path to drop");
    assert_eq!(refit.groups_kept, chosen.selected_groups.len());
    // The final model's groups are the chosen point's, never one it dropped.
    let kept: Vec<&String> = r.groups.iter().filter(|g| g.selected).map(|g| &g.name).collect();
    assert_eq!(kept, chosen.selected_groups.iter().collect::<Vec<_>>(), "the refit changed the support");
    let w = &model.params[model.glt.tokenizer_weight()];
    for name in &r.dropped_features {
        let f = data.feature_index(name).unwrap();
        assert!(
            w.index_axis(Axis(0), f).iter().all(|v| v.to_bits() == 0),
            "{name} is not exactly zero after the refit"
        );
    }
    // The kept model's validation score is the better of the two, as recorded.
    let better = refit.refit.val_score.max(refit.penalised.val_score);
    let kept_score = if refit.kept { refit.refit.val_score } else { refit.penalised.val_score };
    assert_eq!(kept_score, better);
    assert_eq!(
        r.validation,
        if refit.kept { refit.refit.validation.clone() } else { refit.penalised.validation.clone() }
    );
    // Epochs: dense, each point by increasing λ (within its budget), then the relaxed choice's refits.
    assert_eq!(r.epochs_run.len(), r.path.len() + r.relaxed.len());
    assert!(r.relaxed.iter().any(|p| p.lambda == r.lambda && p.epochs == refit.epochs), "{:?}", r.relaxed);
    assert!(r.path.windows(2).all(|p| p[0].lambda < p[1].lambda), "points are by increasing λ");
    assert!(r.path[1..].iter().all(|p| (1..=15).contains(&p.epochs)), "{:?}", r.path);
}

#[test]
fn without_the_refit_the_penalised_model_is_kept() {
    let data = synthetic::three_of_fifteen(1500, 5);
    let groups = FeatureGroups::singletons(&data.feature_names);
    let mut spec = synthetic::small_spec(LambdaChoice::Fixed(0.05), 2);
    spec.refit = false;
    let plain = train(&data, groups.clone(), &spec, &mut |_| {}).unwrap();
    assert!(plain.report.refit.is_none());
    spec.refit = true;
    let relaxed = train(&data, groups, &spec, &mut |_| {}).unwrap();
    let refit = relaxed.report.refit.as_ref().expect("λ > 0 is refit");
    // The refit starts from the penalised model: its penalised scores are the plain run's.
    assert_eq!(refit.penalised.validation, plain.report.validation);
    assert_eq!(relaxed.report.selected_features.len(), refit.groups_kept);
}

#[test]
fn a_run_with_the_path_and_the_refit_is_bitwise_identical_for_one_and_two_threads() {
    let data = synthetic::three_of_fifteen(1200, 6);
    let groups = FeatureGroups::singletons(&data.feature_names);
    let spec = synthetic::small_spec(path(4, 8), 9);
    let bytes = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| train(&data, groups.clone(), &spec, &mut |_| {}).unwrap().to_bytes().unwrap())
    };
    let (one, two) = (bytes(1), bytes(2));
    assert!(one == two, "model files differ between 1 and 2 threads");
}

#[test]
fn a_penalised_fit_has_settled_when_no_kept_group_is_on_course_to_zero() {
    let steady: Vec<Vec<f64>> = vec![vec![0.8, 0.5, 0.0]; 7];
    assert!(settled(&[2; 7], &steady, 5, 30));
    assert!(!settled(&[2; 6], &steady[..6], 6, 30), "a window of 6 epochs needs 7 recorded");
    assert!(!settled(&[3, 2, 2, 2, 2, 2, 2], &steady[..], 6, 30), "a group left inside the window");
    assert!(!settled(&[2, 2, 2, 2, 2, 2, 1], &steady, 5, 30), "a group left in the last epoch");
    assert!(!settled(&[2; 7], &steady, 0, 30), "settle 0 never stops a fit");
    // 0.5 → 0.25 over 5 epochs: 0.05 per epoch, zero in 5 more epochs.
    let falling: Vec<Vec<f64>> = (0..7).map(|e| vec![0.8, 0.55 - 0.05 * e as f64, 0.0]).collect();
    assert!(!settled(&[2; 7], &falling, 5, 30), "a group is on its way to zero");
    assert!(settled(&[2; 7], &falling, 5, 4), "but not within the 4 epochs left");
    // Growing norms, and a slow fall (zero in 50 epochs), are settled.
    let slow: Vec<Vec<f64>> = (0..7).map(|e| vec![0.8 + 0.01 * e as f64, 0.5 - 0.01 * e as f64, 0.0]).collect();
    assert!(settled(&[2; 7], &slow, 5, 30));
}

#[test]
fn the_relaxed_choice_bisects_to_the_sparsest_support_as_good_as_the_best() {
    let point = |lambda: f64, groups: usize| PathPoint {
        lambda,
        selected_groups: (0..groups).map(|g| format!("g{g}")).collect(),
        val_roc_auc: Some(0.5),
        val_accuracy: 0.5,
        val_loss: 1.0,
        epochs: 5,
    };
    // Supports of 20 (dense), 20, 18, 15, 12, 9, 6, 4, 2, 1 and 0 groups.
    let sizes = [20, 20, 18, 15, 12, 9, 6, 4, 2, 1, 0];
    let path: Vec<PathPoint> = sizes.iter().enumerate().map(|(i, &g)| point(i as f64, g)).collect();
    let fitted = |epochs: usize| Fitted {
        params: vec![],
        val_loss: 0.0,
        epochs_run: epochs,
        train_losses: vec![],
        val_losses: vec![],
        kept_groups: vec![],
        group_norms: vec![],
    };
    // Refit scores: 0.95 while the 6 informative groups are in, falling below.
    let refit_score = |groups: usize| if groups >= 6 { 0.95 - 0.0001 * groups as f64 } else { 0.80 };
    for dense_score in [0.90, 0.95, 0.99] {
        let mut calls = 0;
        let choice = choose_relaxed(&path, dense_score, &mut |i| {
            calls += 1;
            Ok::<_, ()>((fitted(i), refit_score(path[i].selected_groups.len())))
        })
        .unwrap();
        // 8 candidate supports (18 … 1 groups): at most ⌈log₂ 9⌉ = 4 refits.
        assert_eq!(relaxed_candidates(&path).len(), 8);
        assert!(calls <= 4, "{calls} refits");
        assert_eq!(choice.probes.len(), calls);
        if dense_score > 0.95 + AUC_SLACK {
            assert_eq!(choice.point, None, "nothing is as good as the dense fit");
        } else {
            assert_eq!(choice.point, Some(6), "the 6-group support");
            assert_eq!(choice.refit.as_ref().unwrap().epochs_run, 6);
        }
    }
}
