//! The batched IG pass, and the batched point evaluator under it (which
//! the adaptive engine uses too).
//!
//! For rows `x_r`, baselines `b_k` and quadrature
//! `(α_s, w_s)`, every point `b_k + α_s·(x_r − b_k)` is one input row of a
//! big batch. The batch is cut into chunks of whole (row, baseline) pairs
//! sized so that the chunks running at once (one per thread) fit a memory
//! budget; each chunk is one forward and one backward
//! toward the input only (the seed is `w_s` per point, so the backward
//! returns `w_s·∇F` directly), and the `n` steps of a pair are summed in
//! step order inside its chunk. Chunks run in parallel with rayon and are
//! assembled in chunk order, so the result is bitwise the same for any
//! thread count (and any budget). A path too long for one chunk's share
//! of the budget (`--steps 100000`) is walked in blocks of steps, each
//! block's sums continuing the last: bounded memory, the same bits.
//!
//! Then `IG_rk = (x_r − b_k) ⊙ Σ_s w_s·∇F(b_k + α_s(x_r − b_k))`, the
//! attribution is `mean_k IG_rk`, and the convergence delta is
//! `δ_r = Σ_i IG_ri − (F(x_r) − mean_k F(b_k))`.
//!
//! The general form is [`gradient_map`]: [`Group`]s of points on paths
//! (`α = lo + (hi − lo)·t_j` for the nodes `t_j` of a [`PointSpec`]),
//! chunks of whole groups, and per group a reduction of its gradients
//! computed inside its chunk. [`integrate`] is one group per (row,
//! baseline) pair on `[0, 1]` with seeds `s = w` reduced to the plain sum
//! in step order (the same bits as before the evaluator was generalised:
//! `tests/fixed_bits.rs`); the adaptive engine uses Gauss–Kronrod panels
//! with seeds 1. [`path_outputs`] is the forward-only counterpart (no
//! tape) for scans along paths.

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

/// One group of points on the path from baseline `b_k` to row `x_r`:
/// `b_k + α_j·(x_r − b_k)` with `α_j = lo + (hi − lo)·t_j` for the nodes
/// `t_j` of a [`PointSpec`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Group {
    /// Row index `r` into `x`.
    pub row: usize,
    /// Baseline index `k` into the baselines.
    pub baseline: usize,
    /// Start of the α interval.
    pub lo: f64,
    /// End of the α interval.
    pub hi: f64,
}

/// The points of a [`gradient_map`] call: every group gets the nodes `t_j`
/// (mapped to its `[lo, hi]`) with backward seeds `s_j`.
#[derive(Clone, Copy, Debug)]
pub struct PointSpec<'a> {
    /// Nodes `t_j` on `[0, 1]`.
    pub nodes: &'a [f64],
    /// Backward seed `s_j` per node (the gradient returned is `s_j·∇F`).
    pub seeds: &'a [f64],
    /// Explained class.
    pub target: usize,
    /// Probability or logit.
    pub output: Output,
    /// Bytes of tape the chunks running at once may use.
    pub memory_budget: usize,
}

/// What [`gradient_map`] computed.
#[derive(Clone, Debug)]
pub struct Mapped<R> {
    /// One reduction per group, in group order.
    pub results: Vec<R>,
    /// Number of chunks.
    pub chunks: usize,
    /// Leaf gradients computed by the backward passes (one per chunk).
    pub gradients_computed: usize,
}

fn check_shapes<M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    target: usize,
) -> Result<(), IgError> {
    let row = model.row_shape();
    for (t, what) in [(x, "input"), (baselines, "baseline")] {
        if t.ndim() != row.len() + 1 || t.shape()[1..] != row[..] {
            return Err(IgError::Shape(format!(
                "{what} rows have shape {:?}; the model's rows are {row:?}",
                &t.shape()[1..]
            )));
        }
    }
    if target >= model.n_outputs() {
        return Err(IgError::Config(format!("target class {target} but the model has {} outputs", model.n_outputs())));
    }
    if baselines.shape()[0] == 0 {
        return Err(IgError::Baseline("no baseline rows".into()));
    }
    Ok(())
}

