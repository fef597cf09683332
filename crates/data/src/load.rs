//! Reading a CSV file into a [`Dataset`] (SPEC §5): header, column roles, numeric cells,
//! missing values, labels.

use std::io::Read;
use std::path::Path;

use ndarray::{Array2, Axis};

use super::columns::{keep_numeric, resolve_columns, FeatureOrigin};
use super::csv_rows::{CsvRows, Extent, Flow};
use super::error::DataError;
use super::labels::label_indices;
use super::missing::{Cell, MissingValues};
use super::select::{RowSelection, SelectedRows};
use super::table::{Dataset, LoadOptions};

/// Loads a CSV file with a header line into a [`Dataset`].
///
/// * Cells are trimmed of surrounding whitespace; a UTF-8 byte-order mark is ignored.
/// * Features: every column matched by a glob in `opts.features` and not by a glob in
///   `opts.exclude`, in file order; label, id and extra columns are never features. With
///   `opts.required_features` the features are exactly those, in that order. When
///   `opts.features` is empty, every other column whose present cells are all numbers
///   (non-numeric columns — dates, codes — are left out and listed in `warnings`).
/// * A feature cell listed in `opts.na_values` (pandas' tokens by default: empty, `NA`,
///   `NaN`, `null`, `#N/A`, …) is missing (NaN in `x`, counted in `missing`); any other
///   non-number is an error naming file, row, column and text; `inf`, `-inf` and values
///   overflowing `f64` are errors.
/// * Labels: class names are the distinct label values, sorted numerically when all parse
///   as numbers (`"0"`, `"1"`, `"10"`), otherwise lexicographically; or
///   `opts.class_names` when given. A missing label is an error naming the row.
///
/// Rows are numbered from 0 in file order, not counting the header; blank lines are not rows.
///
/// ```
/// use glassbox_data::{load_csv, LoadOptions};
/// let path = std::env::temp_dir().join(format!("glassbox-doc-load-{}.csv", std::process::id()));
/// std::fs::write(&path, "section,Wagon_Speed,Wagon_Twist,fracture\nA,80,0.1,0\nB,,0.4,1\n").unwrap();
/// let opts = LoadOptions {
///     label: Some("fracture".into()),
///     features: vec!["Wagon_*".into()],
///     ids: vec!["section".into()],
///     ..Default::default()
/// };
/// let data = load_csv(&path, &opts)?;
/// assert_eq!(data.feature_names, ["Wagon_Speed", "Wagon_Twist"]);
/// assert_eq!(data.rows(), 2);
/// assert!(data.x[[1, 0]].is_nan());
/// assert_eq!(data.missing, [1, 0]);
/// assert_eq!(data.labels.as_deref(), Some(&[0, 1][..]));
/// assert_eq!(data.id_column("section").unwrap(), ["A", "B"]);
/// # std::fs::remove_file(&path).ok();
/// # Ok::<(), glassbox_data::DataError>(())
/// ```
pub fn load_csv(path: &Path, opts: &LoadOptions) -> Result<Dataset, DataError> {
    let file = std::fs::File::open(path).map_err(|source| DataError::Io { path: path.to_path_buf(), source })?;
    load_csv_from_reader(file, path, opts)
}

/// The column names of a CSV file's header (trimmed, byte-order mark removed).
///
/// ```
/// let path = std::env::temp_dir().join(format!("glassbox-header-doc-{}.csv", std::process::id()));
/// std::fs::write(&path, "a, b\n1,2\n")?;
/// assert_eq!(glassbox_data::csv_header(&path)?, ["a", "b"]);
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn csv_header(path: &Path) -> Result<Vec<String>, DataError> {
    let file = std::fs::File::open(path).map_err(|source| DataError::Io { path: path.to_path_buf(), source })?;
    let mut reader = csv::ReaderBuilder::new().from_reader(file);
    let headers =
        reader.headers().map_err(|e| DataError::Csv { path: path.to_path_buf(), row: None, message: e.to_string() })?;
    Ok(headers.iter().map(|h| h.trim().trim_start_matches('\u{feff}').to_string()).collect())
}

