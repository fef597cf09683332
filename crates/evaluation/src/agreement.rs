//! Agreement of two rankings' top k, as OpenXAI defines it (Agarwal et al.,
//! "OpenXAI: Towards a Transparent Evaluation of Model Explanations").

/// Feature agreement FA_k = |top_k(a) ∩ top_k(b)| / k: the share of the top
/// k features the two rankings have in common, whatever their order.
///
/// `a` and `b` are rankings (feature indices, most important first); k is
/// clamped to the shorter one. k = 0 gives 1 (nothing to disagree on).
///
/// ```
/// use glassbox_evaluation::feature_agreement;
/// assert_eq!(feature_agreement(&[3, 1, 2, 0], &[1, 3, 0, 2], 2), 1.0);
/// assert_eq!(feature_agreement(&[3, 1, 2, 0], &[1, 0, 3, 2], 2), 0.5);
/// ```
pub fn feature_agreement(a: &[usize], b: &[usize], k: usize) -> f64 {
    let k = k.min(a.len()).min(b.len());
    if k == 0 {
        return 1.0;
    }
    let common = a[..k].iter().filter(|f| b[..k].contains(f)).count();
    common as f64 / k as f64
}

/// Rank agreement RA_k = |{i < k : a_i = b_i}| / k: the share of the top k
/// positions that hold the same feature in both rankings.
///
/// ```
/// use glassbox_evaluation::rank_agreement;
/// assert_eq!(rank_agreement(&[3, 1, 2, 0], &[1, 3, 2, 0], 2), 0.0);
/// assert_eq!(rank_agreement(&[3, 1, 2, 0], &[1, 3, 2, 0], 4), 0.5);
/// ```
pub fn rank_agreement(a: &[usize], b: &[usize], k: usize) -> f64 {
    let k = k.min(a.len()).min(b.len());
    if k == 0 {
        return 1.0;
    }
    let same = a[..k].iter().zip(&b[..k]).filter(|(x, y)| x == y).count();
    same as f64 / k as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_agreement_never_exceeds_feature_agreement() {
        let rankings = [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [1, 0, 2, 4, 3], [0, 2, 1, 3, 4]];
        for a in &rankings {
            for b in &rankings {
                for k in 0..=5 {
                    assert!(rank_agreement(a, b, k) <= feature_agreement(a, b, k));
                }
                assert_eq!(feature_agreement(a, b, 5), 1.0);
            }
            assert_eq!(rank_agreement(a, a, 5), 1.0);
        }
    }
}
