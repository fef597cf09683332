//! The charts of `explain evaluate --out-dir`: top-5 features per baseline
//! side by side, ROC-AUC / accuracy / Z against k, deletion curves and, with
//! `--truth`, agreement against k.

use std::path::Path;

use anyhow::{Context, Result};
use glassbox_plot::{bar_panels, lines, Series};

use glassbox_evaluation::Evaluation;

fn per_k_series(e: &Evaluation, value: &dyn Fn(&str, usize) -> Option<f64>) -> Vec<Series> {
    e.rankings
        .iter()
        .filter_map(|r| {
            let points: Vec<(f64, f64)> = (1..=e.k_max)
                .filter_map(|k| value(&r.name, k).filter(|v| v.is_finite()).map(|v| (k as f64, v)))
                .collect();
            (!points.is_empty()).then(|| Series::new(r.name.clone(), points))
        })
        .collect()
}

fn flat(name: &str, value: f64, k_max: usize) -> Series {
    Series::new(name, vec![(1.0, value), (k_max as f64, value)])
}

/// Writes every chart into `dir`; returns how many.
pub fn write_all(dir: &Path, ext: &str, e: &Evaluation) -> Result<usize> {
    let path = |name: &str| dir.join(format!("{name}.{ext}"));
    let mut written = 0;
    let mut draw = |name: &str, f: &dyn Fn(&Path) -> Result<(), glassbox_plot::PlotError>| -> Result<()> {
        let p = path(name);
        f(&p).with_context(|| format!("chart {}", p.display()))?;
        written += 1;
        Ok(())
    };

    let panels: Vec<(String, Vec<String>, Vec<f64>)> = e
        .rankings
        .iter()
        .filter_map(|r| {
            let m = r.mean_abs_ig.as_ref()?;
            let top: Vec<usize> =
                r.names.iter().take(5).map(|n| e.features.iter().position(|f| f == n).unwrap_or(0)).collect();
            Some((
                r.name.clone(),
                top.iter().map(|&f| e.features[f].clone()).collect(),
                top.iter().map(|&f| m[f]).collect(),
            ))
        })
        .collect();
    if !panels.is_empty() {
        draw("top5", &|p| bar_panels(p, "Top 5 features per baseline (mean |IG|)", &panels))?;
    }

    let mut deletion = Vec::new();
    for d in &e.deletion {
        let pts = |c: &[f64]| c.iter().enumerate().map(|(k, &v)| (k as f64, v)).collect::<Vec<_>>();
        deletion.push(Series::new(d.ranking.clone(), pts(&d.curve)));
        deletion.push(Series::new(format!("{} (random order)", d.ranking), pts(&d.random_curve)));
    }
    if !deletion.is_empty() {
        let y = format!("mean drop of the {}", e.output);
        draw("deletion", &|p| lines(p, "Deletion: top-k features set to the baseline's values", "k", &y, &deletion))?;
    }

    if let Some(r) = &e.retraining {
        let mut roc = per_k_series(e, &|n, k| r.at(n, k).and_then(|s| s.roc_auc));
        if let Some(v) = r.all_features.roc_auc {
            roc.push(flat("all features", v, e.k_max));
        }
        draw("roc_auc", &|p| lines(p, "Top-k retraining: held-out ROC-AUC", "k (features kept)", "ROC-AUC", &roc))?;
        let mut acc = per_k_series(e, &|n, k| r.at(n, k).map(|s| s.accuracy));
        acc.push(flat("all features", r.all_features.accuracy, e.k_max));
        draw("accuracy", &|p| lines(p, "Top-k retraining: held-out accuracy", "k (features kept)", "accuracy", &acc))?;
        if let Some(z) = &r.all_features.significance {
            let mut sig = per_k_series(e, &|n, k| r.at(n, k).and_then(|s| s.significance).map(|s| s.z));
            sig.push(flat("all features", z.z, e.k_max));
            draw("significance", &|p| {
                lines(p, "Top-k retraining: significance Z", "k (features kept)", "Z (Asimov)", &sig)
            })?;
        }
    }

    if let Some(t) = &e.truth {
        let fa = per_k_series(e, &|n, k| t.at(n, k).map(|p| p.feature_agreement));
        draw("agreement", &|p| {
            lines(p, "Feature agreement with the ground truth (global top k)", "k", "feature agreement", &fa)
        })?;
    }
    Ok(written)
}
