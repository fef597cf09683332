//! Bounded resources and finite results: a path of more steps than one
//! chunk holds (its share of the memory budget, at most `CHUNK_POINTS`)
//! is walked in blocks of steps, with bitwise the same result whatever the
//! blocks (12-point blocks against one-point blocks), and `chunk_plan`
//! lists the chunks the pass runs; any non-finite
//! `F(x)`, baseline output or gradient is an error naming the row, for
//! every integration.

use crate::common;

use glassbox_autodiff::Var;
use glassbox_ig::{explain, AdaptiveSpec, Baseline, IgConfig, IgError, Method, Output, Precision};

fn fixed(method: Method, steps: usize, budget: usize) -> IgConfig {
    IgConfig { method, steps, target: 1, output: Output::Logit, memory_budget: budget, ..IgConfig::default() }
}

#[test]
fn long_paths_in_small_budgets_give_the_same_bits() {
    let net = common::Net { gain: 0.5, sharpness: 1.0 };
    let x = common::saturated_rows(3);
    let base = Baseline::Zero;
    let bits = |e: &glassbox_ig::Explanation| e.attributions.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    for method in [Method::GaussLegendre, Method::RiemannMiddle] {
        for precision in [Precision::F32, Precision::F64] {
            // 1 KiB per row. A chunk holds at most 12 points whatever the
            // budget: 12 steps are one block under 64 MiB, and a path of
            // 3,000 steps 250 blocks; under 1 KiB (less than a point per
            // thread) every block is one point.
            for steps in [12, 3000] {
                let cfg = |budget| IgConfig { precision, ..fixed(method, steps, budget) };
                let whole = explain(&net, &x, &base, &cfg(64 << 20)).unwrap();
                let blocks = explain(&net, &x, &base, &cfg(1 << 10)).unwrap();
                assert!(blocks.chunks >= whole.chunks * 10, "{} vs {} chunks", blocks.chunks, whole.chunks);
                assert_eq!(bits(&whole), bits(&blocks), "{method} {precision:?} {steps} steps");
                if steps == 3000 {
                    assert!(whole.delta.iter().all(|d| d.abs() < 1e-3), "{:?}", whole.delta);
                }
            }
        }
    }
}

/// `F = [0, exp(x₀)]`: overflows f32 for `x₀ > 88.7`.
fn exp_logit<T: glassbox_autodiff::Real>(x: &Var<T>) -> Var<T> {
    let z = x.select(1, 0).exp().unsqueeze(1);
    z.matmul(&Var::constant(ndarray::array![[T::c(0.0), T::c(1.0)]].into_dyn()))
}

#[test]
fn a_non_finite_value_is_an_error_for_every_integration_never_converged() {
    let m = common::model(&[2], 2, exp_logit::<f32>, exp_logit::<f64>);
    let x = ndarray::array![[1.0, 0.0], [100.0, 0.0]].into_dyn();
    let mut configs: Vec<IgConfig> = Method::ALL.iter().map(|&m| fixed(m, 20, 1 << 20)).collect();
    configs.push(IgConfig { adaptive: Some(AdaptiveSpec::default()), ..fixed(Method::GaussLegendre, 20, 1 << 20) });
    for cfg in configs {
        let cfg = IgConfig { precision: Precision::F32, ..cfg };
        match explain(&m, &x, &Baseline::Zero, &cfg) {
            Err(IgError::NonFinite { row, .. }) => assert_eq!(row, Some(1), "{cfg:?}"),
            other => panic!("{:?}: expected a non-finite error, got {other:?}", cfg.method),
        }
        // The finite row alone explains.
        let one = explain(&m, &x.slice(ndarray::s![0..1, ..]).to_owned().into_dyn(), &Baseline::Zero, &cfg).unwrap();
        assert!(one.converged[0] && one.attributions.iter().all(|v| v.is_finite()));
    }
    // A baseline whose output overflows.
    let cfg = IgConfig { precision: Precision::F32, ..fixed(Method::GaussLegendre, 20, 1 << 20) };
    let far = Baseline::Rows(ndarray::array![[200.0, 0.0]].into_dyn());
    let e = explain(&m, &x.slice(ndarray::s![0..1, ..]).to_owned().into_dyn(), &far, &cfg).unwrap_err();
    assert!(matches!(e, IgError::NonFinite { row: None, .. }) && e.to_string().contains("baseline"), "{e}");
}

/// [`common::Net`] that records the rows of every forward on tracked
/// points (the path chunks; `F(x)` and `F(b)` run on constants).
struct Recording {
    net: common::Net,
    chunks: std::sync::Mutex<Vec<usize>>,
}

impl glassbox_ig::Explainable for Recording {
    fn row_shape(&self) -> Vec<usize> {
        self.net.row_shape()
    }
    fn n_outputs(&self) -> usize {
        self.net.n_outputs()
    }
    fn forward_f32(&self, x: &Var<f32>) -> Var<f32> {
        if x.requires_grad() {
            self.chunks.lock().unwrap().push(x.shape()[0]);
        }
        self.net.forward_f32(x)
    }
    fn forward_f64(&self, x: &Var<f64>) -> Var<f64> {
        self.net.forward_f64(x)
    }
    fn bytes_per_row(&self) -> usize {
        self.net.bytes_per_row()
    }
}

#[test]
fn the_chunk_plan_is_the_chunks_the_pass_runs() {
    use glassbox_ig::integrate::{chunk_plan, integrate, PassSpec};
    use glassbox_ig::Explainable;
    let model = Recording { net: common::Net { gain: 0.5, sharpness: 1.0 }, chunks: Default::default() };
    for threads in [1, 2, 3] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        for (rows, baselines) in [(1, 1), (2, 1), (5, 1), (1, 2), (3, 2)] {
            // Budgets of 1 KiB (one point per chunk), 64 KiB (several pairs
            // of a short path per chunk) and 64 MiB (CHUNK_POINTS points).
            for (steps, budget) in
                [(50, 64 << 20), (50, 1 << 10), (7, 64 << 10), (3, 64 << 10), (3000, 1 << 20), (0, 1 << 20)]
            {
                let (alphas, weights) =
                    if steps == 0 { (vec![], vec![]) } else { Method::GaussLegendre.nodes(steps).unwrap() };
                let spec = PassSpec {
                    alphas: &alphas,
                    weights: &weights,
                    target: 1,
                    output: Output::Logit,
                    memory_budget: budget,
                };
                let x = common::saturated_rows(rows);
                let b = ndarray::Array2::<f64>::zeros((baselines, model.row_shape()[0])).into_dyn();
                model.chunks.lock().unwrap().clear();
                let (plan, pass) = pool.install(|| {
                    (
                        chunk_plan(&model, rows * baselines, steps, budget),
                        integrate::<f32, _>(&model, &x, &b, &spec).unwrap(),
                    )
                });
                let at =
                    format!("{threads} threads, {rows} rows × {baselines} baselines, {steps} steps, budget {budget}");
                assert_eq!(plan.len(), pass.chunks, "{at}: {plan:?}");
                // Each chunk's stacked points, as the forwards saw them
                // (in any order: chunks run in parallel).
                let mut planned: Vec<usize> = plan.iter().map(|&(pairs, points)| pairs * points).collect();
                let mut seen = model.chunks.lock().unwrap().clone();
                planned.sort_unstable();
                seen.sort_unstable();
                assert_eq!(planned, seen, "{at}");
                assert_eq!(planned.iter().sum::<usize>(), rows * baselines * steps, "{at}");
            }
        }
    }
}
