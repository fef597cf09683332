//! Deletion curves: how fast does the explained output fall when each row's
//! most important features (by its own attributions) are replaced by the
//! baseline's values? No retraining: this asks whether the attributions
//! point at what *this* model uses.
//!
//! For a row x with feature order π (most promoting first) and baselines
//! b₁…b_K (one for zero/mean, K for the averaged baselines):
//!
//! drop_k(x) = F(x) − (1/K)·Σ_j F(x ← b_j on π₁…π_k),
//!
//! and the curve is the mean of drop_k over the rows, k = 0…k_max
//! (drop₀ = 0). A ranking that finds the features the output rests on
//! drops faster: a larger area under the curve ([`curve_area`]).

use ndarray::{Array2, ArrayView2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::ranking::rank_by_importance;

/// Per-row feature orders by decreasing signed attribution (the features
/// that push the output up first, so deleting them should lower it).
///
/// ```
/// use glassbox_evaluation::row_orders;
/// let a = ndarray::array![[0.1, -0.5, 0.3], [-1.0, 0.0, 2.0]];
/// assert_eq!(row_orders(a.view()), [vec![2, 0, 1], vec![2, 1, 0]]);
/// ```
pub fn row_orders(attributions: ArrayView2<'_, f64>) -> Vec<Vec<usize>> {
    attributions.rows().into_iter().map(|r| rank_by_importance(&r.to_vec())).collect()
}

/// One uniformly random feature order per row, from `seed` (the control).
///
/// ```
/// use glassbox_evaluation::random_orders;
/// let o = random_orders(3, 5, 7);
/// assert_eq!(o, random_orders(3, 5, 7));
/// assert_eq!(o.len(), 3);
/// ```
pub fn random_orders(rows: usize, features: usize, seed: u64) -> Vec<Vec<usize>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..rows)
        .map(|_| {
            let mut o: Vec<usize> = (0..features).collect();
            o.shuffle(&mut rng);
            o
        })
        .collect()
}

/// The deletion curve `[drop₀ = 0, drop₁, …, drop_{k_max}]` of the `[N, F]`
/// rows `x` with per-row `orders`, replacing features by the values of each
/// of the `[K, F]` `baselines`. `score` maps a `[M, F]` batch to the
/// explained output of each row (e.g. the target probability); it is called
/// once on `x` and once per k on all N·K modified rows.
///
/// # Panics
/// If `orders` does not hold one order per row, or the widths differ.
///
/// ```
/// use glassbox_evaluation::deletion_curve;
/// // F(x) = 2·x₀ + x₁: deleting x₀ first (to 0) drops 2, then x₁ drops 1 more.
/// let x = ndarray::array![[1.0, 1.0]];
/// let zero = ndarray::array![[0.0, 0.0]];
/// let f = |b: &ndarray::Array2<f64>| Ok::<_, ()>(b.rows().into_iter().map(|r| 2.0 * r[0] + r[1]).collect());
/// let curve = deletion_curve(x.view(), &[vec![0, 1]], zero.view(), 2, f)?;
/// assert_eq!(curve, [0.0, 2.0, 3.0]);
/// # Ok::<(), ()>(())
/// ```
pub fn deletion_curve<E>(
    x: ArrayView2<'_, f64>,
    orders: &[Vec<usize>],
    baselines: ArrayView2<'_, f64>,
    k_max: usize,
    mut score: impl FnMut(&Array2<f64>) -> Result<Vec<f64>, E>,
) -> Result<Vec<f64>, E> {
    let (n, f) = x.dim();
    let k_count = baselines.nrows();
    assert_eq!(orders.len(), n, "deletion_curve: {} orders for {n} rows", orders.len());
    assert_eq!(baselines.ncols(), f, "deletion_curve: baselines have {} features, rows {f}", baselines.ncols());
    let k_max = k_max.min(f);
    let original = score(&x.to_owned())?;
    let mut curve = vec![0.0];
    for k in 1..=k_max {
        let mut batch = Array2::zeros((n * k_count, f));
        for (r, order) in orders.iter().enumerate() {
            for j in 0..k_count {
                let mut row = batch.row_mut(r * k_count + j);
                row.assign(&x.row(r));
                for &feature in &order[..k] {
                    row[feature] = baselines[[j, feature]];
                }
            }
        }
        let deleted = score(&batch)?;
        let total: f64 = (0..n)
            .map(|r| {
                let mean = deleted[r * k_count..(r + 1) * k_count].iter().sum::<f64>() / k_count as f64;
                original[r] - mean
            })
            .sum();
        curve.push(total / n.max(1) as f64);
    }
    Ok(curve)
}

/// Normalised area under a curve over k = 0…K: the trapezoid rule with unit
/// steps divided by K (the curve's mean height), 0 for fewer than 2 points.
///
/// ```
/// use glassbox_evaluation::curve_area;
/// assert_eq!(curve_area(&[0.0, 2.0, 3.0]), 1.75);
/// ```
pub fn curve_area(curve: &[f64]) -> f64 {
    if curve.len() < 2 {
        return 0.0;
    }
    let sum: f64 = curve.windows(2).map(|w| 0.5 * (w[0] + w[1])).sum();
    sum / (curve.len() - 1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averaged_baselines_average_the_deleted_outputs() {
        // F(x) = x₀·x₁; baselines (0, 0) and (2, 2); x = (1, 3), order [1, 0].
        let x = ndarray::array![[1.0, 3.0]];
        let b = ndarray::array![[0.0, 0.0], [2.0, 2.0]];
        let f = |m: &Array2<f64>| Ok::<_, ()>(m.rows().into_iter().map(|r| r[0] * r[1]).collect());
        let curve = deletion_curve(x.view(), &[vec![1, 0]], b.view(), 5, f).unwrap();
        // k=1: x₁ ← 0 or 2: F = 0, 2 → mean 1, drop 2; k=2: F = 0, 4 → mean 2, drop 1.
        assert_eq!(curve, [0.0, 2.0, 1.0]);
    }
}