/// Groups per chunk: the chunks running at once (one per thread) share the
/// budget.
fn groups_per_chunk<M: Explainable + ?Sized>(model: &M, memory_budget: usize, points_per_group: usize) -> usize {
    let per_chunk = memory_budget / rayon::current_num_threads().max(1);
    (per_chunk / (model.bytes_per_row().max(1) * points_per_group.max(1))).max(1)
}

/// Fills `points [groups·n, ..row]` (in precision `T`) for `groups`.
fn fill_points<T: Float>(x: &Tensor<f64>, baselines: &Tensor<f64>, groups: &[Group], nodes: &[f64]) -> Tensor<T> {
    let n = nodes.len();
    let mut shape = vec![groups.len() * n];
    shape.extend_from_slice(&x.shape()[1..]);
    let mut points = Tensor::<T>::zeros(IxDyn(&shape));
    for (i, g) in groups.iter().enumerate() {
        let (xr, bk) = (x.index_axis(Axis(0), g.row), baselines.index_axis(Axis(0), g.baseline));
        for (s, &t) in nodes.iter().enumerate() {
            let a = g.lo + (g.hi - g.lo) * t;
            let mut dst = points.index_axis_mut(Axis(0), i * n + s);
            ndarray::Zip::from(&mut dst).and(&xr).and(&bk).for_each(|d, &xv, &bv| *d = T::c(bv + a * (xv - bv)));
        }
    }
    points
}

/// The batched gradient evaluator: for every group, the gradients
/// `s_j·∇F` at its `n` points (f64, `[n, row_len]` row-major) and `F` there
/// (`[n]`), handed to `reduce` inside the group's chunk; the reductions
/// come back in group order.
///
/// Groups are cut into chunks of whole groups sized from the memory budget
/// (shared by the chunks running at once, one per rayon thread); each chunk
/// is one forward and one backward toward the input only, with seed `s_j`
/// per point; chunks run in parallel and are assembled in group order. A
/// point's gradient does not depend on the other points of its chunk, so
/// the results are bitwise the same for any thread count and budget (as
/// long as `reduce` depends only on its arguments).
///
/// ```
/// use glassbox_autodiff::Var;
/// use glassbox_ig::integrate::{gradient_map, Group, PointSpec};
/// use glassbox_ig::{Explainable, Output};
/// use ndarray::array;
///
/// /// F(x) = x₀² (one output).
/// struct Square;
/// impl Explainable for Square {
///     fn row_shape(&self) -> Vec<usize> { vec![1] }
///     fn n_outputs(&self) -> usize { 1 }
///     fn forward_f32(&self, x: &Var<f32>) -> Var<f32> { x.mul(x) }
///     fn forward_f64(&self, x: &Var<f64>) -> Var<f64> { x.mul(x) }
/// }
/// let (x, b) = (array![[3.0]].into_dyn(), array![[0.0]].into_dyn());
/// let spec = PointSpec { nodes: &[0.5, 1.0], seeds: &[1.0, 1.0], target: 0, output: Output::Logit, memory_budget: 1 << 20 };
/// let g = [Group { row: 0, baseline: 0, lo: 0.0, hi: 1.0 }];
/// // ∇F = 2·(3α)·... at α = ½ and 1: 3 and 6; F there: 2.25 and 9.
/// let m = gradient_map::<f64, _, _, _>(&Square, &x, &b, &g, &spec, |_, grads, f| (grads.to_vec(), f.to_vec())).unwrap();
/// assert_eq!(m.results[0], (vec![3.0, 6.0], vec![2.25, 9.0]));
/// ```
pub fn gradient_map<T, M, R, F>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    groups: &[Group],
    spec: &PointSpec<'_>,
    reduce: F,
) -> Result<Mapped<R>, IgError>
where
    T: Float,
    M: Explainable + ?Sized,
    R: Send,
    F: Fn(&Group, &[f64], &[f64]) -> R + Sync,
{
    check_shapes(model, x, baselines, spec.target)?;
    let n = spec.nodes.len();
    if spec.seeds.len() != n {
        return Err(IgError::Config(format!("{n} nodes but {} seeds", spec.seeds.len())));
    }
    let (r, k) = (x.shape()[0], baselines.shape()[0]);
    if let Some(g) = groups.iter().find(|g| g.row >= r || g.baseline >= k) {
        return Err(IgError::Config(format!("group {g:?} outside {r} rows and {k} baselines")));
    }
    let row_len: usize = model.row_shape().iter().product();
    let per = groups_per_chunk(model, spec.memory_budget, n);
    let chunk_starts: Vec<usize> = (0..groups.len()).step_by(per).collect();

    let parts: Vec<(Vec<R>, usize)> = chunk_starts
        .par_iter()
        .map(|&start| {
            let part = &groups[start..(start + per).min(groups.len())];
            let points = fill_points::<T>(x, baselines, part, spec.nodes);
            let seed: Vec<T> = (0..part.len()).flat_map(|_| spec.seeds.iter().map(|&w| T::c(w))).collect();
            let tape = Tape::new();
            let input = tape.leaf(points);
            let f = spec.output.of(&T::forward(model, &input), spec.target);
            let values: Vec<f64> = f.value().iter().map(|y| y.to_f64().unwrap_or(f64::NAN)).collect();
            let grads =
                f.backward_with(Tensor::from_shape_vec(IxDyn(&[seed.len()]), seed).expect("one seed per point"));
            let g = grads.get(&input).expect("F depends on its input");
            let g = g.as_standard_layout();
            let flat: Vec<f64> =
                g.as_slice().expect("standard layout").iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect();
            let out = part
                .iter()
                .enumerate()
                .map(|(i, grp)| reduce(grp, &flat[i * n * row_len..(i + 1) * n * row_len], &values[i * n..(i + 1) * n]))
                .collect();
            (out, grads.count())
        })
        .collect();
    let mut out = Mapped { results: Vec::with_capacity(groups.len()), chunks: parts.len(), gradients_computed: 0 };
    for (results, count) in parts {
        out.results.extend(results);
        out.gradients_computed += count;
    }
    Ok(out)
}

