//! The table-level entry point: a model, a [`Table`] and an
//! [`ExplainRequest`] (rows, baseline, IG settings) → per-row results and
//! global importance, all at once ([`explain_table`]) or part by part
//! ([`explain_parts`], [`TableParts`]: progress bars and bounded memory).
//! A thin layer over [`Parts`]: it selects the rows, resolves the baseline
//! from the table and renumbers the results with the file's row numbers
//! and ids.

use std::borrow::Cow;

use glassbox_glt::{Model, ModelInputs};
use glassbox_ig::{Baseline, IgConfig};

use crate::baseline::BaselineSpec;
use crate::error::ExplainError;
use crate::global::{GlobalAccumulator, GlobalImportance};
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
    /// Explain every class of the model (`--target all`; `ig.target` is
    /// then not used): one shared pass, one [`RowResult`] per row and
    /// class (row-major, then class), each bitwise the class alone.
    pub all_classes: bool,
}

impl ExplainRequest {
    /// Every row of a table against `baseline` with `ig`.
    pub fn new(rows: Vec<usize>, baseline: BaselineSpec, ig: IgConfig) -> Self {
        ExplainRequest { rows, baseline, ig, global: false, rows_per_part: ROWS_PER_PART, all_classes: false }
    }

    /// The explained classes, in order (`[ig.target]`, or every class).
    pub fn classes(&self, model: &Model) -> Vec<usize> {
        if self.all_classes {
            (0..model.class_names.len()).collect()
        } else {
            vec![self.ig.target]
        }
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
    /// With `request.global` (one class): importance over the explained rows.
    pub global: Option<GlobalImportance>,
    /// With `request.global` and `all_classes`: importance per class, in
    /// class order (`global` is then `None`); empty otherwise.
    pub global_per_class: Vec<GlobalImportance>,
}

/// The chosen rows of a table, explained part by part.
pub struct TableParts<'a> {
    table: &'a Table,
    rows: &'a [usize],
    parts: Parts<'a>,
}

/// The inputs and baseline a request needs, prepared once.
pub struct Prepared<'t> {
    inputs: Cow<'t, ModelInputs>,
    baseline: Baseline,
}

impl<'t> Prepared<'t> {
    /// Selects `request.rows` of `table` (borrowed, not copied, when they
    /// are all its loaded rows in order) and resolves the baseline.
    pub fn new(model: &Model, table: &'t Table, request: &ExplainRequest) -> Result<Self, ExplainError> {
        let baseline = request.baseline.resolve(model, table)?;
        let rows = &request.rows;
        let whole = rows.len() == table.rows() && rows.iter().enumerate().all(|(i, &r)| table.file_row(i) == r);
        let inputs = if whole { Cow::Borrowed(&table.inputs) } else { Cow::Owned(table.select(rows)?) };
        Ok(Prepared { inputs, baseline })
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
        let parts = Parts::new(model, &self.inputs, &self.baseline, &request.ig, request.rows_per_part)?
            .targets(request.classes(model));
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

/// Explains `request.rows` of `table` and hands each [`Part`] to
/// `on_part` as soon as it is done. The rows are not kept, so memory stays
/// that of one part whatever the row count (write them, draw them, count
/// them). Returns the run's [`Explained`] with `rows` empty; with
/// `request.global` the global importance is summed on the way, bitwise as
/// [`explain_table`]'s. An error of `on_part` stops the run.
///
/// ```
/// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/");
/// use glassbox_explainer::{explain_parts, explain_table, BaselineSpec, ExplainError, ExplainRequest, Table};
/// let model = glassbox_glt::Model::load(format!("{dir}railway-demo.glt").as_ref())?;
/// let table = Table::load(&model, format!("{dir}railway-demo.csv").as_ref(), &[], &[])?;
/// let mut request = ExplainRequest::new((0..5).collect(), BaselineSpec::Zero, Default::default());
/// (request.global, request.rows_per_part) = (true, 2);
/// let mut sizes = Vec::new();
/// let run = explain_parts(&model, &table, &request, &mut |part| {
///     sizes.push(part.rows.len());
///     Ok::<(), ExplainError>(())
/// })?;
/// assert_eq!(sizes, [2, 2, 1]);
/// assert!(run.rows.is_empty());
/// assert_eq!(run.global, explain_table(&model, &table, &request, &mut |_, _| {})?.global);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn explain_parts<E: From<ExplainError>>(
    model: &Model,
    table: &Table,
    request: &ExplainRequest,
    on_part: &mut dyn FnMut(Part) -> Result<(), E>,
) -> Result<Explained, E> {
    let prepared = Prepared::new(model, table, request)?;
    let classes = request.classes(model);
    // One accumulator per explained class, indexed by class.
    let mut global: Vec<Option<GlobalAccumulator>> = (0..model.class_names.len())
        .map(|c| (request.global && classes.contains(&c)).then(|| GlobalAccumulator::new(model)))
        .collect();
    let mut baselines = None;
    for part in prepared.parts(model, table, request)? {
        let part = part?;
        baselines.get_or_insert(part.baselines);
        for r in &part.rows {
            if let Some(sums) = global.get_mut(r.target).and_then(Option::as_mut) {
                sums.add(r)?;
            }
        }
        on_part(part)?;
    }
    let mut global: Vec<GlobalImportance> =
        global.into_iter().flatten().filter(|g| g.rows() > 0).map(GlobalAccumulator::finish).collect();
    let (global, global_per_class) = if request.all_classes { (None, global) } else { (global.pop(), Vec::new()) };
    Ok(Explained {
        rows: Vec::new(),
        baseline_kind: prepared.baseline.kind(),
        baselines: baselines.unwrap_or(0),
        global,
        global_per_class,
    })
}

/// Explains `request.rows` of `table`; `on_part(rows done, rows in all)`
/// after each part (progress; table rows, whatever the class count).
/// [`explain_parts`], keeping every result.
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
    let per_row = request.classes(model).len().max(1);
    let mut rows = Vec::with_capacity(request.rows.len() * per_row);
    let mut run = explain_parts(model, table, request, &mut |part: Part| {
        rows.extend(part.rows);
        on_part(rows.len() / per_row, request.rows.len());
        Ok::<(), ExplainError>(())
    })?;
    run.rows = rows;
    Ok(run)
}
