//! `explain`'s default integration end to end on a deliberately saturated
//! GLT (`crates/explainer/benches/saturated.glt`, |logit| > 10 on 96% of
//! its rows): completeness on every row, the not-converged warning and
//! `--strict`'s exit code, and the same bytes on 1 and 2 threads.

mod common;

use common::{ok, repo, run, temp_dir};
use serde_json::Value;

fn saturated(extra: &[&str]) -> Vec<String> {
    let b = repo().join("crates/explainer/benches");
    let (model, data) = (b.join("saturated.glt").display().to_string(), b.join("saturated.csv").display().to_string());
    let mut args: Vec<String> = vec!["--model".into(), model, "--data".into(), data, "--quiet".into()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn doc_rows(path: &std::path::Path) -> Vec<Value> {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["rows"].as_array().unwrap().clone()
}

#[test]
fn every_row_of_a_saturated_model_is_complete_by_default() {
    let dir = temp_dir("adaptive-default");
    let args = saturated(&["--all", "--out", "all.json"]);
    let out = run("explain", &strs(&args), &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "no warning expected: {}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("all.json")).unwrap()).unwrap();
    assert_eq!(doc["method"], "adaptive");
    assert_eq!(doc["tolerance"]["rel"], 1e-3);
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2000);
    let mut total = 0;
    for r in rows {
        let (delta, diff) =
            (r["delta"].as_f64().unwrap(), r["output"].as_f64().unwrap() - r["baseline_output"].as_f64().unwrap());
        assert!(delta.abs() <= (1e-3 * diff.abs()).max(1e-6), "row {}: δ {delta:e}, ΔF {diff:e}", r["index"]);
        assert_eq!(r["converged"], true);
        total += r["evaluations"].as_u64().unwrap();
    }
    eprintln!("explain on the saturated model: {:.1} gradient evaluations per row", total as f64 / 2000.0);

    // The fixed rule the old default used misses the same criterion on many rows.
    let args = saturated(&["--all", "--method", "gausslegendre", "--steps", "50", "--out", "gl.json"]);
    ok("explain", &strs(&args), &dir);
    let missed = doc_rows(&dir.join("gl.json"))
        .iter()
        .filter(|r| {
            let diff: f64 = r["output"].as_f64().unwrap() - r["baseline_output"].as_f64().unwrap();
            r["delta"].as_f64().unwrap().abs() > (1e-3 * diff.abs()).max(1e-6)
        })
        .count();
    assert!(missed > 500, "GL-50 should miss τ on many rows, missed {missed}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn rows_over_the_cap_warn_and_strict_fails_after_writing() {
    let dir = temp_dir("adaptive-strict");
    let args = saturated(&["--rows", "0-99", "--max-evaluations", "15", "--out", "capped.json"]);
    let out = run("explain", &strs(&args), &dir);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "without --strict a warning only: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    for needle in ["warning:", "of 100 rows did not converge", "worst relative delta", "--max-evaluations"] {
        assert!(lines[0].contains(needle), "'{}' lacks '{needle}'", lines[0]);
    }
    assert!(stdout.contains(lines[0]) && stdout.contains("did NOT reach the tolerance"), "{stdout}");
    let unconverged = doc_rows(&dir.join("capped.json")).iter().filter(|r| r["converged"] == false).count();
    assert!(unconverged > 0 && lines[0].starts_with(&format!("warning: {unconverged} of 100")), "{}", lines[0]);

    std::fs::remove_file(dir.join("capped.json")).unwrap();
    let strict: Vec<String> = args.iter().cloned().chain(["--strict".to_string()]).collect();
    let out = run("explain", &strs(&strict), &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.lines().last().unwrap().starts_with("error: --strict:"), "{stderr}");
    assert_eq!(doc_rows(&dir.join("capped.json")).len(), 100, "the outputs are written before the error");

    // Within the default cap the same rows converge and --strict passes.
    ok("explain", &strs(&saturated(&["--rows", "0-99", "--strict"])), &dir);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn adaptive_explain_gives_the_same_bytes_on_one_and_two_threads() {
    let dir = temp_dir("adaptive-threads");
    for t in ["1", "2"] {
        let out = format!("t{t}.json");
        let args = saturated(&["--rows", "0-149", "--baseline", "background", "--baselines", "3", "--global"]);
        let args: Vec<String> = args.into_iter().chain(["--threads", t, "--out", &out].map(String::from)).collect();
        ok("explain", &strs(&args), &dir);
    }
    let (a, b) = (std::fs::read(dir.join("t1.json")).unwrap(), std::fs::read(dir.join("t2.json")).unwrap());
    assert!(a == b, "--threads 1 and --threads 2 differ");
    let _ = std::fs::remove_dir_all(dir);
}
