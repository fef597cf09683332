//! Result tables as Parquet: named [`OutColumn`]s, written at once
//! ([`parquet_bytes`], [`write_parquet`]) or part by part
//! ([`ParquetStream`]: memory bounded by one row group, whatever the row
//! count). Both use the same settings: snappy, non-nullable columns, row
//! groups of at most [`ROW_GROUP_ROWS`] rows.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;

use super::error::DataError;

/// Rows per row group: a streamed table holds at most this many rows
/// (encoded) in memory.
pub const ROW_GROUP_ROWS: usize = 8192;

/// One column of a table [`write_parquet`] writes.
#[derive(Clone, Debug, PartialEq)]
pub enum OutColumn {
    /// `int64`.
    Int(Vec<i64>),
    /// `double`.
    Float(Vec<f64>),
    /// `bool`.
    Bool(Vec<bool>),
    /// `string`.
    Text(Vec<String>),
}

fn err(e: &dyn std::fmt::Display) -> DataError {
    DataError::Format { path: "<parquet>".into(), message: e.to_string() }
}

/// The columns as one Arrow record batch (they must have equal lengths).
fn batch(columns: &[(String, OutColumn)]) -> Result<RecordBatch, DataError> {
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for (name, column) in columns {
        let (t, a): (DataType, ArrayRef) = match column {
            OutColumn::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
            OutColumn::Float(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
            OutColumn::Bool(v) => (DataType::Boolean, Arc::new(BooleanArray::from(v.clone()))),
            OutColumn::Text(v) => (DataType::Utf8, Arc::new(StringArray::from(v.clone()))),
        };
        fields.push(Field::new(name, t, false));
        arrays.push(a);
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(|e| err(&e))
}

/// A Parquet file written part by part to `W`: the first part fixes the
/// columns, every later part must have the same names and types.
///
/// ```
/// use glassbox_data::{parquet_bytes, OutColumn, ParquetStream};
/// let part = |a: i64| vec![("i".to_string(), OutColumn::Int(vec![a, a + 1]))];
/// let mut stream = ParquetStream::new(Vec::new());
/// stream.write(&part(0))?;
/// stream.write(&part(2))?;
/// let streamed = stream.finish()?;
/// assert_eq!(streamed, parquet_bytes(&[("i".into(), OutColumn::Int(vec![0, 1, 2, 3]))])?);
/// # Ok::<(), glassbox_data::DataError>(())
/// ```
pub struct ParquetStream<W: Write + Send> {
    sink: Option<W>,
    writer: Option<(ArrowWriter<W>, SchemaRef)>,
}

impl<W: Write + Send> ParquetStream<W> {
    /// A stream into `sink`; nothing is written before the first part.
    pub fn new(sink: W) -> Self {
        ParquetStream { sink: Some(sink), writer: None }
    }

    /// Appends the rows of `columns` (equal lengths; the first part's names and types).
    pub fn write(&mut self, columns: &[(String, OutColumn)]) -> Result<(), DataError> {
        let batch = batch(columns)?;
        if self.writer.is_none() {
            let sink = self.sink.take().ok_or_else(|| err(&"the stream failed before"))?;
            let props = parquet::file::properties::WriterProperties::builder()
                .set_compression(parquet::basic::Compression::SNAPPY)
                .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
                .build();
            let writer = ArrowWriter::try_new(sink, batch.schema(), Some(props)).map_err(|e| err(&e))?;
            self.writer = Some((writer, batch.schema()));
        }
        let (writer, schema) = self.writer.as_mut().expect("created above");
        if *schema != batch.schema() {
            return Err(err(&format!("a part's columns {:?} differ from the first part's", batch.schema())));
        }
        writer.write(&batch).map_err(|e| err(&e))
    }

    /// Closes the file (footer) and returns the sink; at least one part
    /// (maybe of no rows) must have been written, for the columns.
    pub fn finish(self) -> Result<W, DataError> {
        match self.writer {
            Some((w, _)) => w.into_inner().map_err(|e| err(&e)),
            None => Err(err(&"no part was written, so the columns are unknown")),
        }
    }
}

/// A table of named columns as the bytes of a Parquet file (snappy,
/// non-nullable columns), e.g. for [`write_atomic`](super::write_atomic).
///
/// ```
/// use glassbox_data::{parquet_bytes, OutColumn};
/// let bytes = parquet_bytes(&[("i".into(), OutColumn::Int(vec![0, 1])), ("v".into(), OutColumn::Float(vec![0.5, -1.0]))])?;
/// assert_eq!(&bytes[..4], b"PAR1");
/// # Ok::<(), glassbox_data::DataError>(())
/// ```
pub fn parquet_bytes(columns: &[(String, OutColumn)]) -> Result<Vec<u8>, DataError> {
    let mut stream = ParquetStream::new(Vec::new());
    stream.write(columns)?;
    stream.finish()
}

/// [`parquet_bytes`] written atomically to `path`.
pub fn write_parquet(path: &Path, columns: &[(String, OutColumn)]) -> Result<(), DataError> {
    let bytes = parquet_bytes(columns)?;
    super::write_atomic(path, &bytes).map_err(|source| DataError::Io { path: path.to_path_buf(), source })
}
