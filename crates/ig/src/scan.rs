//! The forward-only counterpart of the batched evaluator: `F` along paths
//! (no tape), for the adaptive engine's scan, for one class or several
//! from one forward per chunk.

use glassbox_autodiff::{Tensor, Var};
use rayon::prelude::*;

use crate::explainable::{Explainable, Float, Output};
use crate::integrate::{check_shapes, fill_points, groups_per_chunk, Group};
use crate::IgError;

/// `F(b_k + α_j·(x_r − b_k))` for every path `(r, k)` of `paths` and every
/// `α_j` of `alphas`, forward only (no tape): `[paths.len(), alphas.len()]`
/// flat, chunked from `memory_budget` like
/// [`gradient_map_targets`](crate::integrate::gradient_map_targets) and
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
    let mut all = path_outputs_targets::<T, M>(model, x, baselines, paths, alphas, &[target], output, memory_budget)?;
    Ok(all.pop().unwrap_or_default())
}

/// [`path_outputs`] for every class of `targets` from one forward per
/// chunk: `[targets.len()][paths.len()·alphas.len()]`, entry `i` with the
/// bits of [`path_outputs`] for `targets[i]`.
#[allow(clippy::too_many_arguments)]
pub fn path_outputs_targets<T: Float, M: Explainable + ?Sized>(
    model: &M,
    x: &Tensor<f64>,
    baselines: &Tensor<f64>,
    paths: &[(usize, usize)],
    alphas: &[f64],
    targets: &[usize],
    output: Output,
    memory_budget: usize,
) -> Result<Vec<Vec<f64>>, IgError> {
    check_shapes(model, x, baselines, targets)?;
    let groups: Vec<Group> = paths.iter().map(|&(row, baseline)| Group { row, baseline, lo: 0.0, hi: 1.0 }).collect();
    let (r, k) = (x.shape()[0], baselines.shape()[0]);
    if let Some(g) = groups.iter().find(|g| g.row >= r || g.baseline >= k) {
        return Err(IgError::Config(format!("path {g:?} outside {r} rows and {k} baselines")));
    }
    let per = groups_per_chunk(model, memory_budget, alphas.len());
    let starts: Vec<usize> = (0..groups.len()).step_by(per).collect();
    let parts: Vec<Vec<Vec<f64>>> = starts
        .par_iter()
        .map(|&start| {
            let part = &groups[start..(start + per).min(groups.len())];
            let points = fill_points::<T>(x, baselines, part, alphas);
            let fs = output.of_each(&T::forward(model, &Var::constant(points)), targets);
            fs.iter().map(|f| f.value().iter().map(|v| v.to_f64().unwrap_or(f64::NAN)).collect()).collect()
        })
        .collect();
    Ok((0..targets.len()).map(|t| parts.iter().flat_map(|p| p[t].iter().copied()).collect()).collect())
}
