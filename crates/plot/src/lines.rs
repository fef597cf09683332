//! Line charts: several named series over a shared x axis, with markers
//! and a legend beside the plot (so it never hides data).

use std::ops::Range;
use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::bars::titled;
use crate::font::{font, max_text_width, text_width};
use crate::output::{write_chart, Chart, Dashed, DrawResult};
use crate::style::{format_tick, GRID, INK, LABEL_SIZE, PALETTE, TICK_SIZE, TITLE_SIZE};
use crate::{validate, PlotError};

/// One named line: `points` are (x, y), joined in the given order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend entry.
    pub name: String,
    /// Points, drawn as markers joined by straight segments in this order.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A series named `name` through `points`.
    pub fn new(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Series { name: name.into(), points }
    }
}

/// Height of one legend entry in pixels.
const LEGEND_ROW: u32 = 24;
/// Length of the line sample in a legend entry.
const LEGEND_SAMPLE: i32 = 28;
/// Marker radius in pixels.
const MARKER: i32 = 4;

/// Draws several line series over a shared x axis (e.g. accuracy vs k, one
/// line per baseline) to `path` (`.png` or `.svg`).
///
/// Each series gets its own colour and marker shape (circle, square,
/// triangle, diamond, cycling) and a legend entry to the right of the plot.
/// Axes are labelled `x_label` and `y_label`; both ranges cover all points
/// with a little padding. The image is 900 × 560 px (wider for long series
/// names, taller for many series).
///
/// # Errors
/// [`PlotError`] if there are no series, a series has no points, a
/// coordinate is NaN or infinite, the extension is not `.png`/`.svg`, or
/// the file cannot be written.
///
/// # Example
/// ```
/// use glassbox_plot::{lines, Series};
/// let path = std::env::temp_dir().join("glassbox-plot-doc-lines.png");
/// let series = vec![
///     Series::new("zero baseline", vec![(1.0, 0.71), (5.0, 0.78), (10.0, 0.80)]),
///     Series::new("mean baseline", vec![(1.0, 0.69), (5.0, 0.81), (10.0, 0.84)]),
/// ];
/// lines(&path, "Accuracy with the top k features", "k", "accuracy", &series)?;
/// assert!(std::fs::read(&path)?.starts_with(b"\x89PNG"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn lines(path: &Path, title: &str, x_label: &str, y_label: &str, series: &[Series]) -> Result<(), PlotError> {
    validate::non_empty("series list", series)?;
    for s in series {
        let what = format!("series \"{}\" points", s.name);
        validate::non_empty(&what, &s.points)?;
        let what = format!("series \"{}\" point", s.name);
        validate::finite(&format!("{what} x"), s.points.iter().map(|p| p.0))?;
        validate::finite(&format!("{what} y"), s.points.iter().map(|p| p.1))?;
    }
    let all = || series.iter().flat_map(|s| s.points.iter());
    let x_range = padded(all().map(|p| p.0), 0.03);
    let y_range = padded(all().map(|p| p.1), 0.08);
    let legend_width = max_text_width(series.iter().map(|s| s.name.as_str()), LABEL_SIZE) + LEGEND_SAMPLE as u32 + 34;
    let width = (legend_width + 620).max(900).max(text_width(title, TITLE_SIZE) + 40);
    let height = 560.max(160 + LEGEND_ROW * series.len() as u32);
    let chart = LinesChart { title, x_label, y_label, series, x_range, y_range, legend_width, size: (width, height) };
    write_chart(path, &chart)
}

struct LinesChart<'a> {
    title: &'a str,
    x_label: &'a str,
    y_label: &'a str,
    series: &'a [Series],
    x_range: Range<f64>,
    y_range: Range<f64>,
    legend_width: u32,
    size: (u32, u32),
}

impl Chart for LinesChart<'_> {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, _dashes: &mut Vec<Dashed>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let area = titled(root, self.title)?;
        let (x_span, y_span) = (self.x_range.end - self.x_range.start, self.y_range.end - self.y_range.start);
        let y_ticks: Vec<String> =
            [self.y_range.start, self.y_range.end].iter().map(|&v| format_tick(v, y_span)).collect();
        let y_label_area = max_text_width(y_ticks.iter().map(String::as_str), TICK_SIZE) + 16;
        let mut chart = ChartBuilder::on(&area)
            .margin_left(10)
            .margin_top(6)
            .margin_bottom(8)
            .margin_right(self.legend_width + 10)
            .x_label_area_size(if self.x_label.is_empty() { 28 } else { 52 })
            .y_label_area_size(y_label_area + if self.y_label.is_empty() { 0 } else { 28 })
            .build_cartesian_2d(self.x_range.clone(), self.y_range.clone())?;
        chart
            .configure_mesh()
            .x_labels(10)
            .y_labels(8)
            .x_label_formatter(&|v| format_tick(*v, x_span))
            .y_label_formatter(&|v| format_tick(*v, y_span))
            .x_desc(self.x_label)
            .y_desc(self.y_label)
            .axis_desc_style(font(LABEL_SIZE))
            .label_style(font(TICK_SIZE).color(&INK))
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK)
            .draw()?;

        let (plot_right, plot_top) = chart.backend_coord(&(self.x_range.end, self.y_range.end));
        for (i, s) in self.series.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            chart.draw_series(LineSeries::new(s.points.iter().copied(), color.stroke_width(2)))?;
            for p in &s.points {
                draw_marker(root, chart.backend_coord(p), i, color)?;
            }
            // Legend entry i, to the right of the plot, from the top.
            let x = plot_right + 20;
            let y = plot_top + 12 + (i as u32 * LEGEND_ROW) as i32;
            root.draw(&PathElement::new(vec![(x, y), (x + LEGEND_SAMPLE, y)], color.stroke_width(2)))?;
            draw_marker(root, (x + LEGEND_SAMPLE / 2, y), i, color)?;
            let style = font(LABEL_SIZE).color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(s.name.as_str(), (x + LEGEND_SAMPLE + 8, y), style))?;
        }
        Ok(())
    }
}

/// Marker for series `i` at pixel `(x, y)` of `root`: circle, square,
/// triangle or diamond, so lines stay apart without colour too.
fn draw_marker<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    i: usize,
    color: RGBColor,
) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let style = color.filled();
    let r = MARKER;
    match i % 4 {
        0 => root.draw(&Circle::new((x, y), r, style))?,
        1 => root.draw(&Rectangle::new([(x - r, y - r), (x + r, y + r)], style))?,
        2 => root.draw(&Polygon::new(vec![(x, y - r - 1), (x + r + 1, y + r), (x - r - 1, y + r)], style))?,
        _ => root.draw(&Polygon::new(vec![(x, y - r - 1), (x + r + 1, y), (x, y + r + 1), (x - r - 1, y)], style))?,
    }
    Ok(())
}

/// The range of `values` widened by `pad` of its width on each side; a
/// single value gets a unit-wide (or 10 %-of-value) range around it.
fn padded(values: impl Iterator<Item = f64>, pad: f64) -> Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let span = hi - lo;
    if span > 0.0 {
        (lo - pad * span)..(hi + pad * span)
    } else {
        let half = (0.1 * lo.abs()).max(0.5);
        (lo - half)..(hi + half)
    }
}
