//! The text report of `explain evaluate`: one table per measurement.

use std::fmt::Write;

use glassbox_evaluation::Evaluation;

/// A table: a title, a header row and rows of cells, columns padded.
fn grid(out: &mut String, title: &str, header: &[String], rows: &[Vec<String>]) {
    let columns = header.len();
    let width: Vec<usize> = (0..columns)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).chain([header[c].chars().count()]).max().unwrap_or(0))
        .collect();
    let _ = writeln!(out, "\n{title}");
    for row in std::iter::once(header).chain(rows.iter().map(|r| r.as_slice())) {
        let cells: Vec<String> = row.iter().zip(&width).map(|(c, w)| format!("{c:<w$}")).collect();
        let _ = writeln!(out, "  {}", cells.join("  ").trim_end());
    }
}

fn num(v: Option<f64>, digits: usize) -> String {
    v.map_or_else(|| "—".into(), |v| format!("{v:.digits$}"))
}

/// Per-k table of one metric, one column per ranking.
fn per_k(
    out: &mut String,
    e: &Evaluation,
    title: &str,
    reference: Option<String>,
    value: &dyn Fn(&str, usize) -> Option<f64>,
    digits: usize,
) {
    let names: Vec<String> = e.rankings.iter().map(|r| r.name.clone()).collect();
    let header: Vec<String> = std::iter::once("k".to_string()).chain(names.iter().cloned()).collect();
    let mut rows: Vec<Vec<String>> = (1..=e.k_max)
        .map(|k| std::iter::once(k.to_string()).chain(names.iter().map(|n| num(value(n, k), digits))).collect())
        .collect();
    if let Some(r) = reference {
        let mut row = vec!["all".to_string(), r];
        row.resize(header.len(), String::new());
        rows.push(row);
    }
    grid(out, title, &header, &rows);
}

/// Renders every table.
pub fn render(e: &Evaluation, background: &str) -> String {
    let mut out = String::new();
    let method = match e.steps {
        Some(n) => format!("{} with {n} steps", e.method),
        None => e.method.clone(),
    };
    let _ = writeln!(
        out,
        "Evaluation of {} on {}: {} validation rows explained ({} of class {}, {method}).",
        e.model, e.data, e.explained_rows, e.output, e.target
    );
    let _ = writeln!(out, "Background reference: {background}; averaged baselines draw K = {}.", e.baselines_drawn);
    let deltas: Vec<String> = e.completeness.iter().map(|(k, v)| format!("{k} {v:.1e}")).collect();
    if !deltas.is_empty() {
        let _ = writeln!(out, "Completeness (worst |δ|/|F(x) − F(x')|): {}", deltas.join(", "));
    }

    let header: Vec<String> =
        std::iter::once("rank".to_string()).chain(e.rankings.iter().map(|r| r.name.clone())).collect();
    let rows: Vec<Vec<String>> = (0..5.min(e.features.len()))
        .map(|i| std::iter::once((i + 1).to_string()).chain(e.rankings.iter().map(|r| r.names[i].clone())).collect())
        .collect();
    grid(&mut out, "Top 5 features per ranking (mean |IG| over the explained rows):", &header, &rows);

    let rows: Vec<Vec<String>> = e
        .deletion
        .iter()
        .map(|d| {
            vec![
                d.ranking.clone(),
                format!("{:.4}", d.area),
                format!("{:.4}", d.random_area),
                format!("{:+.4}", d.area - d.random_area),
            ]
        })
        .collect();
    let header = ["baseline", "area", "random order", "gain over random"].map(String::from).to_vec();
    let title = format!(
        "Deletion: mean drop of the {} when each row's top k features (k = 0…{}) take the baseline's values, area per k:",
        e.output, e.k_max
    );
    grid(&mut out, &title, &header, &rows);

    if let Some(r) = &e.retraining {
        let title = format!(
            "Top-k retraining: held-out ROC-AUC ({} test rows; {} models trained, λ = {:.3} fixed):",
            r.test_rows, r.models_trained, r.lambda
        );
        per_k(&mut out, e, &title, Some(num(r.all_features.roc_auc, 4)), &|n, k| r.at(n, k).and_then(|s| s.roc_auc), 4);
        per_k(
            &mut out,
            e,
            "Top-k retraining: held-out accuracy at the validation-tuned threshold:",
            Some(format!("{:.4}", r.all_features.accuracy)),
            &|n, k| r.at(n, k).map(|s| s.accuracy),
            4,
        );
        if let Some(z) = &r.all_features.significance {
            let title = format!(
                "Top-k retraining: significance Z = √(2((s+b)ln(1+s/b) − s)) above the threshold (weights × {:.2}):",
                r.weight_scale
            );
            per_k(
                &mut out,
                e,
                &title,
                Some(format!("{:.3}", z.z)),
                &|n, k| r.at(n, k).and_then(|s| s.significance).map(|s| s.z),
                3,
            );
        }
    }

    if let Some(t) = &e.truth {
        let title = format!(
            "Agreement with {} (truth top 5: {}; {} informative features): feature agreement of the global top k:",
            t.file,
            t.ranking.iter().take(5).cloned().collect::<Vec<_>>().join(", "),
            t.informative
        );
        per_k(&mut out, e, &title, None, &|n, k| t.at(n, k).map(|p| p.feature_agreement), 2);
        per_k(
            &mut out,
            e,
            "Agreement with the truth: mean feature agreement of each row's top k by |IG|:",
            None,
            &|n, k| t.at(n, k).map(|p| p.row_feature_agreement),
            2,
        );
    }
    let header: Vec<String> =
        ["ranking", "mean ROC-AUC", "mean accuracy", "mean Z", "deletion gain", "mean FA", "mean row FA"]
            .map(String::from)
            .to_vec();
    let rows: Vec<Vec<String>> = e
        .summary
        .iter()
        .map(|m| {
            vec![
                m.ranking.clone(),
                num(m.mean_roc_auc, 4),
                num(m.mean_accuracy, 4),
                num(m.mean_significance, 3),
                num(m.deletion_gain, 4),
                num(m.mean_feature_agreement, 3),
                num(m.mean_row_feature_agreement, 3),
            ]
        })
        .collect();
    grid(
        &mut out,
        &format!("Summary (means over k = 1…{}; higher is better in every column):", e.k_max),
        &header,
        &rows,
    );
    let s = &e.seconds;
    let _ = writeln!(
        out,
        "\nTime: {:.1} s (attributions {:.1} s, deletion {:.1} s, retraining {:.1} s).",
        s.total, s.attributions, s.deletion, s.retraining
    );
    out
}
