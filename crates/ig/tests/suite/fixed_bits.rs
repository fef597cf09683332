//! The fixed rules go through the generalised batched evaluator since the
//! adaptive engine landed; this checks that `integrate` still gives the bits
//! of the pass as it was before (a verbatim copy of the old function, kept
//! here as the reference), for every method, both precisions, one and two
//! threads and two memory budgets, and that `explain` with the default
//! (fixed Gauss–Legendre 50) matches it too.

use crate::common;

use glassbox_autodiff::{Tape, Tensor};
use glassbox_ig::integrate::{integrate, PassResult, PassSpec};
use glassbox_ig::{explain, Baseline, Explainable, Float, IgConfig, IgError, Method, Output, Precision};
use ndarray::{Axis, IxDyn};
use rayon::prelude::*;

/// The batched pass before the adaptive engine (commit a369028), verbatim
/// but for its name and the `outputs` path.
/// Runs the pass for rows `x [R, ..row]` and baselines `b [K, ..row]`.
fn old_integrate<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    spec: &PassSpec<'_>,
) -> Result<PassResult, IgError> {
    let row = model.row_shape();
    for (t, what) in [(x, "input"), (baselines, "baseline")] {
        if t.ndim() != row.len() + 1 || t.shape()[1..] != row[..] {
            return Err(IgError::Shape(format!(
                "{what} rows have shape {:?}; the model's rows are {row:?}",
                &t.shape()[1..]
            )));
        }
    }
    if spec.target >= model.n_outputs() {
        return Err(IgError::Config(format!(
            "target class {} but the model has {} outputs",
            spec.target,
            model.n_outputs()
        )));
    }
    let (r, k, n) = (x.shape()[0], baselines.shape()[0], spec.alphas.len());
    if k == 0 {
        return Err(IgError::Baseline("no baseline rows".into()));
    }
    let pairs = r * k;
    // Chunks run concurrently: each may use the budget's share of one thread.
    let per_chunk = spec.memory_budget / rayon::current_num_threads().max(1);
    let pairs_per_chunk = (per_chunk / (model.bytes_per_row().max(1) * n.max(1))).max(1);
    let chunk_starts: Vec<usize> = (0..pairs).step_by(pairs_per_chunk).collect();
    let row_len: usize = row.iter().product();

    // Path-averaged gradients G_p = Σ_s w_s ∇F(point(p, s)) per pair p = r·K + k.
    let chunk_grads: Vec<(Vec<f64>, usize)> = chunk_starts
        .par_iter()
        .map(|&start| {
            let end = (start + pairs_per_chunk).min(pairs);
            let mut shape = vec![(end - start) * n];
            shape.extend_from_slice(&row);
            let mut points = Tensor::<T>::zeros(IxDyn(&shape));
            let mut seed = Vec::with_capacity((end - start) * n);
            for (i, p) in (start..end).enumerate() {
                let (xr, bk) = (x.index_axis(Axis(0), p / k), baselines.index_axis(Axis(0), p % k));
                for (s, (&a, &w)) in spec.alphas.iter().zip(spec.weights).enumerate() {
                    let mut dst = points.index_axis_mut(Axis(0), i * n + s);
                    ndarray::Zip::from(&mut dst)
                        .and(&xr)
                        .and(&bk)
                        .for_each(|d, &xv, &bv| *d = T::c(bv + a * (xv - bv)));
                    seed.push(T::c(w));
                }
            }
            let tape = Tape::new();
            let input = tape.leaf(points);
            let f = spec.output.of(&T::forward(model, &input), spec.target);
            let grads =
                f.backward_with(Tensor::from_shape_vec(IxDyn(&[seed.len()]), seed).expect("one seed per point"));
            let g = grads.get(&input).expect("F depends on its input");
            let g = g.as_standard_layout();
            let flat = g.as_slice().expect("standard layout");
            let mut sums = vec![0.0f64; (end - start) * row_len];
            for (i, out) in sums.chunks_mut(row_len.max(1)).enumerate() {
                for s in 0..n {
                    let point = &flat[(i * n + s) * row_len..(i * n + s + 1) * row_len];
                    out.iter_mut().zip(point).for_each(|(o, v)| *o += v.to_f64().unwrap_or(f64::NAN));
                }
            }
            (sums, grads.count())
        })
        .collect();

    let mut attributions = Tensor::<f64>::zeros(x.raw_dim());
    let mut gradients_computed = 0;
    let kf = k as f64;
    for (c, (sums, count)) in chunk_grads.iter().enumerate() {
        gradients_computed += count;
        for (i, g) in sums.chunks(row_len.max(1)).enumerate() {
            let p = chunk_starts[c] + i;
            let (rr, kk) = (p / k, p % k);
            let xr = x.index_axis(Axis(0), rr);
            let bk = baselines.index_axis(Axis(0), kk);
            let mut dst = attributions.index_axis_mut(Axis(0), rr);
            // Row-major walk of one row: dst, xr, bk and g share it.
            for ((d, (&xv, &bv)), &gv) in dst.iter_mut().zip(xr.iter().zip(bk.iter())).zip(g) {
                *d += (xv - bv) * gv / kf;
            }
        }
    }
    let eval_chunk = (spec.memory_budget / model.bytes_per_row().max(1)).max(1);
    let output = glassbox_ig::integrate::outputs::<T, M>(model, x, spec.target, spec.output, eval_chunk);
    let baseline_outputs =
        glassbox_ig::integrate::outputs::<T, M>(model, baselines, spec.target, spec.output, eval_chunk);
    let baseline_output = baseline_outputs.iter().sum::<f64>() / kf;
    Ok(PassResult { attributions, output, baseline_output, chunks: chunk_starts.len(), gradients_computed })
}

