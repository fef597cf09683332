//! Multi-class metrics: accuracy and macro-F1 of argmax predictions.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::rank::f1_value;

/// Multi-class metrics of a report (SPEC §6: `{"accuracy","macro_f1"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MulticlassMetrics {
    /// Fraction of rows whose argmax class equals the label.
    pub accuracy: f64,
    /// Unweighted mean of per-class F1 over the classes present in the labels
    /// or the predictions.
    pub macro_f1: f64,
}

/// Predicted class of one row of probabilities: the argmax, the first index on
/// ties. NaN entries are never chosen unless every entry is NaN (then class 0).
/// `None` only for a row with no columns.
fn argmax(row: ndarray::ArrayView1<f64>) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (c, &p) in row.iter().enumerate() {
        match best {
            None => best = Some((c, p)),
            Some((_, bp)) if (bp.is_nan() && !p.is_nan()) || p > bp => best = Some((c, p)),
            _ => {}
        }
    }
    best.map(|(c, _)| c)
}

/// Accuracy and macro-F1 of the argmax predictions of `probs` (`[rows, C]`).
///
/// - predicted class ŷᵢ = argmax_c probs[i, c], the first class on ties; NaN
///   probabilities never win unless the whole row is NaN (then class 0);
/// - accuracy = #{ŷᵢ = yᵢ} / rows;
/// - per class c: F1_c = 2·tp_c / (2·tp_c + fp_c + fn_c);
/// - macro-F1 = mean of F1_c over the classes present in `labels` or in the
///   predictions (absent classes are not averaged in as zeros).
///
/// A label ≥ C is accepted: it can never be predicted, so its row counts as
/// wrong and its class (present in the labels) scores F1 0. Empty input gives
/// accuracy 0 and macro-F1 0 (0 rather than NaN so reports stay valid JSON).
///
/// # Panics
/// If `labels.len()` differs from the number of rows (a programmer error).
///
/// # Example
/// ```
/// use glassbox_glt::metrics::multiclass_metrics;
/// use ndarray::array;
/// let probs = array![[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.4, 0.1]];
/// let m = multiclass_metrics(probs.view(), &[0, 1, 2, 1]);
/// assert_eq!(m.accuracy, 0.75);
/// // F1: class 0 = 2/3, class 1 = 2/3, class 2 = 1.
/// assert!((m.macro_f1 - 7.0 / 9.0).abs() < 1e-12);
/// ```
pub fn multiclass_metrics(probs: ArrayView2<f64>, labels: &[usize]) -> MulticlassMetrics {
    let rows = probs.nrows();
    assert_eq!(
        rows,
        labels.len(),
        "metrics::multiclass_metrics: {rows} probability rows but {} labels (lengths must match)",
        labels.len()
    );
    if rows == 0 {
        return MulticlassMetrics { accuracy: 0.0, macro_f1: 0.0 };
    }
    let n_classes = labels.iter().map(|&y| y + 1).max().unwrap_or(0).max(probs.ncols());
    // Per class: (tp, fp, fn).
    let mut counts = vec![(0u64, 0u64, 0u64); n_classes];
    let mut correct = 0u64;
    for (row, &y) in probs.rows().into_iter().zip(labels) {
        match argmax(row) {
            Some(pred) if pred == y => {
                correct += 1;
                counts[y].0 += 1;
            }
            Some(pred) => {
                counts[pred].1 += 1;
                counts[y].2 += 1;
            }
            None => counts[y].2 += 1,
        }
    }
    let present: Vec<f64> =
        counts.iter().filter(|&&(tp, fp, fn_)| tp + fp + fn_ > 0).map(|&(tp, fp, fn_)| f1_value(tp, fp, fn_)).collect();
    let macro_f1 = present.iter().sum::<f64>() / present.len() as f64;
    MulticlassMetrics { accuracy: correct as f64 / rows as f64, macro_f1 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn argmax_first_on_ties_and_skips_nan() {
        assert_eq!(argmax(array![0.4, 0.4, 0.2].view()), Some(0));
        assert_eq!(argmax(array![f64::NAN, 0.1, 0.3].view()), Some(2));
        assert_eq!(argmax(array![0.1, f64::NAN, 0.1].view()), Some(0));
        assert_eq!(argmax(array![f64::NAN, f64::NAN].view()), Some(0));
        assert_eq!(argmax(ndarray::Array1::<f64>::zeros(0).view()), None);
    }
}
