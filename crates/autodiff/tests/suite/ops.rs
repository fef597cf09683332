//! Every op's gradient against central differences in f64 (max error under
//! 1e-6), including broadcasting and non-contiguous inputs.

use crate::common::encoder::random;
use std::sync::Arc;

use glassbox_autodiff::{gradcheck, Tape, Tensor, Var};
use ndarray::{array, ShapeBuilder};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const EPS: f64 = 1e-5;
const TOL: f64 = 1e-6;

fn rand(shape: &[usize], seed: u64) -> Tensor<f64> {
    random(shape, 1.0, &mut ChaCha8Rng::seed_from_u64(seed))
}

/// Strictly positive values in [0.5, 1.5] (for log, sqrt, division).
fn positive(shape: &[usize], seed: u64) -> Tensor<f64> {
    rand(shape, seed).mapv(|v| 1.0 + 0.5 * v)
}

fn check(f: impl Fn(&[Var<f64>]) -> Var<f64>, inputs: Vec<Tensor<f64>>) {
    let report = gradcheck(f, &inputs, EPS, TOL).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.max_error < TOL, "{report:?}");
}

#[test]
fn add_sub_mul_div_with_broadcasting() {
    let (a, b) = (rand(&[3, 1, 4], 1), positive(&[5, 1], 2));
    check(|v| v[0].add(&v[1]), vec![a.clone(), b.clone()]);
    check(|v| v[0].sub(&v[1]), vec![a.clone(), b.clone()]);
    check(|v| v[0].mul(&v[1]), vec![a.clone(), b.clone()]);
    check(|v| v[0].div(&v[1]), vec![a.clone(), b.clone()]);
    check(|v| &(&v[0] * &v[1]) - &v[0], vec![rand(&[2, 3], 3), rand(&[2, 3], 4)]);
}

#[test]
fn scalar_ops_and_neg() {
    let a = rand(&[2, 3], 5);
    check(|v| v[0].neg(), vec![a.clone()]);
    check(|v| v[0].add_scalar(2.5), vec![a.clone()]);
    check(|v| v[0].mul_scalar(-1.5), vec![a.clone()]);
    check(|v| v[0].div_scalar(3.0), vec![a]);
    check(|v| v[0].powf(1.7), vec![positive(&[2, 3], 6)]);
}

#[test]
fn elementwise_functions() {
    let a = rand(&[3, 4], 7).mapv(|v| 2.0 * v);
    let pos = positive(&[3, 4], 8);
    check(|v| v[0].exp(), vec![a.clone()]);
    check(|v| v[0].log(), vec![pos.clone()]);
    check(|v| v[0].sqrt(), vec![pos]);
    check(|v| v[0].tanh(), vec![a.clone()]);
    check(|v| v[0].sigmoid(), vec![a.clone()]);
    check(|v| v[0].gelu(), vec![a.clone()]);
    // Kinks: keep points away from 0 (relu, abs) and from the clamp bounds.
    let away = a.mapv(|v: f64| if v.abs() < 0.1 { v + 0.3 } else { v });
    check(|v| v[0].relu(), vec![away.clone()]);
    check(|v| v[0].abs(), vec![away.clone()]);
    let inside = away.mapv(|v: f64| if (v - 0.5).abs() < 0.05 || (v + 0.5).abs() < 0.05 { v + 0.2 } else { v });
    check(|v| v[0].clamp(-0.5, 0.5), vec![inside]);
}

#[test]
fn matmul_2d_batched_shared_weight_and_transposed_inputs() {
    check(|v| v[0].matmul(&v[1]), vec![rand(&[3, 4], 9), rand(&[4, 2], 10)]);
    check(|v| v[0].matmul(&v[1]), vec![rand(&[2, 3, 3, 4], 11), rand(&[2, 3, 4, 5], 12)]);
    check(|v| v[0].matmul(&v[1]), vec![rand(&[2, 3, 4], 13), rand(&[4, 5], 14)]);
    // Non-contiguous: a leaf stored column-major, and a permuted operand.
    let fortran = Tensor::from_shape_vec(vec![4, 3].f(), rand(&[12], 15).into_raw_vec_and_offset().0).unwrap();
    assert!(!fortran.is_standard_layout());
    check(|v| v[0].matmul(&v[1]), vec![fortran, rand(&[3, 2], 16)]);
    check(|v| v[0].transpose(1, 2).matmul(&v[1]), vec![rand(&[2, 4, 3], 17), rand(&[2, 4, 5], 18)]);
    check(|v| v[0].permute(&[1, 0, 2]).matmul(&v[1]), vec![rand(&[3, 2, 4], 19), rand(&[4, 2], 20)]);
    check(|v| v[0].matmul_t(&v[1]), vec![rand(&[2, 3, 4], 34), rand(&[5, 4], 35)]);
    check(|v| v[0].matmul_t(&v[1]), vec![rand(&[2, 3, 4], 36), rand(&[2, 5, 4], 37)]);
}

