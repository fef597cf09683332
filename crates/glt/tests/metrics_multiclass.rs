//! Multi-class accuracy and macro-F1 against hand-computed values.

use glassbox_glt::metrics::multiclass_metrics;
use ndarray::{array, Array2};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn three_class_hand_example() {
    // argmax: 0, 1, 1, 1, 0, 2   labels: 0, 0, 1, 1, 2, 2
    let probs =
        array![[0.6, 0.3, 0.1], [0.2, 0.5, 0.3], [0.1, 0.8, 0.1], [0.3, 0.4, 0.3], [0.5, 0.1, 0.4], [0.2, 0.2, 0.6],];
    let m = multiclass_metrics(probs.view(), &[0, 0, 1, 1, 2, 2]);
    assert!(close(m.accuracy, 4.0 / 6.0));
    // class 0: tp1 fp1 fn1 → 1/2; class 1: tp2 fp1 fn0 → 4/5; class 2: tp1 fp0 fn1 → 2/3.
    // macro = (1/2 + 4/5 + 2/3)/3 = 59/90.
    assert!(close(m.macro_f1, 59.0 / 90.0), "{}", m.macro_f1);
}

#[test]
fn argmax_ties_pick_the_first_class() {
    let probs = array![[0.4, 0.4, 0.2], [0.1, 0.45, 0.45]];
    // Predictions 0 and 1: both right for labels [0, 1], both wrong for [1, 2].
    assert_eq!(multiclass_metrics(probs.view(), &[0, 1]).accuracy, 1.0);
    assert_eq!(multiclass_metrics(probs.view(), &[1, 2]).accuracy, 0.0);
}

#[test]
fn classes_absent_from_labels_and_predictions_are_not_averaged() {
    // Three columns, class 2 never occurs: macro-F1 over {0, 1} = 1, not 2/3.
    let probs = array![[0.9, 0.05, 0.05], [0.1, 0.8, 0.1]];
    let m = multiclass_metrics(probs.view(), &[0, 1]);
    assert_eq!((m.accuracy, m.macro_f1), (1.0, 1.0));
}

#[test]
fn a_class_only_predicted_counts_with_f1_zero() {
    // labels [0, 0], predictions [0, 2]: class 0 tp1 fn1 → 2/3; class 2 fp1 → 0.
    let probs = array![[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]];
    let m = multiclass_metrics(probs.view(), &[0, 0]);
    assert!(close(m.accuracy, 0.5));
    assert!(close(m.macro_f1, 1.0 / 3.0));
}

#[test]
fn nan_probabilities_and_out_of_range_labels_do_not_panic() {
    // Row 0: NaN never wins → class 1. Row 1: all NaN → class 0.
    let probs = array![[f64::NAN, 0.2], [f64::NAN, f64::NAN]];
    let m = multiclass_metrics(probs.view(), &[1, 0]);
    assert_eq!((m.accuracy, m.macro_f1), (1.0, 1.0));
    // Label 5 with 2 columns: wrong row; class 0 gets fp1 → 0, class 5 fn1 → 0,
    // class 1 tp1 → 1 → macro 1/3.
    let probs = array![[0.3, 0.7], [0.6, 0.4]];
    let m = multiclass_metrics(probs.view(), &[1, 5]);
    assert!(close(m.accuracy, 0.5));
    assert!(close(m.macro_f1, 1.0 / 3.0));
}

#[test]
fn empty_inputs() {
    let m = multiclass_metrics(Array2::<f64>::zeros((0, 3)).view(), &[]);
    assert_eq!((m.accuracy, m.macro_f1), (0.0, 0.0));
    // Rows but no columns: nothing can be predicted.
    let m = multiclass_metrics(Array2::<f64>::zeros((2, 0)).view(), &[0, 1]);
    assert_eq!((m.accuracy, m.macro_f1), (0.0, 0.0));
}

#[test]
#[should_panic(expected = "lengths must match")]
fn length_mismatch_panics() {
    multiclass_metrics(Array2::<f64>::zeros((3, 2)).view(), &[0, 1]);
}
