//! Forward + backward (toward the input and every parameter) of the
//! one-block pre-norm encoder on 256 sequences of 32 tokens, d = 64,
//! 4 heads, d_ff = 128, f32, in 1- and 2-thread rayon pools, next to raw
//! `sgemm` on the block's largest product shape (8192×64 · 64×128).
//! Throughput counts matrix-product FLOP only (forward F, backward 2F), so
//! `Gelem/s` reads as achieved GFLOP/s.
//!
//! Run: `cargo bench -p glassbox-autodiff --bench encoder`

#[path = "../tests/suite/common/encoder.rs"]
mod encoder;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use encoder::{encoder_block, forward_flops, init_params, random, Dims};
use glassbox_autodiff::{Tape, Tensor, Var};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

const DIMS: Dims = Dims { d: 64, heads: 4, d_ff: 128 };
const BATCH: usize = 256;
const TOKENS: usize = 32;

fn bench_encoder(c: &mut Criterion) {
    let mut group = c.benchmark_group("encoder_fwd_bwd_f32");
    group.sample_size(20);
    let flops = 3.0 * forward_flops(BATCH, TOKENS, DIMS);
    group.throughput(Throughput::Elements(flops as u64));
    let x: Tensor<f32> = random(&[BATCH, TOKENS, DIMS.d], 1.0, &mut ChaCha8Rng::seed_from_u64(1));
    let params: Vec<Tensor<f32>> = init_params(DIMS, 2);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |bench, _| {
            pool.install(|| {
                bench.iter(|| {
                    let tape = Tape::new();
                    let xv = tape.leaf(x.clone());
                    let pv: Vec<Var<f32>> = params.iter().map(|p| tape.leaf(p.clone())).collect();
                    let loss = encoder_block(&xv, &pv, DIMS).mean_all();
                    black_box(loss.backward())
                })
            })
        });
    }
    group.finish();

    // The GEMM rate on the block's own largest product, for comparison.
    let mut gemm = c.benchmark_group("encoder_reference_sgemm");
    let (m, k, n) = (BATCH * TOKENS, DIMS.d, DIMS.d_ff);
    gemm.throughput(Throughput::Elements(2 * (m * k * n) as u64));
    let a: Vec<f32> = (0..m * k).map(|i| (i % 13) as f32 * 0.1).collect();
    let b: Vec<f32> = (0..k * n).map(|i| (i % 7) as f32 * 0.1).collect();
    gemm.bench_function("8192x64x128", |bench| {
        let mut out = vec![0f32; m * n];
        bench.iter(|| unsafe {
            matrixmultiply::sgemm(
                m,
                k,
                n,
                1.0,
                a.as_ptr(),
                k as isize,
                1,
                b.as_ptr(),
                n as isize,
                1,
                0.0,
                out.as_mut_ptr(),
                n as isize,
                1,
            );
            black_box(&out);
        })
    });
    gemm.finish();
}

criterion_group!(benches, bench_encoder);
criterion_main!(benches);