#[test]
fn softmax_and_log_softmax_on_every_axis() {
    let a = rand(&[2, 3, 4], 21).mapv(|v| 3.0 * v);
    for axis in 0..3 {
        check(|v| v[0].softmax(axis), vec![a.clone()]);
        check(|v| v[0].log_softmax(axis), vec![a.clone()]);
    }
}

#[test]
fn layer_norm_toward_input_weight_and_bias() {
    check(|v| v[0].layer_norm(&v[1], &v[2], 1e-5), vec![rand(&[2, 3, 6], 22), positive(&[6], 23), rand(&[6], 24)]);
    // Sliced (non-contiguous) input.
    check(
        |v| v[0].slice(1, 1..4).layer_norm(&v[1], &v[2], 1e-5),
        vec![rand(&[5, 5], 25), positive(&[3], 26), rand(&[3], 27)],
    );
}

#[test]
fn reductions() {
    let a = rand(&[2, 3, 4], 28);
    check(|v| v[0].sum_axes(&[0, 2]), vec![a.clone()]);
    check(|v| v[0].mean_axes(&[1]), vec![a.clone()]);
    check(|v| v[0].sum_all(), vec![a.clone()]);
    check(|v| v[0].mean_all(), vec![a]);
}

#[test]
fn shape_and_index_ops() {
    let a = rand(&[2, 3, 4], 29);
    check(|v| v[0].reshape(&[6, 4]), vec![a.clone()]);
    check(|v| v[0].permute(&[2, 0, 1]).reshape(&[4, 6]), vec![a.clone()]);
    check(|v| v[0].transpose(0, 2).mul(&v[0].transpose(0, 2)), vec![a.clone()]);
    check(|v| v[0].unsqueeze(1), vec![a.clone()]);
    check(|v| v[0].slice(2, 1..3), vec![a.clone()]);
    check(|v| v[0].select(1, 2), vec![a.clone()]);
    check(|v| v[0].gather_rows(&[1, 0, 1, 1]), vec![a.clone()]);
    check(|v| Var::concat(&[v[0].clone(), v[1].clone(), v[0].clone()], 1), vec![a, rand(&[2, 1, 4], 30)]);
}

#[test]
fn dropout_with_a_fixed_mask() {
    use rand::SeedableRng;
    let a = rand(&[4, 5], 31);
    check(|v| v[0].dropout(0.3, &mut ChaCha8Rng::seed_from_u64(1)), vec![a]);
}

/// The affine layer toward input, weight and bias, for 2-D and 3-D and
/// non-contiguous inputs.
#[test]
fn linear_toward_input_weight_and_bias() {
    let (w, b) = (rand(&[4, 3], 60), rand(&[4], 61));
    check(|v| v[0].linear(&v[1], &v[2]), vec![rand(&[5, 3], 62), w.clone(), b.clone()]);
    check(|v| v[0].linear(&v[1], &v[2]), vec![rand(&[2, 5, 3], 63), w.clone(), b.clone()]);
    check(|v| v[0].permute(&[1, 0, 2]).linear(&v[1], &v[2]), vec![rand(&[5, 2, 3], 64), w, b]);
}

