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
//! encoder layer but the last runs `8×(M×d×d) + 2×(M×d×d_ff) +
//! 2×(M×d_ff×d)` for the linear layers (forward and the input-only
//! backward) and, per head and point, `2×(s×d_h×s) + 4×(s×s×d_h)` for
//! attention; the last layer, on the [CLS] row alone, `4×(M×d×d)` (keys
//! and values) and, on `P` rows, `4×(P×d×d) + 2×(P×d×d_ff) +
//! 2×(P×d_ff×d)`, per head and point `2×(1×d_h×s) + 2×(1×s×d_h) +
//! 2×(s×1×d_h)`. Left out: the classifier head and the forwards of `F(x)`
//! and `F(b)` (about 1–2% of the multiply-adds), so the share reads about
//! a point low.
//!
//! Two shares per round, reference time / pass time:
//! - **share**: every product as raw `sgemm`, as the `ig` bench does. The
//!   pass runs attention's tiny per-head products with its own kernel
//!   (`small_gemm`, no packing), while `sgemm` packs and pays a call per
//!   head and point, so attention's reference runs at about a third of
//!   the linear layers' rate and this share reads high;
//! - **strict**: attention's multiply-adds charged at the rate the same
//!   round measured for the linear layers' products.
//!
//! Run: `cargo bench -p glassbox-explainer --bench gemm_share [-- ROUNDS [ROWS…]]`
//! (default 60 rounds of 4 rows on one thread, 8 on two and one row on
//! two, about 15 s; with ROWS, those rows on one and on two threads).
//! Rounds are short so that a pair sees one machine speed, and they
//! alternate which side runs first. Prints per case the median share
//! over rounds (lowest–highest), the share of each side's fastest round,
//! the median strict share, and the medians and minimums of both times.

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
    /// One of attention's per-head products (else a linear layer's).
    attention: bool,
    m: usize,
    k: usize,
    n: usize,
    count: usize,
    a: Vec<f32>,
    b: Vec<f32>,
}

/// Model sizes the products depend on.
#[derive(Clone, Copy)]
struct Dims {
    /// Tokens (features + [CLS]).
    s: usize,
    d: usize,
    d_ff: usize,
    heads: usize,
    layers: usize,
}

/// The products of one chunk of `points` points (all of its pairs), as
/// `(attention, [m, k, n], count)`.
fn chunk_products(points: usize, g: Dims) -> Vec<(bool, [usize; 3], usize)> {
    let (s, d, dff) = (g.s, g.d, g.d_ff);
    let (m, dh, full) = (points * s, d / g.heads, g.layers.saturating_sub(1));
    let per_head = points * g.heads;
    vec![
        (false, [m, d, d], 8 * full + 4),
        (false, [m, d, dff], 2 * full),
        (false, [m, dff, d], 2 * full),
        (true, [s, dh, s], 2 * full * per_head),
        (true, [s, s, dh], 4 * full * per_head),
        (false, [points, d, d], 4),
        (false, [points, d, dff], 2),
        (false, [points, dff, d], 2),
        (true, [1, dh, s], 2 * per_head),
        (true, [1, s, dh], 2 * per_head),
        (true, [s, 1, dh], 2 * per_head),
    ]
}

/// Every product of `plan`, merged by shape, with random operands.
fn products(plan: &[(usize, usize)], dims: Dims) -> Vec<Product> {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let mut out: Vec<Product> = Vec::new();
    for &(pairs, points) in plan {
        for (attention, [m, k, n], count) in chunk_products(pairs * points, dims) {
            if count == 0 {
                continue;
            }
            match out.iter_mut().find(|p| (p.m, p.k, p.n) == (m, k, n)) {
                Some(p) => p.count += count,
                None => {
                    let a = (0..m * k).map(|_| rng.random_range(-1.0..1.0)).collect();
                    let b = (0..k * n).map(|_| rng.random_range(-1.0..1.0)).collect();
                    out.push(Product { attention, m, k, n, count, a, b });
                }
            }
        }
    }
    out
}

