//! The ground truth of a synthetic table (`synth --truth`): the
//! generator's importance per feature, and the OpenXAI agreement of every
//! ranking's top k with it, globally and per explained row.

use std::path::Path;

use crate::agreement::{feature_agreement, rank_agreement};
use crate::baseline_run::BaselineRun;
use crate::error::{request, EvaluationError};
use crate::ranking::rank_by_importance;
use crate::results::{AgreementPoint, RankingResult, TruthAgreement};

/// The generator's importance per model feature.
#[derive(Clone, Debug)]
pub struct Truth {
    file: String,
    features: Vec<String>,
    importance: Vec<f64>,
}

impl Truth {
    /// Reads `{"importance": {feature: value, ...}}` (as `synth --truth`
    /// writes); features it does not name have importance 0.
    pub fn load(path: &Path, features: &[String]) -> Result<Self, EvaluationError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => return request(format!("--truth {}: {e}", path.display())),
        };
        Self::parse(&text, &path.display().to_string(), features)
    }

    /// [`Truth::load`] of a file's text; `file` names it in messages.
    ///
    /// ```
    /// use glassbox_evaluation::Truth;
    /// let features = ["a".to_string(), "b".to_string()];
    /// let t = Truth::parse(r#"{"importance": {"b": 2.0}}"#, "truth.json", &features)?;
    /// assert_eq!(t.importance(), [0.0, 2.0]);
    /// # Ok::<(), glassbox_evaluation::EvaluationError>(())
    /// ```
    pub fn parse(text: &str, file: &str, features: &[String]) -> Result<Self, EvaluationError> {
        let json: serde_json::Value = match serde_json::from_str(text) {
            Ok(j) => j,
            Err(e) => return request(format!("--truth {file}: not valid JSON: {e}")),
        };
        let Some(map) = json.get("importance").and_then(|v| v.as_object()) else {
            return request(format!("--truth {file}: no \"importance\" object (feature → number)"));
        };
        let mut importance = vec![0.0; features.len()];
        for (name, value) in map {
            let Some(v) = value.as_f64().filter(|v| v.is_finite()) else {
                return request(format!("--truth {file}: importance of {name} is not a number"));
            };
            if let Some(f) = features.iter().position(|x| x == name) {
                importance[f] = v.abs();
            }
        }
        if importance.iter().all(|&v| v == 0.0) {
            return request(format!("--truth {file}: no feature of the model has a non-zero importance"));
        }
        Ok(Truth { file: file.to_string(), features: features.to_vec(), importance })
    }

    /// |importance| per model feature (0 for features the file does not name).
    pub fn importance(&self) -> &[f64] {
        &self.importance
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
