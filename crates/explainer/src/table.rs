//! A table loaded for a model: the model's features in its order, the
//! label when the file has it, id columns, extra string columns (weights,
//! filters, sequence keys), and the model inputs of every row
//! ([`Model::inputs`]: windows, imputation, missing mask).

use std::path::Path;

use glassbox_data::{load_columns, load_table_with, Column, Dataset, LoadOptions, MissingValues};
use glassbox_glt::{Model, ModelInputs};

use crate::error::ExplainError;

/// How a table with `columns` is read for `model`: exactly its features in
/// its order, its class names, the label when present, the `ids` present,
/// and `extra` columns kept as strings (plus the model's sequence and order
/// columns).
pub fn load_options(model: &Model, columns: &[String], ids: &[String], extra: &[String]) -> LoadOptions {
    let cfg = &model.report.config;
    let label = columns.contains(&cfg.label).then(|| cfg.label.clone());
    let mut extra: Vec<String> = extra.to_vec();
    extra.extend(cfg.sequence_by.iter().chain(&cfg.order_by).cloned());
    extra.retain(|c| Some(c) != label.as_ref());
    extra.sort();
    extra.dedup();
    LoadOptions {
        label,
        ids: ids.iter().filter(|c| columns.contains(c)).cloned().collect(),
        extra,
        required_features: Some(model.feature_names.clone()),
        class_names: Some(model.class_names.clone()),
        ..LoadOptions::default()
    }
}

/// The loaded rows and their model inputs.
#[derive(Clone, Debug)]
pub struct Table {
    /// The table (features, label, ids, extra columns).
    pub data: Dataset,
    /// `[N, F]` or `[N, T, F]` inputs of every row, imputed, with the mask.
    pub inputs: ModelInputs,
}

impl Table {
    /// Loads the table file `path` (CSV, Parquet or Arrow IPC, by extension;
    /// [`load_table`]) for `model`: `ids` are the id columns to carry (those
    /// the file lacks are skipped), `extra` columns are kept as strings
    /// (the model's sequence and order columns are added).
    ///
    /// ```
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
    /// use glassbox_explainer::Table;
    /// let model = glassbox_glt::Model::load(format!("{dir}railway-demo.glt").as_ref())?;
    /// let table = Table::load(&model, format!("{dir}railway-demo.csv").as_ref(), &model.report.config.ids, &[])?;
    /// assert_eq!(table.inputs.x.shape(), [table.rows(), model.feature_names.len()]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load(model: &Model, path: &Path, ids: &[String], extra: &[String]) -> Result<Self, ExplainError> {
        Self::load_with(model, path, ids, extra, &MissingValues::default())
    }

    /// [`Table::load`] with the missing-value tokens `na` (`--na-values`).
    pub fn load_with(
        model: &Model,
        path: &Path,
        ids: &[String],
        extra: &[String],
        na: &MissingValues,
    ) -> Result<Self, ExplainError> {
        let mut options =
            |names: &[String]| LoadOptions { na_values: na.clone(), ..load_options(model, names, ids, extra) };
        Self::from_dataset(model, load_table_with(path, &mut options)?)
    }

    /// [`Table::load`] for an in-memory table of named [`Column`]s
    /// (a DataFrame, an Arrow table); `source` names it in messages.
    ///
    /// ```
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
    /// use glassbox_data::read_csv_columns;
    /// use glassbox_explainer::Table;
    /// let model = glassbox_glt::Model::load(format!("{dir}railway-demo.glt").as_ref())?;
    /// let path = format!("{dir}railway-demo.csv");
    /// let (names, columns) = read_csv_columns(path.as_ref())?;
    /// let memory = Table::from_columns(&model, "<memory>".as_ref(), &names, &columns, &[], &[])?;
    /// let file = Table::load(&model, path.as_ref(), &[], &[])?;
    /// assert_eq!(memory.inputs.x, file.inputs.x);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_columns(
        model: &Model,
        source: &Path,
        names: &[String],
        columns: &[Column],
        ids: &[String],
        extra: &[String],
    ) -> Result<Self, ExplainError> {
        let opts = load_options(model, names, ids, extra);
        Self::from_dataset(model, load_columns(source, names, columns, &opts)?)
    }

    /// A table already loaded with the model's features (and, in sequence
    /// mode, its sequence and order columns as extra columns).
    pub fn from_dataset(model: &Model, data: Dataset) -> Result<Self, ExplainError> {
        let inputs = model.inputs(&data)?;
        Ok(Table { data, inputs })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.data.rows()
    }

    /// The id columns' values of row `r`.
    pub fn ids(&self, r: usize) -> Vec<(String, String)> {
        self.data.ids.iter().map(|(k, v)| (k.clone(), v[r].clone())).collect()
    }
}
