//! What an evaluation measured, as one serialisable record
//! ([`Evaluation`], written by [`crate::files`]).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ranking::rank_by_importance;
use crate::retrain::TopKScore;
use crate::RANDOM;

/// A global ranking.
#[derive(Debug, Clone, Serialize)]
pub struct RankingResult {
    /// `zero`, `mean`, `background`, `weighted` or `random`.
    pub name: String,
    /// Feature indices, most important first.
    #[serde(skip)]
    pub order: Vec<usize>,
    /// Feature names, most important first.
    pub names: Vec<String>,
    /// Mean |IG| per feature, in the model's feature order (none for random).
    pub mean_abs_ig: Option<Vec<f64>>,
}

impl RankingResult {
    /// The ranking by decreasing mean |IG|.
    pub fn from_importance(name: &str, importance: &[f64], features: &[String]) -> Self {
        let order = rank_by_importance(importance);
        RankingResult {
            name: name.into(),
            names: order.iter().map(|&f| features[f].clone()).collect(),
            order,
            mean_abs_ig: Some(importance.to_vec()),
        }
    }

    /// The random control.
    pub fn random(order: Vec<usize>, features: &[String]) -> Self {
        RankingResult {
            name: RANDOM.into(),
            names: order.iter().map(|&f| features[f].clone()).collect(),
            order,
            mean_abs_ig: None,
        }
    }
}

/// A deletion curve and its random control (same replacement values).
#[derive(Debug, Clone, Serialize)]
pub struct Deletion {
    /// Baseline whose attributions order the features and whose values replace them.
    pub ranking: String,
    /// Mean drop of the output for k = 0…K.
    pub curve: Vec<f64>,
    /// Normalised area under `curve`.
    pub area: f64,
    /// The same with a random order per row.
    pub random_curve: Vec<f64>,
    /// Normalised area under `random_curve`.
    pub random_area: f64,
}

/// One retrained model.
#[derive(Debug, Clone, Serialize)]
pub struct RetrainPoint {
    /// Ranking.
    pub ranking: String,
    /// Number of features kept.
    pub k: usize,
    /// The kept features.
    pub features: Vec<String>,
    /// Held-out scores.
    #[serde(flatten)]
    pub score: TopKScore,
}

/// Top-k retraining results.
#[derive(Debug, Clone, Serialize)]
pub struct Retraining {
    /// Distinct feature sets trained (shared between rankings), with the full set.
    pub models_trained: usize,
    /// Test-split rows every model is scored on.
    pub test_rows: usize,
    /// Event weights are multiplied by rows / test rows before s and b are summed.
    pub weight_scale: f64,
    /// The fixed λ of every retraining (the original model's).
    pub lambda: f64,
    /// All features, retrained the same way (the reference).
    pub all_features: TopKScore,
    /// Per ranking and k.
    pub points: Vec<RetrainPoint>,
}

impl Retraining {
    /// The scores of `ranking`'s top `k`.
    pub fn at(&self, ranking: &str, k: usize) -> Option<&TopKScore> {
        self.points.iter().find(|p| p.ranking == ranking && p.k == k).map(|p| &p.score)
    }
}

/// Agreement with the ground truth at one k.
#[derive(Debug, Clone, Serialize)]
pub struct AgreementPoint {
    /// Ranking.
    pub ranking: String,
    /// k.
    pub k: usize,
    /// Feature agreement of the global ranking's top k with the truth's.
    pub feature_agreement: f64,
    /// Rank agreement of the global ranking's top k with the truth's.
    pub rank_agreement: f64,
    /// Mean over explained rows of each row's |IG| ranking's feature agreement.
    pub row_feature_agreement: f64,
    /// Mean over explained rows of each row's rank agreement.
    pub row_rank_agreement: f64,
}

/// Agreement with `--truth`.
#[derive(Debug, Clone, Serialize)]
pub struct TruthAgreement {
    /// The truth file.
    pub file: String,
    /// The truth ranking (decreasing importance; ties in feature order).
    pub ranking: Vec<String>,
    /// Features with a non-zero true importance.
    pub informative: usize,
    /// Per ranking and k.
    pub points: Vec<AgreementPoint>,
}

