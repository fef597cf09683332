//! A table loaded for a model: the model's features in its order, the
//! label when the file has it, id columns, extra string columns (weights,
//! filters, sequence keys), and the model inputs of every row
//! ([`Model::inputs`]: windows, imputation, missing mask).

use std::path::Path;

use glassbox_data::{
    load_columns, load_table_rows, Column, Dataset, LoadOptions, MissingValues, RowSelection, SelectedRows,
};
use glassbox_glt::{GltError, Model, ModelInputs};

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

/// The loaded rows and their model inputs: every row of a table, or the
/// rows a request needs ([`Table::load_rows`]), each known by its row
/// number in the file.
#[derive(Clone, Debug)]
pub struct Table {
    /// The loaded rows (features, label, ids, extra columns).
    pub data: Dataset,
    /// `[N, F]` or `[N, T, F]` inputs of every loaded row, imputed, with the mask.
    pub inputs: ModelInputs,
    /// The file's row number of each loaded row (ascending).
    file_rows: Vec<usize>,
    /// The file's number of rows, when known.
    total: Option<usize>,
}

impl Table {
    /// Loads the table file `path` (CSV, Parquet or Arrow IPC, by extension;
    /// [`load_table`](glassbox_data::load_table)) for `model`: `ids` are the id columns to carry (those
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
        Self::load_rows(model, path, ids, extra, na, None)
    }

    /// [`Table::load_with`] keeping only the rows `selection` keeps (see
    /// [`BaselineSpec::selection`](crate::BaselineSpec::selection)): the
    /// other rows are not parsed, and a CSV file is read no further than
    /// needed. A sequence model needs every row (its windows reach back),
    /// so then the selection is ignored.
    ///
    /// ```
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
    /// use glassbox_data::{MissingValues, RowSelection};
    /// use glassbox_explainer::Table;
    /// let model = glassbox_glt::Model::load(format!("{dir}railway-demo.glt").as_ref())?;
    /// let path = format!("{dir}railway-demo.csv");
    /// let keep = RowSelection::ranges([(2, 3)]);
    /// let part = Table::load_rows(&model, path.as_ref(), &[], &[], &MissingValues::default(), Some(&keep))?;
    /// let whole = Table::load(&model, path.as_ref(), &[], &[])?;
    /// assert_eq!((part.rows(), part.total()), (2, None)); // reading stopped after row 3
    /// assert_eq!(part.select(&[3, 2])?.x, whole.select(&[3, 2])?.x);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_rows(
        model: &Model,
        path: &Path,
        ids: &[String],
        extra: &[String],
        na: &MissingValues,
        selection: Option<&RowSelection>,
    ) -> Result<Self, ExplainError> {
        let mut options =
            |names: &[String]| LoadOptions { na_values: na.clone(), ..load_options(model, names, ids, extra) };
        let selection = selection.filter(|_| model.sequence().is_none());
        Self::from_selected(model, load_table_rows(path, &mut options, selection)?)
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
        let n = data.rows();
        Self::from_selected(model, SelectedRows { data, rows: (0..n).collect(), total: Some(n) })
    }

    fn from_selected(model: &Model, selected: SelectedRows) -> Result<Self, ExplainError> {
        let SelectedRows { data, rows: file_rows, total } = selected;
        let inputs = model.inputs(&data).map_err(|e| match e {
            // The row as the file counts rows.
            GltError::OutOfRange { table, row, column, value } => {
                GltError::OutOfRange { table, row: file_rows[row], column, value }
            }
            e => e,
        })?;
        Ok(Table { data, inputs, file_rows, total })
    }

    /// Number of loaded rows.
    pub fn rows(&self) -> usize {
        self.data.rows()
    }

    /// The file's number of rows, when known (every row was read, or the
    /// file says); `None` when reading stopped early.
    pub fn total(&self) -> Option<usize> {
        self.total
    }

    /// The file's row number of loaded row `i`.
    pub fn file_row(&self, i: usize) -> usize {
        self.file_rows[i]
    }

    /// The loaded row that is the file's row `row`.
    pub fn position(&self, row: usize) -> Result<usize, ExplainError> {
        self.file_rows.binary_search(&row).or_else(|_| match self.total {
            Some(n) if row >= n => crate::error::request(format!(
                "row {row} is past the end of {} ({n} rows, numbered 0 to {})",
                self.data.path.display(),
                n.saturating_sub(1)
            )),
            _ => crate::error::request(format!("row {row} of {} was not loaded", self.data.path.display())),
        })
    }

    /// The inputs of the file's rows `rows`, in that order.
    pub fn select(&self, rows: &[usize]) -> Result<ModelInputs, ExplainError> {
        let at: Vec<usize> = rows.iter().map(|&r| self.position(r)).collect::<Result<_, _>>()?;
        Ok(self.inputs.select(&at))
    }

    /// The id columns' values of the file's row `row` (a loaded row).
    pub fn ids(&self, row: usize) -> Vec<(String, String)> {
        let r = self.position(row).expect("a loaded row");
        self.data.ids.iter().map(|(k, v)| (k.clone(), v[r].clone())).collect()
    }
}
