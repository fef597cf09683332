//! Training speed of the default GLT (SPEC §3: d = 64, 4 heads, 3 blocks,
//! d_ff = 128, batch 256) on 30 features: one pass of `run_epoch` (forward
//! with dropout, weighted cross-entropy, backward toward every parameter,
//! AdamW, proximal step) over 4 096 rows drawn from a 20 000 × 30 table,
//! in 1- and 2-thread pools. Throughput is in samples, so `Kelem/s` reads
//! as thousands of samples per second; a full 20 000-row epoch takes
//! 20 000 / rate. Achieved GFLOP/s = rate × FLOP per sample (printed at
//! start: matrix products only, forward + backward = 3 × forward).
//!
//! Run: `cargo bench -p glassbox-glt --bench train_epoch`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use glassbox_autodiff::Tensor;
use glassbox_glt::examples::Examples;
use glassbox_glt::fit::{balanced_class_weights, FitOptions, Problem};
use glassbox_glt::group_lasso::GroupLasso;
use glassbox_glt::optim::AdamW;
use glassbox_glt::scaler::Scaler;
use glassbox_glt::{Glt, GltConfig};
use ndarray::{Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const ROWS: usize = 20_000;
const FEATURES: usize = 30;
const BENCH_ROWS: usize = 4096;

/// FLOP of one forward pass of one sample (matrix products only).
fn forward_flops(c: &GltConfig) -> f64 {
    let (s, d, dff) = ((c.n_features + 1) as f64, c.d_model as f64, c.d_ff as f64);
    let per_block = s * (8.0 * d * d + 4.0 * d * dff + 4.0 * s * d);
    c.n_blocks as f64 * per_block + 2.0 * d * c.n_classes as f64
}

fn bench(c: &mut Criterion) {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let x = Array2::from_shape_fn((ROWS, FEATURES), |_| rng.random_range(-2.0..2.0f64));
    let y: Vec<usize> = x.axis_iter(Axis(0)).map(|r| usize::from(r[0] + r[1] > 1.5)).collect();
    let scaler = Scaler::fit(x.view());
    let rows: Vec<usize> = (0..BENCH_ROWS).map(|i| i * (ROWS / BENCH_ROWS)).collect();
    let set =
        Examples::new(x.select(Axis(0), &rows).mapv(|v| v as f32).into_dyn(), rows.iter().map(|&r| y[r]).collect())
            .unwrap();
    let glt = Glt::new(GltConfig::tabular(FEATURES, 2)).unwrap();
    let flops = 3.0 * forward_flops(&glt.config);
    eprintln!("FLOP per sample (fwd+bwd): {:.3} M; GFLOP/s = samples/s × {:.6}", flops / 1e6, flops / 1e9);
    let problem = Problem {
        glt: &glt,
        scaler: &scaler,
        train: &set,
        val: &set,
        class_weights: balanced_class_weights(&set.y, 2),
    };
    let opts = FitOptions::default();
    let lasso = GroupLasso::new(0.01, (0..FEATURES).map(|f| vec![f]).collect());

    let mut group = c.benchmark_group("train_epoch_default_glt");
    group.sample_size(10);
    group.throughput(Throughput::Elements(BENCH_ROWS as u64));
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            pool.install(|| {
                let init = glt.layout.init(3);
                let mut adam = AdamW::new(&init, opts.lr, opts.weight_decay);
                let mut params: Vec<Arc<Tensor<f32>>> = init.into_iter().map(Arc::new).collect();
                let (mut epoch, mut order) = (0, Vec::new());
                b.iter(|| {
                    epoch += 1;
                    black_box(problem.run_epoch(&mut params, &mut adam, &lasso, &opts, epoch, &mut order))
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
