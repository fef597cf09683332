//! Every class in one pass (`explain_targets`): each class's result is
//! bitwise that class explained alone, for the fixed rule, tolerance mode
//! and the adaptive engine, in f32 and f64, any chunking and thread count;
//! completeness holds per class; probability attributions sum to zero over
//! the classes (`Σ_c p_c ≡ 1`).

use crate::common;

use crate::common::{model, saturated_rows, NET_F};
use glassbox_autodiff::{Real, Tensor, Var};
use glassbox_ig::{
    explain, explain_targets, AdaptiveSpec, Baseline, Explainable, Explanation, IgConfig, Output, Precision, Tolerance,
};
use ndarray::{array, IxDyn};

/// A saturated 3-class net on `[F = 6]` rows: `logits = gain·tanh(x·W₁ +
/// b₁)·W₂ + c`, so each class's probability jumps at its own place along
/// a path (the adaptive engine refines different panels per class).
struct Steep3 {
    gain: f64,
}

const H: usize = 5;

impl Steep3 {
    fn f<T: Real>(&self, x: &Var<T>) -> Var<T> {
        let c = |shape: &[usize], v: Vec<f64>| {
            Var::constant(Tensor::from_shape_vec(IxDyn(shape), v.into_iter().map(T::c).collect()).unwrap())
        };
        let w1: Vec<f64> = (0..NET_F * H).map(|i| ((i as f64) * 1.37 + 0.4).sin() * 1.5).collect();
        let b1: Vec<f64> = (0..H).map(|j| ((j as f64) * 0.91).cos() * 0.5).collect();
        let w2: Vec<f64> = (0..H * 3).map(|i| ((i as f64) * 2.3 + 1.0).sin() * self.gain).collect();
        let h = x.matmul(&c(&[NET_F, H], w1)).add(&c(&[1, H], b1)).tanh();
        h.matmul(&c(&[H, 3], w2)).add(&c(&[1, 3], vec![0.0, -3.0, 2.0]))
    }
}

impl Explainable for Steep3 {
    fn row_shape(&self) -> Vec<usize> {
        vec![NET_F]
    }
    fn n_outputs(&self) -> usize {
        3
    }
    fn forward_f32(&self, x: &Var<f32>) -> Var<f32> {
        self.f(x)
    }
    fn forward_f64(&self, x: &Var<f64>) -> Var<f64> {
        self.f(x)
    }
    fn bytes_per_row(&self) -> usize {
        1024
    }
}

/// Attributions, outputs, baseline output, deltas, steps, convergence,
/// evaluations and error estimates, as bits.
type Bits = (Vec<u64>, Vec<u64>, u64, Vec<u64>, Vec<usize>, Vec<bool>, Vec<usize>, Vec<u64>);

fn bits(e: &Explanation) -> Bits {
    let b = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    (
        e.attributions.iter().map(|v| v.to_bits()).collect(),
        b(&e.output),
        e.baseline_output.to_bits(),
        b(&e.delta),
        e.steps.clone(),
        e.converged.clone(),
        e.evaluations.clone(),
        b(&e.error_estimate),
    )
}

/// Asserts that `explain_targets` equals `explain` per class, bit for bit.
fn same_as_alone<M: Explainable>(m: &M, x: &Tensor<f64>, baseline: &Baseline, cfg: &IgConfig) -> Vec<Explanation> {
    let classes: Vec<usize> = (0..m.n_outputs()).collect();
    let all = explain_targets(m, x, baseline, cfg, &classes).unwrap();
    assert_eq!(all.len(), classes.len());
    for (t, e) in all.iter().enumerate() {
        let alone = explain(m, x, baseline, &IgConfig { target: t, ..cfg.clone() }).unwrap();
        assert_eq!(bits(e), bits(&alone), "class {t} of {:?}, {:?}", cfg.precision, cfg.adaptive.is_some());
    }
    all
}

fn cfg(precision: Precision, output: Output) -> IgConfig {
    IgConfig { precision, output, memory_budget: 64 << 10, ..IgConfig::default() }
}

fn adaptive(precision: Precision) -> IgConfig {
    IgConfig { adaptive: Some(AdaptiveSpec::default()), ..cfg(precision, Output::Probability) }
}

#[test]
fn fixed_rule_per_class_equals_the_class_alone_in_f32_and_f64() {
    let m = Steep3 { gain: 0.8 };
    let x = saturated_rows(9);
    let background = Baseline::Rows(saturated_rows(12).slice_move(ndarray::s![9.., ..]).into_dyn());
    for precision in [Precision::F32, Precision::F64] {
        for output in [Output::Probability, Output::Logit] {
            for baseline in [Baseline::Zero, background.clone()] {
                same_as_alone(&m, &x, &baseline, &cfg(precision, output));
            }
        }
    }
}

