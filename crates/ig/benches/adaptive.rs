//! The adaptive engine against tolerance (doubling) mode and against the
//! smallest fixed Gauss–Legendre n that meets the criterion on every row,
//! on the synthetic smooth and saturated nets of `tests/suite/common.rs` (64 rows,
//! zero baseline, class-1 probability), in f64 and f32.
//!
//! At start it prints, per model and precision, the gradient evaluations
//! per row (mean, max) of each integration and how many rows meet
//! `|δ| ≤ max(1e-3·|ΔF|, 1e-6)`; then criterion times the f64 runs
//! (`elem/s` = rows/s).
//!
//! Run: `cargo bench -p glassbox-ig --bench adaptive` (about 2 minutes).

#[path = "../tests/suite/common.rs"]
mod common;

use std::hint::black_box;

use common::{saturated_rows, Net};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use glassbox_ig::{explain, AdaptiveSpec, Baseline, Convergence, Explanation, IgConfig, Precision, Tolerance};

const ROWS: usize = 64;

fn adaptive(precision: Precision) -> IgConfig {
    IgConfig { precision, adaptive: Some(AdaptiveSpec::default()), ..IgConfig::default() }
}

fn doubling(precision: Precision) -> IgConfig {
    IgConfig { precision, tolerance: Some(Tolerance { rel: 1e-3, max_steps: 50 << 10 }), ..IgConfig::default() }
}

fn fixed(precision: Precision, steps: usize) -> IgConfig {
    IgConfig { precision, steps, ..IgConfig::default() }
}

fn met(e: &Explanation) -> usize {
    let c = Convergence::default();
    e.delta.iter().zip(&e.output).filter(|(d, f)| c.met(**d, **f - e.baseline_output)).count()
}

fn stats(e: &Explanation) -> (f64, usize) {
    (e.evaluations.iter().sum::<usize>() as f64 / e.evaluations.len() as f64, *e.evaluations.iter().max().unwrap())
}

/// The smallest n of a grid with every row meeting the criterion.
fn smallest_fixed(m: &Net, precision: Precision) -> Option<usize> {
    let x = saturated_rows(ROWS);
    [5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 400, 600, 800, 1200, 1600, 2400, 3200, 4800, 6400]
        .into_iter()
        .find(|&n| met(&explain(m, &x, &Baseline::Zero, &fixed(precision, n)).unwrap()) == ROWS)
}

fn models() -> [(&'static str, Net); 2] {
    [("smooth", Net { gain: 0.5, sharpness: 1.0 }), ("saturated", Net { gain: 2000.0, sharpness: 2.0 })]
}

fn table() {
    let x = saturated_rows(ROWS);
    println!("| model | precision | integration | evaluations/row mean | max | forward/row | rows meeting |δ| ≤ τ |");
    println!("|---|---|---|---|---|---|---|");
    for (name, m) in models() {
        for precision in [Precision::F64, Precision::F32] {
            let p = format!("{precision:?}").to_lowercase();
            let a = explain(&m, &x, &Baseline::Zero, &adaptive(precision)).unwrap();
            let (mean, max) = stats(&a);
            let conv = a.converged.iter().filter(|&&c| c).count();
            println!(
                "| {name} | {p} | adaptive (default; {conv}/{ROWS} converged) | {mean:.1} | {max} | {} | {}/{ROWS} |",
                a.forward_evaluations[0],
                met(&a)
            );
            let d = explain(&m, &x, &Baseline::Zero, &doubling(precision)).unwrap();
            let (mean, max) = stats(&d);
            println!("| {name} | {p} | doubling from GL-50, rel 1e-3 | {mean:.1} | {max} | 0 | {}/{ROWS} |", met(&d));
            match smallest_fixed(&m, precision) {
                Some(n) => println!("| {name} | {p} | fixed GL-{n} (smallest on the grid meeting τ on every row) | {n} | {n} | 0 | {ROWS}/{ROWS} |"),
                None => println!("| {name} | {p} | fixed GL up to 6400: never every row | – | – | 0 | – |"),
            }
        }
    }
}

fn bench(c: &mut Criterion) {
    table();
    let x = saturated_rows(ROWS);
    for (name, m) in models() {
        let n = smallest_fixed(&m, Precision::F64).unwrap_or(6400);
        let mut g = c.benchmark_group(format!("{name}_f64"));
        g.sample_size(10).throughput(Throughput::Elements(ROWS as u64));
        g.bench_function("adaptive", |b| {
            b.iter(|| explain(&m, black_box(&x), &Baseline::Zero, &adaptive(Precision::F64)))
        });
        g.bench_function("doubling", |b| {
            b.iter(|| explain(&m, black_box(&x), &Baseline::Zero, &doubling(Precision::F64)))
        });
        g.bench_function(format!("fixed_gl_{n}"), |b| {
            b.iter(|| explain(&m, black_box(&x), &Baseline::Zero, &fixed(Precision::F64, n)))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
