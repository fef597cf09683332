//! Asimov significance against hand values and its small-signal expansion.

use glassbox_glt::metrics::asimov_significance;

#[test]
fn hand_values() {
    // s=10, b=100: 110·ln 1.1 − 10 = 0.4841198 → √(0.9682396) = 0.9839916.
    assert!((asimov_significance(10.0, 100.0) - 0.983_991_6).abs() < 1e-7);
    // s=1, b=1: √(2·(2 ln 2 − 1)) = 0.8789703.
    assert!((asimov_significance(1.0, 1.0) - 0.878_970_3).abs() < 1e-7);
    // s=100, b=1: √(2·(101 ln 101 − 100)) = 27.060199.
    assert!((asimov_significance(100.0, 1.0) - 27.060_199).abs() < 1e-6);
}

#[test]
fn small_signal_limit_is_s_over_sqrt_b() {
    // Z = s/√b · (1 − x/6 + O(x²)) with x = s/b (expand (1+x)ln(1+x) − x = x²/2 − x³/6 + …).
    let (s, b) = (1e-3, 100.0);
    let x = s / b;
    let ratio = asimov_significance(s, b) / (s / b.sqrt());
    assert!((ratio - 1.0).abs() < 1e-5);
    assert!((ratio - (1.0 - x / 6.0)).abs() < 1e-9, "{ratio}");
}

#[test]
fn tiny_signal_keeps_full_precision() {
    // x = 1e-12: the closed form would cancel to ~1e-4 relative error here.
    let (s, b) = (1e-10, 100.0);
    let z = asimov_significance(s, b);
    assert!((z / 1e-11 - 1.0).abs() < 1e-9, "{z}");
}

#[test]
fn zero_and_infinite_edges() {
    assert_eq!(asimov_significance(5.0, 0.0), f64::INFINITY);
    assert_eq!(asimov_significance(0.0, 0.0), 0.0);
    assert_eq!(asimov_significance(0.0, 7.0), 0.0);
    assert_eq!(asimov_significance(f64::INFINITY, 1.0), f64::INFINITY);
    assert_eq!(asimov_significance(1e300, 1e-300), f64::INFINITY);
    assert_eq!(asimov_significance(3.0, f64::INFINITY), 0.0);
}

#[test]
fn outside_the_domain_is_nan() {
    assert!(asimov_significance(f64::NAN, 1.0).is_nan());
    assert!(asimov_significance(1.0, f64::NAN).is_nan());
    assert!(asimov_significance(-1.0, 1.0).is_nan());
    assert!(asimov_significance(1.0, -1.0).is_nan());
}

#[test]
fn increases_with_signal_and_decreases_with_background() {
    let mut last = 0.0;
    for s in [1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3] {
        let z = asimov_significance(s, 50.0);
        assert!(z > last, "s={s}");
        last = z;
    }
    let mut last = f64::INFINITY;
    for b in [1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3] {
        let z = asimov_significance(5.0, b);
        assert!(z < last, "b={b}");
        last = z;
    }
}
