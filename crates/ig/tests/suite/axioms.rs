//! IG's axioms on functions with known answers: linear models match the
//! closed form for every method, `x₀·x₁` splits evenly, completeness,
//! symmetry, averaged baselines, determinism and input-only gradients.

use crate::common;

use crate::common::{model, B, W};
use glassbox_autodiff::Tensor;
use glassbox_ig::{explain, Baseline, IgConfig, Method, Output, Precision, Tolerance};
use ndarray::{array, Axis};

fn cfg(method: Method, steps: usize) -> IgConfig {
    IgConfig { method, steps, target: 0, output: Output::Logit, precision: Precision::F64, ..IgConfig::default() }
}

#[test]
fn linear_model_matches_the_closed_form_for_every_method_and_baseline() {
    let m = model(&[3], 1, common::linear::<f32>, common::linear::<f64>);
    let x = array![[1.0, 2.0, -1.5], [0.0, -3.0, 4.0]].into_dyn();
    let rows = array![[0.5, 0.5, 0.5], [-1.0, 2.0, 0.0]].into_dyn();
    for baseline in [Baseline::Zero, Baseline::Mean(vec![0.1, -0.2, 0.3]), Baseline::Rows(rows.clone())] {
        let b = baseline.resolve(&[3]).unwrap();
        let mean_b = b.mean_axis(Axis(0)).unwrap();
        for method in Method::ALL {
            let e = explain(&m, &x, &baseline, &cfg(method, 7)).unwrap();
            for r in 0..2 {
                for i in 0..3 {
                    let expect = (x[[r, i]] - mean_b[i]) * W[i];
                    assert!(
                        (e.attributions[[r, i]] - expect).abs() < 1e-12,
                        "{method} {:?} r{r} i{i}",
                        baseline.kind()
                    );
                }
                assert!(e.delta[r].abs() < 1e-12);
            }
            let fb: f64 = mean_b.iter().zip(W).map(|(b, w)| b * w).sum::<f64>() + B;
            assert!((e.baseline_output - fb).abs() < 1e-12);
        }
    }
}

#[test]
fn product_splits_evenly_from_zero() {
    let m = model(&[2], 1, common::product::<f32>, common::product::<f64>);
    let x = array![[3.0, -2.0]].into_dyn();
    // Exact for methods that integrate a linear integrand exactly.
    for method in [Method::GaussLegendre, Method::RiemannTrapezoid, Method::RiemannMiddle] {
        let e = explain(&m, &x, &Baseline::Zero, &cfg(method, 4)).unwrap();
        for i in 0..2 {
            assert!((e.attributions[[0, i]] + 3.0).abs() < 1e-12, "{method}: {:?}", e.attributions);
        }
    }
    // A left Riemann sum gets Σ α_k/n = (n−1)/(2n) of x₀x₁ per feature.
    let e = explain(&m, &x, &Baseline::Zero, &cfg(Method::RiemannLeft, 4)).unwrap();
    assert!((e.attributions[[0, 0]] - (-6.0 * 3.0 / 8.0)).abs() < 1e-12);
}

#[test]
fn completeness_and_symmetry_on_a_nonlinear_function() {
    let m = model(&[3], 2, common::symmetric::<f32>, common::symmetric::<f64>);
    let x = array![[0.7, 0.7, -0.4], [1.2, 1.2, 0.3]].into_dyn();
    let c = IgConfig { target: 1, output: Output::Probability, precision: Precision::F64, ..IgConfig::default() };
    let e = explain(&m, &x, &Baseline::Zero, &c).unwrap();
    for r in 0..2 {
        assert!(e.relative_delta[r] < 1e-8, "relative delta {}", e.relative_delta[r]);
        assert!((e.attributions[[r, 0]] - e.attributions[[r, 1]]).abs() < 1e-14, "{:?}", e.attributions);
        assert!(e.attributions[[r, 2]].abs() > 1e-6, "the third feature matters");
    }
}