/// The column names of a CSV table's header, from its bytes (as
/// [`csv_header`] reads a file).
pub fn csv_header_from_reader<R: Read>(reader: R, path: &Path) -> Result<Vec<String>, DataError> {
    Ok(CsvRows::new(reader, path)?.header)
}

/// [`load_csv`] on any reader; `path` is only used in messages and stored in the result.
///
/// ```
/// use glassbox_data::{load_csv_from_reader, LoadOptions};
/// let csv = "id,a,b\nx,1,2\ny,3,oops\n";
/// let opts = LoadOptions { ids: vec!["id".into()], features: vec!["a".into(), "b".into()], ..Default::default() };
/// let err = load_csv_from_reader(csv.as_bytes(), "mem.csv".as_ref(), &opts).unwrap_err();
/// assert!(err.to_string().contains("row 1, column \"b\""));
/// ```
pub fn load_csv_from_reader<R: Read>(reader: R, path: &Path, opts: &LoadOptions) -> Result<Dataset, DataError> {
    Ok(read_csv(reader, path, opts, None)?.data)
}

/// The loader of [`load_csv_from_reader`], keeping only the rows `selection`
/// keeps (all without one): a row not kept is neither parsed nor checked,
/// and reading stops after the last listed row when nothing else can match.
pub(crate) fn read_csv<R: Read>(
    reader: R,
    path: &Path,
    opts: &LoadOptions,
    selection: Option<&RowSelection>,
) -> Result<SelectedRows, DataError> {
    let mut rows = CsvRows::new(reader, path)?;
    let header = rows.header.clone();
    let mut cols = resolve_columns(path, &header, opts)?;
    let n_feat = cols.features.len();
    let na = &opts.na_values;
    // Without explicit features a column is one only if all its present cells are numbers:
    // non-numbers (and ±inf, an error only in a column that stays) are noted, decided below.
    let default = cols.origin == FeatureOrigin::Default;
    let mut text = vec![false; n_feat];
    let mut infinite: Vec<Option<(usize, String)>> = vec![None; n_feat];
    let matching = selection.and_then(|s| s.matching_column(&header));

    let mut values: Vec<f64> = Vec::new();
    let mut kept: Vec<usize> = Vec::new();
    let mut missing = vec![0usize; n_feat];
    let mut raw_labels: Vec<String> = Vec::new();
    let mut ids: Vec<Vec<String>> = vec![Vec::new(); cols.ids.len()];
    let mut extra: Vec<Vec<String>> = vec![Vec::new(); cols.extra.len()];
    let extent = rows.for_each(|row, record| {
        let flow = selection.map_or(Flow::Continue, |s| s.flow_after(row));
        if selection.is_some_and(|s| !s.keeps(row, matching.map(|c| record.cell(c)))) {
            return Ok(flow);
        }
        kept.push(row);
        for (j, &c) in cols.features.iter().enumerate() {
            let cell = record.cell(c);
            let v = if default {
                match Cell::of(cell, na) {
                    Cell::Number(v) => v,
                    Cell::Missing => f64::NAN,
                    Cell::Text => {
                        text[j] = true;
                        f64::NAN
                    }
                    Cell::Infinite => {
                        infinite[j].get_or_insert_with(|| (row, cell.to_string()));
                        f64::NAN
                    }
                }
            } else {
                parse_cell(path, row, &header[c], cell, cols.origin, na)?
            };
            if v.is_nan() {
                missing[j] += 1;
            }
            values.push(v);
        }
        if let Some(l) = cols.label {
            let cell = record.cell(l);
            if na.is_missing(cell) {
                return Err(DataError::MissingLabel { path: path.to_path_buf(), row, column: header[l].clone() });
            }
            raw_labels.push(cell.to_string());
        }
        for (k, &c) in cols.ids.iter().enumerate() {
            ids[k].push(record.cell(c).to_string());
        }
        for (k, &c) in cols.extra.iter().enumerate() {
            extra[k].push(record.cell(c).to_string());
        }
        Ok(flow)
    })?;

    let mut x = Array2::from_shape_vec((kept.len(), n_feat), values).expect("one value per selected feature per row");
    if default {
        let numeric = keep_numeric(path, &header, &mut cols, &text)?;
        let first_infinite = numeric.iter().filter_map(|&j| infinite[j].as_ref().map(|(r, t)| (*r, j, t))).min();
        if let Some((row, j, text)) = first_infinite {
            let column = header[cols.features[numeric.iter().position(|&k| k == j).expect("kept")]].clone();
            return Err(DataError::Infinite { path: path.to_path_buf(), row, column, text: text.clone() });
        }
        if numeric.len() < n_feat {
            x = x.select(Axis(1), &numeric);
            missing = numeric.iter().map(|&j| missing[j]).collect();
        }
    }
    let (labels, class_names) = match cols.label {
        None => (None, opts.class_names.clone().unwrap_or_default()),
        Some(l) => {
            let (labels, names) = label_indices(path, &header[l], &raw_labels, opts.class_names.as_deref())
                .map_err(|e| e.with_row(|i| kept[i]))?;
            (Some(labels), names)
        }
    };
    let name_of = |v: &[usize]| v.iter().map(|&c| header[c].clone()).collect::<Vec<_>>();
    let data = Dataset {
        path: path.to_path_buf(),
        feature_names: name_of(&cols.features),
        x,
        labels,
        class_names,
        ids: name_of(&cols.ids).into_iter().zip(ids).collect(),
        extra: name_of(&cols.extra).into_iter().zip(extra).collect(),
        missing,
        warnings: cols.warnings,
    };
    let total = match extent {
        Extent::All(n) => Some(n),
        Extent::Stopped(_) => None,
    };
    Ok(SelectedRows { data, rows: kept, total })
}

