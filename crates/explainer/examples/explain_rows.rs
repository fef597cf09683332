//! Explaining rows with the library: load the shipped demo model, explain
//! rows of its CSV against background rows (label = first class), print
//! each row's top features and the global importance.
//!
//! ```text
//! cargo run --release -p glassbox-explainer --example explain_rows
//! ```

use std::path::Path;

use glassbox_explainer::{
    explain_table, feature_labels, top_indices, Background, BaselineSpec, ExplainRequest, Integration, Table,
};
use glassbox_glt::Model;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let models = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models");
    let model = Model::load(&models.join("railway-demo.glt"))?;
    let table = Table::load(&model, &models.join("railway-demo.csv"), &model.report.config.ids, &[])?;

    // Five background baselines drawn (seed 0) from the rows with label = first class.
    let baseline = BaselineSpec::Background { background: Background::default(), count: 5, seed: 0 };
    // The default integration: adaptive, |δ| ≤ max(1e-3·|ΔF|, 1e-6) on every row
    // (`Integration { method: "gausslegendre".into(), ..Default::default() }`: Captum's 50 steps).
    let mut request = ExplainRequest::new(vec![0, 1, 2], baseline, Integration::default().ig_config()?);
    request.global = true;
    let explained = explain_table(&model, &table, &request, &mut |done, all| eprintln!("{done}/{all} rows"))?;

    let labels = feature_labels(&model);
    for row in &explained.rows {
        let class = &model.class_names[row.predicted_class];
        println!(
            "row {}: predicted {class}, F(x) = {:.4}, baseline F = {:.4}, δ = {:.1e}",
            row.index, row.output, row.baseline_output, row.delta
        );
        for i in top_indices(&row.attributions, 3) {
            println!("  {:<24} {:+.5}", labels[i], row.attributions[i]);
        }
    }
    if let Some(global) = &explained.global {
        let top: Vec<&str> = top_indices(&global.mean_abs, 3).into_iter().map(|i| labels[i].as_str()).collect();
        println!("global top 3 by mean |IG|: {}", top.join(", "));
    }
    Ok(())
}
