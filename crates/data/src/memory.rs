//! Tables that are already in memory (pandas, numpy, Arrow): named
//! [`Column`]s of numbers or text, given their roles by the same rules as a
//! CSV file ([`LoadOptions`]), so the same table gives the same [`Dataset`]
//! — bit for bit — whether it was a CSV file or a DataFrame.
//!
//! * A [`Column::Numbers`] cell is used as is: NaN is missing, ±inf is an
//!   error naming row and column.
//! * A [`Column::Text`] cell is read as a CSV cell would be (`None` and the
//!   tokens of [`LoadOptions::na_values`] are missing; other non-numbers are
//!   an error).
//! * Without explicit features, text columns whose cells are not all
//!   numbers are left out of the features (listed in `warnings`), as the
//!   CSV loader does and as a user selecting the numeric columns of a
//!   DataFrame would.
//! * Labels, ids and extra columns are text; numbers become the text a CSV
//!   file would hold (`1.0` → `"1"`, `0.25` → `"0.25"`).

use std::path::Path;

use ndarray::Array2;

use super::columns::{keep_numeric, resolve_columns, FeatureOrigin};
use super::error::DataError;
use super::labels::label_indices;
use super::load::parse_cell;
use super::missing::{Cell, MissingValues};
use super::table::{Dataset, LoadOptions};

/// One column of an in-memory table.
#[derive(Clone, Debug, PartialEq)]
pub enum Column {
    /// Numbers, NaN = missing.
    Numbers(Vec<f64>),
    /// Text cells, `None` = missing.
    Text(Vec<Option<String>>),
}

impl Column {
    /// Number of cells.
    pub fn len(&self) -> usize {
        match self {
            Column::Numbers(v) => v.len(),
            Column::Text(v) => v.len(),
        }
    }

    /// Whether the column has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Cell `row` as text (empty when missing).
    pub fn text(&self, row: usize) -> String {
        match self {
            Column::Numbers(v) => number_text(v[row]),
            Column::Text(v) => v[row].clone().unwrap_or_default(),
        }
    }

    /// The cells at `rows`, in that order.
    pub fn select(&self, rows: &[usize]) -> Column {
        match self {
            Column::Numbers(v) => Column::Numbers(rows.iter().map(|&r| v[r]).collect()),
            Column::Text(v) => Column::Text(rows.iter().map(|&r| v[r].clone()).collect()),
        }
    }

    /// Whether every present cell is a number (the CSV loader's rule).
    fn is_numeric(&self, na: &MissingValues) -> bool {
        match self {
            Column::Numbers(_) => true,
            Column::Text(v) => v.iter().flatten().all(|s| Cell::of(s.trim(), na) != Cell::Text),
        }
    }
}