/// With a constant weight (IG's input-only backward) the tape does not
/// keep the layer's input, and the input gradient is still right; with a
/// tracked weight it keeps it (∂W needs it).
#[test]
fn linear_keeps_its_input_only_for_the_weight_gradient() {
    let (w, b) = (rand(&[4, 3], 76), rand(&[4], 77));
    let tape = Tape::new();
    let x = tape.leaf(rand(&[5, 3], 78));
    let _constant_w = x.linear(&Var::constant(w.clone()), &Var::constant(b.clone()));
    assert_eq!(Arc::strong_count(&x.shared()), 2, "x and this handle only");
    let _tracked_w = x.linear(&tape.leaf(w.clone()), &Var::constant(b.clone()));
    assert!(Arc::strong_count(&x.shared()) > 2, "the tape keeps x for ∂W");
    let (wc, bc) = (Var::constant(w), Var::constant(b));
    check(|v| v[0].linear(&wc, &bc), vec![rand(&[2, 5, 3], 79)]);
    check(|v| v[0].linear_residual(&wc, &bc, &v[1]), vec![rand(&[5, 3], 80), rand(&[5, 4], 81)]);
}

/// The affine layer with its residual add, `r + x·Wᵀ + b`, toward all
/// four operands: 2-D, 3-D, a permuted (non-standard) input with a
/// permuted residual (copied into rows), a transposed 2-D residual (read
/// through its strides), and the input used as its own residual (both
/// gradients reach it).
#[test]
fn linear_residual_toward_input_weight_bias_and_residual() {
    let (w, b) = (rand(&[4, 3], 65), rand(&[4], 66));
    let lr = |v: &[Var<f64>]| v[0].linear_residual(&v[1], &v[2], &v[3]);
    check(lr, vec![rand(&[5, 3], 67), w.clone(), b.clone(), rand(&[5, 4], 68)]);
    check(lr, vec![rand(&[2, 5, 3], 69), w.clone(), b.clone(), rand(&[2, 5, 4], 70)]);
    check(
        |v| v[0].permute(&[1, 0, 2]).linear_residual(&v[1], &v[2], &v[3].permute(&[1, 0, 2])),
        vec![rand(&[5, 2, 3], 71), w.clone(), b.clone(), rand(&[5, 2, 4], 72)],
    );
    check(
        |v| v[0].linear_residual(&v[1], &v[2], &v[3].permute(&[1, 0])),
        vec![rand(&[5, 3], 82), w.clone(), b.clone(), rand(&[4, 5], 83)],
    );
    let square = (rand(&[3, 3], 73), rand(&[3], 74));
    check(|v| v[0].linear_residual(&v[1], &v[2], &v[0]), vec![rand(&[2, 5, 3], 75), square.0, square.1]);
}

/// The fused attention toward q, k and v: head widths that fill the
/// kernel's register blocks (16) or not (3, 5), more than one register
/// block of keys (S = 19 > 16), with and without a dropout mask.
#[test]
fn attention_toward_queries_keys_and_values() {
    use glassbox_autodiff::dropout_mask;
    use rand::SeedableRng;
    for (n, s, d, heads, seed) in [(2, 5, 6, 2, 40), (1, 19, 10, 2, 41), (2, 3, 32, 2, 42)] {
        let qkv = || vec![rand(&[n, s, d], seed), rand(&[n, s, d], seed + 10), rand(&[n, s, d], seed + 20)];
        check(|v| v[0].attention(&v[1], &v[2], heads, None), qkv());
        let mask: Tensor<f64> = dropout_mask(&[n, heads, s, s], 0.3, &mut ChaCha8Rng::seed_from_u64(seed));
        check(|v| v[0].attention(&v[1], &v[2], heads, Some(mask.clone())), qkv());
    }
}

/// Attention with fewer (or more) queries than keys, `q [N, S_q, d]`,
/// `k, v [N, S, d]`: gradients toward all three, with and without a mask
/// `[N, H, S_q, S]`, including one query (the [CLS] row) and S_q > 16.
#[test]
fn attention_with_other_query_counts() {
    use glassbox_autodiff::dropout_mask;
    use rand::SeedableRng;
    for (n, sq, s, d, heads, seed) in [(2, 1, 5, 6, 2, 60), (1, 3, 19, 8, 2, 61), (2, 18, 4, 4, 1, 62)] {
        let qkv = || vec![rand(&[n, sq, d], seed), rand(&[n, s, d], seed + 10), rand(&[n, s, d], seed + 20)];
        check(|v| v[0].attention(&v[1], &v[2], heads, None), qkv());
        let mask: Tensor<f64> = dropout_mask(&[n, heads, sq, s], 0.3, &mut ChaCha8Rng::seed_from_u64(seed));
        check(|v| v[0].attention(&v[1], &v[2], heads, Some(mask.clone())), qkv());
    }
}

