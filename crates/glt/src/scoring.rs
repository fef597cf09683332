//! Scores of class probabilities against labels: the validation scores the
//! λ path compares, the validation-tuned threshold, and the held-out
//! metrics of SPEC §3 (binary: positive class = class index 1).

use ndarray::{Array2, Axis};

use crate::metrics::{best_f1_threshold, binary_metrics, multiclass_metrics, roc_auc, Metrics};

/// `(ROC-AUC if binary, accuracy)` of probabilities `[N, C]`.
pub fn validation_scores(probs: &Array2<f64>, y: &[usize]) -> (Option<f64>, f64) {
    let accuracy = multiclass_metrics(probs.view(), y).accuracy;
    if probs.ncols() == 2 {
        let (scores, positive) = binary_view(probs, y);
        (roc_auc(&scores, &positive), accuracy)
    } else {
        (None, accuracy)
    }
}

/// The F1-maximising threshold on `P(class 1)` (binary; 0.5 otherwise).
pub fn tuned_threshold(probs: &Array2<f64>, y: &[usize]) -> f64 {
    if probs.ncols() != 2 {
        return 0.5;
    }
    let (scores, positive) = binary_view(probs, y);
    best_f1_threshold(&scores, &positive).0
}

/// SPEC §3 metrics at a threshold (binary) or by argmax (multi-class).
pub fn metrics(probs: &Array2<f64>, y: &[usize], threshold: f64) -> Metrics {
    if probs.ncols() == 2 {
        let (scores, positive) = binary_view(probs, y);
        Metrics::Binary(binary_metrics(&scores, &positive, threshold))
    } else {
        Metrics::Multiclass(multiclass_metrics(probs.view(), y))
    }
}

fn binary_view(probs: &Array2<f64>, y: &[usize]) -> (Vec<f64>, Vec<bool>) {
    (probs.index_axis(Axis(1), 1).to_vec(), y.iter().map(|&c| c == 1).collect())
}
