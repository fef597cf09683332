//! Every op that runs in parallel gives bitwise-identical values and
//! gradients in 1- and 2-thread rayon pools, on shapes large enough to take
//! the parallel paths (and with layouts that take the general ones).

use crate::common::encoder::random;
use glassbox_autodiff::{sum_to_shape, Tape, Tensor, Var};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn rand(shape: &[usize], seed: u64) -> Tensor<f32> {
    random(shape, 1.0, &mut ChaCha8Rng::seed_from_u64(seed))
}

/// The bits of `f`'s value and of the gradients of `Σ seed ⊙ f` toward
/// every input, computed in a pool of `threads` threads.
fn bits(threads: usize, inputs: &[Tensor<f32>], f: &(dyn Fn(&[Var<f32>]) -> Var<f32> + Sync)) -> Vec<Vec<u32>> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        let tape = Tape::new();
        let vars: Vec<Var<f32>> = inputs.iter().map(|t| tape.leaf(t.clone())).collect();
        let y = f(&vars);
        let grads = y.backward_with(rand(y.shape(), 99));
        let to_bits = |t: &Tensor<f32>| t.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        let mut out = vec![to_bits(y.value())];
        out.extend(vars.iter().map(|v| to_bits(grads.get(v).unwrap())));
        out
    })
}

fn same_for_one_and_two_threads(inputs: Vec<Tensor<f32>>, f: impl Fn(&[Var<f32>]) -> Var<f32> + Sync) {
    assert_eq!(bits(1, &inputs, &f), bits(2, &inputs, &f));
}

#[test]
fn broadcasting_arithmetic() {
    let (a, bias, col) = (rand(&[64, 32, 48], 1), rand(&[48], 2).mapv(|v| v + 2.0), rand(&[64, 1, 1], 3));
    same_for_one_and_two_threads(vec![a.clone(), bias.clone()], |v| v[0].add(&v[1]));
    same_for_one_and_two_threads(vec![a.clone(), bias.clone()], |v| v[0].sub(&v[1]));
    same_for_one_and_two_threads(vec![a.clone(), bias.clone()], |v| v[0].mul(&v[1]));
    same_for_one_and_two_threads(vec![a.clone(), bias], |v| v[0].div(&v[1]));
    same_for_one_and_two_threads(vec![a.clone(), col], |v| v[0].mul(&v[1]));
    same_for_one_and_two_threads(vec![a.clone(), a], |v| v[0].permute(&[2, 0, 1]).add(&v[1].permute(&[2, 0, 1])));
}

#[test]
fn sum_to_shape_over_leading_and_inner_axes() {
    let g = rand(&[64, 32, 48], 4);
    for shape in [vec![48], vec![32, 48], vec![32, 1], vec![64, 1, 48], vec![1]] {
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        let two = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
        let (a, b) = (one.install(|| sum_to_shape(g.clone(), &shape)), two.install(|| sum_to_shape(g.clone(), &shape)));
        assert!(a.iter().zip(&b).all(|(x, y)| x.to_bits() == y.to_bits()), "{shape:?}");
    }
}

#[test]
fn softmax_and_log_softmax() {
    let x = rand(&[64, 32, 32], 5);
    for axis in [2, 1] {
        same_for_one_and_two_threads(vec![x.clone()], |v| v[0].softmax(axis));
        same_for_one_and_two_threads(vec![x.clone()], |v| v[0].log_softmax(axis));
    }
}

#[test]
fn attention() {
    let (q, k, v) = (rand(&[64, 31, 64], 11), rand(&[64, 31, 64], 12), rand(&[64, 31, 64], 13));
    same_for_one_and_two_threads(vec![q, k, v], |v| v[0].attention(&v[1], &v[2], 4, None));
}

/// The linear layer with and without its residual, on both splits of
/// the 2-D product: row blocks (many rows, IG's chunk shape) and column
/// blocks (few rows, many columns), each block with its own part of the
/// bias and the residual; and a transposed (strided) residual.
#[test]
fn linear_and_linear_residual() {
    for (m, k, n, seed) in [(640, 64, 64, 20), (64, 256, 512, 24)] {
        let (x, w, b, r) =
            (rand(&[m, k], seed), rand(&[n, k], seed + 1), rand(&[n], seed + 2), rand(&[m, n], seed + 3));
        same_for_one_and_two_threads(vec![x.clone(), w.clone(), b.clone()], |v| v[0].linear(&v[1], &v[2]));
        same_for_one_and_two_threads(vec![x.clone(), w.clone(), b.clone(), r], |v| {
            v[0].linear_residual(&v[1], &v[2], &v[3])
        });
        let rt = rand(&[n, m], seed + 4);
        same_for_one_and_two_threads(vec![x, w, b, rt], |v| v[0].linear_residual(&v[1], &v[2], &v[3].permute(&[1, 0])));
    }
}

#[test]
fn layer_norm() {
    let (x, gamma, beta) = (rand(&[64, 32, 48], 6), rand(&[48], 7), rand(&[48], 8));
    same_for_one_and_two_threads(vec![x.clone(), gamma.clone(), beta.clone()], |v| v[0].layer_norm(&v[1], &v[2], 1e-5));
    let xt = rand(&[48, 64, 32], 9);
    same_for_one_and_two_threads(vec![xt, gamma, beta], |v| v[0].permute(&[1, 2, 0]).layer_norm(&v[1], &v[2], 1e-5));
}

#[test]
fn reductions_shapes_and_indexing() {
    let x = rand(&[64, 32, 48], 10);
    for axes in [vec![0], vec![1], vec![2], vec![0, 1], vec![0, 1, 2]] {
        same_for_one_and_two_threads(vec![x.clone()], |v| v[0].sum_axes(&axes));
    }
    same_for_one_and_two_threads(vec![x.clone()], |v| v[0].permute(&[1, 0, 2]).reshape(&[32, 64 * 48]));
    let rows: Vec<usize> = (0..80).map(|i| (i * 7) % 64).collect();
    same_for_one_and_two_threads(vec![x.clone()], |v| v[0].gather_rows(&rows));
    same_for_one_and_two_threads(vec![x.clone()], |v| v[0].slice(1, 3..30).select(2, 5));
    same_for_one_and_two_threads(vec![x], |v| {
        v[0].gelu().mul_scalar(0.5).dropout(0.25, &mut ChaCha8Rng::seed_from_u64(1))
    });
}
