//! Horizontal signed bar charts: [`signed_bars`], and the single panel
//! drawing that [`crate::bar_panels`] repeats side by side.

use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::font::{font, max_text_width};
use crate::output::{write_chart, Chart, Dashed, DrawResult};
use crate::style::{format_tick, format_value, GRID, INK, LABEL_SIZE, NEGATIVE, POSITIVE, TICK_SIZE, TITLE_SIZE};
use crate::{validate, PlotError};

/// Pixels per bar row.
pub(crate) const ROW_HEIGHT: u32 = 28;
/// Gap between a bar's end and its value annotation.
const ANNOTATION_GAP: u32 = 6;
/// Chart margins inside a panel (left, right).
const MARGIN_LEFT: u32 = 10;
const MARGIN_RIGHT: u32 = 20;
/// Gap between the category labels and the plot.
const LABEL_GAP: u32 = 14;
/// The smallest width the bars of a full-size chart get, in pixels.
const MIN_BAR_SPAN: u32 = 300;

/// Draws a horizontal bar chart of signed values (e.g. IG attributions) to
/// `path` (`.png` or `.svg`).
///
/// One bar per label, top to bottom in the given order; red for positive,
/// blue for negative, each annotated with its value; a dashed vertical zero
/// line; the value axis labelled `x_label`; `title` on top. The image is
/// 900 px wide (wider if labels are very long) and `120 + 28·n` px tall.
///
/// # Errors
/// [`PlotError`] if `labels` and `values` differ in length or are empty, a
/// value is NaN or infinite, the extension is not `.png`/`.svg`, or the file
/// cannot be written.
///
/// # Example
/// ```
/// let path = std::env::temp_dir().join("glassbox-plot-doc-bars.svg");
/// let labels = vec!["rail_temp".to_string(), "axle_load".to_string()];
/// glassbox_plot::signed_bars(&path, "Row 3: rail break", "attribution", &labels, &[0.42, -0.17])?;
/// assert!(std::fs::read_to_string(&path)?.contains("rail_temp"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn signed_bars(
    path: &Path,
    title: &str,
    x_label: &str,
    labels: &[String],
    values: &[f64],
) -> Result<(), PlotError> {
    validate::bars("bar value", labels, values)?;
    let layout = BarLayout::measure([(labels, values)]);
    let width = 900.max(layout.min_width(MIN_BAR_SPAN)).max(crate::font::text_width(title, TITLE_SIZE) + 40);
    let height = 120 + ROW_HEIGHT * labels.len() as u32;
    let x_range = layout.x_range(values.iter().copied(), width);
    let panel = BarPanel { title: None, x_label, labels, values, rows: values.len() };
    write_chart(path, &SignedBars { title, panel, layout, x_range, size: (width, height) })
}

struct SignedBars<'a> {
    title: &'a str,
    panel: BarPanel<'a>,
    layout: BarLayout,
    x_range: Range<f64>,
    size: (u32, u32),
}

impl Chart for SignedBars<'_> {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, dashes: &mut Vec<Dashed>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let area = titled(root, self.title)?;
        draw_bar_panel(&area, &self.panel, &self.layout, self.x_range.clone(), dashes)
    }
}

/// Draws `title` centred on top of `root` (if not empty) and returns the area below it.
pub(crate) fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
) -> Result<DrawingArea<DB, Shift>, Box<dyn std::error::Error>>
where
    DB::ErrorType: 'static,
{
    if title.is_empty() {
        return Ok(root.margin(10, 0, 0, 0));
    }
    Ok(root.margin(10, 0, 0, 0).titled(title, font(TITLE_SIZE).color(&BLACK))?)
}

/// One panel of bars: what to draw.
pub(crate) struct BarPanel<'a> {
    pub title: Option<&'a str>,
    pub x_label: &'a str,
    pub labels: &'a [String],
    pub values: &'a [f64],
    /// Rows the panel is laid out for (at least `values.len()`); bars fill
    /// the top rows, so side-by-side panels line up row by row.
    pub rows: usize,
}

/// Text widths that fix a bar panel's horizontal layout. Panels drawn side
/// by side share one layout, so their value axes line up and share a scale.
pub(crate) struct BarLayout {
    /// Widest category label, in pixels.
    label_width: u32,
    /// Widest value annotation, in pixels.
    annotation_width: u32,
}

