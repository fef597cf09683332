//! The ops, one module each: forward and backward side by side.

mod arith;
mod attention;
mod cross_entropy;
pub mod dropout;
mod elementwise;
mod feature_affine;
mod index;
mod layer_norm;
mod linear;
pub mod matmul;
mod reduce;
mod shape;
mod softmax;
