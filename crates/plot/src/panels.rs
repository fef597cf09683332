//! Small multiples: signed bar panels side by side in one image, sharing a
//! value scale so bar lengths compare across panels.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::bars::{draw_bar_panel, titled, BarLayout, BarPanel, ROW_HEIGHT};
use crate::font::{max_text_width, text_width};
use crate::output::{write_chart, Chart, Dashed, DrawResult};
use crate::style::{SUBTITLE_SIZE, TITLE_SIZE};
use crate::{validate, PlotError};

/// The smallest width the bars of one panel get, in pixels.
const MIN_BAR_SPAN: u32 = 200;

/// Draws one signed bar panel per `(panel title, labels, values)`, side by
/// side in one image (e.g. the top-5 features per baseline), to `path`
/// (`.png` or `.svg`).
///
/// Bars look as in [`crate::signed_bars`] (red positive, blue negative,
/// value annotations, dashed zero line). All panels share one value scale
/// and label column width, so bars compare across panels. `title` goes on
/// top of the whole image. Each panel is at least wide enough for its
/// labels; the image is at least 900 px wide and `150 + 28·n` px tall for
/// the longest panel's `n` bars.
///
/// # Errors
/// [`PlotError`] if there are no panels, a panel has no bars or a labels /
/// values length mismatch, a value is NaN or infinite, the extension is
/// not `.png`/`.svg`, or the file cannot be written.
///
/// # Example
/// ```
/// let path = std::env::temp_dir().join("glassbox-plot-doc-panels.svg");
/// let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
/// let panels = vec![
///     ("zero".to_string(), names(&["speed", "load"]), vec![0.3, -0.1]),
///     ("mean".to_string(), names(&["load", "temp"]), vec![-0.2, 0.05]),
/// ];
/// glassbox_plot::bar_panels(&path, "Top features per baseline", &panels)?;
/// assert!(std::fs::read_to_string(&path)?.contains("mean"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bar_panels(path: &Path, title: &str, panels: &[(String, Vec<String>, Vec<f64>)]) -> Result<(), PlotError> {
    validate::non_empty("panel list", panels)?;
    for (name, labels, values) in panels {
        validate::bars(&format!("panel \"{name}\" value"), labels, values)?;
    }
    let layout = BarLayout::measure(panels.iter().map(|(_, l, v)| (l.as_slice(), v.as_slice())));
    let subtitle_width = max_text_width(panels.iter().map(|(t, _, _)| t.as_str()), SUBTITLE_SIZE) + 20;
    let k = panels.len() as u32;
    let panel_width = layout.min_width(MIN_BAR_SPAN).max(subtitle_width).max(900 / k);
    let width = (k * panel_width).max(text_width(title, TITLE_SIZE) + 40);
    let panel_width = width / k;
    let rows = panels.iter().map(|(_, _, v)| v.len()).max().unwrap_or(1) as u32;
    let height = 150 + ROW_HEIGHT * rows;
    let x_range = layout.x_range(panels.iter().flat_map(|(_, _, v)| v.iter().copied()), panel_width);
    write_chart(path, &Panels { title, panels, layout, x_range, rows, size: (width, height) })
}

struct Panels<'a> {
    title: &'a str,
    panels: &'a [(String, Vec<String>, Vec<f64>)],
    layout: BarLayout,
    x_range: std::ops::Range<f64>,
    rows: u32,
    size: (u32, u32),
}

impl Chart for Panels<'_> {
    fn size(&self) -> (u32, u32) {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, dashes: &mut Vec<Dashed>) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let area = titled(root, self.title)?;
        let columns = area.split_evenly((1, self.panels.len()));
        for (column, (name, labels, values)) in columns.iter().zip(self.panels) {
            let panel = BarPanel { title: Some(name), x_label: "", labels, values, rows: self.rows as usize };
            draw_bar_panel(column, &panel, &self.layout, self.x_range.clone(), dashes)?;
        }
        Ok(())
    }
}
