//! The CSV table writer: one header, then rows of cells written field by field.
//!
//! Numbers are printed with a fixed number of decimals per column (so the
//! text is short and identical on every run), a rounded negative zero is
//! printed without its sign, and a missing value is an empty cell. Every
//! `PROGRESS_STEP` rows the progress bar advances.

use anyhow::Result;
use csv::Writer;
use indicatif::ProgressBar;
use std::fmt::Write as _;
use std::io::Write;

const PROGRESS_STEP: u64 = 4096;

/// A CSV table being written row by row.
pub struct Table<W: Write> {
    csv: Writer<W>,
    cell: String,
    rows: u64,
    bar: ProgressBar,
}

impl<W: Write> Table<W> {
    /// Starts the table with its header.
    pub fn new<S: AsRef<str>>(out: W, header: &[S], bar: ProgressBar) -> Result<Self> {
        let mut csv = Writer::from_writer(out);
        csv.write_record(header.iter().map(|h| h.as_ref()))?;
        Ok(Table { csv, cell: String::new(), rows: 0, bar })
    }

    /// A text cell.
    pub fn text(&mut self, s: &str) -> Result<()> {
        self.csv.write_field(s)?;
        Ok(())
    }

    /// A number with `decimals` digits after the point.
    pub fn fixed(&mut self, x: f64, decimals: usize) -> Result<()> {
        self.cell.clear();
        write!(self.cell, "{x:.decimals$}")?;
        if self.cell.starts_with('-') && self.cell[1..].bytes().all(|b| b == b'0' || b == b'.') {
            self.cell.remove(0);
        }
        self.csv.write_field(&self.cell)?;
        Ok(())
    }

    /// A number in scientific notation with `digits` digits after the point
    /// (e.g. `2.50000e-2`), for values spanning many orders of magnitude.
    pub fn scientific(&mut self, x: f64, digits: usize) -> Result<()> {
        self.cell.clear();
        write!(self.cell, "{x:.digits$e}")?;
        self.csv.write_field(&self.cell)?;
        Ok(())
    }

    /// An integer cell.
    pub fn int(&mut self, n: i64) -> Result<()> {
        self.cell.clear();
        write!(self.cell, "{n}")?;
        self.csv.write_field(&self.cell)?;
        Ok(())
    }

    /// A missing value (empty cell).
    pub fn missing(&mut self) -> Result<()> {
        self.csv.write_field("")?;
        Ok(())
    }

    /// Ends the current row.
    pub fn end_row(&mut self) -> Result<()> {
        self.csv.write_record(None::<&[u8]>)?;
        self.rows += 1;
        if self.rows % PROGRESS_STEP == 0 {
            self.bar.inc(PROGRESS_STEP);
        }
        Ok(())
    }

    /// Flushes the table and hands back the underlying writer.
    pub fn finish(self) -> Result<W> {
        self.bar.finish_and_clear();
        self.csv.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))
    }
}
