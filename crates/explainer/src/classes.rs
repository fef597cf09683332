//! Classes and labels: which class is explained (by name or index), which
//! class each row is predicted to be, and the names of the attribution
//! cells (`f` for tabular models, `f@t-2, f@t-1, f@t` in sequence mode).

use glassbox_glt::metrics::Metrics;
use glassbox_glt::{InputMode, Model};

use crate::error::{request, ExplainError};

/// The explained class: a class name or index of the model; `None` gives
/// class index 1 (class 0 for a one-class model).
///
/// ```
/// # let model = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
/// use glassbox_explainer::target_class;
/// assert_eq!(target_class(&model, None)?, 1);
/// assert_eq!(target_class(&model, Some("0"))?, 0);
/// assert!(target_class(&model, Some("7")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn target_class(model: &Model, target: Option<&str>) -> Result<usize, ExplainError> {
    let classes = &model.class_names;
    match target {
        None => Ok(1.min(classes.len() - 1)),
        Some(t) => {
            match classes.iter().position(|c| c == t).or_else(|| t.parse::<usize>().ok().filter(|&i| i < classes.len()))
            {
                Some(c) => Ok(c),
                None => request(format!(
                    "--target '{t}' is not a class of the model (classes: {}; or all)",
                    classes.join(", ")
                )),
            }
        }
    }
}

/// What `--target` names: one class, or every class of the model
/// (`all`, explained in one shared pass: see
/// [`glassbox_ig::explain_targets`]).
///
/// ```
/// # let model = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
/// use glassbox_explainer::Target;
/// assert_eq!(Target::parse(&model, Some("all"))?, Target::All);
/// assert_eq!(Target::parse(&model, Some("0"))?, Target::One(0));
/// assert_eq!(Target::parse(&model, None)?, Target::One(1));
/// assert_eq!(Target::All.classes(&model), [0, 1]);
/// assert_eq!(Target::All.name(&model), "all");
/// assert!(Target::parse(&model, Some("7")).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// One class, by index.
    One(usize),
    /// Every class of the model, in class order.
    All,
}

impl Target {
    /// `all`, or a class as [`target_class`] reads it (`None`: class index
    /// 1). `all` always means every class (a class named `all` is reached
    /// by its index).
    pub fn parse(model: &Model, target: Option<&str>) -> Result<Self, ExplainError> {
        match target {
            Some("all") => Ok(Target::All),
            t => target_class(model, t).map(Target::One),
        }
    }

    /// The explained classes, in order.
    pub fn classes(&self, model: &Model) -> Vec<usize> {
        match *self {
            Target::One(c) => vec![c],
            Target::All => (0..model.class_names.len()).collect(),
        }
    }

    /// The class name, or `all`.
    pub fn name(&self, model: &Model) -> String {
        match *self {
            Target::One(c) => model.class_names[c].clone(),
            Target::All => "all".into(),
        }
    }
}

/// The decision threshold on P(class 1) of a binary model (the
/// validation-tuned one in its report); `None` for multi-class models.
pub fn threshold(model: &Model) -> Option<f64> {
    match &model.report.metrics {
        Metrics::Binary(m) if model.class_names.len() == 2 => Some(m.threshold),
        _ => None,
    }
}

/// The predicted class of one row's probabilities: `[p₁ ≥ threshold]` for
/// a binary model with a threshold, else the argmax (first on ties).
///
/// ```
/// use glassbox_explainer::predicted_class;
/// assert_eq!(predicted_class(&[0.7, 0.3], Some(0.25)), 1);
/// assert_eq!(predicted_class(&[0.2, 0.5, 0.3], None), 1);
/// ```
pub fn predicted_class(probabilities: &[f64], threshold: Option<f64>) -> usize {
    match threshold {
        Some(t) => usize::from(probabilities[1] >= t),
        None => (0..probabilities.len()).fold(0, |b, c| if probabilities[c] > probabilities[b] { c } else { b }),
    }
}

/// The name of every attribution cell, in row-major order: the feature
/// names (tabular), or `f@t-(T-1) … f@t` per time step (sequence mode).
///
/// ```
/// # let model = glassbox_glt::Model::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/railway-demo.glt").as_ref())?;
/// assert_eq!(glassbox_explainer::feature_labels(&model), model.feature_names);
/// # Ok::<(), glassbox_glt::GltError>(())
/// ```
pub fn feature_labels(model: &Model) -> Vec<String> {
    match model.glt.config.mode {
        InputMode::Tabular => model.feature_names.clone(),
        InputMode::Sequence { seq_len } => (0..seq_len)
            .flat_map(|t| {
                let lag = seq_len - 1 - t;
                model
                    .feature_names
                    .iter()
                    .map(move |f| if lag == 0 { format!("{f}@t") } else { format!("{f}@t-{lag}") })
            })
            .collect(),
    }
}

/// `Some(T)` for a sequence model.
pub fn seq_len(model: &Model) -> Option<usize> {
    match model.glt.config.mode {
        InputMode::Sequence { seq_len } => Some(seq_len),
        InputMode::Tabular => None,
    }
}
