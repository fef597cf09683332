//! glassbox: an interpretable classifier (the Group Lasso Transformer) and
//! exact Integrated Gradients, on our own reverse-mode autodiff.
//!
//! This root crate re-exports the workspace crates under short names:
//!
//! ```
//! use glassbox::autodiff::{Tape, Var};
//! use glassbox::autodiff::ndarray::array;
//!
//! let tape = Tape::<f64>::new();
//! let x = tape.leaf(array![1.0, 2.0].into_dyn());
//! let y = (&x * &x).sum_all();
//! let g = y.backward();
//! assert_eq!(g.get(&x).unwrap(), &array![2.0, 4.0].into_dyn());
//! ```

pub use glassbox_autodiff as autodiff;
pub use glassbox_data as data;
pub use glassbox_evaluation as evaluation;
pub use glassbox_explainer as explainer;
pub use glassbox_glt as glt;
pub use glassbox_ig as ig;
pub use glassbox_plot as plot;

pub mod cli;
pub mod fuzzing;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
