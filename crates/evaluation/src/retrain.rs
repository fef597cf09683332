//! ROAR-style top-k retraining (Hooker et al., "A Benchmark for
//! Interpretability Methods in Deep Neural Networks"; the test of Bardhan et
//! al.): keep only the top-k features of a ranking, retrain the model with
//! its own hyper-parameters and seed, and score it on the held-out split.
//! A ranking that puts the informative features first recovers the full
//! model's quality at a smaller k.
//!
//! Retraining uses [`TrainSpec::from_report`]: the architecture, optimiser,
//! epochs, patience, class weighting, split and seed of the original
//! training, with λ fixed at the value the original λ path chose (no new
//! path search). The split depends only on labels, split key and seed, so
//! every retrained model is scored on the same test rows.

use std::collections::BTreeMap;

use ndarray::Axis;
use serde::{Deserialize, Serialize};

use glassbox_data::{Dataset, FeatureGroups};
use glassbox_glt::metrics::{weighted_significance, Metrics, Significance};
use glassbox_glt::train::{split_for, train, TrainSpec};
use glassbox_glt::GltError;

/// Held-out scores of a model retrained on a feature subset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TopKScore {
    /// Accuracy at the validation-tuned threshold.
    pub accuracy: f64,
    /// ROC-AUC (`None` if the test split lacks a class).
    pub roc_auc: Option<f64>,
    /// The validation-tuned (F1) threshold on P(class 1).
    pub threshold: f64,
    /// Weighted signal, background and Z above the threshold, when weights
    /// were given.
    pub significance: Option<Significance>,
}

/// Retrains a binary tabular model on feature subsets of one table.
///
/// ```
/// use glassbox_evaluation::TopKRetrainer;
/// use glassbox_data::{load_csv_from_reader, FeatureGroups, LoadOptions};
/// use glassbox_glt::fit::FitOptions;
/// use glassbox_glt::train::{LambdaChoice, TrainSpec};
/// use glassbox_glt::GltConfig;
/// // y = [a > 0]; b is noise.
/// let mut csv = String::from("a,b,y\n");
/// for i in 0..300 {
///     let (a, b) = ((i as f64 * 0.37).sin(), (i as f64 * 1.91).cos());
///     csv += &format!("{a},{b},{}\n", u8::from(a > 0.0));
/// }
/// let opts = LoadOptions { label: Some("y".into()), ..Default::default() };
/// let data = load_csv_from_reader(csv.as_bytes(), "mem.csv".as_ref(), &opts)?;
/// let groups = FeatureGroups::singletons(&data.feature_names);
/// let spec = TrainSpec {
///     model: GltConfig { d_model: 8, n_heads: 2, n_blocks: 1, d_ff: 8, ..GltConfig::tabular(1, 2) },
///     fit: FitOptions { epochs: 15, batch_size: 32, lr: 1e-2, ..FitOptions::default() },
///     lambda: LambdaChoice::Fixed(0.0),
///     ..TrainSpec::new("y")
/// };
/// let retrainer = TopKRetrainer::new(&data, &groups, spec, None)?;
/// let (with_a, with_b) = (retrainer.score(&[0])?, retrainer.score(&[1])?);
/// assert!(with_a.roc_auc.unwrap() > 0.9 && with_b.roc_auc.unwrap() < 0.7);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TopKRetrainer<'a> {
    data: &'a Dataset,
    groups: &'a FeatureGroups,
    spec: TrainSpec,
    test: Vec<usize>,
    weights: Option<Vec<f64>>,
}