/// `F(b_k + α_j·(x_r − b_k))` for every path `(r, k)` of `paths` and every
/// `α_j` of `alphas`, forward only (no tape): `[paths.len(), alphas.len()]`
/// flat, chunked from `memory_budget` like [`gradient_map`] and
/// deterministic in the same way.
///
/// ```
/// use glassbox_autodiff::Var;
/// use glassbox_ig::integrate::path_outputs;
/// use glassbox_ig::{Explainable, Output};
/// use ndarray::array;
///
/// struct Square;
/// impl Explainable for Square {
///     fn row_shape(&self) -> Vec<usize> { vec![1] }
///     fn n_outputs(&self) -> usize { 1 }
///     fn forward_f32(&self, x: &Var<f32>) -> Var<f32> { x.mul(x) }
///     fn forward_f64(&self, x: &Var<f64>) -> Var<f64> { x.mul(x) }
/// }
/// let (x, b) = (array![[2.0]].into_dyn(), array![[0.0]].into_dyn());
/// let f = path_outputs::<f64, _>(&Square, &x, &b, &[(0, 0)], &[0.0, 0.5, 1.0], 0, Output::Logit, 1 << 20).unwrap();
/// assert_eq!(f, vec![0.0, 1.0, 4.0]);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn path_outputs<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    paths: &[(usize, usize)],
    alphas: &[f64],
    target: usize,
    output: Output,
    memory_budget: usize,
) -> Result<Vec<f64>, IgError> {
    check_shapes(model, x, baselines, target)?;
    let groups: Vec<Group> = paths.iter().map(|&(row, baseline)| Group { row, baseline, lo: 0.0, hi: 1.0 }).collect();
    let (r, k) = (x.shape()[0], baselines.shape()[0]);
    if let Some(g) = groups.iter().find(|g| g.row >= r || g.baseline >= k) {
        return Err(IgError::Config(format!("path {g:?} outside {r} rows and {k} baselines")));
    }
    let per = groups_per_chunk(model, memory_budget, alphas.len());
    let starts: Vec<usize> = (0..groups.len()).step_by(per).collect();
    let parts: Vec<Vec<f64>> = starts
        .par_iter()
        .map(|&start| {
            let part = &groups[start..(start + per).min(groups.len())];
            let points = fill_points::<T>(x, baselines, part, alphas);
            let f = output.of(&T::forward(model, &Var::constant(points)), target);
            f.value().iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect()
        })
        .collect();
    Ok(parts.concat())
}

