//! Integrated Gradients on the default GLT (SPEC §3 defaults, 30 features,
//! 2 classes), 50 Gauss–Legendre steps, mean baseline, f32:
//!
//! - `ig_one_row`: latency of one row (50 points);
//! - `ig_1000_rows/threads/{1,2}`: 1 000 rows (50 000 points), throughput
//!   in rows (criterion's `elem/s` = rows/s);
//! - `ig_reference_sgemm/*`: raw `matrixmultiply::sgemm` on each product
//!   shape the pass runs, M being the token rows of one chunk (throughput
//!   in FLOP: `Gelem/s` = GFLOP/s).
//!
//! Per point, the pass runs a forward (linear products L, attention
//! products A) and an input-only backward (one product per linear layer,
//! two per attention product): 2L + 3A FLOP per block, the last block on
//! the [CLS] row alone (fewer products), printed at start together with
//! the per-shape product counts, so the achieved rate and the GEMM rate for
//! the same shapes can be compared (see crates/explainer/README.md).
//!
//! Run: `cargo bench -p glassbox-explainer --bench ig` (about 15 minutes).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use glassbox_explainer::GltFunction;
use glassbox_ig::integrate::chunk_plan;
use glassbox_ig::{explain, Baseline, IgConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod common;
use common::{default_model, rows, sgemm, FEATURES};

fn bench(c: &mut Criterion) {
    let model = default_model();
    let f = GltFunction::new(&model);
    let cfg = IgConfig::default();
    let baseline = Baseline::Mean(model.scaler.mean.clone());
    let gc = &model.glt.config;
    let (s, d, dff, h) = (FEATURES + 1, gc.d_model, gc.d_ff, gc.n_heads);
    let (linear, attention) = (s * (8 * d * d + 4 * d * dff), 4 * s * s * d);
    // The last block runs on the [CLS] row alone (keys and values for all
    // s tokens; the query, output projection and FFN on one row; one query
    // per head), so its products are fewer.
    let (last_linear, last_attention) = (4 * s * d * d + 4 * d * d + 4 * d * dff, 4 * s * d);
    let per_point = (gc.n_blocks.max(1) - 1) as f64 * (2.0 * linear as f64 + 3.0 * attention as f64)
        + 2.0 * last_linear as f64
        + 3.0 * last_attention as f64;
    // Points per chunk of the 1 000-row pass (the longest block's), as
    // the pass plans them on `threads` threads.
    let chunk_points = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| chunk_plan(&f, 1000, cfg.steps, cfg.memory_budget))
            .iter()
            .map(|&(pairs, points)| pairs * points)
            .max()
            .unwrap_or(1)
    };
    eprintln!(
        "IG FLOP per point {:.3} M (per block: linear {} ×2, attention {} ×3; last block {} ×2, {} ×3); points per chunk: {} (1 thread), {} (2 threads)",
        per_point / 1e6,
        linear,
        attention,
        last_linear,
        last_attention,
        chunk_points(1),
        chunk_points(2)
    );

    let mut one = c.benchmark_group("ig_one_row");
    one.sample_size(20);
    one.bench_function("50_steps", |b| b.iter(|| black_box(explain(&f, &rows(1), &baseline, &cfg).unwrap())));
    one.finish();

    let x = rows(1000);
    let mut group = c.benchmark_group("ig_1000_rows");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1000));
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, _| {
            pool.install(|| b.iter(|| black_box(explain(&f, &x, &baseline, &cfg).unwrap())))
        });
    }
    group.finish();

    // Raw sgemm on the pass's product shapes (M = token rows of one chunk).
    let m = chunk_points(1) * s;
    let dh = d / h;
    let mut gemm = c.benchmark_group("ig_reference_sgemm");
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for (name, mm, kk, nn, reps) in [
        ("linear_Mx64x64", m, d, d, 1),
        ("linear_Mx64x128", m, d, dff, 1),
        ("linear_Mx128x64", m, dff, d, 1),
        ("attention_31x16x31_per_head", s, dh, s, chunk_points(1) * h),
        ("attention_31x31x16_per_head", s, s, dh, chunk_points(1) * h),
    ] {
        let a: Vec<f32> = (0..mm * kk).map(|_| rng.random_range(-1.0..1.0)).collect();
        let bm: Vec<f32> = (0..kk * nn).map(|_| rng.random_range(-1.0..1.0)).collect();
        let mut out = vec![0f32; mm * nn];
        gemm.throughput(Throughput::Elements((2 * mm * kk * nn * reps) as u64));
        gemm.bench_function(name, |b| {
            b.iter(|| {
                for _ in 0..reps {
                    sgemm(mm, kk, nn, &a, &bm, &mut out);
                }
                black_box(&out);
            })
        });
    }
    gemm.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
