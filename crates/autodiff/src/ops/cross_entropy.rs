//! Weighted cross-entropy from logits, as `torch.nn.functional.cross_entropy`
//! with `weight=` and mean reduction.
//!
//! For logits `z ∈ R^{N×C}`, targets `yᵢ` and class weights `w ∈ R^C`
//! (all 1 when absent):
//! `L = Σᵢ w_{yᵢ}·(−log_softmax(zᵢ)_{yᵢ}) / Σᵢ w_{yᵢ}`, computed through a
//! stable log-sum-exp. Backward: `∂zᵢ = g · w_{yᵢ}/W · (softmax(zᵢ) − e_{yᵢ})`.

use ndarray::Axis;

use crate::tape::record;
use crate::{Real, Tensor, Var};

impl<T: Real> Var<T> {
    /// The weighted mean cross-entropy of logits `[N, C]` against class
    /// indices `targets` (a 0-D value).
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use ndarray::array;
    /// let z = Var::constant(array![[0.0f64, 0.0]].into_dyn());
    /// let loss = z.cross_entropy(&[1], None);
    /// assert!((loss.value()[[]] - 2f64.ln()).abs() < 1e-15);
    /// ```
    ///
    /// # Panics
    /// If the logits are not 2-D, a target is not below `C`, the weights
    /// are not `C` long, or the targets' total weight is not positive.
    pub fn cross_entropy(&self, targets: &[usize], class_weights: Option<&[T]>) -> Var<T> {
        assert!(
            self.ndim() == 2 && self.shape()[0] == targets.len(),
            "cross_entropy: logits {:?} for {} targets",
            self.shape(),
            targets.len()
        );
        let c = self.shape()[1];
        assert!(targets.iter().all(|&t| t < c), "cross_entropy: a target is not below {c}");
        let weights: Vec<T> = class_weights.map_or_else(|| vec![T::one(); c], <[T]>::to_vec);
        assert_eq!(weights.len(), c, "cross_entropy: {} class weights for {c} classes", weights.len());
        let row_w: Vec<T> = targets.iter().map(|&t| weights[t]).collect();
        let total: T = row_w.iter().copied().sum();
        assert!(total > T::zero(), "cross_entropy: total target weight must be positive");
        let mut logp: Tensor<T> = self.value().clone();
        for lane in logp.lanes_mut(Axis(1)) {
            super::softmax::log_softmax_lane(lane);
        }
        let loss = targets.iter().enumerate().map(|(i, &t)| -row_w[i] * logp[[i, t]]).sum::<T>() / total;
        let targets = targets.to_vec();
        record(Tensor::from_elem(vec![], loss), &[self], move |g, _| {
            let scale = g[[]] / total;
            let mut dz = logp.mapv(T::exp);
            for (i, (mut row, &t)) in dz.axis_iter_mut(Axis(0)).zip(&targets).enumerate() {
                row[t] -= T::one();
                row.mapv_inplace(|v| v * row_w[i] * scale);
            }
            vec![Some(dz)]
        })
    }
}
