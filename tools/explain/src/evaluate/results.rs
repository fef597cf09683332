//! What `explain evaluate` measured, as one serialisable record, the ground
//! truth it is compared with, and the files it is written to
//! (`evaluation.json`: the record; `evaluation.csv`: one number per line).

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{bail, Context, Result};
use glassbox::cli::write_atomic;
use glassbox_glt::attribution_eval::{feature_agreement, rank_agreement, rank_by_importance, TopKScore};
use serde::Serialize;

use super::attributions::BaselineRun;
use super::RANDOM;

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

/// Everything `explain evaluate` measured.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub model: String,
    pub data: String,
    pub target: String,
    pub output: String,
    pub method: String,
    pub steps: usize,
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
}

/// The generator's importance per model feature.
pub struct Truth {
    file: String,
    features: Vec<String>,
    importance: Vec<f64>,
}

impl Truth {
    /// Reads `{"importance": {feature: value, ...}}` (as `synth --truth`
    /// writes); features it does not name have importance 0.
    pub fn load(path: &Path, features: &[String]) -> Result<Self> {
        let text = std::fs::read_to_string(path).with_context(|| format!("--truth {}", path.display()))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("--truth {}: not valid JSON", path.display()))?;
        let Some(map) = json.get("importance").and_then(|v| v.as_object()) else {
            bail!("--truth {}: no \"importance\" object (feature → number)", path.display());
        };
        let mut importance = vec![0.0; features.len()];
        for (name, value) in map {
            let Some(v) = value.as_f64().filter(|v| v.is_finite()) else {
                bail!("--truth {}: importance of {name} is not a number", path.display());
            };
            if let Some(f) = features.iter().position(|x| x == name) {
                importance[f] = v.abs();
            }
        }
        if importance.iter().all(|&v| v == 0.0) {
            bail!("--truth {}: no feature of the model has a non-zero importance", path.display());
        }
        Ok(Truth { file: path.display().to_string(), features: features.to_vec(), importance })
    }

    /// FA and RA of every ranking's top k, k = 1…k_max, globally and per row.
    pub fn agreement(
        &self,
        rankings: &[RankingResult],
        runs: &[BaselineRun],
        random_rows: &[Vec<usize>],
        k_max: usize,
    ) -> TruthAgreement {
        let truth = rank_by_importance(&self.importance);
        let mut points = Vec::new();
        for r in rankings {
            let rows: Vec<Vec<usize>> = match runs.iter().find(|run| run.name == r.name) {
                Some(run) => run
                    .attributions
                    .rows()
                    .into_iter()
                    .map(|a| rank_by_importance(&a.iter().map(|v| v.abs()).collect::<Vec<_>>()))
                    .collect(),
                None => random_rows.to_vec(),
            };
            let mean = |f: &dyn Fn(&[usize]) -> f64| rows.iter().map(|o| f(o)).sum::<f64>() / rows.len().max(1) as f64;
            for k in 1..=k_max {
                points.push(AgreementPoint {
                    ranking: r.name.clone(),
                    k,
                    feature_agreement: feature_agreement(&r.order, &truth, k),
                    rank_agreement: rank_agreement(&r.order, &truth, k),
                    row_feature_agreement: mean(&|o| feature_agreement(o, &truth, k)),
                    row_rank_agreement: mean(&|o| rank_agreement(o, &truth, k)),
                });
            }
        }
        TruthAgreement {
            file: self.file.clone(),
            ranking: truth.iter().map(|&f| self.features[f].clone()).collect(),
            informative: self.importance.iter().filter(|&&v| v > 0.0).count(),
            points,
        }
    }
}

/// `evaluation.json` and `evaluation.csv`
/// (`section,ranking,k,feature,metric,value`, one number per line).
pub fn write(dir: &Path, e: &Evaluation) -> Result<()> {
    let json = serde_json::to_vec_pretty(e)?;
    write_atomic(&dir.join("evaluation.json"), &json)?;
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(["section", "ranking", "k", "feature", "metric", "value"])?;
    let mut line = |section: &str, ranking: &str, k: Option<usize>, feature: &str, metric: &str, v: Option<f64>| {
        let k = k.map(|k| k.to_string()).unwrap_or_default();
        let v = v.map(|v| v.to_string()).unwrap_or_default();
        out.write_record([section, ranking, &k, feature, metric, &v])
    };
    for r in &e.rankings {
        for (i, (&f, name)) in r.order.iter().zip(&r.names).enumerate() {
            line("ranking", &r.name, Some(i + 1), name, "mean_abs_ig", r.mean_abs_ig.as_ref().map(|m| m[f]))?;
        }
    }
    for d in &e.deletion {
        for (k, (&c, &rc)) in d.curve.iter().zip(&d.random_curve).enumerate() {
            line("deletion", &d.ranking, Some(k), "", "drop", Some(c))?;
            line("deletion", &d.ranking, Some(k), "", "random_drop", Some(rc))?;
        }
        line("deletion", &d.ranking, None, "", "area", Some(d.area))?;
        line("deletion", &d.ranking, None, "", "random_area", Some(d.random_area))?;
    }
    if let Some(r) = &e.retraining {
        let mut scores = vec![("all_features".to_string(), None, &r.all_features)];
        scores.extend(r.points.iter().map(|p| (p.ranking.clone(), Some(p.k), &p.score)));
        for (ranking, k, s) in scores {
            line("retraining", &ranking, k, "", "accuracy", Some(s.accuracy))?;
            line("retraining", &ranking, k, "", "roc_auc", s.roc_auc)?;
            if let Some(z) = &s.significance {
                line("retraining", &ranking, k, "", "signal", Some(z.signal))?;
                line("retraining", &ranking, k, "", "background", Some(z.background))?;
                line("retraining", &ranking, k, "", "significance", Some(z.z))?;
            }
        }
    }
    if let Some(t) = &e.truth {
        for p in &t.points {
            line("truth", &p.ranking, Some(p.k), "", "feature_agreement", Some(p.feature_agreement))?;
            line("truth", &p.ranking, Some(p.k), "", "rank_agreement", Some(p.rank_agreement))?;
            line("truth", &p.ranking, Some(p.k), "", "row_feature_agreement", Some(p.row_feature_agreement))?;
            line("truth", &p.ranking, Some(p.k), "", "row_rank_agreement", Some(p.row_rank_agreement))?;
        }
    }
    for m in &e.summary {
        line("summary", &m.ranking, None, "", "mean_roc_auc", m.mean_roc_auc)?;
        line("summary", &m.ranking, None, "", "mean_accuracy", m.mean_accuracy)?;
        line("summary", &m.ranking, None, "", "mean_significance", m.mean_significance)?;
        line("summary", &m.ranking, None, "", "deletion_gain", m.deletion_gain)?;
        line("summary", &m.ranking, None, "", "mean_feature_agreement", m.mean_feature_agreement)?;
        line("summary", &m.ranking, None, "", "mean_row_feature_agreement", m.mean_row_feature_agreement)?;
    }
    let csv = out.into_inner().map_err(|e| anyhow::anyhow!("evaluation.csv: {e}"))?;
    write_atomic(&dir.join("evaluation.csv"), &csv)?;
    Ok(())
}
