//! The records of a CSV table after its header, as every CSV reader of this
//! crate sees them: a UTF-8 byte-order mark skipped, cells trimmed of
//! (Unicode) whitespace, blank lines skipped, ragged rows and reader errors
//! reported with their row (from 0, header excluded).
//!
//! Records are read as `csv::ByteRecord`s into one reused buffer and checked
//! as UTF-8 once per record; cells are trimmed when they are looked at, so
//! reading a row allocates nothing (the `csv` crate's own trimming builds a
//! new record per row).

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use crate::bounded::{LineLimit, MAX_LINE_BYTES};
use crate::error::DataError;

/// One data row: its trimmed cells, by column.
pub(crate) struct Record<'r>(&'r csv::StringRecord);

impl<'r> Record<'r> {
    /// Cell `c`, trimmed.
    pub(crate) fn cell(&self, c: usize) -> &'r str {
        self.0[c].trim()
    }

    /// Every cell, trimmed, in column order.
    pub(crate) fn cells(&self) -> impl Iterator<Item = &'r str> {
        self.0.iter().map(str::trim)
    }
}

/// Whether to go on reading after a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Read the next row.
    Continue,
    /// Stop: the rest of the file is not needed.
    Stop,
}

/// How far [`CsvRows::for_each`] read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Extent {
    /// To the end: the table has this many data rows (at least 1).
    All(usize),
    /// Stopped early, after this many data rows.
    Stopped(usize),
}

/// A CSV table being read row by row.
pub(crate) struct CsvRows<R: Read> {
    rdr: csv::Reader<std::io::BufReader<LineLimit<R>>>,
    path: PathBuf,
    /// The header's column names, trimmed.
    pub(crate) header: Vec<String>,
}

impl<R: Read> CsvRows<R> {
    /// Reads the header; [`DataError::EmptyFile`] without one.
    pub(crate) fn new(reader: R, path: &Path) -> Result<Self, DataError> {
        // Skip a UTF-8 byte-order mark before the CSV parser sees it (it would otherwise become
        // part of the first column name and stop a quoted name from being unquoted).
        let mut reader = std::io::BufReader::new(LineLimit::new(reader, MAX_LINE_BYTES));
        let start = reader.fill_buf().map_err(|source| DataError::Io { path: path.to_path_buf(), source })?;
        if start.starts_with(b"\xEF\xBB\xBF") {
            reader.consume(3);
        }
        let rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
        let mut rows = CsvRows { rdr, path: path.to_path_buf(), header: Vec::new() };
        let mut record = csv::StringRecord::new();
        if !rows.rdr.read_record(&mut record).map_err(|e| rows.error(None, e))? {
            return Err(DataError::EmptyFile { path: path.to_path_buf() });
        }
        rows.header = record.iter().map(|h| h.trim().to_string()).collect();
        Ok(rows)
    }

    fn error(&self, row: Option<usize>, e: csv::Error) -> DataError {
        let path = self.path.clone();
        match e.kind() {
            csv::ErrorKind::Io(io) => DataError::Io { path, source: std::io::Error::new(io.kind(), io.to_string()) },
            csv::ErrorKind::Utf8 { err, .. } => {
                DataError::Csv { path, row, message: format!("invalid UTF-8 in field {}", err.field()) }
            }
            _ => DataError::Csv { path, row, message: e.to_string() },
        }
    }

    /// Calls `f(row, record)` for every data row until it returns
    /// [`Flow::Stop`]. Read to the end, a table without data rows is
    /// [`DataError::NoRows`].
    pub(crate) fn for_each(
        &mut self,
        mut f: impl FnMut(usize, Record<'_>) -> Result<Flow, DataError>,
    ) -> Result<Extent, DataError> {
        let n_cols = self.header.len();
        let mut bytes = csv::ByteRecord::new();
        let mut row = 0usize;
        loop {
            match self.rdr.read_byte_record(&mut bytes) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(self.error(Some(row), e)),
            }
            // One UTF-8 check of the whole record; the buffer is moved, not copied, and back.
            let record = match csv::StringRecord::from_byte_record(std::mem::take(&mut bytes)) {
                Ok(record) => record,
                Err(e) => {
                    let message = format!("invalid UTF-8 in field {}", e.utf8_error().field());
                    return Err(DataError::Csv { path: self.path.clone(), row: Some(row), message });
                }
            };
            // A line holding only whitespace reads as one empty field: treat it like a blank line.
            let blank = n_cols > 1 && record.len() == 1 && record[0].trim().is_empty();
            if !blank && record.len() != n_cols {
                return Err(DataError::RaggedRow {
                    path: self.path.clone(),
                    row,
                    found: record.len(),
                    expected: n_cols,
                });
            }
            let flow = if blank { Flow::Continue } else { f(row, Record(&record))? };
            bytes = record.into_byte_record();
            if !blank {
                row += 1;
            }
            if flow == Flow::Stop {
                return Ok(Extent::Stopped(row));
            }
        }
        if row == 0 {
            return Err(DataError::NoRows { path: self.path.clone() });
        }
        Ok(Extent::All(row))
    }
}
