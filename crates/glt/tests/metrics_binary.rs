//! Binary metrics against values computed by hand (pair counting, PR tables).

use glassbox_glt::metrics::{best_f1_threshold, binary_metrics, confusion, pr_auc, roc_auc, Confusion};

const T: bool = true;
const F: bool = false;
const NAN: f64 = f64::NAN;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

// ---------------------------------------------------------------- ROC-AUC

#[test]
fn roc_auc_small_example() {
    // Pairs (pos, neg): (0.35,0.1) ok, (0.35,0.4) wrong, (0.8,0.1) ok, (0.8,0.4) ok → 3/4.
    assert!(close(roc_auc(&[0.1, 0.4, 0.35, 0.8], &[F, F, T, T]).unwrap(), 0.75));
}

#[test]
fn roc_auc_ties_get_half_credit() {
    // (0.4⁺,0.1⁻) 1, (0.4⁺,0.4⁻) ½, (0.8⁺,0.1⁻) 1, (0.8⁺,0.4⁻) 1 → 3.5/4.
    assert!(close(roc_auc(&[0.1, 0.4, 0.4, 0.8], &[F, F, T, T]).unwrap(), 0.875));
    // Everything tied: every pair is half credit.
    assert!(close(roc_auc(&[0.5, 0.5, 0.5], &[T, F, F]).unwrap(), 0.5));
    // -0.0 and 0.0 are the same score: a tie.
    assert!(close(roc_auc(&[-0.0, 0.0], &[T, F]).unwrap(), 0.5));
}

#[test]
fn roc_auc_perfect_and_reversed() {
    assert_eq!(roc_auc(&[0.1, 0.2, 0.3, 0.9], &[F, F, T, T]), Some(1.0));
    assert_eq!(roc_auc(&[0.1, 0.2, 0.3, 0.9], &[T, T, F, F]), Some(0.0));
}

#[test]
fn roc_auc_undefined_without_both_classes() {
    assert_eq!(roc_auc(&[], &[]), None);
    assert_eq!(roc_auc(&[0.2, 0.9], &[T, T]), None);
    assert_eq!(roc_auc(&[0.2, 0.9], &[F, F]), None);
}

#[test]
fn roc_auc_nan_ranks_lowest() {
    // The NaN positive loses to the 0.2 negative; 0.3 beats it → 1/2.
    assert!(close(roc_auc(&[NAN, 0.2, 0.3], &[T, F, T]).unwrap(), 0.5));
    // The NaN negative loses to everything, even -∞.
    assert_eq!(roc_auc(&[f64::NEG_INFINITY, NAN], &[T, F]), Some(1.0));
    // Two NaNs tie.
    assert!(close(roc_auc(&[NAN, NAN], &[T, F]).unwrap(), 0.5));
}

#[test]
fn roc_auc_large_input_is_exact() {
    // scores = index, positives at odd indices; positive 2k+1 beats the k+1
    // negatives 0, 2, …, 2k, so AUC = Σ(k+1)/m² = (m+1)/(2m).
    let m = 100_000usize;
    let scores: Vec<f64> = (0..2 * m).map(|i| i as f64).collect();
    let labels: Vec<bool> = (0..2 * m).map(|i| i % 2 == 1).collect();
    let expected = (m as f64 + 1.0) / (2.0 * m as f64);
    assert!(close(roc_auc(&scores, &labels).unwrap(), expected));
}

#[test]
#[should_panic(expected = "lengths must match")]
fn roc_auc_length_mismatch_panics() {
    roc_auc(&[0.1, 0.2], &[T]);
}

// ---------------------------------------------------------------- PR-AUC

#[test]
fn pr_auc_sklearn_documented_example() {
    // Thresholds 0.8: P=1, R=½; 0.4: R unchanged; 0.35: P=⅔, R=1 → ½·1 + ½·⅔ = 0.8333…
    let ap = pr_auc(&[0.1, 0.4, 0.35, 0.8], &[F, F, T, T]).unwrap();
    assert!(close(ap, 0.833_333_333_333_333_4), "{ap}");
}

#[test]
fn pr_auc_groups_ties() {
    // Threshold 0.8 admits both tied samples at once: P=½, R=½; then 0.3: P=⅔, R=1.
    // ½·½ + ½·⅔ = 7/12 (not the 5/6 of counting the tied positive first).
    assert!(close(pr_auc(&[0.8, 0.8, 0.3], &[T, F, T]).unwrap(), 7.0 / 12.0));
    // All tied: AP is the prevalence.
    assert!(close(pr_auc(&[0.5; 4], &[T, F, F, F]).unwrap(), 0.25));
}

#[test]
fn pr_auc_edges() {
    assert_eq!(pr_auc(&[0.1, 0.2, 0.9], &[F, T, T]), Some(1.0));
    assert_eq!(pr_auc(&[0.3, 0.7], &[T, T]), Some(1.0));
    assert_eq!(pr_auc(&[0.3, 0.7], &[F, F]), None);
    assert_eq!(pr_auc(&[], &[]), None);
    // NaN is the lowest threshold: 0.9⁻ first (P=0), 0.2⁺ (P=½, R=½), NaN⁺ (P=⅔, R=1).
    assert!(close(pr_auc(&[NAN, 0.2, 0.9], &[T, T, F]).unwrap(), 0.25 + 1.0 / 3.0));
}