#[test]
fn averaged_baselines_are_the_mean_of_single_baseline_runs() {
    let m = model(&[3], 2, common::symmetric::<f32>, common::symmetric::<f64>);
    let x = array![[0.3, -1.1, 0.8]].into_dyn();
    let reference: Tensor<f64> = Tensor::from_shape_fn(vec![9, 3], |i| ((i[0] * 3 + i[1]) as f64 * 0.37).sin());
    let c = IgConfig { target: 1, precision: Precision::F64, ..IgConfig::default() };
    let bg = Baseline::Background { reference: reference.clone(), count: 4, seed: 11 };
    let drawn = bg.resolve(&[3]).unwrap();
    let avg = explain(&m, &x, &bg, &c).unwrap();
    assert_eq!(avg.baselines, 4);
    let mut mean = Tensor::<f64>::zeros(x.raw_dim());
    let mut mean_fb = 0.0;
    for k in 0..4 {
        let single = drawn.slice_axis(Axis(0), ndarray::Slice::from(k..k + 1)).to_owned();
        let e = explain(&m, &x, &Baseline::Rows(single), &c).unwrap();
        mean = mean + &e.attributions / 4.0;
        mean_fb += e.baseline_output / 4.0;
    }
    for (a, b) in avg.attributions.iter().zip(&mean) {
        assert!((a - b).abs() < 1e-14, "{a} vs {b}");
    }
    assert!((avg.baseline_output - mean_fb).abs() < 1e-15);
    // Completeness against the mean baseline output.
    assert!((avg.attributions.sum() - (avg.output[0] - mean_fb)).abs() < 1e-8);
}

#[test]
fn weighted_baselines_follow_the_weights() {
    let reference: Tensor<f64> = Tensor::from_shape_fn(vec![4, 1], |i| i[0] as f64);
    let b = Baseline::Weighted { reference, weights: vec![0.0, 3.0, 1.0, 0.0], count: 4000, seed: 5 }
        .resolve(&[1])
        .unwrap();
    let count = |v: f64| b.iter().filter(|&&x| x == v).count();
    assert_eq!(count(0.0) + count(3.0), 0, "zero-weight rows are never drawn");
    let share = count(1.0) as f64 / 4000.0;
    assert!((share - 0.75).abs() < 0.03, "share {share}");
}

#[test]
fn baseline_errors_are_clear() {
    let reference: Tensor<f64> = Tensor::zeros(vec![3, 2]);
    let too_many = Baseline::Background { reference: reference.clone(), count: 5, seed: 0 }.resolve(&[2]).unwrap_err();
    assert!(too_many.to_string().contains("5 background baselines asked for, but 3 reference rows match"));
    let negative =
        Baseline::Weighted { reference: reference.clone(), weights: vec![1.0, -1.0, 1.0], count: 2, seed: 0 };
    assert!(negative.resolve(&[2]).unwrap_err().to_string().contains("reference row 1 has weight -1"));
    assert!(Baseline::Rows(reference).resolve(&[3]).is_err());
}

fn run(threads: usize, budget: usize) -> Vec<u64> {
    let m = model(&[2, 3], 3, common::sequence_net::<f32>, common::sequence_net::<f64>);
    let x: Tensor<f64> = Tensor::from_shape_fn(vec![40, 2, 3], |i| ((i[0] * 7 + i[1] * 3 + i[2]) as f64 * 0.13).cos());
    let reference: Tensor<f64> = Tensor::from_shape_fn(vec![10, 2, 3], |i| ((i[0] + i[1] + i[2]) as f64 * 0.29).sin());
    let c = IgConfig { target: 2, memory_budget: budget, ..IgConfig::default() };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let e = pool.install(|| explain(&m, &x, &Baseline::Background { reference, count: 3, seed: 1 }, &c).unwrap());
    assert_eq!(e.gradients_computed, e.chunks, "one leaf gradient (the input) per chunk");
    e.attributions.iter().chain(&e.delta).map(|v| v.to_bits()).collect()
}

#[test]
fn results_are_bitwise_identical_for_any_thread_count_and_budget() {
    let reference = run(1, 1 << 20);
    assert_eq!(reference, run(2, 1 << 20));
    assert_eq!(reference, run(2, 1), "one pair per chunk gives the same bits");
}

#[test]
fn tolerance_mode_doubles_steps_until_converged_and_reports_the_rest() {
    let m = model(&[3], 2, common::symmetric::<f32>, common::symmetric::<f64>);
    let x = array![[2.0, 1.5, -1.0], [0.1, 0.1, 0.1]].into_dyn();
    let mut c = cfg(Method::RiemannLeft, 4);
    c.output = Output::Probability;
    c.tolerance = Some(Tolerance { rel: 1e-3, max_steps: 4096 });
    let e = explain(&m, &x, &Baseline::Zero, &c).unwrap();
    for r in 0..2 {
        assert!(
            e.converged[r] && e.relative_delta[r] < 1e-3,
            "row {r}: {} at {} steps",
            e.relative_delta[r],
            e.steps[r]
        );
        assert!(e.steps[r] >= 4 && e.steps[r].is_power_of_two());
    }
    assert!(e.steps[0] > 4, "a left sum needs more than 4 steps here");
    c.tolerance = Some(Tolerance { rel: 1e-12, max_steps: 16 });
    let e = explain(&m, &x, &Baseline::Zero, &c).unwrap();
    assert!(!e.converged[0] && e.steps[0] == 16, "capped at 16 steps and reported");
}
