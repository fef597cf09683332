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

/// `F` of every row of `x` (no tape), in chunks.
pub fn outputs<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    target: usize,
    output: Output,
    chunk: usize,
) -> Vec<f64> {
    outputs_targets::<T, M>(model, x, &[target], output, chunk).pop().unwrap_or_default()
}

/// `F_t` of every row of `x` for every class `t` of `targets` (no tape),
/// `[targets.len()][N]`: one forward per chunk, shared by the classes
/// ([`Output::of_each`]), so entry `i` has the bits of
/// [`outputs`]`(.., targets[i], ..)`.
pub fn outputs_targets<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    targets: &[usize],
    output: Output,
    chunk: usize,
) -> Vec<Vec<f64>> {
    let n = x.shape()[0];
    let starts: Vec<usize> = (0..n).step_by(chunk.max(1)).collect();
    let parts: Vec<Vec<Vec<f64>>> = starts
        .par_iter()
        .map(|&s| {
            let part = x.slice_axis(Axis(0), Slice::from(s..(s + chunk).min(n))).mapv(|v| T::c(v));
            let fs = output.of_each(&T::forward(model, &Var::constant(part)), targets);
            fs.iter().map(|f| f.value().iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect()).collect()
        })
        .collect();
    (0..targets.len()).map(|t| parts.iter().flat_map(|p| p[t].iter().copied()).collect()).collect()
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
    /// Explained class (not used by [`gradient_map_targets`], which takes
    /// its classes apart).
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

/// What [`gradient_map_targets`] computed.
#[derive(Clone, Debug)]
pub struct MappedTargets<R> {
    /// Per group (in group order), per target (in `targets` order): the
    /// reduction, or `None` where the group did not want that target.
    pub results: Vec<Vec<Option<R>>>,
    /// Number of chunks (each one forward, shared by the targets).
    pub chunks: usize,
    /// Per target: leaf gradients its backward passes computed (one per
    /// chunk in which some group wanted it).
    pub gradients_computed: Vec<usize>,
}

pub(crate) fn check_shapes<M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    targets: &[usize],
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
    if let Some(t) = targets.iter().find(|&&t| t >= model.n_outputs()) {
        return Err(IgError::Config(format!("target class {t} but the model has {} outputs", model.n_outputs())));
    }
    if baselines.shape()[0] == 0 {
        return Err(IgError::Baseline("no baseline rows".into()));
    }
    Ok(())
}

/// Points one chunk holds at most, whatever the budget: its tape then stays
/// near the size of a core's cache (12 points of the issue-16 model, 31
/// tokens and d = 64, are 372 token rows), and its thread reuses the same
/// buffers from one chunk to the next. Larger chunks streamed their tape
/// through memory: one row at 50 steps on one thread (one chunk of 50
/// points) took 35 ms against 18 ms in chunks of 10, and 20 rows 410 ms
/// against 357 ms, the same bits.
pub const CHUNK_POINTS: usize = 12;

/// Bytes of tape one chunk may use: its share of the budget (the chunks
/// running at once, one per thread, share it), and no more than
/// [`CHUNK_POINTS`] points.
pub(crate) fn chunk_bytes<M: Explainable + ?Sized>(model: &M, memory_budget: usize) -> usize {
    let share = memory_budget / rayon::current_num_threads().max(1);
    share.min(CHUNK_POINTS * model.bytes_per_row().max(1))
}

/// Groups per chunk of [`chunk_bytes`] (at least one).
pub(crate) fn groups_per_chunk<M: Explainable + ?Sized>(
    model: &M,
    memory_budget: usize,
    points_per_group: usize,
) -> usize {
    (chunk_bytes(model, memory_budget) / (model.bytes_per_row().max(1) * points_per_group.max(1))).max(1)
}

/// Fills `points [groups·n, ..row]` (in precision `T`) for `groups`.
pub(crate) fn fill_points<T: Float>(
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    groups: &[Group],
    nodes: &[f64],
) -> Tensor<T> {
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
    let m = gradient_map_targets::<T, M, R, _, _>(
        model,
        x,
        baselines,
        groups,
        spec,
        &[spec.target],
        |_, _| true,
        |_, g, grads, f| reduce(g, grads, f),
    )?;
    Ok(Mapped {
        results: m
            .results
            .into_iter()
            .map(|mut r| r.pop().flatten().expect("every group wants its one target"))
            .collect(),
        chunks: m.chunks,
        gradients_computed: m.gradients_computed[0],
    })
}