/// The first query's row alone gives, bit for bit, that row of full
/// self-attention, and the same gradients toward the keys and values
/// when only that row's output is used (the shortcut the GLT takes in
/// its last block); no queries give zero gradients.
#[test]
fn one_query_is_that_row_of_self_attention() {
    use glassbox_autodiff::Tape;
    let (n, s, d, heads) = (3, 21, 8, 2);
    let (x, seed) = (rand(&[n, s, d], 70), rand(&[n, 1, d], 71));
    let run = |rows: usize| {
        let tape = Tape::new();
        let (q, k, v) = (tape.leaf(x.clone()), tape.leaf(x.clone()), tape.leaf(x.clone()));
        let y = q.slice(1, 0..rows).attention(&k, &v, heads, None).slice(1, 0..rows.min(1));
        let g = y.backward_with(seed.slice(ndarray::s![.., 0..rows.min(1), ..]).to_owned().into_dyn());
        let grads: Vec<Tensor<f64>> = [&q, &k, &v].iter().map(|t| g.get(t).unwrap().clone()).collect();
        (y.value().clone(), grads)
    };
    let ((y1, g1), (ys, gs)) = (run(1), run(s));
    assert_eq!(y1, ys);
    for (a, b) in g1.iter().zip(&gs) {
        assert!(a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-14 * (1.0 + y.abs())), "{a:?} vs {b:?}");
    }
    assert!(g1[1].iter().any(|&v| v != 0.0), "the keys get a gradient");
    let (_, g0) = run(0);
    assert!(g0.iter().all(|g| g.iter().all(|&v| v == 0.0)));
}

/// The fused attention computes what the composed ops compute (to
/// rounding), values and gradients, with a dropout mask.
#[test]
fn attention_equals_the_composed_ops() {
    use glassbox_autodiff::{dropout_mask, Tape};
    use rand::SeedableRng;
    let (n, s, d, heads) = (3, 7, 12, 3);
    let dh = d / heads;
    let (q, k, v) = (rand(&[n, s, d], 50), rand(&[n, s, d], 51), rand(&[n, s, d], 52));
    let seed = rand(&[n, s, d], 53);
    let mask: Tensor<f64> = dropout_mask(&[n, heads, s, s], 0.25, &mut ChaCha8Rng::seed_from_u64(3));
    let run = |fused: bool| {
        let tape = Tape::new();
        let (qv, kv, vv) = (tape.leaf(q.clone()), tape.leaf(k.clone()), tape.leaf(v.clone()));
        let y = if fused {
            qv.attention(&kv, &vv, heads, Some(mask.clone()))
        } else {
            let split = |x: &Var<f64>| x.reshape(&[n, s, heads, dh]).permute(&[0, 2, 1, 3]);
            let scores = split(&qv).matmul_t(&split(&kv)).mul_scalar(1.0 / (dh as f64).sqrt());
            let p = scores.softmax(3).mul(&Var::constant(mask.clone()));
            p.matmul(&split(&vv)).permute(&[0, 2, 1, 3]).reshape(&[n, s, d])
        };
        let g = y.backward_with(seed.clone());
        let grads: Vec<Tensor<f64>> = [&qv, &kv, &vv].iter().map(|x| g.get(x).unwrap().clone()).collect();
        (y.value().clone(), grads)
    };
    let ((y1, g1), (y2, g2)) = (run(true), run(false));
    let close = |a: &Tensor<f64>, b: &Tensor<f64>| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12);
    assert!(close(&y1, &y2));
    assert!(g1.iter().zip(&g2).all(|(a, b)| close(a, b)));
}

#[test]
fn feature_affine_toward_input_weight_and_bias() {
    check(|v| v[0].feature_affine(&v[1], &v[2]), vec![rand(&[3, 4], 60), rand(&[4, 5], 61), rand(&[4, 5], 62)]);
    // A transposed (non-standard) input.
    let zt = rand(&[4, 3], 63).reversed_axes();
    check(|v| v[0].feature_affine(&v[1], &v[2]), vec![zt, rand(&[4, 5], 64), rand(&[4, 5], 65)]);
}

