//! Quadrature nodes and weights: sums, exactness, known values, errors,
//! and the trapezoid rule's O(1/n²) convergence on an IG delta.

use crate::common;

use glassbox_ig::{explain, Baseline, IgConfig, Method, Output, Precision};
use ndarray::array;

#[test]
fn weights_sum_to_one_and_trapezoid_exactly() {
    for n in 2..300 {
        for m in Method::ALL {
            let (a, w) = m.nodes(n).unwrap();
            assert_eq!((a.len(), w.len()), (n, n));
            assert!(a.iter().all(|&x| (0.0..=1.0).contains(&x)) && a.windows(2).all(|p| p[0] < p[1]), "{m} {n}");
            let s: f64 = w.iter().sum();
            if m == Method::RiemannTrapezoid {
                assert_eq!(s, 1.0, "trapezoid n={n}");
            } else {
                assert!((s - 1.0).abs() < 1e-13, "{m} n={n}: {s}");
            }
        }
    }
}

#[test]
fn gauss_legendre_is_exact_to_degree_2n_minus_1() {
    for n in [1usize, 2, 3, 5, 8, 20, 50, 128] {
        let (a, w) = Method::GaussLegendre.nodes(n).unwrap();
        for p in 0..(2 * n).min(60) {
            let q: f64 = a.iter().zip(&w).map(|(x, w)| w * x.powi(p as i32)).sum();
            assert!((q - 1.0 / (p as f64 + 1.0)).abs() < 1e-13, "n={n} degree {p}: {q}");
        }
    }
    // n = 3: ξ = 0, ±√(3/5); v = 8/9, 5/9.
    let (a, w) = Method::GaussLegendre.nodes(3).unwrap();
    let r = (0.6f64).sqrt() / 2.0;
    for (x, e) in a.iter().zip([0.5 - r, 0.5, 0.5 + r]) {
        assert!((x - e).abs() < 1e-15);
    }
    for (x, e) in w.iter().zip([5.0 / 18.0, 8.0 / 18.0, 5.0 / 18.0]) {
        assert!((x - e).abs() < 1e-15);
    }
    let (_, w) = Method::GaussLegendre.nodes(1000).unwrap();
    assert!(w.iter().all(|&v| v > 0.0) && (w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}

#[test]
fn riemann_nodes_and_errors() {
    assert_eq!(Method::RiemannLeft.nodes(4).unwrap().0, vec![0.0, 0.25, 0.5, 0.75]);
    assert_eq!(Method::RiemannRight.nodes(4).unwrap().0, vec![0.25, 0.5, 0.75, 1.0]);
    assert_eq!(Method::RiemannMiddle.nodes(4).unwrap().0, vec![0.125, 0.375, 0.625, 0.875]);
    assert!(Method::RiemannTrapezoid.nodes(1).unwrap_err().to_string().contains("at least 2 steps"));
    assert!(Method::GaussLegendre.nodes(0).is_err());
    assert_eq!("gausslegendre".parse::<Method>().unwrap(), Method::GaussLegendre);
    assert!("simpson".parse::<Method>().unwrap_err().to_string().contains("riemann_left"));
}

#[test]
fn trapezoid_delta_shrinks_as_one_over_n_squared() {
    let m = common::model(&[3], 2, common::symmetric::<f32>, common::symmetric::<f64>);
    let x = array![[1.4, -0.6, 0.9]].into_dyn();
    let delta = |n| {
        let c = IgConfig {
            method: Method::RiemannTrapezoid,
            steps: n,
            target: 1,
            output: Output::Probability,
            precision: Precision::F64,
            ..IgConfig::default()
        };
        explain(&m, &x, &Baseline::Zero, &c).unwrap().delta[0].abs()
    };
    // The step is h = 1/(n−1): going from n to 2n−1 halves it exactly.
    for n in [9, 17, 33] {
        let ratio = delta(n) / delta(2 * n - 1);
        assert!((ratio - 4.0).abs() < 0.3, "n={n}: ratio {ratio}");
    }
}
