//! The adaptive engine: narrow logistic transitions integrated to 1e-6
//! (where fixed Gauss–Legendre 50 fails), completeness on every row of a
//! saturated net, agreement with the fixed rule on smooth paths, bitwise
//! determinism, the evaluation cap, non-finite errors, and evaluation counts
//! against tolerance (doubling) mode. Figures are printed
//! (`cargo test --release -p glassbox-ig --test adaptive -- --nocapture`).

use crate::common;

use crate::common::{saturated_rows, Logistic, Net};
use glassbox_autodiff::{Tensor, Var};
use glassbox_ig::{
    explain, AdaptiveSpec, Baseline, Convergence, Explanation, IgConfig, IgError, Output, Precision, Tolerance,
};
use ndarray::{Array2, Axis};

fn adaptive_cfg(spec: AdaptiveSpec, target: usize, output: Output, precision: Precision) -> IgConfig {
    IgConfig { target, output, precision, adaptive: Some(spec), ..IgConfig::default() }
}

fn logistic(width: f64) -> (Logistic, Tensor<f64>) {
    let w = vec![0.5, 0.25, -1.0, 0.1];
    let base = [1.0, 2.0, -0.5, 3.0]; // w·base = 1.8
    let c = 0.6237 * 1.8;
    // Rows λ·base put the transition at α = 0.6237/λ, width s/(1.8λ).
    let lambdas = [1.0, 1.3, 2.1, 1.05];
    let x = Array2::from_shape_fn((4, 4), |(r, i)| base[i] * lambdas[r]).into_dyn();
    (Logistic { w, c, s: width * 1.8 }, x)
}

/// Max over rows of |δ| against the exact `F(x) − F(0)` and max over
/// entries of |IG − closed form|.
fn logistic_errors(m: &Logistic, x: &Tensor<f64>, e: &Explanation) -> (f64, f64) {
    let b = vec![0.0; 4];
    let (mut gap, mut ig) = (0.0f64, 0.0f64);
    for r in 0..x.shape()[0] {
        let xr: Vec<f64> = x.index_axis(Axis(0), r).iter().copied().collect();
        let exact = m.exact_ig(&xr, &b);
        let sum: f64 = e.attributions.index_axis(Axis(0), r).sum();
        gap = gap.max((sum - (m.value(&xr) - m.value(&b))).abs());
        for (i, v) in exact.iter().enumerate() {
            ig = ig.max((e.attributions[[r, i]] - v).abs());
        }
    }
    (gap, ig)
}

#[test]
fn narrow_logistic_transitions_integrate_to_1e_6_where_fixed_gauss_legendre_fails() {
    for width in [1e-3, 1e-5] {
        let (m, x) = logistic(width);
        let fixed = IgConfig { target: 0, output: Output::Logit, precision: Precision::F64, ..IgConfig::default() };
        let e = explain(&m, &x, &Baseline::Zero, &fixed).unwrap();
        let (fixed_gap, fixed_ig) = logistic_errors(&m, &x, &e);
        let spec = AdaptiveSpec { convergence: Convergence { rel: 1e-7, abs: 1e-9 }, ..AdaptiveSpec::default() };
        let a = explain(&m, &x, &Baseline::Zero, &adaptive_cfg(spec, 0, Output::Logit, Precision::F64)).unwrap();
        let (gap, ig) = logistic_errors(&m, &x, &a);
        eprintln!(
            "width {width:e}: GL-50 gap {fixed_gap:.3e} IG {fixed_ig:.3e}; adaptive gap {gap:.3e} IG {ig:.3e}, evaluations {:?}, converged {:?}",
            a.evaluations, a.converged
        );
        assert!(fixed_gap > 1e-3, "GL-50 should miss a transition of width {width}: gap {fixed_gap}");
        assert!(gap < 1e-6 && ig < 1e-6, "width {width}: gap {gap}, IG error {ig}");
        assert!(a.converged.iter().all(|&c| c));
        // Default settings still meet the default criterion.
        let d =
            explain(&m, &x, &Baseline::Zero, &adaptive_cfg(AdaptiveSpec::default(), 0, Output::Logit, Precision::F64))
                .unwrap();
        let (gap, ig) = logistic_errors(&m, &x, &d);
        eprintln!("  default: gap {gap:.3e} IG {ig:.3e}, evaluations {:?}", d.evaluations);
        assert!(d.converged.iter().all(|&c| c) && gap < 1e-3);
    }
}

