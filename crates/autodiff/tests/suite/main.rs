//! The integration tests of glassbox-autodiff, as one test binary: each
//! file used to be its own binary that compiled and optimised the generic
//! ops for f32 and f64 again (30–100 s apiece in a release build).
//!
//! Run one part with a filter, e.g. `cargo test -p glassbox-autodiff --release --test suite ops::`.

mod common;
mod determinism;
mod encoder;
mod ops;
mod properties;
