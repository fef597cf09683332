//! glassbox-plot: the charts of glassbox (SPEC §6), as PNG or SVG chosen by
//! the file extension.
//!
//! - [`signed_bars`]: horizontal bars of signed values (IG attributions),
//!   red for positive, blue for negative, dashed zero line.
//! - [`lines`]: several [`Series`] over a shared x axis, with markers and a legend.
//! - [`bar_panels`]: small multiples of signed bars side by side.
//!
//! Text is drawn with DejaVu Sans, shipped in `fonts/` and embedded in the
//! binary, through plotters' `ab_glyph` renderer: no system fonts,
//! fontconfig or freetype are needed (SPEC §1). Files are written
//! atomically (a temp file beside the target, then a rename). Bad input
//! (empty, NaN/inf, mismatched lengths) and write failures are
//! [`PlotError`]s, never panics.

mod bars;
mod error;
mod font;
mod lines;
mod output;
mod panels;
mod raster;
mod style;
mod validate;

pub use bars::signed_bars;
pub use error::PlotError;
pub use lines::{lines, Series};
pub use panels::bar_panels;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
