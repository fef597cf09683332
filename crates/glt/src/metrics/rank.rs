//! Shared ranking machinery for the curve metrics: scores sorted once
//! (O(n log n)) and collapsed into groups of equal score.
//!
//! Ordering convention used by every metric in this module: numbers are
//! ordered as usual (`-0.0 == 0.0`, `-inf` lowest of the numbers) and every
//! NaN ranks **below** every number; all NaNs tie with each other.

use std::cmp::Ordering;

/// Compares two scores under the module's convention (NaN lowest, NaNs tie).
pub(crate) fn score_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
    }
}

/// All samples sharing one score value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TieGroup {
    /// The shared score (for NaN groups: NaN).
    pub score: f64,
    /// Number of positive samples in the group.
    pub pos: u64,
    /// Number of negative samples in the group.
    pub neg: u64,
}

/// Panics with a clear message when the two slices differ in length: the
/// caller pairs scores with labels, so a mismatch is a programmer error.
pub(crate) fn check_lengths(what: &str, scores: usize, labels: usize) {
    assert_eq!(scores, labels, "metrics::{what}: {scores} scores but {labels} labels (lengths must match)");
}

/// Groups of equal score in **ascending** score order (NaN group first, if any).
pub(crate) fn tie_groups(scores: &[f64], positive: &[bool]) -> Vec<TieGroup> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_unstable_by(|&i, &j| score_cmp(scores[i], scores[j]));
    let mut groups: Vec<TieGroup> = Vec::new();
    for i in order {
        let (s, p) = (scores[i], positive[i]);
        match groups.last_mut() {
            Some(g) if score_cmp(g.score, s) == Ordering::Equal => {
                if p {
                    g.pos += 1;
                } else {
                    g.neg += 1;
                }
            }
            _ => groups.push(TieGroup { score: s, pos: u64::from(p), neg: u64::from(!p) }),
        }
    }
    groups
}

/// Totals (positives, negatives) over all groups.
pub(crate) fn totals(groups: &[TieGroup]) -> (u64, u64) {
    groups.iter().fold((0, 0), |(p, n), g| (p + g.pos, n + g.neg))
}

/// F1 = 2·tp / (2·tp + fp + fn) as an exact fraction (numerator, denominator);
/// the denominator is 0 only when there is nothing to score.
pub(crate) fn f1_fraction(tp: u64, fp: u64, fn_: u64) -> (u128, u128) {
    let num = 2 * u128::from(tp);
    (num, num + u128::from(fp) + u128::from(fn_))
}

/// F1 as a float; 0 when the denominator is 0 (no positives, none predicted).
pub(crate) fn f1_value(tp: u64, fp: u64, fn_: u64) -> f64 {
    let (num, den) = f1_fraction(tp, fp, fn_);
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_ascending_with_nan_first_and_signed_zeros_tied() {
        let g = tie_groups(
            &[0.5, f64::NAN, 0.0, -0.0, 0.5, f64::NEG_INFINITY, f64::NAN],
            &[true, false, true, false, false, true, true],
        );
        assert_eq!(g.len(), 4);
        assert!(g[0].score.is_nan());
        assert_eq!((g[0].pos, g[0].neg), (1, 1));
        assert_eq!((g[1].score, g[1].pos, g[1].neg), (f64::NEG_INFINITY, 1, 0));
        assert_eq!((g[2].score, g[2].pos, g[2].neg), (0.0, 1, 1));
        assert_eq!((g[3].score, g[3].pos, g[3].neg), (0.5, 1, 1));
        assert_eq!(totals(&g), (4, 3));
    }

    #[test]
    fn f1_of_nothing_is_zero() {
        assert_eq!(f1_value(0, 0, 0), 0.0);
        assert_eq!(f1_value(1, 1, 1), 0.5);
    }
}