fn summary(e: &Explanation) -> (f64, usize, f64) {
    let n = e.evaluations.len();
    let mean = e.evaluations.iter().sum::<usize>() as f64 / n as f64;
    let worst = e
        .delta
        .iter()
        .zip(&e.output)
        .map(|(d, f)| d.abs() / (1e-3 * (f - e.baseline_output).abs()).max(1e-6))
        .fold(0.0, f64::max);
    (mean, *e.evaluations.iter().max().unwrap(), worst)
}

/// The saturated net of the tests and the bench: gain 2000 puts `|logit| > 10`
/// on most rows and transitions far narrower than GL-50's node spacing on
/// the paths from the zero baseline.
fn saturated() -> (Net, Tensor<f64>) {
    (Net { gain: 2000.0, sharpness: 2.0 }, saturated_rows(64))
}

fn default_adaptive(precision: Precision) -> IgConfig {
    IgConfig { precision, adaptive: Some(AdaptiveSpec::default()), ..IgConfig::default() }
}

#[test]
fn completeness_on_every_row_of_a_saturated_net_with_default_settings() {
    let (m, x) = saturated();
    let crit = Convergence::default();
    let fixed = explain(&m, &x, &Baseline::Zero, &IgConfig::default()).unwrap();
    let logits: Vec<f64> = glassbox_ig::integrate::outputs::<f64, _>(&m, &x, 1, Output::Logit, 64);
    let saturated = logits.iter().filter(|z| z.abs() > 10.0).count();
    let missed =
        fixed.delta.iter().zip(&fixed.output).filter(|(d, f)| !crit.met(**d, **f - fixed.baseline_output)).count();
    let worst = fixed.relative_delta.iter().cloned().fold(0.0, f64::max);
    eprintln!(
        "{saturated}/64 rows with |logit| > 10; GL-50 misses the criterion on {missed}, worst relative δ {worst:.3}"
    );
    assert!(saturated > 40 && missed > 16 && worst > 10.0, "the net is saturated and defeats GL-50");
    let e = explain(&m, &x, &Baseline::Zero, &default_adaptive(Precision::F64)).unwrap();
    let (mean, max, worst) = summary(&e);
    eprintln!("f64 adaptive: evaluations mean {mean:.1} max {max}; worst |δ|/τ {worst:.3}");
    for r in 0..64 {
        let diff = e.output[r] - e.baseline_output;
        assert!(e.converged[r] && crit.met(e.delta[r], diff), "row {r}: δ {} ΔF {diff}", e.delta[r]);
        assert!(e.error_estimate[r] <= crit.tolerance(diff));
    }
    // f32 gradients of this net carry ~1e-4 relative rounding; rows whose
    // path swings far above |ΔF| cannot reach 1e-6 and say so.
    let e = explain(&m, &x, &Baseline::Zero, &default_adaptive(Precision::F32)).unwrap();
    let (mean, max, worst) = summary(&e);
    let converged = e.converged.iter().filter(|&&c| c).count();
    eprintln!("f32 adaptive: {converged}/64 converged, evaluations mean {mean:.1} max {max}; worst |δ|/τ {worst:.3}");
    for r in 0..64 {
        let diff = e.output[r] - e.baseline_output;
        assert!(!e.converged[r] || crit.met(e.delta[r], diff), "row {r} converged means the criterion holds");
        assert!(e.evaluations[r] <= 2000);
    }
    assert!(converged >= 48, "most rows converge in f32 too");
}

