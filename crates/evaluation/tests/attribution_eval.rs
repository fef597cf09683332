//! `explain evaluate`'s measurements: the significance Z on hand values, the
//! seeded random control, and top-k retraining recovering the full model on
//! a data set whose label depends on 3 of 15 features.

#[path = "../../glt/tests/common_synthetic.rs"]
mod common_synthetic;

use common_synthetic::{small_spec, three_of_fifteen, THREE_INFORMATIVE};
use glassbox_data::FeatureGroups;
use glassbox_evaluation::{distinct_subsets, random_orders, random_ranking, TopKRetrainer};
use glassbox_glt::metrics::{asimov_significance, weighted_significance};
use glassbox_glt::train::LambdaChoice;

/// Z = √(2((s+b)ln(1+s/b) − s)), values computed by hand (Python, f64).
#[test]
fn significance_matches_hand_values() {
    for (s, b, z) in [
        (10.0, 100.0, 0.983_991_644_756_948_4),
        (5.0, 1.0, 3.391_329_183_481_996),
        (3.0, 0.5, 2.760_683_075_506_349),
        (100.0, 10_000.0, 0.998_340_239_595_434_3),
    ] {
        let got = asimov_significance(s, b);
        assert!((got - z).abs() < 1e-12 * z, "Z({s}, {b}) = {got}, expected {z}");
    }
    // Weighted counts above the threshold (≥), scaled: s = (2 + 3)·2, b = (40 + 10)·2.
    let scores = [0.95, 0.5, 0.2, 0.7, 0.5, 0.49];
    let signal = [true, true, true, false, false, false];
    let weights = [2.0, 3.0, 100.0, 40.0, 10.0, 1000.0];
    let sig = weighted_significance(&scores, &signal, &weights, 0.5, 2.0);
    assert_eq!((sig.signal, sig.background), (10.0, 100.0));
    assert!((sig.z - 0.983_991_644_756_948_4).abs() < 1e-12);
}

#[test]
fn random_control_is_seeded_and_reproducible() {
    assert_eq!(random_ranking(15, 3), random_ranking(15, 3));
    assert_ne!(random_ranking(15, 3), random_ranking(15, 4));
    assert_eq!(random_orders(50, 15, 9), random_orders(50, 15, 9));
    assert_ne!(random_orders(50, 15, 9), random_orders(50, 15, 10));
    // Different rows get different orders within one draw.
    let o = random_orders(50, 15, 9);
    assert!(o.iter().skip(1).any(|r| *r != o[0]));
}

#[test]
fn top_three_of_an_informative_ranking_recover_the_full_model() {
    let data = three_of_fifteen(3000, 5);
    let groups = FeatureGroups::singletons(&data.feature_names);
    let spec = small_spec(LambdaChoice::Fixed(0.0), 3);
    // Unit weights: Z becomes the plain-count significance of the selection.
    let retrainer = TopKRetrainer::new(&data, &groups, spec, Some(vec![1.0; data.rows()])).unwrap();
    let all: Vec<usize> = (0..15).collect();
    let full = retrainer.score(&all).unwrap();
    let ranking: Vec<usize> = THREE_INFORMATIVE
        .iter()
        .copied()
        .chain(all.iter().copied().filter(|f| !THREE_INFORMATIVE.contains(f)))
        .collect();
    let (subsets, which) = distinct_subsets(std::slice::from_ref(&ranking), 3);
    let top3 = retrainer.score(&subsets[which[0][2]]).unwrap();
    let noise = retrainer.score(&[0, 1, 3]).unwrap();
    let auc = |s: &glassbox_evaluation::TopKScore| s.roc_auc.unwrap();
    eprintln!("ROC-AUC: all 15 {:.4}, top 3 {:.4}, 3 noise {:.4}", auc(&full), auc(&top3), auc(&noise));
    assert!(auc(&full) > 0.85, "the full model should learn the label: {}", auc(&full));
    assert!((auc(&top3) - auc(&full)).abs() <= 0.02, "top 3 {} vs all {}", auc(&top3), auc(&full));
    assert!(auc(&noise) < 0.6, "noise features alone should not predict: {}", auc(&noise));
    let (z3, zn) = (top3.significance.unwrap().z, noise.significance.unwrap().z);
    assert!(z3 > 2.0 * zn, "Z top 3 {z3} vs noise {zn}");
    // Same seed, same features: bitwise the same scores.
    assert_eq!(retrainer.score(&[11, 7, 2]).unwrap(), top3);
}
