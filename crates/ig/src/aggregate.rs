//! Aggregations of attributions `A [R, ..row]`: per group (sum over the
//! group's features), per time step and per (time, feature) for `[T, F]`
//! rows, and global importance over a data set (mean |IG| per feature and
//! mean IG per predicted class).

use ndarray::{Array2, Axis};

use crate::IgError;
use glassbox_autodiff::Tensor;

/// `A` summed to one value per feature `[R, F]` (sums over time steps for
/// `[R, T, F]`).
pub fn per_feature(a: &Tensor<f64>) -> Result<Array2<f64>, IgError> {
    let f = match a.ndim() {
        2 => return Ok(a.clone().into_dimensionality().expect("2-D")),
        3 => a.sum_axis(Axis(1)),
        _ => return Err(IgError::Shape(format!("attributions of shape {:?}", a.shape()))),
    };
    Ok(f.into_dimensionality().expect("2-D"))
}

/// Per time step `[R, T]` (sum over features) of `[R, T, F]` attributions.
pub fn per_time_step(a: &Tensor<f64>) -> Result<Array2<f64>, IgError> {
    if a.ndim() != 3 {
        return Err(IgError::Shape(format!("per-time-step sums need [R, T, F] attributions, got {:?}", a.shape())));
    }
    Ok(a.sum_axis(Axis(2)).into_dimensionality().expect("2-D"))
}

/// Per group `[R, G]`: `Σ_{f ∈ g} A[r, f]` from per-feature attributions.
///
/// ```
/// use glassbox_ig::aggregate::per_group;
/// use ndarray::array;
/// let a = array![[1.0, 2.0, 4.0]];
/// assert_eq!(per_group(&a, &[vec![0, 2], vec![1]]).unwrap(), array![[5.0, 2.0]]);
/// ```
pub fn per_group(per_feature: &Array2<f64>, groups: &[Vec<usize>]) -> Result<Array2<f64>, IgError> {
    let f = per_feature.ncols();
    if let Some(bad) = groups.iter().flatten().find(|&&i| i >= f) {
        return Err(IgError::Shape(format!("a group names feature {bad} of {f}")));
    }
    Ok(Array2::from_shape_fn((per_feature.nrows(), groups.len()), |(r, g)| {
        groups[g].iter().map(|&i| per_feature[[r, i]]).sum()
    }))
}

/// Importance over many rows.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GlobalImportance {
    /// `mean_r |A[r, f]|` per feature (flattened `T·F` in sequence mode).
    pub mean_abs: Vec<f64>,
    /// `mean_{r: predicted r = c} A[r, f]` per class `c` (empty classes
    /// give an empty list).
    pub mean_by_class: Vec<Vec<f64>>,
    /// Rows per predicted class.
    pub rows_by_class: Vec<usize>,
}

/// Global importance of attributions `A [R, ..]` given each row's
/// predicted class: [`GlobalSums`] over the rows in order.
pub fn global(a: &Tensor<f64>, predicted: &[usize], n_classes: usize) -> Result<GlobalImportance, IgError> {
    let r = a.shape().first().copied().unwrap_or(0);
    if predicted.len() != r || predicted.iter().any(|&c| c >= n_classes) {
        return Err(IgError::Shape(format!("{} predicted classes (< {n_classes}) for {r} rows", predicted.len())));
    }
    let flat = a.to_shape((r, a.len() / r.max(1))).map_err(|e| IgError::Shape(e.to_string()))?;
    let mut sums = GlobalSums::new(flat.ncols(), n_classes);
    for (row, &c) in flat.axis_iter(Axis(0)).zip(predicted) {
        sums.add(row.iter().copied(), c);
    }
    Ok(sums.finish())
}

/// The running sums of [`global`], one row at a time (rows arriving part
/// by part): `Σ_r |A[r, f]|`, `Σ_{r: ŷ_r = c} A[r, f]` and the counts. The
/// rows are added in the order given, so the result is bitwise that of
/// [`global`] over the same rows.
///
/// ```
/// use glassbox_ig::aggregate::GlobalSums;
/// let mut s = GlobalSums::new(2, 2);
/// s.add([1.0, -2.0], 0);
/// s.add([3.0, 2.0], 0);
/// let g = s.finish();
/// assert_eq!((g.mean_abs, g.mean_by_class[0].clone(), g.rows_by_class), (vec![2.0, 2.0], vec![2.0, 0.0], vec![2, 0]));
/// ```
#[derive(Clone, Debug)]
pub struct GlobalSums {
    rows: usize,
    abs: Vec<f64>,
    by_class: Vec<Vec<f64>>,
    counts: Vec<usize>,
}

impl GlobalSums {
    /// Empty sums for rows of `width` cells and `n_classes` classes.
    pub fn new(width: usize, n_classes: usize) -> Self {
        GlobalSums {
            rows: 0,
            abs: vec![0.0; width],
            by_class: vec![vec![0.0; width]; n_classes],
            counts: vec![0; n_classes],
        }
    }

    /// Adds one row's attributions (`width` cells) predicted as `class`
    /// (`class < n_classes`).
    pub fn add(&mut self, row: impl IntoIterator<Item = f64>, class: usize) {
        self.rows += 1;
        self.counts[class] += 1;
        for ((a, s), v) in self.abs.iter_mut().zip(self.by_class[class].iter_mut()).zip(row) {
            *a += v.abs();
            *s += v;
        }
    }

    /// Rows added.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of classes.
    pub fn classes(&self) -> usize {
        self.counts.len()
    }

    /// The means.
    pub fn finish(self) -> GlobalImportance {
        let n = self.rows.max(1) as f64;
        let mean_by_class = self
            .by_class
            .into_iter()
            .zip(&self.counts)
            .map(|(s, &c)| if c == 0 { Vec::new() } else { s.into_iter().map(|v| v / c as f64).collect() })
            .collect();
        GlobalImportance {
            mean_abs: self.abs.into_iter().map(|m| m / n).collect(),
            mean_by_class,
            rows_by_class: self.counts,
        }
    }
}
