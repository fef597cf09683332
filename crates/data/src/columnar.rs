//! Tables by file extension (SPEC §5): CSV, Parquet (`.parquet`) and Arrow
//! IPC (`.arrow`, `.feather`, `.ipc`). A columnar file is read into the
//! in-memory [`Column`]s and goes through [`load_columns`], so roles,
//! missing values, the numeric-only default features and every error are
//! the CSV loader's. Result tables are written by `parquet_out`.
//!
//! Arrow types: integers, floats, decimals and booleans (1/0) are numbers
//! (`float32` through its shortest decimal text, as a CSV file holds it);
//! strings (also dictionary-encoded and views), dates, timestamps and times
//! are text (ISO form); nulls are missing. Other types are an error naming
//! the column.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Float64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, SchemaRef};

use super::error::DataError;
use super::load::{csv_header, load_csv};
use super::memory::{load_columns, read_csv_columns_with, Column};
use super::missing::MissingValues;
use super::table::{Dataset, LoadOptions};

/// The file formats [`load_table`] reads, chosen by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableFormat {
    /// `.csv`
    Csv,
    /// `.parquet`
    Parquet,
    /// `.arrow`, `.feather`, `.ipc` (Arrow IPC file or stream).
    Arrow,
}

/// The extensions [`TableFormat::of`] knows, as shown in messages.
pub const TABLE_EXTENSIONS: &str = ".csv, .parquet, .arrow, .feather, .ipc";

impl TableFormat {
    /// The format of `path` by its extension (case-insensitive).
    ///
    /// ```
    /// use glassbox_data::TableFormat;
    /// assert_eq!(TableFormat::of("a/b.PARQUET".as_ref())?, TableFormat::Parquet);
    /// assert_eq!(TableFormat::of("t.feather".as_ref())?, TableFormat::Arrow);
    /// assert!(TableFormat::of("t.xlsx".as_ref()).unwrap_err().to_string().contains(".parquet"));
    /// # Ok::<(), glassbox_data::DataError>(())
    /// ```
    pub fn of(path: &Path) -> Result<Self, DataError> {
        let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "csv" => Ok(TableFormat::Csv),
            "parquet" => Ok(TableFormat::Parquet),
            "arrow" | "feather" | "ipc" => Ok(TableFormat::Arrow),
            _ => Err(DataError::UnknownFormat { path: path.to_path_buf(), supported: TABLE_EXTENSIONS }),
        }
    }

    /// [`TableFormat::of`], except that a pipe, FIFO or device without a
    /// table extension (`/dev/stdin`, `<(cmd)`) is read as CSV.
    pub fn of_file(path: &Path) -> Result<Self, DataError> {
        let known = TableFormat::of(path);
        let stream = std::fs::metadata(path).map(|m| !m.is_file() && !m.is_dir()).unwrap_or(false);
        match known {
            Err(_) if stream => Ok(TableFormat::Csv),
            other => other,
        }
    }
}

/// Loads a table file into a [`Dataset`], the format chosen by extension:
/// [`load_csv`] for CSV, else [`read_columnar`] then [`load_columns`]. The
/// one entry point of the tools (train, explain, explain evaluate).
pub fn load_table(path: &Path, opts: &LoadOptions) -> Result<Dataset, DataError> {
    match TableFormat::of_file(path)? {
        TableFormat::Csv => load_csv(path, opts),
        _ => {
            let (names, columns) = read_columnar(path)?;
            load_columns(path, &names, &columns, opts)
        }
    }
}

/// Reads a table once, choosing the load options from its column names
/// (`options(names)`): what `explain` needs, since whether the label is
/// there decides how the table is read. A pipe or FIFO works as well as a
/// file: a CSV table's bytes are read once (lines bounded by
/// [`crate::MAX_LINE_BYTES`]), a columnar file's columns once.
///
/// ```
/// let path = std::env::temp_dir().join(format!("glassbox-with-doc-{}.csv", std::process::id()));
/// std::fs::write(&path, "a,b,y\n1,2,x\n3,4,z\n")?;
/// let d = glassbox_data::load_table_with(&path, &mut |names: &[String]| glassbox_data::LoadOptions {
///     label: names.contains(&"y".to_string()).then(|| "y".to_string()),
///     ..Default::default()
/// })?;
/// assert_eq!((d.n_features(), d.class_names.len()), (2, 2));
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_table_with(path: &Path, options: &mut dyn FnMut(&[String]) -> LoadOptions) -> Result<Dataset, DataError> {
    Ok(super::select::load_table_rows(path, options, None)?.data)
}