impl BarLayout {
    /// Measures the labels and value annotations of all `panels`.
    pub(crate) fn measure<'a>(panels: impl IntoIterator<Item = (&'a [String], &'a [f64])>) -> Self {
        let (mut label_width, mut annotation_width) = (0, 0);
        for (labels, values) in panels {
            label_width = label_width.max(max_text_width(labels.iter().map(String::as_str), LABEL_SIZE));
            let annotations: Vec<String> = values.iter().map(|&v| format_value(v)).collect();
            annotation_width = annotation_width.max(max_text_width(annotations.iter().map(String::as_str), TICK_SIZE));
        }
        BarLayout { label_width, annotation_width }
    }

    /// Width of the left label area, sized from the longest label.
    fn label_area(&self) -> u32 {
        self.label_width + LABEL_GAP
    }

    /// Room reserved beside the zero line for annotations on one side.
    fn annotation_room(&self) -> u32 {
        self.annotation_width + 2 * ANNOTATION_GAP
    }

    /// The narrowest panel that fits labels, annotations on both sides and
    /// `bar_span` pixels of bars.
    pub(crate) fn min_width(&self, bar_span: u32) -> u32 {
        MARGIN_LEFT + self.label_area() + 2 * self.annotation_room() + bar_span + MARGIN_RIGHT
    }

    /// The value range for a panel `panel_width` px wide: it always holds 0
    /// and every value, plus room for the annotations beyond the bar ends.
    pub(crate) fn x_range(&self, values: impl IntoIterator<Item = f64>, panel_width: u32) -> Range<f64> {
        let (lo, hi) = values.into_iter().fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let (lo, hi) = if hi - lo > 0.0 { (lo, hi) } else { (-1.0, 1.0) };
        let plot = panel_width.saturating_sub(MARGIN_LEFT + self.label_area() + MARGIN_RIGHT) as f64;
        let room = |side_has_bars: bool| if side_has_bars { self.annotation_room() as f64 } else { 8.0 };
        let (left, right) = (room(lo < 0.0), room(hi > 0.0));
        let per_px = (hi - lo) / (plot - left - right).max(1.0);
        (lo - left * per_px)..(hi + right * per_px)
    }
}

/// Draws one bar panel filling `area`; the zero line goes to `dashes`.
pub(crate) fn draw_bar_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    panel: &BarPanel,
    layout: &BarLayout,
    x_range: Range<f64>,
    dashes: &mut Vec<Dashed>,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let n = panel.rows.max(panel.values.len());
    let span = x_range.end - x_range.start;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_left(MARGIN_LEFT)
        .margin_right(MARGIN_RIGHT)
        .margin_top(6)
        .margin_bottom(8)
        .x_label_area_size(if panel.x_label.is_empty() { 28 } else { 52 })
        .y_label_area_size(layout.label_area());
    if let Some(title) = panel.title {
        builder.caption(title, font(crate::style::SUBTITLE_SIZE).color(&BLACK));
    }
    let mut chart = builder.build_cartesian_2d(x_range, 0f64..n as f64)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(7)
        .x_label_formatter(&|v| format_tick(*v, span))
        .x_desc(panel.x_label)
        .axis_desc_style(font(LABEL_SIZE))
        .label_style(font(TICK_SIZE).color(&INK))
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(INK)
        .draw()?;

    // Row i (from the top) spans y in [n-1-i, n-i].
    let row_top = |i: usize| (n - i) as f64;
    chart.draw_series(panel.values.iter().enumerate().map(|(i, &v)| {
        let color = if v >= 0.0 { POSITIVE } else { NEGATIVE };
        Rectangle::new([(0.0, row_top(i) - 0.18), (v, row_top(i) - 0.82)], color.filled())
    }))?;

    // Labels and annotations live partly outside the plotting area, so they
    // are drawn on `area` in its own pixel coordinates.
    let (base_x, base_y) = area.get_base_pixel();
    let local = |(x, y): (i32, i32)| (x - base_x, y - base_y);
    let label_style = font(LABEL_SIZE).color(&BLACK);
    let value_style = font(TICK_SIZE).color(&INK);
    let gap = ANNOTATION_GAP as i32;
    for (i, (label, &v)) in panel.labels.iter().zip(panel.values).enumerate() {
        let centre = row_top(i) - 0.5;
        let (x0, y) = local(chart.backend_coord(&(chart.x_range().start, centre)));
        let right = Pos::new(HPos::Right, VPos::Center);
        area.draw(&Text::new(label.as_str(), (x0 - LABEL_GAP as i32 / 2, y), label_style.pos(right)))?;
        let (xv, _) = local(chart.backend_coord(&(v, centre)));
        let (x, h) = if v >= 0.0 { (xv + gap, HPos::Left) } else { (xv - gap, HPos::Right) };
        area.draw(&Text::new(format_value(v), (x, y), value_style.pos(Pos::new(h, VPos::Center))))?;
    }

    let top = chart.backend_coord(&(0.0, n as f64));
    let bottom = chart.backend_coord(&(0.0, 0.0));
    dashes.push(Dashed { from: top, to: bottom, color: INK, width: 2, dash: 6, gap: 4 });
    Ok(())
}
