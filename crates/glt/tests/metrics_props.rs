//! Property tests: the curve metrics against brute-force O(n²) definitions
//! written from the textbook formulas, plus invariances.

use glassbox_glt::metrics::{best_f1_threshold, confusion, pr_auc, roc_auc};
use proptest::prelude::*;

/// Fraction of (positive, negative) pairs with the positive scored higher,
/// ties counting ½. NaN is compared as "below every number, equal to NaN".
fn brute_auc(scores: &[f64], positive: &[bool]) -> Option<f64> {
    let key = |s: f64| if s.is_nan() { (0, 0.0) } else { (1, s) };
    let (mut credit, mut pairs) = (0.0, 0usize);
    for (i, &pi) in positive.iter().enumerate() {
        for (j, &pj) in positive.iter().enumerate() {
            if pi && !pj {
                pairs += 1;
                let (a, b) = (key(scores[i]), key(scores[j]));
                if a > b {
                    credit += 1.0;
                } else if a == b {
                    credit += 0.5;
                }
            }
        }
    }
    (pairs > 0).then(|| credit / pairs as f64)
}

/// Distinct non-NaN scores, highest first.
fn distinct_desc(scores: &[f64]) -> Vec<f64> {
    let mut d: Vec<f64> = scores.iter().copied().filter(|s| !s.is_nan()).collect();
    d.sort_by(|a, b| b.partial_cmp(a).unwrap());
    d.dedup();
    d
}

/// sklearn's AP straight from the definition: at each threshold, count anew.
fn brute_ap(scores: &[f64], positive: &[bool]) -> Option<f64> {
    let n_pos = positive.iter().filter(|&&p| p).count();
    if n_pos == 0 || scores.iter().any(|s| s.is_nan()) {
        return None;
    }
    let (mut ap, mut last_recall) = (0.0, 0.0);
    for t in distinct_desc(scores) {
        let c = confusion(scores, positive, t);
        let recall = c.tp as f64 / n_pos as f64;
        let precision = c.tp as f64 / (c.tp + c.fp) as f64;
        ap += (recall - last_recall) * precision;
        last_recall = recall;
    }
    Some(ap)
}

/// Scores on a coarse grid (k/8) so that ties are common, sometimes NaN.
fn grid_scores(max_len: usize) -> impl Strategy<Value = Vec<(f64, bool)>> {
    let score = prop_oneof![9 => (-12i32..12).prop_map(|k| f64::from(k) / 8.0), 1 => Just(f64::NAN)];
    prop::collection::vec((score, any::<bool>()), 0..max_len)
}

fn split(v: &[(f64, bool)]) -> (Vec<f64>, Vec<bool>) {
    v.iter().copied().unzip()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn roc_auc_is_the_pairwise_fraction(data in grid_scores(60)) {
        let (s, y) = split(&data);
        match (roc_auc(&s, &y), brute_auc(&s, &y)) {
            (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-12, "{a} vs {b}"),
            (a, b) => prop_assert_eq!(a, b),
        }
    }

    #[test]
    fn roc_auc_on_continuous_scores(data in prop::collection::vec((-1e6f64..1e6, any::<bool>()), 0..60)) {
        let (s, y) = split(&data);
        match (roc_auc(&s, &y), brute_auc(&s, &y)) {
            (Some(a), Some(b)) => prop_assert!((a - b).abs() < 1e-12, "{a} vs {b}"),
            (a, b) => prop_assert_eq!(a, b),
        }
    }

    #[test]
    fn roc_auc_invariant_under_increasing_transforms(data in grid_scores(60)) {
        let (s, y) = split(&data);
        let auc = roc_auc(&s, &y);
        // Each map is strictly increasing on the grid and keeps grid points distinct.
        let maps: [fn(f64) -> f64; 3] = [|x| 3.0 * x - 7.0, |x| x.exp(), |x| x * x * x + x];
        for f in maps {
            let t: Vec<f64> = s.iter().map(|&x| f(x)).collect();
            prop_assert_eq!(roc_auc(&t, &y), auc);
        }
        // A decreasing map reflects the AUC.
        let neg: Vec<f64> = s.iter().map(|&x| if x.is_nan() { x } else { -x }).collect();
        if !s.iter().any(|x| x.is_nan()) {
            if let (Some(a), Some(b)) = (auc, roc_auc(&neg, &y)) {
                prop_assert!((a + b - 1.0).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn nan_scores_behave_as_the_lowest_score(data in grid_scores(60)) {
        let (s, y) = split(&data);
        let low: Vec<f64> = s.iter().map(|&x| if x.is_nan() { -100.0 } else { x }).collect();
        prop_assert_eq!(roc_auc(&s, &y), roc_auc(&low, &y));
        prop_assert_eq!(pr_auc(&s, &y), pr_auc(&low, &y));
    }

    #[test]
    fn pr_auc_matches_the_definition(data in grid_scores(60)) {
        let (s, y) = split(&data);
        let s: Vec<f64> = s.into_iter().map(|x| if x.is_nan() { 0.0 } else { x }).collect();
        match (pr_auc(&s, &y), brute_ap(&s, &y)) {
            (Some(a), Some(b)) => {
                prop_assert!((a - b).abs() < 1e-12, "{a} vs {b}");
                prop_assert!((0.0..=1.0).contains(&a));
            }
            (a, b) => prop_assert_eq!(a, b),
        }
    }

    #[test]
    fn best_f1_threshold_is_the_exhaustive_best(data in grid_scores(60)) {
        let (s, y) = split(&data);
        let (t, f1) = best_f1_threshold(&s, &y);
        // Brute force: try every distinct score high → low, keep strictly better only.
        let mut best: Option<(f64, f64)> = None;
        if y.iter().any(|&p| p) {
            for c in distinct_desc(&s) {
                let v = confusion(&s, &y, c).f1();
                if best.is_none_or(|(_, bv)| v > bv) {
                    best = Some((c, v));
                }
            }
        }
        let (bt, bf) = best.unwrap_or((0.5, 0.0));
        prop_assert_eq!(t, bt);
        prop_assert!((f1 - bf).abs() < 1e-12);
        // The returned F1 is what the confusion matrix at that threshold gives.
        prop_assert!((confusion(&s, &y, t).f1() - f1).abs() < 1e-12);
    }

    #[test]
    fn confusion_partitions_the_samples(data in grid_scores(60), t in -2.0f64..2.0) {
        let (s, y) = split(&data);
        let c = confusion(&s, &y, t);
        prop_assert_eq!(c.total() as usize, s.len());
        prop_assert_eq!((c.tp + c.fn_) as usize, y.iter().filter(|&&p| p).count());
        let predicted = s.iter().filter(|&&x| x >= t).count();
        prop_assert_eq!((c.tp + c.fp) as usize, predicted);
    }
}
