//! Reading only the rows a job needs: listed rows (`--rows 0,3,10-20`)
//! and, optionally, every row whose column holds a value (the rows a
//! background filter can match). A row that is not kept is neither parsed
//! nor checked; rows keep the file's numbers ([`SelectedRows::rows`]) and
//! every error names the file's row.
//!
//! * CSV: the file is streamed; with listed rows only, reading stops after
//!   the last of them.
//! * Parquet: listed rows only → the decoder skips the other rows (pages it
//!   does not need are not decompressed); with a matching column every row
//!   is decoded and the rest dropped before they are parsed.
//! * Arrow IPC: every record batch is decoded, then the rows not kept are
//!   dropped before they are parsed.
//!
//! What is decided from the data looks at the kept rows only: without
//! fixed features ([`LoadOptions::required_features`] or globs) the
//! numeric-only default features, and without fixed class names the
//! classes. A trained model fixes both, so its rows read the same either way.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::columnar::{columns_of, format_error, parquet_reader, read_columnar, without_panics, TableFormat};
use super::csv_rows::Flow;
use super::error::DataError;
use super::labels::as_number;
use super::load::{csv_header, read_csv};
use super::memory::{table_dataset, Column};
use super::table::{Dataset, LoadOptions};

/// Which rows of a table to keep while reading it.
///
/// ```
/// use glassbox_data::RowSelection;
/// let s = RowSelection::ranges([(10, 20), (3, 3), (15, 25)]);
/// assert_eq!(s.listed(), [(3, 3), (10, 25)]);
/// assert!(s.keeps(12, None) && !s.keeps(4, None));
/// let s = s.or_matching("label", "1");
/// assert!(s.keeps(4, Some("1.0")) && !s.keeps(4, Some("0")));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowSelection {
    /// Sorted, disjoint, non-adjacent inclusive ranges.
    ranges: Vec<(usize, usize)>,
    /// `(column, value)`.
    matching: Option<(String, String)>,
}

