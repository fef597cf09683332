//! `synth collider`: determinism, columns, process mix, weights, physics consistency, ground truth.

mod common;
use common::*;
use std::collections::BTreeSet;

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let dir = scratch("col-det");
    let (a_csv, a_json) = generate(&dir, "collider", 2000, 5, "a");
    let (b_csv, b_json) = generate(&dir, "collider", 2000, 5, "b");
    let (c_csv, _) = generate(&dir, "collider", 2000, 6, "c");
    let read = |p: &std::path::Path| std::fs::read(p).unwrap();
    assert_eq!(read(&a_csv), read(&b_csv));
    assert_eq!(read(&a_json), read(&b_json));
    assert_ne!(read(&a_csv), read(&c_csv));
}

#[test]
fn columns_processes_weights_and_ranges() {
    let dir = scratch("col-columns");
    let (csv, json_path) = generate(&dir, "collider", 10_000, 2, "c");
    let t = Table::read(&csv);
    assert_eq!(&t.header[..3], ["process", "weight", "label"]);
    assert_eq!(t.header.len(), 3 + 20);
    assert_eq!(t.rows.len(), 10_000);
    let signal = t.rows.iter().filter(|r| r[2] == "1").count();
    assert_eq!(signal, 3000, "signal is exactly 30 % of rows");
    let processes: BTreeSet<&str> = t.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(processes, BTreeSet::from(["diboson", "signal", "singletop", "ttbar", "wjets"]));
    let mut mean_weight = std::collections::BTreeMap::new();
    for p in &processes {
        let w = t.values("weight", |r| r[0] == *p);
        assert!(w.iter().all(|&x| x > 0.0));
        mean_weight.insert(*p, mean(&w));
    }
    for (p, w) in &mean_weight {
        if *p != "signal" {
            assert!(mean_weight["signal"] * 100.0 < *w, "signal is much rarer by weight than {p}");
        }
    }
    for r in &t.rows {
        assert!(r.iter().all(|v| !v.is_empty()), "no missing cells");
        assert_eq!(r[2] == "1", r[0] == "signal");
        let f = |name: &str| -> f64 { r[t.col(name)].parse().unwrap() };
        let ht = f("lep1_pt") + f("jet1_pt") + f("jet2_pt") + f("jet3_pt") + f("jet4_pt");
        assert!((f("H_T") - ht).abs() < 0.006, "H_T {} vs {ht}", f("H_T"));
        for eta in ["lep1_eta", "jet1_eta", "jet2_eta"] {
            assert!(f(eta).abs() <= 2.5);
        }
        for phi in ["lep1_phi", "met_phi", "jet1_phi", "jet2_phi"] {
            assert!(f(phi).abs() <= std::f64::consts::PI + 1e-4);
        }
        let (n, nb) = (f("n_jets"), f("n_bjets"));
        assert!(n.fract() == 0.0 && nb.fract() == 0.0 && (2.0..=4.0).contains(&n) && nb <= n);
        assert!(f("jet1_pt") >= f("jet2_pt") && f("jet2_pt") >= f("jet3_pt") && f("jet3_pt") >= f("jet4_pt"));
        assert!(f("lep1_pt") >= 25.0 && f("jet2_pt") >= 25.0 && f("met") >= 0.0);
        assert_eq!(f("jet3_pt") > 0.0, n >= 3.0);
    }
    let truth = json(&json_path);
    assert_eq!(truth["processes"]["signal"]["rows"], 3000);
    assert_eq!(truth["signal_fraction"], 0.3);
}

#[test]
fn signal_differs_in_ht_lepton_pt_and_met_but_not_in_phi() {
    let dir = scratch("col-means");
    let (csv, _) = generate(&dir, "collider", 20_000, 11, "m");
    let t = Table::read(&csv);
    let sig = |r: &[String]| r[2] == "1";
    let bkg = |r: &[String]| r[2] == "0";
    for name in ["H_T", "lep1_pt", "met"] {
        let (s, b) = (t.values(name, sig), t.values(name, bkg));
        let d = (mean(&s) - mean(&b)) / sd(&t.values(name, |_| true));
        assert!(d > 0.7, "{name}: standardized difference {d}");
    }
    for name in ["lep1_phi", "met_phi", "jet1_phi", "jet2_phi"] {
        let (s, b) = (t.values(name, sig), t.values(name, bkg));
        assert!((mean(&s) - mean(&b)).abs() < 0.1, "{name}: {} vs {}", mean(&s), mean(&b));
        assert!((sd(&s) - sd(&b)).abs() < 0.05, "{name}: uniform for both classes");
    }
}

#[test]
fn truth_lists_every_feature_once() {
    let dir = scratch("col-truth");
    let (csv, json_path) = generate(&dir, "collider", 5000, 3, "t");
    let features: BTreeSet<String> = Table::read(&csv).header[3..].iter().cloned().collect();
    let truth = json(&json_path);
    assert_eq!(truth["kind"], "collider");
    assert_eq!(truth["label"], "label");
    assert_eq!(truth["weight_column"], "weight");
    let (informative, noise) = (strings(&truth["informative"]), strings(&truth["noise"]));
    let listed: BTreeSet<String> = informative.iter().chain(&noise).cloned().collect();
    assert_eq!(listed.len(), informative.len() + noise.len(), "a feature is listed twice");
    assert_eq!(listed, features);
    let importance = truth["importance"].as_object().unwrap();
    assert_eq!(importance.keys().cloned().collect::<BTreeSet<_>>(), features);
    for n in &noise {
        assert_eq!(importance[n], 0.0);
    }
    let top: Vec<&str> = {
        let mut v: Vec<(&String, f64)> = importance.iter().map(|(k, v)| (k, v.as_f64().unwrap())).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        v.iter().take(4).map(|(k, _)| k.as_str()).collect()
    };
    for name in ["H_T", "lep1_pt", "met"] {
        assert!(top.contains(&name), "{name} not in the top 4 {top:?}");
    }
    let processes = truth["processes"].as_object().unwrap();
    assert_eq!(processes.values().map(|p| p["rows"].as_u64().unwrap()).sum::<u64>(), 5000);
}
