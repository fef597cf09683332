//! `explain --out`: the attributions written part by part as the rows are
//! explained ([`explain_parts`](crate::explain_parts)), so a run of any
//! length holds one part in memory, not every row.
//!
//! - CSV: the bytes of [`csv_bytes`](crate::csv_bytes) over all rows
//!   (`--target all`: a `target` column after the ids, see
//!   [`AttributionWriter::target`]).
//! - Parquet: the columns of [`attributions_parquet`](crate::attributions_parquet),
//!   row groups of [`ROW_GROUP_ROWS`](glassbox_data::ROW_GROUP_ROWS).
//! - JSON: the bytes of `serde_json::to_vec_pretty` of
//!   [`json_document`](crate::json_document). The document's header holds
//!   the global importance, known only at the end, so the rows wait in a
//!   scratch file and are spliced in at `"rows"` when the run is done.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use glassbox_data::{DataError, OutColumn, ParquetStream};
use glassbox_glt::Model;

use crate::attribution_table::attribution_columns;
use crate::classes::{feature_labels, seq_len, Target};
use crate::document::{
    csv_header, csv_header_per_class, csv_record, csv_record_per_class, id_names, json_document, row_entry, RunInfo,
};
use crate::error::ExplainError;
use crate::request::Explained;
use crate::rows::RowResult;

/// The rows key of the pretty-printed document, empty, at the top level.
const ROWS_KEY: &str = "\n  \"rows\": []";

enum Sink {
    Csv { writer: csv::Writer<BufWriter<File>>, header: bool },
    Parquet { stream: ParquetStream<BufWriter<File>>, started: bool },
    Json { rows: BufWriter<File>, scratch: PathBuf, count: usize },
}

/// An attribution file written part by part: [`AttributionWriter::create`],
/// [`write`](AttributionWriter::write) each part's rows in order, then
/// [`finish`](AttributionWriter::finish) with the run's summary.
///
/// ```
/// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
/// use glassbox_explainer::{explain_parts, json_document, AttributionWriter, BaselineSpec, ExplainRequest, RunInfo, Table};
/// let model = glassbox_glt::Model::load(format!("{dir}railway-demo.glt").as_ref())?;
/// let table = Table::load(&model, format!("{dir}railway-demo.csv").as_ref(), &[], &[])?;
/// let mut request = ExplainRequest::new(vec![0, 1, 2], BaselineSpec::Zero, Default::default());
/// request.rows_per_part = 2;
/// let tmp = std::env::temp_dir().join(format!("glassbox-writer-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&tmp)?;
/// let mut out = AttributionWriter::create(&model, &tmp.join("a.json"), &tmp.join("rows.scratch"))?;
/// let run = explain_parts(&model, &table, &request, &mut |part| out.write(&part.rows))?;
/// let info = RunInfo::new("railway-demo.glt", &request.ig);
/// out.finish(&model, &info, &run)?;
/// let whole = glassbox_explainer::explain_table(&model, &table, &request, &mut |_, _| {})?;
/// assert_eq!(std::fs::read(tmp.join("a.json"))?, serde_json::to_vec_pretty(&json_document(&model, &info, &whole))?);
/// # std::fs::remove_dir_all(&tmp)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AttributionWriter {
    path: PathBuf,
    labels: Vec<String>,
    seq_len: Option<usize>,
    sink: Sink,
    /// The class names, when each result carries its class (`--target all`).
    classes: Option<Vec<String>>,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> ExplainError + '_ {
    move |source| ExplainError::Data(DataError::Io { path: path.to_path_buf(), source })
}

/// Flushes `out` and syncs the file `path` to disk.
fn close(out: BufWriter<File>, path: &Path) -> Result<(), ExplainError> {
    out.into_inner().map_err(|e| io(path)(e.into_error()))?.sync_all().map_err(io(path))
}

/// The Parquet columns, with a `target` column (class names) after the
/// ids when `classes` is given.
fn columns(rows: &[RowResult], labels: &[String], classes: Option<&[String]>) -> Vec<(String, OutColumn)> {
    let mut cols = attribution_columns(rows, labels);
    if let Some(names) = classes {
        let at = 1 + id_names(rows).len();
        cols.insert(at, ("target".into(), OutColumn::Text(rows.iter().map(|r| names[r.target].clone()).collect())));
    }
    cols
}

/// The CSV header, with a `target` column when each result carries its class.
fn csv_head(per_class: bool, ids: &[String], labels: &[String]) -> Vec<String> {
    if per_class {
        csv_header_per_class(ids, labels)
    } else {
        csv_header(ids, labels)
    }
}

fn encode(e: impl std::fmt::Display) -> ExplainError {
    ExplainError::Encode(e.to_string())
}