/// The column names of a table file (for a columnar file, from its schema,
/// without reading the data).
pub fn table_header(path: &Path) -> Result<Vec<String>, DataError> {
    let schema = match TableFormat::of(path)? {
        TableFormat::Csv => return csv_header(path),
        TableFormat::Parquet => without_panics(path, || Ok(parquet_reader(path)?.schema().clone()))?,
        TableFormat::Arrow => without_panics(path, || ipc_batches(path))?.0,
    };
    Ok(schema.fields().iter().map(|f| f.name().trim().to_string()).collect())
}

/// Any table file as named in-memory [`Column`]s (CSV cells parsed with `na`).
pub fn read_table_columns(path: &Path, na: &MissingValues) -> Result<(Vec<String>, Vec<Column>), DataError> {
    match TableFormat::of(path)? {
        TableFormat::Csv => read_csv_columns_with(path, na),
        _ => read_columnar(path),
    }
}

/// A Parquet or Arrow IPC file as named [`Column`]s (all record batches,
/// all row groups, in file order).
pub fn read_columnar(path: &Path) -> Result<(Vec<String>, Vec<Column>), DataError> {
    let (names, columns) = match TableFormat::of(path)? {
        TableFormat::Csv => {
            return Err(DataError::Format { path: path.to_path_buf(), message: "a CSV file is not columnar".into() })
        }
        _ => without_panics(path, || {
            let (schema, batches) = decode_columnar(path)?;
            let names: Vec<String> = schema.fields().iter().map(|f| f.name().trim().to_string()).collect();
            columns_of(path, &schema, &batches, names)
        })?,
    };
    Ok((names, columns))
}

/// The schema and record batches of a Parquet or Arrow IPC file.
fn decode_columnar(path: &Path) -> Result<(SchemaRef, Vec<RecordBatch>), DataError> {
    Ok(match TableFormat::of(path)? {
        TableFormat::Parquet => {
            let builder = parquet_reader(path)?;
            let schema = builder.schema().clone();
            let reader = builder.build().map_err(|e| format_error(path, e))?;
            let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| format_error(path, e))?;
            (schema, batches)
        }
        TableFormat::Arrow => ipc_batches(path)?,
        TableFormat::Csv => {
            return Err(DataError::Format { path: path.to_path_buf(), message: "a CSV file is not columnar".into() })
        }
    })
}

pub(crate) fn columns_of(
    path: &Path,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    names: Vec<String>,
) -> Result<(Vec<String>, Vec<Column>), DataError> {
    let mut columns = Vec::with_capacity(names.len());
    for (c, field) in schema.fields().iter().enumerate() {
        let mut column: Option<Column> = None;
        for batch in batches {
            let part = to_column(path, field, batch.column(c))?;
            match (&mut column, part) {
                (None, part) => column = Some(part),
                (Some(Column::Numbers(all)), Column::Numbers(more)) => all.extend(more),
                (Some(Column::Text(all)), Column::Text(more)) => all.extend(more),
                _ => unreachable!("one Arrow type per column gives one kind of column"),
            }
        }
        columns.push(column.unwrap_or_else(|| empty_column(field.data_type())));
    }
    Ok((names, columns))
}

/// Runs a decoder of the arrow-rs crates, turning a panic of theirs on a
/// malformed file (fuzzing found `unimplemented!` on unknown type ids in a
/// Parquet file's embedded Arrow schema) into an error naming the file.
/// The panic hook is silenced meanwhile, so the user sees one line; the
/// hook is process-wide, so swaps are serialised.
pub(crate) fn without_panics<T>(path: &Path, decode: impl FnOnce() -> Result<T, DataError>) -> Result<T, DataError> {
    static HOOK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = HOOK.lock().unwrap_or_else(|e| e.into_inner());
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|_| {
        Err(format_error(path, "the file is corrupted, or uses a feature this reader does not support"))
    })
}

pub(crate) fn format_error(path: &Path, e: impl std::fmt::Display) -> DataError {
    DataError::Format { path: path.to_path_buf(), message: e.to_string().replace('\n', " ") }
}

