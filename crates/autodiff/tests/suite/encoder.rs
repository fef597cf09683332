//! The one-block encoder composite: gradcheck toward input and parameters,
//! no parameter products when parameters are frozen, and bitwise-equal
//! results for 1 and 2 rayon threads.

use crate::common::encoder::{encoder_block, init_params, random, Dims};
use glassbox_autodiff::{gradcheck, products_run, Tape, Tensor, Var};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const SMALL: Dims = Dims { d: 8, heads: 2, d_ff: 12 };

#[test]
fn encoder_block_gradients_match_central_differences() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let x: Tensor<f64> = random(&[3, 5, SMALL.d], 1.0, &mut rng);
    let mut inputs = vec![x];
    inputs.extend(init_params::<f64>(SMALL, 11));
    let report = gradcheck(|v| encoder_block(&v[0], &v[1..], SMALL), &inputs, 1e-5, 1e-6).unwrap();
    assert_eq!(report.errors.len(), 17);
    assert!(report.max_error < 1e-6, "{report:?}");
}

fn products_of_backward(track_params: bool) -> (u64, u64, usize) {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let tape = Tape::<f64>::new();
    let x = tape.leaf(random(&[2, 4, SMALL.d], 1.0, &mut rng));
    let params: Vec<Var<f64>> =
        init_params(SMALL, 5).into_iter().map(|p| if track_params { tape.leaf(p) } else { Var::constant(p) }).collect();
    let before = products_run();
    let y = encoder_block(&x, &params, SMALL).sum_all();
    let forward = products_run() - before;
    let grads = y.backward();
    let backward = products_run() - before - forward;
    assert!(grads.get(&x).is_some());
    let param_grads = params.iter().filter(|p| grads.get(p).is_some()).count();
    (forward, backward, param_grads)
}

#[test]
fn frozen_parameters_get_no_gradient_and_no_products() {
    // Forward: q, k, v, o, ffn up, ffn down + scores + context = 8 products.
    // Input-only backward: one product per linear layer (∂x = g·Wᵀ, 6) and
    // two per attention product (both sides depend on x, 4) = 10.
    let (fwd, bwd, param_grads) = products_of_backward(false);
    assert_eq!((fwd, bwd, param_grads), (8, 10, 0));
    // Tracking the parameters adds the 6 weight products ∂W = xᵀ·g.
    let (fwd, bwd, param_grads) = products_of_backward(true);
    assert_eq!((fwd, bwd, param_grads), (8, 16, 16));
}

#[test]
fn no_grad_inference_builds_no_tape() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let x = Var::constant(random::<f32>(&[2, 4, SMALL.d], 1.0, &mut rng));
    let params: Vec<Var<f32>> = init_params(SMALL, 2).into_iter().map(Var::constant).collect();
    let y = encoder_block(&x, &params, SMALL);
    assert!(!y.requires_grad() && y.tape().is_none());
}

/// Forward + backward toward input and parameters, on a batch large enough
/// to take the parallel paths (row blocks and batched products).
fn run_in_pool(threads: usize) -> Vec<Vec<u32>> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| {
        let dims = Dims { d: 64, heads: 4, d_ff: 128 };
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let tape = Tape::<f32>::new();
        let x = tape.leaf(random(&[24, 32, 64], 1.0, &mut rng));
        let params: Vec<Var<f32>> = init_params(dims, 4).into_iter().map(|p| tape.leaf(p)).collect();
        let y = encoder_block(&x, &params, dims);
        let grads = y.backward_with(random(&[24, 32, 64], 1.0, &mut rng));
        let bits = |t: &Tensor<f32>| t.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        let mut out = vec![bits(y.value()), bits(grads.get(&x).unwrap())];
        out.extend(params.iter().map(|p| bits(grads.get(p).unwrap())));
        out
    })
}

#[test]
fn results_are_bitwise_identical_for_one_and_two_threads() {
    assert_eq!(run_in_pool(1), run_in_pool(2));
}
