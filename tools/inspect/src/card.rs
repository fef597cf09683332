//! The model card: architecture, features, groups with their norms,
//! selected and dropped features, held-out metrics, the relaxed refit
//! against the penalised model, the λ path.

use std::fmt::Write;

use glassbox_glt::metrics::Metrics;
use glassbox_glt::{InputMode, Model};

/// The text card of a model.
pub fn card(name: &str, m: &Model) -> String {
    let c = &m.glt.config;
    let r = &m.report;
    let mut s = String::new();
    let _ = writeln!(s, "Model {name}");
    let mode = match c.mode {
        InputMode::Tabular => "tabular".to_string(),
        InputMode::Sequence { seq_len } => format!(
            "sequence (window {seq_len} by {} ordered by {})",
            r.config.sequence_by.as_deref().unwrap_or("?"),
            r.config.order_by.as_deref().unwrap_or("?")
        ),
    };
    let params: usize = m.params.iter().map(|p| p.len()).sum();
    let _ = writeln!(
        s,
        "Architecture: Group Lasso Transformer, {mode}; d_model {}, {} heads, {} blocks, d_ff {}, {} classes; {params} parameters",
        c.d_model, c.n_heads, c.n_blocks, c.d_ff, c.n_classes
    );
    let _ = writeln!(s, "Label: {} (classes {})", r.config.label, m.class_names.join(", "));
    let _ = writeln!(s, "Features ({}): {}", m.feature_names.len(), m.feature_names.join(", "));
    let _ =
        writeln!(s, "\nMetrics on the held-out test split ({} rows; nothing was tuned on it):", r.config.split_rows[2]);
    match &r.metrics {
        Metrics::Binary(b) => {
            let f = |v: Option<f64>| v.map_or("n/a".into(), |v| format!("{v:.4}"));
            let _ = writeln!(
                s,
                "  ROC-AUC {}  PR-AUC {}  F1 {:.4}  accuracy {:.4}  threshold {:.4}",
                f(b.roc_auc),
                f(b.pr_auc),
                b.f1,
                b.accuracy,
                b.threshold
            );
            let k = &b.confusion;
            let _ = writeln!(s, "  confusion: TP {}  FP {}  TN {}  FN {}", k.tp, k.fp, k.tn, k.fn_);
        }
        Metrics::Multiclass(mc) => {
            let _ = writeln!(s, "  accuracy {:.4}  macro-F1 {:.4}", mc.accuracy, mc.macro_f1);
        }
    }
    let _ = writeln!(
        s,
        "\nGroup lasso: λ = {}{}; {} features selected, {} dropped",
        r.lambda,
        r.lambda_max.map_or(String::new(), |l| format!(" (λ_max {l:.4})")),
        r.selected_features.len(),
        r.dropped_features.len()
    );
    let width = r.groups.iter().map(|g| g.name.len()).max().unwrap_or(5).max(5);
    let _ = writeln!(s, "  {:<width$}  {:>10}  {:<8}  features", "group", "‖W_g‖", "status");
    for g in &r.groups {
        let status = if g.selected { "selected" } else { "dropped" };
        let _ = writeln!(s, "  {:<width$}  {:>10.4}  {status:<8}  {}", g.name, g.norm, g.features.join(", "));
    }
    if let Some(refit) = &r.refit {
        let _ = writeln!(
            s,
            "\nRelaxed refit: λ = 0 on the {} kept groups, {} epochs; kept the {} model",
            refit.groups_kept,
            refit.epochs,
            if refit.kept { "refit" } else { "penalised" }
        );
        for (what, m) in [("refit", &refit.refit), ("penalised", &refit.penalised)] {
            let _ = writeln!(s, "  {what:<9}  validation {}  held-out {}", headline(&m.validation), headline(&m.test));
        }
    }
    if !r.relaxed.is_empty() {
        let _ = writeln!(s, "\nRelaxed choice (supports of the path refit with λ = 0, validation):");
        for p in &r.relaxed {
            let chosen = if p.lambda == r.lambda { "  ← kept" } else { "" };
            let _ = writeln!(
                s,
                "  from λ {:<10.4} groups {:>3}  score {:.4}  {:>3} epochs{chosen}",
                p.lambda, p.groups_kept, p.val_score, p.epochs
            );
        }
    }
    if !r.path.is_empty() {
        let _ = writeln!(s, "\nλ path (validation):");
        for p in &r.path {
            let auc = p.val_roc_auc.map_or("n/a".into(), |v| format!("{v:.4}"));
            let chosen = if p.lambda == r.lambda { "  ← kept" } else { "" };
            let _ = writeln!(
                s,
                "  λ {:<10.4} groups {:>3}  ROC-AUC {auc}  loss {:.4}  {:>3} epochs{chosen}",
                p.lambda,
                p.selected_groups.len(),
                p.val_loss,
                p.epochs
            );
        }
    }
    let missing: usize = r.missing.iter().sum();
    let _ = writeln!(s, "\nTraining: seed {}, split train/val/test {:?}{}, {missing} missing cells in training rows (imputed with the mean)",
        r.seed, r.config.split_rows, r.config.split_by.as_deref().map_or(String::new(), |c| format!(" by {c}")));
    s
}

/// The headline score of a set of metrics: ROC-AUC (binary) or accuracy.
fn headline(m: &Metrics) -> String {
    match m {
        Metrics::Binary(b) => b.roc_auc.map_or("ROC-AUC n/a".into(), |v| format!("ROC-AUC {v:.4}")),
        Metrics::Multiclass(mc) => format!("accuracy {:.4}", mc.accuracy),
    }
}