fn open(path: &Path) -> Result<File, DataError> {
    File::open(path).map_err(|source| DataError::Io { path: path.to_path_buf(), source })
}

pub(crate) fn parquet_reader(
    path: &Path,
) -> Result<parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder<File>, DataError> {
    let mut file = open(path)?;
    let len = file.metadata().map_err(|source| DataError::Io { path: path.to_path_buf(), source })?.len();
    crate::parquet_footer::check_footer(&mut file, len).map_err(|e| format_error(path, e))?;
    parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| format_error(path, e))
}

/// An Arrow IPC file (`ARROW1` magic) or stream: its schema and batches.
fn ipc_batches(path: &Path) -> Result<(SchemaRef, Vec<RecordBatch>), DataError> {
    let mut file = open(path)?;
    let mut magic = [0u8; 6];
    let is_file = file.read_exact(&mut magic).is_ok() && &magic == b"ARROW1";
    file.seek(SeekFrom::Start(0)).map_err(|source| DataError::Io { path: path.to_path_buf(), source })?;
    if is_file {
        let reader = arrow_ipc::reader::FileReader::try_new(file, None).map_err(|e| format_error(path, e))?;
        let schema = reader.schema();
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| format_error(path, e))?;
        Ok((schema, batches))
    } else {
        let reader =
            arrow_ipc::reader::StreamReader::try_new(BufReader::new(file), None).map_err(|e| format_error(path, e))?;
        let schema = reader.schema();
        let batches = reader.collect::<Result<Vec<_>, _>>().map_err(|e| format_error(path, e))?;
        Ok((schema, batches))
    }
}

enum Kind {
    Number,
    Float32,
    Text,
}

fn kind(t: &DataType) -> Option<Kind> {
    use DataType::*;
    Some(match t {
        Null | Boolean | Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 | Float16 | Float64 => {
            Kind::Number
        }
        Decimal32(..) | Decimal64(..) | Decimal128(..) | Decimal256(..) => Kind::Number,
        Float32 => Kind::Float32,
        Utf8 | LargeUtf8 | Utf8View | Date32 | Date64 | Timestamp(..) | Time32(_) | Time64(_) => Kind::Text,
        Dictionary(_, value) => return kind(value).map(|k| if matches!(k, Kind::Text) { k } else { Kind::Number }),
        _ => return None,
    })
}

fn empty_column(t: &DataType) -> Column {
    match kind(t) {
        Some(Kind::Text) => Column::Text(Vec::new()),
        _ => Column::Numbers(Vec::new()),
    }
}

/// One Arrow array as a [`Column`] chunk.
fn to_column(path: &Path, field: &Field, array: &ArrayRef) -> Result<Column, DataError> {
    let cast = |to: &DataType| {
        arrow_cast::cast::cast(array, to)
            .map_err(|e| format_error(path, format!("column {:?} ({}): {e}", field.name(), field.data_type())))
    };
    match kind(field.data_type()) {
        Some(Kind::Float32) => {
            let a = array.as_primitive::<Float32Type>();
            // The f64 a CSV file's text of this f32 reads as (shortest round-trip decimal).
            let text = |v: f32| format!("{v}").parse::<f64>().unwrap_or(f64::NAN);
            Ok(Column::Numbers((0..a.len()).map(|i| if a.is_null(i) { f64::NAN } else { text(a.value(i)) }).collect()))
        }
        Some(Kind::Number) => {
            let f = cast(&DataType::Float64)?;
            let a = f.as_primitive::<Float64Type>();
            Ok(Column::Numbers((0..a.len()).map(|i| if a.is_null(i) { f64::NAN } else { a.value(i) }).collect()))
        }
        Some(Kind::Text) => {
            let s = cast(&DataType::Utf8)?;
            let a = s.as_string::<i32>();
            Ok(Column::Text((0..a.len()).map(|i| (!a.is_null(i)).then(|| a.value(i).to_string())).collect()))
        }
        None => Err(DataError::Format {
            path: path.to_path_buf(),
            message: format!(
                "column {:?} has type {}, which is neither numbers nor text (use numbers, strings, dates or timestamps)",
                field.name(),
                field.data_type()
            ),
        }),
    }
}
