//! The shipped font: DejaVu Sans (Bitstream Vera licence, see
//! `fonts/LICENSE-DejaVu.txt`), embedded and registered with plotters'
//! `ab_glyph` text renderer, so no system font lookup ever happens.

use std::sync::OnceLock;

use plotters::style::{register_font, FontDesc, FontFamily, FontStyle};

use crate::PlotError;

/// The embedded TrueType file.
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// Family name the font is registered under. `sans-serif` is also what the
/// SVG output names, so viewers fall back to their own sans-serif face.
const FAMILY: FontFamily<'static> = FontFamily::SansSerif;

static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the embedded font once per process; later calls are free.
pub(crate) fn ensure_registered() -> Result<(), PlotError> {
    let ok = *REGISTERED.get_or_init(|| register_font(FAMILY.as_str(), FontStyle::Normal, DEJAVU_SANS).is_ok());
    if ok {
        Ok(())
    } else {
        Err(PlotError::Font)
    }
}

/// The embedded font parsed for direct glyph rasterizing (see `raster`).
pub(crate) fn glyph_font() -> Result<ab_glyph::FontRef<'static>, PlotError> {
    ab_glyph::FontRef::try_from_slice(DEJAVU_SANS).map_err(|_| PlotError::Font)
}

/// The chart font at `size` pixels.
pub(crate) fn font(size: f64) -> FontDesc<'static> {
    FontDesc::new(FAMILY, size, FontStyle::Normal)
}

/// Width in pixels of `text` at `size`. Should measuring fail (it cannot
/// once the font is registered), a generous estimate is used instead.
pub(crate) fn text_width(text: &str, size: f64) -> u32 {
    let measured = ensure_registered().ok().and_then(|()| font(size).box_size(text).ok());
    measured.map_or_else(|| (text.chars().count() as f64 * size * 0.65).ceil() as u32, |(w, _)| w)
}

/// Width in pixels of the widest of `texts` at `size`.
pub(crate) fn max_text_width<'a>(texts: impl IntoIterator<Item = &'a str>, size: f64) -> u32 {
    texts.into_iter().map(|t| text_width(t, size)).max().unwrap_or(0)
}
