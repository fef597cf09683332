//! glassbox-data: data loading (SPEC §5): CSV tables, feature globs, groups, sequence
//! windows, splits, and the atomic file write every glassbox crate and tool uses.
//!
//! * [`load_table`] reads a table file (CSV, Parquet, Arrow IPC, by extension) into a
//!   [`Dataset`]; [`table_header`] gives its column names. The tools read data only here.
//! * [`load_table_rows`] reads only the rows a job needs ([`RowSelection`]: listed rows,
//!   rows matching a filter), streaming CSV and skipping Parquet rows.
//! * [`load_csv`] reads a CSV file with a header into a [`Dataset`], giving columns the
//!   roles chosen in [`LoadOptions`] (label, ids, extra columns, feature globs).
//! * [`load_columns`] does the same for named in-memory [`Column`]s (pandas, Arrow), and
//!   [`read_csv_columns`] reads a CSV file into such columns.
//! * [`glob_match`] is the `*` / `?` matching used for feature and group patterns.
//! * [`FeatureGroups`] is the partition of features used by the group lasso, read from a
//!   TOML groups file.
//! * [`sequence_windows`] turns rows into the last-`T`-records windows of sequence mode.
//! * [`stratified_split`] and [`grouped_split`] make the train / validation / test split.
//! * [`write_atomic`] writes a file through a temporary file and a rename.
//!
//! Every bad input is a [`DataError`] naming the file, row, column or pattern at fault;
//! rows are numbered from 0 in file order, not counting the header.

mod atomic;
mod bounded;
mod columnar;
mod columns;
mod csv_rows;
mod error;
mod glob;
mod groups;
mod labels;
mod load;
mod memory;
mod missing;
mod outputs;
mod parquet_footer;
mod parquet_out;
mod select;
mod split;
mod table;
mod windows;

pub use atomic::write_atomic;
pub use bounded::{LineLimit, MAX_LINE_BYTES};
pub use columnar::{
    load_table, load_table_with, read_columnar, read_table_columns, table_header, TableFormat, TABLE_EXTENSIONS,
};
pub use error::DataError;
pub use glob::{glob_match, is_glob};
pub use groups::FeatureGroups;
pub use load::{csv_header, csv_header_from_reader, load_csv, load_csv_from_reader};
pub use memory::{load_columns, number_text, read_csv_columns, read_csv_columns_with, Column};
pub use missing::{is_missing, MissingValues, PANDAS_NA_VALUES};
pub use outputs::{OutputPlan, StagedFiles};
pub use parquet_out::{parquet_bytes, write_parquet, OutColumn, ParquetStream, ROW_GROUP_ROWS};
pub use select::{load_table_rows, RowSelection, SelectedRows};
pub use split::{grouped_split, stratified_split, Split};
pub use table::{Dataset, LoadOptions};
pub use windows::sequence_windows;
