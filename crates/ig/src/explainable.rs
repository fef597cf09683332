//! What IG explains: any batch function `x [N, ..row] → logits [N, C]`
//! written on glassbox-autodiff, in f32 and f64, and the scalar it
//! explains per row ([`Output`]).

use glassbox_autodiff::{Real, Var};

/// A differentiable model of a batch of rows. Implementations hold their
/// parameters as constants (never tape leaves), so a backward toward the
/// input computes no parameter gradient.
pub trait Explainable: Sync {
    /// The shape of one input row (`[F]` or `[T, F]`).
    fn row_shape(&self) -> Vec<usize>;
    /// Number of outputs `C` per row.
    fn n_outputs(&self) -> usize;
    /// `[N, ..row] → [N, C]` in f32.
    fn forward_f32(&self, x: &Var<f32>) -> Var<f32>;
    /// `[N, ..row] → [N, C]` in f64.
    fn forward_f64(&self, x: &Var<f64>) -> Var<f64>;
    /// About how many bytes of tape one row's forward and backward need
    /// (sizes the chunks of the batched pass).
    fn bytes_per_row(&self) -> usize {
        64 * 1024
    }
}

/// A precision IG can run in: picks the model's forward for that type.
pub trait Float: Real {
    /// The model's forward in this precision.
    fn forward<M: Explainable + ?Sized>(model: &M, x: &Var<Self>) -> Var<Self>;
}

impl Float for f32 {
    fn forward<M: Explainable + ?Sized>(model: &M, x: &Var<f32>) -> Var<f32> {
        model.forward_f32(x)
    }
}

impl Float for f64 {
    fn forward<M: Explainable + ?Sized>(model: &M, x: &Var<f64>) -> Var<f64> {
        model.forward_f64(x)
    }
}

/// The explained scalar `F` per row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Output {
    /// `softmax(logits)[target]` (Captum's `probs[:, target]`).
    #[default]
    Probability,
    /// `logits[target]`.
    Logit,
}

impl Output {
    /// `F [N]` from logits `[N, C]`.
    pub fn of<T: Real>(self, logits: &Var<T>, target: usize) -> Var<T> {
        match self {
            Output::Probability => logits.softmax(1).select(1, target),
            Output::Logit => logits.select(1, target),
        }
    }

    /// `F [N]` of every class of `targets` from logits `[N, C]`, one
    /// per target, sharing one softmax: entry `i` holds the values (and,
    /// on a tape, the backward) of [`Output::of`]`(logits, targets[i])`
    /// bit for bit: the same softmax, then a select of column `t`.
    ///
    /// ```
    /// use glassbox_autodiff::Var;
    /// use glassbox_ig::Output;
    /// use ndarray::array;
    /// let logits = Var::constant(array![[0.5f64, -1.0, 2.0]].into_dyn());
    /// let each = Output::Probability.of_each(&logits, &[0, 1, 2]);
    /// for (t, f) in each.iter().enumerate() {
    ///     assert_eq!(f.value(), Output::Probability.of(&logits, t).value());
    /// }
    /// // Σ_c softmax_c = 1.
    /// assert!((each.iter().map(|f| f.value()[[0]]).sum::<f64>() - 1.0).abs() < 1e-15);
    /// ```
    pub fn of_each<T: Real>(self, logits: &Var<T>, targets: &[usize]) -> Vec<Var<T>> {
        let scores = match self {
            Output::Probability => logits.softmax(1),
            Output::Logit => logits.clone(),
        };
        targets.iter().map(|&t| scores.select(1, t)).collect()
    }

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Output::Probability => "probability",
            Output::Logit => "logit",
        }
    }
}

impl std::str::FromStr for Output {
    type Err = crate::IgError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "probability" => Ok(Output::Probability),
            "logit" => Ok(Output::Logit),
            _ => Err(crate::IgError::Config(format!("unknown output '{s}' (expected probability or logit)"))),
        }
    }
}