/// The fused per-feature affine map gives the bits of the composed ops
/// `z.unsqueeze(2).mul(W).add(B)` it replaces in the tokenizer, values and
/// all three gradients, in f32, with lanes longer and shorter than 8.
#[test]
fn feature_affine_gives_the_bits_of_the_composed_ops() {
    // (520, 8, 8) has 33 280 elements, past the composed ops' parallel
    // paths' threshold; d = 1 with a zero row of W and a negative seed
    // gives −0 products, which a sum from zero would turn into +0.
    let cases = [(5, 7, 64), (3, 4, 5), (2, 3, 17), (0, 3, 8), (4, 0, 3), (520, 8, 8), (6, 3, 1)];
    for (n, f, d) in cases {
        let to32 = |t: Tensor<f64>| t.mapv(|v| v as f32);
        let (z, mut w, b) = (to32(rand(&[n, f], 70)), to32(rand(&[f, d], 71)), to32(rand(&[f, d], 72)));
        let mut seed = to32(rand(&[n, f, d], 73));
        if d == 1 {
            w.index_axis_mut(ndarray::Axis(0), 0).fill(0.0);
            seed.mapv_inplace(|v| -v.abs() - 0.5);
        }
        let run = |fused: bool| {
            let tape = Tape::new();
            let (zv, wv, bv) = (tape.leaf(z.clone()), tape.leaf(w.clone()), tape.leaf(b.clone()));
            let y = if fused { zv.feature_affine(&wv, &bv) } else { zv.unsqueeze(2).mul(&wv).add(&bv) };
            let g = y.backward_with(seed.clone());
            let mut bits: Vec<u32> = y.value().iter().map(|v| v.to_bits()).collect();
            for x in [&zv, &wv, &bv] {
                bits.extend(g.get(x).unwrap().iter().map(|v| v.to_bits()));
            }
            bits
        };
        assert_eq!(run(true), run(false), "n {n}, f {f}, d {d}");
    }
}

/// With d = 0 every score is an empty sum: attention gives empty outputs
/// and gradients (the saved probabilities are written, 1/S each, not left
/// uninitialised).
#[test]
fn attention_of_zero_width() {
    let tape = Tape::new();
    let q = tape.leaf(Tensor::<f64>::zeros(ndarray::IxDyn(&[2, 3, 0])));
    let y = q.attention(&q, &q, 1, None);
    assert_eq!(y.shape(), [2, 3, 0]);
    let g = y.backward_with(Tensor::zeros(ndarray::IxDyn(&[2, 3, 0])));
    assert_eq!(g.get(&q).unwrap().shape(), [2, 3, 0]);
}

#[test]
fn weighted_cross_entropy() {
    check(|v| v[0].cross_entropy(&[0, 2, 1, 2], None), vec![rand(&[4, 3], 32)]);
    check(|v| v[0].cross_entropy(&[0, 2, 1, 2], Some(&[0.2, 1.5, 3.0])), vec![rand(&[4, 3], 33)]);
}

#[test]
fn softmax_log_softmax_and_cross_entropy_are_stable_at_1e4() {
    let z: Tensor<f64> = array![[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4 + 1.0]].into_dyn();
    let p = Var::constant(z.clone()).softmax(1);
    assert!(p.value().iter().all(|v| v.is_finite()));
    assert_eq!(p.value()[[0, 0]], 1.0);
    let lp = Var::constant(z.clone()).log_softmax(1);
    assert_eq!(lp.value()[[0, 1]], -2e4);
    assert!((lp.value()[[1, 2]] - (-(1.0 + 2.0 * (-1.0f64).exp()).ln())).abs() < 1e-12);
    let ce = Var::constant(z.clone()).cross_entropy(&[1, 2], None);
    assert!((ce.value()[[]] - (2e4 + (1.0 + 2.0 * (-1.0f64).exp()).ln()) / 2.0).abs() < 1e-9);
    // Gradients stay finite and exact there too (f32 logits as in models).
    let tape = glassbox_autodiff::Tape::<f32>::new();
    let zf = tape.leaf(z.mapv(|v| v as f32));
    let g = zf.cross_entropy(&[1, 2], None).backward();
    let dz = g.get(&zf).unwrap();
    assert!(dz.iter().all(|v| v.is_finite()));
    assert_eq!(dz[[0, 0]], 0.5); // (softmax − onehot)/N = (1 − 0)/2
    assert_eq!(dz[[0, 1]], -0.5);
    check(|v| v[0].log_softmax(1), vec![z.mapv(|v| v / 1e4 * 30.0)]);
}
