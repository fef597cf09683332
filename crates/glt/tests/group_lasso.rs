//! The proximal step is the exact block soft-threshold, and a group it
//! zeroes is exactly 0.0 in every tokenizer entry.

use glassbox_glt::group_lasso::GroupLasso;
use ndarray::array;

#[test]
fn prox_is_the_block_soft_threshold_on_hand_values() {
    // Groups: {0, 2} (p = 2), {1} (p = 1), {3} (already zero).
    let lasso = GroupLasso::new(0.5, vec![vec![0, 2], vec![1], vec![3]]);
    let mut w = array![[1.0f32, 2.0], [0.3, -0.4], [2.0, -4.0], [0.0, 0.0]].into_dyn();
    // ‖W_{0,2}‖ = √(1 + 4 + 4 + 16) = 5; threshold η·λ·√2 with η = 2 → √2.
    // ‖W_1‖ = 0.5 ≤ threshold 2·0.5·1 = 1 → zero.
    let zero = lasso.prox(&mut w, 2.0);
    assert_eq!(zero, 2);
    let s = 1.0 - 2f64.sqrt() / 5.0;
    let expect = [[1.0 * s, 2.0 * s], [0.0, 0.0], [2.0 * s, -4.0 * s], [0.0, 0.0]];
    for (r, row) in expect.iter().enumerate() {
        for (c, &v) in row.iter().enumerate() {
            assert!((f64::from(w[[r, c]]) - v).abs() < 1e-6, "w[{r},{c}] = {} vs {v}", w[[r, c]]);
        }
    }
    for v in [w[[1, 0]], w[[1, 1]], w[[3, 0]], w[[3, 1]]] {
        assert_eq!(v.to_bits(), 0.0f32.to_bits(), "exact +0.0");
    }
    // Penalty after the step: λ·(√2·5s) for the surviving group only.
    assert!((lasso.penalty(&w) - 0.5 * 2f64.sqrt() * 5.0 * s).abs() < 1e-5);
}

#[test]
fn a_norm_exactly_at_the_threshold_is_zeroed_and_lambda_zero_is_identity() {
    let lasso = GroupLasso::new(1.0, vec![vec![0]]);
    let mut w = array![[3.0f32, 4.0]].into_dyn(); // norm 5 = threshold 5·1·1
    assert_eq!(lasso.prox(&mut w, 5.0), 1);
    assert_eq!(w, array![[0.0f32, 0.0]].into_dyn());
    let none = GroupLasso::new(0.0, vec![vec![0]]);
    let mut w = array![[3.0f32, 4.0]].into_dyn();
    assert_eq!(none.prox(&mut w, 1.0), 0);
    assert_eq!(w, array![[3.0f32, 4.0]].into_dyn());
}

#[test]
fn on_a_support_held_groups_are_zeroed_and_kept_groups_untouched() {
    let lasso = GroupLasso::on_support(vec![vec![0], vec![1, 2]], &[true, false]);
    let mut w = ndarray::array![[0.3f32, -1.7], [2.0, 0.1], [0.0, 5.0]].into_dyn();
    let before = w.clone();
    assert!(lasso.constrains() && !lasso.shrinks());
    assert_eq!(lasso.prox(&mut w, 1e-3), 1);
    assert_eq!(w.index_axis(ndarray::Axis(0), 0), before.index_axis(ndarray::Axis(0), 0), "λ = 0 must not shrink");
    assert!(w.iter().skip(2).all(|v| v.to_bits() == 0), "the held group must be exact zeros: {w:?}");
}
