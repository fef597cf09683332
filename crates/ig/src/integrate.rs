//! The batched IG pass. For rows `x_r`, baselines `b_k` and quadrature
//! `(α_s, w_s)`, every point `b_k + α_s·(x_r − b_k)` is one input row of a
//! big batch. The batch is cut into chunks of whole (row, baseline) pairs
//! sized so that the chunks running at once (one per thread) fit a memory
//! budget; each chunk is one forward and one backward
//! toward the input only (the seed is `w_s` per point, so the backward
//! returns `w_s·∇F` directly), and the `n` steps of a pair are summed in
//! step order inside its chunk. Chunks run in parallel with rayon and are
//! assembled in chunk order, so the result is bitwise the same for any
//! thread count (and any budget).
//!
//! Then `IG_rk = (x_r − b_k) ⊙ Σ_s w_s·∇F(b_k + α_s(x_r − b_k))`, the
//! attribution is `mean_k IG_rk`, and the convergence delta is
//! `δ_r = Σ_i IG_ri − (F(x_r) − mean_k F(b_k))`.

use glassbox_autodiff::{Tape, Tensor, Var};
use ndarray::{Axis, IxDyn, Slice};
use rayon::prelude::*;

use crate::explainable::{Explainable, Float, Output};
use crate::IgError;

/// Settings of one pass.
#[derive(Clone, Copy, Debug)]
pub struct PassSpec<'a> {
    /// Quadrature nodes `α_s`.
    pub alphas: &'a [f64],
    /// Quadrature weights `w_s`.
    pub weights: &'a [f64],
    /// Explained class.
    pub target: usize,
    /// Probability or logit.
    pub output: Output,
    /// Bytes of tape a chunk may use.
    pub memory_budget: usize,
}

/// What one pass computed.
#[derive(Clone, Debug)]
pub struct PassResult {
    /// `mean_k IG_rk`, `[R, ..row]`.
    pub attributions: Tensor<f64>,
    /// `F(x_r)`.
    pub output: Vec<f64>,
    /// `mean_k F(b_k)`.
    pub baseline_output: f64,
    /// Number of chunks.
    pub chunks: usize,
    /// Leaf gradients computed by the backward passes (one per chunk:
    /// the input; never a parameter).
    pub gradients_computed: usize,
}

/// `F` of every row of `x` (no tape), in chunks.
pub fn outputs<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    target: usize,
    output: Output,
    chunk: usize,
) -> Vec<f64> {
    let n = x.shape()[0];
    let starts: Vec<usize> = (0..n).step_by(chunk.max(1)).collect();
    let parts: Vec<Vec<f64>> = starts
        .par_iter()
        .map(|&s| {
            let part = x.slice_axis(Axis(0), Slice::from(s..(s + chunk).min(n))).mapv(|v| T::c(v));
            let f = output.of(&T::forward(model, &Var::constant(part)), target);
            f.value().iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect()
        })
        .collect();
    parts.concat()
}

/// Runs the pass for rows `x [R, ..row]` and baselines `b [K, ..row]`.
pub fn integrate<T: Float, M: Explainable + ?Sized>(
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
    let output = outputs::<T, M>(model, x, spec.target, spec.output, eval_chunk);
    let baseline_outputs = outputs::<T, M>(model, baselines, spec.target, spec.output, eval_chunk);
    let baseline_output = baseline_outputs.iter().sum::<f64>() / kf;
    Ok(PassResult { attributions, output, baseline_output, chunks: chunk_starts.len(), gradients_computed })
}
