//! Baselines from a table (SPEC §4): zero, the training mean, `K` rows
//! drawn from reference rows matching a filter (uniformly, or ∝ a weight
//! column), or explicit rows from another file. The draws themselves are
//! glassbox-ig's [`Baseline`]; this module chooses the reference rows.

use std::path::PathBuf;

use glassbox_data::{Dataset, RowSelection};
use glassbox_glt::Model;
use glassbox_ig::Baseline;
use ndarray::Axis;

use crate::error::{request, ExplainError};
use crate::row_list::RowList;
use crate::table::Table;

/// Where background / weighted baselines are drawn from: the rows whose
/// `COL=VALUE` filter matches (default: the label is the first class),
/// optionally only among some rows (e.g. a training split).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Background {
    /// `COL=VALUE` (label values compare by class name).
    pub filter: Option<String>,
    /// Only these rows (sorted), described by the name (e.g.
    /// `"training-split"`).
    pub among: Option<(String, Vec<usize>)>,
}

impl Background {
    /// The filter's column and value.
    pub fn column_value<'m>(&'m self, model: &'m Model) -> Result<(&'m str, &'m str), ExplainError> {
        match &self.filter {
            Some(f) => match f.split_once('=') {
                Some(cv) => Ok(cv),
                None => request(format!("--background-filter '{f}' must look like COL=VALUE")),
            },
            None => Ok((model.report.config.label.as_str(), model.class_names[0].as_str())),
        }
    }

    /// The column the filter reads (to be loaded with the table).
    pub fn column(&self) -> Option<&str> {
        self.filter.as_deref().map(|f| f.split_once('=').map_or(f, |(c, _)| c))
    }

    /// The matching rows of `data` (never empty).
    pub fn rows(&self, model: &Model, data: &Dataset) -> Result<Vec<usize>, ExplainError> {
        self.rows_numbered(model, data, &|r| r)
    }

    /// [`Background::rows`] of loaded rows that are the file's rows
    /// `file_row(i)` (`among` counts the file's rows).
    fn rows_numbered(
        &self,
        model: &Model,
        data: &Dataset,
        file_row: &dyn Fn(usize) -> usize,
    ) -> Result<Vec<usize>, ExplainError> {
        let (column, value) = self.column_value(model)?;
        let mut rows = matching_rows(data, column, value, &model.report.config.label)?;
        if let Some((_, among)) = &self.among {
            rows.retain(|&r| among.binary_search(&file_row(r)).is_ok());
        }
        if rows.is_empty() {
            let which = self.among.as_ref().map_or(String::new(), |(name, _)| format!("{name} "));
            return request(format!(
                "--background-filter {column}={value}: no {which}row of {} matches",
                data.path.display()
            ));
        }
        Ok(rows)
    }
}

/// Rows whose `column` equals `value` (the label column compares class
/// names; other columns are id or extra columns).
pub fn matching_rows(data: &Dataset, column: &str, value: &str, label: &str) -> Result<Vec<usize>, ExplainError> {
    if column == label {
        let Some(labels) = &data.labels else {
            return request(format!("--background-filter: the data has no {label} column"));
        };
        let Some(class) = data.class_names.iter().position(|c| c == value) else {
            return request(format!(
                "--background-filter: {value} is not a class of the model (classes: {})",
                data.class_names.join(", ")
            ));
        };
        return Ok((0..labels.len()).filter(|&r| labels[r] == class).collect());
    }
    let Some(values) = data.extra_column(column).or_else(|| data.id_column(column)) else {
        return request(format!("--background-filter: no column {column} in {}", data.path.display()));
    };
    Ok(values.iter().enumerate().filter(|(_, v)| v.as_str() == value).map(|(r, _)| r).collect())
}

/// A weight column's values at `rows`, each a number ≥ 0.
pub fn weights(data: &Dataset, column: &str, rows: &[usize]) -> Result<Vec<f64>, ExplainError> {
    weights_numbered(data, column, rows, &|r| r)
}

/// [`weights`], errors naming the file's row `file_row(r)`.
fn weights_numbered(
    data: &Dataset,
    column: &str,
    rows: &[usize],
    file_row: &dyn Fn(usize) -> usize,
) -> Result<Vec<f64>, ExplainError> {
    let Some(values) = data.extra_column(column) else {
        return request(format!("--weight-column: no column {column} in {}", data.path.display()));
    };
    rows.iter()
        .map(|&r| match values[r].trim().parse::<f64>() {
            Ok(w) if w.is_finite() && w >= 0.0 => Ok(w),
            _ => request(format!(
                "{}: row {}, column {column}: weight '{}' is not a number ≥ 0",
                data.path.display(),
                file_row(r),
                values[r]
            )),
        })
        .collect()
}

