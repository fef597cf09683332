//! Report shapes of SPEC §6: exact JSON keys and serde round trips.

use std::collections::BTreeSet;

use glassbox_glt::metrics::{binary_metrics, multiclass_metrics, BinaryMetrics, Confusion, Metrics};
use ndarray::array;
use serde_json::Value;

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().expect("a JSON object").keys().map(String::as_str).collect()
}

fn binary() -> BinaryMetrics {
    binary_metrics(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true], 0.35)
}

#[test]
fn binary_json_has_exactly_the_report_keys() {
    let v = serde_json::to_value(Metrics::Binary(binary())).unwrap();
    assert_eq!(keys(&v), BTreeSet::from(["roc_auc", "pr_auc", "f1", "accuracy", "threshold", "confusion"]));
    assert_eq!(keys(&v["confusion"]), BTreeSet::from(["tp", "fp", "tn", "fn"]));
    assert_eq!(v["confusion"]["fn"], 0);
    assert_eq!(v["confusion"]["fp"], 1);
    assert_eq!(v["threshold"], 0.35);
}

#[test]
fn multiclass_json_has_exactly_the_report_keys() {
    let m = multiclass_metrics(array![[0.9, 0.1], [0.2, 0.8]].view(), &[0, 0]);
    let v = serde_json::to_value(Metrics::Multiclass(m)).unwrap();
    assert_eq!(keys(&v), BTreeSet::from(["accuracy", "macro_f1"]));
    assert_eq!(v["accuracy"], 0.5);
}

#[test]
fn metrics_round_trip_keeps_the_variant() {
    let cases = [
        Metrics::Binary(binary()),
        // Undefined AUCs become null and come back as None.
        Metrics::Binary(binary_metrics(&[0.2, 0.9], &[false, false], 0.5)),
        Metrics::Multiclass(multiclass_metrics(array![[0.1, 0.7, 0.2], [0.5, 0.3, 0.2]].view(), &[1, 2])),
    ];
    for m in cases {
        let json = serde_json::to_string(&m).unwrap();
        let back: Metrics = serde_json::from_str(&json).unwrap();
        assert_eq!(back, m, "{json}");
    }
}

#[test]
fn undefined_auc_serializes_as_null() {
    let v = serde_json::to_value(binary_metrics(&[0.2, 0.9], &[true, true], 0.5)).unwrap();
    assert!(v["roc_auc"].is_null());
    assert_eq!(v["pr_auc"], 1.0);
}

#[test]
fn confusion_reads_fn_key() {
    let c: Confusion = serde_json::from_str(r#"{"tp":3,"fp":2,"tn":5,"fn":1}"#).unwrap();
    assert_eq!(c, Confusion { tp: 3, fp: 2, tn: 5, fn_: 1 });
    assert!(serde_json::from_str::<Confusion>(r#"{"tp":3,"fp":2,"tn":5,"fn_":1}"#).is_err());
}
