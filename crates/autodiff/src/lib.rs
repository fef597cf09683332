//! glassbox-autodiff: n-dimensional tensors (ndarray) and reverse-mode
//! automatic differentiation on a tape.
//!
//! - [`Tensor`]: `ndarray::ArrayD<T>` for `T` = `f32` or `f64` ([`Real`]).
//! - [`Tape`] records ops on values that depend on a leaf requiring
//!   gradients; [`Var::backward`] walks it once in reverse and returns
//!   [`Gradients`] for the leaves. Values that depend on no such leaf are
//!   constants and are never recorded, so inference builds no tape and a
//!   backward toward the inputs computes no parameter gradient.
//! - The ops live in `ops/`, one module each with forward and backward
//!   side by side: matmul (GEMM by matrixmultiply), the affine layer,
//!   multi-head attention (a direct kernel for its tiny products), broadcasting
//!   arithmetic, element-wise functions, softmax, layer norm, reductions,
//!   shape and index ops, dropout and cross-entropy.
//! - [`gradcheck`] proves a gradient against central differences in f64.
//!
//! ```
//! use glassbox_autodiff::{Tape, Var};
//! use ndarray::array;
//!
//! // loss = mean(softmax(x·W)[:, 0]) for a 2×3 input and a frozen 3×2 W.
//! let tape = Tape::<f64>::new();
//! let x = tape.leaf(array![[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]].into_dyn());
//! let w = Var::constant(array![[1.0, -1.0], [0.0, 2.0], [0.5, 0.5]].into_dyn());
//! let p = x.matmul(&w).softmax(1);
//! let loss = p.slice(1, 0..1).mean_all();
//! let grads = loss.backward();
//! assert_eq!(grads.get(&x).unwrap().shape(), &[2, 3]);
//! assert!(grads.get(&w).is_none()); // frozen: no gradient computed
//! ```

mod broadcast;
mod gemm;
mod gradcheck;
mod layout;
mod ops;
mod parallel;
mod pool;
mod real;
mod small_gemm;
mod tape;
mod vector;

pub use broadcast::{broadcast_shape, sum_to_shape};
pub use gradcheck::{gradcheck, GradcheckError, GradcheckReport};
pub use ops::dropout::dropout_mask;
pub use ops::matmul::products_run;
pub use real::{exp_f32, Real};
pub use tape::{Gradients, Tape, Tensor, Var};

/// Re-exported so users name the same ndarray version.
pub use ndarray;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
