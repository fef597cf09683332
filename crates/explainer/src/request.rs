//! The table-level entry point: a model, a [`Table`] and an
//! [`ExplainRequest`] (rows, baseline, IG settings) → per-row results and
//! global importance, all at once ([`explain_table`]) or part by part
//! ([`TableParts`], for progress bars and bounded memory). A thin layer over
//! [`Parts`]: it selects the rows, resolves the baseline from the table and
//! renumbers the results with the file's row numbers and ids.

use glassbox_glt::{Model, ModelInputs};
use glassbox_ig::{Baseline, IgConfig};

use crate::baseline::BaselineSpec;
use crate::error::ExplainError;
use crate::global::GlobalImportance;
use crate::rows::{Part, Parts, RowResult, ROWS_PER_PART};
use crate::table::Table;

/// What to explain and how.
#[derive(Clone, Debug)]
pub struct ExplainRequest {
    /// Table rows to explain (from 0, in this order).
    pub rows: Vec<usize>,
    /// The baseline.
    pub baseline: BaselineSpec,
    /// Quadrature, steps, tolerance, target class, output, precision.
    pub ig: IgConfig,
    /// Also compute [`GlobalImportance`] over the explained rows.
    pub global: bool,
    /// Rows per part ([`ROWS_PER_PART`] by default; results do not depend on it).
    pub rows_per_part: usize,
}

impl ExplainRequest {
    /// Every row of a table against `baseline` with `ig`.
    pub fn new(rows: Vec<usize>, baseline: BaselineSpec, ig: IgConfig) -> Self {
        ExplainRequest { rows, baseline, ig, global: false, rows_per_part: ROWS_PER_PART }
    }
}

/// Everything an explanation run produced.
#[derive(Clone, Debug)]
pub struct Explained {
    /// Per row, in request order.
    pub rows: Vec<RowResult>,
    /// The baseline's kind (`zero`, `mean`, `background`, `weighted`, `rows`).
    pub baseline_kind: &'static str,
    /// Number of baselines `K` (0 when no row was explained).
    pub baselines: usize,
    /// With `request.global`: importance over the explained rows.
    pub global: Option<GlobalImportance>,
}

/// The chosen rows of a table, explained part by part.
pub struct TableParts<'a> {
    table: &'a Table,
    rows: &'a [usize],
    parts: Parts<'a>,
}

/// The inputs and baseline a request needs, prepared once.
pub struct Prepared {
    inputs: ModelInputs,
    baseline: Baseline,
}

impl Prepared {
    /// Selects `request.rows` of `table` and resolves the baseline.
    pub fn new(model: &Model, table: &Table, request: &ExplainRequest) -> Result<Self, ExplainError> {
        let baseline = request.baseline.resolve(model, table)?;
        Ok(Prepared { inputs: table.select(&request.rows)?, baseline })
    }

    /// The resolved IG baseline.
    pub fn baseline(&self) -> &Baseline {
        &self.baseline
    }

    /// The selected rows' inputs.
    pub fn inputs(&self) -> &ModelInputs {
        &self.inputs
    }

    /// The parts of the request's rows.
    pub fn parts<'a>(
        &'a self,
        model: &'a Model,
        table: &'a Table,
        request: &'a ExplainRequest,
    ) -> Result<TableParts<'a>, ExplainError> {
        let parts = Parts::new(model, &self.inputs, &self.baseline, &request.ig, request.rows_per_part)?;
        Ok(TableParts { table, rows: &request.rows, parts })
    }
}

impl Iterator for TableParts<'_> {
    type Item = Result<Part, ExplainError>;

    fn next(&mut self) -> Option<Self::Item> {
        let part = self.parts.next()?.map_err(|e| match e {
            // The row of a non-finite value, as the file counts rows.
            ExplainError::Ig(e) => ExplainError::Ig(e.map_row(|i| self.rows[i])),
            e => e,
        });
        Some(part.map(|mut p| {
            for r in &mut p.rows {
                r.index = self.rows[r.index];
                r.ids = self.table.ids(r.index);
            }
            p
        }))
    }
}

/// Explains `request.rows` of `table`; `on_part(rows done, rows in all)`
/// after each part (progress).
///
/// ```
/// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
/// use glassbox_explainer::{explain_table, BaselineSpec, ExplainRequest, Table};
/// let model = glassbox_glt::Model::load(format!("{dir}railway-demo.glt").as_ref())?;
/// let table = Table::load(&model, format!("{dir}railway-demo.csv").as_ref(), &model.report.config.ids, &[])?;
/// let mut request = ExplainRequest::new(vec![0, 2], BaselineSpec::Mean, Default::default());
/// request.global = true;
/// let e = explain_table(&model, &table, &request, &mut |_, _| {})?;
/// assert_eq!((e.rows[1].index, e.baseline_kind, e.baselines), (2, "mean", 1));
/// assert_eq!(e.global.unwrap().rows, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn explain_table(
    model: &Model,
    table: &Table,
    request: &ExplainRequest,
    on_part: &mut dyn FnMut(usize, usize),
) -> Result<Explained, ExplainError> {
    let prepared = Prepared::new(model, table, request)?;
    let mut rows = Vec::with_capacity(request.rows.len());
    let mut baselines = None;
    for part in prepared.parts(model, table, request)? {
        let part = part?;
        baselines.get_or_insert(part.baselines);
        rows.extend(part.rows);
        on_part(rows.len(), request.rows.len());
    }
    let global = match request.global && !rows.is_empty() {
        true => Some(GlobalImportance::of(model, &rows)?),
        false => None,
    };
    Ok(Explained { rows, baseline_kind: prepared.baseline.kind(), baselines: baselines.unwrap_or(0), global })
}