impl<'a> TopKRetrainer<'a> {
    /// `data` holds the model's features (in its order) and labels;
    /// `groups` the model's feature groups; `weights` one event weight per
    /// row of `data` for the significance (class 1 = signal).
    ///
    /// # Errors
    /// A sequence or multi-class spec, no labels, a weight count that does
    /// not match the rows, or a split that cannot be made.
    pub fn new(
        data: &'a Dataset,
        groups: &'a FeatureGroups,
        spec: TrainSpec,
        weights: Option<Vec<f64>>,
    ) -> Result<Self, GltError> {
        if spec.sequence.is_some() {
            return Err(GltError::Training("top-k retraining supports tabular models only".into()));
        }
        if data.class_names.len() != 2 {
            return Err(GltError::Training(format!(
                "top-k retraining needs two classes, the data has {}",
                data.class_names.len()
            )));
        }
        if let Some(w) = &weights {
            if w.len() != data.rows() {
                return Err(GltError::Training(format!("{} weights for {} rows", w.len(), data.rows())));
            }
        }
        let test = split_for(data, &spec)?.test;
        Ok(TopKRetrainer { data, groups, spec, test, weights })
    }

    /// Rows of the table.
    pub fn rows(&self) -> usize {
        self.data.rows()
    }

    /// The held-out rows every score is measured on.
    pub fn test_rows(&self) -> &[usize] {
        &self.test
    }

    /// Trains on `features` (indices into the data's features; their order
    /// does not matter) and scores the result on the test split. The weights
    /// are scaled by rows / test rows, so s and b estimate the whole table's
    /// yields.
    pub fn score(&self, features: &[usize]) -> Result<TopKScore, GltError> {
        let mut kept = features.to_vec();
        kept.sort_unstable();
        kept.dedup();
        if kept.is_empty() {
            return Err(GltError::Training("top-k retraining needs at least one feature".into()));
        }
        let subset = self.data.select_features(&kept)?;
        let model = train(&subset, self.groups.restrict(&kept), &self.spec, &mut |_| {})?;
        let Metrics::Binary(m) = &model.report.metrics else {
            return Err(GltError::Training("top-k retraining needs a binary model".into()));
        };
        let significance = match &self.weights {
            None => None,
            Some(w) => {
                let labels = subset.labels.as_ref().expect("checked by split_for");
                let x = subset.x.select(Axis(0), &self.test).into_dyn();
                let probs = model.probabilities(&x)?;
                let scores: Vec<f64> = probs.column(1).to_vec();
                let positive: Vec<bool> = self.test.iter().map(|&r| labels[r] == 1).collect();
                let weights: Vec<f64> = self.test.iter().map(|&r| w[r]).collect();
                let scale = self.data.rows() as f64 / self.test.len().max(1) as f64;
                Some(weighted_significance(&scores, &positive, &weights, m.threshold, scale))
            }
        };
        Ok(TopKScore { accuracy: m.accuracy, roc_auc: m.roc_auc, threshold: m.threshold, significance })
    }
}

/// The distinct top-k feature sets of several rankings for k = 1…k_max
/// (sorted index lists, so two rankings whose top k agree as sets share one
/// retraining), and for each ranking and k the set it maps to:
/// `which[r][k - 1]` indexes `subsets`.
///
/// ```
/// use glassbox_evaluation::distinct_subsets;
/// let (subsets, which) = distinct_subsets(&[vec![2, 0, 1], vec![0, 2, 1]], 3);
/// assert_eq!(subsets, [vec![2], vec![0, 2], vec![0, 1, 2], vec![0]]);
/// assert_eq!(which, [vec![0, 1, 2], vec![3, 1, 2]]);
/// ```
pub fn distinct_subsets(rankings: &[Vec<usize>], k_max: usize) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let mut subsets: Vec<Vec<usize>> = Vec::new();
    let mut index: BTreeMap<Vec<usize>, usize> = BTreeMap::new();
    let which = rankings
        .iter()
        .map(|ranking| {
            (1..=k_max.min(ranking.len()))
                .map(|k| {
                    let mut set = ranking[..k].to_vec();
                    set.sort_unstable();
                    *index.entry(set.clone()).or_insert_with(|| {
                        subsets.push(set);
                        subsets.len() - 1
                    })
                })
                .collect()
        })
        .collect();
    (subsets, which)
}
