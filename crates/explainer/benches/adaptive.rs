//! The default integration (adaptive) on real GLTs against today's
//! doubling mode (`gausslegendre`, tolerance 1e-3) and against the
//! smallest fixed Gauss–Legendre n meeting the criterion on every row
//! (what a Captum user would have to pick), each with its default
//! precision (adaptive f64, fixed rules f32):
//!
//! - `demo`: the shipped `models/railway-demo.glt` on its 12 rows, zero
//!   baseline (smooth paths);
//! - `saturated`: `benches/saturated.glt` (|logit| > 10 on 96% of rows; see
//!   `saturated.sh`) on its first 200 rows, zero baseline.
//!
//! At start it prints, per model, the gradient evaluations per row (mean,
//! max) of each integration and how many rows meet
//! `|δ| ≤ max(1e-3·|ΔF|, 1e-6)`; then criterion times them
//! (`elem/s` = rows/s). The whole process through the `explain` binary
//! (all rows, worst row, wall time): `benches/adaptive_process.sh`.
//!
//! Run: `cargo bench -p glassbox-explainer --bench adaptive` (about 3 minutes).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use glassbox_explainer::{explain_table, BaselineSpec, ExplainRequest, Integration, RowResult, Table};
use glassbox_glt::Model;
use glassbox_ig::{Convergence, IgConfig};

/// A model, its table and the rows explained.
type Case = (Model, Table, Vec<usize>);

fn load(model: &str, data: &str, rows: usize) -> Case {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let m = Model::load(&dir.join(model)).unwrap();
    let t = Table::load(&m, &dir.join(data), &[], &[]).unwrap();
    let n = rows.min(t.rows());
    (m, t, (0..n).collect())
}

fn models() -> [(&'static str, Case); 2] {
    [
        ("demo", load("../../models/railway-demo.glt", "../../models/railway-demo.csv", usize::MAX)),
        ("saturated", load("benches/saturated.glt", "benches/saturated.csv", 200)),
    ]
}

fn config(method: &str, steps: usize, tolerance: Option<f64>) -> IgConfig {
    let s =
        Integration { method: method.into(), steps, tolerance: tolerance.map(|t| (t, None)), ..Integration::default() };
    s.ig_config().unwrap()
}

fn run(m: &Model, t: &Table, rows: &[usize], ig: &IgConfig) -> Vec<RowResult> {
    let request = ExplainRequest::new(rows.to_vec(), BaselineSpec::Zero, ig.clone());
    explain_table(m, t, &request, &mut |_, _| {}).unwrap().rows
}

fn met(rows: &[RowResult]) -> usize {
    let c = Convergence::default();
    rows.iter().filter(|r| c.met(r.delta, r.output - r.baseline_output)).count()
}

fn stats(rows: &[RowResult]) -> (f64, usize) {
    let e: Vec<usize> = rows.iter().map(|r| r.evaluations).collect();
    (e.iter().sum::<usize>() as f64 / e.len() as f64, *e.iter().max().unwrap())
}

/// The smallest n of 50·2^j (up to 6 400) with every row within τ.
fn smallest_fixed(m: &Model, t: &Table, rows: &[usize]) -> Option<usize> {
    (0..8).map(|j| 50 << j).find(|&n| met(&run(m, t, rows, &config("gausslegendre", n, None))) == rows.len())
}

fn integrations(m: &Model, t: &Table, rows: &[usize]) -> Vec<(String, IgConfig)> {
    let mut out = vec![
        ("adaptive (default)".to_string(), config("adaptive", 50, None)),
        ("doubling: gausslegendre, tolerance 1e-3".to_string(), config("gausslegendre", 50, Some(1e-3))),
    ];
    match smallest_fixed(m, t, rows) {
        Some(n) => {
            out.push((format!("fixed gausslegendre, {n} steps (smallest 50·2^j)"), config("gausslegendre", n, None)))
        }
        None => eprintln!("no fixed gausslegendre n ≤ 6400 meets τ on every row"),
    }
    out
}

fn bench(c: &mut Criterion) {
    let models = models();
    println!("| model | integration | evaluations/row mean | max | rows within τ |");
    println!("|---|---|---|---|---|");
    for (name, (m, t, rows)) in &models {
        for (what, ig) in integrations(m, t, rows) {
            let r = run(m, t, rows, &ig);
            let (mean, max) = stats(&r);
            println!("| {name} | {what} | {mean:.1} | {max} | {}/{} |", met(&r), rows.len());
        }
    }
    for (name, (m, t, rows)) in &models {
        let mut group = c.benchmark_group(format!("adaptive_{name}"));
        group.sample_size(10);
        group.throughput(Throughput::Elements(rows.len() as u64));
        for (what, ig) in integrations(m, t, rows) {
            let id = what.split([' ', ':', ',']).next().unwrap_or("run").to_string();
            group.bench_function(id, |b| b.iter(|| black_box(run(m, t, rows, &ig))));
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
