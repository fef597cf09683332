//! How the per-row results are shown: the text report in the seed's layout (ids, predicted class with both probabilities, then Rank,
//! Feature Name, Feature Value, Attribution Score, Absolute Attribution,
//! Impact Direction, and the convergence delta), the group and global
//! tables.

use std::fmt::Write;

use glassbox_explainer::{fmt_value, top_indices, NotConverged, RowResult};
use glassbox_ig::IgConfig;

/// The seed-style report of one row.
pub fn row_text(r: &RowResult, names: &[String], classes: &[String], target: usize, what: &str, top: usize) -> String {
    let mut s = String::new();
    let ids: Vec<String> = r.ids.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let _ = writeln!(s, "Row {}{}{}", r.index, if ids.is_empty() { "" } else { "  " }, ids.join("  "));
    let probs: Vec<String> = r.probabilities.iter().zip(classes).map(|(p, c)| format!("P({c}) = {p:.4}")).collect();
    let _ = writeln!(s, "Predicted class: {} ({})", classes[r.predicted_class], probs.join(", "));
    let _ = writeln!(
        s,
        "Explaining {what} of class {}: F(x) = {:.6}, baseline F = {:.6}",
        classes[target], r.output, r.baseline_output
    );
    let width = names.iter().map(String::len).max().unwrap_or(12).max(12);
    let _ = writeln!(
        s,
        "{:>4}  {:<width$}  {:>14}  {:>17}  {:>20}  Impact Direction",
        "Rank", "Feature Name", "Feature Value", "Attribution Score", "Absolute Attribution"
    );
    for (rank, i) in top_indices(&r.attributions, top).into_iter().enumerate() {
        let a = r.attributions[i];
        let direction = if a > 0.0 {
            format!("promotes {}", classes[target])
        } else if a < 0.0 {
            format!("reduces {}", classes[target])
        } else {
            "none".to_string()
        };
        let value = if r.missing[i] { format!("{}*", fmt_value(r.values[i])) } else { fmt_value(r.values[i]) };
        let _ = writeln!(
            s,
            "{:>4}  {:<width$}  {value:>14}  {a:>17.6}  {:>20.6}  {direction}",
            rank + 1,
            names[i],
            a.abs()
        );
    }
    if r.missing.iter().any(|&m| m) {
        let _ = writeln!(s, "(* missing in the data: the training mean was used)");
    }
    let conv = if r.converged { String::new() } else { " — did NOT reach the tolerance".to_string() };
    let _ = writeln!(
        s,
        "Convergence delta: {:.3e} (relative {:.3e}, {} steps, {} gradient evaluations){conv}",
        r.delta, r.relative_delta, r.steps, r.evaluations
    );
    s
}

/// Rows listed by number in the warning.
const LISTED: usize = 10;

/// The warning about rows that missed the tolerance: which rows, the worst
/// relative delta, and the flag that raises the cap.
pub fn not_converged_line(m: &NotConverged, cfg: &IgConfig) -> String {
    let mut rows: Vec<String> = m.rows.iter().take(LISTED).map(usize::to_string).collect();
    if m.rows.len() > LISTED {
        rows.push(format!("… ({} more)", m.rows.len() - LISTED));
    }
    let (criterion, cap) = match cfg.adaptive {
        Some(s) => (
            format!("|δ| ≤ max({:e}·|ΔF|, {:e})", s.convergence.rel, s.convergence.abs),
            format!("--max-evaluations {} per path", s.max_evaluations),
        ),
        None => {
            let t = cfg.tolerance.map_or((0.0, 0), |t| (t.rel, t.max_steps));
            (format!("|δ|/|ΔF| < {:e}", t.0), format!("--max-steps {}", t.1))
        }
    };
    format!(
        "warning: {} of {} rows did not converge ({criterion} not met within {cap}): rows {}; worst relative delta {:.3e}; raise the cap with {} (or loosen --tolerance)",
        m.rows.len(),
        m.of,
        rows.join(", "),
        m.worst_relative_delta,
        cap.split(' ').next().unwrap_or("--max-evaluations"),
    )
}

/// A ranked table of `(name, value)` rows.
pub fn ranked_table(title: &str, header: &str, rows: &[(String, f64)], top: usize) -> String {
    let mut s = format!("{title}\n");
    let values: Vec<f64> = rows.iter().map(|r| r.1).collect();
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(10).max(10);
    let _ = writeln!(s, "{:>4}  {:<width$}  {header:>17}", "Rank", "Name");
    for (rank, i) in top_indices(&values, top).into_iter().enumerate() {
        let _ = writeln!(s, "{:>4}  {:<width$}  {:>17.6}", rank + 1, rows[i].0, rows[i].1);
    }
    s
}
