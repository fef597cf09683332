//! glassbox-explainer: the explain pipeline as a library (SPEC §4, §6),
//! for the `explain` tool, Python, Spark and Rust users.
//!
//! - [`GltFunction`]: a trained [`glassbox_glt::Model`] as glassbox-ig's
//!   [`Explainable`](glassbox_ig::Explainable) (raw rows → logits).
//! - [`Table`]: a CSV loaded for a model, with the inputs of every row.
//! - [`BaselineSpec`] / [`Background`]: baselines from a table (zero, mean,
//!   background rows matching a filter, weighted by a column, a file).
//! - [`explain_table`] ([`ExplainRequest`] → [`Explained`]); part by
//!   part, keeping no rows: [`explain_parts`] ([`Prepared::parts`]);
//!   [`explain_array`] and [`Parts`] for raw arrays (NaN = missing) with an
//!   ig [`Baseline`](glassbox_ig::Baseline).
//! - [`RowResult`]: probabilities, predicted class, `F(x)`, baseline `F`,
//!   δ, relative δ, values, missing mask, attributions, group sums.
//! - [`GlobalImportance`]: mean |IG|, mean IG per predicted class, group
//!   mean |IG|; [`feature_labels`], [`target_class`], [`predicted_class`];
//!   [`Target`]: one class or `all` (every class in one shared pass,
//!   [`ExplainRequest::all_classes`], one [`RowResult`] per row and class).
//! - [`Integration`] / [`ig_config`]: the integration by name (default
//!   `adaptive`: completeness `|δ| ≤ max(1e-3·|ΔF|, 1e-6)` on every row, under
//!   a cap; `gausslegendre` with 50 steps: Captum's numbers);
//!   [`not_converged`]: the rows that missed it.
//! - [`json_document`] / [`csv_bytes`]: the result files, or written part
//!   by part: [`AttributionWriter`]; [`row_chart`] /
//!   [`row_chart_png`]: one row's top-15 chart.
//!
//! ```
//! # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
//! use glassbox_explainer::{explain_table, Background, BaselineSpec, ExplainRequest, Table};
//! let model = glassbox_glt::Model::load(format!("{dir}railway-demo.glt").as_ref())?;
//! let table = Table::load(&model, format!("{dir}railway-demo.csv").as_ref(), &[], &[])?;
//! let baseline = BaselineSpec::Background { background: Background::default(), count: 5, seed: 0 };
//! let ig = glassbox_explainer::Integration::default().ig_config()?; // adaptive: complete on every row
//! let e = explain_table(&model, &table, &ExplainRequest::new(vec![0, 1], baseline, ig), &mut |_, _| {})?;
//! assert_eq!(e.rows.len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod attribution_table;
mod attribution_writer;
mod baseline;
mod chart;
mod classes;
mod document;
mod error;
mod function;
mod global;
mod integration;
mod request;
mod row_list;
mod rows;
mod table;

pub use attribution_table::{attribution_columns, attributions_parquet};
pub use attribution_writer::AttributionWriter;
pub use baseline::{matching_rows, weights, Background, BaselineSpec, MAX_BASELINES};
pub use chart::{
    attribution_chart, bars, bars_top, fmt_value, named_chart, png_bytes, row_chart, row_chart_png, top_indices,
    with_suffix, TOP,
};
pub use classes::{feature_labels, predicted_class, seq_len, target_class, threshold, Target};
pub use document::{
    csv_bytes, csv_header, csv_header_per_class, csv_record, csv_record_per_class, json_document, row_json, RunInfo,
};
pub use error::ExplainError;
pub use function::GltFunction;
pub use global::{GlobalAccumulator, GlobalImportance};
pub use integration::{
    ig_config, method_name, not_converged, parse_tolerance, ConvergenceTally, Integration, NotConverged,
    DEFAULT_MAX_STEPS, DEFAULT_STEPS, MAX_EVALUATIONS, MAX_STEPS, METHODS,
};
pub use request::{explain_parts, explain_table, ExplainRequest, Explained, Prepared, TableParts};
pub use row_list::{parse_rows, RowList};
pub use rows::{explain_array, Part, Parts, RowResult, ROWS_PER_PART};
pub use table::{load_options, Table};