impl AttributionWriter {
    /// Creates `path` (`.json`, `.csv` or `.parquet`, by extension; other
    /// extensions are CSV) for the rows of `model`; a JSON document keeps
    /// its rows in `scratch` until [`finish`](Self::finish), which removes it.
    pub fn create(model: &Model, path: &Path, scratch: &Path) -> Result<Self, ExplainError> {
        let file = |p: &Path| File::create(p).map(BufWriter::new).map_err(io(p));
        let sink = match path.extension().map(|e| e.to_string_lossy().to_lowercase()).as_deref() {
            Some("json") => Sink::Json { rows: file(scratch)?, scratch: scratch.to_path_buf(), count: 0 },
            Some("parquet") => Sink::Parquet { stream: ParquetStream::new(file(path)?), started: false },
            _ => Sink::Csv { writer: csv::Writer::from_writer(file(path)?), header: false },
        };
        let (labels, seq_len) = (feature_labels(model), seq_len(model));
        Ok(AttributionWriter { path: path.to_path_buf(), labels, seq_len, sink, classes: None })
    }

    /// Writes each result's class (a run of `target`; with [`Target::All`]
    /// the layout of docs/spec-additions.md: a `target` column in CSV and
    /// Parquet after the ids, a `"target"` per JSON row entry). Call it
    /// before the first [`write`](Self::write).
    pub fn target(mut self, model: &Model, target: Target) -> Self {
        self.classes = (target == Target::All).then(|| model.class_names.clone());
        self
    }

    /// Appends explained rows (the next ones, in result order).
    pub fn write(&mut self, rows: &[RowResult]) -> Result<(), ExplainError> {
        match &mut self.sink {
            Sink::Csv { writer, header } => {
                if !*header && !rows.is_empty() {
                    let names = csv_head(self.classes.is_some(), &id_names(rows), &self.labels);
                    writer.write_record(names).map_err(encode)?;
                    *header = true;
                }
                rows.iter().try_for_each(|r| {
                    let rec = match &self.classes {
                        Some(names) => csv_record_per_class(r, names),
                        None => csv_record(r),
                    };
                    writer.write_record(rec).map_err(encode)
                })
            }
            Sink::Parquet { stream, started } if !rows.is_empty() => {
                *started = true;
                Ok(stream.write(&columns(rows, &self.labels, self.classes.as_deref()))?)
            }
            Sink::Parquet { .. } => Ok(()),
            Sink::Json { rows: out, scratch, count } => {
                for r in rows {
                    let entry = row_entry(r, self.seq_len, self.classes.as_deref());
                    let text = serde_json::to_string_pretty(&entry).map_err(encode)?;
                    let sep = if *count == 0 { "" } else { ",\n" };
                    write!(out, "{sep}    {}", text.replace('\n', "\n    ")).map_err(io(scratch))?;
                    *count += 1;
                }
                Ok(())
            }
        }
    }

    /// Completes the file: the CSV header when no row came, the Parquet
    /// footer, the JSON document around its rows (`run` is the summary
    /// [`explain_parts`](crate::explain_parts) returned; its `rows` are ignored).
    pub fn finish(self, model: &Model, info: &RunInfo, run: &Explained) -> Result<(), ExplainError> {
        let path = &self.path;
        match self.sink {
            Sink::Csv { mut writer, header } => {
                if !header {
                    writer.write_record(csv_head(self.classes.is_some(), &[], &self.labels)).map_err(encode)?;
                }
                close(writer.into_inner().map_err(encode)?, path)
            }
            Sink::Parquet { mut stream, started } => {
                if !started {
                    stream.write(&columns(&[], &self.labels, self.classes.as_deref()))?;
                }
                close(stream.finish()?, path)
            }
            Sink::Json { rows, scratch, count } => {
                rows.into_inner().map_err(|e| io(&scratch)(e.into_error()))?;
                let header = Explained {
                    rows: Vec::new(),
                    baseline_kind: run.baseline_kind,
                    baselines: run.baselines,
                    global: run.global.clone(),
                    global_per_class: run.global_per_class.clone(),
                };
                let head = serde_json::to_string_pretty(&json_document(model, info, &header)).map_err(encode)?;
                let at = head.find(ROWS_KEY).ok_or_else(|| encode("the document has no rows key"))?;
                let mut out = BufWriter::new(File::create(path).map_err(io(path))?);
                if count == 0 {
                    out.write_all(head.as_bytes()).map_err(io(path))?;
                } else {
                    write!(out, "{}\n  \"rows\": [\n", &head[..at]).map_err(io(path))?;
                    std::io::copy(&mut File::open(&scratch).map_err(io(&scratch))?, &mut out).map_err(io(path))?;
                    write!(out, "\n  ]{}", &head[at + ROWS_KEY.len()..]).map_err(io(path))?;
                }
                let _ = std::fs::remove_file(&scratch);
                close(out, path)
            }
        }
    }
}
