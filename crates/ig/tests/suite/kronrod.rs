//! The G7/K15 constants: G7's nodes are our Gauss–Legendre n = 7 nodes,
//! K15 is exact to degree 22 and G7 to degree 13 on [0, 1], the weights sum
//! to 1, and K15 is not exact at degree 24 (so the test can tell).

use glassbox_ig::kronrod::{GaussKronrod, MIDPOINT, NODES};
use glassbox_ig::Method;

fn integral(nodes: &[f64], weights: &[f64], degree: i32) -> f64 {
    nodes.iter().zip(weights).map(|(t, w)| w * t.powi(degree)).sum()
}

#[test]
fn g7_nodes_and_weights_are_gauss_legendre_7() {
    let r = GaussKronrod::new();
    let (alphas, weights) = Method::GaussLegendre.nodes(7).unwrap();
    let gauss: Vec<(f64, f64)> = (0..NODES).filter(|&j| r.gauss[j] != 0.0).map(|j| (r.nodes[j], r.gauss[j])).collect();
    assert_eq!(gauss.len(), 7);
    for ((t, w), (a, v)) in gauss.iter().zip(alphas.iter().zip(&weights)) {
        assert!((t - a).abs() < 1e-15 && (w - v).abs() < 1e-15, "{t} {w} vs {a} {v}");
    }
    assert_eq!(r.nodes[MIDPOINT], 0.5);
    assert!(r.nodes.windows(2).all(|w| w[0] < w[1]) && r.nodes[0] > 0.0 && r.nodes[NODES - 1] < 1.0);
}

#[test]
fn k15_is_exact_to_degree_22_and_g7_to_13() {
    let r = GaussKronrod::new();
    for d in 0..=22 {
        let exact = 1.0 / (d as f64 + 1.0);
        assert!((integral(&r.nodes, &r.kronrod, d) - exact).abs() < 1e-14, "K15 degree {d}");
        if d <= 13 {
            assert!((integral(&r.nodes, &r.gauss, d) - exact).abs() < 1e-14, "G7 degree {d}");
        }
    }
    // And no further (on [−1, 1], where the next even monomial shows it).
    let xi: Vec<f64> = r.nodes.iter().map(|t| 2.0 * t - 1.0).collect();
    let on_pm1 = |w: &[f64], d: i32| 2.0 * integral(&xi, w, d) - 2.0 / (d as f64 + 1.0);
    assert!(on_pm1(&r.gauss, 14).abs() > 1e-6, "G7 is not exact at 14: {}", on_pm1(&r.gauss, 14));
    assert!(on_pm1(&r.kronrod, 24).abs() > 1e-10, "K15 is not exact at 24: {}", on_pm1(&r.kronrod, 24));
}

#[test]
fn weights_sum_to_one_and_the_difference_to_zero() {
    let r = GaussKronrod::new();
    assert!((r.kronrod.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    assert!((r.gauss.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    assert!(r.difference().iter().sum::<f64>().abs() < 1e-15);
    assert!(r.kronrod.iter().all(|&w| w > 0.0));
}
