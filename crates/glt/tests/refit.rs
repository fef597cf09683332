//! The relaxed refit and the λ path's economy: the refit keeps exactly the
//! support the path chose (never a dropped group, whose rows stay exact
//! zeros), the report records both models, points come by increasing λ
//! within their epoch budgets, and the whole run is bitwise the same for
//! 1 and 2 threads.

#[path = "common_synthetic.rs"]
mod synthetic;

use glassbox_glt::data::FeatureGroups;
use glassbox_glt::fit::settled;
use glassbox_glt::lambda_path::PathOptions;
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
    // Epochs: dense, each point by increasing λ (within its budget), then the refit.
    assert_eq!(r.epochs_run.len(), r.path.len() + 1);
    assert_eq!(*r.epochs_run.last().unwrap(), refit.epochs);
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
fn a_fit_has_settled_when_its_groups_and_validation_loss_have_stopped_moving() {
    let flat = [0.5, 0.402, 0.401, 0.4005, 0.401, 0.4002, 0.4008];
    assert!(settled(&flat, &[3; 7], 5));
    assert!(!settled(&flat, &[3; 7], 6), "the window reaches back to the 0.5 epoch");
    assert!(!settled(&flat, &[4, 3, 3, 3, 3, 3, 2], 5), "a group left in the last epoch");
    assert!(!settled(&[0.5, 0.45, 0.40, 0.35, 0.30, 0.25], &[3; 6], 5), "the loss is still falling");
    assert!(!settled(&flat, &[3; 7], 0), "settle 0 never stops a fit");
}
