//! The 31 wagon channels and how each one is drawn.
//!
//! Every channel `c` of a row (section `j`, recording day `t`) is built from
//! one standardized variable
//!
//! ```text
//! η_c = β_c · s_j(t) + γ_c · z_v + κ_c · q_j(t) + √ρ_c · u_{j,c} + √(1 − ρ_c) · e
//! ```
//!
//! where `s_j(t) ∈ [0, 1]` is the severity of the section's growing defect
//! (0 without one), `z_v = (v − 35)/11` the standardized train speed,
//! `q_j(t)` the section's latent condition, `u_{j,c} ~ N(0, 1)` a fixed
//! per-section offset and `e ~ N(0, 1)` fresh noise. The value is then
//!
//! - `normal`:    `x = μ_c + σ_c · η_c`
//! - `lognormal`: `x = m_c · exp(σ_c · η_c)` (≥ 0 and heavy-tailed; `m_c` is the median)
//!
//! Roles: **defect** channels have β > 0 (the label's only source of
//! information besides the condition, which shows in the Twist and Bounce
//! channels); **confounded** channels have γ > 0 and β = 0: speed raises them,
//! as it raises every acceleration channel, independently of any defect;
//! **confounder** is Speed itself; **noise** channels have β = γ = κ = 0.

/// What a channel carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Defect,
    Confounded,
    Confounder,
    Noise,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Defect => "defect",
            Role::Confounded => "confounded",
            Role::Confounder => "confounder",
            Role::Noise => "noise",
        }
    }
}

/// The value's distribution given η.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Normal,
    LogNormal,
}

impl Shape {
    pub fn name(self) -> &'static str {
        match self {
            Shape::Normal => "normal",
            Shape::LogNormal => "lognormal",
        }
    }
}

/// One channel's parameters (see the module docs for the formula).
#[derive(Debug, Clone, Copy)]
pub struct Channel {
    /// Name without the `Wagon_` prefix.
    pub name: &'static str,
    pub role: Role,
    pub shape: Shape,
    /// μ (normal) or the median m (lognormal).
    pub center: f64,
    /// σ (normal) or the log-scale sd (lognormal).
    pub scale: f64,
    /// β: defect effect at full severity, in noise sds.
    pub defect: f64,
    /// γ: effect of one speed sd.
    pub speed: f64,
    /// κ: effect of one unit of latent condition.
    pub condition: f64,
    /// ρ: per-section share of the noise variance.
    pub section_share: f64,
    /// Decimals printed in the CSV.
    pub decimals: usize,
}

/// Mean and sd of the train speed (km/h).
pub const SPEED_MEAN: f64 = 35.0;
pub const SPEED_SD: f64 = 11.0;

const fn ch(
    name: &'static str,
    role: Role,
    shape: Shape,
    [center, scale]: [f64; 2],
    effects: [f64; 3],
    section_share: f64,
    decimals: usize,
) -> Channel {
    let [defect, speed, condition] = effects;
    Channel { name, role, shape, center, scale, defect, speed, condition, section_share, decimals }
}

use Role::{Confounded, Confounder, Defect, Noise};
use Shape::{LogNormal, Normal};

