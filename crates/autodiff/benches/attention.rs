//! Forward + backward (toward q, k and v) of the attention op at the IG
//! pass's chunk shape: 10 sequences of 31 tokens (a chunk of 10 points of
//! a 30-feature GLT), d = 64, 4 heads of 16, f32, on one thread. The
//! per-head products run on `small_gemm`; this times them together with
//! the softmax and its backward, as the pass runs them.
//!
//! Run: `cargo bench -p glassbox-autodiff --bench attention`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use glassbox_autodiff::{Tape, Tensor};
use ndarray::IxDyn;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn bench_attention(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let mut random = || Tensor::<f32>::from_shape_fn(IxDyn(&[10, 31, 64]), |_| rng.random_range(-1.0..1.0));
    let (q, k, v, seed) = (random(), random(), random(), random());
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    c.bench_function("attention_fwd_bwd/10x31x64_4_heads", |bench| {
        pool.install(|| {
            bench.iter(|| {
                let tape = Tape::new();
                let (q, k, v) = (tape.leaf(q.clone()), tape.leaf(k.clone()), tape.leaf(v.clone()));
                black_box(q.attention(&k, &v, 4, None).backward_with(seed.clone()))
            })
        })
    });
}

criterion_group!(benches, bench_attention);
criterion_main!(benches);