/// One number per ranking and measurement: means over k = 1…K (the
/// normalised area under each per-k curve) and the deletion gain.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Ranking.
    pub ranking: String,
    /// Mean held-out ROC-AUC of the top-k retrainings.
    pub mean_roc_auc: Option<f64>,
    /// Mean held-out accuracy of the top-k retrainings.
    pub mean_accuracy: Option<f64>,
    /// Mean significance Z of the top-k retrainings.
    pub mean_significance: Option<f64>,
    /// Deletion area minus the random-order area with the same values.
    pub deletion_gain: Option<f64>,
    /// Mean feature agreement of the global top k with the truth.
    pub mean_feature_agreement: Option<f64>,
    /// Mean over k of the rows' mean feature agreement with the truth.
    pub mean_row_feature_agreement: Option<f64>,
}

fn mean(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = values.collect::<Option<Vec<f64>>>()?;
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

impl Evaluation {
    /// The per-ranking summary of everything measured.
    pub fn summarise(&self) -> Vec<Summary> {
        self.rankings
            .iter()
            .map(|r| {
                let name = r.name.as_str();
                let points: Vec<&RetrainPoint> =
                    self.retraining.iter().flat_map(|t| t.points.iter().filter(|p| p.ranking == name)).collect();
                let truth: Vec<&AgreementPoint> =
                    self.truth.iter().flat_map(|t| t.points.iter().filter(|p| p.ranking == name)).collect();
                Summary {
                    ranking: r.name.clone(),
                    mean_roc_auc: mean(points.iter().map(|p| p.score.roc_auc)),
                    mean_accuracy: mean(points.iter().map(|p| Some(p.score.accuracy))),
                    mean_significance: mean(points.iter().map(|p| p.score.significance.map(|s| s.z))),
                    deletion_gain: self.deletion.iter().find(|d| d.ranking == name).map(|d| d.area - d.random_area),
                    mean_feature_agreement: mean(truth.iter().map(|p| Some(p.feature_agreement))),
                    mean_row_feature_agreement: mean(truth.iter().map(|p| Some(p.row_feature_agreement))),
                }
            })
            .collect()
    }
}

impl TruthAgreement {
    /// The agreement of `ranking`'s top `k`.
    pub fn at(&self, ranking: &str, k: usize) -> Option<&AgreementPoint> {
        self.points.iter().find(|p| p.ranking == ranking && p.k == k)
    }
}

/// Seconds per phase.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    /// IG under every baseline.
    pub attributions: f64,
    /// Deletion curves.
    pub deletion: f64,
    /// Top-k retraining.
    pub retraining: f64,
    /// The whole evaluation.
    pub total: f64,
}

/// Everything an evaluation measured (`evaluation.json`).
#[derive(Debug, Clone, Serialize)]
#[allow(missing_docs)]
pub struct Evaluation {
    pub model: String,
    pub data: String,
    pub target: String,
    pub output: String,
    /// `adaptive` or the fixed rule's name.
    pub method: String,
    /// Steps of a fixed rule (`null` for adaptive).
    pub steps: Option<usize>,
    pub k_max: usize,
    pub seed: u64,
    pub explained_rows: usize,
    pub background_rows: usize,
    pub baselines_drawn: usize,
    pub weight_column: Option<String>,
    pub features: Vec<String>,
    /// Worst relative completeness delta per baseline.
    pub completeness: BTreeMap<String, f64>,
    pub rankings: Vec<RankingResult>,
    pub deletion: Vec<Deletion>,
    pub retraining: Option<Retraining>,
    pub truth: Option<TruthAgreement>,
    /// Filled by [`Evaluation::summarise`].
    pub summary: Vec<Summary>,
    pub seconds: Timing,
    /// The background reference rows, in words (for the text report; not in the JSON).
    #[serde(skip)]
    pub background_reference: String,
}
