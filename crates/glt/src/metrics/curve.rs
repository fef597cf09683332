//! Ranking metrics of binary scores: ROC-AUC, average precision (PR-AUC) and
//! the F1-optimal threshold. Each sorts once: O(n log n) time, O(n) memory.

use super::rank::{check_lengths, f1_fraction, tie_groups, totals};

/// Area under the ROC curve of `scores` for the positive class.
///
/// Computed as the Mann–Whitney statistic with mid-ranks: over all
/// (positive, negative) pairs,
///
/// AUC = ( #{s_pos > s_neg} + ½·#{s_pos = s_neg} ) / (n_pos · n_neg),
///
/// so ties get half credit. It is accumulated exactly in integers over groups
/// of equal score (a group with p positives and q negatives above `below`
/// negatives adds p·below + ½·p·q) and divided once at the end.
///
/// NaN scores rank below every number and tie with each other.
/// Returns `None` if either class is absent (including empty input).
///
/// # Panics
/// If `scores` and `positive` differ in length (a programmer error).
///
/// # Example
/// ```
/// use glassbox_glt::metrics::roc_auc;
/// // 3 of the 4 (positive, negative) pairs are ordered correctly.
/// let auc = roc_auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]).unwrap();
/// assert!((auc - 0.75).abs() < 1e-12);
/// assert_eq!(roc_auc(&[0.3, 0.7], &[true, true]), None);
/// ```
pub fn roc_auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    check_lengths("roc_auc", scores.len(), positive.len());
    let groups = tie_groups(scores, positive);
    let (n_pos, n_neg) = totals(&groups);
    if n_pos == 0 || n_neg == 0 {
        return None;
    }
    // Twice the Mann–Whitney U, so half credit stays an integer.
    let mut twice_u: u128 = 0;
    let mut neg_below: u128 = 0;
    for g in &groups {
        let (p, q) = (u128::from(g.pos), u128::from(g.neg));
        twice_u += 2 * p * neg_below + p * q;
        neg_below += q;
    }
    Some(twice_u as f64 / (2 * u128::from(n_pos) * u128::from(n_neg)) as f64)
}

/// Average precision: the area under the precision–recall curve as defined by
/// scikit-learn's `average_precision_score`,
///
/// AP = Σₙ (Rₙ − Rₙ₋₁) · Pₙ,
///
/// where n runs over the distinct score values taken as thresholds in
/// decreasing order (predict positive when score ≥ threshold, so tied scores
/// enter together), Pₙ and Rₙ are the precision and recall at that threshold
/// and R₀ = 0. No interpolation is applied.
///
/// NaN scores rank below every number (they form the lowest threshold).
/// Returns `None` if there are no positives (including empty input).
///
/// # Panics
/// If `scores` and `positive` differ in length (a programmer error).
///
/// # Example
/// ```
/// use glassbox_glt::metrics::pr_auc;
/// // scikit-learn's documented example: 0.8333…
/// let ap = pr_auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]).unwrap();
/// assert!((ap - 5.0 / 6.0).abs() < 1e-12);
/// ```
pub fn pr_auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    check_lengths("pr_auc", scores.len(), positive.len());
    let groups = tie_groups(scores, positive);
    let (n_pos, _) = totals(&groups);
    if n_pos == 0 {
        return None;
    }
    let (mut tp, mut fp) = (0u64, 0u64);
    let mut ap = 0.0;
    for g in groups.iter().rev() {
        tp += g.pos;
        fp += g.neg;
        if g.pos > 0 {
            // Recall rises by pos/n_pos; precision at this threshold is tp/(tp+fp).
            let recall_step = g.pos as f64 / n_pos as f64;
            let precision = tp as f64 / (tp + fp) as f64;
            ap += recall_step * precision;
        }
    }
    // AP ≤ 1 exactly; a sum of fractions (e.g. ten tenths) can round to
    // 1 + 1 ulp, which proptest found.
    Some(ap.min(1.0))
}

/// The threshold maximising F1 = 2·tp / (2·tp + fp + fn) when predicting
/// positive for `score >= threshold`.
///
/// Every distinct (non-NaN) score is tried as a threshold; F1 values are
/// compared exactly (as fractions), and ties in F1 go to the higher threshold.
/// The returned threshold is one of the scores, so
/// [`confusion`](super::confusion) at it reproduces the returned F1.
/// Returns `(threshold, f1)`.
///
/// Edge cases: no positives (including empty input), or no non-NaN score,
/// gives `(0.5, 0.0)`. NaN scores are never predicted positive (NaN ≥ t is
/// false) but their positives count as false negatives.
///
/// # Panics
/// If `scores` and `positive` differ in length (a programmer error).
///
/// # Example
/// ```
/// use glassbox_glt::metrics::best_f1_threshold;
/// let scores = [0.9, 0.8, 0.7, 0.6, 0.2];
/// let labels = [true, false, true, true, false];
/// // threshold 0.6: tp = 3, fp = 1, fn = 0 → F1 = 6/7.
/// let (t, f1) = best_f1_threshold(&scores, &labels);
/// assert_eq!(t, 0.6);
/// assert!((f1 - 6.0 / 7.0).abs() < 1e-12);
/// ```
pub fn best_f1_threshold(scores: &[f64], positive: &[bool]) -> (f64, f64) {
    check_lengths("best_f1_threshold", scores.len(), positive.len());
    let groups = tie_groups(scores, positive);
    let (n_pos, _) = totals(&groups);
    if n_pos == 0 {
        return (0.5, 0.0);
    }
    let (mut tp, mut fp) = (0u64, 0u64);
    // Best so far: (threshold, numerator, denominator) of F1.
    let mut best: Option<(f64, u128, u128)> = None;
    for g in groups.iter().rev().filter(|g| !g.score.is_nan()) {
        tp += g.pos;
        fp += g.neg;
        let (num, den) = f1_fraction(tp, fp, n_pos - tp);
        // den > 0 because n_pos > 0. Strictly greater only: on a tie the
        // earlier (higher) threshold is kept.
        let better = match best {
            None => true,
            Some((_, bn, bd)) => num * bd > bn * den,
        };
        if better {
            best = Some((g.score, num, den));
        }
    }
    match best {
        Some((t, num, den)) => (t, num as f64 / den as f64),
        None => (0.5, 0.0),
    }
}
