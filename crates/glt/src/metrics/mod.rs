//! Classification metrics (SPEC §3): ROC-AUC, PR-AUC, F1, accuracy, confusion.
//!
//! Conventions shared by every function here:
//! - a sample is predicted positive when `score >= threshold`;
//! - NaN scores rank **below** every number and tie with each other; since
//!   `NaN >= t` is false, a NaN score is never predicted positive;
//! - mismatched `scores`/`labels` lengths are a programmer error and panic
//!   with a message naming the function and both lengths;
//! - nothing else panics: empty input and NaN are handled and documented per
//!   function; quantities that would be 0/0 are reported as 0 (not NaN) so
//!   reports stay valid JSON, while AUCs that are undefined are `None`.
//!
//! The structs serialize with serde to the report shapes of SPEC §6:
//! `{"roc_auc","pr_auc","f1","accuracy","threshold","confusion"}` for binary
//! and `{"accuracy","macro_f1"}` for multi-class.

mod curve;
mod multiclass;
mod rank;
mod significance;

use serde::{Deserialize, Serialize};

pub use curve::{best_f1_threshold, pr_auc, roc_auc};
pub use multiclass::{multiclass_metrics, MulticlassMetrics};
pub use significance::{asimov_significance, weighted_significance, Significance};

use rank::{check_lengths, f1_value};

/// Confusion matrix of binary predictions (`score >= threshold` → positive).
/// Serializes as `{"tp","fp","tn","fn"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confusion {
    /// Positives predicted positive.
    pub tp: u64,
    /// Negatives predicted positive.
    pub fp: u64,
    /// Negatives predicted negative.
    pub tn: u64,
    /// Positives predicted negative (`fn` is a Rust keyword; serialized as `"fn"`).
    #[serde(rename = "fn")]
    pub fn_: u64,
}

impl Confusion {
    /// Number of samples counted.
    pub fn total(&self) -> u64 {
        self.tp + self.fp + self.tn + self.fn_
    }

    /// F1 = 2·tp / (2·tp + fp + fn); 0 when the denominator is 0.
    pub fn f1(&self) -> f64 {
        f1_value(self.tp, self.fp, self.fn_)
    }

    /// Accuracy = (tp + tn) / total; 0 for an empty matrix.
    pub fn accuracy(&self) -> f64 {
        match self.total() {
            0 => 0.0,
            n => (self.tp + self.tn) as f64 / n as f64,
        }
    }
}

/// Counts of the confusion matrix when predicting positive for
/// `score >= threshold`.
///
/// A NaN score (or a NaN threshold) is never predicted positive. Empty input
/// gives all zeros.
///
/// # Panics
/// If `scores` and `positive` differ in length (a programmer error).
///
/// # Example
/// ```
/// use glassbox_glt::metrics::{confusion, Confusion};
/// let c = confusion(&[0.9, 0.5, 0.4, 0.1], &[true, false, true, false], 0.5);
/// assert_eq!(c, Confusion { tp: 1, fp: 1, tn: 1, fn_: 1 });
/// ```
pub fn confusion(scores: &[f64], positive: &[bool], threshold: f64) -> Confusion {
    check_lengths("confusion", scores.len(), positive.len());
    let mut c = Confusion { tp: 0, fp: 0, tn: 0, fn_: 0 };
    for (&s, &p) in scores.iter().zip(positive) {
        match (s >= threshold, p) {
            (true, true) => c.tp += 1,
            (true, false) => c.fp += 1,
            (false, false) => c.tn += 1,
            (false, true) => c.fn_ += 1,
        }
    }
    c
}

/// Binary metrics of a report (SPEC §6:
/// `{"roc_auc","pr_auc","f1","accuracy","threshold","confusion"}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BinaryMetrics {
    /// [`roc_auc`]; `None` (JSON `null`) if a class is absent.
    pub roc_auc: Option<f64>,
    /// [`pr_auc`] (average precision); `None` (JSON `null`) if there are no positives.
    pub pr_auc: Option<f64>,
    /// F1 at `threshold`.
    pub f1: f64,
    /// Accuracy at `threshold`.
    pub accuracy: f64,
    /// The decision threshold (tuned on validation, see [`best_f1_threshold`]).
    pub threshold: f64,
    /// Confusion matrix at `threshold`.
    pub confusion: Confusion,
}

/// All binary metrics of `scores` at a given (validation-tuned) `threshold`:
///
/// - `roc_auc`, `pr_auc` — threshold-free, see [`roc_auc`] and [`pr_auc`];
/// - `confusion` — [`confusion`] at `threshold`;
/// - `f1` = 2·tp / (2·tp + fp + fn), 0 when that denominator is 0;
/// - `accuracy` = (tp + tn) / n, 0 for empty input.
///
/// Note: a non-finite threshold serializes to JSON as `null` (serde_json has
/// no representation of ±∞/NaN) and will not deserialize back.
///
/// # Panics
/// If `scores` and `positive` differ in length (a programmer error).
///
/// # Example
/// ```
/// use glassbox_glt::metrics::{best_f1_threshold, binary_metrics};
/// let (val_scores, val_labels) = ([0.2, 0.6, 0.7, 0.9], [false, false, true, true]);
/// let (t, _) = best_f1_threshold(&val_scores, &val_labels);
/// let m = binary_metrics(&[0.1, 0.8, 0.72, 0.75], &[false, true, false, true], t);
/// assert_eq!(t, 0.7);
/// assert_eq!((m.confusion.tp, m.confusion.fp, m.confusion.tn, m.confusion.fn_), (2, 1, 1, 0));
/// assert_eq!(m.accuracy, 0.75);
/// assert_eq!(m.roc_auc, Some(1.0));
/// ```
pub fn binary_metrics(scores: &[f64], positive: &[bool], threshold: f64) -> BinaryMetrics {
    check_lengths("binary_metrics", scores.len(), positive.len());
    let c = confusion(scores, positive, threshold);
    BinaryMetrics {
        roc_auc: roc_auc(scores, positive),
        pr_auc: pr_auc(scores, positive),
        f1: c.f1(),
        accuracy: c.accuracy(),
        threshold,
        confusion: c,
    }
}

/// Either kind of metrics, for reports. Serializes **untagged**, i.e. as
/// exactly one of the two shapes above; deserialization tries the binary
/// shape first.
///
/// # Example
/// ```
/// use glassbox_glt::metrics::{Metrics, MulticlassMetrics};
/// let m = Metrics::Multiclass(MulticlassMetrics { accuracy: 0.5, macro_f1: 0.25 });
/// assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"accuracy":0.5,"macro_f1":0.25}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Metrics {
    /// Two classes.
    Binary(BinaryMetrics),
    /// More than two classes.
    Multiclass(MulticlassMetrics),
}
