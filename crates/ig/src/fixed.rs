//! The fixed-rule pass: one [`Group`] per (row, baseline) pair on `[0, 1]`
//! with seeds `w_s`, reduced to the plain sum in step order, for one class
//! ([`integrate`]) or several over one forward ([`integrate_targets`]).
//!
//! For rows `x [R, ..row]`, baselines `b [K, ..row]`, nodes `(α_s, w_s)`,
//! `s = 1..n`, and each class `t`:
//!
//! - `G_{t,p} = Σ_s w_s·∇F_t(b_k + α_s(x_r − b_k))`, `[row_len]` per pair
//!   `p = r·K + k`, summed in step order;
//! - `IG_{t,r} = mean_k (x_r − b_k) ⊙ G_{t,p}`, `[R, ..row]` per class;
//! - `F_t(x_r)` `[R]` and `mean_k F_t(b_k)`.
//!
//! Each chunk runs the forward once and one backward per class, so `C`
//! classes cost one forward and `C` backwards instead of `C` of each; the
//! tape holds the same values as a one-class chunk (memory does not grow
//! with `C`, beyond the `C` per-pair sums `[C, R·K, row_len]`).
//!
//! Parallelism: a chunk holds at most
//! [`CHUNK_POINTS`](crate::integrate::CHUNK_POINTS) points (its tape stays
//! near cache size), so a path of more steps is walked in blocks.
//! With at least as many pairs as threads, each thread runs whole pairs of
//! a block (chunks of pairs). With fewer (one row), the blocks are cut so
//! that every thread has its own and run side by side, instead of
//! splitting every small op of one big chunk: one row at 50 steps on 2
//! threads went from 19.5 to about 10 ms in-process. Blocks also run side
//! by side when every point's gradient can be kept ([`KEPT_GRADIENTS`]),
//! else one after the other.
//! The per-point gradients do not depend on the blocks, and they are added
//! in step order either way, so the bits are the same.

use glassbox_autodiff::Tensor;
use ndarray::Axis;
use rayon::prelude::*;

use crate::explainable::{Explainable, Float, Output};
use crate::integrate::{
    check_shapes, chunk_bytes, gradient_map_targets, groups_per_chunk, outputs_targets, Group, MappedTargets, PointSpec,
};
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
    /// Bytes of tape the chunks running at once (one per thread) may use.
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

/// Runs the pass for rows `x [R, ..row]` and baselines `b [K, ..row]`: one
/// [`Group`] per pair `p = r·K + k` on `[0, 1]`, seeds `w_s`, one plain sum.
pub fn integrate<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    spec: &PassSpec<'_>,
) -> Result<PassResult, IgError> {
    let mut all = integrate_targets::<T, M>(model, x, baselines, spec, &[spec.target])?;
    Ok(all.pop().expect("one result per target"))
}

