//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh, empty directory under the system temp dir, unique per call.
pub fn out_dir(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("glassbox-plot-tests-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Fifteen feature-like labels, one of them long.
pub fn labels15() -> Vec<String> {
    (0..15)
        .map(
            |i| {
                if i == 7 {
                    "ultrasonic_echo_amplitude_channel_3_long_name".to_string()
                } else {
                    format!("feature_{i}")
                }
            },
        )
        .collect()
}

/// Fifteen values of alternating sign and decreasing size.
pub fn values15() -> Vec<f64> {
    (0..15).map(|i| if i % 2 == 0 { 1.0 } else { -1.0 } * (0.5 - 0.03 * i as f64)).collect()
}

/// Names of the files in `dir`.
pub fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}
