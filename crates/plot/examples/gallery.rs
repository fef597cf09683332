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
    Ok(())
}