impl RowSelection {
    /// The rows of inclusive `(first, last)` ranges (in any order, overlapping or not).
    pub fn ranges(ranges: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut sorted: Vec<(usize, usize)> = ranges.into_iter().filter(|(a, b)| a <= b).collect();
        sorted.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(sorted.len());
        for (a, b) in sorted {
            match merged.last_mut() {
                Some(last) if a <= last.1.saturating_add(1) => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        RowSelection { ranges: merged, matching: None }
    }

    /// Also every row whose (trimmed) cell in `column` equals `value`, as
    /// text or as numbers (`1.0` matches `1`, as labels do).
    pub fn or_matching(mut self, column: &str, value: &str) -> Self {
        self.matching = Some((column.to_string(), value.to_string()));
        self
    }

    /// The listed ranges, sorted and merged.
    pub fn listed(&self) -> &[(usize, usize)] {
        &self.ranges
    }

    /// The last listed row.
    pub fn last_listed(&self) -> Option<usize> {
        self.ranges.last().map(|r| r.1)
    }

    /// Whether row `row`, whose matching column holds `cell`, is kept.
    pub fn keeps(&self, row: usize, cell: Option<&str>) -> bool {
        let listed = match self.ranges.binary_search_by(|&(a, _)| a.cmp(&row)) {
            Ok(_) => true,
            Err(0) => false,
            Err(i) => row <= self.ranges[i - 1].1,
        };
        listed || matches!((&self.matching, cell), (Some((_, v)), Some(c)) if same_value(c, v))
    }

    /// Whether reading can stop after `row`.
    pub(crate) fn flow_after(&self, row: usize) -> Flow {
        match (&self.matching, self.last_listed()) {
            (None, Some(last)) if row < last => Flow::Continue,
            (None, _) => Flow::Stop,
            (Some(_), _) => Flow::Continue,
        }
    }

    /// The position of the matching column in `header`.
    pub(crate) fn matching_column(&self, header: &[String]) -> Option<usize> {
        let (column, _) = self.matching.as_ref()?;
        header.iter().position(|h| h == column)
    }
}

fn same_value(cell: &str, value: &str) -> bool {
    cell == value || matches!((as_number(cell), as_number(value)), (Some(a), Some(b)) if a == b)
}

/// The kept rows of a table.
#[derive(Clone, Debug)]
pub struct SelectedRows {
    /// The kept rows, in file order.
    pub data: Dataset,
    /// The file's row number of each row of `data` (ascending).
    pub rows: Vec<usize>,
    /// The table's number of rows, when the whole table was read (or its
    /// size is known without reading it, as a Parquet file's).
    pub total: Option<usize>,
}

/// [`load_table_with`](super::load_table_with) keeping only the rows
/// `selection` keeps (every row without one): the same values, bit for
/// bit, as loading the whole table and selecting those rows.
///
/// ```
/// use glassbox_data::{load_table_rows, LoadOptions, RowSelection};
/// let path = std::env::temp_dir().join(format!("glassbox-rows-doc-{}.csv", std::process::id()));
/// std::fs::write(&path, "a,y\n1,0\n2,1\n3,0\noops,1\n")?;
/// let label = |_: &[String]| LoadOptions { label: Some("y".into()), ..Default::default() };
/// let s = load_table_rows(&path, &mut { label }, Some(&RowSelection::ranges([(1, 1)])))?;
/// assert_eq!((s.rows, s.data.x[[0, 0]], s.total), (vec![1], 2.0, None)); // stopped after row 1
/// let s = load_table_rows(&path, &mut { label }, Some(&RowSelection::ranges([(0, 0)]).or_matching("y", "0")))?;
/// assert_eq!((s.rows, s.total), (vec![0, 2], Some(4))); // read to the end; row 3 was never parsed
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_table_rows(
    path: &Path,
    options: &mut dyn FnMut(&[String]) -> LoadOptions,
    selection: Option<&RowSelection>,
) -> Result<SelectedRows, DataError> {
    match TableFormat::of_file(path)? {
        TableFormat::Csv if std::fs::metadata(path).is_ok_and(|m| m.is_file()) => {
            // A regular file can be opened twice: its header, then the table, streamed.
            let names = csv_header(path)?;
            let file = File::open(path).map_err(|source| DataError::Io { path: path.to_path_buf(), source })?;
            read_csv(file, path, &options(&names), selection)
        }
        TableFormat::Csv => {
            // A pipe or FIFO is read once, into memory.
            let io = |source| DataError::Io { path: path.to_path_buf(), source };
            let file = File::open(path).map_err(io)?;
            let mut bytes = Vec::new();
            crate::bounded::LineLimit::new(file, crate::bounded::MAX_LINE_BYTES).read_to_end(&mut bytes).map_err(io)?;
            let names = crate::load::csv_header_from_reader(&bytes[..], path)?;
            read_csv(&bytes[..], path, &options(&names), selection)
        }
        TableFormat::Parquet if selection.is_some_and(|s| s.matching.is_none()) => {
            let (names, columns, rows, total) = parquet_ranges(path, selection.map_or(&[][..], |s| s.listed()))?;
            columnar(path, names, columns, rows, Some(total), options)
        }
        _ => {
            let (names, columns) = read_columnar(path)?;
            let total = columns.first().map_or(0, Column::len);
            let (columns, rows) = match selection {
                None => (columns, (0..total).collect()),
                Some(s) => {
                    let cell = s.matching_column(&names).map(|c| &columns[c]);
                    let rows: Vec<usize> =
                        (0..total).filter(|&r| s.keeps(r, cell.map(|c| c.text(r)).as_deref())).collect();
                    (columns.iter().map(|c| c.select(&rows)).collect(), rows)
                }
            };
            columnar(path, names, columns, rows, Some(total), options)
        }
    }
}

/// The kept rows of a columnar table as a [`SelectedRows`], errors naming the file's rows.
fn columnar(
    path: &Path,
    names: Vec<String>,
    columns: Vec<Column>,
    rows: Vec<usize>,
    total: Option<usize>,
    options: &mut dyn FnMut(&[String]) -> LoadOptions,
) -> Result<SelectedRows, DataError> {
    // Without rows the table itself has none: the whole table's error.
    let may_be_empty = total.is_some_and(|n| n > 0);
    let data =
        table_dataset(path, &names, &columns, &options(&names), may_be_empty).map_err(|e| e.with_row(|i| rows[i]))?;
    Ok(SelectedRows { data, rows, total })
}

/// A partial read: column names, columns, the file's row number of every
/// kept row, and the file's row count.
type PartialRead = (Vec<String>, Vec<Column>, Vec<usize>, usize);

/// The rows of a Parquet file within `ranges` (sorted, disjoint), decoded
/// alone.
fn parquet_ranges(path: &Path, ranges: &[(usize, usize)]) -> Result<PartialRead, DataError> {
    use parquet::arrow::arrow_reader::{RowSelection as Pages, RowSelector};
    without_panics(path, || {
        let builder = parquet_reader(path)?;
        let total = usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
        let mut selectors = Vec::with_capacity(2 * ranges.len());
        let (mut at, mut rows) = (0usize, Vec::new());
        for &(a, b) in ranges.iter().filter(|r| r.0 < total) {
            let b = b.min(total - 1);
            selectors.extend([RowSelector::skip(a - at), RowSelector::select(b - a + 1)]);
            rows.extend(a..=b);
            at = b + 1;
        }
        let schema = builder.schema().clone();
        let reader = builder.with_row_selection(Pages::from(selectors)).build().map_err(|e| format_error(path, e))?;
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| format_error(path, e))?;
        let names: Vec<String> = schema.fields().iter().map(|f| f.name().trim().to_string()).collect();
        let (names, columns) = columns_of(path, &schema, &batches, names)?;
        Ok((names, columns, rows, total))
    })
}
