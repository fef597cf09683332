//! Picking the file format, rendering through plotters' bitmap or SVG
//! backend, and writing atomically (temp file beside the target, then
//! rename), so a reader never sees a half-written chart.

use std::error::Error;
use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::raster::Raster;
use crate::{font, PlotError};

/// What drawing code returns; any plotters error converts into it with `?`.
pub(crate) type DrawResult = Result<(), Box<dyn Error>>;

/// Output file format, chosen by the path's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Png,
    Svg,
}

impl Format {
    /// `.png` or `.svg`, ignoring case; anything else is an error naming the path.
    pub(crate) fn of(path: &Path) -> Result<Self, PlotError> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("png") => Ok(Format::Png),
            Some("svg") => Ok(Format::Svg),
            _ => Err(PlotError::UnsupportedFormat { path: path.to_path_buf() }),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// A dashed straight line in image pixels. plotters has no dash style, so
/// charts hand these to the writer: SVG gets a real `stroke-dasharray` line,
/// PNG gets the dashes drawn as short segments.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dashed {
    pub from: (i32, i32),
    pub to: (i32, i32),
    pub color: RGBColor,
    pub width: u32,
    pub dash: u32,
    pub gap: u32,
}

/// A chart that knows its pixel size and how to draw itself on any backend.
pub(crate) trait Chart {
    /// Image size (width, height) in pixels.
    fn size(&self) -> (u32, u32);
    /// Draws onto `root` (the whole image), pushing dashed lines to `dashes`.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, dashes: &mut Vec<Dashed>) -> DrawResult
    where
        DB::ErrorType: 'static;
}

/// Renders `chart` to `path` (PNG or SVG by extension), atomically.
pub(crate) fn write_chart(path: &Path, chart: &impl Chart) -> Result<(), PlotError> {
    let format = Format::of(path)?;
    font::ensure_registered()?;
    let tmp = TempFile::beside(path, format.extension())?;
    let drawn = match format {
        Format::Png => render_png(&tmp.path, chart),
        Format::Svg => render_svg(chart).and_then(|svg| fs::write(&tmp.path, svg).map_err(Into::into)),
    };
    drawn.map_err(|e| draw_error(path, e.as_ref()))?;
    tmp.persist(path)
}

fn render_png(tmp: &Path, chart: &impl Chart) -> DrawResult {
    let font = font::glyph_font()?;
    let root = Raster::new(BitMapBackend::new(tmp, chart.size()), font).into_drawing_area();
    root.fill(&WHITE)?;
    let mut dashes = Vec::new();
    chart.draw(&root, &mut dashes)?;
    for d in &dashes {
        draw_dashes(&root, d)?;
    }
    root.present()?;
    Ok(())
}

fn render_svg(chart: &impl Chart) -> Result<String, Box<dyn Error>> {
    let mut svg = String::new();
    let mut dashes = Vec::new();
    {
        let root = SVGBackend::with_string(&mut svg, chart.size()).into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root, &mut dashes)?;
        root.present()?;
    }
    let lines: String = dashes.iter().map(svg_dashed_line).collect();
    let end = svg.rfind("</svg>").ok_or("SVG backend produced no closing tag")?;
    svg.insert_str(end, &lines);
    Ok(svg)
}

/// Draws a dashed line as separate segments (bitmap output).
fn draw_dashes<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, d: &Dashed) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let (dx, dy) = ((d.to.0 - d.from.0) as f64, (d.to.1 - d.from.1) as f64);
    let len = dx.hypot(dy);
    if len < 1.0 {
        return Ok(());
    }
    let style = ShapeStyle::from(d.color).stroke_width(d.width);
    let at = |t: f64| (d.from.0 + (dx * t / len).round() as i32, d.from.1 + (dy * t / len).round() as i32);
    let mut t = 0.0;
    while t < len {
        let end = (t + d.dash as f64).min(len);
        root.draw(&PathElement::new(vec![at(t), at(end)], style))?;
        t += (d.dash + d.gap) as f64;
    }
    Ok(())
}

fn svg_dashed_line(d: &Dashed) -> String {
    let RGBColor(r, g, b) = d.color;
    format!(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#{r:02X}{g:02X}{b:02X}\" stroke-width=\"{}\" \
         stroke-dasharray=\"{} {}\"/>\n",
        d.from.0, d.from.1, d.to.0, d.to.1, d.width, d.dash, d.gap
    )
}

fn draw_error(path: &Path, e: &dyn Error) -> PlotError {
    let message = e.to_string().split_whitespace().collect::<Vec<_>>().join(" ");
    PlotError::Draw { path: path.to_path_buf(), message }
}

/// A uniquely named file next to the target; removed on drop unless persisted.
struct TempFile {
    path: PathBuf,
    persisted: bool,
}

impl TempFile {
    fn beside(target: &Path, ext: &str) -> Result<Self, PlotError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let io_err = |source| PlotError::Io { path: target.to_path_buf(), source };
        let name = target.file_name().ok_or_else(|| io_err(std::io::ErrorKind::InvalidInput.into()))?;
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp_name = format!(".{}.{}-{n}.tmp.{ext}", name.to_string_lossy(), std::process::id());
        let path = target.with_file_name(tmp_name);
        // Creating it here gives a plain io::Error for a missing or read-only directory.
        OpenOptions::new().write(true).create_new(true).open(&path).map_err(io_err)?;
        Ok(TempFile { path, persisted: false })
    }

    fn persist(mut self, target: &Path) -> Result<(), PlotError> {
        fs::rename(&self.path, target).map_err(|source| PlotError::Io { path: target.to_path_buf(), source })?;
        self.persisted = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = fs::remove_file(&self.path);
        }
    }
}
