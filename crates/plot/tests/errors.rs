//! Bad input and unwritable paths are one-line errors, never panics, and
//! leave nothing behind.

mod common;

use common::*;
use glassbox_plot::{bar_panels, lines, signed_bars, PlotError, Series};

fn one_line(e: &PlotError) -> String {
    let s = e.to_string();
    assert!(!s.contains('\n') && !s.is_empty(), "not one line: {s:?}");
    s
}

#[test]
fn empty_data_is_an_error() {
    let dir = out_dir("err-empty");
    let e = signed_bars(&dir.join("a.png"), "t", "x", &[], &[]).unwrap_err();
    assert!(matches!(e, PlotError::Empty(_)), "{e}");
    let e = lines(&dir.join("a.png"), "t", "x", "y", &[]).unwrap_err();
    assert!(matches!(e, PlotError::Empty(_)), "{e}");
    let e = lines(&dir.join("a.png"), "t", "x", "y", &[Series::new("s", vec![])]).unwrap_err();
    assert!(one_line(&e).contains("\"s\""), "{e}");
    let e = bar_panels(&dir.join("a.png"), "t", &[]).unwrap_err();
    assert!(matches!(e, PlotError::Empty(_)), "{e}");
    let e = bar_panels(&dir.join("a.png"), "t", &[("p".into(), vec![], vec![])]).unwrap_err();
    assert!(matches!(e, PlotError::Empty(_)), "{e}");
    assert!(files_in(&dir).is_empty());
}

#[test]
fn non_finite_values_are_errors() {
    let dir = out_dir("err-nan");
    let labels = strings(&["a", "b", "c"]);
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = signed_bars(&dir.join("a.svg"), "t", "x", &labels, &[0.1, bad, 0.2]).unwrap_err();
        assert!(matches!(e, PlotError::NonFinite { index: 1, .. }), "{e}");
        one_line(&e);
    }
    let e =
        lines(&dir.join("a.svg"), "t", "x", "y", &[Series::new("s", vec![(0.0, 1.0), (f64::NAN, 2.0)])]).unwrap_err();
    assert!(matches!(e, PlotError::NonFinite { index: 1, .. }), "{e}");
    let e = lines(&dir.join("a.svg"), "t", "x", "y", &[Series::new("s", vec![(0.0, f64::INFINITY)])]).unwrap_err();
    assert!(matches!(e, PlotError::NonFinite { index: 0, .. }), "{e}");
    let e = bar_panels(&dir.join("a.svg"), "t", &[("p".into(), strings(&["a"]), vec![f64::NAN])]).unwrap_err();
    assert!(one_line(&e).contains("panel \"p\""), "{e}");
    assert!(files_in(&dir).is_empty());
}

#[test]
fn mismatched_lengths_are_errors() {
    let dir = out_dir("err-len");
    let e = signed_bars(&dir.join("a.png"), "t", "x", &strings(&["a", "b"]), &[1.0]).unwrap_err();
    assert!(matches!(e, PlotError::LengthMismatch { labels: 2, values: 1, .. }), "{e}");
    let e = bar_panels(&dir.join("a.png"), "t", &[("p".into(), strings(&["a"]), vec![1.0, 2.0])]).unwrap_err();
    assert!(matches!(e, PlotError::LengthMismatch { labels: 1, values: 2, .. }), "{e}");
    one_line(&e);
}

#[test]
fn unsupported_extensions_are_errors_naming_the_path() {
    let dir = out_dir("err-ext");
    for name in ["chart.jpg", "chart", "chart.png.txt", "chart.pdf"] {
        let path = dir.join(name);
        let e = signed_bars(&path, "t", "x", &strings(&["a"]), &[1.0]).unwrap_err();
        assert!(matches!(e, PlotError::UnsupportedFormat { .. }), "{e}");
        assert!(one_line(&e).contains(&path.display().to_string()), "{e}");
    }
    let e = lines(&dir.join("l.jpg"), "t", "x", "y", &[Series::new("s", vec![(0.0, 1.0)])]).unwrap_err();
    assert!(matches!(e, PlotError::UnsupportedFormat { .. }), "{e}");
    assert!(files_in(&dir).is_empty());
}

#[test]
fn unwritable_paths_are_io_errors() {
    let dir = out_dir("err-io");
    // A directory that does not exist.
    let missing = dir.join("no-such-dir").join("chart.png");
    let e = signed_bars(&missing, "t", "x", &strings(&["a"]), &[1.0]).unwrap_err();
    assert!(matches!(e, PlotError::Io { .. }), "{e}");
    assert!(one_line(&e).contains("chart.png"), "{e}");
    // A "directory" that is a regular file (fails even when running as root).
    std::fs::write(dir.join("file"), b"x").unwrap();
    let e = signed_bars(&dir.join("file").join("chart.svg"), "t", "x", &strings(&["a"]), &[1.0]).unwrap_err();
    assert!(matches!(e, PlotError::Io { .. }), "{e}");
    // The target itself is a directory: rendering succeeds, the rename fails,
    // and the temp file is cleaned up.
    std::fs::create_dir(dir.join("taken.png")).unwrap();
    let e = signed_bars(&dir.join("taken.png"), "t", "x", &strings(&["a"]), &[1.0]).unwrap_err();
    assert!(matches!(e, PlotError::Io { .. }), "{e}");
    assert_eq!(files_in(&dir), vec!["file", "taken.png"]);
}

#[test]
fn huge_values_are_errors_and_large_ones_draw() {
    let dir = out_dir("err-extreme");
    let series = [Series::new("s", vec![(-f64::MAX, 1.0), (f64::MAX, -1.0)])];
    let e = lines(&dir.join("l.png"), "t", "x", "y", &series).unwrap_err();
    assert!(matches!(e, PlotError::OutOfRange { index: 0, .. }), "{e}");
    let e = signed_bars(&dir.join("b.svg"), "t", "x", &strings(&["a", "b"]), &[1.0, -1e301]).unwrap_err();
    assert!(matches!(e, PlotError::OutOfRange { index: 1, .. }), "{e}");
    one_line(&e);
    assert!(files_in(&dir).is_empty());
    let series = [Series::new("s", vec![(-1e300, 1e300), (1e300, -1e300)])];
    lines(&dir.join("l.png"), "t", "x", "y", &series).unwrap();
    signed_bars(&dir.join("b.png"), "t", "x", &strings(&["a", "b"]), &[1e300, -1e300]).unwrap();
    bar_panels(&dir.join("p.svg"), "t", &[("p".into(), strings(&["a", "b"]), vec![1e300, -1e300])]).unwrap();
    assert_eq!(files_in(&dir).len(), 3);
}