/// The channels in column order: name, role, shape, `[center, scale]`,
/// `[β, γ, κ]`, ρ, decimals.
pub const CHANNELS: [Channel; 31] = [
    ch("Twist14m", Defect, Normal, [0.0, 7.0], [2.0, 0.0, 0.4], 0.3, 3),
    ch("Twist2m", Defect, Normal, [0.0, 3.0], [1.6, 0.0, 0.3], 0.3, 3),
    ch("BounceFrt", Defect, Normal, [0.0, 0.3], [1.3, 0.0, 0.2], 0.3, 4),
    ch("BounceRr", Defect, Normal, [0.0, 0.3], [1.0, 0.0, 0.2], 0.3, 4),
    ch("BodyRockFrt", Noise, Normal, [0.0, 1.4], [0.0; 3], 0.3, 3),
    ch("BodyRockRr", Noise, Normal, [0.0, 1.4], [0.0; 3], 0.3, 3),
    ch("LP1", Noise, Normal, [100.0, 8.0], [0.0; 3], 0.2, 2),
    ch("LP2", Noise, Normal, [100.0, 8.0], [0.0; 3], 0.2, 2),
    ch("LP3", Noise, Normal, [100.0, 8.0], [0.0; 3], 0.2, 2),
    ch("LP4", Noise, Normal, [100.0, 8.0], [0.0; 3], 0.2, 2),
    ch("Speed", Confounder, Normal, [SPEED_MEAN, SPEED_SD], [0.0; 3], 0.0, 2),
    ch("BrakeCylinder", Noise, LogNormal, [20.0, 1.2], [0.0; 3], 0.1, 2),
    ch("IntrainForce", Noise, Normal, [0.0, 40.0], [0.0; 3], 0.1, 2),
    ch("Acc1", Confounded, LogNormal, [0.08, 0.6], [0.0, 0.9, 0.0], 0.2, 5),
    ch("Acc2", Confounded, LogNormal, [0.08, 0.6], [0.0, 0.9, 0.0], 0.2, 5),
    ch("Acc3", Confounded, LogNormal, [0.08, 0.6], [0.0, 0.9, 0.0], 0.2, 5),
    ch("Acc4", Confounded, LogNormal, [0.08, 0.6], [0.0, 0.9, 0.0], 0.2, 5),
    ch("Acc1_RMS", Defect, LogNormal, [0.03, 0.4], [0.9, 0.8, 0.0], 0.2, 5),
    ch("Acc2_RMS", Defect, LogNormal, [0.03, 0.4], [0.7, 0.8, 0.0], 0.2, 5),
    ch("Acc3_RMS", Defect, LogNormal, [0.03, 0.4], [0.6, 0.8, 0.0], 0.2, 5),
    ch("Acc4_RMS", Defect, LogNormal, [0.03, 0.4], [0.5, 0.8, 0.0], 0.2, 5),
    ch("Rail_Pro_L", Defect, Normal, [0.0, 5.0], [1.15, 0.0, 0.0], 0.5, 3),
    ch("Rail_Pro_R", Defect, Normal, [0.0, 5.0], [0.8, 0.0, 0.0], 0.5, 3),
    ch("SND", Noise, Normal, [60.0, 4.0], [0.0; 3], 0.3, 3),
    ch("SND_L", Noise, Normal, [60.0, 4.0], [0.0; 3], 0.3, 3),
    ch("SND_R", Noise, Normal, [60.0, 4.0], [0.0; 3], 0.3, 3),
    ch("VACC", Defect, LogNormal, [0.1, 0.5], [0.75, 0.8, 0.0], 0.2, 5),
    ch("VACC_L", Confounded, LogNormal, [0.1, 0.5], [0.0, 0.8, 0.0], 0.2, 5),
    ch("VACC_R", Confounded, LogNormal, [0.1, 0.5], [0.0, 0.8, 0.0], 0.2, 5),
    ch("Curvature", Noise, Normal, [1e-4, 5e-4], [0.0; 3], 0.98, 7),
    ch("Track_Offset", Noise, Normal, [0.0, 3.0], [0.0; 3], 0.3, 3),
];

/// The state a row's channels depend on.
pub struct RowState {
    /// Defect severity s ∈ [0, 1].
    pub severity: f64,
    /// Latent condition q.
    pub condition: f64,
    /// Standardized speed z_v.
    pub speed_z: f64,
}

impl Channel {
    /// The CSV column name.
    pub fn column(&self) -> String {
        format!("Wagon_{}", self.name)
    }

    /// η_c from the row state, the section offset `u` and fresh noise `e`.
    pub fn eta(&self, row: &RowState, u: f64, e: f64) -> f64 {
        self.defect * row.severity
            + self.speed * row.speed_z
            + self.condition * row.condition
            + self.section_share.sqrt() * u
            + (1.0 - self.section_share).sqrt() * e
    }

    /// The channel value for a given η.
    pub fn value(&self, eta: f64) -> f64 {
        match self.shape {
            Shape::Normal => self.center + self.scale * eta,
            Shape::LogNormal => self.center * (self.scale * eta).exp(),
        }
    }
}
