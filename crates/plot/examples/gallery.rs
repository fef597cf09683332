//! Renders every chart kind as PNG and SVG into a directory (default: the
//! system temp dir), for looking at them: `cargo run -p glassbox-plot --example gallery -- /tmp/plots`.

use std::path::PathBuf;

fn main() -> Result<(), glassbox_plot::PlotError> {
    let dir = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    let labels: Vec<String> = [
        "rail_temperature_max_24h",
        "axle_load",
        "vertical_acceleration_rms",
        "speed",
        "track_gauge_deviation_mm",
        "wheel_flat_index",
        "ambient_temperature",
        "curvature",
        "ultrasonic_echo_amplitude_channel_3",
        "sleeper_age_years",
        "humidity",
        "lateral_force",
        "rail_profile_wear",
        "ballast_stiffness",
        "days_since_grinding",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let values = [
        0.412, -0.305, 0.221, -0.18, 0.151, 0.097, -0.083, 0.061, -0.052, 0.0403, -0.031, 0.022, -0.0154, 0.009,
        -0.0021,
    ];
    for ext in ["png", "svg"] {
        glassbox_plot::signed_bars(
            &dir.join(format!("bars.{ext}")),
            "Row 17: rail break within 30 days (p = 0.83)",
            "Integrated Gradients attribution (probability)",
            &labels,
            &values,
        )?;
    }
    more(&dir)
}

fn more(dir: &std::path::Path) -> Result<(), glassbox_plot::PlotError> {
    use glassbox_plot::{bar_panels, lines, Series};
    let ks = [1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0, 20.0];
    let curve = |a: f64, b: f64| ks.iter().map(|&k| (k, a - b / (k + 1.0))).collect::<Vec<_>>();
    let series = vec![
        Series::new("zero baseline", curve(0.86, 0.30)),
        Series::new("mean baseline", curve(0.88, 0.35)),
        Series::new("background (K = 50)", curve(0.90, 0.38)),
        Series::new("weighted background", curve(0.91, 0.42)),
    ];
    let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let panels = vec![
        (
            "zero".to_string(),
            names(&["axle_load", "speed", "curvature", "humidity", "rail_temperature_max_24h"]),
            vec![0.5, -0.31, 0.2, -0.1, 0.05],
        ),
        (
            "mean".to_string(),
            names(&["speed", "axle_load", "wheel_flat_index", "curvature", "sleeper_age_years"]),
            vec![-0.42, 0.28, 0.21, 0.12, -0.06],
        ),
        ("background".to_string(), names(&["axle_load", "speed", "track_gauge_deviation_mm"]), vec![0.33, -0.25, 0.11]),
    ];
    for ext in ["png", "svg"] {
        lines(
            &dir.join(format!("lines.{ext}")),
            "Accuracy with only the top k features",
            "k (features kept)",
            "accuracy",
            &series,
        )?;
        bar_panels(&dir.join(format!("panels.{ext}")), "Top features per baseline (row 17)", &panels)?;
    }
    Ok(())
}
