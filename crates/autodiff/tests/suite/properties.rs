//! Property tests over random shapes (matmul, softmax, layer_norm), and the
//! tape's own rules: accumulation, reachability, tapes kept apart.

use crate::common::encoder::random;
use glassbox_autodiff::{gradcheck, Tape, Tensor, Var};
use ndarray::array;
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn rand(shape: &[usize], seed: u64) -> Tensor<f64> {
    random(shape, 1.0, &mut ChaCha8Rng::seed_from_u64(seed))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn matmul_gradients_for_random_shapes(b in 1usize..3, m in 1usize..6, k in 1usize..6, n in 1usize..6, batched in any::<bool>(), seed in 0u64..1000) {
        let (a, w) = if batched { (rand(&[b, m, k], seed), rand(&[b, k, n], seed + 1)) } else { (rand(&[b, m, k], seed), rand(&[k, n], seed + 1)) };
        let r = gradcheck(|v| v[0].matmul(&v[1]), &[a, w], 1e-5, 1e-6).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(r.max_error < 1e-6);
    }

    #[test]
    fn softmax_gradients_for_random_shapes(shape in prop::collection::vec(1usize..5, 1..4), axis_pick in 0usize..3, seed in 0u64..1000) {
        let axis = axis_pick % shape.len();
        let x = rand(&shape, seed).mapv(|v| 4.0 * v);
        let r = gradcheck(|v| v[0].softmax(axis), &[x], 1e-5, 1e-6).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(r.max_error < 1e-6);
    }

    #[test]
    fn layer_norm_gradients_for_random_shapes(rows in 1usize..5, d in 2usize..9, seed in 0u64..1000) {
        let inputs = [rand(&[rows, d], seed), rand(&[d], seed + 1).mapv(|v| v + 1.5), rand(&[d], seed + 2)];
        let r = gradcheck(|v| v[0].layer_norm(&v[1], &v[2], 1e-5), &inputs, 1e-5, 1e-6).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(r.max_error < 1e-6);
    }

    #[test]
    fn softmax_rows_sum_to_one(shape in prop::collection::vec(1usize..6, 2..4), seed in 0u64..1000) {
        let x = rand(&shape, seed).mapv(|v| 50.0 * v);
        let last = shape.len() - 1;
        let p = Var::constant(x).softmax(last);
        for s in p.value().sum_axis(ndarray::Axis(last)).iter() {
            prop_assert!((s - 1.0).abs() < 1e-12);
        }
    }
}

#[test]
fn gradients_accumulate_over_every_use() {
    // y = x·x + 3x → ∂y/∂x = 2x + 3.
    let tape = Tape::<f64>::new();
    let x = tape.leaf(array![1.0, -2.0].into_dyn());
    let y = (&x * &x).add(&x.mul_scalar(3.0)).sum_all();
    let g = y.backward();
    assert_eq!(g.get(&x).unwrap(), &array![5.0, -1.0].into_dyn());
}

#[test]
fn only_leaves_upstream_of_the_output_get_gradients() {
    let tape = Tape::<f64>::new();
    let (x, unused) = (tape.leaf(array![1.0].into_dyn()), tape.leaf(array![2.0].into_dyn()));
    let _side = unused.exp(); // recorded, but not on the path to y
    let y = x.tanh().sum_all();
    let g = y.backward();
    assert!(g.get(&x).is_some());
    assert!(g.get(&unused).is_none());
    assert_eq!(g.count(), 1);
}

#[test]
fn constants_record_nothing_and_gradients_never_cross_tapes() {
    let tape = Tape::<f64>::new();
    let x = tape.leaf(array![1.0, 2.0].into_dyn());
    let c = Var::constant(array![3.0, 4.0].into_dyn());
    let before = tape.len();
    let _ = c.exp().mul(&c).softmax(0);
    assert_eq!(tape.len(), before, "constant-only work must not touch the tape");
    let other = Tape::<f64>::new();
    let z = other.leaf(array![1.0, 2.0].into_dyn());
    let g = x.mul(&c).sum_all().backward();
    assert!(g.get(&z).is_none());
    assert_eq!(g.get(&x).unwrap(), &array![3.0, 4.0].into_dyn());
}

#[test]
fn backward_with_a_seed_is_a_vector_jacobian_product() {
    let tape = Tape::<f64>::new();
    let x = tape.leaf(array![[1.0, 2.0], [3.0, 4.0]].into_dyn());
    let w = Var::constant(array![[1.0, 0.0], [1.0, 1.0]].into_dyn());
    let y = x.matmul(&w); // [[3, 2], [7, 4]]
    let g = y.backward_with(array![[1.0, 0.0], [0.0, 2.0]].into_dyn());
    // ∂x = seed · wᵀ
    assert_eq!(g.get(&x).unwrap(), &array![[1.0, 1.0], [0.0, 2.0]].into_dyn());
}