/// A number as a CSV file would hold it: integers without a decimal point,
/// others in the shortest text that reads back to the same `f64`; NaN as
/// the empty (missing) cell.
///
/// ```
/// use glassbox_data::number_text;
/// assert_eq!((number_text(1.0), number_text(0.25), number_text(-3.0)), ("1".into(), "0.25".into(), "-3".into()));
/// assert_eq!(number_text(f64::NAN), "");
/// ```
pub fn number_text(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else if v.fract() == 0.0 && v.abs() < 9.007_199_254_740_992e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Builds a [`Dataset`] from named columns; `source` names the table in
/// messages (e.g. `<DataFrame>`).
///
/// ```
/// use glassbox_data::{load_columns, Column, LoadOptions};
/// let names = vec!["speed".to_string(), "code".into(), "y".into()];
/// let columns = vec![
///     Column::Numbers(vec![80.0, f64::NAN]),
///     Column::Text(vec![Some("A7".into()), None]),
///     Column::Numbers(vec![0.0, 1.0]),
/// ];
/// let opts = LoadOptions { label: Some("y".into()), ..Default::default() };
/// let d = load_columns("<DataFrame>".as_ref(), &names, &columns, &opts)?;
/// assert_eq!(d.feature_names, ["speed"]); // the text column is left out
/// assert!(d.x[[1, 0]].is_nan() && d.missing == [1]);
/// assert_eq!((d.labels.unwrap(), d.class_names), (vec![0, 1], vec!["0".to_string(), "1".into()]));
/// # Ok::<(), glassbox_data::DataError>(())
/// ```
pub fn load_columns(
    source: &Path,
    names: &[String],
    columns: &[Column],
    opts: &LoadOptions,
) -> Result<Dataset, DataError> {
    table_dataset(source, names, columns, opts, false)
}

/// [`load_columns`]; with `may_be_empty`, no rows is no error (the kept
/// rows of a table that has rows may be none).
pub(crate) fn table_dataset(
    source: &Path,
    names: &[String],
    columns: &[Column],
    opts: &LoadOptions,
    may_be_empty: bool,
) -> Result<Dataset, DataError> {
    let path = || source.to_path_buf();
    if names.len() != columns.len() {
        return Err(DataError::Csv {
            path: path(),
            row: None,
            message: format!("{} column names for {} columns", names.len(), columns.len()),
        });
    }
    let rows = columns.first().map_or(0, Column::len);
    if let Some((i, c)) = columns.iter().enumerate().find(|(_, c)| c.len() != rows) {
        return Err(DataError::Csv {
            path: path(),
            row: None,
            message: format!("column {:?} has {} rows, the first column {rows}", names[i], c.len()),
        });
    }
    if names.is_empty() {
        return Err(DataError::EmptyFile { path: path() });
    }
    if rows == 0 && !may_be_empty {
        return Err(DataError::NoRows { path: path() });
    }
    let mut cols = resolve_columns(source, names, opts)?;
    let na = &opts.na_values;
    if cols.origin == FeatureOrigin::Default {
        let text: Vec<bool> = cols.features.iter().map(|&c| !columns[c].is_numeric(na)).collect();
        keep_numeric(source, names, &mut cols, &text)?;
    }

    let n_feat = cols.features.len();
    let mut x = Array2::<f64>::zeros((rows, n_feat));
    let mut missing = vec![0usize; n_feat];
    for (j, &c) in cols.features.iter().enumerate() {
        for row in 0..rows {
            let v = match &columns[c] {
                Column::Numbers(v) if v[row].is_infinite() => {
                    return Err(DataError::Infinite {
                        path: path(),
                        row,
                        column: names[c].clone(),
                        text: format!("{}", v[row]),
                    })
                }
                Column::Numbers(v) => v[row],
                Column::Text(v) => match &v[row] {
                    None => f64::NAN,
                    Some(s) => parse_cell(source, row, &names[c], s.trim(), cols.origin, na)?,
                },
            };
            if v.is_nan() {
                missing[j] += 1;
            }
            x[[row, j]] = v;
        }
    }
    let (labels, class_names) = match cols.label {
        None => (None, opts.class_names.clone().unwrap_or_default()),
        Some(l) => {
            let raw: Vec<String> = (0..rows).map(|r| columns[l].text(r).trim().to_string()).collect();
            if let Some(row) = raw.iter().position(|s| na.is_missing(s)) {
                return Err(DataError::MissingLabel { path: path(), row, column: names[l].clone() });
            }
            let (labels, names) = label_indices(source, &names[l], &raw, opts.class_names.as_deref())?;
            (Some(labels), names)
        }
    };
    let text_of = |c: usize| (names[c].clone(), (0..rows).map(|r| columns[c].text(r).trim().to_string()).collect());
    Ok(Dataset {
        path: path(),
        feature_names: cols.features.iter().map(|&c| names[c].clone()).collect(),
        x,
        labels,
        class_names,
        ids: cols.ids.iter().map(|&c| text_of(c)).collect(),
        extra: cols.extra.iter().map(|&c| text_of(c)).collect(),
        missing,
        warnings: cols.warnings,
    })
}

/// Reads a CSV file into named columns, parsing cells as the CSV loader
/// does with pandas' missing-value tokens: a column whose every present
/// cell is a number becomes [`Column::Numbers`] (missing → NaN), any other
/// column [`Column::Text`] (missing → `None`). [`read_csv_columns_with`]
/// takes another list.
///
/// ```
/// let path = std::env::temp_dir().join(format!("glassbox-doc-cols-{}.csv", std::process::id()));
/// std::fs::write(&path, "a,b\n1.5,x\nNA,y\n")?;
/// let (names, cols) = glassbox_data::read_csv_columns(&path)?;
/// assert_eq!(names, ["a", "b"]);
/// assert!(matches!(&cols[0], glassbox_data::Column::Numbers(v) if v[0] == 1.5 && v[1].is_nan()));
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_csv_columns(path: &Path) -> Result<(Vec<String>, Vec<Column>), DataError> {
    read_csv_columns_with(path, &MissingValues::default())
}

/// [`read_csv_columns`] with the missing-value tokens `na`.
///
/// ```
/// use glassbox_data::{read_csv_columns_with, Column, MissingValues};
/// let path = std::env::temp_dir().join(format!("glassbox-doc-cols-na-{}.csv", std::process::id()));
/// std::fs::write(&path, "a\n-999\n2\n")?;
/// let (_, cols) = read_csv_columns_with(&path, &MissingValues::parse_list("-999"))?;
/// assert!(matches!(&cols[0], Column::Numbers(v) if v[0].is_nan() && v[1] == 2.0));
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn read_csv_columns_with(path: &Path, na: &MissingValues) -> Result<(Vec<String>, Vec<Column>), DataError> {
    let (names, cells) = super::load::csv_text_columns(path)?;
    let columns = cells
        .into_iter()
        .map(|cells| {
            let text: Vec<Option<String>> = cells.into_iter().map(|s| (!na.is_missing(&s)).then_some(s)).collect();
            // Exactly the loader's numbers: a column with ±inf stays text (an error when it is a feature).
            let numbers: Option<Vec<f64>> = text
                .iter()
                .map(|c| {
                    c.as_deref().map_or(Some(f64::NAN), |s| match Cell::of(s, na) {
                        Cell::Number(v) => Some(v),
                        _ => None,
                    })
                })
                .collect();
            match numbers {
                Some(v) => Column::Numbers(v),
                None => Column::Text(text),
            }
        })
        .collect();
    Ok((names, columns))
}