/// Multiply-adds of `products` (times 2: FLOP).
fn flop(products: &[Product]) -> f64 {
    products.iter().map(|p| 2.0 * (p.m * p.k * p.n * p.count) as f64).sum()
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

/// Times of one round: the pass, the linear layers' and attention's
/// products.
struct Round {
    pass: f64,
    linear: f64,
    attention: f64,
}

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let rounds = args.first().copied().unwrap_or(60);
    let cases: Vec<(usize, usize)> = if args.len() > 1 {
        args[1..].iter().flat_map(|&r| [(1, r), (2, r)]).collect()
    } else {
        vec![(1, 4), (2, 8), (2, 1)]
    };
    let model = default_model();
    let f = GltFunction::new(&model);
    let cfg = IgConfig::default();
    let baseline = Baseline::Mean(model.scaler.mean.clone());
    let gc = &model.glt.config;
    let dims = Dims { s: FEATURES + 1, d: gc.d_model, d_ff: gc.d_ff, heads: gc.n_heads, layers: gc.n_blocks };
    println!("pass / raw sgemm on the same products, in {rounds} paired rounds (after one warm-up round):");
    println!(
        "{:<22} {:>8} {:>13} {:>8} {:>8} {:>21} {:>21}",
        "case", "share", "low–high", "of mins", "strict", "pass med / min", "sgemm med / min"
    );
    for (threads, n_rows) in cases {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        let x = rows(n_rows);
        let plan = pool.install(|| chunk_plan(&f, n_rows, cfg.steps, cfg.memory_budget));
        let (attention, linear): (Vec<Product>, Vec<Product>) =
            products(&plan, dims).into_iter().partition(|p| p.attention);
        let (linear_flop, attention_flop) = (flop(&linear), flop(&attention));
        let time = |f: &dyn Fn()| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        };
        let pass = || black_box(pool.install(|| explain(&f, &x, &baseline, &cfg).unwrap()));
        let reference = |p: &[Product]| pool.broadcast(|ctx| run_part(p, ctx.index(), ctx.num_threads()));
        let mut times = Vec::with_capacity(rounds);
        for round in 0..=rounds {
            // Alternate which side runs first.
            let mut pass_t = 0.0;
            if round % 2 == 0 {
                pass_t = time(&|| drop(pass()));
            }
            let linear_t = time(&|| drop(reference(&linear)));
            let attention_t = time(&|| drop(reference(&attention)));
            if round % 2 == 1 {
                pass_t = time(&|| drop(pass()));
            }
            if round > 0 {
                times.push(Round { pass: pass_t, linear: linear_t, attention: attention_t });
            }
        }
        let mut shares: Vec<f64> = times.iter().map(|r| (r.linear + r.attention) / r.pass).collect();
        let mut strict: Vec<f64> =
            times.iter().map(|r| r.linear * (1.0 + attention_flop / linear_flop) / r.pass).collect();
        let mut pass: Vec<f64> = times.iter().map(|r| r.pass).collect();
        let mut reference: Vec<f64> = times.iter().map(|r| r.linear + r.attention).collect();
        let (lo, hi) = shares.iter().fold((f64::MAX, f64::MIN), |(l, h), &s| (l.min(s), h.max(s)));
        let min = |v: &[f64]| v.iter().cloned().fold(f64::MAX, f64::min);
        let (pass_min, ref_min) = (min(&pass), min(&reference));
        println!(
            "{:<22} {:>7.1}% {:>5.1}–{:>5.1}% {:>7.1}% {:>7.1}% {:>8.2} / {:>6.2} ms {:>8.2} / {:>6.2} ms",
            format!("{n_rows} rows, {threads} thread{}", if threads > 1 { "s" } else { "" }),
            100.0 * median(&mut shares),
            100.0 * lo,
            100.0 * hi,
            100.0 * ref_min / pass_min,
            100.0 * median(&mut strict),
            1e3 * median(&mut pass),
            1e3 * pass_min,
            1e3 * median(&mut reference),
            1e3 * ref_min
        );
    }
}
