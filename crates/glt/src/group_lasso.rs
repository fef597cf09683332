//! The group-lasso penalty on the tokenizer rows and its proximal step.
//!
//! Features are partitioned into groups `g` of `p_g` features; `W_g` are
//! the tokenizer rows `W[f,:]` of the group's features. The penalty is
//! `λ·Σ_g √p_g·‖W_g‖_F`, and after every optimizer step the proximal map
//! (block soft-threshold) `W_g ← max(0, 1 − η·λ·√p_g / ‖W_g‖_F)·W_g`
//! (`η` = current learning rate) sets whole groups to exact zeros.
//!
//! The relaxed refit ([`crate::refit`]) fits with `λ = 0` on a chosen
//! support: the groups outside it are *held at zero*, their rows reset to
//! exact zeros after every step, so the refit never brings back a group the
//! path dropped.

use glassbox_autodiff::Tensor;
use ndarray::Axis;

/// The penalty for a partition of the tokenizer rows.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupLasso {
    /// Strength `λ ≥ 0`.
    pub lambda: f64,
    /// Feature indices (tokenizer rows) of each group.
    pub groups: Vec<Vec<usize>>,
    /// Per group: held at exact zero whatever the gradient (empty: none).
    pub held_at_zero: Vec<bool>,
}

impl GroupLasso {
    /// The penalty `λ` over `groups`, no group held at zero.
    pub fn new(lambda: f64, groups: Vec<Vec<usize>>) -> Self {
        GroupLasso { lambda, groups, held_at_zero: Vec::new() }
    }

    /// No penalty (`λ = 0`), every group outside `support` held at zero:
    /// the relaxed refit of a selected model.
    pub fn on_support(groups: Vec<Vec<usize>>, support: &[bool]) -> Self {
        GroupLasso { lambda: 0.0, held_at_zero: support.iter().map(|&kept| !kept).collect(), groups }
    }

    /// Whether the penalty shrinks (`λ > 0`): a shrunken fit's validation
    /// loss rises by design, so such fits are not early-stopped on it.
    pub fn shrinks(&self) -> bool {
        self.lambda > 0.0
    }

    /// Whether the proximal step changes anything (`λ > 0`, or groups held at zero).
    pub fn constrains(&self) -> bool {
        self.shrinks() || self.held_at_zero.iter().any(|&z| z)
    }

    fn held(&self, g: usize) -> bool {
        self.held_at_zero.get(g).copied().unwrap_or(false)
    }

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

    /// Per group: whether its rows are non-zero (`‖W_g‖_F > 0`), the support.
    pub fn support(&self, w: &Tensor<f32>) -> Vec<bool> {
        support_of(&self.norms(w))
    }

    /// `λ·Σ_g √p_g·‖W_g‖_F`.
    pub fn penalty(&self, w: &Tensor<f32>) -> f64 {
        let norms = self.norms(w);
        self.lambda * self.groups.iter().zip(&norms).map(|(g, n)| (g.len() as f64).sqrt() * n).sum::<f64>()
    }

    /// The proximal step with step size `eta` (groups held at zero are
    /// zeroed); returns how many groups are exactly zero afterwards.
    ///
    /// ```
    /// use glassbox_glt::group_lasso::GroupLasso;
    /// use ndarray::array;
    /// // Group {0, 1} has ‖W_g‖ = 5 and √p = √2; threshold η·λ·√2 = √2.
    /// let lasso = GroupLasso::new(1.0, vec![vec![0, 1], vec![2]]);
    /// let mut w = array![[3.0f32, 0.0], [0.0, 4.0], [0.5, 0.0]].into_dyn();
    /// assert_eq!(lasso.prox(&mut w, 1.0), 1); // group {2}: ‖0.5‖ ≤ 1 → exact zero
    /// let scale = 1.0 - 2f64.sqrt() / 5.0;
    /// assert!((f64::from(w[[0, 0]]) - 3.0 * scale).abs() < 1e-6);
    /// assert_eq!(w[[2, 0]], 0.0);
    /// ```
    pub fn prox(&self, w: &mut Tensor<f32>, eta: f64) -> usize {
        let norms = self.norms(w);
        let mut zero = 0;
        for (i, (g, norm)) in self.groups.iter().zip(norms).enumerate() {
            let threshold = eta * self.lambda * (g.len() as f64).sqrt();
            let scale = if self.held(i) {
                0.0
            } else if norm > threshold {
                1.0 - threshold / norm
            } else {
                0.0
            };
            if scale == 0.0 {
                zero += 1;
            } else if threshold == 0.0 {
                continue; // λ = 0 on a kept group: nothing to shrink
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

/// The support of a set of group norms: `‖W_g‖_F > 0` (the one place that
/// says what "kept" means).
pub fn support_of(norms: &[f64]) -> Vec<bool> {
    norms.iter().map(|&n| n > 0.0).collect()
}