/// [`integrate`] for every class of `targets` over one forward per chunk:
/// one [`PassResult`] per target, in `targets` order, each bitwise the
/// result of [`integrate`] with `spec.target = targets[i]` (`spec.target`
/// itself is not used). `chunks` is the shared count (the same as one
/// class alone); `gradients_computed` counts that class's backwards.
///
/// ```
/// use glassbox_autodiff::Var;
/// use glassbox_ig::integrate::{integrate, integrate_targets, PassSpec};
/// use glassbox_ig::{Explainable, Method, Output};
/// use ndarray::array;
///
/// /// Three classes, logits x·W.
/// struct Three;
/// const W: [[f64; 3]; 2] = [[1.0, -2.0, 0.5], [0.0, 1.0, -1.0]];
/// impl Explainable for Three {
///     fn row_shape(&self) -> Vec<usize> { vec![2] }
///     fn n_outputs(&self) -> usize { 3 }
///     fn forward_f32(&self, x: &Var<f32>) -> Var<f32> { x.matmul(&Var::constant(ndarray::arr2(&W).mapv(|v| v as f32).into_dyn())) }
///     fn forward_f64(&self, x: &Var<f64>) -> Var<f64> { x.matmul(&Var::constant(ndarray::arr2(&W).into_dyn())) }
/// }
/// let (alphas, weights) = Method::GaussLegendre.nodes(20).unwrap();
/// let spec = PassSpec { alphas: &alphas, weights: &weights, target: 0, output: Output::Probability, memory_budget: 1 << 20 };
/// let (x, b) = (array![[1.0, 2.0]].into_dyn(), array![[0.0, 0.0]].into_dyn());
/// let all = integrate_targets::<f64, _>(&Three, &x, &b, &spec, &[0, 1, 2]).unwrap();
/// for (t, r) in all.iter().enumerate() {
///     let alone = integrate::<f64, _>(&Three, &x, &b, &PassSpec { target: t, ..spec }).unwrap();
///     assert_eq!(r.attributions, alone.attributions); // bit for bit
/// }
/// // Σ_c p_c = 1, so the classes' attributions sum to about 0 per feature.
/// let total: f64 = all.iter().map(|r| r.attributions.sum()).sum();
/// assert!(total.abs() < 1e-9);
/// ```
pub fn integrate_targets<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    spec: &PassSpec<'_>,
    targets: &[usize],
) -> Result<Vec<PassResult>, IgError> {
    check_shapes(model, x, baselines, targets)?;
    if spec.weights.len() != spec.alphas.len() {
        return Err(IgError::Config(format!("{} nodes but {} weights", spec.alphas.len(), spec.weights.len())));
    }
    let k = baselines.shape()[0];
    // F(x_r) and F(b_k) are independent of the path sums: they run beside
    // them (for one row, on the thread that would otherwise wait for the
    // last block), in chunks of a path chunk's size (a forward's rows do
    // not depend on their chunk, so the bits do not change).
    let eval_chunk = (chunk_bytes(model, spec.memory_budget) / model.bytes_per_row().max(1)).max(1);
    let (paths, (outputs, baseline_outputs)) = rayon::join(
        || path_sums::<T, M>(model, x, baselines, spec, targets),
        || {
            rayon::join(
                || outputs_targets::<T, M>(model, x, targets, spec.output, eval_chunk),
                || outputs_targets::<T, M>(model, baselines, targets, spec.output, eval_chunk),
            )
        },
    );
    let PathSums { sums, chunks, gradients_computed } = paths?;
    let kf = k as f64;
    let results = sums
        .into_iter()
        .zip(outputs)
        .zip(baseline_outputs)
        .zip(gradients_computed)
        .map(|(((sums, output), base), gradients_computed)| {
            let mut attributions = Tensor::<f64>::zeros(x.raw_dim());
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
            let baseline_output = base.iter().sum::<f64>() / kf;
            PassResult { attributions, output, baseline_output, chunks, gradients_computed }
        })
        .collect();
    Ok(results)
}

/// The path sums of [`integrate_targets`] and what computing them took.
struct PathSums {
    /// `sums[t][p]`: `G_{t,p}`, `[row_len]` per class and pair.
    sums: Vec<Vec<Vec<f64>>>,
    /// Chunks run.
    chunks: usize,
    /// Backwards run, per class.
    gradients_computed: Vec<usize>,
}

