//! `explain evaluate` end to end on a small synthetic collider table:
//! every ranking, retraining point, deletion curve, agreement and chart is
//! produced; the random control and the whole no-retrain evaluation are
//! reproducible (also across thread counts); the seed changes the control.

mod common;

use common::{ok, temp_dir};
use serde_json::Value;

const K: usize = 3;

fn evaluate(dir: &std::path::Path, extra: &[&str]) -> Value {
    let args = [
        &[
            "evaluate",
            "--model",
            "m.glt",
            "--data",
            "collider.csv",
            "--weight-column",
            "weight",
            "--truth",
            "truth.json",
            "--k-max",
            "3",
            "--explain-rows",
            "30",
            "--baselines",
            "3",
            "--quiet",
        ][..],
        extra,
    ]
    .concat();
    let stdout = ok("explain", &args, dir);
    assert!(stdout.contains("Deletion") && stdout.contains("Agreement"), "{stdout}");
    let out = args.iter().position(|a| *a == "--out-dir").map(|i| args[i + 1]).expect("--out-dir");
    serde_json::from_str(&std::fs::read_to_string(dir.join(out).join("evaluation.json")).unwrap()).unwrap()
}

fn names(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// The JSON without the timings (the only part allowed to differ).
fn without_seconds(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("seconds");
    v
}

#[test]
fn evaluate_measures_every_ranking_and_is_reproducible() {
    let dir = temp_dir("evaluate");
    ok(
        "synth",
        &["collider", "--rows", "1500", "--seed", "2", "--out", "collider.csv", "--truth", "truth.json", "--quiet"],
        &dir,
    );
    #[rustfmt::skip]
    ok("train", &["--data", "collider.csv", "--label", "label", "--exclude", "process,weight", "--lambda", "0",
        "--d-model", "8", "--heads", "2", "--blocks", "1", "--d-ff", "16", "--epochs", "8", "--batch-size", "128",
        "--lr", "0.003", "--seed", "1", "--out", "m.glt", "--quiet"], &dir);

    let e = evaluate(&dir, &["--out-dir", "eval", "--format", "svg"]);
    let features = names(&e["features"]);
    let rankings = e["rankings"].as_array().unwrap();
    let ranking_names: Vec<&str> = rankings.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(ranking_names, ["zero", "mean", "background", "weighted", "random"]);
    for r in rankings {
        let mut order = names(&r["names"]);
        order.sort();
        let mut all = features.clone();
        all.sort();
        assert_eq!(order, all, "a ranking orders every feature once");
    }
    for (baseline, worst) in e["completeness"].as_object().unwrap() {
        assert!(worst.as_f64().unwrap() < 0.05, "{baseline}: completeness {worst}");
    }

    let retraining = &e["retraining"];
    let points = retraining["points"].as_array().unwrap();
    assert_eq!(points.len(), 5 * K);
    for p in points {
        let k = p["k"].as_u64().unwrap() as usize;
        let ranking = rankings.iter().find(|r| r["name"] == p["ranking"]).unwrap();
        assert_eq!(names(&p["features"]), names(&ranking["names"])[..k]);
        assert!((0.0..=1.0).contains(&p["accuracy"].as_f64().unwrap()));
        assert!(p["significance"]["z"].as_f64().unwrap() >= 0.0);
    }
    assert!(retraining["all_features"]["roc_auc"].as_f64().unwrap() > 0.7, "{}", retraining["all_features"]);
    assert!(retraining["models_trained"].as_u64().unwrap() <= 5 * K as u64 + 1);

    let deletion = e["deletion"].as_array().unwrap();
    assert_eq!(deletion.len(), 4);
    for d in deletion {
        for key in ["curve", "random_curve"] {
            let c = d[key].as_array().unwrap();
            assert_eq!(c.len(), K + 1);
            assert_eq!(c[0].as_f64(), Some(0.0));
        }
    }
    assert_eq!(e["truth"]["points"].as_array().unwrap().len(), 5 * K);
    assert_eq!(names(&e["truth"]["ranking"]).len(), features.len());
    for chart in ["top5", "deletion", "roc_auc", "accuracy", "significance", "agreement"] {
        let svg = std::fs::read_to_string(dir.join("eval").join(format!("{chart}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{chart}");
    }
    let summary = e["summary"].as_array().unwrap();
    assert_eq!(summary.len(), 5);
    for m in summary {
        assert!(m["mean_roc_auc"].as_f64().is_some() && m["mean_feature_agreement"].as_f64().is_some(), "{m}");
    }
    let csv = std::fs::read_to_string(dir.join("eval/evaluation.csv")).unwrap();
    assert!(csv.lines().any(|l| l.starts_with("summary,zero,,,mean_roc_auc,")));
    assert!(csv.starts_with("section,ranking,k,feature,metric,value\n"));
    assert!(csv.lines().any(|l| l.starts_with("retraining,random,3,,significance,")));

    // Same seed, one thread: bitwise the same evaluation; another seed: another control.
    let again = evaluate(&dir, &["--out-dir", "again", "--no-retrain", "--threads", "1"]);
    let first = evaluate(&dir, &["--out-dir", "first", "--no-retrain"]);
    assert_eq!(without_seconds(again.clone()), without_seconds(first));
    assert_eq!(again["rankings"][4], e["rankings"][4], "the random control depends on the seed only");
    let other = evaluate(&dir, &["--out-dir", "other", "--no-retrain", "--seed", "5"]);
    assert_ne!(other["rankings"][4]["names"], e["rankings"][4]["names"]);
    assert!(again["retraining"].is_null());
}