/// Which baseline to explain against.
#[derive(Clone, Debug, PartialEq)]
pub enum BaselineSpec {
    /// `x' = 0`.
    Zero,
    /// The training mean stored in the model.
    Mean,
    /// `count` distinct reference rows drawn uniformly (seeded).
    Background {
        /// The reference rows.
        background: Background,
        /// `K`.
        count: usize,
        /// Seed of the draw.
        seed: u64,
    },
    /// `count` reference rows drawn ∝ the weight column (seeded).
    Weighted {
        /// The reference rows.
        background: Background,
        /// The weight column (`None` is an error when resolved).
        column: Option<String>,
        /// `K`.
        count: usize,
        /// Seed of the draw.
        seed: u64,
    },
    /// Every row of a CSV file (read like the explained table).
    File(Option<PathBuf>),
}

/// The most averaged baselines `K` (each multiplies the work per row).
pub const MAX_BASELINES: usize = 10_000;

impl BaselineSpec {
    /// From the command line's words: `zero`, `mean`, `background`,
    /// `weighted` or `file`.
    pub fn parse(
        kind: &str,
        background: Background,
        weight_column: Option<&str>,
        count: usize,
        seed: u64,
        file: Option<PathBuf>,
    ) -> Result<Self, ExplainError> {
        if file.is_some() && kind != "file" {
            return request(format!(
                "--baseline-file applies to --baseline file, not --baseline {kind}; drop one of them"
            ));
        }
        if matches!(kind, "background" | "weighted") && !(1..=MAX_BASELINES).contains(&count) {
            return request(format!("--baselines {count} must be between 1 and {MAX_BASELINES}"));
        }
        Ok(match kind {
            "zero" => BaselineSpec::Zero,
            "mean" => BaselineSpec::Mean,
            "background" => BaselineSpec::Background { background, count, seed },
            "weighted" => BaselineSpec::Weighted { background, column: weight_column.map(str::to_string), count, seed },
            "file" => BaselineSpec::File(file),
            other => {
                return request(format!("--baseline '{other}' must be one of zero, mean, background, weighted, file"))
            }
        })
    }

    /// The rows of the explained table this baseline needs besides the
    /// explained `rows`: none for zero, mean and file baselines (only the
    /// listed rows are read); for background and weighted ones the rows its
    /// filter can match ([`Table::load_rows`] then reads every row but parses
    /// only those). The training mean is the model's, not the table's.
    ///
    /// ```
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
    /// use glassbox_explainer::{Background, BaselineSpec, RowList};
    /// let model = glassbox_glt::Model::load(format!("{dir}railway-demo.glt").as_ref())?;
    /// let rows = RowList::parse("0,5-6")?;
    /// assert_eq!(BaselineSpec::Mean.selection(&model, &rows)?.listed(), [(0, 0), (5, 6)]);
    /// let bg = BaselineSpec::Background { background: Background::default(), count: 3, seed: 0 };
    /// assert!(bg.selection(&model, &rows)?.keeps(100, Some(&model.class_names[0])));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn selection(&self, model: &Model, rows: &RowList) -> Result<RowSelection, ExplainError> {
        let listed = RowSelection::ranges(rows.ranges().iter().copied());
        Ok(match self {
            BaselineSpec::Zero | BaselineSpec::Mean | BaselineSpec::File(_) => listed,
            BaselineSpec::Background { background, .. } | BaselineSpec::Weighted { background, .. } => {
                let (column, value) = background.column_value(model)?;
                listed.or_matching(column, value)
            }
        })
    }

    /// The IG baseline over `table`'s rows (model inputs, imputed).
    ///
    /// ```
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
    /// use glassbox_explainer::{Background, BaselineSpec, Table};
    /// let model = glassbox_glt::Model::load(format!("{dir}railway-demo.glt").as_ref())?;
    /// let table = Table::load(&model, format!("{dir}railway-demo.csv").as_ref(), &[], &[])?;
    /// let spec = BaselineSpec::Background { background: Background::default(), count: 3, seed: 0 };
    /// assert_eq!(spec.resolve(&model, &table)?.kind(), "background");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(&self, model: &Model, table: &Table) -> Result<Baseline, ExplainError> {
        let file_row = |i: usize| table.file_row(i);
        let reference = |background: &Background| -> Result<_, ExplainError> {
            let rows = background.rows_numbered(model, &table.data, &file_row)?;
            Ok((table.inputs.x.select(Axis(0), &rows), rows))
        };
        Ok(match self {
            BaselineSpec::Zero => Baseline::Zero,
            BaselineSpec::Mean => Baseline::Mean(model.scaler.mean.clone()),
            BaselineSpec::Background { background, count, seed } => {
                Baseline::Background { reference: reference(background)?.0, count: *count, seed: *seed }
            }
            BaselineSpec::Weighted { background, column, count, seed } => {
                let Some(column) = column else { return request("--baseline weighted needs --weight-column COL") };
                let (reference, rows) = reference(background)?;
                Baseline::Weighted {
                    weights: weights_numbered(&table.data, column, &rows, &file_row)?,
                    reference,
                    count: *count,
                    seed: *seed,
                }
            }
            BaselineSpec::File(path) => {
                let Some(path) = path else { return request("--baseline file needs --baseline-file FILE") };
                Baseline::Rows(Table::load(model, path, &[], &[])?.inputs.x)
            }
        })
    }
}