// ---------------------------------------------------------------- best F1 threshold

#[test]
fn best_f1_threshold_hand_example() {
    // t=0.9: 2/5; 0.8: 2/6; 0.7: 4/6; 0.6: tp3 fp1 fn0 → 6/7; 0.2: 6/8.
    let (t, f1) = best_f1_threshold(&[0.9, 0.8, 0.7, 0.6, 0.2], &[T, F, T, T, F]);
    assert_eq!(t, 0.6);
    assert!(close(f1, 6.0 / 7.0));
}

#[test]
fn best_f1_threshold_ties_go_to_higher_threshold() {
    // t=0.9: 2/3; 0.8: 2/4; 0.7: 2/5; 0.6: 4/6 = 2/3 — tie with 0.9, keep 0.9.
    let (t, f1) = best_f1_threshold(&[0.9, 0.8, 0.7, 0.6], &[T, F, F, T]);
    assert_eq!(t, 0.9);
    assert!(close(f1, 2.0 / 3.0));
}

#[test]
fn best_f1_threshold_uses_distinct_scores() {
    // t=0.7 takes both tied samples: tp1 fp1 fn1 → ½; t=0.2: tp2 fp1 → 4/5.
    let (t, f1) = best_f1_threshold(&[0.7, 0.7, 0.2], &[T, F, T]);
    assert_eq!(t, 0.2);
    assert!(close(f1, 0.8));
}

#[test]
fn best_f1_threshold_edges() {
    assert_eq!(best_f1_threshold(&[], &[]), (0.5, 0.0));
    assert_eq!(best_f1_threshold(&[0.1, 0.9], &[F, F]), (0.5, 0.0));
    assert_eq!(best_f1_threshold(&[NAN, NAN], &[T, F]), (0.5, 0.0));
    // A NaN positive is a false negative at every threshold: tp1 fn1 → 2/3 at 0.4.
    let (t, f1) = best_f1_threshold(&[NAN, 0.4, 0.1], &[T, T, F]);
    assert_eq!(t, 0.4);
    assert!(close(f1, 2.0 / 3.0));
}

// ---------------------------------------------------------------- confusion & binary_metrics

#[test]
fn confusion_counts_with_inclusive_threshold() {
    // 0.5 >= 0.5 is predicted positive.
    let c = confusion(&[0.9, 0.5, 0.4, 0.1, 0.6], &[T, F, T, F, T], 0.5);
    assert_eq!(c, Confusion { tp: 2, fp: 1, tn: 1, fn_: 1 });
}

#[test]
fn confusion_nan_and_extreme_thresholds() {
    assert_eq!(confusion(&[NAN, NAN], &[T, F], 0.0), Confusion { tp: 0, fp: 0, tn: 1, fn_: 1 });
    assert_eq!(confusion(&[0.1, 0.9], &[T, F], NAN), Confusion { tp: 0, fp: 0, tn: 1, fn_: 1 });
    assert_eq!(
        confusion(&[f64::NEG_INFINITY, 0.9, NAN], &[T, F, T], f64::NEG_INFINITY),
        Confusion { tp: 1, fp: 1, tn: 0, fn_: 1 }
    );
    assert_eq!(confusion(&[], &[], 0.5), Confusion { tp: 0, fp: 0, tn: 0, fn_: 0 });
}

#[test]
fn binary_metrics_hand_example() {
    let scores = [0.1, 0.4, 0.35, 0.8];
    let labels = [F, F, T, T];
    let m = binary_metrics(&scores, &labels, 0.35);
    // At 0.35: 0.4⁻ fp, 0.35⁺ tp, 0.8⁺ tp, 0.1⁻ tn.
    assert_eq!(m.confusion, Confusion { tp: 2, fp: 1, tn: 1, fn_: 0 });
    assert!(close(m.f1, 0.8));
    assert!(close(m.accuracy, 0.75));
    assert_eq!(m.threshold, 0.35);
    assert!(close(m.roc_auc.unwrap(), 0.75));
    assert!(close(m.pr_auc.unwrap(), 5.0 / 6.0));
}

#[test]
fn binary_metrics_degenerate_inputs_do_not_panic() {
    let m = binary_metrics(&[], &[], 0.5);
    assert_eq!((m.roc_auc, m.pr_auc, m.f1, m.accuracy), (None, None, 0.0, 0.0));
    // No positives, none predicted: F1 is 0 (not NaN), accuracy 1.
    let m = binary_metrics(&[0.1, 0.2], &[F, F], 0.5);
    assert_eq!((m.roc_auc, m.pr_auc, m.f1, m.accuracy), (None, None, 0.0, 1.0));
    let m = binary_metrics(&[NAN, NAN, NAN], &[T, F, T], 0.5);
    assert_eq!(m.confusion, Confusion { tp: 0, fp: 0, tn: 1, fn_: 2 });
    assert!(close(m.roc_auc.unwrap(), 0.5));
}

#[test]
#[should_panic(expected = "binary_metrics: 3 scores but 2 labels")]
fn binary_metrics_length_mismatch_panics() {
    binary_metrics(&[0.1, 0.2, 0.3], &[T, F], 0.5);
}
