//! synth → train → save → explain → JSON parsed back: completeness, group
//! sums, and zero attribution for features of lasso-dropped groups.

mod common;

use common::{ok, repo, temp_dir};
use serde_json::Value;

/// A tiny architecture, so the tests train in seconds.
const SMALL_MODEL: [&str; 8] = ["--d-model", "16", "--heads", "2", "--blocks", "1", "--d-ff", "32"];

#[test]
fn synth_train_explain_round_trip() {
    let dir = temp_dir("e2e");
    let groups = repo().join("models/railway-groups.toml");
    ok(
        "synth",
        &["railway", "--rows", "2000", "--seed", "3", "--out", "rail.csv", "--truth", "truth.json", "--quiet"],
        &dir,
    );
    let train_out = ok(
        "train",
        &[
            &[
                "--data",
                "rail.csv",
                "--label",
                "Tc_target",
                "--id",
                "Tc_BaseCode,Tc_SectionBreakStartKM,Tc_date",
                "--split-by",
                "Tc_SectionBreakStartKM",
                "--groups",
                groups.to_str().unwrap(),
                "--lambda",
                "3",
            ][..],
            &SMALL_MODEL,
            &[
                "--epochs",
                "25",
                "--batch-size",
                "128",
                "--lr",
                "0.003",
                "--seed",
                "1",
                "--out",
                "m.glt",
                "--report",
                "report.json",
                "--quiet",
            ],
        ]
        .concat(),
        &dir,
    );
    assert!(train_out.contains("held-out: ROC-AUC"), "{train_out}");
    let report: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    for key in ["roc_auc", "pr_auc", "f1", "accuracy", "threshold", "confusion"] {
        assert!(report["metrics"].get(key).is_some(), "report metrics lack {key}");
    }
    let dropped: Vec<String> = serde_json::from_value(report["dropped_features"].clone()).unwrap();
    assert!(!dropped.is_empty(), "λ = 3 should drop some groups: {report}");

    let text = ok(
        "explain",
        &[
            "--model",
            "m.glt",
            "--data",
            "rail.csv",
            "--rows",
            "0-9",
            "--baseline",
            "mean",
            "--groups",
            "--global",
            "--out",
            "a.json",
            "--quiet",
        ],
        &dir,
    );
    assert!(text.contains("Rank") && text.contains("Impact Direction") && text.contains("Convergence delta"), "{text}");
    assert!(text.contains("Tc_BaseCode="), "ids are carried into the report: {text}");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("a.json")).unwrap()).unwrap();
    let features: Vec<String> = serde_json::from_value(doc["features"].clone()).unwrap();
    assert_eq!(doc["baseline"]["kind"], "mean");
    let rows = doc["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    for row in rows {
        let attr: Vec<f64> = serde_json::from_value(row["attributions"].clone()).unwrap();
        let (out, base) = (row["output"].as_f64().unwrap(), row["baseline_output"].as_f64().unwrap());
        // Completeness within 1e-3 relative.
        let sum: f64 = attr.iter().sum();
        assert!(
            (sum - (out - base)).abs() <= 1e-3 * (out - base).abs().max(1e-9) + 1e-7,
            "Σ IG {sum} vs ΔF {}",
            out - base
        );
        assert!(row["relative_delta"].as_f64().unwrap_or(0.0) < 1e-3);
        // The group report sums the per-feature attributions.
        let groups = row["group_attributions"].as_object().unwrap();
        let group_total: f64 = groups.values().map(|v| v.as_f64().unwrap()).sum();
        assert!((group_total - sum).abs() < 1e-9, "groups {group_total} vs features {sum}");
        assert!(
            (groups["Twist"].as_f64().unwrap()
                - attr[features.iter().position(|f| f == "Wagon_Twist14m").unwrap()]
                - attr[features.iter().position(|f| f == "Wagon_Twist2m").unwrap()])
            .abs()
                < 1e-12
        );
        // Features of dropped groups get exactly 0.
        for name in &dropped {
            let f = features.iter().position(|n| n == name).unwrap();
            assert_eq!(attr[f], 0.0, "{name} was dropped by the lasso");
        }
    }
    assert!(doc["global"]["mean_abs"].is_object());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sequence_model_explains_windows_through_the_tools() {
    let dir = temp_dir("seq");
    ok("synth", &["railway", "--rows", "1200", "--seed", "4", "--out", "seq.csv", "--quiet"], &dir);
    // The order column is also an id column: both roles must work.
    ok(
        "train",
        &[
            &[
                "--data",
                "seq.csv",
                "--label",
                "Tc_target",
                "--id",
                "Tc_BaseCode,Tc_date",
                "--sequence-by",
                "Tc_SectionBreakStartKM",
                "--order-by",
                "Tc_date",
                "--window",
                "3",
                "--lambda",
                "0",
            ][..],
            &SMALL_MODEL,
            &["--epochs", "3", "--out", "seq.glt", "--quiet"],
        ]
        .concat(),
        &dir,
    );
    ok("explain", &["--model", "seq.glt", "--data", "seq.csv", "--rows", "5,10", "--quiet", "--out", "seq.json"], &dir);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("seq.json")).unwrap()).unwrap();
    for row in doc["rows"].as_array().unwrap() {
        let attr: Vec<Vec<f64>> = serde_json::from_value(row["attributions"].clone()).unwrap();
        assert_eq!((attr.len(), attr[0].len()), (3, 31), "T × F attributions");
        let sum: f64 = attr.iter().flatten().sum();
        let diff = row["output"].as_f64().unwrap() - row["baseline_output"].as_f64().unwrap();
        assert!((sum - diff).abs() <= 1e-3 * diff.abs().max(1e-9) + 1e-7, "completeness {sum} vs {diff}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
