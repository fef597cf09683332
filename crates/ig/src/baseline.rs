//! Baselines `x'` (SPEC §4): zero, the training mean, explicit rows, and
//! the averaged baselines of Bardhan et al. ("Constructing sensible
//! baselines for Integrated Gradients"): `K` rows drawn (seeded) from a
//! reference set, uniformly (`B_bg`) or with probability ∝ a weight such as
//! a cross-section (`B_bgw`). The attribution is then the mean of the `K`
//! IG runs, and completeness holds against the mean baseline output.

use glassbox_autodiff::Tensor;
use ndarray::{Axis, IxDyn};
use rand::seq::index::sample;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::IgError;

/// Where the baseline rows come from.
#[derive(Clone, Debug, PartialEq)]
pub enum Baseline {
    /// `x' = 0` in raw units.
    Zero,
    /// A per-feature vector (e.g. the training mean), repeated over time
    /// steps for `[T, F]` rows.
    Mean(Vec<f64>),
    /// Explicit baseline rows `[K, ..row]`.
    Rows(Tensor<f64>),
    /// `count` distinct rows drawn uniformly from `reference [M, ..row]`.
    Background {
        /// Candidate rows (e.g. the label-0 rows).
        reference: Tensor<f64>,
        /// `K`.
        count: usize,
        /// RNG seed.
        seed: u64,
    },
    /// `count` rows drawn with replacement, `P(row i) ∝ weights[i]`.
    Weighted {
        /// Candidate rows.
        reference: Tensor<f64>,
        /// Non-negative weight per candidate row.
        weights: Vec<f64>,
        /// `K`.
        count: usize,
        /// RNG seed.
        seed: u64,
    },
}

impl Baseline {
    /// The kind's name, as in the JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Baseline::Zero => "zero",
            Baseline::Mean(_) => "mean",
            Baseline::Rows(_) => "rows",
            Baseline::Background { .. } => "background",
            Baseline::Weighted { .. } => "weighted",
        }
    }

    /// The baseline rows `[K, ..row]` for rows of shape `row`.
    ///
    /// ```
    /// use glassbox_ig::Baseline;
    /// use ndarray::array;
    /// let reference = array![[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]].into_dyn();
    /// let b = Baseline::Background { reference, count: 2, seed: 7 }.resolve(&[2]).unwrap();
    /// assert_eq!(b.shape(), &[2, 2]);
    /// ```
    pub fn resolve(&self, row: &[usize]) -> Result<Tensor<f64>, IgError> {
        let mut shape = vec![1];
        shape.extend_from_slice(row);
        let check = |t: &Tensor<f64>, what: &str| {
            if t.ndim() != row.len() + 1 || t.shape()[1..] != *row {
                return Err(IgError::Shape(format!(
                    "{what} rows have shape {:?}; the model's rows are {row:?}",
                    &t.shape()[1..]
                )));
            }
            Ok(())
        };
        match self {
            Baseline::Zero => Ok(Tensor::zeros(IxDyn(&shape))),
            Baseline::Mean(mean) => {
                let f = *row.last().unwrap_or(&0);
                if mean.len() != f {
                    return Err(IgError::Shape(format!("a mean of {} values for {f} features", mean.len())));
                }
                Ok(Tensor::from_shape_fn(IxDyn(&shape), |i| mean[i[row.len()]]))
            }
            Baseline::Rows(rows) => {
                check(rows, "baseline")?;
                if rows.shape()[0] == 0 {
                    return Err(IgError::Baseline("no baseline rows given".into()));
                }
                Ok(rows.clone())
            }
            Baseline::Background { reference, count, seed } => {
                check(reference, "reference")?;
                let m = reference.shape()[0];
                if *count == 0 || *count > m {
                    return Err(IgError::Baseline(format!(
                        "{count} background baselines asked for, but {m} reference rows match (use --baselines {m} or fewer)"
                    )));
                }
                let mut picked = sample(&mut ChaCha8Rng::seed_from_u64(*seed), m, *count).into_vec();
                picked.sort_unstable();
                Ok(reference.select(Axis(0), &picked))
            }
            Baseline::Weighted { reference, weights, count, seed } => {
                check(reference, "reference")?;
                let m = reference.shape()[0];
                if weights.len() != m {
                    return Err(IgError::Baseline(format!("{} weights for {m} reference rows", weights.len())));
                }
                if let Some(i) = weights.iter().position(|w| !w.is_finite() || *w < 0.0) {
                    return Err(IgError::Baseline(format!(
                        "reference row {i} has weight {}: weights must be finite and ≥ 0",
                        weights[i]
                    )));
                }
                let total: f64 = weights.iter().sum();
                if *count == 0 || total <= 0.0 {
                    return Err(IgError::Baseline(format!(
                        "cannot draw {count} weighted baselines from a total weight of {total}"
                    )));
                }
                let cumulative: Vec<f64> = weights
                    .iter()
                    .scan(0.0, |s, w| {
                        *s += w;
                        Some(*s)
                    })
                    .collect();
                let mut rng = ChaCha8Rng::seed_from_u64(*seed);
                let picked: Vec<usize> = (0..*count)
                    .map(|_| {
                        let u = rng.random::<f64>() * total;
                        cumulative.partition_point(|&c| c <= u).min(m - 1)
                    })
                    .collect();
                Ok(reference.select(Axis(0), &picked))
            }
        }
    }
}