#[test]
fn adaptive_and_fixed_rules_agree_on_smooth_paths_with_few_evaluations() {
    let m = Net { gain: 0.5, sharpness: 1.0 };
    let x = saturated_rows(64);
    let fixed = IgConfig { precision: Precision::F64, ..IgConfig::default() };
    let f = explain(&m, &x, &Baseline::Zero, &fixed).unwrap();
    let a = explain(&m, &x, &Baseline::Zero, &default_adaptive(Precision::F64)).unwrap();
    let scale = f.attributions.iter().fold(0.0f64, |s, v| s.max(v.abs()));
    let diff = f.attributions.iter().zip(&a.attributions).fold(0.0f64, |s, (p, q)| s.max((p - q).abs()));
    let (mean, max, _) = summary(&a);
    eprintln!("smooth: max |adaptive − GL-50| = {diff:.3e} (scale {scale:.3e}); evaluations mean {mean:.1} max {max}");
    assert!(diff <= 1e-6 * scale, "{diff} vs {scale}");
    assert!(mean <= 50.0, "mean evaluations {mean}");
    assert!(a.converged.iter().all(|&c| c));
    // The fixed rule counts K·n evaluations and no scan.
    assert!(f.evaluations.iter().all(|&e| e == 50) && f.forward_evaluations.iter().all(|&e| e == 0));
    assert!(a.forward_evaluations.iter().all(|&e| e == 33));
}

fn bits(threads: usize, budget: usize) -> Vec<u64> {
    let (m, x) = saturated();
    let x = x.slice_axis(Axis(0), ndarray::Slice::from(0..24)).to_owned();
    let reference = saturated_rows(80).slice_axis(Axis(0), ndarray::Slice::from(64..80)).mapv(|v| v * 0.3);
    let c = IgConfig { memory_budget: budget, ..default_adaptive(Precision::F32) };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let e = pool.install(|| explain(&m, &x, &Baseline::Background { reference, count: 3, seed: 4 }, &c).unwrap());
    assert_eq!(e.gradients_computed, e.chunks, "one leaf gradient (the input) per chunk");
    e.attributions
        .iter()
        .chain(&e.delta)
        .chain(&e.error_estimate)
        .map(|v| v.to_bits())
        .chain(e.evaluations.iter().map(|&v| v as u64))
        .collect()
}

#[test]
fn adaptive_results_are_bitwise_identical_for_any_thread_count_and_budget() {
    let reference = bits(1, 1 << 30);
    assert_eq!(reference, bits(2, 1 << 30));
    assert_eq!(reference, bits(2, 1), "one panel per chunk gives the same bits");
    assert_eq!(reference, bits(1, 1));
}

#[test]
fn the_cap_stops_rows_honestly() {
    let (m, x) = logistic(1e-5);
    let spec = AdaptiveSpec { max_evaluations: 100, ..AdaptiveSpec::default() };
    let e = explain(&m, &x, &Baseline::Zero, &adaptive_cfg(spec, 0, Output::Logit, Precision::F64)).unwrap();
    eprintln!("cap 100, width 1e-5: evaluations {:?}, converged {:?}, δ {:?}", e.evaluations, e.converged, e.delta);
    assert!(e.converged.iter().all(|&c| !c), "a 1e-5 transition needs more than 100 evaluations");
    assert!(e.evaluations.iter().all(|&n| n <= 100 && n + 30 > 100), "{:?}", e.evaluations);
    // An unreachable criterion ends at the cap too (no endless loop).
    let spec = AdaptiveSpec { convergence: Convergence { rel: 0.0, abs: 1e-300 }, max_evaluations: 400, scan: 8 };
    let (m, x) = logistic(1e-2);
    let e = explain(&m, &x, &Baseline::Zero, &adaptive_cfg(spec, 0, Output::Logit, Precision::F32)).unwrap();
    assert!(e.converged.iter().all(|&c| !c) && e.evaluations.iter().all(|&n| n <= 400), "{:?}", e.evaluations);
}

