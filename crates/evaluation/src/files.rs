//! The result files: `evaluation.json` (the [`Evaluation`] record) and
//! `evaluation.csv` (`section,ranking,k,feature,metric,value`, one number
//! per line).

use std::path::Path;

use glassbox_data::write_atomic;

use crate::error::EvaluationError;
use crate::results::Evaluation;

impl Evaluation {
    /// `evaluation.json`'s bytes (pretty-printed).
    pub fn to_json(&self) -> Result<Vec<u8>, EvaluationError> {
        serde_json::to_vec_pretty(self).map_err(|e| EvaluationError::Encode(e.to_string()))
    }

    /// `evaluation.csv`'s bytes.
    pub fn to_csv(&self) -> Result<Vec<u8>, EvaluationError> {
        csv_bytes(self).map_err(|e| EvaluationError::Encode(format!("evaluation.csv: {e}")))
    }

    /// Writes both files into `dir`, atomically.
    pub fn write(&self, dir: &Path) -> Result<(), EvaluationError> {
        write_atomic(&dir.join("evaluation.json"), &self.to_json()?).map_err(EvaluationError::Write)?;
        write_atomic(&dir.join("evaluation.csv"), &self.to_csv()?).map_err(EvaluationError::Write)
    }
}

fn csv_bytes(e: &Evaluation) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
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
    Ok(out.into_inner().map_err(|e| e.to_string())?)
}