#[test]
fn sequence_rows_and_tolerance_mode_per_class_equal_the_class_alone() {
    let m = model(&[2, 3], 3, common::sequence_net::<f32>, common::sequence_net::<f64>);
    let x = Tensor::from_shape_fn(vec![4, 2, 3], |i| ((i[0] * 6 + i[1] * 3 + i[2]) as f64 * 0.7).sin() * 2.0);
    same_as_alone(&m, &x, &Baseline::Zero, &cfg(Precision::F32, Output::Probability));
    // Tolerance mode: each class doubles its own rows.
    let steep = Steep3 { gain: 6.0 };
    let tol = IgConfig {
        steps: 4,
        tolerance: Some(Tolerance { rel: 1e-3, max_steps: 256 }),
        ..cfg(Precision::F64, Output::Probability)
    };
    let all = same_as_alone(&steep, &saturated_rows(6), &Baseline::Zero, &tol);
    let steps: Vec<&Vec<usize>> = all.iter().map(|e| &e.steps).collect();
    assert!(steps.windows(2).any(|w| w[0] != w[1]), "the classes should need different step counts: {steps:?}");
}

#[test]
fn adaptive_per_class_equals_the_class_alone_and_is_complete() {
    let m = Steep3 { gain: 12.0 };
    let x = saturated_rows(8);
    for precision in [Precision::F64, Precision::F32] {
        let c = adaptive(precision);
        let all = same_as_alone(&m, &x, &Baseline::Zero, &c);
        // The classes refine different panels (the union is exercised).
        let evals: Vec<&Vec<usize>> = all.iter().map(|e| &e.evaluations).collect();
        assert!(evals.windows(2).any(|w| w[0] != w[1]), "{evals:?}");
        let conv = c.adaptive.unwrap().convergence;
        for (t, e) in all.iter().enumerate() {
            for r in 0..8 {
                let diff = e.output[r] - e.baseline_output;
                let sum: f64 = e.attributions.index_axis(ndarray::Axis(0), r).sum();
                assert!((sum - diff - e.delta[r]).abs() <= 1e-9, "class {t} row {r}");
                if precision == Precision::F64 {
                    assert!(e.converged[r], "class {t} row {r}: δ {}", e.delta[r]);
                }
                if e.converged[r] {
                    assert!(conv.met(e.delta[r], diff), "class {t} row {r}: δ {} over ΔF {diff}", e.delta[r]);
                }
            }
        }
    }
}

#[test]
fn probability_attributions_sum_to_zero_over_the_classes() {
    // Σ_c p_c ≡ 1, so Σ_c ∇p_c = 0 at every point of the path, and the
    // classes' attributions cancel feature by feature (any rule).
    let m = Steep3 { gain: 0.8 };
    let x = saturated_rows(5);
    for c in [cfg(Precision::F64, Output::Probability), adaptive(Precision::F64)] {
        let all = explain_targets(&m, &x, &Baseline::Zero, &c, &[0, 1, 2]).unwrap();
        let total = all.iter().fold(Tensor::<f64>::zeros(x.raw_dim()), |acc, e| acc + &e.attributions);
        let scale = all.iter().map(|e| e.attributions.iter().fold(0.0f64, |a, v| a.max(v.abs()))).fold(0.0, f64::max);
        let worst = total.iter().fold(0.0f64, |a, v| a.max(v.abs()));
        if c.adaptive.is_none() {
            assert!(worst <= 1e-12 * scale.max(1.0), "Σ_c IG_c = {worst:e}");
        } else {
            // Per class the panels differ, so the sum cancels only to the
            // classes' tolerances: |Σ_c Σ_i IG| ≤ Σ_c |δ_c| (ΔF sums to 0).
            for r in 0..5 {
                let row_sum: f64 = total.index_axis(ndarray::Axis(0), r).sum();
                let deltas: f64 = all.iter().map(|e| e.delta[r].abs()).sum();
                assert!(row_sum.abs() <= deltas + 1e-12, "row {r}: {row_sum:e} > {deltas:e}");
            }
        }
    }
}

#[test]
fn any_thread_count_gives_the_same_bits() {
    let m = Steep3 { gain: 12.0 };
    let x = saturated_rows(6);
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| explain_targets(&m, &x, &Baseline::Zero, &adaptive(Precision::F32), &[2, 0, 1]).unwrap())
    };
    let (one, two) = (run(1), run(2));
    for (a, b) in one.iter().zip(&two) {
        assert_eq!(bits(a), bits(b));
    }
}

#[test]
fn a_subset_of_classes_in_any_order_and_bad_targets() {
    let m = Steep3 { gain: 2.0 };
    let x = array![[0.5, -1.0, 2.0, 0.0, 1.0, -0.5]].into_dyn();
    let c = cfg(Precision::F64, Output::Probability);
    let both = explain_targets(&m, &x, &Baseline::Zero, &c, &[2, 0]).unwrap();
    assert_eq!(bits(&both[0]), bits(&explain(&m, &x, &Baseline::Zero, &IgConfig { target: 2, ..c.clone() }).unwrap()));
    assert!(explain_targets(&m, &x, &Baseline::Zero, &c, &[0, 3]).unwrap_err().to_string().contains("target class 3"));
    assert!(explain_targets(&m, &x, &Baseline::Zero, &c, &[]).unwrap_err().to_string().contains("no target class"));
}
