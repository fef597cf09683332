//! The IG pass's share of the GEMM rate, timed in pairs: each round times
//! the pass on the default model (as in the `ig` bench: 30 features,
//! 50 Gauss–Legendre steps, mean baseline, f32) and then the same
//! products as raw `matrixmultiply::sgemm` calls, back to back on the
//! same threads, so that both halves of a pair see the same machine.
//!
//! On a VM whose speed wanders by 10–30% over seconds (this one), the
//! `ig` bench's share (a median of a 15 s pass over medians of µs GEMM
//! samples taken minutes apart) moves with the machine; a ratio within a
//! pair does not.
//!
//! The reference is every product the pass runs for its chunks
//! ([`chunk_plan`]): per chunk of `P` points (`M = P·s` token rows), each
//! block but the last runs `8×(M×d×d) + 2×(M×d×d_ff) + 2×(M×d_ff×d)` for
//! the linear layers (forward and the input-only backward) and, per head
//! and point, `2×(s×d_h×s) + 4×(s×s×d_h)` for attention; the last block,
//! on the [CLS] row alone, `4×(M×d×d)` (keys and values) and, on `P`
//! rows, `4×(P×d×d) + 2×(P×d×d_ff) + 2×(P×d_ff×d)`, per head and point
//! `2×(1×d_h×s) + 2×(1×s×d_h) + 2×(s×1×d_h)`. The share of a round is
//! reference time / pass time: the pass's time beyond its products is
//! everything else (packing is in both).
//!
//! Run: `cargo bench -p glassbox-explainer --bench gemm_share [-- ROUNDS]`
//! (default 60 rounds; about 15 s). Rounds are short (4 rows on one
//! thread, 8 on two, and one row: tens of ms) so that a pair sees one
//! machine speed. Prints, per case, the median share over rounds, the
//! lowest and highest, the share of the minimum times (each side's
//! fastest round), and the medians and minimums of both times.

use std::hint::black_box;
use std::time::Instant;

use glassbox_explainer::GltFunction;
use glassbox_ig::integrate::chunk_plan;
use glassbox_ig::{explain, Baseline, IgConfig};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod common;
use common::{default_model, rows, sgemm, FEATURES};

/// One product shape `m×k·k×n` and how many times the pass runs it.
struct Product {
    m: usize,
    k: usize,
    n: usize,
    count: usize,
    a: Vec<f32>,
    b: Vec<f32>,
}

/// The products of one chunk of `points` points (all of its pairs).
fn chunk_products(points: usize, (s, d, dff, h, blocks): (usize, usize, usize, usize, usize)) -> Vec<[usize; 4]> {
    let (m, dh, full) = (points * s, d / h, blocks.saturating_sub(1));
    let per_head = points * h;
    vec![
        [m, d, d, 8 * full + 4],
        [m, d, dff, 2 * full],
        [m, dff, d, 2 * full],
        [s, dh, s, 2 * full * per_head],
        [s, s, dh, 4 * full * per_head],
        [points, d, d, 4],
        [points, d, dff, 2],
        [points, dff, d, 2],
        [1, dh, s, 2 * per_head],
        [1, s, dh, 2 * per_head],
        [s, 1, dh, 2 * per_head],
    ]
}

/// Every product of `plan`, merged by shape, with random operands.
fn products(plan: &[(usize, usize)], dims: (usize, usize, usize, usize, usize)) -> Vec<Product> {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut out: Vec<Product> = Vec::new();
    for &(pairs, points) in plan {
        for [m, k, n, count] in chunk_products(pairs * points, dims) {
            if count == 0 {
                continue;
            }
            match out.iter_mut().find(|p| (p.m, p.k, p.n) == (m, k, n)) {
                Some(p) => p.count += count,
                None => {
                    let a = (0..m * k).map(|_| rng.random_range(-1.0..1.0)).collect();
                    let b = (0..k * n).map(|_| rng.random_range(-1.0..1.0)).collect();
                    out.push(Product { m, k, n, count, a, b });
                }
            }
        }
    }
    out
}

/// Runs `count / parts` of each product (the remainder on part 0): one
/// thread's share of the reference.
fn run_part(products: &[Product], part: usize, parts: usize) {
    for p in products {
        let mut c = vec![0f32; p.m * p.n];
        let mine = p.count / parts + if part == 0 { p.count % parts } else { 0 };
        for _ in 0..mine {
            sgemm(p.m, p.k, p.n, &p.a, &p.b, &mut c);
        }
        black_box(&c);
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let rounds: usize =
        std::env::args().skip(1).find(|a| !a.starts_with('-')).and_then(|a| a.parse().ok()).unwrap_or(60);
    let model = default_model();
    let f = GltFunction::new(&model);
    let cfg = IgConfig::default();
    let baseline = Baseline::Mean(model.scaler.mean.clone());
    let gc = &model.glt.config;
    let dims = (FEATURES + 1, gc.d_model, gc.d_ff, gc.n_heads, gc.n_blocks);
    println!("pass / raw sgemm on the same products, in {rounds} paired rounds (after one warm-up round):");
    println!("{:<22} {:>8} {:>13} {:>17} {:>17}", "case", "share", "low–high", "pass med / min", "sgemm med / min");
    for (threads, n_rows) in [(1usize, 4usize), (2, 8), (2, 1)] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let x = rows(n_rows);
        let plan = pool.install(|| chunk_plan(&f, n_rows, cfg.steps, cfg.memory_budget));
        let prods = products(&plan, dims);
        let (mut pass, mut reference, mut shares) = (vec![], vec![], vec![]);
        for round in 0..=rounds {
            let t = Instant::now();
            black_box(pool.install(|| explain(&f, &x, &baseline, &cfg).unwrap()));
            let p = t.elapsed().as_secs_f64();
            let t = Instant::now();
            pool.broadcast(|ctx| run_part(&prods, ctx.index(), ctx.num_threads()));
            let r = t.elapsed().as_secs_f64();
            if round > 0 {
                pass.push(p);
                reference.push(r);
                shares.push(r / p);
            }
        }
        let (lo, hi) = shares.iter().fold((f64::MAX, f64::MIN), |(l, h), &s| (l.min(s), h.max(s)));
        let min = |v: &[f64]| v.iter().cloned().fold(f64::MAX, f64::min);
        let (pass_min, ref_min) = (min(&pass), min(&reference));
        println!(
            "{:<22} {:>7.1}% {:>5.1}–{:>5.1}% {:>8.1}% {:>8.2} / {:>6.2} ms {:>8.2} / {:>6.2} ms",
            format!("{n_rows} rows, {threads} thread{}", if threads > 1 { "s" } else { "" }),
            100.0 * median(&mut shares),
            100.0 * lo,
            100.0 * hi,
            100.0 * ref_min / pass_min,
            1e3 * median(&mut pass),
            1e3 * pass_min,
            1e3 * median(&mut reference),
            1e3 * ref_min
        );
    }
}