/// [`gradient_map`] for several classes over one forward: per chunk, the
/// forward `x ↦ logits [n·G, C]` runs once, then one backward per class
/// `t` of `targets` (seed `s_j` on `F_t`, the tape kept between them:
/// a backward borrows the tape and consumes nothing). `wanted(g, i)` says
/// whether group `g` (its index in `groups`) needs class `targets[i]`;
/// a class no group of a chunk wants gets no backward there, and
/// `reduce(i, group, grads, f)` runs only for wanted pairs.
///
/// Bitwise: the backward of `F_t` walks the nodes `F_t` depends on (the
/// forward, the shared softmax, its own select) with the same seed as a
/// pass of that class alone, and a point's gradient does not depend on
/// the other points of its chunk, so every reduction has the bits of
/// [`gradient_map`] with `target = targets[i]` over the wanted groups.
/// `spec.target` is not used.
///
/// ```
/// use glassbox_autodiff::Var;
/// use glassbox_ig::integrate::{gradient_map, gradient_map_targets, Group, PointSpec};
/// use glassbox_ig::{Explainable, Output};
/// use ndarray::array;
///
/// /// logits (x₀², 3·x₀): two classes.
/// struct Two;
/// impl Explainable for Two {
///     fn row_shape(&self) -> Vec<usize> { vec![1] }
///     fn n_outputs(&self) -> usize { 2 }
///     fn forward_f32(&self, x: &Var<f32>) -> Var<f32> { Var::concat(&[x.mul(x), x.mul_scalar(3.0)], 1) }
///     fn forward_f64(&self, x: &Var<f64>) -> Var<f64> { Var::concat(&[x.mul(x), x.mul_scalar(3.0)], 1) }
/// }
/// let (x, b) = (array![[2.0]].into_dyn(), array![[0.0]].into_dyn());
/// let spec = PointSpec { nodes: &[0.5, 1.0], seeds: &[1.0, 1.0], target: 0, output: Output::Logit, memory_budget: 1 << 20 };
/// let g = [Group { row: 0, baseline: 0, lo: 0.0, hi: 1.0 }];
/// let both = gradient_map_targets::<f64, _, _, _, _>(&Two, &x, &b, &g, &spec, &[0, 1], |_, _| true, |_, _, grads, _| grads.to_vec()).unwrap();
/// // ∂(x²)/∂x at x = 1 and 2: 2 and 4; ∂(3x)/∂x = 3.
/// assert_eq!(both.results[0], [Some(vec![2.0, 4.0]), Some(vec![3.0, 3.0])]);
/// let alone = gradient_map::<f64, _, _, _>(&Two, &x, &b, &g, &PointSpec { target: 1, ..spec }, |_, grads, _| grads.to_vec()).unwrap();
/// assert_eq!(both.results[0][1].as_ref(), Some(&alone.results[0]));
/// ```
#[allow(clippy::too_many_arguments)]
pub fn gradient_map_targets<T, M, R, W, F>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    groups: &[Group],
    spec: &PointSpec<'_>,
    targets: &[usize],
    wanted: W,
    reduce: F,
) -> Result<MappedTargets<R>, IgError>
where
    T: Float,
    M: Explainable + ?Sized,
    R: Send,
    W: Fn(usize, usize) -> bool + Sync,
    F: Fn(usize, &Group, &[f64], &[f64]) -> R + Sync,
{
    check_shapes(model, x, baselines, targets)?;
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

    type Chunk<R> = (Vec<Vec<Option<R>>>, Vec<usize>);
    let parts: Vec<Chunk<R>> = chunk_starts
        .par_iter()
        .map(|&start| {
            let part = &groups[start..(start + per).min(groups.len())];
            let points = fill_points::<T>(x, baselines, part, spec.nodes);
            let seed: Vec<T> = (0..part.len()).flat_map(|_| spec.seeds.iter().map(|&w| T::c(w))).collect();
            let seed = Tensor::from_shape_vec(IxDyn(&[seed.len()]), seed).expect("one seed per point");
            let tape = Tape::new();
            let input = tape.leaf(points);
            let fs = spec.output.of_each(&T::forward(model, &input), targets);
            let mut out: Vec<Vec<Option<R>>> =
                part.iter().map(|_| std::iter::repeat_with(|| None).take(targets.len()).collect()).collect();
            let mut counts = vec![0; targets.len()];
            for (t, f) in fs.iter().enumerate() {
                if !(0..part.len()).any(|i| wanted(start + i, t)) {
                    continue;
                }
                let values: Vec<f64> = f.value().iter().map(|y| y.to_f64().unwrap_or(f64::NAN)).collect();
                let grads = f.backward_with(seed.clone());
                let g = grads.get(&input).expect("F depends on its input");
                let g = g.as_standard_layout();
                let flat: Vec<f64> =
                    g.as_slice().expect("standard layout").iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect();
                for (i, grp) in part.iter().enumerate().filter(|(i, _)| wanted(start + i, t)) {
                    let (pts, vals) = (&flat[i * n * row_len..(i + 1) * n * row_len], &values[i * n..(i + 1) * n]);
                    out[i][t] = Some(reduce(t, grp, pts, vals));
                }
                counts[t] += grads.count();
            }
            (out, counts)
        })
        .collect();
    let mut out = MappedTargets {
        results: Vec::with_capacity(groups.len()),
        chunks: parts.len(),
        gradients_computed: vec![0; targets.len()],
    };
    for (results, counts) in parts {
        out.results.extend(results);
        out.gradients_computed.iter_mut().zip(counts).for_each(|(a, c)| *a += c);
    }
    Ok(out)
}

pub use crate::fixed::{chunk_plan, integrate, integrate_targets, PassResult, PassSpec};
pub use crate::scan::{path_outputs, path_outputs_targets};