/// Runs the pass for rows `x [R, ..row]` and baselines `b [K, ..row]`: one
/// [`Group`] per pair `p = r·K + k` on `[0, 1]`, seeds `w_s`, one plain sum.
pub fn integrate<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    spec: &PassSpec<'_>,
) -> Result<PassResult, IgError> {
    check_shapes(model, x, baselines, spec.target)?;
    let (r, k) = (x.shape()[0], baselines.shape()[0]);
    let row_len: usize = model.row_shape().iter().product();
    let groups: Vec<Group> = (0..r * k).map(|p| Group { row: p / k, baseline: p % k, lo: 0.0, hi: 1.0 }).collect();
    // Path-averaged gradients G_p = Σ_s w_s ∇F(point(p, s)) per pair p, in
    // step order. A path whose n points do not fit one chunk's share of the
    // budget is walked in blocks of steps, each block's sum continuing the
    // previous one, so the additions (and the bits) are those of one block.
    if spec.weights.len() != spec.alphas.len() {
        return Err(IgError::Config(format!("{} nodes but {} weights", spec.alphas.len(), spec.weights.len())));
    }
    let per_chunk = spec.memory_budget / rayon::current_num_threads().max(1);
    let block = (per_chunk / model.bytes_per_row().max(1)).clamp(1, spec.alphas.len().max(1));
    let mut sums: Vec<Vec<f64>> = vec![vec![0.0f64; row_len]; groups.len()];
    let (mut chunks, mut gradients_computed) = (0, 0);
    for start in (0..spec.alphas.len()).step_by(block) {
        let end = (start + block).min(spec.alphas.len());
        let points = PointSpec {
            nodes: &spec.alphas[start..end],
            seeds: &spec.weights[start..end],
            target: spec.target,
            output: spec.output,
            memory_budget: spec.memory_budget,
        };
        let prev = &sums;
        let mapped = gradient_map::<T, M, _, _>(model, x, baselines, &groups, &points, |g, grads, _| {
            let mut sum = prev[g.row * k + g.baseline].clone();
            for point in grads.chunks(row_len.max(1)) {
                sum.iter_mut().zip(point).for_each(|(o, v)| *o += v);
            }
            sum
        })?;
        chunks += mapped.chunks;
        gradients_computed += mapped.gradients_computed;
        sums = mapped.results;
    }

    let mut attributions = Tensor::<f64>::zeros(x.raw_dim());
    let kf = k as f64;
    for (p, g) in sums.iter().enumerate() {
        let (rr, kk) = (p / k, p % k);
        let xr = x.index_axis(Axis(0), rr);
        let bk = baselines.index_axis(Axis(0), kk);
        let mut dst = attributions.index_axis_mut(Axis(0), rr);
        // Row-major walk of one row: dst, xr, bk and g share it.
        for ((d, (&xv, &bv)), &gv) in dst.iter_mut().zip(xr.iter().zip(bk.iter())).zip(g) {
            *d += (xv - bv) * gv / kf;
        }
    }
    let eval_chunk = (spec.memory_budget / model.bytes_per_row().max(1)).max(1);
    let output = outputs::<T, M>(model, x, spec.target, spec.output, eval_chunk);
    let baseline_outputs = outputs::<T, M>(model, baselines, spec.target, spec.output, eval_chunk);
    let baseline_output = baseline_outputs.iter().sum::<f64>() / kf;
    Ok(PassResult { attributions, output, baseline_output, chunks, gradients_computed })
}
