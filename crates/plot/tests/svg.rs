//! SVG output: well-formed XML with every label, the title and legend
//! names as text; bar fill colours; a real dashed zero line.

mod common;

use common::*;
use glassbox_plot::{bar_panels, lines, signed_bars, Series};

/// Parses `svg` (panics if it is not well-formed XML) and returns all its text.
fn texts(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("SVG must be well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    doc.descendants()
        .filter(|n| n.is_element() && n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .collect()
}

/// Fill colours (upper case, `#RRGGBB`) of all `rect` elements.
fn rect_fills(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("rect"))
        .filter_map(|n| n.attribute("fill"))
        .map(str::to_ascii_uppercase)
        .collect()
}

/// The dashed vertical lines: (x1, y1, x2, y2).
fn dashed_vertical_lines(svg: &str) -> Vec<(f64, f64, f64, f64)> {
    let doc = roxmltree::Document::parse(svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("line") && n.attribute("stroke-dasharray").is_some())
        .map(|n| {
            let a = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
            (a("x1"), a("y1"), a("x2"), a("y2"))
        })
        .filter(|&(x1, _, x2, _)| x1 == x2)
        .collect()
}

#[test]
fn bars_svg_contains_title_axis_label_and_every_label() {
    let dir = out_dir("svg-bars");
    let path = dir.join("bars.svg");
    let labels = labels15();
    signed_bars(&path, "Row 3: rail break", "IG attribution", &labels, &values15()).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    let texts = texts(&svg);
    for want in labels.iter().map(String::as_str).chain(["Row 3: rail break", "IG attribution"]) {
        assert!(texts.iter().any(|t| t == want), "missing text {want:?}");
    }
}

#[test]
fn bars_svg_fills_positive_red_and_negative_blue() {
    let dir = out_dir("svg-fill");
    let path = dir.join("bars.svg");
    signed_bars(&path, "t", "x", &strings(&["up", "down", "up2"]), &[0.5, -0.5, 0.25]).unwrap();
    let fills = rect_fills(&std::fs::read_to_string(&path).unwrap());
    assert_eq!(fills.iter().filter(|f| *f == "#D62728").count(), 2, "{fills:?}");
    assert_eq!(fills.iter().filter(|f| *f == "#1F77B4").count(), 1, "{fills:?}");
}

#[test]
fn zero_line_is_dashed_and_spans_the_bars() {
    let dir = out_dir("svg-dash");
    let path = dir.join("bars.svg");
    signed_bars(&path, "t", "x", &strings(&["a", "b", "c"]), &[0.5, -0.5, 0.2]).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    let dashed = dashed_vertical_lines(&svg);
    assert_eq!(dashed.len(), 1, "one dashed zero line");
    let (_, y1, _, y2) = dashed[0];
    assert!((y2 - y1).abs() >= 3.0 * 20.0, "zero line spans all three bars: {y1}..{y2}");
}

#[test]
fn panels_svg_has_a_dashed_zero_line_and_title_per_panel() {
    let dir = out_dir("svg-panels");
    let path = dir.join("panels.svg");
    let panels = vec![
        ("zero baseline".to_string(), strings(&["a", "b"]), vec![0.4, -0.2]),
        ("mean baseline".to_string(), strings(&["c", "d"]), vec![-0.1, 0.3]),
        ("background".to_string(), strings(&["e"]), vec![0.2]),
    ];
    bar_panels(&path, "Top features", &panels).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    let texts = texts(&svg);
    for want in ["Top features", "zero baseline", "mean baseline", "background", "a", "b", "c", "d", "e"] {
        assert!(texts.iter().any(|t| t == want), "missing text {want:?}");
    }
    assert_eq!(dashed_vertical_lines(&svg).len(), 3);
}

#[test]
fn lines_svg_legend_names_both_series() {
    let dir = out_dir("svg-lines");
    let path = dir.join("lines.svg");
    let series = vec![
        Series::new("zero baseline", vec![(1.0, 0.7), (5.0, 0.8), (10.0, 0.82)]),
        Series::new("mean baseline", vec![(1.0, 0.6), (5.0, 0.85), (10.0, 0.9)]),
    ];
    lines(&path, "Accuracy vs k", "k", "accuracy", &series).unwrap();
    let texts = texts(&std::fs::read_to_string(&path).unwrap());
    for want in ["zero baseline", "mean baseline", "Accuracy vs k", "k", "accuracy"] {
        assert!(texts.iter().any(|t| t == want), "missing text {want:?}");
    }
}

#[test]
fn markup_in_labels_is_escaped() {
    let dir = out_dir("svg-escape");
    let path = dir.join("bars.SVG");
    let labels = strings(&["a < b & c", "\"quoted\" 'x'"]);
    signed_bars(&path, "<title> & co", "x", &labels, &[1.0, -1.0]).unwrap();
    let texts = texts(&std::fs::read_to_string(&path).unwrap());
    for want in ["a < b & c", "\"quoted\" 'x'", "<title> & co"] {
        assert!(texts.iter().any(|t| t == want), "missing text {want:?}");
    }
}
