//! The default integration (adaptive) on real GLTs: completeness on every
//! row of a deliberately saturated model (where 50 Gauss–Legendre steps
//! miss it on half the rows), agreement with the fixed rule on the smooth
//! demo, and the same bits for any memory budget.

use std::path::PathBuf;
use std::sync::OnceLock;

use glassbox_explainer::{
    explain_table, not_converged, Background, BaselineSpec, ExplainRequest, Integration, RowResult, Table,
};
use glassbox_glt::Model;
use glassbox_ig::{Convergence, IgConfig};

fn file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `benches/saturated.glt` on `benches/saturated.csv` (see `benches/saturated.sh`).
fn saturated() -> &'static (Model, Table) {
    static MODEL: OnceLock<(Model, Table)> = OnceLock::new();
    MODEL.get_or_init(|| {
        let m = Model::load(&file("benches/saturated.glt")).unwrap();
        let t = Table::load(&m, &file("benches/saturated.csv"), &[], &[]).unwrap();
        (m, t)
    })
}

fn demo() -> (Model, Table) {
    let m = Model::load(&file("../../models/railway-demo.glt")).unwrap();
    let t = Table::load(&m, &file("../../models/railway-demo.csv"), &[], &[]).unwrap();
    (m, t)
}

fn run(m: &Model, t: &Table, rows: Vec<usize>, baseline: BaselineSpec, ig: IgConfig) -> Vec<RowResult> {
    explain_table(m, t, &ExplainRequest::new(rows, baseline, ig), &mut |_, _| {}).unwrap().rows
}

fn named(method: &str) -> IgConfig {
    Integration { method: method.into(), ..Integration::default() }.ig_config().unwrap()
}

/// Rows with `|δ| ≤ max(1e-3·|ΔF|, 1e-6)`.
fn within_tolerance(rows: &[RowResult]) -> usize {
    let c = Convergence::default();
    rows.iter().filter(|r| c.met(r.delta, r.output - r.baseline_output)).count()
}

#[test]
fn completeness_on_every_row_of_a_saturated_glt_with_default_settings() {
    let (m, t) = saturated();
    let all: Vec<usize> = (0..t.rows()).collect();
    let fixed = run(m, t, all.clone(), BaselineSpec::Zero, named("gausslegendre"));
    let logit = |r: &RowResult| (r.probabilities[1].ln() - r.probabilities[0].ln()).abs();
    let saturated = fixed.iter().filter(|r| logit(r) > 10.0).count();
    let fixed_ok = within_tolerance(&fixed);
    let worst = fixed.iter().map(|r| r.relative_delta).fold(0.0, f64::max);
    eprintln!(
        "{} rows, {saturated} with |logit| > 10; GL-50 meets τ on {fixed_ok} (worst relative δ {worst:.3})",
        all.len()
    );
    assert!(saturated * 10 >= all.len() * 9, "the model must be saturated: {saturated} of {} rows", all.len());
    assert!(fixed_ok * 10 < all.len() * 7, "a fixed n should fail here: {fixed_ok} rows met τ");

    let rows = run(m, t, all.clone(), BaselineSpec::Zero, Integration::default().ig_config().unwrap());
    let evals: Vec<usize> = rows.iter().map(|r| r.evaluations).collect();
    eprintln!(
        "adaptive (default): {} rows within τ, mean {:.1} / max {} gradient evaluations per row",
        within_tolerance(&rows),
        evals.iter().sum::<usize>() as f64 / evals.len() as f64,
        evals.iter().max().unwrap()
    );
    assert_eq!(not_converged(&rows), None);
    assert_eq!(within_tolerance(&rows), all.len());
    for r in &rows {
        let sum: f64 = r.attributions.iter().sum();
        assert!((sum - (r.output - r.baseline_output) - r.delta).abs() < 1e-9, "row {}", r.index);
        assert!(r.evaluations >= 15 && r.evaluations <= 2000, "row {}: {} evaluations", r.index, r.evaluations);
    }
}

#[test]
fn a_tiny_cap_leaves_rows_unconverged_and_says_so() {
    let (m, t) = saturated();
    let ig = Integration { max_evaluations: Some(15), ..Integration::default() }.ig_config().unwrap();
    let rows = run(m, t, (0..200).collect(), BaselineSpec::Zero, ig);
    let missed = not_converged(&rows).expect("some rows cannot converge with one panel");
    eprintln!(
        "cap 15: {} of 200 rows not converged, worst relative δ {:.3}",
        missed.rows.len(),
        missed.worst_relative_delta
    );
    assert_eq!(missed.of, 200);
    assert!(missed.rows.iter().all(|&i| !rows[i].converged) && rows.iter().all(|r| r.evaluations <= 15));
    assert!(missed.worst_relative_delta > 1e-3);
}

#[test]
fn adaptive_agrees_with_fifty_gauss_legendre_steps_on_the_smooth_demo() {
    // Both integrate the same smooth paths: GL-50 is exact to ~1e-9 there
    // and the adaptive estimate bounds Σ_i |error of IG_i| by τ, so the two
    // attribution vectors differ by at most τ = max(1e-3·|ΔF|, 1e-6) in
    // Σ_i |·| (same precision, f64, for both).
    let (m, t) = demo();
    let all: Vec<usize> = (0..t.rows()).collect();
    let baseline = || BaselineSpec::Background { background: Background::default(), count: 5, seed: 0 };
    let f64_fixed = Integration { method: "gausslegendre".into(), precision: "f64".into(), ..Integration::default() };
    let fixed = run(&m, &t, all.clone(), baseline(), f64_fixed.ig_config().unwrap());
    let adaptive = run(&m, &t, all, baseline(), Integration::default().ig_config().unwrap());
    let mut worst = 0.0f64;
    for (a, f) in adaptive.iter().zip(&fixed) {
        let tau = Convergence::default().tolerance(a.output - a.baseline_output);
        let diff: f64 = a.attributions.iter().zip(&f.attributions).map(|(p, q)| (p - q).abs()).sum();
        worst = worst.max(diff / tau);
        assert!(diff <= tau, "row {}: Σ|IG_adaptive − IG_GL50| = {diff:e} > τ = {tau:e}", a.index);
        assert!(a.converged && (a.delta.abs() <= tau));
    }
    let mean = adaptive.iter().map(|r| r.evaluations).sum::<usize>() as f64 / adaptive.len() as f64;
    eprintln!("demo: worst Σ|ΔIG|/τ = {worst:.2e}; adaptive {mean:.1} gradient evaluations per row (K = 5 paths)");
}

#[test]
fn adaptive_rows_are_bitwise_identical_for_any_memory_budget() {
    let (m, t) = saturated();
    let baseline = || BaselineSpec::Background { background: Background::default(), count: 3, seed: 4 };
    let ig = |budget| IgConfig { memory_budget: budget, ..Integration::default().ig_config().unwrap() };
    let a = run(m, t, (0..60).collect(), baseline(), ig(1));
    let b = run(m, t, (0..60).collect(), baseline(), ig(1 << 30));
    let bits = |rows: &[RowResult]| -> Vec<u64> {
        rows.iter().flat_map(|r| r.attributions.iter().chain([&r.delta, &r.output]).map(|v| v.to_bits())).collect()
    };
    assert_eq!(bits(&a), bits(&b));
    assert_eq!(a, b);
}
