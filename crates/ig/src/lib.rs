//! glassbox-ig: Integrated Gradients (SPEC §4) over any function built on
//! glassbox-autodiff, with exact gradients along the path.
//!
//! `IG_i(x) = (x_i − x'_i) · Σ_k w_k · ∂F(x' + α_k(x − x'))/∂x_i`.
//!
//! - [`Method`] (in `quadrature`): the five rules, nodes and weights in f64.
//! - [`Explainable`]: what a model implements (glassbox-glt's GLT does).
//! - [`Baseline`]: zero, mean, rows, background (`B_bg`), weighted (`B_bgw`).
//! - [`explain`]: the batched, chunked, parallel, deterministic pass, with
//!   deltas and tolerance mode; [`aggregate`]: groups, time steps, global.
//! - [`verify_gradients`]: autodiff vs central differences at a row.

mod adaptive;
pub mod aggregate;
mod attribution;
mod baseline;
mod error;
mod explainable;
pub mod integrate;
pub mod kronrod;
mod quadrature;
mod verify;

pub use adaptive::{AdaptiveSpec, Convergence};
pub use attribution::{explain, Explanation, IgConfig, Precision, Tolerance};
pub use baseline::Baseline;
pub use error::IgError;
pub use explainable::{Explainable, Float, Output};
pub use quadrature::Method;
pub use verify::verify_gradients;