/// `integrate` and the old pass on `rows` rows and `baselines` baselines.
fn run_pairs(
    threads: usize,
    budget: usize,
    method: Method,
    precision: Precision,
    (rows, baselines): (usize, usize),
) -> (Vec<u64>, Vec<u64>) {
    let m = common::model(&[2, 3], 3, common::sequence_net::<f32>, common::sequence_net::<f64>);
    let x: Tensor<f64> =
        Tensor::from_shape_fn(vec![rows, 2, 3], |i| ((i[0] * 7 + i[1] * 3 + i[2]) as f64 * 0.13).cos());
    let b: Tensor<f64> = Tensor::from_shape_fn(vec![baselines, 2, 3], |i| ((i[0] + i[1] + i[2]) as f64 * 0.29).sin());
    let (alphas, weights) = method.nodes(50).unwrap();
    let spec =
        PassSpec { alphas: &alphas, weights: &weights, target: 2, output: Output::Probability, memory_budget: budget };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let bits = |r: &PassResult| -> Vec<u64> {
        r.attributions.iter().chain(&r.output).chain([&r.baseline_output]).map(|v| v.to_bits()).collect()
    };
    pool.install(|| match precision {
        Precision::F32 => (
            bits(&integrate::<f32, _>(&m, &x, &b, &spec).unwrap()),
            bits(&old_integrate::<f32, _>(&m, &x, &b, &spec).unwrap()),
        ),
        Precision::F64 => (
            bits(&integrate::<f64, _>(&m, &x, &b, &spec).unwrap()),
            bits(&old_integrate::<f64, _>(&m, &x, &b, &spec).unwrap()),
        ),
    })
}

#[test]
fn integrate_gives_the_old_bits_for_every_method_precision_thread_count_and_budget() {
    for method in Method::ALL {
        for precision in [Precision::F32, Precision::F64] {
            for (threads, budget) in [(1, 1 << 20), (2, 1 << 20), (2, 1), (1, 5000)] {
                // The bits, not the chunking: a budget below one path (1 byte, 5000) is walked
                // in blocks of steps now, where the old pass ran one whole path per chunk.
                let (new, old) = run_pairs(threads, budget, method, precision, (13, 3));
                assert_eq!(new, old, "{method} {precision:?} {threads} threads, budget {budget}");
            }
        }
    }
}

/// Fewer paths than threads (one row, or two rows on three threads): each
/// path's steps are cut into blocks that run side by side, and the sums
/// still have the old bits.
#[test]
fn paths_split_across_threads_give_the_old_bits() {
    for method in [Method::GaussLegendre, Method::RiemannTrapezoid] {
        for precision in [Precision::F32, Precision::F64] {
            for (threads, budget, pairs) in
                [(2, 1 << 20, (1, 1)), (3, 1 << 20, (1, 1)), (3, 1 << 20, (2, 1)), (2, 5000, (1, 1)), (4, 1, (1, 1))]
            {
                let (new, old) = run_pairs(threads, budget, method, precision, pairs);
                assert_eq!(new, old, "{method} {precision:?} {threads} threads, budget {budget}, {pairs:?}");
            }
        }
    }
}

#[test]
fn the_default_config_is_fixed_gauss_legendre_50_with_the_old_bits() {
    let c = IgConfig::default();
    assert_eq!((c.method, c.steps, c.tolerance, c.adaptive), (Method::GaussLegendre, 50, None, None));
    let m = common::model(&[3], 2, common::symmetric::<f32>, common::symmetric::<f64>);
    let x: Tensor<f64> = Tensor::from_shape_fn(vec![9, 3], |i| ((i[0] * 3 + i[1]) as f64 * 0.71).sin() * 2.0);
    let e = explain(&m, &x, &Baseline::Zero, &c).unwrap();
    let b = Tensor::<f64>::zeros(IxDyn(&[1, 3]));
    let (alphas, weights) = Method::GaussLegendre.nodes(50).unwrap();
    let spec = PassSpec {
        alphas: &alphas,
        weights: &weights,
        target: 1,
        output: Output::Probability,
        memory_budget: c.memory_budget,
    };
    let old = old_integrate::<f32, _>(&m, &x, &b, &spec).unwrap();
    let bits = |t: &Tensor<f64>| t.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&e.attributions), bits(&old.attributions));
    assert_eq!(e.evaluations, vec![50; 9]);
    assert!(e.error_estimate.iter().all(|v| v.is_nan()));
}
