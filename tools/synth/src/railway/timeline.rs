//! A section's hidden history: its latent condition and its defects.
//!
//! **Condition.** Section `j` has a condition index that degrades linearly
//! with time (years since the first recording, `y`):
//! `q_j(t) = q0_j + r_j · y`, with `q0_j` an AR(1) sequence along the track
//! (`q0_j = 0.5 · q0_{j−1} + √(1 − 0.5²) · N(0, 1)`, neighbouring sections
//! are alike; `q0 ~ N(0, 1)` for the first section of a line) and
//! `r_j ~ U(0, 0.6)` per year. Larger q is worse track.
//!
//! **Defects.** A defect starts with hazard `λ(t) = λ0 · exp(α · q_j(t))` per
//! day, `λ0 = 1/260`, `α = 0.6` (the waiting time is drawn as exponential with the rate at the start
//! of the wait), grows for a life `L ~ U(45, 150)` days with severity
//! `s(t) = ((t − t_start) / L)²`, and breaks the rail at `t_start + L`. The
//! rail is then repaired (severity back to 0) and the next defect can start.
//! The history starts a year before the first recording so the first rows
//! already see defects in progress.
//!
//! **Label.** A recording on day `t` is positive when a break falls in
//! `(t, t + 30]`. With runs every ~13 days about 2.3 recordings precede each
//! break inside the window; λ0 was tuned for ≈ 10 % positive rows (measured:
//! 10.1 % at N = 20 000 and 10.1 % at N = 200 000 with seed 42; 9.3 %–11.6 %
//! over seeds 1–10 at N = 20 000).

use crate::sample::Sampler;

/// Base hazard λ0 per day; tuned so that about 10 % of the rows are positive.
pub const BASE_HAZARD: f64 = 1.0 / 260.0;
/// α: how strongly a poor condition raises the hazard.
pub const CONDITION_HAZARD: f64 = 0.6;
/// Defect life range in days.
pub const LIFE_DAYS: (f64, f64) = (45.0, 150.0);
/// A recording is positive when a break follows within this many days.
pub const WINDOW_DAYS: i64 = 30;
/// AR(1) coefficient of the initial condition along the track.
const CONDITION_AR: f64 = 0.5;
/// Largest condition degradation rate per year.
const MAX_DEGRADATION: f64 = 0.6;

/// The latent condition of one section.
#[derive(Debug, Clone, Copy)]
pub struct Condition {
    pub initial: f64,
    pub per_year: f64,
    /// Day of the first recording (y = 0).
    pub origin: f64,
}

impl Condition {
    /// Draws the next section's condition given the previous section's
    /// initial condition (`None` for the first section of a line).
    pub fn draw(rng: &mut Sampler, previous: Option<f64>, origin: f64) -> Self {
        let z = rng.normal();
        let initial = match previous {
            Some(q) => CONDITION_AR * q + (1.0 - CONDITION_AR * CONDITION_AR).sqrt() * z,
            None => z,
        };
        Condition { initial, per_year: rng.between(0.0, MAX_DEGRADATION), origin }
    }

    /// q(t).
    pub fn at(&self, day: f64) -> f64 {
        self.initial + self.per_year * (day - self.origin) / 365.25
    }
}

/// One defect: it starts, grows and breaks the rail.
#[derive(Debug, Clone, Copy)]
pub struct Defect {
    pub start: f64,
    pub brk: f64,
}

/// The defects of one section up to `last_day`.
pub fn defects(rng: &mut Sampler, condition: &Condition, first_day: f64, last_day: f64) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut t = first_day - 365.0;
    loop {
        let rate = BASE_HAZARD * (CONDITION_HAZARD * condition.at(t)).exp();
        let start = t + rng.exponential(1.0 / rate);
        if start > last_day {
            return out;
        }
        let life = rng.between(LIFE_DAYS.0, LIFE_DAYS.1);
        out.push(Defect { start, brk: start + life });
        t = start + life;
    }
}

/// Severity on `day`: `((day − start)/L)²` inside a defect's life, else 0.
pub fn severity(defects: &[Defect], day: f64) -> f64 {
    defects
        .iter()
        .find(|d| d.start <= day && day < d.brk)
        .map_or(0.0, |d| ((day - d.start) / (d.brk - d.start)).powi(2))
}

/// Whether a break falls in `(day, day + WINDOW_DAYS]`.
pub fn label(defects: &[Defect], day: f64) -> bool {
    defects.iter().any(|d| d.brk > day && d.brk <= day + WINDOW_DAYS as f64)
}
