//! glassbox-ig: Integrated Gradients (SPEC §4) over any function built on
//! glassbox-autodiff, with exact gradients along the path.
//!
//! `IG_i(x) = (x_i − x'_i) · Σ_k w_k · ∂F(x' + α_k(x − x'))/∂x_i`.
//!
//! **Fixed or adaptive.** A fixed rule (`IgConfig::default()`: Gauss–Legendre,
//! 50 steps — Captum's numbers, `--method gausslegendre --steps 50`) puts
//! `n` nodes on `[0, 1]` whatever the path does. On a saturated model the
//! probability can jump from 0.001 to 0.99 within `Δα ≈ 0.007`, narrower
//! than the node spacing (≈ 0.03 for n = 50), and completeness fails by up
//! to several times `F(x) − F(x')`. The adaptive engine
//! (`IgConfig::adaptive = Some(AdaptiveSpec::default())`) scans `F` along
//! each path (forward only), places Gauss–Kronrod G7/K15 panels where it
//! moves, and bisects the panels with the largest error (vector-valued:
//! `Σ_i |d_i (K15_i − G7_i)|`, and each panel's own completeness gap) in
//! batched rounds until `|δ| ≤ max(rel·|ΔF|, abs)` and the error estimate
//! is within the same tolerance ([`Convergence`], defaults rel 1e-3, abs
//! 1e-6), under a per-path cap of 2 000 gradient evaluations (then
//! `converged = false`). See `adaptive.rs` and the README. The tools
//! (`explain`, `explain evaluate`) and `glassbox_explainer::Integration`
//! default to it (in f64); this crate's `IgConfig::default()` stays the
//! fixed rule so that its bits never change.
//!
//! - [`Method`] (in `quadrature`): the five rules, nodes and weights in f64;
//!   [`kronrod`]: the G7/K15 pair.
//! - [`Explainable`]: what a model implements (glassbox-glt's GLT does).
//! - [`Baseline`]: zero, mean, rows, background (`B_bg`), weighted (`B_bgw`).
//! - [`explain`]: the batched, chunked, parallel, deterministic pass, with
//!   deltas, tolerance mode and the adaptive engine ([`AdaptiveSpec`]);
//!   [`integrate`]: the batched evaluator; [`aggregate`]: groups, time
//!   steps, global.
//! - [`verify_gradients`]: autodiff vs central differences at a row.

mod adaptive;
pub mod aggregate;
mod attribution;
mod baseline;
mod error;
mod explainable;
mod fixed;
pub mod integrate;
pub mod kronrod;
mod panels;
mod quadrature;
mod scan;
mod verify;

pub use adaptive::{AdaptiveSpec, Convergence};
pub use attribution::{explain, explain_targets, Explanation, IgConfig, Precision, Tolerance};
pub use baseline::Baseline;
pub use error::IgError;
pub use explainable::{Explainable, Float, Output};
pub use quadrature::Method;
pub use verify::verify_gradients;
