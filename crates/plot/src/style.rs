//! Shared look: colours, font sizes, and number formatting for ticks and
//! bar annotations.

use plotters::style::RGBColor;

/// Positive attribution (promotes the target class).
pub(crate) const POSITIVE: RGBColor = RGBColor(0xd6, 0x27, 0x28);
/// Negative attribution (reduces the target class).
pub(crate) const NEGATIVE: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
/// Zero line, axes and annotation text.
pub(crate) const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Light grid lines.
pub(crate) const GRID: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);
/// Line-series colours (a colour-blind-aware categorical palette), reused cyclically.
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(0x1f, 0x77, 0xb4),
    RGBColor(0xff, 0x7f, 0x0e),
    RGBColor(0x2c, 0xa0, 0x2c),
    RGBColor(0xd6, 0x27, 0x28),
    RGBColor(0x94, 0x67, 0xbd),
    RGBColor(0x8c, 0x56, 0x4b),
    RGBColor(0xe3, 0x77, 0xc2),
    RGBColor(0x7f, 0x7f, 0x7f),
];

/// Chart title size in pixels.
pub(crate) const TITLE_SIZE: f64 = 22.0;
/// Panel title size in pixels.
pub(crate) const SUBTITLE_SIZE: f64 = 18.0;
/// Category labels, axis descriptions and legend entries.
pub(crate) const LABEL_SIZE: f64 = 15.0;
/// Tick labels and bar value annotations.
pub(crate) const TICK_SIZE: f64 = 13.0;

/// Formats an axis tick so that neighbouring ticks over a range of width
/// `span` are distinguishable, without float noise (`0.30000000000000004`).
pub(crate) fn format_tick(v: f64, span: f64) -> String {
    if v.abs() <= span.abs() * 1e-9 {
        return "0".to_string();
    }
    let mag = v.abs().max(span.abs());
    if mag >= 1e6 || (mag > 0.0 && mag < 1e-3) {
        return trim_exp(format!("{v:.2e}"));
    }
    let decimals = if span > 0.0 { (2.0 - span.log10().floor()).clamp(0.0, 8.0) as usize } else { 2 };
    trim(format!("{v:.decimals$}"))
}

/// Formats a bar's value with three significant digits and its sign.
pub(crate) fn format_value(v: f64) -> String {
    let a = v.abs();
    let body = if a == 0.0 {
        "0".to_string()
    } else if !(1e-3..1e6).contains(&a) {
        trim_exp(format!("{a:.2e}"))
    } else {
        let decimals = (2.0 - a.log10().floor()).clamp(0.0, 6.0) as usize;
        trim(format!("{a:.decimals$}"))
    };
    match v {
        v if v > 0.0 => format!("+{body}"),
        v if v < 0.0 => format!("-{body}"),
        _ => body,
    }
}

/// Drops trailing zeros after a decimal point; `-0` becomes `0`.
fn trim(s: String) -> String {
    let t = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if t == "-0" {
        "0".to_string()
    } else {
        t.to_string()
    }
}

/// `1.50e3` → `1.5e3`.
fn trim_exp(s: String) -> String {
    match s.split_once('e') {
        Some((m, e)) => format!("{}e{e}", trim(m.to_string())),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_have_no_float_noise() {
        assert_eq!(format_tick(0.1 + 0.2, 1.0), "0.3");
        assert_eq!(format_tick(-0.0, 1.0), "0");
        assert_eq!(format_tick(250.0, 1000.0), "250");
        assert_eq!(format_tick(0.0125, 0.05), "0.0125");
        assert_eq!(format_tick(2e7, 1e8), "2e7");
        assert_eq!(format_tick(1e-22, 1e-12), "0");
        assert_eq!(format_tick(-2e-13, 1e-12), "-2e-13");
    }

    #[test]
    fn values_carry_sign_and_three_digits() {
        assert_eq!(format_value(0.123456), "+0.123");
        assert_eq!(format_value(-12.345), "-12.3");
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(1234.4), "+1234");
        assert_eq!(format_value(-0.00002), "-2e-5");
    }
}
