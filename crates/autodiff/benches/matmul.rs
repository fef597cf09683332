//! Our `Var::matmul` against raw `matrixmultiply::sgemm` on the same
//! square f32 matrices, in the same run. Throughput is in FLOP (2·n³), so
//! criterion's `Gelem/s` reads as GFLOP/s.
//!
//! - `sgemm`: the raw kernel into a preallocated output, one thread.
//! - `ours_1thread`: `Var::matmul` (output allocation, dispatch, tape
//!   check) in a 1-thread rayon pool: the wrapper's overhead.
//! - `ours_2threads`: the same in a 2-thread pool (row blocks in parallel).
//!
//! Run: `cargo bench -p glassbox-autodiff --bench matmul`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use glassbox_autodiff::{Tensor, Var};
use ndarray::IxDyn;

fn square(n: usize, salt: usize) -> Tensor<f32> {
    Tensor::from_shape_fn(IxDyn(&[n, n]), |i| ((i[0] * 31 + i[1] * 17 + salt) % 97) as f32 / 97.0 - 0.5)
}

fn bench_matmul(c: &mut Criterion) {
    let mut group = c.benchmark_group("matmul_f32");
    let pools: Vec<(usize, rayon::ThreadPool)> =
        [1, 2].into_iter().map(|t| (t, rayon::ThreadPoolBuilder::new().num_threads(t).build().unwrap())).collect();
    for n in [64usize, 256, 1024] {
        group.throughput(Throughput::Elements(2 * (n * n * n) as u64));
        if n >= 1024 {
            group.sample_size(20);
        }
        let (a, b) = (Arc::new(square(n, 1)), Arc::new(square(n, 2)));
        group.bench_with_input(BenchmarkId::new("sgemm", n), &n, |bench, &n| {
            let mut out = vec![0f32; n * n];
            bench.iter(|| unsafe {
                matrixmultiply::sgemm(
                    n,
                    n,
                    n,
                    1.0,
                    a.as_ptr(),
                    n as isize,
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
        for (threads, pool) in &pools {
            let name = if *threads == 1 { "ours_1thread" } else { "ours_2threads" };
            group.bench_with_input(BenchmarkId::new(name, n), &n, |bench, _| {
                pool.install(|| {
                    bench.iter(|| {
                        let (x, y) = (Var::constant_shared(a.clone()), Var::constant_shared(b.clone()));
                        black_box(x.matmul(&y))
                    })
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_matmul);
criterion_main!(benches);
