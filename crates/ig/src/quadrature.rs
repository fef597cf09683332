//! Quadrature rules for the path integral `∫₀¹ g(α) dα ≈ Σ_k w_k·g(α_k)`
//! (SPEC §4), nodes and weights in f64 for any `n`.
//!
//! | method | `α_k` (k = 0..n−1) | `w_k` |
//! |---|---|---|
//! | `riemann_left` | `k/n` | `1/n` |
//! | `riemann_right` | `(k+1)/n` | `1/n` |
//! | `riemann_middle` | `(k+½)/n` | `1/n` |
//! | `riemann_trapezoid` | `k/(n−1)` | `1/(n−1)`, halved at both ends |
//! | `gausslegendre` | `(1+ξ_k)/2`, `ξ_k` the roots of `P_n` | `v_k/2` |
//!
//! The trapezoid weights sum to exactly 1 in f64, left to right (Captum's
//! sum to `1 − 1/n`); the last weight absorbs the rounding (≤ 1 ulp).
//! Gauss–Legendre nodes are computed by Newton's method on the Legendre
//! polynomial `P_n` (three-term recurrence), started from
//! `cos(π(k + ¾)/(n + ½))`, with weights `v_k = 2/((1 − ξ²)·P_n′(ξ)²)`.

use std::fmt;
use std::str::FromStr;

use crate::IgError;

/// A quadrature rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Left Riemann sum.
    RiemannLeft,
    /// Right Riemann sum.
    RiemannRight,
    /// Midpoint rule.
    RiemannMiddle,
    /// Trapezoid rule (weights sum to exactly 1).
    RiemannTrapezoid,
    /// Gauss–Legendre (exact for polynomials of degree ≤ 2n − 1).
    #[default]
    #[serde(rename = "gausslegendre")]
    GaussLegendre,
}

impl Method {
    /// Every method, in SPEC order.
    pub const ALL: [Method; 5] = [
        Method::RiemannLeft,
        Method::RiemannRight,
        Method::RiemannMiddle,
        Method::RiemannTrapezoid,
        Method::GaussLegendre,
    ];

    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Method::RiemannLeft => "riemann_left",
            Method::RiemannRight => "riemann_right",
            Method::RiemannMiddle => "riemann_middle",
            Method::RiemannTrapezoid => "riemann_trapezoid",
            Method::GaussLegendre => "gausslegendre",
        }
    }

    /// The smallest step count the rule accepts.
    pub fn min_steps(self) -> usize {
        match self {
            Method::GaussLegendre => 1,
            _ => 2,
        }
    }

    /// Nodes `α_k` and weights `w_k` for `n` steps.
    ///
    /// ```
    /// use glassbox_ig::Method;
    /// let (alphas, weights) = Method::RiemannTrapezoid.nodes(5).unwrap();
    /// assert_eq!(alphas, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    /// assert_eq!(weights.iter().sum::<f64>(), 1.0);
    /// let (xi, w) = Method::GaussLegendre.nodes(2).unwrap(); // ξ = ±1/√3
    /// assert!((xi[0] - (1.0 - 1.0 / 3f64.sqrt()) / 2.0).abs() < 1e-15 && (w[0] - 0.5).abs() < 1e-15);
    /// ```
    pub fn nodes(self, n: usize) -> Result<(Vec<f64>, Vec<f64>), IgError> {
        if n < self.min_steps() {
            return Err(IgError::Steps(format!("{} needs at least {} steps, got {n}", self.name(), self.min_steps())));
        }
        let nf = n as f64;
        let uniform = |shift: f64| ((0..n).map(|k| (k as f64 + shift) / nf).collect(), vec![1.0 / nf; n]);
        Ok(match self {
            Method::RiemannLeft => uniform(0.0),
            Method::RiemannRight => uniform(1.0),
            Method::RiemannMiddle => uniform(0.5),
            Method::RiemannTrapezoid => {
                let h = 1.0 / (nf - 1.0);
                let alphas = (0..n).map(|k| if k == n - 1 { 1.0 } else { k as f64 * h }).collect();
                let mut weights = vec![h; n];
                weights[0] = h / 2.0;
                weights[n - 1] = h / 2.0;
                // Σw = (n−1)·h is 1 only up to rounding. The last weight is
                // 1 − s, s the left-to-right sum of the others: s ≥ ½, so
                // 1 − s is exact (Sterbenz) and s + (1 − s) = 1 exactly.
                let s: f64 = weights[..n - 1].iter().sum();
                weights[n - 1] = 1.0 - s;
                (alphas, weights)
            }
            Method::GaussLegendre => gauss_legendre(n),
        })
    }
}

/// `(P_n(x), P_n′(x))` by the three-term recurrence.
fn legendre(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    for k in 2..=n {
        let kf = k as f64;
        let p2 = ((2.0 * kf - 1.0) * x * p1 - (kf - 1.0) * p0) / kf;
        (p0, p1) = (p1, p2);
    }
    let p = if n == 0 { p0 } else { p1 };
    let dp = if n == 0 { 0.0 } else { n as f64 * (x * p - p0) / (x * x - 1.0) };
    (p, dp)
}

/// Gauss–Legendre nodes on [0, 1] (ascending) and weights.
fn gauss_legendre(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut alphas = vec![0.0; n];
    let mut weights = vec![0.0; n];
    for k in 0..n.div_ceil(2) {
        let mut x = (std::f64::consts::PI * (k as f64 + 0.75) / (n as f64 + 0.5)).cos();
        for _ in 0..100 {
            let (p, dp) = legendre(n, x);
            let dx = p / dp;
            x -= dx;
            if dx.abs() <= 1e-16 * x.abs().max(1.0) {
                break;
            }
        }
        let (_, dp) = legendre(n, x);
        let w = 2.0 / ((1.0 - x * x) * dp * dp);
        // x is the k-th largest root; mirror it for the k-th smallest.
        alphas[n - 1 - k] = (1.0 + x) / 2.0;
        alphas[k] = (1.0 - x) / 2.0;
        weights[n - 1 - k] = w / 2.0;
        weights[k] = w / 2.0;
    }
    if n % 2 == 1 {
        alphas[n / 2] = 0.5;
    }
    (alphas, weights)
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = IgError;
    fn from_str(s: &str) -> Result<Self, IgError> {
        Method::ALL.into_iter().find(|m| m.name() == s).ok_or_else(|| {
            IgError::Config(format!(
                "unknown method '{s}' (expected one of: {})",
                Method::ALL.map(Method::name).join(", ")
            ))
        })
    }
}