/// `G_{t,p} = Σ_s w_s ∇F_t(point(p, s))` for every class `t` of `targets`
/// and pair `p = r·K + k`, in step order.
fn path_sums<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    spec: &PassSpec<'_>,
    targets: &[usize],
) -> Result<PathSums, IgError> {
    let (r, k) = (x.shape()[0], baselines.shape()[0]);
    let row_len: usize = model.row_shape().iter().product();
    let groups: Vec<Group> = (0..r * k).map(|p| Group { row: p / k, baseline: p % k, lo: 0.0, hi: 1.0 }).collect();
    // Path-averaged gradients G_{t,p} = Σ_s w_s ∇F_t(point(p, s)) per class
    // and pair, in step order. A path whose n points do not fit one chunk's
    // share of the budget is walked in blocks of steps, each block's sum
    // continuing the previous one, so the additions (and the bits) are
    // those of one block.
    let threads = rayon::current_num_threads().max(1);
    let blocks = path_blocks(model, spec.alphas.len(), groups.len(), spec.memory_budget);
    let points = |b: &std::ops::Range<usize>| PointSpec {
        nodes: &spec.alphas[b.clone()],
        seeds: &spec.weights[b.clone()],
        target: spec.target,
        output: spec.output,
        memory_budget: spec.memory_budget,
    };
    // sums[t][p]: the running G_{t,p}.
    let mut sums: Vec<Vec<Vec<f64>>> = vec![vec![vec![0.0f64; row_len]; groups.len()]; targets.len()];
    let (mut chunks, mut gradients_computed) = (0, vec![0; targets.len()]);
    let mut count = |mapped: &MappedTargets<_>| {
        chunks += mapped.chunks;
        gradients_computed.iter_mut().zip(&mapped.gradients_computed).for_each(|(a, c)| *a += c);
    };
    let kept = groups.len() * spec.alphas.len() * row_len * targets.len();
    if blocks.len() > 1 && (groups.len() < threads || kept <= KEPT_GRADIENTS) {
        // Few paths (one row), or few enough that every point's gradient
        // can be kept: the blocks run side by side (no wait for the
        // slowest chunk of one block before the next starts), each
        // returning its points' gradients, which are then added in step
        // order.
        let mapped: Vec<MappedTargets<Vec<f64>>> = blocks
            .par_iter()
            .map(|b| {
                let keep = |_: usize, _: &Group, grads: &[f64], _: &[f64]| grads.to_vec();
                map_block::<T, M>(model, (x, baselines), &groups, &points(b), targets, &keep)
            })
            .collect::<Result<_, _>>()?;
        for block in mapped {
            count(&block);
            for (p, per_target) in block.results.into_iter().enumerate() {
                for (t, grads) in per_target.into_iter().enumerate() {
                    add_points(&mut sums[t][p], &grads.expect("every group wants every target"), row_len);
                }
            }
        }
    } else {
        // Many paths: the blocks one after the other (each parallel over
        // its chunks of paths), each block's sums continuing the last.
        for b in &blocks {
            let prev = &sums;
            let reduce = |t: usize, g: &Group, grads: &[f64], _: &[f64]| {
                let mut sum = prev[t][g.row * k + g.baseline].clone();
                add_points(&mut sum, grads, row_len);
                sum
            };
            let mapped = map_block::<T, M>(model, (x, baselines), &groups, &points(b), targets, &reduce)?;
            count(&mapped);
            let mut next: Vec<Vec<Vec<f64>>> = vec![Vec::with_capacity(groups.len()); targets.len()];
            for per_group in mapped.results {
                for (t, s) in per_group.into_iter().enumerate() {
                    next[t].push(s.expect("every group wants every target"));
                }
            }
            sums = next;
        }
    }

    Ok(PathSums { sums, chunks, gradients_computed })
}

/// The chunks [`integrate`] runs for `pairs` (row, baseline) pairs and
/// `steps` nodes on the current rayon pool, as `(pairs, points)` per chunk
/// (each chunk's forward and backward run on `pairs · points` stacked
/// points), in the order the pass forms them: per block of steps
/// ([`step_blocks`]), chunks of whole pairs. For benches and memory
/// planning; the pass itself does not call it.
///
/// ```
/// use glassbox_autodiff::Var;
/// use glassbox_ig::integrate::{chunk_plan, CHUNK_POINTS};
/// use glassbox_ig::Explainable;
///
/// struct Square;
/// impl Explainable for Square {
///     fn row_shape(&self) -> Vec<usize> { vec![1] }
///     fn n_outputs(&self) -> usize { 1 }
///     fn forward_f32(&self, x: &Var<f32>) -> Var<f32> { x.mul(x) }
///     fn forward_f64(&self, x: &Var<f64>) -> Var<f64> { x.mul(x) }
/// }
/// let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
/// let plan = pool.install(|| chunk_plan(&Square, 3, 50, 256 << 20));
/// // Blocks of at most CHUNK_POINTS steps, every pair's points in each.
/// assert!(plan.iter().all(|&(pairs, points)| pairs >= 1 && points <= CHUNK_POINTS));
/// let points: usize = plan.iter().map(|&(pairs, points)| pairs * points).sum();
/// assert_eq!(points, 3 * 50);
/// ```
pub fn chunk_plan<M: Explainable + ?Sized>(
    model: &M,
    pairs: usize,
    steps: usize,
    memory_budget: usize,
) -> Vec<(usize, usize)> {
    let mut plan = Vec::new();
    for block in path_blocks(model, steps, pairs, memory_budget) {
        let per = groups_per_chunk(model, memory_budget, block.len());
        plan.extend((0..pairs).step_by(per).map(|start| ((start + per).min(pairs) - start, block.len())));
    }
    plan
}

