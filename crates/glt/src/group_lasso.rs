//! The group-lasso penalty on the tokenizer rows and its proximal step.
//!
//! Features are partitioned into groups `g` of `p_g` features; `W_g` are
//! the tokenizer rows `W[f,:]` of the group's features. The penalty is
//! `λ·Σ_g √p_g·‖W_g‖_F`, and after every optimizer step the proximal map
//! (block soft-threshold) `W_g ← max(0, 1 − η·λ·√p_g / ‖W_g‖_F)·W_g`
//! (`η` = current learning rate) sets whole groups to exact zeros.

use glassbox_autodiff::Tensor;
use ndarray::Axis;

/// The penalty for a partition of the tokenizer rows.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupLasso {
    /// Strength `λ ≥ 0`.
    pub lambda: f64,
    /// Feature indices (tokenizer rows) of each group.
    pub groups: Vec<Vec<usize>>,
}

impl GroupLasso {
    /// `‖W_g‖_F` of every group (in f64).
    pub fn norms(&self, w: &Tensor<f32>) -> Vec<f64> {
        self.groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|&f| w.index_axis(Axis(0), f).iter().map(|&v| f64::from(v).powi(2)).sum::<f64>())
                    .sum::<f64>()
                    .sqrt()
            })
            .collect()
    }

    /// `λ·Σ_g √p_g·‖W_g‖_F`.
    pub fn penalty(&self, w: &Tensor<f32>) -> f64 {
        let norms = self.norms(w);
        self.lambda * self.groups.iter().zip(&norms).map(|(g, n)| (g.len() as f64).sqrt() * n).sum::<f64>()
    }

    /// The proximal step with step size `eta`; returns how many groups are
    /// exactly zero afterwards.
    ///
    /// ```
    /// use glassbox_glt::group_lasso::GroupLasso;
    /// use ndarray::array;
    /// // Group {0, 1} has ‖W_g‖ = 5 and √p = √2; threshold η·λ·√2 = √2.
    /// let lasso = GroupLasso { lambda: 1.0, groups: vec![vec![0, 1], vec![2]] };
    /// let mut w = array![[3.0f32, 0.0], [0.0, 4.0], [0.5, 0.0]].into_dyn();
    /// assert_eq!(lasso.prox(&mut w, 1.0), 1); // group {2}: ‖0.5‖ ≤ 1 → exact zero
    /// let scale = 1.0 - 2f64.sqrt() / 5.0;
    /// assert!((f64::from(w[[0, 0]]) - 3.0 * scale).abs() < 1e-6);
    /// assert_eq!(w[[2, 0]], 0.0);
    /// ```
    pub fn prox(&self, w: &mut Tensor<f32>, eta: f64) -> usize {
        let norms = self.norms(w);
        let mut zero = 0;
        for (g, norm) in self.groups.iter().zip(norms) {
            let threshold = eta * self.lambda * (g.len() as f64).sqrt();
            let scale = if norm > threshold { 1.0 - threshold / norm } else { 0.0 };
            if scale == 0.0 {
                zero += 1;
            }
            for &f in g {
                let mut row = w.index_axis_mut(Axis(0), f);
                if scale == 0.0 {
                    row.fill(0.0);
                } else {
                    row.mapv_inplace(|v| (f64::from(v) * scale) as f32);
                }
            }
        }
        zero
    }
}
