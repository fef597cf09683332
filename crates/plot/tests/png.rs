//! PNG output: signature, IHDR size, decoded size, bar colours and order.

mod common;

use common::*;
use glassbox_plot::{bar_panels, lines, signed_bars, Series};

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Width and height from the IHDR chunk, which must come first.
fn ihdr_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(PNG_SIGNATURE), "not a PNG");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

fn is_near(p: &image::Rgb<u8>, (r, g, b): (u8, u8, u8)) -> bool {
    p.0[0].abs_diff(r) <= 6 && p.0[1].abs_diff(g) <= 6 && p.0[2].abs_diff(b) <= 6
}

/// Pixel count and mean (x, y) of pixels near `colour`.
fn colour_stats(img: &image::RgbImage, colour: (u8, u8, u8)) -> (usize, f64, f64) {
    let (mut n, mut sx, mut sy) = (0usize, 0.0, 0.0);
    for (x, y, p) in img.enumerate_pixels() {
        if is_near(p, colour) {
            n += 1;
            sx += x as f64;
            sy += y as f64;
        }
    }
    (n, sx / n.max(1) as f64, sy / n.max(1) as f64)
}

#[test]
fn bars_png_has_signature_and_expected_size() {
    let dir = out_dir("bars-size");
    let path = dir.join("bars.png");
    signed_bars(&path, "Row 3", "attribution", &labels15(), &values15()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(ihdr_size(&bytes), (900, 120 + 28 * 15));
    let img = image::load_from_memory(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (900, 540));
}

#[test]
fn bars_height_grows_with_bar_count() {
    let dir = out_dir("bars-grow");
    for n in [1usize, 4, 30] {
        let path = dir.join(format!("bars{n}.png"));
        let labels: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        signed_bars(&path, "t", "x", &labels, &vec![0.5; n]).unwrap();
        assert_eq!(ihdr_size(&std::fs::read(&path).unwrap()), (900, 120 + 28 * n as u32));
    }
}

#[test]
fn very_long_labels_widen_the_image_instead_of_being_cut() {
    let dir = out_dir("bars-wide");
    let path = dir.join("bars.png");
    let labels = vec!["x".repeat(120), "short".to_string()];
    signed_bars(&path, "t", "x", &labels, &[1.0, -1.0]).unwrap();
    let (w, _) = ihdr_size(&std::fs::read(&path).unwrap());
    assert!(w > 900, "width {w}");
}

#[test]
fn positive_bar_is_red_and_right_negative_is_blue_and_left_in_order() {
    let dir = out_dir("bars-colour");
    let path = dir.join("bars.png");
    signed_bars(&path, "Row 0", "attribution", &strings(&["up", "down"]), &[0.8, -0.6]).unwrap();
    let img = image::open(&path).unwrap().to_rgb8();
    let (n_red, red_x, red_y) = colour_stats(&img, (0xd6, 0x27, 0x28));
    let (n_blue, blue_x, blue_y) = colour_stats(&img, (0x1f, 0x77, 0xb4));
    assert!(n_red > 2000 && n_blue > 2000, "red {n_red} px, blue {n_blue} px");
    assert!(red_x > blue_x, "positive bar must lie right of the negative one");
    assert!(red_y < blue_y, "first bar (positive) must be on top");
}

#[test]
fn all_positive_bars_have_no_blue() {
    let dir = out_dir("bars-allpos");
    let path = dir.join("bars.png");
    signed_bars(&path, "t", "x", &strings(&["a", "b", "c"]), &[0.3, 0.2, 0.1]).unwrap();
    let img = image::open(&path).unwrap().to_rgb8();
    assert!(colour_stats(&img, (0xd6, 0x27, 0x28)).0 > 1000);
    assert_eq!(colour_stats(&img, (0x1f, 0x77, 0xb4)).0, 0);
}

#[test]
fn lines_and_panels_write_pngs() {
    let dir = out_dir("others");
    let series = vec![Series::new("a", vec![(1.0, 0.5), (2.0, 0.7)]), Series::new("b", vec![(1.0, 0.4), (2.0, 0.9)])];
    let path = dir.join("lines.png");
    lines(&path, "acc", "k", "accuracy", &series).unwrap();
    assert_eq!(ihdr_size(&std::fs::read(&path).unwrap()), (900, 560));

    let panels = vec![
        ("zero".to_string(), strings(&["a", "b"]), vec![0.4, -0.2]),
        ("mean".to_string(), strings(&["c"]), vec![-0.1]),
    ];
    let path = dir.join("panels.png");
    bar_panels(&path, "panels", &panels).unwrap();
    let (w, h) = ihdr_size(&std::fs::read(&path).unwrap());
    assert!(w >= 900 && h == 150 + 28 * 2, "{w}x{h}");
    let img = image::open(&path).unwrap().to_rgb8();
    assert!(colour_stats(&img, (0xd6, 0x27, 0x28)).0 > 500);
    assert!(colour_stats(&img, (0x1f, 0x77, 0xb4)).0 > 500);
}

#[test]
fn extension_case_is_ignored_and_writes_leave_no_temp_files() {
    let dir = out_dir("atomic");
    let path = dir.join("Chart.PNG");
    signed_bars(&path, "t", "x", &strings(&["a"]), &[1.0]).unwrap();
    // Overwriting an existing chart works too.
    signed_bars(&path, "t", "x", &strings(&["a", "b"]), &[1.0, 2.0]).unwrap();
    assert_eq!(files_in(&dir), vec!["Chart.PNG"]);
    assert_eq!(ihdr_size(&std::fs::read(&path).unwrap()), (900, 120 + 56));
}

#[test]
fn single_and_zero_values_still_draw() {
    let dir = out_dir("degenerate");
    signed_bars(&dir.join("zero.png"), "", "", &strings(&["a", "b"]), &[0.0, 0.0]).unwrap();
    lines(&dir.join("point.png"), "", "", "", &[Series::new("only", vec![(3.0, 3.0)])]).unwrap();
    signed_bars(&dir.join("huge.png"), "t", "x", &strings(&["a", "b"]), &[1e300, -1e300]).unwrap();
    signed_bars(&dir.join("tiny.png"), "t", "x", &strings(&["a", "b"]), &[1e-12, -3e-13]).unwrap();
    assert_eq!(files_in(&dir).len(), 4);
}