/// The blocks of steps `0..n` the pass walks `paths` paths in, on the
/// current rayon pool ([`step_blocks`] with this model's chunk size).
fn path_blocks<M: Explainable + ?Sized>(
    model: &M,
    n: usize,
    paths: usize,
    memory_budget: usize,
) -> Vec<std::ops::Range<usize>> {
    let threads = rayon::current_num_threads().max(1);
    step_blocks(n, paths, threads, chunk_bytes(model, memory_budget), model.bytes_per_row())
}

/// Per-point gradient values (f64) the pass may keep at once to run its
/// blocks side by side: 32 MiB (an `explain` part of 32 rows at 50 steps
/// keeps 50 000 for 31 features).
const KEPT_GRADIENTS: usize = 1 << 22;

/// The blocks of steps `0..n` for `paths` paths on `threads` threads, a
/// chunk holding `per_chunk` bytes ([`chunk_bytes`]: at most
/// [`CHUNK_POINTS`](crate::integrate::CHUNK_POINTS) points): with at least
/// as many paths as threads, blocks as long as a chunk holds (one block
/// when it holds the whole path); with fewer paths (one row), a multiple
/// of `⌈threads/paths⌉` such blocks, so that every thread has a block of
/// its own. Either way of near-equal length, longest first. Blocks only
/// decide what runs together; the sum is in step order either way.
fn step_blocks(
    n: usize,
    paths: usize,
    threads: usize,
    per_chunk: usize,
    bytes_per_point: usize,
) -> Vec<std::ops::Range<usize>> {
    if n == 0 {
        return Vec::new();
    }
    let fit = (per_chunk / bytes_per_point.max(1)).clamp(1, n);
    let pieces = if paths < threads {
        let per_round = threads.div_ceil(paths.max(1));
        (n.div_ceil(fit).div_ceil(per_round) * per_round).min(n)
    } else {
        n.div_ceil(fit)
    };
    // The longer blocks first, so that a thread's next block is never
    // longer than its first (whose buffers it reuses).
    let (short, extra) = (n / pieces, n % pieces);
    let start = |i: usize| i * short + i.min(extra);
    (0..pieces).map(|i| start(i)..start(i + 1)).filter(|r| !r.is_empty()).collect()
}

/// A group's new value from its class, its points' gradients and outputs.
type BlockReduce<'r> = dyn Fn(usize, &Group, &[f64], &[f64]) -> Vec<f64> + Sync + 'r;

/// One block of steps for every group: each group's point gradients
/// reduced by `reduce` to its new value (the points kept, or the running
/// sum continued).
fn map_block<T: Float, M: Explainable + ?Sized>(
    model: &M,
    (x, baselines): (&Tensor<f64>, &Tensor<f64>),
    groups: &[Group],
    points: &PointSpec<'_>,
    targets: &[usize],
    reduce: &BlockReduce<'_>,
) -> Result<MappedTargets<Vec<f64>>, IgError> {
    gradient_map_targets::<T, M, _, _, _>(model, x, baselines, groups, points, targets, |_, _| true, reduce)
}

/// `sum += g_s` for each point's gradient `g_s` (`row_len` values each) of
/// `grads`, in point order.
fn add_points(sum: &mut [f64], grads: &[f64], row_len: usize) {
    for point in grads.chunks(row_len.max(1)) {
        sum.iter_mut().zip(point).for_each(|(o, v)| *o += v);
    }
}