/// Every cell of a CSV file as (trimmed) text, column by column, with the header.
pub(crate) fn csv_text_columns(path: &Path) -> Result<(Vec<String>, Vec<Vec<String>>), DataError> {
    let file = std::fs::File::open(path).map_err(|source| DataError::Io { path: path.to_path_buf(), source })?;
    let mut rows = CsvRows::new(file, path)?;
    let header = rows.header.clone();
    // The header checks of the loader (no empty or duplicate names).
    match resolve_columns(path, &header, &LoadOptions { extra: header.clone(), ..LoadOptions::default() }) {
        Ok(_) | Err(DataError::NoFeatures { .. }) => {}
        Err(e) => return Err(e),
    }
    let mut columns: Vec<Vec<String>> = vec![Vec::new(); header.len()];
    rows.for_each(|_, record| {
        columns.iter_mut().zip(record.cells()).for_each(|(c, cell)| c.push(cell.to_string()));
        Ok(Flow::Continue)
    })?;
    Ok((header, columns))
}

/// One feature cell: a finite number, or NaN for a missing-value marker.
pub(crate) fn parse_cell(
    path: &Path,
    row: usize,
    column: &str,
    cell: &str,
    origin: FeatureOrigin,
    na: &MissingValues,
) -> Result<f64, DataError> {
    match Cell::of(cell, na) {
        Cell::Missing => Ok(f64::NAN),
        Cell::Infinite => Err(DataError::Infinite {
            path: path.to_path_buf(),
            row,
            column: column.to_string(),
            text: cell.to_string(),
        }),
        Cell::Number(v) => Ok(v),
        Cell::Text => {
            // Shown as a command-line argument: plain when safe, else quoted and escaped.
            let column_arg = if column.chars().all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c)) {
                column.to_string()
            } else {
                format!("{column:?}")
            };
            // (The default feature set leaves non-numeric columns out, so never gets here.)
            let hint = match origin {
                FeatureOrigin::Default | FeatureOrigin::Patterns => {
                    format!(" (use --exclude {column_arg} to drop this column)")
                }
                FeatureOrigin::Required => String::new(),
            };
            Err(DataError::NonNumeric {
                path: path.to_path_buf(),
                row,
                column: column.to_string(),
                text: cell.to_string(),
                hint,
            })
        }
    }
}
