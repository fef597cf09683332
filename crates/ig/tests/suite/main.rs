//! The integration tests of glassbox-ig, as one test binary: each file
//! used to be its own binary, and each of them compiled and optimised the
//! whole generic explanation pass for f32 and f64 again (60–96 s apiece in
//! a release build). One binary compiles it once.
//!
//! Run one part with a filter, e.g. `cargo test -p glassbox-ig --release --test suite axioms::`.

mod adaptive;
mod axioms;
mod bounded;
mod common;
mod fixed_bits;
mod kronrod;
mod quadrature;
mod targets;