/// `F = √|x₀ − ½|`: finite everywhere, its gradient infinite at `x₀ = ½`
/// (the midpoint of the path from 0 to `x₀ = 1`, a K15 node).
fn kink<T: glassbox_autodiff::Real>(x: &Var<T>) -> Var<T> {
    x.select(1, 0).add_scalar(T::c(-0.5)).abs().sqrt().unsqueeze(1)
}

/// `F = x₀/x₁`: NaN at the zero baseline.
fn ratio<T: glassbox_autodiff::Real>(x: &Var<T>) -> Var<T> {
    x.select(1, 0).div(&x.select(1, 1)).unsqueeze(1)
}

#[test]
fn non_finite_outputs_or_gradients_are_errors() {
    let x = ndarray::array![[1.0, 1.0]].into_dyn();
    let c = adaptive_cfg(AdaptiveSpec::default(), 0, Output::Logit, Precision::F64);
    let m = common::model(&[2], 1, kink::<f32>, kink::<f64>);
    let err = explain(&m, &x, &Baseline::Zero, &c).unwrap_err();
    assert!(matches!(err, IgError::NonFinite { .. }), "{err}");
    let m = common::model(&[2], 1, ratio::<f32>, ratio::<f64>);
    let err = explain(&m, &x, &Baseline::Zero, &c).unwrap_err();
    assert!(matches!(err, IgError::NonFinite { .. }), "{err}");
}

#[test]
fn bad_settings_are_config_errors() {
    let (m, x) = logistic(1e-3);
    let mut c = adaptive_cfg(AdaptiveSpec::default(), 0, Output::Logit, Precision::F64);
    c.tolerance = Some(Tolerance { rel: 1e-3, max_steps: 800 });
    assert!(matches!(explain(&m, &x, &Baseline::Zero, &c), Err(IgError::Config(_))));
    for spec in [
        AdaptiveSpec { max_evaluations: 14, ..AdaptiveSpec::default() },
        AdaptiveSpec { scan: 0, ..AdaptiveSpec::default() },
        AdaptiveSpec { convergence: Convergence { rel: f64::NAN, abs: 1e-6 }, ..AdaptiveSpec::default() },
        AdaptiveSpec { convergence: Convergence { rel: 0.0, abs: 0.0 }, ..AdaptiveSpec::default() },
    ] {
        let c = adaptive_cfg(spec, 0, Output::Logit, Precision::F64);
        assert!(matches!(explain(&m, &x, &Baseline::Zero, &c), Err(IgError::Config(_))), "{spec:?}");
    }
}

#[test]
fn adaptive_needs_at_least_3x_fewer_evaluations_than_doubling_on_the_saturated_net() {
    let (m, x) = saturated();
    let crit = Convergence::default();
    let a = explain(&m, &x, &Baseline::Zero, &default_adaptive(Precision::F64)).unwrap();
    let doubling = IgConfig {
        precision: Precision::F64,
        tolerance: Some(Tolerance { rel: 1e-3, max_steps: 50 << 10 }),
        ..IgConfig::default()
    };
    let d = explain(&m, &x, &Baseline::Zero, &doubling).unwrap();
    let (am, amax, _) = summary(&a);
    let (dm, dmax, _) = summary(&d);
    let d_met = d.delta.iter().zip(&d.output).filter(|(dl, f)| crit.met(**dl, **f - d.baseline_output)).count();
    eprintln!(
        "saturated f64: adaptive mean {am:.1} max {amax} (64/64 met); doubling mean {dm:.1} max {dmax} ({d_met}/64 met); ratio {:.2}",
        dm / am
    );
    assert!(a.converged.iter().all(|&c| c));
    assert!(dm >= 3.0 * am, "doubling {dm} vs adaptive {am}");
}
