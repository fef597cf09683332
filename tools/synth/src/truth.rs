//! The ground-truth documents written by `--truth`.
//!
//! They tell an evaluator what the generator did: which column is the label,
//! which features carry information about it and how much (`importance`), and
//! which carry none. Objects keep a fixed key order (struct fields in
//! declaration order, maps in column order through [`Ordered`]), so the JSON
//! is byte-identical for the same arguments.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// A JSON object whose keys keep insertion order.
#[derive(Debug, Clone, Default)]
pub struct Ordered<V>(pub Vec<(String, V)>);

impl<V: Serialize> Serialize for Ordered<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// How the railway generator uses one wagon channel.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChannelTruth {
    /// `defect`, `confounded`, `confounder` or `noise`.
    pub role: &'static str,
    /// `normal` (value = center + scale·η) or `lognormal` (value = center·exp(scale·η)).
    pub distribution: &'static str,
    pub center: f64,
    pub scale: f64,
    /// β: shift of η at full defect severity (units of the channel's noise sd).
    pub defect_weight: f64,
    /// γ: shift of η per standard deviation of speed.
    pub speed_weight: f64,
    /// κ: shift of η per unit of the section's latent condition.
    pub condition_weight: f64,
    /// ρ: share of the noise variance that is a fixed per-section offset.
    pub section_share: f64,
}

/// `--truth` for `synth railway`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RailwayTruth {
    pub kind: &'static str,
    pub label: &'static str,
    pub rows: usize,
    pub seed: u64,
    /// Measured share of rows with label 1.
    pub positive_rate: f64,
    /// Measured share of empty cells among the wagon channels.
    pub missing_rate: f64,
    pub defect_channels: Vec<String>,
    pub confounded_channels: Vec<String>,
    pub confounder_channels: Vec<String>,
    pub noise_channels: Vec<String>,
    /// β per channel, every channel, 0 where the defect has no effect.
    pub importance: Ordered<f64>,
    /// Measured |mean(label 1) − mean(label 0)| / pooled sd per channel (units of the values).
    pub separation: Ordered<f64>,
    /// Identifies a track section; rows of one section share these values.
    pub keys: Vec<&'static str>,
    pub order_by: &'static str,
    pub sections: usize,
    pub breaks: usize,
    pub window_days: i64,
    pub channels: Ordered<ChannelTruth>,
    pub notes: String,
}

/// One physics process of the collider sample.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProcessTruth {
    pub label: u8,
    pub rows: usize,
    /// Share of rows (by count).
    pub fraction: f64,
    /// Expected events after preselection; the process's weights sum to about this.
    pub expected_yield: f64,
    pub sum_weights: f64,
    pub mean_weight: f64,
}

/// Per-feature class means, measured on the generated rows (unweighted).
#[derive(Debug, Clone, serde::Serialize)]
pub struct FeatureStats {
    pub signal_mean: f64,
    pub background_mean: f64,
    pub pooled_sd: f64,
}

/// `--truth` for `synth collider`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ColliderTruth {
    pub kind: &'static str,
    pub label: &'static str,
    pub weight_column: &'static str,
    pub process_column: &'static str,
    pub rows: usize,
    pub seed: u64,
    /// Measured share of signal rows (by count).
    pub signal_fraction: f64,
    /// Share of the total weight that is signal.
    pub signal_weight_fraction: f64,
    pub processes: Ordered<ProcessTruth>,
    /// |signal mean − background mean| / pooled sd for informative features, 0 for noise.
    pub importance: Ordered<f64>,
    pub informative: Vec<String>,
    pub noise: Vec<String>,
    pub feature_stats: Ordered<FeatureStats>,
    pub notes: String,
}
