//! Global feature rankings: by decreasing importance (e.g. mean |IG|
//! over explained rows, [`glassbox_explainer::GlobalImportance`]), or a seeded
//! random permutation (the control every attribution ranking must beat).

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Feature indices ordered by decreasing `importance`; ties (and NaN, which
/// sorts last) keep feature order, so the ranking is reproducible.
///
/// ```
/// use glassbox_evaluation::rank_by_importance;
/// assert_eq!(rank_by_importance(&[0.1, 0.5, 0.1, f64::NAN, 0.7]), [4, 1, 0, 2, 3]);
/// ```
pub fn rank_by_importance(importance: &[f64]) -> Vec<usize> {
    let key = |v: f64| if v.is_nan() { f64::NEG_INFINITY } else { v };
    let mut order: Vec<usize> = (0..importance.len()).collect();
    order.sort_by(|&a, &b| key(importance[b]).total_cmp(&key(importance[a])).then(a.cmp(&b)));
    order
}

/// A uniformly random ranking of `n` features from `seed` (ChaCha8, the
/// same on every platform and thread count).
///
/// ```
/// use glassbox_evaluation::random_ranking;
/// let r = random_ranking(10, 42);
/// assert_eq!(r, random_ranking(10, 42));
/// let mut sorted = r.clone();
/// sorted.sort();
/// assert_eq!(sorted, (0..10).collect::<Vec<_>>());
/// ```
pub fn random_ranking(n: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_rankings_differ_between_seeds_and_are_roughly_uniform() {
        assert_ne!(random_ranking(20, 1), random_ranking(20, 2));
        // Feature 0 should come first in about 1/5 of 5-feature rankings.
        let first = (0..2000).filter(|&s| random_ranking(5, s)[0] == 0).count();
        assert!((300..500).contains(&first), "{first}");
    }
}
